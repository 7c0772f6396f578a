//! The authorization response at the redirect URI: `parse_callback`, `looks_like_callback`
//! and `check_issuer` over the query string as the page's URL gives it.

#![no_main]

use anypoint_signin::protocol::{
    Callback, ErrorCode, check_issuer, looks_like_callback, parse_callback,
};
use anypoint_signin_fuzz::{assert_code, assert_not_echoed};
use libfuzzer_sys::fuzz_target;

const ISSUER: &str = "https://anypoint.mulesoft.com/accounts/api/v2/oauth2";

fuzz_target!(|params: &str| {
    let looks = looks_like_callback(params);
    match parse_callback(params) {
        Ok(Callback::Success { code, state, iss }) => {
            assert!(looks, "a parsed callback must look like one: {params:?}");
            assert!(!code.secret().is_empty() && !state.as_str().is_empty());
            for supported in [false, true] {
                if let Err(e) = check_issuer(iss.as_deref(), ISSUER, supported) {
                    assert_code(&e, &[ErrorCode::IssuerMismatch]);
                    // The error quotes the iss parameter, which is not a secret.
                    assert_not_echoed(&e, code.secret(), &[iss.as_deref().unwrap_or_default()]);
                }
            }
        }
        Ok(Callback::Error { error, .. }) => {
            assert!(looks, "a parsed callback must look like one: {params:?}");
            // NQSCHAR (RFC 6749 Appendix A): printable ASCII without `"` and `\`.
            assert!(
                !error.is_empty()
                    && error
                        .bytes()
                        .all(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\'),
                "an error code outside NQSCHAR was accepted: {error:?}"
            );
        }
        Err(e) => {
            assert_code(&e, &[ErrorCode::InvalidCallback, ErrorCode::MissingState]);
            // A malformed callback's code must not reach the page's error event.
            for (name, value) in form_urlencoded::parse(params.as_bytes()) {
                if name == "code" {
                    assert_not_echoed(&e, &value, &[]);
                }
            }
        }
    }
});
