//! State shared by every handler.

use std::ops::Deref;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::crypto::keys::SigningKeys;
use crate::faults::Faults;
use crate::store::Store;

/// Values fixed at start-up.
pub(crate) struct Settings {
    pub issuer: String,
    /// Scheme, host and port the endpoint URLs in discovery start with.
    pub base_url: String,
    pub admin_token: String,
    pub auto_approve: bool,
    pub admin_origins: Vec<String>,
    /// How long a request may take before it gets 408.
    pub request_timeout: std::time::Duration,
}

impl Settings {
    /// The public URL of one of this server's paths.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// Handle on the server's state; cheap to clone.
#[derive(Clone)]
pub(crate) struct AppState(Arc<Shared>);

/// What [`AppState`] points at.
pub(crate) struct Shared {
    pub settings: Settings,
    pub keys: SigningKeys,
    store: Mutex<Store>,
    faults: Mutex<Faults>,
    /// Seconds added to the system clock, so that tests can expire codes and tokens.
    clock_offset: AtomicI64,
}

impl AppState {
    pub(crate) fn new(settings: Settings, keys: SigningKeys, store: Store) -> Self {
        AppState(Arc::new(Shared {
            settings,
            keys,
            store: Mutex::new(store),
            faults: Mutex::new(Faults::default()),
            clock_offset: AtomicI64::new(0),
        }))
    }

    /// Seconds since the Unix epoch on the system clock.
    pub(crate) fn unix_now() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }

    /// Seconds since the Unix epoch on the mock's (possibly advanced) clock.
    pub(crate) fn now(&self) -> u64 {
        Self::unix_now().saturating_add_signed(self.clock_offset.load(Ordering::Relaxed))
    }

    /// Moves the mock's clock forward.
    pub(crate) fn advance_clock(&self, seconds: i64) {
        self.clock_offset.fetch_add(seconds, Ordering::Relaxed);
    }

    /// The store, rid of what expired: every request that looks at the store first purges
    /// the codes, tokens and sessions whose time is up, at a cost in proportion to those.
    /// A handler that panicked while holding the lock leaves data that is still consistent
    /// enough for a mock, so poisoning is ignored.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        let now = self.now();
        let mut store = self.0.store.lock().unwrap_or_else(|e| e.into_inner());
        store.grants.purge(now);
        store
    }

    /// The fault-injection plan.
    pub(crate) fn faults(&self) -> MutexGuard<'_, Faults> {
        self.0.faults.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}
