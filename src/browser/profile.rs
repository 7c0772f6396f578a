//! The signed-in user's profile: OpenID Connect userinfo (Core §5.3), or Anypoint's
//! `/accounts/api/me`, loaded once after sign-in (the `profile` attribute chooses).

use wasm_bindgen::JsValue;

use super::{discovery, http};
use crate::protocol::decimal::decimal;
use crate::protocol::{ErrorCode, IssuerUrl, SigninError, check_profile_subject};

/// Where the profile comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ProfileSource {
    /// The provider's userinfo endpoint (the default).
    Userinfo,
    /// Anypoint Platform's `/accounts/api/me` on the issuer's host.
    Me,
    /// No profile request: `user` is the ID token's claims.
    None,
}

impl ProfileSource {
    /// Parses the `profile` attribute.
    pub fn parse(value: Option<&str>) -> Result<ProfileSource, SigninError> {
        match value.map(str::trim_ascii).unwrap_or_default() {
            "" | "userinfo" => Ok(ProfileSource::Userinfo),
            "me" => Ok(ProfileSource::Me),
            "none" => Ok(ProfileSource::None),
            other => Err(SigninError::new(
                ErrorCode::ProfileFailed,
                [
                    "The profile attribute \"",
                    other,
                    "\" is not supported: use \"userinfo\" (the default), \"me\" or \"none\".",
                ]
                .concat(),
            )),
        }
    }
}

fn failed(url: &str, why: impl Into<String>) -> SigninError {
    SigninError::new(
        ErrorCode::ProfileFailed,
        [
            "You are signed in, but your profile could not be loaded from ",
            url,
            ": the name shown comes from the ID token.",
        ]
        .concat(),
    )
    .with_cause(why)
}

/// Loads the profile with `access_token`; `Ok(None)` when there is nothing to load. A profile
/// of another user than the ID token's `subject` is refused (OpenID Connect Core §5.3.4).
pub async fn load(
    source: ProfileSource,
    issuer: &str,
    access_token: &str,
    subject: Option<&str>,
) -> Result<Option<(JsValue, Option<String>)>, SigninError> {
    let url = match source {
        ProfileSource::None => return Ok(None),
        ProfileSource::Userinfo => {
            let metadata = discovery::metadata(&IssuerUrl::parse(issuer)?).await?;
            match &metadata.userinfo_endpoint {
                Some(url) => url.clone(),
                None => return Ok(None),
            }
        }
        ProfileSource::Me => {
            let origin = web_sys::Url::new(issuer)
                .map(|u| u.origin())
                .map_err(|_| failed(issuer, "not a URL"))?;
            origin + "/accounts/api/me"
        }
    };
    let response = http::get_with_bearer(&url, access_token)
        .await
        .map_err(|e| failed(&url, e.0))?;
    if !(200..300).contains(&response.status) {
        return Err(failed(
            &url,
            ["HTTP ", &decimal(u64::from(response.status))].concat(),
        ));
    }
    let parsed = js_sys::JSON::parse(&response.body).map_err(|_| failed(&url, "not JSON"))?;
    let profile = match source {
        ProfileSource::Me => js_sys::Reflect::get(&parsed, &"user".into())
            .ok()
            .filter(|u| u.is_object())
            .ok_or_else(|| failed(&url, "no user object"))?,
        _ => parsed,
    };
    let id = if source == ProfileSource::Me {
        "id"
    } else {
        "sub"
    };
    let profile_subject = js_sys::Reflect::get(&profile, &id.into())
        .ok()
        .and_then(|v| v.as_string());
    check_profile_subject(&url, profile_subject.as_deref(), subject)?;
    let name = display_name(&profile);
    Ok(Some((profile, name)))
}

/// The name to show: `name`, else first and last name (OIDC or Anypoint spelling), else
/// the username or email.
fn display_name(profile: &JsValue) -> Option<String> {
    let field = |name: &str| {
        js_sys::Reflect::get(profile, &name.into())
            .ok()
            .and_then(|v| v.as_string())
            .filter(|v| !v.trim().is_empty())
    };
    if let Some(name) = field("name") {
        return Some(name);
    }
    let given = field("given_name").or_else(|| field("firstName"));
    let family = field("family_name").or_else(|| field("lastName"));
    match (given, family) {
        (Some(g), Some(f)) => Some([g, f].join(" ")),
        (Some(one), None) | (None, Some(one)) => Some(one),
        (None, None) => field("preferred_username")
            .or_else(|| field("username"))
            .or_else(|| field("email")),
    }
}
