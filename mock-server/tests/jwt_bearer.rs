//! The JWT bearer grant (RFC 7523) with Anypoint's `sub` format.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::{Value, json};

const PRIVATE: &str = include_str!("fixtures/client-key.pem");
const PUBLIC: &str = include_str!("fixtures/client-key.pub.pem");
const GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

fn sign(claims: &Value, kid: Option<&str>) -> String {
    let key = rsa::PrivateKey::from_pkcs8_pem(PRIVATE).unwrap();
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key);
    let mut header = json!({"alg": "RS256", "typ": "JWT"});
    if let Some(kid) = kid {
        header["kid"] = json!(kid);
    }
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = signer.sign(input.as_bytes()).to_vec();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

async fn app_with_key(mock: &Mock, key: Value) -> String {
    let app = mock
        .create_app(json!({
            "client_name": format!("Automation {}", uuid::Uuid::new_v4()),
            "grant_types": [GRANT],
            "scopes": ["openid", "profile", "read:exchange"],
            "public_keys": [key],
        }))
        .await;
    app["client_id"].as_str().unwrap().to_owned()
}

fn claims(mock: &Mock, client_id: &str) -> Value {
    json!({
        "iss": client_id,
        "sub": format!("1|{IDP_ID}|max|Max|Mule|max@example.com|"),
        "aud": mock.token_url(),
        "exp": unix_now() + 300,
        "iat": unix_now(),
    })
}

async fn exchange(mock: &Mock, assertion: &str) -> TokenReply {
    mock.token(&[("grant_type", GRANT), ("assertion", assertion)])
        .await
}

#[tokio::test]
async fn a_signed_assertion_gets_a_token_without_a_secret() {
    let mock = start().await;
    let client_id = app_with_key(&mock, json!(PUBLIC)).await;
    let reply = exchange(&mock, &sign(&claims(&mock, &client_id), None)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.get("refresh_token").is_none());
    let id = jwt_claims(reply.id_token());
    assert_eq!(id["sub"], USER_ID);
    assert_eq!(id["aud"], client_id.as_str());
}

#[tokio::test]
async fn a_jwk_registered_key_works_too() {
    let mock = start().await;
    use rsa::pkcs8::DecodePublicKey;
    use rsa::traits::PublicKeyParts;
    let public = rsa::PublicKey::from_public_key_pem(PUBLIC).unwrap();
    let jwk = json!({
        "kty": "RSA",
        "kid": "ci-key-1",
        "n": URL_SAFE_NO_PAD.encode(public.n_bytes()),
        "e": URL_SAFE_NO_PAD.encode(public.e_bytes()),
    });
    let client_id = app_with_key(&mock, jwk).await;
    let reply = exchange(&mock, &sign(&claims(&mock, &client_id), Some("ci-key-1"))).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[tokio::test]
async fn every_claim_is_checked() {
    let mock = start().await;
    let client_id = app_with_key(&mock, json!(PUBLIC)).await;
    let good = claims(&mock, &client_id);
    let variant = |name: &str, value: Value| {
        let mut c = good.clone();
        if value.is_null() {
            c.as_object_mut().unwrap().remove(name);
        } else {
            c[name] = value;
        }
        c
    };
    let cases = [
        ("expired", variant("exp", json!(unix_now() - 10))),
        ("no exp", variant("exp", Value::Null)),
        (
            "wrong aud",
            variant(
                "aud",
                json!("https://anypoint.mulesoft.com/accounts/api/v2/oauth2/token"),
            ),
        ),
        (
            "sub without username",
            variant("sub", json!(format!("1|{IDP_ID}||Max"))),
        ),
        ("sub without provider", variant("sub", json!("1||max"))),
        (
            "unknown provider",
            variant("sub", json!("1|some-other-idp|max")),
        ),
        (
            "unknown user",
            variant("sub", json!(format!("1|{IDP_ID}|nobody"))),
        ),
        ("not yet valid", variant("nbf", json!(unix_now() + 600))),
    ];
    for (what, claims) in cases {
        let reply = exchange(&mock, &sign(&claims, None)).await;
        assert_eq!(
            (reply.status.as_u16(), reply.error()),
            (400, "invalid_grant"),
            "{what}: {}",
            reply.body
        );
    }
    let unknown_iss = exchange(&mock, &sign(&variant("iss", json!("nobody")), None)).await;
    assert_eq!(unknown_iss.error(), "invalid_client");

    let mut forged = sign(&good, None);
    let flip = forged.len() - 5;
    forged.replace_range(
        flip..flip + 1,
        if &forged[flip..flip + 1] == "A" {
            "B"
        } else {
            "A"
        },
    );
    assert_eq!(exchange(&mock, &forged).await.error(), "invalid_grant");

    let missing = mock.token(&[("grant_type", GRANT)]).await;
    assert_eq!(missing.error(), "invalid_request");
    let garbage = exchange(&mock, "not-a-jwt").await;
    assert_eq!(garbage.error(), "invalid_grant");
}

#[tokio::test]
async fn the_grant_needs_the_app_to_have_it() {
    let mock = start().await;
    let reply = exchange(&mock, &sign(&claims(&mock, CI_CLIENT), None)).await;
    assert_eq!(reply.error(), "unauthorized_client");
}

#[tokio::test]
async fn registering_the_grant_needs_a_valid_public_key() {
    let mock = start().await;
    for keys in [
        json!([]),
        json!(["-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----"]),
        json!([{"kty": "EC"}]),
    ] {
        let reply = mock
            .admin_post(
                APPS,
                json!({
                    "client_name": "Bad keys",
                    "grant_types": [GRANT],
                    "scopes": ["openid"],
                    "public_keys": keys,
                }),
            )
            .await;
        assert_eq!(reply.status, 400, "{keys}");
    }
}
