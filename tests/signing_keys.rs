//! ID token signatures against the real mock server's keys: ES256, key rotation (the key
//! set is fetched again for an unknown `kid`), and a `kid` the provider never published.

#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Signs in with `client_id`, the token endpoint spoiled by `fault` if given; returns the
/// element and the success detail or the rejection.
async fn sign_in(
    client_id: &str,
    fault: Option<&str>,
) -> (web_sys::HtmlElement, Result<JsValue, JsValue>) {
    let el = mock_element(client_id, "openid profile", &[]);
    let callback = authorize_as_max(&el).await;
    if let Some(kind) = fault {
        inject_fault("token", kind, 1).await;
    }
    let success = EventWaiter::new(&el, "anypoint-signin-success");
    let outcome = handle_redirect_callback(&el, &callback).await;
    let outcome = match outcome {
        Ok(_) => Ok(success.detail().await),
        Err(e) => Err(e),
    };
    (el, outcome)
}

/// The decoded header of the success detail's ID token.
fn id_token_header(detail: &JsValue) -> String {
    let id_token = get_str(detail, "idToken").unwrap();
    let header = id_token.split('.').next().unwrap().to_owned();
    let bytes = anypoint_signin::protocol::base64url::decode(&header).unwrap();
    String::from_utf8(bytes).unwrap()
}

#[wasm_bindgen_test]
async fn es256_id_tokens_verify() {
    let client_id = register_app(
        &["openid", "profile"],
        r#","id_token_signed_response_alg":"ES256""#,
    )
    .await;
    let (el, outcome) = sign_in(&client_id, None).await;
    let detail = outcome.expect("an ES256 ID token is accepted");
    assert!(id_token_header(&detail).contains("\"ES256\""));
    sign_out(&el).await;
    el.remove();
}

#[wasm_bindgen_test]
async fn a_rotated_key_is_found_by_fetching_the_key_set_again() {
    let client_id = register_public_app(&["openid", "profile"]).await;
    // A first sign-in puts the current key set in the element's cache.
    let (el, outcome) = sign_in(&client_id, None).await;
    outcome.expect("first sign-in");
    sign_out(&el).await;
    el.remove();

    let (status, rotated) = admin_request(
        "POST",
        "/__mock/keys/rotate",
        Some(r#"{"retire_previous":true}"#),
    )
    .await;
    assert_eq!(status, 200, "{rotated:?}");
    let new_kid = get_str(&rotated, "kid").unwrap();

    let (el, outcome) = sign_in(&client_id, None).await;
    let detail = outcome.expect("the new key is fetched and the token verifies");
    let header = id_token_header(&detail);
    assert!(header.contains(&new_kid), "{header}");
    sign_out(&el).await;
    el.remove();
}

#[wasm_bindgen_test]
async fn an_unpublished_kid_is_rejected() {
    let client_id = register_public_app(&["openid", "profile"]).await;
    let (el, outcome) = sign_in(&client_id, Some("unknown_kid")).await;
    let rejected = outcome.unwrap_err();
    assert_eq!(
        get_str(&rejected, "code").as_deref(),
        Some("invalid_id_token")
    );
    let message = get_str(&rejected, "message").unwrap();
    assert!(message.contains("no key"), "{message}");
    el.remove();
}

/// WebCrypto imports a key's public members only (`kty`, `n`, `e`, `crv`, `x`, `y`): the
/// published keys, each also saying `"key_ops":["sign"]` (which WebCrypto refuses for a key
/// imported to verify, and which only says what the provider signs with), still verify.
#[wasm_bindgen_test]
async fn webcrypto_gets_only_the_public_members_of_the_key() {
    let client_id = register_public_app(&["openid", "profile"]).await;
    let url = format!("{}/accounts/api/v2/oauth2/jwks", mock_url());
    let response: web_sys::Response =
        wasm_bindgen_futures::JsFuture::from(window().fetch_with_str(&url))
            .await
            .unwrap()
            .unchecked_into();
    assert_eq!(response.status(), 200);
    let set = wasm_bindgen_futures::JsFuture::from(response.json().unwrap())
        .await
        .unwrap();
    let keys: js_sys::Array = get(&set, "keys").unchecked_into();
    assert!(keys.length() > 0);
    for key in keys.iter() {
        let ops = js_sys::Array::of1(&JsValue::from_str("sign"));
        js_sys::Reflect::set(&key, &JsValue::from_str("key_ops"), &ops).unwrap();
    }
    let body = js_sys::JSON::stringify(&set).unwrap().as_string().unwrap();
    // No key set kept from an earlier test: this sign-in fetches the one above.
    let storage = session_storage();
    let kept: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|k| k.starts_with("anypoint-signin:keys:"))
        .collect();
    for key in kept {
        storage.remove_item(&key).unwrap();
    }
    plan_fault(
        "jwks",
        "replace",
        &format!(r#","count":1,"body":{}"#, json_string(&body)),
    )
    .await;
    let (el, outcome) = sign_in(&client_id, None).await;
    let (_, planned) = admin_request("GET", "/__mock/faults", None).await;
    clear_faults().await;
    outcome.expect("the keys' public members verify the ID token");
    let planned = js_sys::JSON::stringify(&planned)
        .unwrap()
        .as_string()
        .unwrap();
    assert!(
        !planned.contains("jwks"),
        "the changed key set was served: {planned}"
    );
    sign_out(&el).await;
    el.remove();
}
