//! `anypoint-signin`: "Sign in with Anypoint Platform" as a drop-in web component.
//!
//! The crate has two halves:
//! - [`protocol`]: pure OAuth 2.0 / OpenID Connect logic (no browser APIs), unit-tested natively.
//! - `browser` (wasm32 only): the `<anypoint-signin>` element and its thin glue to the DOM,
//!   storage, `fetch` and WebCrypto.

pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod browser;
