//! The flows as tables: inputs in, the exact effects out.

use super::*;
use crate::protocol::base64url::encode;
use crate::protocol::test_support::{SerdeJson, jwt};
use crate::protocol::{Notice, SessionRecord, Transaction};
use io::RESOLVED_EXCHANGE_URL;

const ISSUER: &str = "https://as.example/oauth2";
const PAGE: &str = "https://app.example/signed-in";
const NOW_MS: u64 = 1_700_000_000_000;
const DISCOVERY_URL: &str = "https://as.example/oauth2/.well-known/openid-configuration";
const JWKS_URI: &str = "https://as.example/oauth2/jwks";
const TOKEN_URL: &str = "https://as.example/oauth2/token";
const USERINFO_URL: &str = "https://as.example/oauth2/userinfo";

fn discovery() -> String {
    serde_json::json!({
        "issuer": ISSUER,
        "authorization_endpoint": "https://as.example/oauth2/authorize",
        "token_endpoint": TOKEN_URL,
        "userinfo_endpoint": USERINFO_URL,
        "jwks_uri": JWKS_URI,
        "code_challenge_methods_supported": ["S256"],
    })
    .to_string()
}

fn jwks(kid: &str) -> String {
    serde_json::json!({"keys": [{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": "AQAB", "e": "AQAB"}]})
        .to_string()
}

/// The pending sign-in a click would have kept, with state `state`.
fn transaction(state: &str, scopes: &str) -> Transaction {
    Transaction {
        state: crate::protocol::State::new(state.into()),
        nonce: crate::protocol::Nonce::new("n-1".into()),
        verifier: crate::protocol::PkceVerifier::from_random(&[7; 32]),
        issuer: ISSUER.into(),
        client_id: "app".into(),
        redirect_uri: PAGE.into(),
        scopes: scopes.into(),
        created_at_secs: NOW_MS / 1000 - 30,
    }
}

fn id_token(kid: &str, sub: &str, nonce: &str) -> String {
    let now = NOW_MS / 1000;
    jwt(
        &serde_json::json!({"alg": "RS256", "kid": kid}).to_string(),
        &serde_json::json!({"iss": ISSUER, "sub": sub, "aud": "app", "exp": now + 3600, "iat": now, "nonce": nonce, "name": "Max Mule"})
            .to_string(),
    )
}

fn token_response(id_token: &str) -> String {
    serde_json::json!({"access_token": "at-1", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "rt-1", "id_token": id_token, "scope": "openid profile offline_access"})
        .to_string()
}

fn ok(body: &str) -> Result<HttpResponse<'_>, &'static str> {
    Ok(HttpResponse {
        status: "200",
        body,
    })
}

/// `pairs` as an input carries them.
fn borrowed(pairs: &[(String, String)]) -> StoredItems<'static> {
    StoredItems::from(pairs)
}

/// The random text every input of a [`Page`] gets: 120 bytes counting up, base64url.
fn random() -> Random {
    let mut random = [0; 160];
    random.copy_from_slice(encode(&(0..120).collect::<Vec<u8>>()).as_bytes());
    random
}

/// Characters `from..from + len` of [`random`], as the machine takes its secrets.
fn random_part(from: usize, len: usize) -> String {
    String::from_utf8(random()[from..from + len].to_vec()).unwrap()
}

/// A page with one machine, a clock and a source of random text.
struct Page {
    machine: Machine<SerdeJson>,
    now_ms: u64,
    effects: Vec<Effect>,
}

impl Page {
    fn new(url: &str, stored: Vec<(String, String)>) -> Page {
        let mut page = Page {
            machine: Machine::new(SerdeJson),
            now_ms: NOW_MS,
            effects: Vec::new(),
        };
        page.send(Input::Page {
            url,
            popup: false,
            stored: borrowed(&stored),
        });
        page
    }

    fn send(&mut self, input: Input) -> Vec<Effect> {
        let effects = self.machine.handle(input, self.now_ms, &random());
        self.effects.extend(effects.clone());
        effects
    }

    fn connect(&mut self, attributes: &[(&str, &str)]) -> Vec<Effect> {
        self.send(Input::Connected {
            element: 1,
            attributes: Attributes::from(attributes),
        })
    }

    fn respond(&mut self, ticket: Ticket, result: Result<HttpResponse, &str>) -> Vec<Effect> {
        self.send(Input::Response { ticket, result })
    }

    /// Lets the `anypoint-signin-code` event among `effects` pass (no handler took the
    /// exchange over); returns what follows.
    fn pass_code_event(&mut self, effects: &[Effect]) -> Vec<Effect> {
        let ticket = code_event(effects).unwrap_or_else(|| panic!("no code event in {effects:#?}"));
        self.send(Input::Dispatched {
            ticket,
            cancelled: false,
            responding: false,
        })
    }

    /// Everything stored so far under `key`'s last write.
    fn stored(&self, key: &str) -> Option<Option<String>> {
        self.effects.iter().rev().find_map(|e| match e {
            Effect::Store { key: k, value } if k == key => Some(value.clone()),
            _ => None,
        })
    }
}

const ATTRS: &[(&str, &str)] = &[
    ("clientid", "app"),
    ("issuer", ISSUER),
    ("redirecturi", PAGE),
    ("scopes", "openid profile offline_access"),
];

/// The ticket of the fetch of `url` among `effects`.
fn fetched(effects: &[Effect], url: &str) -> Ticket {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { ticket, url: u, .. } if u == url => Some(*ticket),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fetch of {url} in {effects:#?}"))
}

/// The ticket of the `anypoint-signin-code` event among `effects`, which must stay on the
/// element.
fn code_event(effects: &[Effect]) -> Option<Ticket> {
    effects.iter().find_map(|e| match e {
        Effect::Dispatch {
            event,
            ticket: Some(t),
            ..
        } if event.name == events::CODE => {
            assert!(!event.bubbles && event.cancelable && event.respond);
            Some(*t)
        }
        _ => None,
    })
}

/// Answers the discovery fetch among `effects` and the PKCE digest that follows with
/// `digest`; returns the ticket of the cancelable `anypoint-signin-redirect`.
fn redirect_event(page: &mut Page, effects: &[Effect], digest: [u8; 32]) -> Ticket {
    let digest = &encode(&digest);
    let after = page.respond(fetched(effects, DISCOVERY_URL), ok(&discovery()));
    let Effect::Digest { ticket, .. } = &after[1] else {
        panic!("{after:#?}")
    };
    let after = page.send(Input::Digest {
        ticket: *ticket,
        digest,
    });
    let Effect::Dispatch {
        ticket: Some(t), ..
    } = &after[1]
    else {
        panic!("{after:#?}")
    };
    *t
}

/// The error event among `effects`: its code.
fn error_code(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Dispatch { event, .. } if event.name == events::ERROR => {
            let v: serde_json::Value = serde_json::from_str(&event.detail).unwrap();
            Some(v["code"].as_str().unwrap().to_owned())
        }
        _ => None,
    })
}

/// The message the last view shows under the button, and what it means to the user.
fn shown(effects: &[Effect]) -> Option<(String, Option<Notice>)> {
    effects.iter().rev().find_map(|e| match e {
        Effect::Render {
            view:
                View::SignedOut {
                    message, notice, ..
                }
                | View::SignedIn {
                    message, notice, ..
                },
            ..
        } => Some((message.clone(), *notice)),
        _ => None,
    })
}

fn detail_of(effects: &[Effect], name: &str) -> Option<serde_json::Value> {
    effects.iter().find_map(|e| match e {
        Effect::Dispatch { event, .. } if event.name == name => {
            Some(serde_json::from_str(&event.detail).unwrap())
        }
        _ => None,
    })
}

fn signed_out(busy: bool) -> View {
    View::SignedOut {
        busy,
        unavailable: None,
        message: String::new(),
        notice: None,
    }
}

#[test]
fn a_click_fetches_discovery_hashes_the_verifier_keeps_the_transaction_and_navigates() {
    let mut page = Page::new("https://app.example/", vec![]);
    let connected = page.connect(ATTRS);
    assert_eq!(
        connected,
        vec![Effect::Render {
            element: 1,
            view: signed_out(false)
        }]
    );

    let click = page.send(Input::Click { element: 1 });
    assert_eq!(
        click[0],
        Effect::Render {
            element: 1,
            view: signed_out(true)
        }
    );
    let discovery_ticket = fetched(&click, DISCOVERY_URL);

    let after_discovery = page.respond(discovery_ticket, ok(&discovery()));
    assert!(
        matches!(&after_discovery[0], Effect::Store { key, .. } if key == &[DISCOVERY_PREFIX, ISSUER].concat())
    );
    let Effect::Digest { ticket, data } = &after_discovery[1] else {
        panic!("{after_discovery:#?}")
    };
    // The verifier is the first 43 characters of the random text (RFC 7636 §4.1).
    assert_eq!(data, &random_part(0, 43));

    let after_digest = page.send(Input::Digest {
        ticket: *ticket,
        digest: &encode(&[9; 32]),
    });
    let state = random_part(43, 43);
    let Effect::Store {
        key,
        value: Some(_),
    } = &after_digest[0]
    else {
        panic!("{after_digest:#?}")
    };
    assert_eq!(key, &Transaction::storage_key(&state));
    let Effect::Dispatch {
        event,
        ticket: Some(redirect_ticket),
        ..
    } = &after_digest[1]
    else {
        panic!("{after_digest:#?}")
    };
    assert_eq!(event.name, events::REDIRECT);
    assert!(event.cancelable);
    let url = serde_json::from_str::<serde_json::Value>(&event.detail).unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        url.starts_with("https://as.example/oauth2/authorize?response_type=code&client_id=app")
    );
    assert!(
        url.contains(
            &[
                "code_challenge=",
                &encode(&[9; 32]),
                "&code_challenge_method=S256"
            ]
            .concat()
        )
    );
    assert!(url.contains(&["state=", &state].concat()));

    let navigation = page.send(Input::Dispatched {
        ticket: *redirect_ticket,
        cancelled: false,
        responding: false,
    });
    assert_eq!(navigation, vec![Effect::Navigate { url }]);
    // A second click while the page leaves starts nothing.
    assert_eq!(page.send(Input::Click { element: 1 }), vec![]);
}

#[test]
fn a_cancelled_redirect_stays_on_the_page_and_keeps_the_transaction_for_it() {
    let mut page = Page::new("https://app.example/", vec![]);
    page.connect(ATTRS);
    let click = page.send(Input::Click { element: 1 });
    let t = &redirect_event(&mut page, &click, [1; 32]);
    let cancelled = page.send(Input::Dispatched {
        ticket: *t,
        cancelled: true,
        responding: false,
    });
    assert_eq!(
        cancelled,
        vec![Effect::Render {
            element: 1,
            view: signed_out(false)
        }]
    );
}

#[test]
fn sign_in_failures_before_the_redirect_store_nothing() {
    let another_issuer = discovery().replace(ISSUER, "https://evil.example/oauth2");
    let no_s256 = discovery().replace("\"S256\"", "\"plain\"");
    let cases: [(&str, Result<HttpResponse, &str>, &str); 4] = [
        (
            "network",
            Err("TypeError: Failed to fetch"),
            "discovery_failed",
        ),
        (
            "HTTP 500",
            Ok(HttpResponse {
                status: "500",
                body: "",
            }),
            "discovery_failed",
        ),
        ("another issuer", ok(&another_issuer), "issuer_mismatch"),
        ("no S256", ok(&no_s256), "pkce_not_supported"),
    ];
    for (name, answer, code) in cases {
        let mut page = Page::new("https://app.example/", vec![]);
        page.connect(ATTRS);
        let click = page.send(Input::Click { element: 1 });
        let after = page.respond(fetched(&click, DISCOVERY_URL), answer);
        assert_eq!(error_code(&after).as_deref(), Some(code), "{name}");
        assert!(
            !page.effects.iter().any(|e| matches!(
                e,
                Effect::Store { .. } | Effect::Navigate { .. } | Effect::Digest { .. }
            )),
            "{name}: {:#?}",
            page.effects
        );
        // The button is usable again, with the message under it.
        assert!(
            matches!(
                after
                    .iter()
                    .rev()
                    .find(|e| matches!(e, Effect::Render { .. })),
                Some(Effect::Render {
                    view: View::SignedOut { busy: false, .. },
                    ..
                })
            ),
            "{name}"
        );
    }
}

/// A document as the machine keeps it, fetched `age_ms` ago.
fn kept(age_ms: u64, document: &str) -> String {
    [
        crate::protocol::decimal::decimal(NOW_MS - age_ms),
        " ".into(),
        document.to_owned(),
    ]
    .concat()
}

/// A callback page for the transaction with state `s-1`, with the discovery document kept
/// by the click `age_ms` ago.
fn callback_page(query: &str, age_ms: u64) -> Page {
    let tx = transaction("s-1", "openid profile offline_access");
    let kept_discovery = kept(age_ms, &discovery());
    Page::new(
        &[PAGE, "?", query].concat(),
        vec![
            (Transaction::storage_key("s-1"), tx.to_storage_string()),
            ([DISCOVERY_PREFIX, ISSUER].concat(), kept_discovery),
        ],
    )
}

#[test]
fn the_callback_exchanges_the_code_and_fetches_the_keys_at_once_then_verifies_and_signs_in() {
    let mut page = callback_page(
        "code=c-1&state=s-1&iss=https%3A%2F%2Fas.example%2Foauth2",
        60_000,
    );
    let first = page.connect(ATTRS);
    assert_eq!(first[1], Effect::ReplaceUrl { url: PAGE.into() });
    // The transaction is used once, and the kept discovery document spares a round trip:
    // the token request and the key set go out together.
    assert!(first.contains(&Effect::Store {
        key: Transaction::storage_key("s-1"),
        value: None
    }));
    let keys = fetched(&first, JWKS_URI);
    assert!(
        !first
            .iter()
            .any(|e| matches!(e, Effect::Fetch { url, .. } if url == DISCOVERY_URL))
    );
    let code_detail = detail_of(&first, events::CODE).unwrap();
    assert_eq!(
        (
            code_detail["code"].as_str(),
            code_detail["redirectUri"].as_str()
        ),
        (Some("c-1"), Some(PAGE))
    );
    let exchange = page.pass_code_event(&first);
    let token = fetched(&exchange, TOKEN_URL);
    let Some(Effect::Fetch {
        body: Some(body),
        method: Method::PostForm,
        cookies: false,
        ..
    }) = exchange
        .iter()
        .find(|e| matches!(e, Effect::Fetch { ticket, .. } if *ticket == token))
    else {
        panic!()
    };
    assert!(body.starts_with("grant_type=authorization_code&code=c-1&redirect_uri="));
    assert!(body.contains("code_verifier="));

    let id = id_token("k1", "user-1", "n-1");
    assert_eq!(page.respond(token, ok(&token_response(&id))), vec![]);
    let after_keys = page.respond(keys, ok(&jwks("k1")));
    let Some(Effect::Verify {
        ticket,
        alg: JwsAlg::Rs256,
        data,
        jwk,
        ..
    }) = after_keys
        .iter()
        .find(|e| matches!(e, Effect::Verify { .. }))
    else {
        panic!("{after_keys:#?}")
    };
    assert_eq!(data, id.rsplit_once('.').unwrap().0);
    // The chosen key's JSON text: the runner hands WebCrypto its public members.
    let key: serde_json::Value = serde_json::from_str(jwk).unwrap();
    let set: serde_json::Value = serde_json::from_str(&jwks("k1")).unwrap();
    assert_eq!(key, set["keys"][0]);

    let signed_in = page.send(Input::Verified {
        ticket: *ticket,
        result: Ok(true),
    });
    let kept = page
        .stored(&SessionRecord::storage_key("app"))
        .unwrap()
        .unwrap();
    // Memory mode keeps the refresh token only.
    assert!(kept.contains("rt-1") && !kept.contains("at-1"));
    assert!(signed_in.contains(&Effect::Render {
        element: 1,
        view: View::SignedIn {
            name: "Max Mule".into(),
            message: String::new(),
            notice: None,
        }
    }));
    let userinfo = fetched(&signed_in, USERINFO_URL);
    assert!(
        signed_in
            .iter()
            .any(|e| matches!(e, Effect::Fetch { bearer: Some(t), .. } if t == "at-1"))
    );
    assert!(
        detail_of(&signed_in, events::SUCCESS).is_none(),
        "success waits for the profile"
    );

    let done = page.respond(
        userinfo,
        ok(r#"{"sub":"user-1","given_name":"Max","family_name":"Mule","email":"max@example.com"}"#),
    );
    let success = detail_of(&done, events::SUCCESS).unwrap();
    assert_eq!(success["accessToken"], "at-1");
    assert_eq!(success["user"]["email"], "max@example.com");
    assert_eq!(success["claims"]["sub"], "user-1");
    assert_eq!(success["restored"], false);
    assert_eq!(success["expiresAt"], NOW_MS + 3_600_000);
    assert!(error_code(&page.effects).is_none());
}

/// Runs a callback whose token endpoint answers `token_body` and whose key set is
/// `keys_body`, answering the signature check with `signature`; returns all effects.
fn run_callback(
    query: &str,
    token_body: &str,
    keys_body: &str,
    signature: Result<bool, String>,
) -> Vec<Effect> {
    let mut page = callback_page(query, 60_000);
    let first = page.connect(ATTRS);
    if code_event(&first).is_some() {
        let exchange = page.pass_code_event(&first);
        page.respond(fetched(&exchange, TOKEN_URL), ok(token_body));
    }
    let mut pending: Vec<Ticket> = page
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { ticket, url, .. } if url == JWKS_URI => Some(*ticket),
            _ => None,
        })
        .collect();
    while let Some(t) = pending.pop() {
        let after = page.respond(t, ok(keys_body));
        for e in &after {
            match e {
                Effect::Fetch { ticket, url, .. } if url == JWKS_URI => pending.push(*ticket),
                Effect::Verify { ticket, .. } => {
                    page.send(Input::Verified {
                        ticket: *ticket,
                        result: signature.as_ref().copied().map_err(String::as_str),
                    });
                }
                _ => {}
            }
        }
    }
    page.effects
}

/// A key set that cannot be fetched, or is answered with an HTTP error, rejects the ID
/// token with a sentence naming its address and what befell it, and the network's reason
/// as the cause.
#[test]
fn a_key_set_that_cannot_be_had_says_why() {
    let down = Ok(HttpResponse {
        status: "503",
        body: "down",
    });
    for (answer, what, cause) in [
        (
            Err("TypeError: Failed to fetch"),
            "could not be fetched",
            serde_json::json!("TypeError: Failed to fetch"),
        ),
        (down, "answered HTTP 503", serde_json::Value::Null),
    ] {
        let mut page = callback_page("code=c-1&state=s-1", 60_000);
        let first = page.connect(ATTRS);
        let keys = fetched(&first, JWKS_URI);
        let exchange = page.pass_code_event(&first);
        let id = id_token("k1", "user-1", "n-1");
        page.respond(fetched(&exchange, TOKEN_URL), ok(&token_response(&id)));
        let after = page.respond(keys, answer);
        let error = detail_of(&after, events::ERROR).unwrap_or_else(|| panic!("{after:#?}"));
        assert_eq!(
            error["description"],
            format!("The ID token was rejected: the provider's signing keys at {JWKS_URI} {what}."),
        );
        assert_eq!(error["cause"], cause, "{what}");
    }
}

/// An ES256 token is checked as ES256, with the provider's EC key, and its signature
/// mismatch says so.
#[test]
fn an_es256_id_token_is_verified_with_the_ec_key() {
    let now = NOW_MS / 1000;
    let unsigned = jwt(
        r#"{"alg":"ES256","kid":"e1"}"#,
        &serde_json::json!({"iss": ISSUER, "sub": "user-1", "aud": "app", "exp": now + 3600, "iat": now, "nonce": "n-1"})
            .to_string(),
    );
    let signature = encode(&[5; 64]);
    let id = format!("{}.{signature}", unsigned.rsplit_once('.').unwrap().0);
    let keys = r#"{"keys":[{"kty":"RSA","kid":"r1","n":"AQAB","e":"AQAB"},{"kty":"EC","kid":"e1","crv":"P-256","x":"AA","y":"AQ"}]}"#;
    let effects = run_callback("code=c-1&state=s-1", &token_response(&id), keys, Ok(false));
    let verify = effects
        .iter()
        .find_map(|e| match e {
            Effect::Verify {
                alg,
                jwk,
                signature,
                ..
            } => Some((*alg, jwk.as_str(), signature.as_str())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{effects:#?}"));
    assert_eq!(verify.0, JwsAlg::Es256);
    assert!(verify.1.contains(r#""kid":"e1""#), "{}", verify.1);
    assert_eq!(verify.2, signature);
    assert_eq!(
        detail_of(&effects, events::ERROR).unwrap()["description"],
        "The ID token was rejected: its ES256 signature does not match the provider's key e1."
    );
}

#[test]
fn callback_rejections_store_no_session() {
    let good = token_response(&id_token("k1", "user-1", "n-1"));
    let q = "code=c-1&state=s-1";
    type Case<'a> = (
        &'a str,
        &'a str,
        String,
        String,
        Result<bool, String>,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            "bad signature",
            q,
            good.clone(),
            jwks("k1"),
            Ok(false),
            "invalid_id_token",
        ),
        (
            "key not importable",
            q,
            good.clone(),
            jwks("k1"),
            Err("DataError".into()),
            "invalid_id_token",
        ),
        (
            "unknown kid after refetch",
            q,
            good.clone(),
            jwks("k2"),
            Ok(true),
            "invalid_id_token",
        ),
        (
            "wrong nonce",
            q,
            token_response(&id_token("k1", "user-1", "other")),
            jwks("k1"),
            Ok(true),
            "invalid_id_token",
        ),
        (
            "token error",
            q,
            r#"{"error":"invalid_grant"}"#.into(),
            jwks("k1"),
            Ok(true),
            "token_error",
        ),
        (
            "not JSON",
            q,
            "<html>".into(),
            jwks("k1"),
            Ok(true),
            "invalid_token_response",
        ),
        (
            "unknown state",
            "code=c-1&state=s-2",
            good.clone(),
            jwks("k1"),
            Ok(true),
            "unknown_state",
        ),
        (
            "foreign iss",
            "code=c-1&state=s-1&iss=https%3A%2F%2Fevil.example",
            good.clone(),
            jwks("k1"),
            Ok(true),
            "issuer_mismatch",
        ),
        (
            "error from a foreign iss",
            "error=access_denied&state=s-1&iss=https%3A%2F%2Fevil.example",
            good.clone(),
            jwks("k1"),
            Ok(true),
            "issuer_mismatch",
        ),
        (
            "provider error",
            "error=access_denied&state=s-1",
            good.clone(),
            jwks("k1"),
            Ok(true),
            "access_denied",
        ),
        (
            "both code and error",
            "code=c&error=x&state=s-1",
            good.clone(),
            jwks("k1"),
            Ok(true),
            "invalid_callback",
        ),
        (
            "error without state",
            "error=access_denied",
            good.clone(),
            jwks("k1"),
            Ok(true),
            "missing_state",
        ),
    ];
    // An error response without state cannot be matched to the sign-in, and says so.
    let effects = run_callback("error=access_denied", &good, &jwks("k1"), Ok(true));
    assert_eq!(
        detail_of(&effects, events::ERROR).unwrap()["description"],
        "The authorization server's answer has no state parameter, so it cannot be matched to a sign-in started here."
    );
    // A signature that does not match names the algorithm and the key it was checked with.
    let effects = run_callback(q, &good, &jwks("k1"), Ok(false));
    assert_eq!(
        detail_of(&effects, events::ERROR).unwrap()["description"],
        "The ID token was rejected: its RS256 signature does not match the provider's key k1."
    );
    for (name, query, token, keys, signature, code) in cases {
        let effects = run_callback(query, &token, &keys, signature);
        assert_eq!(
            error_code(&effects).as_deref(),
            Some(code),
            "{name}: {effects:#?}"
        );
        // The error's sentence under the button, with what it means to the user.
        let detail = detail_of(&effects, events::ERROR).unwrap();
        let wanted = match code {
            "access_denied" => Notice::Denied,
            _ => Notice::Failed,
        };
        assert_eq!(
            shown(&effects),
            Some((detail["description"].as_str().unwrap().into(), Some(wanted))),
            "{name}"
        );
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::Store { key, value: Some(_) } if key.starts_with(crate::protocol::SESSION_PREFIX))),
            "{name}: a session was stored"
        );
        assert!(detail_of(&effects, events::SUCCESS).is_none(), "{name}");
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::Navigate { .. })),
            "{name}"
        );
    }
}

#[test]
fn an_unknown_kid_in_a_kept_key_set_fetches_the_set_once_more() {
    let id = id_token("k2", "user-1", "n-1");
    let mut page = callback_page("code=c-1&state=s-1", 60_000);
    page.machine.handle(
        Input::Page {
            url: &[PAGE, "?code=c-1&state=s-1"].concat(),
            popup: false,
            stored: borrowed(&[
                (
                    Transaction::storage_key("s-1"),
                    transaction("s-1", "openid").to_storage_string(),
                ),
                ([DISCOVERY_PREFIX, ISSUER].concat(), kept(0, &discovery())),
                ([KEYS_PREFIX, JWKS_URI].concat(), kept(0, &jwks("k1"))),
            ]),
        },
        NOW_MS,
        &[0; 160],
    );
    let first = page.connect(ATTRS);
    assert!(
        !first
            .iter()
            .any(|e| matches!(e, Effect::Fetch { url, .. } if url == JWKS_URI)),
        "the kept set is used"
    );
    let exchange = page.pass_code_event(&first);
    let refetch = page.respond(fetched(&exchange, TOKEN_URL), ok(&token_response(&id)));
    let again = fetched(&refetch, JWKS_URI);
    let after = page.respond(again, ok(&jwks("k2")));
    assert!(after.iter().any(|e| matches!(e, Effect::Verify { .. })));
}

#[test]
fn discovery_kept_too_long_is_fetched_again() {
    let mut page = callback_page("code=c-1&state=s-1", DOCUMENT_TTL_MS + 1);
    let first = page.connect(ATTRS);
    fetched(&first, DISCOVERY_URL);
    assert!(
        !first
            .iter()
            .any(|e| matches!(e, Effect::Fetch { url, .. } if url == TOKEN_URL))
    );
}

#[test]
fn another_users_profile_is_not_shown_and_says_why() {
    let (mut page, signed_in) = signed_in_with(&[]);
    let done = page.respond(
        fetched(&signed_in, USERINFO_URL),
        ok(r#"{"sub":"user-2","name":"Eve"}"#),
    );
    let success = detail_of(&done, events::SUCCESS).unwrap();
    assert_eq!(
        success["user"]["sub"], "user-1",
        "the claims stand in for the profile"
    );
    assert_eq!(error_code(&done).as_deref(), Some("profile_failed"));
    assert_eq!(page.machine.session().unwrap().display_name, "Max Mule");
}

#[test]
fn anypoint_me_gives_its_user_object() {
    let (mut page, signed_in) = signed_in_with(&[("profile", "me")]);
    let me = fetched(&signed_in, "https://as.example/accounts/api/me");
    // Brackets and quotes inside strings, nested objects, and a member of the same name
    // elsewhere: the `user` detail is the top-level `user` object, whole.
    let user = r#"{"id":"user-1","username":"max","firstName":"Max","lastName":"Mule","s":"}\"{","organization":{"id":"o","name":"Mule Corp","user":2},"t":[{}]}"#;
    let body = format!(
        r#" {{ "x" : "a\"}}user", "a":[1,{{"user":2}}], "user" : {user} , "access":"x"}} "#
    );
    let done = page.respond(me, ok(&body));
    let success = detail_of(&done, events::SUCCESS).unwrap();
    let want: serde_json::Value = serde_json::from_str(user).unwrap();
    assert_eq!(success["user"], want);
    assert!(error_code(&page.effects).is_none());
    assert_eq!(page.machine.session().unwrap().display_name, "Max Mule");
}

#[test]
fn a_profile_that_cannot_be_used_says_why() {
    let too_deep = format!(r#"{{"sub":{}1{}}}"#, "[".repeat(16), "]".repeat(16));
    for (profile, body, cause) in [
        ("userinfo", "<html>", "not JSON"),
        ("userinfo", too_deep.as_str(), "not JSON"),
        ("userinfo", r#"["user-1"]"#, "(no subject)"),
        ("userinfo", r#"{"sub":1,"id":"user-1"}"#, "(no subject)"),
        ("me", r#"{"user":"user-1"}"#, "no user object"),
        ("me", r#"{"id":"user-1","sub":"user-1"}"#, "no user object"),
        ("me", r#"[{"user":{"id":"user-1"}}]"#, "no user object"),
        ("me", r#"{"user":[{"id":"user-1"}]}"#, "no user object"),
        ("me", r#"{"user":{"sub":"user-1"}}"#, "(no subject)"),
        ("me", r#"{"user":{"id":"user-2"},"id":"user-1"}"#, "user-2"),
    ] {
        let (mut page, signed_in) = signed_in_with(&[("profile", profile)]);
        let url = if profile == "me" {
            "https://as.example/accounts/api/me"
        } else {
            USERINFO_URL
        };
        let done = page.respond(fetched(&signed_in, url), ok(body));
        let error = detail_of(&done, events::ERROR).unwrap();
        assert_eq!(error["code"], "profile_failed", "{body}");
        assert_eq!(error["cause"], cause, "{body}");
        // Signed in all the same, with the name the ID token gives.
        let success = detail_of(&done, events::SUCCESS).unwrap();
        assert_eq!(success["user"]["sub"], "user-1", "{body}");
        assert_eq!(page.machine.session().unwrap().display_name, "Max Mule");
    }
}

#[test]
fn a_fresh_kept_session_is_restored_without_a_request() {
    let record = SessionRecord {
        issuer: ISSUER.into(),
        client_id: "app".into(),
        subject: Some("user-1".into()),
        generation: "g".into(),
        scope: Some("openid".into()),
        refresh_token: None,
        access_token: Some(crate::protocol::AccessToken::new("at-9".into())),
        token_type: "Bearer".into(),
        expires_at_ms: NOW_MS + 600_000,
        id_token: Some(crate::protocol::IdToken::new(id_token(
            "k1", "user-1", "n-1",
        ))),
    };
    let mut page = Page::new(
        "https://app.example/other",
        vec![(
            SessionRecord::storage_key("app"),
            record.to_storage_string(),
        )],
    );
    let attrs: Vec<(&str, &str)> = ATTRS
        .iter()
        .copied()
        .chain([("profile", "none"), ("storage", "session")])
        .collect();
    let effects = page.connect(&attrs);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Fetch { .. })));
    let success = detail_of(&effects, events::SUCCESS).unwrap();
    assert_eq!(success["restored"], true);
    assert_eq!(success["accessToken"], "at-9");
}

#[test]
fn a_configuration_error_is_announced_once_and_disables_the_button() {
    let mut page = Page::new("https://app.example/", vec![]);
    let first = page.connect(&[("clientid", "app"), ("profile", "ldap")]);
    assert_eq!(error_code(&first).as_deref(), Some("profile_failed"));
    assert!(matches!(
        &first[0],
        Effect::Render {
            view: View::SignedOut {
                unavailable: Some(_),
                notice: Some(Notice::Setup),
                ..
            },
            ..
        }
    ));
    let again = page.send(Input::AttributesChanged {
        element: 1,
        attributes: Attributes::from(
            &[
                ("clientid", "app"),
                ("profile", "ldap"),
                ("scopes", "openid"),
            ][..],
        ),
    });
    assert_eq!(error_code(&again), None);
    let click = page.send(Input::Click { element: 1 });
    assert_eq!(error_code(&click).as_deref(), Some("profile_failed"));
    assert!(!click.iter().any(|e| matches!(e, Effect::Fetch { .. })));
}

#[test]
fn the_code_goes_to_the_apps_backend_with_its_cookies() {
    let mut page = callback_page("code=c-1&state=s-1", 0);
    let attrs: Vec<(&str, &str)> = ATTRS
        .iter()
        .copied()
        .chain([
            ("exchangeurl", "/api/token"),
            (RESOLVED_EXCHANGE_URL, "https://app.example/api/token"),
        ])
        .collect();
    let first = page.connect(&attrs);
    let exchange = page.pass_code_event(&first);
    let Some(Effect::Fetch {
        ticket,
        method: Method::PostJson,
        url,
        body: Some(body),
        cookies: true,
        ..
    }) = exchange.first()
    else {
        panic!("{exchange:#?}")
    };
    assert_eq!(
        url, "https://app.example/api/token",
        "as the runner resolved it"
    );
    let sent: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        (sent["code"].as_str(), sent["redirect_uri"].as_str()),
        (Some("c-1"), Some(PAGE))
    );
    assert!(
        sent["code_verifier"]
            .as_str()
            .is_some_and(|v| v.len() == 43)
    );
    let down = page.respond(*ticket, Err("TypeError: Failed to fetch"));
    assert_eq!(error_code(&down).as_deref(), Some("exchange_failed"));
}

#[test]
fn the_pages_code_handler_can_take_the_exchange_over() {
    let mut page = callback_page("code=c-1&state=s-1", 0);
    let first = page.connect(ATTRS);
    let ticket = code_event(&first).unwrap();
    let taken = page.send(Input::Dispatched {
        ticket,
        cancelled: true,
        responding: true,
    });
    assert_eq!(taken, vec![], "no token request of its own");
    let id = id_token("k1", "user-1", "n-1");
    page.send(Input::Responded {
        ticket,
        result: Ok(&token_response(&id)),
    });
    let after_keys = page.respond(fetched(&first, JWKS_URI), ok(&jwks("k1")));
    assert!(
        after_keys
            .iter()
            .any(|e| matches!(e, Effect::Verify { .. }))
    );
}

#[test]
fn a_code_handler_that_cancels_or_fails_is_reported() {
    let mut page = callback_page("code=c-1&state=s-1", 0);
    let first = page.connect(ATTRS);
    let ticket = code_event(&first).unwrap();
    let cancelled = page.send(Input::Dispatched {
        ticket,
        cancelled: true,
        responding: false,
    });
    assert_eq!(error_code(&cancelled).as_deref(), Some("exchange_failed"));

    let mut page = callback_page("code=c-1&state=s-1", 0);
    let first = page.connect(ATTRS);
    let ticket = code_event(&first).unwrap();
    page.send(Input::Dispatched {
        ticket,
        cancelled: false,
        responding: true,
    });
    let rejected = page.send(Input::Responded {
        ticket,
        result: Err("backend said no"),
    });
    assert_eq!(error_code(&rejected).as_deref(), Some("exchange_failed"));
    assert!(
        !page
            .effects
            .iter()
            .any(|e| matches!(e, Effect::Fetch { url, .. } if url == TOKEN_URL))
    );
}

const POPUP_ATTRS: &[(&str, &str)] = &[
    ("clientid", "app"),
    ("issuer", ISSUER),
    ("redirecturi", PAGE),
    ("scopes", "openid"),
    ("mode", "popup"),
];

/// Clicks a popup-mode element and lets the popup open (or not); returns the popup's
/// ticket and the effects of the click.
fn popup_click(page: &mut Page, attrs: &[(&str, &str)], opened: bool) -> (Ticket, Vec<Effect>) {
    page.connect(attrs);
    let click = page.send(Input::Click { element: 1 });
    let Effect::OpenPopup { ticket } = click[0] else {
        panic!("the popup must open first, inside the click: {click:#?}")
    };
    let mut effects = click.clone();
    effects.extend(page.send(Input::PopupOpened { ticket, opened }));
    (ticket, effects)
}

/// Runs a popup sign-in up to the popup showing the authorization server; returns the
/// popup's ticket, the timer's ticket and the transaction's state.
fn popup_showing(page: &mut Page) -> (Ticket, Ticket, String) {
    let (popup, click) = popup_click(page, POPUP_ATTRS, true);
    let t = &redirect_event(page, &click, [2; 32]);
    let shown = page.send(Input::Dispatched {
        ticket: *t,
        cancelled: false,
        responding: false,
    });
    let Effect::ShowInPopup { ticket, origin, .. } = &shown[0] else {
        panic!("{shown:#?}")
    };
    assert_eq!((*ticket, origin.as_str()), (popup, "https://app.example"));
    let Effect::StartTimer { ticket: timer, ms } = shown[1] else {
        panic!()
    };
    assert_eq!(ms, 600_000);
    (popup, timer, random_part(43, 43))
}

#[test]
fn a_popup_sign_in_completes_in_the_opener() {
    let mut page = Page::new("https://app.example/", vec![]);
    let (popup, timer, state) = popup_showing(&mut page);
    let answered = page.send(Input::PopupAnswered {
        ticket: popup,
        params: Some(&["code=c-9&state=", &state].concat()),
    });
    assert_eq!(answered[0], Effect::StopTimer { ticket: timer });
    assert!(
        !answered
            .iter()
            .any(|e| matches!(e, Effect::ReplaceUrl { .. })),
        "the opener's address bar is not the callback"
    );
    assert!(code_event(&answered).is_some());
    // A late timer changes nothing.
    assert_eq!(page.send(Input::Timer { ticket: timer }), vec![]);
}

#[test]
fn popup_failures_close_it_and_drop_the_transaction() {
    for (name, code) in [("closed", "popup_closed"), ("timeout", "popup_timeout")] {
        let mut page = Page::new("https://app.example/", vec![]);
        let (popup, timer, state) = popup_showing(&mut page);
        let after = match name {
            "closed" => page.send(Input::PopupAnswered {
                ticket: popup,
                params: None,
            }),
            _ => page.send(Input::Timer { ticket: timer }),
        };
        assert_eq!(error_code(&after).as_deref(), Some(code), "{name}");
        assert!(
            after.contains(&Effect::ClosePopup { ticket: popup }),
            "{name}"
        );
        assert!(
            after.contains(&Effect::Store {
                key: Transaction::storage_key(&state),
                value: None
            }),
            "{name}"
        );
    }
}

#[test]
fn a_blocked_popup_is_reported_or_falls_back_to_a_redirect() {
    let mut page = Page::new("https://app.example/", vec![]);
    let (_, effects) = popup_click(&mut page, POPUP_ATTRS, false);
    assert_eq!(error_code(&effects).as_deref(), Some("popup_blocked"));
    assert_eq!(shown(&effects).unwrap().1, Some(Notice::Blocked));

    let mut page = Page::new("https://app.example/", vec![]);
    let attrs: Vec<(&str, &str)> = POPUP_ATTRS
        .iter()
        .copied()
        .chain([("popupfallback", "redirect")])
        .collect();
    let (_, effects) = popup_click(&mut page, &attrs, false);
    assert_eq!(error_code(&effects), None);
    let t = &redirect_event(&mut page, &effects, [2; 32]);
    let gone = page.send(Input::Dispatched {
        ticket: *t,
        cancelled: false,
        responding: false,
    });
    assert!(matches!(&gone[0], Effect::Navigate { .. }));
}

#[test]
fn the_redirect_page_in_the_popup_hands_the_callback_to_its_opener() {
    let mut page = Page::new(&[PAGE, "?code=c-1&state=s-1"].concat(), vec![]);
    page.machine.handle(
        Input::Page {
            url: &[PAGE, "?code=c-1&state=s-1"].concat(),
            popup: true,
            stored: StoredItems::default(),
        },
        NOW_MS,
        &[0; 160],
    );
    let effects = page.connect(POPUP_ATTRS);
    assert!(effects.contains(&Effect::AnswerOpener {
        params: "code=c-1&state=s-1".into()
    }));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::Fetch { .. } | Effect::Store { .. }))
    );
}

/// A callback page signed in (memory storage, the default profile unless `extra` says,
/// then the `extra` attributes); returns it with the effects of the last step, the
/// signature check's answer.
fn signed_in_with(extra: &[(&'static str, &'static str)]) -> (Page, Vec<Effect>) {
    let mut page = callback_page("code=c-1&state=s-1", 0);
    let attrs: Vec<(&str, &str)> = ATTRS.iter().copied().chain(extra.iter().copied()).collect();
    let first = page.connect(&attrs);
    let exchange = page.pass_code_event(&first);
    page.respond(
        fetched(&exchange, TOKEN_URL),
        ok(&token_response(&id_token("k1", "user-1", "n-1"))),
    );
    let after = page.respond(fetched(&first, JWKS_URI), ok(&jwks("k1")));
    let Some(Effect::Verify { ticket, .. }) =
        after.iter().find(|e| matches!(e, Effect::Verify { .. }))
    else {
        panic!("{after:#?}")
    };
    let done = page.send(Input::Verified {
        ticket: *ticket,
        result: Ok(true),
    });
    (page, done)
}

/// A page signed in through a callback (profile `none`, memory storage), with its effects
/// cleared.
fn signed_in_page() -> Page {
    let (mut page, done) = signed_in_with(&[("profile", "none")]);
    assert!(detail_of(&done, events::SUCCESS).is_some());
    assert!(done.contains(&Effect::Listen {
        channel: crate::protocol::channel_name(ISSUER, "app")
    }));
    page.effects.clear();
    page
}

/// The session's renewal timer among `effects`.
fn timer(effects: &[Effect]) -> (Ticket, u64) {
    effects
        .iter()
        .rev()
        .find_map(|e| match e {
            Effect::StartTimer { ticket, ms } => Some((*ticket, *ms)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no timer in {effects:#?}"))
}

/// Renews through the lock: the timer fires, the lock is granted; returns the token
/// request's ticket.
fn renewal_sent(page: &mut Page, timer_ticket: Ticket) -> (Ticket, Ticket) {
    let locked = page.send(Input::Timer {
        ticket: timer_ticket,
    });
    let Some(Effect::Lock { ticket: lock, name }) = locked.first() else {
        panic!("{locked:#?}")
    };
    assert_eq!(name, "anypoint-signin:refresh:app");
    let lock = *lock;
    let sent = page.send(Input::LockGranted {
        ticket: lock,
        stored: StoredItems::default(),
    });
    let Some(Effect::Fetch {
        ticket,
        body: Some(body),
        ..
    }) = sent.first()
    else {
        panic!("{sent:#?}")
    };
    assert!(body.starts_with("grant_type=refresh_token&refresh_token=rt-1&client_id=app"));
    (*ticket, lock)
}

#[test]
fn the_token_is_renewed_a_minute_before_expiry_and_shared_with_the_other_tabs() {
    let (mut page, done) = signed_in_with(&[("profile", "none")]);
    let (renew_at, ms) = timer(&done);
    assert_eq!(ms, 3_600_000 - 60_000);

    page.now_ms += ms;
    let (request, lock) = renewal_sent(&mut page, renew_at);
    // A refresh without an ID token keeps the old one; the refresh token rotates.
    let renewed = page.respond(request, ok(r#"{"access_token":"at-2","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-2"}"#));
    let Some(Effect::Broadcast {
        channel,
        kind,
        previous,
        record,
    }) = renewed
        .iter()
        .find(|e| matches!(e, Effect::Broadcast { .. }))
    else {
        panic!("{renewed:#?}")
    };
    assert_eq!(channel, &crate::protocol::channel_name(ISSUER, "app"));
    assert_eq!(kind, "refreshed");
    let shared = SessionRecord::from_storage_string(record).unwrap();
    assert_eq!(
        (
            shared.access_token.as_ref().map(|t| t.secret()),
            shared.refresh_token.as_ref().map(|t| t.secret())
        ),
        (Some("at-2"), Some("rt-2"))
    );
    // The generation the other tabs knew the session by (the tests' randomness is the same
    // for every input, so the new one reads the same).
    assert_eq!(previous, &random_part(129, 22));
    let refreshed = detail_of(&renewed, events::TOKEN_REFRESHED).unwrap();
    assert_eq!(refreshed["accessToken"], "at-2");
    assert!(
        page.stored(&SessionRecord::storage_key("app"))
            .unwrap()
            .unwrap()
            .contains("rt-2")
    );
    // The lock is held a moment longer, so the others hear of the new token first.
    assert!(!renewed.contains(&Effect::Unlock { ticket: lock }));
    let (grace, grace_ms) = renewed
        .iter()
        .find_map(|e| match e {
            Effect::StartTimer { ticket, ms } if *ms == ADOPTION_GRACE_MS => Some((*ticket, *ms)),
            _ => None,
        })
        .unwrap();
    assert_eq!(grace_ms, 150);
    assert_eq!(
        page.send(Input::Timer { ticket: grace }),
        vec![Effect::Unlock { ticket: lock }]
    );
}

/// At the lock, a refresh token kept in storage (a frame of this tab may have rotated it)
/// is spent only when the kept record is this session's: same issuer, client and user.
#[test]
fn only_a_kept_record_of_the_same_session_lends_its_refresh_token() {
    for (field, spent) in [
        ("", "rt-9"),
        ("issuer", "rt-1"),
        ("client_id", "rt-1"),
        ("subject", "rt-1"),
    ] {
        let mut page = signed_in_page();
        let mut kept = page.machine.session().unwrap().record.clone();
        kept.refresh_token = Some(crate::protocol::RefreshToken::new("rt-9".into()));
        match field {
            "issuer" => kept.issuer = "https://evil.example".into(),
            "client_id" => kept.client_id = "other".into(),
            "subject" => kept.subject = Some("someone-else".into()),
            _ => {}
        }
        page.now_ms += 3_600_000;
        let asked = page.send(Input::GetAccessToken {
            element: 1,
            call: 8,
        });
        let Some(Effect::Lock { ticket: lock, .. }) = asked.first() else {
            panic!("{asked:#?}")
        };
        let sent = page.send(Input::LockGranted {
            ticket: *lock,
            stored: borrowed(&[(SessionRecord::storage_key("app"), kept.to_storage_string())]),
        });
        let Some(Effect::Fetch {
            body: Some(body), ..
        }) = sent.first()
        else {
            panic!("{sent:#?}")
        };
        let expected = ["grant_type=refresh_token&refresh_token=", spent, "&"].concat();
        assert!(body.starts_with(&expected), "{field}: {body}");
    }
}

#[test]
fn renewal_failures_back_off_or_end_the_session() {
    // The network is down: retried after 2 s, then 4 s.
    let mut page2 = signed_in_page();
    page2.now_ms += 3_600_000;
    let timer_ticket = page2.machine.session_timer_for_tests();
    let (request, lock) = renewal_sent(&mut page2, timer_ticket);
    let failed = page2.respond(request, Err("TypeError: Failed to fetch"));
    assert!(failed.contains(&Effect::Unlock { ticket: lock }));
    assert_eq!(timer(&failed).1, 2_000);
    assert_eq!(
        error_code(&failed),
        None,
        "a passing outage is not announced"
    );
    let (request, _) = renewal_sent(&mut page2, timer(&failed).0);
    let failed = page2.respond(request, Err("offline"));
    assert_eq!(timer(&failed).1, 4_000);

    // A refused refresh token ends the session.
    let (request, _) = renewal_sent(&mut page2, timer(&failed).0);
    let ended = page2.respond(
        request,
        Ok(HttpResponse {
            status: "400",
            body: r#"{"error":"invalid_grant"}"#,
        }),
    );
    assert_eq!(error_code(&ended).as_deref(), Some("session_expired"));
    assert!(ended.contains(&Effect::Store {
        key: SessionRecord::storage_key("app"),
        value: None
    }));
    assert!(!page2.machine.signed_in());
}

#[test]
fn get_access_token_answers_at_once_or_after_a_renewal() {
    let mut page = signed_in_page();
    let fresh = page.send(Input::GetAccessToken {
        element: 1,
        call: 7,
    });
    assert_eq!(
        fresh,
        vec![Effect::Settle {
            call: 7,
            outcome: Ok(Some("\"at-1\"".into()))
        }]
    );

    page.now_ms += 3_590_000;
    let asked = page.send(Input::GetAccessToken {
        element: 1,
        call: 8,
    });
    let Some(Effect::Lock { ticket: lock, .. }) = asked.first() else {
        panic!("{asked:#?}")
    };
    // A second caller joins the same renewal.
    assert_eq!(
        page.send(Input::GetAccessToken {
            element: 1,
            call: 9
        }),
        vec![]
    );
    let sent = page.send(Input::LockGranted {
        ticket: *lock,
        stored: StoredItems::default(),
    });
    let Some(Effect::Fetch { ticket, .. }) = sent.first() else {
        panic!()
    };
    let renewed = page.respond(
        *ticket,
        ok(r#"{"access_token":"at-2","token_type":"Bearer","expires_in":3600}"#),
    );
    for call in [8, 9] {
        assert!(
            renewed.contains(&Effect::Settle {
                call,
                outcome: Ok(Some("\"at-2\"".into()))
            }),
            "{call}"
        );
    }

    let mut nobody = Page::new("https://app.example/", vec![]);
    nobody.connect(ATTRS);
    let refused = nobody.send(Input::GetAccessToken {
        element: 1,
        call: 1,
    });
    assert_eq!(error_code(&refused).as_deref(), Some("not_signed_in"));
    assert!(
        matches!(refused.last(), Some(Effect::Settle { outcome: Err(e), .. }) if e.code == crate::protocol::ErrorCode::NotSignedIn)
    );
}

#[test]
fn a_renewal_by_another_tab_is_adopted_and_spares_the_lock_holder_a_request() {
    let mut page = signed_in_page();
    page.now_ms += 3_590_000;
    let asked = page.send(Input::GetAccessToken {
        element: 1,
        call: 8,
    });
    let Some(Effect::Lock { ticket: lock, .. }) = asked.first() else {
        panic!()
    };
    // Another tab renewed and shared it while this one waited for the lock.
    let old = page.machine.session().unwrap().record.clone();
    let theirs = SessionRecord {
        generation: "theirs".into(),
        access_token: Some(crate::protocol::AccessToken::new("at-3".into())),
        expires_at_ms: page.now_ms + 3_600_000,
        refresh_token: Some(crate::protocol::RefreshToken::new("rt-3".into())),
        id_token: None,
        ..old.clone()
    };
    let record = theirs.to_storage_string();
    let message = |kind, previous, record| Input::Broadcast {
        kind,
        previous,
        record,
    };
    // A message of another kind, about another generation, or without a record, changes
    // nothing.
    for (kind, previous, record) in [
        ("renewed", old.generation.as_str(), record.as_str()),
        ("refreshed", "other", record.as_str()),
        ("refreshed", old.generation.as_str(), "undefined"),
    ] {
        assert_eq!(page.send(message(kind, previous, record)), vec![]);
    }
    let adopted = page.send(message("refreshed", &old.generation, &record));
    assert_eq!(
        detail_of(&adopted, events::TOKEN_REFRESHED).unwrap()["accessToken"],
        "at-3"
    );
    let granted = page.send(Input::LockGranted {
        ticket: *lock,
        stored: StoredItems::default(),
    });
    assert_eq!(
        granted,
        vec![
            Effect::Settle {
                call: 8,
                outcome: Ok(Some("\"at-3\"".into()))
            },
            Effect::Unlock { ticket: *lock },
        ]
    );
    // The same message again, or one about another session, changes nothing.
    assert_eq!(
        page.send(message("refreshed", &old.generation, &record)),
        vec![]
    );
}

/// A page signed in with `extra` attributes, whose discovery document (kept, so read on the
/// next use) now lists a revocation endpoint.
fn signed_in_with_revocation(extra: &[(&'static str, &'static str)]) -> Page {
    let (mut page, _) = signed_in_with(extra);
    page.machine.forget_documents();
    page.machine.handle(
        Input::Page {
            url: PAGE,
            popup: false,
            stored: borrowed(&[(
                [DISCOVERY_PREFIX, ISSUER].concat(),
                kept(
                    0,
                    &discovery().replace(
                        "\"jwks_uri\"",
                        "\"revocation_endpoint\":\"https://as.example/oauth2/revoke\",\"jwks_uri\"",
                    ),
                ),
            )]),
        },
        NOW_MS,
        &[0; 160],
    );
    page
}

#[test]
fn sign_out_forgets_at_once_tells_the_tabs_revokes_both_tokens_then_leaves() {
    let mut page = signed_in_with_revocation(&[
        ("profile", "none"),
        ("logouturl", "https://as.example/logout"),
    ]);

    let out = page.send(Input::SignOut {
        element: 1,
        call: 5,
    });
    assert!(matches!(&out[0], Effect::StopTimer { .. }));
    assert!(out.contains(&Effect::Store {
        key: SessionRecord::storage_key("app"),
        value: None
    }));
    let Some(Effect::Broadcast { kind, record, .. }) =
        out.iter().find(|e| matches!(e, Effect::Broadcast { .. }))
    else {
        panic!()
    };
    assert_eq!(kind, "signout");
    assert!(
        !record.contains("rt-1") && !record.contains("at-1"),
        "{record}"
    );
    assert!(detail_of(&out, events::SIGNOUT).is_some());
    let revocations: Vec<Ticket> = out
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { ticket, url, .. } if url == "https://as.example/oauth2/revoke" => {
                Some(*ticket)
            }
            _ => None,
        })
        .collect();
    assert_eq!(revocations.len(), 2, "both tokens at once");
    assert_eq!(page.respond(revocations[1], ok("")), vec![]);
    let last = page.respond(
        revocations[0],
        Ok(HttpResponse {
            status: "503",
            body: "",
        }),
    );
    assert_eq!(error_code(&last).as_deref(), Some("revocation_failed"));
    assert!(last.contains(&Effect::Settle {
        call: 5,
        outcome: Ok(None)
    }));
    assert_eq!(
        last.last(),
        Some(&Effect::Navigate {
            url: "https://as.example/logout".into()
        })
    );
}

#[test]
fn a_reload_restores_a_memory_session_with_one_renewal() {
    let kept = SessionRecord {
        issuer: ISSUER.into(),
        client_id: "app".into(),
        subject: Some("user-1".into()),
        generation: "g".into(),
        scope: Some("openid offline_access".into()),
        refresh_token: Some(crate::protocol::RefreshToken::new("rt-1".into())),
        ..SessionRecord::default()
    };
    let mut page = Page::new(
        "https://app.example/other",
        vec![(SessionRecord::storage_key("app"), kept.to_storage_string())],
    );
    let attrs: Vec<(&str, &str)> = ATTRS.iter().copied().chain([("profile", "none")]).collect();
    let first = page.connect(&attrs);
    let Some(Effect::Lock { ticket: lock, .. }) =
        first.iter().find(|e| matches!(e, Effect::Lock { .. }))
    else {
        panic!("{first:#?}")
    };
    let sent = page.send(Input::LockGranted {
        ticket: *lock,
        stored: borrowed(&[(SessionRecord::storage_key("app"), kept.to_storage_string())]),
    });
    let discovery_ticket = fetched(&sent, DISCOVERY_URL);
    let sent = page.respond(discovery_ticket, ok(&discovery()));
    let token = fetched(&sent, TOKEN_URL);
    let got = page.respond(token, ok(&token_response(&id_token("k1", "user-1", "n-9"))));
    let keys = fetched(&got, JWKS_URI);
    let after = page.respond(keys, ok(&jwks("k1")));
    let Some(Effect::Verify { ticket, .. }) =
        after.iter().find(|e| matches!(e, Effect::Verify { .. }))
    else {
        panic!("{after:#?}")
    };
    let done = page.send(Input::Verified {
        ticket: *ticket,
        result: Ok(true),
    });
    let success = detail_of(&done, events::SUCCESS).unwrap();
    assert_eq!(success["restored"], true);
    assert_eq!(success["claims"]["sub"], "user-1");
    assert!(detail_of(&done, events::TOKEN_REFRESHED).is_none());
}

#[test]
fn handle_redirect_callback_resolves_false_without_a_callback() {
    let mut page = Page::new("https://app.example/", vec![]);
    page.connect(ATTRS);
    let none = page.send(Input::HandleRedirect {
        element: 1,
        call: 3,
        url: "https://app.example/?x=1",
    });
    assert_eq!(
        none,
        vec![Effect::Settle {
            call: 3,
            outcome: Ok(Some("false".into()))
        }]
    );
}

/// The stored items cross as one text, each key then its value; a key without a value (an
/// odd last field) is no item.
#[test]
fn stored_items_are_read_in_pairs_from_the_runners_text() {
    let items = |text| StoredItems(text).pairs().collect::<Vec<_>>();
    assert_eq!(items(""), []);
    assert_eq!(items("k"), []);
    assert_eq!(items("k\u{1f}"), [("k", "")]);
    assert_eq!(
        items("a\u{1f}1\u{1f}b\u{1f}x=y&z\u{1f}c"),
        [("a", "1"), ("b", "x=y&z")]
    );
    let pairs = [
        (String::from("k1"), String::from("v1")),
        ("k2".into(), "".into()),
    ];
    assert_eq!(
        StoredItems::from(&pairs[..]).pairs().collect::<Vec<_>>(),
        [("k1", "v1"), ("k2", "")]
    );
}

/// Each kind of answer has its place in [`machine::Tickets`], where [`machine::KINDS`]
/// lists it; a new ticket of a kind replaces the one before (of a flow that ended), whose
/// answer is dropped; and [`machine::NO_TICKET`], which an empty place holds, is never
/// answered.
#[test]
fn each_kind_of_answer_is_awaited_once_at_a_time() {
    for (i, kind) in machine::KINDS.iter().enumerate() {
        assert_eq!(*kind as usize, i, "{kind:?} in its place");
    }
    let mut page = Page::new("https://app.example/", vec![]);
    let machine = &mut page.machine;
    assert_eq!(machine.answered(machine::NO_TICKET), None);
    let stale = machine.tickets.expect(machine::Awaiting::Token);
    let ticket = machine.tickets.expect(machine::Awaiting::Token);
    let other = machine.tickets.expect(machine::Awaiting::Profile);
    assert!(machine.awaits(machine::Awaiting::Token));
    assert_eq!(machine.answered(stale), None);
    assert_eq!(machine.answered(machine::NO_TICKET), None);
    assert_eq!(machine.answered(ticket), Some(machine::Awaiting::Token));
    assert_eq!(machine.answered(ticket), None);
    assert!(!machine.awaits(machine::Awaiting::Token));
    assert_eq!(machine.answered(other), Some(machine::Awaiting::Profile));
    // An answer nobody waits for makes no effect.
    assert_eq!(page.respond(ticket, ok("{}")), vec![]);
}

/// A ticket that may be absent is held as [`machine::NO_TICKET`], an element as
/// [`machine::NO_ELEMENT`]: no ticket the machine hands out, nor any method call or element
/// the runner numbers, is ever that one.
#[test]
fn no_ticket_is_never_a_ticket() {
    let mut tickets = machine::Tickets::default();
    for awaiting in [machine::Awaiting::Discovery, machine::Awaiting::Lock] {
        assert_ne!(tickets.expect(awaiting), machine::NO_TICKET);
    }
    // The runner's method calls (and elements) are numbered from 1.
    let runner = include_str!("../../js/element.js");
    assert!(
        runner.contains("\nlet nextId = 1;\n"),
        "js/element.js numbers its calls from 1"
    );
    assert!(runner.contains("const ticket = nextId++;"));
    assert!(runner.contains("this._id = nextId++;"));
    assert_eq!(machine::NO_ELEMENT, 0);
    // A method call settles, and an input that was none settles nothing.
    let mut page = Page::new("https://app.example/", vec![]);
    page.connect(ATTRS);
    let call = page.send(Input::SignOut {
        element: 1,
        call: 1,
    });
    assert_eq!(
        call,
        vec![Effect::Settle {
            call: 1,
            outcome: Ok(None)
        }]
    );
    assert_eq!(
        page.send(Input::Click { element: 1 })
            .iter()
            .filter(|e| matches!(e, Effect::Settle { .. }))
            .count(),
        0
    );
}

/// Each revocation's answer is matched to its token type: the refresh token's failure is the
/// one told whatever answered first, an answer heard twice counts once, and the sign-out
/// ends with the last answer.
#[test]
fn revocation_answers_name_the_token_that_stays_valid() {
    let failed = || {
        Ok(HttpResponse {
            status: "503",
            body: "",
        })
    };
    // Which revocations fail (refresh, access), in the order answered: access first.
    for (refresh_fails, access_fails, named) in [
        (true, true, Some("refresh_token")),
        (false, true, Some("access_token")),
        (true, false, Some("refresh_token")),
        (false, false, None),
    ] {
        let mut page = signed_in_with_revocation(&[("profile", "none")]);
        let out = page.send(Input::SignOut {
            element: 1,
            call: 5,
        });
        let revocations: Vec<(Ticket, String)> = out
            .iter()
            .filter_map(|e| match e {
                Effect::Fetch {
                    ticket, url, body, ..
                } if url == "https://as.example/oauth2/revoke" => {
                    Some((*ticket, body.clone().unwrap_or_default()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(revocations.len(), 2);
        assert!(revocations[0].1.contains("token_type_hint=refresh_token"));
        assert!(revocations[1].1.contains("token_type_hint=access_token"));
        let answer = |fails: bool| if fails { failed() } else { ok("") };
        assert_eq!(page.respond(revocations[1].0, answer(access_fails)), vec![]);
        // Heard again: no longer awaited.
        assert_eq!(page.respond(revocations[1].0, ok("")), vec![]);
        let last = page.respond(revocations[0].0, answer(refresh_fails));
        assert!(last.contains(&Effect::Settle {
            call: 5,
            outcome: Ok(None)
        }));
        let description = detail_of(&last, events::ERROR).map(|d| d["description"].to_string());
        match named {
            Some(hint) => {
                let description = description.expect("an error");
                assert!(
                    description.contains(&format!(
                        "did not confirm revoking the {hint}: it stays valid"
                    )),
                    "{description}"
                );
            }
            None => assert_eq!(description, None),
        }
    }
}

// Sign-in start and its state (the sign-in handlers' block).

/// `signIn()` on an element with a configuration error is rejected with it, and leaves the
/// element free: it shows the error, not busy, and a click later fails the same way.
#[test]
fn sign_in_on_a_misconfigured_element_rejects_and_leaves_it_free() {
    let mut page = Page::new("https://app.example/", vec![]);
    page.connect(&[("clientid", "app"), ("profile", "ldap")]);
    let call = page.send(Input::SignIn {
        element: 1,
        call: 7,
        options: Box::default(),
    });
    assert_eq!(error_code(&call).as_deref(), Some("profile_failed"));
    assert!(call.iter().any(|e| matches!(
        e,
        Effect::Render {
            view: View::SignedOut {
                busy: false,
                unavailable: Some(_),
                ..
            },
            ..
        }
    )));
    assert!(call.iter().any(|e| matches!(
        e,
        Effect::Settle { call: 7, outcome: Err(e) } if e.code.as_str() == "profile_failed"
    )));
    assert!(!call.iter().any(|e| matches!(e, Effect::Fetch { .. })));
    let click = page.send(Input::Click { element: 1 });
    assert_eq!(error_code(&click).as_deref(), Some("profile_failed"));
}
