//! The element's attributes, validated once into the values every later step uses.

use super::error::{ErrorCode, SigninError};
use super::region::Region;
use super::types::{ClientId, IssuerUrl, RedirectUri, Scopes};

/// A validated sign-in configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigninConfig {
    /// The connected app's client ID.
    pub client_id: ClientId,
    /// Where the authorization server sends the browser back.
    pub redirect_uri: RedirectUri,
    /// The scopes to request.
    pub scopes: Scopes,
    /// The authorization server's issuer identifier.
    pub issuer: IssuerUrl,
}

impl SigninConfig {
    /// Validates the `clientid`, `redirecturi`, `scopes`, `issuer` and `region` attributes.
    ///
    /// Blank attributes count as absent. An explicit `issuer` wins over `region`, so a
    /// private or test authorization server can be used with any region setting; with
    /// neither, the US control plane ([`DEFAULT_ISSUER`](super::DEFAULT_ISSUER)) is used.
    /// Scopes default to [`Scopes::DEFAULT`]. A missing `redirecturi` is an error here: the
    /// caller supplies the current page's URL if it wants that as a default.
    pub fn from_attributes(
        client_id: Option<&str>,
        redirect_uri: Option<&str>,
        scopes: Option<&str>,
        issuer: Option<&str>,
        region: Option<&str>,
    ) -> Result<Self, SigninError> {
        let client_id = present(client_id);
        // A missing client ID is reported first, by `from_values`.
        let redirect_uri = match (client_id, present(redirect_uri)) {
            (Some(_), None) => {
                return Err(SigninError::new(
                    ErrorCode::InvalidRedirectUri,
                    "The redirecturi attribute is missing: set it to one of your connected app's redirect URIs.",
                ));
            }
            (_, redirect_uri) => redirect_uri.unwrap_or_default(),
        };
        Self::from_values(
            &[
                client_id,
                Some(redirect_uri),
                scopes,
                present(issuer),
                present(region),
            ],
            "",
        )
    }

    /// [`SigninConfig::from_attributes`] of values trimmed already, each `None` when blank
    /// (and the scopes as given): the first five of `values` are the `clientid`,
    /// `redirecturi`, `scopes`, `issuer` and `region` attributes, as the element keeps them,
    /// which trims every attribute once, where it tells a blank one from a set one. A blank
    /// redirect URI is `page`: the element always has one, the page being the default.
    #[expect(
        clippy::question_mark,
        reason = "`?` moves the redirect URI and the issuer through `Try::branch`, which costs code here"
    )]
    // Out of line: inlined into the element's one caller, it makes the package larger.
    #[inline(never)]
    pub(crate) fn from_values<const N: usize>(
        values: &[Option<&str>; N],
        page: &str,
    ) -> Result<Self, SigninError> {
        let Some(&[client_id, redirect_uri, scopes, issuer, region]) = values.first_chunk() else {
            unreachable!("fewer than five values")
        };
        let redirect_uri = redirect_uri.unwrap_or(page);
        let Some(client_id) = client_id else {
            return Err(SigninError::new(
                ErrorCode::MissingClientId,
                "The clientid attribute is missing: set it to your connected app's client ID.",
            ));
        };
        // Without either, the region is the US one, whose issuer is DEFAULT_ISSUER.
        let issuer = match issuer {
            Some(issuer) => issuer,
            None => {
                let name = region.unwrap_or("us");
                match Region::find(name) {
                    Some(region) => region.issuer(),
                    None => return Err(Region::unknown(name)),
                }
            }
        };
        // Both checks come before the client ID and scopes are copied, so a refusal has less
        // to drop.
        // Matched one after the other: a refusal of the redirect URI has no issuer to drop.
        let redirect_uri = match RedirectUri::parse(redirect_uri) {
            Ok(redirect_uri) => redirect_uri,
            Err(e) => return Err(e),
        };
        let issuer = match IssuerUrl::parse(issuer) {
            Ok(issuer) => issuer,
            Err(e) => return Err(e),
        };
        Ok(Self {
            client_id: ClientId::new(client_id.into()),
            redirect_uri,
            scopes: Scopes::parse(scopes.unwrap_or_default()),
            issuer,
        })
    }
}

/// The attribute's value, unless it is absent or blank.
fn present(value: Option<&str>) -> Option<&str> {
    // Trimmed once, absent as empty, so the trim is not an `Option::map` of its own.
    let v = super::text::trim_ascii(value.unwrap_or_default());
    if v.is_empty() { None } else { Some(v) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::region::DEFAULT_ISSUER;

    const CB: Option<&str> = Some("https://app.example.com/cb");

    fn code(r: Result<SigninConfig, SigninError>) -> ErrorCode {
        r.unwrap_err().code
    }

    #[test]
    fn minimal_config_uses_defaults() {
        let c = SigninConfig::from_attributes(Some(" abc "), CB, None, None, None).unwrap();
        assert_eq!(c.client_id.as_str(), "abc");
        assert_eq!(c.redirect_uri.as_str(), "https://app.example.com/cb");
        assert_eq!(c.scopes.as_param(), "openid profile");
        assert_eq!(c.issuer.as_str(), DEFAULT_ISSUER);
    }

    #[test]
    fn region_selects_issuer_and_issuer_wins() {
        let eu = SigninConfig::from_attributes(Some("a"), CB, Some("full"), None, Some("eu"));
        assert_eq!(
            eu.unwrap().issuer.as_str(),
            "https://eu1.anypoint.mulesoft.com/accounts/api/v2/oauth2"
        );
        let own = "http://localhost:4000/oauth2";
        let both = SigninConfig::from_attributes(Some("a"), CB, None, Some(own), Some("gov"));
        assert_eq!(both.unwrap().issuer.as_str(), own);
        // The region is not even parsed when an issuer is given.
        let ignored = SigninConfig::from_attributes(Some("a"), CB, None, Some(own), Some("mars"));
        assert!(ignored.is_ok());
    }

    #[test]
    fn errors() {
        let e = SigninConfig::from_attributes(None, CB, None, None, None).unwrap_err();
        assert_eq!(e.code, ErrorCode::MissingClientId);
        assert!(e.description.contains("clientid attribute is missing"));
        // (clientid, redirecturi, issuer, region) and the error each gives.
        let cases = [
            ((Some("  "), CB, None, None), ErrorCode::MissingClientId),
            ((None, None, None, None), ErrorCode::MissingClientId),
            (
                (Some("a"), Some(" "), None, None),
                ErrorCode::InvalidRedirectUri,
            ),
            ((Some("a"), None, None, None), ErrorCode::InvalidRedirectUri),
            (
                (Some("a"), Some("/cb"), None, None),
                ErrorCode::InvalidRedirectUri,
            ),
            (
                (Some("a"), CB, None, Some("mars")),
                ErrorCode::UnknownRegion,
            ),
            (
                (Some("a"), CB, Some("http://x.com"), None),
                ErrorCode::InvalidIssuer,
            ),
            // The redirect URI is checked first, the region before both.
            (
                (Some("a"), Some("/cb"), Some("http://x.com"), None),
                ErrorCode::InvalidRedirectUri,
            ),
            (
                (Some("a"), Some("/cb"), None, Some("mars")),
                ErrorCode::UnknownRegion,
            ),
        ];
        for ((client_id, redirect_uri, issuer, region), expected) in cases {
            let result =
                SigninConfig::from_attributes(client_id, redirect_uri, None, issuer, region);
            assert_eq!(code(result), expected, "{client_id:?} {redirect_uri:?}");
        }
    }
}
