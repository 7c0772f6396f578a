//! The interactive part of the authorization endpoint: the login and consent pages and
//! their form posts. The request being answered stays server-side; the forms carry only
//! its unguessable id, which is bound to the browser's session cookie (CSRF-safe: another
//! site can neither read the id nor send the SameSite=Lax cookie with a cross-site post).

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use crate::html::{self, escape};
use crate::model::ConnectedApp;
use crate::oauth::code::{Back, consented, issue_code};
use crate::oauth::{CONSENT, LOGIN};
use crate::scopes;
use crate::state::AppState;
use crate::store::{Pending, Store};

/// The login form.
pub(crate) fn login_page(
    app: &ConnectedApp,
    request_id: &str,
    pending: &Pending,
    error: Option<&str>,
) -> Response {
    let error = error
        .map(|e| {
            format!(
                "<p class=\"error\" role=\"alert\" id=\"error\">{}</p>",
                escape(e)
            )
        })
        .unwrap_or_default();
    let body = format!(
        "<h1>Sign in to Anypoint Platform</h1>\
<p class=\"mock\">Mock server: local test data only</p>\
<p>to continue to <strong>{app}</strong></p>{error}\
<form method=\"post\" action=\"{LOGIN}\">\
<input type=\"hidden\" name=\"request_id\" value=\"{request_id}\">\
<label for=\"username\">Username</label>\
<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" autocapitalize=\"none\" required autofocus value=\"{hint}\">\
<label for=\"password\">Password</label>\
<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>\
<button type=\"submit\" id=\"login\" class=\"primary\">Sign in</button>\
</form>",
        app = escape(&app.client_name),
        request_id = escape(request_id),
        hint = escape(pending.login_hint.as_deref().unwrap_or("")),
    );
    html::page(StatusCode::OK, "Sign in", &body)
}

/// The consent form, listing the requested scopes with their meaning.
pub(crate) fn consent_page(
    store: &Store,
    request_id: &str,
    pending: &Pending,
    user_id: &str,
) -> Response {
    let app_name = store
        .directory
        .apps
        .get(&pending.client_id)
        .map(|a| a.client_name.clone())
        .unwrap_or_default();
    let username = store
        .directory
        .users
        .get(user_id)
        .map(|u| u.username.clone())
        .unwrap_or_default();
    let items: String = pending
        .scopes
        .iter()
        .map(|s| {
            format!(
                "<li>{} <code>{}</code></li>",
                escape(&scopes::describe(s)),
                escape(s)
            )
        })
        .collect();
    let body = format!(
        "<h1>Allow {app} to access your account?</h1>\
<p class=\"mock\">Mock server: local test data only</p>\
<p>Signed in as <strong>{user}</strong>. <strong>{app}</strong> asks for:</p>\
<ul id=\"scopes\">{items}</ul>\
<form method=\"post\" action=\"{CONSENT}\">\
<input type=\"hidden\" name=\"request_id\" value=\"{request_id}\">\
<button type=\"submit\" id=\"allow\" name=\"decision\" value=\"allow\" class=\"primary\">Allow</button>\
<button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button>\
</form>",
        app = escape(&app_name),
        user = escape(&username),
        request_id = escape(request_id),
    );
    html::page(StatusCode::OK, "Authorize app", &body)
}

/// Fields of the login form.
#[derive(Deserialize)]
pub(crate) struct LoginForm {
    request_id: String,
    username: String,
    password: String,
}

/// Fields of the consent form.
#[derive(Deserialize)]
pub(crate) struct ConsentForm {
    request_id: String,
    decision: String,
}

/// The pending request a form answers, if this browser started it and it is still live;
/// otherwise the status and message of the error page.
fn pending_for(
    store: &Store,
    headers: &HeaderMap,
    request_id: &str,
    now: u64,
) -> Result<Pending, (StatusCode, &'static str)> {
    let Some(pending) = store
        .grants
        .pending
        .get(request_id)
        .filter(|p| p.expires_at > now)
    else {
        return Err((
            StatusCode::BAD_REQUEST,
            "This sign-in request is unknown or expired. Start again from the app.",
        ));
    };
    if html::session_cookie(headers).as_deref() != Some(pending.session_id.as_str()) {
        return Err((
            StatusCode::FORBIDDEN,
            "This form was not issued to this browser session. Start again from the app.",
        ));
    }
    Ok(pending.clone())
}

/// The way back to the client of a pending request, after one of its forms was posted.
fn back_after_form<'a>(pending: &'a Pending, issuer: &'a str) -> Back<'a> {
    Back {
        redirect_uri: &pending.redirect_uri,
        state: pending.state.as_deref(),
        issuer,
        after_post: true,
    }
}

/// `POST /accounts/api/v2/oauth2/login`.
pub(crate) async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return html::error_page(StatusCode::BAD_REQUEST, "The login form is incomplete.");
    };
    let now = state.now();
    let mut store = state.store();
    let mut pending = match pending_for(&store, &headers, &form.request_id, now) {
        Ok(p) => p,
        Err((status, message)) => return html::error_page(status, message),
    };
    let Some(app) = store.directory.active_app(&pending.client_id).cloned() else {
        return html::error_page(StatusCode::BAD_REQUEST, "The app was deleted or disabled.");
    };
    let Some(user_id) = store
        .directory
        .authenticate_user(&form.username, &form.password)
        .map(|u| u.id.clone())
    else {
        tracing::info!(client_id = %pending.client_id, "login failed");
        pending.login_hint = Some(form.username);
        let mut page = login_page(
            &app,
            &form.request_id,
            &pending,
            Some("Incorrect username or password."),
        );
        *page.status_mut() = StatusCode::UNAUTHORIZED;
        return page;
    };
    // A new session id at login, so that an id planted before login is worth nothing.
    let session_id =
        store
            .grants
            .start_session(Some(&pending.session_id), Some(user_id.clone()), now);
    pending.session_id = session_id.clone();
    let back = back_after_form(&pending, &state.settings.issuer);
    let response = if pending.prompt_consent || !consented(&store, &user_id, &pending) {
        store
            .grants
            .add_pending(form.request_id.clone(), pending.clone());
        consent_page(&store, &form.request_id, &pending, &user_id)
    } else {
        store.grants.pending.remove(&form.request_id);
        back.code(issue_code(&mut store, &pending, &user_id, now, now))
    };
    html::with_session_cookie(response, &session_id)
}

/// `POST /accounts/api/v2/oauth2/consent`.
pub(crate) async fn consent(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<ConsentForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return html::error_page(StatusCode::BAD_REQUEST, "The consent form is incomplete.");
    };
    let now = state.now();
    let mut store = state.store();
    let pending = match pending_for(&store, &headers, &form.request_id, now) {
        Ok(p) => p,
        Err((status, message)) => return html::error_page(status, message),
    };
    let Some(session) = store.grants.sessions.get(&pending.session_id).cloned() else {
        return html::error_page(
            StatusCode::FORBIDDEN,
            "You are signed out. Start again from the app.",
        );
    };
    let Some(user_id) = session.user_id else {
        return html::error_page(
            StatusCode::FORBIDDEN,
            "You are signed out. Start again from the app.",
        );
    };
    let back = back_after_form(&pending, &state.settings.issuer);
    match form.decision.as_str() {
        "allow" => {
            store.grants.pending.remove(&form.request_id);
            back.code(issue_code(
                &mut store,
                &pending,
                &user_id,
                session.auth_time,
                now,
            ))
        }
        "deny" => {
            store.grants.pending.remove(&form.request_id);
            back.error("access_denied", "the user denied the request")
        }
        _ => html::error_page(StatusCode::BAD_REQUEST, "Choose Allow or Deny."),
    }
}
