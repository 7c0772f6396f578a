//! `POST /accounts/api/v2/oauth2/token`: the token endpoint
//! ([RFC 6749 §3.2](https://www.rfc-editor.org/rfc/rfc6749#section-3.2)) for every grant
//! Anypoint supports.

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::crypto::keys::{self, SigningAlg};
use crate::crypto::{jwt, pkce};
use crate::faults::{Injected, Kind, SHORT_LIVED_SECS};
use crate::model::{
    AUTHORIZATION_CODE, Audience, CLIENT_CREDENTIALS, ConnectedApp, GRANT_TYPES, JWT_BEARER,
    PASSWORD, REFRESH_TOKEN, User, check_scopes,
};
use crate::oauth::TOKEN;
use crate::oauth::client_auth::{self, Client};
use crate::oauth::error::OAuthError;
use crate::oauth::id_token::{self, Claims};
use crate::oauth::params::Params;
use crate::scopes;
use crate::state::AppState;
use crate::store::{ACCESS_TOKEN_TTL, Grant, Issued, Store};

/// What a successful grant produced, gathered under the store lock; the ID token is signed
/// after the lock is released.
struct Outcome {
    issued: Issued,
    grant: Grant,
    user: User,
    nonce: Option<String>,
    id_token: bool,
    /// How the app wants its ID tokens signed.
    alg: SigningAlg,
}

/// The token endpoint.
pub(crate) async fn token(
    State(state): State<AppState>,
    injected: Option<Extension<Injected>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(
        &state,
        &headers,
        &body,
        injected.map(|Extension(Injected(k))| k),
    )
}

/// The token endpoint's answer to a request, spoiled as `fault` says; also what the
/// example backend's in-process request gets.
pub(crate) fn respond(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    fault: Option<Kind>,
) -> Response {
    match exchange(state, headers, body) {
        Ok(outcome) => {
            tracing::info!(client_id = %outcome.grant.client_id, "token issued");
            success(state, outcome, fault)
        }
        Err(error) => {
            tracing::info!(error = error.error, "token request refused");
            error.into_response()
        }
    }
}

fn exchange(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<Outcome, OAuthError> {
    let params = Params::from_body(headers, body)?;
    let grant_type = params.require("grant_type")?;
    if !GRANT_TYPES.contains(&grant_type) {
        return Err(OAuthError::unsupported_grant_type(format!(
            "grant_type {grant_type} is not supported; supported: {}",
            GRANT_TYPES.join(", ")
        )));
    }
    let now = state.now();
    let mut store = state.store();
    let client = client_auth::authenticate(&store, headers, &params)?;
    if grant_type == JWT_BEARER {
        return jwt_bearer(state, &mut store, client, &params, now);
    }
    let client = client_auth::require(client)?;
    check_has_grant(&client.app, grant_type)?;
    match grant_type {
        AUTHORIZATION_CODE => authorization_code(&mut store, &client, &params, now),
        REFRESH_TOKEN => refresh_token(&mut store, &client, &params, now),
        PASSWORD => password(&mut store, &client, &params, now),
        CLIENT_CREDENTIALS => client_credentials(&mut store, &client, &params, now),
        _ => unreachable!("every supported grant type is matched above"),
    }
}

fn success(state: &AppState, outcome: Outcome, fault: Option<Kind>) -> Response {
    let mut body = json!({
        "access_token": outcome.issued.access_token,
        "token_type": "bearer",
        "expires_in": if fault == Some(Kind::ShortLived) {
            SHORT_LIVED_SECS
        } else {
            ACCESS_TOKEN_TTL
        },
        "scope": outcome.grant.scopes.join(" "),
    });
    if let Some(refresh) = &outcome.issued.refresh_token {
        body["refresh_token"] = json!(refresh);
    }
    if outcome.id_token {
        body["id_token"] = json!(id_token::issue(
            state,
            Claims {
                client_id: &outcome.grant.client_id,
                user: &outcome.user,
                scopes: &outcome.grant.scopes,
                nonce: outcome.nonce.as_deref(),
                auth_time: outcome.grant.auth_time,
                access_token: &outcome.issued.access_token,
                alg: outcome.alg,
            },
            fault,
        ));
    }
    let mut response = Json(body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// Scopes for grants without an authorization step: the `scope` parameter, or all the
/// app's scopes; either way within what the app may request.
fn requested_scopes(app: &ConnectedApp, params: &Params) -> Result<Vec<String>, OAuthError> {
    let scopes = match params.get("scope") {
        Some(value) => scopes::parse(value),
        None => app
            .scopes
            .iter()
            .filter(|s| app.requestable(s).is_ok())
            .cloned()
            .collect(),
    };
    check_scopes(app, &scopes).map_err(OAuthError::invalid_scope)?;
    Ok(scopes)
}

fn has(scopes: &[String], scope: &str) -> bool {
    scopes.iter().any(|s| s == scope)
}

fn user_of(store: &Store, user_id: &str) -> Result<User, OAuthError> {
    store
        .directory
        .users
        .get(user_id)
        .cloned()
        .ok_or_else(|| OAuthError::invalid_grant("the user no longer exists"))
}

/// The app must have been registered with the grant type it uses.
fn check_has_grant(app: &ConnectedApp, grant_type: &str) -> Result<(), OAuthError> {
    if !app.has_grant(grant_type) {
        return Err(OAuthError::unauthorized_client(format!(
            "this app does not have the {grant_type} grant"
        )));
    }
    Ok(())
}

/// A code or refresh token works only for the client it was issued to; `what` names it in
/// the error.
fn check_issued_to(client: &Client, client_id: &str, what: &str) -> Result<(), OAuthError> {
    if client_id != client.app.client_id {
        return Err(OAuthError::invalid_grant(format!(
            "the {what} was issued to another client"
        )));
    }
    Ok(())
}

/// Internal apps serve only their own organization's users.
fn check_audience(app: &ConnectedApp, user: &User) -> Result<(), OAuthError> {
    if app.audience == Audience::Internal
        && user.organization_id.as_deref() != Some(app.organization_id.as_str())
    {
        return Err(OAuthError::invalid_grant(
            "this app is internal to another organization than the user's",
        ));
    }
    Ok(())
}

/// A new grant of `app` to `user`, under a fresh grant id.
fn new_grant(
    store: &mut Store,
    app: &ConnectedApp,
    user: &User,
    scopes: Vec<String>,
    auth_time: u64,
) -> Grant {
    Grant {
        grant_id: store.grants.new_grant_id(),
        client_id: app.client_id.clone(),
        user_id: user.id.clone(),
        as_app_owner: false,
        scopes,
        auth_time,
    }
}

/// The scopes of the refresh token that goes with `grant`: its own, when it has
/// `offline_access` and the app the refresh_token grant; otherwise no refresh token.
fn refresh_scopes(app: &ConnectedApp, grant: &Grant) -> Option<Vec<String>> {
    (has(&grant.scopes, "offline_access") && app.has_grant(REFRESH_TOKEN))
        .then(|| grant.scopes.clone())
}

/// Issues the tokens of `grant`, with a refresh token for `refresh_scopes` if given; the
/// answer carries an ID token when the grant has `openid`, without a nonce.
fn issue(
    store: &mut Store,
    app: &ConnectedApp,
    grant: Grant,
    user: User,
    refresh_scopes: Option<Vec<String>>,
    now: u64,
) -> Outcome {
    let issued = store.grants.issue(grant.clone(), refresh_scopes, now);
    Outcome {
        issued,
        alg: app.id_token_signed_response_alg,
        id_token: has(&grant.scopes, "openid"),
        grant,
        user,
        nonce: None,
    }
}

/// The grants that name their user (password, JWT bearer): an internal app serves only its
/// organization's users, the scopes come from the request, and the user counts as having
/// authorized the app.
fn grant_to_user(
    store: &mut Store,
    app: &ConnectedApp,
    user: &User,
    params: &Params,
    now: u64,
) -> Result<Grant, OAuthError> {
    check_audience(app, user)?;
    let scopes = requested_scopes(app, params)?;
    store.grants.record_authorization(&app.client_id, &user.id);
    Ok(new_grant(store, app, user, scopes, now))
}

/// RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6). A code works once; its replay revokes the
/// tokens it produced (§4.1.2).
fn authorization_code(
    store: &mut Store,
    client: &Client,
    params: &Params,
    now: u64,
) -> Result<Outcome, OAuthError> {
    let code = params.require("code")?;
    let Some(record) = store.grants.codes.get(code).cloned() else {
        return Err(OAuthError::invalid_grant(
            "unknown or expired authorization code",
        ));
    };
    check_issued_to(client, &record.client_id, "code")?;
    if let Some(grant_id) = record.redeemed_grant {
        store.grants.revoke_grant(grant_id, now);
        return Err(OAuthError::invalid_grant(
            "the authorization code was already used; the tokens issued for it are revoked",
        ));
    }
    if record.expires_at <= now {
        return Err(OAuthError::invalid_grant("the authorization code expired"));
    }
    if params.require("redirect_uri")? != record.redirect_uri {
        return Err(OAuthError::invalid_grant(
            "redirect_uri differs from the one of the authorization request",
        ));
    }
    match (&record.code_challenge, params.get("code_verifier")) {
        (Some(challenge), Some(verifier)) => {
            if !pkce::well_formed(verifier) {
                return Err(OAuthError::invalid_request(
                    "code_verifier must be 43 to 128 unreserved characters",
                ));
            }
            if pkce::s256(verifier) != *challenge {
                return Err(OAuthError::invalid_grant(
                    "code_verifier does not match the code_challenge",
                ));
            }
        }
        (Some(_), None) => {
            return Err(OAuthError::invalid_grant(
                "code_verifier is required: the authorization request used PKCE",
            ));
        }
        (None, Some(_)) => {
            return Err(OAuthError::invalid_grant(
                "code_verifier sent but the authorization request had no code_challenge",
            ));
        }
        (None, None) => {}
    }
    let user = user_of(store, &record.user_id)?;
    let grant = new_grant(store, &client.app, &user, record.scopes, record.auth_time);
    if let Some(stored) = store.grants.codes.get_mut(code) {
        stored.redeemed_grant = Some(grant.grant_id);
    }
    let refresh = refresh_scopes(&client.app, &grant);
    Ok(Outcome {
        nonce: record.nonce,
        ..issue(store, &client.app, grant, user, refresh, now)
    })
}

/// RFC 6749 §6, with rotation: the presented refresh token stops working, and presenting
/// it again revokes the whole family (OAuth 2.0 Security BCP §4.14.2).
fn refresh_token(
    store: &mut Store,
    client: &Client,
    params: &Params,
    now: u64,
) -> Result<Outcome, OAuthError> {
    let token = params.require("refresh_token")?;
    if let Some(rotated) = store.grants.rotated_refresh_tokens.get(token).cloned() {
        check_issued_to(client, &rotated.client_id, "refresh token")?;
        // Either the client or an attacker holds a stolen copy: the server cannot tell
        // which, so every token of the sign-in goes.
        store.grants.revoke_grant(rotated.grant_id, now);
        tracing::info!(client_id = %rotated.client_id, "rotated refresh token reused; token family revoked");
        return Err(OAuthError::invalid_grant(
            "the refresh token was already used; every token of this sign-in is revoked",
        ));
    }
    let Some(record) = store.grants.refresh_token(token).cloned() else {
        return Err(OAuthError::invalid_grant(
            "unknown, revoked or expired refresh token",
        ));
    };
    check_issued_to(client, &record.grant.client_id, "refresh token")?;
    if record.expires_at <= now {
        return Err(OAuthError::invalid_grant("the refresh token expired"));
    }
    let user = user_of(store, &record.grant.user_id)?;
    let scopes = match params.get("scope") {
        None => record.grant.scopes.clone(),
        Some(value) => {
            let narrowed = scopes::parse(value);
            if let Some(extra) = narrowed.iter().find(|s| !has(&record.grant.scopes, s)) {
                return Err(OAuthError::invalid_scope(format!(
                    "scope {extra} was not granted originally"
                )));
            }
            narrowed
        }
    };
    store.grants.retire_refresh_token(token);
    let grant = Grant {
        scopes,
        ..record.grant.clone()
    };
    // The new refresh token keeps the original scopes (RFC 6749 §6).
    Ok(issue(
        store,
        &client.app,
        grant,
        user,
        Some(record.grant.scopes),
        now,
    ))
}

/// RFC 6749 §4.3.
fn password(
    store: &mut Store,
    client: &Client,
    params: &Params,
    now: u64,
) -> Result<Outcome, OAuthError> {
    let (Some(username), Some(password)) = (params.get("username"), params.get("password")) else {
        return Err(OAuthError::invalid_request(
            "username and password are required",
        ));
    };
    let user = store
        .directory
        .authenticate_user(username, password)
        .cloned()
        .ok_or_else(|| OAuthError::invalid_grant("invalid username or password"))?;
    let grant = grant_to_user(store, &client.app, &user, params, now)?;
    let refresh = refresh_scopes(&client.app, &grant);
    Ok(issue(store, &client.app, grant, user, refresh, now))
}

/// RFC 6749 §4.4. The app acts as its owner (whoever owns it when a token is used), and
/// always has `profile`, whether it asks for it or not, registered or not.
fn client_credentials(
    store: &mut Store,
    client: &Client,
    params: &Params,
    now: u64,
) -> Result<Outcome, OAuthError> {
    if !client.confidential() {
        return Err(OAuthError::unauthorized_client(
            "client_credentials needs a confidential client",
        ));
    }
    let mut scopes = match params.get("scope") {
        Some(value) => {
            let asked: Vec<String> = scopes::parse(value)
                .into_iter()
                .filter(|s| s != "profile")
                .collect();
            check_scopes(&client.app, &asked).map_err(OAuthError::invalid_scope)?;
            asked
        }
        None => requested_scopes(&client.app, params)?,
    };
    if !has(&scopes, "profile") {
        scopes.push("profile".to_owned());
    }
    let user = user_of(store, &client.app.owner_id)?;
    let grant = Grant {
        as_app_owner: true,
        ..new_grant(store, &client.app, &user, scopes, now)
    };
    // Anypoint returns an ID token to client-credentials apps only for Google WIF.
    let id_token = has(&grant.scopes, "openid:google_wif");
    Ok(Outcome {
        id_token,
        ..issue(store, &client.app, grant, user, None, now)
    })
}

/// RFC 7523 §2.1, with Anypoint's `sub` format
/// `{version}|{identityProviderId}|{username}|{firstname}|{lastname}|email|externalgroups`.
fn jwt_bearer(
    state: &AppState,
    store: &mut Store,
    client: Option<Client>,
    params: &Params,
    now: u64,
) -> Result<Outcome, OAuthError> {
    let assertion = params.require("assertion")?;
    let parsed = jwt::decode(assertion).map_err(OAuthError::invalid_grant)?;
    if parsed.header["alg"] != "RS256" {
        return Err(OAuthError::invalid_grant(
            "the assertion must be signed with RS256",
        ));
    }
    let claims = &parsed.claims;
    let issuer = claims["iss"]
        .as_str()
        .ok_or_else(|| OAuthError::invalid_grant("the assertion has no iss"))?;
    // The assertion itself identifies the app: no client secret needs to travel.
    let app = match client {
        Some(client) if client.app.client_id != issuer => {
            return Err(OAuthError::invalid_grant("iss must be the app's client id"));
        }
        Some(client) => client.app,
        None => store
            .directory
            .active_app(issuer)
            .cloned()
            .ok_or_else(|| OAuthError::invalid_client("iss names no known client", false))?,
    };
    check_has_grant(&app, JWT_BEARER)?;
    let kid = parsed.header["kid"].as_str();
    let verified = app
        .public_keys
        .iter()
        .filter(|k| kid.is_none() || k.kid.is_none() || k.kid.as_deref() == kid)
        .any(|k| keys::verify_rs256(&k.key, parsed.signing_input.as_bytes(), &parsed.signature));
    if !verified {
        return Err(OAuthError::invalid_grant(
            "the assertion's signature does not verify with the app's public keys",
        ));
    }
    let token_endpoint = state.settings.url(TOKEN);
    let audience_ok = match &claims["aud"] {
        Value::String(aud) => *aud == token_endpoint,
        Value::Array(auds) => auds.iter().any(|a| *a == token_endpoint.as_str()),
        _ => false,
    };
    if !audience_ok {
        return Err(OAuthError::invalid_grant(format!(
            "the assertion's aud must be the token endpoint {token_endpoint}"
        )));
    }
    let Some(exp) = claims["exp"].as_u64() else {
        return Err(OAuthError::invalid_grant(
            "the assertion has no numeric exp",
        ));
    };
    if exp <= now {
        return Err(OAuthError::invalid_grant("the assertion expired"));
    }
    if claims["nbf"].as_u64().is_some_and(|nbf| nbf > now) {
        return Err(OAuthError::invalid_grant(
            "the assertion is not valid yet (nbf)",
        ));
    }
    let subject = claims["sub"]
        .as_str()
        .ok_or_else(|| OAuthError::invalid_grant("the assertion has no sub"))?;
    let parts: Vec<&str> = subject.split('|').collect();
    let (Some(provider), Some(username)) = (
        parts.get(1).filter(|p| !p.is_empty()),
        parts.get(2).filter(|p| !p.is_empty()),
    ) else {
        return Err(OAuthError::invalid_grant(
            "sub must be {version}|{identityProviderId}|{username}|{firstname}|{lastname}|email|externalgroups, with identityProviderId and username",
        ));
    };
    let known_provider = store
        .directory
        .organizations
        .get(&app.organization_id)
        .is_some_and(|org| org.identity_providers.iter().any(|p| p == provider));
    if !known_provider {
        return Err(OAuthError::invalid_grant(format!(
            "identity provider {provider} is not configured in the app's organization"
        )));
    }
    let user = store
        .directory
        .users
        .values()
        .find(|u| u.username == *username)
        .cloned()
        .ok_or_else(|| OAuthError::invalid_grant(format!("unknown user {username}")))?;
    let grant = grant_to_user(store, &app, &user, params, now)?;
    Ok(issue(store, &app, grant, user, None, now))
}
