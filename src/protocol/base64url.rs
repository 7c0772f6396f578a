//! Base64url without padding (RFC 4648 §5, as used by RFC 7515 §2 and RFC 7636 Appendix A).
//!
//! Hand-written rather than taken from a general base64 crate: the browser build needs only
//! this one alphabet, and every kilobyte of wasm counts.

use std::fmt;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Input that is not unpadded base64url.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidBase64Url;

impl fmt::Display for InvalidBase64Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not unpadded base64url")
    }
}

impl std::error::Error for InvalidBase64Url {}

/// Encodes `bytes` with the URL-safe alphabet and no padding (RFC 4648 §5, §3.2).
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    // The bytes are shifted through one accumulator, a character out per 6 bits.
    let mut bits = 0u32;
    let mut count = 0;
    for &b in bytes {
        bits = bits << 8 | u32::from(b);
        count += 8;
        while count >= 6 {
            count -= 6;
            out.push(ALPHABET[(bits >> count & 63) as usize] as char);
        }
    }
    if count > 0 {
        out.push(ALPHABET[(bits << (6 - count) & 63) as usize] as char);
    }
    out
}

/// Decodes unpadded base64url (RFC 4648 §5).
///
/// Rejects padding, characters of the standard alphabet (`+`, `/`), impossible lengths and
/// non-zero unused bits, so every byte string has exactly one accepted encoding.
pub fn decode(text: &str) -> Result<Vec<u8>, InvalidBase64Url> {
    let text = text.as_bytes();
    if text.len() % 4 == 1 {
        return Err(InvalidBase64Url);
    }
    let mut out = Vec::new();
    // The sextets are shifted through one accumulator, a byte out whenever 8 bits are in.
    let mut bits = 0u32;
    let mut count = 0;
    for &c in text {
        bits = bits << 6 | u32::from(sextet(c)?);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.extend_from_slice(&[(bits >> count) as u8]);
        }
    }
    // The unused low bits of a short final group must be zero (RFC 4648 §3.5).
    if bits & ((1 << count) - 1) != 0 {
        return Err(InvalidBase64Url);
    }
    Ok(out)
}

/// The value of `c` in the alphabet: its place there, found by the encoder's own table.
fn sextet(c: u8) -> Result<u8, InvalidBase64Url> {
    let mut i = 0;
    while i < 64 {
        if ALPHABET[i] == c {
            return Ok(i as u8);
        }
        i += 1;
    }
    Err(InvalidBase64Url)
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 4648 §10 test vectors, without padding.
    const VECTORS: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg"),
        ("fo", "Zm8"),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg"),
        ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ];

    #[test]
    fn rfc4648_vectors() {
        for (plain, encoded) in VECTORS {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn url_safe_alphabet() {
        assert_eq!(encode(&[0xfb, 0xff, 0xbf]), "-_-_");
        assert_eq!(decode("-_-_").unwrap(), [0xfb, 0xff, 0xbf]);
    }

    #[test]
    fn round_trips_every_byte() {
        let bytes: Vec<u8> = (0..=255).collect();
        for len in 0..bytes.len() {
            assert_eq!(decode(&encode(&bytes[..len])).unwrap(), &bytes[..len]);
        }
    }

    #[test]
    fn rejects_malformed_input() {
        for bad in ["Zg==", "Zm9v+/", "Z", "Zm9vY", "Zh", "Zm9", "Zm 9v", "é"] {
            assert_eq!(decode(bad), Err(InvalidBase64Url), "{bad}");
        }
    }

    #[test]
    fn arbitrary_input_does_not_panic() {
        for s in crate::protocol::test_support::arbitrary_strings() {
            if let Ok(bytes) = decode(&s) {
                assert_eq!(encode(&bytes), s);
            }
        }
    }
}
