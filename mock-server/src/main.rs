//! `anypoint-mock-server`: runs the mock Anypoint authorization server until Ctrl-C.

use std::io::Write as _;
use std::process::ExitCode;

use anypoint_mock_server::{Config, Server};
use clap::Parser as _;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let server = match Server::bind(config).await {
        Ok(server) => server,
        Err(error) => {
            eprintln!("anypoint-mock-server: {error}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!("{}", server.banner());
    // Scripts and tests wait for this exact line on stdout.
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "listening on http://{}", server.local_addr());
    let _ = stdout.flush();
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match server.serve(shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("anypoint-mock-server: {error}");
            ExitCode::FAILURE
        }
    }
}
