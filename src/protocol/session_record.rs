//! The signed-in session as kept in `sessionStorage`, and when its access token must be
//! renewed (RFC 6749 §6).
//!
//! Two storage modes: `memory` keeps tokens in the page and persists only the refresh token
//! (when `offline_access` was granted), so a reload can renew the session; `session` also
//! persists the access and ID tokens, so a reload needs no request. Neither ever writes to
//! `localStorage`.

use super::decimal::{decimal, number};
use super::error::{ErrorCode, SigninError};
use super::stored;
use super::token::TokenResponse;
use super::types::{AccessToken, IdToken, RefreshToken};
use crate::protocol::text::fill;

/// Prefix of a stored session's key; the client ID follows.
pub const SESSION_PREFIX: &str = "anypoint-signin:session:";

/// An access token is renewed when it has less than this left, and `getAccessToken()`
/// never hands out one that expires sooner.
pub const MIN_TOKEN_LIFETIME_MS: u64 = 60_000;

/// The expiry of an access token without a stated lifetime ([`SessionRecord::expires_at_ms`]):
/// the last millisecond, so it stays fresh; it is not stored.
pub const NO_EXPIRY: u64 = u64::MAX;

/// The names of [`SessionRecord::to_storage_string`]'s values, in order, separated by U+001F:
/// a table of names as one text, which compresses far better than a table of pointers and
/// lengths.
const NAMES: &str = "v\u{1f}issuer\u{1f}client_id\u{1f}generation\u{1f}subject\u{1f}scope\u{1f}refresh_token\u{1f}access_token\u{1f}token_type\u{1f}expires_at_ms\u{1f}id_token";

/// How many [`NAMES`] there are.
const COUNT: usize = 11;

/// The `BroadcastChannel` on which the browsing contexts of the origin signed in to
/// `client_id` at `issuer` share renewals and sign-outs; contexts of other apps or issuers
/// do not listen on it. (A space cannot occur in a valid issuer URL.)
pub fn channel_name(issuer: &str, client_id: &str) -> String {
    fill("anypoint-signin:\u{1} \u{1}", &[issuer, client_id])
}

/// Where the session's tokens are kept (the `storage` attribute).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageMode {
    /// Tokens only in page memory; the refresh token alone in `sessionStorage`.
    Memory,
    /// All tokens in `sessionStorage`.
    Session,
}

impl StorageMode {
    /// Parses the `storage` attribute; absent or blank means [`StorageMode::Memory`].
    pub fn parse(value: Option<&str>) -> Result<Self, SigninError> {
        match super::text::trim_ascii(value.unwrap_or_default()) {
            "" | "memory" => Ok(Self::Memory),
            "session" => Ok(Self::Session),
            other => Err(SigninError::filled(
                ErrorCode::InvalidStorage,
                "The storage attribute \"\u{1}\" is not supported: use \"memory\" (the default) or \"session\".",
                &[other],
            )),
        }
    }
}

/// What a session consists of, in a form that survives a reload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionRecord {
    /// The issuer that granted the tokens.
    pub issuer: String,
    /// The client ID they were granted to.
    pub client_id: String,
    /// The signed-in user's `sub`, when an ID token said.
    pub subject: Option<String>,
    /// Identifies this set of tokens; a refresh gives a new one, so browsing contexts
    /// holding the old set can tell they should adopt the new.
    pub generation: String,
    /// The granted scopes, space-separated.
    pub scope: Option<String>,
    /// The refresh token, when `offline_access` was granted.
    pub refresh_token: Option<RefreshToken>,
    /// The access token.
    pub access_token: Option<AccessToken>,
    /// The access token's type (`Bearer`); empty when the record keeps none.
    pub token_type: String,
    /// When the access token expires, in milliseconds since the epoch; [`NO_EXPIRY`] when
    /// no lifetime was stated.
    pub expires_at_ms: u64,
    /// The ID token.
    pub id_token: Option<IdToken>,
}

impl SessionRecord {
    /// The storage key of the session of `client_id`.
    pub fn storage_key(client_id: &str) -> String {
        fill("\u{1}\u{1}", &[SESSION_PREFIX, client_id])
    }

    /// The record as `mode` keeps it across a reload, as a form-urlencoded string: all of
    /// it in session mode; in memory mode only its refresh token and what identifies the
    /// session, or `None` when it has no refresh token (there is nothing to keep).
    pub fn to_storage_string_for(&self, mode: StorageMode) -> Option<String> {
        let all = mode == StorageMode::Session;
        if !all {
            self.refresh_token.as_ref()?;
        }
        // Memory mode keeps the names up to the refresh token.
        Some(self.write(if all { COUNT } else { 7 }, [true; 2]))
    }

    /// The record as a form-urlencoded string; absent values are left out.
    pub fn to_storage_string(&self) -> String {
        self.write(COUNT, [true; 2])
    }

    /// Who holds the session, without its scope or any token, as a form-urlencoded string
    /// [`SessionRecord::from_storage_string`] reads: the issuer, client ID, generation and
    /// subject.
    pub fn identity(&self) -> String {
        self.write(5, [false; 2])
    }

    /// The record's first `count` values (in the order of `NAMES`) as a form-urlencoded
    /// string, with the refresh and ID tokens only when `tokens[0]` and `tokens[1]`;
    /// absent values are left out.
    fn write(&self, count: usize, tokens: [bool; 2]) -> String {
        let expires = expiry_digits(self.expires_at_ms);
        let values = [
            Some(stored::FORMAT_VERSION),
            Some(&self.issuer[..]),
            Some(&self.client_id[..]),
            Some(&self.generation[..]),
            self.subject.as_deref(),
            self.scope.as_deref(),
            self.refresh_token
                .as_ref()
                .filter(|_| tokens[0])
                .map(|t| t.secret()),
            self.access_token.as_ref().map(|t| t.secret()),
            self.token_type(),
            expires.as_deref(),
            self.id_token
                .as_ref()
                .filter(|_| tokens[1])
                .map(|t| t.secret()),
        ];
        stored::write(NAMES, &values[..count])
    }

    /// The access token's type, unless the record keeps none.
    pub fn token_type(&self) -> Option<&str> {
        Some(&self.token_type[..]).filter(|t| !t.is_empty())
    }

    /// Renews this record in place with `tokens`, the token endpoint's answer to a refresh
    /// with `spent` (RFC 6749 §6), under the new `generation`: the answer's refresh token,
    /// ID token and scope replace this record's when it carries them, and the access token,
    /// its type and its expiry (counted from `now_ms`) are the answer's. A new session's
    /// record is made the same way: a record of no tokens yet, renewed with the answer to
    /// the code (`spent` is `None`; the text returned is then not needed).
    ///
    /// Returns the previous generation and, as a form-urlencoded string (read it with
    /// [`SessionRecord::from_storage_string`]), what another browsing context sharing this
    /// session needs of the renewal: the new access token, its type, expiry and scope, and
    /// the refresh and ID tokens only when the renewal replaced them (a rotated refresh
    /// token is the only one that still works, so a context that did not get it would sign
    /// out at its next renewal).
    pub fn renew(
        &mut self,
        tokens: TokenResponse,
        spent: Option<RefreshToken>,
        generation: String,
        now_ms: u64,
    ) -> (String, String) {
        let previous = core::mem::replace(&mut self.generation, generation);
        let refresh_token = match tokens.refresh_token {
            Some(token) => Some(token),
            None => spent,
        };
        let new_refresh_token = refresh_token != self.refresh_token;
        // Without a new ID token the record's stays, and is not copied to be compared.
        let mut new_id_token = false;
        if let Some(id_token) = tokens.id_token {
            new_id_token = self.id_token.as_ref() != Some(&id_token);
            self.id_token = Some(id_token);
        }
        if let Some(scope) = tokens.scope {
            self.scope = Some(scope);
        }
        self.refresh_token = refresh_token;
        self.expires_at_ms = expires_at(now_ms, tokens.expires_in);
        self.access_token = Some(tokens.access_token);
        self.token_type = tokens.token_type;
        (
            previous,
            self.write(COUNT, [new_refresh_token, new_id_token]),
        )
    }

    /// Becomes, in place, the renewal `shared` that another context made of this session
    /// ([`SessionRecord::renew`]), keeping the refresh and ID tokens it leaves out. The
    /// caller checks first that `shared` is about this very session
    /// ([`SessionRecord::is_shared_with`]).
    pub fn adopt(&mut self, mut shared: SessionRecord) {
        // Swapped rather than assigned: the `None` given back needs no drop.
        if shared.refresh_token.is_none() {
            core::mem::swap(&mut shared.refresh_token, &mut self.refresh_token);
        }
        if shared.id_token.is_none() {
            core::mem::swap(&mut shared.id_token, &mut self.id_token);
        }
        *self = shared;
    }

    /// Whether a message from another context about `other`, whose session had the
    /// generation `previous`, concerns this session: same issuer, client and subject, and
    /// `previous` is this record's generation.
    pub fn is_shared_with(&self, previous: &str, other: &SessionRecord) -> bool {
        self.issuer == other.issuer
            && self.client_id == other.client_id
            && self.subject == other.subject
            && self.generation == previous
    }

    /// Reads a record written by [`SessionRecord::to_storage_string`]; anything else
    /// (another version, missing fields) is refused so that a stale format is never misread.
    pub fn from_storage_string(text: &str) -> Result<Self, SigninError> {
        Self::read(text).ok_or_else(|| {
            SigninError::new(
                ErrorCode::SessionExpired,
                "The stored session is unreadable; sign in again.",
            )
        })
    }

    /// Reads a record as [`SessionRecord::from_storage_string`] does, `None` where it
    /// refuses one: for readers that tell nobody why.
    pub fn read(text: &str) -> Option<Self> {
        let mut values = [None; COUNT];
        // The issuer, client ID and generation must be there.
        if !stored::read_record(text, NAMES, &mut values, false, 3) {
            return None;
        }
        let value = |i: usize| values[i].map(stored::decode);
        // Absent is read as empty (a value is empty exactly when its text is).
        let text = |i: usize| stored::decode(values[i].unwrap_or_default());
        Some(SessionRecord {
            issuer: text(1),
            client_id: text(2),
            generation: text(3),
            subject: value(4),
            scope: value(5),
            refresh_token: value(6).map(RefreshToken::new),
            access_token: value(7).map(AccessToken::new),
            token_type: text(8),
            // Digits, never encoded: read as written.
            expires_at_ms: values[9].and_then(|v| number(v, 10)).unwrap_or(NO_EXPIRY),
            id_token: value(10).map(IdToken::new),
        })
    }
}

/// Whether an access token expiring at `expires_at_ms` is still good for
/// [`MIN_TOKEN_LIFETIME_MS`] (a token without a stated lifetime, [`NO_EXPIRY`], is taken as
/// good).
pub fn is_fresh(expires_at_ms: u64, now_ms: u64) -> bool {
    expires_at_ms >= now_ms.saturating_add(MIN_TOKEN_LIFETIME_MS)
}

/// The expiry `expires_at_ms` as it is stored and shown: its digits, or `None` for
/// [`NO_EXPIRY`].
#[inline(never)]
pub fn expiry_digits(expires_at_ms: u64) -> Option<String> {
    (expires_at_ms != NO_EXPIRY).then(|| decimal(expires_at_ms))
}

/// When an access token granted at `now_ms` for `expires_in` seconds expires, in
/// milliseconds since the epoch, saturating at `u64::MAX` ([`NO_EXPIRY`], which a token
/// without a stated lifetime gets): a comparison where `saturating_mul` would link a 128-bit
/// multiply into the browser build.
pub fn expires_at(now_ms: u64, expires_in: Option<u64>) -> u64 {
    match expires_in {
        Some(secs) if secs <= u64::MAX / 1000 => now_ms.saturating_add(secs * 1000),
        _ => NO_EXPIRY,
    }
}

/// How long to wait before renewing a token expiring at `expires_at_ms` ahead of time:
/// [`MIN_TOKEN_LIFETIME_MS`] before expiry, and never less than a second.
pub fn refresh_delay_ms(expires_at_ms: u64, now_ms: u64) -> u64 {
    expires_at_ms
        .saturating_sub(now_ms)
        .saturating_sub(MIN_TOKEN_LIFETIME_MS)
        .max(1_000)
}

/// The wait before retry `attempt` (1, 2, ...) of a refresh that failed on the network:
/// 2 s doubling up to 2 min, so an offline laptop does not hammer the server.
pub fn backoff_ms(attempt: u32) -> u64 {
    2_000u64
        .saturating_mul(1u64 << attempt.saturating_sub(1).min(16))
        .min(120_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> SessionRecord {
        SessionRecord {
            issuer: "https://as.example/oauth2".into(),
            client_id: "client".into(),
            subject: Some("u1".into()),
            generation: "g1".into(),
            scope: Some("openid offline_access".into()),
            refresh_token: Some(RefreshToken::new("rt&=1".into())),
            access_token: Some(AccessToken::new("at".into())),
            token_type: "Bearer".into(),
            expires_at_ms: 1_700_000_000_000,
            id_token: Some(IdToken::new("a.b.c".into())),
        }
    }

    #[test]
    fn storage_mode_parses_the_attribute() {
        assert_eq!(StorageMode::parse(None).unwrap(), StorageMode::Memory);
        assert_eq!(StorageMode::parse(Some(" ")).unwrap(), StorageMode::Memory);
        assert_eq!(
            StorageMode::parse(Some("memory")).unwrap(),
            StorageMode::Memory
        );
        assert_eq!(
            StorageMode::parse(Some("session")).unwrap(),
            StorageMode::Session
        );
        let e = StorageMode::parse(Some("local")).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidStorage);
        assert!(e.description.contains("\"local\""));
    }

    #[test]
    fn round_trips_every_field() {
        let record = full();
        let text = record.to_storage_string();
        assert_eq!(SessionRecord::from_storage_string(&text).unwrap(), record);
    }

    #[test]
    fn the_storage_format_is_pinned() {
        assert_eq!(
            full().to_storage_string(),
            "v=1&issuer=https%3A%2F%2Fas.example%2Foauth2&client_id=client&generation=g1\
             &subject=u1&scope=openid+offline_access&refresh_token=rt%26%3D1&access_token=at\
             &token_type=Bearer&expires_at_ms=1700000000000&id_token=a.b.c"
        );
        let some = SessionRecord {
            subject: None,
            access_token: None,
            expires_at_ms: NO_EXPIRY,
            ..full()
        };
        assert_eq!(
            some.to_storage_string(),
            "v=1&issuer=https%3A%2F%2Fas.example%2Foauth2&client_id=client&generation=g1\
             &scope=openid+offline_access&refresh_token=rt%26%3D1\
             &token_type=Bearer&id_token=a.b.c"
        );
    }

    #[test]
    fn identity_names_who_holds_the_session_and_no_token() {
        let full = full();
        let text = full.identity();
        let who = SessionRecord::from_storage_string(&text).unwrap();
        assert_eq!(
            (&who.issuer, &who.client_id, &who.generation, &who.subject),
            (
                &full.issuer,
                &full.client_id,
                &full.generation,
                &full.subject
            )
        );
        assert!(who.is_shared_with(&full.generation, &full));
        assert!(who.scope.is_none() && who.token_type.is_empty() && who.expires_at_ms == NO_EXPIRY);
        assert!(who.refresh_token.is_none() && who.access_token.is_none());
        assert!(who.id_token.is_none());
        assert!(!text.contains("rt") && !text.contains("scope"), "{text}");
    }

    #[test]
    fn memory_mode_keeps_only_the_refresh_token() {
        let text = full().to_storage_string_for(StorageMode::Memory).unwrap();
        let kept = SessionRecord::from_storage_string(&text).unwrap();
        assert_eq!(kept.refresh_token.as_ref().unwrap().secret(), "rt&=1");
        assert!(kept.access_token.is_none() && kept.id_token.is_none());
        assert!(kept.expires_at_ms == NO_EXPIRY);
        assert_eq!(kept.subject.as_deref(), Some("u1"));
        let expected = SessionRecord {
            access_token: None,
            token_type: String::new(),
            expires_at_ms: NO_EXPIRY,
            id_token: None,
            ..full()
        };
        assert_eq!(kept, expected);
        assert_eq!(text, expected.to_storage_string());
        assert!(!text.contains("access_token") && !text.contains("id_token"));
        assert!(!text.contains("token_type") && !text.contains("expires_at_ms"));

        assert_eq!(
            full().to_storage_string_for(StorageMode::Session),
            Some(full().to_storage_string())
        );
        let without_refresh = SessionRecord {
            refresh_token: None,
            ..full()
        };
        assert!(
            without_refresh
                .to_storage_string_for(StorageMode::Memory)
                .is_none()
        );
        assert_eq!(
            without_refresh.to_storage_string_for(StorageMode::Session),
            Some(without_refresh.to_storage_string())
        );
    }

    /// A refresh's answer with access token `at`, valid an hour.
    fn answer(at: &str) -> TokenResponse {
        TokenResponse {
            access_token: AccessToken::new(at.into()),
            token_type: "bearer".into(),
            expires_in: Some(3600),
            refresh_token: None,
            scope: None,
            id_token: None,
        }
    }

    #[test]
    fn a_renewal_shared_with_other_tabs_carries_only_what_changed() {
        let spent = Some(RefreshToken::new("rt&=1".into()));
        let mut record = full();
        let (previous, text) = record.renew(answer("at2"), spent.clone(), "g2".into(), 1_000);
        let shared = SessionRecord::from_storage_string(&text).unwrap();
        assert_eq!(text, shared.to_storage_string());
        assert_eq!(previous, "g1");
        assert_eq!(
            record,
            SessionRecord {
                generation: "g2".into(),
                access_token: Some(AccessToken::new("at2".into())),
                token_type: "bearer".into(),
                expires_at_ms: 3_601_000,
                ..full()
            },
            "the refresh token, ID token and scope are kept when the answer has none"
        );
        assert!(
            shared.refresh_token.is_none(),
            "the refresh token did not rotate"
        );
        assert!(shared.id_token.is_none(), "the ID token did not change");
        assert_eq!(shared.access_token.as_ref().unwrap().secret(), "at2");
        assert_eq!(shared.generation, "g2");
        let text = shared.to_storage_string();
        assert!(!text.contains("rt") && !text.contains("a.b.c"), "{text}");

        let rotated = TokenResponse {
            refresh_token: Some(RefreshToken::new("rt2".into())),
            id_token: Some(IdToken::new("d.e.f".into())),
            scope: Some("openid".into()),
            expires_in: None,
            ..answer("at3")
        };
        let mut record = full();
        let (_, text) = record.renew(rotated, spent, "g3".into(), 1_000);
        let shared = SessionRecord::from_storage_string(&text).unwrap();
        assert_eq!(
            shared, record,
            "everything changed, so everything is shared"
        );
        assert_eq!(record.refresh_token.unwrap().secret(), "rt2");
        assert_eq!(record.id_token.unwrap().secret(), "d.e.f");
        assert_eq!(record.scope.as_deref(), Some("openid"));
        assert_eq!(
            record.expires_at_ms, NO_EXPIRY,
            "no expiry given, none assumed"
        );

        // A session restored without its refresh token renews with the one it was given.
        let mut record = SessionRecord {
            refresh_token: None,
            ..full()
        };
        let given = Some(RefreshToken::new("rt-given".into()));
        let (_, text) = record.renew(answer("at4"), given, "g4".into(), 0);
        let shared = SessionRecord::from_storage_string(&text).unwrap();
        assert_eq!(record.refresh_token.unwrap().secret(), "rt-given");
        assert_eq!(shared.refresh_token.unwrap().secret(), "rt-given");
    }

    #[test]
    fn a_shared_renewal_is_adopted_only_by_the_same_session() {
        let mine = full();
        let mut renewed = full();
        let (previous, text) =
            renewed.renew(answer("at2"), mine.refresh_token.clone(), "g2".into(), 5);
        let shared = SessionRecord::from_storage_string(&text).unwrap();
        assert!(mine.is_shared_with(&previous, &shared));
        let mut adopted = mine.clone();
        adopted.adopt(shared.clone());
        assert_eq!(adopted.access_token.as_ref().unwrap().secret(), "at2");
        assert_eq!(adopted.refresh_token.as_ref().unwrap().secret(), "rt&=1");
        assert_eq!(adopted.id_token.as_ref().unwrap().secret(), "a.b.c");
        assert_eq!(adopted.generation, "g2");
        assert_eq!(adopted, renewed);
        let rotated = SessionRecord {
            refresh_token: Some(RefreshToken::new("rt2".into())),
            ..shared.clone()
        };
        let mut adopted = mine.clone();
        adopted.adopt(rotated);
        assert_eq!(adopted.refresh_token.as_ref().unwrap().secret(), "rt2");
        assert_eq!(adopted.id_token.as_ref().unwrap().secret(), "a.b.c");
        let foreign = [
            SessionRecord {
                issuer: "https://evil.example".into(),
                ..shared.clone()
            },
            SessionRecord {
                client_id: "other-app".into(),
                ..shared.clone()
            },
            SessionRecord {
                subject: Some("u2".into()),
                ..shared.clone()
            },
        ];
        for other in foreign {
            assert!(!mine.is_shared_with("g1", &other), "{other:?}");
        }
        assert!(!mine.is_shared_with("g0", &shared), "a stale generation");
    }

    #[test]
    fn channels_are_per_issuer_and_client() {
        let a = channel_name("https://as.example/oauth2", "client");
        assert_eq!(a, "anypoint-signin:https://as.example/oauth2 client");
        assert_ne!(a, channel_name("https://as.example/oauth2", "other"));
        assert_ne!(a, channel_name("https://eu.example/oauth2", "client"));
    }

    #[test]
    fn unreadable_records_are_refused() {
        for bad in [
            "",
            "v=2&issuer=i&client_id=c&generation=g",
            "v=%31&issuer=i&client_id=c&generation=g",
            "v=1&issuer=i&generation=g",
        ] {
            let e = SessionRecord::from_storage_string(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::SessionExpired, "{bad}");
        }
    }

    /// `read` takes exactly what `from_storage_string` takes, as the same record, and
    /// refuses the rest.
    #[test]
    fn read_agrees_with_from_storage_string() {
        let full = full();
        let mut texts = vec![
            full.to_storage_string(),
            full.identity(),
            full.to_storage_string_for(StorageMode::Memory).unwrap(),
            String::new(),
            "v=2&issuer=i&client_id=c&generation=g".into(),
            "v=%31&issuer=i&client_id=c&generation=g".into(),
            "v=1&issuer=i&generation=g".into(),
            "v=1&issuer=i&client_id=c&generation=g&token_type=&expires_at_ms=x".into(),
            "v=1&issuer=&client_id=c&generation=g".into(),
        ];
        texts.extend(crate::protocol::test_support::arbitrary_strings());
        for text in texts {
            assert_eq!(
                SessionRecord::read(&text),
                SessionRecord::from_storage_string(&text).ok(),
                "{text:?}"
            );
        }
        assert_eq!(SessionRecord::read(&full.to_storage_string()), Some(full));
        assert_eq!(SessionRecord::read("v=1&issuer=i&generation=g"), None);
    }

    #[test]
    fn freshness_keeps_a_minute_of_margin() {
        let now = 1_000_000;
        assert!(is_fresh(NO_EXPIRY, now));
        assert!(is_fresh(now + MIN_TOKEN_LIFETIME_MS, now));
        assert!(!is_fresh(now + MIN_TOKEN_LIFETIME_MS - 1, now));
        assert!(!is_fresh(now - 1, now));
    }

    #[test]
    fn refresh_is_scheduled_a_minute_before_expiry() {
        let now = 1_000_000;
        assert_eq!(refresh_delay_ms(now + 3_600_000, now), 3_540_000);
        assert_eq!(refresh_delay_ms(now + 30_000, now), 1_000);
        assert_eq!(refresh_delay_ms(now - 5_000, now), 1_000);
    }

    #[test]
    fn expiry_is_now_plus_the_lifetime_saturating_like_saturating_mul() {
        let now = 1_000_000;
        assert_eq!(expires_at(now, None), NO_EXPIRY);
        assert_eq!(expires_at(now, Some(0)), now);
        assert_eq!(expires_at(now, Some(3_600)), now + 3_600_000);
        for secs in [
            u64::MAX / 1000 - 1,
            u64::MAX / 1000,
            u64::MAX / 1000 + 1,
            u64::MAX / 2,
            u64::MAX,
        ] {
            for now in [0, 1, 615, 616, now] {
                assert_eq!(
                    expires_at(now, Some(secs)),
                    now.saturating_add(secs.saturating_mul(1000)),
                    "{now} {secs}"
                );
            }
        }
    }

    #[test]
    fn backoff_doubles_up_to_two_minutes() {
        assert_eq!(backoff_ms(1), 2_000);
        assert_eq!(backoff_ms(2), 4_000);
        assert_eq!(backoff_ms(3), 8_000);
        assert_eq!(backoff_ms(7), 120_000);
        assert_eq!(backoff_ms(100), 120_000);
    }

    /// Unknown names are ignored, and of a repeated name the last wins (an unreadable
    /// expiry is none); an empty issuer, client or generation is refused.
    #[test]
    fn unknown_names_are_ignored_and_the_last_of_a_name_wins() {
        let base = "v=1&issuer=i&client_id=c&generation=g";
        let read = |extra: &str| SessionRecord::from_storage_string(&[base, extra].concat());
        let r = read("&new=1&subject=a&subject=b&expires_at_ms=x&expires_at_ms=5").unwrap();
        assert_eq!((r.subject.as_deref(), r.expires_at_ms), (Some("b"), 5));
        let r = read("&expires_at_ms=5&expires_at_ms=x&token_type=").unwrap();
        assert_eq!((r.expires_at_ms, r.token_type()), (NO_EXPIRY, None));
        // The last millisecond is no stated lifetime, which is not stored.
        let r = read("&expires_at_ms=18446744073709551615").unwrap();
        assert_eq!(r.expires_at_ms, NO_EXPIRY);
        assert!(!r.to_storage_string().contains("expires_at_ms"));
        assert_eq!(expiry_digits(NO_EXPIRY), None);
        assert_eq!(expiry_digits(5).as_deref(), Some("5"));
        // The expiry is digits as written, never encoded: anything else is unreadable.
        assert_eq!(read("&expires_at_ms=%35").unwrap().expires_at_ms, NO_EXPIRY);
        assert_eq!(read("&v=2").unwrap_err().code, ErrorCode::SessionExpired);
        assert!(SessionRecord::from_storage_string(&["v=2&", base].concat()).is_ok());
        for empty in ["&issuer=", "&client_id=", "&generation="] {
            let e = read(empty).unwrap_err();
            assert_eq!(
                (e.code, e.description.as_str()),
                (
                    ErrorCode::SessionExpired,
                    "The stored session is unreadable; sign in again."
                ),
                "{empty}"
            );
        }
    }
}
