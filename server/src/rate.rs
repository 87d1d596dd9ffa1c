//! How fast one session may sync: a token bucket per session (governor's keyed limiter), so a
//! stolen or runaway token cannot keep the server busy for everyone, while a device's own sync
//! loop never meets it. Each server instance counts its own requests: behind a load balancer
//! of n instances a session gets at most n times the rate.

use crate::error::ApiError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use kefu_core::limits::{SYNC_BURST, SYNC_REQUESTS_PER_SECOND};
use std::num::NonZeroU32;

/// Sessions remembered before those that have been quiet long enough to be full again are
/// forgotten: memory stays bounded however many sessions sync.
const SESSIONS_BEFORE_FORGETTING: usize = 10_000;

pub struct SyncRate {
    limiter: DefaultKeyedRateLimiter<String>,
}

impl SyncRate {
    pub fn new(per_second: NonZeroU32, burst: NonZeroU32) -> Self {
        SyncRate {
            limiter: DefaultKeyedRateLimiter::keyed(
                Quota::per_second(per_second).allow_burst(burst),
            ),
        }
    }

    /// One sync request of `session` (its token's hash): let through, or told when to retry.
    pub fn check(&self, session: &str) -> Result<(), ApiError> {
        if self.limiter.len() > SESSIONS_BEFORE_FORGETTING {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&session.to_owned())
            .map_err(|not_until| ApiError::TooFast {
                retry_after: not_until.wait_time_from(DefaultClock::default().now()),
            })
    }
}

impl Default for SyncRate {
    fn default() -> Self {
        SyncRate::new(SYNC_REQUESTS_PER_SECOND, SYNC_BURST)
    }
}
