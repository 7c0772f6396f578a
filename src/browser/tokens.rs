//! The token lifecycle after sign-in: keeping the session as the `storage` attribute says,
//! renewing the access token with the refresh token (RFC 6749 §6) ahead of expiry and on
//! demand, one browsing context at a time, sharing each renewal with the other tabs and
//! frames of the origin, and revoking the tokens at sign-out (RFC 7009).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};

use super::events::{self, object};
use super::session::{self, Session};
use super::{callback, discovery, element, http, json::BrowserJson, signature, storage};
use crate::protocol::{
    Binding, ErrorCode, IssuerUrl, SessionRecord, SigninError, StorageMode, backoff_ms,
    channel_name, is_fresh, is_invalid_grant, parse_token_response, refresh_delay_ms,
    refresh_token_body, revocation_body,
};

#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = withLock)]
    fn with_lock(name: &str, task: &Function) -> Promise;
    fn broadcast(channel: &str, message: &JsValue);
    #[wasm_bindgen(js_name = onBroadcast)]
    fn on_broadcast(channel: &str, listener: &Function);
}

type Renewal = Result<(Rc<Session>, bool), SigninError>;

/// How long a context keeps the refresh lock after announcing a renewal.
const ADOPTION_GRACE_MS: i32 = 150;

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = super::window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

thread_local! {
    static TIMER: Cell<Option<i32>> = const { Cell::new(None) };
    /// The channels this context listens on, one per issuer and client signed in to here.
    static LISTENING: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn not_signed_in() -> SigninError {
    SigninError::new(
        ErrorCode::NotSignedIn,
        "Nobody is signed in: call signIn() (or let the user click the button) first.",
    )
}

/// Makes `record` the page's session: keeps it as `mode` says and schedules its renewal.
/// `profile` carries over a profile already loaded for the same user.
pub fn establish(
    record: SessionRecord,
    mode: StorageMode,
    profile: JsValue,
) -> Result<Rc<Session>, SigninError> {
    storage::save_session(&record, mode);
    let mut fresh = Session::from_record(record, mode)?;
    fresh.profile = profile;
    let session = session::set(Some(fresh)).expect_throw("a session was just set");
    schedule(&session, 0);
    listen_to_other_contexts(&session.record);
    Ok(session)
}

/// Forgets the session here (memory and storage) and stops its renewal.
fn forget(session: &Session) {
    cancel_timer();
    storage::clear_session(&session.record.client_id);
    session::set(None);
}

/// Ends the session because it cannot go on (`error`), and tells the page.
fn expire(session: &Session, error: &SigninError) {
    forget(session);
    element::session_changed();
    element::on_primary(|host| events::error(host, error));
}

fn cancel_timer() {
    if let Some(id) = TIMER.with(|t| t.take()) {
        super::window().clear_timeout_with_handle(id);
    }
}

/// Schedules the next renewal of `session`: a minute before expiry, or after a back-off
/// when `attempt` earlier tries failed on the network. Without a refresh token, the session
/// simply ends when the access token expires.
fn schedule(session: &Rc<Session>, attempt: u32) {
    cancel_timer();
    let Some(expires_at) = session.record.expires_at_ms else {
        return;
    };
    let renewable = session.record.refresh_token.is_some();
    let delay = match (renewable, attempt) {
        (false, _) => expires_at.saturating_sub(now_ms()),
        (true, 0) => refresh_delay_ms(expires_at, now_ms()),
        (true, n) => backoff_ms(n),
    };
    let generation = session.record.generation.clone();
    let fire = Closure::once_into_js(move || {
        TIMER.with(|t| t.set(None));
        let Some(current) = session::current() else {
            return;
        };
        if current.record.generation != generation {
            return;
        }
        if !renewable {
            expire(
                &current,
                &SigninError::new(
                    ErrorCode::SessionExpired,
                    "The access token expired and there is no refresh token to renew it: request the offline_access scope to stay signed in.",
                ),
            );
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = refresh(&generation).await
                && retryable(&e)
                && let Some(current) = session::current()
            {
                schedule(&current, attempt + 1);
            }
        });
    });
    let delay = i32::try_from(delay).unwrap_or(i32::MAX);
    if let Ok(id) = super::window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(fire.unchecked_ref(), delay)
    {
        TIMER.with(|t| t.set(Some(id)));
    }
}

/// Failures worth retrying later: the network or a passing server fault (RFC 6749 §5.2
/// has no such code, but servers send `server_error` / `temporarily_unavailable`), not a
/// refusal.
fn retryable(error: &SigninError) -> bool {
    match error.code {
        ErrorCode::TokenRequestFailed | ErrorCode::DiscoveryFailed => true,
        ErrorCode::TokenError => matches!(
            error.cause.as_deref(),
            Some("server_error" | "temporarily_unavailable")
        ),
        _ => false,
    }
}

/// An access token valid for at least another minute, renewed first when needed.
pub async fn access_token() -> Result<String, SigninError> {
    let session = session::current().ok_or_else(not_signed_in)?;
    if let Some(token) = session.access_token()
        && is_fresh(session.record.expires_at_ms, now_ms())
    {
        return Ok(token.secret().to_owned());
    }
    if session.record.refresh_token.is_none() {
        let error = SigninError::new(
            ErrorCode::SessionExpired,
            "The access token expired and there is no refresh token to renew it: request the offline_access scope to stay signed in.",
        );
        expire(&session, &error);
        return Err(error);
    }
    let renewed = refresh(&session.record.generation).await?;
    renewed
        .access_token()
        .map(|t| t.secret().to_owned())
        .ok_or_else(not_signed_in)
}

/// Renews the session whose generation is `generation`, holding the origin-wide refresh
/// lock of its client so that no two contexts spend the same rotating refresh token.
pub async fn refresh(generation: &str) -> Result<Rc<Session>, SigninError> {
    renew(generation, true).await
}

/// [`refresh`]; `announce` fires `anypoint-signin-token-refreshed` when this context renewed
/// the tokens itself (a renewal adopted from another context announces itself on arrival).
async fn renew(generation: &str, announce: bool) -> Result<Rc<Session>, SigninError> {
    let session = session::current().ok_or_else(not_signed_in)?;
    let lock = ["anypoint-signin:refresh:", &session.record.client_id].concat();
    let outcome: Rc<RefCell<Option<Renewal>>> = Rc::default();
    let slot = outcome.clone();
    let generation = generation.to_owned();
    let task = Closure::once_into_js(move || -> Promise {
        future_to_promise(async move {
            let result = refresh_holding_lock(&generation).await;
            slot.borrow_mut().replace(result);
            Ok(JsValue::UNDEFINED)
        })
    });
    let _ = JsFuture::from(with_lock(&lock, task.unchecked_ref())).await;
    let result = outcome.borrow_mut().take().unwrap_or_else(|| {
        Err(SigninError::new(
            ErrorCode::InternalError,
            "The browser did not grant the token-refresh lock.",
        ))
    });
    match &result {
        Ok((renewed, true)) if announce => {
            element::on_primary(|host| events::token_refreshed(host, renewed));
        }
        Ok(_) => {}
        Err(e) if e.code == ErrorCode::SessionExpired => {
            if let Some(current) = session::current() {
                expire(&current, e);
            }
        }
        Err(_) => {}
    }
    result.map(|(session, _)| session)
}

/// Renews the tokens unless another context already did: the session, and whether this
/// context made the token request.
async fn refresh_holding_lock(generation: &str) -> Result<(Rc<Session>, bool), SigninError> {
    let session = session::current().ok_or_else(not_signed_in)?;
    let record = &session.record;
    if record.generation != generation
        && session.access_token().is_some()
        && is_fresh(record.expires_at_ms, now_ms())
    {
        // Renewed while this context waited for the lock (here, or by another tab).
        return Ok((session, false));
    }
    // A frame sharing this tab's sessionStorage may have rotated the token since.
    let stored = storage::load_session(&record.client_id)
        .filter(|s| s.issuer == record.issuer && s.subject == record.subject);
    let refresh_token = stored
        .and_then(|s| s.refresh_token)
        .or_else(|| record.refresh_token.clone())
        .ok_or_else(not_signed_in)?;

    let issuer = IssuerUrl::parse(&record.issuer)?;
    let metadata = discovery::metadata(&issuer).await?;
    let response = http::post_form(
        &metadata.token_endpoint,
        &refresh_token_body(&refresh_token, &record.client_id, None),
    )
    .await
    .map_err(|e| {
        SigninError::new(
            ErrorCode::TokenRequestFailed,
            "Could not reach the token endpoint to renew the access token; retrying later.",
        )
        .with_cause(e.0)
    })?;
    let tokens = parse_token_response(response.status, &response.body, &BrowserJson).map_err(
        |e| {
            if is_invalid_grant(&e) {
                SigninError::new(
                    ErrorCode::SessionExpired,
                    "The session ended: the authorization server refused the refresh token (expired, revoked, or used elsewhere). Sign in again.",
                )
                .with_cause("invalid_grant")
            } else {
                e
            }
        },
    )?;
    if let Some(id_token) = &tokens.id_token {
        let binding = Binding::Refresh {
            subject: record.subject.as_deref(),
        };
        signature::verified_claims(
            id_token,
            &metadata,
            &record.client_id,
            binding,
            super::now_secs(),
        )
        .await?;
    }
    let renewed = SessionRecord {
        issuer: record.issuer.clone(),
        client_id: record.client_id.clone(),
        subject: record.subject.clone(),
        generation: super::crypto::random_id()?,
        scope: tokens.scope.or_else(|| record.scope.clone()),
        refresh_token: tokens.refresh_token.or(Some(refresh_token)),
        expires_at_ms: callback::expires_at_ms(tokens.expires_in),
        access_token: Some(tokens.access_token),
        token_type: Some(tokens.token_type),
        id_token: tokens.id_token.or_else(|| record.id_token.clone()),
    };
    // Only what the other contexts lack, only on the channel of this issuer and client.
    let message = object(&[
        ("type", "refreshed".into()),
        ("previous", record.generation.as_str().into()),
        (
            "record",
            record
                .renewal_for_others(&renewed)
                .to_storage_string()
                .into(),
        ),
    ]);
    let channel = channel_name(&record.issuer, &record.client_id);
    let renewed = establish(renewed, session.mode, session.profile.clone())?;
    broadcast(&channel, &message);
    element::session_changed();
    // Hold the lock a moment longer: the message must reach the other contexts before one
    // of them takes the lock, or it would spend the refresh token just rotated away.
    sleep(ADOPTION_GRACE_MS).await;
    Ok((renewed, true))
}

/// Signs out: forgets the session at once, tells the other contexts that shared it, then
/// revokes the refresh and access tokens where the provider has a revocation endpoint.
pub async fn sign_out() -> Result<(), SigninError> {
    let Some(session) = session::current() else {
        return Ok(());
    };
    forget(&session);
    let record = &session.record;
    // Who signed out, and no token.
    let identity = SessionRecord {
        issuer: record.issuer.clone(),
        client_id: record.client_id.clone(),
        subject: record.subject.clone(),
        generation: record.generation.clone(),
        ..SessionRecord::default()
    };
    broadcast(
        &channel_name(&record.issuer, &record.client_id),
        &object(&[
            ("type", "signout".into()),
            ("previous", record.generation.as_str().into()),
            ("record", identity.to_storage_string().into()),
        ]),
    );
    revoke(&session.record).await
}

async fn revoke(record: &SessionRecord) -> Result<(), SigninError> {
    let issuer = IssuerUrl::parse(&record.issuer)?;
    let Some(endpoint) = discovery::metadata(&issuer)
        .await
        .ok()
        .and_then(|m| m.revocation_endpoint.clone())
    else {
        return Ok(());
    };
    let tokens = [
        (
            record.refresh_token.as_ref().map(|t| t.secret()),
            "refresh_token",
        ),
        (
            record.access_token.as_ref().map(|t| t.secret()),
            "access_token",
        ),
    ];
    for (token, hint) in tokens {
        let Some(token) = token else { continue };
        let body = revocation_body(token, hint, &record.client_id);
        let confirmed = matches!(http::post_form(&endpoint, &body).await, Ok(r) if r.status == 200);
        if !confirmed {
            return Err(SigninError::new(
                ErrorCode::RevocationFailed,
                [
                    "You are signed out here, but ",
                    &endpoint,
                    " did not confirm revoking the ",
                    hint,
                    ": it stays valid until it expires.",
                ]
                .concat(),
            ));
        }
    }
    Ok(())
}

/// Restores the session of `client_id` kept by an earlier page of this tab: directly when
/// its access token is still fresh, else with a refresh. `None` when there is none.
pub async fn restore(
    client_id: &str,
    issuer: &str,
    mode: StorageMode,
) -> Option<Result<Rc<Session>, SigninError>> {
    let record = storage::load_session(client_id).filter(|r| r.issuer == issuer)?;
    if record.access_token.is_some() && is_fresh(record.expires_at_ms, now_ms()) {
        return Some(establish(record, mode, JsValue::NULL));
    }
    record.refresh_token.as_ref()?;
    let generation = record.generation.clone();
    let pending = match Session::from_record(record, mode) {
        Ok(pending) => pending,
        Err(e) => return Some(Err(e)),
    };
    session::set(Some(pending));
    // The page hears of a restored session through `anypoint-signin-success`, not as a renewal.
    Some(renew(&generation, false).await)
}

/// Adopts what other contexts of the origin did to a session this one shares, listening on
/// the channel of `record`'s issuer and client. A message counts only when it names this
/// very session (issuer, client, subject and generation), whoever posted it.
fn listen_to_other_contexts(record: &SessionRecord) {
    let channel = channel_name(&record.issuer, &record.client_id);
    let new = LISTENING.with(|l| {
        let mut l = l.borrow_mut();
        let new = !l.contains(&channel);
        if new {
            l.push(channel.clone());
        }
        new
    });
    if !new {
        return;
    }
    let listener = Closure::<dyn Fn(JsValue)>::new(|message: JsValue| {
        let field = |name: &str| {
            js_sys::Reflect::get(&message, &name.into())
                .ok()
                .and_then(|v| v.as_string())
        };
        let Some(current) = session::current() else {
            return;
        };
        let (Some(previous), Some(shared)) = (
            field("previous"),
            field("record").and_then(|r| SessionRecord::from_storage_string(&r).ok()),
        ) else {
            return;
        };
        match field("type").as_deref() {
            Some("refreshed") => {
                let adopted = current
                    .record
                    .adopt(&previous, &shared)
                    .and_then(|r| establish(r, current.mode, current.profile.clone()).ok());
                if let Some(adopted) = adopted {
                    element::session_changed();
                    element::on_primary(|host| events::token_refreshed(host, &adopted));
                }
            }
            Some("signout") if current.record.is_shared_with(&previous, &shared) => {
                forget(&current);
                element::session_changed();
                element::on_primary(events::signout);
            }
            _ => {}
        }
    });
    on_broadcast(&channel, listener.as_ref().unchecked_ref());
    listener.forget();
}
