//! The element's languages in a real browser: each language module's texts on the button,
//! fetched only when an element speaks it; `lang` on the element, else the closest
//! ancestor's, else the browser's preferred languages, else English, followed live; an
//! unknown language is English without an error; the label attributes win in every
//! language; and an error's sentence under the button is the language's, while the event's
//! `description` stays English.

#![cfg(not(target_arch = "wasm32"))]

mod e2e;

use e2e::*;
use serde_json::{Value, json};

/// The language modules, `js/lang/<tag>.js`: each `export default` of a JSON object.
fn languages() -> Vec<(String, Value)> {
    let mut found: Vec<(String, Value)> = std::fs::read_dir(root().join("js/lang"))
        .expect("js/lang")
        .map(|entry| {
            let path = entry.expect("a file of js/lang").path();
            let tag = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).expect("a language module");
            let object = &text[text.find("export default ").expect("export default") + 15..];
            let object = object.trim_end().trim_end_matches(';');
            let strings = serde_json::from_str(object)
                .unwrap_or_else(|e| panic!("{}: not a JSON object: {e}", path.display()));
            (tag, strings)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn strings_of(tag: &str) -> Value {
    languages()
        .into_iter()
        .find(|(t, _)| t == tag)
        .unwrap_or_else(|| panic!("no js/lang/{tag}.js"))
        .1
}

/// What the element shows: the button's text, its accessible name and `lang`, the status
/// for screen readers, the user line, and the message with its `lang` (`null` while the
/// page has no element, e.g. at the authorization server).
async fn shown(s: &Session) -> Value {
    s.js(
        "const el = document.querySelector('anypoint-signin');\
         const root = el && el.shadowRoot;\
         if (!root) return null;\
         const b = root.querySelector('button');\
         const m = root.querySelector('[part=message]');\
         return {\
           text: b.textContent, name: b.getAttribute('aria-label'), lang: b.lang,\
           status: root.querySelector('.v').textContent,\
           user: root.querySelector('[part=user]').textContent,\
           message: m.textContent, messageLang: m.lang,\
         };",
        vec![],
    )
    .await
}

/// Waits until `shown(s)[field]` is `wanted`.
async fn wait_until_shown(s: &Session, field: &str, wanted: &str) -> Value {
    wait_for(
        &format!("the element's {field} to read {wanted:?}"),
        || async {
            let now = shown(s).await;
            if now[field] == wanted {
                Ok(now)
            } else {
                Err(now.to_string())
            }
        },
    )
    .await
}

/// Runs `script` with the page's element as `el`.
async fn on_element(s: &Session, script: &str) {
    s.js(
        &format!("const el = document.querySelector('anypoint-signin'); {script}"),
        vec![],
    )
    .await;
}

/// The language modules the page has fetched, in order.
async fn fetched_languages(s: &Session) -> Vec<String> {
    let names = s
        .js(
            "return performance.getEntriesByType('resource').map((e) => e.name)\
               .filter((n) => n.includes('/lang/'));",
            vec![],
        )
        .await;
    names
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let n = n.as_str().unwrap();
            n[n.rfind('/').unwrap() + 1..]
                .trim_end_matches(".js")
                .to_owned()
        })
        .collect()
}

#[test]
fn every_language_has_every_text() {
    let english = ["signin", "short", "continue", "signout", "busy", "user"];
    let all = languages();
    assert_eq!(
        all.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
        ["de", "es", "fr", "ja", "pt-BR", "zh-CN"]
    );
    for (tag, strings) in &all {
        let keys: Vec<&str> = strings
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys.iter().filter(|k| **k != "messages").count(),
            english.len(),
            "{tag}: {keys:?}"
        );
        for key in english {
            let text = strings[key]
                .as_str()
                .unwrap_or_else(|| panic!("{tag}: {key}"));
            assert!(!text.trim().is_empty(), "{tag}: {key}");
            assert!(!text.contains('<'), "{tag}: {key} is text, not markup");
        }
        assert!(
            strings["user"].as_str().unwrap().contains("{name}"),
            "{tag}: the user line names the user"
        );
        let messages = strings["messages"].as_object().unwrap();
        let notices: Vec<&str> = anypoint_signin::protocol::Notice::ALL
            .iter()
            .map(|n| n.as_str())
            .collect();
        let mut have: Vec<&str> = messages.keys().map(String::as_str).collect();
        let mut want = notices.clone();
        have.sort_unstable();
        want.sort_unstable();
        assert_eq!(have, want, "{tag}: a sentence for each notice");
        for (notice, sentence) in messages {
            let sentence = sentence.as_str().unwrap();
            assert!(
                !sentence.trim().is_empty() && !sentence.contains('<'),
                "{tag}: {notice}"
            );
        }
    }
    // Each is translated: no English text is left in another language.
    let texts = |strings: &Value| -> Vec<String> {
        english
            .iter()
            .map(|k| strings[k].as_str().unwrap().to_owned())
            .collect()
    };
    for (tag, strings) in &all {
        for (english_text, text) in [
            "Sign in with Anypoint Platform",
            "Sign in",
            "Continue with Anypoint",
            "Sign out",
            "Signing in…",
            "Signed in as {name}",
        ]
        .iter()
        .zip(texts(strings))
        {
            assert_ne!(*english_text, text, "{tag}");
        }
    }
    // The package's entry loads exactly these modules.
    let entry = std::fs::read_to_string(root().join("pkg-template/anypoint-signin.js")).unwrap();
    for (tag, _) in &all {
        assert!(
            entry.contains(&format!("'{tag}': () => import('./lang/{tag}.js')"))
                || entry.contains(&format!("{tag}: () => import('./lang/{tag}.js')")),
            "the entry's loader of {tag}"
        );
    }
    assert_eq!(
        entry.matches("import('./lang/").count(),
        all.len(),
        "the entry loads no other language"
    );
}

#[tokio::test]
async fn each_language_follows_lang_and_is_fetched_only_when_needed() {
    run("languages-lang", |s| async move {
        s.open_playground().await;
        let english = shown(&s).await;
        assert_eq!(english["text"], "Sign in with Anypoint Platform");
        assert_eq!(english["lang"], "en");
        assert_eq!(
            fetched_languages(&s).await,
            Vec::<String>::new(),
            "an English page fetches no language"
        );

        let all = languages();
        for (tag, strings) in &all {
            on_element(&s, &format!("el.setAttribute('lang', '{tag}')")).await;
            let now = wait_until_shown(&s, "text", strings["signin"].as_str().unwrap()).await;
            assert_eq!(now["name"], strings["signin"], "{tag}: the accessible name");
            assert_eq!(now["lang"], *tag, "{tag}: the button's lang");
            // `text` picks among the language's own texts.
            on_element(&s, "el.setAttribute('text', 'short')").await;
            wait_until_shown(&s, "text", strings["short"].as_str().unwrap()).await;
            on_element(&s, "el.setAttribute('text', 'continue')").await;
            wait_until_shown(&s, "text", strings["continue"].as_str().unwrap()).await;
            on_element(&s, "el.removeAttribute('text')").await;
        }
        let mut fetched = fetched_languages(&s).await;
        fetched.sort();
        assert_eq!(
            fetched,
            all.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(),
            "each language fetched once, when first needed"
        );

        // Region subtags and other cases find their language.
        for (tag, language) in [("fr-CA", "fr"), ("PT-pt", "pt-BR"), ("zh-Hans-SG", "zh-CN")] {
            on_element(&s, &format!("el.setAttribute('lang', '{tag}')")).await;
            let wanted = strings_of(language)["signin"].as_str().unwrap().to_owned();
            wait_until_shown(&s, "text", &wanted).await;
        }
        // A language there is no module for is English, without an error.
        for tag in ["ko", "zh-TW", "", "not a tag"] {
            on_element(&s, "el.setAttribute('lang', 'ja')").await;
            wait_until_shown(&s, "lang", "ja").await;
            on_element(&s, &format!("el.setAttribute('lang', {})", json!(tag))).await;
            wait_until_shown(&s, "text", "Sign in with Anypoint Platform").await;
            assert_eq!(shown(&s).await["lang"], "en", "{tag:?}");
        }
        let events = s.events().await;
        assert!(
            !events.iter().any(|e| e.name == "anypoint-signin-error"),
            "no error event: {events:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_closest_lang_wins_then_the_browsers_languages() {
    // Traditional Chinese first: there is no module for it, so German, the next, is chosen.
    run_in(
        "languages-closest",
        Prefs {
            languages: Some("zh-TW,de-DE,de"),
            ..Prefs::default()
        },
        |s| async move {
        s.open_playground().await;
        // The page says it is English (`<html lang="en">`): English, whatever the browser.
        assert_eq!(shown(&s).await["text"], "Sign in with Anypoint Platform");
        // Without a `lang` anywhere, the browser's languages decide. WebKitGTK takes them
        // from the process's locale (`C`, or `en-US`, where no other is installed) rather
        // than from the driver: English then.
        let preferred = s.js("return navigator.languages", vec![]).await;
        let from_browser = if preferred == json!(["zh-TW", "de-DE", "de"]) {
            strings_of("de")["signin"].as_str().unwrap().to_owned()
        } else {
            assert!(
                s.engine == Engine::Webkit && [json!(["C"]), json!(["en-US"])].contains(&preferred),
                "the browser's preferred languages: {preferred}"
            );
            eprintln!(
                "languages-closest: WebKitGTK prefers {preferred} here (no German locale): \
                 checking that the browser's first language, English, is followed"
            );
            "Sign in with Anypoint Platform".to_owned()
        };
        s.js("document.documentElement.removeAttribute('lang')", vec![])
            .await;
        wait_until_shown(&s, "text", &from_browser).await;
        // The closest ancestor's `lang`, across the page's containers.
        let japanese = strings_of("ja");
        on_element(&s, "el.parentElement.setAttribute('lang', 'ja')").await;
        wait_until_shown(&s, "text", japanese["signin"].as_str().unwrap()).await;
        // The element's own wins over its ancestors'.
        let spanish = strings_of("es");
        on_element(&s, "el.setAttribute('lang', 'es')").await;
        wait_until_shown(&s, "text", spanish["signin"].as_str().unwrap()).await;
        on_element(&s, "el.removeAttribute('lang')").await;
        wait_until_shown(&s, "text", japanese["signin"].as_str().unwrap()).await;
        on_element(&s, "el.parentElement.removeAttribute('lang')").await;
        wait_until_shown(&s, "text", &from_browser).await;
        // Inside another component's shadow root, the host's `lang` counts.
        s.js(
            "const host = document.createElement('div');\
             host.setAttribute('lang', 'fr');\
             document.body.append(host);\
             host.attachShadow({ mode: 'open' }).append(document.createElement('anypoint-signin'));",
            vec![],
        )
        .await;
        let french = strings_of("fr");
        wait_for("the element in a shadow root to speak French", || async {
            let text = s
                .js(
                    "const host = document.body.lastElementChild;\
                     return host.shadowRoot.querySelector('anypoint-signin')\
                       .shadowRoot.querySelector('button').textContent;",
                    vec![],
                )
                .await;
            if text == french["signin"] {
                Ok(())
            } else {
                Err(text.to_string())
            }
        })
        .await;
    })
    .await;
}

#[tokio::test]
async fn labels_override_every_language_and_errors_read_in_it() {
    run("languages-labels", |s| async move {
        s.allow_default_app_here().await;
        s.open_playground().await;
        let german = strings_of("de");

        // A configuration error: the sentence under the button is German, the event's English.
        on_element(
            &s,
            "el.setAttribute('lang', 'de'); el.removeAttribute('clientid')",
        )
        .await;
        let description = s.expect_error("missing_client_id").await;
        let now =
            wait_until_shown(&s, "message", german["messages"]["setup"].as_str().unwrap()).await;
        assert_eq!(now["messageLang"], "de");
        assert!(
            description.contains("clientid"),
            "the event's description is the developer's English: {description}"
        );
        // In English, the message is that description.
        on_element(&s, "el.setAttribute('lang', 'en')").await;
        let now = wait_until_shown(&s, "message", &description).await;
        assert_eq!(now["messageLang"], "en");
        s.open_playground().await;

        // The sign-in label wins over `text`, in any language, until it is removed.
        on_element(
            &s,
            "el.setAttribute('lang', 'de'); el.setAttribute('text', 'short');\
             el.signInLabel = 'Bei Acme anmelden';",
        )
        .await;
        let now = wait_until_shown(&s, "text", "Bei Acme anmelden").await;
        assert_eq!(now["name"], "Bei Acme anmelden");
        on_element(&s, "el.signInLabel = null").await;
        wait_until_shown(&s, "text", german["short"].as_str().unwrap()).await;
        on_element(&s, "el.setAttribute('signinlabel', '')").await;
        wait_until_shown(&s, "text", german["short"].as_str().unwrap()).await;

        // Busy: back from the authorization server while the token endpoint takes its time.
        s.sign_in_held_at_token_endpoint(4_000).await;
        wait_until_shown(&s, "status", "Signing in…").await;
        on_element(&s, "el.lang = 'de'").await;
        wait_until_shown(&s, "status", german["busy"].as_str().unwrap()).await;
        on_element(&s, "el.busyLabel = 'Einen Moment…'").await;
        wait_until_shown(&s, "status", "Einen Moment…").await;

        // Signed in: the sign-out text and the user line, translated and overridden.
        s.wait_for_event("success").await;
        let name = s
            .js(
                "return document.querySelector('anypoint-signin').user.name",
                vec![],
            )
            .await;
        let name = name.as_str().expect("the user's name");
        let now = wait_until_shown(&s, "text", german["signout"].as_str().unwrap()).await;
        assert_eq!(
            now["user"],
            german["user"].as_str().unwrap().replace("{name}", name)
        );
        assert_eq!(
            now["name"],
            format!("{} ({name})", german["signout"].as_str().unwrap())
        );
        on_element(
            &s,
            "el.signOutLabel = 'Tschüss'; el.userLabel = 'Hallo {name}, schön, dass du da bist';",
        )
        .await;
        let now = wait_until_shown(&s, "text", "Tschüss").await;
        assert_eq!(now["name"], format!("Tschüss ({name})"));
        assert_eq!(now["user"], format!("Hallo {name}, schön, dass du da bist"));
        // A name that looks like a pattern stays text.
        on_element(&s, "el.userLabel = '$& {name} $1'").await;
        wait_until_shown(&s, "user", &format!("$& {name} $1")).await;
    })
    .await;
}
