//! Starting a sign-in (RFC 6749 §4.1.1, RFC 7636 §4): the provider's metadata, PKCE, state
//! and nonce from the random text handed in, the transaction kept under its state, the
//! cancelable `anypoint-signin-redirect`, and the navigation.

use super::io::{Effects, ElementId, SignInOptions, Ticket};
use super::machine::{Awaiting, Machine, NO_TICKET};
use super::settings::{Fallback, Mode, Settings};
use crate::protocol::{
    AuthorizationRequest, ErrorCode, JsonDecoder, Nonce, PkceChallenge, PkceVerifier, SigninError,
    State, TRANSACTION_TTL_SECS, Transaction,
};
use std::rc::Rc;

/// A sign-in being started.
pub(super) struct SignIn {
    element: ElementId,
    /// The method call to settle ([`NO_TICKET`]: none).
    call: Ticket,
    /// The element's settings when the sign-in started.
    settings: Rc<Settings>,
    /// The options of `signIn()`, kept as they came (none for a click).
    options: SignInOptions,
    /// The pending sign-in with its secrets; kept (under its state) once the URL is built.
    tx: Transaction,
    /// The authorization URL once built (and the transaction kept); empty before.
    url: String,
    /// The popup's ticket, in popup mode once it opened ([`NO_TICKET`] before, and in
    /// redirect mode).
    popup: Ticket,
}

impl<J: JsonDecoder, O: Effects> Machine<J, O> {
    /// A click or `signIn()` on `element`.
    /// The method call to settle is `call` ([`NO_TICKET`] for a click).
    pub(super) fn start_signin(
        &mut self,
        element: ElementId,
        call: Ticket,
        options: SignInOptions,
    ) {
        let busy = self.signin.is_some() || self.completion.is_some();
        let Some(e) = self.element(element) else {
            return;
        };
        if busy || e.busy {
            self.settle_none(call);
            return;
        }
        // Busy from now on; a configuration error frees it again as it shows.
        e.busy = true;
        e.message = None;
        let settings = match &e.settings {
            Ok(s) => Rc::clone(s),
            Err(error) => {
                // completion_ended frees the element again and shows the error.
                let error = error.clone();
                return self.completion_ended(element, &error, call);
            }
        };
        // A popup must open now, inside the click, or the browser blocks it.
        if settings.mode == Mode::Popup {
            let ticket = self.tickets.expect(Awaiting::PopupOpened);
            self.out.open_popup(ticket);
        }
        self.render(element);
        // The transactions of sign-ins that never came back go.
        self.sweep_expired_transactions();
        // The random text in parts of 43 characters (258 bits each).
        let config = &settings.config;
        let tx = Transaction {
            verifier: PkceVerifier::from_random_text(super::machine::random_text(
                &self.random,
                0,
                43,
            )),
            state: State::new(super::machine::random_text(&self.random, 43, 43)),
            nonce: Nonce::new(super::machine::random_text(&self.random, 86, 43)),
            issuer: config.issuer.as_str().to_owned(),
            client_id: config.client_id.as_str().to_owned(),
            redirect_uri: config.redirect_uri.as_str().to_owned(),
            scopes: config.scopes.as_param(),
            created_at_secs: self.now_ms / 1000,
        };
        let issuer = tx.issuer.clone();
        self.signin = Some(SignIn {
            element,
            call,
            settings,
            options,
            tx,
            url: String::new(),
            popup: NO_TICKET,
        });
        self.discover(issuer, Self::signin_metadata_ready);
    }

    /// The metadata a sign-in being started waits for arrived (or could not be had).
    pub(super) fn signin_metadata_ready(&mut self, result: Result<(), &SigninError>) {
        let Some(signin) = &self.signin else {
            return;
        };
        // The challenge is asked for once: not while it is awaited, nor once the URL is built.
        if !signin.url.is_empty() || self.awaits(Awaiting::Challenge) {
            return;
        }
        if let Err(e) = result {
            self.signin_failed(e);
            return;
        }
        let ticket = self.tickets.expect(Awaiting::Challenge);
        self.out.digest(ticket, signin.tx.verifier.secret());
    }

    /// The PKCE challenge is ready: keep the transaction, build the URL, and ask the page
    /// whether it may navigate.
    pub(super) fn challenge_ready(&mut self, digest: &str) {
        // The sign-in stays in place: only its URL is added.
        let Some(signin) = &self.signin else {
            return;
        };
        let issuer = signin.settings.config.issuer.as_str().to_owned();
        if !self.has_metadata(issuer) {
            return;
        }
        // The metadata is read where it lives, beside the sign-in.
        let (Some(signin), Some(metadata)) = (&mut self.signin, self.documents.metadata.as_ref())
        else {
            return;
        };
        let tx = &signin.tx;
        let config = &signin.settings.config;
        let options = &signin.options;
        let url = AuthorizationRequest {
            endpoint: &metadata.authorization_endpoint,
            client_id: &config.client_id,
            redirect_uri: &config.redirect_uri,
            scopes: &config.scopes,
            state: &tx.state,
            nonce: &tx.nonce,
            code_challenge: &PkceChallenge::from_s256_base64url(digest),
            prompt: options.prompt.as_deref(),
            login_hint: options.login_hint.as_deref(),
        }
        .url();
        let key = Transaction::storage_key(tx.state.as_str());
        let kept = tx.to_storage_string();
        let element = signin.element;
        let detail = super::events::Detail::new()
            .string("url", Some(&url))
            .finish();
        signin.url = url;
        self.store(key, Some(kept));
        self.ask(
            element,
            super::events::REDIRECT,
            detail,
            Some(Awaiting::RedirectEvent),
        );
    }

    /// The page let the navigation happen, or cancelled it (the transaction is dropped).
    pub(super) fn redirect_event_done(&mut self, cancelled: bool) {
        // The sign-in stays in place while its popup goes on; it is taken only when it ends.
        let Some(signin) = &mut self.signin else {
            return;
        };
        let (element, call, popup) = (signin.element, signin.call, signin.popup);
        // The URL is read where the sign-in keeps it: the event was fired with it.
        let url = &signin.url;
        if url.is_empty() {
            return;
        }
        match (cancelled, popup) {
            (_, NO_TICKET) => {
                if !cancelled {
                    // The page is leaving: the element stays busy so no second sign-in
                    // starts.
                    self.out.navigate(url);
                }
                self.signin = None;
                if cancelled {
                    // The page may navigate itself (the URL is in the event): the
                    // transaction stays until it expires.
                    self.set_busy(element, false);
                    self.render(element);
                }
                self.settle_none(call);
            }
            (true, _) => {
                self.popup_failed(
                    ErrorCode::PopupClosed,
                    "The page cancelled the sign-in (anypoint-signin-redirect).",
                );
            }
            (false, popup) => {
                let ms = signin
                    .options
                    .popup_timeout_ms
                    .unwrap_or(TRANSACTION_TTL_SECS * 1000);
                self.out
                    .show_in_popup(popup, url, signin.settings.config.redirect_uri.origin());
                self.expect_again(popup, Awaiting::PopupAnswer);
                self.start_timer(Awaiting::PopupTimeout, ms);
            }
        }
    }

    /// The browser opened the popup, or blocked it.
    pub(super) fn popup_opened(&mut self, ticket: Ticket, opened: bool) {
        let Some(signin) = &mut self.signin else {
            return;
        };
        if opened {
            signin.popup = ticket;
            return;
        }
        // The settings the sign-in began with say whether to fall back to a redirect.
        if signin.settings.fallback == Fallback::None {
            self.signin_failed(&SigninError::new(
                ErrorCode::PopupBlocked,
                "The browser blocked the sign-in popup: call signIn() from a click handler, allow popups for this site, or set popupfallback=\"redirect\".",
            ));
        }
    }

    /// The popup's redirect page posted the callback, or the user closed the popup.
    pub(super) fn popup_answered(&mut self, params: Option<&str>) {
        let Some(params) = params else {
            return self.popup_failed(
                ErrorCode::PopupClosed,
                "The sign-in popup was closed before the sign-in finished.",
            );
        };
        // Read where it lives, then dropped there: never moved out.
        let Some(signin) = &self.signin else {
            return;
        };
        let (element, call) = (signin.element, signin.call);
        self.signin = None;
        self.stop_timer(Awaiting::PopupTimeout);
        if self.settings(element).is_some() {
            self.begin_completion(element, params, (call, false));
        } else {
            self.settle_none(call);
        }
    }

    /// The popup stayed open too long: the sign-in is abandoned.
    pub(super) fn popup_timed_out(&mut self) {
        self.popup_failed(
            ErrorCode::PopupTimeout,
            "The sign-in popup did not come back in time (10 minutes), so the sign-in was abandoned.",
        );
    }

    /// The popup sign-in failed with the error `code` and `description`: the popup closes
    /// and its transaction is dropped.
    fn popup_failed(&mut self, code: ErrorCode, description: &'static str) {
        let Some(signin) = &self.signin else {
            return;
        };
        let popup = signin.popup;
        if popup != NO_TICKET {
            self.forget_ticket(popup);
            self.out.close_popup(popup);
        }
        self.stop_timer(Awaiting::PopupTimeout);
        // The transaction is kept once the URL is built.
        if let Some(signin) = &self.signin
            && !signin.url.is_empty()
        {
            self.unstore(Transaction::storage_key(signin.tx.state.as_str()));
        }
        self.signin_failed(&SigninError::new(code, description));
    }

    pub(super) fn signin_failed(&mut self, error: &SigninError) {
        // Read where it lives, then dropped there: never moved out.
        let Some(signin) = &self.signin else {
            return;
        };
        let (element, call) = (signin.element, signin.call);
        self.signin = None;
        self.completion_ended(element, error, call);
    }

    /// Resolves a method call's promise to nothing, when the input was one.
    pub(super) fn settle_none(&mut self, call: Ticket) {
        self.settle(call, Ok(""));
    }

    /// Settles a method call's promise, when the input was one (`call` is not
    /// [`NO_TICKET`]).
    pub(super) fn settle(&mut self, call: Ticket, outcome: Result<&str, &SigninError>) {
        if call != NO_TICKET {
            self.out.settle(call, outcome);
        }
    }
}
