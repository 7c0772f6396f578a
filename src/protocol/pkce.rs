//! Proof Key for Code Exchange with the `S256` method (RFC 7636).
//!
//! Hashing is left to the caller (the browser has SubtleCrypto), so this module only shapes
//! the verifier and encodes the digest.

use std::fmt;

use super::base64url;
use super::error::{ErrorCode, SigninError};
use super::uri::{only, unreserved};

/// The `code_challenge_method` this crate always uses (RFC 7636 §4.2).
pub const S256: &str = "S256";

/// The secret `code_verifier` (RFC 7636 §4.1).
///
/// Deliberately not `Clone`: a verifier belongs to exactly one authorization request.
/// `Debug` prints `[redacted]`; the value is reachable only through [`PkceVerifier::secret`].
#[derive(PartialEq, Eq)]
pub struct PkceVerifier(String);

impl PkceVerifier {
    /// A verifier made of the caller's 32 random bytes, base64url-encoded to 43 characters,
    /// as RFC 7636 §4.1 recommends.
    pub fn from_random(bytes: &[u8; 32]) -> Self {
        Self(base64url::encode(bytes))
    }

    /// A verifier of the caller's randomness as it sent it: 43 characters of unpadded
    /// base64url (RFC 7636 §4.1's length, 258 random bits at 6 bits a character).
    pub fn from_random_text(text: String) -> Self {
        Self(text)
    }

    /// A verifier read back from storage, checked against RFC 7636 §4.1: 43 to 128
    /// characters from `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`.
    pub fn from_stored(value: String) -> Result<Self, SigninError> {
        if (43..=128).contains(&value.len()) && only(&value, unreserved) {
            Ok(Self(value))
        } else {
            Err(SigninError::new(
                ErrorCode::UnknownState,
                "The stored PKCE code verifier of this sign-in is corrupt: start the sign-in again.",
            ))
        }
    }

    /// The verifier itself, sent only in the token request (RFC 7636 §4.5).
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PkceVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PkceVerifier([redacted])")
    }
}

/// The `code_challenge` sent in the authorization request (RFC 7636 §4.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PkceChallenge(String);

impl PkceChallenge {
    /// `BASE64URL(SHA256(ASCII(code_verifier)))` from the SHA-256 digest of
    /// `verifier.secret().as_bytes()`, which the caller computes (RFC 7636 §4.2, `S256`).
    pub fn from_s256_digest(digest: &[u8; 32]) -> Self {
        Self(base64url::encode(digest))
    }

    /// `BASE64URL(SHA256(ASCII(code_verifier)))` as the caller encoded its digest (RFC 7636
    /// §4.2, `S256`): unpadded base64url, 43 characters.
    pub fn from_s256_base64url(digest: &str) -> Self {
        Self(digest.into())
    }

    /// The challenge as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;

    fn challenge_for(verifier: &PkceVerifier) -> PkceChallenge {
        PkceChallenge::from_s256_digest(&Sha256::digest(verifier.secret().as_bytes()).into())
    }

    #[test]
    fn rfc7636_appendix_b() {
        let random = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let verifier = PkceVerifier::from_random(&random);
        assert_eq!(
            verifier.secret(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        assert_eq!(
            challenge_for(&verifier).as_str(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn stored_verifier_is_validated() {
        let ok = "a".repeat(43);
        assert_eq!(PkceVerifier::from_stored(ok.clone()).unwrap().secret(), ok);
        assert!(PkceVerifier::from_stored("~._-".repeat(32)).is_ok());
        for bad in [
            "a".repeat(42),
            "a".repeat(129),
            format!("{}+", "a".repeat(43)),
        ] {
            let e = PkceVerifier::from_stored(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::UnknownState);
        }
    }

    #[test]
    fn verifier_debug_is_redacted() {
        let v = PkceVerifier::from_random(&[7; 32]);
        assert_eq!(format!("{v:?}"), "PkceVerifier([redacted])");
    }
}
