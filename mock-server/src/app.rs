//! The route table.

use axum::Router;
use axum::extract::Request;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post, put};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::accounts::{self, logout, me};
use crate::admin::{apps, users};
use crate::cors;
use crate::edges;
use crate::example_backend;
use crate::faults::Endpoint;
use crate::mock::{clock, faults, keys as key_rotation, stats};
use crate::oauth::{
    self, authorize, discovery, interaction, introspect, jwks, revoke, token, userinfo,
};
use crate::state::AppState;

const APPS: &str = "/accounts/api/connectedApplications";

/// The whole server as an axum router.
pub(crate) fn app(state: AppState) -> Router {
    let fault = |endpoint: Endpoint| from_fn_with_state((state.clone(), endpoint), faults::inject);

    let public_metadata = Router::new()
        .route(
            oauth::DISCOVERY,
            get(discovery::configuration).layer(fault(Endpoint::Discovery)),
        )
        .route(oauth::JWKS, get(jwks::jwks).layer(fault(Endpoint::Jwks)))
        .layer(cors::public());

    let browser_callable = Router::new()
        .route(
            oauth::TOKEN,
            post(token::token).layer(fault(Endpoint::Token)),
        )
        .route(
            oauth::USERINFO,
            get(userinfo::userinfo)
                .post(userinfo::userinfo)
                .layer(fault(Endpoint::Userinfo)),
        )
        .route(
            oauth::REVOKE,
            post(revoke::revoke).layer(fault(Endpoint::Revoke)),
        )
        .route(accounts::ME, get(me::me).layer(fault(Endpoint::Me)))
        .route(
            example_backend::EXCHANGE,
            post(example_backend::exchange).layer(fault(Endpoint::Backend)),
        )
        .layer(cors::redirect_origins(state.clone()));

    // Sign-out from a page: the mock's session cookie must travel, so credentials are allowed.
    let sign_out = Router::new()
        .route(accounts::LOGOUT, get(logout::logout))
        .route(accounts::LOGOUT_NO_SLASH, get(logout::logout))
        .layer(cors::sign_out(state.clone()));

    let server_side = Router::new()
        .route(
            oauth::INTROSPECT,
            post(introspect::introspect).layer(fault(Endpoint::Introspect)),
        )
        .route(
            oauth::AUTHORIZE,
            get(authorize::authorize).layer(fault(Endpoint::Authorize)),
        )
        .route(oauth::LOGIN, post(interaction::login))
        .route(oauth::CONSENT, post(interaction::consent));

    let admin = Router::new()
        .route(APPS, get(apps::list).post(apps::create))
        .route(
            &format!("{APPS}/{{client_id}}"),
            get(apps::read)
                .patch(apps::update)
                .put(apps::update)
                .delete(apps::delete),
        )
        .route(
            &format!("{APPS}/{{client_id}}/scopes"),
            get(apps::scopes).put(apps::set_scopes),
        )
        .route(
            &format!("{APPS}/{{client_id}}/client_secret"),
            post(apps::rotate_secret),
        )
        .route(
            &format!("{APPS}/{{client_id}}/allowlist"),
            put(apps::allowlist).delete(apps::remove_from_allowlist),
        )
        .route(&format!("{APPS}/{{client_id}}/usage"), get(apps::usage))
        .route("/accounts/api/users", get(users::list).post(users::create))
        .route(
            "/accounts/api/users/{user_id}",
            get(users::read).patch(users::update).delete(users::delete),
        )
        .route(
            "/accounts/api/organizations/{org_id}/users/{user_id}",
            axum::routing::delete(users::remove_member),
        )
        .route(
            "/__mock/faults",
            get(faults::list).post(faults::create).delete(faults::clear),
        )
        .route("/__mock/stats", get(stats::stats))
        .route("/__mock/clock", post(clock::advance))
        .route("/__mock/keys/rotate", post(key_rotation::rotate))
        .layer(cors::admin(state.clone()));

    Router::new()
        .merge(public_metadata)
        .merge(browser_callable)
        .merge(sign_out)
        .merge(server_side)
        .merge(admin)
        .layer(edges::body_limit())
        .layer(edges::timeout(state.settings.request_timeout))
        .layer(from_fn(edges::guard))
        .layer(CatchPanicLayer::custom(edges::panic_response))
        .layer(
            // The span names the path only: query strings can carry codes and state.
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}
