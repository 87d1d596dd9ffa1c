//! What the core's tests share, written once: a return as the agent opens it, and the
//! changes a test makes to the one case it is about.

use crate::hlc::Hlc;
use crate::kinds::case::returns::{NewReturn, ReturnItem};
use crate::policy::RequestType;
use crate::record::RecordType;
use crate::sync::{Change, Op};
use chrono::NaiveDate;
use serde_json::Value;
use uuid::Uuid;

/// The case a test is about.
pub const CASE_ID: Uuid = Uuid::from_u128(7);

/// The `n`th change to the test's case: its stamp (`n`) orders it after the ones before.
pub fn case_change(n: u128, op: Op) -> Change {
    change_to(RecordType::Case, CASE_ID, n, op)
}

/// The `n`th change of a test, to `record_id`: its id is `n`, its stamp orders it.
pub fn change_to(record_type: RecordType, record_id: Uuid, n: u128, op: Op) -> Change {
    Change {
        change_id: Uuid::from_u128(n),
        device: Uuid::from_u128(9),
        stamp: Hlc::new(n as i64, 0),
        record_type,
        record_id,
        op,
    }
}

/// The `n`th change, adding a `kind` entry (its id 1000 + `n`) to the test's case.
pub fn case_entry(n: u128, kind: &str, data: Value) -> Change {
    case_change(
        n,
        Op::Append {
            event: Uuid::from_u128(1000 + n),
            kind: kind.into(),
            data,
        },
    )
}

/// A changed-mind return of one gift box, shipped, received on 2026-03-02, sent back by SF.
pub fn new_return() -> NewReturn {
    NewReturn {
        title: "退货退款 · SO-1001".into(),
        request_type: RequestType::ReturnRefund,
        reason: "changed_mind".into(),
        customer_name: "王芳".into(),
        customer_phone: "13800138000".into(),
        order_number: Some("SO-1001".into()),
        items: vec![ReturnItem {
            sku: "TEA-GIFT-01".into(),
            quantity: 1,
        }],
        item_class: "normal".into(),
        original_packaging: true,
        return_tracking: "SF12345678".into(),
        return_courier: "sf".into(),
        shipping_insurance: false,
        shipped: true,
        received_on: NaiveDate::from_ymd_opt(2026, 3, 2),
    }
}
