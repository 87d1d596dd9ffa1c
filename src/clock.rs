//! The time pages show deadlines against: read from the device clock every 15 seconds, so a
//! promise turns overdue on screen without a reload, also offline. One ticking signal for the
//! whole app rather than a timer per row.

use chrono::{DateTime, Utc};
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
