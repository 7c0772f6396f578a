//! The authorization server: OAuth 2.0 ([RFC 6749](https://www.rfc-editor.org/rfc/rfc6749))
//! and OpenID Connect endpoints, at Anypoint's paths.

pub(crate) mod authorize;
pub(crate) mod bearer;
pub(crate) mod client_auth;
pub(crate) mod code;
pub(crate) mod discovery;
pub(crate) mod error;
pub(crate) mod id_token;
pub(crate) mod interaction;
pub(crate) mod introspect;
pub(crate) mod jwks;
pub(crate) mod params;
pub(crate) mod revoke;
pub(crate) mod token;
pub(crate) mod userinfo;

/// Discovery document (OpenID Connect Discovery 1.0 §4).
pub(crate) const DISCOVERY: &str = "/accounts/api/v2/oauth2/.well-known/openid-configuration";
/// Authorization endpoint (RFC 6749 §3.1).
pub(crate) const AUTHORIZE: &str = "/accounts/api/v2/oauth2/authorize";
/// Token endpoint (RFC 6749 §3.2).
pub(crate) const TOKEN: &str = "/accounts/api/v2/oauth2/token";
/// UserInfo endpoint (OpenID Connect Core §5.3).
pub(crate) const USERINFO: &str = "/accounts/api/v2/oauth2/userinfo";
/// Revocation endpoint (RFC 7009).
pub(crate) const REVOKE: &str = "/accounts/api/v2/oauth2/revoke";
/// Introspection endpoint (RFC 7662).
pub(crate) const INTROSPECT: &str = "/accounts/api/v2/oauth2/introspect";
/// JWK Set (RFC 7517 §5).
pub(crate) const JWKS: &str = "/accounts/api/v2/oauth2/jwks";
/// Login form target.
pub(crate) const LOGIN: &str = "/accounts/api/v2/oauth2/login";
/// Consent form target.
pub(crate) const CONSENT: &str = "/accounts/api/v2/oauth2/consent";
