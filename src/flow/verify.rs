//! Checking an ID token (OpenID Connect Core §3.1.3.7, §12.2): decoded, its key chosen
//! from the provider's key set (fetched once more for an unknown `kid`, so a rotated key is
//! found), its signature checked by WebCrypto, then its claims validated. Sign-in and
//! renewal share it; each keeps its [`Verification`] and feeds it what arrives.

use super::callback::{Completion, rejected};
use super::io::{Effects, JwsAlg};
use super::machine::{Awaiting, Machine, Session};
use super::renewal::Renewal;
use crate::protocol::id_token::invalid_with;
use crate::protocol::{
    Binding, ClaimChecks, IdToken, IdTokenClaims, JsonDecoder, SigninError, decode_id_token,
    select_key, validate_claims,
};

/// Seconds of clock difference tolerated between the browser and the server.
const CLOCK_SKEW_SECS: u64 = 300;

/// An ID token being checked. The token stays in the flow's token response, and the issuer,
/// client and what ties it to its flow are read where the flow keeps them ([`checked`]).
#[derive(Default)]
pub(super) struct Verification {
    /// Whether the key set was fetched again for an unknown `kid`.
    refetched: bool,
    /// Set once the signature check was asked for: the claims, the payload's text, and
    /// the error that rejects the token should the signature not match.
    asked: Option<(IdTokenClaims, String, SigninError)>,
}

/// The ID token the renewal (when `renewal`) or the completion checks, with what its claims
/// must match at `now_ms`: the issuer and client it must come from and what ties it to its
/// flow, a new sign-in's nonce or the renewed session's subject. Read from the machine's
/// fields, so the others stay free.
fn checked<'a>(
    renewal: bool,
    completion: &'a Option<Completion>,
    renewing: &'a Option<Renewal>,
    session: &'a Option<Session>,
    now_ms: u64,
) -> Option<(&'a IdToken, ClaimChecks<'a>)> {
    let (id_token, issuer, client_id, binding) = if renewal {
        let (r, record) = (renewing.as_ref()?, &session.as_ref()?.record);
        (
            r.tokens.as_ref()?.id_token.as_ref()?,
            record.issuer.as_str(),
            record.client_id.as_str(),
            Binding::Refresh {
                subject: record.subject.as_deref(),
            },
        )
    } else {
        let c = completion.as_ref()?;
        (
            c.tokens.as_ref()?.id_token.as_ref()?,
            c.settings.config.issuer.as_str(),
            c.tx.client_id.as_str(),
            Binding::Nonce(c.tx.nonce.as_str()),
        )
    };
    Some((
        id_token,
        ClaimChecks {
            issuer,
            client_id,
            binding,
            now_secs: now_ms / 1000,
            clock_skew_secs: CLOCK_SKEW_SECS,
        },
    ))
}

impl<J: JsonDecoder, O: Effects> Machine<J, O> {
    /// Moves the ID token check of the renewal (when `renewal`) or of the completion on:
    /// with the signature check's `answer`, or as far as what is in hand allows.
    pub(super) fn verify_step(&mut self, renewal: bool, answer: Option<Result<bool, &str>>) {
        // Why the token is refused, if it is.
        let refused = match answer {
            Some(result) => self.signature_answered(renewal, result),
            None => self.advance(renewal),
        };
        if let Err(e) = &refused {
            self.verification_failed(renewal, e);
        }
    }

    /// The renewal (when `renewal`) or the completion failed with `error`.
    fn verification_failed(&mut self, renewal: bool, error: &SigninError) {
        if renewal {
            self.renewal_failed(error);
        } else {
            self.completion_failed(error);
        }
    }

    /// The key set arrived, or could not be had: the completion's ID token check (its
    /// tokens may still be on their way), then the renewal's (once its tokens with an ID
    /// token are in), go on or fail.
    pub(super) fn keys_ready(&mut self, result: Result<(), &SigninError>) {
        if self.completion.is_some() {
            self.keys_in(false, result);
        }
        if self
            .renewal
            .as_ref()
            .and_then(|r| r.tokens.as_ref()?.id_token.as_ref())
            .is_some()
        {
            self.keys_in(true, result);
        }
    }

    /// The key set arrived for the renewal's check (when `renewal`) or the completion's,
    /// or could not be had.
    fn keys_in(&mut self, renewal: bool, result: Result<(), &SigninError>) {
        match result {
            Ok(()) => self.verify_step(renewal, None),
            Err(e) => self.verification_failed(renewal, e),
        }
    }

    /// The renewal's (when `renewal`) or the completion's check, when there is one: read
    /// where it is kept, between the steps that need the whole machine.
    fn verification(&mut self, renewal: bool) -> Option<&mut Verification> {
        if renewal {
            Some(&mut self.renewal.as_mut()?.verification)
        } else {
            Some(&mut self.completion.as_mut()?.verification)
        }
    }

    /// Moves the renewal's check (when `renewal`) or the completion's on as far as what is
    /// in hand allows: fetches the keys, or asks for the signature check; or why the token
    /// is refused.
    #[expect(
        clippy::question_mark,
        reason = "`?` moves the decoded token through `Try::branch`, which costs code here"
    )]
    fn advance(&mut self, renewal: bool) -> Result<(), SigninError> {
        let Some(v) = self.verification(renewal) else {
            return Ok(());
        };
        let refetched = v.refetched;
        if v.asked.is_some() || !self.documents.fetching_keys.is_empty() {
            return Ok(());
        }
        let Some((_, checks)) = checked(
            renewal,
            &self.completion,
            &self.renewal,
            &self.session,
            self.now_ms,
        ) else {
            return Ok(());
        };
        // The metadata lookup and the key fetch take the whole machine, so the issuer is
        // copied for them and the token is read again afterwards.
        if !self.has_metadata(checks.issuer.to_owned()) {
            return Ok(());
        }
        if self.documents.jwks_uri().is_none() {
            return Err(rejected(
                "the provider publishes no jwks_uri, so its signature cannot be verified",
            ));
        }
        if !self.keys() {
            self.fetch_keys();
            return Ok(());
        }
        let Some((id_token, _)) = checked(
            renewal,
            &self.completion,
            &self.renewal,
            &self.session,
            self.now_ms,
        ) else {
            return Ok(());
        };
        let (jwt, header, claims, payload) = match decode_id_token(id_token.secret(), &self.json) {
            Ok(decoded) => decoded,
            Err(e) => return Err(e),
        };
        let Some((_, keys)) = &self.documents.keys else {
            return Ok(());
        };
        let jwk = match select_key(keys, &header) {
            Ok(jwk) => jwk,
            // A key rotated since the set was kept: fetch the set once more.
            Err(_) if header.kid.is_some() && !refetched => {
                if let Some(v) = self.verification(renewal) {
                    v.refetched = true;
                }
                self.fetch_keys();
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        // `decode_id_token` refused every other algorithm, and `select_key` found a key
        // that verifies this one: RS256 or ES256.
        let alg = match header.alg.as_str() {
            "ES256" => JwsAlg::Es256,
            _ => JwsAlg::Rs256,
        };
        let mismatch = invalid_with(
            "its \u{1} signature does not match the provider's key \u{1}",
            &[&header.alg, jwk.kid.as_deref().unwrap_or("(no kid)")],
        );
        // The key is read where the key set keeps it: the ticket and the effect are other
        // fields of the machine.
        let ticket = self.tickets.expect(if renewal {
            Awaiting::RenewalSignature
        } else {
            Awaiting::Signature
        });
        self.out
            .verify(ticket, alg, &jwk.json, jwt.signing_input(), jwt.signature());
        if let Some(v) = self.verification(renewal) {
            v.asked = Some((claims, payload, mismatch));
        }
        Ok(())
    }

    /// The signature check of the renewal's token (when `renewal`) or the completion's
    /// answered `result`: validate the claims, and hand a good token's on to its flow; or
    /// why the token is refused (nothing happens when no check was asked for).
    fn signature_answered(
        &mut self,
        renewal: bool,
        result: Result<bool, &str>,
    ) -> Result<(), SigninError> {
        let Some((claims, payload, mismatch)) =
            self.verification(renewal).and_then(|v| v.asked.take())
        else {
            return Ok(());
        };
        match result {
            Ok(true) => {}
            Ok(false) => return Err(mismatch),
            Err(cause) => {
                return Err(rejected("the provider's key could not be imported").with_cause(cause));
            }
        }
        let Some((_, checks)) = checked(
            renewal,
            &self.completion,
            &self.renewal,
            &self.session,
            self.now_ms,
        ) else {
            return Ok(());
        };
        match validate_claims(&claims, &checks) {
            Ok(()) => {}
            Err(e) => return Err(e),
        }
        // What either flow keeps of the claims: the name to show and the payload's text; a
        // new session its subject too. The claims are dropped here, whole.
        let name = claims.display_name();
        if renewal {
            self.renewed(Some(payload), name);
        } else {
            self.establish_signin(Some(payload), name, Some(claims.sub.clone()));
        }
        Ok(())
    }
}
