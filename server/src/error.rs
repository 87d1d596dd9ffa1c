//! API errors: a stable code and a bilingual message for the client; internals only in the log.

use crate::db::DbError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kefu_core::lang::Bilingual;
use kefu_core::photo::PhotoProblem;
use serde::Serialize;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ApiError {
    #[error("not signed in or session expired")]
    Unauthorized,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("the app speaks a sync protocol this server does not serve")]
    UpdateApp,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("password hashing failed: {0}")]
    Hashing(String),
    /// A photo upload step the photo rules refused; `received` is what the server holds.
    #[error("photo refused: {problem:?}")]
    Photo {
        problem: PhotoProblem,
        received: u64,
    },
    #[error("photo storage: {0}")]
    Storage(#[from] std::io::Error),
}

#[derive(Serialize)]
struct ErrorBody {
    code: &'static str,
    message: Bilingual,
    /// For a refused photo chunk: the bytes the server holds, to resume from.
    #[serde(skip_serializing_if = "Option::is_none")]
    received: Option<u64>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match &self {
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                Bilingual::new(
                    "登录已失效，请重新登录",
                    "Your session has expired, please sign in again",
                ),
            ),
            ApiError::BadCredentials => (
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                Bilingual::new("用户名或密码错误", "Wrong username or password"),
            ),
            ApiError::UpdateApp => (
                StatusCode::UPGRADE_REQUIRED,
                "update_app",
                Bilingual::new(
                    "应用版本与服务器不一致，请更新应用（重新加载页面）。未同步的更改会保留在本机。",
                    "This app version does not match the server: please update the app (reload the page). Unsynced changes stay on this device.",
                ),
            ),
            ApiError::BadRequest(detail) => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                Bilingual::new(
                    format!("请求格式不对：{detail}"),
                    format!("Malformed request: {detail}"),
                ),
            ),
            ApiError::Photo { problem, .. } => (
                match problem {
                    PhotoProblem::OutOfOrder => StatusCode::CONFLICT,
                    PhotoProblem::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                    PhotoProblem::HashMismatch => StatusCode::UNPROCESSABLE_ENTITY,
                    PhotoProblem::Invalid | PhotoProblem::TooMany => StatusCode::BAD_REQUEST,
                },
                "photo",
                problem.message(),
            ),
            ApiError::Database(_) | ApiError::Hashing(_) | ApiError::Storage(_) => {
                // The cause may name tables or paths: log it, tell the client only that it failed.
                tracing::error!(error = %self, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    Bilingual::new(
                        "服务器出错，稍后会自动重试",
                        "Server error; Kefu will retry automatically",
                    ),
                )
            }
        };
        let received = match self {
            ApiError::Photo { received, .. } => Some(received),
            _ => None,
        };
        (
            status,
            Json(ErrorBody {
                code,
                message,
                received,
            }),
        )
            .into_response()
    }
}
