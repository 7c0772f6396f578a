//! The machine: the page's elements, its session, the flows under way, and the one place
//! where each input is routed to the step it answers.

use super::documents::Documents;
use super::io::{
    Attributes, Effect, Effects, ElementId, Event, Input, Random, SignInOptions, StoredItems,
    Ticket, View,
};
use super::settings::Settings;
use super::{callback, renewal, session, signin, signout};
use crate::protocol::{
    ErrorCode, JsonDecoder, Notice, SessionRecord, SigninError, StorageMode, TRANSACTION_PREFIX,
    Transaction,
};
use std::rc::Rc;

/// What an answer with a given ticket is for; each kind is awaited once at a time (its
/// place in [`Tickets`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Awaiting {
    /// The discovery document of the issuer in [`Documents`].
    Discovery,
    /// The provider's key set.
    Keys,
    /// The PKCE challenge of the sign-in being started.
    Challenge,
    /// The fate of `anypoint-signin-redirect`.
    RedirectEvent,
    /// The page's `anypoint-signin-code` handler: whether it takes over the exchange,
    /// then what its promise gave.
    CodeEvent,
    /// The answer to the code: from the token endpoint or the app's backend.
    Token,
    /// The ID token's signature check.
    Signature,
    /// The userinfo or `/accounts/api/me` answer.
    Profile,
    /// Whether the popup opened.
    PopupOpened,
    /// The popup's answer.
    PopupAnswer,
    /// The popup took too long.
    PopupTimeout,
    /// Time to renew the access token, or, for a session that cannot be renewed, the
    /// access token expired.
    SessionTimer,
    /// The refresh lock.
    Lock,
    /// The token endpoint's answer to the refresh token.
    RefreshToken,
    /// The renewed ID token's signature check.
    RenewalSignature,
    /// The end of the grace period before the refresh lock is let go.
    Grace,
    /// A revocation endpoint's answer (RFC 7009) for the refresh token.
    Revocation,
    /// A revocation endpoint's answer for the access token.
    AccessRevocation,
}

/// Every kind of answer, in the order of [`Awaiting`]: a kind's place in [`Tickets`].
pub(super) const KINDS: [Awaiting; 18] = [
    Awaiting::Discovery,
    Awaiting::Keys,
    Awaiting::Challenge,
    Awaiting::RedirectEvent,
    Awaiting::CodeEvent,
    Awaiting::Token,
    Awaiting::Signature,
    Awaiting::Profile,
    Awaiting::PopupOpened,
    Awaiting::PopupAnswer,
    Awaiting::PopupTimeout,
    Awaiting::SessionTimer,
    Awaiting::Lock,
    Awaiting::RefreshToken,
    Awaiting::RenewalSignature,
    Awaiting::Grace,
    Awaiting::Revocation,
    Awaiting::AccessRevocation,
];

/// No ticket: the first one handed out is 1 ([`Tickets::expect`]), and the runner numbers
/// its method calls from 1 too (`nextId` in js/element.js), so a field holding a ticket that
/// may not be there holds this instead.
pub(super) const NO_TICKET: Ticket = 0;

/// No element: the runner numbers its elements from 1 (`nextId` in js/element.js), so a
/// field holding an element that may not be there holds this instead.
pub(super) const NO_ELEMENT: ElementId = 0;

/// The ticket of the answer awaited of each kind, in the order of [`Awaiting`]
/// ([`NO_TICKET`]: none), and the last ticket handed out. A kind is awaited once at a
/// time: a new ticket of a kind replaces the one of a flow that ended, whose answer is
/// then dropped.
#[derive(Default)]
pub(super) struct Tickets {
    waiting: [Ticket; KINDS.len()],
    last: Ticket,
}

impl Tickets {
    /// A new ticket whose answer is `awaiting` (the first one is 1).
    #[inline(never)]
    pub(super) fn expect(&mut self, awaiting: Awaiting) -> Ticket {
        self.last += 1;
        self.waiting[awaiting as usize] = self.last;
        self.last
    }

    /// Stops waiting for an answer of kind `awaiting`; returns its ticket ([`NO_TICKET`]:
    /// none was awaited).
    pub(super) fn forget(&mut self, awaiting: Awaiting) -> Ticket {
        core::mem::replace(&mut self.waiting[awaiting as usize], NO_TICKET)
    }
}

/// One `<anypoint-signin>`.
pub(super) struct Element {
    pub id: ElementId,
    /// Shared with the flows started from it, which keep the settings they began with.
    pub settings: Result<Rc<Settings>, SigninError>,
    /// A sign-in started from this element is under way.
    pub busy: bool,
    /// The last error shown under the button: its sentence and what it means to the user.
    pub message: Option<(String, Notice)>,
    /// The configuration error last announced, so each one is announced once.
    pub announced: Option<ErrorCode>,
}

/// The page's signed-in session, shared by every element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The tokens and where they came from.
    pub record: SessionRecord,
    /// Where they are kept across reloads.
    pub mode: StorageMode,
    /// The ID token's claims (JSON text), when there is an ID token.
    pub claims: Option<String>,
    /// The user's profile (JSON text), once loaded.
    pub profile: Option<String>,
    /// The name on the button.
    pub display_name: String,
}

/// Every decision of every flow of the element, with no I/O, clock or randomness of its own.
///
/// Feed it [`Input`]s with [`Machine::handle`] together with the current time and fresh
/// randomness ([`Random`]); perform the [`Effect`]s it returns, in order, and feed back their results.
/// `O` gathers the effects of an input ([`Effects`]): a `Vec<Effect>` unless said otherwise.
pub struct Machine<J, O = Vec<Effect>> {
    pub(super) json: J,
    pub(super) page_url: String,
    /// Whether this page is the sign-in popup.
    pub(super) in_popup: bool,
    /// The stored items: each key then its value, each ended by U+001F (which none holds:
    /// the runner replaces it in every text it sends), read as [`StoredItems`].
    pub(super) stored: String,
    pub(super) elements: Vec<Element>,
    pub(super) session: Option<Session>,
    /// One element per page completes a callback or restores the session.
    pub(super) page_claimed: bool,
    pub(super) documents: Documents,
    pub(super) signin: Option<signin::SignIn>,
    pub(super) completion: Option<callback::Completion>,
    pub(super) profile_load: Option<session::ProfileLoad>,
    pub(super) renewal: Option<renewal::Renewal>,
    pub(super) signout: Option<signout::SignOut>,
    /// Failed renewals in a row, for the back-off.
    pub(super) renew_attempt: u32,
    /// The lock the grace timer lets go of (one at a time: the next renewal waits for it;
    /// [`NO_TICKET`]: none).
    pub(super) grace: Ticket,
    /// The channels listened to, each name ended by U+001F (which none holds).
    pub(super) channels: String,
    pub(super) tickets: Tickets,
    pub(super) now_ms: u64,
    pub(super) random: Random,
    pub(super) out: O,
}

/// `len` characters of an input's random text (see [`Random`]) from `from`: 22 carry 132
/// random bits, 43 carry 258.
pub(super) fn random_text(random: &Random, from: usize, len: usize) -> String {
    let mut out = String::new();
    let mut i = from;
    while let Some(&c) = random.get(i)
        && i < from + len
    {
        out.push(char::from(c));
        i += 1;
    }
    out
}

impl<J: JsonDecoder, O: Effects> Machine<J, O> {
    /// A machine that reads JSON with `json`.
    pub fn new(json: J) -> Self {
        Self::with_effects(json, O::default())
    }

    /// A machine that reads JSON with `json` and gathers the effects of each input in
    /// `out`, which [`Machine::handle`] hands back and leaves empty; built at compile time
    /// where it can be.
    pub const fn with_effects(json: J, out: O) -> Self {
        Machine {
            json,
            page_url: String::new(),
            in_popup: false,
            stored: String::new(),
            elements: Vec::new(),
            session: None,
            page_claimed: false,
            documents: Documents::NONE,
            signin: None,
            completion: None,
            profile_load: None,
            renewal: None,
            signout: None,
            renew_attempt: 0,
            grace: NO_TICKET,
            channels: String::new(),
            tickets: Tickets {
                waiting: [NO_TICKET; KINDS.len()],
                last: NO_TICKET,
            },
            now_ms: 0,
            random: [0; 160],
            out,
        }
    }

    /// Handles `input` at `now_ms` (milliseconds since the epoch) with fresh `random`
    /// bytes; returns what to do, in order.
    #[inline(always)]
    pub fn handle(&mut self, input: Input, now_ms: u64, random: &Random) -> O {
        *self.at(now_ms) = *random;
        self.step(input)
    }

    /// Sets the clock to `now_ms` for the next [`Machine::step`], and returns the randomness
    /// that step takes its secrets from, for the caller to write fresh bytes into: the
    /// browser's boundary writes them there before it reads the input.
    pub fn at(&mut self, now_ms: u64) -> &mut Random {
        self.now_ms = now_ms;
        &mut self.random
    }

    /// Handles `input` at the time and with the randomness [`Machine::at`] gave; returns
    /// what to do, in order.
    #[inline(always)]
    pub fn step(&mut self, input: Input) -> O {
        match input {
            Input::Page { url, popup, stored } => {
                self.page_url.clear();
                self.page_url.push_str(url);
                self.in_popup = popup;
                self.restock(stored);
            }
            Input::Connected {
                element,
                attributes,
            } => self.connected(element, &attributes),
            Input::AttributesChanged {
                element,
                attributes,
            } => self.configure(element, &attributes),
            Input::Disconnected { element } => self.disconnected(element),
            Input::Click { element } => {
                if self.signed_in() {
                    self.sign_out(element, NO_TICKET);
                } else {
                    self.start_signin(element, NO_TICKET, SignInOptions::default());
                }
            }
            Input::SignIn {
                element,
                call,
                options,
            } => self.start_signin(element, call, *options),
            Input::PopupOpened { ticket, opened } => {
                if self.answered(ticket) == Some(Awaiting::PopupOpened) {
                    self.popup_opened(ticket, opened);
                }
            }
            Input::PopupAnswered { ticket, params } => {
                if self.answered(ticket) == Some(Awaiting::PopupAnswer) {
                    self.popup_answered(params);
                }
            }
            Input::Timer { ticket } => match self.answered(ticket) {
                Some(Awaiting::PopupTimeout) => self.popup_timed_out(),
                Some(Awaiting::SessionTimer) => self.session_timer_fired(),
                Some(Awaiting::Grace) => self.grace_over(),
                _ => {}
            },
            Input::GetAccessToken { element, call } => self.access_token_call(element, call),
            Input::SignOut { element, call } => self.sign_out(element, call),
            Input::HandleRedirect { element, call, url } => {
                self.handle_redirect(element, call, url)
            }
            Input::LockGranted { ticket, stored } => {
                if self.answered(ticket) == Some(Awaiting::Lock) {
                    self.lock_granted(stored);
                } else {
                    self.unlock(ticket);
                }
            }
            Input::Broadcast {
                kind,
                previous,
                record,
            } => self.broadcast_received(kind, previous, record),
            Input::Response { ticket, result } => match self.answered(ticket) {
                Some(Awaiting::Discovery) => self.discovery_answered(result),
                Some(Awaiting::Keys) => self.keys_answered(result),
                Some(Awaiting::Token) => self.token_answered(result),
                Some(Awaiting::Profile) => self.profile_answered(result),
                Some(Awaiting::RefreshToken) => self.refresh_answered(result),
                Some(Awaiting::Revocation | Awaiting::AccessRevocation) => {
                    self.revocation_answered(ticket, result)
                }
                _ => {}
            },
            Input::Digest { ticket, digest } => {
                if self.answered(ticket) == Some(Awaiting::Challenge) {
                    self.challenge_ready(digest);
                }
            }
            Input::Verified { ticket, result } => {
                if let Some(a @ (Awaiting::Signature | Awaiting::RenewalSignature)) =
                    self.answered(ticket)
                {
                    self.verify_step(a == Awaiting::RenewalSignature, Some(result));
                }
            }
            Input::Dispatched {
                ticket,
                cancelled,
                responding,
            } => match self.answered(ticket) {
                Some(Awaiting::RedirectEvent) => self.redirect_event_done(cancelled),
                Some(Awaiting::CodeEvent) => self.code_event_done(ticket, cancelled, responding),
                _ => {}
            },
            Input::Responded { ticket, result } => {
                if self.answered(ticket) == Some(Awaiting::CodeEvent) {
                    self.code_responded(result);
                }
            }
        }
        std::mem::take(&mut self.out)
    }

    /// The page's session, if any (restoring one after a reload, it may not have an
    /// access token yet).
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// Forgets the discovery documents and key sets fetched so far, in hand and kept, so
    /// that the next flow fetches them again; returns the storage effects to perform.
    pub fn forget_documents(&mut self) -> O {
        self.documents.forget();
        // Read from a copy: the items are written anew.
        let old = self.stored.clone();
        self.restock_without(&old, "\u{1f}", true);
        std::mem::take(&mut self.out)
    }

    /// Whether somebody is signed in: a session with an access token.
    pub fn signed_in(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.record.access_token.is_some())
    }

    /// The `profile` attribute of `element`.
    pub(super) fn profile_source(&self, element: ElementId) -> super::settings::ProfileSource {
        self.settings(element)
            .map_or(super::settings::ProfileSource::None, |s| s.profile)
    }

    /// The session's timer, for tests that fire it.
    #[cfg(test)]
    pub(super) fn session_timer_for_tests(&self) -> Ticket {
        let timer = self.tickets.waiting[Awaiting::SessionTimer as usize];
        assert_ne!(timer, NO_TICKET, "a session timer");
        timer
    }

    /// Waits for another answer with the same `ticket`.
    pub(super) fn expect_again(&mut self, ticket: Ticket, awaiting: Awaiting) {
        self.tickets.waiting[awaiting as usize] = ticket;
    }

    /// Stops waiting for `ticket`.
    pub(super) fn forget_ticket(&mut self, ticket: Ticket) {
        // A ticket is awaited once at a time.
        self.answered(ticket);
    }

    /// What `ticket` was for; an answer nobody waits for any more (a flow that ended)
    /// gives `None` and is dropped.
    pub(super) fn answered(&mut self, ticket: Ticket) -> Option<Awaiting> {
        if ticket == NO_TICKET {
            return None;
        }
        // By index: no iterator over the tickets.
        let waiting = &mut self.tickets.waiting;
        let mut i = 0;
        while let Some(t) = waiting.get_mut(i) {
            if *t == ticket {
                *t = NO_TICKET;
                return Some(KINDS[i]);
            }
            i += 1;
        }
        None
    }

    /// Whether an answer of this kind is still awaited.
    pub(super) fn awaits(&self, awaiting: Awaiting) -> bool {
        self.tickets.waiting[awaiting as usize] != NO_TICKET
    }

    /// Removes, in order, the stored transactions of sign-ins that never came back.
    pub(super) fn sweep_expired_transactions(&mut self) {
        let now_secs = self.now_ms / 1000;
        // Read from a copy: each removal writes the items anew.
        let stored = self.stored.clone();
        // Each key then its value, read in turn (an odd last field is left out).
        let mut fields = crate::protocol::text::pieces(&stored, 0x1f);
        while let Some(k) = fields.next()
            && let Some(v) = fields.next()
        {
            if k.starts_with(TRANSACTION_PREFIX)
                && !Transaction::from_storage_string(v).is_ok_and(|tx| !tx.is_expired(now_secs))
            {
                self.unstore(k.to_owned());
            }
        }
    }

    /// Removes the stored item under `key`.
    pub(super) fn unstore(&mut self, key: String) {
        self.store(key, None);
    }

    pub(super) fn store(&mut self, key: String, value: Option<String>) {
        // Each key is stored once: the items are written anew without it.
        let old = self.stored.clone();
        self.restock_without(&old, &key, false);
        self.out.store(&key, value.as_deref());
        if let Some(value) = &value {
            self.keep_item(&key, value);
        }
    }

    /// Adds the item `key` with `value` to the stored items.
    fn keep_item(&mut self, key: &str, value: &str) {
        self.stored.push_str(key);
        self.stored.push('\u{1f}');
        self.stored.push_str(value);
        self.stored.push('\u{1f}');
    }

    /// Takes `stored` as the element's stored items from now on.
    pub(super) fn restock(&mut self, stored: StoredItems) {
        // No key holds U+001F: every item is taken.
        self.restock_without(stored.0, "\u{1f}", false);
    }

    /// Takes the items of `stored` (each key then its value, each ended by U+001F) but the
    /// one under `key` as the element's stored items from now on; with `documents`, the
    /// kept discovery documents and key sets are removed from storage too, in order.
    fn restock_without(&mut self, stored: &str, key: &str, documents: bool) {
        self.stored.clear();
        // Each key then its value, read in turn (an odd last field is left out).
        let mut fields = crate::protocol::text::pieces(stored, 0x1f);
        while let Some(k) = fields.next()
            && let Some(v) = fields.next()
        {
            if documents
                && (k.starts_with(super::DISCOVERY_PREFIX) || k.starts_with(super::KEYS_PREFIX))
            {
                self.out.store(k, None);
            } else if k != key {
                self.keep_item(k, v);
            }
        }
    }

    /// The stored item under `key`.
    pub(super) fn stored(&self, key: &str) -> Option<&str> {
        // Each key then its value, read in turn (an odd last field is left out).
        let mut fields = crate::protocol::text::pieces(&self.stored, 0x1f);
        while let Some(k) = fields.next()
            && let Some(v) = fields.next()
        {
            if k == key {
                return Some(v);
            }
        }
        None
    }

    /// Where the element `id` is among the elements: past the last one when not connected.
    /// Found by index, with no iterator over the elements.
    fn position(&self, id: ElementId) -> usize {
        let mut i = 0;
        while let Some(e) = self.elements.get(i)
            && e.id != id
        {
            i += 1;
        }
        i
    }

    /// The element `id`, when connected.
    pub(super) fn element_ref(&self, id: ElementId) -> Option<&Element> {
        self.elements.get(self.position(id))
    }

    /// The settings of the element `id`, when connected and configured.
    pub(super) fn settings(&self, id: ElementId) -> Option<&Rc<Settings>> {
        self.element_ref(id)?.settings.as_ref().ok()
    }

    /// Marks the element `id` busy with a sign-in, or free again.
    pub(super) fn set_busy(&mut self, id: ElementId, busy: bool) {
        if let Some(e) = self.element(id) {
            e.busy = busy;
        }
    }

    pub(super) fn element(&mut self, id: ElementId) -> Option<&mut Element> {
        let i = self.position(id);
        self.elements.get_mut(i)
    }

    pub(super) fn dispatch(&mut self, element: ElementId, name: &'static str, detail: String) {
        self.ask(element, name, detail, None);
    }

    /// Fires the event `name` on `element`; when its fate is `awaited`, it is cancelable and
    /// its fate comes back with a ticket. The code event alone takes a promise and stays on
    /// the element.
    pub(super) fn ask(
        &mut self,
        element: ElementId,
        name: &'static str,
        detail: String,
        awaited: Option<Awaiting>,
    ) {
        let code = awaited == Some(Awaiting::CodeEvent);
        let ticket = match awaited {
            Some(a) => self.tickets.expect(a),
            None => NO_TICKET,
        };
        let event = Event {
            name,
            detail,
            cancelable: ticket != NO_TICKET,
            respond: code,
            bubbles: !code,
        };
        self.out.dispatch(element, &event, ticket);
    }

    /// Shows `error` on `element` and fires `anypoint-signin-error`.
    pub(super) fn fail(&mut self, element: ElementId, error: &SigninError) {
        if let Some(e) = self.element(element) {
            e.message = Some((error.description.clone(), error.notice()));
        }
        self.render(element);
        self.dispatch(
            element,
            super::events::ERROR,
            super::events::error_detail(error),
        );
    }

    pub(super) fn render(&mut self, id: ElementId) {
        let signed_in = self.signed_in();
        // Read in place, beside the effects written next.
        let Some(e) = self.elements.get(self.position(id)) else {
            return;
        };
        let (text, notice) = match &e.message {
            Some((text, notice)) => (text.as_str(), Some(*notice)),
            None => ("", None),
        };
        let view = match &self.session {
            Some(s) if signed_in => View::SignedIn {
                name: s.display_name.as_str(),
                message: text,
                notice,
            },
            _ => {
                let unavailable = e.settings.as_ref().err();
                View::SignedOut {
                    busy: e.busy,
                    unavailable: unavailable.map(|u| u.description.as_str()),
                    message: text,
                    // A configuration error is the site owner's to fix, whatever its code.
                    notice: match unavailable {
                        Some(_) => Some(Notice::Setup),
                        None => notice,
                    },
                }
            }
        };
        self.out.render(id, view);
    }

    /// Re-renders every element (the session changed), clearing their messages.
    pub(super) fn render_all(&mut self) {
        let mut i = 0;
        while let Some(e) = self.elements.get_mut(i) {
            e.message = None;
            let id = e.id;
            self.render(id);
            i += 1;
        }
    }

    /// The element page-wide events go to: the first connected one.
    pub(super) fn primary(&self) -> Option<ElementId> {
        self.elements.first().map(|e| e.id)
    }

    /// Forgets the element `id`, the others keeping their order.
    fn disconnected(&mut self, id: ElementId) {
        // Moved to the end, the others keeping their order, and dropped there
        // (`Vec::remove` is larger).
        let i = self.position(id);
        if i < self.elements.len() {
            for j in i + 1..self.elements.len() {
                self.elements.swap(j - 1, j);
            }
            self.elements.pop();
        }
    }

    fn connected(&mut self, id: ElementId, attributes: &Attributes) {
        self.configure(id, attributes);
        if self.page_claimed || self.settings(id).is_none() {
            return;
        }
        self.page_claimed = true;
        if !self.complete_callback(id) {
            self.restore(id);
        }
    }

    /// Takes `attributes` as the element's configuration from now on, and announces a
    /// configuration error not announced yet.
    fn configure(&mut self, id: ElementId, attributes: &Attributes) {
        let settings = Settings::parse(attributes, &self.page_url);
        match self.element(id) {
            Some(e) => {
                e.settings = settings;
                e.message = None;
            }
            None => self.elements.push(Element {
                id,
                settings,
                busy: false,
                message: None,
                announced: None,
            }),
        }
        self.render(id);
        // The error is read where the element keeps it, never copied.
        let Some(e) = self.element(id) else { return };
        let code = e.settings.as_ref().err().map(|e| e.code);
        if e.announced == code {
            return;
        }
        e.announced = code;
        if let Err(error) = &e.settings {
            let detail = super::events::error_detail(error);
            self.dispatch(id, super::events::ERROR, detail);
        }
    }
}
