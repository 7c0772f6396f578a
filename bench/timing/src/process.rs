//! The helper processes of a run (the static server, chromedriver and the browser it
//! starts) and the in-process mock server, each stopped when dropped, however the run ends.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anypoint_mock_server::{Config, Server};

/// How long a helper may take to say it is ready.
const START: Duration = Duration::from_secs(20);

/// A child process; dropping it kills it and every process it started (chromedriver's
/// browser would otherwise outlive it).
pub struct Process {
    child: Child,
}

impl Process {
    /// Starts `command` and waits for a stdout line for which `ready` returns a value;
    /// its stderr goes to `log`.
    pub fn start<T>(
        name: &str,
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
        let process = Process { child };
        let (tx, rx) = mpsc::channel();
        // Reads every line, so that a full pipe never blocks the child.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + START;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => match ready(&line) {
                    Some(value) => return Ok((process, value)),
                    None => seen.push(line),
                },
                Err(_) => {
                    let errors = std::fs::read_to_string(log).unwrap_or_default();
                    return Err(format!(
                        "{name} was not ready within {START:?}\nstdout:\n{}\nstderr ({}):\n{errors}",
                        seen.join("\n"),
                        log.display()
                    ));
                }
            }
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let mut doomed = descendants(self.child.id());
        // Children before parents, so that no parent restarts or reaps a child mid-way.
        doomed.reverse();
        for pid in doomed {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The processes `pid` started, and theirs (parents before children), from /proc.
fn descendants(pid: u32) -> Vec<u32> {
    let mut links: Vec<(u32, u32)> = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(child) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        let parent = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse().ok());
        if let Some(parent) = parent {
            links.push((child, parent));
        }
    }
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(links.iter().filter(|(_, p)| *p == parent).map(|(c, _)| *c));
        i += 1;
    }
    found.remove(0);
    found
}

/// A free loopback port, for the static server: its origin must be known before it starts
/// (the mock server's app lists the redirect URI on it, and the page's CSP the mock's).
pub fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

/// The mock authorization server, on a thread and runtime of its own so that its answers
/// never wait on the driver's work; stopped when dropped.
pub struct Mock {
    /// Its issuer, `http://127.0.0.1:PORT/accounts/api/v2/oauth2`.
    pub issuer: String,
    /// Its origin, `http://127.0.0.1:PORT`.
    pub origin: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Mock {
    /// Starts the mock on a free loopback port with the apps of `apps` (a `--apps` file)
    /// and `--auto-approve`, so that `/authorize` with `login_hint` answers with a code at once.
    pub fn start(apps: PathBuf) -> Result<Mock, String> {
        let config = Config {
            host: "127.0.0.1".to_owned(),
            port: 0,
            apps: Some(apps),
            auto_approve: true,
            ..Config::default()
        };
        let (ready_tx, ready_rx) = mpsc::channel::<Result<(SocketAddr, String), String>>();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = ready_tx.send(Err(e.to_string()));
                    return;
                }
            };
            runtime.block_on(async move {
                let server = match Server::bind(config).await {
                    Ok(server) => server,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok((server.local_addr(), server.issuer().to_owned())));
                // Dropping the server at the stop signal ends its connections at once; a
                // graceful shutdown would wait for the browser's keep-alive connections.
                tokio::select! {
                    _ = server.serve(std::future::pending()) => {}
                    _ = stopped => {}
                }
            });
        });
        let (address, issuer) = ready_rx
            .recv_timeout(START)
            .map_err(|_| "the mock server did not start".to_owned())?
            .map_err(|e| format!("the mock server did not start: {e}"))?;
        Ok(Mock {
            issuer,
            origin: format!("http://{address}"),
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
