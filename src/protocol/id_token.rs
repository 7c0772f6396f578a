//! ID tokens: JWT parsing (RFC 7519 §7.2, RFC 7515 §5.2) and claim validation (OpenID
//! Connect Core 1.0 §2, §3.1.3.7).
//!
//! Signatures are verified by the caller with WebCrypto over [`Jwt::signing_input`] and
//! [`Jwt::signature`] (decoded there); this module only admits the algorithms that can be
//! verified that way.

use crate::protocol::text::{fill, has, split_once};
use std::fmt;

#[cfg(not(all(target_arch = "wasm32", feature = "element")))]
use super::base64url;
use super::decimal::decimal;
use super::error::{ErrorCode, SigninError};
use super::json::{Json, JsonDecoder, Kind, Members, listed, text, text_or_empty};
use super::profile::{GROUP_END, display_name};

/// The JWS algorithms accepted for ID tokens: both verifiable with WebCrypto. `none` and the
/// HMAC family (a client secret a browser cannot keep) are refused.
pub const SUPPORTED_ALGS: [&str; 2] = ["RS256", "ES256"];

fn invalid(why: &str) -> SigninError {
    SigninError::filled(
        ErrorCode::InvalidIdToken,
        "The ID token was rejected: \u{1}.",
        &[why],
    )
}

/// [`invalid`] with the reason `template` filled with `args` ([`fill`]): one call where
/// the reason is made of values.
pub(crate) fn invalid_with(template: &str, args: &[&str]) -> SigninError {
    invalid(&fill(template, args))
}

/// A JWS in compact serialization (RFC 7515 §7.1), split but not yet trusted; it borrows
/// the token it was split from.
pub struct Jwt<'a> {
    signing_input: &'a str,
    header: &'a str,
    payload: &'a str,
    signature: &'a str,
}

impl<'a> Jwt<'a> {
    /// Splits a compact JWS into its three base64url segments and checks that the signature
    /// is unpadded base64url (RFC 7519 §7.2 steps 1–2, RFC 7515 §5.2 steps 1–2). JWE (five
    /// segments) is refused.
    pub fn parse(token: &'a str) -> Result<Self, SigninError> {
        // Two dots, and none after them: the first two dots end the header and the payload.
        let Some((header, payload, signature)) = split_once(token, b'.')
            .and_then(|(header, rest)| split_once(rest, b'.').map(|(p, s)| (header, p, s)))
            .filter(|(_, _, signature)| !has(signature, b'.'))
        else {
            return Err(invalid("it is not a JWT of three dot-separated segments"));
        };
        if header.is_empty() || payload.is_empty() || signature.is_empty() {
            return Err(invalid("a JWT segment is empty"));
        }
        // Any bytes, UTF-8 or not: only the base64url is checked here.
        #[cfg(all(target_arch = "wasm32", feature = "element"))]
        let base64url = crate::browser::text::segment(signature) != Err(false);
        #[cfg(not(all(target_arch = "wasm32", feature = "element")))]
        let base64url = base64url::decode(signature).is_ok();
        if !base64url {
            return Err(invalid("the signature is not base64url"));
        }
        Ok(Self {
            // The header, its dot and the payload.
            signing_input: &token[..header.len() + 1 + payload.len()],
            header,
            payload,
            signature,
        })
    }

    /// The JOSE header as JSON text (RFC 7515 §5.2 steps 2–4).
    pub fn header_json(&self) -> Result<String, SigninError> {
        segment_text(self.header, "header")
    }

    /// The claims set as JSON text (RFC 7519 §7.2 step 7), to hand the full claims to the
    /// page; it is only trustworthy once the signature and [`validate_claims`] pass.
    pub fn payload_json(&self) -> Result<String, SigninError> {
        segment_text(self.payload, "payload")
    }

    /// `BASE64URL(header) "." BASE64URL(payload)`: the bytes the signature covers
    /// (RFC 7515 §5.2 step 8).
    pub fn signing_input(&self) -> &'a str {
        self.signing_input
    }

    /// The signature as its unpadded base64url segment: decoded, PKCS#1 v1.5 for RS256, or
    /// the 64-byte `R || S` for ES256 (RFC 7518 §3.4), the format WebCrypto's ECDSA verify
    /// expects.
    pub fn signature(&self) -> &'a str {
        self.signature
    }
}

impl fmt::Debug for Jwt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Jwt([redacted])")
    }
}

/// The text of the header or payload `segment` (`name`): unpadded base64url of UTF-8.
fn segment_text(segment: &str, name: &str) -> Result<String, SigninError> {
    // The element's wasm build has the browser decode it (`atob`, `TextDecoder`).
    #[cfg(all(target_arch = "wasm32", feature = "element"))]
    let text = crate::browser::text::segment(segment);
    #[cfg(not(all(target_arch = "wasm32", feature = "element")))]
    let text = decode_segment(segment);
    match text {
        Ok(text) => Ok(text),
        Err(utf8) => Err(invalid_with(
            if utf8 {
                "the \u{1} is not UTF-8"
            } else {
                "the \u{1} is not base64url"
            },
            &[name],
        )),
    }
}

/// The text of `segment`, as [`segment_text`] reads it: `Err(false)` when it is not
/// base64url, `Err(true)` when it is not UTF-8.
#[cfg(not(all(target_arch = "wasm32", feature = "element")))]
fn decode_segment(segment: &str) -> Result<String, bool> {
    let Ok(bytes) = base64url::decode(segment) else {
        return Err(false);
    };
    // The form-urlencoded decoding's UTF-8 decoder serves here too, so the binary has one.
    let mut text = String::new();
    if !super::stored::push_lossy(&mut text, &bytes) {
        return Err(true);
    }
    Ok(text)
}

/// The JOSE header fields used for verification (RFC 7515 §4.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwtHeader {
    /// The signature algorithm, one of [`SUPPORTED_ALGS`] once decoded.
    pub alg: String,
    /// Which key of the provider's JWKS signed the token.
    pub kid: Option<String>,
    /// The media type, usually `JWT`.
    pub typ: Option<String>,
}

/// The ID token claims this crate reads (OpenID Connect Core 1.0 §2, §5.1).
#[derive(Clone, Debug)]
pub struct IdTokenClaims {
    /// Issuer identifier.
    pub iss: String,
    /// Subject: the user's identifier at the issuer.
    pub sub: String,
    /// The nonce of the authorization request.
    pub nonce: Option<String>,
    /// Authorized party.
    pub azp: Option<String>,
    /// The members of [`CLAIM_NAMES`], as [`IdTokenClaims::from_json`] checked them: the
    /// audiences are compared where the reader wrote them rather than copied out.
    members: Members<'static>,
    /// Expiry, in seconds since the epoch.
    pub exp: u64,
    /// Issue time, in seconds since the epoch.
    pub iat: u64,
    /// The name to show for the user (see [`IdTokenClaims::display_name`]), made of the
    /// profile claims as they are read rather than kept as five copies.
    display_name: String,
}

/// The JOSE header members [`JwtHeader`] reads, in the order they are checked.
const HEADER_NAMES: &str = "crit\u{1f}alg\u{1f}kid\u{1f}typ";

/// The kinds of [`HEADER_NAMES`], one for each: a `crit` member makes the header unreadable.
const HEADER: [Kind; 4] = [Kind::Absent, Kind::RequiredStr, Kind::Str, Kind::Str];

/// The claims [`IdTokenClaims`] reads, in the order they are checked: `sub`'s length is
/// checked after `aud`, `iss` and `sub`, before the rest.
const CLAIM_NAMES: &str = "aud\u{1f}iss\u{1f}sub\u{1f}exp\u{1f}iat\u{1f}nonce\u{1f}azp\u{1f}auth_time\u{1f}name\u{1f}given_name\u{1f}family_name\u{1f}preferred_username\u{1f}email";

/// The kinds of [`CLAIM_NAMES`], one for each: `aud`'s is an array's, when it is not one
/// string.
const CLAIMS: [Kind; 13] = [
    Kind::Strings,
    Kind::RequiredStr,
    Kind::RequiredStr,
    Kind::RequiredSeconds,
    Kind::RequiredSeconds,
    Kind::Str,
    Kind::Str,
    Kind::Seconds,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
];

impl JwtHeader {
    /// Reads a decoded JOSE header from its JSON text `source`. A `crit` member makes it
    /// unreadable: it lists extensions the token is invalid without, and this client
    /// supports none (RFC 7515 §4.1.11).
    fn from_json(source: &str, json: &impl JsonDecoder) -> Result<Self, String> {
        let mut values = [None; 4];
        let members = json.parse(source, HEADER_NAMES);
        members.read(&HEADER, &mut values)?;
        let [_, alg, kid, typ] = values;
        Ok(Self {
            alg: text_or_empty(alg),
            kid: text(kid),
            typ: text(typ),
        })
    }
}

impl IdTokenClaims {
    /// Reads decoded claims from their JSON text `source`: `iss`, `sub`, `aud`, `exp` and
    /// `iat` are required, every claim must have its registered type, and `sub` is 1 to 255
    /// characters long (OpenID Connect Core 1.0 §2).
    #[expect(
        clippy::question_mark,
        reason = "`?` moves the claims through `Try::branch`, which costs code here"
    )]
    pub fn from_json(source: &str, json: &impl JsonDecoder) -> Result<Self, String> {
        let members = json.parse(source, CLAIM_NAMES);
        let mut values = [None; 13];
        if let Err(e) = members.values(&mut values) {
            return Err(e);
        }
        match values[0] {
            // One audience: no array to check.
            Some(Json::String(_)) => values[0] = None,
            Some(Json::Array(_)) => {}
            _ => return Err("aud is not a string or an array of strings".into()),
        }
        if let Err(e) = members.check(&CLAIMS[..3], &values) {
            return Err(e);
        }
        // Read in place: copied once every check has passed.
        let sub = values[2].and_then(Json::as_str).unwrap_or_default();
        if sub.is_empty() || sub.len() > 255 {
            return Err("sub is empty or longer than 255 characters".into());
        }
        if let Err(e) = members.check(&CLAIMS, &values) {
            return Err(e);
        }
        // `auth_time` is checked for its type but not kept: nothing here uses it.
        let display_name = display_name(
            &values,
            &[8, GROUP_END, 9, GROUP_END, 10, GROUP_END, 11, 12],
        )
        .unwrap_or_else(|| sub.into());
        let [_, iss, _, exp, iat, nonce, azp, ..] = values;
        Ok(Self {
            iss: text_or_empty(iss),
            sub: sub.into(),
            nonce: text(nonce),
            azp: text(azp),
            exp: whole_seconds(exp),
            iat: whole_seconds(iat),
            display_name,
            members,
        })
    }

    /// The audiences (`aud`, RFC 7519 §4.1.3), as [`IdTokenClaims::from_json`] found them:
    /// one string or an array of strings.
    pub fn audiences(&self) -> Vec<&str> {
        // Read and checked once already: the same text reads the same again.
        match self.members.value(0) {
            Some(Json::String(one)) => vec![one],
            Some(Json::Array(items)) => items.filter_map(|i| i.and_then(Json::as_str)).collect(),
            _ => Vec::new(),
        }
    }

    /// A name to show for the user: `name`, else given and family name, else
    /// `preferred_username`, else `email`, else `sub`; each trimmed, blank ones skipped.
    pub fn display_name(&self) -> String {
        self.display_name.clone()
    }
}

/// The count of a claim [`Members::check`] found to be a number of seconds
/// ([`Kind::RequiredSeconds`]), rounded down: only a number can be one, never a string.
fn whole_seconds(value: Option<Json>) -> u64 {
    match value {
        Some(Json::Number(n)) => n as u64,
        _ => 0,
    }
}

/// Splits and decodes an ID token (RFC 7519 §7.2) and checks that its `alg` is one of
/// [`SUPPORTED_ALGS`] (OpenID Connect Core 1.0 §3.1.3.7 items 6–8) and that an ES256
/// signature has the 64 bytes RFC 7518 §3.4 requires. The signature is not verified here
/// and the claims not validated: use [`validate_claims`] next. Returns the token, its
/// header, its claims and their JSON text ([`Jwt::payload_json`]).
#[expect(
    clippy::question_mark,
    reason = "`?` moves the parsed JWT and the decoded texts through `Try::branch`, which costs code here"
)]
pub fn decode_id_token<'a>(
    token: &'a str,
    json: &impl JsonDecoder,
) -> Result<(Jwt<'a>, JwtHeader, IdTokenClaims, String), SigninError> {
    let jwt = match Jwt::parse(token) {
        Ok(jwt) => jwt,
        Err(e) => return Err(e),
    };
    let text = match jwt.header_json() {
        Ok(text) => text,
        Err(e) => return Err(e),
    };
    let header = match JwtHeader::from_json(&text, json) {
        Ok(header) => header,
        Err(e) => return Err(invalid("its header is not a JOSE header").with_cause(e)),
    };
    // A `match` on the names of SUPPORTED_ALGS: `[&str]::contains` would link std's slice
    // search (the test `every_supported_algorithm_is_accepted` keeps the two together).
    // RFC 7518 §3.4: an ES256 signature is R || S of 32 bytes each, which are 86 characters
    // of unpadded base64url, and only they; anything else cannot be a P-256 signature.
    match (header.alg.as_str(), jwt.signature.len()) {
        ("RS256", _) | ("ES256", 86) => {}
        ("ES256", _) => return Err(invalid("its ES256 signature is not 64 bytes long")),
        _ => {
            return Err(invalid_with(
                "its algorithm \"\u{1}\" is not one of RS256, ES256",
                &[&header.alg],
            ));
        }
    }
    // Matched rather than mapped, so the claims move once, into the result.
    let text = match jwt.payload_json() {
        Ok(text) => text,
        Err(e) => return Err(e),
    };
    match IdTokenClaims::from_json(&text, json) {
        Ok(claims) => Ok((jwt, header, claims, text)),
        Err(e) => Err(
            invalid("its claims lack iss, sub, aud, exp or iat, or are malformed").with_cause(e),
        ),
    }
}

/// What ties an ID token to this sign-in.
#[derive(Clone, Copy, Debug)]
pub enum Binding<'a> {
    /// A token from a new sign-in carries the nonce sent in the authorization request
    /// (OpenID Connect Core 1.0 §3.1.3.7 item 11).
    Nonce(&'a str),
    /// A token from a refresh (OpenID Connect Core 1.0 §12.2) should carry no nonce, and its
    /// `sub` must be that of the original sign-in, when that had an ID token, so a refresh
    /// can never switch the signed-in user.
    Refresh {
        /// The `sub` of the original sign-in's ID token.
        subject: Option<&'a str>,
    },
}

/// What the claims must match.
#[derive(Clone, Copy, Debug)]
pub struct ClaimChecks<'a> {
    /// The issuer identifier, compared exactly.
    pub issuer: &'a str,
    /// The connected app's client ID.
    pub client_id: &'a str,
    /// The nonce or subject that ties the token to this sign-in.
    pub binding: Binding<'a>,
    /// The current time, in seconds since the epoch.
    pub now_secs: u64,
    /// How far the clocks of browser and server may disagree.
    pub clock_skew_secs: u64,
}

/// Validates ID token claims (OpenID Connect Core 1.0 §3.1.3.7 items 2–4, 9–11, §12.2):
/// `iss` equals the issuer exactly, `aud` contains the client ID, `azp` is present when
/// there are several audiences and equals the client ID when present, `exp` is not past and
/// `iat` not in the future (each within the clock skew), and the [`Binding`] holds: the
/// nonce is present and equal, or the subject is unchanged.
pub fn validate_claims(
    claims: &IdTokenClaims,
    checks: &ClaimChecks<'_>,
) -> Result<(), SigninError> {
    let (issuer, client_id) = (checks.issuer, checks.client_id);
    if claims.iss != issuer {
        return Err(invalid_with(
            "its issuer \"\u{1}\" is not \"\u{1}\"",
            &[&claims.iss, issuer],
        ));
    }
    // Whether the client ID is one of the audiences, and whether there are several: read
    // and checked once already by `from_json`, read the same again.
    let (included, count) = listed(claims.members.value(0), client_id);
    if !included {
        return Err(invalid_with(
            "its audience does not include the client ID \"\u{1}\"",
            &[client_id],
        ));
    }
    match claims.azp.as_deref() {
        Some(azp) if azp != client_id => {
            return Err(invalid_with(
                "its authorized party (azp) \"\u{1}\" is not the client ID \"\u{1}\"",
                &[azp, client_id],
            ));
        }
        None if count > 1 => {
            return Err(invalid(
                "it has several audiences but no authorized party (azp)",
            ));
        }
        _ => {}
    }
    let (now_secs, clock_skew_secs) = (checks.now_secs, checks.clock_skew_secs);
    if claims.exp.saturating_add(clock_skew_secs) <= now_secs {
        return Err(invalid_with(
            "it expired at \u{1} and the time is now \u{1} (check the computer's clock)",
            &[&decimal(claims.exp), &decimal(now_secs)],
        ));
    }
    if claims.iat > now_secs.saturating_add(clock_skew_secs) {
        return Err(invalid_with(
            "it was issued at \u{1}, in the future of now \u{1} (check the computer's clock)",
            &[&decimal(claims.iat), &decimal(now_secs)],
        ));
    }
    match (checks.binding, claims.nonce.as_deref()) {
        (Binding::Nonce(expected), Some(nonce)) if nonce == expected => Ok(()),
        (Binding::Nonce(_), Some(_)) => Err(invalid(
            "its nonce does not match the sign-in request (a replayed token?)",
        )),
        (Binding::Nonce(_), None) => Err(invalid(
            "it carries no nonce, so it cannot be tied to the sign-in request",
        )),
        (
            Binding::Refresh {
                subject: Some(subject),
            },
            _,
        ) if claims.sub != subject => Err(invalid_with(
            "its subject \"\u{1}\" is not the signed-in user \"\u{1}\"",
            &[&claims.sub, subject],
        )),
        (Binding::Refresh { .. }, _) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::base64url;
    use crate::protocol::test_support::{
        SerdeJson, assert_required, assert_type_errors, jwt, object,
    };

    const RS256: &str = r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#;
    const ISSUER: &str = "https://as.example/oauth2";
    const NOW: u64 = 1_700_000_000;

    fn payload(extra: &str) -> String {
        format!(
            r#"{{"iss":"{ISSUER}","sub":"u1","aud":"client","exp":{},"iat":{},"nonce":"n1"{extra}}}"#,
            NOW + 300,
            NOW - 10
        )
    }

    fn decode(token: &str) -> Result<(Jwt<'_>, JwtHeader, IdTokenClaims, String), SigninError> {
        decode_id_token(token, &SerdeJson)
    }

    fn claims(json: &str) -> IdTokenClaims {
        decode(&jwt(RS256, json)).unwrap().2
    }

    fn checks() -> ClaimChecks<'static> {
        ClaimChecks {
            issuer: ISSUER,
            client_id: "client",
            binding: Binding::Nonce("n1"),
            now_secs: NOW,
            clock_skew_secs: 60,
        }
    }

    /// The description of the `invalid_id_token` error that validation gives.
    fn rejection(claims: &IdTokenClaims, checks: &ClaimChecks<'_>) -> String {
        let e = validate_claims(claims, checks).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidIdToken);
        e.description
    }

    #[test]
    fn decodes_a_token() {
        let body = payload(r#","azp":"client","auth_time":1699999000.0,"email":"m@x.com""#);
        let token = jwt(RS256, &body);
        let (jwt, header, claims, text) = decode(&token).unwrap();
        assert_eq!(header.alg, "RS256");
        assert_eq!(header.kid.as_deref(), Some("k1"));
        assert_eq!(header.typ.as_deref(), Some("JWT"));
        assert_eq!(claims.iss, ISSUER);
        assert_eq!(claims.audiences(), ["client"]);
        assert_eq!(claims.exp, NOW + 300);
        assert_eq!(claims.display_name(), "m@x.com");
        assert_eq!(jwt.payload_json().unwrap(), body);
        assert_eq!(text, body);
        assert_eq!(jwt.header_json().unwrap(), RS256);
        let dot = token.rfind('.').unwrap();
        assert_eq!(jwt.signing_input(), &token[..dot]);
        assert_eq!(jwt.signature(), base64url::encode(b"signature"));
        assert_eq!(format!("{jwt:?}"), "Jwt([redacted])");
    }

    /// Regression: a `crit` header was ignored, so a token whose signer demanded an
    /// extension this client does not implement was accepted (RFC 7515 §4.1.11).
    #[test]
    fn a_critical_header_extension_is_refused() {
        let token = jwt(
            r#"{"alg":"RS256","kid":"k1","crit":["b64"],"b64":false}"#,
            &payload(""),
        );
        let e = decode(&token).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidIdToken);
        assert!(e.cause.unwrap().contains("crit"));
    }

    /// Regression: an empty `sub`, or one longer than OpenID Connect's 255 characters, was
    /// taken as a user's identifier.
    #[test]
    fn an_empty_or_overlong_subject_is_refused() {
        for sub in [String::new(), "u".repeat(256)] {
            let token = jwt(
                RS256,
                &payload("").replace(r#""sub":"u1""#, &format!(r#""sub":"{sub}""#)),
            );
            let e = decode(&token).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidIdToken, "{}", sub.len());
        }
        let longest =
            payload("").replace(r#""sub":"u1""#, &format!(r#""sub":"{}""#, "u".repeat(255)));
        assert!(decode(&jwt(RS256, &longest)).is_ok());
    }

    #[test]
    fn es256_needs_a_64_byte_signature() {
        let token = jwt(r#"{"alg":"ES256"}"#, &payload(""));
        let e = decode(&token).unwrap_err();
        assert!(e.description.contains("64 bytes"));
        let unsigned = &token[..token.rfind('.').unwrap()];
        let signed = format!("{unsigned}.{}", base64url::encode(&[9; 64]));
        assert_eq!(
            decode(&signed).unwrap().0.signature(),
            base64url::encode(&[9; 64])
        );
        // 63 and 65 bytes are refused.
        for len in [63, 65] {
            let signed = format!("{unsigned}.{}", base64url::encode(&vec![9; len]));
            assert!(
                decode(&signed)
                    .unwrap_err()
                    .description
                    .contains("64 bytes")
            );
        }
    }

    #[test]
    fn every_supported_algorithm_is_accepted() {
        for alg in SUPPORTED_ALGS {
            let header = format!(r#"{{"alg":"{alg}"}}"#);
            let unsigned = jwt(&header, &payload(""));
            let unsigned = &unsigned[..unsigned.rfind('.').unwrap()];
            let signed = format!("{unsigned}.{}", base64url::encode(&[9; 64]));
            assert_eq!(decode(&signed).unwrap().1.alg, alg);
        }
    }

    #[test]
    fn unverifiable_algorithms_are_rejected() {
        for alg in ["none", "HS256", "HS512", "RS384", "rs256"] {
            let header = format!(r#"{{"alg":"{alg}"}}"#);
            let e = decode(&jwt(&header, &payload(""))).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidIdToken, "{alg}");
            assert!(e.description.contains(&format!("\"{alg}\"")), "{alg}");
        }
        let unsigned = jwt(r#"{"alg":"none"}"#, &payload(""));
        let unsigned = &unsigned[..=unsigned.rfind('.').unwrap()];
        assert_eq!(
            decode(unsigned).unwrap_err().code,
            ErrorCode::InvalidIdToken
        );
    }

    #[test]
    fn malformed_segments() {
        let good = jwt(RS256, &payload(""));
        let parts: Vec<&str> = good.split('.').collect();
        let (h, p, s) = (parts[0], parts[1], parts[2]);
        for (bad, why) in [
            (String::new(), "three"),
            (format!("{h}.{p}"), "three"),
            (format!("{h}.{p}.{s}.{s}.{s}"), "three"),
            (format!("{h}.{p}.{s}.{s}"), "three"),
            (format!("{h}.{p}.{s}."), "three"),
            ("..".into(), "empty"),
            (format!(".{p}.{s}"), "empty"),
            (format!("{h}..{s}"), "empty"),
            (format!("{h}.{p}."), "empty"),
            (format!("{h}.{p}.{s}="), "signature is not base64url"),
            (format!("{h}=.{p}.{s}"), "header is not base64url"),
            (format!("{h}.{p}+.{s}"), "payload is not base64url"),
            (
                format!("{}.{p}.{s}", base64url::encode(&[0xff, 0xfe])),
                "header is not UTF-8",
            ),
            (
                format!("{}.{p}.{s}", base64url::encode(b"[1]")),
                "not a JOSE header",
            ),
        ] {
            let e = decode(&bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidIdToken, "{bad}");
            assert!(e.description.contains(why), "{bad}: {}", e.description);
        }
    }

    #[test]
    fn segments_must_be_utf8_throughout() {
        let good = jwt(RS256, &payload(""));
        let (h, rest) = good.split_once('.').unwrap();
        let s = good.rsplit('.').next().unwrap();
        for bytes in [
            &b"{\"alg\":\"RS256\"}\xff"[..],
            b"{\"alg\":\"RS256\xc3\"}",
            b"{\"alg\":\"\xe2\x82\"}",
            b"{\"alg\":\"\xed\xa0\x80\"}",
            b"{\"alg\":\"\xc0\xaf\"}",
        ] {
            let bad = format!("{}.{rest}", base64url::encode(bytes));
            let e = decode(&bad).unwrap_err();
            assert!(e.description.contains("header is not UTF-8"), "{bytes:?}");
        }
        let bad = format!(
            "{h}.{}.{s}",
            base64url::encode(b"{\"sub\":\"\xf0\x9f\x98\"}")
        );
        assert!(
            decode(&bad)
                .unwrap_err()
                .description
                .contains("payload is not UTF-8")
        );
        let name = payload(r#","name":"Zoë 😀""#);
        let (_, _, claims, _) = decode(&jwt(RS256, &name)).unwrap();
        assert_eq!(claims.display_name(), "Zoë 😀");
    }

    #[test]
    fn malformed_claims() {
        for body in [
            r#"{"iss":"i","aud":"client","exp":1,"iat":1}"#,
            r#"{"iss":"i","sub":"u","aud":7,"exp":1,"iat":1}"#,
            r#"{"iss":"i","sub":"u","aud":"client","exp":"tomorrow","iat":1}"#,
            r#"{"iss":"i","sub":"u","aud":"client","exp":-5,"iat":1}"#,
            "not json",
        ] {
            let e = decode(&jwt(RS256, body)).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidIdToken, "{body}");
            assert!(e.description.contains("claims"), "{body}");
            assert!(e.cause.is_some(), "{body}");
        }
    }

    #[test]
    fn valid_claims_pass() {
        assert_eq!(validate_claims(&claims(&payload("")), &checks()), Ok(()));
        let many = claims(
            &payload(r#","aud":["client","api"],"azp":"client""#).replace(r#""aud":"client","#, ""),
        );
        assert_eq!(many.audiences(), ["client", "api"]);
        assert_eq!(validate_claims(&many, &checks()), Ok(()));
        // The client ID anywhere among them, and an authorized party beside it.
        let last = claims(
            &payload(r#","aud":["api","web","client"],"azp":"client""#)
                .replace(r#""aud":"client","#, ""),
        );
        assert_eq!(last.audiences(), ["api", "web", "client"]);
        assert_eq!(validate_claims(&last, &checks()), Ok(()));
    }

    #[test]
    fn wrong_issuer() {
        let c = claims(&payload(""));
        let other = ClaimChecks {
            issuer: "https://as.example/oauth2/",
            ..checks()
        };
        assert!(rejection(&c, &other).contains("issuer"));
    }

    #[test]
    fn wrong_audience() {
        let c = claims(&payload(""));
        let other = ClaimChecks {
            client_id: "someone-else",
            ..checks()
        };
        assert!(rejection(&c, &other).contains("audience"));
        let c = claims(&payload("").replace(r#""aud":"client""#, r#""aud":["a","b"]"#));
        assert!(rejection(&c, &checks()).contains("audience"));
        // No audience at all includes nobody.
        let c = claims(&payload("").replace(r#""aud":"client""#, r#""aud":[]"#));
        assert!(c.audiences().is_empty());
        assert!(rejection(&c, &checks()).contains("audience"));
    }

    #[test]
    fn authorized_party() {
        let several = payload("").replace(r#""aud":"client""#, r#""aud":["client","api"]"#);
        assert!(rejection(&claims(&several), &checks()).contains("no authorized party"));
        let wrong = payload(r#","azp":"api""#);
        assert!(rejection(&claims(&wrong), &checks()).contains("(azp) \"api\""));
    }

    #[test]
    fn expiry_with_skew() {
        let mut c = claims(&payload(""));
        c.exp = NOW - 60;
        assert!(rejection(&c, &checks()).contains("expired"));
        c.exp = NOW - 59;
        assert_eq!(validate_claims(&c, &checks()), Ok(()));
        c.exp = NOW;
        let strict = ClaimChecks {
            clock_skew_secs: 0,
            ..checks()
        };
        assert!(rejection(&c, &strict).contains("expired"));
    }

    #[test]
    fn issued_in_the_future() {
        let mut c = claims(&payload(""));
        c.iat = NOW + 61;
        assert!(rejection(&c, &checks()).contains("future"));
        c.iat = NOW + 60;
        assert_eq!(validate_claims(&c, &checks()), Ok(()));
    }

    #[test]
    fn nonce() {
        let missing = payload("").replace(r#","nonce":"n1""#, "");
        assert!(rejection(&claims(&missing), &checks()).contains("no nonce"));
        let other = ClaimChecks {
            binding: Binding::Nonce("n2"),
            ..checks()
        };
        assert!(rejection(&claims(&payload("")), &other).contains("nonce does not match"));
    }

    #[test]
    fn display_name_precedence() {
        let shown = |extra: &str| claims(&payload(extra)).display_name();
        assert_eq!(
            shown(
                r#","name":"Max Mule","given_name":"Max","family_name":"Mule","preferred_username":"max","email":"m@x.com""#
            ),
            "Max Mule"
        );
        let rest = r#","preferred_username":"max","email":"m@x.com""#;
        let given = r#","name":"  ","given_name":"Maxi""#;
        let family = r#","family_name":"Mule""#;
        assert_eq!(shown(&[given, family, rest].concat()), "Maxi Mule");
        assert_eq!(shown(&[given, rest].concat()), "Maxi");
        assert_eq!(shown(&[family, rest].concat()), "Mule");
        assert_eq!(shown(rest), "max");
        assert_eq!(shown(r#","email":"m@x.com""#), "m@x.com");
        assert_eq!(shown(""), "u1");
    }

    #[test]
    fn display_name_trims_and_skips_blank_parts() {
        let shown = |extra: &str| claims(&payload(extra)).display_name();
        assert_eq!(shown(r#","given_name":" ","family_name":" Mule ""#), "Mule");
        assert_eq!(
            shown(r#","given_name":" Max\t","family_name":" Mule ""#),
            "Max Mule"
        );
        assert_eq!(shown(r#","given_name":" Max\t","family_name":"""#), "Max");
        assert_eq!(
            shown(r#","name":" Max Mule ","given_name":" Max\t","family_name":"""#),
            "Max Mule"
        );
        assert_eq!(shown(r#","email":" m@x.com ""#), "m@x.com");
        assert_eq!(
            shown(r#","preferred_username":"\u3000 ","email":" ""#),
            "u1"
        );
    }

    #[test]
    fn arbitrary_input_does_not_panic() {
        for s in crate::protocol::test_support::arbitrary_strings() {
            if let Ok(jwt) = Jwt::parse(&s) {
                let _ = (jwt.header_json(), jwt.payload_json(), jwt.signing_input());
            }
            let _ = decode(&s);
        }
    }

    fn refreshed(payload_json: &str, subject: Option<&str>) -> Result<(), SigninError> {
        let claims = IdTokenClaims::from_json(payload_json, &SerdeJson).unwrap();
        validate_claims(
            &claims,
            &ClaimChecks {
                binding: Binding::Refresh { subject },
                ..checks()
            },
        )
    }

    #[test]
    fn refreshed_token_needs_no_nonce_but_the_same_subject() {
        let no_nonce = format!(
            r#"{{"iss":"{ISSUER}","sub":"u1","aud":"client","exp":{},"iat":{NOW}}}"#,
            NOW + 300
        );
        assert!(refreshed(&no_nonce, Some("u1")).is_ok());
        let e = refreshed(&no_nonce, Some("someone-else")).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidIdToken);
        assert!(e.description.contains("subject"), "{}", e.description);
        // The first sign-in had no ID token: there is no subject to keep, so any will do.
        assert!(refreshed(&no_nonce, None).is_ok());
    }

    #[test]
    fn refreshed_token_still_gets_the_common_checks() {
        let wrong_iss = format!(
            r#"{{"iss":"https://evil.example","sub":"u1","aud":"client","exp":{},"iat":{NOW}}}"#,
            NOW + 300
        );
        assert!(
            refreshed(&wrong_iss, Some("u1"))
                .unwrap_err()
                .description
                .contains("issuer")
        );
        let expired = format!(
            r#"{{"iss":"{ISSUER}","sub":"u1","aud":"client","exp":{},"iat":{NOW}}}"#,
            NOW - 300
        );
        for subject in [Some("u1"), None] {
            assert!(
                refreshed(&expired, subject)
                    .unwrap_err()
                    .description
                    .contains("expired"),
                "{subject:?}"
            );
        }
        let other_aud = format!(
            r#"{{"iss":"{ISSUER}","sub":"u1","aud":"other","exp":{},"iat":{NOW}}}"#,
            NOW + 300
        );
        assert!(
            refreshed(&other_aud, Some("u1"))
                .unwrap_err()
                .description
                .contains("audience")
        );
    }

    /// Members of claims the reader accepts.
    const VALID: [(&str, &str); 5] = [
        ("aud", r#""client""#),
        ("iss", r#""i""#),
        ("sub", r#""u1""#),
        ("exp", "2"),
        ("iat", "1"),
    ];

    /// Every claim is read into its own field; `null` is absent.
    #[test]
    fn each_claim_is_read_into_its_field() {
        let all = [
            ("aud", r#"["c1","c2"]"#),
            ("iss", r#""i""#),
            ("sub", r#""s""#),
            ("exp", "1700000300.5"),
            ("iat", "1699999990"),
            ("nonce", r#""n""#),
            ("azp", r#""a""#),
            ("auth_time", "1699999000"),
            ("name", r#""nm""#),
            ("given_name", r#""g""#),
            ("family_name", r#""f""#),
            ("preferred_username", r#""p""#),
            ("email", r#""e""#),
        ];
        let text = |s: &str| Some(String::from(s));
        let c = IdTokenClaims::from_json(&object(&all), &SerdeJson).unwrap();
        assert_eq!(
            (c.iss.as_str(), c.sub.as_str(), c.audiences()),
            ("i", "s", vec!["c1", "c2"])
        );
        assert_eq!((c.exp, c.iat), (1_700_000_300, 1_699_999_990));
        assert_eq!(c.display_name(), "nm");
        assert_eq!((c.nonce, c.azp), (text("n"), text("a")));
        // Each profile claim, alone, is the name shown.
        for (i, (name, value)) in all[8..].iter().enumerate() {
            let mut one = VALID.to_vec();
            one.push((name, value));
            let c = IdTokenClaims::from_json(&object(&one), &SerdeJson).unwrap();
            assert_eq!(c.display_name(), ["nm", "g", "f", "p", "e"][i], "{name}");
        }
        let mut nulls = VALID.to_vec();
        nulls.extend(all[5..].iter().map(|(name, _)| (*name, "null")));
        let c = IdTokenClaims::from_json(&object(&nulls), &SerdeJson).unwrap();
        assert_eq!(c.audiences(), ["client"]);
        assert_eq!(
            (c.nonce.as_deref(), c.azp.as_deref(), c.display_name()),
            (None, None, "u1".into())
        );
        let header = [
            ("alg", r#""ES256""#),
            ("kid", r#""k""#),
            ("typ", r#""JWT""#),
        ];
        assert_eq!(
            JwtHeader::from_json(&object(&header), &SerdeJson),
            Ok(JwtHeader {
                alg: "ES256".into(),
                kid: text("k"),
                typ: text("JWT"),
            })
        );
    }

    /// The reader's error for a claim of the wrong type or missing, word for word, and the
    /// claim it names when several are wrong.
    #[test]
    fn a_wrongly_typed_or_missing_claim_is_named() {
        let string: &[&str] = &["1", "true", "[]", "{}", r#"["x"]"#];
        let seconds: &[&str] = &[r#""1""#, "-1", "true", "[]", "{}", "-0.5", "1e30"];
        let mut typed: Vec<(&str, &str, &[&str])> = vec![
            ("iss", "a string", string),
            ("sub", "a string", string),
            ("exp", "a non-negative number of seconds", seconds),
            ("iat", "a non-negative number of seconds", seconds),
            ("nonce", "a string", string),
            ("azp", "a string", string),
            ("auth_time", "a non-negative number of seconds", seconds),
        ];
        typed.extend(
            [
                "name",
                "given_name",
                "family_name",
                "preferred_username",
                "email",
            ]
            .iter()
            .map(|name| (*name, "a string", string)),
        );
        assert_type_errors(|t| IdTokenClaims::from_json(t, &SerdeJson), &VALID, &typed);
        assert_required(
            |t| IdTokenClaims::from_json(t, &SerdeJson),
            &VALID,
            &["iss", "sub", "exp", "iat"],
        );
        // aud is read first, then the others in order; sub's length right after its type.
        let read = |members: &[(&str, &str)]| {
            let mut all = VALID.to_vec();
            all.extend_from_slice(members);
            IdTokenClaims::from_json(&object(&all), &SerdeJson).err()
        };
        let one_or_many = Some(String::from("aud is not a string or an array of strings"));
        for aud in ["null", "1", "{}", "true"] {
            assert_eq!(read(&[("aud", aud), ("iss", "1")]), one_or_many, "{aud}");
        }
        let without_aud = object(&VALID[1..]);
        assert_eq!(
            IdTokenClaims::from_json(&without_aud, &SerdeJson).err(),
            one_or_many
        );
        let many = Some(String::from("aud is not an array of strings"));
        assert_eq!(read(&[("aud", r#"["client",1]"#), ("iss", "1")]), many);
        let length = Some(String::from("sub is empty or longer than 255 characters"));
        let long = ["\"", &"u".repeat(256), "\""].concat();
        for sub in [r#""""#, &long] {
            assert_eq!(read(&[("sub", sub), ("exp", "-1")]), length);
        }
        assert_eq!(
            read(&[("sub", r#""""#), ("iss", "1")]),
            Some("iss is not a string".into())
        );
        assert_eq!(
            IdTokenClaims::from_json("true", &SerdeJson).err(),
            Some("not a JSON object".into())
        );
    }

    /// The header reader's errors, word for word: `crit` in any form is refused first.
    #[test]
    fn a_wrongly_typed_or_missing_header_member_is_named() {
        let valid = [("alg", r#""RS256""#)];
        let string: &[&str] = &["1", "true", "[]", "{}", r#"["x"]"#];
        let typed: [(&str, &str, &[&str]); 3] = [
            ("alg", "a string", string),
            ("kid", "a string", string),
            ("typ", "a string", string),
        ];
        assert_type_errors(|t| JwtHeader::from_json(t, &SerdeJson), &valid, &typed);
        assert_required(|t| JwtHeader::from_json(t, &SerdeJson), &valid, &["alg"]);
        let crit = Some(String::from(
            "crit lists extensions this client does not support",
        ));
        for value in ["[]", r#"["b64"]"#, "false", "0", r#""""#] {
            let header = object(&[("alg", "1"), ("crit", value)]);
            assert_eq!(
                JwtHeader::from_json(&header, &SerdeJson).err(),
                crit,
                "{value}"
            );
        }
        let header = object(&[("alg", r#""RS256""#), ("crit", "null")]);
        assert!(JwtHeader::from_json(&header, &SerdeJson).is_ok());
        assert_eq!(
            JwtHeader::from_json("[]", &SerdeJson),
            Err("not a JSON object".into())
        );
        let e = decode(&jwt(r#"{"alg":"RS256","kid":5}"#, &payload(""))).unwrap_err();
        assert_eq!(e.cause.as_deref(), Some("kid is not a string"));
        let e = decode(&jwt(RS256, &payload(r#","email":false"#))).unwrap_err();
        assert_eq!(e.cause.as_deref(), Some("email is not a string"));
    }
}
