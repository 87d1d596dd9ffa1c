//! Local writes: each becomes outbox entries, stamped after everything the device has made or
//! seen, in one transaction with the clock update. Nothing else is written: the record the
//! device shows is the confirmed one with these pending changes applied.

use super::{
    META, OUTBOX, RECORDS, Store, StoreError, StoreResult, meta, pending_for, read_record, to_js,
};
use chrono::{DateTime, Utc};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use kefu_core::access::team_for_new;
use kefu_core::account::UserInfo;
use kefu_core::hlc::Hlc;
use kefu_core::record::{Record, RecordType};
use kefu_core::sync::{Change, Op, OutboxEntry, with_pending};
use serde_json::Value;
use std::collections::BTreeMap;
use uuid::Uuid;

/// One field edit: the new value and the versions (change ids) the user saw and replaces.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldEdit {
    pub field: String,
    pub value: Value,
    pub supersedes: Vec<Uuid>,
}

impl FieldEdit {
    /// Sets `field` of `record` to `value`, over the version the user saw.
    pub fn over(record: &Record, field: &str, value: Value) -> FieldEdit {
        FieldEdit {
            field: field.to_owned(),
            value,
            supersedes: record
                .fields
                .get(field)
                .map(|shown| vec![shown.current.origin.change])
                .unwrap_or_default(),
        }
    }
}

/// What a write turns into once it has seen the shown record: the record's type and team
/// (as the outbox entry carries them) and the operations, in order.
struct Plan {
    record_type: RecordType,
    team: String,
    ops: Vec<Op>,
}

/// The type and team of an existing record, for an edit of it.
fn edit_of(shown: Option<&Record>, ops: Vec<Op>) -> StoreResult<Plan> {
    let record = shown.ok_or_else(|| StoreError::Missing("record".to_owned()))?;
    Ok(Plan {
        record_type: record.record_type,
        team: record.team.clone(),
        ops,
    })
}

impl Store {
    /// Creates a record of any type with its first field values; returns it as the device
    /// now shows it, so a page can show it without reading it back.
    pub async fn create(
        &self,
        record_type: RecordType,
        fields: BTreeMap<String, Value>,
        author: &UserInfo,
        now: DateTime<Utc>,
    ) -> StoreResult<Record> {
        self.create_with_events(record_type, fields, Vec::new(), author, now)
            .await
    }

    /// Creates a record with its first timeline entries (`(kind, data)`), in one transaction:
    /// a return and the review it was opened with are kept together or not at all. Returns
    /// the record as the device now shows it.
    pub async fn create_with_events(
        &self,
        record_type: RecordType,
        fields: BTreeMap<String, Value>,
        events: Vec<(String, Value)>,
        author: &UserInfo,
        now: DateTime<Utc>,
    ) -> StoreResult<Record> {
        let record_id = Uuid::now_v7();
        let team = team_for_new(author, record_type);
        let ops = std::iter::once(Op::Create { fields })
            .chain(events.into_iter().map(|(kind, data)| Op::Append {
                event: Uuid::now_v7(),
                kind,
                data,
            }))
            .collect();
        let (_, created) = self
            .write(record_id, author, now, move |_| {
                Ok(Plan {
                    record_type,
                    team,
                    ops,
                })
            })
            .await?;
        created.ok_or_else(|| StoreError::Missing("the record just created".to_owned()))
    }

    /// Sets one field, replacing the versions in `supersedes`; returns the change id.
    pub async fn set_field(
        &self,
        record_id: Uuid,
        field: &str,
        value: Value,
        supersedes: Vec<Uuid>,
        author: &UserInfo,
        now: DateTime<Utc>,
    ) -> StoreResult<Uuid> {
        let edit = FieldEdit {
            field: field.to_owned(),
            value,
            supersedes,
        };
        let ids = self.set_fields(record_id, vec![edit], author, now).await?;
        Ok(ids[0])
    }

    /// Sets several fields of one record at once (a saved edit form): all are queued, or
    /// none. Returns the change ids, in the order of `edits`.
    pub async fn set_fields(
        &self,
        record_id: Uuid,
        edits: Vec<FieldEdit>,
        author: &UserInfo,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Uuid>> {
        let ops = edits
            .into_iter()
            .map(|edit| Op::Set {
                field: edit.field,
                value: edit.value,
                supersedes: edit.supersedes,
            })
            .collect();
        let (ids, _) = self
            .write(record_id, author, now, move |shown| edit_of(shown, ops))
            .await?;
        Ok(ids)
    }

    /// Resolves a field's conflict with the value the user chose: a new version that
    /// supersedes every version the device shows for the field, so the conflict closes on
    /// every replica. Returns the change id.
    pub async fn resolve_conflict(
        &self,
        record_id: Uuid,
        field: &str,
        value: Value,
        author: &UserInfo,
        now: DateTime<Utc>,
    ) -> StoreResult<Uuid> {
        let name = field.to_owned();
        let (ids, _) = self
            .write(record_id, author, now, move |shown| {
                let supersedes = shown
                    .and_then(|record| record.fields.get(&name))
                    .ok_or_else(|| StoreError::Missing(format!("field {name}")))?
                    .version_ids();
                edit_of(
                    shown,
                    vec![Op::Set {
                        field: name,
                        value,
                        supersedes,
                    }],
                )
            })
            .await?;
        Ok(ids[0])
    }

    /// Adds an entry to a record's timeline (a note, a review…). Returns the change id.
    pub async fn append_event(
        &self,
        record_id: Uuid,
        kind: &str,
        data: Value,
        author: &UserInfo,
        now: DateTime<Utc>,
    ) -> StoreResult<Uuid> {
        let op = Op::Append {
            event: Uuid::now_v7(),
            kind: kind.to_owned(),
            data,
        };
        let (ids, _) = self
            .write(record_id, author, now, move |shown| {
                edit_of(shown, vec![op])
            })
            .await?;
        Ok(ids[0])
    }

    /// The one write path: reads the shown record, plans the operations over it, stamps each
    /// after the device's clock and the record's latest stamp, and queues them with the
    /// raised clock, all in one transaction. Returns the change ids and the record as shown
    /// with them.
    async fn write(
        &self,
        record_id: Uuid,
        author: &UserInfo,
        now: DateTime<Utc>,
        plan: impl FnOnce(Option<&Record>) -> StoreResult<Plan>,
    ) -> StoreResult<(Vec<Uuid>, Option<Record>)> {
        let tx = self
            .db
            .transaction([RECORDS, OUTBOX, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let records = tx.object_store(RECORDS)?;
        let outbox = tx.object_store(OUTBOX)?;
        let meta_store = tx.object_store(META)?;
        let confirmed: Option<Record> = read_record(&records, record_id)?.await?;
        let pending = pending_for(&outbox, record_id).await?;
        let shown = with_pending(record_id, confirmed, &pending);
        // On error the transaction is dropped uncommitted: nothing is queued.
        let Plan {
            record_type,
            team,
            ops,
        } = plan(shown.as_ref())?;
        let seen = shown.as_ref().map(Record::latest_stamp).unwrap_or_default();
        let mut latest: Hlc = meta::clock(&meta_store).await?.max(seen);
        let mut queued = Vec::with_capacity(ops.len());
        for op in ops {
            latest = Hlc::next(latest, now.timestamp_millis());
            let entry = OutboxEntry {
                change: Change {
                    // UUIDv7: the outbox sends in this order, the order the user wrote in.
                    change_id: Uuid::now_v7(),
                    device: self.device,
                    stamp: latest,
                    record_type,
                    record_id,
                    op,
                },
                author: author.username.clone(),
                team: team.clone(),
                queued_at: now,
                rejection: None,
            };
            outbox.put(to_js(&entry)?).build()?.await?;
            queued.push(entry);
        }
        meta::raise_clock(&meta_store, latest).await?;
        tx.commit().await?;
        let change_ids = queued.iter().map(|entry| entry.change.change_id).collect();
        Ok((change_ids, with_pending(record_id, shown, &queued)))
    }
}
