//! Every attribute of the element parsed once into [`Settings`]: a bad value of any of them
//! is a configuration error that disables the button, never a failure later in a flow.

use super::io::Attributes;
use crate::protocol::{ErrorCode, SigninConfig, SigninError, StorageMode};

/// How a sign-in reaches the authorization server (the `mode` attribute).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The page navigates there (the default).
    Redirect,
    /// In a popup window opened by the click.
    Popup,
}

/// What to do when the browser blocks the popup (the `popupfallback` attribute).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// Report `popup_blocked` and stay on the page (the default).
    None,
    /// Sign in by redirect instead.
    Redirect,
}

/// Where the user's profile comes from (the `profile` attribute).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileSource {
    /// The provider's userinfo endpoint (the default).
    Userinfo,
    /// Anypoint Platform's `/accounts/api/me` on the issuer's host.
    Me,
    /// No profile request: `user` is the ID token's claims.
    None,
}

/// The element's validated attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Client ID, redirect URI, scopes and issuer.
    pub config: SigninConfig,
    /// Redirect or popup.
    pub mode: Mode,
    /// What a blocked popup does.
    pub fallback: Fallback,
    /// Where the tokens are kept.
    pub storage: StorageMode,
    /// Where the profile comes from.
    pub profile: ProfileSource,
    /// Where sign-out sends the browser.
    pub logout_url: Option<String>,
    /// The app's backend that exchanges the code.
    pub exchange_url: Option<String>,
}

/// One of `choices` (attribute value, meaning); blank means the first. Anything else is
/// `code` with a sentence naming the attribute and its choices.
fn choose<T: Copy>(
    attribute: &str,
    value: Option<&str>,
    choices: &[(&str, T)],
    code: ErrorCode,
) -> Result<T, SigninError> {
    let value = value.map(str::trim_ascii).unwrap_or_default();
    if value.is_empty() {
        return Ok(choices[0].1);
    }
    if let Some((_, meaning)) = choices.iter().find(|(name, _)| *name == value) {
        return Ok(*meaning);
    }
    let mut sentence = [
        "The ",
        attribute,
        " attribute \"",
        value,
        "\" is not supported: use ",
    ]
    .concat();
    for (i, (name, _)) in choices.iter().enumerate() {
        if i > 0 {
            sentence.push_str(if i + 1 == choices.len() { " or " } else { ", " });
        }
        sentence.push('"');
        sentence.push_str(name);
        sentence.push('"');
        if i == 0 {
            sentence.push_str(" (the default)");
        }
    }
    sentence.push('.');
    Err(SigninError::new(code, sentence))
}

impl Settings {
    /// Validates `attributes`; `page_url` (without query and fragment) is the default
    /// redirect URI.
    pub fn parse(attributes: &Attributes, page_url: &str) -> Result<Settings, SigninError> {
        let attr = |name: &str| attributes.get(name).filter(|v| !v.trim().is_empty());
        let page = page_url.split(['?', '#']).next().unwrap_or_default();
        let config = SigninConfig::from_attributes(
            attr("clientid"),
            Some(attr("redirecturi").unwrap_or(page)),
            attr("scopes"),
            attr("issuer"),
            attr("region"),
        )?;
        Ok(Settings {
            config,
            mode: choose(
                "mode",
                attr("mode"),
                &[("redirect", Mode::Redirect), ("popup", Mode::Popup)],
                ErrorCode::InvalidMode,
            )?,
            fallback: choose(
                "popupfallback",
                attr("popupfallback"),
                &[("none", Fallback::None), ("redirect", Fallback::Redirect)],
                ErrorCode::InvalidMode,
            )?,
            storage: StorageMode::parse(attr("storage"))?,
            profile: choose(
                "profile",
                attr("profile"),
                &[
                    ("userinfo", ProfileSource::Userinfo),
                    ("me", ProfileSource::Me),
                    ("none", ProfileSource::None),
                ],
                ErrorCode::ProfileFailed,
            )?,
            logout_url: attr("logouturl").map(str::to_owned),
            exchange_url: attr("exchangeurl").map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<Settings, SigninError> {
        Settings::parse(&Attributes::from(pairs), "https://app.example/page?x=1#y")
    }

    #[test]
    fn defaults_and_the_page_as_redirect_uri() {
        let s = parse(&[("clientid", "app")]).unwrap();
        assert_eq!(s.config.redirect_uri.as_str(), "https://app.example/page");
        assert_eq!(s.mode, Mode::Redirect);
        assert_eq!(s.fallback, Fallback::None);
        assert_eq!(s.storage, StorageMode::Memory);
        assert_eq!(s.profile, ProfileSource::Userinfo);
        assert_eq!(s.logout_url, None);
    }

    #[test]
    fn every_choice_attribute_is_checked_here() {
        let cases: [(&str, &str, ErrorCode, &str); 4] = [
            (
                "mode",
                "tab",
                ErrorCode::InvalidMode,
                "The mode attribute \"tab\" is not supported: use \"redirect\" (the default) or \"popup\".",
            ),
            (
                "popupfallback",
                "x",
                ErrorCode::InvalidMode,
                "The popupfallback attribute \"x\" is not supported: use \"none\" (the default) or \"redirect\".",
            ),
            (
                "profile",
                "ldap",
                ErrorCode::ProfileFailed,
                "The profile attribute \"ldap\" is not supported: use \"userinfo\" (the default), \"me\" or \"none\".",
            ),
            (
                "storage",
                "local",
                ErrorCode::InvalidStorage,
                "The storage attribute \"local\" is not supported: use \"memory\" (the default) or \"session\".",
            ),
        ];
        for (name, value, code, sentence) in cases {
            let e = parse(&[("clientid", "app"), (name, value)]).unwrap_err();
            assert_eq!((e.code, e.description.as_str()), (code, sentence), "{name}");
        }
    }

    #[test]
    fn missing_client_id_comes_first() {
        let e = parse(&[("mode", "tab")]).unwrap_err();
        assert_eq!(e.code, ErrorCode::MissingClientId);
    }
}
