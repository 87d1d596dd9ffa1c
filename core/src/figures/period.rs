//! The stretch of time a figure covers, in the shop's time zone: a calendar month for the
//! monthly KPIs, the 24 hours before the report for the daily one. Half-open, so a call at
//! midnight belongs to exactly one day.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first instant it covers.
    pub start: DateTime<Utc>,
    /// The first instant after it.
    pub end: DateTime<Utc>,
    /// The shop's offset from UTC, in which it is told.
    pub offset: FixedOffset,
}

impl Period {
    /// The calendar month `year`-`month` in the shop's time zone; `None` for no such month.
    pub fn month(year: i32, month: u32, offset: FixedOffset) -> Option<Period> {
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let midnight = |day: NaiveDate| {
            offset
                .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
                .single()
                .map(|at| at.with_timezone(&Utc))
        };
        Some(Period {
            start: midnight(first)?,
            end: midnight(next)?,
            offset,
        })
    }

    /// `days` days from midnight of `first` in the shop's time zone: a week from its Monday for
    /// the weekly analysis. `None` for a midnight the offset cannot tell.
    pub fn days_from(first: NaiveDate, days: i64, offset: FixedOffset) -> Option<Period> {
        let start = offset
            .from_local_datetime(&first.and_hms_opt(0, 0, 0)?)
            .single()?
            .with_timezone(&Utc);
        Some(Period {
            start,
            end: start + Duration::days(days),
            offset,
        })
    }

    /// The `hours` before `end`: the daily report's previous 24 hours.
    pub fn hours_before(end: DateTime<Utc>, hours: i64, offset: FixedOffset) -> Period {
        Period {
            start: end - Duration::hours(hours),
            end,
            offset,
        }
    }

    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }

    /// What the figure covers, as shown beside it: `2026-12-01 00:00 – 2027-01-01 00:00
    /// (UTC+08:00)`.
    pub fn label(&self) -> String {
        let local = |at: DateTime<Utc>| at.with_timezone(&self.offset).format("%Y-%m-%d %H:%M");
        format!(
            "{} – {} (UTC{})",
            local(self.start),
            local(self.end),
            self.offset
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_month_runs_from_local_midnight_to_local_midnight() {
        let december = Period::month(2026, 12, shanghai()).unwrap();
        let table = [
            (
                "2026-11-30T15:59:59Z",
                false,
                "23:59:59 on 30 November in Shanghai",
            ),
            (
                "2026-11-30T16:00:00Z",
                true,
                "midnight, 1 December in Shanghai",
            ),
            ("2026-12-31T15:59:59Z", true, "the month's last second"),
            ("2026-12-31T16:00:00Z", false, "midnight, 1 January"),
        ];
        for (when, inside, why) in table {
            assert_eq!(december.contains(at(when)), inside, "{why}");
        }
        assert_eq!(
            december.label(),
            "2026-12-01 00:00 – 2027-01-01 00:00 (UTC+08:00)"
        );
        assert_eq!(Period::month(2026, 13, shanghai()), None);
        let february = Period::month(2028, 2, shanghai()).unwrap();
        assert_eq!(
            february.end - february.start,
            Duration::days(29),
            "a leap year"
        );
    }

    #[test]
    fn a_week_runs_from_mondays_local_midnight() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let week = Period::days_from(monday, 7, shanghai()).unwrap();
        assert!(
            week.contains(at("2026-11-29T16:00:00Z")),
            "Monday 00:00 in Shanghai"
        );
        assert!(
            week.contains(at("2026-12-06T15:59:59Z")),
            "Sunday's last second"
        );
        assert!(
            !week.contains(at("2026-12-06T16:00:00Z")),
            "the next Monday"
        );
        assert_eq!(
            week.label(),
            "2026-11-30 00:00 – 2026-12-07 00:00 (UTC+08:00)"
        );
    }

    #[test]
    fn the_daily_report_covers_the_24_hours_before_it() {
        let day = Period::hours_before(at("2026-12-02T04:00:00Z"), 24, shanghai());
        assert!(day.contains(at("2026-12-01T04:00:00Z")));
        assert!(!day.contains(at("2026-12-02T04:00:00Z")));
        assert_eq!(
            day.label(),
            "2026-12-01 12:00 – 2026-12-02 12:00 (UTC+08:00)"
        );
    }
}
