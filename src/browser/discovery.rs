//! Provider metadata, fetched once per issuer and page.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::{http, json::BrowserJson};
use crate::protocol::{
    ErrorCode, IssuerUrl, ProviderMetadata, SigninError, discovery_url, parse_discovery,
};

thread_local! {
    static CACHE: RefCell<HashMap<String, Rc<ProviderMetadata>>> = RefCell::new(HashMap::new());
}

/// The issuer's metadata, from the cache or its discovery document.
pub async fn metadata(issuer: &IssuerUrl) -> Result<Rc<ProviderMetadata>, SigninError> {
    if let Some(found) = CACHE.with(|c| c.borrow().get(issuer.as_str()).cloned()) {
        return Ok(found);
    }
    let url = discovery_url(issuer);
    let response = http::get(&url).await.map_err(|e| {
        SigninError::new(
            ErrorCode::DiscoveryFailed,
            format!(
                "Could not reach the authorization server's discovery document at {url}: check the issuer attribute, the network, and that the server allows this origin (CORS)."
            ),
        )
        .with_cause(e.0)
    })?;
    if !(200..300).contains(&response.status) {
        return Err(SigninError::new(
            ErrorCode::DiscoveryFailed,
            format!(
                "The discovery document at {url} answered HTTP {}: check the issuer attribute.",
                response.status
            ),
        ));
    }
    let parsed = Rc::new(parse_discovery(&response.body, issuer, &BrowserJson)?);
    CACHE.with(|c| {
        c.borrow_mut()
            .insert(issuer.as_str().to_owned(), parsed.clone())
    });
    Ok(parsed)
}
