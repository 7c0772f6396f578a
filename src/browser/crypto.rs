//! Randomness and SHA-256 from WebCrypto.

use wasm_bindgen_futures::JsFuture;

use crate::protocol::{ErrorCode, SigninError};

fn unavailable(what: &str) -> SigninError {
    SigninError::new(
        ErrorCode::InternalError,
        [
            "The browser refused ",
            what,
            ": WebCrypto is only available on secure pages (https, or http on localhost).",
        ]
        .concat(),
    )
}

/// 32 bytes from `crypto.getRandomValues`, a CSPRNG.
pub fn random_bytes() -> Result<[u8; 32], SigninError> {
    let mut bytes = [0u8; 32];
    super::window()
        .crypto()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes))
        .map_err(|_| unavailable("to generate random values"))?;
    Ok(bytes)
}

/// A random identifier (256 bits, base64url).
pub fn random_id() -> Result<String, SigninError> {
    Ok(crate::protocol::base64url::encode(&random_bytes()?))
}

/// SHA-256 of `data` with `crypto.subtle.digest`.
pub async fn sha256(data: &[u8]) -> Result<[u8; 32], SigninError> {
    let subtle = super::window()
        .crypto()
        .map_err(|_| unavailable("to hash the PKCE verifier"))?
        .subtle();
    let promise = subtle
        .digest_with_str_and_u8_array("SHA-256", data)
        .map_err(|_| unavailable("to hash the PKCE verifier"))?;
    let digest = JsFuture::from(promise)
        .await
        .map_err(|_| unavailable("to hash the PKCE verifier"))?;
    let mut out = [0u8; 32];
    js_sys::Uint8Array::new(&digest).copy_to(&mut out);
    Ok(out)
}
