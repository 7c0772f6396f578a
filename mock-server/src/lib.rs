//! A local stand-in for Anypoint Platform's authorization server: OAuth 2.0 and OpenID
//! Connect endpoints at Anypoint's paths, the Connected Apps admin API, and test controls
//! (fault injection, clock), so that sign-in pages and automation can be developed and
//! tested without an Anypoint account or internet.
//!
//! ```no_run
//! # async fn run() -> Result<(), anypoint_mock_server::StartError> {
//! use anypoint_mock_server::{Config, Server};
//! let server = Server::bind(Config { port: 0, ..Config::default() }).await?;
//! println!("listening on http://{}", server.local_addr());
//! server.serve(std::future::pending()).await?;
//! # Ok(())
//! # }
//! ```

mod accounts;
mod admin;
mod api_error;
mod app;
mod config;
mod cors;
mod crypto;
mod edges;
mod example_backend;
mod faults;
mod html;
mod mock;
mod model;
mod oauth;
mod random;
mod scopes;
mod server;
mod state;
mod store;

pub use config::Config;
pub use server::{Server, StartError};
