//! Anypoint's accounts API outside OAuth: the signed-in user's profile and sign-out.

pub(crate) mod logout;
pub(crate) mod me;

/// `GET /accounts/api/me`.
pub(crate) const ME: &str = "/accounts/api/me";
/// `GET /accounts/api/logout/`, as the original sign-in element calls it.
pub(crate) const LOGOUT: &str = "/accounts/api/logout/";
/// The same without the trailing slash.
pub(crate) const LOGOUT_NO_SLASH: &str = "/accounts/api/logout";
