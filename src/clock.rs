//! The time pages show deadlines against: read from the device clock every 15 seconds, so a
//! promise turns overdue on screen without a reload, also offline. One ticking signal for the
//! whole app rather than a timer per row.

use chrono::{DateTime, Datelike, Local, Timelike, Utc};
use leptos::prelude::*;
use std::time::Duration;

const TICK: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, Copy)]
pub struct ClockContext {
    pub now: RwSignal<DateTime<Utc>>,
}

pub fn provide_clock_context() -> ClockContext {
    let context = ClockContext {
        now: RwSignal::new(Utc::now()),
    };
    if let Ok(handle) = set_interval_with_handle(move || context.now.set(Utc::now()), TICK) {
        on_cleanup(move || handle.clear());
    }
    provide_context(context);
    context
}

pub fn use_clock() -> ClockContext {
    expect_context::<ClockContext>()
}

/// "12-06 09:05" in the device's time zone, as lists show when a case was opened or is due.
/// Written out rather than with chrono's `format`: its pattern parser and formatter would be
/// in the first load only for these (the case list and the header), about 10 KB of the wasm.
pub fn month_day_time(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Local);
    format!(
        "{:02}-{:02} {:02}:{:02}",
        local.month(),
        local.day(),
        local.hour(),
        local.minute()
    )
}

/// "09:05:30" in the device's time zone: when the last sync ended.
pub fn time_of_day(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Local);
    format!(
        "{:02}:{:02}:{:02}",
        local.hour(),
        local.minute(),
        local.second()
    )
}
