//! The form-urlencoded strings the pending sign-in ([`super::transaction`]) and the session
//! ([`super::session_record`]) are kept as, and the authorization response's parameters
//! ([`super::callback`]): one writer and one reader serve them all, each driven by a table
//! of names.

#[cfg(not(all(target_arch = "wasm32", feature = "element")))]
use super::decimal::number;
use super::text::{pieces, split_once};

/// Each of `names` (separated by U+001F: a table of names as one text) with its value in
/// `values` as a form-urlencoded string, in order, as far as `values` goes; a name whose
/// value is `None` is left out. The token endpoint's request bodies and the authorization
/// request's query are written by it too.
pub(crate) fn write(names: &str, values: &[Option<&str>]) -> String {
    let mut out = String::new();
    write_to(&mut out, names, values);
    out
}

/// Appends what [`write`] makes of `names` and `values` to `out`, each pair as
/// [`append_pair`] does.
pub(crate) fn write_to(out: &mut String, names: &str, values: &[Option<&str>]) {
    // The values by index: no iterator over the slice.
    let mut names = pieces(names, 0x1f);
    let mut i = 0;
    while let (Some(name), Some(value)) = (names.next(), values.get(i)) {
        if let Some(value) = value {
            append_pair(out, name, value);
        }
        i += 1;
    }
}

/// Appends `name=value` to the form-urlencoded `out`, after an `&` unless `out` is empty
/// or ends with `?` or `&` (a URL's query about to start or continue: an encoded pair
/// never ends so). The encoding is the URL Standard's `application/x-www-form-urlencoded`
/// serializer's: ASCII letters, digits and `*-._` stay, a space becomes `+`, every other
/// byte `%XX`.
pub(crate) fn append_pair(out: &mut String, name: &str, value: &str) {
    if !matches!(out.as_bytes().last(), None | Some(b'?' | b'&')) {
        out.push('&');
    }
    append_encoded(out, name);
    out.push('=');
    append_encoded(out, value);
}

/// Appends `text` encoded as [`append_pair`] says. The element's wasm build has the browser
/// encode it (`URLSearchParams`), and carries no encoder of its own.
#[cfg(all(target_arch = "wasm32", feature = "element"))]
fn append_encoded(out: &mut String, text: &str) {
    out.push_str(&crate::browser::text::form_encoded(text));
}

/// Appends `text` encoded as [`append_pair`] says.
#[cfg(not(all(target_arch = "wasm32", feature = "element")))]
fn append_encoded(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
    }
}

/// The name-value pairs of the form-urlencoded `text`, decoded (the URL Standard's
/// `application/x-www-form-urlencoded` parser: empty pieces are skipped, a piece without
/// `=` has an empty value, `+` is a space, `%XX` a byte, and bytes that are not UTF-8 become
/// U+FFFD).
#[cfg(test)]
pub(crate) fn pairs(text: &str) -> impl Iterator<Item = (String, String)> {
    pieces(text, b'&')
        .filter_map(pair)
        .map(|(name, value)| (name, decode(value)))
}

/// The name-value pair of one `&`-separated `piece` of a form-urlencoded text: the name
/// decoded as the pairs above are, the value as written (decode it with [`decode`]);
/// `None` for an empty piece, which holds none. [`scan`] reads each piece so.
#[cfg(test)]
fn pair(piece: &str) -> Option<(String, &str)> {
    if piece.is_empty() {
        return None;
    }
    let (name, value) = split_once(piece, b'=').unwrap_or((piece, ""));
    Some((decode(name), value))
}

/// The text of a form-urlencoded name or value, decoded as [`pairs`] decodes them. A
/// value is empty exactly when its text is. The element's wasm build has the browser decode
/// it (`URLSearchParams`), and carries no decoder of its own.
#[cfg(all(target_arch = "wasm32", feature = "element"))]
pub(crate) fn decode(text: &str) -> String {
    crate::browser::text::form(text)
}

/// The text of a form-urlencoded name or value, decoded as [`pairs`] decodes them. A
/// value is empty exactly when its text is.
#[cfg(not(all(target_arch = "wasm32", feature = "element")))]
pub(crate) fn decode(text: &str) -> String {
    // Decoded in place: a byte never takes more room than its text, so the copy of the text
    // holds the bytes without growing.
    let mut bytes = Vec::new();
    bytes.extend_from_slice(text.as_bytes());
    let mut end = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = match bytes[i] {
            b'+' => b' ',
            // Two hex digits, read from the text (the bytes before them are all written);
            // `number` would also take a `+` first.
            b'%' if text.is_char_boundary(i + 3) && bytes[i + 1] != b'+' => {
                match number(&text[i + 1..i + 3], 16) {
                    Some(n) => {
                        i += 2;
                        n as u8
                    }
                    None => b'%',
                }
            }
            b => b,
        };
        bytes[end] = b;
        end += 1;
        i += 1;
    }
    let mut text = String::new();
    push_lossy(&mut text, &bytes[..end]);
    text
}

/// Appends the UTF-8 `bytes` to `out`, each maximal part of an ill-formed sequence replaced
/// by U+FFFD (the Encoding Standard's UTF-8 decoder, as `String::from_utf8_lossy` does);
/// `false` when there was one. Written by hand: std's `Utf8Chunks` is larger. The element's
/// wasm build leaves UTF-8 to the browser (see [`decode`]).
#[cfg(not(all(target_arch = "wasm32", feature = "element")))]
pub(crate) fn push_lossy(out: &mut String, bytes: &[u8]) -> bool {
    let mut valid = true;
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        i += 1;
        // How many continuation bytes follow and the range of the first (Unicode Table
        // 3-7); a byte that cannot lead has an empty range, so it is replaced alone.
        let (mut more, mut low, mut high) = match lead {
            0..=0x7f => (0, 0, 0),
            0xc2..=0xdf => (1, 0x80, 0xbf),
            0xe0 => (2, 0xa0, 0xbf),
            0xed => (2, 0x80, 0x9f),
            0xe1..=0xef => (2, 0x80, 0xbf),
            0xf0 => (3, 0x90, 0xbf),
            0xf4 => (3, 0x80, 0x8f),
            0xf1..=0xf3 => (3, 0x80, 0xbf),
            _ => (1, 1, 0),
        };
        // The lead byte's bits of the code point.
        let mut c = u32::from(lead & 0x7f >> more);
        while more > 0 {
            match bytes.get(i) {
                Some(&b) if (low..=high).contains(&b) => {
                    c = c << 6 | u32::from(b & 0x3f);
                    i += 1;
                    more -= 1;
                    (low, high) = (0x80, 0xbf);
                }
                _ => break,
            }
        }
        match char::from_u32(c) {
            Some(c) if more == 0 => out.push(c),
            _ => {
                valid = false;
                out.push('\u{fffd}');
            }
        }
    }
    valid
}

/// Reads the form-urlencoded `text` into `values` (each as written: see [`decode`]), one
/// slot for each of `names` (separated by U+001F). When
/// `strict`, a name not in `names` or repeated makes it unreadable (`false`); otherwise
/// unknown names are ignored and of a repeated name the last wins.
// Inlined: each caller passes the three constant arguments of [`scan`] itself.
#[inline(always)]
pub(crate) fn read<'a>(
    text: &'a str,
    names: &str,
    values: &mut [Option<&'a str>],
    strict: bool,
) -> bool {
    scan(text, names, values, strict, strict, usize::MAX).is_ok()
}

/// The version of the stored records' format (the pending sign-in's and the session's), their
/// first value, so a later format is refused rather than misread.
pub(crate) const FORMAT_VERSION: &str = "1";

/// Reads a stored record's form-urlencoded `text` into `values`, one slot for each of
/// `names` (as [`read`] does), and tells whether it is one: its first value is
/// [`FORMAT_VERSION`] as written, the `filled` values after it are present and not empty,
/// and, when `strict`, the text is readable and every value is present. The pending sign-in
/// and the session share it.
pub(crate) fn read_record<'a>(
    text: &'a str,
    names: &str,
    values: &mut [Option<&'a str>],
    strict: bool,
    filled: usize,
) -> bool {
    // The version is compared as written: it is never encoded.
    if !read(text, names, values, strict) || !matches!(values[0], Some(FORMAT_VERSION)) {
        return false;
    }
    // One plain loop checks both kinds of value; a value is empty when its text is.
    let mut i = 1;
    while i < values.len() {
        match values[i] {
            Some(v) if i > filled || !v.is_empty() => {}
            None if i > filled && !strict => {}
            _ => return false,
        }
        i += 1;
    }
    true
}

/// Reads the form-urlencoded `text` into `values` (each as written: see [`decode`]), one
/// slot for each of `names` (separated by U+001F; a name past the last slot counts as
/// unknown, and there are no more slots than names), stopping at the
/// first name that is unknown (when
/// `refuse_unknown`; otherwise it is ignored), repeated (when `refuse_repeats`; otherwise
/// the last wins) or has a value longer than `max_len` bytes once decoded, and tells which
/// name stopped it (its place in `names`, or the count of slots for an unknown one) and why, as
/// the rest of a sentence about it: " appears more than once", " is too long" (nothing for
/// an unknown name). The storage
/// strings and the authorization response share this one reader.
pub(crate) fn scan<'a>(
    text: &'a str,
    names: &str,
    values: &mut [Option<&'a str>],
    refuse_unknown: bool,
    refuse_repeats: bool,
    max_len: usize,
) -> Result<(), (usize, &'static str)> {
    for piece in pieces(text, b'&') {
        // An empty piece holds no pair; a piece without `=` has an empty value.
        if piece.is_empty() {
            continue;
        }
        let (name, value) = split_once(piece, b'=').unwrap_or((piece, ""));
        let name = decode(name);
        // The name's place among the names, each read by its place: past the slots when
        // unknown.
        let mut i = 0;
        while i < values.len() && super::text::piece(names, 0x1f, i) != name {
            i += 1;
        }
        // A slot for each name: none for an unknown one.
        let Some(slot) = values.get_mut(i) else {
            if refuse_unknown {
                return Err((i, ""));
            }
            continue;
        };
        if refuse_repeats && slot.is_some() {
            return Err((i, " appears more than once"));
        }
        // Decoding never lengthens a text, so only a text longer than the bound is decoded
        // to measure it.
        if value.len() > max_len && decode(value).len() > max_len {
            return Err((i, " is too long"));
        }
        *slot = Some(value);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{append_pair, pairs, write};

    /// Texts with every case of the format: empty pieces, pieces without `=` or with
    /// several, `+`, valid and broken escapes in either case, UTF-8 escaped and not, and
    /// escapes of bytes that are not UTF-8 (alone, cut short, or mixed with text).
    const CASES: [&str; 23] = [
        "",
        "&",
        "&&a=1&&",
        "a",
        "=",
        "=x",
        "a=b=c",
        "a+b=c+d",
        "%41%6a%2B%2b=%20%3D%26",
        "%",
        "%4",
        "%zz=%g1%1g",
        "a=%C3%A9%e9",
        "a=%FF&b=%C3&c=%E2%82",
        "a=%E2%82%AC%FFx%80%80y",
        "%ED%A0%80=%F0%9F%98%80",
        "é=€&€=é",
        "a=1&a=2&b",
        "code=abc&state=xyz&iss=https%3A%2F%2Fas.example",
        "%%%25=%2%25",
        "a=%aé&b=%é&c=%+1%-1%1+",
        "%4€=%€4&x=%日本",
        "a=%4",
    ];

    /// The decoding is the URL Standard's, as the `form_urlencoded` crate implements it.
    #[test]
    fn pairs_decode_as_the_url_standard_does() {
        let texts = CASES
            .iter()
            .map(|s| String::from(*s))
            .chain(crate::protocol::test_support::arbitrary_strings());
        for text in texts {
            let ours: Vec<_> = pairs(&text).collect();
            let standard: Vec<_> = form_urlencoded::parse(text.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            assert_eq!(ours, standard, "{text:?}");
        }
    }

    /// The UTF-8 decoder replaces what `String::from_utf8_lossy` does: every sequence of up
    /// to two bytes, and of up to four of the bytes at the edges of Unicode Table 3-7.
    #[cfg(not(all(target_arch = "wasm32", feature = "element")))]
    #[test]
    fn utf8_decodes_as_std_does() {
        let edges = [
            0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0,
            0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff,
        ];
        let mut inputs: Vec<Vec<u8>> = vec![vec![]];
        for a in 0..=255u8 {
            inputs.push(vec![a]);
            for b in 0..=255u8 {
                inputs.push(vec![a, b]);
            }
        }
        for a in edges {
            for b in edges {
                for c in edges {
                    inputs.push(vec![a, b, c]);
                    for d in edges {
                        inputs.push(vec![a, b, c, d]);
                    }
                }
            }
        }
        inputs.push("é€😀".into());
        for bytes in inputs {
            let mut ours = String::from("x");
            let valid = super::push_lossy(&mut ours, &bytes);
            let standard = String::from_utf8_lossy(&bytes);
            assert_eq!(ours[1..], standard, "{bytes:?}");
            assert_eq!(valid, std::str::from_utf8(&bytes).is_ok(), "{bytes:?}");
        }
    }

    /// The encoding is the URL Standard's, as the `form_urlencoded` crate implements it,
    /// and reads back as written.
    #[test]
    fn pairs_encode_as_the_url_standard_does() {
        let values = CASES
            .iter()
            .map(|s| String::from(*s))
            .chain(["*-._~!'()/?#[]@ \u{0}\u{7f}\u{80}\u{10ffff}".into()])
            .chain(crate::protocol::test_support::arbitrary_strings());
        for value in values {
            let mut ours = String::new();
            append_pair(&mut ours, "n m", &value);
            append_pair(&mut ours, &value, "");
            let standard = form_urlencoded::Serializer::new(String::new())
                .append_pair("n m", &value)
                .append_pair(&value, "")
                .finish();
            assert_eq!(ours, standard, "{value:?}");
            let read: Vec<_> = pairs(&ours).collect();
            assert_eq!(
                read,
                [("n m".into(), value.clone()), (value, String::new())]
            );
        }
        assert_eq!(
            write("a\u{1f}b\u{1f}c", &[Some("1"), None, Some("")]),
            "a=1&c="
        );
        assert_eq!(write("a", &[None]), "");
    }
}
