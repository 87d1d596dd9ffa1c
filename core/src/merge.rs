//! Convergent merge of case versions: every replica picks the same winner, whatever order
//! versions arrive in.

use crate::case::Case;

/// Which version of a case survives when two meet (a pull on the device, a push on the server).
///
/// The later edit wins, judged by `(updated_at, revision)`; the revision (a unique UUIDv7)
/// breaks ties so the outcome never depends on arrival order. The first receiver stays owner
/// and the creation time stays the first one, whoever wins (首接负责制).
pub fn merge_case(current: Option<&Case>, incoming: &Case) -> Case {
    let Some(current) = current else {
        return incoming.clone();
    };
    let incoming_is_newer =
        (incoming.updated_at, incoming.revision) > (current.updated_at, current.revision);
    let mut winner = if incoming_is_newer {
        incoming.clone()
    } else {
        current.clone()
    };
    // Ties on creation time fall back to the owner's name: a pair that travels together in
    // merged versions, which keeps the choice associative.
    let first = if (&incoming.created_at, &incoming.owner) < (&current.created_at, &current.owner) {
        incoming
    } else {
        current
    };
    winner.owner = first.owner.clone();
    winner.created_at = first.created_at;
    winner
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{CaseKind, CaseStatus};
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;
    use uuid::Uuid;

    fn version(
        owner: &str,
        created_min: u32,
        updated_min: u32,
        revision: u128,
        title: &str,
    ) -> Case {
        Case {
            id: Uuid::from_u128(1),
            kind: CaseKind::Complaint,
            title: title.into(),
            customer_name: "李雷".into(),
            customer_phone: "13800000000".into(),
            order_number: None,
            status: CaseStatus::Open,
            owner: owner.into(),
            created_at: Utc
                .with_ymd_and_hms(2026, 11, 23, 8, created_min, 0)
                .unwrap(),
            updated_at: Utc
                .with_ymd_and_hms(2026, 11, 23, 9, updated_min, 0)
                .unwrap(),
            revision: Uuid::from_u128(revision),
        }
    }

    #[test]
    fn table() {
        let a = version("alice", 0, 10, 5, "A");
        let b_later = version("bob", 1, 20, 3, "B");
        let b_same_time_higher_rev = version("bob", 1, 10, 6, "B");
        let b_older = version("bob", 1, 5, 9, "B");

        assert_eq!(merge_case(None, &a), a);
        let merged = merge_case(Some(&a), &b_later);
        assert_eq!(
            (merged.title.as_str(), merged.owner.as_str()),
            ("B", "alice")
        );
        let merged = merge_case(Some(&a), &b_same_time_higher_rev);
        assert_eq!(
            (merged.title.as_str(), merged.owner.as_str()),
            ("B", "alice")
        );
        let merged = merge_case(Some(&a), &b_older);
        assert_eq!(
            (merged.title.as_str(), merged.owner.as_str()),
            ("A", "alice")
        );
        assert_eq!(merged.created_at, a.created_at);
    }

    fn arb_version() -> impl Strategy<Value = Case> {
        (0u32..3, 0u32..60, 0u32..60, 0u128..1000, "[AB]").prop_map(
            |(owner, created, updated, revision, title)| {
                version(
                    ["alice", "bob", "carol"][owner as usize],
                    created,
                    updated,
                    revision,
                    &title,
                )
            },
        )
    }

    /// Versions as replicas would see them: a revision names exactly one version, so make
    /// revisions unique (the random part keeps tie-breaking independent of the timestamps).
    fn arb_history() -> impl Strategy<Value = Vec<Case>> {
        prop::collection::vec(arb_version(), 1..8).prop_map(|mut versions| {
            for (index, version) in versions.iter_mut().enumerate() {
                version.revision = Uuid::from_u128(version.revision.as_u128() * 16 + index as u128);
            }
            versions
        })
    }

    proptest! {
        /// Two replicas that see the same versions in different orders end up identical.
        #[test]
        fn merge_converges_in_any_order(versions in arb_history()) {
            let forward = versions.iter().fold(None, |acc: Option<Case>, v| Some(merge_case(acc.as_ref(), v)));
            let backward = versions.iter().rev().fold(None, |acc: Option<Case>, v| Some(merge_case(acc.as_ref(), v)));
            prop_assert_eq!(forward, backward);
        }

        /// Receiving the same version again changes nothing.
        #[test]
        fn merge_is_idempotent(pair in arb_history()) {
            let (a, b) = (&pair[0], pair.last().unwrap());
            let once = merge_case(Some(a), b);
            let twice = merge_case(Some(&once), b);
            prop_assert_eq!(once, twice);
        }
    }
}
