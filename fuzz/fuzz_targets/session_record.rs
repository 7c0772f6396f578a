//! What the element reads back from `sessionStorage`, which any script of the origin can
//! write: `SessionRecord::from_storage_string` and `Transaction::from_storage_string`.
//! A record that is read must write back to the same record, so a reload never changes it,
//! and what a renewal broadcasts of it must be adopted as the same record.

#![no_main]

use anypoint_signin::protocol::{
    AccessToken, ErrorCode, NO_EXPIRY, SessionRecord, StorageMode, TokenResponse, Transaction,
    is_fresh, refresh_delay_ms,
};
use anypoint_signin_fuzz::assert_code;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match SessionRecord::from_storage_string(text) {
        Ok(record) => {
            assert!(
                !record.issuer.is_empty()
                    && !record.client_id.is_empty()
                    && !record.generation.is_empty()
            );
            let again = SessionRecord::from_storage_string(&record.to_storage_string());
            assert_eq!(again.as_ref(), Ok(&record));
            for mode in [StorageMode::Memory, StorageMode::Session] {
                // Memory mode keeps no access or ID token, and nothing without a
                // refresh token.
                let mut kept = record.clone();
                if mode == StorageMode::Memory {
                    kept.access_token = None;
                    kept.token_type = String::new();
                    kept.expires_at_ms = NO_EXPIRY;
                    kept.id_token = None;
                }
                match record.to_storage_string_for(mode) {
                    Some(text) => {
                        assert_eq!(SessionRecord::from_storage_string(&text), Ok(kept));
                    }
                    None => assert!(mode == StorageMode::Memory && record.refresh_token.is_none()),
                }
            }
            // What a renewal that changes no token sends the other tabs, and what they make
            // of it: no refresh or ID token is resent, and adopting it gives the renewed
            // record.
            let mut renewed = record.clone();
            let answer = TokenResponse {
                access_token: AccessToken::new("at".into()),
                token_type: "Bearer".into(),
                expires_in: None,
                refresh_token: None,
                scope: None,
                id_token: None,
            };
            let spent = record.refresh_token.clone();
            let (previous, shared) = renewed.renew(answer, spent, "g".into(), 0);
            let shared = SessionRecord::from_storage_string(&shared).unwrap();
            assert!(shared.refresh_token.is_none() && shared.id_token.is_none());
            assert!(record.is_shared_with(&previous, &shared));
            let text = shared.to_storage_string();
            assert_eq!(
                SessionRecord::from_storage_string(&text).as_ref(),
                Ok(&shared)
            );
            let mut adopted = record.clone();
            adopted.adopt(shared);
            assert_eq!(adopted, renewed);
            let at = record.expires_at_ms;
            if at != NO_EXPIRY {
                for now in [0, at, u64::MAX] {
                    let _ = is_fresh(at, now);
                    assert!(refresh_delay_ms(at, now) >= 1_000);
                }
            }
        }
        Err(e) => assert_code(&e, &[ErrorCode::SessionExpired]),
    }
    match Transaction::from_storage_string(text) {
        Ok(tx) => {
            assert!(!tx.state.as_str().is_empty() && !tx.nonce.as_str().is_empty());
            let again = Transaction::from_storage_string(&tx.to_storage_string());
            assert_eq!(again.as_ref(), Ok(&tx));
            assert!(
                tx.check_matches(tx.state.as_str(), tx.created_at_secs)
                    .is_ok()
            );
        }
        Err(e) => assert_code(&e, &[ErrorCode::UnknownState]),
    }
});
