//! ID token signatures against the real mock server's keys: ES256, key rotation (the key
//! set is fetched again for an unknown `kid`), and a `kid` the provider never published.

#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen::JsValue;
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
