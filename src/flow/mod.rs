//! The element's flows as one synchronous, deterministic state machine.
//!
//! [`Machine`](crate::flow::Machine) owns every decision of sign-in and sign-out: it takes
//! [`Input`](crate::flow::Input)s (lifecycle, clicks, the page's URL, HTTP responses,
//! digests, signature checks, the fate of cancelable events), with the current time and
//! fresh randomness (base64url text) as arguments, and returns
//! [`Effect`](crate::flow::Effect)s (fetch, digest, verify, storage, navigation, events,
//! views) for a small runner to perform. It does no I/O and has no clock or randomness of
//! its own, so every flow is a table of native tests: inputs in, the exact effects out.

mod callback;
mod documents;
/// The DOM events the element fires.
pub mod events;
mod io;
mod machine;
mod renewal;
mod session;
mod settings;
mod signin;
mod signout;
mod verify;

pub use documents::{DISCOVERY_PREFIX, DOCUMENT_TTL_MS, KEYS_PREFIX};
pub use io::{
    Attributes, Effect, Effects, ElementId, Event, HttpResponse, Input, JwsAlg, Method, Random,
    SignInOptions, StoredItems, Ticket, View,
};
pub use machine::{Machine, Session};
pub use renewal::ADOPTION_GRACE_MS;
pub use settings::{Fallback, Mode, ProfileSource, Settings};

#[cfg(test)]
mod tests;
