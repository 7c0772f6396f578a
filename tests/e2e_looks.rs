//! The playground's Looks controls: size, shape, theme and text drive the live element and
//! the embed snippet (defaults left out, as a developer would), survive a reload, and the
//! element renders them; the spinner stands still for users who prefer reduced motion.

#![cfg(not(target_arch = "wasm32"))]

mod e2e;

use e2e::*;
use serde_json::{Value, json};

const LOOKS: [&str; 4] = ["size", "shape", "theme", "text"];

/// What the element's button shows: its text, height and background.
async fn rendered(s: &Session) -> Value {
    s.js(
        "const b = document.getElementById('signin').shadowRoot.querySelector('button');\
         const style = getComputedStyle(b);\
         return [b.textContent, style.minHeight, style.backgroundColor, style.borderTopLeftRadius];",
        vec![],
    )
    .await
}

#[tokio::test]
async fn the_looks_controls_drive_the_element_and_the_snippet() {
    run("looks", |s| async move {
        s.open_playground().await;
        for name in LOOKS {
            s.wait_for_attribute(name, None).await;
        }
        let snippet = s.text("#snippet-html").await;
        for name in LOOKS {
            assert!(
                !snippet.contains(&format!("  {name}=\"")),
                "a default look is left out: {snippet}"
            );
        }
        assert_eq!(
            rendered(&s).await,
            json!([
                "Sign in with Anypoint Platform",
                "44px",
                "rgb(0, 95, 178)",
                "4px"
            ])
        );

        let chosen = [
            ("size", "large"),
            ("shape", "pill"),
            ("theme", "dark"),
            ("text", "continue"),
        ];
        for (name, value) in chosen {
            s.choose(&format!("#{name}"), value).await;
        }
        for (name, value) in chosen {
            s.wait_for_attribute(name, Some(value)).await;
        }
        let snippet = s.text("#snippet-html").await;
        for (name, value) in chosen {
            assert!(
                snippet.contains(&format!("  {name}=\"{value}\"")),
                "{name} in the snippet: {snippet}"
            );
        }
        let shown = rendered(&s).await;
        assert_eq!(shown[0], "Continue with Anypoint");
        assert_eq!(shown[1], "52px");
        assert_eq!(shown[2], "rgb(19, 19, 20)");
        let radius: f64 = shown[3]
            .as_str()
            .unwrap()
            .trim_end_matches("px")
            .parse()
            .unwrap();
        assert!(radius > 100.0, "a pill: {shown}");
        assert_eq!(
            s.js(
                "return document.getElementById('widget-host').classList.contains('dark')",
                vec![]
            )
            .await,
            json!(true),
            "the dark theme is shown on a dark background"
        );
        s.assert_fits_the_width().await;
        s.screenshot("looks-playground.png").await;

        // The settings survive a reload.
        s.client.refresh().await.expect("reload");
        wait_for("the element to render its button again", || async {
            let shown = s
                .js(
                    "const el = document.getElementById('signin');\
                     const b = el && el.shadowRoot && el.shadowRoot.querySelector('button');\
                     return b ? b.textContent : null;",
                    vec![],
                )
                .await;
            if shown == json!("Continue with Anypoint") {
                Ok(())
            } else {
                Err(shown.to_string())
            }
        })
        .await;
        for (name, value) in chosen {
            s.wait_for_attribute(name, Some(value)).await;
        }

        // Back to the defaults: the attributes go.
        for (name, value) in [
            ("size", "medium"),
            ("shape", "rectangular"),
            ("theme", "light"),
            ("text", "signin"),
        ] {
            s.choose(&format!("#{name}"), value).await;
        }
        for name in LOOKS {
            s.wait_for_attribute(name, None).await;
        }
        assert_eq!(rendered(&s).await[0], "Sign in with Anypoint Platform");
    })
    .await;
}

/// Signs in with the token endpoint slowed down and returns, while the element is busy,
/// the spinner's animation and whether the browser says the user prefers reduced motion.
async fn spinner_while_busy(s: &Session) -> (String, bool) {
    s.allow_default_app_here().await;
    s.open_playground().await;
    s.sign_in_held_at_token_endpoint(4_000).await;
    wait_for("the spinner of a sign-in under way", || async {
        let seen = s
            .js(
                "const el = document.querySelector('anypoint-signin');\
                 const spinner = el && el.shadowRoot && el.shadowRoot.querySelector('[part=spinner]');\
                 if (!spinner || getComputedStyle(spinner).display !== 'block') return null;\
                 return [getComputedStyle(spinner).animationName,\
                         matchMedia('(prefers-reduced-motion: reduce)').matches];",
                vec![],
            )
            .await;
        serde_json::from_value::<(String, bool)>(seen.clone()).map_err(|_| seen.to_string())
    })
    .await
}

#[tokio::test]
async fn the_spinner_turns_unless_the_user_prefers_reduced_motion() {
    run("looks-motion", |s| async move {
        let (animation, reduced) = spinner_while_busy(&s).await;
        assert!(!reduced, "the browser's default: motion");
        assert_ne!(animation, "none", "the spinner turns");
    })
    .await;
    let prefs = Prefs {
        reduced_motion: true,
        ..Prefs::default()
    };
    run_in("looks-reduced-motion", prefs, |s| async move {
        let (animation, reduced) = spinner_while_busy(&s).await;
        if !reduced && s.engine == Engine::Webkit {
            // WebKitWebDriver has no setting for it: the spinner turns, as for everyone.
            eprintln!("looks-reduced-motion: WebKitGTK cannot be asked to reduce motion here");
            assert_ne!(animation, "none");
            return;
        }
        assert!(reduced, "the browser was asked to prefer reduced motion");
        assert_eq!(animation, "none", "the spinner stands still");
    })
    .await;
}
