//! The URL checks in a real browser: the element's wasm build has the runner (the URL reader of
//! `codedText` in `js/element.js`, one regular expression) split the absolute `http(s)` URLs the protocol
//! checks, so the acceptance table the unit tests run through the Rust grammar
//! (`src/protocol/uri.rs`) runs here through the package's own path, and the runner is held
//! to that grammar on many generated texts, near-URLs most of them. The scope list, which the
//! runner splits too, is split here as std splits it.

#![cfg(all(target_arch = "wasm32", feature = "test-hooks"))]

use anypoint_signin::browser::urls::{URL_CASES, grammar_parts, runner_parts, split};
use anypoint_signin::protocol::Scopes;
use wasm_bindgen_test::*;

#[path = "support/xorshift.rs"]
mod xorshift;
use xorshift::xorshift;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_acceptance_table_through_the_runner() {
    for &(text, expected) in URL_CASES {
        assert_eq!(split(text), expected, "{text:?}");
    }
}

/// Texts made of pieces of URLs, of their separators and of what the grammar refuses, half
/// of them after a scheme and its slashes.
fn generated() -> impl Iterator<Item = String> {
    const SCHEMES: [&str; 6] = [
        "http://", "https://", "HTTPS://", "hTtP://", "https:", "https:/",
    ];
    const PIECES: [&str; 40] = [
        "a",
        "Z",
        "f",
        "0",
        "1",
        "9",
        ".",
        "-",
        "_",
        "~",
        ":",
        "::",
        "/",
        "//",
        "\\",
        "?",
        "#",
        "[",
        "]",
        "[::1]",
        "@",
        "%",
        "%2e",
        " ",
        "\t",
        "\n",
        "é",
        "\u{7f}",
        "!",
        "$",
        "443",
        "80",
        "99999",
        "123456",
        "localhost",
        "LocalHost",
        "127.0.0.1",
        "http",
        "https",
        "x.y",
    ];
    let mut next = xorshift(0x9e37_79b9_7f4a_7c15_u64);
    (0..20_000).map(move |_| {
        let mut text = String::new();
        if next().is_multiple_of(2) {
            text.push_str(SCHEMES[(next() % SCHEMES.len() as u64) as usize]);
        }
        for _ in 0..next() % 8 {
            text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
        }
        text
    })
}

#[wasm_bindgen_test]
fn the_runner_splits_as_the_grammar_does() {
    let mut accepted = 0;
    for text in URL_CASES
        .iter()
        .map(|&(text, _)| text.to_owned())
        .chain(generated())
    {
        let parts = runner_parts(&text);
        assert_eq!(parts, grammar_parts(&text), "{text:?}");
        accepted += usize::from(parts.is_some());
    }
    // Enough of them are URLs for the parts to be compared, not only the refusals.
    assert!(accepted > 1_000, "{accepted} accepted");
}

/// The scopes `text` asks for as `split_ascii_whitespace` splits them, the first of
/// duplicates kept; the default when there are none.
fn expected_scopes(text: &str) -> String {
    let mut scopes: Vec<&str> = Vec::new();
    for s in text.split_ascii_whitespace() {
        if !scopes.contains(&s) {
            scopes.push(s);
        }
    }
    if scopes.is_empty() {
        return Scopes::DEFAULT.to_owned();
    }
    scopes.join(" ")
}

#[wasm_bindgen_test]
fn scopes_split_through_the_runner_as_std_splits() {
    const PIECES: [&str; 16] = [
        "a",
        "b",
        "openid",
        " ",
        "  ",
        "\t",
        "\n",
        "\r",
        "\u{c}",
        "\u{b}",
        "\u{a0}",
        "\u{2003}",
        "é",
        "日本",
        "read:full",
        "\u{1f}",
    ];
    let mut texts: Vec<String> = [
        "",
        " \t",
        "  openid\tread:full openid\nprofile ",
        "\u{c}a\rb\u{b}c",
        "é\u{a0}ü b",
        "a b a c b",
        "\ta\n\n",
        "日本 語",
    ]
    .map(String::from)
    .to_vec();
    for a in PIECES {
        for b in PIECES {
            for c in PIECES {
                texts.push(format!("{a}{b}{c}{a}"));
            }
        }
    }
    for text in texts {
        assert_eq!(
            Scopes::parse(&text).as_str(),
            expected_scopes(&text),
            "{text:?}"
        );
    }
}
