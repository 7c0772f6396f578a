//! ES256 ID tokens for apps whose `id_token_signed_response_alg` is `ES256`.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

const SPA_REDIRECT: &str = "http://127.0.0.1:5173/callback";

async fn es256_jwk(mock: &Mock) -> Value {
    jwks(mock).await["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["alg"] == "ES256")
        .cloned()
        .expect("an ES256 key in the JWK Set")
}

/// A PKCE sign-in of max through `client_id`, a public client.
async fn sign_in_with(mock: &Mock, client_id: &str, redirect_uri: &str) -> TokenReply {
    mock.sign_in_as(client_id, redirect_uri, "openid profile offline_access")
        .await
}

fn spa(alg: Option<&str>) -> Value {
    let mut app = json!({
        "client_name": "ES256 SPA",
        "public_client": true,
        "grant_types": ["authorization_code", "refresh_token"],
        "scopes": ["openid", "profile", "offline_access"],
        "redirect_uris": [SPA_REDIRECT],
    });
    if let Some(alg) = alg {
        app["id_token_signed_response_alg"] = json!(alg);
    }
    app
}

#[tokio::test]
async fn jwks_lists_a_p256_key_with_its_own_kid() {
    let mock = start().await;
    let key = es256_jwk(&mock).await;
    assert_eq!(key["kty"], "EC");
    assert_eq!(key["crv"], "P-256");
    assert_eq!(key["use"], "sig");
    assert!(key.get("d").is_none(), "no private member leaks");
    for member in ["x", "y"] {
        assert_eq!(
            key[member].as_str().unwrap().len(),
            43,
            "32 bytes, base64url"
        );
    }
    let rsa_kid = &jwks(&mock).await["keys"][0]["kid"];
    assert_ne!(&key["kid"], rsa_kid);
}

#[tokio::test]
async fn an_es256_app_gets_id_tokens_that_verify_with_the_p256_jwk() {
    let mock = start().await;
    let app = mock.create_app(spa(Some("ES256"))).await;
    assert_eq!(app["id_token_signed_response_alg"], "ES256");
    let client_id = app["client_id"].as_str().unwrap();
    let tokens = sign_in_with(&mock, client_id, SPA_REDIRECT).await;
    assert_eq!(tokens.status, 200, "{}", tokens.body);
    let id_token = tokens.id_token();
    let header = jwt_header(id_token);
    let key = es256_jwk(&mock).await;
    assert_eq!(header["alg"], "ES256");
    assert_eq!(header["kid"], key["kid"]);
    assert!(verifies_with_jwk(&key, id_token));
    assert!(verifies_with_jwks(&mock, id_token).await);
    let claims = jwt_claims(id_token);
    assert_eq!(claims["aud"], client_id);
    assert!(claims["at_hash"].is_string());

    // A refresh answers in the same algorithm.
    let refreshed = mock
        .refresh_with(client_id, tokens.refresh_token(), &[])
        .await;
    let id_token = refreshed.id_token();
    assert_eq!(jwt_header(id_token)["alg"], "ES256");
    assert!(verifies_with_jwk(&key, id_token));

    // ID token faults apply to ES256 tokens too.
    mock.fault(json!({"endpoint": "token", "kind": "bad_signature"}))
        .await;
    let spoiled = sign_in_with(&mock, client_id, SPA_REDIRECT).await;
    assert!(!verifies_with_jwk(&key, spoiled.id_token()));
}

#[tokio::test]
async fn the_algorithm_is_rs256_by_default_and_can_be_updated() {
    let mock = start().await;
    let path = app_path(PLAYGROUND, "");
    let read = mock.admin_get(&path).await;
    assert_eq!(read.body["id_token_signed_response_alg"], "RS256");
    let created = mock.create_app(spa(None)).await;
    assert_eq!(created["id_token_signed_response_alg"], "RS256");

    let patched = mock
        .admin_patch(&path, json!({"id_token_signed_response_alg": "ES256"}))
        .await;
    assert_eq!(patched.body["id_token_signed_response_alg"], "ES256");
    let tokens = mock.sign_in("openid").await;
    let id_token = tokens.id_token();
    assert_eq!(jwt_header(id_token)["alg"], "ES256");
    assert!(verifies_with_jwks(&mock, id_token).await);

    let back = mock
        .admin(
            Method::PUT,
            &path,
            Some(json!({"id_token_signed_response_alg": "RS256"})),
        )
        .await;
    assert_eq!(back.body["id_token_signed_response_alg"], "RS256");
    let tokens = mock.sign_in("openid").await;
    let id_token = tokens.id_token();
    assert_eq!(jwt_header(id_token)["alg"], "RS256");
    assert!(verifies_with_jwks(&mock, id_token).await);

    for wrong in ["HS256", "es256", "none"] {
        let refused = mock
            .admin_patch(&path, json!({"id_token_signed_response_alg": wrong}))
            .await;
        assert_eq!(refused.status, 400, "{wrong}");
        assert!(
            refused.body["message"]
                .as_str()
                .unwrap()
                .contains("id_token_signed_response_alg")
        );
    }
}

#[tokio::test]
async fn the_apps_file_can_ask_for_es256() {
    let mut app = spa(Some("ES256"));
    app["client_id"] = json!("es256-spa");
    let good = apps_file(&json!({"apps": [app]}));
    let mock = start_with(|c| {
        c.auto_approve = true;
        c.apps = Some(good.to_path_buf());
    })
    .await;
    let tokens = sign_in_with(&mock, "es256-spa", SPA_REDIRECT).await;
    let id_token = tokens.id_token();
    assert_eq!(jwt_header(id_token)["alg"], "ES256");
    assert!(verifies_with_jwks(&mock, id_token).await);

    let mut bad = spa(Some("PS256"));
    bad["client_id"] = json!("bad-spa");
    let path = apps_file(&json!({"apps": [bad]}));
    let error = anypoint_mock_server::Server::bind(anypoint_mock_server::Config {
        port: 0,
        apps: Some(path.to_path_buf()),
        ..Default::default()
    })
    .await
    .err()
    .expect("an invalid algorithm stops the start")
    .to_string();
    assert!(error.contains("id_token_signed_response_alg"), "{error}");
}
