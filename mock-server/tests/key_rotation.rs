//! Signing key rotation (`POST /__mock/keys/rotate`) and the `unknown_kid` fault.

mod common;

use common::*;
use serde_json::{Value, json};

fn kid(token: &str) -> String {
    jwt_header(token)["kid"].as_str().expect("a kid").to_owned()
}

async fn published_kids(mock: &Mock) -> Vec<String> {
    jwks(mock).await["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| k["kid"].as_str().expect("kid").to_owned())
        .collect()
}

async fn id_token(mock: &Mock) -> String {
    let reply = mock.sign_in("openid profile").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.id_token().to_owned()
}

fn es256_kid(kids: &[String]) -> String {
    kids.last().expect("the ES256 key comes last").clone()
}

#[tokio::test]
async fn the_old_kid_verifies_until_retired_and_new_tokens_carry_the_new_kid() {
    let mock = start().await;
    let before = id_token(&mock).await;
    let kid0 = kid(&before);
    let es = es256_kid(&published_kids(&mock).await);
    assert_eq!(published_kids(&mock).await, [kid0.clone(), es.clone()]);

    let rotation = mock.rotate_keys(None).await;
    let kid1 = rotation["kid"].as_str().unwrap().to_owned();
    assert_ne!(kid1, kid0);
    assert_eq!(rotation["previous_kid"], kid0.as_str());
    assert_eq!(rotation["retired_previous"], false);
    assert_eq!(rotation["kids"], json!([kid1, kid0, es]));
    assert_eq!(
        published_kids(&mock).await,
        [kid1.clone(), kid0.clone(), es.clone()]
    );
    assert!(
        verifies_with_jwks(&mock, &before).await,
        "a token signed before the rotation still verifies"
    );
    let after = id_token(&mock).await;
    assert_eq!(kid(&after), kid1);
    assert_eq!(jwt_header(&after)["alg"], "RS256");
    assert!(verifies_with_jwks(&mock, &after).await);

    let rotation = mock
        .rotate_keys(Some(json!({"retire_previous": true})))
        .await;
    let kid2 = rotation["kid"].as_str().unwrap().to_owned();
    assert!(kid2 != kid0 && kid2 != kid1, "every rotation has a new kid");
    assert_eq!(rotation["previous_kid"], kid1.as_str());
    assert_eq!(rotation["retired_previous"], true);
    assert_eq!(published_kids(&mock).await, [kid2.clone(), es.clone()]);
    assert!(!verifies_with_jwks(&mock, &before).await);
    assert!(!verifies_with_jwks(&mock, &after).await, "kid1 is retired");
    let latest = id_token(&mock).await;
    assert_eq!(kid(&latest), kid2);
    assert!(verifies_with_jwks(&mock, &latest).await);
}

#[tokio::test]
async fn only_the_previous_key_stays_published() {
    let mock = start().await;
    let first = mock.rotate_keys(None).await;
    let second = mock.rotate_keys(Some(json!({}))).await;
    let kids = published_kids(&mock).await;
    assert_eq!(kids.len(), 3, "{kids:?}");
    assert_eq!(kids[0], second["kid"].as_str().unwrap());
    assert_eq!(kids[1], first["kid"].as_str().unwrap());
    // A refresh signs with the current key too.
    let tokens = mock.sign_in("openid offline_access").await;
    mock.rotate_keys(None).await;
    let refreshed = mock.refresh(tokens.refresh_token()).await;
    let id_token = refreshed.id_token();
    assert_eq!(kid(id_token), published_kids(&mock).await[0]);
    assert!(verifies_with_jwks(&mock, id_token).await);
}

#[tokio::test]
async fn rotation_is_admin_only_and_checks_its_body() {
    let mock = start().await;
    let anonymous = mock
        .http
        .post(mock.url("/__mock/keys/rotate"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let bad = mock
        .admin_post("/__mock/keys/rotate", json!({"retire": true}))
        .await;
    assert_eq!(
        (bad.status.as_u16(), bad.body["error"].clone()),
        (400, json!("bad_request"))
    );
    assert_eq!(published_kids(&mock).await.len(), 2, "nothing rotated");
}

#[tokio::test]
async fn rotation_from_a_custom_signing_key_moves_to_a_shipped_key() {
    let key = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/client-key.pem");
    let mock = start_with(|c| {
        c.auto_approve = true;
        c.signing_key = Some(key.into());
    })
    .await;
    let custom = published_kids(&mock).await[0].clone();
    assert_eq!(kid(&id_token(&mock).await), custom);
    let rotation = mock.rotate_keys(None).await;
    assert_eq!(rotation["previous_kid"], custom.as_str());
    assert_ne!(rotation["kid"], custom.as_str());
    assert!(verifies_with_jwks(&mock, &id_token(&mock).await).await);
}

#[tokio::test]
async fn unknown_kid_fault_signs_with_a_key_the_jwks_does_not_list() {
    let mock = start().await;
    mock.fault(json!({"endpoint": "token", "kind": "unknown_kid"}))
        .await;
    let spoiled = id_token(&mock).await;
    let header = jwt_header(&spoiled);
    assert_eq!(header["alg"], "RS256");
    let published = jwks(&mock).await;
    let keys = published["keys"].as_array().unwrap();
    assert!(keys.iter().all(|k| k["kid"] != header["kid"]));
    assert!(
        keys.iter().all(|k| !verifies_with_jwk(k, &spoiled)),
        "no published key verifies it, whatever the kid"
    );
    assert!(!verifies_with_jwks(&mock, &spoiled).await);
    let normal = id_token(&mock).await;
    assert!(
        verifies_with_jwks(&mock, &normal).await,
        "the fault is spent"
    );

    // It only makes sense for the token endpoint.
    let refused = mock
        .admin_post(FAULTS, json!({"endpoint": "jwks", "kind": "unknown_kid"}))
        .await;
    assert_eq!(refused.status, 400);
}

#[tokio::test]
async fn unknown_kid_fault_keeps_the_apps_algorithm() {
    let mock = start().await;
    let patched = mock
        .admin_patch(
            &app_path(PLAYGROUND, ""),
            json!({"id_token_signed_response_alg": "ES256"}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    mock.fault(json!({"endpoint": "token", "kind": "unknown_kid"}))
        .await;
    let spoiled = id_token(&mock).await;
    assert_eq!(jwt_header(&spoiled)["alg"], "ES256");
    let published: Value = jwks(&mock).await;
    let keys = published["keys"].as_array().unwrap();
    assert!(keys.iter().all(|k| k["kid"] != jwt_header(&spoiled)["kid"]));
    assert!(keys.iter().all(|k| !verifies_with_jwk(k, &spoiled)));
}
