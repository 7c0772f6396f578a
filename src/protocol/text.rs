//! Small text routines in place of std's generic ones: [`fill`] for text built from a
//! template and values (`concat` and `format!`), byte searches ([`split_once`], [`pieces`],
//! [`before`], [`end_of`], [`has`]) for the char-pattern `split`, `split_once`, `find` and
//! `contains`, and one routine for both of std's trims ([`trim`], [`trim_ascii`]).
//!
//! Every separator searched for here is ASCII, which never occurs inside a multi-byte UTF-8
//! sequence, so a byte search finds what a char search finds; std's char searcher, its
//! `memchr` and the split iterators are much larger for the same job.

/// `template` with each `\u{1}` in it replaced by the next of `args`, in order.
///
/// A sentence is one literal with a mark where each value goes, so a call site passes its
/// values only, not each literal part of the sentence beside them. A mark in a value is
/// copied as it is; `args` holds a value for each mark of `template`.
#[expect(
    clippy::explicit_counter_loop,
    reason = "`enumerate` wraps the pieces in an adapter, which costs code here"
)]
pub(crate) fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::new();
    // By index: no iterator over the values.
    let mut i = 0;
    for part in pieces(template, 1) {
        out.push_str(part);
        out.push_str(args.get(i).copied().unwrap_or_default());
        i += 1;
    }
    out
}

/// The value of `key` in `table`, a key then its value, each ended by U+001F, for each
/// entry, with the entry's place (0 for the first): a table of texts as one text, which
/// compresses far better than a table of pointers and lengths. `None` for a key not in it.
pub(crate) fn look_up(table: &'static str, key: &str) -> Option<(usize, &'static str)> {
    let mut pieces = pieces(table, 0x1f);
    let mut place = 0;
    while let Some(k) = pieces.next() {
        let value = pieces.next()?;
        if k == key {
            return Some((place, value));
        }
        place += 1;
    }
    None
}

/// `text` without leading and trailing white space, as `str::trim` (Unicode's `White_Space`)
/// takes it off.
// Inlined, as is `trim_ascii`: each caller passes the flag of `trim_by` itself.
#[inline(always)]
pub(crate) fn trim(text: &str) -> &str {
    trim_by(text, false)
}

/// `text` without leading and trailing ASCII white space, as `str::trim_ascii` takes it off.
#[inline(always)]
pub(crate) fn trim_ascii(text: &str) -> &str {
    trim_by(text, true)
}

/// [`trim`], or with `ascii` [`trim_ascii`]: one walk from the front, over each white space
/// character whole and each other byte alone, that finds the first byte and the end of the
/// last byte that are not white space.
fn trim_by(text: &str, ascii: bool) -> &str {
    let b = text.as_bytes();
    let (mut start, mut end, mut i) = (usize::MAX, 0, 0);
    while i < b.len() {
        let n = space_len(b, i, ascii);
        if n == 0 {
            start = start.min(i);
            i += 1;
            end = i;
        } else {
            i += n;
        }
    }
    &text[start.min(end)..end]
}

/// The length of the white space character at `at` in `b`, 0 when none starts there:
/// Unicode's `White_Space`, as `char::is_whitespace` tells, or with `ascii` the five of
/// `u8::is_ascii_whitespace`. The property's twenty-five characters by their UTF-8 bytes, in
/// place of std's table of them and a decoding of each character.
fn space_len(b: &[u8], at: usize, ascii: bool) -> usize {
    // The three bytes from `at`, 0 past the end, as one number.
    let mut code = 0;
    let mut i = at;
    while i < at + 3 {
        code = code << 8 | u32::from(b.get(i).copied().unwrap_or(0));
        i += 1;
    }
    let n = match code {
        0x09_0000..=0x0d_ffff | 0x20_0000..=0x20_ffff => 1,
        0xc2_8500..=0xc2_85ff | 0xc2_a000..=0xc2_a0ff => 2,
        0xe1_9a80
        | 0xe2_8080..=0xe2_808a
        | 0xe2_80a8
        | 0xe2_80a9
        | 0xe2_80af
        | 0xe2_819f
        | 0xe3_8080 => 3,
        _ => 0,
    };
    // `u8::is_ascii_whitespace` leaves out the line tabulation, U+000B.
    if ascii && (n > 1 || code >> 16 == 0x0b) {
        0
    } else {
        n
    }
}

/// Whether `a` and `b` are the same text in any ASCII letter case, as std's
/// `str::eq_ignore_ascii_case` tells, in a loop the wasm build keeps smaller.
pub(crate) fn eq_ignore_ascii_case(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if !a[i].eq_ignore_ascii_case(&b[i]) {
            return false;
        }
        i += 1;
    }
    true
}

/// The index of the first byte of `text` that is one of `set` (ASCII), else `text`'s length.
#[expect(
    clippy::manual_contains,
    reason = "for bytes, `contains` is std's `memchr`"
)]
pub(crate) fn end_of(text: &str, set: &[u8]) -> usize {
    // By index: a `for` over the bytes calls the slice's `into_iter` out of line.
    let mut i = 0;
    while let Some(&b) = text.as_bytes().get(i) {
        if set.iter().any(|&s| s == b) {
            break;
        }
        i += 1;
    }
    i
}

/// Whether `text` holds the byte `b` (ASCII): `str::contains` of a char.
pub(crate) fn has(text: &str, b: u8) -> bool {
    end_of(text, &[b]) < text.len()
}

/// `text` before and after its first `separator` (ASCII), as `str::split_once` splits it.
pub(crate) fn split_once(text: &str, separator: u8) -> Option<(&str, &str)> {
    let i = end_of(text, &[separator]);
    // Found, `i` is the place of an ASCII byte: a character boundary on either side.
    if i == text.len() {
        return None;
    }
    Some((&text[..i], &text[i + 1..]))
}

/// `text` up to its first byte of `set` (ASCII): `text.split(set).next()`.
pub(crate) fn before<'a>(text: &'a str, set: &[u8]) -> &'a str {
    &text[..end_of(text, set)]
}

/// The pieces of `text` between its `separator`s (ASCII), as `str::split` yields them.
pub(crate) fn pieces(text: &str, separator: u8) -> Pieces<'_> {
    Pieces {
        rest: Some(text),
        separator,
    }
}

/// The piece `n` (0 for the first) of `text` between its `separator`s (ASCII), as
/// `str::split(separator).nth(n)` gives it, but empty when there are fewer pieces: a table of
/// names as one text, read by place.
pub(crate) fn piece(text: &str, separator: u8, n: usize) -> &str {
    pieces(text, separator).nth(n).unwrap_or_default()
}

/// The iterator of [`pieces`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Pieces<'a> {
    rest: Option<&'a str>,
    separator: u8,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        Some(match split_once(rest, self.separator) {
            Some((piece, more)) => {
                self.rest = Some(more);
                piece
            }
            None => {
                self.rest = None;
                rest
            }
        })
    }

    /// The piece `n` after the next: each piece read in turn, the last read given. Once
    /// the pieces are over every read is `None`, so the `n`th is `None` when there are
    /// fewer. Smaller than std's, which advances by steps first.
    fn nth(&mut self, mut n: usize) -> Option<&'a str> {
        loop {
            let piece = self.next();
            if n == 0 {
                return piece;
            }
            n -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_each_mark_with_the_next_value_in_order() {
        assert_eq!(fill("abcé", &[]), "abcé");
        assert_eq!(fill("", &[]), "");
        assert_eq!(fill("\u{1}", &["x"]), "x");
        assert_eq!(
            fill("a \u{1}, \u{1}\u{1}.", &["é", "", "z\u{1}"]),
            "a é, z\u{1}."
        );
    }

    #[test]
    fn looks_up_a_key_and_its_place() {
        const TABLE: &str = "a\u{1f}x\u{1f}bb\u{1f}\u{1f}c\u{1f}z z\u{1f}";
        assert_eq!(look_up(TABLE, "a"), Some((0, "x")));
        assert_eq!(look_up(TABLE, "bb"), Some((1, "")));
        assert_eq!(look_up(TABLE, "c"), Some((2, "z z")));
        // Values are never taken for keys, nor the empty end for a key.
        for key in ["x", "z z", "", "b", "cc"] {
            assert_eq!(look_up(TABLE, key), None, "{key:?}");
        }
        assert_eq!(look_up("", "a"), None);
    }

    /// Texts with separators at the ends, doubled, absent, and beside multi-byte characters.
    const TEXTS: [&str; 10] = [
        "",
        "&",
        "&&",
        "a",
        "a&b",
        "&a&",
        "é&ü=ß",
        "a=b&c=d=e",
        "日本&語?#x",
        "?#&=é",
    ];

    #[test]
    fn splits_as_std_splits() {
        for text in TEXTS {
            for sep in ['&', '=', '?', '#'] {
                assert_eq!(
                    split_once(text, sep as u8),
                    text.split_once(sep),
                    "{text:?} {sep}"
                );
                assert_eq!(
                    pieces(text, sep as u8).collect::<Vec<_>>(),
                    text.split(sep).collect::<Vec<_>>(),
                    "{text:?} {sep}"
                );
                for n in 0..6 {
                    assert_eq!(
                        pieces(text, sep as u8).nth(n),
                        text.split(sep).nth(n),
                        "{text:?} {sep} {n}"
                    );
                }
            }
        }
    }

    #[test]
    fn trims_as_std_trims() {
        let spaces = [
            "", " ", "\t", "\n", "\r", "\u{c}", "\u{b}", "\u{a0}", "\u{2003}", "\u{3000}",
            "\u{85}", "\u{feff}", "\u{200b}",
        ];
        for text in TEXTS.iter().chain(&["x y", "é", "日本"]) {
            for a in spaces {
                for b in spaces {
                    let padded = format!("{a}{b}{text}{b}{a}");
                    assert_eq!(trim(&padded), padded.trim(), "{padded:?}");
                    assert_eq!(trim_ascii(&padded), padded.trim_ascii(), "{padded:?}");
                }
            }
            let inner = format!(" {text}\u{a0}{text}\t");
            assert_eq!(trim(&inner), inner.trim());
            assert_eq!(trim_ascii(&inner), inner.trim_ascii());
        }
    }

    #[test]
    fn white_space_is_what_std_calls_white_space() {
        for c in char::MIN..=char::MAX {
            let mut buf = [0; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            let n = |space: bool| if space { bytes.len() } else { 0 };
            assert_eq!(space_len(bytes, 0, false), n(c.is_whitespace()), "{c:?}");
            assert_eq!(
                space_len(bytes, 0, true),
                n(c.is_ascii_whitespace()),
                "{c:?}"
            );
            for padded in [format!("{c}x{c}{c}"), format!("{c}{c}")] {
                assert_eq!(trim(&padded), padded.trim(), "{c:?}");
                assert_eq!(trim_ascii(&padded), padded.trim_ascii(), "{c:?}");
            }
        }
    }

    #[test]
    fn compares_in_any_ascii_case_as_std_compares() {
        for text in TEXTS
            .iter()
            .chain(&["Bearer", "BEARER", "bearer", "bearer ", "EU", "gOv", "É"])
        {
            for other in ["", "bearer", "eu", "gov", "a&b", "é", "BeArer", "EU"] {
                assert_eq!(
                    eq_ignore_ascii_case(text, other),
                    text.eq_ignore_ascii_case(other),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn finds_the_first_of_a_set_as_std_finds() {
        for text in TEXTS {
            for set in [&['?', '#'][..], &['/', '?', '#'], &['&', '=']] {
                let bytes: Vec<u8> = set.iter().map(|&c| c as u8).collect();
                assert_eq!(
                    end_of(text, &bytes),
                    text.find(set).unwrap_or(text.len()),
                    "{text:?} {set:?}"
                );
                assert_eq!(before(text, &bytes), text.split(set).next().unwrap());
                for &c in set {
                    assert_eq!(has(text, c as u8), text.contains(c), "{text:?} {c}");
                }
            }
        }
    }
}
