//! The npm package as a web developer installs it: `npm pack` of `pkg/`, the tarball
//! installed into a Vite app and a webpack app (`tests/bundlers/`, copied to a temporary
//! directory, their tools pinned by `tests/bundlers/package-lock.json` and installed with
//! `npm ci`), each app built for production, its `dist/` served under the playground's
//! Content-Security-Policy, and a sign-in through the mock server's login and consent pages
//! in headless Chromium. It proves that the bundlers find and emit the WebAssembly module
//! and that the bundled element signs in.

#![cfg(not(target_arch = "wasm32"))]

mod e2e;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

use e2e::*;
use serde_json::{Value, json};

/// A bundler under test: its app's directory in `tests/bundlers/` and its npm script.
struct Bundler {
    name: &'static str,
    app: &'static str,
    script: &'static str,
}

const VITE: Bundler = Bundler {
    name: "vite",
    app: "vite-app",
    script: "build:vite",
};

const WEBPACK: Bundler = Bundler {
    name: "webpack",
    app: "webpack-app",
    script: "build:webpack",
};

#[tokio::test]
async fn vite_production_build_signs_in() {
    signs_in_with(&VITE).await;
}

#[tokio::test]
async fn webpack_production_build_signs_in() {
    signs_in_with(&WEBPACK).await;
}

async fn signs_in_with(bundler: &'static Bundler) {
    let workspace = Workspace::lease();
    let dist = workspace.build(bundler);
    run(&format!("bundler-{}", bundler.name), move |s| async move {
        let server = DistServer::start(&dist, &playground_csp(&s.mock)).await;
        let page = format!("{}/", server.origin);
        let app = s
            .create_app(json!({
                "client_name": format!("Built with {}", bundler.name),
                "grant_types": ["authorization_code"],
                "scopes": ["openid", "profile", "email"],
                "redirect_uris": [page],
                "public_client": true,
            }))
            .await;
        let client_id = app["client_id"].as_str().expect("client_id").to_owned();

        // The page reads the mock's issuer and the client ID from localStorage.
        s.client.goto(&page).await.expect("open the built page");
        s.js(
            "localStorage.setItem('bundler-test', JSON.stringify({issuer: arguments[0], clientId: arguments[1]}));",
            vec![json!(s.issuer()), json!(client_id)],
        )
        .await;
        s.client.goto(&page).await.expect("reload the built page");
        s.wait_until_ready().await;
        // `ready` settles a moment after the element is defined.
        wait_for("the package's `ready` export to resolve", || async {
            match s.js("return document.body.dataset.ready || null", vec![]).await {
                Value::String(ready) if ready == "defined" => Ok(()),
                other => Err(format!("{other} (`defined`: the element's class)")),
            }
        })
        .await;
        assert_eq!(
            s.button_state().await,
            ("Sign in with Anypoint Platform".to_owned(), true)
        );

        // The WebAssembly module came from the bundler's output, on the page's origin.
        let wasm = s
            .js(
                "return performance.getEntriesByType('resource').map((e) => e.name)\
                   .filter((n) => new URL(n).pathname.endsWith('.wasm'));",
                vec![],
            )
            .await;
        let wasm: Vec<String> = serde_json::from_value(wasm).expect("a list of URLs");
        assert_eq!(wasm.len(), 1, "one WebAssembly module loaded: {wasm:?}");
        let wasm_path = wasm[0]
            .strip_prefix(&server.origin)
            .unwrap_or_else(|| panic!("{} is not on the page's origin", wasm[0]));
        assert!(
            dist.join(wasm_path.trim_start_matches('/')).is_file(),
            "{wasm_path} is a file the {} build emitted into {}",
            bundler.name,
            dist.display()
        );

        // Sign in through the mock's login and consent pages, as a user does.
        s.click_signin().await;
        s.wait_for_url(&format!("{}/authorize?", s.issuer())).await;
        s.log_in().await;
        s.find("#allow").await.click().await.expect("click #allow");

        let success = s.wait_for_event("success").await;
        assert_eq!(s.url().await, page, "no code or state left in the address bar");
        assert_eq!(success["claims"]["preferred_username"], USERNAME, "{success}");
        assert_eq!(success["claims"]["aud"], client_id.as_str(), "{success}");
        assert_eq!(success["claims"]["iss"], s.issuer(), "{success}");
        assert_eq!(success["accessToken"], "present", "{success}");
        assert_eq!(success["restored"], false, "{success}");
        assert_eq!(s.text("#status").await, "Signed in as Max Mule.");
        assert_eq!(s.button_state().await, ("Sign out".to_owned(), true));
        assert_eq!(
            s.js(
                "const el = document.getElementById('signin');\
                 return [el.signedIn, typeof el.accessToken];",
                vec![]
            )
            .await,
            json!([true, "string"])
        );

        // A language: its module is a chunk of its own the bundler emitted, fetched from the
        // page's origin only now.
        let scripts = || async {
            let names = s
                .js(
                    "return performance.getEntriesByType('resource').map((e) => e.name)\
                       .filter((n) => new URL(n).pathname.endsWith('.js'));",
                    vec![],
                )
                .await;
            serde_json::from_value::<Vec<String>>(names).expect("a list of URLs")
        };
        let before = scripts().await;
        let japanese = std::fs::read_to_string(root().join("js/lang/ja.js")).expect("ja.js");
        let sign_out = japanese
            .split("\"signout\": \"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("ja.js's signout");
        s.js(
            "document.getElementById('signin').setAttribute('lang', 'ja')",
            vec![],
        )
        .await;
        wait_for("the button to read Japanese", || async {
            match s.button_state().await {
                (text, true) if text == sign_out => Ok(()),
                other => Err(format!("{other:?}")),
            }
        })
        .await;
        let chunks: Vec<String> = scripts()
            .await
            .into_iter()
            .filter(|n| !before.contains(n))
            .collect();
        assert_eq!(chunks.len(), 1, "one module for Japanese: {chunks:?}");
        let chunk = chunks[0]
            .strip_prefix(&server.origin)
            .unwrap_or_else(|| panic!("{} is not on the page's origin", chunks[0]));
        let emitted = std::fs::read_to_string(dist.join(chunk.trim_start_matches('/')))
            .unwrap_or_else(|e| panic!("{chunk} is not a file the build emitted: {e}"));
        assert!(
            emitted.contains("signout") && !emitted.contains("customElements"),
            "{chunk} holds Japanese alone"
        );

        let errors: Vec<_> = s
            .console()
            .await
            .into_iter()
            .filter(|(level, _)| level == "SEVERE")
            .collect();
        assert!(errors.is_empty(), "console errors: {errors:?}");
        s.screenshot(&format!("bundler-{}-signed-in.png", bundler.name))
            .await;
    })
    .await;
}

// ---- the apps, packed and built ----------------------------------------------------------

/// The temporary directory with `tests/bundlers/` copied in, its tools installed with
/// `npm ci` and the packed package installed from its tarball. The tests share it; the last
/// one to finish removes it.
struct Workspace {
    dir: PathBuf,
}

/// How many tests use the workspace now, and the workspace (or why it could not be made).
static WORKSPACE: Mutex<(usize, Option<Result<PathBuf, String>>)> = Mutex::new((0, None));

impl Workspace {
    /// The workspace, prepared by the first test that asks.
    fn lease() -> Workspace {
        let mut state = WORKSPACE.lock().unwrap_or_else(|e| e.into_inner());
        let prepared = state.1.get_or_insert_with(prepare).clone();
        state.0 += 1;
        drop(state);
        // Counted before a failure is reported: dropping the lease uncounts it.
        let lease = Workspace {
            dir: prepared.clone().unwrap_or_default(),
        };
        if let Err(e) = prepared {
            panic!("{e}");
        }
        lease
    }

    /// Runs `bundler`'s production build; returns its output directory.
    fn build(&self, bundler: &Bundler) -> PathBuf {
        let t = Instant::now();
        npm(&self.dir, &["run", bundler.script]).unwrap_or_else(|e| panic!("{e}"));
        eprintln!(
            "e2e_bundlers: {} build in {:.1} s",
            bundler.name,
            t.elapsed().as_secs_f64()
        );
        let dist = self.dir.join(bundler.app).join("dist");
        assert!(
            dist.join("index.html").is_file(),
            "the {} build wrote no {}",
            bundler.name,
            dist.join("index.html").display()
        );
        dist
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let mut state = WORKSPACE.lock().unwrap_or_else(|e| e.into_inner());
        state.0 -= 1;
        if state.0 == 0
            && let Some(Ok(dir)) = state.1.take()
        {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Packs `pkg/`, copies `tests/bundlers/` to a new temporary directory, installs its
/// pinned tools with `npm ci` and the package from the tarball.
fn prepare() -> Result<PathBuf, String> {
    let pkg = root().join("pkg");
    if !pkg.join("package.json").is_file() {
        return Err(format!(
            "{} is missing: this test packs the built package. Build it first with `make pkg`.",
            pkg.join("package.json").display()
        ));
    }
    let dir = std::env::temp_dir().join(format!("anypoint-signin-bundlers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    install(&pkg, &dir).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&dir);
    })?;
    Ok(dir)
}

/// Copies the apps into `dir` and installs their tools and the package packed from `pkg`.
fn install(pkg: &Path, dir: &Path) -> Result<(), String> {
    copy_dir(&root().join("tests/bundlers"), dir)
        .map_err(|e| format!("copying tests/bundlers to {}: {e}", dir.display()))?;

    let t = Instant::now();
    let packed = npm(
        pkg,
        &[
            "pack",
            "--json",
            "--pack-destination",
            &dir.to_string_lossy(),
        ],
    )?;
    let packed: Value = serde_json::from_str(&packed)
        .map_err(|e| format!("`npm pack --json` printed no JSON ({e}): {packed}"))?;
    let tarball = packed[0]["filename"]
        .as_str()
        .ok_or_else(|| format!("`npm pack --json` named no file: {packed}"))?;
    let t_pack = t.elapsed();
    npm(dir, &["ci", "--no-audit", "--no-fund", "--prefer-offline"])?;
    let t_ci = t.elapsed();
    npm(
        dir,
        &[
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
            &format!("./{tarball}"),
        ],
    )?;
    let installed = dir.join("node_modules/anypoint-signin/anypoint_signin_bg.wasm");
    if !installed.is_file() {
        return Err(format!(
            "installing {tarball} left no {}",
            installed.display()
        ));
    }
    eprintln!(
        "e2e_bundlers: npm pack {:.1} s, npm ci {:.1} s, install the tarball {:.1} s",
        t_pack.as_secs_f64(),
        (t_ci - t_pack).as_secs_f64(),
        (t.elapsed() - t_ci).as_secs_f64()
    );
    Ok(())
}

/// Runs `npm ARGS` in `dir`; its stdout, or an error with both outputs.
fn npm(dir: &Path, args: &[&str]) -> Result<String, String> {
    let npm = std::env::var_os("NPM").unwrap_or_else(|| "npm".into());
    let output = Command::new(&npm)
        .args(args)
        .current_dir(dir)
        .env("npm_config_update_notifier", "false")
        .output()
        .map_err(|e| format!("cannot run npm ({npm:?}; set NPM to its path): {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        Ok(stdout)
    } else {
        Err(format!(
            "`npm {}` in {} failed ({}).\nstdout:\n{stdout}\nstderr:\n{}",
            args.join(" "),
            dir.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Copies the directory `from` to `to`, leaving out `node_modules` and `dist`.
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "node_modules" || name == "dist" {
            continue;
        }
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &to.join(&name))?;
        } else {
            std::fs::copy(entry.path(), to.join(&name))?;
        }
    }
    Ok(())
}

// ---- serving a build ---------------------------------------------------------------------

/// A built app's `dist/`, served on 127.0.0.1 and a free port under a
/// Content-Security-Policy, with `Cache-Control: no-store`, until dropped.
struct DistServer {
    origin: String,
    task: tokio::task::JoinHandle<()>,
}

impl DistServer {
    async fn start(dist: &Path, csp: &str) -> DistServer {
        use axum::http::{HeaderValue, StatusCode, header};
        use tower_http::services::ServeDir;
        use tower_http::set_header::SetResponseHeaderLayer;

        let app = axum::Router::new()
            // Keeps the browser's automatic request out of the console's errors.
            .route(
                "/favicon.ico",
                axum::routing::get(|| async { StatusCode::NO_CONTENT }),
            )
            .fallback_service(ServeDir::new(dist))
            .layer(SetResponseHeaderLayer::overriding(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_str(csp).expect("a CSP header value"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let origin = format!("http://{}", listener.local_addr().expect("an address"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        DistServer { origin, task }
    }
}

impl Drop for DistServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
