//! Signing and verification: RS256 JSON Web Tokens (RFC 7515, RFC 7519), the server's
//! JSON Web Key Set (RFC 7517) and PKCE (RFC 7636).

pub(crate) mod jwt;
pub(crate) mod keys;
pub(crate) mod pkce;
