//! Pure protocol logic: OAuth 2.0 (RFC 6749), PKCE (RFC 7636), OpenID Connect.
//!
//! Nothing here touches the browser or the network: functions build request values and
//! validate response values; randomness and the current time are passed in.
