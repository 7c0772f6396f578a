//! The scope catalogue: the special scopes of the "Endpoint Scopes" section of
//! MuleSoft's "Connected Apps for Developers" page, plus permission scopes.

/// Scopes with a meaning of their own, with the description the consent page shows.
const SPECIAL: &[(&str, &str)] = &[
    ("full", "Full access to anything you can do"),
    ("read:full", "Read-only access to anything you can read"),
    (
        "openid",
        "Read-only access to your username and unique Anypoint ID",
    ),
    ("profile", "Read-only access to your Anypoint profile"),
    ("email", "Read-only access to your email"),
    (
        "offline_access",
        "Access to your data when you are not logged in",
    ),
    (
        "openid:google_wif",
        "Use Anypoint as an identity provider for Google Cloud workload identity federation",
    ),
];

/// A sample of permission scopes, advertised in discovery. Any scope shaped like
/// `action:resource` is accepted on an app, as the real catalogue is far larger.
const PERMISSIONS: &[&str] = &[
    "read:exchange",
    "manage:exchange",
    "read:apis",
    "manage:apis",
    "read:runtime_manager",
    "manage:runtime_manager",
    "read:api_manager",
    "manage:api_manager",
    "read:users",
    "manage:users",
    "read:organizations",
    "manage:organizations",
];

/// The scope catalogue served as `scopes_supported`.
pub(crate) fn supported() -> Vec<&'static str> {
    SPECIAL
        .iter()
        .map(|(name, _)| *name)
        .chain(PERMISSIONS.iter().copied())
        .collect()
}

/// Whether `scope` may be registered on a connected app.
pub(crate) fn is_valid(scope: &str) -> bool {
    if SPECIAL.iter().any(|(name, _)| *name == scope) {
        return true;
    }
    let Some((action, resource)) = scope.split_once(':') else {
        return false;
    };
    let word = |s: &str, extra: &[char]| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || extra.contains(&c))
    };
    word(action, &['_']) && word(resource, &['_', '-', '.', ':'])
}

/// A human description of `scope` for the consent page.
pub(crate) fn describe(scope: &str) -> String {
    if let Some((_, text)) = SPECIAL.iter().find(|(name, _)| *name == scope) {
        return (*text).to_owned();
    }
    match scope.split_once(':') {
        Some(("read", resource)) => format!("Read access to {}", resource.replace('_', " ")),
        Some(("manage", resource)) => format!("Manage {}", resource.replace('_', " ")),
        Some((action, resource)) => format!(
            "Permission \u{201c}{action}\u{201d} on {}",
            resource.replace('_', " ")
        ),
        None => scope.to_owned(),
    }
}

/// Splits a space-delimited scope parameter (RFC 6749 §3.3), dropping repeats.
pub(crate) fn parse(value: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for scope in value.split(' ').filter(|s| !s.is_empty()) {
        if !out.iter().any(|s| s == scope) {
            out.push(scope.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_catalogue_and_permission_shapes() {
        assert!(is_valid("openid"));
        assert!(is_valid("read:full"));
        assert!(is_valid("manage:apis"));
        assert!(is_valid("read:thing-42"));
        assert!(!is_valid("nonsense"));
        assert!(!is_valid("Read:apis"));
        assert!(!is_valid("read:"));
    }

    #[test]
    fn parse_drops_empty_and_repeated() {
        assert_eq!(parse(" openid  email openid"), vec!["openid", "email"]);
    }
}
