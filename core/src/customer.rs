//! The customer profile (每个客户建立独立的档案, seed 000 §1, §5.6): who a customer is, kept once
//! and linked from their cases. Stored as records of type `customer`; this is the typed view,
//! its fields and how a customer is found.

use crate::record::{Record, RecordType};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use uuid::Uuid;

pub mod field {
    pub const NAME: &str = "name";
    pub const PHONE: &str = "phone";
    /// The customer's account name in the shop.
    pub const ACCOUNT: &str = "account";
    pub const ADDRESS: &str = "address";
    pub const ALL: [&str; 4] = [NAME, PHONE, ACCOUNT, ADDRESS];
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
