//! The browser's codecs in the element's wasm build: form-urlencoded names and values are
//! encoded and decoded, JWT segments decoded, and JSON strings written, by the runner
//! (`codedText` in `js/element.js`: `URLSearchParams`, `atob`, `btoa`, `TextDecoder`,
//! `JSON.stringify`) instead of Rust code, so each is checked here, in a real browser,
//! against the oracle the Rust codecs are tested against natively: the `form_urlencoded`
//! crate (the URL Standard's parser and serializer), the protocol's strict base64url decoder
//! with std's UTF-8 check, and serde_json. Then the protocol's readers and writers, as the
//! package builds them, on a callback, a stored transaction, an ID token and an error's
//! detail that only come out right through the runner.

#![cfg(all(target_arch = "wasm32", feature = "test-hooks"))]

use anypoint_signin::protocol::{
    Callback, ErrorCode, Jwt, Nonce, PkceVerifier, SigninError, State, Transaction, base64url,
    parse_callback,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = codedText)]
    fn runner_coded_text(text: &str, how: u32) -> String;
}

/// Escapes at the edges of UTF-8's byte ranges (Unicode Table 3-7), and bytes that are not.
const EDGES: [&str; 14] = [
    "00", "41", "7f", "80", "bf", "c0", "c2", "df", "e0", "ed", "ef", "f0", "f4", "ff",
];

/// Form-urlencoded pieces (without `&`, which splits them before they are decoded).
fn form_cases() -> Vec<String> {
    let mut cases: Vec<String> = [
        "",
        "a",
        "=",
        "a=b=c",
        "a+b",
        "%41%6a%2B%2b%20%3D%26",
        "%",
        "%4",
        "%zz%g1%1g",
        "%C3%A9%e9",
        "%%%25%2%25",
        "%aé%é%+1%-1%1+",
        "%4€%€4%日本",
        "%EF%BB%BFbom",
        "\u{1e}\u{1f}#?",
    ]
    .map(String::from)
    .to_vec();
    for a in EDGES {
        for b in EDGES {
            cases.push(format!("%{a}%{b}"));
            for c in EDGES {
                cases.push(format!("x%{a}%{b}%{c}+"));
            }
        }
    }
    cases
}

#[wasm_bindgen_test]
fn form_text_decodes_as_the_url_standard_does() {
    for text in form_cases() {
        let standard = form_urlencoded::parse(format!("={text}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        assert_eq!(runner_coded_text(&text, 0), standard, "{text:?}");
    }
}

#[wasm_bindgen_test]
fn form_text_encodes_as_the_url_standard_does() {
    let mut texts = form_cases();
    texts.extend(
        [
            "a b&c=d+e",
            "*-._~!'()",
            "é€😀\u{fffd}",
            "\u{0}\u{7f}\u{80}\u{ffff}",
            "%20+%2B",
        ]
        .map(String::from),
    );
    for text in texts {
        let standard: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
        assert_eq!(runner_coded_text(&text, 2), standard, "{text:?}");
    }
}

/// What the runner must make of `text` as a JWT segment: the protocol's strict base64url
/// decoder and std's UTF-8 check.
fn expected_segment(text: &str) -> String {
    match base64url::decode(text) {
        Err(_) => "b".into(),
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => format!("{text}."),
            Err(_) => "u".into(),
        },
    }
}

#[wasm_bindgen_test]
fn segments_decode_as_strict_base64url_of_utf8() {
    // Every text of up to three characters over an alphabet with each kind of character:
    // letters, the URL-safe two, the standard alphabet's two, padding, space, others.
    let alphabet = [
        "A", "Q", "g", "w", "_", "-", "+", "/", "=", " ", "\n", ".", "é",
    ];
    let mut texts = vec![String::new()];
    for a in alphabet {
        texts.push(a.into());
        for b in alphabet {
            texts.push(format!("{a}{b}"));
            for c in alphabet {
                texts.push(format!("{a}{b}{c}"));
            }
        }
    }
    // And the encodings of UTF-8 and of what is not: a BOM, cut sequences, lone bytes.
    let samples: [&[u8]; 9] = [
        b"{\"alg\":\"RS256\"}",
        "é€😀".as_bytes(),
        b"\xef\xbb\xbf{}",
        b"\xff",
        b"\xc3",
        b"a\xe2\x82",
        b"\xed\xa0\x80",
        b"\xf4\x90\x80\x80",
        b"\x00\x7f",
    ];
    for bytes in samples {
        let encoded = base64url::encode(bytes);
        texts.push(format!("{encoded}="));
        texts.push(format!("{encoded}=="));
        texts.push(encoded.replace('_', "/").replace('-', "+"));
        texts.push(encoded);
    }
    for text in texts {
        assert_eq!(
            runner_coded_text(&text, 1),
            expected_segment(&text),
            "{text:?}"
        );
    }
}

#[wasm_bindgen_test]
fn json_strings_are_written_as_serde_json_writes_them() {
    let mut texts: Vec<String> = (0..0x20u8).map(|b| char::from(b).to_string()).collect();
    texts.extend(
        [
            "",
            "plain",
            "\"quoted\" \\ back/slash",
            "\u{7f}é€😀",
            "\u{1e}\u{1f} separators",
            "\u{2028}\u{2029}",
            "a\nb\tc\u{0}d",
        ]
        .map(String::from),
    );
    for text in texts {
        let written = runner_coded_text(&text, 3);
        assert_eq!(written, serde_json::to_string(&text).unwrap(), "{text:?}");
        assert_eq!(serde_json::from_str::<String>(&written).unwrap(), text);
    }
}

#[wasm_bindgen_test]
fn an_error_detail_is_written_by_the_browser() {
    let error =
        SigninError::new(ErrorCode::TokenError, "a \"b\"\n\\ \u{1f}é").with_cause("c\u{1e}");
    let detail: serde_json::Value =
        serde_json::from_str(&anypoint_signin::flow::events::error_detail(&error)).unwrap();
    assert_eq!(
        detail,
        serde_json::json!({"code": "token_error", "description": "a \"b\"\n\\ \u{1f}é", "cause": "c\u{1e}"})
    );
}

#[wasm_bindgen_test]
fn the_callback_is_decoded_by_the_browser() {
    let callback =
        parse_callback("code=a%2Bb+c%C3%A9&state=%E2%82%AC%ff&iss=https%3A%2F%2Fas").unwrap();
    let Callback {
        code: Some(code),
        state,
        iss,
        ..
    } = callback
    else {
        panic!("a success");
    };
    assert_eq!(code.secret(), "a+b cé");
    assert_eq!(state.as_str(), "€\u{fffd}");
    assert_eq!(iss.as_deref(), Some("https://as"));
}

#[wasm_bindgen_test]
fn a_stored_transaction_is_written_and_read_by_the_browser() {
    let tx = Transaction {
        state: State::new("st+1 &=é".into()),
        nonce: Nonce::new("n".into()),
        verifier: PkceVerifier::from_random(&[3; 32]),
        redirect_uri: "https://app.example/cb?x=1&y=é".into(),
        issuer: "https://as.example".into(),
        client_id: "app id".into(),
        scopes: "openid profile".into(),
        created_at_secs: 1_700_000_000,
    };
    let text = tx.to_storage_string();
    assert!(text.contains("st%2B1+%26%3D%C3%A9"), "{text}");
    assert_eq!(Transaction::from_storage_string(&text).unwrap(), tx);
}

#[wasm_bindgen_test]
fn id_token_segments_are_decoded_by_the_browser() {
    let jwt = |header: &[u8], payload: &[u8]| {
        [
            base64url::encode(header),
            base64url::encode(payload),
            base64url::encode(&[1, 2, 3]),
        ]
        .join(".")
    };
    let token = jwt(br#"{"alg":"RS256"}"#, "{\"name\":\"José\"}".as_bytes());
    let parsed = Jwt::parse(&token).unwrap();
    assert_eq!(parsed.header_json().unwrap(), r#"{"alg":"RS256"}"#);
    assert_eq!(parsed.payload_json().unwrap(), "{\"name\":\"José\"}");
    assert_eq!(parsed.signature(), "AQID");
    let token = [&token[..token.len() - 4], "AQI="].concat();
    let e = Jwt::parse(&token).unwrap_err();
    assert!(
        e.description.contains("the signature is not base64url"),
        "{}",
        e.description
    );

    let token = jwt(b"{}", b"\xff{}");
    let e = Jwt::parse(&token).unwrap().payload_json().unwrap_err();
    assert!(
        e.description.contains("the payload is not UTF-8"),
        "{}",
        e.description
    );

    // `Zh` decodes to `f` with an unused bit set: one text per byte string.
    let token = ["Zh", &base64url::encode(b"{}"), "AQ"].join(".");
    let e = Jwt::parse(&token).unwrap().header_json().unwrap_err();
    assert!(
        e.description.contains("the header is not base64url"),
        "{}",
        e.description
    );
}
