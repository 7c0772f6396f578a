//! ID tokens: JWT parsing (RFC 7519 §7.2, RFC 7515 §5.2) and claim validation (OpenID
//! Connect Core 1.0 §2, §3.1.3.7).
//!
//! Signatures are verified by the caller with WebCrypto over [`Jwt::signing_input`] and
//! [`Jwt::signature`]; this module only admits the algorithms that can be verified that way.

use std::fmt;

use serde::Deserialize;

use super::base64url;
use super::error::{ErrorCode, SigninError};
use super::json::{JsonDecoder, opt_seconds, seconds};

/// The JWS algorithms accepted for ID tokens: both verifiable with WebCrypto. `none` and the
/// HMAC family (a client secret a browser cannot keep) are refused.
pub const SUPPORTED_ALGS: [&str; 2] = ["RS256", "ES256"];

fn invalid(why: impl fmt::Display) -> SigninError {
    SigninError::new(
        ErrorCode::InvalidIdToken,
        format!("The ID token was rejected: {why}."),
    )
}

/// A JWS in compact serialization (RFC 7515 §7.1), split but not yet trusted.
pub struct Jwt {
    token: String,
    header_end: usize,
    payload_end: usize,
    signature: Vec<u8>,
}

impl Jwt {
    /// Splits a compact JWS into its three base64url segments and decodes the signature
    /// (RFC 7519 §7.2 steps 1–2, RFC 7515 §5.2 steps 1–2). JWE (five segments) is refused.
    pub fn parse(token: &str) -> Result<Self, SigninError> {
        let mut dots = token.match_indices('.').map(|(i, _)| i);
        let (Some(header_end), Some(payload_end), None) = (dots.next(), dots.next(), dots.next())
        else {
            return Err(invalid("it is not a JWT of three dot-separated segments"));
        };
        if header_end == 0 || payload_end == header_end + 1 || payload_end + 1 == token.len() {
            return Err(invalid("a JWT segment is empty"));
        }
        let signature = base64url::decode(&token[payload_end + 1..])
            .map_err(|_| invalid("the signature is not base64url"))?;
        Ok(Self {
            token: token.into(),
            header_end,
            payload_end,
            signature,
        })
    }

    /// The JOSE header as JSON text (RFC 7515 §5.2 steps 2–4).
    pub fn header_json(&self) -> Result<String, SigninError> {
        segment_text(&self.token[..self.header_end], "header")
    }

    /// The claims set as JSON text (RFC 7519 §7.2 step 7), to hand the full claims to the
    /// page; it is only trustworthy once the signature and [`validate_claims`] pass.
    pub fn payload_json(&self) -> Result<String, SigninError> {
        segment_text(
            &self.token[self.header_end + 1..self.payload_end],
            "payload",
        )
    }

    /// `BASE64URL(header) "." BASE64URL(payload)`: the bytes the signature covers
    /// (RFC 7515 §5.2 step 8).
    pub fn signing_input(&self) -> &str {
        &self.token[..self.payload_end]
    }

    /// The decoded signature: PKCS#1 v1.5 for RS256, or the 64-byte `R || S` for ES256
    /// (RFC 7518 §3.4), the format WebCrypto's ECDSA verify expects.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }
}

impl fmt::Debug for Jwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Jwt([redacted])")
    }
}

fn segment_text(segment: &str, name: &str) -> Result<String, SigninError> {
    let bytes = base64url::decode(segment)
        .map_err(|_| invalid(format_args!("the {name} is not base64url")))?;
    String::from_utf8(bytes).map_err(|_| invalid(format_args!("the {name} is not UTF-8")))
}

/// The JOSE header fields used for verification (RFC 7515 §4.1).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct JwtHeader {
    /// The signature algorithm, one of [`SUPPORTED_ALGS`] once decoded.
    pub alg: String,
    /// Which key of the provider's JWKS signed the token.
    pub kid: Option<String>,
    /// The media type, usually `JWT`.
    pub typ: Option<String>,
}

/// The `aud` claim: one audience or several (RFC 7519 §4.1.3).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    /// A single audience, as a string.
    One(String),
    /// An array of audiences.
    Many(Vec<String>),
}

impl Audience {
    /// Whether `client_id` is one of the audiences.
    pub fn contains(&self, client_id: &str) -> bool {
        self.as_slice().iter().any(|a| a == client_id)
    }

    /// The audiences as a list.
    pub fn as_slice(&self) -> &[String] {
        match self {
            Self::One(a) => std::slice::from_ref(a),
            Self::Many(list) => list,
        }
    }
}

/// The ID token claims this crate reads (OpenID Connect Core 1.0 §2, §5.1).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct IdTokenClaims {
    /// Issuer identifier.
    pub iss: String,
    /// Subject: the user's identifier at the issuer.
    pub sub: String,
    /// Audiences.
    pub aud: Audience,
    /// Expiry, in seconds since the epoch.
    #[serde(deserialize_with = "seconds")]
    pub exp: u64,
    /// Issue time, in seconds since the epoch.
    #[serde(deserialize_with = "seconds")]
    pub iat: u64,
    /// The nonce of the authorization request.
    pub nonce: Option<String>,
    /// Authorized party.
    pub azp: Option<String>,
    /// When the user authenticated, in seconds since the epoch.
    #[serde(default, deserialize_with = "opt_seconds")]
    pub auth_time: Option<u64>,
    /// Full name.
    pub name: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Shorthand name, e.g. the Anypoint username.
    pub preferred_username: Option<String>,
    /// Email address.
    pub email: Option<String>,
}

impl IdTokenClaims {
    /// A name to show for the user: `name`, else given and family name, else
    /// `preferred_username`, else `email`, else `sub`.
    pub fn display_name(&self) -> String {
        let given = [&self.given_name, &self.family_name]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        fn filled(s: &Option<String>) -> Option<&str> {
            s.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        filled(&self.name)
            .or(Some(given.as_str()).filter(|s| !s.is_empty()))
            .or(filled(&self.preferred_username))
            .or(filled(&self.email))
            .unwrap_or(&self.sub)
            .into()
    }
}

/// Splits and decodes an ID token (RFC 7519 §7.2) and checks that its `alg` is one of
/// [`SUPPORTED_ALGS`] (OpenID Connect Core 1.0 §3.1.3.7 items 6–8). The signature is not
/// verified here and the claims not validated: use [`validate_claims`] next.
pub fn decode_id_token(
    token: &str,
    json: &impl JsonDecoder,
) -> Result<(Jwt, JwtHeader, IdTokenClaims), SigninError> {
    let jwt = Jwt::parse(token)?;
    let header: JwtHeader = json
        .decode(&jwt.header_json()?)
        .map_err(|e| invalid("its header is not a JOSE header").with_cause(e))?;
    if !SUPPORTED_ALGS.contains(&header.alg.as_str()) {
        return Err(invalid(format_args!(
            "its algorithm \"{}\" is not one of RS256, ES256",
            header.alg
        )));
    }
    let claims: IdTokenClaims = json.decode(&jwt.payload_json()?).map_err(|e| {
        invalid("its claims lack iss, sub, aud, exp or iat, or are malformed").with_cause(e)
    })?;
    Ok((jwt, header, claims))
}

/// What the claims must match.
#[derive(Clone, Copy, Debug)]
pub struct ClaimChecks<'a> {
    /// The issuer identifier, compared exactly.
    pub issuer: &'a str,
    /// The connected app's client ID.
    pub client_id: &'a str,
    /// The nonce sent in the authorization request.
    pub nonce: &'a str,
    /// The current time, in seconds since the epoch.
    pub now_secs: u64,
    /// How far the clocks of browser and server may disagree.
    pub clock_skew_secs: u64,
}

/// Validates ID token claims (OpenID Connect Core 1.0 §3.1.3.7 items 2–4, 9–11): `iss`
/// equals the issuer exactly, `aud` contains the client ID, `azp` is present when there are
/// several audiences and equals the client ID when present, `exp` is not past and `iat` not
/// in the future (each within the clock skew), and `nonce` is present and equal.
pub fn validate_claims(
    claims: &IdTokenClaims,
    checks: &ClaimChecks<'_>,
) -> Result<(), SigninError> {
    if claims.iss != checks.issuer {
        return Err(invalid(format_args!(
            "its issuer \"{}\" is not \"{}\"",
            claims.iss, checks.issuer
        )));
    }
    if !claims.aud.contains(checks.client_id) {
        return Err(invalid(format_args!(
            "its audience does not include the client ID \"{}\"",
            checks.client_id
        )));
    }
    match claims.azp.as_deref() {
        Some(azp) if azp != checks.client_id => {
            return Err(invalid(format_args!(
                "its authorized party (azp) \"{azp}\" is not the client ID \"{}\"",
                checks.client_id
            )));
        }
        None if claims.aud.as_slice().len() > 1 => {
            return Err(invalid(
                "it has several audiences but no authorized party (azp)",
            ));
        }
        _ => {}
    }
    if claims.exp.saturating_add(checks.clock_skew_secs) <= checks.now_secs {
        return Err(invalid(format_args!(
            "it expired at {} and the time is now {} (check the computer's clock)",
            claims.exp, checks.now_secs
        )));
    }
    if claims.iat > checks.now_secs.saturating_add(checks.clock_skew_secs) {
        return Err(invalid(format_args!(
            "it was issued at {}, in the future of now {} (check the computer's clock)",
            claims.iat, checks.now_secs
        )));
    }
    match claims.nonce.as_deref() {
        Some(nonce) if nonce == checks.nonce => Ok(()),
        Some(_) => Err(invalid(
            "its nonce does not match the sign-in request (a replayed token?)",
        )),
        None => Err(invalid(
            "it carries no nonce, so it cannot be tied to the sign-in request",
        )),
    }
}

