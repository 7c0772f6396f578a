//! Signing out: the session forgotten here at once, the contexts that shared it told, its
//! tokens revoked where the provider can (RFC 7009), then the provider's own sign-out page
//! when `logouturl` names one.

use super::events;
use super::io::{Effects, ElementId, HttpResponse, Method, Ticket};
use super::machine::{Awaiting, Machine, NO_TICKET, Session};
use super::settings::Settings;
use crate::protocol::{JsonDecoder, SigninError, revocation_body};
use std::rc::Rc;

/// A sign-out waiting for the provider's revocation endpoint.
pub(super) struct SignOut {
    element: ElementId,
    /// The method call to settle ([`NO_TICKET`]: none).
    call: Ticket,
    /// The session signed out of, kept whole: its issuer, client ID and the tokens to
    /// revoke.
    session: Session,
    /// The element's settings when the sign-out started, with the provider's sign-out page
    /// to go to at the end, when they name one.
    settings: Option<Rc<Settings>>,
    /// The revocation requests under way, of the token types in [`HINTS`] ([`NO_TICKET`]:
    /// none, or answered).
    pending: [Ticket; 2],
    /// The first token type (of [`HINTS`]) whose revocation was not confirmed; past them
    /// when every one was.
    unconfirmed: usize,
    endpoint: String,
}

/// The token types a sign-out revokes, in the order it revokes them.
const HINTS: [&str; 2] = ["refresh_token", "access_token"];

/// What the answer of each revocation (of [`HINTS`]) is.
const REVOCATIONS: [Awaiting; 2] = [Awaiting::Revocation, Awaiting::AccessRevocation];

/// No revocation under way.
const NONE_PENDING: [Ticket; 2] = [NO_TICKET; 2];

impl<J: JsonDecoder, O: Effects> Machine<J, O> {
    /// A click on the signed-in button, or `signOut()` (the method call `call`;
    /// [`NO_TICKET`] for a click).
    pub(super) fn sign_out(&mut self, element: ElementId, call: Ticket) {
        // Without a session there is nothing to forget (nor a session timer to stop).
        let Some(session) = self.forget_session() else {
            return self.settle_none(call);
        };
        // The session is kept whole for its revocation; the other contexts are told who
        // signed out, with no token.
        let record = &session.record;
        super::renewal::broadcast(
            &mut self.out,
            "signout",
            &record.generation,
            record,
            &record.identity(),
        );
        self.render_all();
        self.tell_signed_out(element);
        let settings = self.settings(element).cloned();
        let issuer = session.record.issuer.clone();
        self.signout = Some(SignOut {
            element,
            call,
            session,
            settings,
            pending: NONE_PENDING,
            unconfirmed: HINTS.len(),
            endpoint: String::new(),
        });
        self.discover(issuer, Self::signout_metadata_ready);
    }

    /// The metadata a sign-out waits for arrived (or not): revoke both tokens at once.
    pub(super) fn signout_metadata_ready(&mut self, result: Result<(), &SigninError>) {
        // The sign-out, the metadata, the tickets and the effects are other fields of the
        // machine: each is read where it lives.
        let Some(so) = &mut self.signout else {
            return;
        };
        if so.pending != NONE_PENDING {
            return;
        }
        let record = &so.session.record;
        // Without a revocation endpoint nothing is revoked, and the sign-out is done.
        if let (Some(m), Ok(())) = (&self.documents.metadata, result)
            && m.issuer == record.issuer
            && let Some(endpoint) = &m.revocation_endpoint
        {
            // Each token the sign-out holds, the refresh token first.
            let tokens = [
                record.refresh_token.as_ref().map(|t| t.secret()),
                record.access_token.as_ref().map(|t| t.secret()),
            ];
            // By index: no iterator over the tokens.
            let mut i = 0;
            while let Some(token) = tokens.get(i) {
                if let Some(token) = token {
                    let body = revocation_body(token, HINTS[i], &record.client_id);
                    let ticket = self.tickets.expect(REVOCATIONS[i]);
                    self.out
                        .fetch(ticket, Method::PostForm, endpoint, &body, "", false);
                    so.pending[i] = ticket;
                }
                i += 1;
            }
            so.endpoint.push_str(endpoint);
        }
        if so.pending == NONE_PENDING {
            self.signout_done();
        }
    }

    pub(super) fn revocation_answered(
        &mut self,
        ticket: Ticket,
        result: Result<HttpResponse, &str>,
    ) {
        let Some(so) = &mut self.signout else {
            return;
        };
        // The answer's ticket is one the machine handed out: never NO_TICKET.
        // By index: no iterator over the revocations.
        let mut i = 0;
        while let Some(t) = so.pending.get_mut(i) {
            if *t == ticket {
                *t = NO_TICKET;
                break;
            }
            i += 1;
        }
        if i == HINTS.len() {
            return;
        }
        if !matches!(result, Ok(HttpResponse { status: "200", .. })) {
            // The refresh token's failure is the one to tell, whatever answered first.
            so.unconfirmed = so.unconfirmed.min(i);
        }
        if so.pending == NONE_PENDING {
            self.signout_done();
        }
    }

    /// Fires `anypoint-signin-signout` on `element`.
    pub(super) fn tell_signed_out(&mut self, element: ElementId) {
        self.dispatch(element, events::SIGNOUT, events::Detail::new().finish());
    }

    fn signout_done(&mut self) {
        // Read where it lives, then dropped there: never moved out.
        let Some(so) = &mut self.signout else {
            return;
        };
        let (element, call) = (so.element, so.call);
        if let Some(hint) = HINTS.get(so.unconfirmed) {
            let error = SigninError::filled(
                crate::protocol::ErrorCode::RevocationFailed,
                "You are signed out here, but \u{1} did not confirm revoking the \u{1}: it stays valid until it expires.",
                &[&so.endpoint, hint],
            );
            self.fail(element, &error);
        }
        self.settle_none(call);
        if let Some(so) = &self.signout
            && let Some(url) = so.settings.as_ref().and_then(|s| s.logout_url.as_ref())
        {
            self.out.navigate(url.as_str());
        }
        self.signout = None;
    }
}
