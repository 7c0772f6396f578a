//! The binary: flags, the `listening on` line, and the apps file.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::{APPS, DISCOVERY, ME, apps_file, send};
use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_anypoint-mock-server");

/// Kills the server when the test ends, pass or fail.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary and waits for its `listening on URL` line.
fn spawn(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("a first line");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (running, url)
}

#[test]
fn help_explains_every_flag() {
    let output = Command::new(BIN).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--port",
        "--host",
        "--apps",
        "--issuer",
        "--admin-token",
        "--auto-approve",
        "--admin-origin",
        "--signing-key",
    ] {
        assert!(help.contains(flag), "{flag} in --help");
    }
}

#[tokio::test]
async fn port_zero_reports_the_bound_port_and_uses_it_in_the_issuer() {
    let (_server, url) = spawn(&["--port", "0", "--admin-token", "cli-admin"]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(!url.ends_with(":0"));
    let http = reqwest::Client::new();
    let discovery = send(http.get(format!("{url}{DISCOVERY}"))).await.body;
    assert_eq!(discovery["issuer"], format!("{url}/accounts/api/v2/oauth2"));
}

#[tokio::test]
async fn the_example_apps_file_preloads_users_and_apps() {
    let apps = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/apps.json");
    let (_server, url) = spawn(&["--port", "0", "--apps", apps, "--admin-token", "cli-admin"]);
    let http = reqwest::Client::new();
    let token = send(
        http.post(format!("{url}/accounts/api/v2/oauth2/token"))
            .basic_auth("example-ci", Some("example-ci-secret"))
            .form(&[("grant_type", "client_credentials")]),
    )
    .await;
    let me = send(
        http.get(format!("{url}{ME}"))
            .bearer_auth(token.access_token()),
    )
    .await
    .body;
    assert_eq!(me["user"]["username"], "ann", "the owner named in the file");
    let list = send(http.get(format!("{url}{APPS}")).bearer_auth("cli-admin"))
        .await
        .body;
    assert_eq!(list["total"], 7, "three defaults and four from the file");
}

#[test]
fn a_bad_apps_file_stops_the_start_with_a_message() {
    let path = apps_file(&json!({"apps": [{"client_name": "x", "grant_types": ["bogus"]}]}));
    let output = Command::new(BIN)
        .args(["--port", "0", "--apps"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("bogus"), "{stderr}");
}
