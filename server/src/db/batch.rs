//! What a push batch does to storage, written once for both backends: one pure function plans
//! it (which changes are duplicates, what `decide` says of the rest, each changed record once)
//! and the `apply_batch!` transaction reads what the plan needs and writes it.
//!
//! The transaction reads in two queries (the change ids already stored, the records the batch
//! touches), plans, and writes in two: a batch of notes on one case reads, decodes and writes
//! that case once, not once per note (issue 15's changes per second).

use super::Decide;
use kefu_core::kinds::keeps_history;
use kefu_core::record::{Record, Version};
use kefu_core::sync::{Change, ChangeOutcome, Op, Outcome};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// What to write for one batch, and what to answer.
#[derive(Debug, PartialEq)]
pub struct BatchPlan {
    /// One per change, in the order sent.
    pub outcomes: Vec<ChangeOutcome>,
    /// The applied changes, as `(change id, record id)`, to remember so a resend is a
    /// duplicate. Refused changes are not remembered: they may be sent again once fixed.
    pub applied: Vec<(Uuid, Uuid)>,
    /// Each record the batch changed, once, as it stands after the whole batch.
    pub records: Vec<Record>,
    /// The field versions the batch made on records whose kind keeps its history
    /// (`kefu_core::kinds::keeps_history`), to keep beside the records.
    pub history: Vec<KeptVersion>,
}

/// One version of one field, kept after later versions replace it.
#[derive(Debug, PartialEq)]
pub struct KeptVersion {
    pub record_id: Uuid,
    pub field: String,
    pub version: Version,
}

/// The versions `change` made in `record` (as it stands after the change), if its kind keeps them.
fn versions_made(change: &Change, record: &Record) -> Vec<KeptVersion> {
    if !keeps_history(change.record_type) {
        return Vec::new();
    }
    let names: Vec<&String> = match &change.op {
        Op::Create { fields } => fields.keys().collect(),
        Op::Set { field, .. } => vec![field],
        Op::Append { .. } | Op::Delete => Vec::new(),
    };
    names
        .into_iter()
        .filter_map(|name| {
            let field = record.fields.get(name)?;
            // A version that lost the merge is still a version someone made.
            let version = std::iter::once(&field.current)
                .chain(&field.conflicts)
                .find(|version| version.origin.change == change.change_id)?;
            Some(KeptVersion {
                record_id: record.id,
                field: name.clone(),
                version: version.clone(),
            })
        })
        .collect()
}

/// The distinct record ids a batch touches, for the backend to load.
pub fn touched_records(changes: &[Change]) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = changes.iter().map(|change| change.record_id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Plans a batch: `already_stored` are the batch's change ids stored by earlier pushes,
/// `stored` the records it touches as stored. Each change is decided on the record as the
/// earlier changes of the same batch left it.
pub fn plan_batch(
    changes: &[Change],
    already_stored: &HashSet<Uuid>,
    mut stored: HashMap<Uuid, Record>,
    decide: &Decide<'_>,
) -> BatchPlan {
    let mut outcomes = Vec::with_capacity(changes.len());
    let mut applied: Vec<(Uuid, Uuid)> = Vec::new();
    let mut seen: HashSet<Uuid> = HashSet::new();
    let mut changed: Vec<Uuid> = Vec::new();
    let mut history = Vec::new();
    for change in changes {
        let outcome =
            if already_stored.contains(&change.change_id) || seen.contains(&change.change_id) {
                Outcome::Duplicate
            } else {
                match decide(stored.get(&change.record_id), change) {
                    Ok(record) => {
                        seen.insert(change.change_id);
                        applied.push((change.change_id, change.record_id));
                        if !changed.contains(&change.record_id) {
                            changed.push(change.record_id);
                        }
                        history.extend(versions_made(change, &record));
                        stored.insert(change.record_id, record);
                        Outcome::Applied
                    }
                    Err(reason) => Outcome::Rejected { reason },
                }
            };
        outcomes.push(ChangeOutcome {
            change_id: change.change_id,
            outcome,
        });
    }
    let records = changed.iter().filter_map(|id| stored.remove(id)).collect();
    BatchPlan {
        outcomes,
        applied,
        records,
        history,
    }
}

/// `apply_batch!(Backend, pool, by_user, changes, decide, now)`: [`super::Database::apply_batch`]
/// as one transaction on this backend, under one new sequence number. A future, so that a
/// backend can run it again after a conflict between writers.
///
/// A macro for the reason `pull_feed!` is one: the multi-row statements are built with
/// `QueryBuilder`, which code generic over the backend cannot run.
macro_rules! apply_batch {
    ($backend:ty, $pool:expr, $by_user:expr, $changes:expr, $decide:expr, $now:expr) => {{
        let (pool, by_user, changes, decide, now) = ($pool, $by_user, $changes, $decide, $now);
        async move {
            use kefu_core::record::Record;
            use sqlx::QueryBuilder;
            use std::collections::{HashMap, HashSet};
            use uuid::Uuid;
            use $crate::db::batch::{plan_batch, touched_records};
            use $crate::db::sql::Backend;
            use $crate::db::{DbError, from_json, parse_uuid, to_json};
            let mut tx = pool.begin().await?;
            // The transaction's first write, which makes writers take turns until commit, so
            // that sequence numbers follow commit order (see each backend's module comment).
            let seq: i64 = sqlx::query_scalar(
                "UPDATE sync_counter SET value = value + 1 WHERE id = 1 RETURNING value",
            )
            .fetch_one(&mut *tx)
            .await?;

            let mut query =
                QueryBuilder::new("SELECT change_id FROM applied_changes WHERE change_id");
            let change_ids = changes.iter().map(|change| change.change_id.to_string());
            <$backend as Backend>::push_one_of(&mut query, change_ids.collect());
            let already: Vec<String> = query.build_query_scalar().fetch_all(&mut *tx).await?;
            let already = already
                .iter()
                .map(|id| parse_uuid(id))
                .collect::<Result<HashSet<Uuid>, DbError>>()?;

            let mut query = QueryBuilder::new("SELECT data FROM records WHERE id");
            let record_ids = touched_records(changes)
                .iter()
                .map(Uuid::to_string)
                .collect();
            <$backend as Backend>::push_one_of(&mut query, record_ids);
            let stored: Vec<String> = query.build_query_scalar().fetch_all(&mut *tx).await?;
            let stored = stored
                .iter()
                .map(|data| from_json::<Record>(data).map(|record| (record.id, record)))
                .collect::<Result<HashMap<Uuid, Record>, DbError>>()?;

            let plan = plan_batch(changes, &already, stored, decide);
            if plan.records.is_empty() {
                // Nothing new: rolling back also returns the sequence number, so the feed has
                // no gaps from retries.
                tx.rollback().await?;
                return Ok(plan.outcomes);
            }
            let mut remember = QueryBuilder::<$backend>::new(
                "INSERT INTO applied_changes (change_id, record_id, by_user, applied_at) ",
            );
            remember.push_values(&plan.applied, |mut row, (change_id, record_id)| {
                row.push_bind(change_id.to_string())
                    .push_bind(record_id.to_string())
                    .push_bind(by_user)
                    .push_bind(now);
            });
            remember.build().execute(&mut *tx).await?;
            let rows = plan
                .records
                .iter()
                .map(|record| Ok((record, to_json(record)?)))
                .collect::<Result<Vec<_>, DbError>>()?;
            let mut store = QueryBuilder::<$backend>::new(
                "INSERT INTO records (id, record_type, team, seq, data) ",
            );
            store.push_values(&rows, |mut row, (record, data)| {
                row.push_bind(record.id.to_string())
                    .push_bind(record.record_type.as_str())
                    .push_bind(&record.team)
                    .push_bind(seq)
                    .push_bind(data);
            });
            store.push(
                " ON CONFLICT (id) DO UPDATE SET
                     team = excluded.team, seq = excluded.seq, data = excluded.data",
            );
            store.build().execute(&mut *tx).await?;
            if !plan.history.is_empty() {
                let rows = plan
                    .history
                    .iter()
                    .map(|kept| Ok((kept, to_json(&kept.version)?)))
                    .collect::<Result<Vec<_>, DbError>>()?;
                let mut keep = QueryBuilder::<$backend>::new(
                    "INSERT INTO field_history (change_id, record_id, field, made_by, made_at, version) ",
                );
                keep.push_values(&rows, |mut row, (kept, version)| {
                    row.push_bind(kept.version.origin.change.to_string())
                        .push_bind(kept.record_id.to_string())
                        .push_bind(&kept.field)
                        .push_bind(&kept.version.origin.by)
                        .push_bind(kept.version.origin.at)
                        .push_bind(version);
                });
                keep.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            // Names the error type that `?` converts into: an async block cannot declare it.
            Ok::<_, DbError>(plan.outcomes)
        }
    }};
}

pub(crate) use apply_batch;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use kefu_core::accept::accept;
    use kefu_core::account::{Role, UserInfo};
    use kefu_core::hlc::Hlc;
    use kefu_core::kinds::case::{CaseKind, NewCase, event, note_data};
    use kefu_core::policy::Policy;
    use kefu_core::record::RecordType;
    use kefu_core::sync::Op;

    fn agent() -> UserInfo {
        UserInfo {
            username: "demo".into(),
            display_name: "Demo".into(),
            role: Role::Agent,
            team: "east".into(),
        }
    }

    fn change(n: u128, record: u128, op: Op) -> Change {
        Change {
            change_id: Uuid::from_u128(n),
            device: Uuid::from_u128(99),
            stamp: Hlc {
                wall_ms: 1_800_000_000_000 + n as i64,
                counter: 0,
            },
            record_type: RecordType::Case,
            record_id: Uuid::from_u128(record),
            op,
        }
    }

    fn create(n: u128, record: u128) -> Change {
        let fields = NewCase {
            kind: CaseKind::Inquiry,
            title: "催发货".into(),
            customer_name: "王芳".into(),
            customer_phone: "13800138000".into(),
            order_number: None,
        }
        .fields();
        change(n, record, Op::Create { fields })
    }

    fn note(n: u128, record: u128) -> Change {
        let op = Op::Append {
            event: Uuid::from_u128(1_000 + n),
            kind: event::NOTE.into(),
            data: note_data(&format!("备注 {n}")),
        };
        change(n, record, op)
    }

    fn plan(changes: &[Change], already: &[u128], stored: Vec<Record>) -> BatchPlan {
        let user = agent();
        let now = Utc.with_ymd_and_hms(2027, 1, 15, 10, 0, 0).unwrap();
        let decide = |existing: Option<&Record>, change: &Change| {
            accept(
                &user,
                existing,
                change.clone(),
                now,
                Policy::default_policy(),
            )
        };
        let already = already.iter().map(|&n| Uuid::from_u128(n)).collect();
        let stored = stored
            .into_iter()
            .map(|record| (record.id, record))
            .collect();
        plan_batch(changes, &already, stored, &decide)
    }

    fn statuses(plan: &BatchPlan) -> Vec<&'static str> {
        plan.outcomes
            .iter()
            .map(|outcome| match outcome.outcome {
                Outcome::Applied => "applied",
                Outcome::Duplicate => "duplicate",
                Outcome::Rejected { .. } => "rejected",
                Outcome::Waiting { .. } => "waiting",
            })
            .collect()
    }

    #[test]
    fn each_change_sees_the_earlier_ones_and_each_record_is_written_once() {
        let batch = [create(1, 7), note(2, 7), note(3, 7), create(4, 8)];
        let plan = plan(&batch, &[], Vec::new());
        assert_eq!(statuses(&plan), ["applied"; 4]);
        assert_eq!(plan.records.len(), 2);
        assert_eq!(plan.records[0].id, Uuid::from_u128(7));
        assert_eq!(plan.records[0].events.len(), 2);
        assert_eq!(plan.records[1].id, Uuid::from_u128(8));
        let applied: Vec<u128> = plan.applied.iter().map(|(id, _)| id.as_u128()).collect();
        assert_eq!(applied, [1, 2, 3, 4]);
    }

    #[test]
    fn duplicates_are_answered_and_not_written() {
        let first = plan(&[create(1, 7)], &[], Vec::new());
        let stored = first.records;
        // Sent before (change 1), and twice in one batch (change 2).
        let batch = [create(1, 7), note(2, 7), note(2, 7)];
        let plan = plan(&batch, &[1], stored);
        assert_eq!(statuses(&plan), ["duplicate", "applied", "duplicate"]);
        assert_eq!(plan.records.len(), 1);
        assert_eq!(plan.records[0].events.len(), 1);
        assert_eq!(plan.applied, [(Uuid::from_u128(2), Uuid::from_u128(7))]);
    }

    #[test]
    fn a_refused_change_writes_nothing_and_is_not_remembered() {
        // A note on a case that does not exist is refused; the valid case beside it goes.
        let batch = [note(1, 7), create(2, 8)];
        let plan = plan(&batch, &[], Vec::new());
        assert_eq!(statuses(&plan), ["rejected", "applied"]);
        assert_eq!(
            plan.records.iter().map(|r| r.id).collect::<Vec<_>>(),
            [Uuid::from_u128(8)]
        );
        assert_eq!(plan.applied, [(Uuid::from_u128(2), Uuid::from_u128(8))]);
    }

    #[test]
    fn a_batch_of_only_duplicates_and_refusals_changes_nothing() {
        let plan = plan(&[note(1, 7), create(2, 8)], &[2], Vec::new());
        assert_eq!(statuses(&plan), ["rejected", "duplicate"]);
        assert!(plan.records.is_empty());
        assert!(plan.applied.is_empty());
    }

    #[test]
    fn touched_records_are_distinct() {
        let batch = [create(1, 7), note(2, 7), create(3, 8), note(4, 7)];
        assert_eq!(
            touched_records(&batch),
            [Uuid::from_u128(7), Uuid::from_u128(8)]
        );
    }
}
