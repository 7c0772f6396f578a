//! The server's signing keys and their JWK Set ([RFC 7517](https://www.rfc-editor.org/rfc/rfc7517)):
//! the RS256 key (rotated on request, the previous one still published until retired) and
//! the ES256 key; and the client public keys the JWT bearer grant verifies against.

use std::sync::{Arc, Mutex};

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

/// The development RS256 key shipped with the mock (see `keys/README.md`). It is public
/// on purpose: tokens signed with it prove nothing outside a test setup.
pub(crate) const MOCK_SIGNING_KEY_PEM: &str = include_str!("../../keys/mock-signing-key.pem");
/// The second shipped RS256 development key, which rotation alternates with the first.
const MOCK_SIGNING_KEY_2_PEM: &str = include_str!("../../keys/mock-signing-key-2.pem");
/// The shipped ES256 (P-256) development key.
const MOCK_ES256_KEY_PEM: &str = include_str!("../../keys/mock-es256-key.pem");
/// Keys never published in the JWK Set, for the `unknown_kid` fault.
const MOCK_UNPUBLISHED_KEY_PEM: &str = include_str!("../../keys/mock-unpublished-key.pem");
const MOCK_UNPUBLISHED_ES256_KEY_PEM: &str =
    include_str!("../../keys/mock-unpublished-es256-key.pem");

/// A public key registered for the JWT bearer grant, as given (PEM or JWK) and parsed.
#[derive(Debug, Clone)]
pub(crate) struct RegisteredKey {
    pub source: Value,
    pub kid: Option<String>,
    pub key: rsa::PublicKey,
}

/// The JWS algorithm an app's ID tokens are signed with (its `id_token_signed_response_alg`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum SigningAlg {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    #[default]
    Rs256,
    /// ECDSA on P-256 with SHA-256.
    Es256,
}

impl SigningAlg {
    /// Every algorithm, in the order discovery lists them.
    pub const ALL: [SigningAlg; 2] = [SigningAlg::Rs256, SigningAlg::Es256];

    /// The JWS `alg` name.
    pub fn as_str(self) -> &'static str {
        match self {
            SigningAlg::Rs256 => "RS256",
            SigningAlg::Es256 => "ES256",
        }
    }

    /// From the JWS `alg` name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|alg| alg.as_str() == value)
    }
}

/// First 12 bytes of an RFC 7638 JWK thumbprint: stable across restarts with the same key.
fn thumbprint(canonical_jwk: &str) -> String {
    URL_SAFE_NO_PAD.encode(&Sha256::digest(canonical_jwk)[..12])
}

/// An RSA private key, before it is given a `kid`.
struct RsaMaterial {
    key: SigningKey<Sha256>,
    thumbprint: String,
    n: String,
    e: String,
}

impl RsaMaterial {
    /// Loads a PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM.
    fn from_pem(pem: &str) -> Result<Self, String> {
        let private = PrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| PrivateKey::from_pkcs1_pem(pem))
            .map_err(|e| format!("not an RSA private key in PKCS#8 or PKCS#1 PEM: {e}"))?;
        let public = private.to_public_key();
        let n = URL_SAFE_NO_PAD.encode(public.n_bytes());
        let e = URL_SAFE_NO_PAD.encode(public.e_bytes());
        Ok(RsaMaterial {
            thumbprint: thumbprint(&format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#)),
            key: SigningKey::new(private),
            n,
            e,
        })
    }
}

/// An RSA key published (or not) under a `kid`.
struct RsaKey {
    material: Arc<RsaMaterial>,
    kid: String,
}

impl RsaKey {
    fn jwk(&self) -> Value {
        let m = &self.material;
        json!({"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid, "n": m.n, "e": m.e})
    }

    fn sign(&self, claims: &Value) -> String {
        let header = json!({"alg": "RS256", "typ": "JWT", "kid": self.kid});
        jwt::encode(&header, claims, |input| {
            self.material.key.sign(input).to_vec()
        })
    }
}

/// A P-256 key and its `kid`.
struct EcKey {
    key: p256::ecdsa::SigningKey,
    kid: String,
    x: String,
    y: String,
}

impl EcKey {
    /// Loads a PKCS#8 PEM (`BEGIN PRIVATE KEY`).
    fn from_pem(pem: &str) -> Result<Self, String> {
        let key = p256::ecdsa::SigningKey::from_pkcs8_pem(pem)
            .map_err(|e| format!("not a P-256 private key in PKCS#8 PEM: {e}"))?;
        let point = key.verifying_key().to_sec1_point(false);
        let (Some(x), Some(y)) = (point.x(), point.y()) else {
            return Err("the P-256 public key is the identity point".to_owned());
        };
        let x = URL_SAFE_NO_PAD.encode(x);
        let y = URL_SAFE_NO_PAD.encode(y);
        Ok(EcKey {
            kid: thumbprint(&format!(
                r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#
            )),
            key,
            x,
            y,
        })
    }

    fn jwk(&self) -> Value {
        json!({"kty": "EC", "use": "sig", "alg": "ES256", "kid": self.kid, "crv": "P-256", "x": self.x, "y": self.y})
    }

    /// JWS ECDSA signatures are `R || S`, 64 bytes (RFC 7518 §3.4), not DER.
    fn sign(&self, claims: &Value) -> String {
        let header = json!({"alg": "ES256", "typ": "JWT", "kid": self.kid});
        jwt::encode(&header, claims, |input| {
            let signature: p256::ecdsa::Signature = self.key.sign(input);
            signature.to_bytes().to_vec()
        })
    }
}

/// The RS256 keys in service.
struct RsaRing {
    current: Arc<RsaKey>,
    /// The key `current` replaced, published until retired or rotated out.
    previous: Option<Arc<RsaKey>>,
    rotations: u32,
    /// Index in the pool of the next key to rotate to.
    next: usize,
}

/// What a rotation did.
pub(crate) struct Rotation {
    /// `kid` of the key that now signs RS256 ID tokens.
    pub kid: String,
    /// `kid` of the key it replaced.
    pub previous_kid: String,
    /// Every `kid` the JWK Set now lists.
    pub published: Vec<String>,
}

/// The keys that sign ID tokens.
pub(crate) struct SigningKeys {
    rsa: Mutex<RsaRing>,
    /// The shipped RS256 keys rotation moves between: generating a 2048-bit key takes
    /// seconds in a debug build.
    pool: Vec<Arc<RsaMaterial>>,
    es256: EcKey,
    unpublished_rsa: RsaKey,
    unpublished_es256: EcKey,
}

impl SigningKeys {
    /// The shipped keys, with `rsa_pem` (PKCS#8 or PKCS#1) as the first RS256 key instead
    /// of the shipped one if given.
    pub fn load(rsa_pem: Option<&str>) -> Result<Self, String> {
        let pool = [MOCK_SIGNING_KEY_PEM, MOCK_SIGNING_KEY_2_PEM]
            .into_iter()
            .map(|pem| RsaMaterial::from_pem(pem).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()?;
        let first = match rsa_pem {
            Some(pem) => Arc::new(RsaMaterial::from_pem(pem)?),
            None => pool[0].clone(),
        };
        let unpublished = RsaMaterial::from_pem(MOCK_UNPUBLISHED_KEY_PEM)?;
        Ok(SigningKeys {
            rsa: Mutex::new(RsaRing {
                current: Arc::new(RsaKey {
                    kid: first.thumbprint.clone(),
                    material: first,
                }),
                previous: None,
                rotations: 0,
                next: 0,
            }),
            pool,
            es256: EcKey::from_pem(MOCK_ES256_KEY_PEM)?,
            unpublished_rsa: RsaKey {
                kid: unpublished.thumbprint.clone(),
                material: Arc::new(unpublished),
            },
            unpublished_es256: EcKey::from_pem(MOCK_UNPUBLISHED_ES256_KEY_PEM)?,
        })
    }

    fn ring(&self) -> std::sync::MutexGuard<'_, RsaRing> {
        self.rsa.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The JWK Set served at the `jwks_uri`: the current RS256 key, the previous one unless
    /// retired, and the ES256 key.
    pub fn jwks(&self) -> Value {
        let ring = self.ring();
        let mut keys = vec![ring.current.jwk()];
        keys.extend(ring.previous.as_ref().map(|k| k.jwk()));
        keys.push(self.es256.jwk());
        json!({ "keys": keys })
    }

    /// Signs `claims` as a JWT with the current key for `alg`, its `kid` in the header.
    pub fn sign(&self, alg: SigningAlg, claims: &Value) -> String {
        match alg {
            SigningAlg::Rs256 => {
                // Sign outside the lock: RSA signing is the slow part.
                let key = self.ring().current.clone();
                key.sign(claims)
            }
            SigningAlg::Es256 => self.es256.sign(claims),
        }
    }

    /// Signs `claims` with a key of the `alg` family that the JWK Set never lists.
    pub fn sign_with_unpublished_key(&self, alg: SigningAlg, claims: &Value) -> String {
        match alg {
            SigningAlg::Rs256 => self.unpublished_rsa.sign(claims),
            SigningAlg::Es256 => self.unpublished_es256.sign(claims),
        }
    }

    /// Starts signing RS256 ID tokens with the next shipped key, under a new `kid`
    /// (`THUMBPRINT-N` after the Nth rotation). The replaced key stays published unless
    /// `retire_previous`; the one before it is dropped.
    pub fn rotate(&self, retire_previous: bool) -> Rotation {
        let mut ring = self.ring();
        let mut material = self.pool[ring.next % self.pool.len()].clone();
        if material.thumbprint == ring.current.material.thumbprint {
            ring.next += 1;
            material = self.pool[ring.next % self.pool.len()].clone();
        }
        ring.next += 1;
        ring.rotations += 1;
        let key = Arc::new(RsaKey {
            kid: format!("{}-{}", material.thumbprint, ring.rotations),
            material,
        });
        let replaced = std::mem::replace(&mut ring.current, key);
        let previous_kid = replaced.kid.clone();
        ring.previous = (!retire_previous).then_some(replaced);
        let mut published = vec![ring.current.kid.clone()];
        published.extend(ring.previous.as_ref().map(|k| k.kid.clone()));
        published.push(self.es256.kid.clone());
        Rotation {
            kid: ring.current.kid.clone(),
            previous_kid,
            published,
        }
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
        let keys = SigningKeys::load(None).expect("shipped keys parse");
        let token = keys.sign(SigningAlg::Rs256, &json!({"sub": "u"}));
        let parsed = jwt::decode(&token).expect("well formed");
        assert_eq!(parsed.header["kid"], keys.jwks()["keys"][0]["kid"]);
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
