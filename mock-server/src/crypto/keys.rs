//! The server's RS256 signing key and its JWK Set ([RFC 7517](https://www.rfc-editor.org/rfc/rfc7517)),
//! and the client public keys the JWT bearer grant verifies against.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{BoxedUint, PrivateKey, PublicKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::crypto::jwt;
use crate::model::RegisteredKey;

/// The development signing key shipped with the mock (see `keys/README.md`). It is public
/// on purpose: tokens signed with it prove nothing outside a test setup.
pub(crate) const MOCK_SIGNING_KEY_PEM: &str = include_str!("../../keys/mock-signing-key.pem");

/// The key that signs ID tokens.
pub(crate) struct SigningKeys {
    key: SigningKey<Sha256>,
    kid: String,
    jwk: Value,
}

impl SigningKeys {
    /// Loads a PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM.
    pub fn from_pem(pem: &str) -> Result<Self, String> {
        let private = PrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| PrivateKey::from_pkcs1_pem(pem))
            .map_err(|e| format!("not an RSA private key in PKCS#8 or PKCS#1 PEM: {e}"))?;
        let public = private.to_public_key();
        let n = URL_SAFE_NO_PAD.encode(public.n_bytes());
        let e = URL_SAFE_NO_PAD.encode(public.e_bytes());
        // A thumbprint-derived kid stays stable across restarts with the same key.
        let thumbprint = Sha256::digest(format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#));
        let kid = URL_SAFE_NO_PAD.encode(&thumbprint[..12]);
        let jwk = json!({"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": n, "e": e});
        Ok(SigningKeys {
            key: SigningKey::new(private),
            kid,
            jwk,
        })
    }

    /// The JWK Set served at the `jwks_uri`.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [self.jwk] })
    }

    /// Signs `claims` as an RS256 JWT whose header names this key's `kid`.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({"alg": "RS256", "typ": "JWT", "kid": self.kid});
        jwt::encode(&header, claims, |input| self.key.sign(input).to_vec())
    }
}

/// Parses a public key registered on an app: a PEM string (SPKI or PKCS#1) or a JWK object.
pub(crate) fn parse_public_key(source: &Value) -> Result<RegisteredKey, String> {
    match source {
        Value::String(pem) => {
            let key = PublicKey::from_public_key_pem(pem)
                .or_else(|_| PublicKey::from_pkcs1_pem(pem))
                .map_err(|_| {
                    "public key is not an RSA public key in PEM (BEGIN PUBLIC KEY or BEGIN RSA PUBLIC KEY)"
                        .to_owned()
                })?;
            Ok(RegisteredKey {
                source: source.clone(),
                kid: None,
                key,
            })
        }
        Value::Object(jwk) => {
            if jwk.get("kty").and_then(Value::as_str) != Some("RSA") {
                return Err("JWK public key must have kty RSA".to_owned());
            }
            let part = |name: &str| -> Result<BoxedUint, String> {
                let text = jwk
                    .get(name)
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("JWK public key lacks {name}"))?;
                let bytes = URL_SAFE_NO_PAD
                    .decode(text)
                    .map_err(|_| format!("JWK member {name} is not base64url"))?;
                Ok(BoxedUint::from_be_slice_vartime(&bytes))
            };
            let key = PublicKey::new(part("n")?, part("e")?)
                .map_err(|e| format!("JWK is not a usable RSA public key: {e}"))?;
            Ok(RegisteredKey {
                source: source.clone(),
                kid: jwk.get("kid").and_then(Value::as_str).map(str::to_owned),
                key,
            })
        }
        _ => Err("a public key is a PEM string or a JWK object".to_owned()),
    }
}

/// Checks an RSASSA-PKCS1-v1_5 SHA-256 signature (JWS `RS256`).
pub(crate) fn verify_rs256(key: &PublicKey, input: &[u8], signature: &[u8]) -> bool {
    let Ok(signature) = Signature::try_from(signature) else {
        return false;
    };
    VerifyingKey::<Sha256>::new(key.clone())
        .verify(input, &signature)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_token_verifies_with_the_published_jwk() {
        let keys = SigningKeys::from_pem(MOCK_SIGNING_KEY_PEM).expect("shipped key parses");
        let token = keys.sign(&json!({"sub": "u"}));
        let parsed = jwt::decode(&token).expect("well formed");
        assert_eq!(parsed.header["kid"], keys.kid.as_str());
        let jwk = keys.jwks()["keys"][0].clone();
        let public = parse_public_key(&jwk).expect("JWK parses");
        assert!(verify_rs256(
            &public.key,
            parsed.signing_input.as_bytes(),
            &parsed.signature
        ));
        let mut tampered = parsed.signature.clone();
        tampered[0] ^= 1;
        assert!(!verify_rs256(
            &public.key,
            parsed.signing_input.as_bytes(),
            &tampered
        ));
    }
}
