//! The sign-in flow in a real browser against the real mock authorization server: the
//! authorization request, the callback, the code exchange, and every error on the way.

#![cfg(target_arch = "wasm32")]

mod support;

use anypoint_signin::protocol::Transaction;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn configured_element(scopes: &str) -> (web_sys::HtmlElement, String) {
    let client_id = register_public_app(&["openid", "profile", "email", "offline_access"]).await;
    let el = mock_element(&client_id, scopes, &[]);
    (el, client_id)
}

async fn expect_callback_error(el: &web_sys::HtmlElement, callback: &str, code: &str) -> String {
    let errors = EventWaiter::new(el, "anypoint-signin-error");
    let rejected = handle_redirect_callback(el, callback)
        .await
        .expect_err("the promise rejects");
    assert_eq!(get_str(&rejected, "code").as_deref(), Some(code));
    let detail = errors.detail().await;
    assert_eq!(get_str(&detail, "code").as_deref(), Some(code));
    let description = get_str(&detail, "description").unwrap();
    assert!(!description.is_empty());
    assert_eq!(get(el.as_ref(), "signedIn"), JsValue::FALSE);
    assert!(!button(el).disabled(), "the user can try again");
    description
}

#[wasm_bindgen_test]
async fn click_builds_the_authorization_request_and_stores_the_transaction() {
    let (el, client_id) = configured_element("openid profile read:full").await;
    let url = click_and_capture_authorize_url(&el).await;

    assert!(
        url.starts_with(&format!("{}/authorize?", mock_issuer())),
        "{url}"
    );
    assert_eq!(query_param(&url, "response_type").as_deref(), Some("code"));
    assert_eq!(query_param(&url, "client_id"), Some(client_id.clone()));
    assert_eq!(query_param(&url, "redirect_uri"), Some(redirect_uri()));
    assert_eq!(
        query_param(&url, "scope").as_deref(),
        Some("openid profile read:full")
    );
    assert_eq!(
        query_param(&url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert_eq!(
        query_param(&url, "code_challenge").map(|c| c.len()),
        Some(43)
    );
    let state = query_param(&url, "state").unwrap();
    let nonce = query_param(&url, "nonce").unwrap();
    assert!(state.len() >= 43 && nonce.len() >= 43 && state != nonce);

    let raw = session_storage()
        .get_item(&Transaction::storage_key(&state))
        .unwrap()
        .expect("the transaction is stored under its state");
    let tx = Transaction::from_storage_string(&raw).unwrap();
    assert_eq!(tx.client_id, client_id);
    assert_eq!(tx.nonce.as_str(), nonce);
    assert_eq!(tx.redirect_uri, redirect_uri());
    assert!(
        !button(&el).disabled(),
        "a cancelled navigation leaves the button usable"
    );

    let second = click_and_capture_authorize_url(&el).await;
    assert_ne!(
        query_param(&second, "state"),
        Some(state),
        "each sign-in has fresh state"
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn callback_exchanges_the_code_and_signs_in() {
    let (el, client_id) = configured_element("openid profile email").await;
    let callback = authorize_as_max(&el).await;
    assert!(callback.starts_with(&redirect_uri()), "{callback}");
    let state = query_param(&callback, "state").unwrap();

    let success = EventWaiter::new(&el, "anypoint-signin-success");
    assert_eq!(
        handle_redirect_callback(&el, &callback).await.unwrap(),
        JsValue::TRUE
    );
    let detail = success.detail().await;

    let access_token = get_str(&detail, "accessToken").unwrap();
    assert!(!access_token.is_empty());
    assert_eq!(
        get_str(&detail, "tokenType").unwrap().to_ascii_lowercase(),
        "bearer"
    );
    assert!(get(&detail, "expiresAt").as_f64().unwrap() > js_sys::Date::now());
    assert!(get_str(&detail, "idToken").unwrap().split('.').count() == 3);
    let claims = get(&detail, "claims");
    assert_eq!(get_str(&claims, "aud").as_deref(), Some(client_id.as_str()));
    assert_eq!(get_str(&claims, "iss"), Some(mock_issuer()));
    assert!(get_str(&claims, "sub").is_some());

    let js: &JsValue = el.as_ref();
    assert_eq!(get(js, "signedIn"), JsValue::TRUE);
    assert_eq!(get_str(js, "accessToken"), Some(access_token));
    assert_eq!(get_str(&get(js, "user"), "sub"), get_str(&claims, "sub"));
    assert_eq!(button(&el).text_content().as_deref(), Some("Sign out"));
    assert!(
        shadow(&el, "[part=user]")
            .text_content()
            .unwrap()
            .starts_with("Signed in as ")
    );
    assert!(
        session_storage()
            .get_item(&Transaction::storage_key(&state))
            .unwrap()
            .is_none(),
        "the transaction is used up"
    );

    // The same callback again (a reload, the back button) must not sign in twice.
    let replay = expect_callback_error_signed_in(&el, &callback).await;
    assert_eq!(replay, "unknown_state");

    let signout = EventWaiter::new(&el, "anypoint-signin-signout");
    button(&el).click();
    signout.detail().await;
    assert_eq!(get(js, "signedIn"), JsValue::FALSE);
    assert!(get(js, "accessToken").is_null());
    assert_eq!(
        button(&el).text_content().as_deref(),
        Some("Sign in with Anypoint Platform")
    );
    el.remove();
}

async fn expect_callback_error_signed_in(el: &web_sys::HtmlElement, callback: &str) -> String {
    let errors = EventWaiter::new(el, "anypoint-signin-error");
    let rejected = handle_redirect_callback(el, callback)
        .await
        .expect_err("the promise rejects");
    let detail = errors.detail().await;
    assert_eq!(get_str(&rejected, "code"), get_str(&detail, "code"));
    get_str(&detail, "code").unwrap()
}

#[wasm_bindgen_test]
async fn a_url_without_callback_parameters_is_not_a_callback() {
    let (el, _) = configured_element("openid").await;
    assert_eq!(
        handle_redirect_callback(&el, &format!("{}?page=2", redirect_uri()))
            .await
            .unwrap(),
        JsValue::FALSE
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn unreachable_discovery_is_reported() {
    let el = element(&[
        ("clientid", "abc"),
        ("redirecturi", &redirect_uri()),
        ("issuer", "http://127.0.0.1:9/accounts/api/v2/oauth2"),
    ]);
    prevent_navigation(&el);
    let errors = EventWaiter::new(&el, "anypoint-signin-error");
    button(&el).click();
    let detail = errors.detail().await;
    assert_eq!(
        get_str(&detail, "code").as_deref(),
        Some("discovery_failed")
    );
    assert!(!button(&el).disabled());
    assert_eq!(
        button(&el).get_attribute("aria-busy").as_deref(),
        Some("false")
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn failing_discovery_is_reported() {
    inject_fault("discovery", "server_error", 1).await;
    let el = element(&[
        ("clientid", "abc"),
        ("redirecturi", &redirect_uri()),
        // A distinct issuer spelling so the per-issuer cache does not answer.
        ("issuer", &mock_issuer().replace("127.0.0.1", "localhost")),
    ]);
    prevent_navigation(&el);
    let errors = EventWaiter::new(&el, "anypoint-signin-error");
    let rejected = await_promise(call(el.as_ref(), "signIn", &[]))
        .await
        .unwrap_err();
    assert_eq!(
        get_str(&rejected, "code").as_deref(),
        Some("discovery_failed")
    );
    let detail = errors.detail().await;
    assert_eq!(
        get_str(&detail, "code").as_deref(),
        Some("discovery_failed")
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn issuer_mismatch_in_discovery_is_reported() {
    let el = element(&[
        ("clientid", "abc"),
        ("redirecturi", &redirect_uri()),
        ("issuer", &format!("{}/", mock_issuer())),
    ]);
    prevent_navigation(&el);
    let errors = EventWaiter::new(&el, "anypoint-signin-error");
    button(&el).click();
    let detail = errors.detail().await;
    assert_eq!(get_str(&detail, "code").as_deref(), Some("issuer_mismatch"));
    el.remove();
}

#[wasm_bindgen_test]
async fn provider_error_is_reported_with_its_oauth_code() {
    // The app may not request `full`: the real server answers invalid_scope by redirect.
    let (el, _) = configured_element("openid full").await;
    let callback = authorize_as_max(&el).await;
    assert_eq!(
        query_param(&callback, "error").as_deref(),
        Some("invalid_scope")
    );
    expect_callback_error(&el, &callback, "invalid_scope").await;
    el.remove();
}

#[wasm_bindgen_test]
async fn access_denied_has_a_human_description() {
    let (el, _) = configured_element("openid").await;
    let url = click_and_capture_authorize_url(&el).await;
    let state = query_param(&url, "state").unwrap();
    // As the server sends it: with its iss (RFC 9207), which it promises in discovery.
    let iss = String::from(js_sys::encode_uri_component(&mock_issuer()));
    let callback = format!(
        "{}?error=access_denied&state={state}&iss={iss}",
        redirect_uri()
    );
    let description = expect_callback_error(&el, &callback, "access_denied").await;
    assert!(description.contains("declined"), "{description}");
    el.remove();
}

#[wasm_bindgen_test]
async fn missing_state_is_reported() {
    let (el, _) = configured_element("openid").await;
    expect_callback_error(
        &el,
        &format!("{}?code=abc", redirect_uri()),
        "missing_state",
    )
    .await;
    el.remove();
}

#[wasm_bindgen_test]
async fn unknown_state_is_reported() {
    let (el, _) = configured_element("openid").await;
    let callback = format!("{}?code=abc&state=not-a-state-of-this-tab", redirect_uri());
    expect_callback_error(&el, &callback, "unknown_state").await;
    el.remove();
}

#[wasm_bindgen_test]
async fn tampered_state_is_reported() {
    let (el, _) = configured_element("openid profile").await;
    let callback = authorize_as_max(&el).await;
    let state = query_param(&callback, "state").unwrap();
    let tampered = callback.replace(&state, &format!("{state}x"));
    expect_callback_error(&el, &tampered, "unknown_state").await;
    el.remove();
}

#[wasm_bindgen_test]
async fn expired_transaction_is_reported() {
    let (el, _) = configured_element("openid profile").await;
    let callback = authorize_as_max(&el).await;
    let state = query_param(&callback, "state").unwrap();
    let key = Transaction::storage_key(&state);
    let mut tx =
        Transaction::from_storage_string(&session_storage().get_item(&key).unwrap().unwrap())
            .unwrap();
    tx.created_at_secs -= 11 * 60;
    session_storage()
        .set_item(&key, &tx.to_storage_string())
        .unwrap();
    expect_callback_error(&el, &callback, "expired_transaction").await;
    el.remove();
}

#[wasm_bindgen_test]
async fn token_endpoint_error_is_reported() {
    let (el, _) = configured_element("openid profile").await;
    let callback = authorize_as_max(&el).await;
    let code = query_param(&callback, "code").unwrap();
    let forged = callback.replace(&code, "forged-code");
    let description = expect_callback_error(&el, &forged, "token_error").await;
    assert!(description.contains("invalid_grant"), "{description}");
    el.remove();
}

#[wasm_bindgen_test]
async fn wrong_iss_in_the_callback_is_reported() {
    let (el, _) = configured_element("openid profile").await;
    let callback = authorize_as_max(&el).await;
    let iss = query_param(&callback, "iss").expect("the mock server sends iss (RFC 9207)");
    let encoded = String::from(js_sys::encode_uri_component(&iss));
    let forged = callback.replace(&encoded, "https%3A%2F%2Fevil.example");
    assert_ne!(forged, callback);
    expect_callback_error(&el, &forged, "issuer_mismatch").await;
    el.remove();
}

#[wasm_bindgen_test]
async fn id_token_with_a_wrong_nonce_is_rejected() {
    let (el, _) = configured_element("openid profile").await;
    let callback = authorize_as_max(&el).await;
    inject_fault("token", "wrong_nonce", 1).await;
    let description = expect_callback_error(&el, &callback, "invalid_id_token").await;
    assert!(description.contains("nonce"), "{description}");
    el.remove();
}

#[wasm_bindgen_test]
async fn id_token_for_another_audience_is_rejected() {
    let (el, _) = configured_element("openid profile").await;
    let callback = authorize_as_max(&el).await;
    inject_fault("token", "wrong_audience", 1).await;
    expect_callback_error(&el, &callback, "invalid_id_token").await;
    el.remove();
}

#[wasm_bindgen_test]
async fn expired_id_token_is_rejected() {
    let (el, _) = configured_element("openid profile").await;
    let callback = authorize_as_max(&el).await;
    inject_fault("token", "expired", 1).await;
    expect_callback_error(&el, &callback, "invalid_id_token").await;
    el.remove();
}

#[wasm_bindgen_test]
async fn token_endpoint_garbage_is_reported() {
    let (el, _) = configured_element("openid profile").await;
    let callback = authorize_as_max(&el).await;
    inject_fault("token", "invalid_json", 1).await;
    expect_callback_error(&el, &callback, "invalid_token_response").await;
    el.remove();
}

#[wasm_bindgen_test]
async fn id_token_with_a_bad_signature_is_rejected() {
    let (el, _) = configured_element("openid profile").await;
    let callback = authorize_as_max(&el).await;
    inject_fault("token", "bad_signature", 1).await;
    let description = expect_callback_error(&el, &callback, "invalid_id_token").await;
    assert!(description.contains("signature"), "{description}");
    el.remove();
}

#[wasm_bindgen_test]
async fn an_error_response_from_a_foreign_issuer_is_a_mix_up() {
    let (el, _) = configured_element("openid").await;
    let url = click_and_capture_authorize_url(&el).await;
    let state = query_param(&url, "state").unwrap();
    let forged = format!(
        "{}?error=access_denied&state={state}&iss=https%3A%2F%2Fevil.example",
        redirect_uri()
    );
    let description = expect_callback_error(&el, &forged, "issuer_mismatch").await;
    assert!(description.contains("evil.example"), "{description}");
    el.remove();
}
