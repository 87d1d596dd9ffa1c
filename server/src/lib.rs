//! Kefu's server as a library: the router is built by a function so tests can drive it
//! in-process or on a real port.

pub mod accounts;
pub mod admin_cli;
pub mod auth;
pub mod backup;
pub mod db;
pub mod demo;
pub mod error;
pub mod figures;
pub mod openapi;
pub mod photos;
pub mod policy;
pub mod rate;
pub mod request_log;
pub mod sync;
pub mod tls;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode, Uri, header};
use axum::middleware;
use axum::response::Response;
use axum::routing::{get, patch, post};
use db::{Database, DbError};
use error::{ApiError, errors_as_json};
use kefu_core::recovery::Epoch;
use photos::PhotoStore;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

#[derive(Clone)]
pub struct AppState {
    pub db: Arc<dyn Database>,
    pub policy: Arc<policy::PolicyCache>,
    pub photos: Arc<dyn PhotoStore>,
    /// Behind a reverse proxy, the client's address is the one the proxy forwards.
    pub behind_proxy: bool,
    /// The shop's certificate authority (PEM), offered at `/shop-ca.crt` for tablets to
    /// install, when the server runs on certificates `kefu-server tls init` made.
    pub shop_ca: Option<Arc<str>>,
    /// How fast each session may sync.
    pub sync_rate: Arc<rate::SyncRate>,
}

impl AppState {
    pub fn new(db: Arc<dyn Database>, photos: Arc<dyn PhotoStore>) -> Self {
        AppState {
            db,
            policy: Arc::default(),
            photos,
            behind_proxy: false,
            shop_ca: None,
            sync_rate: Arc::default(),
        }
    }

    /// The database's epoch, read at every request that needs it (one row by its key): an
    /// instance that was not restarted after a restore still answers with the new one.
    pub async fn epoch(&self) -> Result<Epoch, DbError> {
        self.db.epoch().await
    }
}

/// The whole HTTP surface: the JSON API under `/api`, and the built client (`dist`) for
/// everything else, with unknown paths answered by `index.html` so client routes reload (an
/// unknown `/api/…` path is a JSON 404, never the app). Every answer carries the safe headers,
/// and every request is logged (`request_log`).
pub fn router(state: AppState, dist: Option<&Path>) -> Router {
    let api = Router::new()
        .route("/health", get(openapi::health))
        .route("/openapi.json", get(openapi::openapi_json))
        .route("/login", post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/password", post(accounts::change_password))
        .route("/sessions", get(accounts::sessions))
        .route(
            "/sessions/{id}",
            axum::routing::delete(accounts::end_session),
        )
        .route("/accounts", get(accounts::list).post(accounts::create))
        .route("/accounts/{username}", patch(accounts::update))
        .route(
            "/accounts/{username}/password",
            post(accounts::reset_password),
        )
        .route("/teams", get(accounts::teams).post(accounts::create_team))
        .route("/teams/{id}", patch(accounts::rename_team))
        .route("/policy.toml", get(policy::export).put(policy::import))
        .route("/policy/versions", get(policy::versions))
        .route("/policy/versions/{id}", get(policy::version))
        .route("/policy/diff", get(policy::diff))
        .route("/figures/monthly", get(figures::monthly))
        .route("/figures/monthly.csv", get(figures::monthly_csv))
        .route("/figures/daily", get(figures::daily))
        .route("/figures/daily.csv", get(figures::daily_csv))
        .route("/figures/daily-status", get(figures::daily_states))
        .route("/sync/push", post(sync::push))
        .route("/sync/pull", get(sync::pull))
        .route("/sync/recover", post(sync::recover))
        .route("/photos/{hash}", get(photos::view))
        .route(
            "/photos/{hash}/upload",
            get(photos::upload_status).put(photos::upload_chunk),
        )
        .fallback(|| async { ApiError::Unreadable(StatusCode::NOT_FOUND) })
        .with_state(state.clone())
        .layer(middleware::map_response(errors_as_json))
        // A first sync pulls about 2 MB of JSON per page; over a shop's weak Wi-Fi it is worth
        // the server's CPU. gzip at its fastest level shrinks it about 8× for ~10 ms a page,
        // and every browser reads it; brotli would add a second encoder crate for a few
        // percent more.
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .quality(CompressionLevel::Fastest),
        );
    let app = Router::new()
        .route("/shop-ca.crt", get(shop_ca))
        .with_state(state)
        .nest("/api", api);
    let app = match dist {
        Some(dist) => app.fallback_service(static_files(dist.to_path_buf())),
        None => app,
    };
    request_log::with_request_log(with_safe_headers(app))
}

/// Over HTTPS, browsers are also told to come back only over HTTPS for a year
/// (`Strict-Transport-Security`; not for subdomains, which may be other machines of the shop).
/// A browser ignores it over plain HTTP, and for an address rather than a name; behind a
/// reverse proxy that terminates TLS, the proxy sends it.
pub fn with_hsts(app: Router) -> Router {
    app.layer(SetResponseHeaderLayer::if_not_present(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000"),
    ))
}

/// What a page of Kefu may load and run: its own files only (no inline script or style, no
/// other origin), its wasm compiled (`'wasm-unsafe-eval'`, which allows `WebAssembly`
/// compilation and no `eval`), photos from its own blobs and canvases, and no page may frame
/// it. A text a customer or colleague typed can so never run as a script, even if a view
/// somewhere put it into the page as markup.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// The headers every answer carries, the app's files and the API's alike: no page of another
/// site may frame Kefu (clickjacking a supervisor's approval), no browser guesses a type the
/// server did not send, no address leaks in a referrer, the camera is the app's own only, and
/// no window another site opened keeps a handle on Kefu's.
fn with_safe_headers(app: Router) -> Router {
    let headers = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    headers.into_iter().fold(app, |app, (name, value)| {
        app.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ))
    })
}

/// The shop's certificate authority, for a tablet to install (README, "HTTPS for the
/// tablets"); 404 when the server was not started on `tls init`'s certificates.
async fn shop_ca(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    use axum::response::IntoResponse;
    match state.shop_ca {
        Some(pem) => (
            [(header::CONTENT_TYPE, "application/x-x509-ca-cert")],
            pem.to_string(),
        )
            .into_response(),
        None => axum::http::StatusCode::NOT_FOUND.into_response(),
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
        .layer(middleware::map_response(
            |uri: Uri, mut response: Response| async move {
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, cache_control(uri.path()));
                response
            },
        ))
        // The body depends on Accept-Encoding: a shared cache must not give brotli to a
        // browser that asked for gzip.
        .layer(SetResponseHeaderLayer::overriding(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
}

/// A build's files live in a directory named by a hash of their content (`scripts/build-client`
/// names it so; the wasm, its chunks, its scripts and the stylesheet), so they never change:
/// browsers keep them for a year without asking. Everything else is revalidated every time: a
/// stale `index.html` or `sw.js` would pin a device to an old build (the service worker does
/// the offline caching).
fn cache_control(path: &str) -> HeaderValue {
    if is_in_a_build_directory(path) {
        HeaderValue::from_static("public, max-age=31536000, immutable")
    } else {
        HeaderValue::from_static("no-cache")
    }
}

/// `/app-67d7519099e27f1a/kefu_bg.wasm`, `/app-67d7519099e27f1a/styles.css.br`: a first segment
/// `app-` and at least 12 hex digits, and a file inside it.
fn is_in_a_build_directory(path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/');
    let (Some(directory), Some(file)) = (segments.next(), segments.next()) else {
        return false;
    };
    let hash = directory.strip_prefix("app-").unwrap_or_default();
    hash.len() >= 12 && hash.chars().all(|c| c.is_ascii_hexdigit()) && !file.is_empty()
}

#[cfg(test)]
mod tests {
    use super::is_in_a_build_directory;

    #[test]
    fn only_files_of_a_build_directory_are_cached_for_good() {
        let cases = [
            ("/app-67d7519099e27f1a/kefu.js", true),
            ("/app-67d7519099e27f1a/kefu_bg.wasm", true),
            ("/app-67d7519099e27f1a/kefu_bg.wasm.br", true),
            ("/app-67d7519099e27f1a/split_reports.wasm", true),
            ("/app-67d7519099e27f1a/styles.css.gz", true),
            ("/app-67d7519099e27f1a/snippets/x/inline0.js", true),
            ("/", false),
            ("/index.html", false),
            ("/sw.js", false),
            ("/register-sw.js", false),
            ("/manifest.webmanifest", false),
            ("/icons/icon-192.png", false),
            ("/app-67d7519099e27f1a", false),
            ("/app-67d7519099e27f1a/", false),
            ("/app-notahexhashatall/kefu.js", false),
            ("/app-67d75/kefu.js", false),
            ("/cases/67d7519099e27f1a", false),
            ("", false),
        ];
        for (path, hashed) in cases {
            assert_eq!(is_in_a_build_directory(path), hashed, "{path}");
        }
    }
}
