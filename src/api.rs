//! The server's JSON API as seen from the device. Only the sync loop and the sign-in page call it.

use gloo_net::http::{Request, RequestBuilder, Response};
use kefu_core::account::{LoginRequest, Session};
use kefu_core::lang::Bilingual;
use kefu_core::sync::{PullResponse, PushRequest, PushResponse};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, Error)]
pub enum ApiError {
    /// No answer at all: offline, server down, or the connection dropped. Retry later.
    #[error("network unreachable: {0}")]
    Unreachable(String),
    /// The session is missing or expired; the user must sign in again (nothing is lost).
    #[error("session expired")]
    Unauthorized(Bilingual),
    /// The server answered with an error it explained.
    #[error("server error: {}", .0.en)]
    Refused(Bilingual),
    /// The server answered with something this build does not understand.
    #[error("unexpected response: {0}")]
    Unexpected(String),
}

#[derive(Deserialize)]
struct ErrorBody {
    message: Bilingual,
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response
            .json()
            .await
            .map_err(|error| ApiError::Unexpected(error.to_string()));
    }
    let status = response.status();
    let message = match response.json::<ErrorBody>().await {
        Ok(body) => body.message,
        // A proxy or a half-started server may answer with no JSON body at all.
        Err(_) => Bilingual::new(
            format!("服务器暂时不可用（{status}）"),
            format!("The server is unavailable ({status})"),
        ),
    };
    match status {
        401 => Err(ApiError::Unauthorized(message)),
        // 5xx and gateway errors are passing trouble: treat like no network and retry.
        500..=599 => Err(ApiError::Unreachable(message.en)),
        _ => Err(ApiError::Refused(message)),
    }
}

fn unreachable(error: gloo_net::Error) -> ApiError {
    ApiError::Unreachable(error.to_string())
}

async fn send_json<B: Serialize, T: DeserializeOwned>(
    request: RequestBuilder,
    body: &B,
) -> Result<T, ApiError> {
    let response = request
        .json(body)
        .map_err(|error| ApiError::Unexpected(error.to_string()))?
        .send()
        .await
        .map_err(unreachable)?;
    read(response).await
}

pub async fn login(request: &LoginRequest) -> Result<Session, ApiError> {
    send_json(Request::post("/api/login"), request).await
}

fn with_token(request: RequestBuilder, token: &str) -> RequestBuilder {
    request.header("Authorization", &format!("Bearer {token}"))
}

pub async fn push(token: &str, request: &PushRequest) -> Result<PushResponse, ApiError> {
    send_json(with_token(Request::post("/api/sync/push"), token), request).await
}

pub async fn pull(token: &str, since: i64) -> Result<PullResponse, ApiError> {
    let response = with_token(
        Request::get(&format!("/api/sync/pull?since={since}")),
        token,
    )
    .send()
    .await
    .map_err(unreachable)?;
    read(response).await
}
