//! Starts a mock server on 127.0.0.1, port 0, and speaks to it over real HTTP.

#![allow(
    dead_code,
    reason = "each test file uses a different part of the harness"
)]

use std::collections::HashMap;
use std::io::Write as _;

use tempfile::TempPath;

use anypoint_mock_server::{Config, Server};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The admin token the tests start the mock with.
pub const ADMIN: &str = "test-admin-token";
/// The default public app.
pub const PLAYGROUND: &str = "anypoint-signin-playground";
/// A redirect URI of the playground (and of the backend app).
pub const PLAYGROUND_REDIRECT: &str = "http://127.0.0.1:8080/";
/// The example backend's confidential app.
pub const BACKEND: &str = "anypoint-signin-backend-example";
/// Its client secret.
pub const BACKEND_SECRET: &str = "backend-example-secret";
/// The default client-credentials app.
pub const CI_CLIENT: &str = "anypoint-mock-ci";
/// Its client secret.
pub const CI_SECRET: &str = "mock-ci-secret";
/// The default user max.
pub const USER_ID: &str = "3f1d2c4b-5a69-4e7f-8a1b-6d0c0ffee002";
/// The default organization, Mule Corp.
pub const ORG_ID: &str = "7b0c3f52-0f6e-4c1a-9a53-6d0c0ffee001";
/// Mule Corp's identity provider.
pub const IDP_ID: &str = "5e1f0c2a-8b3d-4f6e-9a7c-6d0c0ffee003";

/// Discovery document.
pub const DISCOVERY: &str = "/accounts/api/v2/oauth2/.well-known/openid-configuration";
/// JWK Set.
pub const JWKS: &str = "/accounts/api/v2/oauth2/jwks";
/// UserInfo endpoint.
pub const USERINFO: &str = "/accounts/api/v2/oauth2/userinfo";
/// Revocation endpoint.
pub const REVOKE: &str = "/accounts/api/v2/oauth2/revoke";
/// Introspection endpoint.
pub const INTROSPECT: &str = "/accounts/api/v2/oauth2/introspect";
/// Anypoint's profile of the signed-in user.
pub const ME: &str = "/accounts/api/me";
/// The Connected Apps admin API.
pub const APPS: &str = "/accounts/api/connectedApplications";
/// Fault injection.
pub const FAULTS: &str = "/__mock/faults";

/// The admin API path of one connected app, followed by `tail` (`""`, `"/scopes"`, ...).
pub fn app_path(client_id: &str, tail: &str) -> String {
    format!("{APPS}/{client_id}{tail}")
}

/// `client_id` and `client_secret` of an app as the admin API answers it.
pub fn credentials(app: &Value) -> (&str, &str) {
    (
        app["client_id"].as_str().expect("a client_id"),
        app["client_secret"].as_str().expect("a client_secret"),
    )
}

/// Seconds since the epoch, by the system clock.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// Writes an `--apps` file (organizations, users, apps) under a fresh temporary name; the
/// file is removed when the returned path is dropped.
pub fn apps_file(seed: &Value) -> TempPath {
    let mut file = tempfile::Builder::new()
        .prefix("anypoint-mock-apps-")
        .suffix(".json")
        .tempfile()
        .expect("a temporary apps file");
    file.write_all(seed.to_string().as_bytes())
        .expect("the apps file is written");
    file.into_temp_path()
}

/// The `Access-Control-Allow-Origin` of a response, if any.
pub fn allowed_origin(response: &Response) -> Option<String> {
    response
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().expect("ASCII origin").to_owned())
}

/// A running mock and an HTTP client that does not follow redirects.
pub struct Mock {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The issuer the mock announces.
    pub issuer: String,
    /// The client, which does not follow redirects.
    pub http: reqwest::Client,
}

/// The default configuration with `--auto-approve`.
pub async fn start() -> Mock {
    start_with(|c| c.auto_approve = true).await
}

/// The default configuration (no `--auto-approve`) changed by `configure`.
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

/// The parameters of a code request with PKCE (S256) for `client_id`; callers add `state`,
/// `nonce`, `login_hint` and the like.
pub fn pkce_params<'a>(
    client_id: &'a str,
    redirect_uri: &'a str,
    scope: &'a str,
    challenge: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("response_type", "code"),
        ("scope", scope),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ]
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
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The JSON body, or the text as a JSON string when it is not JSON.
    pub body: Value,
}

impl TokenReply {
    /// The `error` code, or `""`.
    pub fn error(&self) -> &str {
        self.body["error"].as_str().unwrap_or("")
    }

    /// The HTTP status and the `error` code, to compare in one assertion.
    pub fn status_error(&self) -> (u16, &str) {
        (self.status.as_u16(), self.error())
    }

    /// A string member of the body, which must be there.
    fn member(&self, name: &str) -> &str {
        self.body[name]
            .as_str()
            .unwrap_or_else(|| panic!("no {name} in {}", self.body))
    }

    /// The `access_token`, which must be there.
    pub fn access_token(&self) -> &str {
        self.member("access_token")
    }

    /// The `refresh_token`, which must be there.
    pub fn refresh_token(&self) -> &str {
        self.member("refresh_token")
    }

    /// The `id_token`, which must be there.
    pub fn id_token(&self) -> &str {
        self.member("id_token")
    }
}

/// Sends a request and reads the answer.
pub async fn send(request: RequestBuilder) -> TokenReply {
    reply(request.send().await.expect("the mock answers")).await
}

/// Reads an answer: status, headers, and the body as JSON or else as a JSON string.
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
    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The token endpoint's URL.
    pub fn token_url(&self) -> String {
        self.url("/accounts/api/v2/oauth2/token")
    }

    /// The authorization endpoint's URL.
    pub fn authorize_url(&self) -> String {
        self.url("/accounts/api/v2/oauth2/authorize")
    }

    /// GET `path`, without credentials.
    pub async fn get(&self, path: &str) -> Response {
        self.http
            .get(self.url(path))
            .send()
            .await
            .expect("the mock answers")
    }

    /// GET `path` with a bearer access token.
    pub async fn get_bearer(&self, path: &str, token: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("the mock answers")
    }

    /// The status of a userinfo request with `token`: 200 while it is live.
    pub async fn userinfo_status(&self, token: &str) -> u16 {
        self.get_bearer(USERINFO, token).await.status().as_u16()
    }

    /// `/accounts/api/me` for `token`, as JSON.
    pub async fn me(&self, token: &str) -> Value {
        self.get_bearer(ME, token)
            .await
            .json()
            .await
            .expect("/me answers JSON")
    }

    /// A CORS preflight of `method` on `path` from `origin`, asking for `headers` if given.
    pub async fn preflight(
        &self,
        path: &str,
        origin: &str,
        method: &str,
        headers: Option<&str>,
    ) -> Response {
        let mut request = self
            .http
            .request(Method::OPTIONS, self.url(path))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", method);
        if let Some(headers) = headers {
            request = request.header("Access-Control-Request-Headers", headers);
        }
        request.send().await.expect("the mock answers")
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
        let mut params = pkce_params(client_id, redirect_uri, scope, challenge);
        params.extend([
            ("state", "st-123"),
            ("nonce", "n-456"),
            ("login_hint", user),
        ]);
        let response = self.authorize(&params).await;
        assert_eq!(response.status(), StatusCode::FOUND, "authorize redirects");
        location_query(response.headers())
    }

    /// POST /token, form-encoded.
    pub async fn token(&self, form: &[(&str, &str)]) -> TokenReply {
        send(self.http.post(self.token_url()).form(form)).await
    }

    /// POST /token with HTTP Basic client authentication.
    pub async fn token_basic(&self, id: &str, secret: &str, form: &[(&str, &str)]) -> TokenReply {
        send(
            self.http
                .post(self.token_url())
                .basic_auth(id, Some(secret))
                .form(form),
        )
        .await
    }

    /// The client credentials grant, with HTTP Basic authentication.
    pub async fn client_credentials(&self, id: &str, secret: &str) -> TokenReply {
        self.token_basic(id, secret, &[("grant_type", "client_credentials")])
            .await
    }

    /// A code for max through `client_id` with a fresh PKCE pair (see [`Mock::auto_code`]):
    /// `(code, verifier)`.
    pub async fn pkce_code(
        &self,
        client_id: &str,
        redirect_uri: &str,
        scope: &str,
    ) -> (String, String) {
        let (verifier, challenge) = pkce();
        let query = self
            .auto_code(client_id, redirect_uri, scope, &challenge, "max")
            .await;
        (query["code"].clone(), verifier)
    }

    /// A code for max through the playground, with a fresh PKCE pair: `(code, verifier)`.
    pub async fn playground_code(&self, scope: &str) -> (String, String) {
        self.pkce_code(PLAYGROUND, PLAYGROUND_REDIRECT, scope).await
    }

    /// Redeems a playground code with its PKCE verifier.
    pub async fn redeem_playground(&self, code: &str, verifier: &str) -> TokenReply {
        self.redeem(PLAYGROUND, PLAYGROUND_REDIRECT, code, verifier)
            .await
    }

    /// Redeems a code as the public client `client_id`, with its PKCE verifier.
    pub async fn redeem(
        &self,
        client_id: &str,
        redirect_uri: &str,
        code: &str,
        verifier: &str,
    ) -> TokenReply {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("client_id", client_id),
            ("code_verifier", verifier),
        ])
        .await
    }

    /// The whole sign-in of max through the public client `client_id`: code with PKCE,
    /// then the exchange.
    pub async fn sign_in_as(&self, client_id: &str, redirect_uri: &str, scope: &str) -> TokenReply {
        let (code, verifier) = self.pkce_code(client_id, redirect_uri, scope).await;
        self.redeem(client_id, redirect_uri, &code, &verifier).await
    }

    /// The playground's whole sign-in: code with PKCE, then the exchange.
    pub async fn sign_in(&self, scope: &str) -> TokenReply {
        self.sign_in_as(PLAYGROUND, PLAYGROUND_REDIRECT, scope)
            .await
    }

    /// The refresh token grant for the public client `client_id`, with `extra` parameters.
    pub async fn refresh_with(
        &self,
        client_id: &str,
        refresh_token: &str,
        extra: &[(&str, &str)],
    ) -> TokenReply {
        let mut form = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", client_id),
        ];
        form.extend_from_slice(extra);
        self.token(&form).await
    }

    /// The refresh token grant for the playground.
    pub async fn refresh(&self, refresh_token: &str) -> TokenReply {
        self.refresh_with(PLAYGROUND, refresh_token, &[]).await
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
        send(request).await
    }

    /// GET an admin API path.
    pub async fn admin_get(&self, path: &str) -> TokenReply {
        self.admin(Method::GET, path, None).await
    }

    /// POST to an admin API path.
    pub async fn admin_post(&self, path: &str, body: Value) -> TokenReply {
        self.admin(Method::POST, path, Some(body)).await
    }

    /// PATCH an admin API path.
    pub async fn admin_patch(&self, path: &str, body: Value) -> TokenReply {
        self.admin(Method::PATCH, path, Some(body)).await
    }

    /// DELETE an admin API path.
    pub async fn admin_delete(&self, path: &str) -> TokenReply {
        self.admin(Method::DELETE, path, None).await
    }

    /// Creates a connected app, asserting success.
    pub async fn create_app(&self, app: Value) -> Value {
        let reply = self.admin_post(APPS, app).await;
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
        let reply = self.admin_post(FAULTS, spec).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }

    /// Rotates the RS256 signing key, asserting success.
    pub async fn rotate_keys(&self, body: Option<Value>) -> Value {
        let reply = self.admin(Method::POST, "/__mock/keys/rotate", body).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.body
    }

    /// The sizes of the mock's protocol state (`GET /__mock/stats`).
    pub async fn stats(&self) -> Value {
        let reply = self.admin_get("/__mock/stats").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.body
    }

    /// Moves the mock's clock forward.
    pub async fn advance(&self, seconds: i64) {
        let reply = self
            .admin_post("/__mock/clock", json!({"advance_seconds": seconds}))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
}

/// The server's JWK Set.
pub async fn jwks(mock: &Mock) -> Value {
    mock.get(JWKS).await.json().await.expect("jwks is JSON")
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
