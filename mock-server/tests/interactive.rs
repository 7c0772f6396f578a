//! Interactive sign-in: the login and consent pages, their CSRF protection, the login
//! session (prompt=none) and sign-out.

mod common;

use common::*;
use reqwest::Response;

struct Page {
    status: u16,
    cookie: Option<String>,
    html: String,
    location: Option<std::collections::HashMap<String, String>>,
}

async fn page(response: Response) -> Page {
    let status = response.status().as_u16();
    let cookie = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned());
    let location = response
        .headers()
        .get("location")
        .map(|_| location_query(response.headers()));
    Page {
        status,
        cookie,
        html: response.text().await.unwrap(),
        location,
    }
}

fn request_id(html: &str) -> String {
    let marker = "name=\"request_id\" value=\"";
    let start = html.find(marker).expect("a request_id field") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

async fn start_authorize(
    mock: &Mock,
    challenge: &str,
    extra: &[(&str, &str)],
    cookie: Option<&str>,
) -> Page {
    let mut params = pkce_params(PLAYGROUND, PLAYGROUND_REDIRECT, "openid email", challenge);
    params.extend([("state", "interactive"), ("nonce", "nonce-1")]);
    for (name, value) in extra {
        params.retain(|(n, _)| n != name);
        params.push((name, value));
    }
    let mut request = mock.http.get(mock.authorize_url()).query(&params);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    page(request.send().await.unwrap()).await
}

async fn post(mock: &Mock, path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Page {
    let mut request = mock.http.post(mock.url(path)).form(form);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    page(request.send().await.unwrap()).await
}

const LOGIN: &str = "/accounts/api/v2/oauth2/login";
const CONSENT: &str = "/accounts/api/v2/oauth2/consent";

/// Posts the login form of `request_id` as max with `password`.
async fn log_in(mock: &Mock, cookie: Option<&str>, request_id: &str, password: &str) -> Page {
    let form = [
        ("request_id", request_id),
        ("username", "max"),
        ("password", password),
    ];
    post(mock, LOGIN, cookie, &form).await
}

/// Answers the consent page `html` with `decision` (`allow` or `deny`).
async fn decide(mock: &Mock, cookie: Option<&str>, html: &str, decision: &str) -> Page {
    let id = request_id(html);
    let form = [("request_id", id.as_str()), ("decision", decision)];
    post(mock, CONSENT, cookie, &form).await
}

#[tokio::test]
async fn login_then_consent_then_code() {
    let mock = start_with(|_| {}).await;
    let (verifier, challenge) = pkce();
    let response = mock
        .authorize(&pkce_params(
            PLAYGROUND,
            PLAYGROUND_REDIRECT,
            "openid email",
            &challenge,
        ))
        .await;
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(
        !csp.contains("script-src"),
        "no script allowed at all: {csp}"
    );
    assert_eq!(response.headers()["x-frame-options"], "DENY");
    let login = page(response).await;
    assert_eq!(login.status, 200);
    for id in [
        "id=\"username\"",
        "id=\"password\"",
        "id=\"login\"",
        "for=\"username\"",
        "for=\"password\"",
    ] {
        assert!(login.html.contains(id), "{id}");
    }
    assert!(!login.html.contains("<script"));
    let cookie = login
        .cookie
        .clone()
        .expect("a session cookie binds the form");
    let id = request_id(&login.html);

    let wrong = log_in(&mock, Some(&cookie), &id, "wrong").await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.html.contains("Incorrect username or password"));
    assert!(wrong.html.contains("value=\"max\""), "username kept");

    let consent = log_in(&mock, Some(&cookie), &id, "mulesoft1").await;
    assert_eq!(consent.status, 200);
    let signed_in = consent.cookie.clone().expect("a new session at login");
    assert_ne!(signed_in, cookie, "the session id changes at login");
    for needle in [
        "id=\"allow\"",
        "id=\"deny\"",
        "Read-only access to your email",
        "<code>email</code>",
    ] {
        assert!(consent.html.contains(needle), "{needle}");
    }
    let done = decide(&mock, Some(&signed_in), &consent.html, "allow").await;
    assert_eq!(done.status, 303);
    let query = done.location.unwrap();
    assert_eq!(query["iss"], mock.issuer);
    let tokens = mock.redeem_playground(&query["code"], &verifier).await;
    assert_eq!(tokens.status, 200, "{}", tokens.body);
    assert!(jwt_claims(tokens.id_token())["auth_time"].is_u64());
}

async fn signed_in_session(mock: &Mock) -> String {
    let (_, challenge) = pkce();
    let login = start_authorize(mock, &challenge, &[], None).await;
    let cookie = login.cookie.unwrap();
    let consent = log_in(mock, Some(&cookie), &request_id(&login.html), "mulesoft1").await;
    let session = consent.cookie.unwrap();
    let done = decide(mock, Some(&session), &consent.html, "allow").await;
    assert_eq!(done.status, 303);
    session
}

#[tokio::test]
async fn a_signed_in_session_answers_prompt_none_until_sign_out() {
    let mock = start_with(|_| {}).await;
    let session = signed_in_session(&mock).await;
    let (_, challenge) = pkce();
    let silent = start_authorize(&mock, &challenge, &[("prompt", "none")], Some(&session)).await;
    assert_eq!(silent.status, 302);
    let query = silent.location.unwrap();
    assert!(query.contains_key("code"));
    assert_eq!(query["state"], "interactive");

    let more = start_authorize(
        &mock,
        &challenge,
        &[("prompt", "none"), ("scope", "openid email profile")],
        Some(&session),
    )
    .await;
    assert_eq!(more.location.unwrap()["error"], "consent_required");

    let logout = mock
        .http
        .get(mock.url("/accounts/api/logout/"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 200);
    assert!(
        logout.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let after = start_authorize(&mock, &challenge, &[("prompt", "none")], Some(&session)).await;
    assert_eq!(after.location.unwrap()["error"], "login_required");
}

#[tokio::test]
async fn deny_redirects_with_access_denied() {
    let mock = start_with(|_| {}).await;
    let session = signed_in_session(&mock).await;
    let (_, challenge) = pkce();
    let consent =
        start_authorize(&mock, &challenge, &[("prompt", "consent")], Some(&session)).await;
    assert_eq!(consent.status, 200);
    assert!(consent.html.contains("id=\"deny\""));
    let denied = decide(&mock, Some(&session), &consent.html, "deny").await;
    assert_eq!(denied.status, 303);
    let query = denied.location.unwrap();
    assert_eq!(query["error"], "access_denied");
    assert_eq!(query["state"], "interactive");
    assert!(!query.contains_key("code"));
}

#[tokio::test]
async fn forms_only_work_in_the_browser_session_that_got_them() {
    let mock = start_with(|_| {}).await;
    let (_, challenge) = pkce();
    let victim = start_authorize(&mock, &challenge, &[], None).await;
    let attacker = start_authorize(&mock, &challenge, &[], None).await;
    let id = request_id(&victim.html);
    let cross = log_in(&mock, attacker.cookie.as_deref(), &id, "mulesoft1").await;
    assert_eq!(cross.status, 403);
    let cookieless = log_in(&mock, None, &id, "mulesoft1").await;
    assert_eq!(cookieless.status, 403);
    let unknown = log_in(&mock, victim.cookie.as_deref(), "forged", "mulesoft1").await;
    assert_eq!(unknown.status, 400);

    let session = signed_in_session(&mock).await;
    let consent =
        start_authorize(&mock, &challenge, &[("prompt", "consent")], Some(&session)).await;
    let forged = decide(&mock, attacker.cookie.as_deref(), &consent.html, "allow").await;
    assert_eq!(forged.status, 403);
}

#[tokio::test]
async fn pages_escape_user_controlled_text() {
    let mock = start_with(|_| {}).await;
    let (_, challenge) = pkce();
    let login = start_authorize(
        &mock,
        &challenge,
        &[("login_hint", "\"><script>alert(1)</script>")],
        None,
    )
    .await;
    assert!(!login.html.contains("<script>"));
    assert!(login.html.contains("&quot;&gt;&lt;script&gt;"));
}
