//! ID tokens: `Jwt::parse`, `decode_id_token` and `validate_claims`, and the base64url
//! codec under them.
//!
//! Input: a first byte that picks how the rest is read.
//! - even: the rest is the compact JWS as the token endpoint sent it;
//! - odd: the rest is `header JSON \n payload JSON \n signature bytes`, encoded here into a
//!   JWS, so the fuzzer works on the JSON rather than on its base64url.

#![no_main]

use anypoint_signin::protocol::base64url;
use anypoint_signin::protocol::{
    Binding, ClaimChecks, ErrorCode, Jwt, decode_id_token, validate_claims,
};
use anypoint_signin_fuzz::{SerdeJson, assert_code};
use libfuzzer_sys::fuzz_target;

const ISSUER: &str = "https://anypoint.mulesoft.com/accounts/api/v2/oauth2";
/// A time near the seed tokens' `iat`, so their lifetime checks pass.
const NOW_SECS: u64 = 1_700_000_000;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let token = if mode % 2 == 0 {
        match std::str::from_utf8(rest) {
            Ok(token) => token.to_owned(),
            Err(_) => return,
        }
    } else {
        let mut parts = rest.splitn(3, |&b| b == b'\n');
        let (header, payload, signature) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        [
            base64url::encode(header),
            base64url::encode(payload),
            base64url::encode(signature),
        ]
        .join(".")
    };
    check_base64url(&token);
    check(&token);
});

/// Every segment that decodes encodes back to itself: one accepted encoding per byte string
/// (RFC 4648 §3.5, non-zero unused bits refused).
fn check_base64url(token: &str) {
    for segment in token.split('.') {
        if let Ok(bytes) = base64url::decode(segment) {
            assert_eq!(base64url::encode(&bytes), segment);
        }
    }
}

fn check(token: &str) {
    let split = Jwt::parse(token);
    // Only a token of three base64url segments is checked for echoes: any other text may
    // be a piece of a message template (libFuzzer's comparison tracing finds those).
    let echo_checked = if split.is_ok() { token } else { "" };
    let (jwt, header, claims, text) = match decode_id_token(token, &SerdeJson) {
        Ok(decoded) => decoded,
        Err(e) => {
            assert_code(&e, &[ErrorCode::InvalidIdToken]);
            assert_not_the_token(&e.description, echo_checked);
            assert_not_the_token(e.cause.as_deref().unwrap_or_default(), echo_checked);
            return;
        }
    };
    assert!(
        split.is_ok(),
        "decode_id_token accepted what Jwt::parse refuses"
    );
    assert!(token.starts_with(jwt.signing_input()));
    assert_eq!(token.matches('.').count(), 2);
    assert!(["RS256", "ES256"].contains(&header.alg.as_str()));
    if header.alg == "ES256" {
        assert_eq!(jwt.signature().len(), 86);
    }
    assert_not_the_token(&format!("{jwt:?}"), token);
    let _ = claims.display_name();
    assert_eq!(jwt.payload_json().ok(), Some(text));

    let bindings = [
        Binding::Nonce("n-0S6_WzA2Mj"),
        Binding::Refresh { subject: None },
        Binding::Refresh {
            subject: Some(&claims.sub),
        },
    ];
    for binding in bindings {
        let checks = ClaimChecks {
            issuer: ISSUER,
            client_id: "anypoint-signin-playground",
            binding,
            now_secs: NOW_SECS,
            clock_skew_secs: 300,
        };
        match validate_claims(&claims, &checks) {
            Ok(()) => {
                assert_eq!(claims.iss, ISSUER);
                assert!(claims.audiences().contains(&checks.client_id));
                assert!(claims.exp.saturating_add(checks.clock_skew_secs) > NOW_SECS);
            }
            Err(e) => {
                assert_code(&e, &[ErrorCode::InvalidIdToken]);
                assert_not_the_token(&e.description, echo_checked);
            }
        }
    }
}

/// The whole token (long enough not to match by chance) never appears in `text`.
fn assert_not_the_token(text: &str, token: &str) {
    assert!(
        token.len() < 16 || !text.contains(token),
        "the ID token is echoed: {text}"
    );
}
