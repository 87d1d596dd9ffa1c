//! The shop's policy as a synced record: the first time a server starts on a database, it
//! stores the embedded default policy, so every device receives it with its first pull and
//! keeps it offline; a policy an older server stored gains the lists a newer one added. Only an
//! admin may change it afterwards (`kefu_core::access`). The shop's
//! standard phrases are seeded the same way, as shop-wide quick phrases.

use crate::AppState;
use crate::db::{Caller, Database};
use crate::error::ApiError;
use crate::sync::apply_changes;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use kefu_core::account::{Role, UserInfo};
use kefu_core::hlc::Hlc;
use kefu_core::kinds::knowledge::standard_phrases;
use kefu_core::kinds::shop_policy::may_read_history;
use kefu_core::policy::diff::{PolicyDifference, differences};
use kefu_core::policy::history::{PolicyVersionInfo, versions_listed};
use kefu_core::policy::{POLICY_DATA_FIELD, POLICY_RECORD_ID, Policy, with_missing_defaults};
use kefu_core::record::{Record, RecordType, SHARED_TEAM};
use kefu_core::sync::{Change, Op, Outcome};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The author of what the server writes by itself.
pub fn system_user() -> UserInfo {
    UserInfo {
        username: "system".into(),
        display_name: "Kefu".into(),
        role: Role::Admin,
        team: SHARED_TEAM.into(),
    }
}

/// The policy in force: the policy record's, or the embedded default before one is stored.
/// (A stored policy that does not read was written by a newer server: the default stands in
/// until this one is updated.)
pub async fn current_policy(db: &dyn Database) -> Result<Policy, ApiError> {
    let stored = db.record(POLICY_RECORD_ID).await?;
    Ok(stored
        .and_then(|record| record.value(POLICY_DATA_FIELD).cloned())
        .and_then(|data| serde_json::from_value(data).ok())
        .unwrap_or_else(|| Policy::default_policy().clone()))
}

/// How long a server keeps the policy it read before reading it again: an admin's change
/// reaches the other server instances within this time (and this one at once, see
/// [`PolicyCache::forget`]). Reading and compiling it for every push doubled the server's CPU
/// per change (issue 16).
const POLICY_FRESH_FOR: Duration = Duration::from_secs(5);

/// The policy in force, as last read.
#[derive(Default)]
pub struct PolicyCache {
    held: Mutex<Option<(Instant, Arc<Policy>)>>,
}

impl PolicyCache {
    pub async fn current(&self, db: &dyn Database) -> Result<Arc<Policy>, ApiError> {
        if let Some((read_at, policy)) = &*self.lock()
            && read_at.elapsed() < POLICY_FRESH_FOR
        {
            return Ok(policy.clone());
        }
        let policy = Arc::new(current_policy(db).await?);
        *self.lock() = Some((Instant::now(), policy.clone()));
        Ok(policy)
    }

    /// The policy was changed here: read it again on the next push.
    pub fn forget(&self) {
        *self.lock() = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(Instant, Arc<Policy>)>> {
        // A panic while holding it leaves nothing half-written: the value is replaced whole.
        self.held
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Stores the default policy unless a policy record exists; one stored by an older server,
/// which lacks lists this one added, gains them.
pub async fn ensure_policy(db: &dyn Database) -> Result<(), ApiError> {
    if let Some(stored) = db.record(POLICY_RECORD_ID).await? {
        return complete_stored_policy(db, &stored).await;
    }
    let data = serde_json::to_value(Policy::default_policy())
        .map_err(|error| ApiError::BadRequest(error.to_string()))?;
    write_policy(
        db,
        Op::Create {
            fields: BTreeMap::from([(POLICY_DATA_FIELD.to_owned(), data)]),
        },
    )
    .await
}

/// `GET /api/policy.toml`: the policy in force as a TOML file, for a backup or a shop that
/// keeps its policy in git. Every signed-in user's device holds the policy anyway.
#[utoipa::path(get, path = "/api/policy.toml", tag = "policy", responses((status = 200, description = "The policy in force", body = String, content_type = "application/toml")))]
pub async fn export(_caller: Caller, State(state): State<AppState>) -> Result<Response, ApiError> {
    let policy = current_policy(state.db.as_ref()).await?;
    let text = policy.to_toml().map_err(ApiError::Policy)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/toml; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"kefu-policy.toml\"",
            ),
        ],
        text,
    )
        .into_response())
}

/// `PUT /api/policy.toml`: a whole policy from a TOML file, as a new version made by the
/// caller. It goes through the same `accept` as a device's edit (only an admin may change the
/// policy, `kinds::shop_policy`); a file that does not read or validate is refused with the
/// field it gets wrong.
#[utoipa::path(put, path = "/api/policy.toml", tag = "policy", request_body(content = String, content_type = "application/toml"), responses((status = 200, description = "Stored as a new version", body = String, content_type = "application/toml")))]
pub async fn import(
    caller: Caller,
    State(state): State<AppState>,
    text: String,
) -> Result<Response, ApiError> {
    let policy = Policy::from_toml_str(&text).map_err(ApiError::Policy)?;
    let data =
        serde_json::to_value(&policy).map_err(|error| ApiError::BadRequest(error.to_string()))?;
    let supersedes = state
        .db
        .record(POLICY_RECORD_ID)
        .await?
        .and_then(|record| {
            record
                .fields
                .get(POLICY_DATA_FIELD)
                .map(|field| field.version_ids())
        })
        .unwrap_or_default();
    let now = Utc::now();
    let mut change = system_change(
        RecordType::Policy,
        POLICY_RECORD_ID,
        Op::Set {
            field: POLICY_DATA_FIELD.to_owned(),
            value: data,
            supersedes,
        },
        now,
    );
    change.device = Uuid::now_v7();
    let in_force = current_policy(state.db.as_ref()).await?;
    let outcomes =
        apply_changes(state.db.as_ref(), &caller.info, &[change], now, &in_force).await?;
    state.policy.forget();
    match outcomes.into_iter().next().map(|outcome| outcome.outcome) {
        Some(Outcome::Applied | Outcome::Duplicate) => {
            Ok(axum::http::StatusCode::NO_CONTENT.into_response())
        }
        Some(Outcome::Rejected { reason } | Outcome::Waiting { reason }) => {
            Err(ApiError::Refused(reason))
        }
        None => Err(ApiError::BadRequest("nothing was applied".into())),
    }
}

/// `GET /api/policy/versions`: the policy's versions, newest first, with who made each and
/// which is in force. Only for admins (`kinds::shop_policy::may_read_history`).
#[utoipa::path(get, path = "/api/policy/versions", tag = "policy", responses((status = 200, description = "Every version, newest first", body = Vec<PolicyVersionInfo>)))]
pub async fn versions(
    caller: Caller,
    State(state): State<AppState>,
) -> Result<Json<Vec<PolicyVersionInfo>>, ApiError> {
    may_read_history(&caller.info)?;
    let kept = state
        .db
        .field_history(POLICY_RECORD_ID, POLICY_DATA_FIELD)
        .await?;
    let record = state.db.record(POLICY_RECORD_ID).await?;
    let field = record
        .as_ref()
        .and_then(|record| record.fields.get(POLICY_DATA_FIELD));
    Ok(Json(versions_listed(&kept, field)))
}

/// `GET /api/policy/versions/{id}`: one version's policy, as the policy record holds it, for a
/// device to restore (an ordinary edit of the policy record, through its outbox).
#[utoipa::path(get, path = "/api/policy/versions/{id}", tag = "policy", params(("id" = Uuid, Path)), responses((status = 200, description = "One version's policy", body = Object)))]
pub async fn version(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Json<Value>, ApiError> {
    may_read_history(&caller.info)?;
    Ok(Json(policy_version(state.db.as_ref(), id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    from: Uuid,
    to: Uuid,
}

/// `GET /api/policy/diff?from=&to=`: what changed from one version to another
/// (`kefu_core::policy::diff`).
#[utoipa::path(get, path = "/api/policy/diff", tag = "policy", params(DiffQuery), responses((status = 200, description = "What changed", body = Vec<PolicyDifference>)))]
pub async fn diff(
    caller: Caller,
    State(state): State<AppState>,
    Query(query): Query<DiffQuery>,
) -> Result<Json<Vec<PolicyDifference>>, ApiError> {
    may_read_history(&caller.info)?;
    let before = policy_version(state.db.as_ref(), query.from).await?;
    let after = policy_version(state.db.as_ref(), query.to).await?;
    Ok(Json(differences(&before, &after)))
}

/// The policy of version `id`: kept in the history, or the one in force (which may predate it).
async fn policy_version(db: &dyn Database, id: Uuid) -> Result<Value, ApiError> {
    let kept = db
        .field_history(POLICY_RECORD_ID, POLICY_DATA_FIELD)
        .await?;
    if let Some(version) = kept.into_iter().find(|version| version.origin.change == id) {
        return Ok(version.value);
    }
    db.record(POLICY_RECORD_ID)
        .await?
        .and_then(|record| record.fields.get(POLICY_DATA_FIELD).cloned())
        .filter(|field| field.current.origin.change == id)
        .map(|field| field.current.value)
        .ok_or(ApiError::NotFound)
}

/// What the server itself writes to the policy record, now, as the system user.
async fn write_policy(db: &dyn Database, op: Op) -> Result<(), ApiError> {
    let now = Utc::now();
    let change = system_change(RecordType::Policy, POLICY_RECORD_ID, op, now);
    apply_changes(db, &system_user(), &[change], now, Policy::default_policy()).await?;
    Ok(())
}

/// A change the server makes by itself (no device), stamped `now`.
fn system_change(record_type: RecordType, record_id: Uuid, op: Op, now: DateTime<Utc>) -> Change {
    Change {
        change_id: Uuid::now_v7(),
        device: Uuid::nil(),
        stamp: Hlc::new(now.timestamp_millis(), 0),
        record_type,
        record_id,
        op,
    }
}

/// Gives a stored policy the default of each list a newer build added (scripts, escalation
/// reasons, ...) as a new version, which every device then pulls: without it neither this
/// server nor a device could read the policy, and the server would fall back to the default,
/// losing what the shop set. What the shop set stays.
async fn complete_stored_policy(db: &dyn Database, stored: &Record) -> Result<(), ApiError> {
    let Some(data) = stored.fields.get(POLICY_DATA_FIELD) else {
        return Ok(());
    };
    let Some(completed) = with_missing_defaults(&data.current.value) else {
        return Ok(());
    };
    write_policy(
        db,
        Op::Set {
            field: POLICY_DATA_FIELD.to_owned(),
            value: completed,
            supersedes: data.version_ids(),
        },
    )
    .await
}

/// Stores the shop's standard phrases (`kefu_core::kinds::knowledge::standard_phrases`) that are not
/// stored yet, as shop-wide quick phrases. Their ids are fixed, so a phrase an admin deleted
/// stays deleted, and two servers seeding at once store each once.
pub async fn ensure_standard_phrases(db: &dyn Database) -> Result<(), ApiError> {
    let now = Utc::now();
    let mut changes = Vec::new();
    for (id, phrase) in standard_phrases() {
        if db.record(id).await?.is_some() {
            continue;
        }
        let op = Op::Create {
            fields: phrase.fields(),
        };
        changes.push(system_change(RecordType::Knowledge, id, op, now));
    }
    let policy = current_policy(db).await?;
    apply_changes(db, &system_user(), &changes, now, &policy).await?;
    Ok(())
}
