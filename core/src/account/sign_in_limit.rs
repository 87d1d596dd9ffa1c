//! How sign-in slows a guesser down: after a few wrong passwords for one account, or many from
//! one address, each further try waits twice as long as the last, up to a quarter of an hour.
//! While a wait lasts the server refuses without looking at the password at all, so the right
//! password is refused too and a guesser learns nothing.
//!
//! Counted per account (someone guessing one user's password) and per address (someone trying
//! many users); the address allows more, because a shop's desks may share one.

use crate::lang::Bilingual;
use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Account,
    Address,
}

impl Scope {
    /// Wrong passwords answered at once before the waits begin.
    fn free_tries(self) -> u32 {
        match self {
            Scope::Account => 3,
            Scope::Address => 20,
        }
    }

    /// The key a count is kept under.
    pub fn key(self, name: &str) -> String {
        match self {
            Scope::Account => format!("account:{}", name.trim().to_lowercase()),
            Scope::Address => format!("address:{name}"),
        }
    }
}

/// The longest wait: long enough to make guessing hopeless, short enough that a user who
/// mistyped a few times is not locked out of a shift.
pub const LONGEST_WAIT_SECONDS: i64 = 15 * 60;

/// A quiet hour forgets the count.
const FORGET_AFTER_MINUTES: i64 = 60;

/// The wrong passwords counted under one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub last_at: DateTime<Utc>,
}

/// The wait that follows the `count`-th wrong password: none for the free tries, then 1 s,
/// 2 s, 4 s… up to [`LONGEST_WAIT_SECONDS`].
pub fn wait_after(scope: Scope, count: u32) -> Duration {
    let over = count.saturating_sub(scope.free_tries());
    if over == 0 {
        return Duration::zero();
    }
    let seconds = 1i64
        .checked_shl((over - 1).min(30))
        .unwrap_or(LONGEST_WAIT_SECONDS)
        .min(LONGEST_WAIT_SECONDS);
    Duration::seconds(seconds)
}

/// Until when a try is refused unanswered, if it is now.
pub fn refused_until(
    scope: Scope,
    failures: &Failures,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let until = failures.last_at + wait_after(scope, failures.count);
    (until > now).then_some(until)
}

/// The count after one more wrong password at `now`.
pub fn after_failure(previous: Option<&Failures>, now: DateTime<Utc>) -> Failures {
    let kept = previous
        .filter(|failures| now - failures.last_at < Duration::minutes(FORGET_AFTER_MINUTES))
        .map_or(0, |failures| failures.count);
    Failures {
        count: kept.saturating_add(1),
        last_at: now,
    }
}

/// What the user reads while a wait lasts.
pub fn wait_message(until: DateTime<Utc>, now: DateTime<Utc>) -> Bilingual {
    let seconds = (until - now).num_seconds().max(1);
    if seconds < 120 {
        Bilingual::new(
            format!("登录失败次数过多，请 {seconds} 秒后再试"),
            format!("Too many failed sign-ins: try again in {seconds} s"),
        )
    } else {
        let minutes = (seconds + 59) / 60;
        Bilingual::new(
            format!("登录失败次数过多，请 {minutes} 分钟后再试"),
            format!("Too many failed sign-ins: try again in {minutes} min"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(second: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap() + Duration::seconds(second)
    }

    #[test]
    fn waits_table() {
        let cases = [
            (Scope::Account, 0, 0),
            (Scope::Account, 3, 0),
            (Scope::Account, 4, 1),
            (Scope::Account, 5, 2),
            (Scope::Account, 10, 64),
            (Scope::Account, 13, 512),
            (Scope::Account, 14, LONGEST_WAIT_SECONDS),
            (Scope::Account, 30, LONGEST_WAIT_SECONDS),
            (Scope::Account, u32::MAX, LONGEST_WAIT_SECONDS),
            (Scope::Address, 20, 0),
            (Scope::Address, 21, 1),
            (Scope::Address, 25, 16),
        ];
        for (scope, count, seconds) in cases {
            assert_eq!(
                wait_after(scope, count),
                Duration::seconds(seconds),
                "{scope:?} {count}"
            );
        }
    }

    #[test]
    fn a_try_within_the_wait_is_refused_and_one_after_it_is_not() {
        let failures = Failures {
            count: 5,
            last_at: at(0),
        };
        assert_eq!(refused_until(Scope::Account, &failures, at(0)), Some(at(2)));
        assert_eq!(refused_until(Scope::Account, &failures, at(1)), Some(at(2)));
        assert_eq!(refused_until(Scope::Account, &failures, at(2)), None);
        // The same count from one address is still within its free tries.
        assert_eq!(refused_until(Scope::Address, &failures, at(0)), None);
    }

    #[test]
    fn the_count_grows_and_a_quiet_hour_forgets_it() {
        let first = after_failure(None, at(0));
        assert_eq!(
            first,
            Failures {
                count: 1,
                last_at: at(0)
            }
        );
        let second = after_failure(Some(&first), at(10));
        assert_eq!(second.count, 2);
        assert_eq!(after_failure(Some(&second), at(10 + 3599)).count, 3);
        assert_eq!(after_failure(Some(&second), at(10 + 3600)).count, 1);
        let most = Failures {
            count: u32::MAX,
            last_at: at(0),
        };
        assert_eq!(after_failure(Some(&most), at(1)).count, u32::MAX);
    }

    #[test]
    fn the_wait_is_told_in_seconds_then_minutes() {
        assert_eq!(
            wait_message(at(2), at(0)).en,
            "Too many failed sign-ins: try again in 2 s"
        );
        assert_eq!(
            wait_message(at(900), at(0)).zh,
            "登录失败次数过多，请 15 分钟后再试"
        );
        assert_eq!(
            wait_message(at(0), at(0)).en,
            "Too many failed sign-ins: try again in 1 s"
        );
    }

    #[test]
    fn keys_are_per_scope_and_usernames_ignore_case() {
        assert_eq!(Scope::Account.key(" Demo "), "account:demo");
        assert_eq!(Scope::Address.key("10.0.0.7"), "address:10.0.0.7");
    }
}
