//! `GET /accounts/api/v2/oauth2/.well-known/openid-configuration`
//! ([OpenID Connect Discovery 1.0 §4](https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig),
//! [RFC 8414](https://www.rfc-editor.org/rfc/rfc8414)).

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::crypto::keys::SigningAlg;
use crate::model::GRANT_TYPES;
use crate::oauth::{AUTHORIZE, INTROSPECT, JWKS, REVOKE, TOKEN, USERINFO};
use crate::scopes;
use crate::state::AppState;

/// The provider metadata.
pub(crate) async fn configuration(State(state): State<AppState>) -> Json<Value> {
    let s = &state.settings;
    Json(json!({
        "issuer": s.issuer,
        "authorization_endpoint": s.url(AUTHORIZE),
        "token_endpoint": s.url(TOKEN),
        "userinfo_endpoint": s.url(USERINFO),
        "jwks_uri": s.url(JWKS),
        "revocation_endpoint": s.url(REVOKE),
        "introspection_endpoint": s.url(INTROSPECT),
        "scopes_supported": scopes::supported(),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": GRANT_TYPES,
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": SigningAlg::ALL.map(SigningAlg::as_str),
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "prompt_values_supported": ["none", "login", "consent"],
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "azp",
            "preferred_username", "name", "given_name", "family_name", "email", "email_verified"
        ],
        "authorization_response_iss_parameter_supported": true,
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
    }))
}
