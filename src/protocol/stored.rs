//! The form-urlencoded strings the pending sign-in ([`super::transaction`]) and the session
//! ([`super::session_record`]) are kept as: one writer and one reader serve both, each
//! driven by a table of names.

/// Each of `names` with its value in `values` as a form-urlencoded string, in order; a name
/// whose value is `None` is left out.
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
    for (name, value) in form_urlencoded::parse(text.as_bytes()) {
        // An unknown or repeated name: refused when strict.
        let odd = match names.iter().position(|n| *n == name) {
            Some(i) => values[i].replace(value.into_owned()).is_some(),
            None => true,
        };
        if odd && strict {
            return false;
        }
    }
    true
}
