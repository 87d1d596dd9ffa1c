//! Working-hours clock (seed 000 §5.7(5) reply promises, §5.3 "5 个工作日"): adds working time and tells when a promise is overdue.
//!
//! Working time runs only inside the weekly periods (the gap between two periods is lunch), not
//! on public holidays, and also on make-up working days (调休), all in the shop's fixed UTC
//! offset. Callers pass every instant in; the clock never reads the time itself.

use crate::policy::{Policy, WorkPeriod, WorkingHours};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// How long an agent promises to take for an answer they cannot give now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyPromise {
    /// The norm: 一般以半个工作日为准.
    #[default]
    HalfWorkingDay,
    /// The limit: 特殊情况不能超过一个工作日.
    OneWorkingDay,
}

/// Where a promise stands at a given instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PromiseStatus {
    OnTime {
        remaining: TimeDelta,
    },
    /// `by` is wall-clock time since the deadline; `working_time_by` counts only working time,
    /// which is what a supervisor weighs (a promise missed over a weekend is not 2 days late).
    Overdue {
        by: TimeDelta,
        working_time_by: TimeDelta,
    },
}

#[derive(Debug, Clone, Copy)]
pub struct WorkingClock<'a> {
    hours: &'a WorkingHours,
}

impl<'a> WorkingClock<'a> {
    pub fn new(policy: &'a Policy) -> Self {
        Self::from_hours(&policy.working_hours)
    }

    /// From the working hours alone: what a device decodes of a policy the server validated.
    pub fn from_hours(hours: &'a WorkingHours) -> Self {
        WorkingClock { hours }
    }

    pub fn working_day(&self) -> TimeDelta {
        TimeDelta::minutes(i64::from(self.hours.working_day_minutes))
    }

    pub fn promise_duration(&self, promise: ReplyPromise) -> TimeDelta {
        match promise {
            ReplyPromise::HalfWorkingDay => self.working_day() / 2,
            ReplyPromise::OneWorkingDay => self.working_day(),
        }
    }

    /// The latest instant to reply to something received at `received`.
    pub fn reply_deadline(&self, received: DateTime<Utc>, promise: ReplyPromise) -> DateTime<Utc> {
        self.add_working_time(received, self.promise_duration(promise))
    }

    pub fn promise_status(&self, deadline: DateTime<Utc>, now: DateTime<Utc>) -> PromiseStatus {
        if now <= deadline {
            PromiseStatus::OnTime {
                remaining: deadline - now,
            }
        } else {
            PromiseStatus::Overdue {
                by: now.signed_duration_since(deadline),
                working_time_by: self.working_time_between(deadline, now),
            }
        }
    }

    pub fn is_working_time(&self, at: DateTime<Utc>) -> bool {
        let local = self.local(at);
        self.periods_on(local.date())
            .iter()
            .any(|period| local.time() >= period.start && local.time() < period.end)
    }

    /// The instant by which `amount` of working time has passed since `start`. Time outside
    /// working hours does not count, so a request at 20:00 starts counting the next morning;
    /// a deadline that falls exactly at a period's end stays there rather than moving to the
    /// next period. A zero or negative amount gives `start`.
    pub fn add_working_time(&self, start: DateTime<Utc>, amount: TimeDelta) -> DateTime<Utc> {
        if amount <= TimeDelta::zero() {
            return start;
        }
        let local_start = self.local(start);
        let mut remaining = amount;
        // A validated schedule has a working weekday and finitely many holidays, so this ends;
        // only a duration beyond the calendar runs out of days.
        for date in local_start.date().iter_days() {
            for period in self.periods_on(date) {
                let period_end = date.and_time(period.end);
                if period_end <= local_start {
                    continue;
                }
                let from = date.and_time(period.start).max(local_start);
                let available = period_end - from;
                if remaining <= available {
                    return self.utc(from + remaining);
                }
                remaining -= available;
            }
        }
        DateTime::<Utc>::MAX_UTC
    }

    /// Working time inside `[from, to)`; zero when `to` is not after `from`.
    pub fn working_time_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        if to <= from {
            return TimeDelta::zero();
        }
        let (local_from, local_to) = (self.local(from), self.local(to));
        let mut total = TimeDelta::zero();
        for date in local_from.date().iter_days() {
            if date > local_to.date() {
                break;
            }
            for period in self.periods_on(date) {
                let start = date.and_time(period.start).max(local_from);
                let end = date.and_time(period.end).min(local_to);
                if end > start {
                    total += end - start;
                }
            }
        }
        total
    }

    fn periods_on(&self, date: NaiveDate) -> &'a [WorkPeriod] {
        if self.hours.is_holiday(date) {
            return &[];
        }
        let weekday = if self.hours.is_makeup_working_day(date) {
            self.hours.makeup_days_follow
        } else {
            date.weekday()
        };
        self.hours
            .weekly
            .iter()
            .find(|week| week.days.contains(&weekday))
            .map_or(&[], |week| &week.periods)
    }

    fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.hours.utc_offset).naive_local()
    }

    fn utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        (local - TimeDelta::seconds(i64::from(self.hours.utc_offset.local_minus_utc()))).and_utc()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicyData;
    use crate::rules::test_clock::local;
    use proptest::prelude::*;

    fn clock() -> WorkingClock<'static> {
        WorkingClock::new(Policy::default_policy())
    }

    // Default policy: Mon–Fri 09:00–12:00 and 13:00–18:00, one working day = 8 h.
    // 2026-03-02 is a Monday; 2026-10-01..07 are holidays; Sat 2026-10-10 is a make-up day.
    #[test]
    fn reply_deadline_table() {
        use ReplyPromise::{HalfWorkingDay as Half, OneWorkingDay as One};
        let table = [
            // within one morning and across lunch
            ("2026-03-02 09:00", Half, "2026-03-02 14:00"),
            ("2026-03-02 11:00", Half, "2026-03-02 16:00"),
            ("2026-03-02 09:00", One, "2026-03-02 18:00"),
            // received during lunch: counting starts at 13:00
            ("2026-03-02 12:30", Half, "2026-03-02 17:00"),
            ("2026-03-02 12:30", One, "2026-03-03 12:00"),
            // evening: the rest carries into the next morning
            ("2026-03-02 17:00", Half, "2026-03-03 12:00"),
            ("2026-03-02 17:00", One, "2026-03-03 17:00"),
            ("2026-03-02 20:00", Half, "2026-03-03 14:00"),
            ("2026-03-02 08:00", Half, "2026-03-02 14:00"),
            // weekend
            ("2026-03-06 16:00", Half, "2026-03-09 11:00"),
            ("2026-03-06 16:00", One, "2026-03-09 16:00"),
            ("2026-03-07 10:00", Half, "2026-03-09 14:00"),
            ("2026-03-07 10:00", One, "2026-03-09 18:00"),
            // National Day holidays (Thu 1 – Wed 7 October)
            ("2026-09-30 16:00", Half, "2026-10-08 11:00"),
            ("2026-09-30 16:00", One, "2026-10-08 16:00"),
            ("2026-10-01 10:00", Half, "2026-10-08 14:00"),
            // make-up Saturday 10 October is worked like a Monday
            ("2026-10-09 16:00", Half, "2026-10-10 11:00"),
            ("2026-10-09 16:00", One, "2026-10-10 16:00"),
            ("2026-10-10 10:00", Half, "2026-10-10 15:00"),
            ("2026-10-10 17:00", One, "2026-10-12 17:00"),
        ];
        for (received, promise, deadline) in table {
            assert_eq!(
                clock().reply_deadline(local(received), promise),
                local(deadline),
                "{received} {promise:?}"
            );
        }
    }

    #[test]
    fn a_configured_holiday_is_skipped() {
        let mut data: PolicyData = Policy::default_policy().data().clone();
        data.working_hours.years[0]
            .holidays
            .push(NaiveDate::from_ymd_opt(2026, 3, 3).unwrap());
        let policy = Policy::try_from(data).unwrap();
        let clock = WorkingClock::new(&policy);
        assert_eq!(
            clock.reply_deadline(local("2026-03-02 17:00"), ReplyPromise::HalfWorkingDay),
            local("2026-03-04 12:00")
        );
        assert_eq!(
            clock.reply_deadline(local("2026-03-02 17:00"), ReplyPromise::OneWorkingDay),
            local("2026-03-04 17:00")
        );
        assert!(!clock.is_working_time(local("2026-03-03 10:00")));
    }

    #[test]
    fn is_working_time_table() {
        let table = [
            ("2026-03-02 09:00", true),
            ("2026-03-02 08:59", false),
            ("2026-03-02 12:00", false),
            ("2026-03-02 12:59", false),
            ("2026-03-02 13:00", true),
            ("2026-03-02 17:59", true),
            ("2026-03-02 18:00", false),
            ("2026-03-07 10:00", false),
            ("2026-10-02 10:00", false),
            ("2026-10-10 10:00", true),
        ];
        for (at, working) in table {
            assert_eq!(clock().is_working_time(local(at)), working, "{at}");
        }
    }

    #[test]
    fn promise_status_table() {
        let deadline = local("2026-03-02 14:00");
        let table = [
            (
                "2026-03-02 13:30",
                PromiseStatus::OnTime {
                    remaining: TimeDelta::minutes(30),
                },
            ),
            (
                "2026-03-02 14:00",
                PromiseStatus::OnTime {
                    remaining: TimeDelta::zero(),
                },
            ),
            (
                "2026-03-02 15:00",
                PromiseStatus::Overdue {
                    by: TimeDelta::hours(1),
                    working_time_by: TimeDelta::hours(1),
                },
            ),
            (
                "2026-03-02 19:00",
                PromiseStatus::Overdue {
                    by: TimeDelta::hours(5),
                    working_time_by: TimeDelta::hours(4),
                },
            ),
            (
                "2026-03-03 10:00",
                PromiseStatus::Overdue {
                    by: TimeDelta::hours(20),
                    working_time_by: TimeDelta::hours(5),
                },
            ),
        ];
        for (now, expected) in table {
            assert_eq!(
                clock().promise_status(deadline, local(now)),
                expected,
                "{now}"
            );
        }
    }

    #[test]
    fn working_time_between_table() {
        let table = [
            ("2026-03-02 09:00", "2026-03-02 18:00", 8 * 60),
            ("2026-03-02 11:30", "2026-03-02 13:30", 60),
            ("2026-03-06 17:00", "2026-03-09 10:00", 2 * 60),
            ("2026-03-02 10:00", "2026-03-02 09:00", 0),
            ("2026-09-30 09:00", "2026-10-09 09:00", 8 * 60 * 2),
        ];
        for (from, to, minutes) in table {
            assert_eq!(
                clock().working_time_between(local(from), local(to)),
                TimeDelta::minutes(minutes),
                "{from} → {to}"
            );
        }
    }

    #[test]
    fn zero_or_negative_working_time_stays_at_start() {
        let start = local("2026-03-07 10:00");
        assert_eq!(clock().add_working_time(start, TimeDelta::zero()), start);
        assert_eq!(clock().add_working_time(start, TimeDelta::hours(-3)), start);
    }

    fn instant_in_2026() -> impl Strategy<Value = DateTime<Utc>> {
        let first = local("2025-12-20 00:00").timestamp();
        let last = local("2027-01-10 00:00").timestamp();
        (first..last).prop_map(|seconds| DateTime::from_timestamp(seconds, 0).unwrap())
    }

    fn working_minutes() -> impl Strategy<Value = TimeDelta> {
        (0i64..6000).prop_map(TimeDelta::minutes)
    }

    proptest! {
        #[test]
        fn a_deadline_is_never_before_its_start(start in instant_in_2026(), amount in working_minutes()) {
            prop_assert!(clock().add_working_time(start, amount) >= start);
        }

        #[test]
        fn a_later_start_never_gives_an_earlier_deadline(
            a in instant_in_2026(), b in instant_in_2026(), amount in working_minutes()
        ) {
            let (early, late) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(clock().add_working_time(early, amount) <= clock().add_working_time(late, amount));
        }

        #[test]
        fn more_working_time_never_gives_an_earlier_deadline(
            start in instant_in_2026(), a in working_minutes(), b in working_minutes()
        ) {
            let (short, long) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(clock().add_working_time(start, short) <= clock().add_working_time(start, long));
        }

        #[test]
        fn the_working_time_up_to_a_deadline_is_the_amount_added(
            start in instant_in_2026(), amount in working_minutes()
        ) {
            let deadline = clock().add_working_time(start, amount);
            prop_assert_eq!(clock().working_time_between(start, deadline), amount);
        }
    }
}
