//! Accessibility, proven with axe-core (pinned in `tools/package.json`): the element has no
//! violation of the WCAG 2.0, 2.1 and 2.2 level A and AA rules signed out, with a
//! configuration error (in English and in Japanese), busy and signed in, in every theme,
//! and in a right-to-left page;
//! and a user signs in and out with the keyboard alone.
//!
//! axe-core is run by WebDriver in the playground's own page (its CSP stays as served) on
//! the element and its shadow root, and its violations are printed rule by rule.

#![cfg(not(target_arch = "wasm32"))]

mod e2e;

use e2e::*;
use fantoccini::key::Key;
use serde_json::{Value, json};

/// The themes the element offers; `None` is the default look (no attribute).
const THEMES: [Option<&str>; 4] = [None, Some("light"), Some("dark"), Some("outline")];

/// The rule sets checked: WCAG 2.x, levels A and AA (contrast included).
const TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// axe-core's source, from `tools/` where `make setup` installs it.
fn axe_source() -> String {
    let path = root().join("tools/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (make setup installs axe-core)", path.display()))
}

/// Runs axe-core on the page's `<anypoint-signin>` in each theme and returns every
/// violation found as "state, theme: rule (impact): help, nodes"; `state` names what is
/// shown.
async fn violations(s: &Session, state: &str) -> Vec<String> {
    let loaded = s
        .js(
            &format!("{}\nreturn typeof window.axe === 'object';", axe_source()),
            vec![],
        )
        .await;
    assert_eq!(loaded, Value::Bool(true), "axe-core loads in the page");
    let mut found = Vec::new();
    for theme in THEMES {
        let result = s
            .client
            .execute_async(
                "const [theme, tags, done] = arguments;\
                 const el = document.querySelector('anypoint-signin');\
                 if (theme) el.setAttribute('theme', theme); else el.removeAttribute('theme');\
                 requestAnimationFrame(() => requestAnimationFrame(() => {\
                   window.axe.run(el, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })\
                     .then((r) => done({ violations: r.violations.map((v) => ({\
                        id: v.id, impact: v.impact, help: v.help,\
                        nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + n.failureSummary) })),\
                        rules: r.passes.length + r.violations.length + r.incomplete.length }),\
                           (e) => done({ error: String(e) }));\
                 }));",
                vec![json!(theme), json!(TAGS)],
            )
            .await
            .expect("run axe-core");
        assert_eq!(result.get("error"), None, "axe-core ran ({state})");
        assert!(
            result["rules"].as_u64().unwrap_or(0) > 0,
            "axe-core checked some rules on the element ({state}): {result}"
        );
        for v in result["violations"].as_array().into_iter().flatten() {
            found.push(format!(
                "{state}, theme {}: {} ({}): {}; {}",
                theme.unwrap_or("default"),
                v["id"],
                v["impact"],
                v["help"],
                v["nodes"]
            ));
        }
    }
    s.js(
        "document.querySelector('anypoint-signin').removeAttribute('theme')",
        vec![],
    )
    .await;
    found
}

/// Sets the page's direction (`rtl` or `ltr`).
async fn direction(s: &Session, dir: &str) {
    s.js(
        "document.documentElement.dir = arguments[0]",
        vec![json!(dir)],
    )
    .await;
}

#[tokio::test]
async fn axe_finds_no_violation_in_any_state_theme_or_direction() {
    run("accessibility-axe", |s| async move {
        let client_id = s.register_public_app("Accessibility").await;
        s.open_playground().await;
        s.configure(&client_id, &["openid", "profile"]).await;
        let mut found = Vec::new();

        found.extend(violations(&s, "signed out").await);
        direction(&s, "rtl").await;
        found.extend(violations(&s, "signed out, right to left").await);
        direction(&s, "ltr").await;

        // A configuration error: the button is disabled and the reason shown.
        s.js(
            "document.querySelector('anypoint-signin').setAttribute('storage', 'local')",
            vec![],
        )
        .await;
        s.expect_error("invalid_storage").await;
        found.extend(violations(&s, "configuration error").await);
        // The same in Japanese: the texts and the reason in the element's language.
        s.js(
            "document.querySelector('anypoint-signin').setAttribute('lang', 'ja')",
            vec![],
        )
        .await;
        wait_for("the element to speak Japanese", || async {
            let lang = s
                .js(
                    "return document.querySelector('anypoint-signin').shadowRoot\
                       .querySelector('[part=message]').lang",
                    vec![],
                )
                .await;
            if lang == json!("ja") {
                Ok(())
            } else {
                Err(lang.to_string())
            }
        })
        .await;
        found.extend(violations(&s, "configuration error, Japanese").await);
        s.js(
            "document.querySelector('anypoint-signin').removeAttribute('lang')",
            vec![],
        )
        .await;
        s.js(
            "document.querySelector('anypoint-signin').removeAttribute('storage')",
            vec![],
        )
        .await;

        // Busy: back from the authorization server, while the token endpoint takes its time.
        s.sign_in_held_at_token_endpoint(4_000).await;
        wait_for("the element to show a sign-in under way", || async {
            let busy = s
                .js(
                    "const el = document.querySelector('anypoint-signin');\
                     const b = el && el.shadowRoot && el.shadowRoot.querySelector('button');\
                     return b ? b.getAttribute('aria-busy') : null;",
                    vec![],
                )
                .await;
            if busy == json!("true") {
                Ok(())
            } else {
                Err(busy.to_string())
            }
        })
        .await;
        found.extend(violations(&s, "busy").await);

        s.wait_for_event("success").await;
        found.extend(violations(&s, "signed in").await);
        direction(&s, "rtl").await;
        found.extend(violations(&s, "signed in, right to left").await);

        assert!(
            found.is_empty(),
            "axe-core found violations:\n{}",
            found.join("\n")
        );
    })
    .await;
}

#[tokio::test]
async fn signs_in_and_out_with_the_keyboard_alone() {
    run("accessibility-keyboard", |s| async move {
        let client_id = s.register_public_app("Keyboard sign-out").await;
        s.open_playground().await;
        s.configure(&client_id, &["openid", "profile"]).await;
        s.client
            .goto(&s.page())
            .await
            .expect("open the playground again");
        s.wait_until_ready().await;

        // Tab from the top of the page reaches the element's button.
        let reach_the_element = || async {
            let mut steps = 0;
            while !s.focused().await.starts_with("anypoint-signin>") {
                s.press(Key::Tab).await;
                steps += 1;
                assert!(steps < 20, "Tab reaches the element");
            }
        };
        reach_the_element().await;
        s.press(Key::Enter).await;
        s.wait_for_url(&format!("{}/authorize?", s.issuer())).await;
        s.log_in_and_allow_by_keyboard().await;
        s.wait_for_event("success").await;

        // Signed in: from the top of the page again, Tab reaches the element's sign-out
        // control, and Enter signs out.
        s.js(
            "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)",
            vec![],
        )
        .await;
        let mut steps = 0;
        loop {
            s.press(Key::Tab).await;
            let label = s
                .js(
                    "const el = document.activeElement;\
                     const inner = el && el.shadowRoot && el.shadowRoot.activeElement;\
                     return el && el.localName === 'anypoint-signin' && inner\
                       ? (inner.getAttribute('aria-label') || inner.textContent) : null;",
                    vec![],
                )
                .await;
            if label.as_str().is_some_and(|l| l.contains("Sign out")) {
                break;
            }
            steps += 1;
            assert!(steps < 30, "Tab reaches the element's sign-out control");
        }
        s.press(Key::Enter).await;
        s.wait_for_event("signout").await;
        let signed_in = s
            .js(
                "return document.querySelector('anypoint-signin').signedIn",
                vec![],
            )
            .await;
        assert_eq!(signed_in, json!(false), "signed out by keyboard");
    })
    .await;
}
