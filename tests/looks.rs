//! The element's looks, read from its stylesheet (`CSS` in `js/element.js`): every theme
//! keeps each text at a contrast of at least 4.5:1 (WCAG 2.2 AA, 1.4.3) — the button at
//! rest, hovered and disabled, the avatar, and the message under the button — and every
//! value of `size`, `shape` and `theme` in the description has its rule. The browser tests
//! (`tests/element_looks.rs`) check what a browser renders from them.

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::collections::BTreeMap;

fn read(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// The element's stylesheet, one rule a line as the source writes it (each line there ends
/// in a line continuation, which is no part of the string).
fn sheet() -> String {
    let js = read("js/element.js");
    let start = js.find("const CSS = `").expect("CSS in js/element.js") + "const CSS = `".len();
    let len = js[start..].find("`;").unwrap();
    js[start..start + len].replace("\\\n", "\n")
}

/// The declarations of the rule whose selector is exactly `selector`, if there is one.
fn rule<'a>(sheet: &'a str, selector: &str) -> Option<BTreeMap<&'a str, &'a str>> {
    let open = format!("{selector}{{");
    let start = sheet
        .lines()
        .find(|l| l.starts_with(&open))?
        .strip_prefix(&open)?;
    let body = start.strip_suffix('}').expect("one rule per line");
    Some(
        body.split(';')
            .map(|d| {
                d.split_once(':')
                    .unwrap_or_else(|| panic!("not a declaration: {d:?}"))
            })
            .collect(),
    )
}

fn declaration<'a>(sheet: &'a str, selector: &str, property: &str) -> &'a str {
    rule(sheet, selector)
        .unwrap_or_else(|| panic!("no rule {selector}"))
        .get(property)
        .unwrap_or_else(|| panic!("{selector} sets no {property}"))
}

/// A theme: the private variables of the default theme (`*{...}`), with the theme's own
/// (`:host([theme=NAME]) *{...}`) over them, and the button's own variables.
struct Theme<'a> {
    variables: BTreeMap<&'a str, &'a str>,
}

impl<'a> Theme<'a> {
    fn new(sheet: &'a str, name: Option<&str>) -> Theme<'a> {
        let mut variables = rule(sheet, "*").expect("the default theme's rule *{...}");
        if let Some(name) = name {
            let own = rule(sheet, &format!(":host([theme={name}]) *"))
                .unwrap_or_else(|| panic!("no rule for the theme {name}"));
            variables.extend(own);
        }
        variables.extend(
            rule(sheet, "button")
                .unwrap()
                .into_iter()
                .filter(|(k, _)| k.starts_with("--")),
        );
        Theme { variables }
    }

    /// A colour value, its variables followed to a literal colour; a public
    /// `--anypoint-signin-*` property stands for its default (a page has not set it).
    fn color(&self, value: &str) -> [f64; 3] {
        if let Some(inner) = value.strip_prefix("var(").and_then(|v| v.strip_suffix(')')) {
            let (name, default) = match inner.split_once(',') {
                Some((name, default)) => (name, Some(default)),
                None => (inner, None),
            };
            if name.starts_with("--anypoint-signin-") {
                return self.color(default.expect("a public property has a default"));
            }
            let value = self
                .variables
                .get(name)
                .unwrap_or_else(|| panic!("{name} is not set"));
            return self.color(value);
        }
        if let Some(mix) = value
            .strip_prefix("color-mix(in srgb,")
            .and_then(|v| v.strip_suffix(')'))
        {
            let (first, second) = mix.split_once(',').unwrap();
            let (second, percent) = second.rsplit_once(' ').unwrap();
            let p: f64 = percent.trim_end_matches('%').parse::<f64>().unwrap() / 100.0;
            let (a, b) = (self.color(first), self.color(second));
            return [0, 1, 2].map(|i| a[i] * (1.0 - p) + b[i] * p);
        }
        hex(value)
    }
}

/// `#rgb` or `#rrggbb` as 0–255 channels.
fn hex(value: &str) -> [f64; 3] {
    let digits = value
        .strip_prefix('#')
        .unwrap_or_else(|| panic!("not a hex colour: {value:?}"));
    let full: String = match digits.len() {
        3 => digits.chars().flat_map(|c| [c, c]).collect(),
        6 => digits.to_owned(),
        _ => panic!("not a hex colour: {value:?}"),
    };
    [0, 2, 4].map(|i| f64::from(u8::from_str_radix(&full[i..i + 2], 16).unwrap()))
}

/// WCAG 2.2's relative luminance of an sRGB colour.
fn luminance(rgb: [f64; 3]) -> f64 {
    let [r, g, b] = rgb.map(|c| {
        let c = c.round() / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    });
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// WCAG 2.2's contrast ratio of two colours, from 1 to 21.
fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn description() -> Value {
    serde_json::from_str(&read("js/element-description.json")).unwrap()
}

fn attribute(d: &Value, name: &str) -> Value {
    d["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no attribute {name} in the description"))
        .clone()
}

#[test]
fn the_contrast_ratio_is_wcag_s() {
    assert!((contrast(hex("#fff"), hex("#000")) - 21.0).abs() < 1e-9);
    assert!((contrast(hex("#777"), hex("#777")) - 1.0).abs() < 1e-9);
    // Today's blue button, white on #005fb2: 6.4:1.
    assert!((contrast(hex("#fff"), hex("#005fb2")) - 6.4).abs() < 0.01);
}

#[test]
fn every_theme_keeps_text_at_4_5_to_1() {
    let sheet = sheet();
    let d = description();
    let theme = attribute(&d, "theme");
    let default = theme["default"].as_str().unwrap();
    let mut report = Vec::new();
    for name in theme["values"].as_array().unwrap() {
        let name = name.as_str().unwrap();
        let t = Theme::new(&sheet, (name != default).then_some(name));
        let of = |selector: &str, property: &str| t.color(declaration(&sheet, selector, property));
        let pairs = [
            (
                "text on the button",
                of("button", "color"),
                of("button", "background"),
            ),
            (
                "text on the hovered button",
                of("button", "color"),
                of("button:hover:not(:disabled)", "background"),
            ),
            (
                "text on the disabled button",
                of("button:disabled:not([aria-busy=true])", "color"),
                of("button:disabled:not([aria-busy=true])", "background"),
            ),
            (
                "the avatar's initial",
                of("[part=avatar]", "color"),
                of("[part=avatar]", "background"),
            ),
            // The lines beneath the button have the theme's background, whatever the page's.
            (
                "the user's name",
                of(".w,[part=message]", "color"),
                of(".w,[part=message]", "background"),
            ),
            (
                "the message",
                of("[part=message]", "color"),
                of(".w,[part=message]", "background"),
            ),
        ];
        for (what, fg, bg) in pairs {
            let ratio = contrast(fg, bg);
            report.push(format!("{name}: {what} {ratio:.2}:1"));
            assert!(
                ratio >= 4.5,
                "theme {name}: {what} has a contrast of {ratio:.2}:1, under WCAG AA's 4.5:1\n{}",
                report.join("\n")
            );
        }
    }
    println!("{}", report.join("\n"));
}

#[test]
fn every_value_of_the_looks_has_its_rule_and_no_other() {
    let sheet = sheet();
    let d = description();
    for name in ["size", "shape", "theme"] {
        let a = attribute(&d, name);
        assert_eq!(a["looks"], true, "{name} is presentation only");
        let default = a["default"].as_str().unwrap();
        for value in a["values"].as_array().unwrap() {
            let value = value.as_str().unwrap();
            let selector = format!(":host([{name}={value}]) *");
            assert_eq!(
                rule(&sheet, &selector).is_some(),
                value != default,
                "{selector}: each value but the default ({default}) has its rule"
            );
        }
        // Nothing styles a value the description does not list.
        let listed = sheet.matches(&format!(":host([{name}=")).count();
        assert_eq!(listed, a["values"].as_array().unwrap().len() - 1, "{name}");
    }
}

#[test]
fn the_spinner_stands_still_for_reduced_motion() {
    let sheet = sheet();
    assert!(declaration(&sheet, "[part=spinner]", "animation").contains("infinite"));
    assert!(
        sheet
            .lines()
            .any(|l| l == "@media (prefers-reduced-motion:reduce){[part=spinner]{animation:none}}"),
        "prefers-reduced-motion stops the spinner"
    );
}

#[test]
fn right_to_left_uses_logical_properties_and_mirrors_the_icon() {
    let sheet = sheet();
    for physical in [
        "left",
        "right",
        "margin-top",
        "padding-left",
        "padding-right",
    ] {
        assert!(
            !sheet.contains(&format!("{physical}:")) && !sheet.contains(&format!("-{physical}-")),
            "a physical property ({physical}) in the stylesheet: use a logical one"
        );
    }
    assert_eq!(
        declaration(&sheet, ":host(:dir(rtl)) svg", "transform"),
        "scaleX(-1)"
    );
}
