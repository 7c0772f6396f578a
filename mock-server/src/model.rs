//! The records the mock keeps: organizations, users and connected apps.

use crate::crypto::keys::{RegisteredKey, SigningAlg};

/// `authorization_code` (RFC 6749 §4.1).
pub(crate) const AUTHORIZATION_CODE: &str = "authorization_code";
/// `refresh_token` (RFC 6749 §6).
pub(crate) const REFRESH_TOKEN: &str = "refresh_token";
/// `password` (RFC 6749 §4.3).
pub(crate) const PASSWORD: &str = "password";
/// `client_credentials` (RFC 6749 §4.4).
pub(crate) const CLIENT_CREDENTIALS: &str = "client_credentials";
/// JWT bearer assertion grant (RFC 7523 §2.1).
pub(crate) const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Grant types Anypoint supports, in the order discovery lists them.
pub(crate) const GRANT_TYPES: &[&str] = &[
    AUTHORIZATION_CODE,
    REFRESH_TOKEN,
    PASSWORD,
    CLIENT_CREDENTIALS,
    JWT_BEARER,
];

/// Grants an app "acting on behalf of a user" may have.
pub(crate) const USER_GRANTS: &[&str] = &[AUTHORIZATION_CODE, REFRESH_TOKEN, PASSWORD, JWT_BEARER];

/// An Anypoint organization (business group).
#[derive(Debug, Clone)]
pub(crate) struct Organization {
    pub id: String,
    pub name: String,
    pub domain: String,
    /// Ids of identity providers whose users the JWT bearer grant accepts.
    pub identity_providers: Vec<String>,
    /// The root organization owner, who inherits orphaned connected apps.
    pub owner_id: String,
}

/// A user who can sign in.
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub id: String,
    pub username: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// The user's own organization; `None` once removed from it.
    pub organization_id: Option<String>,
    /// Organization administrator: may own connected apps.
    pub admin: bool,
    pub created_at: u64,
}

impl User {
    /// "First Last", as OpenID Connect's `name` claim.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_owned()
    }
}

/// Who may authorize an app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    /// Only users of the owning organization.
    Internal,
    /// Any Anypoint user (a third-party app).
    Everyone,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Internal => "internal",
            Audience::Everyone => "everyone",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "internal" => Some(Audience::Internal),
            "everyone" => Some(Audience::Everyone),
            _ => None,
        }
    }
}

/// A connected app.
#[derive(Debug, Clone)]
pub(crate) struct ConnectedApp {
    pub client_id: String,
    pub client_secret: Option<String>,
    pub client_name: String,
    pub organization_id: String,
    pub owner_id: String,
    pub grant_types: Vec<String>,
    pub scopes: Vec<String>,
    pub audience: Audience,
    pub redirect_uris: Vec<String>,
    pub public_client: bool,
    pub acts_on_behalf_of_user: bool,
    pub website_url: Option<String>,
    pub public_keys: Vec<RegisteredKey>,
    /// Scopes an administrator approved when allowlisting the app, if allowlisted.
    pub approved_scopes: Option<Vec<String>>,
    /// How its ID tokens are signed (OpenID Connect Dynamic Client Registration §2).
    pub id_token_signed_response_alg: SigningAlg,
    /// A disabled app signs no one in and gets no tokens; its tokens stopped working.
    pub enabled: bool,
    pub created_at: u64,
}

impl ConnectedApp {
    pub fn has_grant(&self, grant: &str) -> bool {
        self.grant_types.iter().any(|g| g == grant)
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// Scopes that may be requested now: all of the app's, or only the approved ones
    /// while the app is allowlisted.
    pub fn requestable(&self, scope: &str) -> Result<(), ScopeRefusal> {
        if !self.has_scope(scope) {
            return Err(ScopeRefusal::NotRegistered);
        }
        match &self.approved_scopes {
            Some(approved) if !approved.iter().any(|s| s == scope) => {
                Err(ScopeRefusal::NotApproved)
            }
            _ => Ok(()),
        }
    }
}

/// Why a scope cannot be requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScopeRefusal {
    NotRegistered,
    NotApproved,
}

/// Checks requested scopes against an app; on refusal, an `invalid_scope` description.
pub(crate) fn check_scopes(app: &ConnectedApp, requested: &[String]) -> Result<(), String> {
    let mut unregistered = Vec::new();
    let mut unapproved = Vec::new();
    for scope in requested {
        match app.requestable(scope) {
            Ok(()) => {}
            Err(ScopeRefusal::NotRegistered) => unregistered.push(scope.as_str()),
            Err(ScopeRefusal::NotApproved) => unapproved.push(scope.as_str()),
        }
    }
    if !unregistered.is_empty() {
        return Err(format!(
            "scope not registered for this app: {}",
            unregistered.join(" ")
        ));
    }
    if !unapproved.is_empty() {
        return Err(format!(
            "scope not yet approved by the organization's allowlist, an administrator must re-approve the app: {}",
            unapproved.join(" ")
        ));
    }
    Ok(())
}
