//! Signing and verification: RS256 JSON Web Tokens (RFC 7515, RFC 7519), the server's
//! JSON Web Key Set (RFC 7517), PKCE (RFC 7636), the MAC that seals access tokens
//! (RFC 2104), and comparing secrets.

pub(crate) mod jwt;
pub(crate) mod keys;
pub(crate) mod mac;
pub(crate) mod pkce;

/// Compares secrets without an early exit on the first differing byte.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn equal_only_when_length_and_bytes_match() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(constant_time_eq(b"", b""));
    }
}
