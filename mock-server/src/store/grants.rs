//! What users and apps were granted: login sessions, pending authorization requests,
//! codes, tokens and consents, each kept only as long as it can matter.
//!
//! Access tokens are not stored at all: each one carries its grant, sealed with a MAC
//! under a key drawn at start-up, so that a load test issuing millions of them costs no
//! memory. What the mock remembers about access tokens is only what ended them early:
//! revoked tokens and grants, and the point from which an app's or a user's tokens stopped
//! working, each until every token it concerns has expired anyway.

use std::collections::{BTreeSet, HashMap};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;

use crate::crypto::constant_time_eq;
use crate::crypto::mac::MacKey;
use crate::random;
use crate::store::expiring::Expiring;

/// Authorization code lifetime, seconds.
pub(crate) const CODE_TTL: u64 = 60;
/// Access token lifetime, seconds: Anypoint's default session length (60 min).
pub(crate) const ACCESS_TOKEN_TTL: u64 = 3600;
/// Refresh token lifetime, seconds: 90 days.
pub(crate) const REFRESH_TOKEN_TTL: u64 = 90 * 24 * 3600;
/// How long a redeemed code is remembered to detect replays, seconds.
pub(crate) const REPLAY_WINDOW: u64 = 600;
/// How long a login/consent page stays answerable, seconds; also how long a browser's
/// session lasts before anyone signs in with it.
pub(crate) const PENDING_TTL: u64 = 600;
/// How long a signed-in browser session lasts, seconds: Anypoint's default session (60 min).
pub(crate) const SESSION_TTL: u64 = 3600;
/// At most this many of each: sessions, pending requests, codes, refresh tokens and
/// rotated refresh tokens. Past it, the one closest to its expiry goes first.
pub(crate) const MAX_ENTRIES: usize = 100_000;
/// At most this many remembered revocations of access tokens and grants.
pub(crate) const MAX_REVOCATIONS: usize = 1_000_000;

/// A browser's login session with the mock (the `anypoint_mock_session` cookie).
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub user_id: Option<String>,
    pub auth_time: u64,
}

/// A validated authorization request waiting for login or consent.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    /// The session the request was started in: only that browser may answer it.
    pub session_id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    /// `prompt=consent`: ask even if the user already consented.
    pub prompt_consent: bool,
    /// Pre-fills the username field.
    pub login_hint: Option<String>,
    pub expires_at: u64,
}

/// An issued authorization code.
#[derive(Debug, Clone)]
pub(crate) struct Code {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub user_id: String,
    pub scopes: Vec<String>,
    pub nonce: Option<String>,
    pub auth_time: u64,
    pub expires_at: u64,
    /// Set on first use: the grant whose tokens a replay revokes.
    pub redeemed_grant: Option<u64>,
}

/// What a token stands for. Tokens of one grant share a `grant_id`, so revoking a grant
/// (code replay, refresh token revocation) ends them all.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub grant_id: u64,
    pub client_id: String,
    /// The user the tokens act for; for an app acting as its owner, the owner when the
    /// grant was made (and, in a checked access token, the owner when it is used).
    pub user_id: String,
    /// Client credentials: the app acts as whoever owns it when a token is used.
    pub as_app_owner: bool,
    pub scopes: Vec<String>,
    pub auth_time: u64,
}

/// An access token that checked out: sealed by this server, unexpired, not revoked.
#[derive(Debug, Clone)]
pub(crate) struct AccessToken {
    pub grant: Grant,
    /// Unique per token, in order of issue.
    pub serial: u64,
    pub issued_at: u64,
    pub expires_at: u64,
}

/// A live refresh token; one per grant, as rotation replaces it.
#[derive(Debug, Clone)]
pub(crate) struct RefreshToken {
    /// The token itself, compared in constant time.
    pub token: String,
    pub grant: Grant,
    pub issued_at: u64,
    pub expires_at: u64,
}

/// A refresh token that rotation replaced, remembered until it would have expired so that
/// its reuse can be detected.
#[derive(Debug, Clone)]
pub(crate) struct RotatedRefreshToken {
    pub client_id: String,
    /// The family: the grant whose tokens a reuse revokes.
    pub grant_id: u64,
}

/// Tokens freshly issued for a grant.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub access_token: String,
    pub refresh_token: Option<String>,
}

/// How many entries each collection holds, for `GET /__mock/stats`.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Counts {
    pub sessions: usize,
    pub pending_requests: usize,
    pub codes: usize,
    pub refresh_tokens: usize,
    pub rotated_refresh_tokens: usize,
    pub revoked_access_tokens: usize,
    pub revoked_grants: usize,
    pub access_tokens_issued: u64,
}

/// What an access token carries, sealed: a version byte, five numbers (big-endian u64)
/// and three length-prefixed strings. A binary layout keeps tokens short and sealing cheap.
#[derive(Debug, PartialEq, Eq)]
struct Sealed {
    /// Serial number.
    n: u64,
    /// Grant id.
    g: u64,
    /// Authentication time.
    a: u64,
    /// Issued at.
    i: u64,
    /// Expires at.
    e: u64,
    /// Client id.
    c: String,
    /// User id; absent when the app acts as its owner, whoever that is when it is used.
    u: Option<String>,
    /// Scopes, space-separated.
    s: String,
}

/// The layout's version, first byte of every sealed body.
const SEALED_V1: u8 = 1;

impl Sealed {
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(48 + self.c.len() + self.s.len() + 40);
        out.push(SEALED_V1);
        for number in [self.n, self.g, self.a, self.i, self.e] {
            out.extend_from_slice(&number.to_be_bytes());
        }
        for text in [Some(&self.c), self.u.as_ref(), Some(&self.s)] {
            match text {
                // u16::MAX marks an absent string; ids and scope lists are far shorter.
                None => out.extend_from_slice(&u16::MAX.to_be_bytes()),
                Some(text) => {
                    let length = u16::try_from(text.len()).unwrap_or(u16::MAX - 1);
                    out.extend_from_slice(&length.to_be_bytes());
                    out.extend_from_slice(&text.as_bytes()[..usize::from(length)]);
                }
            }
        }
        out
    }

    fn decode(bytes: &[u8]) -> Option<Sealed> {
        let (&version, mut rest) = bytes.split_first()?;
        if version != SEALED_V1 {
            return None;
        }
        let mut number = || {
            let (head, tail) = rest.split_first_chunk::<8>()?;
            rest = tail;
            Some(u64::from_be_bytes(*head))
        };
        let (n, g, a, i, e) = (number()?, number()?, number()?, number()?, number()?);
        let mut text = || -> Option<Option<String>> {
            let (head, tail) = rest.split_first_chunk::<2>()?;
            let length = u16::from_be_bytes(*head);
            if length == u16::MAX {
                rest = tail;
                return Some(None);
            }
            let (value, tail) = tail.split_at_checked(usize::from(length))?;
            rest = tail;
            Some(Some(String::from_utf8(value.to_vec()).ok()?))
        };
        let (c, u, s) = (text()??, text()?, text()??);
        rest.is_empty().then_some(Sealed {
            n,
            g,
            a,
            i,
            e,
            c,
            u,
            s,
        })
    }
}

/// The protocol state.
#[derive(Debug)]
pub(crate) struct Grants {
    key: MacKey,
    /// The serial number of the next access token, and the next grant id.
    next_serial: u64,
    /// Access tokens issued since start-up.
    access_tokens_issued: u64,
    pub sessions: Expiring<String, Session>,
    pub pending: Expiring<String, Pending>,
    pub codes: Expiring<String, Code>,
    /// By grant id: a grant has at most one live refresh token.
    refresh_tokens: Expiring<u64, RefreshToken>,
    /// Refresh tokens replaced by rotation.
    pub rotated_refresh_tokens: Expiring<String, RotatedRefreshToken>,
    /// Serial numbers of revoked access tokens.
    revoked_tokens: Expiring<u64, ()>,
    /// Grants whose access tokens were revoked.
    revoked_grants: Expiring<u64, ()>,
    /// Per client id: access tokens with a lower serial stopped working (app deleted or
    /// disabled).
    app_cutoffs: Expiring<String, u64>,
    /// Per user id: the same, for deleted users.
    user_cutoffs: Expiring<String, u64>,
    /// Scopes each user consented to, per app: `(user_id, client_id)`.
    pub consents: HashMap<(String, String), BTreeSet<String>>,
    /// Users who ever authorized each app, for the usage figures.
    pub authorized_users: HashMap<String, BTreeSet<String>>,
}

impl Default for Grants {
    fn default() -> Self {
        Grants {
            key: MacKey::random(),
            next_serial: 1,
            access_tokens_issued: 0,
            sessions: Expiring::new(MAX_ENTRIES),
            pending: Expiring::new(MAX_ENTRIES),
            codes: Expiring::new(MAX_ENTRIES),
            refresh_tokens: Expiring::new(MAX_ENTRIES),
            rotated_refresh_tokens: Expiring::new(MAX_ENTRIES),
            revoked_tokens: Expiring::new(MAX_REVOCATIONS),
            revoked_grants: Expiring::new(MAX_REVOCATIONS),
            app_cutoffs: Expiring::new(MAX_REVOCATIONS),
            user_cutoffs: Expiring::new(MAX_REVOCATIONS),
            consents: HashMap::new(),
            authorized_users: HashMap::new(),
        }
    }
}

impl Grants {
    /// Drops what expired by `now`: the cost is in proportion to what goes.
    pub fn purge(&mut self, now: u64) {
        self.sessions.purge(now);
        self.pending.purge(now);
        self.codes.purge(now);
        self.refresh_tokens.purge(now);
        self.rotated_refresh_tokens.purge(now);
        self.revoked_tokens.purge(now);
        self.revoked_grants.purge(now);
        self.app_cutoffs.purge(now);
        self.user_cutoffs.purge(now);
    }

    /// How many entries each collection holds.
    pub fn counts(&self) -> Counts {
        Counts {
            sessions: self.sessions.len(),
            pending_requests: self.pending.len(),
            codes: self.codes.len(),
            refresh_tokens: self.refresh_tokens.len(),
            rotated_refresh_tokens: self.rotated_refresh_tokens.len(),
            revoked_access_tokens: self.revoked_tokens.len(),
            revoked_grants: self.revoked_grants.len(),
            access_tokens_issued: self.access_tokens_issued,
        }
    }

    /// A new grant id.
    pub fn new_grant_id(&mut self) -> u64 {
        let id = self.next_serial;
        self.next_serial += 1;
        id
    }

    /// Starts a login session under a fresh id, ending the session `replacing` if given: a
    /// browser gets a new id whenever its sign-in changes, so that an id planted before is
    /// worth nothing.
    pub fn start_session(
        &mut self,
        replacing: Option<&str>,
        user_id: Option<String>,
        now: u64,
    ) -> String {
        if let Some(old) = replacing {
            self.sessions.remove(old);
        }
        let session_id = random::token(24);
        let lifetime = if user_id.is_some() {
            SESSION_TTL
        } else {
            PENDING_TTL
        };
        self.sessions.insert(
            session_id.clone(),
            Session {
                user_id,
                auth_time: now,
            },
            now + lifetime,
        );
        session_id
    }

    /// Keeps a pending authorization request under `request_id` until it expires.
    pub fn add_pending(&mut self, request_id: String, pending: Pending) {
        let deadline = pending.expires_at;
        self.pending.insert(request_id, pending, deadline);
    }

    /// Keeps a code until its replay window ends.
    pub fn add_code(&mut self, code: String, record: Code) {
        let deadline = record.expires_at + REPLAY_WINDOW;
        self.codes.insert(code, record, deadline);
    }

    /// Issues an access token, and a refresh token for `refresh_scopes` if given.
    pub fn issue(&mut self, grant: Grant, refresh_scopes: Option<Vec<String>>, now: u64) -> Issued {
        let serial = self.new_grant_id();
        self.access_tokens_issued += 1;
        let access_token = self.seal(&grant, serial, now);
        let refresh_token = refresh_scopes.map(|scopes| {
            let token = format!("{}.{}", grant.grant_id, random::token(32));
            let expires_at = now + REFRESH_TOKEN_TTL;
            self.refresh_tokens.insert(
                grant.grant_id,
                RefreshToken {
                    token: token.clone(),
                    grant: Grant { scopes, ..grant },
                    issued_at: now,
                    expires_at,
                },
                expires_at,
            );
            token
        });
        Issued {
            access_token,
            refresh_token,
        }
    }

    fn seal(&self, grant: &Grant, serial: u64, now: u64) -> String {
        let sealed = Sealed {
            n: serial,
            g: grant.grant_id,
            c: grant.client_id.clone(),
            u: (!grant.as_app_owner).then(|| grant.user_id.clone()),
            s: grant.scopes.join(" "),
            a: grant.auth_time,
            i: now,
            e: now + ACCESS_TOKEN_TTL,
        };
        let body = URL_SAFE_NO_PAD.encode(sealed.encode());
        let tag = URL_SAFE_NO_PAD.encode(self.key.sign(body.as_bytes()));
        format!("{body}.{tag}")
    }

    /// The access token `token`, if this server sealed it and it is neither expired nor
    /// revoked. An app acting as its owner is returned with an empty `user_id`, for the
    /// caller to fill in from the directory.
    pub fn open_access_token(&self, token: &str, now: u64) -> Option<AccessToken> {
        let (body, tag) = token.split_once('.')?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        if !self.key.verify(body.as_bytes(), &tag) {
            return None;
        }
        let sealed = Sealed::decode(&URL_SAFE_NO_PAD.decode(body).ok()?)?;
        let cut = |cutoffs: &Expiring<String, u64>, id: &str| {
            cutoffs.get(id).is_some_and(|cutoff| sealed.n < *cutoff)
        };
        if sealed.e <= now
            || self.revoked_tokens.contains_key(&sealed.n)
            || self.revoked_grants.contains_key(&sealed.g)
            || cut(&self.app_cutoffs, &sealed.c)
            || sealed
                .u
                .as_deref()
                .is_some_and(|u| cut(&self.user_cutoffs, u))
        {
            return None;
        }
        Some(AccessToken {
            grant: Grant {
                grant_id: sealed.g,
                client_id: sealed.c,
                as_app_owner: sealed.u.is_none(),
                user_id: sealed.u.unwrap_or_default(),
                scopes: sealed
                    .s
                    .split(' ')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                auth_time: sealed.a,
            },
            serial: sealed.n,
            issued_at: sealed.i,
            expires_at: sealed.e,
        })
    }

    /// Ends one access token.
    pub fn revoke_access_token(&mut self, token: &AccessToken) {
        self.revoked_tokens
            .insert(token.serial, (), token.expires_at);
    }

    /// The live refresh token `token`, expired or not.
    pub fn refresh_token(&self, token: &str) -> Option<&RefreshToken> {
        let grant_id = token.split_once('.')?.0.parse::<u64>().ok()?;
        self.refresh_tokens
            .get(&grant_id)
            .filter(|record| constant_time_eq(record.token.as_bytes(), token.as_bytes()))
    }

    /// Ends a refresh token that rotation replaces, remembering it to detect reuse.
    pub fn retire_refresh_token(&mut self, token: &str) {
        let Some(record) = self.refresh_token(token).cloned() else {
            return;
        };
        self.refresh_tokens.remove(&record.grant.grant_id);
        self.rotated_refresh_tokens.insert(
            token.to_owned(),
            RotatedRefreshToken {
                client_id: record.grant.client_id,
                grant_id: record.grant.grant_id,
            },
            record.expires_at,
        );
    }

    /// Revokes every token of a grant.
    pub fn revoke_grant(&mut self, grant_id: u64, now: u64) {
        self.refresh_tokens.remove(&grant_id);
        // Every access token of the grant was issued by now, so expires within the hour.
        self.revoked_grants
            .insert(grant_id, (), now + ACCESS_TOKEN_TTL);
    }

    /// Ends every code and token of an app (deleted or disabled).
    pub fn revoke_app(&mut self, client_id: &str, now: u64) {
        self.app_cutoffs.insert(
            client_id.to_owned(),
            self.next_serial,
            now + ACCESS_TOKEN_TTL,
        );
        self.refresh_tokens
            .retain(|_, t| t.grant.client_id != client_id);
        self.rotated_refresh_tokens
            .retain(|_, t| t.client_id != client_id);
        self.codes.retain(|_, c| c.client_id != client_id);
    }

    /// Ends every code, token and session of a deleted user.
    pub fn revoke_user(&mut self, user_id: &str, now: u64) {
        self.user_cutoffs
            .insert(user_id.to_owned(), self.next_serial, now + ACCESS_TOKEN_TTL);
        self.refresh_tokens
            .retain(|_, t| t.grant.user_id != user_id);
        self.codes.retain(|_, c| c.user_id != user_id);
        self.end_sessions_of(user_id);
    }

    /// Ends the browser sessions a user is signed in with.
    pub fn end_sessions_of(&mut self, user_id: &str) {
        self.sessions
            .retain(|_, s| s.user_id.as_deref() != Some(user_id));
    }

    /// Records that a user authorized an app, for the usage figures.
    pub fn record_authorization(&mut self, client_id: &str, user_id: &str) {
        self.authorized_users
            .entry(client_id.to_owned())
            .or_default()
            .insert(user_id.to_owned());
    }

    /// Forgets what users granted a deleted app.
    pub fn forget_app(&mut self, client_id: &str) {
        self.consents.retain(|(_, c), _| c != client_id);
        self.authorized_users.remove(client_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_700_000_000;

    fn grant(grants: &mut Grants, user: &str) -> Grant {
        Grant {
            grant_id: grants.new_grant_id(),
            client_id: "app".to_owned(),
            user_id: user.to_owned(),
            as_app_owner: false,
            scopes: vec!["openid".to_owned(), "offline_access".to_owned()],
            auth_time: NOW,
        }
    }

    fn code(expires_at: u64) -> Code {
        Code {
            client_id: "app".to_owned(),
            redirect_uri: "http://127.0.0.1/".to_owned(),
            code_challenge: None,
            user_id: "u".to_owned(),
            scopes: vec![],
            nonce: None,
            auth_time: NOW,
            expires_at,
            redeemed_grant: None,
        }
    }

    #[test]
    fn an_access_token_carries_its_grant_and_works_until_it_expires() {
        let mut grants = Grants::default();
        let g = grant(&mut grants, "u");
        let issued = grants.issue(g.clone(), None, NOW);
        let token = grants
            .open_access_token(&issued.access_token, NOW + ACCESS_TOKEN_TTL - 1)
            .expect("live");
        assert_eq!(token.grant.user_id, "u");
        assert_eq!(token.grant.scopes, g.scopes);
        assert_eq!(token.expires_at, NOW + ACCESS_TOKEN_TTL);
        assert!(
            grants
                .open_access_token(&issued.access_token, NOW + ACCESS_TOKEN_TTL)
                .is_none()
        );
    }

    #[test]
    fn a_forged_or_foreign_access_token_is_refused() {
        let mut grants = Grants::default();
        let g = grant(&mut grants, "u");
        let issued = grants.issue(g, None, NOW);
        let (body, tag) = issued.access_token.split_once('.').unwrap();
        let mut forged = URL_SAFE_NO_PAD.decode(body).unwrap();
        let at = forged.iter().position(|b| *b == b'u').unwrap();
        forged[at] = b'v';
        let forged = format!("{}.{tag}", URL_SAFE_NO_PAD.encode(forged));
        assert!(grants.open_access_token(&forged, NOW).is_none());
        assert!(
            Grants::default()
                .open_access_token(&issued.access_token, NOW)
                .is_none()
        );
        for junk in ["", ".", "a.b", "not a token", "x.y.z"] {
            assert!(grants.open_access_token(junk, NOW).is_none(), "{junk:?}");
        }
    }

    #[test]
    fn the_sealed_layout_round_trips_and_refuses_truncation() {
        let sealed = Sealed {
            n: 7,
            g: 3,
            a: NOW,
            i: NOW + 1,
            e: NOW + 3601,
            c: "client".to_owned(),
            u: None,
            s: "profile read:exchange".to_owned(),
        };
        let bytes = sealed.encode();
        assert_eq!(Sealed::decode(&bytes), Some(sealed));
        for cut in 0..bytes.len() {
            assert_eq!(Sealed::decode(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Sealed::decode(&longer), None);
    }

    #[test]
    fn issuing_access_tokens_stores_nothing() {
        let mut grants = Grants::default();
        for _ in 0..1000 {
            let g = grant(&mut grants, "u");
            grants.issue(g, None, NOW);
        }
        let counts = grants.counts();
        assert_eq!(counts.access_tokens_issued, 1000);
        assert_eq!(
            counts.refresh_tokens + counts.codes + counts.revoked_grants,
            0
        );
    }

    #[test]
    fn revocations_end_tokens_and_are_forgotten_once_the_tokens_expired() {
        let mut grants = Grants::default();
        let one = grant(&mut grants, "u");
        let two = grant(&mut grants, "u");
        let first = grants.issue(one.clone(), None, NOW).access_token;
        let second = grants.issue(two.clone(), None, NOW).access_token;
        let opened = grants.open_access_token(&first, NOW).unwrap();
        grants.revoke_access_token(&opened);
        grants.revoke_grant(two.grant_id, NOW);
        assert!(grants.open_access_token(&first, NOW).is_none());
        assert!(grants.open_access_token(&second, NOW).is_none());
        assert_eq!(grants.counts().revoked_access_tokens, 1);
        assert_eq!(grants.counts().revoked_grants, 1);
        grants.purge(NOW + ACCESS_TOKEN_TTL);
        assert_eq!(grants.counts().revoked_access_tokens, 0);
        assert_eq!(grants.counts().revoked_grants, 0);
    }

    #[test]
    fn an_app_or_user_cutoff_ends_earlier_tokens_only() {
        let mut grants = Grants::default();
        let g = grant(&mut grants, "u");
        let before = grants.issue(g.clone(), None, NOW).access_token;
        grants.revoke_app("app", NOW);
        let after = grants.issue(g.clone(), None, NOW).access_token;
        assert!(grants.open_access_token(&before, NOW).is_none());
        assert!(grants.open_access_token(&after, NOW).is_some());
        grants.revoke_user("u", NOW);
        assert!(grants.open_access_token(&after, NOW).is_none());
    }

    #[test]
    fn codes_are_purged_after_the_replay_window() {
        let mut grants = Grants::default();
        grants.add_code("c1".to_owned(), code(NOW + CODE_TTL));
        grants.add_code("c2".to_owned(), code(NOW + 10 + CODE_TTL));
        grants.purge(NOW + CODE_TTL + REPLAY_WINDOW - 1);
        assert_eq!(grants.codes.len(), 2, "kept through the replay window");
        grants.purge(NOW + CODE_TTL + REPLAY_WINDOW);
        assert!(grants.codes.get("c1").is_none() && grants.codes.get("c2").is_some());
        grants.purge(NOW + 10 + CODE_TTL + REPLAY_WINDOW);
        assert_eq!(grants.codes.len(), 0);
    }

    #[test]
    fn refresh_tokens_rotate_and_are_purged_when_they_expire() {
        let mut grants = Grants::default();
        let g = grant(&mut grants, "u");
        let refresh = grants
            .issue(g.clone(), Some(g.scopes.clone()), NOW)
            .refresh_token
            .unwrap();
        assert!(grants.refresh_token(&refresh).is_some());
        let wrong = format!("{}.{}", g.grant_id, random::token(32));
        assert!(grants.refresh_token(&wrong).is_none());
        grants.retire_refresh_token(&refresh);
        assert!(grants.refresh_token(&refresh).is_none());
        assert!(grants.rotated_refresh_tokens.get(&refresh).is_some());
        let next = grants
            .issue(g.clone(), Some(g.scopes.clone()), NOW)
            .refresh_token
            .unwrap();
        grants.purge(NOW + REFRESH_TOKEN_TTL - 1);
        assert!(grants.refresh_token(&next).is_some());
        grants.purge(NOW + REFRESH_TOKEN_TTL);
        let counts = grants.counts();
        assert_eq!(
            (counts.refresh_tokens, counts.rotated_refresh_tokens),
            (0, 0)
        );
    }

    #[test]
    fn anonymous_sessions_end_before_signed_in_ones() {
        let mut grants = Grants::default();
        let anonymous = grants.start_session(None, None, NOW);
        let signed_in = grants.start_session(None, Some("u".to_owned()), NOW);
        grants.purge(NOW + PENDING_TTL);
        assert!(grants.sessions.get(&anonymous).is_none());
        assert!(grants.sessions.get(&signed_in).is_some());
        grants.purge(NOW + SESSION_TTL);
        assert_eq!(grants.sessions.len(), 0);
    }
}
