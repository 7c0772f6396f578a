//! Popup mode: the authorization server in a popup window instead of the page.
//!
//! The window opens synchronously inside the click (popup blockers allow only that), shows
//! the authorization URL once it is ready, and the redirect page inside it — the same page
//! and `<script>` as in redirect mode — hands the callback parameters to its opener with
//! `postMessage` to the exact origin, then closes. The opener accepts them only from that
//! window and the redirect URI's origin, and completes the sign-in itself.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::protocol::decimal::decimal;
use crate::protocol::{ErrorCode, SigninError};

/// The popup's window name, which tells the redirect page it runs inside one.
pub const WINDOW_NAME: &str = "anypoint-signin-popup";

#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = waitForPopup)]
    fn wait_for_popup(popup: &web_sys::Window, origin: &str, timeout_ms: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = answerOpener)]
    fn answer_opener(name: &str) -> bool;
}

/// What to do when the browser blocks the popup (the `popupfallback` attribute).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// Fire `popup_blocked` and stay on the page (the default: nothing the user had is lost).
    None,
    /// Sign in by redirect instead.
    Redirect,
}

impl Fallback {
    /// Parses the `popupfallback` attribute.
    pub fn parse(value: Option<&str>) -> Result<Fallback, SigninError> {
        match value.map(str::trim_ascii).unwrap_or_default() {
            "" | "none" => Ok(Fallback::None),
            "redirect" => Ok(Fallback::Redirect),
            other => Err(SigninError::new(
                ErrorCode::InvalidMode,
                [
                    "The popupfallback attribute \"",
                    other,
                    "\" is not supported: use \"none\" (the default) or \"redirect\".",
                ]
                .concat(),
            )),
        }
    }
}

/// Opens the (blank) popup; `None` when the browser blocked it.
pub fn open() -> Option<web_sys::Window> {
    let window = super::window();
    // Whole pixels: formatting an f64 would pull float printing into the module.
    let number =
        |v: Result<JsValue, JsValue>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as i32;
    let (width, height) = (520, 680);
    // Centred over the page's window.
    let left = number(window.screen_x()) + (number(window.outer_width()) - width) / 2;
    let top = number(window.screen_y()) + (number(window.outer_height()) - height) / 2;
    // Screens left of or above the primary one have negative coordinates.
    let signed = |v: i32| {
        let digits = decimal(u64::from(v.unsigned_abs()));
        if v < 0 {
            ["-", &digits].concat()
        } else {
            digits
        }
    };
    let features = [
        "popup,width=",
        &signed(width),
        ",height=",
        &signed(height),
        ",left=",
        &signed(left),
        ",top=",
        &signed(top),
    ]
    .concat();
    window
        .open_with_url_and_target_and_features("", WINDOW_NAME, &features)
        .ok()
        .flatten()
}

/// The blocked-popup error.
pub fn blocked() -> SigninError {
    SigninError::new(
        ErrorCode::PopupBlocked,
        "The browser blocked the sign-in popup: call signIn() from a click handler, allow popups for this site, or set popupfallback=\"redirect\".",
    )
}

/// Points `popup` at `url` and waits for the callback parameters its redirect page posts
/// back from `redirect_origin`.
pub async fn run(
    timeout_ms: u32,
    popup: &web_sys::Window,
    url: &str,
    redirect_origin: &str,
) -> Result<String, SigninError> {
    popup.location().set_href(url).map_err(|_| {
        SigninError::new(
            ErrorCode::PopupClosed,
            "The sign-in popup was closed before it could open the authorization server.",
        )
    })?;
    let outcome = JsFuture::from(wait_for_popup(popup, redirect_origin, timeout_ms)).await;
    match outcome {
        Ok(params) => Ok(params.as_string().unwrap_or_default()),
        Err(reason) if reason.as_string().as_deref() == Some("timeout") => Err(SigninError::new(
            ErrorCode::PopupTimeout,
            "The sign-in popup did not come back in time (10 minutes), so the sign-in was abandoned.",
        )),
        Err(_) => Err(SigninError::new(
            ErrorCode::PopupClosed,
            "The sign-in popup was closed before the sign-in finished.",
        )),
    }
}

/// On the redirect page inside the popup: passes the callback to the opener and closes
/// the window. Returns whether it did.
pub fn answer() -> bool {
    answer_opener(WINDOW_NAME)
}
