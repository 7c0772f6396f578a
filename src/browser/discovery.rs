//! Provider metadata, fetched once per issuer and page.

use std::cell::RefCell;
use std::rc::Rc;

use super::{cached, http, json::BrowserJson, remember};
use crate::protocol::decimal::decimal;
use crate::protocol::{
    ErrorCode, IssuerUrl, ProviderMetadata, SigninError, discovery_url, parse_discovery,
};

thread_local! {
    /// Metadata by issuer: a page talks to one issuer, so a list searched in order does.
    static CACHE: RefCell<Vec<(String, Rc<ProviderMetadata>)>> = const { RefCell::new(Vec::new()) };
}

/// Empties the cache.
#[cfg(feature = "test-hooks")]
pub fn forget() {
    CACHE.with(|c| c.borrow_mut().clear());
}

/// The issuer's metadata, from the cache or its discovery document.
pub async fn metadata(issuer: &IssuerUrl) -> Result<Rc<ProviderMetadata>, SigninError> {
    if let Some(found) = CACHE.with(|c| cached(&c.borrow(), issuer.as_str())) {
        return Ok(found);
    }
    let url = discovery_url(issuer);
    let response = http::get(&url).await.map_err(|e| {
        SigninError::new(
            ErrorCode::DiscoveryFailed,
            [
                "Could not reach the authorization server's discovery document at ",
                &url,
                ": check the issuer attribute, the network, and that the server allows this origin (CORS).",
            ]
            .concat(),
        )
        .with_cause(e.0)
    })?;
    if !(200..300).contains(&response.status) {
        return Err(SigninError::new(
            ErrorCode::DiscoveryFailed,
            [
                "The discovery document at ",
                &url,
                " answered HTTP ",
                &decimal(u64::from(response.status)),
                ": check the issuer attribute.",
            ]
            .concat(),
        ));
    }
    let parsed = Rc::new(parse_discovery(&response.body, issuer, &BrowserJson)?);
    CACHE.with(|c| remember(&mut c.borrow_mut(), issuer.as_str(), &parsed));
    Ok(parsed)
}
