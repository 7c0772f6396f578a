//! The authorization code grant with PKCE, as the sign-in widget runs it.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn auto_approve_redirects_with_code_state_and_iss() {
    let mock = start().await;
    let (_, challenge) = pkce();
    let query = mock
        .auto_code(PLAYGROUND, PLAYGROUND_REDIRECT, "openid", &challenge, "max")
        .await;
    assert!(query["code"].len() >= 32);
    assert_eq!(query["state"], "st-123");
    assert_eq!(query["iss"], mock.issuer);
}

#[tokio::test]
async fn code_exchange_returns_tokens_and_a_complete_id_token() {
    let mock = start().await;
    let tokens = mock.sign_in("openid profile email offline_access").await;
    assert_eq!(tokens.status, 200, "{}", tokens.body);
    assert_eq!(tokens.headers["cache-control"], "no-store");
    assert_eq!(tokens.body["token_type"], "bearer");
    assert_eq!(tokens.body["expires_in"], 3600);
    assert_eq!(tokens.body["scope"], "openid profile email offline_access");
    assert!(tokens.body["refresh_token"].is_string());
    let id_token = tokens.id_token();
    let header = jwt_header(id_token);
    assert_eq!(header["alg"], "RS256");
    assert!(header["kid"].is_string());
    let claims = jwt_claims(id_token);
    assert_eq!(claims["iss"], mock.issuer);
    assert_eq!(claims["aud"], PLAYGROUND);
    assert_eq!(claims["sub"], USER_ID);
    assert_eq!(claims["nonce"], "n-456");
    assert_eq!(claims["preferred_username"], "max");
    assert_eq!(claims["name"], "Max Mule");
    assert_eq!(claims["given_name"], "Max");
    assert_eq!(claims["family_name"], "Mule");
    assert_eq!(claims["email"], "max@example.com");
    let iat = claims["iat"].as_u64().unwrap();
    assert!(claims["exp"].as_u64().unwrap() > iat);
    assert!(claims["auth_time"].as_u64().unwrap() <= iat);
    assert!(verifies_with_jwks(&mock, id_token).await);
}

#[tokio::test]
async fn id_token_claims_follow_the_granted_scopes() {
    let mock = start().await;
    let tokens = mock.sign_in("openid").await;
    let claims = jwt_claims(tokens.id_token());
    assert_eq!(claims["preferred_username"], "max");
    assert!(claims.get("email").is_none());
    assert!(claims.get("name").is_none());
    assert!(
        tokens.body.get("refresh_token").is_none(),
        "no offline_access, no refresh token"
    );

    let tokens = mock.sign_in("full").await;
    assert!(
        tokens.body.get("id_token").is_none(),
        "no openid, no ID token"
    );
}

#[tokio::test]
async fn a_code_works_once_and_its_replay_revokes_the_tokens() {
    let mock = start().await;
    let (code, verifier) = mock.playground_code("openid offline_access").await;
    let redeem = || mock.redeem_playground(&code, &verifier);
    let first = redeem().await;
    assert_eq!(first.status, 200);
    let access = first.access_token();
    assert_eq!(mock.userinfo_status(access).await, 200);

    let second = redeem().await;
    assert_eq!(second.status, 400);
    assert_eq!(second.error(), "invalid_grant");
    assert_eq!(
        mock.userinfo_status(access).await,
        401,
        "replay revoked the access token"
    );
    let refreshed = mock.refresh(first.refresh_token()).await;
    assert_eq!(refreshed.error(), "invalid_grant", "and the refresh token");
}

#[tokio::test]
async fn a_code_expires_after_60_seconds() {
    let mock = start().await;
    let (code, verifier) = mock.playground_code("openid").await;
    mock.advance(61).await;
    let reply = mock.redeem_playground(&code, &verifier).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.error(), "invalid_grant");
}

#[tokio::test]
async fn the_code_is_bound_to_verifier_redirect_uri_and_client() {
    let mock = start().await;
    let (code, verifier) = mock.playground_code("openid").await;
    let (other_verifier, _) = pkce();
    let code = code.as_str();
    let attempt = |redirect: &'static str, verifier: Option<String>, client: &'static str| {
        let mock = &mock;
        async move {
            let mut form = vec![
                ("grant_type", "authorization_code".to_owned()),
                ("code", code.to_owned()),
                ("redirect_uri", redirect.to_owned()),
                ("client_id", client.to_owned()),
            ];
            if let Some(v) = verifier {
                form.push(("code_verifier", v));
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            mock.token(&form).await
        }
    };
    let wrong = attempt(PLAYGROUND_REDIRECT, Some(other_verifier), PLAYGROUND).await;
    assert_eq!(wrong.status_error(), (400, "invalid_grant"));
    let missing = attempt(PLAYGROUND_REDIRECT, None, PLAYGROUND).await;
    assert_eq!(missing.error(), "invalid_grant");
    let malformed = attempt(PLAYGROUND_REDIRECT, Some("short".to_owned()), PLAYGROUND).await;
    assert_eq!(malformed.error(), "invalid_request");
    let elsewhere = attempt("http://localhost:8080/", Some(verifier.clone()), PLAYGROUND).await;
    assert_eq!(elsewhere.error(), "invalid_grant");
    let other_client = mock
        .token_basic(
            CI_CLIENT,
            CI_SECRET,
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", PLAYGROUND_REDIRECT),
                ("code_verifier", &verifier),
            ],
        )
        .await;
    assert_eq!(other_client.error(), "unauthorized_client");
    let right = attempt(PLAYGROUND_REDIRECT, Some(verifier), PLAYGROUND).await;
    assert_eq!(right.status, 200, "{}", right.body);
}

#[tokio::test]
async fn the_token_endpoint_accepts_a_json_body() {
    let mock = start().await;
    let (code, verifier) = mock.playground_code("openid").await;
    let reply = send(mock.http.post(mock.token_url()).json(&json!({
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": PLAYGROUND_REDIRECT,
        "client_id": PLAYGROUND,
        "code_verifier": verifier,
    })))
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body["id_token"].is_string());
}

#[tokio::test]
async fn a_confidential_client_authenticates_with_basic_or_post() {
    let mock = start().await;
    let app = mock
        .confidential_app("Web backend", &["authorization_code"], &["openid", "email"])
        .await;
    let (id, secret) = credentials(&app);
    let redirect = "http://app.example.test/callback";
    for use_basic in [true, false] {
        let response = mock
            .authorize(&[
                ("client_id", id),
                ("redirect_uri", redirect),
                ("response_type", "code"),
                ("scope", "openid email"),
                ("login_hint", "max"),
            ])
            .await;
        assert_eq!(response.status(), 302, "confidential clients may skip PKCE");
        let code = location_query(response.headers())["code"].clone();
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect),
        ];
        let reply = if use_basic {
            mock.token_basic(id, secret, &form).await
        } else {
            let mut form = form.to_vec();
            form.extend([("client_id", id), ("client_secret", secret)]);
            mock.token(&form).await
        };
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(jwt_claims(reply.id_token())["email"], "max@example.com");
    }
    let without_secret = mock
        .token(&[
            ("grant_type", "authorization_code"),
            ("code", "whatever"),
            ("redirect_uri", redirect),
            ("client_id", id),
        ])
        .await;
    assert_eq!(without_secret.status, 401);
    assert_eq!(without_secret.error(), "invalid_client");
    let listed = mock.admin_get(APPS).await;
    assert!(
        listed.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["client_id"] == id)
    );
}

#[tokio::test]
async fn a_late_replay_still_revokes_the_tokens() {
    let mock = start().await;
    let (code, verifier) = mock.playground_code("openid").await;
    let redeem = || mock.redeem_playground(&code, &verifier);
    let first = redeem().await;
    mock.advance(120).await;
    // Any token request sweeps expired state first.
    assert_eq!(redeem().await.error(), "invalid_grant");
    assert_eq!(mock.userinfo_status(first.access_token()).await, 401);
}
