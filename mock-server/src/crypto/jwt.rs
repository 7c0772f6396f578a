//! Compact JWS serialization of JSON Web Tokens ([RFC 7515 §7.1](https://www.rfc-editor.org/rfc/rfc7515#section-7.1)).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// A JWT split into its parts; nothing in it is verified yet.
pub(crate) struct Unverified {
    pub header: Value,
    pub claims: Value,
    /// `base64url(header) "." base64url(payload)`, the bytes the signature covers.
    pub signing_input: String,
    pub signature: Vec<u8>,
}

/// Builds `header.payload.signature`, signing with `sign`.
pub(crate) fn encode(
    header: &Value,
    claims: &Value,
    sign: impl FnOnce(&[u8]) -> Vec<u8>,
) -> String {
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = sign(signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// Splits and decodes a compact JWT; the error says which part is malformed.
pub(crate) fn decode(token: &str) -> Result<Unverified, String> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("a JWT has three dot-separated parts".to_owned());
    };
    let json = |part: &str, what: &str| -> Result<Value, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| format!("the JWT {what} is not base64url"))?;
        let value: Value =
            serde_json::from_slice(&bytes).map_err(|_| format!("the JWT {what} is not JSON"))?;
        if value.is_object() {
            Ok(value)
        } else {
            Err(format!("the JWT {what} is not a JSON object"))
        }
    };
    Ok(Unverified {
        header: json(header, "header")?,
        claims: json(payload, "payload")?,
        signing_input: format!("{header}.{payload}"),
        signature: URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| "the JWT signature is not base64url".to_owned())?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_and_signs_the_first_two_parts() {
        let token = encode(&json!({"alg": "none"}), &json!({"sub": "x"}), |input| {
            input.to_vec()
        });
        let parsed = decode(&token).expect("just encoded");
        assert_eq!(parsed.claims["sub"], "x");
        assert_eq!(parsed.signature, parsed.signing_input.as_bytes());
    }

    #[test]
    fn rejects_wrong_part_count() {
        assert!(decode("a.b").is_err());
        assert!(decode("a.b.c.d").is_err());
    }
}
