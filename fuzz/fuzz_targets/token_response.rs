//! The token endpoint's answer: `parse_token_response` over any HTTP status and body, with
//! JSON decoded as the browser's bridge hands it over.
//!
//! Input: two bytes of HTTP status (big-endian, taken modulo 500, from 100: the three digits
//! a browser's `fetch` gives), then the body.

#![no_main]

use anypoint_signin::protocol::token::MAX_EXPIRES_IN_SECS;
use anypoint_signin::protocol::{ErrorCode, is_invalid_grant, parse_token_response};
use anypoint_signin_fuzz::{
    SerdeJson, assert_code, assert_not_echoed, assert_not_in, public_strings, strings_named,
};
use libfuzzer_sys::fuzz_target;

/// The members that hold tokens: their values must never reach an error or a `Debug` print.
const SECRETS: [&str; 3] = ["access_token", "refresh_token", "id_token"];

fuzz_target!(|data: &[u8]| {
    let Some((status, body)) = data.split_first_chunk::<2>() else {
        return;
    };
    let status = 100 + u16::from_be_bytes(*status) % 500;
    let Ok(body) = std::str::from_utf8(body) else {
        return;
    };
    let result = parse_token_response(&status.to_string(), body, &SerdeJson);
    match &result {
        Ok(t) => {
            assert!((200..300).contains(&status), "HTTP {status} gave tokens");
            assert!(t.token_type.eq_ignore_ascii_case("Bearer"));
            assert!(t.expires_in.is_none_or(|s| s <= MAX_EXPIRES_IN_SECS));
        }
        Err(e) => {
            assert_code(e, &[ErrorCode::InvalidTokenResponse, ErrorCode::TokenError]);
            if is_invalid_grant(e) {
                assert_eq!(e.cause.as_deref(), Some("invalid_grant"));
            }
        }
    }
    // Whatever the body spelled (escapes included), a token it carries stays out of the
    // error and out of `Debug`, unless the same text is also a value they may quote.
    let Ok(value) = serde_json::from_str(body) else {
        return;
    };
    let mut public = Vec::new();
    public_strings(&value, &SECRETS, &mut public);
    let public: Vec<&str> = public.iter().map(String::as_str).collect();
    let mut secrets = Vec::new();
    for name in SECRETS {
        strings_named(&value, name, &mut secrets);
    }
    let printed = format!("{result:?}");
    // `Debug` quotes strings with escapes: blank the values in that form there.
    let quoted: Vec<String> = public.iter().map(|p| format!("{p:?}")).collect();
    let quoted: Vec<&str> = quoted.iter().map(String::as_str).collect();
    for secret in secrets {
        if let Err(e) = &result {
            assert_not_echoed(e, secret, &public);
        }
        assert_not_in(&printed, secret, &quoted, "Debug print");
    }
});
