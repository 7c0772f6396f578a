//! The authorization response at the redirect URI (RFC 6749 §4.1.2, §4.1.2.1) and its
//! issuer identifier (RFC 9207).

use super::error::{ErrorCode, SigninError};
use super::stored;
use super::types::{AuthorizationCode, State};
use super::uri::only;

/// A parsed authorization response: a success (RFC 6749 §4.1.2) carries a `code`, an error
/// (§4.1.2.1) an `error` and the rest when the server sent them; exactly one of `code` and
/// `error` is there, and always a `state` ([`parse_callback`] sees to it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Callback {
    /// The authorization code, when the user approved.
    pub code: Option<AuthorizationCode>,
    /// The state sent in the request, which ties the response to a pending sign-in.
    pub state: State,
    /// The OAuth error code, e.g. `access_denied`, when the server refused.
    pub error: Option<String>,
    /// Human-readable detail from the server about its error.
    pub error_description: Option<String>,
    /// A page about the error.
    pub error_uri: Option<String>,
    /// The authorization server's issuer identifier, when it sends one (RFC 9207 §2).
    pub iss: Option<String>,
}

impl Callback {
    /// The `iss` parameter (RFC 9207 §2), on success and error responses alike.
    pub fn iss(&self) -> Option<&str> {
        self.iss.as_deref()
    }

    /// The code to exchange: first [`check_issuer`] (RFC 9207 §2.4) on every response,
    /// errors included, since a mix-up attacker can forge an error as easily as a code; then
    /// an error response becomes the provider's error ([`SigninError::from_provider`]), its
    /// parameters moved into it.
    #[expect(
        clippy::question_mark,
        reason = "`?` on the issuer check's result costs code here"
    )]
    pub fn checked_code(
        &mut self,
        expected_issuer: &str,
        iss_parameter_supported: bool,
    ) -> Result<&AuthorizationCode, SigninError> {
        if let Err(e) = check_issuer(self.iss(), expected_issuer, iss_parameter_supported) {
            return Err(e);
        }
        match &self.code {
            Some(code) => Ok(code),
            None => Err(SigninError::from_provider_owned(
                self.error.take().unwrap_or_default(),
                self.error_description.take(),
                self.error_uri.as_deref(),
            )),
        }
    }
}

/// Longest value of a response parameter, in bytes: codes and states are a few hundred characters at
/// most, and a longer value is an attempt to flood the page, its storage or its messages.
pub const MAX_PARAM_LEN: usize = 8192;

/// The response parameters this module reads (the first six; others, e.g. the app's own
/// query, are ignored), then the `session_state` of OpenID Connect Session Management, which
/// leaves the page's address with them; each ended by U+001F but the last, a table of names
/// as one text, which compresses far better than a table of pointers and lengths.
const KNOWN: &str =
    "code\u{1f}state\u{1f}error\u{1f}error_description\u{1f}error_uri\u{1f}iss\u{1f}session_state";

/// Whether the `&`-separated `piece` of a query holds no parameter (it is empty) or a
/// parameter of an authorization response: one this module reads, or `session_state`.
pub(crate) fn is_response_piece(piece: &str) -> bool {
    // Read as a text of its own, in which only a name not among them is refused.
    stored::scan(piece, KNOWN, &mut [None; 7], true, false, usize::MAX).is_ok()
}

/// Parses an authorization response (RFC 6749 §4.1.2, §4.1.2.1; RFC 9207 §2) from the
/// redirect URI's query or fragment, given without its leading `?` or `#`.
///
/// Rejects, as RFC 6749 requires: a repeated response parameter (§3.1), a response with
/// neither or both of `code` and `error`, an empty `code`, an `error` outside NQSCHAR
/// (§4.1.2.1, Appendix A.7); a value longer than [`MAX_PARAM_LEN`]; and a response without
/// `state` (`missing_state`), which cannot be matched to a sign-in, an error response too.
pub fn parse_callback(params: &str) -> Result<Callback, SigninError> {
    let invalid = |why: &str| {
        SigninError::filled(
            ErrorCode::InvalidCallback,
            "The sign-in callback is malformed: \u{1}.",
            &[why],
        )
    };
    let mut values = [None; 6];
    // Unknown parameters are ignored: a stop names one of `KNOWN`.
    if let Err((i, why)) = stored::scan(params, KNOWN, &mut values, false, true, MAX_PARAM_LEN) {
        return Err(SigninError::filled(
            ErrorCode::InvalidCallback,
            "The sign-in callback is malformed: the parameter \u{1}\u{1}.",
            &[super::text::piece(KNOWN, 0x1f, i), why],
        ));
    }
    // Everything is checked on the values as written: a value is empty when its text is.
    // NQSCHAR = %x20-21 / %x23-5B / %x5D-7E (RFC 6749 Appendix A).
    let nqschar = |b: u8| matches!(b, 0x20..=0x7e) && b != b'"' && b != b'\\';
    let why = match (values[0], values[2]) {
        (Some(_), Some(_)) => "it carries both code and error",
        (None, None) => "it carries neither code nor error",
        (Some(""), None) => "the code parameter is empty",
        (None, Some(error)) if error.is_empty() || !only(&stored::decode(error), nqschar) => {
            "the error parameter has characters RFC 6749 forbids"
        }
        _ => "",
    };
    if !why.is_empty() {
        return Err(invalid(why));
    }
    // An empty state is none.
    if let Some("") = values[1] {
        values[1] = None;
    }
    // A response without a state cannot be tied to any sign-in.
    let value = |i: usize| values[i].map(stored::decode);
    let Some(state) = value(1) else {
        return Err(SigninError::new(
            ErrorCode::MissingState,
            match values[0] {
                Some(_) => {
                    "The sign-in callback carries no state, so it cannot be matched to a sign-in this page started: start the sign-in again."
                }
                None => {
                    "The authorization server's answer has no state parameter, so it cannot be matched to a sign-in started here."
                }
            },
        ));
    };
    Ok(Callback {
        code: value(0).map(AuthorizationCode::new),
        state: State::new(state),
        error: value(2),
        error_description: value(3),
        error_uri: value(4),
        iss: value(5),
    })
}

/// Whether the page's query or fragment (without `?`/`#`) looks like an authorization
/// response, i.e. has a `code`, `error` or `state` parameter, so a page can tell a callback
/// from an ordinary visit before committing to parse it.
pub fn looks_like_callback(params: &str) -> bool {
    // `KNOWN` starts with `code`, `state` and `error`, the parameters that mark a response.
    let mut values = [None; 3];
    stored::read(params, KNOWN, &mut values, false);
    matches!(values, [Some(_), _, _] | [_, Some(_), _] | [_, _, Some(_)])
}

/// Checks the authorization response's `iss` (RFC 9207 §2.4): when present it must equal the
/// expected issuer exactly; when the provider advertises
/// `authorization_response_iss_parameter_supported` it must be present.
pub fn check_issuer(
    iss: Option<&str>,
    expected: &str,
    iss_parameter_supported: bool,
) -> Result<(), SigninError> {
    // Each sentence is joined once, without a temporary for its middle part.
    const MIX_UP: &str =
        ": it may be a mix-up attack, or the issuer attribute does not match the server.";
    let (template, args): (_, &[&str]) = match iss {
        Some(iss) if iss == expected => return Ok(()),
        Some(iss) => (
            "The sign-in callback comes from the issuer \"\u{1}\", not \"\u{1}\"\u{1}",
            &[iss, expected, MIX_UP],
        ),
        None if iss_parameter_supported => (
            "The sign-in callback lacks the iss parameter that \"\u{1}\" promises to send\u{1}",
            &[expected, MIX_UP],
        ),
        None => return Ok(()),
    };
    Err(SigninError::filled(
        ErrorCode::IssuerMismatch,
        template,
        args,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err_code(params: &str) -> ErrorCode {
        parse_callback(params).unwrap_err().code
    }

    #[test]
    fn success() {
        let cb = parse_callback("code=abc%2B1&state=xyz&iss=https%3A%2F%2Fas.example&extra=1");
        assert_eq!(
            cb.unwrap(),
            Callback {
                code: Some(AuthorizationCode::new("abc+1".into())),
                state: State::new("xyz".into()),
                error: None,
                error_description: None,
                error_uri: None,
                iss: Some("https://as.example".into()),
            }
        );
    }

    #[test]
    fn error_response() {
        let cb = parse_callback(
            "error=access_denied&error_description=User+said+no&error_uri=https%3A%2F%2Fh&state=s",
        );
        assert_eq!(
            cb.unwrap(),
            Callback {
                code: None,
                error: Some("access_denied".into()),
                error_description: Some("User said no".into()),
                error_uri: Some("https://h".into()),
                state: State::new("s".into()),
                iss: None,
            }
        );
    }

    #[test]
    fn missing_state() {
        for params in ["code=abc", "code=abc&state="] {
            let e = parse_callback(params).unwrap_err();
            assert_eq!(
                (e.code, e.description.as_str()),
                (
                    ErrorCode::MissingState,
                    "The sign-in callback carries no state, so it cannot be matched to a sign-in this page started: start the sign-in again."
                ),
                "{params}"
            );
        }
    }

    #[test]
    fn malformed_callbacks() {
        for bad in [
            "",
            "state=xyz",
            "foo=bar",
            "code=&state=xyz",
            "code=a&code=b&state=xyz",
            "code=a&state=x&state=y",
            "error=a&error=b&state=x",
            "code=a&error=access_denied&state=x",
            "error=&state=x",
            "error=bad%22quote&state=x",
            "error=back%5Cslash&state=x",
            "error=%C3%A9&state=x",
            "error=new%0Aline&state=x",
        ] {
            assert_eq!(err_code(bad), ErrorCode::InvalidCallback, "{bad}");
        }
    }

    /// Regression: callback parameters of any length were kept, shown and sent on.
    #[test]
    fn oversized_parameters_are_refused() {
        let long = "a".repeat(MAX_PARAM_LEN + 1);
        for params in [
            format!("code={long}&state=s"),
            format!("code=c&state={long}"),
            format!("error=access_denied&state=s&error_description={long}"),
        ] {
            let e = parse_callback(&params).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidCallback);
            assert!(e.description.contains("too long"), "{}", e.description);
        }
        let fits = "a".repeat(MAX_PARAM_LEN);
        assert!(parse_callback(&format!("code={fits}&state=s")).is_ok());
        // An unknown parameter may be as long as it likes: it is the app's own.
        assert!(parse_callback(&format!("code=c&state=s&page={long}")).is_ok());
        // The first fault in the response's order is the one named.
        let e = parse_callback(&format!("state={long}&state=s&code=c")).unwrap_err();
        assert_eq!(
            e.description,
            "The sign-in callback is malformed: the parameter state is too long."
        );
        let e = parse_callback(&format!("state=s&state={long}&code=c")).unwrap_err();
        assert_eq!(
            e.description,
            "The sign-in callback is malformed: the parameter state appears more than once."
        );
        // Names are compared decoded.
        let e = parse_callback(&format!("c%6Fde={long}&state=s")).unwrap_err();
        assert!(e.description.contains("parameter code is too long"));
    }

    #[test]
    fn an_error_without_state_cannot_be_matched() {
        for params in ["error=access_denied", "error=login_required&state="] {
            let e = parse_callback(params).unwrap_err();
            assert_eq!(
                (e.code, e.description.as_str()),
                (
                    ErrorCode::MissingState,
                    "The authorization server's answer has no state parameter, so it cannot be matched to a sign-in started here."
                ),
                "{params}"
            );
        }
        let ok = parse_callback("error=access_denied&state=s").unwrap();
        assert_eq!(ok.state.as_str(), "s");
    }

    #[test]
    fn duplicate_is_named() {
        let e = parse_callback("code=a&state=x&iss=i&iss=j").unwrap_err();
        assert!(
            e.description.contains("iss appears more than once"),
            "{}",
            e.description
        );
    }

    #[test]
    fn recognizes_callbacks() {
        assert!(looks_like_callback("code=a&state=b"));
        assert!(looks_like_callback("error=access_denied"));
        assert!(looks_like_callback("x=1&state=b"));
        assert!(looks_like_callback("code=a"));
        assert!(looks_like_callback("state="));
        assert!(!looks_like_callback(
            "iss=i&error_description=d&error_uri=u"
        ));
        assert!(!looks_like_callback("page=2&codes=1"));
        assert!(!looks_like_callback(""));
    }

    #[test]
    fn issuer_check() {
        let issuer = "https://as.example";
        assert!(check_issuer(Some(issuer), issuer, true).is_ok());
        assert!(check_issuer(None, issuer, false).is_ok());
        let e = check_issuer(None, issuer, true).unwrap_err();
        assert_eq!(e.code, ErrorCode::IssuerMismatch);
        let e = check_issuer(Some("https://as.example/"), issuer, false).unwrap_err();
        assert_eq!(e.code, ErrorCode::IssuerMismatch);
        assert!(e.description.contains("\"https://as.example/\""));
        assert_eq!(
            e.description,
            "The sign-in callback comes from the issuer \"https://as.example/\", not \"https://as.example\": it may be a mix-up attack, or the issuer attribute does not match the server."
        );
        let e = check_issuer(None, issuer, true).unwrap_err();
        assert_eq!(
            e.description,
            "The sign-in callback lacks the iss parameter that \"https://as.example\" promises to send: it may be a mix-up attack, or the issuer attribute does not match the server."
        );
    }

    #[test]
    fn error_response_from_a_foreign_issuer_is_a_mix_up() {
        let issuer = "https://as.example";
        let forged = parse_callback("error=access_denied&state=s&iss=https%3A%2F%2Fevil.example");
        let e = forged.unwrap().checked_code(issuer, false).unwrap_err();
        assert_eq!(e.code, ErrorCode::IssuerMismatch);
        assert!(e.description.contains("\"https://evil.example\""));
        let mut missing = parse_callback("error=access_denied&state=s").unwrap();
        assert_eq!(
            missing.checked_code(issuer, true).unwrap_err().code,
            ErrorCode::IssuerMismatch
        );
        let own = parse_callback("error=access_denied&state=s&iss=https%3A%2F%2Fas.example");
        let e = own.unwrap().checked_code(issuer, true).unwrap_err();
        assert_eq!(
            (e.code, e.code_str()),
            (ErrorCode::Provider, "access_denied")
        );
    }

    #[test]
    fn checked_code_checks_the_issuer_of_a_success() {
        let issuer = "https://as.example";
        let mut ok = parse_callback("code=c&state=s&iss=https%3A%2F%2Fas.example").unwrap();
        assert_eq!(ok.iss(), Some(issuer));
        assert_eq!(ok.checked_code(issuer, true).unwrap().secret(), "c");
        let mut foreign = parse_callback("code=c&state=s&iss=https%3A%2F%2Fevil.example").unwrap();
        assert_eq!(
            foreign.checked_code(issuer, false).unwrap_err().code,
            ErrorCode::IssuerMismatch
        );
    }

    #[test]
    fn arbitrary_input_does_not_panic() {
        for s in crate::protocol::test_support::arbitrary_strings() {
            if let Ok(callback) = parse_callback(&s) {
                // Exactly one of a code and an error, and a state.
                assert_ne!(callback.code.is_some(), callback.error.is_some(), "{s:?}");
                assert!(!callback.state.as_str().is_empty(), "{s:?}");
                if let Some(code) = &callback.code {
                    assert!(!code.secret().is_empty(), "{s:?}");
                }
            }
            let _ = looks_like_callback(&s);
        }
    }
}
