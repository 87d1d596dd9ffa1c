//! The team's shifts (交接班, seed 002: 每个客服接班时都要优先查看置顶信息): when the latest shift
//! began, so a device opens the pinned list and the handover at each shift's start, and which
//! shift comes next, the one a handover is written for, and whether the shift page opens
//! first now. Times are the shop's local clock; a
//! night shift may end past midnight.

use crate::policy::Shift;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};

/// The start of `shift` at or before `now`: today's, or yesterday's if today's is still ahead.
fn last_start(shift: &Shift, now: NaiveDateTime) -> NaiveDateTime {
    let today = now.date().and_time(shift.start);
    if today <= now {
        today
    } else {
        today - Duration::days(1)
    }
}

/// The shift that began last at or before `now`, with when it began; `None` without shifts.
pub fn latest_start(shifts: &[Shift], now: NaiveDateTime) -> Option<(&Shift, NaiveDateTime)> {
    shifts
        .iter()
        .map(|shift| (shift, last_start(shift, now)))
        .max_by_key(|(_, start)| *start)
}

/// The shift that begins next after `now`, with when: the shift a handover written now is for.
pub fn next_start(shifts: &[Shift], now: NaiveDateTime) -> Option<(&Shift, NaiveDateTime)> {
    shifts
        .iter()
        .map(|shift| (shift, last_start(shift, now) + Duration::days(1)))
        .min_by_key(|(_, start)| *start)
}

/// Whether the shift page opens first now: nothing was opened since this user signed in
/// (`seen` is `None`), or a shift began after it last opened (`latest_start`).
pub fn opens_first(seen: Option<DateTime<Utc>>, latest_start: Option<DateTime<Utc>>) -> bool {
    match (seen, latest_start) {
        (None, _) => true,
        (Some(seen), Some(start)) => seen < start,
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};

    fn shift(id: &str, start: (u32, u32), end: (u32, u32)) -> Shift {
        Shift {
            id: id.into(),
            zh: id.into(),
            en: id.into(),
            start: NaiveTime::from_hms_opt(start.0, start.1, 0).unwrap(),
            end: NaiveTime::from_hms_opt(end.0, end.1, 0).unwrap(),
        }
    }

    fn at(day: u32, hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, day)
            .unwrap()
            .and_hms_opt(hour, minute, 0)
            .unwrap()
    }

    #[test]
    fn shift_table() {
        let shifts = [
            shift("day", (9, 0), (18, 0)),
            shift("evening", (14, 0), (22, 0)),
            shift("night", (22, 0), (6, 0)),
        ];
        // now → (latest shift, its start), (next shift, its start)
        let table = [
            (at(2, 8, 59), ("night", at(1, 22, 0)), ("day", at(2, 9, 0))),
            (at(2, 9, 0), ("day", at(2, 9, 0)), ("evening", at(2, 14, 0))),
            (
                at(2, 13, 0),
                ("day", at(2, 9, 0)),
                ("evening", at(2, 14, 0)),
            ),
            (
                at(2, 14, 0),
                ("evening", at(2, 14, 0)),
                ("night", at(2, 22, 0)),
            ),
            (at(2, 23, 30), ("night", at(2, 22, 0)), ("day", at(3, 9, 0))),
            (at(3, 0, 30), ("night", at(2, 22, 0)), ("day", at(3, 9, 0))),
        ];
        for (now, (latest, began), (next, begins)) in table {
            let found = latest_start(&shifts, now).map(|(shift, start)| (shift.id.as_str(), start));
            assert_eq!(found, Some((latest, began)), "latest at {now}");
            let found = next_start(&shifts, now).map(|(shift, start)| (shift.id.as_str(), start));
            assert_eq!(found, Some((next, begins)), "next at {now}");
        }
        assert_eq!(latest_start(&[], at(2, 9, 0)), None);
        assert_eq!(next_start(&[], at(2, 9, 0)), None);
    }

    #[test]
    fn the_shift_page_opens_at_sign_in_and_at_each_shift_start() {
        let utc = |hour: u32| at(2, hour, 0).and_utc();
        let table = [
            (None, None, true, "just signed in, no shifts"),
            (None, Some(utc(9)), true, "just signed in"),
            (
                Some(utc(8)),
                Some(utc(9)),
                true,
                "the day shift began since",
            ),
            (Some(utc(9)), Some(utc(9)), false, "opened at its start"),
            (
                Some(utc(10)),
                Some(utc(9)),
                false,
                "opened during the shift",
            ),
            (Some(utc(10)), None, false, "no shifts: only at sign-in"),
        ];
        for (seen, start, opens, why) in table {
            assert_eq!(opens_first(seen, start), opens, "{why}");
        }
    }
}
