//! Harness of the end-to-end tests: the developer playground (`www/`, with the package from
//! `pkg/`, served in-process by tower-http's `ServeDir` under the playground's
//! Content-Security-Policy) in a browser driven over WebDriver, against the mock
//! authorization server run in-process.
//!
//! The browser is the engine `ANYPOINT_ENGINE` names ([`Engine`]): `chromium` (the default;
//! headless Chromium through chromedriver), `firefox` (headless Firefox through geckodriver)
//! or `webkit` (WebKitGTK's MiniBrowser through WebKitWebDriver, on the display in
//! `DISPLAY`: `scripts/engines.sh` runs it under `xvfb-run`).
//!
//! Each test gets its own mock server, static server, driver and browser profile, all on
//! 127.0.0.1 and random ports, and stops them however it ends ([`run`]). A failing test
//! leaves a screenshot and the page's status in `test-artifacts/`.

#![allow(dead_code)] // each test file uses a part of the harness

use std::future::Future;
use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use anypoint_mock_server::{Config, Server};
use fantoccini::actions::{InputSource as _, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand, WindowHandle};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// The admin token `make playground` gives the mock server; the playground prefills it.
pub const ADMIN_TOKEN: &str = "anypoint-playground-admin";
/// The mock server's default user.
pub const USERNAME: &str = "max";
/// The default user's password.
pub const PASSWORD: &str = "mulesoft1";
/// The mock server's zero-configuration public app, the playground's default client.
pub const DEFAULT_CLIENT_ID: &str = "anypoint-signin-playground";
/// The issuer path on the mock server, as on Anypoint.
pub const ISSUER_PATH: &str = "/accounts/api/v2/oauth2";

/// How long one page, element or server may take to get somewhere before a test fails.
const WAIT: Duration = Duration::from_secs(15);
/// How long one whole test may take.
const TEST_BUDGET: Duration = Duration::from_secs(120);
/// How long a helper process may take to print its "ready" line.
const START: Duration = Duration::from_secs(20);

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where screenshots and failure reports go (gitignored): `test-artifacts/`, or
/// `test-artifacts/<engine>/` for an engine other than Chromium.
pub fn artifacts() -> PathBuf {
    let dir = match Engine::current() {
        Engine::Chromium => root().join("test-artifacts"),
        other => root().join("test-artifacts").join(other.name()),
    };
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

/// The Content-Security-Policy the playground is served with, for a mock server at
/// `mock_origin`: `make playground` uses the same with `http://127.0.0.1:8081
/// http://localhost:8081 https://*.mulesoft.com` in `connect-src`.
pub fn playground_csp(mock_origin: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         connect-src 'self' {mock_origin} https://*.mulesoft.com; img-src 'self' data:; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
}

// ---- processes ---------------------------------------------------------------------------

/// A child process; dropping it kills it and every process it started (the browser that
/// chromedriver launched). It stays in the test's process group, so Ctrl-C reaches it too.
struct Process {
    name: &'static str,
    child: Child,
}

impl Process {
    /// Starts `command` and waits for a stdout line for which `ready` returns a value; its
    /// stderr goes to `log`.
    fn start<T>(
        name: &'static str,
        command: &mut Command,
        log: &Path,
        ready: impl Fn(&str) -> Option<T>,
    ) -> Result<(Process, T), String> {
        let stderr = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("cannot start {name} ({command:?}): {e}"))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let process = Process { name, child };
        let (tx, rx) = mpsc::channel();
        // Reads every line, so the pipe never fills up and blocks the child.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                // Once started, nobody listens any more: later lines are dropped.
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + START;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(value) = ready(&line) {
                        return Ok((process, value));
                    }
                    seen.push(line);
                }
                Err(_) => {
                    let mut errors = String::new();
                    if let Ok(mut f) = std::fs::File::open(log) {
                        let _ = f.read_to_string(&mut errors);
                    }
                    return Err(format!(
                        "{name} did not get ready within {START:?}.\nstdout:\n{}\nstderr ({}):\n{errors}",
                        seen.join("\n"),
                        log.display()
                    ));
                }
            }
        }
    }
}

impl Process {
    /// Starts a WebDriver server `command` told to listen on `port` (a free one, from
    /// [`free_port`]), with its stdout and stderr (and so the browser's, which it starts)
    /// going to `log`, and waits until it accepts connections.
    fn start_listening(
        name: &'static str,
        command: &mut Command,
        log: &Path,
        port: u16,
    ) -> Result<Process, String> {
        let out = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {name} ({command:?}): {e}"))?;
        let mut process = Process { name, child };
        let deadline = Instant::now() + START;
        loop {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(process);
            }
            let exited = process.child.try_wait().ok().flatten();
            if exited.is_some() || Instant::now() >= deadline {
                let mut output = String::new();
                if let Ok(mut f) = std::fs::File::open(log) {
                    let _ = f.read_to_string(&mut output);
                }
                let why = match exited {
                    Some(status) => format!("exited ({status})"),
                    None => format!("did not listen on port {port} within {START:?}"),
                };
                return Err(format!(
                    "{name} {why}.\noutput ({}):\n{output}",
                    log.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A free port on 127.0.0.1, for a driver that cannot be told to pick one and say which.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

impl Drop for Process {
    fn drop(&mut self) {
        let mut doomed = descendants(self.child.id());
        doomed.reverse();
        if !doomed.is_empty() {
            let _ = Command::new("kill")
                .arg("-KILL")
                .args(doomed.iter().map(u32::to_string))
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The processes `pid` started, and theirs, from /proc (parents before children).
fn descendants(pid: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(child) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parents.push((child, ppid));
        }
    }
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    found.remove(0);
    found
}

/// The playground's static server: `www/` at `/` and `pkg/` at `/pkg/`, each response with
/// the playground's CSP and `Cache-Control: no-store`, on a thread of its own until
/// dropped. Its socket is bound before the mock server starts, as the mock must allow the
/// playground's origin and the playground's CSP must name the mock.
/// The bodies of the CSP violation reports the playground's server received, in order.
type CspReports = Arc<Mutex<Vec<String>>>;

/// The path the playground's server takes CSP violation reports on (`report-uri`).
const CSP_REPORT_PATH: &str = "/csp-report";

struct StaticServer {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticServer {
    /// Binds 127.0.0.1 on a free port: the socket, and the origin it will serve.
    fn bind() -> (TcpListener, String) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let address = listener.local_addr().expect("a bound address");
        (listener, format!("http://{address}"))
    }

    /// Serves the playground on `listener` under the Content-Security-Policy `csp`; the
    /// violation reports it receives on [`CSP_REPORT_PATH`] go to `reports`.
    fn start(
        listener: TcpListener,
        csp: &str,
        reports: CspReports,
    ) -> Result<StaticServer, String> {
        use axum::http::{HeaderValue, StatusCode, header};
        use tower_http::services::ServeDir;
        use tower_http::set_header::SetResponseHeaderLayer;

        let csp = HeaderValue::from_str(csp).map_err(|e| format!("CSP {csp:?}: {e}"))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| format!("the static server's socket: {e}"))?;
        let app = axum::Router::new()
            .nest_service("/pkg", ServeDir::new(root().join("pkg")))
            // Keeps the browser's automatic request out of the console's errors.
            .route(
                "/favicon.ico",
                axum::routing::get(|| async { StatusCode::NO_CONTENT }),
            )
            .route(
                CSP_REPORT_PATH,
                axum::routing::post(move |body: String| async move {
                    reports.lock().expect("the CSP reports").push(body);
                    StatusCode::NO_CONTENT
                }),
            )
            .fallback_service(ServeDir::new(root().join("www")))
            .layer(SetResponseHeaderLayer::overriding(
                header::CONTENT_SECURITY_POLICY,
                csp,
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ));
        let (ready_tx, ready_rx) = mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime for the static server");
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(listener) => listener,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(()));
                // As for the mock: dropping the server at the stop signal ends every
                // connection at once.
                tokio::select! {
                    _ = axum::serve(listener, app) => {}
                    _ = stopped => {}
                }
            });
        });
        ready_rx
            .recv_timeout(START)
            .map_err(|_| "the static server did not start".to_owned())?
            .map_err(|e| format!("the static server did not start: {e}"))?;
        Ok(StaticServer {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The mock server, running on a thread of its own until dropped.
struct Mock {
    url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Mock {
    fn start(admin_origin: &str) -> Result<Mock, String> {
        let config = Config {
            port: 0,
            admin_token: Some(ADMIN_TOKEN.to_owned()),
            // Lets `authorize_directly` get a code with `login_hint`, without the login page.
            auto_approve: true,
            admin_origins: vec![admin_origin.to_owned()],
            ..Config::default()
        };
        let (ready_tx, ready_rx) = mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime for the mock server");
            runtime.block_on(async move {
                let server = match Server::bind(config).await {
                    Ok(server) => server,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(server.local_addr()));
                // Dropping the server future at the stop signal ends every connection at
                // once (a graceful shutdown would wait for the browser's keep-alives).
                tokio::select! {
                    _ = server.serve(std::future::pending()) => {}
                    _ = stopped => {}
                }
            });
        });
        let address = ready_rx
            .recv_timeout(START)
            .map_err(|_| "the mock server did not start".to_owned())?
            .map_err(|e| format!("the mock server did not start: {e}"))?;
        Ok(Mock {
            url: format!("http://{address}"),
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

// ---- the environment -------------------------------------------------------------------

/// Everything one test runs against; dropping it stops the browser and the servers.
struct Env {
    session: Session,
    // Dropped in this order: browser (with chromedriver), then the static server, then the mock.
    driver: Process,
    static_server: StaticServer,
    mock: Mock,
}

/// What a test body works with: the browser and the servers' addresses.
#[derive(Clone)]
pub struct Session {
    /// The WebDriver client of this test's browser.
    pub client: Client,
    /// The mock server's base URL, `http://127.0.0.1:PORT`.
    pub mock: String,
    /// The playground's origin, `http://127.0.0.1:PORT`.
    pub playground: String,
    /// An HTTP client for the mock server's APIs; it does not follow redirects.
    pub http: reqwest::Client,
    /// The test's name, used for artifact file names.
    pub name: String,
    /// The browser engine.
    pub engine: Engine,
    /// Where the driver's output goes (with the browser's, for Firefox: its console).
    driver_log: PathBuf,
    /// How far [`Session::console`] has read: bytes of `driver_log`, CSP reports.
    console_read: Arc<Mutex<(usize, usize)>>,
    /// The CSP violation reports the playground's server received (WebKit's console).
    csp_reports: CspReports,
}

/// The browser engine the tests drive, from the environment variable `ANYPOINT_ENGINE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Headless Chromium through chromedriver (the default).
    Chromium,
    /// Headless Firefox through geckodriver.
    Firefox,
    /// WebKitGTK's MiniBrowser through WebKitWebDriver, on an X display.
    Webkit,
}

impl Engine {
    /// The engine `ANYPOINT_ENGINE` names: `chromium` (also when unset), `firefox` or `webkit`.
    pub fn current() -> Engine {
        match std::env::var("ANYPOINT_ENGINE").as_deref() {
            Err(_) | Ok("" | "chromium") => Engine::Chromium,
            Ok("firefox") => Engine::Firefox,
            Ok("webkit") => Engine::Webkit,
            Ok(other) => panic!("ANYPOINT_ENGINE={other}: use chromium, firefox or webkit"),
        }
    }

    /// Its name, as `ANYPOINT_ENGINE` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox",
            Engine::Webkit => "webkit",
        }
    }
}

/// The driver and browser programs of `engine`; fails, saying how to get them, when the
/// package or a program is missing.
fn check_prerequisites(engine: Engine) -> (PathBuf, PathBuf) {
    let pkg = root().join("pkg/anypoint-signin.js");
    assert!(
        pkg.is_file(),
        "{} is missing: the end-to-end tests load the built package. Build it first with `make pkg`.",
        pkg.display()
    );
    match engine {
        Engine::Chromium => (
            program(
                "chromedriver",
                "CHROMEDRIVER",
                "/usr/bin/chromedriver",
                " (Debian: apt-get install chromium chromium-driver)",
            ),
            program("Chromium", "CHROME_BIN", "/usr/bin/chromium", ""),
        ),
        Engine::Firefox => (
            program(
                "geckodriver",
                "GECKODRIVER_BIN",
                &format!(
                    "{}/.cargo/bin/geckodriver",
                    std::env::var("HOME").unwrap_or_default()
                ),
                " (cargo install --locked geckodriver)",
            ),
            program(
                "Firefox",
                "FIREFOX_BIN",
                "/usr/bin/firefox-esr",
                " (Debian: apt-get install firefox-esr)",
            ),
        ),
        Engine::Webkit => {
            assert!(
                std::env::var_os("DISPLAY").is_some(),
                "WebKitGTK's MiniBrowser needs an X display and DISPLAY is not set: run the \
                 tests under xvfb-run (`make test-e2e ENGINE=webkit` does)"
            );
            (
                program(
                    "WebKitWebDriver",
                    "WEBKIT_DRIVER",
                    "/usr/bin/WebKitWebDriver",
                    " (Debian: apt-get install webkit2gtk-driver xvfb xauth)",
                ),
                program(
                    "MiniBrowser",
                    "WEBKIT_BROWSER",
                    "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
                    " (Debian: apt-get install webkit2gtk-driver)",
                ),
            )
        }
    }
}

/// The admin API's path of the connected app `client_id`.
fn app_path(client_id: &str) -> String {
    format!("/accounts/api/connectedApplications/{client_id}")
}

/// The program the environment variable `var` names, else `default`; fails, saying how to
/// get `what`, when it is not there.
fn program(what: &str, var: &str, default: &str, hint: &str) -> PathBuf {
    let path = std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        path.is_file(),
        "no {what} at {}: set {var}, or run scripts/setup.sh{hint}",
        path.display()
    );
    path
}

impl Env {
    /// `prefs`: what the browser is asked to prefer.
    async fn start(name: &str, prefs: Prefs<'_>) -> Env {
        let engine = Engine::current();
        let (driver_program, browser) = check_prerequisites(engine);
        let logs = root().join("target/e2e").join(engine.name()).join(name);
        let _ = std::fs::remove_dir_all(&logs);
        std::fs::create_dir_all(&logs).expect("create target/e2e/<engine>/<test>");

        // The playground's socket is bound first, as the mock server must allow its origin;
        // the mock's URL, known once it runs, goes into the playground's CSP.
        let (listener, playground) = StaticServer::bind();
        let mock = Mock::start(&playground).unwrap_or_else(|e| panic!("{e}"));
        // Only chromedriver has a console log with the page's CSP violations: in the other
        // engines the page's CSP also sends its violation reports to the server, and
        // Session::console reads those.
        let mut csp = playground_csp(&mock.url);
        if engine != Engine::Chromium {
            csp.push_str(&format!("; report-uri {CSP_REPORT_PATH}"));
        }
        let csp_reports = CspReports::default();
        let static_server = StaticServer::start(listener, &csp, csp_reports.clone())
            .unwrap_or_else(|e| panic!("{e}"));

        let profile = logs.join("profile");
        // A driver that took its port but did not answer the new session is started again
        // (Firefox and WebKit: their free port is picked before the driver binds it).
        let mut attempt = 1;
        let (driver, driver_log, client) = loop {
            let driver_log = match attempt {
                1 => logs.join("driver.log"),
                n => logs.join(format!("driver-{n}.log")),
            };
            let (driver, driver_url, capabilities) = start_driver(
                engine,
                &driver_program,
                &browser,
                &driver_log,
                &profile,
                prefs,
            );
            let started =
                match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(capabilities)
                    .connect(&driver_url)
                    .await
                {
                    // Neither Firefox nor MiniBrowser takes a window size on its command
                    // line; a driver that drops the connection here is started again too.
                    Ok(client) if engine != Engine::Chromium => {
                        match client.set_window_size(1280, 1000).await {
                            Ok(()) => Ok(client),
                            Err(e) => Err(e.to_string()),
                        }
                    }
                    other => other.map_err(|e| e.to_string()),
                };
            match started {
                Ok(client) => break (driver, driver_log, client),
                Err(e) if attempt < 3 && engine != Engine::Chromium => {
                    eprintln!(
                        "{name}: {} through {} at {driver_url} did not start ({e}); starting it again",
                        engine.name(),
                        driver.name
                    );
                    drop(driver);
                    attempt += 1;
                }
                Err(e) => panic!(
                    "cannot start {} through {} at {driver_url}: {e} (log: {})",
                    engine.name(),
                    driver.name,
                    driver_log.display()
                ),
            }
        };
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(WAIT)
            .build()
            .expect("an HTTP client");
        Env {
            session: Session {
                client,
                mock: mock.url.clone(),
                playground,
                http,
                name: name.to_owned(),
                engine,
                driver_log,
                console_read: Arc::default(),
                csp_reports,
            },
            driver,
            static_server,
            mock,
        }
    }
}

/// Starts the WebDriver server of `engine` (`driver_program`, driving `browser`, its output
/// in `log`; Chromium's profile in `profile`; what it should prefer in `prefs`): the server,
/// its URL, and the capabilities of the session to ask it for.
fn start_driver(
    engine: Engine,
    driver_program: &Path,
    browser: &Path,
    log: &Path,
    profile: &Path,
    prefs: Prefs<'_>,
) -> (Process, String, Capabilities) {
    let mut capabilities = Capabilities::new();
    let (driver, driver_url) = match engine {
        Engine::Chromium => {
            let (driver, driver_url) = Process::start(
                "chromedriver",
                Command::new(driver_program).args(["--port=0", "--allowed-ips=127.0.0.1"]),
                log,
                |line| {
                    let port = line
                        .strip_prefix("ChromeDriver was started successfully on port ")?
                        .trim_end_matches('.');
                    Some(format!("http://127.0.0.1:{port}"))
                },
            )
            .unwrap_or_else(|e| panic!("{e}"));
            capabilities.insert("browserName".into(), json!("chrome"));
            capabilities.insert(
                "goog:chromeOptions".into(),
                json!({
                    "binary": browser,
                    "args": [
                        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run", "--no-default-browser-check",
                        "--disable-extensions", "--window-size=1280,1000",
                        format!("--user-data-dir={}", profile.display()),
                    ],
                }),
            );
            let args = capabilities["goog:chromeOptions"]["args"]
                .as_array_mut()
                .expect("chromium's arguments");
            if let Some(languages) = prefs.languages {
                args.push(json!(format!("--accept-lang={languages}")));
            }
            if prefs.reduced_motion {
                args.push(json!("--force-prefers-reduced-motion"));
            }
            capabilities.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
            (driver, driver_url)
        }
        Engine::Firefox => {
            let port = free_port();
            let driver = Process::start_listening(
                "geckodriver",
                Command::new(driver_program).args([
                    "--host=127.0.0.1".to_owned(),
                    format!("--port={port}"),
                    // Each Firefox picks its own Marionette port: tests run side by side.
                    "--marionette-port=0".to_owned(),
                ]),
                log,
                port,
            )
            .unwrap_or_else(|e| panic!("{e}"));
            capabilities.insert("browserName".into(), json!("firefox"));
            capabilities.insert(
                "moz:firefoxOptions".into(),
                json!({
                    "binary": browser,
                    "args": ["-headless"],
                    "prefs": {
                        // The page's console messages go to Firefox's stdout, which is
                        // the driver's log: Session::console reads them there; the
                        // browser's own do not.
                        "devtools.console.stdout.content": true,
                        "devtools.console.stdout.chrome": false,
                    },
                }),
            );
            let firefox_prefs = &mut capabilities["moz:firefoxOptions"]["prefs"];
            if let Some(languages) = prefs.languages {
                firefox_prefs["intl.accept_languages"] = json!(languages);
            }
            if prefs.reduced_motion {
                firefox_prefs["ui.prefersReducedMotion"] = json!(1);
            }
            (driver, format!("http://127.0.0.1:{port}"))
        }
        Engine::Webkit => {
            let port = free_port();
            let driver = Process::start_listening(
                "WebKitWebDriver",
                Command::new(driver_program)
                    .args(["--host=127.0.0.1".to_owned(), format!("--port={port}")]),
                log,
                port,
            )
            .unwrap_or_else(|e| panic!("{e}"));
            capabilities.insert(
                "webkitgtk:browserOptions".into(),
                // Windows opened by script (a second tab with `window.open`), as
                // chromedriver's and geckodriver's browsers allow; MiniBrowser blocks
                // them by default. The popup tests click, as users do.
                json!({
                    "binary": browser,
                    "args": ["--automation", "--javascript-can-open-windows-automatically=true"],
                }),
            );
            (driver, format!("http://127.0.0.1:{port}"))
        }
    };
    capabilities.insert(
        "timeouts".into(),
        json!({"script": 10_000, "pageLoad": 20_000, "implicit": 0}),
    );
    (driver, driver_url, capabilities)
}

/// Runs one end-to-end test: starts the mock server, the playground and a browser, runs
/// `body`, and stops everything however `body` ends. A failure (panic or timeout) saves a
/// screenshot and the page's state to `test-artifacts/<name>-failure.*` first.
pub async fn run<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Session) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_in(name, Prefs::default(), body).await
}

/// What a test asks the browser to prefer. Chromium and Firefox take it; WebKitGTK keeps
/// its own (its languages follow the process's locale, and its driver has no motion
/// setting), so a test checks what the browser reports.
#[derive(Clone, Copy, Debug, Default)]
pub struct Prefs<'a> {
    /// The preferred languages (`navigator.languages`), comma-separated, e.g. `"de-DE,de"`.
    pub languages: Option<&'a str>,
    /// `prefers-reduced-motion: reduce`.
    pub reduced_motion: bool,
}

/// [`run`] in a browser asked to prefer `prefs`.
pub async fn run_in<F, Fut>(name: &str, prefs: Prefs<'_>, body: F)
where
    F: FnOnce(Session) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let env = Env::start(name, prefs).await;
    let session = env.session.clone();
    let task = tokio::spawn(body(session.clone()));
    let outcome = tokio::time::timeout(TEST_BUDGET, task).await;
    let failure = match outcome {
        Ok(Ok(())) => None,
        Ok(Err(join)) => Some(join.try_into_panic().unwrap_or_else(|e| {
            Box::new(format!("the test task failed: {e}")) as Box<dyn std::any::Any + Send>
        })),
        Err(_) => Some(Box::new(format!("{name} took longer than {TEST_BUDGET:?}")) as _),
    };
    if failure.is_some() {
        session.save_failure_report().await;
    }
    let _ = env.session.client.clone().close().await;
    drop(env);
    if let Some(panic) = failure {
        std::panic::resume_unwind(panic);
    }
}

// ---- waiting ---------------------------------------------------------------------------

/// Polls `check` until it returns `Some`, for at most [`WAIT`]; panics with `what` and the
/// last observation otherwise.
pub async fn wait_for<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let deadline = Instant::now() + WAIT;
    loop {
        let last = match check().await {
            Ok(value) => return value,
            Err(last) => last,
        };
        if Instant::now() >= deadline {
            panic!("timed out after {WAIT:?} waiting for {what}; last seen: {last}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `POST /session/{id}/se/log`: chromedriver's browser console log since the last call.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

// ---- the session -----------------------------------------------------------------------

/// One entry of the playground's event log.
#[derive(Debug, Clone)]
pub struct LoggedEvent {
    /// `anypoint-signin-success`, `-error`, `-signout`, `-redirect`, or `page` for a page load.
    pub name: String,
    /// The detail as the playground shows it (tokens shortened).
    pub detail: Value,
}

impl Session {
    /// The mock server's issuer.
    pub fn issuer(&self) -> String {
        format!("{}{ISSUER_PATH}", self.mock)
    }

    /// The playground's page, which is also the redirect URI of the apps tests register.
    pub fn page(&self) -> String {
        format!("{}/", self.playground)
    }

    /// Runs `script` in the page (`arguments` holds `args`) and returns its result.
    ///
    /// A script that meets a page being left (WebKit's driver answers "Callback was not
    /// called before the unload event") runs again on the page that follows, a few times at
    /// most: the tests' scripts read the page or act at once, so one that began as a
    /// navigation started never acted on the page it was meant for.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        let mut attempts = 0;
        loop {
            match self.client.execute(script, args.clone()).await {
                Ok(value) => return value,
                Err(e) if attempts < 5 && e.to_string().contains("unload") => {
                    attempts += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("script failed: {e}\n{script}"),
            }
        }
    }

    /// Saves a screenshot to `test-artifacts/<file>`.
    pub async fn screenshot(&self, file: &str) -> PathBuf {
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("screenshot {file}: {e}"));
        let path = artifacts().join(file);
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        path
    }

    async fn save_failure_report(&self) {
        let dir = artifacts();
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{}-failure.png", self.name)), png);
        }
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let text = self
            .client
            .execute(
                "return document.body ? document.body.innerText : ''",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let log = match self.engine {
            Engine::Chromium => self.client.issue_cmd(BrowserLog).await.unwrap_or_default(),
            Engine::Firefox | Engine::Webkit => json!(self.console_since_last_call()),
        };
        let _ = std::fs::write(
            dir.join(format!("{}-failure.txt", self.name)),
            format!(
                "URL: {url}\n\nconsole:\n{log:#}\n\npage text:\n{text}\n\ndriver log: {}\n",
                self.driver_log.display()
            ),
        );
    }

    /// The browser console's entries since the last call (level, message), with
    /// chromedriver's levels: `SEVERE` for errors, `WARNING`, `INFO`.
    ///
    /// Chromium's come from chromedriver's log endpoint. Firefox writes the page's console
    /// messages and uncaught errors to its stdout (`devtools.console.stdout.content`), which
    /// is the driver's log, but not its CSP violations; WebKitWebDriver exposes no console.
    /// In both, the page's Content-Security-Policy violations come from the reports it sent
    /// to the playground's server (`report-uri`), as `SEVERE` entries.
    pub async fn console(&self) -> Vec<(String, String)> {
        match self.engine {
            Engine::Chromium => {}
            Engine::Firefox | Engine::Webkit => {
                // Reports and the driver's output are written asynchronously: give the
                // browser a moment to deliver what the page did just before.
                tokio::time::sleep(Duration::from_millis(500)).await;
                return self.console_since_last_call();
            }
        }
        let log = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .unwrap_or_else(|e| panic!("reading the browser log: {e}"));
        log.as_array()
            .into_iter()
            .flatten()
            .map(|entry| {
                (
                    entry["level"].as_str().unwrap_or_default().to_owned(),
                    entry["message"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    /// Firefox's and WebKit's console entries since the last call (see [`Session::console`]).
    fn console_since_last_call(&self) -> Vec<(String, String)> {
        let mut read = self
            .console_read
            .lock()
            .expect("the console's read position");
        let mut entries = Vec::new();
        if self.engine == Engine::Firefox {
            let bytes = std::fs::read(&self.driver_log).unwrap_or_default();
            let new = String::from_utf8_lossy(bytes.get(read.0..).unwrap_or_default()).into_owned();
            read.0 = bytes.len();
            entries.extend(new.lines().filter_map(firefox_console_entry));
        }
        let reports = self.csp_reports.lock().expect("the CSP reports");
        for report in reports.iter().skip(read.1) {
            let parsed: Value = serde_json::from_str(report).unwrap_or(Value::Null);
            let r = &parsed["csp-report"];
            entries.push((
                "SEVERE".to_owned(),
                format!(
                    "Content Security Policy: {} blocked {} ({report})",
                    r["violated-directive"].as_str().unwrap_or("?"),
                    r["blocked-uri"].as_str().unwrap_or("?"),
                ),
            ));
        }
        read.1 = reports.len();
        entries
    }

    // ---- the mock server's APIs ------------------------------------------------------

    /// A request to the mock server's admin or test API at `path`, with the admin token.
    pub fn admin(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.mock))
            .bearer_auth(ADMIN_TOKEN)
    }

    /// Registers a connected app through the admin API and returns its answer.
    pub async fn create_app(&self, body: Value) -> Value {
        let response = self
            .admin(reqwest::Method::POST, "/accounts/api/connectedApplications")
            .json(&body)
            .send()
            .await
            .expect("POST /accounts/api/connectedApplications");
        let status = response.status();
        let answer: Value = response.json().await.expect("a JSON answer");
        assert_eq!(status, 201, "creating {body}: {answer}");
        answer
    }

    /// Registers a public client with the playground's page as its redirect URI and the
    /// usual sign-in scopes; returns its client ID.
    pub async fn register_public_app(&self, name: &str) -> String {
        let app = self
            .create_app(json!({
                "client_name": name,
                "grant_types": ["authorization_code", "refresh_token"],
                "scopes": ["openid", "profile", "email", "offline_access", "read:full"],
                "redirect_uris": [self.page()],
                "public_client": true,
            }))
            .await;
        app["client_id"].as_str().expect("client_id").to_owned()
    }

    /// Adds the playground's page to the redirect URIs of the mock server's default app,
    /// which knows only port 8080 (where `make playground` serves it).
    pub async fn allow_default_app_here(&self) {
        self.allow_app_here(DEFAULT_CLIENT_ID).await;
    }

    /// Reads the connected app `client_id` through the admin API: the status and, when
    /// there is one, the JSON answer.
    pub async fn read_app(&self, client_id: &str) -> (u16, Value) {
        let response = self
            .admin(reqwest::Method::GET, &app_path(client_id))
            .send()
            .await
            .expect("GET connected app");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Adds the playground's page to the redirect URIs of the mock server's app
    /// `client_id` (its built-in apps know only port 8080, where `make playground` serves
    /// it); the mock's CORS then allows this page's origin too.
    pub async fn allow_app_here(&self, client_id: &str) {
        let (status, app) = self.read_app(client_id).await;
        assert_eq!(status, 200, "reading the app {client_id}: {app}");
        let mut uris: Vec<Value> = app["redirect_uris"].as_array().cloned().unwrap_or_default();
        uris.push(json!(self.page()));
        let response = self
            .admin(reqwest::Method::PATCH, &app_path(client_id))
            .json(&json!({ "redirect_uris": uris }))
            .send()
            .await
            .expect("PATCH the app");
        assert_eq!(
            response.status(),
            200,
            "adding {} to the app {client_id}",
            self.page()
        );
    }

    /// Deletes a connected app through the admin API.
    pub async fn delete_app(&self, client_id: &str) {
        let status = self
            .admin(reqwest::Method::DELETE, &app_path(client_id))
            .send()
            .await
            .expect("DELETE connected app")
            .status();
        assert_eq!(status, 204, "deleting {client_id}");
    }

    /// Plans mock-server faults as `plan` (a `/__mock/faults` body) says; `what` names them
    /// in a failure.
    async fn plan(&self, plan: Value, what: &str) {
        let response = self
            .admin(reqwest::Method::POST, "/__mock/faults")
            .json(&plan)
            .send()
            .await
            .expect("POST /__mock/faults");
        assert_eq!(response.status(), 201, "planning {what}");
    }

    /// Makes the mock server's next answer of `endpoint` fail with `kind`.
    pub async fn inject_fault(&self, endpoint: &str, kind: &str) {
        self.plan_faults(endpoint, kind, 1).await;
    }

    /// Makes the mock server's next `count` answers of `endpoint` go as `kind` says
    /// (a failure, a delay, or for `token`, `short_lived`: `expires_in: 5`).
    pub async fn plan_faults(&self, endpoint: &str, kind: &str, count: u32) {
        let plan = json!({"endpoint": endpoint, "kind": kind, "count": count});
        self.plan(plan, &format!("{count} × {endpoint}/{kind}"))
            .await;
    }

    /// Makes the mock server's next `count` answers of `endpoint` come `delay_ms` late.
    pub async fn plan_delay(&self, endpoint: &str, delay_ms: u64, count: u32) {
        let plan =
            json!({"endpoint": endpoint, "kind": "delay", "count": count, "delay_ms": delay_ms});
        self.plan(plan, &format!("a {delay_ms} ms delay of {endpoint}"))
            .await;
    }

    /// The planned faults not yet spent, as the mock lists them.
    pub async fn pending_faults(&self) -> Vec<Value> {
        let answer: Value = self
            .admin(reqwest::Method::GET, "/__mock/faults")
            .send()
            .await
            .expect("GET /__mock/faults")
            .json()
            .await
            .expect("JSON");
        answer["faults"].as_array().cloned().unwrap_or_default()
    }

    /// Cancels every planned fault.
    pub async fn clear_faults(&self) {
        let status = self
            .admin(reqwest::Method::DELETE, "/__mock/faults")
            .send()
            .await
            .expect("DELETE /__mock/faults")
            .status();
        assert_eq!(status, 204, "cancelling the faults");
    }

    /// Presents `refresh_token` at the token endpoint as the public client `client_id`;
    /// returns the status and the JSON answer. (Spends the token when it is valid.)
    pub async fn refresh_at_token_endpoint(
        &self,
        refresh_token: &str,
        client_id: &str,
    ) -> (u16, Value) {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "refresh_token")
            .append_pair("refresh_token", refresh_token)
            .append_pair("client_id", client_id)
            .finish();
        let response = self
            .http
            .post(format!("{}/token", self.issuer()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST /token");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Runs the authorization step at the mock server outside the browser, as `max` (the
    /// mock's auto-approve mode signs in a `login_hint` user at once) and returns the
    /// callback URL it redirects to: what the browser would be sent to after login and
    /// consent, available to the test before the page sees it.
    pub async fn authorize_directly(&self, authorize_url: &str) -> String {
        let response = self
            .http
            .get(format!("{authorize_url}&login_hint={USERNAME}"))
            .send()
            .await
            .expect("GET /authorize");
        assert_eq!(response.status(), 302, "the mock server redirects back");
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .expect("a Location header")
            .to_owned()
    }

    /// `GET` an API of the mock server with a bearer token; returns the status.
    pub async fn get_with_token(&self, path_or_url: &str, token: &str) -> u16 {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_owned()
        } else {
            format!("{}{path_or_url}", self.mock)
        };
        self.http
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("GET with token")
            .status()
            .as_u16()
    }

    // ---- the playground ------------------------------------------------------------------

    /// Opens the playground pointed at this test's mock server and waits until the element
    /// is ready.
    pub async fn open_playground(&self) {
        self.client
            .goto(&format!("{}?mock={}", self.page(), self.mock))
            .await
            .expect("open the playground");
        self.wait_until_ready().await;
    }

    /// Waits until `<anypoint-signin>` is defined and has rendered its button.
    pub async fn wait_until_ready(&self) {
        wait_for("<anypoint-signin> to upgrade and render its button", || async {
            let v = self
                .js(
                    "const el = document.querySelector('anypoint-signin');\
                     const b = el && el.shadowRoot && el.shadowRoot.querySelector('button');\
                     return b ? b.textContent : (document.getElementById('status') || {}).textContent || null;",
                    vec![],
                )
                .await;
            match self.js("return !!customElements.get('anypoint-signin')", vec![]).await {
                Value::Bool(true) if v.as_str().is_some_and(|t| t.contains("Sign")) => Ok(()),
                _ => Err(v.to_string()),
            }
        })
        .await;
    }

    /// Opens "More options" of the settings form, if closed.
    pub async fn open_more_options(&self) {
        self.js(
            "document.getElementById('more-settings').open = true",
            vec![],
        )
        .await;
    }

    /// Chooses `value` in the `<select>` at `css`, as a user does.
    pub async fn choose(&self, css: &str, value: &str) {
        self.find(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("choose {value} in {css}: {e}"));
    }

    /// Waits until the element's attribute `name` is `value` (`None`: absent).
    pub async fn wait_for_attribute(&self, name: &str, value: Option<&str>) {
        let wanted = value.map_or(Value::Null, |v| json!(v));
        wait_for(&format!("the element's {name} to be {wanted}"), || async {
            let now = self
                .js(
                    "return document.getElementById('signin').getAttribute(arguments[0]);",
                    vec![json!(name)],
                )
                .await;
            if now == wanted {
                Ok(())
            } else {
                Err(now.to_string())
            }
        })
        .await;
    }

    /// The element's `accessToken` property (`None` when signed out).
    pub async fn access_token(&self) -> Option<String> {
        self.js(
            "return document.getElementById('signin').accessToken",
            vec![],
        )
        .await
        .as_str()
        .map(str::to_owned)
    }

    /// Calls the element's `getAccessToken()`: the token, or the error's `code`.
    pub async fn get_access_token(&self) -> Result<String, String> {
        let answer = self
            .client
            .execute_async(
                "const [done] = arguments;\
                 document.getElementById('signin').getAccessToken().then(\
                   (token) => done({token}), (e) => done({error: String(e && e.code || e)}));",
                vec![],
            )
            .await
            .expect("getAccessToken()");
        match answer["token"].as_str() {
            Some(token) => Ok(token.to_owned()),
            None => Err(answer["error"].as_str().unwrap_or_default().to_owned()),
        }
    }

    /// A field of the session the element keeps in this tab's `sessionStorage` for
    /// `client_id` (e.g. `refresh_token`, `generation`); `None` when absent.
    pub async fn stored_session_field(&self, client_id: &str, field: &str) -> Option<String> {
        self.js(
            "const raw = sessionStorage.getItem('anypoint-signin:session:' + arguments[0]);\
             return raw === null ? null : new URLSearchParams(raw).get(arguments[1]);",
            vec![json!(client_id), json!(field)],
        )
        .await
        .as_str()
        .map(str::to_owned)
    }

    // ---- windows ---------------------------------------------------------------------

    /// The browser's open windows and tabs.
    pub async fn windows(&self) -> Vec<WindowHandle> {
        self.client.windows().await.expect("window handles")
    }

    /// The window WebDriver drives now.
    pub async fn current_window(&self) -> WindowHandle {
        self.client.window().await.expect("current window handle")
    }

    /// Waits for a window that is not among `known` to open; returns it.
    pub async fn wait_for_new_window(&self, known: &[WindowHandle]) -> WindowHandle {
        wait_for("a new window", || async {
            let now = self.windows().await;
            now.iter()
                .find(|w| !known.contains(w))
                .cloned()
                .ok_or_else(|| format!("{} windows", now.len()))
        })
        .await
    }

    /// Waits until `window` is closed (by the page or the user).
    pub async fn wait_for_window_to_close(&self, window: &WindowHandle) {
        wait_for("the window to close", || async {
            let now = self.windows().await;
            if now.contains(window) {
                Err(format!("{} windows", now.len()))
            } else {
                Ok(())
            }
        })
        .await;
    }

    /// Makes `window` the one WebDriver drives.
    pub async fn switch_to(&self, window: &WindowHandle) {
        self.client
            .switch_to_window(window.clone())
            .await
            .expect("switch to the window");
    }

    /// Finds an element of the page by CSS selector, waiting for it to appear.
    pub async fn find(&self, css: &str) -> Element {
        wait_for(&format!("element {css}"), || async {
            self.client
                .find(Locator::Css(css))
                .await
                .map_err(|e| e.to_string())
        })
        .await
    }

    /// Replaces the text of an input by typing, as a user does.
    pub async fn type_into(&self, css: &str, text: &str) {
        let input = self.find(css).await;
        if text.is_empty() {
            input.clear().await.expect("clear the input");
            return;
        }
        // Select all, then type over it: the field is never empty on the way, so the live
        // widget never sees (and reports) a missing value in between. Two commands: each
        // releases Control when it ends, while Firefox does not release it at a Null key
        // within one (what followed would be typed as Control shortcuts).
        // WebKit now and then takes the Control-A as no selection, and the text lands after
        // what was there: then it is selected and typed again.
        for _ in 0..3 {
            input
                .send_keys(&format!("{}a", char::from(Key::Control)))
                .await
                .expect("select the input's text");
            input.send_keys(text).await.expect("type into the input");
            let value = input.prop("value").await.expect("read the input's value");
            if value.as_deref() == Some(text) {
                return;
            }
        }
        panic!("could not type {text:?} into {css}");
    }

    /// Sets a checkbox by clicking it if needed.
    pub async fn set_checkbox(&self, css: &str, on: bool) {
        let box_ = self.find(css).await;
        if box_.is_selected().await.expect("checkbox state") != on {
            box_.click().await.expect("click the checkbox");
        }
    }

    /// Configures the widget through the settings form: client ID and scopes, the rest as
    /// `?mock=` set it (mock issuer, this page as redirect URI).
    pub async fn configure(&self, client_id: &str, scopes: &[&str]) {
        self.type_into("#client-id", client_id).await;
        for scope in [
            "full",
            "read:full",
            "openid",
            "profile",
            "email",
            "offline_access",
            "openid:google_wif",
        ] {
            self.set_checkbox(
                &format!("input[name=scope][value=\"{scope}\"]"),
                scopes.contains(&scope),
            )
            .await;
        }
        let wanted = json!({"clientid": client_id, "scopes": scopes.join(" ")});
        wait_for("the element to take the new settings", || async {
            let now = self
                .js(
                    "const el = document.getElementById('signin');\
                     return {clientid: el.getAttribute('clientid'), scopes: el.getAttribute('scopes')};",
                    vec![],
                )
                .await;
            if now == wanted { Ok(()) } else { Err(now.to_string()) }
        })
        .await;
    }

    /// The element's button (inside its shadow root).
    pub async fn signin_button(&self) -> Element {
        let host = self.find("anypoint-signin").await;
        let root = host.shadow_root().await.expect("the element's shadow root");
        root.find(Locator::Css("button"))
            .await
            .expect("the element's button")
    }

    /// The element's button label and whether it is enabled.
    pub async fn button_state(&self) -> (String, bool) {
        let button = self.signin_button().await;
        (
            button.text().await.expect("button text"),
            button.is_enabled().await.expect("button enabled"),
        )
    }

    /// Clicks the element's button.
    pub async fn click_signin(&self) {
        self.signin_button()
            .await
            .click()
            .await
            .expect("click the sign-in button");
    }

    /// Clicks the button with "stay on this page" ticked and returns the authorization
    /// request's URL from the inspector; the browser does not leave the page.
    pub async fn authorize_url_without_leaving(&self) -> String {
        let redirects = |events: &[LoggedEvent]| {
            events
                .iter()
                .filter(|e| e.name == "anypoint-signin-redirect")
                .map(|e| e.detail["url"].as_str().unwrap_or_default().to_owned())
                .collect::<Vec<_>>()
        };
        let before = redirects(&self.events().await).len();
        self.set_checkbox("#preview", true).await;
        self.click_signin().await;
        let url = wait_for("a new anypoint-signin-redirect event", || async {
            let events = self.events().await;
            redirects(&events)
                .get(before)
                .cloned()
                .ok_or_else(|| format!("{events:?}"))
        })
        .await;
        assert_eq!(
            self.text("#authorize-url").await,
            url,
            "the inspector shows the request"
        );
        self.set_checkbox("#preview", false).await;
        url
    }

    /// Fills the mock server's login page and submits it.
    pub async fn log_in(&self) {
        self.type_into("#username", USERNAME).await;
        self.type_into("#password", PASSWORD).await;
        self.find("#login")
            .await
            .click()
            .await
            .expect("click #login");
    }

    /// Signs in from the playground (click, log in, allow) with the token endpoint held back
    /// for `delay_ms`, so the element is left busy, back from the authorization server and
    /// waiting for its tokens, when this returns.
    pub async fn sign_in_held_at_token_endpoint(&self, delay_ms: u64) {
        self.plan_delay("token", delay_ms, 1).await;
        self.click_signin().await;
        self.log_in().await;
        self.click("#allow").await;
    }

    /// The playground's event log since the last page load.
    pub async fn events(&self) -> Vec<LoggedEvent> {
        let raw = self
            .js(
                "return [...document.querySelectorAll('#event-log li[data-event]')].map((li) => {\
                   const pre = li.querySelector('pre');\
                   return [li.dataset.event, pre ? pre.textContent : null];\
                 });",
                vec![],
            )
            .await;
        let mut events: Vec<LoggedEvent> = Vec::new();
        for item in raw.as_array().into_iter().flatten() {
            let name = item[0].as_str().unwrap_or_default().to_owned();
            if name == "page" {
                events.clear();
                continue;
            }
            let detail = item[1]
                .as_str()
                .map(|t| serde_json::from_str(t).expect("event details are JSON"))
                .unwrap_or(Value::Null);
            events.push(LoggedEvent { name, detail });
        }
        events
    }

    /// Waits until the text of the element `css` selects is `wanted`.
    pub async fn wait_for_text(&self, css: &str, wanted: &str) {
        wait_for(&format!("{css} to read {wanted:?}"), || async {
            let text = self.text(css).await;
            if text == wanted { Ok(()) } else { Err(text) }
        })
        .await;
    }

    /// Waits for an `anypoint-signin-<kind>` event since the last page load; returns its detail.
    pub async fn wait_for_event(&self, kind: &str) -> Value {
        let name = format!("anypoint-signin-{kind}");
        wait_for(
            &format!("a {name} event in the playground's log"),
            || async {
                let events = self.events().await;
                events
                    .iter()
                    .rev()
                    .find(|e| e.name == name)
                    .map(|e| e.detail.clone())
                    .ok_or_else(|| format!("{events:?}"))
            },
        )
        .await
    }

    /// Waits for the end of a sign-in on this page: the first success or error event.
    pub async fn wait_for_outcome(&self) -> LoggedEvent {
        wait_for(
            "a success or error event in the playground's log",
            || async {
                let events = self.events().await;
                events
                    .iter()
                    .find(|e| {
                        e.name == "anypoint-signin-success" || e.name == "anypoint-signin-error"
                    })
                    .cloned()
                    .ok_or_else(|| format!("{events:?}"))
            },
        )
        .await
    }

    /// Waits until the latest error event since the page loaded has `code`; returns its
    /// description, after checking that the playground's status line shows it.
    pub async fn expect_error(&self, code: &str) -> String {
        let detail = wait_for(
            &format!("an anypoint-signin-error event {code}"),
            || async {
                let events = self.events().await;
                events
                    .iter()
                    .rev()
                    .find(|e| e.name == "anypoint-signin-error")
                    .filter(|e| e.detail["code"] == code)
                    .map(|e| e.detail.clone())
                    .ok_or_else(|| format!("{events:?}"))
            },
        )
        .await;
        let description = detail["description"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            !description.is_empty(),
            "the error says what happened: {detail}"
        );
        let (status, shown_code) = self.status().await;
        assert_eq!(shown_code.as_deref(), Some(code), "status: {status}");
        assert!(
            status.contains(&description),
            "the status line shows the description: {status}"
        );
        description
    }

    /// The playground's status line and the error code it shows, if any.
    pub async fn status(&self) -> (String, Option<String>) {
        let v = self
            .js(
                "const s = document.getElementById('status'); return [s.textContent, s.dataset.code || null];",
                vec![],
            )
            .await;
        (
            v[0].as_str().unwrap_or_default().to_owned(),
            v[1].as_str().map(str::to_owned),
        )
    }

    /// Clicks the element `css` selects.
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Waits until the element `css` selects shows an `HTTP 200` answer (the playground's
    /// API results), and returns its text.
    pub async fn wait_for_http_200(&self, css: &str) -> String {
        wait_for(&format!("an HTTP 200 answer in {css}"), || async {
            let text = self.text(css).await;
            if text.contains("HTTP 200") {
                Ok(text)
            } else {
                Err(text)
            }
        })
        .await
    }

    /// Waits until this tab holds the access token `expected` (after another tab renewed
    /// it); `tab` names the tab in the failure message.
    pub async fn wait_for_access_token(&self, tab: &str, expected: &str) {
        wait_for(
            &format!("{tab} to hold the shared access token"),
            || async {
                match self.access_token().await {
                    Some(t) if t == expected => Ok(()),
                    Some(_) => Err(format!("{tab} has another token")),
                    None => {
                        let names: Vec<_> =
                            self.events().await.into_iter().map(|e| e.name).collect();
                        Err(format!("{tab} is signed out: {names:?}"))
                    }
                }
            },
        )
        .await;
    }

    /// Checks that nothing sticks out of the viewport sideways (no horizontal scrolling):
    /// no element's box, and no content overflowing a box that shows its overflow. Text
    /// fields scroll their text inside themselves whatever their `overflow`, and WebKit counts
    /// that text in their `scrollWidth`: their boxes alone are checked.
    pub async fn assert_fits_the_width(&self) {
        let overflow = self
            .js(
                "const width = document.documentElement.clientWidth;\
                 return [...document.querySelectorAll('body *')]\
                   .filter((el) => el.getBoundingClientRect().right > width + 0.5\
                     || (el.clientWidth > 0 && getComputedStyle(el).overflowX === 'visible'\
                         && !(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)\
                         && el.scrollWidth > el.clientWidth + 1))\
                   .map((el) => `${el.localName}${el.id ? '#' + el.id : ''}.${el.className} right=${el.getBoundingClientRect().right} width=${width}`);",
                vec![],
            )
            .await;
        assert_eq!(overflow, json!([]), "elements wider than the viewport");
    }

    /// The text of an element of the page (empty if absent).
    pub async fn text(&self, css: &str) -> String {
        self.js(
            "const el = document.querySelector(arguments[0]); return el ? el.textContent : '';",
            vec![json!(css)],
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// The page's current URL.
    pub async fn url(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("current URL")
            .to_string()
    }

    /// Waits until the browser is on a page whose URL starts with `prefix`.
    pub async fn wait_for_url(&self, prefix: &str) -> String {
        wait_for(&format!("the browser to reach {prefix}"), || async {
            let url = self.url().await;
            if url.starts_with(prefix) {
                Ok(url)
            } else {
                Err(url)
            }
        })
        .await
    }

    /// Presses and releases `key` wherever the focus is.
    pub async fn press(&self, key: Key) {
        let c: char = key.into();
        self.client
            .perform_actions(
                KeyActions::new("keyboard".into())
                    .then(KeyAction::Down { value: c })
                    .then(KeyAction::Up { value: c }),
            )
            .await
            .expect("press a key");
    }

    /// On the mock's login page, reached by the keyboard: types the default user's name and
    /// password, submits with Enter, then Tabs to "Allow" on the consent page and presses
    /// Enter, all without the mouse.
    pub async fn log_in_and_allow_by_keyboard(&self) {
        self.wait_for_focus("#username", "the login page focuses the username")
            .await;
        self.find("#username")
            .await
            .send_keys(USERNAME)
            .await
            .expect("type the username");
        self.press(Key::Tab).await;
        self.find("#password")
            .await
            .send_keys(PASSWORD)
            .await
            .expect("type the password");
        self.press(Key::Enter).await;
        self.find("#allow").await;
        let mut steps = 0;
        while self.focused().await != "#allow" {
            self.press(Key::Tab).await;
            steps += 1;
            assert!(steps < 10, "Allow is reachable with Tab");
        }
        self.press(Key::Enter).await;
    }

    /// Waits until [`Session::focused`] describes `wanted` (`why` says what the test
    /// expects): a page's `autofocus` applies at its next rendering update, which WebKit
    /// may reach after the element can be found.
    pub async fn wait_for_focus(&self, wanted: &str, why: &str) {
        wait_for(&format!("{wanted} to have the focus: {why}"), || async {
            let focused = self.focused().await;
            if focused == wanted {
                Ok(())
            } else {
                Err(focused)
            }
        })
        .await;
    }

    /// Describes the focused element: its id, or the tag of a shadow host's focused child.
    pub async fn focused(&self) -> String {
        self.js(
            "let el = document.activeElement;\
             if (el && el.shadowRoot && el.shadowRoot.activeElement) {\
               return `${el.localName}>${el.shadowRoot.activeElement.localName}`;\
             }\
             return el ? (el.id ? `#${el.id}` : el.localName) : '';",
            vec![],
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }
}

/// A console entry (chromedriver's level, message) from a line of Firefox's stdout, where
/// `devtools.console.stdout.content` writes the page's `console.error("x")` as
/// `console.error: "x"` and its uncaught errors as `JavaScript error: http://...`; `None`
/// for the driver's and the browser's own output: errors of `resource://` and `chrome://`
/// modules, and messages of its modules' consoles, which start with a bare `Name: ` prefix
/// where a page's arguments are quoted or parenthesized.
fn firefox_console_entry(line: &str) -> Option<(String, String)> {
    if let Some(rest) = line
        .strip_prefix("JavaScript error: ")
        .or_else(|| line.strip_prefix("JavaScript warning: "))
        && !rest.starts_with("http://")
        && !rest.starts_with("https://")
    {
        return None;
    }
    if let Some((_, rest)) = line
        .split_once(": ")
        .filter(|(head, _)| head.starts_with("console."))
    {
        let module_prefix = rest.split_once(": ").is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if module_prefix {
            return None;
        }
    }
    const LEVELS: [(&str, &str); 9] = [
        ("console.error: ", "SEVERE"),
        ("console.assert: ", "SEVERE"),
        ("JavaScript error: ", "SEVERE"),
        ("console.warn: ", "WARNING"),
        ("JavaScript warning: ", "WARNING"),
        ("console.log: ", "INFO"),
        ("console.info: ", "INFO"),
        ("console.debug: ", "DEBUG"),
        ("console.trace: ", "DEBUG"),
    ];
    LEVELS.iter().find_map(|(prefix, level)| {
        line.starts_with(prefix)
            .then(|| ((*level).to_owned(), line.to_owned()))
    })
}

/// The value of query parameter `name` in `url`.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// `url` with query parameter `name` set to `value`.
pub fn with_query_param(url: &str, name: &str, value: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("a URL");
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == name {
                value.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.to_string()
}
