//! The one error type of the protocol core: a stable machine code, a sentence for the web
//! developer, and the raw detail that explains it.

use crate::protocol::text::{fill, look_up, piece};
use std::fmt;

/// Longest raw response body kept in [`SigninError::cause`]: enough to see what a server
/// answered without copying a whole HTML error page into an event.
pub const MAX_CAUSE_CHARS: usize = 500;

/// Why signing in failed, as a stable code a page can branch on.
///
/// `Copy`, with no data: the OAuth error code of an [`ErrorCode::Provider`] error is kept
/// beside it, in [`SigninError`] ([`SigninError::code_str`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// The `clientid` attribute is missing or blank.
    MissingClientId,
    /// The `redirecturi` attribute is missing or not an acceptable redirect URI.
    InvalidRedirectUri,
    /// The `region` attribute names no known Anypoint region.
    UnknownRegion,
    /// The `issuer` attribute is not an acceptable issuer URL.
    InvalidIssuer,
    /// The discovery document could not be fetched.
    DiscoveryFailed,
    /// The discovery document is malformed or unsafe.
    InvalidDiscovery,
    /// An issuer identifier differs from the configured issuer.
    IssuerMismatch,
    /// The provider does not advertise PKCE with `S256`.
    PkceNotSupported,
    /// A callback carries no `state`.
    MissingState,
    /// A callback's `state` matches no pending sign-in.
    UnknownState,
    /// The pending sign-in is too old.
    ExpiredTransaction,
    /// A callback is malformed.
    InvalidCallback,
    /// The token request could not be sent or got no answer.
    TokenRequestFailed,
    /// The token endpoint answered with an OAuth error.
    TokenError,
    /// The token endpoint's answer is malformed.
    InvalidTokenResponse,
    /// The ID token failed a check.
    InvalidIdToken,
    /// The `storage` attribute is neither `memory` nor `session`.
    InvalidStorage,
    /// An access token was asked for while nobody is signed in.
    NotSignedIn,
    /// The session ended: the refresh token was refused (expired, revoked) or there is none
    /// and the access token expired.
    SessionExpired,
    /// The `mode` or `popupfallback` attribute has an unsupported value.
    InvalidMode,
    /// The `logouturl` attribute is not an absolute `http(s)` URL.
    InvalidLogoutUrl,
    /// The `exchangeurl` attribute is neither on the page's origin nor `https`.
    InvalidExchangeUrl,
    /// The browser blocked the sign-in popup.
    PopupBlocked,
    /// The user closed the sign-in popup before signing in.
    PopupClosed,
    /// The sign-in popup did not come back in time.
    PopupTimeout,
    /// The app's own code exchange (`exchangeurl` or an `anypoint-signin-code` handler)
    /// failed.
    ExchangeFailed,
    /// The revocation endpoint did not confirm that the tokens were revoked at sign-out.
    RevocationFailed,
    /// The user's profile (userinfo or `/accounts/api/me`) could not be loaded.
    ProfileFailed,
    /// A failure that points at a bug rather than at the configuration or the provider.
    InternalError,
    /// An error returned by the authorization endpoint; its OAuth error code (e.g.
    /// `access_denied`) is the error's [`SigninError::code_str`].
    Provider,
}

/// What a failure means to the person at the button: the runner shows the sentence for it in
/// the page's language (the error event's `description` stays the web developer's English).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The page's sign-in is misconfigured: only the site's owner can fix it.
    Setup,
    /// Anypoint Platform (or the app's backend) could not be reached or failed.
    Offline,
    /// The user declined to give the app access.
    Denied,
    /// The sign-in took too long or the session ended: sign in again.
    Expired,
    /// Anypoint Platform needs the user to sign in, consent or choose an account in person.
    Interact,
    /// The browser blocked the sign-in popup.
    Blocked,
    /// The sign-in popup was closed, or timed out, before the sign-in finished.
    Closed,
    /// Signed out here, but the provider did not confirm the revocation.
    SignOut,
    /// The sign-in could not be completed (a failed check or an unexpected answer).
    Failed,
}

impl Notice {
    /// Every notice, for the tests that hold each language to a sentence for each.
    pub const ALL: [Notice; 9] = [
        Self::Setup,
        Self::Offline,
        Self::Denied,
        Self::Expired,
        Self::Interact,
        Self::Blocked,
        Self::Closed,
        Self::SignOut,
        Self::Failed,
    ];

    /// The notice's name, the key of its sentence in a language module (`js/lang/`).
    pub fn as_str(self) -> &'static str {
        // Every notice has its name, so the piece is always there.
        piece(NOTICES, b' ', self as usize)
    }
}

/// The name of each [`Notice`], in the order of its variants, separated by spaces (as
/// [`CODES`] are).
const NOTICES: &str = "setup offline denied expired interact blocked closed signout failed";

/// The code of each [`ErrorCode`], in the order of its variants, separated by spaces: one
/// text rather than a table of 30 pointers and lengths, which compresses far worse.
const CODES: &str = concat!(
    "missing_client_id ",
    "invalid_redirect_uri ",
    "unknown_region ",
    "invalid_issuer ",
    "discovery_failed ",
    "invalid_discovery ",
    "issuer_mismatch ",
    "pkce_not_supported ",
    "missing_state ",
    "unknown_state ",
    "expired_transaction ",
    "invalid_callback ",
    "token_request_failed ",
    "token_error ",
    "invalid_token_response ",
    "invalid_id_token ",
    "invalid_storage ",
    "not_signed_in ",
    "session_expired ",
    "invalid_mode ",
    "invalid_logout_url ",
    "invalid_exchange_url ",
    "popup_blocked ",
    "popup_closed ",
    "popup_timeout ",
    "exchange_failed ",
    "revocation_failed ",
    "profile_failed ",
    "internal_error ",
    "provider",
);

impl ErrorCode {
    /// The code as a snake_case string. [`ErrorCode::Provider`] is `provider`: the OAuth
    /// error code the provider sent is [`SigninError::code_str`].
    pub fn as_str(self) -> &'static str {
        // Every variant has its code, so the piece is always there.
        piece(CODES, b' ', self as usize)
    }

    /// What the failure means to the user (see [`Notice`]). [`ErrorCode::Provider`] is
    /// [`Notice::Failed`] here: what a provider's error means depends on its OAuth code
    /// ([`SigninError::notice`]).
    pub fn notice(self) -> Notice {
        match self {
            Self::MissingClientId
            | Self::InvalidRedirectUri
            | Self::UnknownRegion
            | Self::InvalidIssuer
            | Self::InvalidStorage
            | Self::InvalidMode
            | Self::InvalidLogoutUrl
            | Self::InvalidExchangeUrl
            | Self::InvalidDiscovery
            | Self::PkceNotSupported => Notice::Setup,
            Self::DiscoveryFailed
            | Self::TokenRequestFailed
            | Self::ProfileFailed
            | Self::ExchangeFailed => Notice::Offline,
            Self::ExpiredTransaction | Self::SessionExpired | Self::NotSignedIn => Notice::Expired,
            Self::PopupBlocked => Notice::Blocked,
            Self::PopupClosed | Self::PopupTimeout => Notice::Closed,
            Self::RevocationFailed => Notice::SignOut,
            _ => Notice::Failed,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The OAuth error codes of the authorization endpoint (RFC 6749 §4.1.2.1, OpenID Connect
/// Core 1.0 §3.1.2.6), each followed by its sentence, each of them ended by U+001F: one
/// text rather than a table of pointers and lengths, which compresses far worse. The
/// [`Notice`] of each is in [`PROVIDER_NOTICES`], in the same order.
const PROVIDER_ERRORS: &str = concat!(
    "access_denied\u{1f}",
    "You declined to give the app access.\u{1f}",
    "invalid_request\u{1f}",
    "The authorization server rejected the sign-in request as malformed: check the clientid, redirecturi and scopes attributes.\u{1f}",
    "unauthorized_client\u{1f}",
    "This connected app may not use the authorization code grant: enable it for the app in Anypoint Access Management.\u{1f}",
    "unsupported_response_type\u{1f}",
    "The authorization server does not support the authorization code flow for this app.\u{1f}",
    "invalid_scope\u{1f}",
    "A requested scope is unknown or not granted to this connected app: check the scopes attribute against the app's scopes.\u{1f}",
    "server_error\u{1f}",
    "The authorization server failed unexpectedly: try again later.\u{1f}",
    "temporarily_unavailable\u{1f}",
    "The authorization server is temporarily unavailable: try again later.\u{1f}",
    "login_required\u{1f}",
    "You need to sign in to Anypoint Platform first.\u{1f}",
    "consent_required\u{1f}",
    "You need to give the app access before it can sign you in.\u{1f}",
    "interaction_required\u{1f}",
    "Anypoint Platform needs you to complete the sign-in in person.\u{1f}",
    "account_selection_required\u{1f}",
    "Anypoint Platform needs you to choose an account.\u{1f}",
);

/// The [`Notice`] of each code of [`PROVIDER_ERRORS`], in its order.
const PROVIDER_NOTICES: [Notice; 11] = [
    Notice::Denied,   // access_denied
    Notice::Setup,    // invalid_request
    Notice::Setup,    // unauthorized_client
    Notice::Setup,    // unsupported_response_type
    Notice::Setup,    // invalid_scope
    Notice::Offline,  // server_error
    Notice::Offline,  // temporarily_unavailable
    Notice::Interact, // login_required
    Notice::Interact, // consent_required
    Notice::Interact, // interaction_required
    Notice::Interact, // account_selection_required
];

/// The sentence and the [`Notice`] of the authorization endpoint's OAuth error `code`
/// ([`PROVIDER_ERRORS`]; any other code is a refusal that [`Notice::Failed`] stands for).
fn provider_error(code: &str) -> (&'static str, Notice) {
    match look_up(PROVIDER_ERRORS, code) {
        Some((place, sentence)) => (sentence, PROVIDER_NOTICES[place]),
        None => (
            "The authorization server refused to sign you in.",
            Notice::Failed,
        ),
    }
}

/// A failed sign-in step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigninError {
    /// What went wrong, as a stable code.
    pub code: ErrorCode,
    /// The OAuth error code the authorization endpoint sent, for [`ErrorCode::Provider`]
    /// (set by [`SigninError::from_provider`]); `None` for every other code.
    pub provider: Option<String>,
    /// A sentence telling the web developer what happened and what to fix.
    pub description: String,
    /// Raw detail behind the error: a server's body (truncated), an OAuth error code, or a
    /// parser's message.
    pub cause: Option<String>,
}

impl SigninError {
    /// An error with a code and a human description, without a cause.
    // Never inlined: one copy for each kind of description serves the many call sites.
    #[inline(never)]
    pub fn new(code: ErrorCode, description: impl Into<String>) -> Self {
        Self {
            code,
            provider: None,
            description: description.into(),
            cause: None,
        }
    }

    /// An error whose description is `template` filled with `args` ([`fill`]).
    pub(crate) fn filled(code: ErrorCode, template: &str, args: &[&str]) -> Self {
        Self::new(code, fill(template, args))
    }

    /// The error's code as a string: the provider's OAuth error code (e.g. `access_denied`)
    /// for [`ErrorCode::Provider`], otherwise [`ErrorCode::as_str`].
    pub fn code_str(&self) -> &str {
        match &self.provider {
            Some(code) => code,
            None => self.code.as_str(),
        }
    }

    /// What the failure means to the user (see [`Notice`]): [`ErrorCode::notice`], and
    /// for a provider's error the meaning of its OAuth error code.
    pub fn notice(&self) -> Notice {
        match &self.provider {
            Some(code) => provider_error(code).1,
            None => self.code.notice(),
        }
    }

    /// The same error with `cause` attached.
    // Never inlined: one copy for each kind of cause serves the many call sites.
    #[inline(never)]
    pub fn with_cause(mut self, cause: impl Into<String>) -> Self {
        self.cause = Some(cause.into());
        self
    }

    /// The same error with `body` cut by [`truncate_body`] as its cause, after `why` and
    /// a colon unless `why` is empty.
    pub(crate) fn with_body(self, why: &str, body: &str) -> Self {
        let body = truncate_body(body);
        self.with_cause(if why.is_empty() {
            body
        } else {
            fill("\u{1}: \u{1}", &[why, &body])
        })
    }

    /// An error response from the authorization endpoint (RFC 6749 §4.1.2.1, OpenID Connect
    /// Core 1.0 §3.1.2.6), turned into a sentence for the web developer.
    ///
    /// The code is [`ErrorCode::Provider`] with `error` as [`SigninError::provider`]; the provider's own
    /// `error_description` and `error_uri` are appended to the description, and the
    /// description alone is also kept as the cause.
    pub fn from_provider(error: &str, description: Option<&str>, uri: Option<&str>) -> Self {
        Self::from_provider_owned(error.into(), description.map(Into::into), uri)
    }

    /// [`SigninError::from_provider`] keeping `error` and `description` themselves, as the
    /// error's code and cause.
    pub(crate) fn from_provider_owned(
        error: String,
        description: Option<String>,
        uri: Option<&str>,
    ) -> Self {
        let sentence = provider_error(&error).0;
        let mut text = String::from(sentence);
        if let Some(d) = &description {
            text.push_str(" The server said: ");
            text.push_str(d);
        }
        more_information(&mut text, uri);
        Self {
            code: ErrorCode::Provider,
            provider: Some(error),
            description: text,
            cause: description,
        }
    }
}

impl fmt::Display for SigninError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.description)
    }
}

impl std::error::Error for SigninError {}

/// Appends to an OAuth error's sentence `text` the page about the error that the server
/// named (`error_uri`, RFC 6749 §4.1.2.1, §5.2), if any.
pub(crate) fn more_information(text: &mut String, uri: Option<&str>) {
    if let Some(u) = uri {
        text.push_str(" More information: ");
        text.push_str(u);
    }
}

/// `body` cut to [`MAX_CAUSE_CHARS`] characters, marking the cut.
pub(crate) fn truncate_body(body: &str) -> String {
    // Counting character boundaries finds the cut without decoding the characters.
    let mut chars = 0;
    for end in 0..body.len() {
        // The text before a boundary, and only a boundary, can be had.
        if let Some(head) = body.get(..end) {
            if chars == MAX_CAUSE_CHARS {
                return fill("\u{1}…", &[head]);
            }
            chars += 1;
        }
    }
    body.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case() {
        assert_eq!(ErrorCode::MissingClientId.as_str(), "missing_client_id");
        assert_eq!(
            ErrorCode::InvalidTokenResponse.as_str(),
            "invalid_token_response"
        );
        assert_eq!(
            ErrorCode::ExpiredTransaction.as_str(),
            "expired_transaction"
        );
        assert_eq!(
            SigninError::from_provider("access_denied", None, None).code_str(),
            "access_denied"
        );
        assert_eq!(
            SigninError::new(ErrorCode::TokenError, "x").code_str(),
            "token_error"
        );
        // Each code in the table is its variant's.
        assert_eq!(ErrorCode::InternalError.as_str(), "internal_error");
        assert_eq!(ErrorCode::ProfileFailed.as_str(), "profile_failed");
        assert_eq!(ErrorCode::PopupBlocked.as_str(), "popup_blocked");
        assert_eq!(ErrorCode::InvalidMode.as_str(), "invalid_mode");
    }

    #[test]
    fn every_code_has_its_string() {
        let all = [
            (ErrorCode::MissingClientId, "missing_client_id"),
            (ErrorCode::InvalidRedirectUri, "invalid_redirect_uri"),
            (ErrorCode::UnknownRegion, "unknown_region"),
            (ErrorCode::InvalidIssuer, "invalid_issuer"),
            (ErrorCode::DiscoveryFailed, "discovery_failed"),
            (ErrorCode::InvalidDiscovery, "invalid_discovery"),
            (ErrorCode::IssuerMismatch, "issuer_mismatch"),
            (ErrorCode::PkceNotSupported, "pkce_not_supported"),
            (ErrorCode::MissingState, "missing_state"),
            (ErrorCode::UnknownState, "unknown_state"),
            (ErrorCode::ExpiredTransaction, "expired_transaction"),
            (ErrorCode::InvalidCallback, "invalid_callback"),
            (ErrorCode::TokenRequestFailed, "token_request_failed"),
            (ErrorCode::TokenError, "token_error"),
            (ErrorCode::InvalidTokenResponse, "invalid_token_response"),
            (ErrorCode::InvalidIdToken, "invalid_id_token"),
            (ErrorCode::InvalidStorage, "invalid_storage"),
            (ErrorCode::NotSignedIn, "not_signed_in"),
            (ErrorCode::SessionExpired, "session_expired"),
            (ErrorCode::InvalidMode, "invalid_mode"),
            (ErrorCode::InvalidLogoutUrl, "invalid_logout_url"),
            (ErrorCode::InvalidExchangeUrl, "invalid_exchange_url"),
            (ErrorCode::PopupBlocked, "popup_blocked"),
            (ErrorCode::PopupClosed, "popup_closed"),
            (ErrorCode::PopupTimeout, "popup_timeout"),
            (ErrorCode::ExchangeFailed, "exchange_failed"),
            (ErrorCode::RevocationFailed, "revocation_failed"),
            (ErrorCode::ProfileFailed, "profile_failed"),
            (ErrorCode::InternalError, "internal_error"),
            (ErrorCode::Provider, "provider"),
        ];
        for (code, name) in all {
            assert_eq!(code.as_str(), name, "{code:?}");
            assert_eq!(code.to_string(), name, "{code:?}");
        }
    }

    #[test]
    fn each_code_tells_the_user_what_it_means() {
        let cases = [
            (ErrorCode::MissingClientId, Notice::Setup),
            (ErrorCode::InvalidExchangeUrl, Notice::Setup),
            (ErrorCode::PkceNotSupported, Notice::Setup),
            (ErrorCode::DiscoveryFailed, Notice::Offline),
            (ErrorCode::ExchangeFailed, Notice::Offline),
            (ErrorCode::SessionExpired, Notice::Expired),
            (ErrorCode::ExpiredTransaction, Notice::Expired),
            (ErrorCode::PopupBlocked, Notice::Blocked),
            (ErrorCode::PopupTimeout, Notice::Closed),
            (ErrorCode::RevocationFailed, Notice::SignOut),
            (ErrorCode::InvalidIdToken, Notice::Failed),
            (ErrorCode::UnknownState, Notice::Failed),
            (ErrorCode::InternalError, Notice::Failed),
        ];
        for (code, notice) in cases {
            assert_eq!(code.notice(), notice, "{code}");
            assert_eq!(SigninError::new(code, "x").notice(), notice, "{code}");
        }
        let provider = [
            ("invalid_request", Notice::Setup),
            ("unauthorized_client", Notice::Setup),
            ("unsupported_response_type", Notice::Setup),
            ("invalid_scope", Notice::Setup),
            ("server_error", Notice::Offline),
            ("temporarily_unavailable", Notice::Offline),
            ("access_denied", Notice::Denied),
            ("login_required", Notice::Interact),
            ("consent_required", Notice::Interact),
            ("interaction_required", Notice::Interact),
            ("account_selection_required", Notice::Interact),
            ("made_up", Notice::Failed),
        ];
        for (code, notice) in provider {
            let e = SigninError::from_provider(code, Some("why"), None);
            assert_eq!(e.notice(), notice, "{code}");
        }
        assert_eq!(Notice::SignOut.as_str(), "signout");
        // Each name is its notice's.
        let names = Notice::ALL.map(Notice::as_str);
        assert_eq!(
            names,
            [
                "setup", "offline", "denied", "expired", "interact", "blocked", "closed",
                "signout", "failed"
            ]
        );
    }

    #[test]
    fn display_is_the_description() {
        let e = SigninError::new(ErrorCode::InternalError, "Broken.").with_cause("why");
        assert_eq!(e.to_string(), "Broken.");
        assert_eq!(e.cause.as_deref(), Some("why"));
    }

    #[test]
    fn access_denied_reads_as_a_decline() {
        let e = SigninError::from_provider("access_denied", None, None);
        assert_eq!(e.code, ErrorCode::Provider);
        assert_eq!(e.provider.as_deref(), Some("access_denied"));
        assert_eq!(e.description, "You declined to give the app access.");
        assert_eq!(e.cause, None);
    }

    #[test]
    fn each_provider_error_has_its_sentence() {
        let sentences = [
            ("access_denied", "You declined to give the app access."),
            (
                "invalid_request",
                "The authorization server rejected the sign-in request as malformed: check the clientid, redirecturi and scopes attributes.",
            ),
            (
                "unauthorized_client",
                "This connected app may not use the authorization code grant: enable it for the app in Anypoint Access Management.",
            ),
            (
                "unsupported_response_type",
                "The authorization server does not support the authorization code flow for this app.",
            ),
            (
                "invalid_scope",
                "A requested scope is unknown or not granted to this connected app: check the scopes attribute against the app's scopes.",
            ),
            (
                "server_error",
                "The authorization server failed unexpectedly: try again later.",
            ),
            (
                "temporarily_unavailable",
                "The authorization server is temporarily unavailable: try again later.",
            ),
            (
                "login_required",
                "You need to sign in to Anypoint Platform first.",
            ),
            (
                "consent_required",
                "You need to give the app access before it can sign you in.",
            ),
            (
                "interaction_required",
                "Anypoint Platform needs you to complete the sign-in in person.",
            ),
            (
                "account_selection_required",
                "Anypoint Platform needs you to choose an account.",
            ),
            (
                "made_up",
                "The authorization server refused to sign you in.",
            ),
        ];
        for (code, sentence) in sentences {
            let e = SigninError::from_provider(code, None, None);
            assert_eq!(e.description, sentence, "{code}");
            assert_eq!((e.code, e.code_str()), (ErrorCode::Provider, code));
        }
    }

    #[test]
    fn provider_detail_is_appended() {
        let e = SigninError::from_provider(
            "invalid_scope",
            Some("scope foo unknown"),
            Some("https://example.com/help"),
        );
        assert!(e.description.starts_with("A requested scope is unknown"));
        assert!(e.description.contains("The server said: scope foo unknown"));
        assert!(
            e.description
                .ends_with("More information: https://example.com/help")
        );
        assert_eq!(e.cause.as_deref(), Some("scope foo unknown"));
    }

    #[test]
    fn unknown_provider_error_gets_a_generic_sentence() {
        let e = SigninError::from_provider("weird_error", None, None);
        assert_eq!(e.code_str(), "weird_error");
        assert_eq!(
            e.description,
            "The authorization server refused to sign you in."
        );
    }

    #[test]
    fn provider_errors_are_a_code_and_a_sentence_for_each_notice() {
        // Two pieces for each notice, and the empty one after the last U+001F.
        let pieces: Vec<&str> = PROVIDER_ERRORS.split('\u{1f}').collect();
        assert_eq!(pieces.len(), 2 * PROVIDER_NOTICES.len() + 1);
        assert_eq!(pieces.last(), Some(&""));
        // A sentence, or nothing, is never taken for a code.
        for code in ["You declined to give the app access.", ""] {
            let e = SigninError::from_provider(code, None, None);
            assert_eq!(
                (e.description.as_str(), e.notice()),
                (
                    "The authorization server refused to sign you in.",
                    Notice::Failed
                )
            );
        }
    }

    #[test]
    fn more_information_names_the_page_when_there_is_one() {
        let mut text = String::from("Refused.");
        more_information(&mut text, None);
        assert_eq!(text, "Refused.");
        more_information(&mut text, Some("https://as.example/help"));
        assert_eq!(text, "Refused. More information: https://as.example/help");
        // The token endpoint's errors say it the same way.
        let e = crate::protocol::parse_token_response(
            "400",
            r#"{"error":"x","error_uri":"https://as.example/help"}"#,
            &crate::protocol::test_support::SerdeJson,
        )
        .unwrap_err();
        assert!(
            e.description
                .ends_with(". More information: https://as.example/help"),
            "{}",
            e.description
        );
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        let long = "é".repeat(MAX_CAUSE_CHARS + 10);
        let cut = truncate_body(&long);
        assert_eq!(cut.chars().count(), MAX_CAUSE_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(truncate_body("short"), "short");
        assert_eq!(truncate_body(""), "");
        let exact = "😀".repeat(MAX_CAUSE_CHARS);
        assert_eq!(truncate_body(&exact), exact);
        let one_more = [exact.as_str(), "x"].concat();
        assert_eq!(truncate_body(&one_more), [exact.as_str(), "…"].concat());
        let mixed = ["a", &"€".repeat(MAX_CAUSE_CHARS)].concat();
        let cut = truncate_body(&mixed);
        assert_eq!(cut, ["a", &"€".repeat(MAX_CAUSE_CHARS - 1), "…"].concat());
    }
}
