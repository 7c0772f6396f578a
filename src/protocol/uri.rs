//! Just enough of RFC 3986 §3 to check the absolute `http`/`https` URLs this crate handles,
//! without a general URL parser in the wasm binary.

use super::text::{before, end_of, eq_ignore_ascii_case, has, split_once};

/// An absolute `http` or `https` URL split into the parts the checks need.
pub(crate) struct HttpUrl<'a> {
    /// `true` for `https`, and for `http` on the loopback hosts where plain `http` is
    /// acceptable (RFC 8252 §8.3): no one on the network reads what goes there.
    pub trusted: bool,
    /// The host as written.
    #[cfg(test)]
    host: &'a str,
    /// `scheme://host[:port]` as written, without a port that is the scheme's default.
    pub origin: &'a str,
    /// The path, up to the query or the fragment.
    pub path: &'a str,
    /// Whether a query (`?...`) follows the path.
    pub has_query: bool,
    /// Whether the URL ends with a fragment (`#...`).
    pub has_fragment: bool,
}

impl<'a> HttpUrl<'a> {
    /// Splits `text`, or `None` when it is not an absolute `http`/`https` URL with a valid
    /// host (RFC 3986 §3.2.2) and optional numeric port, or contains characters a URL cannot.
    pub fn parse(text: &'a str) -> Option<Self> {
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
        let authority_end = end_of(rest, b"/?#");
        // Two slices rather than `split_at`, whose checked split is linked for this one use.
        let (authority, rest) = (&rest[..authority_end], &rest[authority_end..]);
        let (host, port) = split_port(authority)?;
        if !valid_host(host) {
            return None;
        }
        // The origin is the text up to the path, less the scheme's default port (matched
        // as a pattern) and its colon.
        let mut origin_end = text.len() - rest.len();
        if let Some(p) = port
            && matches!((secure, p), (true, "443") | (false, "80"))
        {
            origin_end -= p.len() + 1;
        }
        // The path ends at the first `?` or `#`; a `?` there starts a query, one after a `#`
        // is the fragment's.
        let path = before(rest, b"?#");
        Some(Self {
            // The loopback hosts compared without a lower-cased copy.
            trusted: secure
                || eq_ignore_ascii_case(host, "localhost")
                || matches!(host, "127.0.0.1" | "[::1]"),
            #[cfg(test)]
            host,
            origin: &text[..origin_end],
            path,
            has_query: matches!(rest.as_bytes().get(path.len()), Some(b'?')),
            has_fragment: has(rest, b'#'),
        })
    }

    /// Lower-cased `scheme://host[:port]`, without a default port, as `location.origin`
    /// spells it.
    pub fn origin(&self) -> String {
        // The origin as written, lower-cased: the scheme and the host in any letter case.
        let mut origin = String::from(self.origin);
        origin.make_ascii_lowercase();
        origin
    }

    /// The host, lower-cased; IPv6 literals keep their brackets.
    #[cfg(test)]
    pub fn host(&self) -> String {
        self.host.to_ascii_lowercase()
    }
}

/// Splits `host[:port]`; a port must be 1 to 5 digits. User info (`user@`) is refused: a
/// credential has no place in any URL this crate accepts.
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

/// An unreserved character (RFC 3986 §2.3): `ALPHA / DIGIT / "-" / "." / "_" / "~"`.
pub(crate) fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Whether every byte of `text` is `allowed`. Taking a function pointer, not a closure,
/// makes one copy of the loop serve every character-class check.
pub(crate) fn only(text: &str, allowed: fn(u8) -> bool) -> bool {
    // A plain loop: `Iterator::all` links a `try_fold` of its own.
    for &b in text.as_bytes() {
        if !allowed(b) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::HttpUrl;

    #[test]
    fn splits_parts() {
        let u = HttpUrl::parse("HTTPS://App.Example.com:8443/cb/x?a=1&b=2#frag").unwrap();
        assert!(u.trusted);
        assert_eq!(u.origin(), "https://app.example.com:8443");
        assert_eq!(u.host(), "app.example.com");
        assert_eq!(u.path, "/cb/x");
        assert!(u.has_query && u.has_fragment);
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
                (u.path, u.has_query, u.has_fragment),
                (path, query, fragment),
                "{url}"
            );
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
}
