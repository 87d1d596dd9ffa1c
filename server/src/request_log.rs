//! One log line per request: its id (also sent back in `x-request-id`, so a user's report can
//! name it), method, path, status and duration. Nothing else of a request is written, not its
//! query, headers or body, so no token, password, phone number or note reaches the log; a
//! handler's own lines (a failed query) carry the same id through the request's span.

use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use std::time::Instant;
use tracing::Instrument;
use uuid::Uuid;

/// The answer's header naming the request in the log.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// `app` with every request logged, as the outermost layer: the status is the one sent, the
/// duration all the server spent.
pub fn with_request_log(app: Router) -> Router {
    app.layer(middleware::from_fn(log_request))
}

async fn log_request(request: Request, next: Next) -> Response {
    // Made here, never taken from the request: a client cannot write into the log's ids.
    let id = Uuid::now_v7();
    let span = tracing::info_span!("request", %id);
    let method = request.method().clone();
    // The path names records and photos by id and accounts by username, never a secret; the
    // query (a pull's cursor) and the body stay out.
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let ms = (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0;
    span.in_scope(|| {
        tracing::info!(%method, %path, status = response.status().as_u16(), ms, "answered");
    });
    if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}
