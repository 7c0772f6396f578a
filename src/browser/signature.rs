//! ID token signature verification (RFC 7515 §5.2, OpenID Connect Core §3.1.3.7 step 6):
//! the provider's keys from its `jwks_uri`, checked with WebCrypto's `verify`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CryptoKey;

use super::{cached, events::object, http, json::BrowserJson, remember};
use crate::protocol::decimal::decimal;
use crate::protocol::{
    Binding, ClaimChecks, ErrorCode, IdToken, IdTokenClaims, Jwk, JwkSet, Jwt, JwtHeader,
    ProviderMetadata, SigninError, decode_id_token, parse_jwks, select_key, validate_claims,
};

/// Seconds of clock difference tolerated between the browser and the server.
const CLOCK_SKEW_SECS: u64 = 300;

thread_local! {
    /// Key sets by `jwks_uri`, as a list searched in order: there is one per issuer.
    static KEYS: RefCell<Vec<(String, Rc<JwkSet>)>> = const { RefCell::new(Vec::new()) };
}

/// Empties the cache of key sets.
#[cfg(feature = "test-hooks")]
pub fn forget() {
    KEYS.with(|k| k.borrow_mut().clear());
}

fn rejected(why: &str) -> SigninError {
    SigninError::new(
        ErrorCode::InvalidIdToken,
        ["The ID token was rejected: ", why, "."].concat(),
    )
}

async fn key_set(jwks_uri: &str, refresh: bool) -> Result<Rc<JwkSet>, SigninError> {
    if !refresh && let Some(found) = KEYS.with(|k| cached(&k.borrow(), jwks_uri)) {
        return Ok(found);
    }
    let response = http::get(jwks_uri).await.map_err(|e| {
        rejected(
            &[
                "the provider's signing keys at ",
                jwks_uri,
                " could not be fetched",
            ]
            .concat(),
        )
        .with_cause(e.0)
    })?;
    if !(200..300).contains(&response.status) {
        return Err(rejected(
            &[
                "the provider's signing keys at ",
                jwks_uri,
                " answered HTTP ",
                &decimal(u64::from(response.status)),
            ]
            .concat(),
        ));
    }
    let keys = Rc::new(parse_jwks(&response.body, &BrowserJson)?);
    KEYS.with(|k| remember(&mut k.borrow_mut(), jwks_uri, &keys));
    Ok(keys)
}

/// Checks an ID token from the token endpoint (OpenID Connect Core 1.0 §3.1.3.7, §12.2):
/// decodes it, verifies its signature with the provider's key, and validates its claims
/// against the provider's issuer, `client_id` and `binding`. Returns the claims.
pub async fn verified_claims(
    id_token: &IdToken,
    metadata: &ProviderMetadata,
    client_id: &str,
    binding: Binding<'_>,
    now_secs: u64,
) -> Result<IdTokenClaims, SigninError> {
    let (jwt, header, claims) = decode_id_token(id_token.secret(), &BrowserJson)?;
    verify(metadata, &jwt, &header).await?;
    validate_claims(
        &claims,
        &ClaimChecks {
            issuer: &metadata.issuer,
            client_id,
            binding,
            now_secs,
            clock_skew_secs: CLOCK_SKEW_SECS,
        },
    )?;
    Ok(claims)
}

/// Verifies `jwt`'s signature with the provider's key named by `header`. An unknown `kid`
/// refetches the key set once, so a key rotated since the last fetch is found.
async fn verify(
    metadata: &ProviderMetadata,
    jwt: &Jwt,
    header: &JwtHeader,
) -> Result<(), SigninError> {
    let jwks_uri = metadata.jwks_uri.as_deref().ok_or_else(|| {
        rejected("the provider publishes no jwks_uri, so its signature cannot be verified")
    })?;
    let mut keys = key_set(jwks_uri, false).await?;
    if select_key(&keys, header).is_err() && header.kid.is_some() {
        keys = key_set(jwks_uri, true).await?;
    }
    let jwk = select_key(&keys, header)?;
    let (import_algorithm, verify_algorithm) = algorithms(&header.alg)?;
    let subtle = super::window()
        .crypto()
        .map_err(|_| rejected("WebCrypto is unavailable on this page"))?
        .subtle();
    let key: CryptoKey = JsFuture::from(
        subtle
            .import_key_with_object(
                "jwk",
                &jwk_object(jwk),
                &import_algorithm,
                false,
                &Array::of1(&"verify".into()),
            )
            .map_err(|_| rejected("the provider's key could not be imported"))?,
    )
    .await
    .map_err(|_| rejected("the provider's key could not be imported"))?
    .unchecked_into();
    let valid = JsFuture::from(
        subtle
            .verify_with_object_and_u8_array_and_u8_array(
                &verify_algorithm,
                &key,
                jwt.signature(),
                jwt.signing_input().as_bytes(),
            )
            .map_err(|_| rejected("its signature could not be checked"))?,
    )
    .await
    .map_err(|_| rejected("its signature could not be checked"))?;
    if valid.as_bool() == Some(true) {
        Ok(())
    } else {
        Err(rejected(
            &[
                "its ",
                &header.alg,
                " signature does not match the provider's key ",
                jwk.kid.as_deref().unwrap_or("(no kid)"),
            ]
            .concat(),
        ))
    }
}

/// WebCrypto's parameters for `importKey` and `verify` (RFC 7518 §3.3, §3.4).
fn algorithms(alg: &str) -> Result<(Object, Object), SigninError> {
    let pair =
        |import: JsValue, verify: JsValue| (import.unchecked_into(), verify.unchecked_into());
    match alg {
        "RS256" => Ok(pair(
            object(&[
                ("name", "RSASSA-PKCS1-v1_5".into()),
                ("hash", "SHA-256".into()),
            ]),
            object(&[("name", "RSASSA-PKCS1-v1_5".into())]),
        )),
        "ES256" => Ok(pair(
            object(&[("name", "ECDSA".into()), ("namedCurve", "P-256".into())]),
            object(&[("name", "ECDSA".into()), ("hash", "SHA-256".into())]),
        )),
        other => Err(rejected(
            &["its algorithm ", other, " is not accepted"].concat(),
        )),
    }
}

/// The public members of `jwk` as a JWK object for `importKey`.
fn jwk_object(jwk: &Jwk) -> Object {
    let mut fields: Vec<(&str, JsValue)> = vec![("kty", jwk.kty.as_str().into())];
    for (name, value) in [
        ("n", &jwk.n),
        ("e", &jwk.e),
        ("crv", &jwk.crv),
        ("x", &jwk.x),
        ("y", &jwk.y),
    ] {
        if let Some(value) = value {
            fields.push((name, value.as_str().into()));
        }
    }
    object(&fields).unchecked_into()
}
