//! After sign-in, in a real browser against the real mock server: where tokens are kept,
//! `getAccessToken()`, the user's profile, refusal of a revoked refresh token, and
//! revocation at sign-out.

#![cfg(target_arch = "wasm32")]

mod support;

use anypoint_signin::protocol::SessionRecord;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn stored(client_id: &str) -> Option<SessionRecord> {
    session_storage()
        .get_item(&SessionRecord::storage_key(client_id))
        .unwrap()
        .map(|raw| SessionRecord::from_storage_string(&raw).unwrap())
}

#[wasm_bindgen_test]
async fn get_access_token_without_a_session_rejects() {
    let el = element(&[("clientid", "abc"), ("redirecturi", &redirect_uri())]);
    let errors = EventWaiter::new(&el, "anypoint-signin-error");
    let rejected = await_promise(call(el.as_ref(), "getAccessToken", &[]))
        .await
        .unwrap_err();
    assert_eq!(get_str(&rejected, "code").as_deref(), Some("not_signed_in"));
    assert_eq!(
        get_str(&errors.detail().await, "code").as_deref(),
        Some("not_signed_in")
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn memory_storage_keeps_only_the_refresh_token() {
    let (el, client_id, detail) = signed_in_element("openid profile offline_access", &[]).await;
    let access_token = get_str(&detail, "accessToken").unwrap();
    let record = stored(&client_id).expect("the refresh token is kept for a reload");
    assert!(record.refresh_token.is_some());
    assert!(record.access_token.is_none() && record.id_token.is_none());
    let raw = session_storage()
        .get_item(&SessionRecord::storage_key(&client_id))
        .unwrap()
        .unwrap();
    assert!(!raw.contains(&access_token), "no access token in storage");
    assert!(
        window().local_storage().unwrap().unwrap().length().unwrap() == 0,
        "nothing in localStorage"
    );

    let token = await_promise(call(el.as_ref(), "getAccessToken", &[]))
        .await
        .unwrap();
    assert_eq!(
        token.as_string(),
        Some(access_token),
        "a fresh token is handed out as is"
    );
    sign_out(&el).await;
    assert!(
        stored(&client_id).is_none(),
        "sign-out forgets the stored session"
    );
    el.remove();
}

#[wasm_bindgen_test]
async fn memory_storage_without_offline_access_keeps_nothing() {
    let (el, client_id, _) = signed_in_element("openid profile", &[]).await;
    assert!(stored(&client_id).is_none());
    sign_out(&el).await;
    el.remove();
}

#[wasm_bindgen_test]
async fn session_storage_keeps_every_token() {
    let (el, client_id, detail) =
        signed_in_element("openid profile offline_access", &[("storage", "session")]).await;
    let record = stored(&client_id).unwrap();
    assert_eq!(
        record.access_token.map(|t| t.secret().to_owned()),
        get_str(&detail, "accessToken")
    );
    assert!(record.id_token.is_some() && record.refresh_token.is_some());
    sign_out(&el).await;
    assert!(stored(&client_id).is_none());
    el.remove();
}

#[wasm_bindgen_test]
async fn unsupported_storage_is_a_configuration_error() {
    let (el, errors) = element_listening(
        &[
            ("clientid", "abc"),
            ("redirecturi", &redirect_uri()),
            ("storage", "local"),
        ],
        "anypoint-signin-error",
    );
    let detail = errors.detail().await;
    assert_eq!(get_str(&detail, "code").as_deref(), Some("invalid_storage"));
    assert!(button(&el).disabled());
    el.remove();
}

#[wasm_bindgen_test]
async fn the_userinfo_profile_becomes_the_user() {
    let (el, _, detail) = signed_in_element("openid profile email", &[]).await;
    let user = get(&detail, "user");
    assert_eq!(get_str(&user, "email").as_deref(), Some("max@example.com"));
    assert_eq!(
        get_str(&user, "sub"),
        get_str(&get(&detail, "claims"), "sub")
    );
    assert_eq!(
        get_str(&get(el.as_ref(), "user"), "email").as_deref(),
        Some("max@example.com")
    );
    assert_eq!(
        shadow(&el, "[part=user]").text_content().as_deref(),
        Some("Signed in as Max Mule")
    );
    sign_out(&el).await;
    el.remove();
}

#[wasm_bindgen_test]
async fn the_anypoint_me_profile_becomes_the_user() {
    let (el, _, detail) = signed_in_element("openid profile", &[("profile", "me")]).await;
    let user = get(&detail, "user");
    assert_eq!(get_str(&user, "username").as_deref(), Some("max"));
    assert_eq!(
        get_str(&get(&user, "organization"), "name").as_deref(),
        Some("Mule Corp")
    );
    sign_out(&el).await;
    el.remove();
}

#[wasm_bindgen_test]
async fn a_failing_profile_still_signs_in_and_says_why() {
    let client_id = register_public_app(&["openid", "profile"]).await;
    let el = mock_element(&client_id, "openid profile", &[]);
    let callback = authorize_as_max(&el).await;
    inject_fault("userinfo", "server_error", 1).await;
    let success = EventWaiter::new(&el, "anypoint-signin-success");
    let errors = EventWaiter::new(&el, "anypoint-signin-error");
    handle_redirect_callback(&el, &callback).await.unwrap();
    let detail = success.detail().await;
    assert_eq!(
        get_str(&get(&detail, "user"), "sub"),
        get_str(&get(&detail, "claims"), "sub")
    );
    assert_eq!(
        get_str(&errors.detail().await, "code").as_deref(),
        Some("profile_failed")
    );
    assert_eq!(get(el.as_ref(), "signedIn"), JsValue::TRUE);
    sign_out(&el).await;
    el.remove();
}

/// OpenID Connect Core §5.3.4: a profile whose subject is not the ID token's `sub` (a
/// substituted access token) is discarded, from userinfo and from `/accounts/api/me`.
#[wasm_bindgen_test]
async fn a_profile_of_another_user_is_discarded() {
    let client_id = register_public_app(&["openid", "profile"]).await;
    for (source, body) in [
        ("userinfo", r#"{"sub":"someone-else","name":"Mallory"}"#),
        (
            "me",
            r#"{"user":{"id":"someone-else","firstName":"Mallory"}}"#,
        ),
    ] {
        let el = mock_element(&client_id, "openid profile", &[("profile", source)]);
        let callback = authorize_as_max(&el).await;
        plan_fault(
            source,
            "replace",
            &format!(r#","body":{}"#, json_string(body)),
        )
        .await;
        let success = EventWaiter::new(&el, "anypoint-signin-success");
        let errors = EventWaiter::new(&el, "anypoint-signin-error");
        handle_redirect_callback(&el, &callback).await.unwrap();
        let detail = success.detail().await;
        let error = errors.detail().await;
        assert_eq!(
            get_str(&error, "code").as_deref(),
            Some("profile_failed"),
            "{source}"
        );
        assert!(
            get_str(&error, "description").unwrap().contains("5.3.4"),
            "{source}"
        );
        let sub = get_str(&get(&detail, "claims"), "sub");
        assert_eq!(get_str(&get(&detail, "user"), "sub"), sub, "{source}");
        assert_eq!(get_str(&get(el.as_ref(), "user"), "sub"), sub, "{source}");
        let shown = shadow(&el, "[part=user]").text_content().unwrap();
        assert!(!shown.contains("Mallory"), "{source}: {shown}");
        assert_eq!(get(el.as_ref(), "signedIn"), JsValue::TRUE);
        sign_out(&el).await;
        el.remove();
    }
}

#[wasm_bindgen_test]
async fn sign_out_revokes_the_tokens_at_the_server() {
    let (el, _, detail) = signed_in_element("openid profile offline_access", &[]).await;
    let access_token = get_str(&detail, "accessToken").unwrap();
    let userinfo = format!("{}/userinfo", mock_issuer());
    assert_eq!(status_with_bearer(&userinfo, &access_token).await, 200);

    let signout = EventWaiter::new(&el, "anypoint-signin-signout");
    await_promise(call(el.as_ref(), "signOut", &[]))
        .await
        .unwrap();
    signout.detail().await;
    assert_eq!(get(el.as_ref(), "signedIn"), JsValue::FALSE);
    assert_eq!(
        status_with_bearer(&userinfo, &access_token).await,
        401,
        "the revoked access token no longer works"
    );
    el.remove();
}
