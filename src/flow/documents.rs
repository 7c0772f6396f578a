//! The provider's discovery document and key set: fetched once, reused across the redirect
//! (kept in `sessionStorage` for at most [`DOCUMENT_TTL_MS`], under the issuer's name, so
//! never across issuers), and refetched when too old.

use super::io::{Effects, HttpResponse, Method};
use super::machine::{Awaiting, Machine};
use crate::protocol::decimal::{decimal, number};
use crate::protocol::successful;
use crate::protocol::text::{self, fill};
use crate::protocol::{
    ErrorCode, IssuerUrl, JsonDecoder, JwkSet, ProviderMetadata, SigninError, discovery_url,
    parse_discovery, parse_jwks,
};

/// How long a fetched document may be reused.
pub const DOCUMENT_TTL_MS: u64 = 10 * 60 * 1000;

/// Prefix of a kept discovery document's key; the issuer follows.
pub const DISCOVERY_PREFIX: &str = "anypoint-signin:discovery:";
/// Prefix of a kept key set's key; the `jwks_uri` follows.
pub const KEYS_PREFIX: &str = "anypoint-signin:keys:";

/// The documents of the page's issuer.
pub(super) struct Documents {
    /// The issuer's metadata.
    pub(super) metadata: Option<ProviderMetadata>,
    /// The issuer whose discovery document is being fetched.
    fetching: Option<IssuerUrl>,
    /// The key set and the `jwks_uri` it came from.
    pub(super) keys: Option<(String, JwkSet)>,
    /// The `jwks_uri` being fetched (empty: none).
    pub(super) fetching_keys: String,
}

impl Documents {
    /// No document, none being fetched.
    pub(super) const NONE: Self = Documents {
        metadata: None,
        fetching: None,
        keys: None,
        fetching_keys: String::new(),
    };

    /// Forgets the documents in hand; the fetches under way go on.
    pub(super) fn forget(&mut self) {
        self.metadata = None;
        self.keys = None;
    }

    /// The `jwks_uri` of the metadata in hand.
    pub(super) fn jwks_uri(&self) -> Option<&str> {
        self.metadata.as_ref()?.jwks_uri.as_deref()
    }
}

/// `"<fetched at, ms> <document>"`: what is kept in `sessionStorage`.
fn kept(fetched_at_ms: u64, body: &str) -> String {
    fill("\u{1} \u{1}", &[decimal(fetched_at_ms).as_str(), body])
}

/// The body of a kept document that is still young enough at `now_ms`.
fn young(value: &str, now_ms: u64) -> Option<&str> {
    let (at, body) = text::split_once(value, b' ')?;
    let at = number(at, 10)?;
    (now_ms.saturating_sub(at) <= DOCUMENT_TTL_MS).then_some(body)
}

impl<J: JsonDecoder, O: Effects> Machine<J, O> {
    /// The body of the document kept under `prefix` and `name`, when still young enough.
    fn kept_body(&self, prefix: &str, name: &str) -> Option<&str> {
        young(
            self.stored(&fill("\u{1}\u{1}", &[prefix, name]))?,
            self.now_ms,
        )
    }

    /// Keeps the document `body` fetched now under `prefix` and `name`.
    fn keep_body(&mut self, prefix: &str, name: &str, body: &str) {
        self.store(
            fill("\u{1}\u{1}", &[prefix, name]),
            Some(kept(self.now_ms, body)),
        );
    }

    /// The metadata of `issuer`, when in hand or kept young enough; `None` means it must be
    /// fetched ([`Machine::fetch_discovery`]). Read in place, or copy out what is needed:
    /// never a copy of the whole document.
    pub(super) fn metadata(&mut self, issuer: &str) -> Option<&ProviderMetadata> {
        if !matches!(&self.documents.metadata, Some(m) if m.issuer == issuer) {
            let body = self.kept_body(DISCOVERY_PREFIX, issuer)?;
            let Ok(issuer) = IssuerUrl::parse(issuer) else {
                return None;
            };
            let Ok(metadata) = parse_discovery(body, &issuer, &self.json) else {
                return None;
            };
            self.documents.metadata = Some(metadata);
        }
        self.documents.metadata.as_ref()
    }

    /// Whether the metadata of `issuer` is in hand (see [`Machine::metadata`]), for a flow
    /// that reads it where it lives next.
    pub(super) fn has_metadata(&mut self, issuer: String) -> bool {
        self.metadata(&issuer).is_some()
    }

    /// Goes on with `ready` when `issuer`'s metadata is in hand or kept young enough, else
    /// asks for it: `ready` hears of it with the other flows waiting for it.
    pub(super) fn discover(
        &mut self,
        issuer: String,
        ready: fn(&mut Self, Result<(), &SigninError>),
    ) {
        match self.metadata(&issuer) {
            Some(_) => ready(self, Ok(())),
            None => self.fetch_discovery(&issuer),
        }
    }

    /// Asks for `issuer`'s discovery document, unless it is already on its way; an issuer
    /// that is no URL fails the flows waiting for metadata at once.
    fn fetch_discovery(&mut self, issuer: &str) {
        if self.documents.fetching.is_some() {
            return;
        }
        let issuer = match IssuerUrl::parse(issuer) {
            Ok(issuer) => issuer,
            Err(e) => return self.metadata_ready(Err(e)),
        };
        let ticket = self.tickets.expect(Awaiting::Discovery);
        self.out
            .fetch(ticket, Method::Get, &discovery_url(&issuer), "", "", false);
        self.documents.fetching = Some(issuer);
    }

    pub(super) fn discovery_answered(&mut self, result: Result<HttpResponse, &str>) {
        let Some(issuer) = self.documents.fetching.take() else {
            return;
        };
        let result = self.read_discovery(&issuer, result);
        self.metadata_ready(result);
    }

    /// Reads the discovery document `issuer` answered and, when it is good, keeps it: in
    /// hand and in storage.
    fn read_discovery(
        &mut self,
        issuer: &IssuerUrl,
        result: Result<HttpResponse, &str>,
    ) -> Result<(), SigninError> {
        let url = discovery_url(issuer);
        let response = match result {
            Ok(response) => response,
            Err(cause) => {
                return Err(SigninError::filled(ErrorCode::DiscoveryFailed, "Could not reach the authorization server's discovery document at \u{1}: check the issuer attribute, the network, and that the server allows this origin (CORS).", &[&url])
                .with_cause(cause));
            }
        };
        if !successful(response.status) {
            return Err(SigninError::filled(
                ErrorCode::DiscoveryFailed,
                "The discovery document at \u{1} answered HTTP \u{1}: check the issuer attribute.",
                &[&url, response.status],
            ));
        }
        match parse_discovery(response.body, issuer, &self.json) {
            Ok(metadata) => {
                self.documents.metadata = Some(metadata);
                self.keep_body(DISCOVERY_PREFIX, issuer.as_str(), response.body);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Tells the flows waiting for metadata that it arrived, or why it did not.
    fn metadata_ready(&mut self, result: Result<(), SigninError>) {
        let result = result.as_ref().map(|_| ());
        self.signin_metadata_ready(result);
        self.completion_metadata_ready(result);
        self.renewal_metadata_ready(result);
        self.signout_metadata_ready(result);
    }

    /// The key set at the `jwks_uri` of the metadata in hand, when in hand or kept young
    /// enough. Whether it is in hand afterwards: then it is `self.documents.keys`, read in
    /// place.
    pub(super) fn keys(&mut self) -> bool {
        // The address is read where it lives, beside the key set.
        let Some(jwks_uri) = self.documents.jwks_uri() else {
            return false;
        };
        if matches!(&self.documents.keys, Some((uri, _)) if uri == jwks_uri) {
            return true;
        }
        let Some(body) = self.kept_body(KEYS_PREFIX, jwks_uri) else {
            return false;
        };
        let Ok(keys) = parse_jwks(body, &self.json) else {
            return false;
        };
        self.documents.keys = Some((jwks_uri.to_owned(), keys));
        true
    }

    /// Asks for the key set at the `jwks_uri` of the metadata in hand.
    pub(super) fn fetch_keys(&mut self) {
        if !self.documents.fetching_keys.is_empty() {
            return;
        }
        // The address is read where the metadata keeps it, beside the empty one it is
        // copied into.
        let Some(jwks_uri) = self
            .documents
            .metadata
            .as_ref()
            .and_then(|m| m.jwks_uri.as_deref())
        else {
            return;
        };
        let ticket = self.tickets.expect(Awaiting::Keys);
        self.out.fetch(ticket, Method::Get, jwks_uri, "", "", false);
        self.documents.fetching_keys.push_str(jwks_uri);
        self.documents.keys = None;
    }

    pub(super) fn keys_answered(&mut self, result: Result<HttpResponse, &str>) {
        let uri = self.documents.fetching_keys.clone();
        self.documents.fetching_keys.clear();
        if uri.is_empty() {
            return;
        }
        let result = match result {
            Err(cause) => Err(key_set_error(&uri, " could not be fetched", "").with_cause(cause)),
            Ok(r) if !successful(r.status) => Err(key_set_error(&uri, " answered HTTP ", r.status)),
            Ok(r) => match parse_jwks(r.body, &self.json) {
                Ok(keys) => {
                    self.documents.keys = Some((uri.clone(), keys));
                    self.keep_body(KEYS_PREFIX, &uri, r.body);
                    Ok(())
                }
                Err(e) => Err(e),
            },
        };
        let result = result.as_ref().map(|_| ());
        self.keys_ready(result);
    }
}

/// The error for a key set that could not be had: what befell it, and the HTTP status
/// when it was answered with one.
fn key_set_error(jwks_uri: &str, what: &str, status: &str) -> SigninError {
    crate::protocol::id_token::invalid_with(
        "the provider's signing keys at \u{1}\u{1}\u{1}",
        &[jwks_uri, what, status],
    )
}
