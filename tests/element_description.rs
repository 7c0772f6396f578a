//! `js/element-description.json` is the one description of `<anypoint-signin>`: these tests
//! hold it, in both directions, against what documents and implements the element — the
//! README's tables (attributes, properties, methods, events, error codes, styling), the
//! runner (`js/element.js`: its generated attribute lists and texts, shadow parts, slots,
//! custom properties, methods and getters), the Rust error codes and event names, the package's declarations
//! (`pkg-template/anypoint-signin.d.ts`) and, once `make pkg` has run, the package's
//! `custom-elements.json`. A name added to or removed from one of them alone fails here.

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    let full = root().join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn description() -> Value {
    serde_json::from_str(&read("js/element-description.json")).expect("the description is JSON")
}

/// The strings of `value[key]`, or of each object's `field` there.
fn names(value: &Value, key: &str, field: Option<&str>) -> Vec<String> {
    value[key]
        .as_array()
        .unwrap_or_else(|| panic!("description: `{key}` is not a list"))
        .iter()
        .map(|item| {
            let v = field.map_or(item, |f| &item[f]);
            v.as_str()
                .unwrap_or_else(|| panic!("description: `{key}` has a non-string {field:?}"))
                .to_owned()
        })
        .collect()
}

fn set<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> BTreeSet<String> {
    items.into_iter().map(Into::into).collect()
}

/// The text under the README heading `heading`, up to the next heading of any level.
fn readme_section(heading: &str) -> String {
    let readme = read("README.md");
    let start = readme
        .lines()
        .position(|l| l == heading)
        .unwrap_or_else(|| panic!("README.md has no heading {heading:?}"));
    readme
        .lines()
        .skip(start + 1)
        .take_while(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The cells of the section's (first) table's body rows.
fn table_rows(section: &str) -> Vec<Vec<String>> {
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|row| {
            row.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_owned())
                .collect()
        })
        .collect()
}

/// The `code spans` of a Markdown text, in order.
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The single code span a cell holds.
fn code_cell(cell: &str) -> String {
    let spans = backticked(cell);
    assert!(
        spans.len() == 1 && cell == format!("`{}`", spans[0]),
        "expected one code span, found {cell:?}"
    );
    spans[0].clone()
}

/// The paragraph (text between blank lines, lines joined) that contains `marker`.
fn paragraph_with(section: &str, marker: &str) -> String {
    section
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|p| p.contains(marker))
        .unwrap_or_else(|| panic!("no paragraph with {marker:?}"))
}

/// The text between `open` and the next `close` after it.
fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text
        .find(open)
        .unwrap_or_else(|| panic!("{open:?} not found"))
        + open.len();
    let len = text[start..]
        .find(close)
        .unwrap_or_else(|| panic!("{close:?} not found after {open:?}"));
    &text[start..start + len]
}

/// The single-quoted strings of a text, in order.
fn quoted(text: &str) -> Vec<String> {
    text.split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn attributes_match_the_readme_table() {
    let d = description();
    let rows = table_rows(&readme_section("### Attributes and properties"));
    let readme: Vec<(String, String)> = rows
        .iter()
        .map(|r| (code_cell(&r[0]), code_cell(&r[1])))
        .collect();
    let described: Vec<(String, String)> = d["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_owned(),
                a["property"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        readme, described,
        "README's attribute table and the description"
    );
    for (row, a) in rows.iter().zip(d["attributes"].as_array().unwrap()) {
        let name = a["name"].as_str().unwrap();
        match a["default"].as_str() {
            Some(default) => assert_eq!(row[2], format!("`{default}`"), "default of {name}"),
            None => assert!(
                !row[2].starts_with('`'),
                "README gives {name} the default {}, the description none",
                row[2]
            ),
        }
        // An attribute with a fixed set of values lists each of them in its row.
        let spans = set(backticked(&row[3]));
        for v in a["values"].as_array().into_iter().flatten() {
            let v = v.as_str().unwrap();
            assert!(
                spans.contains(v),
                "README's row of {name} does not name `{v}`"
            );
        }
        assert!(
            a["values"].is_array() != a["type"].is_string(),
            "{name}: either `type` or `values`"
        );
    }
}

#[test]
fn read_only_properties_match_the_readme() {
    let d = description();
    let text = paragraph_with(
        &readme_section("### Attributes and properties"),
        "Read-only properties:",
    );
    let after = text.split("Read-only properties:").nth(1).unwrap();
    let readme = set(backticked(after).into_iter().filter(|s| s != "null"));
    assert_eq!(readme, set(names(&d, "properties", Some("name"))));
    for p in d["properties"].as_array().unwrap() {
        assert_eq!(p["readonly"], true, "{}", p["name"]);
    }
}

#[test]
fn methods_match_the_readme_table() {
    let d = description();
    let rows = table_rows(&readme_section("### Methods"));
    let methods = d["methods"].as_array().unwrap();
    let readme: Vec<String> = rows
        .iter()
        .map(|r| code_cell(&r[0]).split('(').next().unwrap().to_owned())
        .collect();
    assert_eq!(readme, names(&d, "methods", Some("name")));
    for (row, m) in rows.iter().zip(methods) {
        let signature = code_cell(&row[0]);
        let args = between(&signature, "(", ")");
        let params = m["parameters"].as_array().unwrap();
        assert_eq!(
            args.is_empty(),
            params.is_empty(),
            "parameters of {signature}"
        );
        if !args.is_empty() && !args.starts_with('{') {
            assert_eq!(args, params[0]["name"], "parameter of {signature}");
        }
    }
}

#[test]
fn events_match_the_readme_table_and_the_machine() {
    let d = description();
    let rows = table_rows(&readme_section("### Events"));
    let events = d["events"].as_array().unwrap();
    let readme: Vec<String> = rows.iter().map(|r| code_cell(&r[0])).collect();
    assert_eq!(readme, names(&d, "events", Some("name")));
    for (row, e) in rows.iter().zip(events) {
        let name = e["name"].as_str().unwrap();
        let detail = &backticked(&row[1])[0];
        let readme_fields: Vec<String> = detail
            .trim_matches(|c| c == '{' || c == '}')
            .split(", ")
            .filter(|f| !f.is_empty())
            .map(|f| f.split('(').next().unwrap().to_owned())
            .collect();
        assert_eq!(
            readme_fields,
            names(e, "detail", None),
            "detail fields of {name}"
        );
        assert_eq!(
            row[1].contains("on the element only"),
            e["bubbles"] == false,
            "README and the description on whether {name} bubbles"
        );
        assert_eq!(
            row[1].contains("cancelable"),
            e["cancelable"] == true,
            "README and the description on whether {name} is cancelable"
        );
    }
    // The machine's event names (src/flow/events.rs).
    let source = read("src/flow/events.rs");
    let machine = set(source
        .lines()
        .filter(|l| l.starts_with("pub const ") && l.contains(": &str = \""))
        .map(|l| between(l, "\"", "\"").to_owned()));
    assert_eq!(machine, set(names(&d, "events", Some("name"))));
}

#[test]
fn error_codes_match_the_readme_table_and_the_code() {
    let d = description();
    let described = set(names(&d, "errorCodes", None));
    let provider = set(names(&d, "providerErrorCodes", None));
    let mut readme = BTreeSet::new();
    for row in table_rows(&readme_section("### Error codes")) {
        let codes = backticked(&row[0]);
        if row[0].contains('…') {
            // The authorization server's own codes: examples of the open set.
            for c in codes {
                assert!(
                    provider.contains(&c),
                    "README's provider code {c} is not in providerErrorCodes"
                );
            }
        } else {
            readme.extend(codes);
        }
    }
    assert_eq!(
        readme, described,
        "README's error codes and the description"
    );
    assert!(described.is_disjoint(&provider));

    // Rust's codes (ErrorCode::as_str reads them from the text CODES, one quoted code and
    // its separating space a line; the last, `provider`, stands for ErrorCode::Provider,
    // whose code is the provider's own), and the codes the JavaScript raises itself.
    let error_rs = read("src/protocol/error.rs");
    let table = between(&error_rs, "const CODES: &str = concat!(", ");");
    let mut code = set(table
        .lines()
        .filter(|l| l.contains('"'))
        .map(|l| between(l, "\"", "\"").trim_end().to_owned()));
    assert!(
        code.remove("provider"),
        "CODES ends with ErrorCode::Provider's"
    );
    for js in ["js/element.js", "pkg-template/anypoint-signin.js"] {
        for part in read(js).split("code: '").skip(1) {
            code.insert(part.split('\'').next().unwrap().to_owned());
        }
    }
    assert!(code.contains("load_failed") && code.contains("missing_client_id"));
    assert_eq!(
        code, described,
        "the code's error codes and the description"
    );
}

#[test]
fn the_runner_matches_the_description() {
    let d = description();
    let js = read("js/element.js");
    // The generated lists are current (scripts/describe-element.py js): the attributes the
    // machine reads, those of the looks, which the runner handles alone, and the texts.
    let block = between(
        &js,
        "// BEGIN generated by scripts/describe-element.py",
        "// END generated",
    );
    let object = |name: &str| -> Vec<(String, String)> {
        between(block, &format!("const {name} = {{"), "};")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let (key, value) = l.trim().trim_end_matches(',').split_once(": ").unwrap();
                (key.to_owned(), value.trim_matches('\'').to_owned())
            })
            .collect()
    };
    // A list of properties, each mirroring the attribute of its name in lower case.
    let properties = |name: &str| -> Vec<(String, String)> {
        between(block, &format!("const {name} = '"), "'.split(' ');")
            .split(' ')
            .map(|p| (p.to_lowercase(), p.to_owned()))
            .collect()
    };
    let mut listed = properties("ATTRIBUTES");
    let looks = properties("LOOKS");
    let stale =
        "js/element.js's generated lists are stale: run `python3 scripts/describe-element.py js`";
    for (attribute, _) in &looks {
        let a = d["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == **attribute)
            .unwrap_or_else(|| panic!("{stale}"));
        assert_eq!(a["looks"], true, "{attribute}: {stale}");
    }
    listed.extend(looks);
    let described: Vec<(String, String)> = d["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_owned(),
                a["property"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(listed, described, "{stale}");
    let text = d["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "text")
        .unwrap();
    let labels: Vec<(String, String)> = text["labels"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    // (serde_json's maps are sorted: compare as maps, then the default comes first.)
    let texts = object("TEXTS");
    assert_eq!(texts[0].0, text["default"].as_str().unwrap(), "{stale}");
    assert_eq!(
        texts.into_iter().collect::<BTreeMap<_, _>>(),
        labels.into_iter().collect::<BTreeMap<_, _>>(),
        "{stale}"
    );

    // The shadow DOM is built by make('tag', 'name=value,...', children...): each call's tag
    // and its attributes (a value given by a constant, as the icon's path, reads empty).
    let made: Vec<(String, Vec<(String, String)>)> = js
        .split("make('")
        .skip(1)
        .map(|s| {
            let call = s.split(')').next().unwrap_or_default();
            let arguments = quoted(&format!("'{call}"));
            let attributes = arguments
                .get(1)
                .map(|list| {
                    list.split(',')
                        .map(|pair| {
                            let (name, value) = pair.split_once('=').unwrap();
                            (name.to_owned(), value.to_owned())
                        })
                        .collect()
                })
                .unwrap_or_default();
            (arguments[0].clone(), attributes)
        })
        .collect();
    let attribute = |attributes: &[(String, String)], name: &str| {
        attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    // Shadow parts: an attribute `part` names one.
    let parts = set(made.iter().filter_map(|(_, a)| attribute(a, "part")));
    assert_eq!(parts, set(names(&d, "cssParts", Some("name"))));
    // Custom properties with their defaults: var(--anypoint-signin-name,default), where the
    // default may be the default theme's private variable (`*{--b:#005fb2;...}`).
    let sheet = between(&js, "const CSS = `", "`;");
    let private: BTreeMap<&str, &str> = between(sheet, "*{", "}")
        .split(';')
        .map(|d| d.split_once(':').unwrap())
        .collect();
    let mut css = BTreeMap::new();
    for s in sheet.split("var(--anypoint-signin-").skip(1) {
        let mut depth = 0;
        let end = s
            .char_indices()
            .find(|&(_, c)| {
                depth += i32::from(c == '(') - i32::from(c == ')');
                depth < 0
            })
            .unwrap()
            .0;
        let (name, default) = s[..end].split_once(',').unwrap();
        let default = match default
            .strip_prefix("var(")
            .and_then(|v| v.strip_suffix(')'))
        {
            Some(var) => private[var].to_owned(),
            None => default.to_owned(),
        };
        let name = format!("--anypoint-signin-{name}");
        if let Some(other) = css.insert(name.clone(), default.clone()) {
            assert_eq!(other, default, "two defaults for {name}");
        }
    }
    let described_css: BTreeMap<String, String> = d["cssProperties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["default"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(css, described_css);
    // Slots: make('slot', 'name=...'), '' for the default slot (no name).
    let slots = set(made
        .iter()
        .filter(|(tag, _)| tag == "slot")
        .map(|(_, a)| attribute(a, "name").unwrap_or_default()));
    assert_eq!(slots, set(names(&d, "slots", Some("name"))));

    // The class's public methods and getters.
    let class = between(
        &js,
        "class AnypointSigninElement extends HTMLElement {",
        "\n}\n",
    );
    let lifecycle = [
        "constructor",
        "connectedCallback",
        "disconnectedCallback",
        "attributeChangedCallback",
    ];
    let mut methods = BTreeSet::new();
    let mut getters = BTreeSet::new();
    for line in class.lines() {
        let Some(rest) = line.strip_prefix("  ") else {
            continue;
        };
        if rest.starts_with(' ') || rest.starts_with("static ") {
            continue;
        }
        let member = rest.trim_start_matches("get ");
        let name: String = member
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let is_member = member.starts_with(&format!("{name}("));
        if name.is_empty() || name.starts_with('_') || lifecycle.contains(&&*name) || !is_member {
            continue;
        }
        if rest.starts_with("get ") {
            getters.insert(name);
        } else {
            methods.insert(name);
        }
    }
    assert_eq!(methods, set(names(&d, "methods", Some("name"))));
    assert_eq!(getters, set(names(&d, "properties", Some("name"))));
}

#[test]
fn styling_matches_the_readme() {
    let d = description();
    let slots = paragraph_with(&readme_section("### Styling"), "Slots:");
    let described = names(&d, "slots", Some("name"));
    assert_eq!(
        set(backticked(&slots)
            .into_iter()
            .filter(|s| !s.starts_with('<'))),
        set(described.iter().filter(|s| !s.is_empty()).cloned()),
        "README's named slots"
    );
    assert_eq!(
        slots.contains("default slot"),
        described.iter().any(String::is_empty),
        "README and the description on the default slot"
    );
    let text = paragraph_with(&readme_section("### Styling"), "Shadow parts:");
    let (parts, properties) = text.split_once("Custom properties:").unwrap();
    assert_eq!(
        set(backticked(parts)),
        set(names(&d, "cssParts", Some("name")))
    );
    assert_eq!(
        set(backticked(properties)
            .into_iter()
            .filter(|p| p.starts_with("--"))),
        set(names(&d, "cssProperties", Some("name")))
    );
}

/// The members of a TypeScript interface, with those of the interfaces it extends.
fn interface_members(dts: &str, name: &str) -> BTreeSet<String> {
    let head = dts
        .find(&format!("export interface {name} "))
        .unwrap_or_else(|| panic!("no interface {name} in the .d.ts"));
    let open = head + dts[head..].find('{').unwrap();
    let mut members = BTreeSet::new();
    for base in dts[head..open]
        .split(" extends ")
        .nth(1)
        .into_iter()
        .flat_map(|b| b.split(','))
    {
        let base = base.trim();
        if base.starts_with("AnypointSignin") {
            members.extend(interface_members(dts, base));
        }
    }
    if dts[open..].starts_with("{}") {
        return members;
    }
    let close = open + dts[open..].find("\n}").unwrap();
    for line in dts[open + 1..close].lines() {
        let Some(rest) = line.strip_prefix("  ") else {
            continue;
        };
        let member: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !member.is_empty() && !rest.starts_with(' ') {
            members.insert(member);
        }
    }
    members
}

/// The quoted literals of the type alias `name`.
fn union_literals(dts: &str, name: &str) -> BTreeSet<String> {
    set(quoted(between(dts, &format!("export type {name} ="), ";")))
}

#[test]
fn the_declarations_match_the_description() {
    let d = description();
    let dts = read("pkg-template/anypoint-signin.d.ts");
    let element = between(
        &dts,
        "export interface AnypointSigninElement extends HTMLElement {",
        "\n}\n",
    );
    let jsx_attributes = interface_members(&dts, "AnypointSigninAttributes");
    assert_eq!(jsx_attributes, set(names(&d, "attributes", Some("name"))));
    for a in d["attributes"].as_array().unwrap() {
        let property = a["property"].as_str().unwrap();
        assert!(
            element.contains(&format!("  get {property}(): string | null;\n")),
            "{property}'s getter"
        );
        let setter = between(
            element,
            &format!("  set {property}(value: "),
            " | null | undefined);",
        );
        match a["values"].as_array() {
            Some(values) => assert_eq!(
                union_literals(&dts, setter),
                set(values.iter().map(|v| v.as_str().unwrap())),
                "the values of {property}"
            ),
            None => assert_eq!(setter, "string", "{property}'s setter"),
        }
    }
    for p in d["properties"].as_array().unwrap() {
        let line = format!(
            "  readonly {}: {};\n",
            p["name"].as_str().unwrap(),
            p["type"].as_str().unwrap()
        );
        assert!(element.contains(&line), "the .d.ts lacks {line:?}");
    }
    for m in d["methods"].as_array().unwrap() {
        let params: Vec<String> = m["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let optional = if p["optional"] == true { "?" } else { "" };
                format!(
                    "{}{optional}: {}",
                    p["name"].as_str().unwrap(),
                    p["type"].as_str().unwrap()
                )
            })
            .collect();
        let line = format!(
            "  {}({}): {};\n",
            m["name"].as_str().unwrap(),
            params.join(", "),
            m["return"].as_str().unwrap()
        );
        assert!(element.contains(&line), "the .d.ts lacks {line:?}");
    }
    // Nothing public beyond the description: accessors, fields and methods of the element.
    let mut declared = interface_members(&dts, "AnypointSigninElement");
    for accessor in ["get", "set", "readonly"] {
        declared.remove(accessor);
    }
    declared.extend(
        element
            .lines()
            .filter_map(|l| l.strip_prefix("  get ").or(l.strip_prefix("  readonly ")))
            .map(|l| l.split(['(', ':']).next().unwrap().to_owned()),
    );
    let mut described = set(names(&d, "attributes", Some("property")));
    described.extend(names(&d, "properties", Some("name")));
    described.extend(names(&d, "methods", Some("name")));
    described.extend(set(["addEventListener", "removeEventListener"]));
    assert_eq!(declared, described, "the element's members in the .d.ts");

    // Events: the map of each, its detail's fields, which bubble, the React listeners.
    let map = between(
        &dts,
        "export interface AnypointSigninBubblingEventMap {",
        "\n}",
    )
    .to_owned()
        + between(
            &dts,
            "export interface AnypointSigninElementEventMap",
            "\n}",
        );
    let mut typed = BTreeMap::new();
    for line in map.lines().filter(|l| l.contains(": CustomEvent<")) {
        let event = between(line, "'", "'").to_owned();
        typed.insert(event, between(line, "CustomEvent<", ">;").to_owned());
    }
    let events = d["events"].as_array().unwrap();
    let described: BTreeMap<String, String> = events
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_owned(),
                e["detailType"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(typed, described, "the event maps of the .d.ts");
    let bubbling = between(
        &dts,
        "export interface AnypointSigninBubblingEventMap {",
        "\n}",
    );
    for e in events {
        let name = e["name"].as_str().unwrap();
        assert_eq!(
            bubbling.contains(&format!("'{name}'")),
            e["bubbles"] == true,
            "{name} in the bubbling events"
        );
        let detail = e["detailType"].as_str().unwrap();
        assert_eq!(
            interface_members(&dts, detail),
            set(names(e, "detail", None)),
            "the fields of {detail}"
        );
    }
    let react_events = set(quoted(between(
        &dts,
        "export interface AnypointSigninReactEvents {",
        "\n}",
    ))
    .into_iter()
    .filter(|s| s.starts_with("on")));
    assert_eq!(
        react_events,
        set(events
            .iter()
            .map(|e| format!("on{}", e["name"].as_str().unwrap())))
    );

    // Error codes: the element's exactly, the provider's known ones, and an open union.
    assert_eq!(
        union_literals(&dts, "AnypointSigninElementErrorCode"),
        set(names(&d, "errorCodes", None))
    );
    assert_eq!(
        union_literals(&dts, "AnypointSigninProviderErrorCode"),
        set(names(&d, "providerErrorCodes", None))
    );
    assert!(between(&dts, "export type AnypointSigninErrorCode =", ";").contains("(string & {})"));

    // The tag name, and the module's exports.
    let tag = d["tagName"].as_str().unwrap();
    assert!(dts.contains(&format!(
        "    '{tag}': {};\n",
        d["className"].as_str().unwrap()
    )));
    for x in d["exports"].as_array().unwrap() {
        let line = format!(
            "export declare const {}: {};",
            x["name"].as_str().unwrap(),
            x["type"].as_str().unwrap()
        );
        assert!(dts.contains(&line), "the .d.ts lacks {line:?}");
    }
}

/// The `name`s of a manifest list.
fn manifest_names(value: &Value, field: &str) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("manifest: not a list: {value}"))
        .iter()
        .map(|v| v[field].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_package_manifest_matches_the_description() {
    let pkg = root().join("pkg");
    let manifest = pkg.join("custom-elements.json");
    if !Path::new(&pkg).exists() {
        eprintln!("no pkg/ (make pkg builds it): the manifest is not checked");
        return;
    }
    let d = description();
    let text = std::fs::read_to_string(&manifest)
        .unwrap_or_else(|e| panic!("{}: {e} (rebuild with make pkg)", manifest.display()));
    let m: Value = serde_json::from_str(&text).expect("custom-elements.json is JSON");
    let package: Value = serde_json::from_str(&read("pkg/package.json")).unwrap();
    assert_eq!(package["customElements"], "./custom-elements.json");
    assert!(
        m["schemaVersion"].as_str().unwrap().starts_with("2."),
        "schema 2.x"
    );
    let module = &m["modules"][0];
    assert_eq!(module["kind"], "javascript-module");
    assert_eq!(module["path"], d["module"]);
    assert!(
        pkg.join(module["path"].as_str().unwrap()).exists(),
        "the manifest's module is in the package"
    );
    let class = &module["declarations"][0];
    assert_eq!(class["customElement"], true);
    assert_eq!(class["tagName"], d["tagName"]);
    assert_eq!(class["name"], d["className"]);

    let attributes = class["attributes"].as_array().unwrap();
    assert_eq!(
        manifest_names(&class["attributes"], "name"),
        names(&d, "attributes", Some("name"))
    );
    assert_eq!(
        manifest_names(&class["attributes"], "fieldName"),
        names(&d, "attributes", Some("property"))
    );
    for (a, described) in attributes.iter().zip(d["attributes"].as_array().unwrap()) {
        assert_eq!(
            a["default"], described["default"],
            "default of {}",
            a["name"]
        );
    }
    let members = class["members"].as_array().unwrap();
    let of_kind = |kind: &str| {
        set(members
            .iter()
            .filter(|x| x["kind"] == kind)
            .map(|x| x["name"].as_str().unwrap().to_owned()))
    };
    let mut fields = set(names(&d, "attributes", Some("property")));
    fields.extend(names(&d, "properties", Some("name")));
    assert_eq!(of_kind("field"), fields);
    assert_eq!(of_kind("method"), set(names(&d, "methods", Some("name"))));
    assert_eq!(
        manifest_names(&class["events"], "name"),
        names(&d, "events", Some("name"))
    );
    assert_eq!(
        manifest_names(&class["cssParts"], "name"),
        names(&d, "cssParts", Some("name"))
    );
    assert_eq!(
        manifest_names(&class["cssProperties"], "name"),
        names(&d, "cssProperties", Some("name"))
    );
    assert_eq!(class["slots"], d["slots"]);

    let exports = module["exports"].as_array().unwrap();
    assert!(
        exports
            .iter()
            .any(|x| x["kind"] == "custom-element-definition"
                && x["name"] == d["tagName"]
                && x["declaration"]["name"] == d["className"])
    );
    for x in names(&d, "exports", Some("name")) {
        assert!(
            exports.iter().any(|e| e["kind"] == "js" && e["name"] == *x),
            "the manifest exports {x}"
        );
    }
}
