//! Discovery document and JWK Set.

mod common;

use common::*;
use serde_json::Value;

#[tokio::test]
async fn discovery_lists_every_endpoint_and_capability() {
    let mock = start().await;
    let response = mock
        .http
        .get(mock.url(DISCOVERY))
        .header("Origin", "https://anywhere.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let d: Value = response.json().await.unwrap();
    assert_eq!(d["issuer"], mock.issuer);
    assert_eq!(mock.issuer, format!("{}/accounts/api/v2/oauth2", mock.base));
    for (field, path) in [
        ("authorization_endpoint", "/authorize"),
        ("token_endpoint", "/token"),
        ("userinfo_endpoint", "/userinfo"),
        ("revocation_endpoint", "/revoke"),
        ("introspection_endpoint", "/introspect"),
        ("jwks_uri", "/jwks"),
    ] {
        assert_eq!(d[field], format!("{}{path}", mock.issuer), "{field}");
    }
    let list = |field: &str| -> Vec<String> {
        d[field]
            .as_array()
            .unwrap_or_else(|| panic!("{field} is a list"))
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    for scope in [
        "full",
        "read:full",
        "openid",
        "profile",
        "email",
        "offline_access",
        "openid:google_wif",
        "read:exchange",
        "manage:apis",
    ] {
        assert!(
            list("scopes_supported").contains(&scope.to_owned()),
            "{scope}"
        );
    }
    assert_eq!(
        list("grant_types_supported"),
        [
            "authorization_code",
            "refresh_token",
            "password",
            "client_credentials",
            "urn:ietf:params:oauth:grant-type:jwt-bearer"
        ]
    );
    assert_eq!(list("response_types_supported"), ["code"]);
    assert_eq!(list("code_challenge_methods_supported"), ["S256"]);
    assert_eq!(
        list("id_token_signing_alg_values_supported"),
        ["RS256", "ES256"]
    );
    assert_eq!(
        list("token_endpoint_auth_methods_supported"),
        ["client_secret_basic", "client_secret_post", "none"]
    );
    assert_eq!(d["authorization_response_iss_parameter_supported"], true);
}

#[tokio::test]
async fn issuer_flag_sets_the_issuer_and_endpoint_urls() {
    let mock = start_with(|c| {
        c.issuer = Some("https://mock.example.test/accounts/api/v2/oauth2".to_owned());
    })
    .await;
    let d: Value = mock.get(DISCOVERY).await.json().await.unwrap();
    assert_eq!(
        d["issuer"],
        "https://mock.example.test/accounts/api/v2/oauth2"
    );
    assert_eq!(
        d["token_endpoint"],
        "https://mock.example.test/accounts/api/v2/oauth2/token"
    );
}

#[tokio::test]
async fn jwks_publishes_the_rs256_key_that_signs_id_tokens() {
    let mock = start().await;
    let response = mock
        .http
        .get(mock.url(JWKS))
        .header("Origin", "https://anywhere.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let jwks: Value = response.json().await.unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["alg"], "RS256");
    assert_eq!(key["use"], "sig");
    assert!(key["kid"].as_str().is_some_and(|k| !k.is_empty()));
    assert!(key.get("d").is_none(), "no private member leaks");

    let tokens = mock.sign_in("openid profile").await;
    let id_token = tokens.id_token();
    assert!(verifies_with_jwks(&mock, id_token).await);
    let mut tampered = id_token.to_owned();
    tampered.push('A');
    assert!(!verifies_with_jwks(&mock, &tampered).await);
}
