//! The authorization response at the redirect URI: `parse_callback`, `looks_like_callback`,
//! and then `Callback::checked_code` (the RFC 9207 issuer check) as the
//! element runs them, over the query string as the page's URL gives it.

#![no_main]

use anypoint_signin::protocol::callback::MAX_PARAM_LEN;
use anypoint_signin::protocol::{Callback, ErrorCode, looks_like_callback, parse_callback};
use anypoint_signin_fuzz::{assert_code, assert_not_echoed};
use libfuzzer_sys::fuzz_target;

const ISSUER: &str = "https://anypoint.mulesoft.com/accounts/api/v2/oauth2";

fuzz_target!(|params: &str| {
    let looks = looks_like_callback(params);
    match parse_callback(params) {
        Ok(callback) => {
            assert!(looks, "a parsed callback must look like one: {params:?}");
            accepted(&callback);
            for supported in [false, true] {
                checked_code(callback.clone(), supported);
            }
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

/// What a parsed response promises: a non-empty state within the length limit, and a
/// non-empty code within it or an error code within NQSCHAR.
fn accepted(callback: &Callback) {
    // Exactly one of a code and an error, and a state.
    assert_ne!(callback.code.is_some(), callback.error.is_some());
    let state = callback.state.as_str();
    assert!(!state.is_empty() && state.len() <= MAX_PARAM_LEN);
    match callback {
        Callback {
            code: Some(code), ..
        } => {
            assert!(!code.secret().is_empty());
            assert!(code.secret().len() <= MAX_PARAM_LEN);
        }
        Callback {
            error: Some(error), ..
        } => {
            // NQSCHAR (RFC 6749 Appendix A): printable ASCII without `"` and `\`.
            assert!(
                !error.is_empty()
                    && error
                        .bytes()
                        .all(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\'),
                "an error code outside NQSCHAR was accepted: {error:?}"
            );
        }
        Callback { .. } => {}
    }
}

/// The code comes out only of a success from the configured issuer (RFC 9207 §2.4); an
/// error response from it becomes the provider's error, anything else `issuer_mismatch`.
fn checked_code(mut callback: Callback, iss_parameter_supported: bool) {
    let iss = callback.iss().map(String::from);
    let issuer_ok = match iss.as_deref() {
        Some(iss) => iss == ISSUER,
        None => !iss_parameter_supported,
    };
    let code = callback.code.as_ref().map(|c| c.secret().to_owned());
    let provider_error = callback.error.clone();
    let result = callback.checked_code(ISSUER, iss_parameter_supported);
    if let (Err(e), Some(code)) = (&result, &code) {
        // The error quotes the iss parameter, which is not a secret.
        assert_not_echoed(e, code, &[iss.as_deref().unwrap_or_default()]);
    }
    match result {
        Ok(got) => {
            assert!(issuer_ok, "a code from the issuer {iss:?} was accepted");
            assert_eq!(Some(got.secret()), code.as_deref());
        }
        Err(e) if !issuer_ok => assert_code(&e, &[ErrorCode::IssuerMismatch]),
        Err(e) => {
            let expected = provider_error.expect("an error response");
            assert_eq!(
                (e.code, e.code_str()),
                (ErrorCode::Provider, expected.as_str())
            );
        }
    }
}
