//! Starting a sign-in (RFC 6749 §4.1.1, RFC 7636 §4): the provider's metadata, PKCE, state
//! and nonce from the random bytes handed in, the transaction kept under its state, the
//! cancelable `anypoint-signin-redirect`, and the navigation.

use super::io::{Effect, ElementId, Event, Ticket};
use super::machine::{Awaiting, Machine};
use crate::protocol::{
    AuthorizationRequest, JsonDecoder, Nonce, PkceChallenge, PkceVerifier, SigninConfig,
    SigninError, State, TRANSACTION_PREFIX, Transaction,
};

/// A sign-in being started.
pub(super) struct SignIn {
    element: ElementId,
    call: Option<Ticket>,
    config: SigninConfig,
    prompt: Option<String>,
    login_hint: Option<String>,
    /// The pending sign-in with its secrets, once the metadata is in hand.
    tx: Option<Transaction>,
    /// The authorization URL, once built.
    url: Option<String>,
}

impl<J: JsonDecoder> Machine<J> {
    /// A click or `signIn()` on `element`.
    pub(super) fn start_signin(
        &mut self,
        element: ElementId,
        call: Option<Ticket>,
        prompt: Option<String>,
        login_hint: Option<String>,
    ) {
        let busy = self.signin.is_some() || self.completion.is_some();
        let Some(e) = self.element(element) else {
            return;
        };
        if busy || e.busy {
            self.settle(call, Ok(None));
            return;
        }
        let settings = match e.settings.clone() {
            Ok(s) => s,
            Err(error) => {
                self.fail(element, &error);
                self.settle(call, Err(error));
                return;
            }
        };
        e.busy = true;
        e.message.clear();
        self.render(element);
        self.sweep_expired_transactions();
        let issuer = settings.config.issuer.clone();
        self.signin = Some(SignIn {
            element,
            call,
            config: settings.config,
            prompt,
            login_hint,
            tx: None,
            url: None,
        });
        match self.metadata(&issuer) {
            Some(_) => self.signin_metadata_ready(Ok(())),
            None => self.fetch_discovery(&issuer),
        }
    }

    /// The metadata a sign-in being started waits for arrived (or could not be had).
    pub(super) fn signin_metadata_ready(&mut self, result: Result<(), SigninError>) {
        let Some(signin) = &mut self.signin else {
            return;
        };
        if signin.tx.is_some() {
            return;
        }
        if let Err(e) = result {
            self.signin_failed(e);
            return;
        }
        let part = |i: usize| -> [u8; 32] {
            let mut bytes = [0; 32];
            bytes.copy_from_slice(&self.random[i * 32..(i + 1) * 32]);
            bytes
        };
        let config = &signin.config;
        let tx = Transaction {
            verifier: PkceVerifier::from_random(&part(0)),
            state: State::from_random(&part(1)),
            nonce: Nonce::from_random(&part(2)),
            issuer: config.issuer.as_str().to_owned(),
            client_id: config.client_id.as_str().to_owned(),
            redirect_uri: config.redirect_uri.as_str().to_owned(),
            scopes: config.scopes.as_param(),
            created_at_secs: self.now_ms / 1000,
        };
        let data = tx.verifier.secret().to_owned();
        if let Some(signin) = &mut self.signin {
            signin.tx = Some(tx);
        }
        let ticket = self.expect(Awaiting::Challenge);
        self.emit(Effect::Digest { ticket, data });
    }

    /// The PKCE challenge is ready: keep the transaction, build the URL, and ask the page
    /// whether it may navigate.
    pub(super) fn challenge_ready(&mut self, digest: &[u8; 32]) {
        let Some(signin) = self.signin.take() else {
            return;
        };
        let Some(metadata) = self.metadata(&signin.config.issuer) else {
            self.signin = Some(signin);
            return;
        };
        let Some(tx) = &signin.tx else {
            return;
        };
        let config = &signin.config;
        let url = AuthorizationRequest {
            endpoint: &metadata.authorization_endpoint,
            client_id: &config.client_id,
            redirect_uri: &config.redirect_uri,
            scopes: &config.scopes,
            state: &tx.state,
            nonce: &tx.nonce,
            code_challenge: &PkceChallenge::from_s256_digest(digest),
            prompt: signin.prompt.as_deref(),
            login_hint: signin.login_hint.as_deref(),
        }
        .url();
        self.store(
            Transaction::storage_key(tx.state.as_str()),
            Some(tx.to_storage_string()),
        );
        let element = signin.element;
        let detail = super::events::Detail::new()
            .string("url", Some(&url))
            .finish();
        self.signin = Some(SignIn {
            url: Some(url),
            ..signin
        });
        let ticket = self.expect(Awaiting::RedirectEvent);
        self.emit(Effect::Dispatch {
            element,
            event: Event {
                name: super::events::REDIRECT,
                detail,
                cancelable: true,
                respond: false,
                bubbles: true,
            },
            ticket: Some(ticket),
        });
    }

    /// The page let the navigation happen, or cancelled it (the transaction is dropped).
    pub(super) fn redirect_event_done(&mut self, cancelled: bool) {
        let Some(signin) = self.signin.take() else {
            return;
        };
        let (Some(url), Some(tx)) = (signin.url, signin.tx) else {
            return;
        };
        if cancelled {
            self.store(Transaction::storage_key(tx.state.as_str()), None);
            if let Some(e) = self.element(signin.element) {
                e.busy = false;
            }
            self.render(signin.element);
        } else {
            // The page is leaving: the element stays busy so no second sign-in starts.
            self.emit(Effect::Navigate { url });
        }
        self.settle(signin.call, Ok(None));
    }

    fn signin_failed(&mut self, error: SigninError) {
        let Some(signin) = self.signin.take() else {
            return;
        };
        if let Some(e) = self.element(signin.element) {
            e.busy = false;
        }
        self.fail(signin.element, &error);
        self.settle(signin.call, Err(error));
    }

    /// Settles a method call's promise, when the input was one.
    pub(super) fn settle(
        &mut self,
        call: Option<Ticket>,
        outcome: Result<Option<String>, SigninError>,
    ) {
        if let Some(call) = call {
            self.emit(Effect::Settle { call, outcome });
        }
    }

    /// Drops the transactions of sign-ins that never came back.
    fn sweep_expired_transactions(&mut self) {
        let now_secs = self.now_ms / 1000;
        let expired: Vec<String> = self
            .stored
            .iter()
            .filter(|(k, v)| {
                k.starts_with(TRANSACTION_PREFIX)
                    && !Transaction::from_storage_string(v).is_ok_and(|tx| !tx.is_expired(now_secs))
            })
            .map(|(k, _)| k.clone())
            .collect();
        for key in expired {
            self.store(key, None);
        }
    }
}
