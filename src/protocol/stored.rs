//! The form-urlencoded strings the pending sign-in ([`super::transaction`]) and the session
//! ([`super::session_record`]) are kept as, and the authorization response's parameters
//! ([`super::callback`]): one writer and one reader serve them all, each driven by a table
//! of names.

/// Each of `names` with its value in `values` as a form-urlencoded string, in order; a name
/// whose value is `None` is left out. The token endpoint's request bodies and the
/// authorization request's query are written by it too.
pub(crate) fn write(names: &[&str], values: &[Option<&str>]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    let mut values = values.iter();
    for name in names {
        if let Some(Some(value)) = values.next() {
            out.append_pair(name, value);
        }
    }
    out.finish()
}

/// Reads the form-urlencoded `text` into `values`, one slot for each of `names`. When
/// `strict`, a name not in `names` or repeated makes it unreadable (`false`); otherwise
/// unknown names are ignored and of a repeated name the last wins.
pub(crate) fn read(
    text: &str,
    names: &[&str],
    values: &mut [Option<String>],
    strict: bool,
) -> bool {
    scan(text, names, values, strict, strict, usize::MAX).is_ok()
}

/// Why [`scan`] stopped reading.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// A name not in `names`, when those are refused.
    Unknown,
    /// `names[i]` appeared again, when repeats are refused.
    Repeated(usize),
    /// `names[i]` has a value longer than the limit.
    TooLong(usize),
}

/// Reads the form-urlencoded `text` into `values`, one slot for each of `names`, stopping
/// at the first name that is unknown (when `refuse_unknown`; otherwise it is ignored),
/// repeated (when `refuse_repeats`; otherwise the last wins) or has a value longer than
/// `max_len` bytes. The storage strings and the authorization response share this one
/// reader.
pub(crate) fn scan(
    text: &str,
    names: &[&str],
    values: &mut [Option<String>],
    refuse_unknown: bool,
    refuse_repeats: bool,
    max_len: usize,
) -> Result<(), Stop> {
    for (name, value) in form_urlencoded::parse(text.as_bytes()) {
        let Some(i) = names.iter().position(|n| *n == name) else {
            if refuse_unknown {
                return Err(Stop::Unknown);
            }
            continue;
        };
        if refuse_repeats && values[i].is_some() {
            return Err(Stop::Repeated(i));
        }
        if value.len() > max_len {
            return Err(Stop::TooLong(i));
        }
        values[i] = Some(value.into_owned());
    }
    Ok(())
}
