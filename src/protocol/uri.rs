//! Just enough of RFC 3986 §3 to check the absolute `http`/`https` URLs this crate handles,
//! without a general URL parser in the wasm binary: the grammar below, which the element's
//! wasm build has the runner check instead (`src/browser/url.rs`).

use super::text::{before, has};
#[cfg(any(
    not(all(target_arch = "wasm32", feature = "element")),
    feature = "test-hooks"
))]
use super::text::{end_of, eq_ignore_ascii_case, split_once};

/// An absolute `http` or `https` URL split into the parts the checks need.
pub(crate) struct HttpUrl<'a> {
    /// `true` for `https`, and for `http` on the loopback hosts where plain `http` is
    /// acceptable (RFC 8252 §8.3): no one on the network reads what goes there.
    pub trusted: bool,
    /// `scheme://host[:port]` as written, without a port that is the scheme's default.
    pub origin: &'a str,
    /// The path, up to the query or the fragment.
    pub path: &'a str,
    /// Whether nothing follows the path: no query (`?...`) and no fragment (`#...`).
    pub bare: bool,
    /// Whether the URL ends with a fragment (`#...`).
    pub has_fragment: bool,
}

impl<'a> HttpUrl<'a> {
    /// Splits `text`, or `None` when it is not an absolute `http`/`https` URL with a valid
    /// host (RFC 3986 §3.2.2) and optional numeric port, or contains characters a URL cannot.
    pub fn parse(text: &'a str) -> Option<Self> {
        // The element's wasm build has the runner check the grammar ([`parts`]).
        #[cfg(all(target_arch = "wasm32", feature = "element"))]
        let (trusted, origin_end, authority_end) = crate::browser::url::parts(text)?;
        #[cfg(not(all(target_arch = "wasm32", feature = "element")))]
        let (trusted, origin_end, authority_end) = parts(text)?;
        let rest = text.get(authority_end..)?;
        // The path ends at the first `?` or `#`; a `?` there starts a query, one after a `#`
        // is the fragment's.
        let path = before(rest, b"?#");
        Some(Self {
            trusted,
            // The origin's end is never after the authority's.
            origin: text.get(..origin_end)?,
            path,
            bare: path.len() == rest.len(),
            has_fragment: has(rest, b'#'),
        })
    }

    /// Lower-cased `scheme://host[:port]`, without a default port, as `location.origin`
    /// spells it.
    pub fn origin(&self) -> String {
        // The element's wasm build has the runner lower-case it.
        #[cfg(all(target_arch = "wasm32", feature = "element"))]
        let lower = crate::browser::url::lower;
        // The origin as written, lower-cased: the scheme and the host in any letter case.
        #[cfg(not(all(target_arch = "wasm32", feature = "element")))]
        let lower = |origin: &str| {
            let mut origin = String::from(origin);
            origin.make_ascii_lowercase();
            origin
        };
        lower(self.origin)
    }

    /// The host, lower-cased; IPv6 literals keep their brackets.
    #[cfg(test)]
    pub fn host(&self) -> String {
        let (_, authority) = self.origin.split_once("://").unwrap();
        // A port follows the last `:` that is not inside brackets.
        let host = match authority.rsplit_once(':') {
            Some((host, port)) if !port.contains(']') => host,
            _ => authority,
        };
        host.to_ascii_lowercase()
    }
}

/// What [`HttpUrl::parse`] makes of `text`: whether it is trusted, its origin as written,
/// its path, and whether it has a query and a fragment; `None` when it is not a URL it accepts.
#[cfg(any(test, feature = "test-hooks"))]
pub fn split(text: &str) -> Option<(bool, &str, &str, bool, bool)> {
    HttpUrl::parse(text).map(|u| {
        // A query is what a `?` just after the path starts.
        let after_path = u.path.as_ptr() as usize - text.as_ptr() as usize + u.path.len();
        let has_query = text.as_bytes().get(after_path) == Some(&b'?');
        (u.trusted, u.origin, u.path, has_query, u.has_fragment)
    })
}

/// The URL acceptance table: texts, and what [`split`] makes of each. The unit tests run it
/// through the grammar below, the browser tests through the package's own check (the
/// runner's URL reader in `codedText`). The rejected texts include those the URL Standard's parser (`new
/// URL`) would accept: backslashes for slashes, one slash or none after the scheme, spaces,
/// tabs and line breaks, percent-encoded or non-ASCII hosts, user info, IPv4 numbers in
/// other spellings.
#[cfg(any(test, feature = "test-hooks"))]
#[expect(clippy::type_complexity, reason = "a table of plain tuples")]
pub const URL_CASES: &[(&str, Option<(bool, &str, &str, bool, bool)>)] = &[
    (
        "HTTPS://App.Example.com:8443/cb/x?a=1&b=2#frag",
        Some((true, "HTTPS://App.Example.com:8443", "/cb/x", true, true)),
    ),
    (
        "http://a.com",
        Some((false, "http://a.com", "", false, false)),
    ),
    (
        "http://a.com/p?",
        Some((false, "http://a.com", "/p", true, false)),
    ),
    (
        "http://a.com/p#",
        Some((false, "http://a.com", "/p", false, true)),
    ),
    (
        "http://a.com/p#f?q",
        Some((false, "http://a.com", "/p", false, true)),
    ),
    (
        "http://a.com?q#f",
        Some((false, "http://a.com", "", true, true)),
    ),
    (
        "http://a.com#f",
        Some((false, "http://a.com", "", false, true)),
    ),
    (
        "http://a.com/p?q?r",
        Some((false, "http://a.com", "/p", true, false)),
    ),
    (
        "https://a.com:443/",
        Some((true, "https://a.com", "/", false, false)),
    ),
    (
        "https://a.com:443?q",
        Some((true, "https://a.com", "", true, false)),
    ),
    (
        "http://a.com:80",
        Some((false, "http://a.com", "", false, false)),
    ),
    (
        "HTTP://a.com:80#f",
        Some((false, "HTTP://a.com", "", false, true)),
    ),
    (
        "http://a.com:443",
        Some((false, "http://a.com:443", "", false, false)),
    ),
    (
        "https://a.com:80/",
        Some((true, "https://a.com:80", "/", false, false)),
    ),
    (
        "https://a.com:0443/",
        Some((true, "https://a.com:0443", "/", false, false)),
    ),
    (
        "https://a.com:99999/",
        Some((true, "https://a.com:99999", "/", false, false)),
    ),
    (
        "https://a.com:1",
        Some((true, "https://a.com:1", "", false, false)),
    ),
    (
        "http://[::1]:3000/cb",
        Some((true, "http://[::1]:3000", "/cb", false, false)),
    ),
    (
        "http://[::1]/cb",
        Some((true, "http://[::1]", "/cb", false, false)),
    ),
    (
        "http://[::1]:80/",
        Some((true, "http://[::1]", "/", false, false)),
    ),
    (
        "https://[2001:db8::1]:8443",
        Some((true, "https://[2001:db8::1]:8443", "", false, false)),
    ),
    (
        "http://[:]/",
        Some((false, "http://[:]", "/", false, false)),
    ),
    (
        "http://[::FFFF:1.2.3.4]/",
        Some((false, "http://[::FFFF:1.2.3.4]", "/", false, false)),
    ),
    (
        "http://[0:0:0:0:0:0:0:1]/",
        Some((false, "http://[0:0:0:0:0:0:0:1]", "/", false, false)),
    ),
    (
        "http://localhost/",
        Some((true, "http://localhost", "/", false, false)),
    ),
    (
        "hTtP://LocalHost:8080/",
        Some((true, "hTtP://LocalHost:8080", "/", false, false)),
    ),
    (
        "http://127.0.0.1/",
        Some((true, "http://127.0.0.1", "/", false, false)),
    ),
    (
        "http://localhost.evil.com/",
        Some((false, "http://localhost.evil.com", "/", false, false)),
    ),
    (
        "http://localhost./",
        Some((false, "http://localhost.", "/", false, false)),
    ),
    (
        "http://127.0.0.2/",
        Some((false, "http://127.0.0.2", "/", false, false)),
    ),
    (
        "http://127.1/",
        Some((false, "http://127.1", "/", false, false)),
    ),
    (
        "http://0x7f.0.0.1/",
        Some((false, "http://0x7f.0.0.1", "/", false, false)),
    ),
    (
        "http://[::2]/",
        Some((false, "http://[::2]", "/", false, false)),
    ),
    (
        "https://a_b~c-d.e/",
        Some((true, "https://a_b~c-d.e", "/", false, false)),
    ),
    (
        "https://xn--a.com/",
        Some((true, "https://xn--a.com", "/", false, false)),
    ),
    (
        "https://a.1/",
        Some((true, "https://a.1", "/", false, false)),
    ),
    (
        "https://a.com/x@y\\z`{}|^\"<>",
        Some((true, "https://a.com", "/x@y\\z`{}|^\"<>", false, false)),
    ),
    (
        "https://a.com/%zz//..",
        Some((true, "https://a.com", "/%zz//..", false, false)),
    ),
    (
        "https://a.com?@evil.com",
        Some((true, "https://a.com", "", true, false)),
    ),
    (
        "https://a.com#@evil.com",
        Some((true, "https://a.com", "", false, true)),
    ),
    (
        "https://a.com/#?#",
        Some((true, "https://a.com", "/", false, true)),
    ),
    ("", None),
    ("/relative", None),
    ("ftp://a.com/", None),
    ("https://", None),
    ("https:///path", None),
    ("https://?", None),
    ("https://#", None),
    ("https://:443/", None),
    ("https://user@a.com/", None),
    ("https://user:pw@a.com/", None),
    ("https://@a.com/", None),
    ("https://a.com@b.com/", None),
    ("https://a.com:443@b.com/", None),
    ("https://a.com:/", None),
    ("https://a.com:", None),
    ("https://a.com::", None),
    ("https://a.com:port/", None),
    ("https://a.com:+1/", None),
    ("https://a.com:-1/", None),
    ("https://a.com:123456/", None),
    ("https://a.com:1:2/", None),
    ("https://a b.com/", None),
    ("https://a.com/pa th", None),
    (" https://a.com/", None),
    ("https://a.com/ ", None),
    ("\thttps://a.com/", None),
    ("https://a.com/\t", None),
    ("https://a\t.com/", None),
    ("https://a.com/\n", None),
    ("https://a.com/\r\n", None),
    ("https://a.com/\u{7f}", None),
    ("https://a.com/\u{0}", None),
    ("https://a.com/é", None),
    ("https://é.com/", None),
    ("https://\u{ff41}.com/", None),
    ("https://%61.com/", None),
    ("https://a%2ecom/", None),
    ("https://a!b.com/", None),
    ("https://a$b.com/", None),
    ("https://a.com\\evil.com/", None),
    ("https://a.com\\@evil.com/", None),
    ("https://[zz]/", None),
    ("https://[::1/", None),
    ("https://[]/", None),
    ("https://[/", None),
    ("https://]/", None),
    ("https://a.com]/", None),
    ("https://[::1]x/", None),
    ("https://[::1]]/", None),
    ("https://[::1]:/", None),
    ("https://[::1]:x/", None),
    ("https://[::1]::1/", None),
    ("https://[1.2.3.4]/", None),
    ("https://[v1.x]/", None),
    ("https://[::1%25eth0]/", None),
    ("https:a.com", None),
    ("https:/a.com", None),
    ("HTTPS:/a.com", None),
    ("https:\\\\a.com", None),
    ("https:/\\a.com", None),
    ("https:\\/a.com", None),
    ("https//a.com", None),
    ("https ://a.com", None),
    ("http s://a.com", None),
    ("https\u{0}://a.com", None),
    ("httpss://a.com", None),
    ("htt://a.com", None),
    ("h:ttps://a.com", None),
    ("https:://a.com", None),
    ("x://https://a.com", None),
    ("javascript://a.com/%0aalert(1)", None),
];

/// Whether `text` is an absolute `http`/`https` URL with a valid host (RFC 3986 §3.2.2) and
/// optional numeric port, of characters a URL can hold, and where its parts end: whether it
/// is trusted (`https`, or `http` on a loopback host), the end of its origin (without a port
/// that is the scheme's default) and the end of its authority. The element's wasm build
/// has the runner check the same grammar (`src/browser/url.rs`), which the browser tests
/// compare with this one.
#[cfg(any(
    not(all(target_arch = "wasm32", feature = "element")),
    feature = "test-hooks"
))]
pub fn parts(text: &str) -> Option<(bool, usize, usize)> {
    if !only(text, |b| b.is_ascii_graphic()) {
        return None;
    }
    // A scheme has no colon (RFC 3986 §3.1), so the first one ends it; searching for a
    // single character keeps the substring searcher out of this parser.
    let (scheme, rest) = split_once(text, b':')?;
    // The scheme in any letter case (RFC 3986 §3.1).
    let secure = if eq_ignore_ascii_case(scheme, "https") {
        true
    } else if eq_ignore_ascii_case(scheme, "http") {
        false
    } else {
        return None;
    };
    // Slice patterns rather than `strip_prefix` and `strip_suffix`, which each link a
    // searcher's prefix test for a handful of uses.
    let rest = match rest.as_bytes() {
        [b'/', b'/', ..] => &rest[2..],
        _ => return None,
    };
    let authority = &rest[..end_of(rest, b"/?#")];
    let (host, port) = split_port(authority)?;
    if !valid_host(host) {
        return None;
    }
    // The origin is the text up to the path, less the scheme's default port (matched
    // as a pattern) and its colon.
    let authority_end = text.len() - rest.len() + authority.len();
    let mut origin_end = authority_end;
    if let Some(p) = port
        && matches!((secure, p), (true, "443") | (false, "80"))
    {
        origin_end -= p.len() + 1;
    }
    Some((
        // The loopback hosts compared without a lower-cased copy.
        secure || eq_ignore_ascii_case(host, "localhost") || matches!(host, "127.0.0.1" | "[::1]"),
        origin_end,
        authority_end,
    ))
}

/// Splits `host[:port]`; a port must be 1 to 5 digits. User info (`user@`) is refused: a
/// credential has no place in any URL this crate accepts.
#[cfg(any(
    not(all(target_arch = "wasm32", feature = "element")),
    feature = "test-hooks"
))]
fn split_port(authority: &str) -> Option<(&str, Option<&str>)> {
    // A byte loop from the end to the last `:` or `]` (`rfind` would link `memrchr` and a
    // reverse searcher): a port follows a `:` with no `]` after it, as an IPv6 literal's
    // colons are inside its brackets.
    let bytes = authority.as_bytes();
    let mut end = bytes.len();
    while end > 0 && !matches!(bytes[end - 1], b':' | b']') {
        end -= 1;
    }
    if end == 0 || bytes[end - 1] == b']' {
        return Some((authority, None));
    }
    let (host, port) = (&authority[..end - 1], &authority[end..]);
    if port.is_empty() || port.len() > 5 || !only(port, |b| b.is_ascii_digit()) {
        return None;
    }
    Some((host, Some(port)))
}

#[cfg(any(
    not(all(target_arch = "wasm32", feature = "element")),
    feature = "test-hooks"
))]
fn valid_host(host: &str) -> bool {
    match host.as_bytes() {
        [b'[', .., b']'] => {
            let ip = &host[1..host.len() - 1];
            has(ip, b':') && only(ip, |b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        }
        [b'[', ..] => false,
        _ => !host.is_empty() && only(host, unreserved),
    }
}

/// The unreserved characters (RFC 3986 §2.3) as bits, those of ASCII `0..64` then those of
/// `64..128`: `ALPHA / DIGIT / "-" / "." / "_" / "~"`.
const UNRESERVED: [u64; 2] = {
    let mut bits = [0; 2];
    let mut b: u8 = 0;
    while b < 128 {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            bits[b as usize / 64] |= 1 << (b % 64);
        }
        b += 1;
    }
    bits
};

/// An unreserved character (RFC 3986 §2.3): `ALPHA / DIGIT / "-" / "." / "_" / "~"`, its
/// bit looked up rather than its classes compared.
pub(crate) fn unreserved(b: u8) -> bool {
    UNRESERVED
        .get(usize::from(b / 64))
        .is_some_and(|bits| bits >> (b % 64) & 1 == 1)
}

/// Whether every byte of `text` is `allowed`. Taking a function pointer, not a closure,
/// makes one copy of the loop serve every character-class check.
pub(crate) fn only(text: &str, allowed: fn(u8) -> bool) -> bool {
    // A plain loop by index: `Iterator::all` links a `try_fold` of its own, and a `for`
    // over the bytes calls the slice's `into_iter` out of line.
    let mut i = 0;
    while let Some(&b) = text.as_bytes().get(i) {
        if !allowed(b) {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::{HttpUrl, URL_CASES, split};

    #[test]
    fn the_acceptance_table() {
        for &(text, expected) in URL_CASES {
            assert_eq!(split(text), expected, "{text:?}");
        }
    }

    #[test]
    fn splits_parts() {
        let u = HttpUrl::parse("HTTPS://App.Example.com:8443/cb/x?a=1&b=2#frag").unwrap();
        assert!(u.trusted);
        assert_eq!(u.origin(), "https://app.example.com:8443");
        assert_eq!(u.host(), "app.example.com");
        assert_eq!(u.path, "/cb/x");
        assert!(!u.bare && u.has_fragment);
        for (url, path, query, fragment) in [
            ("http://a.com", "", false, false),
            ("http://a.com/p?", "/p", true, false),
            ("http://a.com/p#", "/p", false, true),
            ("http://a.com/p#f?q", "/p", false, true),
            ("http://a.com?q#f", "", true, true),
            ("http://a.com/p?q?r", "/p", true, false),
        ] {
            let u = HttpUrl::parse(url).unwrap();
            assert_eq!(
                (u.path, u.bare, u.has_fragment),
                (path, !query && !fragment, fragment),
                "{url}"
            );
            assert_eq!(split(url).unwrap().3, query, "{url}");
        }
    }

    #[test]
    fn default_port_leaves_the_origin() {
        assert_eq!(
            HttpUrl::parse("https://a.com:443/").unwrap().origin(),
            "https://a.com"
        );
        assert_eq!(
            HttpUrl::parse("http://a.com:80").unwrap().origin(),
            "http://a.com"
        );
        assert_eq!(
            HttpUrl::parse("http://a.com:443").unwrap().origin(),
            "http://a.com:443"
        );
    }

    #[test]
    fn ipv6_and_loopback() {
        let u = HttpUrl::parse("http://[::1]:3000/cb").unwrap();
        assert_eq!(u.origin(), "http://[::1]:3000");
        assert!(u.trusted);
        let u = HttpUrl::parse("http://[::1]/cb").unwrap();
        assert_eq!(u.origin(), "http://[::1]");
        assert_eq!(u.host(), "[::1]");
        assert_eq!(
            HttpUrl::parse("https://[2001:db8::1]:8443")
                .unwrap()
                .origin(),
            "https://[2001:db8::1]:8443"
        );
        for (url, trusted) in [
            ("http://localhost/", true),
            ("http://LocalHost:8080/", true),
            ("http://127.0.0.1/", true),
            ("https://a.example/", true),
            ("HTTPS://a.example/", true),
            ("http://localhost.evil.com/", false),
            ("http://127.0.0.2/", false),
            ("http://[::2]/", false),
            ("http://a.example/", false),
        ] {
            assert_eq!(HttpUrl::parse(url).unwrap().trusted, trusted, "{url}");
        }
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "/relative",
            "ftp://a.com/",
            "https://",
            "https:///path",
            "https://user@a.com/",
            "https://a.com:/",
            "https://a.com:port/",
            "https://a.com:123456/",
            "https://a b.com/",
            "https://a.com/pa th",
            "https://[zz]/",
            "https://[::1/",
            "https://[]/",
            "https://[/",
            "https://]/",
            "https://[::1]x/",
            "https://[::1]:/",
            "https://[::1]:x/",
            "https://a.com:1:2/",
            "https://é.com/",
            "https:a.com",
            "https:/a.com",
            "h:ttps://a.com",
            "https:://a.com",
            "x://https://a.com",
        ] {
            assert!(HttpUrl::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn arbitrary_input_does_not_panic() {
        for s in crate::protocol::test_support::arbitrary_strings() {
            let _ = HttpUrl::parse(&s);
        }
    }

    /// The bits hold exactly RFC 3986's unreserved characters, of every byte.
    #[test]
    fn unreserved_bytes() {
        for b in 0..=u8::MAX {
            let expected = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
            assert_eq!(super::unreserved(b), expected, "{b}");
        }
    }
}
