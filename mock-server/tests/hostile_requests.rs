//! Hostile and malformed requests get a clear 4xx in JSON, never a panic, an empty body or
//! someone else's data: oversized bodies and URIs, malformed forms and JSON, wrong content
//! types and methods, unknown paths, header injection through `redirect_uri`, and a body
//! that never arrives.

mod common;

use std::time::Duration;

use common::*;
use reqwest::Response;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const TOKEN: &str = "/accounts/api/v2/oauth2/token";

/// Status, headers and JSON body of a response, asserting the body is JSON.
async fn json_reply(response: Response) -> TokenReply {
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let reply = reply(response).await;
    assert!(
        content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("application/json")),
        "{} {:?}: {}",
        reply.status,
        content_type,
        reply.body
    );
    reply
}

/// An OAuth endpoint's error: the status, `error` and a description.
fn assert_oauth_error(reply: &TokenReply, status: u16, error: &str) {
    assert_eq!(reply.status_error(), (status, error), "{}", reply.body);
    assert!(
        reply.body["error_description"].is_string(),
        "{}",
        reply.body
    );
}

/// The admin API's error: the status, `error` and a message.
fn assert_admin_error(reply: &TokenReply, status: u16, error: &str) {
    assert_eq!(reply.status_error(), (status, error), "{}", reply.body);
    assert!(reply.body["message"].is_string(), "{}", reply.body);
}

#[tokio::test]
async fn an_oversized_body_gets_413_in_json() {
    let mock = start().await;
    let big = format!("grant_type=client_credentials&pad={}", "x".repeat(2 << 20));
    let token = mock
        .http
        .post(mock.url(TOKEN))
        .basic_auth(CI_CLIENT, Some(CI_SECRET))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big.clone())
        .send()
        .await
        .expect("an answer");
    let token = json_reply(token).await;
    assert_oauth_error(&token, 413, "invalid_request");
    assert_eq!(token.headers["cache-control"], "no-store");

    let admin = mock
        .http
        .post(mock.url(APPS))
        .bearer_auth(ADMIN)
        .header("content-type", "application/json")
        .body(format!("{{\"client_name\": \"{}\"}}", "x".repeat(2 << 20)))
        .send()
        .await
        .expect("an answer");
    assert_admin_error(&json_reply(admin).await, 413, "payload_too_large");
}

#[tokio::test]
async fn a_wrong_method_gets_405_in_json_with_allow() {
    let mock = start().await;
    let response = mock.get(TOKEN).await;
    assert_eq!(response.headers()["allow"], "POST");
    assert_oauth_error(&json_reply(response).await, 405, "invalid_request");

    let response = mock
        .http
        .delete(mock.url("/accounts/api/v2/oauth2/userinfo"))
        .send()
        .await
        .expect("an answer");
    assert_oauth_error(&json_reply(response).await, 405, "invalid_request");

    let response = mock
        .http
        .put(mock.url("/__mock/clock"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .expect("an answer");
    assert_admin_error(&json_reply(response).await, 405, "method_not_allowed");
}

#[tokio::test]
async fn an_overlong_authorize_url_gets_414_in_json() {
    let mock = start().await;
    let state = "s".repeat(10 * 1024);
    let response = mock
        .authorize(&[
            ("client_id", PLAYGROUND),
            ("redirect_uri", PLAYGROUND_REDIRECT),
            ("state", &state),
        ])
        .await;
    assert!(response.headers().get("location").is_none());
    assert_oauth_error(&json_reply(response).await, 414, "invalid_request");
}

#[tokio::test]
async fn unknown_paths_get_404_in_json() {
    let mock = start().await;
    for path in [
        "/accounts/api/v2/oauth2/nothing",
        "/nothing/at/all",
        "/accounts/api/v2/oauth2/token/extra",
    ] {
        let response = mock.get(path).await;
        assert_oauth_error(&json_reply(response).await, 404, "invalid_request");
    }
    let response = mock
        .http
        .get(mock.url("/__mock/nothing"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .expect("an answer");
    assert_admin_error(&json_reply(response).await, 404, "not_found");
}

#[tokio::test]
async fn malformed_token_requests_get_invalid_request() {
    let mock = start().await;
    let post = |content_type: &'static str, body: &'static [u8]| {
        mock.http
            .post(mock.url(TOKEN))
            .basic_auth(CI_CLIENT, Some(CI_SECRET))
            .header("content-type", content_type)
            .body(body)
    };
    let cases: [(&str, &[u8]); 8] = [
        ("application/json", b"{\"grant_type\": "),
        (
            "application/json",
            b"[\"grant_type\", \"client_credentials\"]",
        ),
        ("application/json", b"{\"grant_type\": {\"nested\": 1}}"),
        ("application/json", b"\xff\xfe"),
        (
            "application/x-www-form-urlencoded",
            b"grant_type=client_credentials&grant_type=password",
        ),
        ("application/x-www-form-urlencoded", b"%%%&&&==="),
        ("text/plain", b"grant_type=client_credentials"),
        ("multipart/form-data; boundary=x", b"--x\r\n\r\n--x--"),
    ];
    for (content_type, body) in cases {
        let reply = send(post(content_type, body)).await;
        assert_eq!(
            reply.status.as_u16(),
            400,
            "{content_type} {:?}: {}",
            String::from_utf8_lossy(body),
            reply.body
        );
        assert!(
            matches!(reply.error(), "invalid_request" | "unsupported_grant_type"),
            "{content_type}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn malformed_admin_requests_get_a_clear_error() {
    let mock = start().await;
    let post = |content_type: &'static str, body: &'static str| {
        mock.http
            .post(mock.url(APPS))
            .bearer_auth(ADMIN)
            .header("content-type", content_type)
            .body(body)
    };
    assert_admin_error(
        &send(post("application/json", "{\"client_name\": ")).await,
        400,
        "bad_request",
    );
    assert_admin_error(
        &send(post("application/json", "{\"client_name\": 42}")).await,
        400,
        "bad_request",
    );
    assert_admin_error(
        &send(post("text/plain", "{\"client_name\": \"x\"}")).await,
        415,
        "unsupported_media_type",
    );
}

#[tokio::test]
async fn line_breaks_cannot_reach_a_header_through_redirect_uri_or_state() {
    let mock = start().await;
    // Registering such a redirect URI is refused.
    for uri in [
        "http://127.0.0.1:9/cb\r\nSet-Cookie: planted=1",
        "http://127.0.0.1:9/c b",
        "http://127.0.0.1:9/\tcb",
    ] {
        let reply = mock
            .admin_post(
                APPS,
                json!({
                    "client_name": format!("injection {}", uri.len()),
                    "grant_types": ["authorization_code"],
                    "scopes": ["openid"],
                    "redirect_uris": [uri],
                }),
            )
            .await;
        assert_admin_error(&reply, 400, "bad_request");
    }
    // At /authorize, it matches no registered URI: an error page, no redirect.
    let injected = format!("{PLAYGROUND_REDIRECT}\r\nSet-Cookie: planted=1");
    let (_, challenge) = pkce();
    let mut params = pkce_params(PLAYGROUND, &injected, "openid", &challenge);
    params.push(("login_hint", "max"));
    let response = mock.authorize(&params).await;
    assert_eq!(response.status(), 400);
    assert!(response.headers().get("location").is_none());
    assert!(response.headers().get("set-cookie").is_none());

    // A state with line breaks comes back percent-encoded in the Location.
    let mut params = pkce_params(PLAYGROUND, PLAYGROUND_REDIRECT, "openid", &challenge);
    params.extend([
        ("login_hint", "max"),
        ("state", "a\r\nSet-Cookie: planted=1"),
    ]);
    let response = mock.authorize(&params).await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(
        !location.contains('\r') && !location.contains('\n'),
        "{location}"
    );
    let cookies: Vec<_> = response.headers().get_all("set-cookie").iter().collect();
    assert!(
        cookies
            .iter()
            .all(|c| !c.to_str().unwrap().contains("planted")),
        "{cookies:?}"
    );
    assert_eq!(
        location_query(response.headers())["state"],
        "a\r\nSet-Cookie: planted=1"
    );
}

#[tokio::test]
async fn a_token_of_another_client_cannot_be_revoked_or_read() {
    let mock = start().await;
    let other = mock
        .confidential_app("Other", &["client_credentials"], &["read:exchange"])
        .await;
    let (other_id, other_secret) = credentials(&other);
    let token = mock.client_credentials(CI_CLIENT, CI_SECRET).await;
    let revoke = send(
        mock.http
            .post(mock.url(REVOKE))
            .basic_auth(other_id, Some(other_secret))
            .form(&[("token", token.access_token())]),
    )
    .await;
    assert_oauth_error(&revoke, 400, "unauthorized_client");
    assert_eq!(mock.userinfo_status(token.access_token()).await, 200);
}

/// Reads what the server sends until it closes the connection.
async fn read_until_closed(stream: &mut tokio::net::TcpStream) -> String {
    let mut answer = Vec::new();
    // A guard against a server that never closes, not a measurement: far above the
    // configured timeout.
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer))
        .await
        .expect("the server closes the connection")
        .expect("the connection reads");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_body_that_never_arrives_gets_408_and_the_connection_is_closed() {
    let mock = start_with(|c| c.request_timeout = Duration::from_millis(300)).await;
    let address = mock.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connects");
    let head = format!(
        "POST {TOKEN} HTTP/1.1\r\nHost: {address}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n\
         grant_type="
    );
    stream.write_all(head.as_bytes()).await.expect("writes");
    let answer = read_until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("");
    let body: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {answer}"));
    assert_eq!(body["error"], "invalid_request", "{answer}");
}

#[tokio::test]
async fn an_admin_body_that_never_arrives_gets_408_too() {
    let mock = start_with(|c| c.request_timeout = Duration::from_millis(300)).await;
    let address = mock.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connects");
    let head = format!(
        "POST {APPS} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {ADMIN}\r\n\
         Content-Type: application/json\r\nContent-Length: 50\r\n\r\n{{"
    );
    stream.write_all(head.as_bytes()).await.expect("writes");
    let answer = read_until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"request_timeout\""), "{answer}");
}

#[tokio::test]
async fn requests_in_time_are_answered_normally_under_a_short_timeout() {
    let mock = start_with(|c| c.request_timeout = Duration::from_millis(300)).await;
    let reply = mock
        .token_basic(
            CI_CLIENT,
            CI_SECRET,
            &[("grant_type", "client_credentials")],
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}
