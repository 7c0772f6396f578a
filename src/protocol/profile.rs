//! The signed-in user's profile from the userinfo endpoint (OpenID Connect Core 1.0 §5.3) or
//! Anypoint's `/accounts/api/me`, tied to the ID token's subject (§5.3.4).

use super::error::{ErrorCode, SigninError};
use super::json::Json;
use super::text::{fill, trim};

/// The name to show for the user, chosen from the members `values` of an ID token or a
/// profile at the indices `at` lists, in four groups each ended by [`GROUP_END`], in this
/// order: `name`, given names, family names, usernames, each group the spellings to try
/// (OpenID Connect's, Anypoint's): `name`, else the given and family name joined by a
/// space, else either of them, else the first username. Each is trimmed and a blank one
/// skipped; `None` when none is left.
pub fn display_name(values: &[Option<Json>], at: &[u8]) -> Option<String> {
    // Read in place, in one pass: of each group, the first of its members that is a string
    // and not blank, trimmed. Only the name chosen is copied.
    let mut found = [None; 4];
    let mut group = 0;
    let mut k = 0;
    while let Some(&i) = at.get(k) {
        k += 1;
        if i == GROUP_END {
            group += 1;
        } else if let Some(slot @ None) = found.get_mut(group)
            && let Some(Some(Json::String(v))) = values.get(usize::from(i))
        {
            let v = trim(v);
            if !v.is_empty() {
                *slot = Some(v);
            }
        }
    }
    // Given and family name joined when there is no name; else the first group that gave
    // one, copied.
    if let [None, Some(given), Some(family), _] = found {
        return Some(fill("\u{1} \u{1}", &[given, family]));
    }
    for one in &found {
        if let Some(one) = *one {
            return Some(one.to_owned());
        }
    }
    None
}

/// What ends a group of [`display_name`]'s indices.
pub const GROUP_END: u8 = u8::MAX;

/// Checks that a profile loaded from `url` describes the user the ID token names (OpenID
/// Connect Core 1.0 §5.3.4): its subject (userinfo's `sub`, `/accounts/api/me`'s `user.id`)
/// must equal the ID token's `sub` exactly, or the profile must not be used, since a token
/// substituted for another user's would otherwise show that user. Without an ID token there
/// is nothing to compare with.
pub fn check_profile_subject(
    url: &str,
    profile_subject: Option<&str>,
    id_token_subject: Option<&str>,
) -> Result<(), SigninError> {
    let Some(expected) = id_token_subject else {
        return Ok(());
    };
    if profile_subject == Some(expected) {
        return Ok(());
    }
    Err(SigninError::filled(
        ErrorCode::ProfileFailed,
        "You are signed in, but the profile from \u{1} is not that of the signed-in user \"\u{1}\", so it was discarded (OpenID Connect Core §5.3.4): the name shown comes from the ID token.",
        &[url, expected],
    )
    .with_cause(profile_subject.unwrap_or("(no subject)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://as.example/userinfo";

    #[test]
    fn the_same_subject_is_accepted() {
        assert!(check_profile_subject(URL, Some("u1"), Some("u1")).is_ok());
        assert!(check_profile_subject(URL, None, None).is_ok());
        assert!(check_profile_subject(URL, Some("u2"), None).is_ok());
    }

    /// The name [`display_name`] shows for a profile with these members, read as the flow
    /// reads a profile: `name`, then given and family name in both spellings, then the
    /// usernames and the email.
    fn shown(members: &[(usize, Json)]) -> Option<String> {
        let mut values = [None; 8];
        for &(i, v) in members {
            values[i] = Some(v);
        }
        display_name(
            &values,
            &[0, GROUP_END, 1, 2, GROUP_END, 3, 4, GROUP_END, 5, 6, 7],
        )
    }

    #[test]
    fn the_display_name_follows_its_precedence_trimmed() {
        use Json::String as S;
        let all = [
            (0, S(" Max Mule ")),
            (1, S("Max")),
            (4, S("Mule")),
            (5, S("max")),
        ];
        assert_eq!(
            shown(&all).as_deref(),
            Some("Max Mule"),
            "name first, trimmed"
        );
        assert_eq!(
            shown(&all[1..]).as_deref(),
            Some("Max Mule"),
            "given and family"
        );
        assert_eq!(shown(&all[2..]).as_deref(), Some("Mule"), "family alone");
        assert_eq!(shown(&all[3..]).as_deref(), Some("max"), "then a username");
        assert_eq!(
            shown(&[(2, S("\tAnn\u{a0}"))]).as_deref(),
            Some("Ann"),
            "given alone"
        );
        // Blank and non-string members are skipped, in every group.
        let blank = [
            (0, S("\u{3000}")),
            (1, Json::Number(1.0)),
            (2, S(" ")),
            (3, Json::Bool(true)),
            (5, S("")),
            (6, Json::Object("{}")),
            (7, S(" m@x.example")),
        ];
        assert_eq!(shown(&blank).as_deref(), Some("m@x.example"));
        assert_eq!(shown(&blank[..6]), None);
        assert_eq!(shown(&[]), None);
    }

    #[test]
    fn another_users_profile_is_discarded() {
        for other in [Some("u2"), Some("U1"), Some("u1 "), Some(""), None] {
            let e = check_profile_subject(URL, other, Some("u1")).unwrap_err();
            assert_eq!(e.code, ErrorCode::ProfileFailed, "{other:?}");
            assert!(e.description.contains(URL) && e.description.contains("\"u1\""));
        }
    }
}
