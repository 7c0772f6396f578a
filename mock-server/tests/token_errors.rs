//! Error responses of the token endpoint (RFC 6749 §5.2).

mod common;

use common::*;

fn assert_error(reply: &TokenReply, status: u16, error: &str) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.body);
    assert_eq!(reply.error(), error, "{}", reply.body);
    assert!(reply.body["error_description"].is_string());
    assert_eq!(reply.headers["cache-control"], "no-store");
    assert!(
        reply.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
}

#[tokio::test]
async fn request_errors() {
    let mock = start().await;
    assert_error(
        &mock.token(&[("client_id", PLAYGROUND)]).await,
        400,
        "invalid_request",
    );
    assert_error(
        &mock
            .token(&[("grant_type", "implicit"), ("client_id", PLAYGROUND)])
            .await,
        400,
        "unsupported_grant_type",
    );
    let repeated = mock
        .token(&[
            ("grant_type", "client_credentials"),
            ("grant_type", "client_credentials"),
        ])
        .await;
    assert_error(&repeated, 400, "invalid_request");
    let text = send(
        mock.http
            .post(mock.token_url())
            .header("content-type", "text/plain")
            .body("grant_type=client_credentials"),
    )
    .await;
    assert_error(&text, 400, "invalid_request");
}

#[tokio::test]
async fn basic_authentication_failure_is_401_with_a_challenge() {
    let mock = start().await;
    let reply = mock.client_credentials(CI_CLIENT, "wrong-secret").await;
    assert_error(&reply, 401, "invalid_client");
    let challenge = reply.headers["www-authenticate"].to_str().unwrap();
    assert!(challenge.starts_with("Basic"), "{challenge}");
    let unknown = mock.client_credentials("no-such-client", "x").await;
    assert_error(&unknown, 401, "invalid_client");
}

#[tokio::test]
async fn post_authentication_failures() {
    let mock = start().await;
    let wrong = mock
        .token(&[
            ("grant_type", "client_credentials"),
            ("client_id", CI_CLIENT),
            ("client_secret", "wrong-secret"),
        ])
        .await;
    assert_error(&wrong, 401, "invalid_client");
    assert!(wrong.headers.get("www-authenticate").is_none());
    let anonymous = mock.token(&[("grant_type", "client_credentials")]).await;
    assert_error(&anonymous, 401, "invalid_client");
    let confidential_without_secret = mock
        .token(&[
            ("grant_type", "client_credentials"),
            ("client_id", CI_CLIENT),
        ])
        .await;
    assert_error(&confidential_without_secret, 401, "invalid_client");
    let two_methods = mock
        .token_basic(
            CI_CLIENT,
            CI_SECRET,
            &[
                ("grant_type", "client_credentials"),
                ("client_secret", CI_SECRET),
            ],
        )
        .await;
    assert_error(&two_methods, 400, "invalid_request");
}

#[tokio::test]
async fn grant_and_scope_errors() {
    let mock = start().await;
    let no_grant = mock
        .token(&[
            ("grant_type", "password"),
            ("client_id", PLAYGROUND),
            ("username", "max"),
            ("password", "mulesoft1"),
        ])
        .await;
    assert_error(&no_grant, 400, "unauthorized_client");
    let bad_code = mock
        .token(&[
            ("grant_type", "authorization_code"),
            ("client_id", PLAYGROUND),
            ("code", "never-issued"),
            ("redirect_uri", PLAYGROUND_REDIRECT),
            ("code_verifier", &"v".repeat(43)),
        ])
        .await;
    assert_error(&bad_code, 400, "invalid_grant");
    let scope = mock
        .token_basic(
            CI_CLIENT,
            CI_SECRET,
            &[("grant_type", "client_credentials"), ("scope", "openid")],
        )
        .await;
    assert_error(&scope, 400, "invalid_scope");
}
