//! The sign-in flow as a developer meets it in the playground: a real browser, the real
//! mock authorization server on another origin, its login and consent pages.

#![cfg(not(target_arch = "wasm32"))]

mod e2e;

use e2e::*;
use fantoccini::key::Key;
use serde_json::Value;

#[tokio::test]
async fn full_redirect_flow_signs_in_shows_claims_calls_apis_and_signs_out() {
    run("full-flow", |s| async move {
        // Nothing to configure: the defaults use the mock server's own public app, which
        // `make playground` serves on the port it knows; here it learns this test's port.
        let client_id = DEFAULT_CLIENT_ID.to_owned();
        s.allow_default_app_here().await;
        s.open_playground().await;
        assert_eq!(
            s.js(
                "const el = document.getElementById('signin');\
                 return [el.getAttribute('clientid'), el.getAttribute('scopes')];",
                vec![],
            )
            .await,
            serde_json::json!([client_id, "openid profile email"]),
            "the default settings"
        );
        assert_eq!(
            s.button_state().await,
            ("Sign in with Anypoint Platform".to_owned(), true)
        );
        s.screenshot("playground-signed-out.png").await;

        // Click: off to the mock server's login page, on its own origin.
        s.click_signin().await;
        s.wait_for_url(&format!("{}/authorize?", s.issuer())).await;
        s.log_in().await;
        // The consent page may still be rendering when it is first found.
        wait_for("consent to list the scopes", || async {
            let scopes = s.text("#scopes").await;
            if scopes.contains("openid") && scopes.contains("email") {
                Ok(())
            } else {
                Err(scopes)
            }
        })
        .await;
        s.find("#allow").await.click().await.expect("click #allow");

        // Back on the playground, signed in; the code left the address bar at once.
        let success = s.wait_for_event("success").await;
        assert_eq!(
            s.url().await,
            s.page(),
            "no code or state left in the address bar"
        );
        let token_type = success["tokenType"].as_str().unwrap_or_default();
        assert!(token_type.eq_ignore_ascii_case("bearer"), "{success}");
        assert_eq!(success["scope"], "openid profile email");
        assert_eq!(success["claims"]["preferred_username"], USERNAME);
        assert_eq!(success["claims"]["aud"], client_id.as_str());
        let shown_token = success["accessToken"]
            .as_str()
            .expect("accessToken in the log");
        assert!(
            shown_token.contains('…') && shown_token.contains("chars)"),
            "the log shortens tokens: {shown_token}"
        );
        let (status, _) = s.status().await;
        assert_eq!(status, "Signed in as Max Mule.");
        assert_eq!(s.button_state().await, ("Sign out".to_owned(), true));

        // The inspector: the request with its PKCE pair, the callback, the token response and
        // the decoded ID token.
        let verifier = s.text("[data-param=code_verifier] td").await;
        assert_eq!(verifier.len(), 43, "the PKCE verifier is shown: {verifier}");
        assert_eq!(
            s.text("[data-param=code_challenge_method] td").await,
            "S256"
        );
        wait_for("the PKCE check", || async {
            let check = s.text("#pkce-check").await;
            if check.starts_with('✓') {
                Ok(())
            } else {
                Err(check)
            }
        })
        .await;
        assert_eq!(s.text("[data-param=client_id] td").await, client_id);
        assert_eq!(s.text("[data-param=redirect_uri] td").await, s.page());
        let callback_code = s.text("#callback [data-param=code] td").await;
        assert!(
            callback_code.contains('…'),
            "the code is shown shortened: {callback_code}"
        );
        assert_eq!(s.text("#callback [data-param=iss] td").await, s.issuer());
        let header: Value =
            serde_json::from_str(&s.text("#id-token-header").await).expect("header JSON");
        assert_eq!(header["alg"], "RS256");
        let claims: Value =
            serde_json::from_str(&s.text("#id-token-claims").await).expect("claims JSON");
        assert_eq!(claims["email"], "max@example.com");
        assert_eq!(claims["name"], "Max Mule");
        assert_eq!(claims["iss"], s.issuer());
        let tokens = s.text("#tokens").await;
        assert!(
            tokens.to_lowercase().contains("bearer") && tokens.contains('…'),
            "token response: {tokens}"
        );

        // The APIs, called from the page with the access token (cross-origin, CORS).
        s.click("#call-userinfo").await;
        let userinfo = s.wait_for_http_200("#userinfo-result").await;
        assert!(userinfo.contains("max@example.com"), "{userinfo}");
        s.click("#call-me").await;
        let me = s.wait_for_http_200("#me-result").await;
        assert!(
            me.contains("Mule Corp") && me.contains("\"username\": \"max\""),
            "{me}"
        );
        // A taller window shows the widget, the API answers and the inspector at once.
        s.client
            .set_window_size(1280, 1600)
            .await
            .expect("resize the window");
        s.js("window.scrollTo(0, 0)", vec![]).await;
        s.screenshot("playground-signed-in.png").await;

        // Sign out with the same button.
        s.click_signin().await;
        s.wait_for_event("signout").await;
        assert_eq!(
            s.button_state().await,
            ("Sign in with Anypoint Platform".to_owned(), true)
        );
        assert_eq!(s.status().await.0, "Signed out.");
        let disabled = s
            .js("return document.getElementById('call-me').disabled", vec![])
            .await;
        assert_eq!(disabled, Value::Bool(true), "no API calls without a token");
        assert_eq!(
            s.js(
                "return document.getElementById('signin').accessToken",
                vec![]
            )
            .await,
            Value::Null
        );
    })
    .await;
}

#[tokio::test]
async fn reload_with_offline_access_restores_the_session() {
    run("restore", |s| async move {
        let client_id = s.register_public_app("Restore").await;
        s.open_playground().await;
        s.configure(&client_id, &["openid", "profile", "offline_access"])
            .await;
        let url = s.authorize_url_without_leaving().await;
        let callback = s.authorize_directly(&url).await;
        s.client.goto(&callback).await.expect("open the callback");
        let first = s.wait_for_event("success").await;
        assert_eq!(first["restored"], false, "{first}");

        // Memory mode keeps only the refresh token in sessionStorage: a reload renews the
        // session with it, cross-origin, from the playground.
        s.client.refresh().await.expect("reload");
        let again = s.wait_for_event("success").await;
        assert_eq!(again["restored"], true, "{again}");
        assert_ne!(
            again["accessToken"], first["accessToken"],
            "a new access token"
        );
        let (status, _) = s.status().await;
        assert!(
            status.starts_with("Signed in as Max Mule again"),
            "{status}"
        );
        assert_eq!(s.button_state().await, ("Sign out".to_owned(), true));
        s.click("#call-me").await;
        s.wait_for_http_200("#me-result").await;
    })
    .await;
}

#[tokio::test]
async fn denied_consent_ends_in_access_denied() {
    run("deny", |s| async move {
        let client_id = s.register_public_app("Denied").await;
        s.open_playground().await;
        s.configure(&client_id, &["openid", "profile"]).await;
        s.click_signin().await;
        s.log_in().await;
        s.find("#deny").await.click().await.expect("click #deny");

        let description = s.expect_error("access_denied").await;
        assert!(
            description.starts_with("You declined to give the app access."),
            "a clear message: {description}"
        );
        assert_eq!(s.url().await, s.page(), "the error parameters left the address bar");
        assert_eq!(s.text("#callback [data-param=error] td").await, "access_denied");
        let (label, enabled) = s.button_state().await;
        assert_eq!(label, "Sign in with Anypoint Platform");
        assert!(enabled, "the user can try again");
        let message = s
            .js(
                "return document.getElementById('signin').shadowRoot.querySelector('[part=message]').textContent",
                vec![],
            )
            .await;
        assert_eq!(message.as_str(), Some(description.as_str()), "the element shows it too");
    })
    .await;
}

/// The package's `signIn()` passes on the options it documents and no other: those only
/// the browser tests' build reads (`trap`, which makes that build's module trap, and
/// `popupTimeoutMs`) change nothing, and the sign-in goes to the authorization server.
#[tokio::test]
async fn the_package_ignores_the_browser_tests_options() {
    run("test-options", |s| async move {
        let client_id = s.register_public_app("Test options").await;
        s.open_playground().await;
        s.configure(&client_id, &["openid", "profile"]).await;
        s.set_checkbox("#preview", true).await;
        s.client
            .execute(
                "document.getElementById('signin').signIn({ loginHint: 'max', trap: 'sync', popupTimeoutMs: 1 });",
                vec![],
            )
            .await
            .expect("signIn");
        let detail = s.wait_for_event("redirect").await;
        let url = detail["url"].as_str().expect("the redirect's URL");
        assert!(url.starts_with(&format!("{}/authorize?", s.issuer())), "{url}");
        assert_eq!(query_param(url, "login_hint").as_deref(), Some("max"));
        let events = s.events().await;
        assert!(
            events.iter().all(|e| e.name != "anypoint-signin-error"),
            "no error: {events:?}"
        );
        assert!(s.button_state().await.1, "the button still works");
    })
    .await;
}

#[tokio::test]
async fn playground_runs_under_its_strict_csp_without_console_errors() {
    run("csp", |s| async move {
        let client_id = s.register_public_app("CSP").await;
        let response = s
            .http
            .get(s.page())
            .send()
            .await
            .expect("GET the playground");
        let csp = response
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .expect("the playground is served with a CSP")
            .to_owned();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
            "{csp}"
        );
        assert!(csp.contains("style-src 'self';"), "{csp}");
        let html = response.text().await.expect("the page");
        assert!(!html.contains(" style="), "no inline style attributes");
        assert!(
            !html.contains("<script>") && !html.contains("<script type=\"module\">"),
            "no inline scripts"
        );

        // The page records every CSP violation from the start.
        s.open_playground().await;
        s.configure(&client_id, &["openid", "profile", "email"])
            .await;
        let url = s.authorize_url_without_leaving().await;
        let callback = s.authorize_directly(&url).await;
        s.client.goto(&callback).await.expect("open the callback");
        s.wait_for_event("success").await;
        s.click("#call-userinfo").await;
        s.click("#call-me").await;
        s.wait_for_http_200("#userinfo-result").await;
        s.wait_for_http_200("#me-result").await;
        // The Connected Apps panel calls the admin API cross-origin too.
        s.click("#apps-refresh").await;
        s.find(&format!("li[data-client-id=\"{client_id}\"]")).await;

        let console = s.console().await;
        let problems: Vec<_> = console
            .iter()
            .filter(|(level, message)| {
                level == "SEVERE"
                    || level == "WARNING"
                    || message.contains("Content Security Policy")
            })
            .collect();
        assert!(
            problems.is_empty(),
            "console errors or warnings: {problems:#?}"
        );
        let token = s
            .js(
                "return document.getElementById('signin').accessToken",
                vec![],
            )
            .await;
        let token = token.as_str().expect("signed in");
        assert!(
            console.iter().all(|(_, message)| !message.contains(token)),
            "the access token never reaches the console: {console:#?}"
        );
    })
    .await;
}

#[tokio::test]
async fn works_with_the_keyboard_alone_on_a_narrow_screen() {
    run("keyboard-narrow", |s| async move {
        let client_id = s.register_public_app("Keyboard").await;
        s.client
            .set_window_size(360, 800)
            .await
            .expect("a 360 px wide window");
        s.open_playground().await;
        s.configure(&client_id, &["openid", "profile"]).await;
        s.assert_fits_the_width().await;
        s.js("window.scrollTo(0, 0)", vec![]).await;
        s.screenshot("playground-360px.png").await;

        // From the top of a fresh page (the settings persist), the skip link leads to the
        // widget, and Tab reaches its button.
        s.client
            .goto(&s.page())
            .await
            .expect("open the playground again");
        s.wait_until_ready().await;
        s.press(Key::Tab).await;
        assert_eq!(s.focused().await, "a", "the skip link comes first");
        s.press(Key::Enter).await;
        assert_eq!(s.focused().await, "#try");
        s.press(Key::Tab).await;
        assert_eq!(s.focused().await, "anypoint-signin>button");

        // Enter on the button starts the sign-in; the login and consent pages work by keyboard.
        s.press(Key::Enter).await;
        s.wait_for_url(&format!("{}/authorize?", s.issuer())).await;
        s.log_in_and_allow_by_keyboard().await;
        s.wait_for_event("success").await;
        assert_eq!(s.status().await.0, "Signed in as Max Mule.");

        // The API buttons are reachable and work by keyboard.
        s.js("document.getElementById('call-userinfo').focus()", vec![])
            .await;
        s.press(Key::Enter).await;
        s.wait_for_http_200("#userinfo-result").await;
        s.assert_fits_the_width().await;
    })
    .await;
}
