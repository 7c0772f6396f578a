//! The playground's own features: settings that drive the live widget and the embed
//! snippet (the language and label overrides among them), and the Connected Apps panel on
//! the mock server's admin API.

#![cfg(not(target_arch = "wasm32"))]

mod e2e;

use e2e::*;
use serde_json::{Value, json};

/// The element's attributes that the settings control.
async fn element_attributes(s: &Session) -> Value {
    s.js(
        "const el = document.getElementById('signin');\
         return Object.fromEntries(['clientid', 'redirecturi', 'scopes', 'issuer', 'region']\
           .map((name) => [name, el.getAttribute(name)]));",
        vec![],
    )
    .await
}

/// Waits until the element's attributes are `wanted`.
async fn wait_for_attributes(s: &Session, wanted: Value) {
    wait_for("the element to take the settings", || async {
        let now = element_attributes(s).await;
        if now == wanted {
            Ok(())
        } else {
            Err(now.to_string())
        }
    })
    .await;
}

/// Reads an app through the admin API.
async fn read_app(s: &Session, client_id: &str) -> Value {
    let (status, app) = s.read_app(client_id).await;
    assert_eq!(status, 200, "reading {client_id}: {app}");
    app
}

/// The widget's attributes with the playground's default settings: the mock's own app,
/// this page, the mock issuer.
fn default_attributes(s: &Session, page: &str) -> Value {
    json!({
        "clientid": "anypoint-signin-playground",
        "redirecturi": page,
        "scopes": "openid profile email",
        "issuer": s.issuer(),
        "region": null,
    })
}

#[tokio::test]
async fn settings_drive_the_widget_and_the_snippet_and_survive_a_reload() {
    run("settings", |s| async move {
        s.open_playground().await;
        let page = s.page();
        assert_eq!(s.url().await, page, "?mock= is taken and removed from the address");

        // Defaults: the mock's own app, this page, the mock issuer.
        wait_for_attributes(
            &s,
            default_attributes(&s, &page),
        )
        .await;

        // Scopes: checkboxes (with the seed's descriptions) and free text.
        let description = s.text("label[for=scope-offline-access]").await;
        assert!(description.contains("Access to the user’s data when they are not logged in."), "{description}");
        s.set_checkbox("input[name=scope][value=\"read:full\"]", true).await;
        s.set_checkbox("input[name=scope][value=offline_access]", true).await;
        s.type_into("#extra-scopes", "read:exchange").await;
        s.type_into("#client-id", "my \"quoted\" app").await;
        let scopes = "read:full openid profile email offline_access read:exchange";
        wait_for_attributes(
            &s,
            json!({
                "clientid": "my \"quoted\" app",
                "redirecturi": page,
                "scopes": scopes,
                "issuer": s.issuer(),
                "region": null,
            }),
        )
        .await;
        let snippet = s.text("#snippet-html").await;
        assert!(
            snippet.starts_with("<script type=\"module\" src=\"/node_modules/anypoint-signin/anypoint-signin.js\"></script>"),
            "{snippet}"
        );
        assert!(snippet.contains("clientid=\"my &quot;quoted&quot; app\""), "attribute values are escaped: {snippet}");
        assert!(snippet.contains(&format!("scopes=\"{scopes}\"")), "{snippet}");
        assert!(snippet.contains(&format!("issuer=\"{}\"", s.issuer())), "{snippet}");
        assert!(s.text("#snippet-js").await.contains("addEventListener('anypoint-signin-success'"));

        // Storage and profile sources: only non-defaults appear, in the element and the snippet.
        s.find("#more-settings summary")
            .await
            .click()
            .await
            .expect("open the more options");
        s.find("#storage")
            .await
            .select_by_value("session")
            .await
            .expect("choose session storage");
        s.find("#profile")
            .await
            .select_by_value("me")
            .await
            .expect("choose /accounts/api/me");
        wait_for("storage and profile on the element", || async {
            let now = s
                .js(
                    "const el = document.getElementById('signin');\
                     return [el.getAttribute('storage'), el.getAttribute('profile'), el.getAttribute('logouturl')];",
                    vec![],
                )
                .await;
            if now == json!(["session", "me", null]) { Ok(()) } else { Err(now.to_string()) }
        })
        .await;
        let snippet = s.text("#snippet-html").await;
        assert!(snippet.contains("storage=\"session\"") && snippet.contains("profile=\"me\""), "{snippet}");
        assert!(!snippet.contains("logouturl"), "{snippet}");

        // A region is expressed as one.
        let eu = json!({
            "clientid": "my \"quoted\" app",
            "redirecturi": page,
            "scopes": scopes,
            "issuer": null,
            "region": "eu",
        });
        s.find("#server").await.select_by_value("eu").await.expect("choose EU");
        wait_for_attributes(
            &s,
            eu.clone(),
        )
        .await;
        let snippet = s.text("#snippet-html").await;
        assert!(snippet.contains("region=\"eu\"") && !snippet.contains("issuer="), "{snippet}");
        assert_eq!(
            s.text("#issuer-shown").await,
            "Issuer: https://eu1.anypoint.mulesoft.com/accounts/api/v2/oauth2"
        );
        assert_eq!(s.js("return document.getElementById('mock-url-field').hidden", vec![]).await, json!(true));

        // The copy button puts the snippet on the clipboard.
        let granted = s
            .client
            .execute_async(
                "const [done] = arguments;\
                 navigator.permissions.query({name: 'clipboard-read'}).then((p) => done(p.state), (e) => done(String(e)));",
                vec![],
            )
            .await
            .expect("permission query");
        s.find("#copy-snippet").await.click().await.expect("click Copy HTML");
        let copied = wait_for("the copy confirmation", || async {
            let text = s.text("#copy-status").await;
            if text.is_empty() { Err(text) } else { Ok(text) }
        })
        .await;
        assert!(copied == "Copied to the clipboard." || copied.starts_with("Selected"), "{copied} ({granted})");

        // Settings survive a reload (and so the round trip to the authorization server).
        s.client.refresh().await.expect("reload");
        s.wait_until_ready().await;
        wait_for_attributes(
            &s,
            eu,
        )
        .await;
        assert_eq!(s.find("#server").await.prop("value").await.expect("value").as_deref(), Some("eu"));

        // A misconfiguration shows on the widget and in the status line at once.
        s.find("#client-id").await.clear().await.expect("clear the client ID");
        s.expect_error("missing_client_id").await;
        assert!(!s.button_state().await.1, "the button is disabled");

        // Reset brings back the working defaults.
        s.find("#reset-settings").await.click().await.expect("reset");
        wait_for_attributes(
            &s,
            default_attributes(&s, &page),
        )
        .await;
        assert!(s.button_state().await.1, "the button works again");
        let rest = s
            .js(
                "const el = document.getElementById('signin');\
                 return [el.getAttribute('storage'), el.getAttribute('profile')];",
                vec![],
            )
            .await;
        assert_eq!(rest, json!([null, null]), "defaults are left out");
    })
    .await;
}

#[tokio::test]
async fn connected_apps_panel_creates_apps_changes_secrets_and_configures_the_widget() {
    run("connected-apps", |s| async move {
        s.open_playground().await;
        assert_eq!(
            s.find("#admin-token").await.prop("value").await.expect("value").as_deref(),
            Some(ADMIN_TOKEN),
            "the local mock's token is prefilled"
        );
        // The list loads by itself: the mock's default app is in it.
        s.find("li[data-client-id=anypoint-signin-playground]").await;

        // A public client for the widget, with this page as redirect URI by default.
        assert_eq!(s.find("#app-redirects").await.prop("value").await.expect("value"), Some(s.page()));
        s.type_into("#app-name", "Panel app").await;
        s.type_into("#app-website", "https://app.example.com/").await;
        s.find("#app-audience").await.select_by_value("everyone").await.expect("audience");
        s.set_checkbox("input[name=app-scope][value=\"read:full\"]", true).await;
        s.find("#app-create").await.click().await.expect("create the app");
        let status = wait_for("the app to be created", || async {
            let text = s.text("#apps-status").await;
            if text.starts_with("Created “Panel app”") { Ok(text) } else { Err(text) }
        })
        .await;
        let client_id = status
            .rsplit("client ID ")
            .next()
            .and_then(|t| t.strip_suffix('.'))
            .expect("the status names the client ID")
            .to_owned();
        let card = format!("li[data-client-id=\"{client_id}\"]");
        s.find(&card).await;
        assert_eq!(s.text(&format!("{card} .client-id")).await, client_id);
        assert!(s.text(&format!("{card} .client-secret")).await.starts_with("none"), "a public client has no secret");
        let app = read_app(&s, &client_id).await;
        assert_eq!(app["client_name"], "Panel app");
        assert_eq!(app["public_client"], true);
        assert_eq!(app["grant_types"], json!(["authorization_code", "refresh_token"]));
        assert_eq!(app["redirect_uris"], json!([s.page()]));
        assert_eq!(app["audience"], "everyone");
        assert_eq!(app["website_url"], "https://app.example.com/");
        assert_eq!(app["scopes"], json!(["read:full", "openid", "profile", "email", "offline_access"]));

        // A confidential app shows its secret, which can be changed.
        s.type_into("#app-name", "Server app").await;
        s.set_checkbox("#app-public", false).await;
        s.find("#app-create").await.click().await.expect("create the app");
        let status = wait_for("the second app", || async {
            let text = s.text("#apps-status").await;
            if text.starts_with("Created “Server app”") { Ok(text) } else { Err(text) }
        })
        .await;
        let server_id = status.rsplit("client ID ").next().and_then(|t| t.strip_suffix('.')).expect("id").to_owned();
        let server_card = format!("li[data-client-id=\"{server_id}\"]");
        s.find(&server_card).await;
        let first_secret = s.text(&format!("{server_card} .client-secret")).await;
        assert_eq!(read_app(&s, &server_id).await["client_secret"], first_secret.as_str());
        assert!(s.text(&server_card).await.contains("A confidential app"), "the card warns about the widget");
        s.find(&format!("{server_card} .rotate-secret")).await.click().await.expect("change the secret");
        let random_secret = wait_for("a new random secret", || async {
            let now = s.text(&format!("{server_card} .client-secret")).await;
            if now != first_secret && !now.is_empty() { Ok(now) } else { Err(now) }
        })
        .await;
        assert_eq!(read_app(&s, &server_id).await["client_secret"], random_secret.as_str());
        s.type_into(&format!("{server_card} .new-secret"), "chosen-secret-2026").await;
        s.find(&format!("{server_card} .rotate-secret")).await.click().await.expect("set the secret");
        wait_for("the chosen secret", || async {
            let now = s.text(&format!("{server_card} .client-secret")).await;
            if now == "chosen-secret-2026" { Ok(()) } else { Err(now) }
        })
        .await;
        assert_eq!(read_app(&s, &server_id).await["client_secret"], "chosen-secret-2026");

        // One click configures the widget with the public app, and it signs in.
        s.find(&format!("{card} .use-app")).await.click().await.expect("use the app");
        assert_eq!(s.find("#client-id").await.prop("value").await.expect("value"), Some(client_id.clone()));
        assert_eq!(s.focused().await, "#try", "focus moves to the widget");
        assert!(s.status().await.0.starts_with("Using “Panel app”"));
        let attributes = s
            .js("const el = document.getElementById('signin'); return [el.getAttribute('clientid'), el.getAttribute('scopes')];", vec![])
            .await;
        assert_eq!(attributes, json!([client_id, "read:full openid profile email offline_access"]));
        let url = s.authorize_url_without_leaving().await;
        let callback = s.authorize_directly(&url).await;
        s.client.goto(&callback).await.expect("open the callback");
        let success = s.wait_for_event("success").await;
        assert_eq!(success["claims"]["aud"], client_id.as_str());
        assert_eq!(success["scope"], "read:full openid profile email offline_access");

        // Deleting an app removes it from the list.
        s.find(&format!("{server_card} .delete-app")).await.click().await.expect("delete");
        wait_for("the deleted app to leave the list", || async {
            let found = s.js("return !!document.querySelector(arguments[0])", vec![json!(server_card)]).await;
            if found == json!(false) { Ok(()) } else { Err("still listed".to_owned()) }
        })
        .await;
        let (status, _) = s.read_app(&server_id).await;
        assert_eq!(status, 404);
    })
    .await;
}

/// The text of the element's shadow part `part` (`label`: the button's text), or null.
async fn part_text(s: &Session, part: &str) -> Value {
    s.js(
        "const el = document.getElementById('signin');\
         const node = el && el.shadowRoot && el.shadowRoot.querySelector(`[part~=\"${arguments[0]}\"]`);\
         return node ? node.textContent : null;",
        vec![json!(part)],
    )
    .await
}

/// Waits until the element's shadow part `part` reads `wanted`.
async fn wait_for_part(s: &Session, part: &str, wanted: &str) {
    wait_for(
        &format!("the element's {part} to read {wanted:?}"),
        || async {
            let now = part_text(s, part).await;
            if now == json!(wanted) {
                Ok(())
            } else {
                Err(now.to_string())
            }
        },
    )
    .await;
}

/// The value of a form control of the playground.
async fn value_of(s: &Session, css: &str) -> String {
    s.find(css)
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

/// Where `needle` is in `snippet`; panics if it is not there.
fn position(snippet: &str, needle: &str) -> usize {
    snippet
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in the snippet: {snippet}"))
}

/// The label overrides: the Looks field's id (the attribute's name) and its placeholder,
/// the English default.
const LABELS: [(&str, &str); 4] = [
    ("signinlabel", "Sign in with Anypoint Platform"),
    ("signoutlabel", "Sign out"),
    ("busylabel", "Signing in…"),
    ("userlabel", "Signed in as {name}"),
];

#[tokio::test]
async fn language_and_labels_drive_the_widget_and_the_snippet() {
    run("language-and-labels", |s| async move {
        s.allow_default_app_here().await;
        s.open_playground().await;

        // Defaults: the page's language (no lang attribute), no label set, the English texts.
        assert_eq!(value_of(&s, "#lang").await, "", "automatic by default");
        s.wait_for_attribute("lang", None).await;
        for (name, placeholder) in LABELS {
            assert_eq!(
                value_of(&s, &format!("#{name}")).await,
                "",
                "{name} is empty by default"
            );
            assert_eq!(
                s.find(&format!("#{name}"))
                    .await
                    .attr("placeholder")
                    .await
                    .expect("placeholder")
                    .as_deref(),
                Some(placeholder),
                "{name}'s placeholder is the English default"
            );
            s.wait_for_attribute(name, None).await;
        }
        let snippet = s.text("#snippet-html").await;
        assert!(
            !snippet.contains(" lang=\"") && !snippet.contains("label=\""),
            "{snippet}"
        );
        wait_for_part(&s, "label", "Sign in with Anypoint Platform").await;

        // French: the attribute, the snippet, the button's text.
        s.choose("#lang", "fr").await;
        s.wait_for_attribute("lang", Some("fr")).await;
        let snippet = s.text("#snippet-html").await;
        assert!(snippet.contains("  lang=\"fr\""), "{snippet}");
        wait_for_part(&s, "label", "Se connecter avec Anypoint Platform").await;

        // Each text in French; the language comes after the looks in the snippet, and the
        // sign-in label's placeholder follows the text chosen.
        s.choose("#text", "continue").await;
        s.wait_for_attribute("text", Some("continue")).await;
        wait_for_part(&s, "label", "Continuer avec Anypoint").await;
        let snippet = s.text("#snippet-html").await;
        assert!(
            position(&snippet, "  text=\"continue\"") < position(&snippet, "  lang=\"fr\""),
            "the language after the looks: {snippet}"
        );
        assert_eq!(
            s.find("#signinlabel")
                .await
                .attr("placeholder")
                .await
                .expect("placeholder")
                .as_deref(),
            Some("Continue with Anypoint")
        );
        s.choose("#text", "signin").await;
        s.wait_for_attribute("text", None).await;
        wait_for_part(&s, "label", "Se connecter avec Anypoint Platform").await;

        // A label override wins over the language, in the element and the snippet, after
        // the language; {name} is kept as it is.
        s.type_into("#signinlabel", "Entrer chez Acme").await;
        s.wait_for_attribute("signinlabel", Some("Entrer chez Acme"))
            .await;
        wait_for_part(&s, "label", "Entrer chez Acme").await;
        s.type_into("#signoutlabel", "Quitter Acme").await;
        s.type_into("#userlabel", "Bienvenue, {name} \"chez\" Acme")
            .await;
        s.wait_for_attribute("signoutlabel", Some("Quitter Acme"))
            .await;
        s.wait_for_attribute("userlabel", Some("Bienvenue, {name} \"chez\" Acme"))
            .await;
        let snippet = s.text("#snippet-html").await;
        assert!(
            position(&snippet, "  lang=\"fr\"")
                < position(&snippet, "  signinlabel=\"Entrer chez Acme\""),
            "the labels after the language: {snippet}"
        );
        position(&snippet, "  signoutlabel=\"Quitter Acme\"");
        position(
            &snippet,
            "  userlabel=\"Bienvenue, {name} &quot;chez&quot; Acme\"",
        );
        assert!(
            !snippet.contains("busylabel"),
            "an empty label is left out: {snippet}"
        );

        // The settings survive the round trip of a sign-in, and the signed-in labels show.
        let url = s.authorize_url_without_leaving().await;
        let callback = s.authorize_directly(&url).await;
        s.client.goto(&callback).await.expect("open the callback");
        let success = s.wait_for_event("success").await;
        let name = success["claims"]["name"]
            .as_str()
            .expect("the user's name")
            .to_owned();
        assert_eq!(value_of(&s, "#lang").await, "fr");
        assert_eq!(value_of(&s, "#signinlabel").await, "Entrer chez Acme");
        s.wait_for_attribute("lang", Some("fr")).await;
        wait_for_part(&s, "label", "Quitter Acme").await;
        wait_for_part(&s, "user", &format!("Bienvenue, {name} \"chez\" Acme")).await;
        s.type_into("#userlabel", "").await;
        s.wait_for_attribute("userlabel", None).await;
        wait_for_part(&s, "user", &format!("Connecté en tant que {name}")).await;
        // A taller window shows the widget with all its Looks beside the inspector (the
        // README's docs/playground.png is a copy of this screenshot).
        s.client
            .set_window_size(1280, 1200)
            .await
            .expect("resize the window");
        s.js(
            "document.getElementById('try').scrollIntoView({block: 'start'})",
            vec![],
        )
        .await;
        s.screenshot("playground-language-and-labels.png").await;
        s.client
            .set_window_size(1280, 1000)
            .await
            .expect("resize the window back");

        // Reset: automatic language, no labels, the English texts.
        s.find("#reset-settings")
            .await
            .click()
            .await
            .expect("reset");
        s.wait_for_attribute("lang", None).await;
        assert_eq!(value_of(&s, "#lang").await, "");
        for (name, _) in LABELS {
            s.wait_for_attribute(name, None).await;
            assert_eq!(
                value_of(&s, &format!("#{name}")).await,
                "",
                "{name} is cleared"
            );
        }
        let snippet = s.text("#snippet-html").await;
        assert!(
            !snippet.contains(" lang=\"") && !snippet.contains("label=\""),
            "{snippet}"
        );
        wait_for_part(&s, "label", "Sign out").await;
        wait_for_part(&s, "user", &format!("Signed in as {name}")).await;
        s.assert_fits_the_width().await;
    })
    .await;
}
