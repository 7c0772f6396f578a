//! The page's signed-in session, shared by every `<anypoint-signin>` on the page.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;

use super::json;
use crate::protocol::{AccessToken, IdTokenClaims, Jwt, SessionRecord, SigninError, StorageMode};

/// A signed-in session: its tokens, and what the page is shown of the user.
#[derive(Clone)]
pub struct Session {
    /// The tokens and where they came from.
    pub record: SessionRecord,
    /// Where the tokens are kept across reloads.
    pub mode: StorageMode,
    /// The ID token's claims as a JS object (`null` without an ID token).
    pub claims: JsValue,
    /// The user's profile (userinfo or `/accounts/api/me`) once loaded, else `null`.
    pub profile: JsValue,
    /// The user's name to show on the button.
    pub display_name: Option<String>,
}

impl Session {
    /// The access token, if the session has one yet (a restored memory-mode session gets
    /// one with its first refresh).
    pub fn access_token(&self) -> Option<&AccessToken> {
        self.record.access_token.as_ref()
    }

    /// What the page sees as `user`: the profile once loaded, else the ID token's claims.
    pub fn user(&self) -> JsValue {
        if self.profile.is_null() {
            self.claims.clone()
        } else {
            self.profile.clone()
        }
    }

    /// A session for `record`, with the claims and name read from its ID token. The token
    /// must have been verified by whoever obtained it.
    pub fn from_record(record: SessionRecord, mode: StorageMode) -> Result<Session, SigninError> {
        let (claims, display_name) = match &record.id_token {
            Some(token) => {
                let jwt = Jwt::parse(token.secret())?;
                let payload = jwt.payload_json()?;
                let malformed = |cause: String| {
                    SigninError::new(
                        crate::protocol::ErrorCode::InvalidIdToken,
                        "The ID token's claims are malformed.",
                    )
                    .with_cause(cause)
                };
                let claims = js_sys::JSON::parse(&payload)
                    .map_err(|_| malformed("not valid JSON".into()))?;
                let parsed = json::from_value(&claims)
                    .and_then(|v| IdTokenClaims::from_json(&v))
                    .map_err(malformed)?;
                (claims, Some(parsed.display_name()))
            }
            None => (JsValue::NULL, None),
        };
        Ok(Session {
            record,
            mode,
            profile: JsValue::NULL,
            claims,
            display_name,
        })
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Session>>> = const { RefCell::new(None) };
}

/// The current session, if any.
pub fn current() -> Option<Rc<Session>> {
    CURRENT.with(|s| s.borrow().clone())
}

/// The current session if it has an access token: what "signed in" means to the page.
pub fn signed_in() -> Option<Rc<Session>> {
    current().filter(|s| s.access_token().is_some())
}

/// Changes the current session with `change`; returns the updated session.
pub fn update(change: impl FnOnce(&mut Session)) -> Option<Rc<Session>> {
    let current = current()?;
    let mut updated = Session::clone(&current);
    change(&mut updated);
    set(Some(updated))
}

/// Replaces the session (`None` signs out).
pub fn set(session: Option<Session>) -> Option<Rc<Session>> {
    let session = session.map(Rc::new);
    CURRENT.with(|s| *s.borrow_mut() = session.clone());
    session
}
