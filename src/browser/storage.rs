//! `sessionStorage`: pending sign-in transactions, keyed by their `state`, and the session.
//!
//! sessionStorage is per tab, so several tabs may each have a sign-in under way; it survives
//! the round trip to the authorization server, and it is gone when the tab closes.

use crate::protocol::{
    ErrorCode, SessionRecord, SigninError, StorageMode, TRANSACTION_PREFIX, Transaction,
};

fn session_storage() -> Result<web_sys::Storage, SigninError> {
    super::window()
        .session_storage()
        .ok()
        .flatten()
        .ok_or_else(|| {
            SigninError::new(
                ErrorCode::InternalError,
                "sessionStorage is not available (blocked by the browser's privacy settings?): the sign-in cannot remember its state across the redirect.",
            )
        })
}

/// Stores `tx` until the callback takes it.
pub fn save(tx: &Transaction) -> Result<(), SigninError> {
    session_storage()?
        .set_item(
            &Transaction::storage_key(tx.state.as_str()),
            &tx.to_storage_string(),
        )
        .map_err(|_| {
            SigninError::new(
                ErrorCode::InternalError,
                "sessionStorage refused to store the sign-in transaction (storage full?).",
            )
        })
}

/// Removes and returns the transaction for `state`: each one can be used once.
pub fn take(state: &str) -> Result<Option<Transaction>, SigninError> {
    let storage = session_storage()?;
    let key = Transaction::storage_key(state);
    let Some(raw) = storage.get_item(&key).ok().flatten() else {
        return Ok(None);
    };
    let _ = storage.remove_item(&key);
    Transaction::from_storage_string(&raw).map(Some)
}

/// Deletes expired transactions left by sign-ins that never came back.
pub fn sweep_expired(now_secs: u64) {
    let Ok(storage) = session_storage() else {
        return;
    };
    let len = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..len)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(TRANSACTION_PREFIX))
        .collect();
    for key in keys {
        let expired = storage
            .get_item(&key)
            .ok()
            .flatten()
            .map(|raw| {
                Transaction::from_storage_string(&raw).map_or(true, |tx| tx.is_expired(now_secs))
            })
            .unwrap_or(true);
        if expired {
            let _ = storage.remove_item(&key);
        }
    }
}

/// The stored session of `client_id`, if any and readable (an unreadable one is removed).
pub fn load_session(client_id: &str) -> Option<SessionRecord> {
    let storage = session_storage().ok()?;
    let key = SessionRecord::storage_key(client_id);
    let raw = storage.get_item(&key).ok().flatten()?;
    let record = SessionRecord::from_storage_string(&raw).ok();
    if record.is_none() {
        let _ = storage.remove_item(&key);
    }
    record
}

/// Keeps what `mode` keeps of `record` (and nothing when it keeps nothing).
pub fn save_session(record: &SessionRecord, mode: StorageMode) {
    let Ok(storage) = session_storage() else {
        return;
    };
    let key = SessionRecord::storage_key(&record.client_id);
    match record.persisted(mode) {
        Some(kept) => {
            let _ = storage.set_item(&key, &kept.to_storage_string());
        }
        None => {
            let _ = storage.remove_item(&key);
        }
    }
}

/// Forgets the stored session of `client_id`.
pub fn clear_session(client_id: &str) {
    if let Ok(storage) = session_storage() {
        let _ = storage.remove_item(&SessionRecord::storage_key(client_id));
    }
}
