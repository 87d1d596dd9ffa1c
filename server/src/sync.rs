//! The sync endpoints: push a batch of changes, pull what changed after an opaque cursor.
//!
//! Each pushed change is decoded on its own, so one the server cannot read (a newer app's) is
//! rejected alone while the rest apply. Every change goes through `kefu_core::accept` (who
//! may, is it valid, server stamps, merge); every pull is filtered by the caller's visibility
//! inside the query.

use crate::AppState;
use crate::db::{Caller, Database};
use crate::error::ApiError;
use crate::photos::all_held;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue};
use chrono::{DateTime, Utc};
use kefu_core::accept::accept;
use kefu_core::access::{as_read_by, reading_scope, visibility};
use kefu_core::account::UserInfo;
use kefu_core::lang::Bilingual;
use kefu_core::limits::{entries_over_limit, entries_wait};
use kefu_core::policy::Policy;
use kefu_core::record::{Receipt, Record, RecordType};
use kefu_core::recovery::{RecoverRequest, accept_recovered};
use kefu_core::sync::{
    Change, ChangeOutcome, EPOCH_HEADER, MAX_PUSH_CHANGES, MIN_PROTOCOL_VERSION,
    NEXT_CURSOR_HEADER, Outcome, PROTOCOL_HEADER, PROTOCOL_VERSION, PULL_PAGE_SIZE, PullResponse,
    PushResponse,
};
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The device must speak a protocol this server serves; otherwise it is told to update.
/// Returns the version it speaks.
fn check_protocol(headers: &HeaderMap) -> Result<u32, ApiError> {
    let version = headers
        .get(PROTOCOL_HEADER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u32>().ok());
    match version {
        Some(version) if (MIN_PROTOCOL_VERSION..=PROTOCOL_VERSION).contains(&version) => {
            Ok(version)
        }
        _ => Err(ApiError::UpdateApp),
    }
}

/// Applies changes made by `user` in one transaction, each through `kefu_core::accept` under
/// `policy`: the one write path for devices' pushes and for what the server seeds itself.
pub async fn apply_changes(
    db: &dyn Database,
    user: &UserInfo,
    changes: &[Change],
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<Vec<ChangeOutcome>, ApiError> {
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    let decide = |existing: Option<&Record>, change: &Change| {
        accept(user, existing, change.clone(), now, policy)
    };
    Ok(db
        .apply_batch(&user.username, changes, &decide, now)
        .await?)
}

/// A push as received: changes stay raw JSON until each is decoded on its own.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct RawPush {
    #[schema(value_type = Vec<Object>)]
    changes: Vec<Value>,
}

fn unreadable(error: &serde_json::Error) -> Bilingual {
    Bilingual::new(
        format!("服务器无法读取这条更改（{error}），请更新应用后重试"),
        format!("The server cannot read this change ({error}); update the app and try again"),
    )
}

fn photo_missing() -> Bilingual {
    Bilingual::new(
        "照片还没有上传完，传完后自动同步",
        "A photo is still uploading; this change syncs once it is up",
    )
}

/// A push's changes decoded each alone: the readable ones, in order, and for each change sent
/// its answer if it has one already (`None` for a readable one, to be decided). An unreadable
/// change is rejected with why, or, without a change id the device could match, not answered.
pub fn decode_changes(raw: Vec<Value>) -> (Vec<Change>, Vec<Option<ChangeOutcome>>) {
    let mut readable = Vec::with_capacity(raw.len());
    let mut answers: Vec<Option<ChangeOutcome>> = Vec::with_capacity(raw.len());
    for raw in raw {
        match Change::deserialize(&raw) {
            Ok(change) => {
                readable.push(change);
                answers.push(None);
            }
            Err(error) => {
                let change_id = raw["change_id"]
                    .as_str()
                    .and_then(|id| Uuid::parse_str(id).ok());
                answers.push(change_id.map(|change_id| ChangeOutcome {
                    change_id,
                    outcome: Outcome::Rejected {
                        reason: unreadable(&error),
                    },
                }));
            }
        }
    }
    (readable, answers)
}

/// Whether the server holds every photo `change` names: one that names a photo still to come
/// waits for it, never applied pointing at nothing.
async fn photos_held(state: &AppState, change: &Change) -> Result<bool, ApiError> {
    let hashes: Vec<String> = change
        .op
        .photos()
        .unwrap_or_default()
        .into_iter()
        .map(|photo| photo.hash)
        .collect();
    Ok(all_held(state.photos.as_ref(), &hashes).await?)
}

fn waiting_for_photo(change: &Change) -> ChangeOutcome {
    ChangeOutcome {
        change_id: change.change_id,
        outcome: Outcome::Waiting {
            reason: photo_missing(),
        },
    }
}

#[utoipa::path(post, path = "/api/sync/push", tag = "sync", request_body = RawPush, responses((status = 200, description = "An answer per change", body = PushResponse)))]
pub async fn push(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Json(request): Json<RawPush>,
) -> Result<Json<PushResponse>, ApiError> {
    state.sync_rate.check(&caller.session)?;
    check_protocol(&headers)?;
    // Read only when the device says which epoch it holds (a build before the epoch does not).
    if let Some(held) = headers.get(EPOCH_HEADER)
        && held.as_bytes() != state.epoch().await?.id.as_bytes()
    {
        return Err(ApiError::Restored);
    }
    if request.changes.len() > MAX_PUSH_CHANGES {
        return Err(ApiError::BadRequest(format!(
            "at most {MAX_PUSH_CHANGES} changes per push"
        )));
    }
    let (readable, mut answers) = decode_changes(request.changes);
    // A change naming a photo the server does not hold yet waits for it (the device sends the
    // photo, then the change again): it is never applied pointing at nothing. So do entries
    // beyond the limit one push may add to a record.
    let over_limit = entries_over_limit(&readable);
    let mut ready = Vec::with_capacity(readable.len());
    let mut readable = readable.into_iter().zip(over_limit);
    for answer in answers.iter_mut().filter(|answer| answer.is_none()) {
        let Some((change, over_limit)) = readable.next() else {
            break;
        };
        if over_limit {
            *answer = Some(ChangeOutcome {
                change_id: change.change_id,
                outcome: Outcome::Waiting {
                    reason: entries_wait(),
                },
            });
            continue;
        }
        if photos_held(&state, &change).await? {
            ready.push(change);
        } else {
            *answer = Some(waiting_for_photo(&change));
        }
    }
    let readable = ready;
    let db = state.db.as_ref();
    let policy = state.policy.current(db).await?;
    let applied = apply_changes(db, &caller.info, &readable, Utc::now(), &policy).await?;
    if readable
        .iter()
        .any(|change| change.record_type == RecordType::Policy)
    {
        state.policy.forget();
    }
    let mut applied = applied.into_iter();
    let outcomes = answers
        .into_iter()
        .filter_map(|answer| match answer {
            Some(rejected) => Some(rejected),
            None => applied.next(),
        })
        .collect();
    Ok(Json(PushResponse { outcomes }))
}

/// Takes back what a device held that a restore from backup lost (`kefu_core::recovery`):
/// each receipt as it was once stored, by its author, if `accept_recovered` allows it. In one
/// transaction per request, through the same batch as a push, so a change id stored already
/// answers `duplicate` and nothing is stored twice.
#[utoipa::path(post, path = "/api/sync/recover", tag = "sync", request_body = RecoverRequest, responses((status = 200, description = "An answer per change sent back", body = PushResponse)))]
pub async fn recover(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Json(request): Json<RecoverRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    state.sync_rate.check(&caller.session)?;
    check_protocol(&headers)?;
    if request.receipts.len() > MAX_PUSH_CHANGES {
        return Err(ApiError::BadRequest(format!(
            "at most {MAX_PUSH_CHANGES} changes per request"
        )));
    }
    let epoch = state.epoch().await?;
    let mut ids = HashSet::with_capacity(request.receipts.len());
    if !request
        .receipts
        .iter()
        .all(|receipt| ids.insert(receipt.change.change_id))
    {
        return Err(ApiError::BadRequest(
            "a change id is sent back twice in one request".into(),
        ));
    }
    let authors: HashMap<String, UserInfo> = state
        .db
        .users(None)
        .await?
        .into_iter()
        .map(|account| (account.user.username.clone(), account.user))
        .collect();
    let mut outcomes = Vec::with_capacity(request.receipts.len());
    let mut ready: Vec<Change> = Vec::with_capacity(request.receipts.len());
    let mut receipts: HashMap<Uuid, Receipt> = HashMap::new();
    for receipt in request.receipts {
        if photos_held(&state, &receipt.change).await? {
            ready.push(receipt.change.clone());
            receipts.insert(receipt.change.change_id, receipt);
        } else {
            outcomes.push(waiting_for_photo(&receipt.change));
        }
    }
    let now = Utc::now();
    let decide = |existing: Option<&Record>, change: &Change| {
        let receipt = &receipts[&change.change_id];
        let author = authors.get(&receipt.by);
        accept_recovered(&caller.info, author, existing, receipt, &epoch, now)
            .map_err(|refused| refused.message())
    };
    outcomes.extend(
        state
            .db
            .apply_batch(&caller.info.username, &ready, &decide, now)
            .await?,
    );
    if ready
        .iter()
        .any(|change| change.record_type == RecordType::Policy)
    {
        state.policy.forget();
    }
    Ok(Json(PushResponse { outcomes }))
}

/// The cursor a device holds: the last commit it has, and the scope it read under then
/// (`access::reading_scope` and its protocol). A cursor of another scope (the user moved team,
/// became a lead, the app updated) starts the feed over, so records reach the device as the
/// user may now read them. Opaque to the device.
fn encode_cursor(seq: i64, scope: &str) -> String {
    format!("{seq}-{}", scope_hash(scope))
}

fn decode_cursor(cursor: Option<&str>, scope: &str) -> i64 {
    cursor
        .and_then(|cursor| cursor.split_once('-'))
        .filter(|(_, hash)| *hash == scope_hash(scope))
        .and_then(|(seq, _)| seq.parse().ok())
        .unwrap_or(0)
}

fn scope_hash(scope: &str) -> String {
    hex::encode(&Sha256::digest(scope.as_bytes())[..6])
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    cursor: Option<String>,
    limit: Option<usize>,
}

#[utoipa::path(get, path = "/api/sync/pull", tag = "sync", params(PullQuery), responses((status = 200, description = "Records changed after the cursor", body = PullResponse)))]
pub async fn pull(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(query): Query<PullQuery>,
) -> Result<(HeaderMap, Json<PullResponse>), ApiError> {
    state.sync_rate.check(&caller.session)?;
    let protocol = check_protocol(&headers)?;
    let limit = query
        .limit
        .unwrap_or(PULL_PAGE_SIZE)
        .clamp(1, PULL_PAGE_SIZE);
    // A device that updates to a newer protocol starts its feed over, so the record types it
    // was not sent before reach it.
    // A restore gives the database a new epoch, and so every cursor of the old one starts the
    // feed over: its sequence numbers name commits the restored copy may not hold.
    let epoch = state.epoch().await?;
    let scope = format!("{}|p{protocol}|{}", reading_scope(&caller.info), epoch.id);
    let since = decode_cursor(query.cursor.as_deref(), &scope);
    let page = state
        .db
        .pull(&visibility(&caller.info), since, limit)
        .await?;
    let records = page
        .records
        .into_iter()
        .filter(|record| record.record_type.since_protocol() <= protocol)
        .map(|record| as_read_by(&caller.info, record))
        .collect();
    let cursor = encode_cursor(page.last_seq, &scope);
    let mut announced = HeaderMap::new();
    // A cursor is digits, a dash and hex, always a valid header; were it not, the device
    // would take it from the page.
    if page.more
        && let Ok(value) = HeaderValue::from_str(&cursor)
    {
        announced.insert(NEXT_CURSOR_HEADER, value);
    }
    Ok((
        announced,
        Json(PullResponse {
            records,
            cursor,
            more: page.more,
            epoch: epoch.id.clone(),
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kefu_core::account::{Role, UserInfo};

    #[test]
    fn a_cursor_holds_only_within_its_scope() {
        let user = |role: Role, team: &str| UserInfo {
            username: "someone".into(),
            display_name: String::new(),
            role,
            team: team.into(),
        };
        let east = reading_scope(&user(Role::Agent, "east"));
        let cursor = encode_cursor(42, &east);
        assert_eq!(decode_cursor(Some(&cursor), &east), 42);
        for other in [
            user(Role::Agent, "west"),
            user(Role::TeamLead, "east"),
            user(Role::Admin, "east"),
        ] {
            assert_eq!(decode_cursor(Some(&cursor), &reading_scope(&other)), 0);
        }
        assert_eq!(decode_cursor(None, &east), 0);
        assert_eq!(decode_cursor(Some("garbage"), &east), 0);
    }
}
