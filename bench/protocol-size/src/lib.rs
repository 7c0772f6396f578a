//! The protocol core alone, behind a few wasm-bindgen functions that take and return
//! strings: every step of `src/protocol` that the element runs (configuration, discovery,
//! PKCE and the authorization URL, the stored transaction, the callback, the token response,
//! the ID token and its key, the session record, renewal timing), and none of the element
//! (no DOM, `fetch`, storage, WebCrypto or async code).
//!
//! `scripts/size-floor.sh` builds it exactly as `make pkg` builds the package, and
//! `make bench` prints its size next to the package's: no element built on this protocol
//! core can be smaller.

#[cfg(target_arch = "wasm32")]
pub use wasm::*;

/// The element's own bridge from `JSON.parse` to the protocol's `Json`, so the figure
/// counts the same code the package does.
#[cfg(target_arch = "wasm32")]
#[path = "../../../src/browser/json.rs"]
mod browser_json;

/// `crate::protocol` for the bridge above.
#[cfg(target_arch = "wasm32")]
use anypoint_signin::protocol;

#[cfg(target_arch = "wasm32")]
mod wasm {
    use anypoint_signin::protocol::*;
    use wasm_bindgen::prelude::*;

    use super::browser_json::BrowserJson;

    /// An error as `code`, `description` and `cause`, separated by U+001F.
    fn error(e: SigninError) -> JsValue {
        let cause = e.cause.as_deref().unwrap_or_default();
        JsValue::from_str(&[e.code_str(), &e.description, cause].join("\u{1f}"))
    }

    /// The element's attributes, validated: the issuer they name.
    #[wasm_bindgen]
    pub fn configure(
        client_id: Option<String>,
        redirect_uri: Option<String>,
        scopes: Option<String>,
        issuer: Option<String>,
        region: Option<String>,
        storage: Option<String>,
    ) -> Result<String, JsValue> {
        StorageMode::parse(storage.as_deref()).map_err(error)?;
        let config = SigninConfig::from_attributes(
            client_id.as_deref(),
            redirect_uri.as_deref(),
            scopes.as_deref(),
            issuer.as_deref(),
            region.as_deref(),
        )
        .map_err(error)?;
        Ok(discovery_url(&config.issuer))
    }

    /// A discovery document, validated: its authorization endpoint.
    #[wasm_bindgen]
    pub fn discover(body: &str, issuer: &str) -> Result<String, JsValue> {
        let issuer = IssuerUrl::parse(issuer).map_err(error)?;
        let metadata = parse_discovery(body, &issuer, &BrowserJson).map_err(error)?;
        Ok(metadata.authorization_endpoint)
    }

    /// A sign-in started from 3 × 32 random bytes and the verifier's SHA-256 digest:
    /// `[authorization URL, storage key, stored transaction]`.
    #[wasm_bindgen]
    #[allow(clippy::too_many_arguments)]
    pub fn begin(
        client_id: &str,
        redirect_uri: &str,
        scopes: &str,
        issuer: &str,
        endpoint: &str,
        random: &[u8],
        digest: &[u8],
        now_secs: u64,
    ) -> Result<Vec<String>, JsValue> {
        let bytes = |i: usize| -> [u8; 32] {
            let mut b = [0; 32];
            b.copy_from_slice(&random[i * 32..(i + 1) * 32]);
            b
        };
        let mut sha = [0; 32];
        sha.copy_from_slice(&digest[..32]);
        let redirect = RedirectUri::parse(redirect_uri).map_err(error)?;
        let scopes = Scopes::parse(scopes);
        let tx = Transaction {
            state: State::from_random(&bytes(0)),
            nonce: Nonce::from_random(&bytes(1)),
            verifier: PkceVerifier::from_random(&bytes(2)),
            issuer: issuer.into(),
            client_id: client_id.into(),
            redirect_uri: redirect_uri.into(),
            scopes: scopes.as_param(),
            created_at_secs: now_secs,
        };
        let client = ClientId::new(client_id.into());
        let url = AuthorizationRequest {
            endpoint,
            client_id: &client,
            redirect_uri: &redirect,
            scopes: &scopes,
            state: &tx.state,
            nonce: &tx.nonce,
            code_challenge: &PkceChallenge::from_s256_digest(&sha),
            prompt: None,
            login_hint: None,
        }
        .url();
        Ok(vec![
            url,
            Transaction::storage_key(tx.state.as_str()),
            tx.to_storage_string(),
        ])
    }

    /// The callback's parameters matched with the stored transaction: the token request body.
    #[wasm_bindgen]
    pub fn finish(
        params: &str,
        stored: &str,
        now_secs: u64,
        issuer: &str,
        iss_supported: bool,
    ) -> Result<String, JsValue> {
        if !looks_like_callback(params) {
            return Ok(String::new());
        }
        let tx = Transaction::from_storage_string(stored).map_err(error)?;
        match parse_callback(params).map_err(error)? {
            Callback {
                code: Some(code),
                state,
                iss,
                ..
            } => {
                tx.check_matches(state.as_str(), now_secs).map_err(error)?;
                check_issuer(iss.as_deref(), issuer, iss_supported).map_err(error)?;
                Ok(authorization_code_body(
                    &code,
                    &tx.redirect_uri,
                    &tx.client_id,
                    &tx.verifier,
                ))
            }
            Callback {
                error: code,
                error_description,
                error_uri,
                ..
            } => Err(error(SigninError::from_provider(
                &code.unwrap_or_default(),
                error_description.as_deref(),
                error_uri.as_deref(),
            ))),
        }
    }

    /// A token response with its ID token checked and its signing key chosen:
    /// `[signing input, key's n or x, user's name, stored session, refresh body, revocation body]`.
    #[wasm_bindgen]
    #[allow(clippy::too_many_arguments)]
    pub fn tokens(
        status: &str,
        body: &str,
        jwks: &str,
        issuer: &str,
        client_id: &str,
        nonce: &str,
        subject: Option<String>,
        now_secs: u64,
    ) -> Result<Vec<String>, JsValue> {
        let tokens = parse_token_response(status, body, &BrowserJson).map_err(error)?;
        let mut out = Vec::new();
        let mut sub = None;
        if let Some(id_token) = &tokens.id_token {
            let (jwt, header, claims, _) =
                decode_id_token(id_token.secret(), &BrowserJson).map_err(error)?;
            let keys = parse_jwks(jwks, &BrowserJson).map_err(error)?;
            let key = select_key(&keys, &header).map_err(error)?;
            let binding = match subject.as_deref() {
                None => Binding::Nonce(nonce),
                Some(s) => Binding::Refresh { subject: Some(s) },
            };
            let checks = ClaimChecks {
                issuer,
                client_id,
                binding,
                now_secs,
                clock_skew_secs: 300,
            };
            validate_claims(&claims, &checks).map_err(error)?;
            out.push(jwt.signing_input().to_owned());
            out.push(key.n.clone().or(key.x.clone()).unwrap_or_default());
            out.push(claims.display_name());
            sub = Some(claims.sub);
        }
        let record = SessionRecord {
            issuer: issuer.into(),
            client_id: client_id.into(),
            subject: sub,
            generation: String::new(),
            scope: tokens.scope,
            refresh_token: tokens.refresh_token,
            access_token: Some(tokens.access_token),
            token_type: tokens.token_type,
            expires_at_ms: tokens.expires_in.unwrap_or(NO_EXPIRY),
            id_token: tokens.id_token,
        };
        out.push(record.to_storage_string());
        if let Some(refresh) = &record.refresh_token {
            out.push(refresh_token_body(refresh, client_id, None));
            out.push(revocation_body(
                refresh.secret(),
                "refresh_token",
                client_id,
            ));
        }
        Ok(out)
    }

    /// A stored session read back: `[fresh, renewal delay, back-off]`, in milliseconds.
    #[wasm_bindgen]
    pub fn restore(stored: &str, now_ms: u64, attempt: u32) -> Result<Vec<u64>, JsValue> {
        let record = SessionRecord::from_storage_string(stored).map_err(error)?;
        Ok(vec![
            u64::from(is_fresh(record.expires_at_ms, now_ms)),
            refresh_delay_ms(record.expires_at_ms, now_ms),
            backoff_ms(attempt),
        ])
    }
}
