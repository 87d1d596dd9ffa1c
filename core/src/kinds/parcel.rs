//! Unmatched parcels (SPEC §3): a returned parcel whose tracking number matches no open return
//! is recorded at the packing station, never dropped, and listed for agents, who match it to
//! a case later. Stored as records of type `parcel`; this is the typed view and its fields.

use crate::account::{Denied, Role, UserInfo};
use crate::input::{InputError, check_new_fields, check_side_note};
use crate::kinds::RecordKind;
use crate::photo::{PhotoRef, parse_photos};
use crate::record::{Record, RecordType};
use crate::sync::Op;
use crate::tracking::{check_tracking, normalize_tracking};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use uuid::Uuid;

pub mod field {
    /// The parcel's tracking number, normalized; fixed once recorded.
    pub const TRACKING: &str = "tracking";
    /// What the packer saw: the sender, the contents.
    pub const NOTE: &str = "note";
    /// The case an agent matched the parcel to, or null while unmatched.
    pub const CASE: &str = "case";
    /// The parcel and its contents as found ([`crate::photo::PhotoRef`]s).
    pub const PHOTOS: &str = crate::photo::PHOTOS;
    pub const ALL: [&str; 4] = [TRACKING, NOTE, CASE, PHOTOS];
}

/// The unmatched-parcel record kind: the station records a parcel, agents match it to a case.
pub struct Parcels;

impl RecordKind for Parcels {
    fn may_change(
        &self,
        user: &UserInfo,
        _existing: Option<&Record>,
        op: &Op,
    ) -> Result<(), Denied> {
        match (user.role, op) {
            // A parcel has no timeline.
            (_, Op::Append { kind, .. }) => Err(Denied::UndeclaredEvent { kind: kind.clone() }),
            (Role::Admin, _) => Ok(()),
            (_, Op::Delete) => Err(Denied::AdminOnly),
            (Role::Qa, _) => Err(Denied::ReadOnlyRole),
            (_, Op::Create { .. }) => Ok(()),
            (Role::Packer, _) => Err(Denied::StationOnly),
            _ => Ok(()),
        }
    }

    fn check_op(&self, op: &Op) -> Result<(), InputError> {
        match op {
            Op::Create { fields } => check_new_fields(fields, &field::ALL, check_parcel_field),
            Op::Set { field, .. } if field == field::TRACKING => Err(InputError::FieldFixed {
                field: field.clone(),
            }),
            Op::Set { field, value, .. } => check_parcel_field(field, value),
            Op::Append { kind, .. } => Err(InputError::UnknownEvent { kind: kind.clone() }),
            Op::Delete => Ok(()),
        }
    }
}

/// An unmatched parcel's field: its tracking number, the packer's note, the matched case.
pub fn check_parcel_field(name: &str, value: &Value) -> Result<(), InputError> {
    match name {
        field::TRACKING => check_tracking(value.as_str().unwrap_or_default()),
        field::NOTE => check_side_note(value),
        field::PHOTOS => parse_photos(Some(value))
            .map(drop)
            .map_err(|_| InputError::PhotosInvalid),
        field::CASE if value.is_null() => Ok(()),
        field::CASE => value
            .as_str()
            .and_then(|id| uuid::Uuid::parse_str(id).ok())
            .map(drop)
            .ok_or(InputError::LinkInvalid),
        other => Err(InputError::UnknownField {
            field: other.to_owned(),
        }),
    }
}

/// What the station records of a parcel nobody expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParcel {
    pub tracking: String,
    pub note: String,
    pub photos: Vec<PhotoRef>,
}

impl NewParcel {
    pub fn fields(&self) -> BTreeMap<String, Value> {
        BTreeMap::from([
            (
                field::TRACKING.to_owned(),
                json!(normalize_tracking(&self.tracking)),
            ),
            (field::NOTE.to_owned(), json!(self.note.trim())),
            (field::CASE.to_owned(), Value::Null),
            (field::PHOTOS.to_owned(), json!(self.photos)),
        ])
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parcel {
    pub id: Uuid,
    pub tracking: String,
    pub note: String,
    pub case: Option<Uuid>,
    pub photos: Vec<PhotoRef>,
    /// Who recorded it and when, stamped by the server.
    pub found_by: String,
    pub found_at: DateTime<Utc>,
}

impl Parcel {
    /// `None` for another type of record, or one not created yet or deleted.
    pub fn from_record(record: &Record) -> Option<Parcel> {
        if record.record_type != RecordType::Parcel || !record.is_live() {
            return None;
        }
        let created = record.created.as_ref()?;
        Some(Parcel {
            id: record.id,
            tracking: record.text(field::TRACKING),
            note: record.text(field::NOTE),
            case: record
                .value(field::CASE)
                .and_then(Value::as_str)
                .and_then(|id| Uuid::parse_str(id).ok()),
            photos: parse_photos(record.value(field::PHOTOS)).unwrap_or_default(),
            found_by: created.by.clone(),
            found_at: created.at,
        })
    }
}

/// The parcels still waiting for a case, oldest first: the longest-waiting is matched first.
pub fn unmatched(mut parcels: Vec<Parcel>) -> Vec<Parcel> {
    parcels.retain(|parcel| parcel.case.is_none());
    parcels.sort_by_key(|parcel| (parcel.found_at, parcel.id));
    parcels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;
    use crate::record::{Receipt, apply};
    use crate::sync::{Change, Op};
    use crate::validate::check_change;
    use chrono::TimeZone;

    fn change(n: u128, record: u128, op: Op) -> Change {
        Change {
            change_id: Uuid::from_u128(n),
            device: Uuid::from_u128(9),
            stamp: Hlc::new(n as i64, 0),
            record_type: RecordType::Parcel,
            record_id: Uuid::from_u128(record),
            op,
        }
    }

    fn recorded(record: u128, tracking: &str, minute: u32) -> Record {
        let fields = NewParcel {
            tracking: tracking.into(),
            note: " 寄件人：王 ".into(),
            photos: vec![PhotoRef {
                hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
                bytes: 2048,
            }],
        }
        .fields();
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 9, minute, 0).unwrap();
        let receipt = Receipt::on_server(
            change(record, record, Op::Create { fields }),
            "packer",
            "east",
            at,
        );
        apply(None, &receipt)
    }

    #[test]
    fn a_parcel_reads_back_and_waits_until_matched() {
        let late = recorded(1, "yt 0002", 30);
        let early = recorded(2, "YT0001", 5);
        let mut matched = recorded(3, "YT0003", 1);
        let link = change(
            4,
            3,
            Op::Set {
                field: field::CASE.into(),
                value: json!(Uuid::from_u128(77)),
                supersedes: vec![],
            },
        );
        assert_eq!(check_change(Some(&matched), &link), Ok(()));
        matched = apply(
            Some(matched),
            &Receipt::on_server(
                link,
                "demo",
                "east",
                Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap(),
            ),
        );
        let parcels: Vec<Parcel> = [&late, &early, &matched]
            .into_iter()
            .filter_map(Parcel::from_record)
            .collect();
        assert_eq!(parcels[0].tracking, "YT0002");
        assert_eq!(parcels[0].note, "寄件人：王");
        assert_eq!(parcels[2].case, Some(Uuid::from_u128(77)));
        assert_eq!(parcels[0].photos[0].bytes, 2048);
        let waiting: Vec<String> = unmatched(parcels)
            .into_iter()
            .map(|parcel| parcel.tracking)
            .collect();
        assert_eq!(waiting, ["YT0001", "YT0002"]);
    }

    #[test]
    fn field_table() {
        let parcel = recorded(1, "YT0001", 0);
        let set = |field: &str, value: Value| {
            change(
                5,
                1,
                Op::Set {
                    field: field.into(),
                    value,
                    supersedes: vec![],
                },
            )
        };
        let table = [
            (set(field::CASE, Value::Null), true),
            (set(field::CASE, json!("not-a-uuid")), false),
            (set(field::NOTE, json!("纸箱破损")), true),
            (set(field::TRACKING, json!("YT0009")), false),
            (set(field::PHOTOS, json!([])), true),
            (set(field::PHOTOS, json!(["photo.jpg"])), false),
            (set("colour", json!("red")), false),
        ];
        for (edit, valid) in table {
            assert_eq!(
                check_change(Some(&parcel), &edit).is_ok(),
                valid,
                "{:?}",
                edit.op
            );
        }
        let bad_tracking = NewParcel {
            tracking: "快递".into(),
            note: String::new(),
            photos: Vec::new(),
        };
        let create = change(
            6,
            6,
            Op::Create {
                fields: bad_tracking.fields(),
            },
        );
        assert!(check_change(None, &create).is_err());
    }
}
