//! The provider's signing keys: `parse_jwks` over any document, then `select_key` for the
//! JOSE headers an ID token could carry (each supported and refused `alg`, with and
//! without each `kid` of the set).

#![no_main]

use anypoint_signin::protocol::{ErrorCode, Jwk, JwtHeader, parse_jwks, select_key};
use anypoint_signin_fuzz::{SerdeJson, assert_code};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| {
    let keys = match parse_jwks(body, &SerdeJson) {
        Ok(keys) => keys,
        Err(e) => return assert_code(&e, &[ErrorCode::InvalidIdToken]),
    };
    let kids = std::iter::once(None).chain(keys.keys.iter().map(|k| k.kid.clone()));
    for kid in kids {
        for alg in ["RS256", "ES256", "HS256", "none"] {
            let header = JwtHeader {
                alg: alg.into(),
                kid: kid.clone(),
                typ: None,
            };
            let candidates = keys
                .keys
                .iter()
                .filter(|k| can_verify(k, alg) && (kid.is_none() || k.kid == kid))
                .count();
            match select_key(&keys, &header) {
                Ok(key) => {
                    assert!(can_verify(key, alg), "{key:?} cannot verify {alg}");
                    assert!(kid.is_none() || key.kid == kid);
                    assert_eq!(candidates, 1, "a key was picked among several");
                }
                Err(e) => {
                    assert_code(&e, &[ErrorCode::InvalidIdToken]);
                    assert_ne!(candidates, 1, "the one key able to verify was refused");
                }
            }
        }
    }
});

/// RFC 7517 §4.2, §4.4 and RFC 7518 §3.1, §6: the key type and curve fit `alg`, and `use`
/// and `alg`, when given, allow signatures with it. Only RS256 and ES256 are verifiable.
fn can_verify(key: &Jwk, alg: &str) -> bool {
    let fits = match alg {
        "RS256" => key.kty == "RSA" && key.n.is_some() && key.e.is_some(),
        "ES256" => {
            key.kty == "EC"
                && key.crv.as_deref() == Some("P-256")
                && key.x.is_some()
                && key.y.is_some()
        }
        _ => false,
    };
    fits && key.key_use.as_deref().is_none_or(|u| u == "sig")
        && key.alg.as_deref().is_none_or(|a| a == alg)
}
