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

/// The built client. Each file goes out compressed when the browser accepts it, from the
/// brotli (quality 11) and gzip copies `scripts/precache.sh` writes beside it at build time:
/// the shell is 1.2 MB of wasm, about a quarter of that in brotli. Compressed once per build
/// rather than per request (a `CompressionLayer`), it costs the server no CPU, gets brotli's
/// best ratio (too slow to run per request) and needs no compression crate. A file without
/// copies (a build made without the hook) is sent as it is.
fn static_files(dist: PathBuf) -> Router {
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    Router::new()
        .fallback_service(files)
        // Always revalidate: the service worker does the offline caching, and a stale
        // index.html or sw.js would pin a device to an old build.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        // The body depends on Accept-Encoding: a shared cache must not give brotli to a
        // browser that asked for gzip.
        .layer(SetResponseHeaderLayer::overriding(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
}
