//! The one record model every workflow is stored and synced in: a record is a set of fields,
//! each merged on its own by stamp, plus a timeline of immutable events.
//!
//! A new kind of record (returns, scripts, …) is a new [`RecordType`] with its field and event
//! rules in `validate`/`access` and a typed view like [`crate::kinds::case::Case`]; storage, sync,
//! merge and conflicts are the same code for all.

mod merge;

pub use merge::{Receipt, apply, apply_all};

use crate::hlc::Hlc;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// The team of records every signed-in user sees, such as the shop's policy.
pub const SHARED_TEAM: &str = "*";

/// What kind of record a change is about. Unknown names fail to decode, so a change made by a
/// newer app is rejected alone, with its reason, by an older server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordType {
    /// A customer matter: inquiry, return, complaint or feedback (SPEC §1–§5).
    Case,
    /// The shop's policy: the manuals' lists and numbers (SPEC §8, admin).
    Policy,
    /// A customer's profile (SPEC §1).
    Customer,
    /// A knowledge-base entry or a quick phrase (SPEC §1, §7).
    Knowledge,
    /// A returned parcel no open return expected, waiting to be matched (SPEC §3).
    Parcel,
    /// A shift's handover note for the next shift (交接班, SPEC §7).
    Handover,
    /// An import of the phone system's call log, for the answer rate (接起率, SPEC §7).
    CallLog,
    /// A team's daily report, marked sent by its lead (运营日报, SPEC §7).
    DailyReport,
}

impl RecordType {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Case => "case",
            RecordType::Policy => "policy",
            RecordType::Customer => "customer",
            RecordType::Knowledge => "knowledge",
            RecordType::Parcel => "parcel",
            RecordType::Handover => "handover",
            RecordType::CallLog => "call_log",
            RecordType::DailyReport => "daily_report",
        }
    }

    /// The first sync protocol whose devices know this type. A device of an older one is
    /// never sent it (it could not decode the page), so it keeps working until it updates.
    pub fn since_protocol(self) -> u32 {
        match self {
            RecordType::Case
            | RecordType::Policy
            | RecordType::Customer
            | RecordType::Knowledge
            | RecordType::Parcel => 2,
            RecordType::Handover | RecordType::CallLog => 3,
            RecordType::DailyReport => 4,
        }
    }
}

/// Who did something and when the server received it: stamped by the server, never taken from
/// a device's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub by: String,
    #[serde(deserialize_with = "rfc3339")]
    pub at: DateTime<Utc>,
    pub stamp: Hlc,
    pub change: Uuid,
}

/// One value a field was set to, by one change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "FlatVersion")]
pub struct Version {
    pub value: Value,
    #[serde(flatten)]
    pub origin: Origin,
}

impl Version {
    /// The merge order: stamp first, the change id breaks ties, so every replica picks the same.
    pub fn order_key(&self) -> (Hlc, Uuid) {
        (self.origin.stamp, self.origin.change)
    }
}

/// A field's merged state: the winning version, and the concurrent versions it beat that no
/// later edit has superseded (shown to users as "changed elsewhere" until someone chooses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub current: Version,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Version>,
    /// Change ids of versions some edit was made over (having seen them): they never become
    /// conflicts, even when they arrive after the edit that superseded them.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub superseded: BTreeSet<Uuid>,
}

impl Field {
    /// The versions a user resolving this field has seen: the current one and every conflict.
    pub fn version_ids(&self) -> Vec<Uuid> {
        std::iter::once(self.current.origin.change)
            .chain(self.conflicts.iter().map(|version| version.origin.change))
            .collect()
    }
}

/// One immutable entry of a record's timeline (a note, a completed step, a QA review…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "FlatEvent")]
pub struct Event {
    pub id: Uuid,
    pub kind: String,
    pub data: Value,
    #[serde(flatten)]
    pub origin: Origin,
}

/// A [`Version`] as it is read: its origin's fields sit beside the value (as `flatten` writes
/// them), named here one by one. Reading through `#[serde(flatten)]` buffers every field of
/// the object before decoding it, which made decoding records twice as slow: a large part of
/// a first sync on the device, and of every change the server merges (issue 15).
#[derive(Deserialize)]
struct FlatVersion {
    value: Value,
    by: String,
    #[serde(deserialize_with = "rfc3339")]
    at: DateTime<Utc>,
    stamp: Hlc,
    change: Uuid,
}

impl From<FlatVersion> for Version {
    fn from(flat: FlatVersion) -> Self {
        Version {
            value: flat.value,
            origin: Origin {
                by: flat.by,
                at: flat.at,
                stamp: flat.stamp,
                change: flat.change,
            },
        }
    }
}

/// Reads a time as written (RFC 3339) with chrono's RFC 3339 parser: its `Deserialize` goes
/// through the general format parser, which took a third of decoding a record on the device
/// (issue 15: three times per case in a first sync of 10,000).
fn rfc3339<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    struct Rfc3339;
    impl serde::de::Visitor<'_> for Rfc3339 {
        type Value = DateTime<Utc>;
        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("an RFC 3339 time")
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
            DateTime::parse_from_rfc3339(text)
                .map(|time| time.with_timezone(&Utc))
                .map_err(E::custom)
        }
    }
    deserializer.deserialize_str(Rfc3339)
}

/// An [`Event`] as it is read (see [`FlatVersion`]).
#[derive(Deserialize)]
struct FlatEvent {
    id: Uuid,
    kind: String,
    data: Value,
    by: String,
    #[serde(deserialize_with = "rfc3339")]
    at: DateTime<Utc>,
    stamp: Hlc,
    change: Uuid,
}

impl From<FlatEvent> for Event {
    fn from(flat: FlatEvent) -> Self {
        Event {
            id: flat.id,
            kind: flat.kind,
            data: flat.data,
            origin: Origin {
                by: flat.by,
                at: flat.at,
                stamp: flat.stamp,
                change: flat.change,
            },
        }
    }
}

/// A record as every replica holds it once it has applied the same changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub record_type: RecordType,
    pub id: Uuid,
    /// The team whose members see the record, or [`SHARED_TEAM`]; set by the server at creation.
    pub team: String,
    /// Who created the record, when: for a case, the first-contact owner (首接负责制).
    pub created: Option<Origin>,
    pub fields: BTreeMap<String, Field>,
    /// Oldest first, by stamp then id.
    pub events: Vec<Event>,
    pub deleted: Option<Origin>,
}

impl Record {
    pub fn empty(record_type: RecordType, id: Uuid, team: &str) -> Self {
        Record {
            record_type,
            id,
            team: team.to_owned(),
            created: None,
            fields: BTreeMap::new(),
            events: Vec::new(),
            deleted: None,
        }
    }

    /// Created and not deleted: what lists and pages show.
    pub fn is_live(&self) -> bool {
        self.created.is_some() && self.deleted.is_none()
    }

    pub fn value(&self, field: &str) -> Option<&Value> {
        self.fields.get(field).map(|field| &field.current.value)
    }

    pub fn text(&self, field: &str) -> String {
        self.value(field)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    }

    /// The timeline entries of `kind`, oldest first, each read as `T` with its id and origin;
    /// one that does not read as `T` (written by a newer build) is left out.
    pub fn entries_of<T: serde::de::DeserializeOwned>(
        &self,
        kind: &str,
    ) -> Vec<(Uuid, T, &Origin)> {
        self.events
            .iter()
            .filter(|entry| entry.kind == kind)
            .filter_map(|entry| {
                let data = T::deserialize(&entry.data).ok()?;
                Some((entry.id, data, &entry.origin))
            })
            .collect()
    }

    /// The latest stamp anywhere in the record: a device makes its next stamp after this, so
    /// its edit sorts after everything it saw.
    pub fn latest_stamp(&self) -> Hlc {
        let fields = self.fields.values().flat_map(|field| {
            std::iter::once(field.current.origin.stamp)
                .chain(field.conflicts.iter().map(|version| version.origin.stamp))
        });
        let events = self.events.iter().map(|event| event.origin.stamp);
        let marks = self
            .created
            .iter()
            .chain(&self.deleted)
            .map(|origin| origin.stamp);
        fields.chain(events).chain(marks).max().unwrap_or_default()
    }

    /// Whether the change with this id is already part of the record (a field version, a
    /// superseded version, an event, the creation or the deletion).
    pub fn contains_change(&self, change: Uuid) -> bool {
        let in_fields = self.fields.values().any(|field| {
            field.current.origin.change == change
                || field.superseded.contains(&change)
                || field
                    .conflicts
                    .iter()
                    .any(|version| version.origin.change == change)
        });
        let in_events = self
            .events
            .iter()
            .any(|event| event.origin.change == change);
        let in_marks = self
            .created
            .iter()
            .chain(&self.deleted)
            .any(|origin| origin.change == change);
        in_fields || in_events || in_marks
    }

    /// Fields with unresolved concurrent edits, by name.
    pub fn conflicted_fields(&self) -> impl Iterator<Item = (&str, &Field)> {
        self.fields
            .iter()
            .filter(|(_, field)| !field.conflicts.is_empty())
            .map(|(name, field)| (name.as_str(), field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn origin_at(at: &str) -> Result<Origin, serde_json::Error> {
        serde_json::from_value(json!({
            "by": "demo",
            "at": at,
            "stamp": { "wall_ms": 1, "counter": 0 },
            "change": Uuid::from_u128(1),
        }))
    }

    #[test]
    fn times_are_read_as_rfc3339_in_any_offset() {
        let utc = |h, m, s, nanos| {
            Utc.with_ymd_and_hms(2026, 11, 23, h, m, s).unwrap()
                + chrono::Duration::nanoseconds(nanos)
        };
        let cases = [
            ("2026-11-23T21:30:05Z", utc(21, 30, 5, 0)),
            (
                "2026-11-23T21:30:05.123456789Z",
                utc(21, 30, 5, 123_456_789),
            ),
            ("2026-11-24T05:30:05+08:00", utc(21, 30, 5, 0)),
            ("2026-11-23T21:30:05.5+00:00", utc(21, 30, 5, 500_000_000)),
        ];
        for (text, expected) in cases {
            assert_eq!(origin_at(text).unwrap().at, expected, "{text}");
        }
        for bad in [
            "2026-11-23",
            "21:30:05",
            "2026-11-23 21:30:05",
            "yesterday",
            "",
        ] {
            assert!(origin_at(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn a_written_time_reads_back_the_same() {
        let origin = Origin {
            by: "demo".into(),
            at: Utc.with_ymd_and_hms(2026, 11, 23, 21, 30, 5).unwrap()
                + chrono::Duration::nanoseconds(42),
            stamp: Hlc::new(1, 2),
            change: Uuid::from_u128(3),
        };
        let text = serde_json::to_string(&origin).unwrap();
        assert_eq!(serde_json::from_str::<Origin>(&text).unwrap(), origin);
    }
}
