//! The customer profile (每个客户建立独立的档案, seed 000 §1, §5.6): who a customer is, kept once
//! and linked from their cases. Stored as records of type `customer`; this is the typed view,
//! its fields and how a customer is found.

use crate::account::{Denied, Role, UserInfo};
use crate::input::{
    ACCOUNT_MAX_CHARS, ADDRESS_MAX_CHARS, InputError, check_customer_name, check_new_fields,
    check_phone, text_within,
};
use crate::kinds::RecordKind;
use crate::kinds::case::Case;
use crate::record::{Record, RecordType};
use crate::sync::Op;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

pub mod field {
    pub const NAME: &str = "name";
    pub const PHONE: &str = "phone";
    /// The customer's account name in the shop.
    pub const ACCOUNT: &str = "account";
    pub const ADDRESS: &str = "address";
    pub const ALL: [&str; 4] = [NAME, PHONE, ACCOUNT, ADDRESS];
}

/// The customer record kind: agents, leads and supervisors keep profiles; QA reads them, the
/// station does not touch them, only an admin deletes one.
pub struct Customers;

impl RecordKind for Customers {
    fn may_change(
        &self,
        user: &UserInfo,
        _existing: Option<&Record>,
        op: &Op,
    ) -> Result<(), Denied> {
        match (user.role, op) {
            (Role::Packer, _) => Err(Denied::StationOnly),
            // A profile has no timeline.
            (_, Op::Append { kind, .. }) => Err(Denied::UndeclaredEvent { kind: kind.clone() }),
            (Role::Admin, _) => Ok(()),
            (_, Op::Delete) => Err(Denied::AdminOnly),
            (Role::Qa, _) => Err(Denied::ReadOnlyRole),
            _ => Ok(()),
        }
    }

    fn check_op(&self, op: &Op) -> Result<(), InputError> {
        match op {
            Op::Create { fields } => check_new_customer(fields),
            Op::Set { field, value, .. } => check_customer_field(field, value),
            Op::Append { kind, .. } => Err(InputError::UnknownEvent { kind: kind.clone() }),
            Op::Delete => Ok(()),
        }
    }
}

/// A new customer's first values: every customer field present and valid, nothing else.
pub fn check_new_customer(fields: &BTreeMap<String, Value>) -> Result<(), InputError> {
    check_new_fields(fields, &field::ALL, check_customer_field)
}

/// One customer field's value.
pub fn check_customer_field(name: &str, value: &Value) -> Result<(), InputError> {
    match name {
        field::NAME => {
            let name = value.as_str().ok_or(InputError::CustomerNameEmpty)?;
            if name.trim().is_empty() {
                return Err(InputError::CustomerNameEmpty);
            }
            check_customer_name(name)
        }
        field::PHONE => check_phone(value.as_str().ok_or(InputError::PhoneInvalid)?),
        field::ACCOUNT => text_within(
            value,
            ACCOUNT_MAX_CHARS,
            InputError::AccountTooLong {
                max: ACCOUNT_MAX_CHARS,
            },
        )
        .map(drop),
        field::ADDRESS => text_within(
            value,
            ADDRESS_MAX_CHARS,
            InputError::AddressTooLong {
                max: ADDRESS_MAX_CHARS,
            },
        )
        .map(drop),
        other => Err(InputError::UnknownField {
            field: other.to_owned(),
        }),
    }
}

/// What an agent types to add a customer; becomes the record's first field values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewCustomer {
    pub name: String,
    pub phone: String,
    pub account: String,
    pub address: String,
}

impl NewCustomer {
    pub fn fields(&self) -> BTreeMap<String, Value> {
        BTreeMap::from([
            (field::NAME.to_owned(), json!(self.name)),
            (field::PHONE.to_owned(), json!(self.phone)),
            (field::ACCOUNT.to_owned(), json!(self.account)),
            (field::ADDRESS.to_owned(), json!(self.address)),
        ])
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: Uuid,
    pub name: String,
    pub phone: String,
    pub account: String,
    pub address: String,
    pub team: String,
}

impl Customer {
    /// `None` for another type of record, or one not created yet or deleted.
    pub fn from_record(record: &Record) -> Option<Customer> {
        if record.record_type != RecordType::Customer || !record.is_live() {
            return None;
        }
        Some(Customer {
            id: record.id,
            name: record.text(field::NAME),
            phone: record.text(field::PHONE),
            account: record.text(field::ACCOUNT),
            address: record.text(field::ADDRESS),
            team: record.team.clone(),
        })
    }
}

/// Finding a customer as an agent types a phone number, a name or an account: phone numbers
/// match on their digits (spaces and dashes ignored), names and accounts as substrings,
/// ignoring case.
pub fn customer_matches(customer: &Customer, query: &str) -> bool {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return true;
    }
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    let phone_digits: String = customer
        .phone
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let looks_like_phone = !digits.is_empty()
        && query
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+'));
    (looks_like_phone && phone_digits.contains(&digits))
        || customer.name.to_lowercase().contains(&query)
        || customer.account.to_lowercase().contains(&query)
}

/// The customers an agent may mean by `query`: those [`customer_matches`] finds, and those
/// with a case whose order number holds it (an order number is often all a customer gives).
/// In the order of `customers`.
pub fn find_customers<'a>(
    customers: &'a [Customer],
    cases: &[impl Borrow<Case>],
    query: &str,
) -> Vec<&'a Customer> {
    let order_query = query.trim().to_lowercase();
    let by_order: BTreeSet<Uuid> = if order_query.is_empty() {
        BTreeSet::new()
    } else {
        cases
            .iter()
            .map(Borrow::<Case>::borrow)
            .filter(|case| {
                case.order_number
                    .as_deref()
                    .is_some_and(|order| order.to_lowercase().contains(&order_query))
            })
            .filter_map(|case| case.customer)
            .collect()
    };
    customers
        .iter()
        .filter(|customer| by_order.contains(&customer.id) || customer_matches(customer, query))
        .collect()
}

/// A customer's cases, for the profile: those linked to the profile, and those logged before
/// it existed with the same phone number (unlinked, but plainly the same person).
pub fn cases_of<'a>(customer: &Customer, cases: &'a [impl Borrow<Case>]) -> Vec<&'a Case> {
    let phone = phone_digits(&customer.phone);
    cases
        .iter()
        .map(Borrow::<Case>::borrow)
        .filter(|case| match case.customer {
            Some(linked) => linked == customer.id,
            None => !phone.is_empty() && phone_digits(&case.customer_phone) == phone,
        })
        .collect()
}

/// Whether two cases are about the same customer: the same linked profile, or, where either
/// is not linked, the same phone digits.
pub fn same_customer(one: &Case, other: &Case) -> bool {
    match (one.customer, other.customer) {
        (Some(one), Some(other)) => one == other,
        _ => {
            let phone = phone_digits(&one.customer_phone);
            !phone.is_empty() && phone == phone_digits(&other.customer_phone)
        }
    }
}

fn phone_digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// The order numbers of `cases`, each once, in the order first met.
pub fn orders_of(cases: &[&Case]) -> Vec<String> {
    let mut orders: Vec<String> = Vec::new();
    for order in cases.iter().filter_map(|case| case.order_number.as_ref()) {
        if !orders.contains(order) {
            orders.push(order.clone());
        }
    }
    orders
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::case::{CaseKind, CaseStatus};

    #[test]
    fn a_customer_is_found_by_phone_digits_name_or_account() {
        let wang = Customer {
            id: Uuid::from_u128(1),
            name: "王芳".into(),
            phone: "138-0013 8000".into(),
            account: "WangFang88".into(),
            address: "杭州市西湖区".into(),
            team: "east".into(),
        };
        let cases = [
            ("13800138000", true),
            ("138 0013", true),
            ("8000", true),
            ("13900000000", false),
            ("王芳", true),
            ("芳", true),
            ("李", false),
            ("wangfang", true),
            ("FANG88", true),
            ("杭州", false),
            ("", true),
        ];
        for (query, expected) in cases {
            assert_eq!(customer_matches(&wang, query), expected, "{query:?}");
        }
    }

    fn customer(n: u128, name: &str, phone: &str) -> Customer {
        Customer {
            id: Uuid::from_u128(n),
            name: name.into(),
            phone: phone.into(),
            account: String::new(),
            address: String::new(),
            team: "east".into(),
        }
    }

    fn case(n: u128, customer: Option<u128>, phone: &str, order: Option<&str>) -> Case {
        Case {
            id: Uuid::from_u128(100 + n),
            kind: CaseKind::Inquiry,
            title: format!("case {n}"),
            customer_name: String::new(),
            customer_phone: phone.into(),
            order_number: order.map(Into::into),
            status: CaseStatus::Open,
            owner: "demo".into(),
            created_at: chrono::DateTime::UNIX_EPOCH,
            team: "east".into(),
            customer: customer.map(Uuid::from_u128),
            reply_due: None,
            problem: false,
            return_tracking: None,
            order_amount: None,
            escalations: Vec::new(),
            callbacks: Vec::new(),
            script: None,
            pin: None,
        }
    }

    #[test]
    fn customers_are_found_by_their_cases_order_numbers_too() {
        let customers = [
            customer(1, "王芳", "13800138000"),
            customer(2, "李雷", "13900139000"),
        ];
        let cases = [
            case(1, Some(1), "", Some("SO-2026-0001")),
            case(2, Some(2), "", Some("SO-2026-0002")),
            case(3, None, "", Some("SO-2026-0003")),
        ];
        let table: [(&str, &[u128]); 6] = [
            ("so-2026-0001", &[1]),
            ("SO-2026", &[1, 2]),
            ("0003", &[]),
            ("李", &[2]),
            ("138", &[1]),
            ("", &[1, 2]),
        ];
        for (query, expected) in table {
            let found: Vec<u128> = find_customers(&customers, &cases, query)
                .iter()
                .map(|customer| customer.id.as_u128())
                .collect();
            assert_eq!(found, expected, "{query:?}");
        }
    }

    #[test]
    fn a_profile_holds_its_linked_cases_and_unlinked_ones_with_its_phone() {
        let wang = customer(1, "王芳", "138-0013-8000");
        let cases = [
            case(1, Some(1), "", Some("SO-1")),
            case(2, None, "13800138000", Some("SO-2")),
            case(3, Some(2), "13800138000", Some("SO-3")),
            case(4, None, "13900139000", None),
            case(5, Some(1), "", Some("SO-1")),
        ];
        let found = cases_of(&wang, &cases);
        let ids: Vec<u128> = found.iter().map(|case| case.id.as_u128() - 100).collect();
        assert_eq!(ids, [1, 2, 5]);
        assert_eq!(orders_of(&found), ["SO-1", "SO-2"]);
        let no_phone = customer(3, "匿名", "");
        assert!(cases_of(&no_phone, &cases).is_empty());
    }
}
