//! Every attribute of the element parsed once into [`Settings`]: a bad value of any of them
//! is a configuration error that disables the button, never a failure later in a flow.

use super::io::{ATTRIBUTE_NAMES, Attributes};
use crate::protocol::text::{self, fill};
use crate::protocol::uri::HttpUrl;
use crate::protocol::{ErrorCode, ExchangeUrl, LogoutUrl, SigninConfig, SigninError, StorageMode};
use std::rc::Rc;

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
    pub logout_url: Option<LogoutUrl>,
    /// The app's backend that exchanges the code.
    pub exchange_url: Option<ExchangeUrl>,
}

/// For a choice attribute (one of [`CHOICES`]) and its `value` (trimmed, `None` when blank),
/// the index of the value among the names its choices quote; blank means the first, the
/// default.
/// Anything else is its error code with a sentence naming the attribute and its choices,
/// which the choices end.
fn choose(
    (_, attribute, choices, code): (Attr, &str, &str, ErrorCode),
    value: Option<&str>,
) -> Result<usize, SigninError> {
    // Blank values are absent.
    let Some(value) = value else {
        return Ok(0);
    };
    // The names are every other piece between quotes; a value holding a quote matches none.
    for (piece, name) in text::pieces(choices, b'"').enumerate() {
        if piece % 2 == 1 && name == value {
            return Ok(piece / 2);
        }
    }
    Err(SigninError::new(
        code,
        fill(
            "The \u{1} attribute \"\u{1}\" is not supported: use \u{1}",
            &[attribute, value, choices],
        ),
    ))
}

/// The index of each attribute in [`ATTRIBUTE_NAMES`].
#[derive(Clone, Copy)]
enum Attr {
    ClientId,
    RedirectUri,
    Scopes,
    Issuer,
    Region,
    Storage,
    Profile,
    LogoutUrl,
    Mode,
    PopupFallback,
    ExchangeUrl,
}

/// The configuration's attributes: the first five values, in the order
/// `SigninConfig::from_values` reads them.
const CONFIG: [Attr; 5] = [
    Attr::ClientId,
    Attr::RedirectUri,
    Attr::Scopes,
    Attr::Issuer,
    Attr::Region,
];
const _: () = {
    let mut i = 0;
    while i < CONFIG.len() {
        assert!(CONFIG[i] as usize == i);
        i += 1;
    }
};

/// The attributes with a fixed set of values, checked in this order: each one's index and
/// name, its values (quoted, the default first) as its error's sentence ends, and the code
/// of its error.
const CHOICES: [(Attr, &str, &str, ErrorCode); 4] = [
    (
        Attr::Mode,
        "mode",
        "\"redirect\" (the default) or \"popup\".",
        ErrorCode::InvalidMode,
    ),
    (
        Attr::PopupFallback,
        "popupfallback",
        "\"none\" (the default) or \"redirect\".",
        ErrorCode::InvalidMode,
    ),
    (
        Attr::Storage,
        "storage",
        "\"memory\" (the default) or \"session\".",
        ErrorCode::InvalidStorage,
    ),
    (
        Attr::Profile,
        "profile",
        "\"userinfo\" (the default), \"me\" or \"none\".",
        ErrorCode::ProfileFailed,
    ),
];

/// The origin (`scheme://host[:port]`, without the scheme's default port, as written) of the
/// absolute `http(s)` URL `url`; empty for any other text, which has no origin an `http(s)`
/// URL could share.
pub(super) fn origin(url: &str) -> &str {
    HttpUrl::parse(url).map_or("", |u| u.origin)
}

impl Settings {
    /// Validates `attributes` (and, after them, the `exchangeurl` attribute resolved against
    /// the page's address as the runner resolves it, empty when it does not resolve);
    /// `page_url` (without query and fragment) is the default redirect URI. The settings
    /// come shared, as the element and its flows keep them.
    #[expect(clippy::question_mark, reason = "a match is smaller than `?` here")]
    pub fn parse(attributes: &Attributes, page_url: &str) -> Result<Rc<Settings>, SigninError> {
        // Each attribute's value trimmed, unless it is absent or blank; the exchangeurl
        // attribute as written, as its error quotes it.
        let mut values = [None; ATTRIBUTE_NAMES.len()];
        let mut given = attributes.values();
        // By index: no iterator over the slots.
        let mut i = 0;
        while let Some(value) = values.get_mut(i) {
            let v = given.next().unwrap_or_default();
            let trimmed = text::trim(v);
            if !trimmed.is_empty() {
                *value = Some(if i == Attr::ExchangeUrl as usize {
                    v
                } else {
                    trimmed
                });
            }
            i += 1;
        }
        let resolved_exchange_url = given.next().unwrap_or_default();
        let attr = |a: Attr| values[a as usize];
        let page = text::before(page_url, b"?#");
        // Each field's value, or the first error in the order of the fields; blank, the
        // redirect URI is the page.
        let config = match SigninConfig::from_values(&values, page) {
            Ok(config) => config,
            Err(e) => return Err(e),
        };
        // The settings are built where they stay, the defaults replaced as the attributes
        // are read.
        let mut settings = Settings {
            config,
            mode: Mode::Redirect,
            fallback: Fallback::None,
            storage: StorageMode::Memory,
            profile: ProfileSource::Userinfo,
            logout_url: None,
            exchange_url: None,
        };
        // Each choice's value replaces its default as it is read; choose gives only the
        // index of one of the choice's names, the first being the default.
        let mut i = 0;
        while let Some(&choice) = CHOICES.get(i) {
            let c = match choose(choice, values[choice.0 as usize]) {
                Ok(c) => c,
                Err(e) => return Err(e),
            };
            // Each field set whatever the index, the default for 0: a flag stored, not a
            // branch per value.
            let second = c == 1;
            match i {
                0 => settings.mode = if second { Mode::Popup } else { Mode::Redirect },
                1 => {
                    settings.fallback = if second {
                        Fallback::Redirect
                    } else {
                        Fallback::None
                    }
                }
                2 => {
                    settings.storage = if second {
                        StorageMode::Session
                    } else {
                        StorageMode::Memory
                    }
                }
                _ => {
                    settings.profile = match c {
                        1 => ProfileSource::Me,
                        2 => ProfileSource::None,
                        _ => ProfileSource::Userinfo,
                    }
                }
            }
            i += 1;
        }
        // Put in the fields left empty: nothing to drop.
        if let Some(u) = attr(Attr::LogoutUrl) {
            match LogoutUrl::parse(u) {
                Ok(u) => settings.logout_url.get_or_insert(u),
                Err(e) => return Err(e),
            };
        }
        if let Some(u) = attr(Attr::ExchangeUrl) {
            match ExchangeUrl::parse(u, resolved_exchange_url, origin(page_url)) {
                Ok(u) => settings.exchange_url.get_or_insert(u),
                Err(e) => return Err(e),
            };
        }
        Ok(Rc::new(settings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::io::RESOLVED_EXCHANGE_URL;

    fn parse(pairs: &[(&str, &str)]) -> Result<Rc<Settings>, SigninError> {
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
    fn url_attributes_are_checked_here() {
        let e = parse(&[("clientid", "app"), ("logouturl", "javascript:alert(1)")]).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidLogoutUrl);
        // Each exchangeurl with the value the runner sends beside it, resolved against the
        // page (https://app.example/page?x=1#y) as `new URL` resolves it.
        let e = parse(&[
            ("clientid", "app"),
            ("exchangeurl", " http://evil.example/x"),
            (RESOLVED_EXCHANGE_URL, "http://evil.example/x"),
        ])
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidExchangeUrl);
        // The sentence quotes the attribute as written.
        assert!(
            e.description
                .starts_with("The exchangeurl attribute \" http://evil.example/x\" is neither"),
            "{}",
            e.description
        );
        // One that does not resolve.
        let e = parse(&[
            ("clientid", "app"),
            ("exchangeurl", "http://["),
            (RESOLVED_EXCHANGE_URL, ""),
        ])
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidExchangeUrl);
        assert!(e.description.contains("\"http://[\""), "{}", e.description);
        for (written, resolved) in [
            ("token", "https://app.example/token"),
            ("/api/token?x", "https://app.example/api/token?x"),
            ("//api.example/x", "https://api.example/x"),
        ] {
            let s = parse(&[
                ("clientid", "app"),
                ("exchangeurl", written),
                (RESOLVED_EXCHANGE_URL, resolved),
            ])
            .unwrap();
            assert_eq!(s.exchange_url.as_ref().unwrap().as_str(), resolved);
        }
        // A blank attribute is no exchange, whatever the runner resolved.
        let s = parse(&[
            ("clientid", "app"),
            ("exchangeurl", " "),
            (RESOLVED_EXCHANGE_URL, "https://app.example/page?x=1"),
        ])
        .unwrap();
        assert_eq!(s.exchange_url, None);
    }

    #[test]
    fn origins_of_pages() {
        let base = "http://127.0.0.1:8080/a/b.html?q#f";
        assert_eq!(origin(base), "http://127.0.0.1:8080");
        assert_eq!(origin("https://a.example"), "https://a.example");
        assert_eq!(origin("https://a.example:443/x"), "https://a.example");
        assert_eq!(origin("HTTP://A.example:443/x"), "HTTP://A.example:443");
        // Texts that are not http(s) URLs have none.
        for other in [
            "about:blank",
            "blob:https://a.example/x",
            "https://u:p@a.example/",
            "",
        ] {
            assert_eq!(origin(other), "", "{other}");
        }
    }

    /// On a page whose address is not `http(s)://`, no reference is on the page's origin:
    /// relative ones do not resolve (the runner sends them resolved as empty, as `new URL`
    /// throws), and absolute ones are on no such origin.
    #[test]
    fn pages_of_other_schemes_have_no_same_origin_exchange() {
        for page in [
            "blob:https://app.example/1234",
            "data:text/html,https://app.example/x",
            "about:blank",
        ] {
            for (reference, resolved) in [
                ("/api", ""),
                ("api", ""),
                ("//app.example/api", ""),
                ("http://app.example/api", "http://app.example/api"),
            ] {
                let attributes = Attributes::from(
                    &[
                        ("clientid", "app"),
                        ("redirecturi", "https://app.example/cb"),
                        ("exchangeurl", reference),
                        (RESOLVED_EXCHANGE_URL, resolved),
                    ][..],
                );
                let e = Settings::parse(&attributes, page).unwrap_err();
                assert_eq!(e.code, ErrorCode::InvalidExchangeUrl, "{page} {reference}");
            }
        }
    }

    #[test]
    fn choices_are_trimmed_and_blank_is_the_default() {
        let s = parse(&[
            ("clientid", "app"),
            ("mode", " popup "),
            ("popupfallback", "\tredirect"),
            ("storage", "session\n"),
            ("profile", "me"),
        ])
        .unwrap();
        assert_eq!(
            (s.mode, s.fallback, s.storage, s.profile),
            (
                Mode::Popup,
                Fallback::Redirect,
                StorageMode::Session,
                ProfileSource::Me
            )
        );
        let s = parse(&[
            ("clientid", "app"),
            ("mode", "  "),
            ("storage", "\u{a0}"),
            ("profile", "none"),
        ])
        .unwrap();
        assert_eq!(
            (s.mode, s.storage, s.profile),
            (Mode::Redirect, StorageMode::Memory, ProfileSource::None)
        );
        // Case matters.
        let e = parse(&[("clientid", "app"), ("mode", "Popup")]).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidMode);
        // Only a whole name is one: not the words around the names, nor names with quotes.
        for value in [
            "redirect\" (the default) or \"popup",
            "\"popup\"",
            "(the default)",
            ".",
        ] {
            let e = parse(&[("clientid", "app"), ("mode", value)]).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidMode, "{value}");
        }
    }

    #[test]
    fn the_first_bad_attribute_is_reported() {
        let all_bad = [
            ("clientid", "app"),
            (RESOLVED_EXCHANGE_URL, "http://evil.example/x"),
            ("exchangeurl", "http://evil.example/x"),
            ("logouturl", "javascript:x"),
            ("profile", "ldap"),
            ("storage", "local"),
            ("popupfallback", "x"),
            ("mode", "tab"),
        ];
        let expected = [
            "The mode attribute",
            "The popupfallback attribute",
            "The storage attribute",
            "The profile attribute",
        ];
        for (skip, start) in expected.iter().enumerate() {
            let e = parse(&all_bad[..all_bad.len() - skip]).unwrap_err();
            assert!(e.description.starts_with(start), "{}", e.description);
        }
        let e = parse(&all_bad[..4]).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidLogoutUrl);
        let e = parse(&all_bad[..3]).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidExchangeUrl);
        let e = parse(&[("clientid", "app"), ("region", "mars"), ("mode", "tab")]).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownRegion);
    }

    /// The runner sends the values in the order of `ATTRIBUTES` in js/element.js, which
    /// [`ATTRIBUTE_NAMES`] follows; each choice's name is the one at its index, and the
    /// runner resolves the `exchangeurl` value found at its index.
    #[test]
    fn attribute_order_is_the_runners() {
        let runner = include_str!("../../js/element.js");
        // Their properties, each attribute its property's name in lower case.
        let list = runner.split("const ATTRIBUTES = '").nth(1).unwrap();
        let list = list.split('\'').next().unwrap();
        let names: Vec<String> = list.split(' ').map(str::to_lowercase).collect();
        assert_eq!(names, ATTRIBUTE_NAMES);
        for (attr, name, ..) in CHOICES {
            assert_eq!(ATTRIBUTE_NAMES[attr as usize], name);
        }
        let attrs = [
            (Attr::ClientId, "clientid"),
            (Attr::RedirectUri, "redirecturi"),
            (Attr::Scopes, "scopes"),
            (Attr::Issuer, "issuer"),
            (Attr::Region, "region"),
            (Attr::LogoutUrl, "logouturl"),
            (Attr::ExchangeUrl, "exchangeurl"),
        ];
        for (attr, name) in attrs {
            assert_eq!(ATTRIBUTE_NAMES[attr as usize], name);
        }
        // The runner resolves the exchangeurl attribute's value by its index.
        let at = format!("fields[{}].trim()", Attr::ExchangeUrl as usize);
        assert!(
            runner.contains(&format!("new URL({at}, location.href)")),
            "js/element.js must resolve {at}, the exchangeurl attribute"
        );
    }

    /// Every value but the exchangeurl one is trimmed once, of all white space, as blank
    /// ones are told apart.
    #[test]
    fn values_are_trimmed_of_all_white_space() {
        let s = parse(&[
            ("clientid", "\u{a0}app\t"),
            ("redirecturi", "\u{2003}https://app.example/cb "),
            ("scopes", "\u{a0}openid\u{a0}"),
            ("issuer", "\u{b}https://as.example\u{3000}"),
            ("mode", "\u{a0}popup"),
            ("logouturl", "\u{a0}https://app.example/bye"),
        ])
        .unwrap();
        assert_eq!(s.config.client_id.as_str(), "app");
        assert_eq!(s.config.redirect_uri.as_str(), "https://app.example/cb");
        assert_eq!(s.config.scopes.as_str(), "openid");
        assert_eq!(s.config.issuer.as_str(), "https://as.example");
        assert_eq!(s.mode, Mode::Popup);
        assert_eq!(
            s.logout_url.as_ref().map(LogoutUrl::as_str),
            Some("https://app.example/bye")
        );
        let e = parse(&[("clientid", "app"), ("region", "\u{a0}mars\u{a0}")]).unwrap_err();
        assert_eq!(
            e.description,
            "The region attribute \"mars\" is not a known Anypoint region: use us, eu or gov."
        );
    }

    #[test]
    fn missing_client_id_comes_first() {
        let e = parse(&[("mode", "tab")]).unwrap_err();
        assert_eq!(e.code, ErrorCode::MissingClientId);
    }
}
