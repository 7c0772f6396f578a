//! `GET /accounts/api/v2/oauth2/authorize`: the authorization endpoint
//! ([RFC 6749 §4.1.1](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1), PKCE per
//! [RFC 7636](https://www.rfc-editor.org/rfc/rfc7636), `iss` in responses per
//! [RFC 9207](https://www.rfc-editor.org/rfc/rfc9207)).

use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::crypto::pkce;
use crate::faults::{Injected, Kind};
use crate::html;
use crate::model::{AUTHORIZATION_CODE, check_scopes};
use crate::oauth::code::{Back, consented, issue_code};
use crate::oauth::interaction;
use crate::oauth::params::Params;
use crate::random;
use crate::scopes;
use crate::state::AppState;
use crate::store::{PENDING_TTL, Pending};

#[derive(Default)]
struct Prompt {
    none: bool,
    login: bool,
    consent: bool,
}

/// The authorization endpoint.
pub(crate) async fn authorize(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    injected: Option<Extension<Injected>>,
) -> Response {
    let params = match Params::from_query(query.as_deref()) {
        Ok(params) => params,
        Err(message) => return html::error_page(StatusCode::BAD_REQUEST, &message),
    };
    let Some(client_id) = params.get("client_id") else {
        return html::error_page(StatusCode::BAD_REQUEST, "The request has no client_id.");
    };
    let Some(redirect_uri) = params.get("redirect_uri") else {
        return html::error_page(StatusCode::BAD_REQUEST, "The request has no redirect_uri.");
    };
    let now = state.now();
    let mut store = state.store();
    let Some(app) = store.directory.apps.get(client_id).cloned() else {
        return html::error_page(
            StatusCode::BAD_REQUEST,
            &format!("Unknown client_id {client_id}."),
        );
    };
    if !app.enabled {
        return html::error_page(
            StatusCode::BAD_REQUEST,
            &format!("The app {} is disabled.", app.client_name),
        );
    }
    if !app.redirect_uris.iter().any(|u| u == redirect_uri) {
        return html::error_page(
            StatusCode::BAD_REQUEST,
            &format!(
                "The redirect_uri {redirect_uri} is not registered for the app {}.",
                app.client_name
            ),
        );
    }
    let back = Back {
        redirect_uri,
        state: params.get("state"),
        issuer: &state.settings.issuer,
        after_post: false,
    };
    if let Some(Extension(Injected(Kind::ServerError))) = injected {
        return back.error("server_error", "fault injected by the mock server");
    }
    match params.get("response_type") {
        None => return back.error("invalid_request", "response_type is required"),
        Some("code") => {}
        Some(other) => {
            return back.error(
                "unsupported_response_type",
                &format!("response_type {other} is not supported; use code"),
            );
        }
    }
    if !app.has_grant(AUTHORIZATION_CODE) {
        return back.error(
            "unauthorized_client",
            "this app does not have the authorization_code grant",
        );
    }
    if params.get("request").is_some() {
        return back.error("request_not_supported", "request objects are not supported");
    }
    if params.get("request_uri").is_some() {
        return back.error("request_uri_not_supported", "request_uri is not supported");
    }
    if params.get("response_mode").is_some_and(|m| m != "query") {
        return back.error("invalid_request", "only response_mode=query is supported");
    }
    let Some(scope) = params.get("scope") else {
        return back.error("invalid_scope", "scope is required");
    };
    let requested = scopes::parse(scope);
    if let Err(description) = check_scopes(&app, &requested) {
        return back.error("invalid_scope", &description);
    }
    let challenge = params.get("code_challenge");
    match (challenge, params.get("code_challenge_method")) {
        (_, Some(method)) if method != "S256" => {
            return back.error(
                "invalid_request",
                "code_challenge_method must be S256; plain is not supported",
            );
        }
        (Some(_), None) => {
            return back.error(
                "invalid_request",
                "code_challenge_method=S256 is required: the plain method is not supported",
            );
        }
        (None, Some(_)) => {
            return back.error(
                "invalid_request",
                "code_challenge_method without code_challenge",
            );
        }
        (None, None) if app.public_client => {
            return back.error(
                "invalid_request",
                "PKCE is required for public clients: send code_challenge and code_challenge_method=S256",
            );
        }
        (Some(c), Some(_)) if c.len() != 43 || !pkce::well_formed(c) => {
            return back.error(
                "invalid_request",
                "code_challenge must be the 43-character base64url SHA-256 of the verifier",
            );
        }
        _ => {}
    }
    let mut prompt = Prompt::default();
    for value in params
        .get("prompt")
        .unwrap_or("")
        .split(' ')
        .filter(|v| !v.is_empty())
    {
        match value {
            "none" => prompt.none = true,
            "login" => prompt.login = true,
            "consent" => prompt.consent = true,
            "select_account" => {}
            other => {
                return back.error("invalid_request", &format!("unknown prompt value {other}"));
            }
        }
    }
    if prompt.none && (prompt.login || prompt.consent) {
        return back.error(
            "invalid_request",
            "prompt=none cannot be combined with other values",
        );
    }

    let session = html::session_cookie(&headers)
        .and_then(|id| store.grants.sessions.get(&id).cloned().map(|s| (id, s)));
    let mut pending = Pending {
        session_id: String::new(),
        client_id: app.client_id.clone(),
        redirect_uri: redirect_uri.to_owned(),
        scopes: requested,
        state: params.get("state").map(str::to_owned),
        nonce: params.get("nonce").map(str::to_owned),
        code_challenge: challenge.map(str::to_owned),
        prompt_consent: prompt.consent,
        login_hint: params.get("login_hint").map(str::to_owned),
        expires_at: now + PENDING_TTL,
    };

    if state.settings.auto_approve {
        let hinted = pending
            .login_hint
            .as_deref()
            .and_then(|hint| store.directory.users.values().find(|u| u.username == hint))
            .map(|u| u.id.clone());
        if let Some(user_id) = hinted {
            let old = session.as_ref().map(|(id, _)| id.as_str());
            let session_id = store.grants.start_session(old, Some(user_id.clone()), now);
            let response = back.code(issue_code(&mut store, &pending, &user_id, now, now));
            return html::with_session_cookie(response, &session_id);
        }
    }

    let signed_in = session
        .as_ref()
        .and_then(|(id, s)| s.user_id.clone().map(|u| (id.clone(), u, s.auth_time)));
    match signed_in {
        Some((session_id, user_id, auth_time)) if !prompt.login => {
            let skip_consent = state.settings.auto_approve
                || (!prompt.consent && consented(&store, &user_id, &pending));
            if skip_consent {
                return back.code(issue_code(&mut store, &pending, &user_id, auth_time, now));
            }
            if prompt.none {
                return back.error(
                    "consent_required",
                    "the user has not consented to these scopes",
                );
            }
            pending.session_id = session_id;
            let request_id = random::token(24);
            store
                .grants
                .add_pending(request_id.clone(), pending.clone());
            interaction::consent_page(&store, &request_id, &pending, &user_id)
        }
        _ => {
            if prompt.none {
                return back.error("login_required", "the user is not signed in");
            }
            // A fresh anonymous session binds the login form to this browser.
            let old = session.as_ref().map(|(id, _)| id.as_str());
            let session_id = store.grants.start_session(old, None, now);
            pending.session_id = session_id.clone();
            let request_id = random::token(24);
            store
                .grants
                .add_pending(request_id.clone(), pending.clone());
            let response = interaction::login_page(&app, &request_id, &pending, None);
            html::with_session_cookie(response, &session_id)
        }
    }
}
