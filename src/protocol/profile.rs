//! The signed-in user's profile from the userinfo endpoint (OpenID Connect Core 1.0 §5.3) or
//! Anypoint's `/accounts/api/me`, tied to the ID token's subject (§5.3.4).

use super::error::{ErrorCode, SigninError};

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

    #[test]
    fn another_users_profile_is_discarded() {
        for other in [Some("u2"), Some("U1"), Some("u1 "), Some(""), None] {
            let e = check_profile_subject(URL, other, Some("u1")).unwrap_err();
            assert_eq!(e.code, ErrorCode::ProfileFailed, "{other:?}");
            assert!(e.description.contains(URL) && e.description.contains("\"u1\""));
        }
    }
}
