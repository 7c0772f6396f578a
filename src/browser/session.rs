//! The page's signed-in session, shared by every `<anypoint-signin>` on the page.
//!
//! Tokens live in memory only: a reload signs the user out, and nothing readable by other
//! pages of the origin is written.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;

use crate::protocol::{AccessToken, IdToken};

/// What a completed sign-in produced.
pub struct Session {
    /// The access token for Anypoint Platform APIs.
    pub access_token: AccessToken,
    /// `Bearer`.
    pub token_type: String,
    /// When the access token expires, in milliseconds since the epoch (as `Date.now()`).
    pub expires_at_ms: Option<u64>,
    /// The scopes granted, when the server said.
    pub scope: Option<String>,
    /// The raw ID token.
    pub id_token: Option<IdToken>,
    /// The ID token's claims as a JS object (`null` without an ID token).
    pub claims: JsValue,
    /// The user's name to show on the button.
    pub display_name: Option<String>,
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Session>>> = const { RefCell::new(None) };
}

/// The current session, if signed in.
pub fn current() -> Option<Rc<Session>> {
    CURRENT.with(|s| s.borrow().clone())
}

/// Replaces the session (`None` signs out).
pub fn set(session: Option<Session>) {
    CURRENT.with(|s| *s.borrow_mut() = session.map(Rc::new));
}
