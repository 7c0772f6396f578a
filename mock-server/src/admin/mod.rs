//! The admin side of Anypoint's Access Management API: connected apps ("Create a Connected
//! App") and just enough of users to exercise ownership rules. The users API and the test
//! controls need the static admin token; the connected-apps API also takes the access
//! token of an organization administrator, as Anypoint does.

pub(crate) mod apps;
pub(crate) mod users;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};

use crate::api_error::ApiError;
use crate::crypto::constant_time_eq;
use crate::model::ConnectedApp;
use crate::state::AppState;

/// The bearer token of a request, if it has one.
fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
}

/// Whether `token` is the static admin token.
fn is_admin_token(state: &AppState, token: &str) -> bool {
    constant_time_eq(token.as_bytes(), state.settings.admin_token.as_bytes())
}

/// Proof that a request carries the admin bearer token.
pub(crate) struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match bearer(parts) {
            Some(token) if is_admin_token(state, token) => Ok(Admin),
            _ => Err(ApiError::unauthorized()),
        }
    }
}

/// Who calls the connected-apps API.
#[derive(Debug, Clone)]
pub(crate) enum AppsCaller {
    /// The static admin token: every organization's apps.
    Admin,
    /// An organization administrator's access token: their organization's apps only.
    OrgAdmin {
        user_id: String,
        organization_id: String,
    },
}

impl AppsCaller {
    /// The app if this caller may manage it; another organization's app is as good as
    /// missing (404), so that its existence does not leak.
    pub fn check<'a>(&self, app: &'a ConnectedApp) -> Result<&'a ConnectedApp, ApiError> {
        match self {
            AppsCaller::OrgAdmin {
                organization_id, ..
            } if app.organization_id != *organization_id => Err(ApiError::not_found(format!(
                "no connected app {}",
                app.client_id
            ))),
            _ => Ok(app),
        }
    }

    /// Whether this caller sees apps of `organization_id`.
    pub fn sees(&self, organization_id: &str) -> bool {
        match self {
            AppsCaller::Admin => true,
            AppsCaller::OrgAdmin {
                organization_id: own,
                ..
            } => own == organization_id,
        }
    }
}

impl FromRequestParts<AppState> for AppsCaller {
    type Rejection = ApiError;

    /// The admin token, or an access token whose user administers an organization: `full`
    /// scope for every call, `read:full` for reading. A valid token of anyone else is 403.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(token) = bearer(parts) else {
            return Err(ApiError::unauthorized());
        };
        if is_admin_token(state, token) {
            return Ok(AppsCaller::Admin);
        }
        let now = state.now();
        let store = state.store();
        let Some(access) = store.access_token(token, now) else {
            return Err(ApiError::unauthorized());
        };
        let user = store
            .directory
            .users
            .get(&access.grant.user_id)
            .ok_or_else(ApiError::unauthorized)?;
        let organization_id = match (&user.organization_id, user.admin) {
            (Some(organization_id), true) => organization_id.clone(),
            _ => {
                return Err(ApiError::forbidden(format!(
                    "{} does not have the organization administrator permission",
                    user.username
                )));
            }
        };
        let granted = |scope: &str| access.grant.scopes.iter().any(|s| s == scope);
        let reading = parts.method == Method::GET || parts.method == Method::HEAD;
        if !(granted("full") || reading && granted("read:full")) {
            return Err(ApiError::forbidden(if reading {
                "the access token needs the full or read:full scope"
            } else {
                "the access token needs the full scope"
            }));
        }
        Ok(AppsCaller::OrgAdmin {
            user_id: user.id.clone(),
            organization_id,
        })
    }
}
