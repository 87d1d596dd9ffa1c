//! When a shared device locks: after the policy's idle minutes without a touch or a key, so a
//! tablet left at the packing station does not stay open as the last user, with their team's
//! customers on screen.

use crate::policy::DeviceRules;

/// Whether a shared device last used at `last_activity_ms` is due to lock at `now_ms`.
/// A device not marked as shared, or a policy of 0 minutes, never locks.
pub fn due(rules: &DeviceRules, shared: bool, last_activity_ms: i64, now_ms: i64) -> bool {
    let minutes = rules.idle_lock_minutes;
    shared && minutes > 0 && now_ms - last_activity_ms >= i64::from(minutes) * 60_000
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    fn rules(minutes: u32) -> DeviceRules {
        DeviceRules {
            idle_lock_minutes: minutes,
        }
    }

    #[test]
    fn idle_lock_table() {
        const MINUTE: i64 = 60_000;
        let cases = [
            (10, true, 0, 10 * MINUTE - 1, false),
            (10, true, 0, 10 * MINUTE, true),
            (10, true, 5 * MINUTE, 14 * MINUTE, false),
            (10, false, 0, 60 * MINUTE, false),
            (0, true, 0, 600 * MINUTE, false),
            (1, true, 0, MINUTE, true),
            // A clock set back since the last touch never locks at once.
            (10, true, 20 * MINUTE, 0, false),
        ];
        for (minutes, shared, last, now, locks) in cases {
            assert_eq!(
                due(&rules(minutes), shared, last, now),
                locks,
                "{minutes} {shared} {last} {now}"
            );
        }
        assert_eq!(
            Policy::default_policy().data().devices.idle_lock_minutes,
            10
        );
    }
}
