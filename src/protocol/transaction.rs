//! The pending sign-in kept in `sessionStorage` between the click and the callback, which
//! binds the callback's `state` to its nonce and PKCE verifier (RFC 6749 §10.12,
//! RFC 7636 §4.1).

use super::decimal::{decimal, number};
use super::error::{ErrorCode, SigninError};
use super::pkce::PkceVerifier;
use super::stored;
use super::types::{Nonce, State};
use crate::protocol::text::fill;

/// How long a pending sign-in stays valid: long enough to type a password and approve
/// scopes, short enough that a stale tab's callback is refused.
pub const TRANSACTION_TTL_SECS: u64 = 600;

/// Prefix of every transaction's storage key, so stale entries can be found and swept.
pub const TRANSACTION_PREFIX: &str = "anypoint-signin:tx:";

/// The names of [`Transaction::to_storage_string`]'s values, in order, separated by U+001F:
/// a table of names as one text, which compresses far better than a table of pointers and
/// lengths.
const KEYS: &str = "v\u{1f}state\u{1f}nonce\u{1f}verifier\u{1f}issuer\u{1f}client_id\u{1f}redirect_uri\u{1f}scopes\u{1f}created_at";

/// A pending sign-in.
#[derive(Debug, PartialEq, Eq)]
pub struct Transaction {
    /// The state sent in the authorization request.
    pub state: State,
    /// The nonce sent in the authorization request.
    pub nonce: Nonce,
    /// The PKCE verifier whose challenge was sent.
    pub verifier: PkceVerifier,
    /// The issuer the request went to.
    pub issuer: String,
    /// The client ID of the request.
    pub client_id: String,
    /// The redirect URI of the request, needed again in the token request.
    pub redirect_uri: String,
    /// The scopes requested, space-separated.
    pub scopes: String,
    /// When the sign-in started, in seconds since the epoch.
    pub created_at_secs: u64,
}

impl Transaction {
    /// The storage key of the pending sign-in with this `state`: [`TRANSACTION_PREFIX`]
    /// followed by the state.
    pub fn storage_key(state: &str) -> String {
        fill("\u{1}\u{1}", &[TRANSACTION_PREFIX, state])
    }

    /// The transaction as a form-urlencoded string (no JSON parser needed to read it back).
    pub fn to_storage_string(&self) -> String {
        let created_at = decimal(self.created_at_secs);
        let values = [
            Some(stored::FORMAT_VERSION),
            Some(self.state.as_str()),
            Some(self.nonce.as_str()),
            Some(self.verifier.secret()),
            Some(&self.issuer),
            Some(&self.client_id),
            Some(&self.redirect_uri),
            Some(&self.scopes),
            Some(&created_at),
        ];
        stored::write(KEYS, &values)
    }

    /// Reads back [`Transaction::to_storage_string`]; anything missing, repeated or
    /// malformed gives `unknown_state`.
    pub fn from_storage_string(text: &str) -> Result<Self, SigninError> {
        let corrupt = || {
            SigninError::new(
                ErrorCode::UnknownState,
                "The stored sign-in is corrupt or from another version: start the sign-in again.",
            )
        };
        // A slot for each of the nine names.
        let mut values = [None; 9];
        // The state and nonce must not be empty.
        if !stored::read_record(text, KEYS, &mut values, true, 2) {
            return Err(corrupt());
        }
        // Every value is present: the record was read strictly.
        let value = |i: usize| stored::decode(values[i].unwrap_or_default());
        #[expect(
            clippy::question_mark,
            reason = "`?` moves the verifier through `Try::branch`, which costs code here"
        )]
        let verifier = match PkceVerifier::from_stored(value(3)) {
            Ok(verifier) => verifier,
            Err(e) => return Err(e),
        };
        // The start time is digits, never encoded: read as written.
        let Some(created_at_secs) = number(values[8].unwrap_or_default(), 10) else {
            return Err(corrupt());
        };
        Ok(Self {
            state: State::new(value(1)),
            nonce: Nonce::new(value(2)),
            verifier,
            issuer: value(4),
            client_id: value(5),
            redirect_uri: value(6),
            scopes: value(7),
            created_at_secs,
        })
    }

    /// Whether more than [`TRANSACTION_TTL_SECS`] have passed since the sign-in started.
    pub fn is_expired(&self, now_secs: u64) -> bool {
        now_secs.saturating_sub(self.created_at_secs) > TRANSACTION_TTL_SECS
    }

    /// Checks that a callback's `state` is this transaction's (RFC 6749 §10.12) and that it
    /// has not expired.
    pub fn check_matches(&self, state: &str, now_secs: u64) -> Result<(), SigninError> {
        if state != self.state.as_str() {
            return Err(SigninError::new(
                ErrorCode::UnknownState,
                "The sign-in callback's state matches no sign-in started here: start the sign-in again from this site.",
            ));
        }
        if self.is_expired(now_secs) {
            // The sentence names TRANSACTION_TTL_SECS in minutes.
            const _: () = assert!(TRANSACTION_TTL_SECS == 10 * 60);
            return Err(SigninError::new(
                ErrorCode::ExpiredTransaction,
                "The sign-in took longer than 10 minutes and has expired: start it again.",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_700_000_000;

    fn tx() -> Transaction {
        Transaction {
            state: State::from_random(&[1; 32]),
            nonce: Nonce::from_random(&[2; 32]),
            verifier: PkceVerifier::from_random(&[3; 32]),
            issuer: "https://as.example/oauth2".into(),
            client_id: "a&b=c".into(),
            redirect_uri: "https://app.example.com/cb?x=1&y=2".into(),
            scopes: "openid read:full".into(),
            created_at_secs: NOW,
        }
    }

    fn corrupt(text: &str) -> ErrorCode {
        Transaction::from_storage_string(text).unwrap_err().code
    }

    #[test]
    fn round_trip() {
        let stored = tx().to_storage_string();
        assert!(stored.starts_with("v=1&state="));
        assert_eq!(Transaction::from_storage_string(&stored).unwrap(), tx());
    }

    #[test]
    fn the_storage_format_is_pinned() {
        assert_eq!(
            tx().to_storage_string(),
            "v=1&state=AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE\
             &nonce=AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI\
             &verifier=AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM\
             &issuer=https%3A%2F%2Fas.example%2Foauth2&client_id=a%26b%3Dc\
             &redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fx%3D1%26y%3D2\
             &scopes=openid+read%3Afull&created_at=1700000000"
        );
    }

    #[test]
    fn storage_key_uses_the_prefix() {
        assert_eq!(Transaction::storage_key("abc"), "anypoint-signin:tx:abc");
    }

    #[test]
    fn corrupt_strings() {
        let good = tx().to_storage_string();
        let verifier = PkceVerifier::from_random(&[3; 32]);
        let verifier = verifier.secret();
        for bad in [
            String::new(),
            "garbage".into(),
            good.replace("v=1", "v=2"),
            // The version is never encoded: an encoded one is not this format's.
            good.replace("v=1", "v=%31"),
            good.replace("created_at=", "created_at=x"),
            // The start time is digits as written, never encoded.
            good.replace("created_at=1", "created_at=%31"),
            good.replace(&format!("verifier={verifier}"), "verifier=short"),
            good.replace("&nonce=", "&other="),
            format!("{good}&state=again"),
            format!("{good}&extra=1"),
            good.replace(&format!("state={}", tx().state.as_str()), "state="),
        ] {
            assert_eq!(corrupt(&bad), ErrorCode::UnknownState, "{bad}");
        }
    }

    #[test]
    fn expiry() {
        let t = tx();
        assert!(!t.is_expired(NOW));
        assert!(!t.is_expired(NOW + TRANSACTION_TTL_SECS));
        assert!(t.is_expired(NOW + TRANSACTION_TTL_SECS + 1));
        // A clock set back must not make the transaction expire.
        assert!(!t.is_expired(NOW - 5));
    }

    #[test]
    fn check_matches() {
        let t = tx();
        let state = t.state.as_str().to_owned();
        assert_eq!(t.check_matches(&state, NOW + 10), Ok(()));
        let e = t.check_matches("other", NOW).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownState);
        let e = t
            .check_matches(&state, NOW + TRANSACTION_TTL_SECS + 1)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::ExpiredTransaction);
        assert!(e.description.contains("10 minutes"));
    }

    #[test]
    fn debug_hides_the_verifier() {
        let shown = format!("{:?}", tx());
        assert!(shown.contains("PkceVerifier([redacted])"));
        assert!(!shown.contains(tx().verifier.secret()));
    }

    #[test]
    fn arbitrary_input_does_not_panic() {
        for s in crate::protocol::test_support::arbitrary_strings() {
            let _ = Transaction::from_storage_string(&s);
        }
    }

    /// Which refusal each fault gives, word for word: the stored sign-in is corrupt, except
    /// for a malformed verifier in an otherwise readable one; a malformed verifier is found
    /// before a malformed start time.
    #[test]
    fn each_fault_gives_its_sentence() {
        let good = tx().to_storage_string();
        let verifier = PkceVerifier::from_random(&[3; 32]);
        let verifier = format!("verifier={}", verifier.secret());
        let corrupt =
            "The stored sign-in is corrupt or from another version: start the sign-in again.";
        let pkce =
            "The stored PKCE code verifier of this sign-in is corrupt: start the sign-in again.";
        for (bad, why) in [
            (good.replace(&verifier, "verifier=short"), pkce),
            (
                good.replace(&verifier, "verifier=short")
                    .replace("created_at=", "created_at=x"),
                pkce,
            ),
            (
                good.replace(&verifier, "verifier=short")
                    .replace("v=1", "v=2"),
                corrupt,
            ),
            (
                good.replace(&verifier, "verifier=short")
                    .replace("&nonce=", "&x="),
                corrupt,
            ),
            (
                good.replace(&verifier, "verifier=short")
                    .replace(&format!("state={}", tx().state.as_str()), "state="),
                corrupt,
            ),
            (good.replace("created_at=", "created_at=x"), corrupt),
            (good.replace("created_at=", "created_at=-"), corrupt),
            (good.replace("&nonce=", "&nonce=&nonce="), corrupt),
        ] {
            let e = Transaction::from_storage_string(&bad).unwrap_err();
            assert_eq!(
                (e.code, e.description.as_str()),
                (ErrorCode::UnknownState, why),
                "{bad}"
            );
        }
    }
}
