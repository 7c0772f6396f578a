//! The timing figures of `make bench`, in headless Chromium over WebDriver:
//!
//! 1. navigation start → a clickable button: the package from `pkg/` against the floor, a
//!    plain hand-written JS element rendering the same button (`www/floor.js`), on pages of
//!    the same shape, in interleaved runs of the same browser;
//! 2. callback page load → `anypoint-signin-success`: each run signs in against the mock
//!    authorization server (in-process, auto-approving `login_hint=max`), and the redirect
//!    URI page reports when the event fired and which requests it made before.
//!
//! The pages measure themselves (`www/measure.js`, `performance.now()` from navigation
//! start) so that WebDriver's own latency is in no figure. Every server and the driver run
//! on 127.0.0.1, on free ports, and stop when the run ends. It prints figures and asserts
//! none: it fails only when it cannot measure.
//!
//!     timing-bench [--runs N] [--pkg DIR]

mod process;
mod stats;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

use process::{Mock, Process, free_port};
use stats::{Request, median, median_index, waves};

/// The connected app the bench registers on the mock server.
const CLIENT_ID: &str = "anypoint-signin-bench";
/// The mock server's default user, whom `--auto-approve` signs in for `login_hint`.
const LOGIN_HINT: &str = "max";
/// The whole run, set-up included; past it the run stops with an error.
const BUDGET: Duration = Duration::from_secs(240);
/// How long one page may take to reach what a run waits for.
const STEP: Duration = Duration::from_secs(20);

const MEASURE_JS: &str = include_str!("../www/measure.js");
const FLOOR_JS: &str = include_str!("../www/floor.js");
const PAGE_HTML: &str = include_str!("../www/page.html");

/// Resolves to `{ms, shape}` once the page's button is clickable; `shape` (read after the
/// measurement) is what the floor must match: the button's label and the shadow root's CSS.
const WAIT_CLICKABLE: &str = r#"
const done = arguments[arguments.length - 1];
const bench = window.anypointBench;
if (!bench) { done({ error: 'the measuring module did not run' }); return; }
bench.clickable.then((ms) => {
  const root = document.querySelector('anypoint-signin').shadowRoot;
  const css = [...root.styleSheets, ...root.adoptedStyleSheets]
    .flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText))
    .join('\n');
  done({ ms, shape: { label: root.querySelector('button').textContent.trim(), css } });
});
"#;

/// On the redirect URI page, resolves to the outcome (`{event, ms, code, requests}`); on
/// another page, to an error outcome already reported there, or else to null.
const WAIT_OUTCOME: &str = r#"
const done = arguments[arguments.length - 1];
const bench = window.anypointBench;
if (bench && bench.callback) { bench.outcome.then(done); return; }
done(bench && bench.result && bench.result.event === 'error' ? bench.result : null);
"#;

/// Clicks, in effect: a sign-in that the mock approves at once for `login_hint`.
const SIGN_IN: &str = r#"
document.querySelector('anypoint-signin').signIn({ loginHint: arguments[0] }).catch(() => {});
"#;

fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("timing-bench: {e}\nusage: timing-bench [--runs N] [--pkg DIR]");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("timing-bench: no async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match tokio::time::timeout(BUDGET, run(&options)).await {
            Ok(result) => result,
            Err(_) => Err(format!("the run took longer than {BUDGET:?}")),
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("timing-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The command line.
struct Options {
    runs: usize,
    pkg: PathBuf,
    root: PathBuf,
}

impl Options {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let root = root
            .canonicalize()
            .map_err(|e| format!("{}: {e}", root.display()))?;
        let mut options = Options {
            runs: 15,
            pkg: root.join("pkg"),
            root,
        };
        while let Some(arg) = args.next() {
            let value = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
            match arg.as_str() {
                "--runs" => {
                    options.runs = value
                        .parse()
                        .ok()
                        .filter(|&n| n > 0)
                        .ok_or_else(|| format!("--runs {value}: not a positive number"))?;
                }
                "--pkg" => {
                    options.pkg = Path::new(&value)
                        .canonicalize()
                        .map_err(|e| format!("--pkg {value}: {e}"))?;
                }
                _ => return Err(format!("unknown argument {arg}")),
            }
        }
        Ok(options)
    }
}

/// The servers, the driver and the browser of one run.
struct Env {
    client: Client,
    /// The static server's origin.
    origin: String,
    browser: String,
    // Dropped after the client: the driver (with its browser), the static server, the mock.
    _driver: Process,
    _static_server: Process,
    _mock: Mock,
}

async fn run(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let env = Env::start(options).await?;
    let result = measure(&env, options.runs).await;
    // Ends the browser session cleanly; the processes stop when `env` drops, either way.
    let _ = env.client.clone().close().await;
    print_report(&env, options.runs, &result?, started.elapsed());
    Ok(())
}

impl Env {
    async fn start(options: &Options) -> Result<Env, String> {
        let entry = options.pkg.join("anypoint-signin.js");
        if !entry.is_file() {
            return Err(format!(
                "{} is missing: build the package first (make pkg)",
                entry.display()
            ));
        }
        let chromedriver = program("CHROMEDRIVER", "/usr/bin/chromedriver")?;
        let chrome = program("CHROME_BIN", "/usr/bin/chromium")?;
        let work = options.root.join("target/bench-timing");
        let _ = std::fs::remove_dir_all(&work);
        let www = work.join("www");
        std::fs::create_dir_all(&www).map_err(|e| format!("{}: {e}", www.display()))?;
        write(&www.join("measure.js"), MEASURE_JS)?;
        write(&www.join("floor.js"), FLOOR_JS)?;

        // The static server's port comes first: the mock's app must list the redirect URI
        // on it, and the pages' CSP must name the mock. Another process may take the port
        // in between, hence the retries.
        let mut failures = Vec::new();
        let (mock, static_server, origin) = loop {
            let port = free_port()?;
            let origin = format!("http://127.0.0.1:{port}");
            let apps = work.join("apps.json");
            write(&apps, &apps_json(&origin))?;
            let mock = Mock::start(apps)?;
            write(
                &www.join("element.html"),
                &page(&origin, &mock, "/pkg/anypoint-signin.js"),
            )?;
            write(&www.join("floor.html"), &page(&origin, &mock, "/floor.js"))?;
            let started = Process::start(
                "scripts/serve.py",
                Command::new("python3")
                    .arg(options.root.join("scripts/serve.py"))
                    .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                    .arg(format!("--mount=/={}", www.display()))
                    .arg(format!("--mount=/pkg/={}", options.pkg.display()))
                    .arg(format!("--csp={}", csp(&mock.origin))),
                &work.join("serve.log"),
                |line| line.strip_prefix("serving on ").map(str::to_owned),
            );
            match started {
                Ok((process, _)) => break (mock, process, origin),
                Err(e) if failures.len() < 2 => failures.push(e),
                Err(e) => return Err(format!("the static server did not start: {e}")),
            }
        };

        let (driver, driver_url) = Process::start(
            "chromedriver",
            Command::new(&chromedriver).args(["--port=0", "--allowed-ips=127.0.0.1"]),
            &work.join("chromedriver.log"),
            |line| {
                let port = line
                    .strip_prefix("ChromeDriver was started successfully on port ")?
                    .trim_end_matches('.');
                Some(format!("http://127.0.0.1:{port}"))
            },
        )?;
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chrome,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--no-default-browser-check",
                    "--disable-extensions", "--window-size=1280,1000",
                    format!("--user-data-dir={}", work.join("profile").display()),
                ],
            }),
        );
        let step = STEP.as_millis() as u64;
        capabilities.insert(
            "timeouts".into(),
            json!({"script": step, "pageLoad": step, "implicit": 0}),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver_url)
            .await
            .map_err(|e| {
                format!(
                    "cannot start Chromium through chromedriver: {e} (log: {})",
                    work.join("chromedriver.log").display()
                )
            })?;
        let browser = client
            .capabilities()
            .and_then(|c| c.get("browserVersion"))
            .and_then(Value::as_str)
            .map_or_else(|| "Chromium".to_owned(), |v| format!("Chromium {v}"));
        Ok(Env {
            client,
            origin,
            browser,
            _driver: driver,
            _static_server: static_server,
            _mock: mock,
        })
    }

    fn url(&self, page: &str) -> String {
        format!("{}/{page}", self.origin)
    }
}

/// The program the environment variable `var` names (as scripts/setup.sh writes them into
/// target/toolchain.env), else `default`.
fn program(var: &str, default: &str) -> Result<PathBuf, String> {
    let path = std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "no {} (set {var}, or run scripts/setup.sh)",
            path.display()
        ))
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The bench's public app, its redirect URI on the static server (the mock's CORS then
/// allows that origin too).
fn apps_json(origin: &str) -> String {
    json!({
        "apps": [{
            "client_id": CLIENT_ID,
            "client_name": "Timing bench",
            "public_client": true,
            "grant_types": ["authorization_code", "refresh_token"],
            "scopes": ["openid", "profile", "offline_access"],
            "redirect_uris": [format!("{origin}/element.html")],
        }]
    })
    .to_string()
}

/// The page both figures load: the element configured for the mock, the measuring module,
/// and `entry`, the package's entry module or the floor's.
fn page(origin: &str, mock: &Mock, entry: &str) -> String {
    PAGE_HTML
        .replace("{{entry}}", entry)
        .replace("{{client_id}}", CLIENT_ID)
        .replace("{{issuer}}", &mock.issuer)
        .replace("{{redirect_uri}}", &format!("{origin}/element.html"))
}

/// The project's page policy (README, and the playground's), with the mock server as the
/// only other origin the page may connect to.
fn csp(mock_origin: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         connect-src 'self' {mock_origin}; base-uri 'none'; frame-ancestors 'none'"
    )
}

/// The figures of one run of the callback page.
struct Callback {
    ms: f64,
    requests: Vec<Request>,
}

/// Everything a run measured.
struct Figures {
    /// Navigation start to a clickable button, the package's runs.
    package_ms: Vec<f64>,
    /// The same, the floor's runs.
    floor_ms: Vec<f64>,
    /// Whether the floor shows what the element shows, in a sentence.
    likeness: String,
    callbacks: Vec<Callback>,
}

async fn measure(env: &Env, runs: usize) -> Result<Figures, String> {
    let element = env.url("element.html");
    let floor = env.url("floor.html");
    // One discarded warm-up of each page: the first loads pay for the static server's
    // and the browser's cold start, which is no property of either page.
    let (_, element_shape) = clickable(env, &element).await?;
    let (_, floor_shape) = clickable(env, &floor).await?;
    let css = |shape: &Value| shape["css"].as_str().map_or(0, str::len);
    let likeness = if element_shape == floor_shape {
        format!(
            "the floor shows the same label and stylesheet ({} chars of CSS)",
            css(&element_shape)
        )
    } else {
        format!(
            "NOTE: the floor no longer shows what the element does (label {} vs {}, \
             stylesheet {} vs {} chars): make bench/timing/www/floor.js match",
            floor_shape["label"],
            element_shape["label"],
            css(&floor_shape),
            css(&element_shape),
        )
    };
    let (mut package_ms, mut floor_ms) = (Vec::new(), Vec::new());
    for i in 0..runs {
        // Alternating which goes first cancels any drift within a pair.
        if i % 2 == 0 {
            package_ms.push(clickable(env, &element).await?.0);
            floor_ms.push(clickable(env, &floor).await?.0);
        } else {
            floor_ms.push(clickable(env, &floor).await?.0);
            package_ms.push(clickable(env, &element).await?.0);
        }
    }

    callback(env).await?;
    let mut callbacks = Vec::new();
    for _ in 0..runs {
        callbacks.push(callback(env).await?);
    }
    Ok(Figures {
        package_ms,
        floor_ms,
        likeness,
        callbacks,
    })
}

/// Loads `url` afresh and returns the milliseconds from its navigation start to a
/// clickable button, as the page measured them, and the shape of what it shows.
async fn clickable(env: &Env, url: &str) -> Result<(f64, Value), String> {
    let client = &env.client;
    // From a blank page, so that no unload of the previous page falls into this one.
    client
        .goto("about:blank")
        .await
        .map_err(|e| format!("about:blank: {e}"))?;
    client
        .goto(url)
        .await
        .map_err(|e| format!("loading {url}: {e}"))?;
    let answer = client
        .execute_async(WAIT_CLICKABLE, vec![])
        .await
        .map_err(|e| format!("{url}: no clickable button within {STEP:?}: {e}"))?;
    let ms = answer["ms"]
        .as_f64()
        .ok_or_else(|| format!("{url}: {answer}"))?;
    Ok((ms, answer["shape"].clone()))
}

/// One sign-in against the mock: the sign-in page, `signIn({loginHint})`, the mock's
/// immediate redirect back with a code, and the redirect URI page's own report.
async fn callback(env: &Env) -> Result<Callback, String> {
    let client = &env.client;
    let page = env.url("element.html");
    clickable(env, &page).await?;
    client
        .execute(SIGN_IN, vec![json!(LOGIN_HINT)])
        .await
        .map_err(|e| format!("signIn(): {e}"))?;
    // The sign-in navigates away when it is ready; until the redirect URI page has loaded,
    // the script finds the sign-in page (or a navigation in progress, an error) instead.
    let deadline = Instant::now() + STEP;
    let outcome = loop {
        if let Ok(answer) = client.execute_async(WAIT_OUTCOME, vec![]).await
            && !answer.is_null()
        {
            break answer;
        }
        if Instant::now() > deadline {
            let url = client.current_url().await.map(|u| u.to_string());
            return Err(format!(
                "no anypoint-signin-success within {STEP:?} of signIn() (at {})",
                url.unwrap_or_else(|e| e.to_string())
            ));
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    if outcome["event"] != "success" {
        return Err(format!(
            "the sign-in failed with {} instead of anypoint-signin-success",
            outcome["code"]
        ));
    }
    // The next run starts signed out, as a visitor does: no session kept from this one.
    client
        .execute("sessionStorage.clear(); localStorage.clear();", vec![])
        .await
        .map_err(|e| format!("clearing storage: {e}"))?;
    let ms = outcome["ms"]
        .as_f64()
        .ok_or_else(|| format!("a success without a time: {outcome}"))?;
    let requests = outcome["requests"]
        .as_array()
        .map(|list| list.iter().filter_map(request).collect())
        .unwrap_or_default();
    Ok(Callback { ms, requests })
}

fn request(value: &Value) -> Option<Request> {
    Some(Request {
        path: value["path"].as_str()?.to_owned(),
        same_origin: value["sameOrigin"].as_bool()?,
        start: value["start"].as_f64()?,
        end: value["end"].as_f64()?,
    })
}

fn print_report(env: &Env, runs: usize, figures: &Figures, elapsed: Duration) {
    let Figures {
        package_ms,
        floor_ms,
        likeness,
        callbacks,
    } = figures;
    let spread = |values: &[f64]| {
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        format!("(min {min:.1}, max {max:.1})")
    };
    let package = median(package_ms);
    let floor = median(floor_ms);
    println!(
        "bench: timing in headless {} on 127.0.0.1, median of {runs} runs each, after a discarded warm-up",
        env.browser
    );
    println!("  navigation start -> clickable button (interleaved runs, same page shape)");
    println!(
        "    <anypoint-signin> from pkg/        {package:7.1} ms  {}",
        spread(package_ms)
    );
    println!(
        "    floor: plain JS custom element     {floor:7.1} ms  {}",
        spread(floor_ms)
    );
    println!(
        "    ratio                               {:6.2}x    (target <= 1.5)",
        package / floor
    );
    println!("    {likeness}");

    let times: Vec<f64> = callbacks.iter().map(|c| c.ms).collect();
    println!(
        "  callback page load -> anypoint-signin-success (mock server, auto-approved sign-in)"
    );
    println!(
        "    median                             {:7.1} ms  {}",
        median(&times),
        spread(&times)
    );
    let chosen = &callbacks[median_index(&times)];
    let all = waves(&chosen.requests);
    let server: Vec<Request> = chosen
        .requests
        .iter()
        .filter(|r| !r.same_origin)
        .cloned()
        .collect();
    let own = chosen.requests.len() - server.len();
    println!(
        "    sequential round trips              {:3}     ({} to the authorization server; {} request{} to the page's own origin)",
        all.len(),
        waves(&server).len(),
        own,
        if own == 1 { "" } else { "s" }
    );
    println!(
        "    requests of the median run ({:.1} ms), fetch/XHR until success:",
        chosen.ms
    );
    for (n, wave) in all.iter().enumerate() {
        for r in wave {
            let to = if r.same_origin { "page" } else { "mock" };
            println!(
                "      round trip {:<2} {to}  {:7.1} -> {:7.1} ms  {}",
                n + 1,
                r.start,
                r.end,
                r.path
            );
        }
    }
    println!("  ({:.0} s in all)", elapsed.as_secs_f64());
}
