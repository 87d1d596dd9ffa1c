//! The server's JSON API as seen from the device. The sync loop, the sign-in page, the photo
//! viewer (for a photo this device does not hold) and the account pages (online-only admin
//! work) call it.
//! Every request names the sync protocol this build speaks, so a server that no longer serves
//! it says "update the app" instead of misreading the changes.

use gloo_net::http::{Request, RequestBuilder, Response};
use kefu_core::account::manage::{
    AccountInfo, AccountUpdate, NewAccount, OneTimePassword, PasswordChange, SessionInfo, TeamInfo,
};
use kefu_core::account::{LoginRequest, Session};
use kefu_core::kinds::daily_report::ReportStates;
use kefu_core::lang::Bilingual;
use kefu_core::photo::UploadStatus;
use kefu_core::policy::diff::PolicyDifference;
use kefu_core::policy::history::PolicyVersionInfo;
use kefu_core::recovery::RecoverRequest;
use kefu_core::sync::{
    EPOCH_HEADER, NEXT_CURSOR_HEADER, PROTOCOL_HEADER, PROTOCOL_VERSION, PullResponse, PushRequest,
    PushResponse,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use thiserror::Error;
use uuid::Uuid;

#[derive(Debug, Clone, Error)]
pub enum ApiError {
    /// No answer at all: offline, server down, or the connection dropped. Retry later.
    #[error("network unreachable: {0}")]
    Unreachable(String),
    /// The session is missing or expired; the user must sign in again (nothing is lost).
    #[error("session expired")]
    Unauthorized(Bilingual),
    /// The server no longer speaks this build's protocol: the app must be updated (reloaded)
    /// before it syncs again. The outbox is kept.
    #[error("app update required")]
    UpdateRequired(Bilingual),
    /// The server answered with an error it explained.
    #[error("server error: {}", .0.en)]
    Refused(Bilingual),
    /// The server refused a form, naming the field to show its message beside.
    #[error("{field}: {}", .message.en)]
    Field { field: String, message: Bilingual },
    /// The server answered with something this build does not understand.
    #[error("unexpected response: {0}")]
    Unexpected(String),
    /// The server was restored from a backup since this device's records came from it: the
    /// device sends back what it holds before it pushes again (`kefu_core::recovery`).
    #[error("the server was restored from a backup")]
    Restored,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: String,
    message: Bilingual,
    #[serde(default)]
    field: Option<String>,
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    checked(response)
        .await?
        .json()
        .await
        .map_err(|error| ApiError::Unexpected(error.to_string()))
}

/// The response if the server said yes; otherwise the error it explained.
async fn checked(response: Response) -> Result<Response, ApiError> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let (code, message, field) = match response.json::<ErrorBody>().await {
        Ok(body) => (body.code, body.message, body.field),
        // A proxy or a half-started server may answer with no JSON body at all.
        Err(_) => (
            String::new(),
            Bilingual::new(
                format!("服务器暂时不可用（{status}）"),
                format!("The server is unavailable ({status})"),
            ),
            None,
        ),
    };
    if let Some(field) = field
        && status < 500
    {
        return Err(ApiError::Field { field, message });
    }
    match status {
        401 => Err(ApiError::Unauthorized(message)),
        409 if code == "restored" => Err(ApiError::Restored),
        426 => Err(ApiError::UpdateRequired(message)),
        // 5xx and gateway errors are passing trouble, and so is a server asking to slow down
        // (429): treat like no network and retry, with the loop's backoff.
        429 | 500..=599 => Err(ApiError::Unreachable(message.en)),
        _ => Err(ApiError::Refused(message)),
    }
}

fn unreachable(error: gloo_net::Error) -> ApiError {
    ApiError::Unreachable(error.to_string())
}

fn with_protocol(request: RequestBuilder) -> RequestBuilder {
    request.header(PROTOCOL_HEADER, &PROTOCOL_VERSION.to_string())
}

async fn send_json<B: Serialize, T: DeserializeOwned>(
    request: RequestBuilder,
    body: &B,
) -> Result<T, ApiError> {
    let response = with_protocol(request)
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

/// A request whose answer is only "done" (204, 201).
async fn send_for_status(
    request: RequestBuilder,
    body: Option<&impl Serialize>,
) -> Result<(), ApiError> {
    let request = with_protocol(request);
    let sent = match body {
        Some(body) => {
            request
                .json(body)
                .map_err(|error| ApiError::Unexpected(error.to_string()))?
                .send()
                .await
        }
        None => request.send().await,
    };
    checked(sent.map_err(unreachable)?).await.map(|_| ())
}

/// Ends this device's session on the server.
pub async fn logout(token: &str) -> Result<(), ApiError> {
    send_for_status(with_token(Request::post("/api/logout"), token), None::<&()>).await
}

pub async fn change_password(token: &str, change: &PasswordChange) -> Result<(), ApiError> {
    send_for_status(
        with_token(Request::post("/api/password"), token),
        Some(change),
    )
    .await
}

pub async fn sessions(token: &str) -> Result<Vec<SessionInfo>, ApiError> {
    let request = with_protocol(with_token(Request::get("/api/sessions"), token));
    read(request.send().await.map_err(unreachable)?).await
}

pub async fn end_session(token: &str, id: &str) -> Result<(), ApiError> {
    let request = with_token(Request::delete(&format!("/api/sessions/{id}")), token);
    send_for_status(request, None::<&()>).await
}

/// Every account (`team: None`, admins), or one team's members.
pub async fn accounts(token: &str, team: Option<&str>) -> Result<Vec<AccountInfo>, ApiError> {
    let request =
        with_token(Request::get("/api/accounts"), token).query(team.map(|team| ("team", team)));
    read(with_protocol(request).send().await.map_err(unreachable)?).await
}

pub async fn create_account(
    token: &str,
    account: &NewAccount,
) -> Result<OneTimePassword, ApiError> {
    send_json(with_token(Request::post("/api/accounts"), token), account).await
}

pub async fn update_account(
    token: &str,
    username: &str,
    update: &AccountUpdate,
) -> Result<AccountInfo, ApiError> {
    send_json(
        with_token(Request::patch(&format!("/api/accounts/{username}")), token),
        update,
    )
    .await
}

pub async fn reset_password(token: &str, username: &str) -> Result<OneTimePassword, ApiError> {
    let request = with_token(
        Request::post(&format!("/api/accounts/{username}/password")),
        token,
    );
    read(with_protocol(request).send().await.map_err(unreachable)?).await
}

pub async fn teams(token: &str) -> Result<Vec<TeamInfo>, ApiError> {
    let request = with_protocol(with_token(Request::get("/api/teams"), token));
    read(request.send().await.map_err(unreachable)?).await
}

pub async fn create_team(token: &str, team: &TeamInfo) -> Result<(), ApiError> {
    send_for_status(with_token(Request::post("/api/teams"), token), Some(team)).await
}

pub async fn rename_team(token: &str, id: &str, name: &str) -> Result<(), ApiError> {
    let request = with_token(Request::patch(&format!("/api/teams/{id}")), token);
    send_for_status(request, Some(&serde_json::json!({ "name": name }))).await
}

/// Imports a policy file (TOML) as a new version made by the caller (admins only); a file
/// that does not read or validate is refused naming the field.
pub async fn import_policy(token: &str, text: String) -> Result<(), ApiError> {
    let request = with_protocol(with_token(Request::put("/api/policy.toml"), token))
        .header("content-type", "application/toml; charset=utf-8")
        .body(text)
        .map_err(|error| ApiError::Unexpected(error.to_string()))?;
    checked(request.send().await.map_err(unreachable)?)
        .await
        .map(drop)
}

/// The policy's versions, newest first (admins only).
pub async fn policy_versions(token: &str) -> Result<Vec<PolicyVersionInfo>, ApiError> {
    let request = with_protocol(with_token(Request::get("/api/policy/versions"), token));
    read(request.send().await.map_err(unreachable)?).await
}

/// Which teams have sent the day's report (supervisors and admins; online only).
pub async fn report_states(token: &str) -> Result<ReportStates, ApiError> {
    let request = with_protocol(with_token(Request::get("/api/figures/daily-status"), token));
    read(request.send().await.map_err(unreachable)?).await
}

/// One version's policy, as the policy record holds it.
pub async fn policy_version(token: &str, version: Uuid) -> Result<serde_json::Value, ApiError> {
    let uri = format!("/api/policy/versions/{version}");
    let request = with_protocol(with_token(Request::get(&uri), token));
    read(request.send().await.map_err(unreachable)?).await
}

/// What changed from one policy version to another.
pub async fn policy_diff(
    token: &str,
    from: Uuid,
    to: Uuid,
) -> Result<Vec<PolicyDifference>, ApiError> {
    let uri = format!("/api/policy/diff?from={from}&to={to}");
    let request = with_protocol(with_token(Request::get(&uri), token));
    read(request.send().await.map_err(unreachable)?).await
}

/// Pushes changes made on records from the server's `epoch` (`None` before the first pull).
pub async fn push(
    token: &str,
    epoch: Option<&str>,
    request: &PushRequest,
) -> Result<PushResponse, ApiError> {
    let mut builder = with_token(Request::post("/api/sync/push"), token);
    if let Some(epoch) = epoch {
        builder = builder.header(EPOCH_HEADER, epoch);
    }
    send_json(builder, request).await
}

/// Sends back changes the device holds after the server was restored (`kefu_core::recovery`);
/// answered change by change, as a push is.
pub async fn recover(token: &str, request: &RecoverRequest) -> Result<PushResponse, ApiError> {
    send_json(
        with_token(Request::post("/api/sync/recover"), token),
        request,
    )
    .await
}

/// One pulled page, decoded for the sync loop, with each record's JSON text as the server sent
/// it: the device database keeps records as that text (see `store`), so the browser never
/// parses a page into objects nor clones them into IndexedDB (issue 15).
pub struct PulledPage {
    pub page: PullResponse,
    /// `page.records[i]` as the server wrote it.
    pub texts: Vec<Box<RawValue>>,
}

/// A page as sent: records stay text until each is decoded.
#[derive(Deserialize)]
struct RawPage {
    records: Vec<Box<RawValue>>,
    cursor: String,
    more: bool,
    #[serde(default)]
    epoch: String,
}

/// Asks for the page of records changed after `cursor` (`None`: from the start); returns once
/// the server's answer has begun.
pub async fn start_pull(token: &str, cursor: Option<&str>) -> Result<PullStarted, ApiError> {
    let request =
        with_token(Request::get("/api/sync/pull"), token).query(cursor.map(|c| ("cursor", c)));
    let response = with_protocol(request).send().await.map_err(unreachable)?;
    Ok(PullStarted {
        response: checked(response).await?,
    })
}

/// A pull the server has begun to answer: its headers are in, its page is still coming.
pub struct PullStarted {
    response: Response,
}

impl PullStarted {
    /// Where the next page starts, if the server announced it ahead of this page
    /// ([`NEXT_CURSOR_HEADER`]): the next pull can be asked for before this page is read.
    pub fn next_cursor(&self) -> Option<String> {
        self.response.headers().get(NEXT_CURSOR_HEADER)
    }

    /// The page, read whole and decoded.
    pub async fn page(self) -> Result<PulledPage, ApiError> {
        let bytes = self
            .response
            .binary()
            .await
            .map_err(|error| ApiError::Unreachable(error.to_string()))?;
        let unexpected = |error: serde_json::Error| ApiError::Unexpected(error.to_string());
        // Parsed as text, as everything else the device decodes (see `store::from_json_bytes`).
        let text =
            String::from_utf8(bytes).map_err(|error| ApiError::Unexpected(error.to_string()))?;
        let raw: RawPage = serde_json::from_str(&text).map_err(unexpected)?;
        let records = raw
            .records
            .iter()
            .map(|text| serde_json::from_str(text.get()))
            .collect::<Result<_, _>>()
            .map_err(unexpected)?;
        Ok(PulledPage {
            page: PullResponse {
                records,
                cursor: raw.cursor,
                more: raw.more,
                epoch: raw.epoch,
            },
            texts: raw.records,
        })
    }
}

/// How much of a photo the server holds.
pub async fn photo_status(token: &str, hash: &str) -> Result<UploadStatus, ApiError> {
    let request = with_token(Request::get(&format!("/api/photos/{hash}/upload")), token);
    read(request.send().await.map_err(unreachable)?).await
}

/// A chunk the server did not expect: its answer says where to resume.
#[derive(Deserialize)]
struct OutOfStep {
    received: u64,
}

/// Sends one chunk of a photo; what the server holds after it. A chunk the server did not
/// expect (a retried request whose answer was lost) is answered with where to resume, not as
/// an error.
pub async fn put_photo_chunk(
    token: &str,
    hash: &str,
    size: u64,
    offset: u64,
    chunk: &[u8],
) -> Result<UploadStatus, ApiError> {
    let (offset, size) = (offset.to_string(), size.to_string());
    let request = with_token(Request::put(&format!("/api/photos/{hash}/upload")), token)
        .query([("offset", offset.as_str()), ("size", size.as_str())])
        .body(js_sys::Uint8Array::from(chunk))
        .map_err(|error| ApiError::Unexpected(error.to_string()))?;
    let response = request.send().await.map_err(unreachable)?;
    if response.status() == 409
        && let Ok(step) = response.json::<OutOfStep>().await
    {
        return Ok(UploadStatus {
            received: step.received,
            complete: false,
        });
    }
    read(response).await
}

/// A photo's bytes, as the server serves them through `record` (only to users who may see it).
pub async fn photo(token: &str, hash: &str, record: Uuid) -> Result<Vec<u8>, ApiError> {
    let record = record.to_string();
    let request = with_token(Request::get(&format!("/api/photos/{hash}")), token)
        .query([("record", record.as_str())]);
    checked(request.send().await.map_err(unreachable)?)
        .await?
        .binary()
        .await
        .map_err(|error| ApiError::Unreachable(error.to_string()))
}
