//! The JSON bridge: the `Json` value the browser hands over from `JSON.parse` as tokens
//! (written here the runner's way), made by `arbitrary` (repeated member names, NaN,
//! infinities, `-0`, deep nesting cut at the browser's depth), read through `Fields`'
//! accessors and through every parser's field-by-field reading (`Fixed` hands the value to
//! each parser as if decoded from its body).

#![no_main]

use anypoint_signin::protocol::{
    ErrorCode, Fields, IssuerUrl, Items, Json, decode_id_token, parse_discovery, parse_jwks,
    parse_token_response,
};
use anypoint_signin_fuzz::{ArbitraryJson, Fixed, MEMBERS, assert_code, to_tokens};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    value: ArbitraryJson,
    /// Names to look up besides [`MEMBERS`] and the object's own.
    names: Vec<String>,
    status: u16,
}

fuzz_target!(|input: Input| {
    let written = input.value.tokens();
    let value = Json::from_tokens(&written).expect("tokens of a value within the depth limit");
    tokens(&value, &written, &input.names);
    let fields = match value.fields() {
        Ok(fields) => Some(fields),
        Err(e) => {
            assert!(!matches!(value, Json::Object(_)));
            assert_eq!(e, "not a JSON object");
            None
        }
    };
    if let (Some(fields), Json::Object(members)) = (fields, value) {
        let names = MEMBERS
            .iter()
            .copied()
            .chain(members.map(|(k, _)| k))
            .chain(input.names.iter().map(String::as_str));
        for name in names {
            accessors(fields, members, name);
        }
    }
    parsers(&value, input.status);
});

/// The browser hands values over as tokens (`Json::from_tokens`): what the runner writes of
/// a value reads back as the same value, and any other text is refused without a panic.
fn tokens(value: &Json<'_>, written: &str, names: &[String]) {
    // Compared as tokens: NaN is not equal to itself.
    assert_eq!(to_tokens(value), written);
    for text in names {
        let _ = Json::from_tokens(text);
    }
}

/// Each accessor agrees with the members: the last of repeated names wins, `null` is
/// absent, and an error names the member and the expected type only.
fn accessors(fields: Fields<'_>, members: Items<'_>, name: &str) {
    let last = members
        .filter(|(k, _)| *k == name)
        .last()
        .map(|(_, v)| v)
        .filter(|v| !matches!(v, Json::Null));
    // Compared as tokens: NaN is not equal to itself.
    assert!(
        match (fields.get(name), last) {
            (Some(got), Some(want)) => to_tokens(&got) == to_tokens(&want),
            (got, want) => got.is_none() && want.is_none(),
        },
        "get({name:?}) is not the last non-null member of that name"
    );
    let is_type_error = |e: &str, what: &str| e == [name, " is not ", what].concat();

    match (fields.opt_str(name), last) {
        (Ok(None), None) => assert!(fields.str(name).is_err()),
        (Ok(Some(s)), Some(Json::String(v))) => {
            assert_eq!(s, v);
            assert_eq!(fields.str(name).as_deref(), Ok(v));
        }
        (Err(e), Some(v)) => {
            assert!(!matches!(v, Json::String(_)));
            assert!(is_type_error(&e, "a string"), "{e}");
        }
        (got, v) => panic!("opt_str({name:?}) gave {got:?} for {v:?}"),
    }
    match (fields.opt_bool(name), last) {
        (Ok(None), None) => {}
        (Ok(Some(b)), Some(Json::Bool(v))) => assert_eq!(b, v),
        (Err(e), Some(_)) => assert!(is_type_error(&e, "true or false"), "{e}"),
        (got, v) => panic!("opt_bool({name:?}) gave {got:?} for {v:?}"),
    }
    match (fields.opt_strings(name), last) {
        (Ok(None), None) => {}
        (Ok(Some(list)), Some(Json::Array(items))) => {
            assert_eq!(list.len(), items.count());
            assert!(
                list.iter()
                    .zip(items)
                    .all(|(s, (_, v))| v.as_str() == Some(s))
            );
        }
        (Err(e), Some(_)) => assert!(is_type_error(&e, "an array of strings"), "{e}"),
        (got, v) => panic!("opt_strings({name:?}) gave {got:?} for {v:?}"),
    }
    match (fields.seconds(name), fields.opt_seconds(name, false)) {
        (Ok(secs), Ok(Some(opt))) => assert_eq!(secs, opt),
        (Err(e), Ok(None)) => assert!(is_type_error(&e, "present"), "{e}"),
        (Err(e), Err(opt)) => assert_eq!(e, opt),
        (got, opt) => panic!("seconds({name:?}) gave {got:?}, opt_seconds {opt:?}"),
    }
    for allow_str in [false, true] {
        match (fields.opt_seconds(name, allow_str), last) {
            (Ok(None), None) => {}
            (Ok(Some(secs)), Some(Json::Number(n))) => {
                // Rounded down, and only from the range a u64 holds: never saturated.
                assert!((0.0..18_446_744_073_709_551_616.0).contains(&n), "{n}");
                assert_eq!(secs, n.floor() as u64);
            }
            (Ok(Some(secs)), Some(Json::String(s))) => {
                assert!(allow_str);
                assert_eq!(s.parse::<u64>(), Ok(secs));
            }
            (Err(e), Some(Json::String(s))) if allow_str => {
                let quoted = [name, " is not a number of seconds: \"", s, "\""].concat();
                assert_eq!(e, quoted);
            }
            (Err(e), Some(_)) => {
                assert!(is_type_error(&e, "a non-negative number of seconds"), "{e}");
            }
            (got, v) => panic!("opt_seconds({name:?}, {allow_str}) gave {got:?} for {v:?}"),
        }
    }
}

/// Every parser reads any value without a panic and answers with one of its codes.
fn parsers(value: &Json<'_>, status: u16) {
    let json = Fixed::new(value);
    if let Err(e) = parse_token_response(status % 600, "{}", &json) {
        assert_code(
            &e,
            &[ErrorCode::InvalidTokenResponse, ErrorCode::TokenError],
        );
    }
    let issuer = IssuerUrl::parse("https://as.example/oauth2").expect("a valid issuer");
    if let Err(e) = parse_discovery("{}", &issuer, &json) {
        assert_code(
            &e,
            &[
                ErrorCode::InvalidDiscovery,
                ErrorCode::IssuerMismatch,
                ErrorCode::PkceNotSupported,
            ],
        );
    }
    if let Err(e) = parse_jwks("{}", &json) {
        assert_code(&e, &[ErrorCode::InvalidIdToken]);
    }
    // The decoder answers the same value for the header and the claims.
    if let Err(e) = decode_id_token("e30.e30.c2ln", &json) {
        assert_code(&e, &[ErrorCode::InvalidIdToken]);
    }
}
