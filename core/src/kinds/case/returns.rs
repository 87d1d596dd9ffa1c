//! Returns and after-sales (退换货, SPEC §3; seed 003; seed 000 §5.7(6), §8.4): a return
//! case's facts on its case record, its eligibility review in words, the packer's inspection
//! at the packing station, and the open return a scanned tracking number belongs to.

use crate::input::{InputError, NOTE_MAX_CHARS, check_list_id};
use crate::kinds::case::{Case, CaseKind, CaseStatus, check_new_case, field as case_field};
use crate::kinds::{CaseWorkflow, Context};
use crate::lang::Bilingual;
use crate::photo::PhotoRef;
use crate::policy::{BUILT_IN_CHECKS, RequestType, UnknownEntry, WorkingHours, check};
use crate::record::Record;
use crate::rules::return_eligibility::{ReturnDecision, ReturnPolicy, ReturnRequest, decide};
use crate::rules::working_hours::WorkingClock;
use crate::sync::Op;
use crate::tracking::{check_tracking, normalize_tracking};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// A return's fields on its case.
pub mod field {
    /// A `policy::RequestType`.
    pub const REQUEST_TYPE: &str = "request_type";
    /// A policy return reason id.
    pub const RETURN_REASON: &str = "return_reason";
    /// The order lines concerned: `[{"sku", "quantity"}]`.
    pub const ITEMS: &str = "items";
    /// A policy item class id.
    pub const ITEM_CLASS: &str = "item_class";
    /// Whether the customer says the goods are in their original packaging.
    pub const ORIGINAL_PACKAGING: &str = "original_packaging";
    /// The return parcel's tracking number, normalized, or null until the customer sends it.
    pub const RETURN_TRACKING: &str = "return_tracking";
    /// A policy courier id, or null.
    pub const RETURN_COURIER: &str = "return_courier";
    pub const SHIPPING_INSURANCE: &str = "shipping_insurance";
    /// Whether the order had left the warehouse when the customer asked.
    pub const SHIPPED: &str = "shipped";
    /// The day the customer signed for the order (`YYYY-MM-DD`), or null.
    pub const RECEIVED_ON: &str = "received_on";
    pub const ALL: [&str; 10] = [
        REQUEST_TYPE,
        RETURN_REASON,
        ITEMS,
        ITEM_CLASS,
        ORIGINAL_PACKAGING,
        RETURN_TRACKING,
        RETURN_COURIER,
        SHIPPING_INSURANCE,
        SHIPPED,
        RECEIVED_ON,
    ];
}

/// The packing station's entry on a return. Who may add it, and when, is the return flow's
/// (`return_follow_up`); its data and its checklist are here.
pub mod event {
    /// The packing station's checklist and decision on a returned parcel: an [`super::Inspection`].
    pub const INSPECTION: &str = "inspection";
}

/// A return's facts and the station's checklist, as a workflow on a case.
pub struct Returns;

impl CaseWorkflow for Returns {
    fn fields(&self) -> &'static [&'static str] {
        &field::ALL
    }

    fn check_field(&self, name: &str, value: &Value) -> Result<(), InputError> {
        let text = value.as_str();
        match name {
            field::REQUEST_TYPE => serde_json::from_value::<RequestType>(value.clone())
                .map(drop)
                .map_err(|_| InputError::RequestTypeInvalid),
            field::RETURN_REASON | field::ITEM_CLASS | field::RETURN_COURIER => {
                check_list_id(name, value)
            }
            field::ITEMS => check_items(value),
            field::RETURN_TRACKING if value.is_null() => Ok(()),
            field::RETURN_TRACKING => check_tracking(text.unwrap_or_default()),
            field::RECEIVED_ON if value.is_null() => Ok(()),
            field::RECEIVED_ON => text
                .and_then(|day| day.parse::<NaiveDate>().ok())
                .map(drop)
                .ok_or(InputError::DateInvalid),
            _ if value.is_boolean() => Ok(()),
            _ => Err(InputError::FlagInvalid {
                field: name.to_owned(),
            }),
        }
    }

    fn check_in_context(&self, context: &Context) -> Result<(), Bilingual> {
        check_return_change(context.policy.into(), context.existing, context.op)
    }
}

pub const SKU_MAX_CHARS: usize = 64;
pub const QUANTITY_MAX: u32 = 999;
pub const ITEMS_MAX: usize = 50;
pub const LABEL_MAX_CHARS: usize = 64;
/// After-sales matters are settled within 5 working days (seed 000 §8.4).
pub const AFTER_SALES_WORKING_DAYS: i32 = 5;

/// One line of the order that comes back (or is missing): a SKU and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnItem {
    pub sku: String,
    pub quantity: u32,
}

/// What an agent records when a customer asks for a return, an exchange or a refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReturn {
    pub title: String,
    pub request_type: RequestType,
    /// A policy return reason id (`return_reasons`).
    pub reason: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub order_number: Option<String>,
    pub items: Vec<ReturnItem>,
    /// A policy item class id (`item_classes`): 孤品 come back only in original packaging.
    pub item_class: String,
    /// What the customer says: the packer checks it at the station.
    pub original_packaging: bool,
    /// The customer's return tracking number, once they have sent the parcel.
    pub return_tracking: String,
    /// A policy courier id, or empty while unknown.
    pub return_courier: String,
    pub shipping_insurance: bool,
    /// The order had left the warehouse when the customer asked.
    pub shipped: bool,
    /// The day the customer signed for the order, in the shop's calendar.
    pub received_on: Option<NaiveDate>,
}

impl NewReturn {
    /// What the form requires before saving (the server checks each field's value, and the
    /// reason and item class against the policy).
    pub fn check(&self) -> Result<(), InputError> {
        if self.reason.trim().is_empty() {
            return Err(InputError::ReturnReasonMissing);
        }
        if self.item_class.trim().is_empty() {
            return Err(InputError::ItemClassMissing);
        }
        check_new_case(&self.fields())
    }

    /// The facts the review reads, as the form says them before saving.
    pub fn facts(&self) -> ReturnFacts {
        let tracking = normalize_tracking(&self.return_tracking);
        ReturnFacts {
            request_type: self.request_type,
            reason: self.reason.clone(),
            items: self.items.clone(),
            item_class: self.item_class.clone(),
            original_packaging: self.original_packaging,
            return_tracking: (!tracking.is_empty()).then_some(tracking),
            return_courier: (!self.return_courier.is_empty()).then(|| self.return_courier.clone()),
            shipping_insurance: self.shipping_insurance,
            shipped: self.shipped,
            received_on: self.received_on,
        }
    }

    /// The case's first field values.
    pub fn fields(&self) -> BTreeMap<String, Value> {
        let tracking = normalize_tracking(&self.return_tracking);
        BTreeMap::from([
            (
                case_field::KIND.to_owned(),
                json!(CaseKind::Return.as_str()),
            ),
            (case_field::TITLE.to_owned(), json!(self.title.trim())),
            (
                case_field::CUSTOMER_NAME.to_owned(),
                json!(self.customer_name.trim()),
            ),
            (
                case_field::CUSTOMER_PHONE.to_owned(),
                json!(self.customer_phone.trim()),
            ),
            (
                case_field::ORDER_NUMBER.to_owned(),
                json!(self.order_number),
            ),
            (
                case_field::STATUS.to_owned(),
                json!(CaseStatus::Open.as_str()),
            ),
            (field::REQUEST_TYPE.to_owned(), json!(self.request_type)),
            (field::RETURN_REASON.to_owned(), json!(self.reason)),
            (field::ITEMS.to_owned(), json!(self.items)),
            (field::ITEM_CLASS.to_owned(), json!(self.item_class)),
            (
                field::ORIGINAL_PACKAGING.to_owned(),
                json!(self.original_packaging),
            ),
            (
                field::RETURN_TRACKING.to_owned(),
                (!tracking.is_empty()).then_some(tracking).into(),
            ),
            (
                field::RETURN_COURIER.to_owned(),
                (!self.return_courier.is_empty())
                    .then_some(self.return_courier.clone())
                    .into(),
            ),
            (
                field::SHIPPING_INSURANCE.to_owned(),
                json!(self.shipping_insurance),
            ),
            (field::SHIPPED.to_owned(), json!(self.shipped)),
            (
                field::RECEIVED_ON.to_owned(),
                self.received_on.map(|day| day.to_string()).into(),
            ),
        ])
    }
}

/// The order lines of a return: one to [`ITEMS_MAX`], each a SKU and a quantity.
pub fn check_items(value: &Value) -> Result<(), InputError> {
    let invalid = InputError::ItemsInvalid { max: QUANTITY_MAX };
    let items: Vec<ReturnItem> =
        serde_json::from_value(value.clone()).map_err(|_| invalid.clone())?;
    let valid = (1..=ITEMS_MAX).contains(&items.len())
        && items.iter().all(|item| {
            let sku = item.sku.trim();
            !sku.is_empty()
                && sku.chars().count() <= SKU_MAX_CHARS
                && (1..=QUANTITY_MAX).contains(&item.quantity)
        });
    valid.then_some(()).ok_or(invalid)
}

/// A return case's facts, read from its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnFacts {
    pub request_type: RequestType,
    pub reason: String,
    pub items: Vec<ReturnItem>,
    pub item_class: String,
    pub original_packaging: bool,
    pub return_tracking: Option<String>,
    pub return_courier: Option<String>,
    pub shipping_insurance: bool,
    pub shipped: bool,
    pub received_on: Option<NaiveDate>,
}

impl ReturnFacts {
    /// `None` for a case that is not a return, or one made before these fields existed.
    pub fn from_record(record: &Record) -> Option<ReturnFacts> {
        if record.text(case_field::KIND) != CaseKind::Return.as_str() {
            return None;
        }
        let flag = |name| record.value(name).and_then(Value::as_bool).unwrap_or(false);
        let optional_text = |name| {
            record
                .value(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        Some(ReturnFacts {
            request_type: serde_json::from_value(record.value(field::REQUEST_TYPE)?.clone())
                .ok()?,
            reason: record.text(field::RETURN_REASON),
            items: record
                .value(field::ITEMS)
                .and_then(|items| serde_json::from_value(items.clone()).ok())
                .unwrap_or_default(),
            item_class: record.text(field::ITEM_CLASS),
            original_packaging: flag(field::ORIGINAL_PACKAGING),
            return_tracking: optional_text(field::RETURN_TRACKING),
            return_courier: optional_text(field::RETURN_COURIER),
            shipping_insurance: flag(field::SHIPPING_INSURANCE),
            shipped: flag(field::SHIPPED),
            received_on: optional_text(field::RECEIVED_ON).and_then(|day| day.parse().ok()),
        })
    }

    /// The eligibility review of this request, asked at `requested_at` (the case's creation).
    pub fn review(
        &self,
        policy: ReturnPolicy<'_>,
        requested_at: DateTime<Utc>,
    ) -> Result<ReturnDecision, UnknownEntry> {
        // Midday of the day of receipt: the window counts local days, so any time that day
        // gives the same last day.
        let received_at = self.received_on.map(|day| {
            day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default())
                .and_local_timezone(policy.utc_offset)
                .single()
                .map_or(requested_at, |local| local.with_timezone(&Utc))
        });
        decide(
            policy,
            &ReturnRequest {
                request_type: self.request_type,
                reason: &self.reason,
                item_class: &self.item_class,
                received_at,
                has_original_packaging: self.original_packaging,
                has_shipping_insurance: self.shipping_insurance,
                shipped: self.shipped,
                requested_at,
            },
        )
    }
}

/// When an after-sales matter opened at `opened` must be settled: 5 working days later.
pub fn after_sales_due(hours: &WorkingHours, opened: DateTime<Utc>) -> DateTime<Utc> {
    let clock = WorkingClock::from_hours(hours);
    clock.add_working_time(opened, clock.working_day() * AFTER_SALES_WORKING_DAYS)
}

/// The open return a scanned tracking number belongs to. A closed return is not offered: its
/// parcel was dealt with, so a second parcel with its number is a new matter.
pub fn find_open_return<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    scanned: &str,
) -> Option<&'a Case> {
    let wanted = normalize_tracking(scanned);
    if wanted.is_empty() {
        return None;
    }
    cases.into_iter().find(|case| {
        case.kind == CaseKind::Return
            && case.status != CaseStatus::Closed
            && case.return_tracking.as_deref() == Some(wanted.as_str())
    })
}

/// What the packer decides about a returned parcel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionDecision {
    AcceptRefund,
    AcceptReship,
    RejectSendBack,
    Escalate,
}

impl InspectionDecision {
    pub const ALL: [InspectionDecision; 4] = [
        InspectionDecision::AcceptRefund,
        InspectionDecision::AcceptReship,
        InspectionDecision::RejectSendBack,
        InspectionDecision::Escalate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InspectionDecision::AcceptRefund => "accept_refund",
            InspectionDecision::AcceptReship => "accept_reship",
            InspectionDecision::RejectSendBack => "reject_send_back",
            InspectionDecision::Escalate => "escalate",
        }
    }

    pub fn name(self) -> Bilingual {
        match self {
            InspectionDecision::AcceptRefund => Bilingual::new("收货并退款", "Accept and refund"),
            InspectionDecision::AcceptReship => {
                Bilingual::new("收货并补发/换货", "Accept and reship or exchange")
            }
            InspectionDecision::RejectSendBack => {
                Bilingual::new("拒收退回", "Reject and send back")
            }
            InspectionDecision::Escalate => {
                Bilingual::new("转主管处理", "Escalate to a supervisor")
            }
        }
    }

    /// The parcel goes into stock: it is labelled with its supplier and style code.
    pub fn accepts(self) -> bool {
        matches!(
            self,
            InspectionDecision::AcceptRefund | InspectionDecision::AcceptReship
        )
    }
}

/// The state the returned goods are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemCondition {
    AsNew,
    Used,
    Defective,
    Damaged,
}

impl ItemCondition {
    pub const ALL: [ItemCondition; 4] = [
        ItemCondition::AsNew,
        ItemCondition::Used,
        ItemCondition::Defective,
        ItemCondition::Damaged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemCondition::AsNew => "as_new",
            ItemCondition::Used => "used",
            ItemCondition::Defective => "defective",
            ItemCondition::Damaged => "damaged",
        }
    }

    pub fn name(self) -> Bilingual {
        match self {
            ItemCondition::AsNew => Bilingual::new("完好", "As new"),
            ItemCondition::Used => Bilingual::new("已使用", "Used"),
            ItemCondition::Defective => Bilingual::new("有瑕疵", "Defective"),
            ItemCondition::Damaged => Bilingual::new("破损", "Damaged"),
        }
    }
}

/// The packing station's checklist and decision for one parcel: an `inspection` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    /// The tracking number as scanned.
    pub tracking: String,
    pub tracking_matches: bool,
    pub items_match: bool,
    pub original_packaging: bool,
    pub tags_intact: bool,
    pub condition: ItemCondition,
    pub note: String,
    pub decision: InspectionDecision,
    #[serde(default)]
    pub supplier: String,
    #[serde(default)]
    pub style_code: String,
    /// The parcel, the items and the waybill as the packer found them.
    #[serde(default)]
    pub photos: Vec<PhotoRef>,
    /// The answers to the shop's own checks (the policy's `inspection_checks` beyond
    /// [`BUILT_IN_CHECKS`]), by check id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other_checks: BTreeMap<String, bool>,
}

/// The most checks of its own a shop's checklist may add, and the longest id: guards against
/// an event inflated by hand, not a policy.
const OTHER_CHECKS_MAX: usize = 30;
const CHECK_ID_MAX_CHARS: usize = 64;

impl Inspection {
    /// Something differs from what the customer said: the packer writes down what. The
    /// packaging is not: only a one-off item needs it (`check_inspection`).
    pub fn finds_a_problem(&self) -> bool {
        !self.tracking_matches
            || !self.items_match
            || !self.tags_intact
            || self.other_checks.values().any(|passed| !passed)
            || self.condition != ItemCondition::AsNew
    }

    /// The answer to the checklist's check `id`, if this inspection answered it.
    pub fn answer(&self, id: &str) -> Option<bool> {
        match id {
            check::TRACKING => Some(self.tracking_matches),
            check::ITEMS => Some(self.items_match),
            check::PACKAGING => Some(self.original_packaging),
            check::TAGS => Some(self.tags_intact),
            other => self.other_checks.get(other).copied(),
        }
    }

    /// Records the answer to the checklist's check `id`.
    pub fn set_answer(&mut self, id: &str, passed: bool) {
        match id {
            check::TRACKING => self.tracking_matches = passed,
            check::ITEMS => self.items_match = passed,
            check::PACKAGING => self.original_packaging = passed,
            check::TAGS => self.tags_intact = passed,
            other => {
                self.other_checks.insert(other.to_owned(), passed);
            }
        }
    }
}

/// Why the station may not record an inspection as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectionProblem {
    NotAReturn,
    LabelMissing,
    LabelTooLong,
    OneOffWithoutPackaging,
    NoteMissing,
    NoteTooLong,
    PhotoMissing,
    ChecksInvalid,
}

impl InspectionProblem {
    pub fn message(self) -> Bilingual {
        match self {
            InspectionProblem::NotAReturn => Bilingual::new(
                "只有退换货案件可以验货",
                "Only a return case can be inspected",
            ),
            InspectionProblem::LabelMissing => Bilingual::new(
                "收货入库请填写供应商和款号",
                "To accept the parcel, enter its supplier and style code",
            ),
            InspectionProblem::LabelTooLong => Bilingual::new(
                format!("供应商和款号各不能超过 {LABEL_MAX_CHARS} 个字"),
                format!(
                    "The supplier and the style code can be at most {LABEL_MAX_CHARS} characters each"
                ),
            ),
            InspectionProblem::OneOffWithoutPackaging => Bilingual::new(
                "孤品没有原包装，不能收货：请拒收退回",
                "A one-off item without its original packaging cannot be accepted: reject and send it back",
            ),
            InspectionProblem::NoteMissing => Bilingual::new(
                "有不一致、瑕疵，或拒收、转主管时，请写明情况",
                "When something differs or is defective, or the parcel is rejected or escalated, write down what",
            ),
            InspectionProblem::PhotoMissing => Bilingual::new(
                "请至少拍一张照片（包裹、商品或面单）再做决定",
                "Take at least one photo (the parcel, the items or the waybill) before deciding",
            ),
            InspectionProblem::ChecksInvalid => Bilingual::new(
                format!("检查项最多 {OTHER_CHECKS_MAX} 个，编号不能为空或过长"),
                format!(
                    "At most {OTHER_CHECKS_MAX} checks of the shop's own, each with a short id"
                ),
            ),
            InspectionProblem::NoteTooLong => Bilingual::new(
                format!("说明不能超过 {NOTE_MAX_CHARS} 个字"),
                format!("The note can be at most {NOTE_MAX_CHARS} characters"),
            ),
        }
    }
}

/// Whether `inspection` may be recorded on `record`: a return; an accepted parcel labelled;
/// a one-off item (孤品) accepted only in its original packaging; a problem, a rejection or
/// an escalation explained; and at least one photo, so the decision can be checked later.
pub fn check_inspection(
    policy: ReturnPolicy<'_>,
    record: &Record,
    inspection: &Inspection,
) -> Result<(), InspectionProblem> {
    let facts = ReturnFacts::from_record(record).ok_or(InspectionProblem::NotAReturn)?;
    let note = inspection.note.trim();
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(InspectionProblem::NoteTooLong);
    }
    let odd_check = |id: &String| {
        id.trim().is_empty()
            || id.chars().count() > CHECK_ID_MAX_CHARS
            || BUILT_IN_CHECKS.contains(&id.as_str())
    };
    if inspection.other_checks.len() > OTHER_CHECKS_MAX
        || inspection.other_checks.keys().any(odd_check)
    {
        return Err(InspectionProblem::ChecksInvalid);
    }
    let accepts = inspection.decision.accepts();
    let needs_packaging = policy
        .item_class(&facts.item_class)
        .is_ok_and(|class| class.return_requires_original_packaging);
    if accepts && needs_packaging && !inspection.original_packaging {
        return Err(InspectionProblem::OneOffWithoutPackaging);
    }
    if accepts && (inspection.supplier.trim().is_empty() || inspection.style_code.trim().is_empty())
    {
        return Err(InspectionProblem::LabelMissing);
    }
    let needs_note = inspection.finds_a_problem() || !accepts;
    if needs_note && note.is_empty() {
        return Err(InspectionProblem::NoteMissing);
    }
    if inspection.photos.is_empty() {
        return Err(InspectionProblem::PhotoMissing);
    }
    if [&inspection.supplier, &inspection.style_code]
        .iter()
        .any(|label| label.chars().count() > LABEL_MAX_CHARS)
    {
        return Err(InspectionProblem::LabelTooLong);
    }
    Ok(())
}

/// The server's and the device's check of a change to a return: its reason and item class
/// are the policy's, and an inspection passes [`check_inspection`].
pub fn check_return_change(
    policy: ReturnPolicy<'_>,
    existing: Option<&Record>,
    op: &Op,
) -> Result<(), Bilingual> {
    let unknown = |entry: UnknownEntry| entry.message();
    let check_field = |name: &str, value: &Value| -> Result<(), Bilingual> {
        match (name, value.as_str()) {
            (field::RETURN_REASON, Some(id)) => policy.return_reason(id).map(drop).map_err(unknown),
            (field::ITEM_CLASS, Some(id)) => policy.item_class(id).map(drop).map_err(unknown),
            _ => Ok(()),
        }
    };
    match op {
        Op::Create { fields } => fields
            .iter()
            .try_for_each(|(name, value)| check_field(name, value)),
        Op::Set { field, value, .. } => check_field(field, value),
        Op::Append { kind, data, .. } if kind == event::INSPECTION => {
            let Some(record) = existing else {
                return Ok(());
            };
            let inspection: Inspection = serde_json::from_value(data.clone())
                .map_err(|_| InputError::InspectionInvalid.message())?;
            check_inspection(policy, record, &inspection).map_err(InspectionProblem::message)
        }
        _ => Ok(()),
    }
}

/// A case's inspections, oldest first, with who recorded each and when.
pub fn inspections(record: &Record) -> Vec<(String, DateTime<Utc>, Inspection)> {
    record
        .events
        .iter()
        .filter(|entry| entry.kind == event::INSPECTION)
        .filter_map(|entry| {
            let inspection = serde_json::from_value(entry.data.clone()).ok()?;
            Some((entry.origin.by.clone(), entry.origin.at, inspection))
        })
        .collect()
}

/// How long the after-sales clock has left, negative once overdue.
pub fn after_sales_left(
    hours: &WorkingHours,
    opened: DateTime<Utc>,
    now: DateTime<Utc>,
) -> TimeDelta {
    let due = after_sales_due(hours, opened);
    let clock = WorkingClock::from_hours(hours);
    if now <= due {
        clock.working_time_between(now, due)
    } else {
        -clock.working_time_between(due, now)
    }
}

#[cfg(test)]
mod tests;
