//! The configuration's texts read by the runner (`codedText` in `js/element.js`, its `how`
//! 4 to 6), so the element's wasm build carries no reader of them: the absolute `http(s)` URLs the protocol checks, split by one regular
//! expression of the grammar `src/protocol/uri.rs` spells out, and the scope list. The
//! browser tests hold the runner to that grammar (`tests/url_parts.rs`).

/// The runner's reading of `text` as `how` says: `0`, a URL's parts, `1`, a scope list, `2`,
/// an origin in lower case (`codedText`'s `4 + how`).
fn read(text: &str, how: u32) -> String {
    super::text::coded(text, 4 + how)
}

/// Whether `text` is an absolute `http(s)` URL the protocol accepts, and where its parts end:
/// whether it is trusted, the end of its origin (without a port that is the scheme's
/// default) and the end of its authority.
pub fn parts(text: &str) -> Option<(bool, usize, usize)> {
    // Empty, which is no number, when it is not one.
    let n = crate::protocol::decimal::number(&read(text, 0), 10)?;
    let authority_end = (n >> 4) as usize;
    Some((
        n & 1 == 1,
        authority_end.wrapping_sub((n >> 1 & 7) as usize),
        authority_end,
    ))
}

/// The scopes of the space-separated list `text` (RFC 6749 §3.3): its pieces between ASCII
/// white space, the first of duplicates, joined by single spaces; when it has none,
/// [`Scopes::DEFAULT`](crate::protocol::Scopes::DEFAULT), which the runner spells out too.
pub fn scopes(text: &str) -> String {
    read(text, 1)
}

/// The origin `text` (printable ASCII, as [`parts`] found it) in lower case.
pub fn lower(text: &str) -> String {
    read(text, 2)
}
