//! The element's shadow DOM: a real `<button>`, the signed-in user's name and a message line.
//! Text goes in with `textContent` only: nothing from the network is parsed as HTML.

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlButtonElement, HtmlElement, ShadowRootInit, ShadowRootMode};

#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = adoptStyles)]
    fn adopt_styles(root: &web_sys::ShadowRoot, css: &str);
}

/// The wide label of the original element.
pub const SIGN_IN_LABEL: &str = "Sign in with Anypoint Platform";
/// The label while signed in.
pub const SIGN_OUT_LABEL: &str = "Sign out";

const CSS: &str = r#":host{display:inline-flex;flex-direction:column;align-items:flex-start;gap:.375rem;font-family:system-ui,sans-serif}
:host([hidden]){display:none}
button{display:inline-flex;align-items:center;gap:.5rem;min-height:44px;padding:.5rem 1rem;border:0;border-radius:4px;background:var(--anypoint-signin-background,#005fb2);color:var(--anypoint-signin-color,#fff);font:600 1rem/1.25 system-ui,sans-serif;cursor:pointer}
button:hover:not(:disabled){filter:brightness(1.08)}
button:focus-visible{outline:3px solid var(--anypoint-signin-focus-ring,#032d60);outline-offset:2px}
button:disabled{opacity:.6;cursor:not-allowed}
button[aria-busy=true]{cursor:progress}
button[aria-busy=true]::before{content:"";width:1em;height:1em;border:2px solid currentColor;border-right-color:transparent;border-radius:50%;animation:s .8s linear infinite}
@keyframes s{to{transform:rotate(1turn)}}
[part=user],[part=message]{font-size:.875rem}
[part=message]{color:var(--anypoint-signin-error-color,#b00020)}
[part=user]:empty,[part=message]:empty{display:none}"#;

/// What the element shows.
pub enum View<'a> {
    /// Not signed in; `unavailable` explains why the button is disabled.
    SignedOut {
        /// A request is in flight.
        busy: bool,
        /// The configuration error that disables the button.
        unavailable: Option<&'a str>,
    },
    /// Signed in as `name`.
    SignedIn {
        /// The user's display name.
        name: &'a str,
    },
}

/// Handles to the shadow DOM nodes the element updates.
pub struct Ui {
    /// The one interactive control.
    pub button: HtmlButtonElement,
    label: Element,
    user: Element,
    message: Element,
}

impl Ui {
    /// Attaches an open shadow root to `host` and builds the nodes.
    pub fn attach(host: &HtmlElement) -> Result<Ui, JsValue> {
        let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
        adopt_styles(&root, CSS);
        let document = super::window()
            .document()
            .expect_throw("a window has a document");
        let button: HtmlButtonElement = document.create_element("button")?.unchecked_into();
        button.set_type("button");
        button.set_attribute("part", "button")?;
        let label = document.create_element("span")?;
        label.set_attribute("part", "label")?;
        button.append_child(&label)?;
        let user = document.create_element("span")?;
        user.set_attribute("part", "user")?;
        let message = document.create_element("span")?;
        message.set_attribute("part", "message")?;
        message.set_attribute("role", "status")?;
        message.set_attribute("aria-live", "polite")?;
        root.append_child(&button)?;
        root.append_child(&user)?;
        root.append_child(&message)?;
        Ok(Ui {
            button,
            label,
            user,
            message,
        })
    }

    /// Shows `view`; the message line is left alone unless the view sets one.
    pub fn show(&self, view: &View) {
        let b = &self.button;
        let (label, aria, user, busy, disabled) = match view {
            View::SignedOut { busy, unavailable } => {
                if let Some(reason) = unavailable {
                    self.set_message(reason);
                }
                (
                    SIGN_IN_LABEL,
                    SIGN_IN_LABEL.to_owned(),
                    String::new(),
                    *busy,
                    *busy || unavailable.is_some(),
                )
            }
            View::SignedIn { name } => (
                SIGN_OUT_LABEL,
                [SIGN_OUT_LABEL, " (", name, ")"].concat(),
                ["Signed in as ", name].concat(),
                false,
                false,
            ),
        };
        self.label.set_text_content(Some(label));
        let _ = b.set_attribute("aria-label", &aria);
        let _ = b.set_attribute("aria-busy", if busy { "true" } else { "false" });
        b.set_disabled(disabled);
        self.user.set_text_content(Some(&user));
    }

    /// Shows (or with `""` clears) the message line.
    pub fn set_message(&self, text: &str) {
        self.message.set_text_content(Some(text));
    }
}
