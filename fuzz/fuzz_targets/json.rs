//! The JSON bridge: the members the browser picks out of what `JSON.parse` read and hands
//! over as tokens (written here the runner's way), of values made by `arbitrary` (repeated
//! member names, NaN, infinities, `-0`, nesting deeper than the browser's depth), read
//! through `Members`' checks and through every parser's member-by-member reading (`Fixed`
//! hands the value to each parser as if decoded from its body).

#![no_main]

use anypoint_signin::protocol::{
    ErrorCode, IssuerUrl, Json, Kind, MAX_DEPTH, Members, base64url, decode_id_token,
    parse_discovery, parse_jwks, parse_token_response,
};
use anypoint_signin_fuzz::{ArbitraryJson, Fixed, Key, MEMBERS, assert_code, token};
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
    let value = &input.value;
    // The names asked for: one token each, so none holds a separator.
    let own: Vec<&str> = match value {
        ArbitraryJson::Object(members) => members.iter().map(|(k, _)| k.name()).collect(),
        _ => Vec::new(),
    };
    let names: Vec<&str> = MEMBERS
        .iter()
        .copied()
        .chain(own)
        .chain(input.names.iter().map(String::as_str))
        .filter(|name| !name.contains(['\u{1e}', '\u{1f}']))
        .collect();
    let joined = names.join("\u{1f}");
    let members = Members::from_tokens(&joined, value.tokens(&joined));
    let mut values = vec![None; names.len()];
    match members.values(&mut values) {
        Ok(()) => {
            assert!(matches!(value, ArbitraryJson::Object(_)));
            for (name, got) in names.iter().zip(&values) {
                let want = value.member(name);
                // Compared as tokens: NaN is not equal to itself.
                assert_eq!(
                    written(*got),
                    token(want, true),
                    "{name:?} is not the last member of that name"
                );
                kinds(name, want);
            }
        }
        Err(e) if value.deep(MAX_DEPTH as usize) => {
            assert_eq!(e, "JSON nested too deeply");
            assert!(!members.is_json());
        }
        Err(e) => {
            assert!(!matches!(value, ArbitraryJson::Object(_)));
            assert_eq!(e, "not a JSON object");
            assert!(members.is_json());
        }
    }
    parsers(value, input.status);
});

/// The token a member read back as, written again the runner's way.
fn written(value: Option<Json<'_>>) -> String {
    match value {
        None => "n".into(),
        Some(Json::Bool(b)) => if b { "t" } else { "f" }.into(),
        Some(Json::Number(n)) => format!("d{:x}", n.to_bits()),
        Some(Json::String(s)) => format!("s{s}"),
        Some(Json::Array(items)) => items
            .map(|v| format!("\u{1e}{}", written(v)))
            .fold(String::from("a"), |all, one| all + &one),
        Some(Json::Object(text)) => format!("o{text}"),
    }
}

/// Each kind's check agrees with the member (`want`, as `JSON.parse` keeps it): `null` is
/// absent, and an error names the member and the expected type only.
fn kinds(name: &str, want: Option<&ArbitraryJson>) {
    let want = want.filter(|v| !matches!(v, ArbitraryJson::Null));
    let number = match want {
        Some(ArbitraryJson::Number(n)) => Some(*n),
        Some(ArbitraryJson::Edge(e)) => Some(e.value()),
        _ => None,
    };
    let string = match want {
        Some(ArbitraryJson::String(s)) => Some(s.replace(['\u{1e}', '\u{1f}'], "\u{fffd}")),
        Some(ArbitraryJson::Name(m)) => Some(m.name().to_owned()),
        _ => None,
    };
    let strings = match want {
        Some(ArbitraryJson::Array(items)) => Some(
            items
                .iter()
                .all(|v| matches!(v, ArbitraryJson::String(_) | ArbitraryJson::Name(_))),
        ),
        _ => None,
    };
    let seconds = number.filter(|n| (0.0..18_446_744_073_709_551_616.0).contains(n));
    let wrong = |what: &str| Err(format!("{name} is not {what}"));
    let expected = |kind: Kind| -> Result<(), String> {
        match (kind, want) {
            (Kind::RequiredStr | Kind::RequiredSeconds, None) => wrong("present"),
            (_, None) => Ok(()),
            (Kind::Absent, _) => Err(format!(
                "{name} lists extensions this client does not support"
            )),
            (Kind::Str | Kind::RequiredStr, _) if string.is_some() => Ok(()),
            (Kind::Str | Kind::RequiredStr, _) => wrong("a string"),
            (Kind::Bool, Some(ArbitraryJson::Bool(_))) => Ok(()),
            (Kind::Bool, _) => wrong("true or false"),
            (Kind::Strings, _) if strings == Some(true) => Ok(()),
            (Kind::Strings, _) => wrong("an array of strings"),
            (_, _) if seconds.is_some() => Ok(()),
            (Kind::SecondsOrDigits, _) => match &string {
                Some(s) if s.parse::<u64>().is_ok() => Ok(()),
                Some(s) => Err(format!("{name} is not a number of seconds: \"{s}\"")),
                None => wrong("a non-negative number of seconds"),
            },
            _ => wrong("a non-negative number of seconds"),
        }
    };
    let one = ArbitraryJson::Object(vec![(
        Key::Other(name.to_owned()),
        want.cloned().unwrap_or(ArbitraryJson::Null),
    )]);
    let members = Members::from_tokens(name, one.tokens(name));
    for kind in [
        Kind::Str,
        Kind::RequiredStr,
        Kind::Bool,
        Kind::Strings,
        Kind::Seconds,
        Kind::RequiredSeconds,
        Kind::SecondsOrDigits,
        Kind::Absent,
    ] {
        let mut value = [None];
        let got = members.read(&[kind], &mut value);
        assert_eq!(got, expected(kind), "{name:?} read as {kind:?}");
        if got.is_ok() && matches!(kind, Kind::Seconds | Kind::SecondsOrDigits) {
            // Rounded down, and only from the range a u64 holds: never saturated.
            let secs = anypoint_signin::protocol::json::seconds(value[0]);
            match (seconds, &string) {
                (Some(n), _) => assert_eq!(secs, Some(n.floor() as u64)),
                (None, Some(s)) => assert_eq!(secs, s.parse().ok()),
                (None, None) => assert_eq!(secs, None),
            }
        }
    }
}

/// Every parser reads any value without a panic and answers with one of its codes.
fn parsers(value: &ArbitraryJson, status: u16) {
    let json = Fixed(value.clone());
    if let Err(e) = parse_token_response(&(100 + status % 500).to_string(), Fixed::TEXT, &json) {
        assert_code(
            &e,
            &[ErrorCode::InvalidTokenResponse, ErrorCode::TokenError],
        );
    }
    let issuer = IssuerUrl::parse("https://as.example/oauth2").expect("a valid issuer");
    if let Err(e) = parse_discovery(Fixed::TEXT, &issuer, &json) {
        assert_code(
            &e,
            &[
                ErrorCode::InvalidDiscovery,
                ErrorCode::IssuerMismatch,
                ErrorCode::PkceNotSupported,
            ],
        );
    }
    if let Err(e) = parse_jwks(Fixed::TEXT, &json) {
        assert_code(&e, &[ErrorCode::InvalidIdToken]);
    }
    // The decoder answers the same value for the header and the claims.
    let part = base64url::encode(Fixed::TEXT.as_bytes());
    if let Err(e) = decode_id_token(&format!("{part}.{part}.c2ln"), &json) {
        assert_code(&e, &[ErrorCode::InvalidIdToken]);
    }
}
