//! The answer to an authorization request
//! ([RFC 6749 §4.1.2](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2)): a code, or
//! an error, redirected back to the client with `state` and `iss`
//! ([RFC 9207](https://www.rfc-editor.org/rfc/rfc9207)). Shared by the authorization
//! endpoint and its login and consent forms.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::model::Audience;
use crate::random;
use crate::store::{CODE_TTL, Code, Pending, Store};

/// Where and how to send the browser back to the client.
pub(crate) struct Back<'a> {
    pub redirect_uri: &'a str,
    pub state: Option<&'a str>,
    pub issuer: &'a str,
    /// 303 after a form POST, so that the browser follows with GET; 302 otherwise.
    pub after_post: bool,
}

impl Back<'_> {
    /// Redirects with `pairs`, `state` and `iss` added to the redirect URI's query.
    pub fn with(&self, pairs: &[(&str, &str)]) -> Response {
        let mut url = url::Url::parse(self.redirect_uri).expect("registered redirect URIs parse");
        {
            let mut query = url.query_pairs_mut();
            for (name, value) in pairs {
                query.append_pair(name, value);
            }
            if let Some(state) = self.state {
                query.append_pair("state", state);
            }
            query.append_pair("iss", self.issuer);
        }
        let status = if self.after_post {
            StatusCode::SEE_OTHER
        } else {
            StatusCode::FOUND
        };
        let location =
            HeaderValue::from_str(url.as_str()).expect("a serialized URL is a valid header");
        (status, [(header::LOCATION, location)]).into_response()
    }

    /// An error response (RFC 6749 §4.1.2.1).
    pub fn error(&self, error: &str, description: &str) -> Response {
        self.with(&[("error", error), ("error_description", description)])
    }

    /// Redirects with the code of [`issue_code`], or with the error that prevented it.
    pub fn code(&self, issued: Result<String, (&'static str, String)>) -> Response {
        match issued {
            Ok(code) => self.with(&[("code", &code)]),
            Err((error, description)) => self.error(error, &description),
        }
    }
}

/// Answers a pending request for a signed-in user: checks that the user may use the app,
/// records consent and issues a code. `Err` is an error code and description.
pub(crate) fn issue_code(
    store: &mut Store,
    pending: &Pending,
    user_id: &str,
    auth_time: u64,
    now: u64,
) -> Result<String, (&'static str, String)> {
    let user = store.directory.users.get(user_id).ok_or((
        "access_denied",
        "the signed-in user no longer exists".to_owned(),
    ))?;
    let app = store.directory.active_app(&pending.client_id).ok_or((
        "access_denied",
        "the app was deleted or disabled".to_owned(),
    ))?;
    if app.audience == Audience::Internal
        && user.organization_id.as_deref() != Some(app.organization_id.as_str())
    {
        return Err((
            "access_denied",
            "this app is internal to another organization".to_owned(),
        ));
    }
    store
        .grants
        .consents
        .entry((user_id.to_owned(), pending.client_id.clone()))
        .or_default()
        .extend(pending.scopes.iter().cloned());
    store
        .grants
        .record_authorization(&pending.client_id, user_id);
    let code = random::token(32);
    store.grants.add_code(
        code.clone(),
        Code {
            client_id: pending.client_id.clone(),
            redirect_uri: pending.redirect_uri.clone(),
            code_challenge: pending.code_challenge.clone(),
            user_id: user_id.to_owned(),
            scopes: pending.scopes.clone(),
            nonce: pending.nonce.clone(),
            auth_time,
            expires_at: now + CODE_TTL,
            redeemed_grant: None,
        },
    );
    Ok(code)
}

/// Whether the user already consented to every scope of the request.
pub(crate) fn consented(store: &Store, user_id: &str, pending: &Pending) -> bool {
    store
        .grants
        .consents
        .get(&(user_id.to_owned(), pending.client_id.clone()))
        .is_some_and(|granted| pending.scopes.iter().all(|s| granted.contains(s)))
}
