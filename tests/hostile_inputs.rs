//! The hostile-input table in a real browser: named attacks run through the element against
//! the mock server, whose fault switches (`replace`, `claims`, `unknown_kid`, ...) make it
//! answer what an attacker or a broken server would. For each row: the exact error code (as
//! the error event's and, where there is one, the rejected promise's), no trap, no session
//! stored, no navigation. The protocol core runs its own table natively
//! (`src/protocol/hostile_inputs.rs`).

#![cfg(target_arch = "wasm32")]

mod support;

use anypoint_signin::protocol::SessionRecord;
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// How a row attacks the element.
enum Via {
    /// A configuration attribute set to a hostile value.
    Attribute(&'static str, &'static str),
    /// The discovery document answered with this body (given the mock's issuer).
    Discovery(fn(&str) -> String),
    /// A forged callback built from the state of a sign-in just started.
    Callback(fn(&str) -> String),
    /// The real callback of a sign-in at the mock, rewritten.
    RealCallback(fn(&str) -> String),
    /// The token endpoint's answer to the real code replaced by this body.
    Token(String),
    /// The token endpoint's ID token with these claims changed, validly signed again.
    Claims(&'static str),
    /// One of the mock's own faults of the token endpoint.
    TokenFault(&'static str),
    /// The JWK Set (fetched, then refetched for the unknown key) turned into this body.
    Jwks(fn(&JsValue) -> String),
    /// A forged callback message to a popup sign-in, from this page or a foreign origin.
    PostMessage { foreign_origin: bool },
}

struct Row {
    name: &'static str,
    via: Via,
    expected: &'static str,
}

fn row(name: &'static str, via: Via, expected: &'static str) -> Row {
    Row {
        name,
        via,
        expected,
    }
}

fn encoded(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

/// A token response carrying `id_token`.
fn with_id_token(id_token: &str) -> String {
    format!(
        r#"{{"access_token":"at","token_type":"Bearer","expires_in":300,"id_token":"{id_token}"}}"#
    )
}

fn b64(bytes: &[u8]) -> String {
    anypoint_signin::protocol::base64url::encode(bytes)
}

/// A token with `header`, claims that do not matter (the header fails first), and
/// `signature` as its last segment.
fn crafted(header: &str, signature: &str) -> String {
    let claims = r#"{"iss":"x","sub":"x","aud":"x","exp":9999999999,"iat":0}"#;
    format!(
        "{}.{}.{signature}",
        b64(header.as_bytes()),
        b64(claims.as_bytes())
    )
}

/// HMAC-SHA256 (RFC 2104) with `key`.
fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut block = [0u8; 64];
    block[..key.len()].copy_from_slice(key);
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

/// Every key of the JWK Set `jwks` with `member` set to `value`.
fn every_key(jwks: &JsValue, member: &str, value: &dyn Fn(&JsValue) -> String) -> String {
    let copy =
        js_sys::JSON::parse(&js_sys::JSON::stringify(jwks).unwrap().as_string().unwrap()).unwrap();
    let keys: js_sys::Array = get(&copy, "keys").unchecked_into();
    for key in keys.iter() {
        let v = value(&key);
        js_sys::Reflect::set(&key, &member.into(), &v.into()).unwrap();
    }
    js_sys::JSON::stringify(&copy).unwrap().as_string().unwrap()
}

fn rows() -> Vec<Row> {
    let hmac_token = {
        let header = b64(br#"{"alg":"HS256","kid":"k"}"#);
        let payload = b64(br#"{"iss":"x","sub":"x","aud":"x","exp":9999999999,"iat":0}"#);
        let input = format!("{header}.{payload}");
        // The provider's public RSA exponent as the secret: RS256/HS256 key confusion.
        format!(
            "{input}.{}",
            b64(&hmac_sha256(b"\x01\x00\x01", input.as_bytes()))
        )
    };
    vec![
        // Attributes.
        row(
            "javascript: redirecturi",
            Via::Attribute("redirecturi", "javascript:alert(1)"),
            "invalid_redirect_uri",
        ),
        row(
            "javascript: logouturl",
            Via::Attribute("logouturl", "javascript:alert(document.cookie)"),
            "invalid_logout_url",
        ),
        row(
            "data: logouturl",
            Via::Attribute("logouturl", "data:text/html,<script>alert(1)</script>"),
            "invalid_logout_url",
        ),
        row(
            "plain http exchangeurl elsewhere",
            Via::Attribute("exchangeurl", "http://evil.example/exchange"),
            "invalid_exchange_url",
        ),
        row(
            "plain http issuer",
            Via::Attribute("issuer", "http://evil.example/oauth2"),
            "invalid_issuer",
        ),
        row(
            "storage local",
            Via::Attribute("storage", "local"),
            "invalid_storage",
        ),
        row(
            "unknown mode",
            Via::Attribute("mode", "iframe"),
            "invalid_mode",
        ),
        // Discovery.
        row(
            "discovery of another issuer",
            Via::Discovery(|_| {
                r#"{"issuer":"https://evil.example","authorization_endpoint":"https://evil.example/a","token_endpoint":"https://evil.example/t"}"#.into()
            }),
            "issuer_mismatch",
        ),
        row(
            "http token endpoint",
            Via::Discovery(|issuer| {
                format!(
                    r#"{{"issuer":"{issuer}","authorization_endpoint":"{issuer}/authorize","token_endpoint":"http://as.example/token"}}"#
                )
            }),
            "invalid_discovery",
        ),
        row(
            "no S256",
            Via::Discovery(|issuer| {
                format!(
                    r#"{{"issuer":"{issuer}","authorization_endpoint":"{issuer}/authorize","token_endpoint":"{issuer}/token","code_challenge_methods_supported":["plain"]}}"#
                )
            }),
            "pkce_not_supported",
        ),
        row(
            "oversized discovery",
            Via::Discovery(|issuer| {
                format!(
                    r#"{{"issuer":"{issuer}","authorization_endpoint":"{issuer}/authorize","token_endpoint":"{issuer}/token","padding":"{}"}}"#,
                    "x".repeat(100_000)
                )
            }),
            "invalid_discovery",
        ),
        row(
            "discovery not JSON",
            Via::Discovery(|_| "<html>404</html>".into()),
            "invalid_discovery",
        ),
        // The callback.
        row(
            "callback without state",
            Via::Callback(|_| "code=abc".into()),
            "missing_state",
        ),
        row(
            "callback with an empty state",
            Via::Callback(|_| "code=abc&state=".into()),
            "missing_state",
        ),
        row(
            "duplicate state",
            Via::Callback(|s| format!("code=abc&state={s}&state={s}")),
            "invalid_callback",
        ),
        row(
            "tampered state",
            Via::Callback(|s| format!("code=abc&state={s}x")),
            "unknown_state",
        ),
        row(
            "foreign state",
            Via::Callback(|_| "code=abc&state=state-of-another-tab".into()),
            "unknown_state",
        ),
        row(
            "both code and error",
            Via::Callback(|s| format!("code=abc&error=access_denied&state={s}")),
            "invalid_callback",
        ),
        row(
            "error from a foreign iss",
            Via::Callback(|s| {
                format!("error=access_denied&state={s}&iss=https%3A%2F%2Fevil.example")
            }),
            "issuer_mismatch",
        ),
        row(
            "error without the promised iss",
            Via::Callback(|s| format!("error=access_denied&state={s}")),
            "issuer_mismatch",
        ),
        row(
            "script in error_description",
            Via::Callback(|s| {
                format!(
                    "error=access_denied&state={s}&iss={}&error_description={}",
                    encoded(&mock_issuer()),
                    encoded("<img src=x onerror=alert(1)><script>alert(2)</script>")
                )
            }),
            "access_denied",
        ),
        row(
            "error outside NQSCHAR",
            Via::Callback(|s| format!("error=a%22b&state={s}")),
            "invalid_callback",
        ),
        row(
            "oversized code",
            Via::Callback(|s| format!("code={}&state={s}", "a".repeat(9000))),
            "invalid_callback",
        ),
        row(
            "oversized state",
            Via::Callback(|_| format!("code=abc&state={}", "a".repeat(9000))),
            "invalid_callback",
        ),
        row(
            "oversized error_description",
            Via::Callback(|s| {
                format!(
                    "error=access_denied&state={s}&error_description={}",
                    "a".repeat(9000)
                )
            }),
            "invalid_callback",
        ),
        row(
            "code from a foreign iss",
            Via::RealCallback(|cb| {
                cb.replace(&encoded(&mock_issuer()), "https%3A%2F%2Fevil.example")
            }),
            "issuer_mismatch",
        ),
        row(
            "forged code",
            Via::RealCallback(|cb| {
                let code = query_param(cb, "code").unwrap();
                cb.replace(&code, "forged-code")
            }),
            "token_error",
        ),
        // The token response.
        row(
            "token response not JSON",
            Via::Token("<html>502 Bad Gateway</html>".into()),
            "invalid_token_response",
        ),
        row(
            "token response a JSON array",
            Via::Token("[1,2]".into()),
            "invalid_token_response",
        ),
        row(
            "no access_token",
            Via::Token(r#"{"token_type":"Bearer"}"#.into()),
            "invalid_token_response",
        ),
        row(
            "no token_type",
            Via::Token(r#"{"access_token":"at"}"#.into()),
            "invalid_token_response",
        ),
        row(
            "token_type MAC",
            Via::Token(r#"{"access_token":"at","token_type":"MAC"}"#.into()),
            "invalid_token_response",
        ),
        row(
            "token_type Bearerx",
            Via::Token(r#"{"access_token":"at","token_type":"Bearerx"}"#.into()),
            "invalid_token_response",
        ),
        row(
            "negative expires_in",
            Via::Token(r#"{"access_token":"at","token_type":"bearer","expires_in":-60}"#.into()),
            "invalid_token_response",
        ),
        row(
            "huge expires_in",
            Via::Token(r#"{"access_token":"at","token_type":"BEARER","expires_in":1e300}"#.into()),
            "invalid_token_response",
        ),
        row(
            "expires_in of a hundred years",
            Via::Token(
                r#"{"access_token":"at","token_type":"Bearer","expires_in":3153600000}"#.into(),
            ),
            "invalid_token_response",
        ),
        row(
            "OAuth error with status 200",
            Via::Token(r#"{"error":"invalid_grant"}"#.into()),
            "token_error",
        ),
        row(
            "no ID token for openid",
            Via::Token(r#"{"access_token":"at","token_type":"Bearer","expires_in":300}"#.into()),
            "invalid_id_token",
        ),
        // The ID token.
        row(
            "alg none",
            Via::Token(with_id_token(&crafted(r#"{"alg":"none"}"#, ""))),
            "invalid_id_token",
        ),
        row(
            "alg none, signed",
            Via::Token(with_id_token(&crafted(r#"{"alg":"none"}"#, "c2ln"))),
            "invalid_id_token",
        ),
        row(
            "HMAC keyed with the public key",
            Via::Token(with_id_token(&hmac_token)),
            "invalid_id_token",
        ),
        row(
            "truncated signature",
            Via::Token(with_id_token(&crafted(r#"{"alg":"RS256"}"#, "c2lnbmF0dXJ"))),
            "invalid_id_token",
        ),
        row(
            "padded base64url",
            Via::Token(with_id_token(&crafted(
                r#"{"alg":"RS256"}"#,
                "c2lnbmF0dXJl==",
            ))),
            "invalid_id_token",
        ),
        row(
            "non-canonical base64url",
            Via::Token(with_id_token(&crafted(
                r#"{"alg":"RS256"}"#,
                "c2lnbmF0dXJlZh",
            ))),
            "invalid_id_token",
        ),
        row(
            "critical header extension",
            Via::Token(with_id_token(&crafted(
                r#"{"alg":"RS256","crit":["b64"]}"#,
                "c2ln",
            ))),
            "invalid_id_token",
        ),
        row(
            "missing kid, bogus signature",
            Via::Token(with_id_token(&crafted(r#"{"alg":"RS256"}"#, "c2ln"))),
            "invalid_id_token",
        ),
        row(
            "unknown kid",
            Via::TokenFault("unknown_kid"),
            "invalid_id_token",
        ),
        row(
            "bad signature",
            Via::TokenFault("bad_signature"),
            "invalid_id_token",
        ),
        row(
            "iss of another issuer",
            Via::Claims(r#"{"iss":"https://evil.example"}"#),
            "invalid_id_token",
        ),
        row("no iss", Via::Claims(r#"{"iss":null}"#), "invalid_id_token"),
        row(
            "aud of another client",
            Via::Claims(r#"{"aud":"another-client","azp":null}"#),
            "invalid_id_token",
        ),
        row(
            "aud a number",
            Via::Claims(r#"{"aud":7}"#),
            "invalid_id_token",
        ),
        row(
            "several aud, no azp",
            Via::Claims(r#"{"aud":["another-client","x"],"azp":null}"#),
            "invalid_id_token",
        ),
        row(
            "azp of another client",
            Via::Claims(r#"{"azp":"another-client"}"#),
            "invalid_id_token",
        ),
        row(
            "exp past",
            Via::Claims(r#"{"exp":1000000000}"#),
            "invalid_id_token",
        ),
        row(
            "exp a string",
            Via::Claims(r#"{"exp":"9999999999"}"#),
            "invalid_id_token",
        ),
        row(
            "iat in the future",
            Via::Claims(r#"{"iat":99999999999}"#),
            "invalid_id_token",
        ),
        row(
            "nonce of another request",
            Via::Claims(r#"{"nonce":"another-nonce"}"#),
            "invalid_id_token",
        ),
        row(
            "no nonce",
            Via::Claims(r#"{"nonce":null}"#),
            "invalid_id_token",
        ),
        row(
            "sub a number",
            Via::Claims(r#"{"sub":42}"#),
            "invalid_id_token",
        ),
        row(
            "sub empty",
            Via::Claims(r#"{"sub":""}"#),
            "invalid_id_token",
        ),
        row(
            "azp a number",
            Via::Claims(r#"{"azp":1}"#),
            "invalid_id_token",
        ),
        row(
            "email a number",
            Via::Claims(r#"{"email":1}"#),
            "invalid_id_token",
        ),
        // The provider's keys.
        row(
            "JWK marked for encryption",
            Via::Jwks(|jwks| every_key(jwks, "use", &|_| "enc".into())),
            "invalid_id_token",
        ),
        row(
            "JWK for another algorithm",
            Via::Jwks(|jwks| {
                every_key(jwks, "alg", &|k| {
                    if get_str(k, "kty").as_deref() == Some("EC") {
                        "ES384".into()
                    } else {
                        "RS384".into()
                    }
                })
            }),
            "invalid_id_token",
        ),
        row(
            "JWKS not JSON",
            Via::Jwks(|_| "<html></html>".into()),
            "invalid_id_token",
        ),
        row(
            "oversized JWKS",
            Via::Jwks(|jwks| every_key(jwks, "padding", &|_| "x".repeat(60_000))),
            "invalid_id_token",
        ),
        // postMessage to a popup sign-in.
        row(
            "callback message from another window",
            Via::PostMessage {
                foreign_origin: false,
            },
            "popup_closed",
        ),
        row(
            "callback message from a foreign origin",
            Via::PostMessage {
                foreign_origin: true,
            },
            "popup_closed",
        ),
    ]
}

/// The error event's detail after `promise` (a method's) settles; asserts that the promise
/// rejected with the same code.
async fn error_of(el: &web_sys::HtmlElement, errors: EventWaiter, promise: JsValue) -> JsValue {
    let rejected = await_promise(promise)
        .await
        .expect_err("the promise rejects");
    let detail = errors.detail().await;
    assert_eq!(get_str(&rejected, "code"), get_str(&detail, "code"));
    assert_eq!(get(el.as_ref(), "signedIn"), JsValue::FALSE);
    detail
}

/// `GET url` as JSON, as the element fetches provider documents (no credentials, no headers).
async fn fetch_json(url: &str) -> JsValue {
    let response: web_sys::Response =
        wasm_bindgen_futures::JsFuture::from(window().fetch_with_str(url))
            .await
            .unwrap()
            .unchecked_into();
    wasm_bindgen_futures::JsFuture::from(response.json().unwrap())
        .await
        .unwrap()
}

async fn real_callback(el: &web_sys::HtmlElement) -> String {
    authorize_as_max(el).await
}

/// Runs `row` with a fresh element for the app `client_id`; returns the error event's detail.
async fn attack(row: &Row, client_id: &str) -> JsValue {
    match &row.via {
        Via::Attribute(name, value) => {
            let (el, errors) = element_listening(
                &[
                    ("clientid", client_id),
                    ("redirecturi", &redirect_uri()),
                    ("issuer", &mock_issuer()),
                    (name, value),
                ],
                "anypoint-signin-error",
            );
            let detail = errors.detail().await;
            assert!(button(&el).disabled(), "a misconfigured button is disabled");
            el.remove();
            detail
        }
        Via::Discovery(body) => {
            plan_fault(
                "discovery",
                "replace",
                &format!(r#","body":{}"#, json_string(&body(&mock_issuer()))),
            )
            .await;
            let el = mock_element(client_id, "openid profile", &[]);
            prevent_navigation(&el);
            let errors = EventWaiter::new(&el, "anypoint-signin-error");
            let detail = error_of(&el, errors, call(el.as_ref(), "signIn", &[])).await;
            el.remove();
            detail
        }
        Via::PostMessage { foreign_origin } => {
            let el = mock_element(client_id, "openid profile", &[("mode", "popup")]);
            let errors = EventWaiter::new(&el, "anypoint-signin-error");
            let redirect = EventWaiter::new(&el, "anypoint-signin-redirect");
            button(&el).click();
            let url = get_str(&redirect.detail().await, "url").unwrap();
            let params = format!("code=forged&state={}", query_param(&url, "state").unwrap());
            let script = format!(
                "parent.postMessage({{type:'anypoint-signin-callback',params:'{params}'}},'*')"
            );
            let frame = document().create_element("iframe").unwrap();
            if *foreign_origin {
                // A data: document has an opaque origin of its own.
                let src = format!("data:text/html,<script>{}</script>", encoded(&script));
                frame.set_attribute("src", &src).unwrap();
                document().body().unwrap().append_child(&frame).unwrap();
            } else {
                let message = js_sys::Object::new();
                js_sys::Reflect::set(&message, &"type".into(), &"anypoint-signin-callback".into())
                    .unwrap();
                js_sys::Reflect::set(&message, &"params".into(), &params.into()).unwrap();
                window().post_message(&message, &origin()).unwrap();
            }
            sleep(300).await;
            frame.remove();
            assert_eq!(
                get(el.as_ref(), "signedIn"),
                JsValue::FALSE,
                "the forged code is ignored"
            );
            let popup = window()
                .open_with_url_and_target("", "anypoint-signin-popup")
                .unwrap()
                .expect("the popup is open");
            popup.close().unwrap();
            let detail = errors.detail().await;
            el.remove();
            detail
        }
        via => {
            let el = mock_element(client_id, "openid profile", &[]);
            let callback = match via {
                Via::Callback(params) => {
                    let url = click_and_capture_authorize_url(&el).await;
                    let state = query_param(&url, "state").unwrap();
                    format!("{}?{}", redirect_uri(), params(&state))
                }
                Via::RealCallback(rewrite) => rewrite(&real_callback(&el).await),
                Via::Token(body) => {
                    let callback = real_callback(&el).await;
                    plan_fault(
                        "token",
                        "replace",
                        &format!(r#","body":{}"#, json_string(body)),
                    )
                    .await;
                    callback
                }
                Via::Claims(claims) => {
                    let callback = real_callback(&el).await;
                    plan_fault("token", "claims", &format!(r#","claims":{claims}"#)).await;
                    callback
                }
                Via::TokenFault(kind) => {
                    let callback = real_callback(&el).await;
                    inject_fault("token", kind, 1).await;
                    callback
                }
                Via::Jwks(body) => {
                    let callback = real_callback(&el).await;
                    let jwks = fetch_json(&format!("{}/jwks", mock_issuer())).await;
                    let body = json_string(&body(&jwks));
                    plan_fault("jwks", "replace", &format!(r#","body":{body},"count":2"#)).await;
                    callback
                }
                _ => unreachable!("handled above"),
            };
            let errors = EventWaiter::new(&el, "anypoint-signin-error");
            let promise = call(el.as_ref(), "handleRedirectCallback", &[callback.into()]);
            let detail = error_of(&el, errors, promise).await;
            assert!(!button(&el).disabled(), "the user can try again");
            let shadow_root = el.shadow_root().unwrap();
            assert!(
                shadow_root.query_selector("script, img").unwrap().is_none(),
                "text from the callback is never markup"
            );
            el.remove();
            detail
        }
    }
}

#[wasm_bindgen_test]
async fn every_attack_fails_with_its_code_and_leaves_nothing_behind() {
    let rows = rows();
    assert!(rows.len() >= 40, "{} rows", rows.len());
    let client_id = register_public_app(&["openid", "profile", "email", "offline_access"]).await;
    let page = window().location().href().unwrap();
    for row in &rows {
        console_log!("hostile input: {}", row.name);
        clear_faults().await;
        anypoint_signin::browser::forget_caches();
        let detail = attack(row, &client_id).await;
        let code = get_str(&detail, "code").unwrap_or_default();
        assert_eq!(
            code,
            row.expected,
            "{}: {:?}",
            row.name,
            get_str(&detail, "description")
        );
        assert!(
            !get_str(&detail, "description")
                .unwrap_or_default()
                .is_empty(),
            "{}",
            row.name
        );
        assert!(
            session_storage()
                .get_item(&SessionRecord::storage_key(&client_id))
                .unwrap()
                .is_none(),
            "{}: nothing stored",
            row.name
        );
        assert_eq!(
            window().location().href().unwrap(),
            page,
            "{}: no navigation",
            row.name
        );
    }
    clear_faults().await;
}
