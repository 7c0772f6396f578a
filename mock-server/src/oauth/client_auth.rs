//! Client authentication at the token, revocation and introspection endpoints:
//! `client_secret_basic`, `client_secret_post` (RFC 6749 §2.3.1) and public clients
//! identified by `client_id` alone (`none`, RFC 7591 §2).

use axum::http::{HeaderMap, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::crypto::constant_time_eq;
use crate::model::ConnectedApp;
use crate::oauth::error::OAuthError;
use crate::oauth::params::Params;
use crate::store::Store;

/// How a client proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Basic,
    Post,
    /// A public client: only its `client_id`.
    None,
}

/// An authenticated (or, for public clients, identified) client.
pub(crate) struct Client {
    pub app: ConnectedApp,
    pub method: Method,
}

impl Client {
    /// Whether the client proved possession of a secret.
    pub fn confidential(&self) -> bool {
        self.method != Method::None
    }
}

/// Authenticates the client of a request, or `None` when it names no client at all.
pub(crate) fn authenticate(
    store: &Store,
    headers: &HeaderMap,
    params: &Params,
) -> Result<Option<Client>, OAuthError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let (id, secret) = parse_basic(value.to_str().unwrap_or("")).ok_or_else(|| {
            OAuthError::invalid_client("malformed Basic Authorization header", true)
        })?;
        if params.get("client_secret").is_some() {
            return Err(OAuthError::invalid_request(
                "use one client authentication method, not Basic and client_secret both",
            ));
        }
        if params.get("client_id").is_some_and(|p| p != id) {
            return Err(OAuthError::invalid_request(
                "client_id differs from the Basic credentials",
            ));
        }
        let app = check_secret(store, &id, &secret)
            .ok_or_else(|| OAuthError::invalid_client("client authentication failed", true))?;
        return Ok(Some(Client {
            app,
            method: Method::Basic,
        }));
    }
    let Some(id) = params.get("client_id") else {
        if params.get("client_secret").is_some() {
            return Err(OAuthError::invalid_request(
                "client_secret without client_id",
            ));
        }
        return Ok(None);
    };
    if let Some(secret) = params.get("client_secret") {
        let app = check_secret(store, id, secret)
            .ok_or_else(|| OAuthError::invalid_client("client authentication failed", false))?;
        return Ok(Some(Client {
            app,
            method: Method::Post,
        }));
    }
    let Some(app) = store.directory.active_app(id) else {
        return Err(OAuthError::invalid_client(
            "unknown or disabled client",
            false,
        ));
    };
    if !app.public_client {
        return Err(OAuthError::invalid_client(
            "this client is confidential: authenticate with its client_secret",
            false,
        ));
    }
    Ok(Some(Client {
        app: app.clone(),
        method: Method::None,
    }))
}

/// Requires a client: `Some` from [`authenticate`], or `invalid_client`.
pub(crate) fn require(client: Option<Client>) -> Result<Client, OAuthError> {
    client.ok_or_else(|| {
        OAuthError::invalid_client(
            "client authentication required (HTTP Basic, client_secret, or client_id for public clients)",
            false,
        )
    })
}

fn check_secret(store: &Store, id: &str, secret: &str) -> Option<ConnectedApp> {
    let app = store.directory.active_app(id)?;
    let expected = app.client_secret.as_deref()?;
    constant_time_eq(expected.as_bytes(), secret.as_bytes()).then(|| app.clone())
}

/// `Basic base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 §2.3.1).
fn parse_basic(value: &str) -> Option<(String, String)> {
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape = |s: &str| -> String {
        form_urlencoded::parse(format!("v={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Some((unescape(id), unescape(secret)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_form_decoded() {
        let header = format!("Basic {}", STANDARD.encode("my%20app:p%40ss+word"));
        assert_eq!(
            parse_basic(&header),
            Some(("my app".to_owned(), "p@ss word".to_owned()))
        );
        assert_eq!(parse_basic("Bearer abc"), None);
    }
}
