//! Starting a sign-in: discovery, PKCE, state and nonce, the stored transaction, and the
//! navigation to the authorization endpoint (RFC 6749 §4.1.1, RFC 7636 §4).

use web_sys::HtmlElement;

use super::{crypto, discovery, events, storage};
use crate::protocol::{
    AuthorizationRequest, Nonce, PkceChallenge, PkceVerifier, SigninConfig, SigninError, State,
    Transaction,
};

/// Extra authorization-request parameters a page may pass to `signIn()`.
pub struct SignInOptions {
    /// OIDC `prompt` (e.g. `login`, `consent`).
    pub prompt: Option<String>,
    /// OIDC `login_hint`: the username to suggest.
    pub login_hint: Option<String>,
    /// How long a popup may stay open, in milliseconds (the transaction's lifetime; the
    /// browser tests shorten it through the `test-hooks` feature).
    pub popup_timeout_ms: u32,
}

impl Default for SignInOptions {
    fn default() -> Self {
        SignInOptions {
            prompt: None,
            login_hint: None,
            popup_timeout_ms: (crate::protocol::TRANSACTION_TTL_SECS * 1000) as u32,
        }
    }
}

/// A sign-in ready to go: the authorization URL, and the state its transaction is kept under.
pub struct Prepared {
    /// The authorization request URL.
    pub url: String,
    /// The request's `state`.
    pub state: String,
}

/// Prepares the transaction and navigates to the authorization server, unless a listener
/// cancels `anypoint-signin-redirect`. Returns whether the page is navigating away.
pub async fn start(
    host: &HtmlElement,
    config: &SigninConfig,
    options: &SignInOptions,
) -> Result<bool, SigninError> {
    let Prepared { url, .. } = prepare(config, options).await?;
    if !events::redirect(host, &url) {
        return Ok(false);
    }
    super::window().location().assign(&url).map_err(|_| {
        SigninError::new(
            crate::protocol::ErrorCode::InternalError,
            "The browser refused to navigate to the authorization server.",
        )
    })?;
    Ok(true)
}

/// Fetches discovery, creates the PKCE verifier, state and nonce, stores the transaction and
/// builds the authorization URL.
pub async fn prepare(
    config: &SigninConfig,
    options: &SignInOptions,
) -> Result<Prepared, SigninError> {
    let now = super::now_secs();
    storage::sweep_expired(now);
    let metadata = discovery::metadata(&config.issuer).await?;

    let verifier = PkceVerifier::from_random(&crypto::random_bytes()?);
    let state = State::from_random(&crypto::random_bytes()?);
    let nonce = Nonce::from_random(&crypto::random_bytes()?);
    let challenge =
        PkceChallenge::from_s256_digest(&crypto::sha256(verifier.secret().as_bytes()).await?);

    let url = AuthorizationRequest {
        endpoint: &metadata.authorization_endpoint,
        client_id: &config.client_id,
        redirect_uri: &config.redirect_uri,
        scopes: &config.scopes,
        state: &state,
        nonce: &nonce,
        code_challenge: &challenge,
        prompt: options.prompt.as_deref(),
        login_hint: options.login_hint.as_deref(),
    }
    .url();

    let prepared = Prepared {
        url,
        state: state.as_str().to_owned(),
    };
    storage::save(&Transaction {
        state,
        nonce,
        verifier,
        issuer: config.issuer.as_str().to_owned(),
        client_id: config.client_id.as_str().to_owned(),
        redirect_uri: config.redirect_uri.as_str().to_owned(),
        scopes: config.scopes.as_param(),
        created_at_secs: now,
    })?;
    Ok(prepared)
}
