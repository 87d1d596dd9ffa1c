//! The case: one customer matter (inquiry, return, complaint, feedback) and its timeline of notes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What kind of work a case is; each later gets its own flow (SPEC §1, §3, §4, §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    Inquiry,
    Return,
    Complaint,
    Feedback,
}

impl CaseKind {
    pub const ALL: [CaseKind; 4] = [
        CaseKind::Inquiry,
        CaseKind::Return,
        CaseKind::Complaint,
        CaseKind::Feedback,
    ];

    /// Stable identifier used in storage, URLs and translation keys.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::Inquiry => "inquiry",
            CaseKind::Return => "return",
            CaseKind::Complaint => "complaint",
            CaseKind::Feedback => "feedback",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// Where a case stands. Richer per-kind state machines refine this later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    Pending,
    Resolved,
    Closed,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Pending => "pending",
            CaseStatus::Resolved => "resolved",
            CaseStatus::Closed => "closed",
        }
    }
}

/// A case as stored on a device and on the server.
///
/// `owner` is whoever first received the case (首接负责制, SPEC §1) and never changes.
/// `revision` identifies the last edit: it is the change id (UUIDv7, so time-ordered) of the
/// write that produced this version, and is what concurrent edits are merged by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: Uuid,
    pub kind: CaseKind,
    pub title: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub order_number: Option<String>,
    pub status: CaseStatus,
    pub owner: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub revision: Uuid,
}

/// One entry of a case's append-only timeline. Notes are never edited, so they never conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: Uuid,
    pub case_id: Uuid,
    pub author: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// Case-insensitive search over the fields an agent types into the list's search box.
pub fn case_matches(case: &Case, query: &str) -> bool {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return true;
    }
    [
        case.title.as_str(),
        case.customer_name.as_str(),
        case.customer_phone.as_str(),
        case.order_number.as_deref().unwrap_or(""),
    ]
    .iter()
    .any(|field| field.to_lowercase().contains(&query))
}

/// Newest first, the order of the case list; ties broken by id so the order is stable.
pub fn sort_newest_first(cases: &mut [Case]) {
    cases.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn case(title: &str, name: &str, phone: &str, order: Option<&str>, minute: u32) -> Case {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, minute, 0).unwrap();
        Case {
            id: Uuid::from_u128(minute as u128),
            kind: CaseKind::Inquiry,
            title: title.into(),
            customer_name: name.into(),
            customer_phone: phone.into(),
            order_number: order.map(Into::into),
            status: CaseStatus::Open,
            owner: "demo".into(),
            created_at: at,
            updated_at: at,
            revision: Uuid::from_u128(minute as u128),
        }
    }

    #[test]
    fn search_matches_each_typed_field() {
        let c = case("快递未收到", "王芳", "13800001111", Some("SO-2026-7"), 1);
        let table = [
            ("", true),
            ("  ", true),
            ("快递", true),
            ("王", true),
            ("0001111", true),
            ("so-2026", true),
            ("退款", false),
            ("13900", false),
        ];
        for (query, expected) in table {
            assert_eq!(case_matches(&c, query), expected, "query {query:?}");
        }
    }

    #[test]
    fn list_is_newest_first() {
        let mut cases = vec![
            case("a", "", "", None, 1),
            case("c", "", "", None, 3),
            case("b", "", "", None, 2),
        ];
        sort_newest_first(&mut cases);
        let titles: Vec<_> = cases.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["c", "b", "a"]);
    }

    #[test]
    fn kind_round_trips_through_its_name() {
        for kind in CaseKind::ALL {
            assert_eq!(CaseKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(CaseKind::parse("refund"), None);
    }
}
