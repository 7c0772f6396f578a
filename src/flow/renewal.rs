//! Keeping the session alive (RFC 6749 §6): the access token renewed with the refresh token
//! a minute before it expires and on demand (`getAccessToken()`), one browsing context at a
//! time (an origin-wide lock per client), with back-off while the network is down; the
//! renewal shared with the other contexts of the same issuer and client, and theirs adopted.

use super::events::{self, Detail};
use super::io::{Effects, ElementId, HttpResponse, Method, StoredItems, Ticket};
use super::machine::{Awaiting, Machine, NO_ELEMENT, NO_TICKET, Session};
use super::verify::Verification;
use crate::protocol::text::fill;
use crate::protocol::{
    ErrorCode, JsonDecoder, NO_EXPIRY, RefreshToken, SessionRecord, SigninError, TokenResponse,
    backoff_ms, channel_name, is_fresh, is_invalid_grant, parse_token_response, refresh_delay_ms,
    refresh_token_body,
};

/// How long a context keeps the refresh lock after sharing a renewal: the message must
/// reach the other contexts before one of them takes the lock, or it would spend the
/// refresh token just rotated away.
pub const ADOPTION_GRACE_MS: u64 = 150;

/// A renewal under way.
pub(super) struct Renewal {
    /// The generation of the session being renewed.
    generation: String,
    /// `getAccessToken()` calls waiting for it.
    calls: Vec<Ticket>,
    /// Restoring a session after a reload (for this element; [`NO_ELEMENT`]: not restoring):
    /// it ends in `anypoint-signin-success` rather than `anypoint-signin-token-refreshed`.
    restoring: ElementId,
    /// Started by the timer: a failure on the network is retried after a back-off.
    scheduled: bool,
    /// The lock's ticket: the renewal ends only once the lock was granted, so it always
    /// ends holding it.
    lock: Ticket,
    /// The refresh token being spent.
    refresh_token: Option<RefreshToken>,
    /// The token endpoint's answer.
    pub(super) tokens: Option<TokenResponse>,
    /// The new ID token's check, under way once the tokens with one are in.
    pub(super) verification: Verification,
}

/// The error when nobody is signed in.
pub(super) fn not_signed_in() -> SigninError {
    SigninError::new(
        ErrorCode::NotSignedIn,
        "Nobody is signed in: call signIn() (or let the user click the button) first.",
    )
}

fn no_refresh_token() -> SigninError {
    SigninError::new(
        ErrorCode::SessionExpired,
        "The access token expired and there is no refresh token to renew it: request the offline_access scope to stay signed in.",
    )
}

/// The message telling the other browsing contexts of the origin, on the channel of
/// `session`'s issuer and client, that `kind` happened to the session of generation
/// `previous`; `shared` is what they may take of it, as a stored record
/// ([`SessionRecord::to_storage_string`]).
pub(super) fn broadcast(
    out: &mut impl Effects,
    kind: &str,
    previous: &str,
    session: &SessionRecord,
    shared: &str,
) {
    out.broadcast(
        &channel_name(&session.issuer, &session.client_id),
        kind,
        previous,
        shared,
    );
}

/// Failures worth retrying later: the network or a passing server fault, not a refusal.
fn retryable(error: &SigninError) -> bool {
    match error.code {
        ErrorCode::TokenRequestFailed | ErrorCode::DiscoveryFailed => true,
        ErrorCode::TokenError => matches!(
            error.cause.as_deref(),
            Some("server_error" | "temporarily_unavailable")
        ),
        _ => false,
    }
}

impl<J: JsonDecoder, O: Effects> Machine<J, O> {
    /// Plans the next renewal of the session: a minute before expiry, or after a back-off
    /// when `attempt` earlier tries failed on the network. Without a refresh token, the
    /// session simply ends when the access token expires.
    pub(super) fn schedule(&mut self, attempt: u32) {
        self.stop_session_timer();
        let Some(s) = &self.session else {
            return;
        };
        let expires_at = s.record.expires_at_ms;
        if expires_at == NO_EXPIRY {
            return;
        }
        let ms = match (s.record.refresh_token.is_some(), attempt) {
            (false, _) => expires_at.saturating_sub(self.now_ms),
            (true, 0) => refresh_delay_ms(expires_at, self.now_ms),
            (true, n) => backoff_ms(n),
        };
        self.renew_attempt = attempt;
        self.start_timer(Awaiting::SessionTimer, ms);
    }

    pub(super) fn stop_session_timer(&mut self) {
        self.stop_timer(Awaiting::SessionTimer);
    }

    /// Lets go of the lock `ticket`.
    pub(super) fn unlock(&mut self, ticket: Ticket) {
        self.out.unlock(ticket);
    }

    /// Starts a timer of `ms` milliseconds whose firing is `awaiting`; returns its ticket.
    pub(super) fn start_timer(&mut self, awaiting: Awaiting, ms: u64) -> Ticket {
        let ticket = self.tickets.expect(awaiting);
        self.out.start_timer(ticket, ms);
        ticket
    }

    /// Stops the timer whose firing is `awaiting`, when one is set; its answer is no
    /// longer awaited.
    pub(super) fn stop_timer(&mut self, awaiting: Awaiting) {
        let timer = self.tickets.forget(awaiting);
        if timer != NO_TICKET {
            self.out.stop_timer(timer);
        }
    }

    /// The session timer fired: renew, or end a session that cannot be renewed (it has no
    /// refresh token, as when the timer was set: every change of the session sets it anew).
    pub(super) fn session_timer_fired(&mut self) {
        match &self.session {
            Some(s) if s.record.refresh_token.is_none() => self.expire(&no_refresh_token()),
            _ => self.start_renewal(NO_TICKET, NO_ELEMENT, true),
        }
    }

    /// `getAccessToken()`: a token good for another minute, renewed first when needed.
    pub(super) fn access_token_call(&mut self, element: ElementId, call: Ticket) {
        let Some(s) = &self.session else {
            return self.reject(element, &not_signed_in(), call);
        };
        if let Some(token) = &s.record.access_token
            && is_fresh(s.record.expires_at_ms, self.now_ms)
        {
            let text = Detail::quoted(token.secret());
            return self.settle(call, Ok(&text));
        }
        if s.record.refresh_token.is_none() {
            let error = no_refresh_token();
            self.expire(&error);
            return self.settle(call, Err(&error));
        }
        self.start_renewal(call, NO_ELEMENT, false);
    }

    /// Starts renewing the session (or joins the renewal under way): first the
    /// origin-wide lock of its client.
    pub(super) fn start_renewal(&mut self, call: Ticket, restoring: ElementId, scheduled: bool) {
        if self.renewal.is_none() {
            let Some(s) = &self.session else {
                return self.settle(call, Err(&not_signed_in()));
            };
            let name = fill("anypoint-signin:refresh:\u{1}", &[&s.record.client_id]);
            let ticket = self.tickets.expect(Awaiting::Lock);
            self.renewal = Some(Renewal {
                generation: s.record.generation.clone(),
                calls: Vec::new(),
                restoring,
                scheduled,
                lock: ticket,
                refresh_token: None,
                tokens: None,
                verification: Verification::default(),
            });
            self.out.lock(ticket, &name);
        }
        if let Some(r) = &mut self.renewal
            && call != NO_TICKET
        {
            r.calls.push(call);
        }
    }

    /// This context holds the lock; `stored` is `sessionStorage` as it is now (a frame
    /// of this tab may have renewed meanwhile).
    pub(super) fn lock_granted(&mut self, stored: StoredItems) {
        self.restock(stored);
        // The lock is asked for by the renewal, which ends only once it holds it.
        let Some(r) = &self.renewal else {
            return;
        };
        let Some(s) = &self.session else {
            return self.renewal_failed(&not_signed_in());
        };
        let record = &s.record;
        if record.generation != r.generation
            && record.access_token.is_some()
            && is_fresh(record.expires_at_ms, self.now_ms)
        {
            // Renewed while this context waited for the lock, here or by another context.
            return self.renewal_done(false);
        }
        // The kept record is dropped in one place, its refresh token taken out when it is
        // this session's (same issuer, client and user; any generation).
        let kept = {
            let mut kept = self.kept_record(&record.client_id);
            match &mut kept {
                Some(k) if record.is_shared_with(&record.generation, k) => k.refresh_token.take(),
                _ => None,
            }
        };
        let refresh_token = match (kept, &record.refresh_token) {
            (Some(kept), _) => kept,
            (None, Some(token)) => token.clone(),
            (None, None) => return self.renewal_failed(&not_signed_in()),
        };
        let issuer = record.issuer.clone();
        if let Some(r) = &mut self.renewal {
            r.refresh_token = Some(refresh_token);
        }
        self.discover(issuer, Self::renewal_metadata_ready);
    }

    /// The metadata a renewal waits for arrived: send the refresh token.
    pub(super) fn renewal_metadata_ready(&mut self, result: Result<(), &SigninError>) {
        let Some(r) = &self.renewal else {
            return;
        };
        let (Some(refresh_token), Some(s)) = (&r.refresh_token, &self.session) else {
            return;
        };
        if r.tokens.is_some() || self.awaits(Awaiting::RefreshToken) {
            return;
        }
        if let Err(e) = result {
            return self.renewal_failed(e);
        }
        // The metadata is in hand by now: read where it lives.
        let Some(m) = &self.documents.metadata else {
            return;
        };
        if m.issuer != s.record.issuer {
            return;
        }
        let body = refresh_token_body(refresh_token, &s.record.client_id, None);
        let ticket = self.tickets.expect(Awaiting::RefreshToken);
        self.out.fetch(
            ticket,
            Method::PostForm,
            &m.token_endpoint,
            &body,
            "",
            false,
        );
    }

    pub(super) fn refresh_answered(&mut self, result: Result<HttpResponse, &str>) {
        let error = match result {
            Err(cause) => SigninError::new(
                ErrorCode::TokenRequestFailed,
                "Could not reach the token endpoint to renew the access token; retrying later.",
            )
            .with_cause(cause),
            Ok(r) => match parse_token_response(r.status, r.body, &self.json) {
                Ok(tokens) => return self.refreshed(tokens),
                Err(e) if is_invalid_grant(&e) => SigninError::new(
                    ErrorCode::SessionExpired,
                    "The session ended: the authorization server refused the refresh token (expired, revoked, or used elsewhere). Sign in again.",
                )
                .with_cause("invalid_grant"),
                Err(e) => e,
            },
        };
        self.renewal_failed(&error);
    }

    /// The token endpoint renewed the tokens: check the new ID token, if any.
    fn refreshed(&mut self, tokens: TokenResponse) {
        let Some(r) = &mut self.renewal else {
            return;
        };
        let has_id_token = tokens.id_token.is_some();
        r.tokens = Some(tokens);
        if !has_id_token {
            return self.renewed(None, String::new());
        }
        self.verify_step(true, None);
    }

    /// The renewal is good: the new tokens become the session (with the new ID token's
    /// payload text and the name it gives, when the answer had one), the other contexts hear
    /// of it, and the lock is kept a moment longer.
    pub(super) fn renewed(&mut self, claims: Option<String>, name: String) {
        // The session's record is renewed where it lives.
        let (Some(r), Some(session)) = (&mut self.renewal, &mut self.session) else {
            return;
        };
        let Some(tokens) = r.tokens.take() else {
            return;
        };
        let (previous, shared) = session.record.renew(
            tokens,
            r.refresh_token.clone(),
            super::machine::random_text(&self.random, 129, 22),
            self.now_ms,
        );
        if let Some(payload) = claims {
            session.claims = Some(payload);
            if session.profile.is_none() {
                session.display_name = name;
            }
        }
        broadcast(
            &mut self.out,
            "refreshed",
            &previous,
            &session.record,
            &shared,
        );
        self.keep();
        self.renewal_done(true);
    }

    /// The renewal ended well: answer the callers, tell the page, let go of the lock
    /// (after the grace period when this context renewed and shared the tokens).
    fn renewal_done(&mut self, shared: bool) {
        let Some(r) = self.renewal.take() else {
            return;
        };
        let token = self
            .session
            .as_ref()
            .and_then(|s| s.record.access_token.as_ref())
            .map(|t| Detail::quoted(t.secret()))
            .unwrap_or_default();
        for &call in &r.calls {
            self.settle(call, Ok(&token));
        }
        if shared {
            self.start_timer(Awaiting::Grace, ADOPTION_GRACE_MS);
            self.grace = r.lock;
        } else {
            self.unlock(r.lock);
        }
        match r.restoring {
            NO_ELEMENT if shared => self.tell_refreshed(),
            NO_ELEMENT => {}
            element => {
                let source = self.profile_source(element);
                self.announce_signin(element, source, true);
            }
        }
    }

    /// Fires `anypoint-signin-token-refreshed` with the session's new token.
    fn tell_refreshed(&mut self) {
        if let Some(element) = self.primary() {
            self.announce_tokens(element, None);
        }
    }

    /// The grace period after sharing a renewal is over.
    pub(super) fn grace_over(&mut self) {
        let lock = core::mem::replace(&mut self.grace, NO_TICKET);
        if lock != NO_TICKET {
            self.unlock(lock);
        }
    }

    pub(super) fn renewal_failed(&mut self, error: &SigninError) {
        let Some(r) = self.renewal.take() else {
            return;
        };
        self.unlock(r.lock);
        for call in &r.calls {
            self.settle(*call, Err(error));
        }
        if r.restoring != NO_ELEMENT {
            self.end_session();
            return self.fail(r.restoring, error);
        }
        if error.code == ErrorCode::SessionExpired {
            self.expire(error);
        } else if r.scheduled && retryable(error) {
            let attempt = self.renew_attempt + 1;
            self.schedule(attempt);
        }
    }

    /// Ends the session because it cannot go on, and tells the page.
    pub(super) fn expire(&mut self, error: &SigninError) {
        self.end_session();
        if let Some(element) = self.primary() {
            self.dispatch(element, events::ERROR, events::error_detail(error));
        }
    }

    /// Forgets the session here ([`Machine::forget_session`]) and shows it gone.
    fn end_session(&mut self) {
        self.forget_session();
        self.render_all();
    }

    /// Forgets the session here: in memory, in storage, and its timer; returns it.
    pub(super) fn forget_session(&mut self) -> Option<Session> {
        self.stop_session_timer();
        let s = self.session.take();
        if let Some(s) = &s {
            self.unstore(SessionRecord::storage_key(&s.record.client_id));
        }
        s
    }

    /// Another context of the origin renewed or ended a session this one shares.
    pub(super) fn broadcast_received(&mut self, kind: &str, previous: &str, record: &str) {
        let Some(s) = &self.session else {
            return;
        };
        let Some(shared) = SessionRecord::read(record) else {
            return;
        };
        if !s.record.is_shared_with(previous, &shared) {
            return;
        }
        match kind {
            "refreshed" => {
                let Some(session) = &mut self.session else {
                    return;
                };
                session.record.adopt(shared);
                self.keep();
                self.tell_refreshed();
            }
            "signout" => {
                self.end_session();
                if let Some(element) = self.primary() {
                    self.tell_signed_out(element);
                }
            }
            _ => {}
        }
    }
}
