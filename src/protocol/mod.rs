//! Pure protocol logic: OAuth 2.0 (RFC 6749), PKCE (RFC 7636), OpenID Connect.
//!
//! Nothing here touches the browser or the network: functions build request values and
//! validate response values; randomness and the current time are passed in.

/// Authorization request URL ([RFC 6749 §4.1.1](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1), [OpenID Connect Core §3.1.2.1](https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest)).
pub mod authorize;
/// Base64url without padding ([RFC 4648 §5](https://www.rfc-editor.org/rfc/rfc4648#section-5)).
pub mod base64url;
/// Authorization response at the redirect URI ([RFC 6749 §4.1.2](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2), [RFC 9207](https://www.rfc-editor.org/rfc/rfc9207)).
pub mod callback;
/// The element's attributes as a validated configuration: client ID, redirect URI and scopes ([RFC 6749 §2.2, §3.1.2, §3.3](https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2)).
pub mod config;
/// Decimal digits of integers without `core::fmt`.
pub(crate) mod decimal;
/// Provider metadata ([OpenID Connect Discovery 1.0](https://openid.net/specs/openid-connect-discovery-1_0.html), [RFC 8414](https://www.rfc-editor.org/rfc/rfc8414)).
pub mod discovery;
/// Error codes and messages, including OAuth error responses ([RFC 6749 §4.1.2.1, §5.2](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1)).
pub mod error;
/// ID token parsing and validation ([RFC 7519](https://www.rfc-editor.org/rfc/rfc7519), [OpenID Connect Core §3.1.3.7](https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation)).
pub mod id_token;
/// JSON parsing supplied by the caller ([RFC 8259](https://www.rfc-editor.org/rfc/rfc8259)).
pub mod json;
/// Signing keys for ID token verification ([RFC 7517](https://www.rfc-editor.org/rfc/rfc7517), [OpenID Connect Core §10.1](https://openid.net/specs/openid-connect-core-1_0.html#Signing)).
pub mod jwks;
/// PKCE with S256 ([RFC 7636](https://www.rfc-editor.org/rfc/rfc7636)).
pub mod pkce;
/// The user's profile, tied to the ID token's subject ([OpenID Connect Core §5.3.4](https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse)).
pub mod profile;
/// Anypoint Platform regions (US, EU, Gov) and their issuer identifiers ([RFC 8414 §2](https://www.rfc-editor.org/rfc/rfc8414#section-2)).
pub mod region;
/// The signed-in session kept across reloads, and when to renew its access token ([RFC 6749 §6](https://www.rfc-editor.org/rfc/rfc6749#section-6)).
pub mod session_record;
/// The form-urlencoded strings of the pending sign-in, the session and the authorization
/// response.
pub(crate) mod stored;
/// Text from a template and values ([`text::fill`]), byte searches and trims.
pub(crate) mod text;
/// Token requests and responses ([RFC 6749 §4.1.3, §5, §6](https://www.rfc-editor.org/rfc/rfc6749#section-5)).
pub mod token;
/// The pending sign-in kept between click and callback ([RFC 6749 §10.12](https://www.rfc-editor.org/rfc/rfc6749#section-10.12)).
pub mod transaction;
/// Newtypes for protocol values ([RFC 6749 §2.2, §3.1.2, §10.12](https://www.rfc-editor.org/rfc/rfc6749)).
pub mod types;
/// Absolute http(s) URL checks ([RFC 3986 §3](https://www.rfc-editor.org/rfc/rfc3986#section-3)).
pub(crate) mod uri;

#[cfg(test)]
mod hostile_inputs;
#[cfg(test)]
pub(crate) mod test_support;

pub use authorize::AuthorizationRequest;
pub use callback::{Callback, check_issuer, looks_like_callback, parse_callback};
pub use config::SigninConfig;
pub use discovery::{ProviderMetadata, discovery_url, parse_discovery};
pub use error::{ErrorCode, Notice, SigninError};
pub use id_token::{
    Binding, ClaimChecks, IdTokenClaims, Jwt, JwtHeader, decode_id_token, validate_claims,
};
pub use json::{Items, Json, JsonDecoder, Kind, MAX_DEPTH, Members};
pub use jwks::{Jwk, JwkSet, parse_jwks, select_key};
pub use pkce::{PkceChallenge, PkceVerifier};
pub use profile::{GROUP_END, check_profile_subject, display_name};
pub use region::{DEFAULT_ISSUER, Region};
pub use session_record::{
    MIN_TOKEN_LIFETIME_MS, NO_EXPIRY, SESSION_PREFIX, SessionRecord, StorageMode, backoff_ms,
    channel_name, expires_at, expiry_digits, is_fresh, refresh_delay_ms,
};
pub use token::{
    TokenResponse, authorization_code_body, is_invalid_grant, parse_token_response,
    refresh_token_body, revocation_body, successful,
};
pub use transaction::{TRANSACTION_PREFIX, TRANSACTION_TTL_SECS, Transaction};
pub use types::{
    AccessToken, AuthorizationCode, ClientId, ExchangeUrl, IdToken, IssuerUrl, LogoutUrl, Nonce,
    RedirectUri, RefreshToken, Scopes, State,
};
