//! The fault plan: which of the next responses of which endpoint fail, and how. Planned
//! through `POST /__mock/faults`, spent by the endpoints.

use serde::{Deserialize, Serialize};

/// An endpoint faults can be planned for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Endpoint {
    Token,
    Discovery,
    Jwks,
    Userinfo,
    Me,
    Authorize,
    Revoke,
    Introspect,
    /// `POST /example-backend/exchange`.
    Backend,
}

/// How a response fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    /// HTTP 500 with an OAuth `server_error` body; at /authorize a redirect with
    /// `error=server_error` (RFC 6749 §4.1.2.1).
    ServerError,
    /// The normal response, `delay_ms` late.
    Delay,
    /// The normal status and headers with a body that is not JSON.
    InvalidJson,
    /// ID token whose signature does not verify.
    BadSignature,
    /// ID token whose `nonce` is not the one of the request.
    WrongNonce,
    /// ID token whose `aud` is not the client.
    WrongAudience,
    /// ID token whose `exp` is in the past.
    Expired,
    /// ID token signed with a key whose `kid` the JWK Set does not list.
    UnknownKid,
    /// A token response whose `expires_in` is [`SHORT_LIVED_SECS`], so a client's renewal
    /// can be tested without waiting an hour (the server still honours the token as usual).
    ShortLived,
    /// The normal status with the fault's `body` as the whole body (JSON content type): any
    /// answer a client must refuse, e.g. a discovery document listing `http` endpoints.
    Replace,
    /// The token response's ID token with the fault's `claims` merged into its payload (a
    /// `null` member removes the claim) and signed again with the current key: claims that
    /// are wrong but validly signed.
    Claims,
}

/// The `expires_in` of a [`Kind::ShortLived`] token response, in seconds.
pub(crate) const SHORT_LIVED_SECS: u64 = 5;

impl Kind {
    /// Whether this kind of fault makes sense for `endpoint`.
    pub fn applies_to(self, endpoint: Endpoint) -> bool {
        match self {
            Kind::ServerError | Kind::Delay => true,
            Kind::InvalidJson | Kind::Replace => !matches!(endpoint, Endpoint::Authorize),
            Kind::BadSignature
            | Kind::WrongNonce
            | Kind::WrongAudience
            | Kind::Expired
            | Kind::UnknownKid
            | Kind::ShortLived
            | Kind::Claims => endpoint == Endpoint::Token,
        }
    }
}

/// A fault handed to a handler that must apply it itself (ID token faults, /authorize errors).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Injected(pub Kind);

/// One planned fault.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultSpec {
    pub endpoint: Endpoint,
    pub kind: Kind,
    /// How many responses fail.
    #[serde(default = "one")]
    pub count: u32,
    /// For [`Kind::Delay`].
    #[serde(default = "default_delay")]
    pub delay_ms: u64,
    /// For [`Kind::Replace`]: the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// For [`Kind::Claims`]: the claims to set (`null` removes one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<serde_json::Map<String, serde_json::Value>>,
}

fn one() -> u32 {
    1
}

fn default_delay() -> u64 {
    1000
}

/// Faults planned and not yet spent, first planned first applied.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    plan: Vec<FaultSpec>,
}

impl Faults {
    /// Spends one fault planned for `endpoint`, the first planned first.
    pub fn take(&mut self, endpoint: Endpoint) -> Option<FaultSpec> {
        let index = self.plan.iter().position(|f| f.endpoint == endpoint)?;
        let fault = &mut self.plan[index];
        fault.count -= 1;
        let taken = fault.clone();
        if fault.count == 0 {
            self.plan.remove(index);
        }
        Some(taken)
    }

    /// Adds a fault after those already planned.
    pub fn plan(&mut self, spec: FaultSpec) {
        self.plan.push(spec);
    }

    /// The faults not yet spent.
    pub fn planned(&self) -> &[FaultSpec] {
        &self.plan
    }

    /// Cancels every planned fault.
    pub fn clear(&mut self) {
        self.plan.clear();
    }
}
