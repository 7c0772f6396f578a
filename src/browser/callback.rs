//! Finishing a sign-in at the redirect URI: match the stored transaction, exchange the code
//! (RFC 6749 §4.1.3, RFC 7636 §4.5), validate the ID token (OIDC Core §3.1.3.7).

use super::{discovery, exchange, signature, storage};
use crate::protocol::{Binding, ErrorCode, IssuerUrl, SessionRecord, SigninError, parse_callback};

/// The callback parameters of `url`: its query, without the `?` and any fragment.
pub fn callback_params(url: &str) -> &str {
    let before_fragment = url.split('#').next().unwrap_or("");
    before_fragment.split_once('?').map_or("", |(_, q)| q)
}

/// Completes the sign-in whose callback parameters are `params`: the verified tokens. The
/// code goes to the page's `anypoint-signin-code` handler, the app's `exchange_url`, or the
/// token endpoint (see [`exchange`]).
pub async fn complete(
    params: &str,
    host: &web_sys::EventTarget,
    exchange_url: Option<&str>,
) -> Result<SessionRecord, SigninError> {
    let callback = parse_callback(params)?;
    let state = callback.state()?.as_str();
    let tx = storage::take(state)?.ok_or_else(|| {
        SigninError::new(
            ErrorCode::UnknownState,
            "This sign-in answer does not match any sign-in started in this tab (it was already used, started in another tab, or the state was altered). Click the button to sign in again.",
        )
    })?;
    let now = super::now_secs();
    tx.check_matches(state, now)?;

    // RFC 9207 on every response, errors included: a forged error is a mix-up too.
    let issuer = IssuerUrl::parse(&tx.issuer)?;
    let metadata = discovery::metadata(&issuer).await?;
    let code = callback.into_code(
        &metadata.issuer,
        metadata.authorization_response_iss_parameter_supported,
    )?;

    let tokens = exchange::exchange(host, exchange_url, &metadata, &tx, &code).await?;

    let subject = match &tokens.id_token {
        Some(id_token) => {
            let binding = Binding::Nonce(tx.nonce.as_str());
            let claims =
                signature::verified_claims(id_token, &metadata, &tx.client_id, binding, now)
                    .await?;
            Some(claims.sub)
        }
        None if tx.scopes.split(' ').any(|s| s == "openid") => {
            return Err(SigninError::new(
                ErrorCode::InvalidIdToken,
                "The token response has no ID token although the openid scope was requested (OpenID Connect Core §3.1.3.3).",
            ));
        }
        None => None,
    };

    Ok(SessionRecord {
        issuer: tx.issuer,
        client_id: tx.client_id,
        subject,
        generation: super::crypto::random_id()?,
        scope: tokens.scope.or(Some(tx.scopes)),
        refresh_token: tokens.refresh_token,
        expires_at_ms: expires_at_ms(tokens.expires_in),
        access_token: Some(tokens.access_token),
        token_type: Some(tokens.token_type),
        id_token: tokens.id_token,
    })
}

/// When a token with `expires_in` seconds left (RFC 6749 §5.1) expires, in `Date.now()` terms.
pub fn expires_at_ms(expires_in: Option<u64>) -> Option<u64> {
    expires_in.map(|s| (js_sys::Date::now() as u64).saturating_add(s.saturating_mul(1000)))
}
