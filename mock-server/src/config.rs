//! Start-up configuration: the command line, and the defaults that make the mock useful
//! with no configuration at all.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

/// How to run the mock authorization server.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "anypoint-mock-server",
    version,
    about = "A local stand-in for Anypoint Platform's OAuth 2.0 / OpenID Connect authorization server and Connected Apps API",
    long_about = "A local stand-in for Anypoint Platform's OAuth 2.0 / OpenID Connect authorization server \
and Connected Apps API, for development and CI without an Anypoint account or internet.\n\n\
With no flags it serves a default organization (Mule Corp), user (max / mulesoft1), public app \
(anypoint-signin-playground), confidential app of the example backend (anypoint-signin-backend-example) \
and client-credentials app (anypoint-mock-ci) on http://127.0.0.1:8081. \
When ready it prints `listening on http://HOST:PORT` on stdout."
)]
pub struct Config {
    /// Address to listen on; loopback by default so nothing outside this machine can reach it.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,

    /// Port to listen on; 0 picks a free port (the printed `listening on` line tells which).
    #[arg(long, default_value_t = 8081)]
    pub port: u16,

    /// Issuer identifier; default `http://HOST:PORT/accounts/api/v2/oauth2` with the bound port.
    /// Endpoint URLs in discovery are derived from it.
    #[arg(long, value_name = "URL")]
    pub issuer: Option<String>,

    /// JSON file of organizations, users and connected apps to preload, in addition to the
    /// defaults (format: mock-server/README.md, example: mock-server/examples/apps.json).
    #[arg(long, value_name = "FILE")]
    pub apps: Option<PathBuf>,

    /// Bearer token for the admin API (connected apps, users, fault injection); generated
    /// and printed at start if not given.
    #[arg(long, value_name = "TOKEN")]
    pub admin_token: Option<String>,

    /// Non-interactive sign-in: /authorize with `login_hint=<username>` signs that user in and
    /// grants consent at once, redirecting straight back. For automated browser tests only.
    #[arg(long)]
    pub auto_approve: bool,

    /// A browser origin (e.g. `http://127.0.0.1:8080`) allowed by CORS to call the admin API
    /// and fault injection. Repeat the flag for several origins.
    #[arg(long = "admin-origin", value_name = "ORIGIN")]
    pub admin_origins: Vec<String>,

    /// RSA private key (PKCS#8 or PKCS#1 PEM) that signs RS256 ID tokens until the first
    /// key rotation; default: the mock, non-secret key shipped in mock-server/keys/.
    #[arg(long, value_name = "FILE")]
    pub signing_key: Option<PathBuf>,

    /// Seconds a request may take, from its headers to its answer (a body that never
    /// arrives, say), before it gets 408 and its connection is closed; fractions allowed.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_seconds)]
    pub request_timeout: Duration,
}

/// A positive number of seconds, fractions allowed.
fn parse_seconds(value: &str) -> Result<Duration, String> {
    let seconds: f64 = value
        .parse()
        .map_err(|_| format!("{value:?} is not a number of seconds"))?;
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err(format!("{value}: give between 0 and 86400 seconds"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// What `--request-timeout` is when not given.
const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".to_owned(),
            port: 8081,
            issuer: None,
            apps: None,
            admin_token: None,
            auto_approve: false,
            admin_origins: Vec::new(),
            signing_key: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
        }
    }
}

/// Fixed identities of the zero-configuration setup, documented in the README.
pub(crate) mod defaults {
    pub const ORG_ID: &str = "7b0c3f52-0f6e-4c1a-9a53-6d0c0ffee001";
    pub const ORG_NAME: &str = "Mule Corp";
    pub const ORG_DOMAIN: &str = "mulecorp";
    pub const IDENTITY_PROVIDER_ID: &str = "5e1f0c2a-8b3d-4f6e-9a7c-6d0c0ffee003";

    pub const USER_ID: &str = "3f1d2c4b-5a69-4e7f-8a1b-6d0c0ffee002";
    pub const USERNAME: &str = "max";
    pub const PASSWORD: &str = "mulesoft1";
    pub const FIRST_NAME: &str = "Max";
    pub const LAST_NAME: &str = "Mule";
    pub const EMAIL: &str = "max@example.com";

    pub const PLAYGROUND_CLIENT_ID: &str = "anypoint-signin-playground";
    pub const PLAYGROUND_NAME: &str = "Anypoint Sign-in Playground";
    pub const PLAYGROUND_SCOPES: &[&str] = &[
        "openid",
        "profile",
        "email",
        "offline_access",
        "full",
        "read:full",
    ];
    pub const PLAYGROUND_REDIRECT_URIS: &[&str] = &[
        "http://127.0.0.1:8080/",
        "http://localhost:8080/",
        "http://127.0.0.1:8080/index.html",
        "http://localhost:8080/index.html",
    ];

    pub const BACKEND_CLIENT_ID: &str = "anypoint-signin-backend-example";
    pub const BACKEND_CLIENT_SECRET: &str = "backend-example-secret";
    pub const BACKEND_NAME: &str = "Anypoint Sign-in Backend Example";
    pub const BACKEND_SCOPES: &[&str] = &["openid", "profile", "email", "offline_access"];

    pub const CI_CLIENT_ID: &str = "anypoint-mock-ci";
    pub const CI_CLIENT_SECRET: &str = "mock-ci-secret";
    pub const CI_NAME: &str = "Mock CI Pipeline";
    pub const CI_SCOPES: &[&str] = &["profile", "read:exchange", "manage:apis"];
}
