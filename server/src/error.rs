//! API errors: a stable code and a bilingual message for the client; internals only in the log.

use crate::db::DbError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kefu_core::account::Denied;
use kefu_core::account::manage::{FieldProblem, SessionEnd};
use kefu_core::account::password::PasswordProblem;
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
    /// Sign-in waits after repeated wrong passwords; the message says how long.
    #[error("too many failed sign-ins")]
    TooManyTries(Bilingual),
    /// The session ended before it expired, and why.
    #[error("session ended: {0:?}")]
    SessionEnded(SessionEnd),
    #[error("the one-time password must be changed first")]
    MustChangePassword,
    #[error("the current password is wrong")]
    WrongCurrentPassword,
    #[error("refused: {0}")]
    Denied(#[from] Denied),
    #[error("invalid {}", .0.field)]
    Invalid(FieldProblem),
    #[error("password refused: {problem:?}")]
    Password {
        field: &'static str,
        problem: PasswordProblem,
    },
    #[error("not found")]
    NotFound,
    /// A policy file that does not read or validate: the message names the field.
    #[error("policy refused: {0}")]
    Policy(kefu_core::policy::PolicyError),
    /// Refused by the kinds' rules (`accept`), with their reason.
    #[error("refused: {}", .0.en)]
    Refused(Bilingual),
    /// A name (user, team) that is taken.
    #[error("already exists")]
    Exists(FieldProblem),
    #[error("the app speaks a sync protocol this server does not serve")]
    UpdateApp,
    /// A push from a device whose records came from before a restore: it must send back
    /// what it holds first (`kefu_core::recovery`), or its changes would meet records the
    /// restore lost.
    #[error("the server was restored from a backup")]
    Restored,
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
    /// A session syncing faster than any device does (`rate`): told when to try again.
    #[error("too many sync requests")]
    TooFast { retry_after: std::time::Duration },
    /// Refused before any handler read it, with the status axum gave: a body that is not JSON
    /// or not of the expected shape, a wrong content type, a body over the limit, an unknown
    /// path or method (see [`errors_as_json`]).
    #[error("unreadable request ({0})")]
    Unreadable(StatusCode),
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    code: &'static str,
    message: Bilingual,
    /// For a refused photo chunk: the bytes the server holds, to resume from.
    #[serde(skip_serializing_if = "Option::is_none")]
    received: Option<u64>,
    /// For a refused form: the field to show the message beside.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
    /// For an ended session: why, so the device can say so and keep the outbox.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<SessionEnd>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            // Whole seconds, rounded up: a device that waits as told is let through.
            ApiError::TooFast { retry_after } => Some(retry_after.as_millis().div_ceil(1000)),
            _ => None,
        };
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
            ApiError::TooManyTries(message) => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_tries",
                message.clone(),
            ),
            ApiError::SessionEnded(end) => {
                (StatusCode::UNAUTHORIZED, "session_ended", end.message())
            }
            ApiError::TooFast { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                Bilingual::new(
                    "同步请求过于频繁，稍后会自动重试",
                    "Too many sync requests; Kefu will retry shortly",
                ),
            ),
            ApiError::MustChangePassword => (
                StatusCode::FORBIDDEN,
                "must_change_password",
                Bilingual::new(
                    "请先设置自己的新密码",
                    "Please choose your own new password first",
                ),
            ),
            ApiError::WrongCurrentPassword => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "wrong_password",
                Bilingual::new("当前密码不对", "The current password is wrong"),
            ),
            ApiError::Denied(denied) => (StatusCode::FORBIDDEN, "denied", denied.message()),
            ApiError::Invalid(problem) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                problem.message.clone(),
            ),
            ApiError::Password { problem, .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "password",
                problem.message(),
            ),
            ApiError::Policy(error) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_policy",
                error.message(),
            ),
            ApiError::Refused(reason) => (StatusCode::FORBIDDEN, "refused", reason.clone()),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                Bilingual::new("没有找到", "Not found"),
            ),
            ApiError::Exists(problem) => (StatusCode::CONFLICT, "exists", problem.message.clone()),
            ApiError::Restored => (
                StatusCode::CONFLICT,
                "restored",
                Bilingual::new(
                    "服务器已从备份恢复，正在补传本机保存的记录",
                    "The server was restored from a backup; sending back what this device holds",
                ),
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
                    PhotoProblem::NotAJpeg => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    PhotoProblem::Invalid | PhotoProblem::TooMany => StatusCode::BAD_REQUEST,
                },
                "photo",
                problem.message(),
            ),
            ApiError::Unreadable(status) => {
                let (code, message) = unreadable(*status);
                (*status, code, message)
            }
            ApiError::Database(_) | ApiError::Hashing(_) | ApiError::Storage(_) => {
                // The cause may name tables or paths: log it, tell the client only that it failed.
                tracing::error!(error = %self, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    server_failed(),
                )
            }
        };
        let received = match self {
            ApiError::Photo { received, .. } => Some(received),
            _ => None,
        };
        let field = match &self {
            ApiError::Invalid(problem) | ApiError::Exists(problem) => Some(problem.field),
            ApiError::Password { field, .. } => Some(*field),
            ApiError::WrongCurrentPassword => Some("current"),
            _ => None,
        };
        let reason = match self {
            ApiError::SessionEnded(end) => Some(end),
            _ => None,
        };
        let mut response = (
            status,
            Json(ErrorBody {
                code,
                message,
                received,
                field,
                reason,
            }),
        )
            .into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds as u64));
        }
        response
    }
}

/// What a device is told when the server failed, whatever the cause.
fn server_failed() -> Bilingual {
    Bilingual::new(
        "服务器出错，稍后会自动重试",
        "Server error; Kefu will retry automatically",
    )
}

/// The code and message of a request refused before its handler, by the status it was given.
fn unreadable(status: StatusCode) -> (&'static str, Bilingual) {
    match status {
        StatusCode::BAD_REQUEST => (
            "malformed_request",
            Bilingual::new(
                "请求无法读取：内容不是有效的 JSON，或参数有误",
                "The request cannot be read: its body is not valid JSON, or a parameter is wrong",
            ),
        ),
        StatusCode::UNPROCESSABLE_ENTITY => (
            "invalid_body",
            Bilingual::new(
                "请求内容缺少字段，或字段类型不对",
                "The request body lacks a field, or a field has the wrong type",
            ),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            Bilingual::new(
                "请以 JSON 发送（Content-Type: application/json）",
                "Send the body as JSON (Content-Type: application/json)",
            ),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "too_large",
            Bilingual::new("请求内容过大", "The request body is too large"),
        ),
        StatusCode::NOT_FOUND => (
            "unknown_path",
            Bilingual::new("没有这个接口", "There is no such API path"),
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            Bilingual::new(
                "这个接口不接受这种请求方法",
                "This API path does not take that method",
            ),
        ),
        status if status.is_server_error() => ("internal", server_failed()),
        _ => (
            "bad_request",
            Bilingual::new("请求被拒绝", "The request was refused"),
        ),
    }
}

/// Every error answer of the API is JSON with a code and a bilingual message: one that no
/// handler wrote (an extractor's plain-text rejection, axum's empty 405) is answered as
/// [`ApiError::Unreadable`]. What the rejection said is dropped, not logged: serde's messages
/// can quote the body, and a body can hold a phone number.
pub async fn errors_as_json(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    tracing::info!(%status, "request refused before its handler");
    // A wrong method's answer says which methods the path takes (RFC 9110).
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut answer = ApiError::Unreadable(status).into_response();
    if let Some(allow) = allow {
        answer.headers_mut().insert(header::ALLOW, allow);
    }
    answer
}
