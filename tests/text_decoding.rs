//! The browser's decoders in the element's wasm build: form-urlencoded names and values and
//! JWT segments are decoded by the runner (`decodedText` in `js/element.js`: `URLSearchParams`,
//! `atob`, `TextDecoder`) instead of Rust code, so each is checked here, in a real browser,
//! against the oracle the protocol's own decoders are tested against natively: the
//! `form_urlencoded` crate (the URL Standard's parser) and the protocol's strict base64url
//! decoder with std's UTF-8 check. Then the protocol's readers, as the package builds them,
//! on a callback and an ID token that only decode right through the runner.

#![cfg(all(target_arch = "wasm32", feature = "test-hooks"))]

use anypoint_signin::protocol::{Callback, Jwt, base64url, parse_callback};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = decodedText)]
    fn decoded_text(text: &str, how: u32) -> String;
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
        assert_eq!(decoded_text(&text, 0), standard, "{text:?}");
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
        assert_eq!(decoded_text(&text, 1), expected_segment(&text), "{text:?}");
    }
}

#[wasm_bindgen_test]
fn the_callback_is_decoded_by_the_browser() {
    let callback =
        parse_callback("code=a%2Bb+c%C3%A9&state=%E2%82%AC%ff&iss=https%3A%2F%2Fas").unwrap();
    let Callback::Success { code, state, iss } = callback else {
        panic!("a success");
    };
    assert_eq!(code.secret(), "a+b cé");
    assert_eq!(state.as_str(), "€\u{fffd}");
    assert_eq!(iss.as_deref(), Some("https://as"));
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
