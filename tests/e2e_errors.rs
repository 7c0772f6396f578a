//! Every way a sign-in can go wrong between the playground and the authorization server
//! ends in the right error event and a message on the page: a tampered or replayed
//! callback, a late one, a misconfigured widget, a server that is down or sends a bad ID
//! token.
//!
//! Most tests run the authorization step outside the browser (`authorize_directly`) to get
//! hold of the callback URL before the page sees it; the login and consent pages themselves
//! are covered by `e2e_signin.rs`.

#![cfg(not(target_arch = "wasm32"))]

mod e2e;

use e2e::*;
use serde_json::json;

/// A registered app, the widget configured with it, and the URL its sign-in goes to.
async fn prepared(s: &Session, name: &str) -> (String, String) {
    let client_id = s.register_public_app(name).await;
    s.open_playground().await;
    s.configure(&client_id, &["openid", "profile", "email"])
        .await;
    let url = s.authorize_url_without_leaving().await;
    (client_id, url)
}

/// Checks that the element is signed out and lets the user try again.
async fn assert_can_retry(s: &Session) {
    assert_eq!(
        s.button_state().await,
        ("Sign in with Anypoint Platform".to_owned(), true),
        "signed out, and the button works"
    );
    assert_eq!(
        s.js("return document.getElementById('signin').signedIn", vec![])
            .await,
        json!(false)
    );
}

#[tokio::test]
async fn tampered_state_is_refused() {
    run("tampered-state", |s| async move {
        let (_, url) = prepared(&s, "Tampered state").await;
        let callback = s.authorize_directly(&url).await;
        let state = query_param(&callback, "state").expect("a state in the callback");
        let last = state.chars().last().expect("a non-empty state");
        let tampered_state = format!(
            "{}{}",
            &state[..state.len() - 1],
            if last == 'A' { 'B' } else { 'A' }
        );
        s.client
            .goto(&with_query_param(&callback, "state", &tampered_state))
            .await
            .expect("open the tampered callback");

        let description = s.expect_error("unknown_state").await;
        assert!(description.contains("state was altered"), "{description}");
        assert_eq!(s.url().await, s.page(), "the callback left the address bar");
        assert!(
            s.text("#callback")
                .await
                .contains("matches no sign-in started in this tab"),
            "the inspector explains it"
        );
        assert_can_retry(&s).await;
    })
    .await;
}

#[tokio::test]
async fn replayed_code_is_never_resubmitted() {
    run("replayed-code", |s| async move {
        let (_, url) = prepared(&s, "Replay").await;
        let callback = s.authorize_directly(&url).await;
        s.client.goto(&callback).await.expect("open the callback");
        s.wait_for_event("success").await;
        let token = s
            .js("return document.getElementById('signin').accessToken", vec![])
            .await
            .as_str()
            .expect("signed in: an access token")
            .to_owned();
        assert_eq!(s.url().await, s.page(), "the code left the address bar at once");

        // A reload finds no code to submit: no error, no second exchange.
        s.client.refresh().await.expect("reload");
        s.wait_until_ready().await;
        let handled = s
            .client
            .execute_async(
                "const [done] = arguments;\
                 document.getElementById('signin').handleRedirectCallback(location.href).then(done, (e) => done(String(e)));",
                vec![],
            )
            .await
            .expect("handleRedirectCallback");
        assert_eq!(handled, json!(false), "the reloaded page has no callback parameters");
        let events = s.events().await;
        assert!(
            events.iter().all(|e| e.name != "anypoint-signin-error" && e.name != "anypoint-signin-success"),
            "nothing happened on reload: {events:?}"
        );

        // The callback URL itself, opened again (from history or a leaked link), is refused
        // before it reaches the token endpoint: the mock server would revoke the tokens of a
        // replayed code, and they still work.
        s.client.goto(&callback).await.expect("open the callback again");
        let description = s.expect_error("unknown_state").await;
        assert!(description.contains("already used"), "{description}");
        assert_eq!(s.get_with_token("/accounts/api/me", &token).await, 200, "the first sign-in's token still works");
        assert_eq!(s.url().await, s.page());
    })
    .await;
}

#[tokio::test]
async fn expired_transaction_is_refused() {
    run("expired-transaction", |s| async move {
        let (_, url) = prepared(&s, "Expired").await;
        // The user comes back 11 minutes after clicking: age the pending sign-in the element
        // stored in this tab's sessionStorage.
        let state = query_param(&url, "state").expect("state");
        let aged = s
            .js(
                "const key = 'anypoint-signin:tx:' + arguments[0];\
                 const tx = new URLSearchParams(sessionStorage.getItem(key) || '');\
                 if (!tx.has('created_at')) return false;\
                 tx.set('created_at', String(Math.floor(Date.now() / 1000) - 660));\
                 sessionStorage.setItem(key, tx.toString());\
                 return true;",
                vec![json!(state)],
            )
            .await;
        assert_eq!(
            aged,
            json!(true),
            "the pending sign-in is in sessionStorage under its state"
        );
        let callback = s.authorize_directly(&url).await;
        s.client.goto(&callback).await.expect("open the callback");

        let description = s.expect_error("expired_transaction").await;
        assert!(description.contains("10 minutes"), "{description}");
        assert_can_retry(&s).await;
    })
    .await;
}

#[tokio::test]
async fn unregistered_redirect_uri_stops_at_the_authorization_server() {
    run("wrong-redirect-uri", |s| async move {
        let client_id = s.register_public_app("Wrong redirect").await;
        s.open_playground().await;
        s.configure(&client_id, &["openid", "profile"]).await;
        let unregistered = format!("{}index.html", s.page());
        s.type_into("#redirect-uri", &unregistered).await;
        s.click_signin().await;

        // The server must not send the browser to an unregistered address (RFC 6749
        // §4.1.2.1), so no callback comes back: the user reads the reason there.
        s.wait_for_url(&format!("{}/authorize?", s.issuer())).await;
        let message = s.text("#error").await;
        assert!(
            message.contains(&format!(
                "The redirect_uri {unregistered} is not registered"
            )),
            "{message}"
        );
        assert!(
            s.client
                .find(fantoccini::Locator::Css("#username"))
                .await
                .is_err(),
            "no login form"
        );
    })
    .await;
}

#[tokio::test]
async fn unknown_client_is_refused() {
    run("unknown-client", |s| async move {
        // A client ID that does not exist stops at the authorization server.
        let keeper = s.register_public_app("Keeper").await;
        s.open_playground().await;
        s.configure("no-such-client", &["openid", "profile"]).await;
        s.click_signin().await;
        s.wait_for_url(&format!("{}/authorize?", s.issuer())).await;
        let message = s.text("#error").await;
        assert!(
            message.contains("Unknown client_id no-such-client"),
            "{message}"
        );

        // An app deleted while the user signs in: the token endpoint refuses the code.
        // (Another app keeps the playground's origin allowed by CORS.)
        let (doomed, url) = prepared(&s, "Deleted").await;
        assert_ne!(doomed, keeper);
        let callback = s.authorize_directly(&url).await;
        s.delete_app(&doomed).await;
        s.client.goto(&callback).await.expect("open the callback");
        s.expect_error("token_error").await;
        let detail = s.wait_for_event("error").await;
        assert!(
            detail["cause"]
                .as_str()
                .unwrap_or_default()
                .contains("invalid_client"),
            "the cause names the OAuth error: {detail}"
        );
        assert_can_retry(&s).await;
    })
    .await;
}

#[tokio::test]
async fn discovery_down_reports_discovery_failed() {
    run("discovery-down", |s| async move {
        let client_id = s.register_public_app("Discovery down").await;
        s.open_playground().await;
        s.configure(&client_id, &["openid", "profile"]).await;
        s.set_checkbox("#preview", true).await;
        s.inject_fault("discovery", "server_error").await;
        s.click_signin().await;

        let description = s.expect_error("discovery_failed").await;
        assert!(description.contains("HTTP 500"), "{description}");
        assert_eq!(s.url().await, s.page(), "the browser stayed on the page");
        assert_can_retry(&s).await;

        // Once the server is back, the same button works.
        s.click_signin().await;
        s.wait_for_event("redirect").await;
    })
    .await;
}

#[tokio::test]
async fn bad_id_tokens_from_the_fault_switch_are_rejected() {
    run("bad-id-token", |s| async move {
        let client_id = s.register_public_app("Bad ID token").await;
        for (kind, named) in [
            ("wrong_nonce", "nonce"),
            ("wrong_audience", "aud"),
            ("expired", "exp"),
            ("bad_signature", "signature"),
        ] {
            s.open_playground().await;
            s.configure(&client_id, &["openid", "profile", "email"])
                .await;
            let url = s.authorize_url_without_leaving().await;
            s.inject_fault("token", kind).await;
            let callback = s.authorize_directly(&url).await;
            s.client.goto(&callback).await.expect("open the callback");

            let outcome = s.wait_for_outcome().await;
            assert_eq!(
                outcome.name, "anypoint-signin-error",
                "an ID token with fault {kind} must be rejected, not signed in with: {:?}",
                outcome.detail
            );
            let detail = outcome.detail;
            assert_eq!(detail["code"], "invalid_id_token", "{kind}: {detail}");
            let description = detail["description"].as_str().unwrap_or_default();
            assert!(
                description.contains(named),
                "{kind}: the description names the check: {description}"
            );
            s.expect_error("invalid_id_token").await;
            assert_can_retry(&s).await;
            assert!(
                s.events()
                    .await
                    .iter()
                    .all(|e| e.name != "anypoint-signin-success"),
                "{kind}: no success"
            );
        }
    })
    .await;
}
