//! ID tokens ([OpenID Connect Core §2](https://openid.net/specs/openid-connect-core-1_0.html#IDToken)),
//! with the faults tests can ask for.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::crypto::keys::SigningAlg;
use crate::faults::Kind;
use crate::model::User;
use crate::state::AppState;
use crate::store::ACCESS_TOKEN_TTL;

/// What an ID token says.
pub(crate) struct Claims<'a> {
    pub client_id: &'a str,
    pub user: &'a User,
    pub scopes: &'a [String],
    pub nonce: Option<&'a str>,
    pub auth_time: u64,
    pub access_token: &'a str,
    /// The app's `id_token_signed_response_alg`.
    pub alg: SigningAlg,
}

/// The claims a set of scopes releases about a user (Core §5.4; Anypoint's `openid` scope
/// covers the username).
pub(crate) fn user_claims(user: &User, scopes: &[String]) -> serde_json::Map<String, Value> {
    let has = |s: &str| scopes.iter().any(|g| g == s);
    let mut claims = serde_json::Map::new();
    claims.insert("sub".to_owned(), json!(user.id));
    if has("openid") || has("profile") {
        claims.insert("preferred_username".to_owned(), json!(user.username));
    }
    if has("profile") {
        claims.insert("name".to_owned(), json!(user.full_name()));
        claims.insert("given_name".to_owned(), json!(user.first_name));
        claims.insert("family_name".to_owned(), json!(user.last_name));
    }
    if has("email") {
        claims.insert("email".to_owned(), json!(user.email));
        claims.insert("email_verified".to_owned(), json!(true));
    }
    claims
}

/// Builds and signs an ID token, spoiled as `fault` says.
pub(crate) fn issue(state: &AppState, claims: Claims<'_>, fault: Option<Kind>) -> String {
    let now = state.now();
    let mut body = user_claims(claims.user, claims.scopes);
    body.insert("iss".to_owned(), json!(state.settings.issuer));
    body.insert("aud".to_owned(), json!(claims.client_id));
    body.insert("azp".to_owned(), json!(claims.client_id));
    body.insert("iat".to_owned(), json!(now));
    body.insert("exp".to_owned(), json!(now + ACCESS_TOKEN_TTL));
    body.insert("auth_time".to_owned(), json!(claims.auth_time));
    // at_hash lets a client bind the access token to this ID token (Core §3.1.3.6).
    let digest = Sha256::digest(claims.access_token.as_bytes());
    body.insert(
        "at_hash".to_owned(),
        json!(URL_SAFE_NO_PAD.encode(&digest[..16])),
    );
    if let Some(nonce) = claims.nonce {
        body.insert("nonce".to_owned(), json!(nonce));
    }
    match fault {
        Some(Kind::WrongNonce) => {
            body.insert("nonce".to_owned(), json!("nonce-injected-by-mock-fault"));
        }
        Some(Kind::WrongAudience) => {
            body.insert("aud".to_owned(), json!("audience-injected-by-mock-fault"));
            body.insert("azp".to_owned(), json!("audience-injected-by-mock-fault"));
        }
        Some(Kind::Expired) => {
            body.insert("iat".to_owned(), json!(now - 2 * ACCESS_TOKEN_TTL));
            body.insert("exp".to_owned(), json!(now - ACCESS_TOKEN_TTL));
        }
        _ => {}
    }
    let body = Value::Object(body);
    let token = if fault == Some(Kind::UnknownKid) {
        state.keys.sign_with_unpublished_key(claims.alg, &body)
    } else {
        state.keys.sign(claims.alg, &body)
    };
    if fault == Some(Kind::BadSignature) {
        spoil_signature(&token)
    } else {
        token
    }
}

/// Changes the first character of the signature, which carries six full bits, so the
/// token still decodes but no longer verifies.
fn spoil_signature(token: &str) -> String {
    let cut = token.rfind('.').expect("a signed JWT has a signature part") + 1;
    let (head, signature) = token.split_at(cut);
    let mut chars = signature.chars();
    let first = chars.next().unwrap_or('A');
    let replacement = if first == 'A' { 'B' } else { 'A' };
    format!("{head}{replacement}{}", chars.as_str())
}
