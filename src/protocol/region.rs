//! Anypoint Platform's control planes and their issuers.

use super::error::{ErrorCode, SigninError};
use crate::protocol::text::eq_ignore_ascii_case;

/// The issuer used when neither the `issuer` nor the `region` attribute is set: the US
/// control plane.
pub const DEFAULT_ISSUER: &str = "https://anypoint.mulesoft.com/accounts/api/v2/oauth2";

/// An Anypoint Platform control plane.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Region {
    /// `anypoint.mulesoft.com`.
    #[default]
    Us,
    /// `eu1.anypoint.mulesoft.com`.
    Eu,
    /// `gov.anypoint.mulesoft.com`.
    Gov,
}

impl Region {
    /// Reads the `region` attribute: `us`, `eu` or `gov`, in any case, around ASCII white
    /// space; an error quotes it trimmed.
    pub fn parse(value: &str) -> Result<Self, SigninError> {
        Self::named(super::text::trim_ascii(value))
    }

    /// [`Region::parse`] of a `name` trimmed already, as the configuration's attributes are:
    /// no second trim.
    pub(crate) fn named(name: &str) -> Result<Self, SigninError> {
        match Self::find(name) {
            Some(region) => Ok(region),
            None => Err(Self::unknown(name)),
        }
    }

    /// The region `name` names (trimmed already), in any case; `None` when it names none.
    pub(crate) fn find(name: &str) -> Option<Self> {
        // Compared without a lower-cased copy.
        match () {
            _ if eq_ignore_ascii_case(name, "us") => Some(Self::Us),
            _ if eq_ignore_ascii_case(name, "eu") => Some(Self::Eu),
            _ if eq_ignore_ascii_case(name, "gov") => Some(Self::Gov),
            _ => None,
        }
    }

    /// The error of a `region` attribute `name` (trimmed) that names no region.
    pub(crate) fn unknown(name: &str) -> SigninError {
        SigninError::filled(
            ErrorCode::UnknownRegion,
            "The region attribute \"\u{1}\" is not a known Anypoint region: use us, eu or gov.",
            &[name],
        )
    }

    /// The region's OAuth 2.0 issuer identifier (RFC 8414 §2).
    pub fn issuer(self) -> &'static str {
        match self {
            Self::Us => DEFAULT_ISSUER,
            Self::Eu => "https://eu1.anypoint.mulesoft.com/accounts/api/v2/oauth2",
            Self::Gov => "https://gov.anypoint.mulesoft.com/accounts/api/v2/oauth2",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_insensitively() {
        assert_eq!(Region::parse("us").unwrap(), Region::Us);
        assert_eq!(Region::parse("EU").unwrap(), Region::Eu);
        assert_eq!(Region::parse(" Gov ").unwrap(), Region::Gov);
        assert_eq!(Region::parse("\tgOv\n").unwrap(), Region::Gov);
    }

    #[test]
    fn unknown_region() {
        for bad in ["", "ca", "eu1", "usa"] {
            let e = Region::parse(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::UnknownRegion, "{bad}");
        }
        let e = Region::parse(" mars\t").unwrap_err();
        assert_eq!(
            e.description,
            "The region attribute \"mars\" is not a known Anypoint region: use us, eu or gov."
        );
    }

    #[test]
    fn issuers() {
        assert_eq!(Region::default().issuer(), DEFAULT_ISSUER);
        assert_eq!(
            Region::Eu.issuer(),
            "https://eu1.anypoint.mulesoft.com/accounts/api/v2/oauth2"
        );
        assert_eq!(
            Region::Gov.issuer(),
            "https://gov.anypoint.mulesoft.com/accounts/api/v2/oauth2"
        );
    }
}
