//! Newtypes for the protocol's values, so a client ID cannot be passed where a redirect URI
//! is expected and a secret cannot be printed by accident.

use std::fmt;

use super::base64url;
use super::error::{ErrorCode, SigninError};
use super::uri::HttpUrl;

macro_rules! public_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value as received or as read back from storage.
            pub fn new(value: String) -> Self {
                Self(value)
            }

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

macro_rules! secret_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// `Debug` prints `[redacted]`; the value is reachable only through `secret()`.
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value as received.
            pub fn new(value: String) -> Self {
                Self(value)
            }

            /// The secret value itself; keep it out of logs and error messages.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

public_value!(
    /// The connected app's client identifier (RFC 6749 §2.2).
    ClientId
);
public_value!(
    /// The opaque value binding a callback to the request that caused it (RFC 6749 §10.12).
    State
);
public_value!(
    /// The value binding an ID token to the request that asked for it (OpenID Connect Core
    /// 1.0 §3.1.2.1).
    Nonce
);

impl State {
    /// A state carrying 256 bits of the caller's randomness, base64url-encoded.
    pub fn from_random(bytes: &[u8; 32]) -> Self {
        Self(base64url::encode(bytes))
    }
}

impl Nonce {
    /// A nonce carrying 256 bits of the caller's randomness, base64url-encoded.
    pub fn from_random(bytes: &[u8; 32]) -> Self {
        Self(base64url::encode(bytes))
    }
}

secret_value!(
    /// The one-time code returned to the redirect URI (RFC 6749 §4.1.2).
    AuthorizationCode
);
secret_value!(
    /// A bearer access token (RFC 6749 §1.4, RFC 6750).
    AccessToken
);
secret_value!(
    /// A refresh token (RFC 6749 §1.5).
    RefreshToken
);
secret_value!(
    /// An ID token as a compact JWT (OpenID Connect Core 1.0 §2).
    IdToken
);

/// Where the authorization server sends the browser back (RFC 6749 §3.1.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectUri {
    value: String,
    origin: String,
    without_query: String,
}

impl RedirectUri {
    /// Accepts an absolute `http` or `https` URL with a host and no fragment
    /// (RFC 6749 §3.1.2). The value is kept exactly as given, since authorization servers
    /// compare it as a string with the registered one (RFC 6749 §3.1.2.3).
    pub fn parse(value: &str) -> Result<Self, SigninError> {
        // What is wrong with the value, for the one error below.
        let why = match HttpUrl::parse(value) {
            None => "is not an absolute http or https URL",
            Some(url) if url.has_fragment => "has a fragment (#...), which a redirect URI must not",
            Some(url) => {
                let path = if url.path.is_empty() { "/" } else { url.path };
                let origin = url.origin();
                let mut without_query = origin.clone();
                without_query.push_str(path);
                return Ok(Self {
                    without_query,
                    origin,
                    value: value.into(),
                });
            }
        };
        Err(SigninError::filled(
            ErrorCode::InvalidRedirectUri,
            "The redirecturi attribute \"\u{1}\" \u{1}: set it to one of your connected app's redirect URIs.",
            &[value, why],
        ))
    }

    /// The redirect URI as configured.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// `scheme://host[:port]`, normalized like `location.origin`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// `scheme://host[:port]/path`, normalized like `location.origin + location.pathname`,
    /// to recognize that the current page is the redirect target.
    pub fn without_query(&self) -> &str {
        &self.without_query
    }
}

/// Where the browser goes after sign-out (the `logouturl` attribute): an absolute `http` or
/// `https` URL, so that a `javascript:` or `data:` value can never run in the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogoutUrl(String);

impl LogoutUrl {
    /// Accepts an absolute `http` or `https` URL with a host (RFC 3986 §4.3).
    pub fn parse(value: &str) -> Result<Self, SigninError> {
        match HttpUrl::parse(value) {
            Some(_) => Ok(Self(value.into())),
            None => Err(SigninError::filled(
                ErrorCode::InvalidLogoutUrl,
                "The logouturl attribute \"\u{1}\" is not an absolute http or https URL: set it to the full address of the page to show after sign-out.",
                &[value],
            )),
        }
    }

    /// The URL as configured.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The app's backend that exchanges the code with the client secret (the `exchangeurl`
/// attribute). The code and its PKCE verifier go there, so it must be the page's own origin,
/// or `https` where no one on the network can read them (plain `http` on loopback hosts only,
/// as for the issuer, for local development).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeUrl(String);

impl ExchangeUrl {
    /// Accepts `resolved`, the attribute `written` resolved against the page's address (so a
    /// path such as `/api/token` is the page's origin), when it is an `http(s)` URL on
    /// `page_origin`, an `https` URL or an `http` URL on a loopback host, without user info or
    /// fragment.
    pub fn parse(written: &str, resolved: &str, page_origin: &str) -> Result<Self, SigninError> {
        let acceptable = HttpUrl::parse(resolved).is_some_and(|u| {
            // Origins compare in any ASCII letter case, without a lower-cased copy.
            (u.trusted || super::text::eq_ignore_ascii_case(page_origin, u.origin))
                && !u.has_fragment
        });
        if acceptable {
            Ok(Self(resolved.into()))
        } else {
            Err(SigninError::filled(
                ErrorCode::InvalidExchangeUrl,
                "The exchangeurl attribute \"\u{1}\" is neither on this page's origin nor an https URL, so the code and its PKCE verifier would travel where others can read them: use a path on this site or an https URL.",
                &[written],
            ))
        }
    }

    /// The absolute URL to POST the code to.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An authorization server's issuer identifier (RFC 8414 §2, OpenID Connect Discovery 1.0
/// §3), compared as an exact string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuerUrl(String);

impl IssuerUrl {
    /// Accepts an `https` URL without query or fragment (RFC 8414 §2), or `http` for
    /// loopback hosts only. A trailing slash is kept as given: issuers are compared exactly
    /// (OpenID Connect Discovery 1.0 §4.3).
    pub fn parse(value: &str) -> Result<Self, SigninError> {
        let acceptable = HttpUrl::parse(value).is_some_and(|u| u.trusted && u.bare);
        if acceptable {
            Ok(Self(value.into()))
        } else {
            Err(SigninError::filled(
                ErrorCode::InvalidIssuer,
                "The issuer \"\u{1}\" is not an https URL without query or fragment (plain http is allowed only for localhost): set the issuer attribute to your authorization server's issuer, or use the region attribute.",
                &[value],
            ))
        }
    }

    /// The issuer exactly as configured.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The scopes requested (RFC 6749 §3.3), in order and without duplicates, kept as the
/// `scope` parameter value: joined by single spaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scopes(String);

impl Scopes {
    /// Scopes requested when the `scopes` attribute is blank.
    pub const DEFAULT: &'static str = "openid profile";

    /// Splits a space-separated scope list (RFC 6749 §3.3) on ASCII whitespace, keeping the
    /// first of duplicates; a blank list means [`Scopes::DEFAULT`].
    pub fn parse(value: &str) -> Self {
        // The element's wasm build has the runner split them, the default included.
        #[cfg(all(target_arch = "wasm32", feature = "element"))]
        let scopes = crate::browser::url::scopes(value);
        #[cfg(not(all(target_arch = "wasm32", feature = "element")))]
        let mut scopes = Self::split(value);
        // No piece: the list was blank. The default is written as the list would be.
        #[cfg(not(all(target_arch = "wasm32", feature = "element")))]
        if scopes.is_empty() {
            scopes.push_str(Self::DEFAULT);
        }
        Self(scopes)
    }

    /// The scopes of `value` between ASCII white space, the first of duplicates, joined by
    /// single spaces; empty when there are none.
    #[cfg(not(all(target_arch = "wasm32", feature = "element")))]
    fn split(value: &str) -> String {
        let mut scopes = String::new();
        // The pieces between ASCII white space, as `split_ascii_whitespace` yields them, found
        // with the byte search of `text` rather than std's split iterators.
        let mut rest = value;
        loop {
            let end = super::text::end_of(rest, b" \t\n\x0c\r");
            let s = &rest[..end];
            if !s.is_empty() && !Self::has(&scopes, s) {
                if !scopes.is_empty() {
                    scopes.push(' ');
                }
                scopes.push_str(s);
            }
            if end == rest.len() {
                break;
            }
            rest = &rest[end + 1..];
        }
        scopes
    }

    /// Whether the space-separated `scopes` hold `scope`.
    fn has(scopes: &str, scope: &str) -> bool {
        super::text::pieces(scopes, b' ').any(|s| s == scope)
    }

    /// The `scope` parameter value: scopes joined by single spaces (RFC 6749 §3.3).
    pub fn as_param(&self) -> String {
        self.0.clone()
    }

    /// [`Scopes::as_param`], borrowed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `scope` is requested.
    pub fn contains(&self, scope: &str) -> bool {
        Self::has(&self.0, scope)
    }

    /// The scopes in request order.
    pub fn as_slice(&self) -> Vec<&str> {
        super::text::pieces(&self.0, b' ').collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug() {
        let code = AuthorizationCode::new("c0de".into());
        assert_eq!(format!("{code:?}"), "AuthorizationCode([redacted])");
        assert_eq!(code.secret(), "c0de");
        for shown in [
            format!("{:?}", AccessToken::new("at-secret".into())),
            format!("{:?}", RefreshToken::new("rt-secret".into())),
            format!("{:?}", IdToken::new("id-secret".into())),
        ] {
            assert!(shown.contains("[redacted]"), "{shown}");
            assert!(!shown.contains("secret"), "{shown}");
        }
    }

    #[test]
    fn state_and_nonce_from_random() {
        let s = State::from_random(&[0xff; 32]);
        assert_eq!(s.as_str(), format!("{}8", "_".repeat(42)));
        assert_eq!(Nonce::from_random(&[0; 32]).as_str(), "A".repeat(43));
        assert_eq!(State::new("abc".into()).as_str(), "abc");
    }

    #[test]
    fn redirect_uri_parts() {
        let r = RedirectUri::parse("https://App.example.com:443/cb?x=1").unwrap();
        assert_eq!(r.as_str(), "https://App.example.com:443/cb?x=1");
        assert_eq!(r.origin(), "https://app.example.com");
        assert_eq!(r.without_query(), "https://app.example.com/cb");
        let bare = RedirectUri::parse("http://localhost:8080").unwrap();
        assert_eq!(bare.without_query(), "http://localhost:8080/");
    }

    #[test]
    fn redirect_uri_rejections() {
        for bad in [
            "",
            "/cb",
            "app.example.com/cb",
            "javascript:alert(1)",
            "https:///cb",
        ] {
            let e = RedirectUri::parse(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidRedirectUri, "{bad}");
            assert!(e.description.contains("not an absolute"), "{bad}");
        }
        let e = RedirectUri::parse("https://a.com/cb#x").unwrap_err();
        assert!(e.description.contains("fragment"));
    }

    #[test]
    fn logout_url_is_absolute_http_only() {
        for good in [
            "https://anypoint.mulesoft.com/logout",
            "http://localhost:8080/",
        ] {
            assert_eq!(LogoutUrl::parse(good).unwrap().as_str(), good);
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(document.cookie)",
            "data:text/html,<script>alert(1)</script>",
            "/signed-out",
            "//evil.example/",
            "vbscript:x",
            "https://user:pw@evil.example/",
            " https://a.com/",
        ] {
            let e = LogoutUrl::parse(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidLogoutUrl, "{bad}");
            assert!(e.description.contains("logouturl"), "{bad}");
        }
    }

    #[test]
    fn exchange_url_is_same_origin_or_https() {
        let page = "http://app.example:8080";
        let cases = [
            ("/api/token", "http://app.example:8080/api/token", true),
            ("https://api.example/x", "https://api.example/x", true),
            ("http://api.example/x", "http://api.example/x", false),
            ("http://127.0.0.1:9/x", "http://127.0.0.1:9/x", true),
            ("//evil.example/x", "http://evil.example/x", false),
            ("/\\evil.example/x", "http://evil.example/x", false),
            ("javascript:alert(1)", "javascript:alert(1)", false),
            (
                "http://app.example:8080/x#f",
                "http://app.example:8080/x#f",
                false,
            ),
            ("http://[", "", false),
        ];
        for (written, resolved, ok) in cases {
            let r = ExchangeUrl::parse(written, resolved, page);
            assert_eq!(r.is_ok(), ok, "{written}");
            if let Err(e) = r {
                assert_eq!(e.code, ErrorCode::InvalidExchangeUrl);
                assert!(e.description.contains(written));
            }
        }
        // Origins compare without regard to ASCII case, and only as a whole.
        let resolved = "http://App.Example:8080/api";
        assert!(ExchangeUrl::parse("/api", resolved, "HTTP://APP.example:8080").is_ok());
        for other in [
            "http://app.example:8081",
            "http://app.example",
            "http://app.example:8080/",
            "http://app.examplé:8080",
        ] {
            assert!(
                ExchangeUrl::parse("/api", resolved, other).is_err(),
                "{other}"
            );
        }
    }

    #[test]
    fn issuer_rules() {
        let kept = "https://anypoint.mulesoft.com/accounts/api/v2/oauth2/";
        assert_eq!(IssuerUrl::parse(kept).unwrap().as_str(), kept);
        assert!(IssuerUrl::parse("http://localhost:3000/oauth2").is_ok());
        assert!(IssuerUrl::parse("http://127.0.0.1/").is_ok());
        assert!(IssuerUrl::parse("http://[::1]:9/").is_ok());
        for bad in [
            "http://anypoint.mulesoft.com/accounts",
            "https://a.com/?tenant=1",
            "https://a.com/#x",
            "anypoint.mulesoft.com",
        ] {
            assert_eq!(
                IssuerUrl::parse(bad).unwrap_err().code,
                ErrorCode::InvalidIssuer
            );
        }
    }

    #[test]
    fn scopes_split_dedup_and_default() {
        let s = Scopes::parse("  openid\tread:full openid\nprofile ");
        assert_eq!(s.as_param(), "openid read:full profile");
        assert!(s.contains("read:full"));
        assert!(!s.contains("read"));
        assert_eq!(Scopes::parse("").as_param(), "openid profile");
        assert_eq!(Scopes::parse(" \t").as_slice(), ["openid", "profile"]);
    }

    /// Scopes split as `split_ascii_whitespace` splits, the first of duplicates kept.
    #[test]
    fn scopes_split_as_std_splits() {
        for text in [
            "a",
            " a",
            "a ",
            "a  b",
            "\x0ca\rb\x0bc",
            "é\u{a0}ü b",
            "a b a c b",
            "\ta\n\n",
            "日本 語",
        ] {
            let mut expected: Vec<&str> = Vec::new();
            for s in text.split_ascii_whitespace() {
                if !expected.contains(&s) {
                    expected.push(s);
                }
            }
            assert_eq!(Scopes::parse(text).as_slice(), expected, "{text:?}");
        }
    }

    /// The element's wasm build has the runner split the scopes: it writes the same default
    /// for a blank list (the browser tests run the split itself).
    #[test]
    fn the_runner_writes_the_default_scopes() {
        let runner = include_str!("../../js/element.js");
        assert!(runner.contains(&format!(".join(' ') || '{}'", Scopes::DEFAULT)));
    }

    #[test]
    fn arbitrary_input_does_not_panic() {
        for s in crate::protocol::test_support::arbitrary_strings() {
            let _ = (
                RedirectUri::parse(&s),
                IssuerUrl::parse(&s),
                Scopes::parse(&s),
            );
        }
    }
}
