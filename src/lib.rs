//! `anypoint-signin`: "Sign in with Anypoint Platform" as a drop-in web component.
//!
//! The crate has two halves:
//! - [`protocol`]: pure OAuth 2.0 / OpenID Connect logic (no browser APIs), unit-tested natively.
//! - `browser` (wasm32 only, feature `element`, on by default): the `<anypoint-signin>`
//!   element and its thin glue to the DOM, storage, `fetch` and WebCrypto.

pub mod protocol;

/// Every flow of the element as one deterministic state machine over the protocol core.
pub mod flow;

#[cfg(all(target_arch = "wasm32", feature = "element"))]
pub mod browser;

/// The heap: a small free-list allocator, since the widget allocates little and rarely.
/// The spin lock is never contended: the widget runs on one thread.
#[cfg(all(target_arch = "wasm32", not(feature = "std-allocator")))]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());
