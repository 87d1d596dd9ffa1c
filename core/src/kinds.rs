//! The kinds layer: each record type, and each workflow on a case, declares in one file its
//! field and event names, their value checks, who may change it and what the policy says of
//! it, through the two traits here. `validate`, `access` and `accept` dispatch through
//! [`with_kind`] and the workflow table in [`case`] and know no kind; record, merge, sync and storage know
//! none either.
//!
//! Why two traits and one match, as Mozilla's `sync15` has one `SyncEngine` per component: the
//! record type is a closed enum the wire format names, so the one match in [`with_kind`] is where
//! the compiler makes a new type declare everything; a case workflow is a table row, so a new
//! one is one file and one line in that table (`in_workflows!`). Whatever no kind declares is refused.

pub mod call_log;
pub mod case;
pub mod customer;
pub mod daily_report;
pub mod handover;
pub mod knowledge;
pub mod parcel;
pub mod shop_policy;

use crate::account::{Denied, Role, UserInfo};
use crate::input::InputError;
use crate::lang::Bilingual;
use crate::policy::Policy;
use crate::record::{Event, Record};
use crate::sync::Op;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Everything a check of one change may look at: who makes it, the stored record (`None` when
/// it is new), the operation, the policy in force and the server's time.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub user: &'a UserInfo,
    pub existing: Option<&'a Record>,
    pub op: &'a Op,
    pub policy: &'a Policy,
    pub now: DateTime<Utc>,
}

/// One record type: what it holds and who may change it.
pub trait RecordKind: Sync {
    /// The team a record `user` creates belongs to.
    fn team_for_new(&self, user: &UserInfo) -> String {
        user.team.clone()
    }

    /// Whether `user` may make `op` on `existing`; the record's team was checked before.
    fn may_change(&self, user: &UserInfo, existing: Option<&Record>, op: &Op)
    -> Result<(), Denied>;

    /// Whether `op` names only this kind's fields and events, with valid values. Whether the
    /// record exists, and is of this type, was checked before.
    fn check_op(&self, op: &Op) -> Result<(), InputError>;

    /// What the policy and the stored record say of the change (lists, flows), once it has
    /// passed the checks above.
    fn check_in_context(&self, _context: &Context) -> Result<(), Bilingual> {
        Ok(())
    }

    /// Whether the server keeps every version of this kind's fields, not only the current
    /// ones, so they can be listed, compared and restored (the policy's history).
    fn keeps_history(&self) -> bool {
        false
    }

    /// Removes from `record`, before `user` receives it, what they may not read though they
    /// see the record (an incident of a colleague's). Most kinds hide nothing.
    fn hide_unreadable(&self, _user: &UserInfo, _record: &mut Record) {}
}

/// Who may write a kind only those who run a team write (call logs, sent reports): leads,
/// supervisors and admins; only an admin deletes; anyone else is refused with `refused`.
pub fn may_write_as_lead(user: &UserInfo, op: &Op, refused: Denied) -> Result<(), Denied> {
    match (user.role, op) {
        (Role::Admin, _) => Ok(()),
        (_, Op::Delete) => Err(Denied::AdminOnly),
        (role, _) if crate::account::roles::LEADS.contains(&role) => Ok(()),
        _ => Err(refused),
    }
}

/// The check of a kind whose records are written once and never edited (handovers, call logs,
/// sent reports): a creation names exactly `fields`, each valid by `check_field`; no field is
/// set afterwards; only entries `entry_allowed` takes are added; a deletion (an admin's) is.
pub fn check_write_once(
    op: &Op,
    fields: &[&str],
    check_field: impl Fn(&str, &Value) -> Result<(), InputError>,
    entry_allowed: impl Fn(&str, &Value) -> bool,
) -> Result<(), InputError> {
    match op {
        Op::Create { fields: values } => {
            crate::input::check_new_fields(values, fields, check_field)
        }
        Op::Set { field, .. } => Err(InputError::FieldFixed {
            field: field.clone(),
        }),
        Op::Append { kind, data, .. } if entry_allowed(kind, data) => Ok(()),
        Op::Append { kind, .. } => Err(InputError::UnknownEvent { kind: kind.clone() }),
        Op::Delete => Ok(()),
    }
}

/// Whether the server keeps every version of `record_type`'s fields ([`RecordKind::keeps_history`]).
pub fn keeps_history(record_type: crate::record::RecordType) -> bool {
    with_kind!(record_type, |kind| kind.keeps_history())
}

/// Runs `$body` with `$kind` bound to the kind of `$record_type`: the one match on the closed
/// enum. A macro, not a function returning `&dyn RecordKind`, so each caller is dispatched
/// statically and links only the methods it calls: the device asks who may change what and
/// never links the server's checks (a trait object kept every kind's `check_op`, the whole
/// policy's decoding among them, in the device's shell).
macro_rules! with_kind {
    ($record_type:expr, |$kind:ident| $body:expr) => {
        match $record_type {
            $crate::record::RecordType::Case => {
                let $kind = &$crate::kinds::case::Cases;
                $body
            }
            $crate::record::RecordType::Policy => {
                let $kind = &$crate::kinds::shop_policy::ShopPolicy;
                $body
            }
            $crate::record::RecordType::Customer => {
                let $kind = &$crate::kinds::customer::Customers;
                $body
            }
            $crate::record::RecordType::Knowledge => {
                let $kind = &$crate::kinds::knowledge::KnowledgeBase;
                $body
            }
            $crate::record::RecordType::Parcel => {
                let $kind = &$crate::kinds::parcel::Parcels;
                $body
            }
            $crate::record::RecordType::Handover => {
                let $kind = &$crate::kinds::handover::Handovers;
                $body
            }
            $crate::record::RecordType::CallLog => {
                let $kind = &$crate::kinds::call_log::CallLogs;
                $body
            }
            $crate::record::RecordType::DailyReport => {
                let $kind = &$crate::kinds::daily_report::DailyReports;
                $body
            }
        }
    };
}
pub(crate) use with_kind;

/// A timeline entry a workflow declares, and the roles that may add it.
pub struct EventRule {
    pub kind: &'static str,
    pub roles: &'static [Role],
}

/// One workflow on a case (the inquiry log, the order's steps, a return's flow, …): the
/// optional case fields and the events it owns, and its checks. A field or event belongs to
/// exactly one workflow (`case::tests` proves it).
pub trait CaseWorkflow: Sync {
    /// The optional case fields this workflow owns.
    fn fields(&self) -> &'static [&'static str] {
        &[]
    }

    /// The timeline entries it owns, each with who may add it.
    fn events(&self) -> &'static [EventRule] {
        &[]
    }

    /// One of [`Self::fields`]' values.
    fn check_field(&self, name: &str, _value: &Value) -> Result<(), InputError> {
        Err(InputError::UnknownField {
            field: name.to_owned(),
        })
    }

    /// One of [`Self::events`]' data.
    fn check_event(&self, kind: &str, _data: &Value) -> Result<(), InputError> {
        Err(InputError::UnknownEvent {
            kind: kind.to_owned(),
        })
    }

    /// Whether `user` may add `kind` to `existing`, beyond its roles (checked before them):
    /// what the record's state leaves to someone else.
    fn may_append(
        &self,
        _user: &UserInfo,
        _existing: Option<&Record>,
        _kind: &str,
    ) -> Result<(), Denied> {
        Ok(())
    }

    /// Whether `user`, who sees the case, may read `event`, one of [`Self::events`]: most
    /// entries are the whole team's; a few concern one person and those who oversee them.
    fn may_read(&self, _user: &UserInfo, _event: &Event) -> bool {
        true
    }

    /// The text a customer may read that `op` writes to this workflow's fields or events, if
    /// any, and its field or entry name: checked for banned phrases.
    fn customer_readable<'a>(&self, _op: &'a Op) -> Option<(&'static str, &'a str)> {
        None
    }

    /// What the policy and the stored case say of a change to this workflow's fields or
    /// events; every workflow sees every change to a case, and passes those not its own.
    fn check_in_context(&self, _context: &Context) -> Result<(), Bilingual> {
        Ok(())
    }
}
