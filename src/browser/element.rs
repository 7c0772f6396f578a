//! `<anypoint-signin>`: the Rust object behind each element instance.
//!
//! Attributes: `clientid`, `redirecturi` (default: this page without query), `scopes`
//! (default `openid profile`), `issuer` (default Anypoint's US issuer), `region`
//! (`us` | `eu` | `gov`), `storage` (`memory` | `session`), `profile` (`userinfo` | `me` |
//! `none`) and `logouturl`. Each is mirrored by a property (`clientId`, `redirectUri`, ...)
//! in `js/element.js`, and is read afresh on every use, so run-time changes take effect.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::HtmlElement;

use super::popup::{self, Fallback};
use super::profile::{self, ProfileSource};
use super::render::{Ui, View};
use super::session::{self, Session};
use super::signin::SignInOptions;
use super::{callback, events, signin, storage, tokens};
use crate::protocol::{
    ErrorCode, ExchangeUrl, LogoutUrl, RedirectUri, SigninConfig, SigninError, StorageMode,
    looks_like_callback,
};

/// How a sign-in reaches the authorization server.
enum Launch {
    /// The page navigates there.
    Redirect,
    /// In this popup window.
    Popup(web_sys::Window),
    /// Popup mode, but the browser blocked the window.
    Blocked(Fallback),
}

/// The element's validated attributes.
struct Settings {
    config: SigninConfig,
    popup: bool,
    fallback: Fallback,
    storage: StorageMode,
    profile: ProfileSource,
    logout_url: Option<LogoutUrl>,
    exchange_url: Option<ExchangeUrl>,
}

/// The custom element's tag name.
pub const TAG: &str = "anypoint-signin";

#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = defineElement)]
    fn define_element(tag: &str, create_core: &js_sys::Function);
}

thread_local! {
    static ELEMENTS: RefCell<Vec<Weak<Inner>>> = const { RefCell::new(Vec::new()) };
    static PAGE_CLAIMED: Cell<bool> = const { Cell::new(false) };
}

/// Defines `<anypoint-signin>` (once per page).
pub fn define() {
    let create = Closure::<dyn Fn(HtmlElement) -> Result<JsValue, JsValue>>::new(|host| {
        ElementCore::new(host).map(JsValue::from)
    });
    define_element(TAG, create.as_ref().unchecked_ref());
    create.forget();
}

struct Inner {
    host: HtmlElement,
    ui: Ui,
    busy: Cell<bool>,
    /// The configuration error last reported, so each distinct one is announced once.
    reported: RefCell<Option<String>>,
    _on_click: Closure<dyn Fn()>,
}

/// The state and behaviour of one `<anypoint-signin>` element; its methods are called by the
/// element class in `js/element.js`.
#[wasm_bindgen]
pub struct ElementCore {
    inner: Rc<Inner>,
}

impl ElementCore {
    fn new(host: HtmlElement) -> Result<ElementCore, JsValue> {
        let ui = Ui::attach(&host)?;
        let inner = Rc::new_cyclic(|weak: &Weak<Inner>| {
            let weak = weak.clone();
            let on_click = Closure::<dyn Fn()>::new(move || {
                if let Some(inner) = weak.upgrade() {
                    Inner::clicked(&inner);
                }
            });
            Inner {
                host,
                ui,
                busy: Cell::new(false),
                reported: RefCell::new(None),
                _on_click: on_click,
            }
        });
        inner
            .ui
            .button
            .add_event_listener_with_callback("click", inner._on_click.as_ref().unchecked_ref())?;
        inner.render();
        Ok(ElementCore { inner })
    }
}

#[wasm_bindgen]
impl ElementCore {
    /// `connectedCallback`: render, announce a configuration error, and complete a sign-in
    /// when this page is the redirect URI of one.
    pub fn connected(&self) {
        let inner = &self.inner;
        ELEMENTS.with(|list| {
            let mut list = list.borrow_mut();
            list.retain(|w| w.strong_count() > 0 && !std::ptr::eq(w.as_ptr(), Rc::as_ptr(inner)));
            list.push(Rc::downgrade(inner));
        });
        inner.render();
        inner.announce_config_error();
        let Ok(settings) = inner.settings() else {
            return;
        };
        // Inside a sign-in popup, the opener completes the sign-in.
        if popup::answer() {
            return;
        }
        // One element per page completes a callback or restores the session.
        if PAGE_CLAIMED.with(|c| c.replace(true)) {
            return;
        }
        let href = super::window().location().href().unwrap_or_default();
        let params = callback::callback_params(&href).to_owned();
        let inner = inner.clone();
        if is_redirect_target(&href, &settings.config.redirect_uri) && looks_like_callback(&params)
        {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = Inner::finish(&inner, &params, true).await;
            });
        } else {
            wasm_bindgen_futures::spawn_local(async move {
                Inner::restore(&inner, &settings).await;
            });
        }
    }

    /// `disconnectedCallback`.
    pub fn disconnected(&self) {
        let me = Rc::as_ptr(&self.inner);
        ELEMENTS.with(|list| {
            list.borrow_mut()
                .retain(|w| w.strong_count() > 0 && !std::ptr::eq(w.as_ptr(), me));
        });
    }

    /// `attributeChangedCallback`: the new configuration applies from now on.
    #[wasm_bindgen(js_name = attributeChanged)]
    pub fn attribute_changed(&self, _name: String) {
        self.inner.ui.set_message("");
        self.inner.render();
        self.inner.announce_config_error();
    }

    /// `signIn({prompt, loginHint})`.
    #[wasm_bindgen(js_name = signIn)]
    pub fn sign_in(&self, options_js: JsValue) -> Promise {
        let string = |key: &str| {
            Reflect::get(&options_js, &JsValue::from_str(key))
                .ok()
                .and_then(|v| v.as_string())
        };
        #[cfg_attr(not(feature = "test-hooks"), allow(unused_mut))]
        let mut options = SignInOptions {
            prompt: string("prompt"),
            login_hint: string("loginHint"),
            ..SignInOptions::default()
        };
        #[cfg(feature = "test-hooks")]
        if let Some(ms) = Reflect::get(&options_js, &"popupTimeoutMs".into())
            .ok()
            .and_then(|v| v.as_f64())
        {
            options.popup_timeout_ms = ms as u32;
        }
        #[cfg(feature = "test-hooks")]
        if string("trap").as_deref() == Some("sync") {
            core::arch::wasm32::unreachable();
        }
        let launch = self.inner.launch();
        let inner = self.inner.clone();
        future_to_promise(async move {
            Inner::start(&inner, &options, launch)
                .await
                .map(|_| JsValue::UNDEFINED)
                .map_err(|e| js_error(&e))
        })
    }

    /// `signOut()`.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            Inner::sign_out(&inner).await;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `getAccessToken()`: an access token valid for at least another minute, renewed with
    /// the refresh token first when needed.
    #[wasm_bindgen(js_name = getAccessToken)]
    pub fn get_access_token(&self) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            match tokens::access_token().await {
                Ok(token) => Ok(JsValue::from_str(&token)),
                Err(e) => {
                    if e.code == ErrorCode::NotSignedIn {
                        inner.fail(&e);
                    }
                    Err(js_error(&e))
                }
            }
        })
    }

    /// `handleRedirectCallback(url)`: completes a sign-in from a redirect URL; resolves to
    /// false when `url` carries no callback parameters.
    #[wasm_bindgen(js_name = handleRedirectCallback)]
    pub fn handle_redirect_callback(&self, url: String) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let params = callback::callback_params(&url);
            if !looks_like_callback(params) {
                return Ok(JsValue::FALSE);
            }
            let current = super::window().location().href().unwrap_or_default();
            let is_current_page = current == url;
            Inner::finish(&inner, params, is_current_page)
                .await
                .map(|_| JsValue::TRUE)
                .map_err(|e| js_error(&e))
        })
    }

    /// The `signedIn` property.
    #[wasm_bindgen(js_name = signedIn)]
    pub fn signed_in(&self) -> bool {
        session::signed_in().is_some()
    }

    /// The `accessToken` property.
    #[wasm_bindgen(js_name = accessToken)]
    pub fn access_token(&self) -> Option<String> {
        session::signed_in().and_then(|s| s.access_token().map(|t| t.secret().to_owned()))
    }

    /// The `user` property: the profile (or, until it loads, the ID token's claims), or
    /// `null` when signed out.
    pub fn user(&self) -> JsValue {
        session::signed_in().map_or(JsValue::NULL, |s| s.user())
    }
}

impl Inner {
    fn settings(&self) -> Result<Settings, SigninError> {
        let attr = |name: &str| self.host.get_attribute(name);
        let redirect_uri = attr("redirecturi").unwrap_or_else(current_page_without_query);
        Ok(Settings {
            config: SigninConfig::from_attributes(
                attr("clientid").as_deref(),
                Some(&redirect_uri),
                attr("scopes").as_deref(),
                attr("issuer").as_deref(),
                attr("region").as_deref(),
            )?,
            popup: match attr("mode")
                .as_deref()
                .map(str::trim_ascii)
                .unwrap_or_default()
            {
                "" | "redirect" => false,
                "popup" => true,
                other => {
                    return Err(SigninError::new(
                        ErrorCode::InvalidMode,
                        [
                            "The mode attribute \"",
                            other,
                            "\" is not supported: use \"redirect\" (the default) or \"popup\".",
                        ]
                        .concat(),
                    ));
                }
            },
            fallback: Fallback::parse(attr("popupfallback").as_deref())?,
            storage: StorageMode::parse(attr("storage").as_deref())?,
            profile: ProfileSource::parse(attr("profile").as_deref())?,
            logout_url: present(attr("logouturl"))
                .map(|u| LogoutUrl::parse(u.trim()))
                .transpose()?,
            exchange_url: present(attr("exchangeurl"))
                .map(|u| exchange_url(&u))
                .transpose()?,
        })
    }

    fn render(&self) {
        if let Some(s) = session::signed_in() {
            let name = s.display_name.as_deref().unwrap_or("your account");
            self.ui.show(&View::SignedIn { name });
            return;
        }
        let error = self.settings().err();
        self.ui.show(&View::SignedOut {
            busy: self.busy.get(),
            unavailable: error.as_ref().map(|e| e.description.as_str()),
        });
    }

    /// Fires an error event for a configuration error not yet announced. Deferred to a
    /// microtask so that listeners added right after the element is created still hear it.
    fn announce_config_error(self: &Rc<Self>) {
        let error = self.settings().err();
        let key = error.as_ref().map(|e| e.code.as_str().to_owned());
        if *self.reported.borrow() == key {
            return;
        }
        self.reported.replace(key);
        if let Some(error) = error {
            let inner = self.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(Promise::resolve(&JsValue::UNDEFINED)).await;
                events::error(&inner.host, &error);
            });
        }
    }

    fn clicked(self: &Rc<Self>) {
        let inner = self.clone();
        if session::signed_in().is_some() {
            wasm_bindgen_futures::spawn_local(async move { Inner::sign_out(&inner).await });
            return;
        }
        let launch = self.launch();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = Inner::start(&inner, &SignInOptions::default(), launch).await;
        });
    }

    /// How this sign-in reaches the authorization server. A popup must be opened now,
    /// synchronously inside the click, or the browser blocks it.
    fn launch(&self) -> Launch {
        match self.settings() {
            Ok(settings) if settings.popup && !self.busy.get() => {
                popup::open().map_or(Launch::Blocked(settings.fallback), Launch::Popup)
            }
            _ => Launch::Redirect,
        }
    }

    async fn start(
        self: &Rc<Self>,
        options: &SignInOptions,
        launch: Launch,
    ) -> Result<(), SigninError> {
        if self.busy.get() {
            return Ok(());
        }
        let settings = self.settings().inspect_err(|e| self.fail(e))?;
        let window = match launch {
            Launch::Popup(window) => window,
            Launch::Blocked(Fallback::None) => {
                let error = popup::blocked();
                self.fail(&error);
                return Err(error);
            }
            Launch::Redirect | Launch::Blocked(Fallback::Redirect) => {
                self.ui.set_message("");
                self.busy.set(true);
                self.render();
                let result = signin::start(&self.host, &settings.config, options).await;
                // Navigating away: stay busy so a second click cannot start another sign-in.
                if !matches!(result, Ok(true)) {
                    self.busy.set(false);
                    self.render();
                }
                return result.map(|_| ()).inspect_err(|e| self.fail(e));
            }
        };
        self.ui.set_message("");
        self.busy.set(true);
        self.render();
        let outcome = match signin::prepare(&settings.config, options).await {
            Ok(prepared) if events::redirect(&self.host, &prepared.url) => {
                let origin = settings.config.redirect_uri.origin();
                popup::run(options.popup_timeout_ms, &window, &prepared.url, origin)
                    .await
                    .inspect_err(|_| drop(storage::take(&prepared.state)))
            }
            Ok(prepared) => {
                let _ = storage::take(&prepared.state);
                Err(SigninError::new(
                    ErrorCode::PopupClosed,
                    "The page cancelled the sign-in (anypoint-signin-redirect).",
                ))
            }
            Err(e) => Err(e),
        };
        match outcome {
            Ok(params) => self.finish(&params, false).await,
            Err(e) => {
                let _ = window.close();
                self.busy.set(false);
                self.render();
                self.fail(&e);
                Err(e)
            }
        }
    }

    async fn finish(
        self: &Rc<Self>,
        params: &str,
        clean_address_bar: bool,
    ) -> Result<(), SigninError> {
        self.busy.set(true);
        self.render();
        if clean_address_bar {
            remove_callback_parameters();
        }
        let settings = self.settings();
        let exchange_url = settings.as_ref().ok().and_then(|s| s.exchange_url.clone());
        let exchange_url = exchange_url.as_ref().map(ExchangeUrl::as_str);
        let result = match callback::complete(params, &self.host, exchange_url).await {
            Ok(record) => {
                let mode = settings.as_ref().map_or(StorageMode::Memory, |s| s.storage);
                tokens::establish(record, mode, JsValue::NULL)
            }
            Err(e) => Err(e),
        };
        self.busy.set(false);
        match result {
            Ok(session) => {
                let source = settings.map_or(ProfileSource::None, |s| s.profile);
                self.signed_in(session, source, false).await;
                Ok(())
            }
            Err(e) => {
                self.render();
                self.fail(&e);
                Err(e)
            }
        }
    }

    /// Restores the session an earlier page of this tab kept, if any.
    async fn restore(self: &Rc<Self>, settings: &Settings) {
        let config = &settings.config;
        let restored = tokens::restore(
            config.client_id.as_str(),
            config.issuer.as_str(),
            settings.storage,
        )
        .await;
        match restored {
            None => {}
            Some(Ok(session)) => self.signed_in(session, settings.profile, true).await,
            Some(Err(e)) => {
                render_all();
                self.fail(&e);
            }
        }
    }

    /// Loads the profile, shows the user and fires `anypoint-signin-success`.
    async fn signed_in(
        self: &Rc<Self>,
        session: Rc<Session>,
        source: ProfileSource,
        restored: bool,
    ) {
        let mut session = session;
        if let Some(token) = session.access_token().map(|t| t.secret().to_owned()) {
            let subject = session.record.subject.clone();
            let issuer = session.record.issuer.clone();
            match profile::load(source, &issuer, &token, subject.as_deref()).await {
                Ok(Some((profile, name))) => {
                    if let Some(updated) = session::update(|s| {
                        s.profile = profile.clone();
                        if name.is_some() {
                            s.display_name = name.clone();
                        }
                    }) {
                        session = updated;
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    render_all();
                    events::success(&self.host, &session, restored);
                    self.fail(&e);
                    return;
                }
            }
        }
        render_all();
        events::success(&self.host, &session, restored);
    }

    async fn sign_out(self: &Rc<Self>) {
        if session::current().is_none() {
            return;
        }
        let logout_url = self.settings().ok().and_then(|s| s.logout_url);
        let revoked = tokens::sign_out().await;
        render_all();
        events::signout(&self.host);
        if let Err(e) = revoked {
            self.fail(&e);
        }
        if let Some(url) = logout_url {
            let _ = super::window().location().assign(url.as_str());
        }
    }

    /// Shows `error` on the element and fires `anypoint-signin-error`.
    fn fail(&self, error: &SigninError) {
        self.ui.set_message(&error.description);
        events::error(&self.host, error);
    }
}

/// Re-renders every element after the session changed.
pub fn session_changed() {
    render_all();
}

/// Runs `f` with the host of the first connected element: page-wide events (renewal,
/// expiry) are fired once, there.
pub fn on_primary(f: impl FnOnce(&web_sys::EventTarget)) {
    let first = ELEMENTS.with(|list| list.borrow().iter().find_map(Weak::upgrade));
    if let Some(inner) = first {
        f(&inner.host);
    }
}

fn render_all() {
    let live: Vec<Rc<Inner>> =
        ELEMENTS.with(|list| list.borrow().iter().filter_map(Weak::upgrade).collect());
    for inner in live {
        inner.ui.set_message("");
        inner.render();
    }
}

/// An `Error` whose `code` and `description` match the error event's detail.
fn js_error(error: &SigninError) -> JsValue {
    let js = js_sys::Error::new(&error.description);
    js.set_name("AnypointSigninError");
    let _ = Reflect::set(&js, &"code".into(), &error.code.as_str().into());
    js.into()
}

/// An attribute's value, unless it is absent or blank.
fn present(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

/// The `exchangeurl` attribute resolved against this page's address (not `<base href>`,
/// which markup can change) and checked against the page's origin.
fn exchange_url(written: &str) -> Result<ExchangeUrl, SigninError> {
    let location = super::window().location();
    let page = location.href().unwrap_or_default();
    let resolved = web_sys::Url::new_with_base(written.trim(), &page)
        .map(|u| u.href())
        .unwrap_or_default();
    ExchangeUrl::parse(written, &resolved, &location.origin().unwrap_or_default())
}

fn current_page_without_query() -> String {
    let location = super::window().location();
    location.origin().unwrap_or_default() + &location.pathname().unwrap_or_default()
}

/// Whether `href` is `redirect_uri` (compared without query and fragment).
fn is_redirect_target(href: &str, redirect_uri: &RedirectUri) -> bool {
    let page = href.split(['?', '#']).next().unwrap_or("");
    page == redirect_uri.without_query()
}

/// Removes the callback parameters from the address bar so a reload never re-submits the code.
fn remove_callback_parameters() {
    let window = super::window();
    let Ok(href) = window.location().href() else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&href) else {
        return;
    };
    let params = url.search_params();
    for name in [
        "code",
        "state",
        "iss",
        "error",
        "error_description",
        "error_uri",
        "session_state",
    ] {
        params.delete(name);
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url.href()));
    }
}
