//! HMAC-SHA256 ([RFC 2104](https://www.rfc-editor.org/rfc/rfc2104)) under a key drawn at
//! start-up: what lets the mock hand out access tokens that carry their own grant instead
//! of keeping a record of each.

use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::Sha256;

/// A MAC key; it lives as long as the process, so tokens do not survive a restart (nor
/// does anything else the mock remembers).
pub(crate) struct MacKey([u8; 32]);

impl MacKey {
    /// A fresh random key.
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        rand::fill(&mut key[..]);
        MacKey(key)
    }

    fn mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any length")
    }

    /// The tag of `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = self.mac();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    /// Whether `tag` is the tag of `message`, compared in constant time.
    pub fn verify(&self, message: &[u8], tag: &[u8]) -> bool {
        let mut mac = self.mac();
        mac.update(message);
        mac.verify_slice(tag).is_ok()
    }
}

impl std::fmt::Debug for MacKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MacKey([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::MacKey;

    #[test]
    fn a_tag_verifies_only_its_message_under_its_key() {
        let key = MacKey::random();
        let tag = key.sign(b"message");
        assert!(key.verify(b"message", &tag));
        assert!(!key.verify(b"messagf", &tag));
        assert!(!key.verify(b"message", &tag[..31]));
        assert!(!MacKey::random().verify(b"message", &tag));
    }

    #[test]
    fn rfc_4231_test_case_2() {
        let key = MacKey({
            let mut k = [0u8; 32];
            k[..4].copy_from_slice(b"Jefe");
            k
        });
        // RFC 4231 §4.3 uses the 4-byte key "Jefe"; HMAC pads keys with zeros to the
        // block size, so the zero-padded 32-byte key gives the same tag.
        let tag = key.sign(b"what do ya want for nothing?");
        let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
