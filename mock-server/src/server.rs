//! Binding the listener and building the state from a [`Config`].

use std::error::Error;
use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::app::app;
use crate::config::{Config, defaults};
use crate::crypto::keys::SigningKeys;
use crate::example_backend;
use crate::oauth;
use crate::random;
use crate::state::{AppState, Settings};
use crate::store::{Seed, Store};

/// Errors that stop the server from starting.
pub type StartError = Box<dyn Error + Send + Sync>;

/// A server bound to its port, not yet serving.
pub struct Server {
    listener: TcpListener,
    address: SocketAddr,
    state: AppState,
}

const ISSUER_PATH: &str = "/accounts/api/v2/oauth2";

impl Server {
    /// Binds `config.host:config.port` and loads keys, defaults and the apps file.
    pub async fn bind(config: Config) -> Result<Server, StartError> {
        let custom_key = match &config.signing_key {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read --signing-key {}: {e}", path.display()))?,
            ),
            None => None,
        };
        let keys = SigningKeys::load(custom_key.as_deref())?;
        let listener = TcpListener::bind((config.host.as_str(), config.port))
            .await
            .map_err(|e| format!("cannot listen on {}:{}: {e}", config.host, config.port))?;
        let address = listener.local_addr()?;
        let host = match address {
            SocketAddr::V6(_) => format!("[{}]", address.ip()),
            SocketAddr::V4(_) => address.ip().to_string(),
        };
        let local_base = format!("http://{host}:{}", address.port());
        let issuer = config
            .issuer
            .clone()
            .map(|i| i.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("{local_base}{ISSUER_PATH}"));
        let base_url = base_url_of(&issuer)?;
        let now = crate::state::AppState::unix_now();
        let mut store = Store::with_defaults(now);
        if let Some(path) = &config.apps {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read --apps {}: {e}", path.display()))?;
            let seed: Seed = serde_json::from_str(&text)
                .map_err(|e| format!("--apps {}: {e}", path.display()))?;
            store
                .directory
                .load_seed(seed, now)
                .map_err(|e| format!("--apps {}: {e}", path.display()))?;
        }
        let settings = Settings {
            issuer,
            base_url,
            admin_token: config
                .admin_token
                .clone()
                .unwrap_or_else(|| random::token(24)),
            auto_approve: config.auto_approve,
            admin_origins: config
                .admin_origins
                .iter()
                .map(|o| o.trim_end_matches('/').to_owned())
                .collect(),
            request_timeout: config.request_timeout,
        };
        Ok(Server {
            listener,
            address,
            state: AppState::new(settings, keys, store),
        })
    }

    /// The address actually bound (the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The issuer identifier.
    pub fn issuer(&self) -> &str {
        &self.state.settings.issuer
    }

    /// The admin API's bearer token.
    pub fn admin_token(&self) -> &str {
        &self.state.settings.admin_token
    }

    /// What a person starting the server needs to know: endpoints, admin token, defaults.
    pub fn banner(&self) -> String {
        let s = &self.state.settings;
        format!(
            "Anypoint Platform mock authorization server\n\
  issuer:          {issuer}\n\
  discovery:       {discovery}\n\
  admin token:     {admin}\n\
  auto-approve:    {auto}\n\
  organization:    {org_name} ({org_id})\n\
  user:            {user} / {password} ({first} {last}, {email})\n\
  public app:      {playground} (PKCE, redirect URIs {redirects})\n\
  backend app:     {backend} / {backend_secret} (confidential, used by POST {exchange})\n\
  CI app:          {ci} / {ci_secret} (client_credentials)",
            issuer = s.issuer,
            discovery = s.url(oauth::DISCOVERY),
            admin = s.admin_token,
            auto = if s.auto_approve {
                "on (login_hint=USERNAME signs in at once)"
            } else {
                "off"
            },
            org_name = defaults::ORG_NAME,
            org_id = defaults::ORG_ID,
            user = defaults::USERNAME,
            password = defaults::PASSWORD,
            first = defaults::FIRST_NAME,
            last = defaults::LAST_NAME,
            email = defaults::EMAIL,
            playground = defaults::PLAYGROUND_CLIENT_ID,
            redirects = defaults::PLAYGROUND_REDIRECT_URIS.join(" "),
            backend = defaults::BACKEND_CLIENT_ID,
            backend_secret = defaults::BACKEND_CLIENT_SECRET,
            exchange = example_backend::EXCHANGE,
            ci = defaults::CI_CLIENT_ID,
            ci_secret = defaults::CI_CLIENT_SECRET,
        )
    }

    /// Serves until `shutdown` completes.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(self.listener, app(self.state))
            .with_graceful_shutdown(shutdown)
            .await
    }
}

/// Endpoint URLs hang off the issuer's prefix before Anypoint's issuer path, or else off
/// the issuer's origin.
fn base_url_of(issuer: &str) -> Result<String, StartError> {
    if let Some(base) = issuer.strip_suffix(ISSUER_PATH) {
        return Ok(base.to_owned());
    }
    let url = url::Url::parse(issuer).map_err(|e| format!("--issuer {issuer}: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("--issuer {issuer} must be an http(s) URL").into());
    }
    Ok(url.origin().ascii_serialization())
}
