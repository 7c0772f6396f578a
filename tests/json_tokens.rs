//! JSON for the machine in a real browser: the runner's `jsonTokens` (`js/element.js`), read
//! through the module's decoder, picks the members a reader asks for as `JSON.parse` keeps
//! them, and refuses nesting deeper than `MAX_DEPTH` before it writes any JSON text.

#![cfg(target_arch = "wasm32")]

use anypoint_signin::browser::BrowserJson;
use anypoint_signin::protocol::{Json, JsonDecoder, Kind, MAX_DEPTH};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn members_are_picked_as_json_parse_keeps_them() {
    let body = r#" {"a": "first", "n": 1.5, "a": "x\u001fy", "o": {"k": [1, "\u001e"]},
        "l": ["s", null, 2, [3], {"b": 4}], "t": true, "z": null, "__proto__": "p"} "#;
    let names = "a\u{1f}n\u{1f}o\u{1f}l\u{1f}t\u{1f}z\u{1f}gone\u{1f}__proto__\u{1f}constructor\u{1f}toString";
    let members = BrowserJson.parse(body, names);
    assert!(members.is_json());
    let mut values = [None; 10];
    assert_eq!(members.values(&mut values), Ok(()));
    let [a, n, o, l, t, z, gone, proto, constructor, to_string] = values;
    // The last of repeated names, the separators replaced in strings.
    assert_eq!(a, Some(Json::String("x\u{fffd}y")));
    assert_eq!(n, Some(Json::Number(1.5)));
    // An object as its JSON text, which escapes the separators.
    assert_eq!(o, Some(Json::Object(r#"{"k":[1,"\u001e"]}"#)));
    let Some(Json::Array(items)) = l else {
        panic!("not an array: {l:?}")
    };
    assert_eq!(
        items.collect::<Vec<_>>(),
        [
            Some(Json::String("s")),
            None,
            Some(Json::Number(2.0)),
            Some(Json::Object("[3]")),
            Some(Json::Object(r#"{"b":4}"#)),
        ]
    );
    assert_eq!((t, z, gone), (Some(Json::Bool(true)), None, None));
    // The object's own members only: a `__proto__` it has, none it inherits.
    assert_eq!(proto, Some(Json::String("p")));
    assert_eq!((constructor, to_string), (None, None));
    assert_eq!(
        members.json(),
        r#"{"a":"x\u001fy","n":1.5,"o":{"k":[1,"\u001e"]},"l":["s",null,2,[3],{"b":4}],"t":true,"z":null,"__proto__":"p"}"#
    );
    // Numbers as JavaScript holds them, checked here.
    let members = BrowserJson.parse(r#"{"exp": 1e400, "iat": 10.9}"#, "exp\u{1f}iat");
    let mut values = [None; 2];
    assert_eq!(
        members.read(&[Kind::Seconds; 2], &mut values),
        Err("exp is not a non-negative number of seconds".into())
    );
    assert_eq!(values[1], Some(Json::Number(10.9)));
}

#[wasm_bindgen_test]
fn what_is_not_an_object_is_refused() {
    for (text, error) in [
        ("{", "not valid JSON"),
        ("", "not valid JSON"),
        ("[1]", "not a JSON object"),
        ("\"{\"", "not a JSON object"),
        ("null", "not a JSON object"),
    ] {
        let members = BrowserJson.parse(text, "a");
        assert_eq!(members.values(&mut [None]), Err(error.into()), "{text}");
        assert_eq!(members.is_json(), error != "not valid JSON", "{text}");
    }
    // Its JSON text is there all the same, for what looks for a token's name in it.
    assert_eq!(
        BrowserJson.parse(r#"[ "acc\u0065ss_token" ]"#, "a").json(),
        r#"["access_token"]"#
    );
}

#[wasm_bindgen_test]
fn nesting_is_bounded_before_any_json_text() {
    let nested = |levels: usize| format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
    let at_limit = format!(r#"{{"a": {}}}"#, nested(MAX_DEPTH as usize - 1));
    let members = BrowserJson.parse(&at_limit, "a");
    let mut value = [None];
    assert_eq!(members.values(&mut value), Ok(()));
    assert!(matches!(value[0], Some(Json::Array(_))));
    // One level deeper, and deeper than any stack: refused, in a member or as the whole.
    for text in [
        format!(r#"{{"a": {}}}"#, nested(MAX_DEPTH as usize)),
        format!(r#"{{"b": {}}}"#, nested(100_000)),
        nested(100_000),
    ] {
        let members = BrowserJson.parse(&text, "a");
        assert!(!members.is_json());
        assert_eq!(
            members.values(&mut [None]),
            Err("JSON nested too deeply".into())
        );
        assert_eq!(members.json(), "x");
    }
}
