//! Hybrid logical clock stamps: the order in which edits of the same field are merged.
//!
//! A stamp is the device's wall clock in milliseconds plus a counter. A device makes each new
//! stamp larger than every stamp it has made or seen, so an edit made after seeing another
//! always sorts after it, even when the device's clock runs slow. A clock that runs ahead
//! cannot freeze a record either: the server clamps stamps more than [`CLAMP_TOLERANCE_MS`]
//! in its future before anyone else sees them.

use serde::{Deserialize, Serialize};

/// How far ahead of the server's clock a device's stamp may run before it is clamped.
pub const CLAMP_TOLERANCE_MS: i64 = 60_000;

/// One stamp, ordered by wall time, then counter. Ties between different changes are broken by
/// their change id wherever stamps are compared (see `record::merge`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch, as the device's clock (or a stamp it saw) said.
    pub wall_ms: i64,
    /// Distinguishes stamps made within the same millisecond, or after seeing a later stamp.
    pub counter: u32,
}

impl Hlc {
    pub const fn new(wall_ms: i64, counter: u32) -> Self {
        Self { wall_ms, counter }
    }

    /// The next stamp for a local edit: later than `latest` (every stamp made or seen so far)
    /// and as close to the clock `now_ms` as that allows.
    pub fn next(latest: Hlc, now_ms: i64) -> Hlc {
        if now_ms > latest.wall_ms {
            Hlc::new(now_ms, 0)
        } else {
            match latest.counter.checked_add(1) {
                Some(counter) => Hlc::new(latest.wall_ms, counter),
                // 4 billion edits in one millisecond cannot happen; stay monotonic anyway.
                None => Hlc::new(latest.wall_ms + 1, 0),
            }
        }
    }

    /// What the server does to a stamp on receipt: one that runs more than the tolerance ahead
    /// of the server's clock is pulled back to that limit, keeping its counter.
    pub fn clamp(self, server_now_ms: i64) -> Hlc {
        let limit = server_now_ms + CLAMP_TOLERANCE_MS;
        if self.wall_ms > limit {
            Hlc::new(limit, self.counter)
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn next_table() {
        let table = [
            // (latest, now, expected): the clock moved on; the clock stood still; it ran back.
            (Hlc::new(1_000, 3), 2_000, Hlc::new(2_000, 0)),
            (Hlc::new(1_000, 3), 1_000, Hlc::new(1_000, 4)),
            (Hlc::new(5_000, 0), 1_000, Hlc::new(5_000, 1)),
            (Hlc::new(5_000, u32::MAX), 1_000, Hlc::new(5_001, 0)),
        ];
        for (latest, now, expected) in table {
            assert_eq!(Hlc::next(latest, now), expected, "{latest:?} at {now}");
        }
    }

    #[test]
    fn clamp_table() {
        let now = 1_000_000;
        let table = [
            (Hlc::new(now, 7), Hlc::new(now, 7)),
            (
                Hlc::new(now + CLAMP_TOLERANCE_MS, 2),
                Hlc::new(now + CLAMP_TOLERANCE_MS, 2),
            ),
            (
                Hlc::new(now + CLAMP_TOLERANCE_MS + 1, 2),
                Hlc::new(now + CLAMP_TOLERANCE_MS, 2),
            ),
            (
                Hlc::new(i64::MAX / 2, 9),
                Hlc::new(now + CLAMP_TOLERANCE_MS, 9),
            ),
            (Hlc::new(0, 0), Hlc::new(0, 0)),
        ];
        for (stamp, expected) in table {
            assert_eq!(stamp.clamp(now), expected, "{stamp:?}");
        }
    }

    proptest! {
        /// Whatever the clock does, each new stamp is later than everything before it.
        #[test]
        fn next_is_strictly_monotonic(clock in prop::collection::vec(0i64..10_000, 1..50)) {
            let mut latest = Hlc::default();
            for now in clock {
                let stamp = Hlc::next(latest, now);
                prop_assert!(stamp > latest);
                latest = stamp;
            }
        }
    }
}
