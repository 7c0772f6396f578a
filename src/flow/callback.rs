//! Completing a sign-in at the redirect URI: the callback matched to its transaction
//! (RFC 6749 §4.1.2, RFC 9207), the code exchanged (RFC 6749 §4.1.3, RFC 7636 §4.5) while
//! the provider's keys are fetched, the ID token's signature and claims checked (OpenID
//! Connect Core §3.1.3.7), and the session established.

use super::events::{self, Detail};
use super::io::{Effects, ElementId, HttpResponse, Method, Ticket};
use super::machine::{Awaiting, Machine, NO_TICKET, Session};
use super::settings::Settings;
use super::verify::Verification;
use crate::protocol::text;
use crate::protocol::{
    Callback, ErrorCode, JsonDecoder, SessionRecord, SigninError, TokenResponse, Transaction,
    authorization_code_body, looks_like_callback, parse_callback, parse_token_response,
};
use std::rc::Rc;

/// A sign-in being completed.
pub(super) struct Completion {
    element: ElementId,
    /// The method call (`signIn()` in popup mode, `handleRedirectCallback()`) to settle
    /// ([`NO_TICKET`]: none), and whether it resolves to `true` (else to nothing).
    call: (Ticket, bool),
    pub(super) settings: Rc<Settings>,
    pub(super) tx: Transaction,
    /// The authorization response; its code is offered once the metadata said which issuer
    /// to expect and the response came from it.
    callback: Callback,
    /// The address the code goes to for the tokens, once it was offered to the page: the
    /// app's backend when the settings name one, else the token endpoint (empty before).
    exchanged_at: String,
    /// The token endpoint's answer, once in (the keys may still be on their way).
    pub(super) tokens: Option<TokenResponse>,
    /// The ID token's check, under way once the tokens are in.
    pub(super) verification: Verification,
}

fn exchange_failed(description: &str) -> SigninError {
    SigninError::new(ErrorCode::ExchangeFailed, description)
}

/// The ID token was rejected because `why`.
pub(super) fn rejected(why: &str) -> SigninError {
    SigninError::filled(
        ErrorCode::InvalidIdToken,
        "The ID token was rejected: \u{1}.",
        &[why],
    )
}

/// Whether the sign-in of `tx` asked for an ID token (the `openid` scope).
fn asks_openid(tx: &Transaction) -> bool {
    text::pieces(&tx.scopes, b' ').any(|s| matches!(s, "openid"))
}

/// The query of `url`, without `?` and fragment.
fn query(url: &str) -> &str {
    text::split_once(text::before(url, b"#"), b'?').map_or("", |(_, q)| q)
}

/// `url` without the callback parameters; the app's own parameters stay, byte for byte.
fn without_callback_parameters(url: &str) -> String {
    let mut out = text::before(url, b"?#").to_owned();
    let mut separator = '?';
    for pair in text::pieces(query(url), b'&') {
        // The callback parameters the address bar loses at once, so a reload never
        // re-submits a code, named as the callback's reader decodes them, so an encoded name
        // goes too; and empty pieces.
        if !crate::protocol::callback::is_response_piece(pair) {
            out.push(separator);
            out.push_str(pair);
            separator = '&';
        }
    }
    // The fragment keeps its `#`.
    if let Some((_, fragment)) = text::split_once(url, b'#') {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

impl<J: JsonDecoder, O: Effects> Machine<J, O> {
    /// When this page is the redirect URI of a sign-in and carries its answer, completes it
    /// (for `element`) and returns true.
    pub(super) fn complete_callback(&mut self, element: ElementId) -> bool {
        let Some(settings) = self.settings(element) else {
            return false;
        };
        let page = text::before(&self.page_url, b"?#");
        let params = query(&self.page_url).to_owned();
        if page != settings.config.redirect_uri.without_query() || !looks_like_callback(&params) {
            return false;
        }
        // Inside the popup, the opener completes the sign-in.
        if self.in_popup {
            self.out.answer_opener(&params);
            return true;
        }
        self.clean_page_url();
        self.set_busy(element, true);
        self.render(element);
        self.begin_completion(element, &params, (NO_TICKET, false));
        true
    }

    /// Completes, for `element` (connected and configured) and the method `call` if any
    /// (its ticket [`NO_TICKET`] when none),
    /// the sign-in whose answer `params` carries; one that cannot even begin ends at once.
    pub(super) fn begin_completion(
        &mut self,
        element: ElementId,
        params: &str,
        call: (Ticket, bool),
    ) {
        if let Err(error) = &self.open_completion(element, params, call) {
            self.completion_ended(element, error, call.0);
        }
    }

    /// Matches the answer `params` to its transaction and keeps the completion.
    fn open_completion(
        &mut self,
        element: ElementId,
        params: &str,
        call: (Ticket, bool),
    ) -> Result<(), SigninError> {
        self.set_busy(element, true);
        // `?` copies the large error once more on its way out (through `Try`); returning
        // it as is makes less code.
        #[allow(clippy::question_mark)]
        let callback = match parse_callback(params) {
            Ok(callback) => callback,
            Err(e) => return Err(e),
        };
        let state = callback.state.as_str();
        let key = Transaction::storage_key(state);
        let Some(raw) = self.stored(&key) else {
            return Err(SigninError::new(
                ErrorCode::UnknownState,
                "This sign-in answer does not match any sign-in started in this tab (it was already used, started in another tab, or the state was altered). Click the button to sign in again.",
            ));
        };
        let tx = Transaction::from_storage_string(raw);
        // Used once, whatever happens next.
        self.unstore(key);
        let tx = match tx {
            Ok(tx) => match tx.check_matches(state, self.now_ms / 1000) {
                Ok(()) => tx,
                Err(e) => return Err(e),
            },
            Err(e) => return Err(e),
        };
        // The callers checked that the element is configured.
        let Some(settings) = self.settings(element) else {
            return Ok(());
        };
        let issuer = settings.config.issuer.as_str().to_owned();
        self.completion = Some(Completion {
            element,
            call,
            settings: Rc::clone(settings),
            tx,
            callback,
            exchanged_at: String::new(),
            tokens: None,
            verification: Verification::default(),
        });
        self.discover(issuer, Self::completion_metadata_ready);
        Ok(())
    }

    /// Takes the callback parameters out of the page's address.
    fn clean_page_url(&mut self) {
        let url = without_callback_parameters(&self.page_url);
        self.out.replace_url(&url);
    }

    /// `handleRedirectCallback(url)`: completes the sign-in whose answer `url` carries;
    /// resolves to `false` when it carries none.
    pub(super) fn handle_redirect(&mut self, element: ElementId, call: Ticket, url: &str) {
        let params = query(url);
        let callback = looks_like_callback(params);
        match self.element_ref(element).map(|e| &e.settings) {
            Some(Ok(_)) if callback => {}
            Some(Err(error)) if callback => {
                let error = error.clone();
                return self.reject(element, &error, call);
            }
            // No answer in the URL, or no element to complete it.
            _ => return self.settle(call, Ok("false")),
        }
        if url == self.page_url {
            self.clean_page_url();
        }
        self.render(element);
        self.begin_completion(element, params, (call, true));
    }

    /// The metadata the completion waits for arrived: check the callback's issuer, offer
    /// the code to the page's `anypoint-signin-code` handler, and fetch the keys meanwhile.
    pub(super) fn completion_metadata_ready(&mut self, result: Result<(), &SigninError>) {
        let Some(c) = &self.completion else {
            return;
        };
        // Once the callback was checked, the code is offered already (a response that
        // fails the check ends the completion).
        if !c.exchanged_at.is_empty() {
            return;
        }
        if let Err(e) = result {
            return self.completion_failed(e);
        }
        let issuer = c.settings.config.issuer.as_str().to_owned();
        if !self.has_metadata(issuer) {
            return;
        }
        // The metadata is read where it lives, beside the completion.
        let (Some(c), Some(m)) = (&mut self.completion, self.documents.metadata.as_ref()) else {
            return;
        };
        // RFC 9207 on every response, errors included: a forged error is a mix-up too.
        let code = match c
            .callback
            .checked_code(&m.issuer, m.authorization_response_iss_parameter_supported)
        {
            Ok(code) => code,
            Err(e) => return self.completion_failed(&e),
        };
        // Where the code goes, chosen now that the metadata is in hand.
        let url = match &c.settings.exchange_url {
            Some(url) => url.as_str(),
            None => m.token_endpoint.as_str(),
        };
        c.exchanged_at.push_str(url);
        // The verifier is for the page's own handler only: the event stays on the element.
        let detail = Detail::new()
            .string("code", Some(code.secret()))
            .string("codeVerifier", Some(c.tx.verifier.secret()))
            .string("redirectUri", Some(&c.tx.redirect_uri))
            .string("clientId", Some(&c.tx.client_id))
            .finish();
        let (element, wants_id_token) = (c.element, asks_openid(&c.tx));
        self.ask(element, events::CODE, detail, Some(Awaiting::CodeEvent));
        if wants_id_token && !self.keys() {
            self.fetch_keys();
        }
    }

    /// The page's handler passed: the app's backend or the token endpoint gets the code.
    /// Or it took the exchange over, or cancelled it without taking it over.
    pub(super) fn code_event_done(&mut self, ticket: Ticket, cancelled: bool, responding: bool) {
        let Some(c) = &self.completion else {
            return;
        };
        if responding {
            return self.expect_again(ticket, Awaiting::CodeEvent);
        }
        if cancelled {
            return self.completion_refused(
                ErrorCode::ExchangeFailed,
                "An anypoint-signin-code handler cancelled the exchange without calling event.detail.respondWith(promise).",
            );
        }
        // The address is chosen once the code was offered.
        let Some(code) = &c.callback.code else {
            return;
        };
        let url = &c.exchanged_at;
        if url.is_empty() {
            return;
        }
        // The app's backend takes JSON, with the page's cookies.
        let backend = c.settings.exchange_url.is_some();
        let body = if backend {
            Detail::new()
                .string("code", Some(code.secret()))
                .string("code_verifier", Some(c.tx.verifier.secret()))
                .string("redirect_uri", Some(&c.tx.redirect_uri))
                .finish()
        } else {
            authorization_code_body(code, &c.tx.redirect_uri, &c.tx.client_id, &c.tx.verifier)
        };
        let method = if backend {
            Method::PostJson
        } else {
            Method::PostForm
        };
        let ticket = self.tickets.expect(Awaiting::Token);
        self.out.fetch(ticket, method, url, &body, "", backend);
    }

    /// The promise of the page's handler settled.
    pub(super) fn code_responded(&mut self, result: Result<&str, &str>) {
        match result {
            Ok(body) => self.tokens_received(parse_token_response("200", body, &self.json)),
            Err(cause) => self.completion_failed(
                &exchange_failed(
                    "The anypoint-signin-code handler's promise was rejected, so the code was not exchanged.",
                )
                .with_cause(cause),
            ),
        }
    }

    pub(super) fn token_answered(&mut self, result: Result<HttpResponse, &str>) {
        let Some(c) = &self.completion else {
            return;
        };
        let url = &c.exchanged_at;
        if url.is_empty() {
            return;
        }
        let tokens = match result {
            Err(cause) => {
                // One error made for either address, from its code and sentence.
                let (code, sentence) = match c.settings.exchange_url {
                    Some(_) => (
                        ErrorCode::ExchangeFailed,
                        "Could not reach the app's code exchange at \u{1} (the exchangeurl attribute).",
                    ),
                    None => (
                        ErrorCode::TokenRequestFailed,
                        "Could not reach the token endpoint \u{1}: check the network and that the server allows this origin (CORS).",
                    ),
                };
                Err(SigninError::filled(code, sentence, &[url]).with_cause(cause))
            }
            Ok(r) => parse_token_response(r.status, r.body, &self.json),
        };
        self.tokens_received(tokens);
    }

    /// The tokens are in: check the ID token, or do without one when none was asked for.
    fn tokens_received(&mut self, tokens: Result<TokenResponse, SigninError>) {
        let tokens = match tokens {
            Ok(tokens) => tokens,
            Err(e) => return self.completion_failed(&e),
        };
        let Some(c) = &mut self.completion else {
            return;
        };
        let has_id_token = tokens.id_token.is_some();
        c.tokens = Some(tokens);
        match has_id_token {
            // Its check goes as far as what is in hand allows.
            true => self.verify_step(false, None),
            false if asks_openid(&c.tx) => self.completion_refused(
                ErrorCode::InvalidIdToken,
                "The token response has no ID token although the openid scope was requested (OpenID Connect Core §3.1.3.3).",
            ),
            false => self.establish_signin(None, String::from("your account"), None),
        }
    }

    /// The tokens are good: make them the page's session, with the ID token's payload text
    /// and subject when it had one, and the name to show.
    pub(super) fn establish_signin(
        &mut self,
        claims: Option<String>,
        display_name: String,
        subject: Option<String>,
    ) {
        // What the session needs is taken out of the completion, which then ends.
        let Some(c) = &mut self.completion else {
            return;
        };
        let (element, call) = (c.element, c.call);
        let (mode, source) = (c.settings.storage, c.settings.profile);
        // Both callers put the tokens in place first.
        let Some(tokens) = c.tokens.take() else {
            return;
        };
        let tx = &c.tx;
        let (issuer, client_id, scopes) =
            (tx.issuer.clone(), tx.client_id.clone(), tx.scopes.clone());
        self.completion = None;
        // The record of no tokens yet, renewed with the first ones: the scopes asked for
        // stay when the answer names none.
        let mut record = SessionRecord {
            issuer,
            client_id,
            subject,
            generation: String::new(),
            scope: Some(scopes),
            refresh_token: None,
            expires_at_ms: 0,
            access_token: None,
            token_type: String::new(),
            id_token: None,
        };
        record.renew(
            tokens,
            None,
            super::machine::random_text(&self.random, 129, 22),
            self.now_ms,
        );
        self.set_busy(element, false);
        self.settle(call.0, Ok(if call.1 { "true" } else { "" }));
        self.session = Some(Session {
            record,
            mode,
            claims,
            profile: None,
            display_name,
        });
        self.begin_session(element, source, false);
    }

    /// The completion failed with the error `code` and `description`: nothing is kept.
    fn completion_refused(&mut self, code: ErrorCode, description: &'static str) {
        self.completion_failed(&SigninError::new(code, description));
    }

    /// The completion failed with `error`: nothing is kept.
    pub(super) fn completion_failed(&mut self, error: &SigninError) {
        // Read where it lives, then dropped there: never moved out.
        let Some(c) = &self.completion else {
            return;
        };
        let (element, call) = (c.element, c.call.0);
        self.completion = None;
        self.completion_ended(element, error, call);
    }

    /// A sign-in or its completion on `element` ended with `error`: the element is free
    /// again and shows it, and the method call is rejected.
    pub(super) fn completion_ended(
        &mut self,
        element: ElementId,
        error: &SigninError,
        call: Ticket,
    ) {
        self.set_busy(element, false);
        self.reject(element, error, call);
    }

    /// Shows `error` on `element`, fires `anypoint-signin-error`, and rejects the method
    /// call with it, when the input was one.
    pub(super) fn reject(&mut self, element: ElementId, error: &SigninError, call: Ticket) {
        self.fail(element, error);
        self.settle(call, Err(error));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_parameters_leave_the_address_bar() {
        assert_eq!(
            without_callback_parameters("https://a.example/p?x=1&code=c&state=s&iss=i#frag"),
            "https://a.example/p?x=1#frag"
        );
        assert_eq!(
            without_callback_parameters("https://a.example/p?error=access_denied&state=s"),
            "https://a.example/p"
        );
        // The app's parameters keep their spelling; an encoded callback name goes too.
        assert_eq!(
            without_callback_parameters("https://a.example/p?q=a%20b+c&&flag&%63ode=c&x=%2F"),
            "https://a.example/p?q=a%20b+c&flag&x=%2F"
        );
        assert_eq!(
            without_callback_parameters("https://a.example/p?code=c#x?code=d"),
            "https://a.example/p#x?code=d"
        );
        // Every parameter of a response goes, and only those.
        assert_eq!(
            without_callback_parameters(
                "https://a.example/p?error_description=d&codes=1&error_uri=u&session_state=x&iss=i&states"
            ),
            "https://a.example/p?codes=1&states"
        );
    }
}
