//! The sync endpoints: push a batch of outbox changes, pull what changed since a cursor.

use crate::AppState;
use crate::db::{Applied, Caller};
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Query, State};
use chrono::Utc;
use kefu_core::lang::Bilingual;
use kefu_core::sync::{
    Change, ChangeOutcome, Op, Outcome, PULL_PAGE_SIZE, PUSH_BATCH_SIZE, PullResponse, PushRequest,
    PushResponse,
};
use kefu_core::validate::{check_case, check_note};
use serde::Deserialize;

/// The server decides who wrote what: authorship comes from the session, not the payload.
fn attribute_to_caller(change: &Change, caller: &Caller) -> Change {
    let mut change = change.clone();
    match &mut change.op {
        Op::PutCase { case } => case.owner = caller.info.username.clone(),
        Op::AddNote { note } => note.author = caller.info.username.clone(),
    }
    change
}

fn check(change: &Change) -> Result<(), Bilingual> {
    let result = match &change.op {
        Op::PutCase { case } => check_case(case),
        Op::AddNote { note } => check_note(note),
    };
    result.map_err(|error| error.message())
}

pub async fn push(
    State(state): State<AppState>,
    caller: Caller,
    Json(request): Json<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    if request.changes.len() > PUSH_BATCH_SIZE {
        return Err(ApiError::BadRequest(format!(
            "at most {PUSH_BATCH_SIZE} changes per push"
        )));
    }
    let mut outcomes = Vec::with_capacity(request.changes.len());
    for change in &request.changes {
        let outcome = match check(change) {
            Err(reason) => Outcome::Rejected { reason },
            Ok(()) => {
                let change = attribute_to_caller(change, &caller);
                match state.db.apply_change(&change, &caller, Utc::now()).await? {
                    Applied::Now => Outcome::Applied,
                    Applied::Before => Outcome::Duplicate,
                }
            }
        };
        outcomes.push(ChangeOutcome {
            change_id: change.change_id,
            outcome,
        });
    }
    Ok(Json(PushResponse { outcomes }))
}

#[derive(Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    since: i64,
    limit: Option<usize>,
}

pub async fn pull(
    State(state): State<AppState>,
    _caller: Caller,
    Query(query): Query<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    let limit = query
        .limit
        .unwrap_or(PULL_PAGE_SIZE)
        .clamp(1, PULL_PAGE_SIZE);
    Ok(Json(state.db.pull(query.since, limit).await?))
}
