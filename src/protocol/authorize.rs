//! The authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core 1.0
//! §3.1.2.1).

use super::pkce::{PkceChallenge, S256};
use super::stored;
use super::text;
use super::types::{ClientId, Nonce, RedirectUri, Scopes, State};

/// Everything the authorization URL carries.
#[derive(Clone, Copy, Debug)]
pub struct AuthorizationRequest<'a> {
    /// The `authorization_endpoint` from discovery.
    pub endpoint: &'a str,
    /// The connected app's client ID.
    pub client_id: &'a ClientId,
    /// Where the browser comes back.
    pub redirect_uri: &'a RedirectUri,
    /// The scopes to request.
    pub scopes: &'a Scopes,
    /// The CSRF-binding state.
    pub state: &'a State,
    /// The ID-token-binding nonce.
    pub nonce: &'a Nonce,
    /// The PKCE `S256` challenge.
    pub code_challenge: &'a PkceChallenge,
    /// OpenID Connect `prompt` (e.g. `none` for a silent sign-in, `login`, `consent`).
    pub prompt: Option<&'a str>,
    /// OpenID Connect `login_hint`: a username to pre-fill.
    pub login_hint: Option<&'a str>,
}

impl AuthorizationRequest<'_> {
    /// The authorization URL: the endpoint with `response_type=code`, `client_id`,
    /// `redirect_uri`, `scope`, `state`, `nonce`, `code_challenge`,
    /// `code_challenge_method=S256` and, when set, `prompt` and `login_hint`, all
    /// form-urlencoded as RFC 6749 §4.1.1 and Appendix B require. An endpoint that already
    /// has a query keeps it (RFC 6749 §3.1).
    pub fn url(&self) -> String {
        let mut url = String::from(self.endpoint);
        if !text::has(&url, b'?') {
            url.push('?');
        }
        // Written straight into the URL; the first pair follows a `?` or `&` without
        // another, or is joined to the endpoint's own query by one.
        stored::write_to(
            &mut url,
            "response_type\u{1f}client_id\u{1f}redirect_uri\u{1f}scope\u{1f}state\u{1f}nonce\u{1f}code_challenge\u{1f}code_challenge_method\u{1f}prompt\u{1f}login_hint",
            &[
                Some("code"),
                Some(self.client_id.as_str()),
                Some(self.redirect_uri.as_str()),
                Some(self.scopes.as_str()),
                Some(self.state.as_str()),
                Some(self.nonce.as_str()),
                Some(self.code_challenge.as_str()),
                Some(S256),
                self.prompt,
                self.login_hint,
            ],
        );
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Values {
        client_id: ClientId,
        redirect_uri: RedirectUri,
        scopes: Scopes,
        state: State,
        nonce: Nonce,
        challenge: PkceChallenge,
    }

    fn values() -> Values {
        Values {
            client_id: ClientId::new("abc123".into()),
            redirect_uri: RedirectUri::parse("https://app.example.com/cb?from=signin").unwrap(),
            scopes: Scopes::parse("openid read:full openid:google_wif"),
            state: State::new("st4te".into()),
            nonce: Nonce::new("n0nce".into()),
            challenge: PkceChallenge::from_s256_digest(&[0; 32]),
        }
    }

    fn request<'a>(v: &'a Values, endpoint: &'a str) -> AuthorizationRequest<'a> {
        AuthorizationRequest {
            endpoint,
            client_id: &v.client_id,
            redirect_uri: &v.redirect_uri,
            scopes: &v.scopes,
            state: &v.state,
            nonce: &v.nonce,
            code_challenge: &v.challenge,
            prompt: None,
            login_hint: None,
        }
    }

    const PARAMS: &str = "response_type=code&client_id=abc123\
        &redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Ffrom%3Dsignin\
        &scope=openid+read%3Afull+openid%3Agoogle_wif&state=st4te&nonce=n0nce\
        &code_challenge=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&code_challenge_method=S256";

    #[test]
    fn exact_url() {
        let v = values();
        let endpoint = "https://anypoint.mulesoft.com/accounts/api/v2/oauth2/authorize";
        assert_eq!(request(&v, endpoint).url(), format!("{endpoint}?{PARAMS}"));
    }

    #[test]
    fn optional_parameters_are_encoded() {
        let v = values();
        let r = AuthorizationRequest {
            prompt: Some("none"),
            login_hint: Some("max mule+1@example.com"),
            ..request(&v, "https://as.example/authorize")
        };
        assert_eq!(
            r.url(),
            format!(
                "https://as.example/authorize?{PARAMS}&prompt=none&login_hint=max+mule%2B1%40example.com"
            )
        );
    }

    #[test]
    fn endpoint_query_is_kept() {
        let v = values();
        assert_eq!(
            request(&v, "https://as.example/authorize?tenant=x").url(),
            format!("https://as.example/authorize?tenant=x&{PARAMS}")
        );
        assert_eq!(
            request(&v, "https://as.example/authorize?").url(),
            format!("https://as.example/authorize?{PARAMS}")
        );
        assert_eq!(
            request(&v, "https://as.example/authorize?tenant=x&").url(),
            format!("https://as.example/authorize?tenant=x&{PARAMS}")
        );
    }
}
