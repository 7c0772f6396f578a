//! Runs full sign-in cycles (authorization request with PKCE, redirect with a code, code
//! exchange) against a mock server started with `--auto-approve`, and prints cycles per
//! second and latency percentiles.
//!
//! Usage: `auth_code_cycle URL [CYCLES] [CONCURRENCY]` (defaults: 2000 cycles, 8 at once).

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

const CLIENT_ID: &str = "anypoint-signin-playground";
const REDIRECT_URI: &str = "http://127.0.0.1:8080/";

async fn cycle(http: &reqwest::Client, base: &str) -> Result<Duration, String> {
    let started = Instant::now();
    let verifier = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let authorize = http
        .get(format!("{base}/accounts/api/v2/oauth2/authorize"))
        .query(&[
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("response_type", "code"),
            ("scope", "openid profile"),
            ("state", "bench"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
            ("login_hint", "max"),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let location = authorize
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            format!(
                "authorize answered {} without a redirect",
                authorize.status()
            )
        })?;
    let code = url::Url::parse(location)
        .map_err(|e| e.to_string())?
        .query_pairs()
        .find(|(name, _)| name == "code")
        .map(|(_, value)| value.into_owned())
        .ok_or_else(|| format!("no code in {location}"))?;
    let token = http
        .post(format!("{base}/accounts/api/v2/oauth2/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT_URI),
            ("client_id", CLIENT_ID),
            ("code_verifier", verifier.as_str()),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !token.status().is_success() {
        return Err(format!("token answered {}", token.status()));
    }
    token.bytes().await.map_err(|e| e.to_string())?;
    Ok(started.elapsed())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let base = args
        .next()
        .ok_or("usage: auth_code_cycle URL [CYCLES] [CONCURRENCY]")?;
    let cycles: usize = args
        .next()
        .map_or(Ok(2000), |a| a.parse())
        .map_err(|e| format!("CYCLES: {e}"))?;
    let concurrency: usize = args
        .next()
        .map_or(Ok(8), |a| a.parse())
        .map_err(|e| format!("CONCURRENCY: {e}"))?;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|worker| {
            let http = http.clone();
            let base = base.clone();
            let share = cycles / concurrency + usize::from(worker < cycles % concurrency);
            tokio::spawn(async move {
                let mut times = Vec::with_capacity(share);
                for _ in 0..share {
                    times.push(cycle(&http, &base).await?);
                }
                Ok::<_, String>(times)
            })
        })
        .collect();
    let mut times = Vec::with_capacity(cycles);
    for worker in workers {
        times.extend(worker.await.map_err(|e| e.to_string())??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} cycles in {elapsed:.2} s with {concurrency} concurrent clients",
        times.len()
    );
    println!("cycles/s: {:.0}", times.len() as f64 / elapsed);
    println!(
        "requests/s: {:.0} (2 per cycle)",
        2.0 * times.len() as f64 / elapsed
    );
    println!(
        "cycle latency p50: {:.2} ms, p99: {:.2} ms, max: {:.2} ms",
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().ok_or("no cycle ran")?)
    );
    Ok(())
}
