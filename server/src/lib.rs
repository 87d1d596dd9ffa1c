//! Kefu's server as a library: the router is built by a function so tests can drive it
//! in-process or on a real port.

pub mod auth;
pub mod db;
pub mod demo;
pub mod error;
pub mod policy;
pub mod sync;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use db::Database;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

#[derive(Clone)]
pub struct AppState {
    pub db: Arc<dyn Database>,
}

/// The whole HTTP surface: the JSON API under `/api`, and the built client (`dist`) for
/// everything else, with unknown paths answered by `index.html` so client routes reload.
pub fn router(state: AppState, dist: Option<&Path>) -> Router {
    let api = Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/login", post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/sync/push", post(sync::push))
        .route("/sync/pull", get(sync::pull))
        .with_state(state);
    let app = Router::new().nest("/api", api);
    match dist {
        Some(dist) => app.fallback_service(static_files(dist.to_path_buf())),
        None => app,
    }
}

fn static_files(dist: PathBuf) -> Router {
    let index = dist.join("index.html");
    Router::new()
        .fallback_service(ServeDir::new(dist).fallback(ServeFile::new(index)))
        // Always revalidate: the service worker does the offline caching, and a stale
        // index.html or sw.js would pin a device to an old build.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}
