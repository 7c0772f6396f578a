//! Starts a mock server on 127.0.0.1, port 0, and speaks to it over real HTTP.

#![allow(
    dead_code,
    reason = "each test file uses a different part of the harness"
)]

use std::collections::HashMap;

use anypoint_mock_server::{Config, Server};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub const ADMIN: &str = "test-admin-token";
pub const PLAYGROUND: &str = "anypoint-signin-playground";
pub const PLAYGROUND_REDIRECT: &str = "http://127.0.0.1:8080/";
pub const BACKEND: &str = "anypoint-signin-backend-example";
pub const BACKEND_SECRET: &str = "backend-example-secret";
pub const CI_CLIENT: &str = "anypoint-mock-ci";
pub const CI_SECRET: &str = "mock-ci-secret";
pub const USER_ID: &str = "3f1d2c4b-5a69-4e7f-8a1b-6d0c0ffee002";
pub const ORG_ID: &str = "7b0c3f52-0f6e-4c1a-9a53-6d0c0ffee001";
pub const IDP_ID: &str = "5e1f0c2a-8b3d-4f6e-9a7c-6d0c0ffee003";

/// A running mock and an HTTP client that does not follow redirects.
pub struct Mock {
    pub base: String,
    pub issuer: String,
    pub http: reqwest::Client,
}

/// The default configuration with `--auto-approve`.
pub async fn start() -> Mock {
    start_with(|c| c.auto_approve = true).await
}

pub async fn start_with(configure: impl FnOnce(&mut Config)) -> Mock {
    let mut config = Config {
        port: 0,
        admin_token: Some(ADMIN.to_owned()),
        ..Config::default()
    };
    configure(&mut config);
    let server = Server::bind(config).await.expect("server starts");
    let base = format!("http://{}", server.local_addr());
    let issuer = server.issuer().to_owned();
    tokio::spawn(server.serve(std::future::pending()));
    Mock {
        base,
        issuer,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client builds"),
    }
}

/// A PKCE verifier and its S256 challenge.
pub fn pkce() -> (String, String) {
    let verifier = format!("verifier-{}", uuid::Uuid::new_v4().simple());
    let verifier = format!(
        "{verifier}{}",
        "x".repeat(43usize.saturating_sub(verifier.len()))
    );
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// The query parameters of a redirect's Location.
pub fn location_query(headers: &HeaderMap) -> HashMap<String, String> {
    let location = headers
        .get(LOCATION)
        .expect("a redirect has a Location")
        .to_str()
        .expect("ASCII location");
    let url = url::Url::parse(location).expect("absolute location");
    url.query_pairs().into_owned().collect()
}

/// The claims of a JWT, unverified.
pub fn jwt_claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

/// Outcome of a token request.
pub struct TokenReply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl TokenReply {
    pub fn error(&self) -> &str {
        self.body["error"].as_str().unwrap_or("")
    }

    pub fn access_token(&self) -> &str {
        self.body["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no access_token in {}", self.body))
    }
}

pub async fn reply(response: Response) -> TokenReply {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    TokenReply {
        status,
        headers,
        body,
    }
}

impl Mock {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn token_url(&self) -> String {
        self.url("/accounts/api/v2/oauth2/token")
    }

    pub fn authorize_url(&self) -> String {
        self.url("/accounts/api/v2/oauth2/authorize")
    }

    /// GET /authorize with these parameters, not following the redirect.
    pub async fn authorize(&self, params: &[(&str, &str)]) -> Response {
        self.http
            .get(self.authorize_url())
            .query(params)
            .send()
            .await
            .expect("authorize answers")
    }

    /// Signs `user` in through --auto-approve and returns the redirect's query.
    pub async fn auto_code(
        &self,
        client_id: &str,
        redirect_uri: &str,
        scope: &str,
        challenge: &str,
        user: &str,
    ) -> HashMap<String, String> {
        let response = self
            .authorize(&[
                ("client_id", client_id),
                ("redirect_uri", redirect_uri),
                ("response_type", "code"),
                ("scope", scope),
                ("state", "st-123"),
                ("nonce", "n-456"),
                ("code_challenge", challenge),
                ("code_challenge_method", "S256"),
                ("login_hint", user),
            ])
            .await;
        assert_eq!(response.status(), StatusCode::FOUND, "authorize redirects");
        location_query(response.headers())
    }

    /// POST /token, form-encoded.
    pub async fn token(&self, form: &[(&str, &str)]) -> TokenReply {
        reply(
            self.http
                .post(self.token_url())
                .form(form)
                .send()
                .await
                .expect("token answers"),
        )
        .await
    }

    /// POST /token with HTTP Basic client authentication.
    pub async fn token_basic(&self, id: &str, secret: &str, form: &[(&str, &str)]) -> TokenReply {
        reply(
            self.http
                .post(self.token_url())
                .basic_auth(id, Some(secret))
                .form(form)
                .send()
                .await
                .expect("token answers"),
        )
        .await
    }

    /// The playground's whole sign-in: code with PKCE, then the exchange.
    pub async fn sign_in(&self, scope: &str) -> TokenReply {
        let (verifier, challenge) = pkce();
        let query = self
            .auto_code(PLAYGROUND, PLAYGROUND_REDIRECT, scope, &challenge, "max")
            .await;
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", &query["code"]),
            ("redirect_uri", PLAYGROUND_REDIRECT),
            ("client_id", PLAYGROUND),
            ("code_verifier", &verifier),
        ])
        .await
    }

    /// An admin API call.
    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> TokenReply {
        let mut request = self.http.request(method, self.url(path)).bearer_auth(ADMIN);
        if let Some(body) = body {
            request = request.json(&body);
        }
        reply(request.send().await.expect("admin API answers")).await
    }

    /// Creates a connected app, asserting success.
    pub async fn create_app(&self, app: Value) -> Value {
        let reply = self
            .admin(
                reqwest::Method::POST,
                "/accounts/api/connectedApplications",
                Some(app),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body
    }

    /// A confidential app with the given grants and scopes.
    pub async fn confidential_app(&self, name: &str, grants: &[&str], scopes: &[&str]) -> Value {
        self.create_app(json!({
            "client_name": name,
            "grant_types": grants,
            "scopes": scopes,
            "redirect_uris": ["http://app.example.test/callback"],
            "audience": "internal",
        }))
        .await
    }

    /// Plans a fault.
    pub async fn fault(&self, spec: Value) {
        let reply = self
            .admin(reqwest::Method::POST, "/__mock/faults", Some(spec))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }

    /// Rotates the RS256 signing key, asserting success.
    pub async fn rotate_keys(&self, body: Option<Value>) -> Value {
        let reply = self
            .admin(reqwest::Method::POST, "/__mock/keys/rotate", body)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.body
    }

    /// Moves the mock's clock forward.
    pub async fn advance(&self, seconds: i64) {
        let reply = self
            .admin(
                reqwest::Method::POST,
                "/__mock/clock",
                Some(json!({"advance_seconds": seconds})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
}

/// The server's JWK Set.
pub async fn jwks(mock: &Mock) -> Value {
    mock.http
        .get(mock.url("/accounts/api/v2/oauth2/jwks"))
        .send()
        .await
        .expect("jwks answers")
        .json()
        .await
        .expect("jwks is JSON")
}

/// The header of a JWT.
pub fn jwt_header(token: &str) -> Value {
    let header = token.split('.').next().expect("a header");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).expect("base64url")).expect("JSON")
}

/// Whether an RS256 or ES256 JWT verifies with a key of the server's JWK Set (matched by
/// `kid`, of the token's `alg`).
pub async fn verifies_with_jwks(mock: &Mock, token: &str) -> bool {
    let jwks = jwks(mock).await;
    let header = jwt_header(token);
    let Some(jwk) = jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["kid"] == header["kid"])
    else {
        return false;
    };
    verifies_with_jwk(jwk, token)
}

/// Whether a JWT verifies with one JWK (RSA for RS256, P-256 for ES256).
pub fn verifies_with_jwk(jwk: &Value, token: &str) -> bool {
    let header = jwt_header(token);
    if jwk["alg"] != header["alg"] {
        return false;
    }
    let cut = token.rfind('.').expect("three parts");
    let (input, signature) = (&token[..cut], &token[cut + 1..]);
    let Ok(signature) = URL_SAFE_NO_PAD.decode(signature) else {
        return false;
    };
    let member = |name: &str| {
        URL_SAFE_NO_PAD
            .decode(jwk[name].as_str().expect("member"))
            .expect("b64")
    };
    match header["alg"].as_str() {
        Some("RS256") => {
            use rsa::signature::Verifier as _;
            assert_eq!(jwk["kty"], "RSA");
            let number = |name: &str| rsa::BoxedUint::from_be_slice_vartime(&member(name));
            let key = rsa::PublicKey::new(number("n"), number("e")).expect("RSA key");
            let Ok(signature) = rsa::pkcs1v15::Signature::try_from(signature.as_slice()) else {
                return false;
            };
            rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key)
                .verify(input.as_bytes(), &signature)
                .is_ok()
        }
        Some("ES256") => {
            use p256::ecdsa::signature::Verifier as _;
            assert_eq!((&jwk["kty"], &jwk["crv"]), (&json!("EC"), &json!("P-256")));
            let point = [vec![4u8], member("x"), member("y")].concat();
            let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).expect("P-256 point");
            // JWS wants the fixed 64-byte R || S form, not DER.
            let Ok(signature) = p256::ecdsa::Signature::from_slice(&signature) else {
                return false;
            };
            key.verify(input.as_bytes(), &signature).is_ok()
        }
        other => panic!("unexpected alg {other:?}"),
    }
}
