//! The token lifecycle and the real-world modes, in the playground: sign-in in a popup
//! window, the code exchanged on a backend, one rotating refresh token shared by two tabs
//! (also when both renew at once), sign-out across tabs, and a reload in session storage.

#![cfg(not(target_arch = "wasm32"))]

mod e2e;

use e2e::*;
use fantoccini::key::Key;
use serde_json::{Value, json};

/// The mock's confidential app that its example backend redeems codes for.
const BACKEND_CLIENT_ID: &str = "anypoint-signin-backend-example";

/// A registered public app, the widget configured with it and `scopes`, signed in (the
/// authorization step run outside the browser); returns the client ID and the success detail.
async fn signed_in(s: &Session, name: &str, scopes: &[&str]) -> (String, Value) {
    let client_id = s.register_public_app(name).await;
    s.open_playground().await;
    s.configure(&client_id, scopes).await;
    let url = s.authorize_url_without_leaving().await;
    let callback = s.authorize_directly(&url).await;
    s.client.goto(&callback).await.expect("open the callback");
    let success = s.wait_for_event("success").await;
    (client_id, success)
}

/// Sets the widget's `mode` in "More options".
async fn choose_mode(s: &Session, mode: &str) {
    s.open_more_options().await;
    s.choose("#mode", mode).await;
    s.wait_for_attribute("mode", Some(mode)).await;
}

/// The names of the events logged since the page loaded.
async fn event_names(s: &Session) -> Vec<String> {
    s.events().await.into_iter().map(|e| e.name).collect()
}

/// Checks that the page neither failed nor signed out since it loaded, and is signed in.
async fn assert_still_signed_in(s: &Session, tab: &str) {
    let names = event_names(s).await;
    assert!(
        names
            .iter()
            .all(|n| n != "anypoint-signin-error" && n != "anypoint-signin-signout"),
        "{tab}: no error and no sign-out: {names:?}"
    );
    assert_eq!(
        s.js("return document.getElementById('signin').signedIn", vec![])
            .await,
        json!(true),
        "{tab} is signed in"
    );
}

/// The token view of the inspector: the shortened access token it shows.
async fn shown_access_token(s: &Session) -> String {
    s.text("#tokens [data-field=accessToken] td").await
}

/// Whether the inspector shows `token` (shortened: its first 10 characters).
fn shows(shown: &str, token: &str) -> bool {
    shown.starts_with(&token[..10]) && shown.contains(&format!("({} chars)", token.len()))
}

#[tokio::test]
async fn popup_mode_signs_in_in_a_real_popup_and_the_page_stays() {
    run("popup-flow", |s| async move {
        let client_id = s.register_public_app("Popup").await;
        s.open_playground().await;
        s.configure(&client_id, &["openid", "profile", "email"])
            .await;
        choose_mode(&s, "popup").await;
        assert!(
            s.text("#snippet-html").await.contains("mode=\"popup\""),
            "the snippet has the mode"
        );
        let page = s.url().await;
        // Lives as long as this document: a navigation or reload would lose it.
        s.js("window.e2eSamePage = 'still here'", vec![]).await;

        let opener = s.current_window().await;
        s.click_signin().await;
        let popup = s.wait_for_new_window(std::slice::from_ref(&opener)).await;
        // The window opens inside the click; the status follows the redirect event, once
        // the authorization URL is ready: WebKit may list the window before that.
        s.wait_for_text("#status", "Signing in in the popup window…")
            .await;
        s.switch_to(&popup).await;
        // The popup may still be between its blank page and the authorization server's,
        // where a script sees no window name (Firefox under load): wait for the server's.
        s.wait_for_url(&format!("{}/authorize?", s.issuer())).await;
        assert_eq!(
            s.js("return window.name", vec![]).await,
            json!("anypoint-signin-popup")
        );
        s.log_in().await;
        // Allow sends the popup to the redirect page (the playground), which hands the code
        // to its opener and closes the window, perhaps before this click's answer comes.
        let _ = s.find("#allow").await.click().await;
        s.wait_for_window_to_close(&popup).await;
        s.switch_to(&opener).await;

        let success = s.wait_for_event("success").await;
        assert_eq!(success["claims"]["preferred_username"], USERNAME);
        assert_eq!(success["claims"]["aud"], client_id.as_str());
        assert_eq!(success["restored"], false);
        assert_eq!(s.status().await.0, "Signed in as Max Mule.");
        assert_eq!(s.button_state().await, ("Sign out".to_owned(), true));
        let claims: Value =
            serde_json::from_str(&s.text("#id-token-claims").await).expect("claims JSON");
        assert_eq!(claims["email"], "max@example.com");

        // The opener never moved: same address, same document, and its log since the
        // click (a page load would have started a new one).
        assert_eq!(s.url().await, page, "the opener's URL never changed");
        assert_eq!(
            s.js("return window.e2eSamePage", vec![]).await,
            json!("still here"),
            "the opener was never reloaded"
        );
        let names = event_names(&s).await;
        assert_eq!(
            names,
            [
                "anypoint-signin-redirect",
                "anypoint-signin-code",
                "anypoint-signin-success"
            ],
            "one document saw the whole sign-in"
        );
        assert_eq!(s.windows().await, [opener], "the popup is gone");

        // The inspector shows the callback the popup posted, and the code event with the
        // code and its verifier shortened.
        let callback = s.text("#callback").await;
        assert!(
            callback.contains("by postMessage from the popup")
                && callback.contains("matches a sign-in started in this tab"),
            "{callback}"
        );
        assert!(s.text("#callback [data-param=code] td").await.contains('…'));
        let code = s.wait_for_event("code").await;
        let verifier = s.text("[data-param=code_verifier] td").await;
        assert_eq!(verifier.len(), 43, "the PKCE verifier: {verifier}");
        assert!(
            code["code"].as_str().is_some_and(|c| c.contains('…')),
            "{code}"
        );
        assert_eq!(
            code["codeVerifier"],
            format!("{}…{} (43 chars)", &verifier[..10], &verifier[37..]),
            "the verifier is shortened"
        );
        assert_eq!(code["clientId"], client_id.as_str());
        assert_eq!(code["redirectUri"], s.page());
        let console = s.console().await;
        assert!(
            console.iter().all(|(_, m)| !m.contains(&verifier)),
            "the verifier never reaches the console: {console:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn popup_closed_by_the_user_reports_popup_closed() {
    run("popup-closed", |s| async move {
        let client_id = s.register_public_app("Popup closed").await;
        s.open_playground().await;
        s.configure(&client_id, &["openid", "profile"]).await;
        choose_mode(&s, "popup").await;
        let page = s.url().await;

        let opener = s.current_window().await;
        s.click_signin().await;
        let popup = s.wait_for_new_window(std::slice::from_ref(&opener)).await;
        s.switch_to(&popup).await;
        s.wait_for_url(&format!("{}/authorize?", s.issuer())).await;
        s.find("#username").await;
        // The user closes the window on the login page.
        s.client.close_window().await.expect("close the popup");
        s.switch_to(&opener).await;

        let description = s.expect_error("popup_closed").await;
        assert!(description.contains("closed"), "{description}");
        assert_eq!(s.url().await, page);
        assert_eq!(
            s.button_state().await,
            ("Sign in with Anypoint Platform".to_owned(), true),
            "the user can try again"
        );
        assert_eq!(s.access_token().await, None);
    })
    .await;
}

#[tokio::test]
async fn backend_exchange_through_the_mocks_example_backend() {
    run("backend-exchange", |s| async move {
        s.allow_app_here(BACKEND_CLIENT_ID).await;
        // On a phone-sized screen, by keyboard.
        s.client
            .set_window_size(360, 800)
            .await
            .expect("a 360 px wide window");
        s.open_playground().await;
        s.open_more_options().await;
        s.assert_fits_the_width().await;
        s.js("document.getElementById('exchange-url').focus()", vec![])
            .await;
        s.press(Key::Tab).await;
        assert_eq!(s.focused().await, "#use-example-backend");
        s.press(Key::Enter).await;
        let exchange_url = format!("{}/example-backend/exchange", s.mock);
        s.wait_for_attribute("exchangeurl", Some(&exchange_url))
            .await;
        s.wait_for_attribute("clientid", Some(BACKEND_CLIENT_ID))
            .await;
        assert_eq!(
            s.find("#exchange-url")
                .await
                .prop("value")
                .await
                .expect("value"),
            Some(exchange_url.clone())
        );
        assert!(
            s.text("#snippet-html")
                .await
                .contains(&format!("exchangeurl=\"{exchange_url}\"")),
            "the snippet has exchangeurl"
        );

        s.assert_fits_the_width().await;
        s.screenshot("playground-more-options-360px.png").await;
        let url = s.authorize_url_without_leaving().await;
        assert_eq!(
            query_param(&url, "client_id").as_deref(),
            Some(BACKEND_CLIENT_ID)
        );
        let callback = s.authorize_directly(&url).await;
        // The backend's answer comes a second late: the fault is spent only if the page's
        // exchange went through it.
        s.plan_faults("backend", "delay", 1).await;
        s.client.goto(&callback).await.expect("open the callback");

        let outcome = s.wait_for_outcome().await;
        assert_eq!(
            outcome.name, "anypoint-signin-success",
            "{:?}",
            outcome.detail
        );
        let success = outcome.detail;
        assert_eq!(success["claims"]["aud"], BACKEND_CLIENT_ID);
        assert_eq!(success["claims"]["preferred_username"], USERNAME);
        assert_eq!(
            s.pending_faults().await,
            Vec::<Value>::new(),
            "the example backend was called"
        );
        let code = s.wait_for_event("code").await;
        assert_eq!(code["clientId"], BACKEND_CLIENT_ID);
        assert_eq!(code["exchangedAt"], exchange_url.as_str());
        assert!(
            code["code"].as_str().is_some_and(|c| c.contains('…'))
                && code["codeVerifier"]
                    .as_str()
                    .is_some_and(|c| c.contains('…')),
            "code and verifier are shortened: {code}"
        );
        let token = s.access_token().await.expect("signed in");
        assert_eq!(
            s.get_with_token(&format!("{}/userinfo", s.issuer()), &token)
                .await,
            200
        );
    })
    .await;
}

#[tokio::test]
async fn two_tabs_share_one_rotating_refresh_token() {
    run("two-tabs", |s| async move {
        let (client_id, first) =
            signed_in(&s, "Two tabs", &["openid", "profile", "offline_access"]).await;
        let first_token = s.access_token().await.expect("tab 1 is signed in");
        assert_eq!(first["restored"], false);
        let tab1 = s.current_window().await;

        // Tab 2 gets a copy of tab 1's sessionStorage, so it restores the session with the
        // refresh token: it spends it, and tab 1 must adopt the rotated one.
        s.js("window.open(location.href)", vec![]).await;
        let tab2 = s.wait_for_new_window(std::slice::from_ref(&tab1)).await;
        s.switch_to(&tab2).await;
        s.wait_until_ready().await;
        let restored = s.wait_for_event("success").await;
        assert_eq!(restored["restored"], true, "{restored}");
        let shared = s.access_token().await.expect("tab 2 is signed in");
        assert_ne!(shared, first_token, "tab 2 renewed the session");

        s.switch_to(&tab1).await;
        s.wait_for_access_token("tab 1", &shared).await;
        s.wait_for_event("token-refreshed").await;
        assert_still_signed_in(&s, "tab 1").await;
        assert!(
            shows(&shown_access_token(&s).await, &shared),
            "tab 1's inspector shows the renewed token"
        );
        let renewed = s.text("#tokens [data-field=renewed] td").await;
        assert!(
            renewed.starts_with("at ") && renewed.contains("token-refreshed"),
            "{renewed}"
        );
        assert_eq!(s.get_access_token().await.as_deref(), Ok(shared.as_str()));
        s.switch_to(&tab2).await;
        assert_eq!(s.get_access_token().await.as_deref(), Ok(shared.as_str()));
        assert_still_signed_in(&s, "tab 2").await;
        assert_eq!(
            s.get_with_token(&format!("{}/userinfo", s.issuer()), &shared)
                .await,
            200
        );

        // Both tabs renew at once. Tab 2 reloads and restores the session with tokens that
        // expire in 5 s, which tab 1 adopts; a second later both renew them: tab 2's timer
        // fires (tab 1's too), and tab 1 asks getAccessToken() for a token valid another
        // minute. The renewal's answer comes 2 s late, so the two tabs' renewals overlap
        // for certain. A refresh token spent twice would make the mock revoke the session.
        s.plan_faults("token", "short_lived", 1).await;
        s.plan_delay("token", 2_000, 1).await;
        s.client.refresh().await.expect("reload tab 2");
        s.wait_until_ready().await;
        let short = s.wait_for_event("success").await;
        assert_eq!(short["restored"], true, "{short}");
        let now = s.js("return Date.now()", vec![]).await.as_f64().unwrap();
        let left = short["expiresAt"].as_f64().unwrap_or_default() - now;
        assert!(left < 6_000.0, "a short-lived token: {left} ms left");
        let short_lived = s.access_token().await.expect("tab 2 is signed in");
        s.switch_to(&tab1).await;
        wait_for("tab 1 to adopt the short-lived tokens", || async {
            if s.access_token().await.as_deref() == Some(short_lived.as_str()) {
                Ok(())
            } else {
                Err(format!("{:?}", event_names(&s).await))
            }
        })
        .await;
        s.js(
            "window.e2eRenewal = null;\
             document.getElementById('signin').getAccessToken().then(\
               (token) => { window.e2eRenewal = {token}; },\
               (e) => { window.e2eRenewal = {error: String(e && e.code || e)}; });",
            vec![],
        )
        .await;
        let renewal = wait_for("tab 1's getAccessToken()", || async {
            let v = s.js("return window.e2eRenewal", vec![]).await;
            if v.is_null() {
                Err("pending".to_owned())
            } else {
                Ok(v)
            }
        })
        .await;
        let last = renewal["token"]
            .as_str()
            .unwrap_or_else(|| panic!("tab 1's getAccessToken() failed: {}", renewal["error"]))
            .to_owned();
        assert_ne!(last, short_lived, "a new access token");
        assert!(
            s.pending_faults().await.is_empty(),
            "the delayed renewal happened"
        );
        assert_still_signed_in(&s, "tab 1").await;
        assert_eq!(s.access_token().await.as_deref(), Some(last.as_str()));
        assert!(
            shows(&shown_access_token(&s).await, &last),
            "the inspector follows"
        );
        let refresh1 = s.stored_session_field(&client_id, "refresh_token").await;

        s.switch_to(&tab2).await;
        s.wait_for_access_token("tab 2", &last).await;
        assert_still_signed_in(&s, "tab 2").await;
        let renewed = s.wait_for_event("token-refreshed").await;
        let now = s.js("return Date.now()", vec![]).await.as_f64().unwrap();
        assert!(
            renewed["expiresAt"].as_f64().unwrap_or_default() > now + 30.0 * 60_000.0,
            "an hour-long token now: {renewed}"
        );
        assert_eq!(s.get_access_token().await.as_deref(), Ok(last.as_str()));
        let refresh2 = s.stored_session_field(&client_id, "refresh_token").await;
        assert!(
            refresh1.is_some() && refresh1 == refresh2,
            "both tabs keep the same, latest refresh token"
        );
        assert_eq!(
            s.get_with_token(&format!("{}/userinfo", s.issuer()), &last)
                .await,
            200,
            "the session was not revoked"
        );
        // Tab 1 still works too.
        s.switch_to(&tab1).await;
        assert_eq!(s.get_access_token().await.as_deref(), Ok(last.as_str()));
    })
    .await;
}

#[tokio::test]
async fn sign_out_in_one_tab_signs_out_the_other_and_revokes() {
    run("signout-tabs", |s| async move {
        let (client_id, _) = signed_in(
            &s,
            "Sign-out tabs",
            &["openid", "profile", "offline_access"],
        )
        .await;
        let tab1 = s.current_window().await;
        s.js("window.open(location.href)", vec![]).await;
        let tab2 = s.wait_for_new_window(std::slice::from_ref(&tab1)).await;
        s.switch_to(&tab2).await;
        s.wait_until_ready().await;
        s.wait_for_event("success").await;
        let access = s.access_token().await.expect("tab 2 is signed in");
        let refresh = s
            .stored_session_field(&client_id, "refresh_token")
            .await
            .expect("the refresh token in tab 2's sessionStorage");
        s.switch_to(&tab1).await;
        wait_for("tab 1 to adopt tab 2's renewal", || async {
            if s.access_token().await.as_deref() == Some(access.as_str()) {
                Ok(())
            } else {
                Err(format!("{:?}", event_names(&s).await))
            }
        })
        .await;

        // Sign out in tab 1 (the one that adopted the session).
        s.click_signin().await;
        s.wait_for_event("signout").await;
        assert_eq!(s.access_token().await, None);
        assert_eq!(s.stored_session_field(&client_id, "generation").await, None);

        s.switch_to(&tab2).await;
        s.wait_for_event("signout").await;
        assert_eq!(s.status().await.0, "Signed out.");
        assert_eq!(
            s.button_state().await,
            ("Sign in with Anypoint Platform".to_owned(), true)
        );
        assert_eq!(s.access_token().await, None);
        assert_eq!(
            s.js("return document.getElementById('signin').signedIn", vec![])
                .await,
            json!(false)
        );
        assert_eq!(
            s.stored_session_field(&client_id, "generation").await,
            None,
            "tab 2 forgot the session"
        );
        assert_eq!(s.get_access_token().await, Err("not_signed_in".to_owned()));

        // Tab 1 revoked the tokens: the access token stops working, then the refresh
        // token is refused.
        let userinfo = format!("{}/userinfo", s.issuer());
        wait_for("the access token to be revoked", || async {
            match s.get_with_token(&userinfo, &access).await {
                401 => Ok(()),
                other => Err(format!("/userinfo answers {other}")),
            }
        })
        .await;
        let (status, answer) = s.refresh_at_token_endpoint(&refresh, &client_id).await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(answer["error"], "invalid_grant");
    })
    .await;
}

#[tokio::test]
async fn reload_in_session_storage_restores_without_a_token_request() {
    run("session-storage-reload", |s| async move {
        let client_id = s.register_public_app("Session storage").await;
        s.open_playground().await;
        s.configure(&client_id, &["openid", "profile", "email"])
            .await;
        s.open_more_options().await;
        s.choose("#storage", "session").await;
        s.wait_for_attribute("storage", Some("session")).await;
        let url = s.authorize_url_without_leaving().await;
        let callback = s.authorize_directly(&url).await;
        s.client.goto(&callback).await.expect("open the callback");
        let first = s.wait_for_event("success").await;
        assert_eq!(first["restored"], false);
        let token = s.access_token().await.expect("signed in");

        // Any token request after this point fails: the reload must not make one.
        s.plan_faults("token", "server_error", 1).await;
        s.client.refresh().await.expect("reload");
        s.wait_until_ready().await;
        let again = s.wait_for_event("success").await;
        assert_eq!(again["restored"], true, "{again}");
        assert_eq!(
            s.access_token().await.as_deref(),
            Some(token.as_str()),
            "the same access token, from sessionStorage"
        );
        assert!(
            s.status()
                .await
                .0
                .starts_with("Signed in as Max Mule again"),
            "{:?}",
            s.status().await
        );
        let left = s.pending_faults().await;
        assert_eq!(
            left.len(),
            1,
            "the token endpoint saw no request: the planned fault is unspent: {left:?}"
        );
        assert_eq!(left[0]["endpoint"], "token");
        assert_eq!(s.get_access_token().await.as_deref(), Ok(token.as_str()));
        s.clear_faults().await;
    })
    .await;
}

#[tokio::test]
async fn sign_out_goes_to_the_logout_url() {
    run("logout-url", |s| async move {
        signed_in(&s, "Logout URL", &["openid", "profile"]).await;
        let signed_out_page = format!("{}?signed-out=1", s.page());
        s.open_more_options().await;
        s.type_into("#logout-url", &signed_out_page).await;
        s.wait_for_attribute("logouturl", Some(&signed_out_page))
            .await;
        s.click_signin().await;
        let landed = s.wait_for_url(&signed_out_page).await;
        assert_eq!(
            landed, signed_out_page,
            "after sign-out the browser is at logouturl"
        );
    })
    .await;
}
