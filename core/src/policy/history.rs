//! The policy's history as an admin sees it: each version with who made it and when, newest
//! first, and which one is in force. The server keeps every version (`keeps_history` of the
//! policy kind); this is the list it answers with.

use crate::record::{Field, Version};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyVersionInfo {
    /// The change id that made it: the version a decision names.
    pub version: Uuid,
    pub by: String,
    pub at: DateTime<Utc>,
    pub in_force: bool,
}

/// A version as people read it: the last 8 hex digits of its id, which are random in a UUIDv7
/// (the first ones are its time, shared by versions made within a minute).
pub fn short_version(version: Uuid) -> String {
    let hex = version.simple().to_string();
    hex[hex.len() - 8..].to_owned()
}

/// The versions `kept` (oldest first, as stored) and the record's field as it stands: the
/// version in force is listed even if it was stored before the history was kept.
pub fn versions_listed(kept: &[Version], field: Option<&Field>) -> Vec<PolicyVersionInfo> {
    let in_force = field.map(|field| &field.current);
    let mut listed: Vec<PolicyVersionInfo> = kept
        .iter()
        .chain(in_force.filter(|current| {
            !kept
                .iter()
                .any(|version| version.origin.change == current.origin.change)
        }))
        .map(|version| PolicyVersionInfo {
            version: version.origin.change,
            by: version.origin.by.clone(),
            at: version.origin.at,
            in_force: in_force
                .is_some_and(|current| current.origin.change == version.origin.change),
        })
        .collect();
    listed.sort_by(|a, b| b.at.cmp(&a.at).then(b.version.cmp(&a.version)));
    listed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;
    use crate::record::Origin;
    use chrono::TimeZone;
    use serde_json::json;
    use std::collections::BTreeSet;

    fn version(n: u128, by: &str, minute: u32) -> Version {
        Version {
            value: json!(n),
            origin: Origin {
                by: by.into(),
                at: Utc.with_ymd_and_hms(2026, 12, 6, 10, minute, 0).unwrap(),
                stamp: Hlc::new(0, 0),
                change: Uuid::from_u128(n),
            },
        }
    }

    fn field(current: Version) -> Field {
        Field {
            current,
            conflicts: Vec::new(),
            superseded: BTreeSet::new(),
        }
    }

    fn summary(listed: &[PolicyVersionInfo]) -> Vec<(u128, &str, bool)> {
        listed
            .iter()
            .map(|info| (info.version.as_u128(), info.by.as_str(), info.in_force))
            .collect()
    }

    #[test]
    fn a_short_version_is_the_random_end_of_the_id() {
        let id = Uuid::parse_str("0193a5c0-7b1e-7000-8000-00000a1b2c3d").unwrap();
        assert_eq!(short_version(id), "0a1b2c3d");
    }

    #[test]
    fn newest_first_with_the_one_in_force_marked() {
        let kept = [version(1, "system", 0), version(2, "admin", 5)];
        let listed = versions_listed(&kept, Some(&field(version(2, "admin", 5))));
        assert_eq!(summary(&listed), [(2, "admin", true), (1, "system", false)]);
    }

    #[test]
    fn a_version_stored_before_history_was_kept_is_still_listed() {
        let listed = versions_listed(&[], Some(&field(version(1, "system", 0))));
        assert_eq!(summary(&listed), [(1, "system", true)]);
        // A restored old version is in force again, listed once.
        let kept = [version(1, "system", 0), version(2, "admin", 5)];
        let restored = version(3, "admin", 9);
        let listed = versions_listed(&kept, Some(&field(restored)));
        assert_eq!(
            summary(&listed),
            [
                (3, "admin", true),
                (2, "admin", false),
                (1, "system", false)
            ]
        );
        assert_eq!(versions_listed(&[], None), []);
    }
}
