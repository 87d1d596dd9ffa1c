//! A promised reply time with where it stands (seed 000 §5.7(5)): on time, due soon, or red
//! once overdue, counted in working hours by the shared clock and re-checked as time passes.

use crate::clock::{month_day_time, use_clock};
use crate::i18n::{t, use_i18n};
use crate::policy::use_policy;
use chrono::{DateTime, Utc};
use kefu_core::rules::reply_promise::{PromiseState, promise_state};
use kefu_core::rules::working_hours::WorkingClock;
use leptos::prelude::*;

#[component]
pub fn PromiseTag(due: DateTime<Utc>) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let clock = use_clock();
    let state = Memo::new(move |_| {
        let now = clock.now.get();
        policy.desk.with(|desk| {
            desk.as_ref()
                .map(|desk| promise_state(&WorkingClock::from_hours(&desk.working_hours), due, now))
        })
    });
    let at = month_day_time(due);
    view! {
        <span
            class=move || format!("promise {}", state.get().map_or("", PromiseState::as_str))
            data-testid="promise"
            data-state=move || state.get().map_or("", PromiseState::as_str)
        >
            <time datetime=due.to_rfc3339()>{at}</time>
            " "
            {move || state.get().map(|state| match state {
                PromiseState::Overdue => t!(i18n, promise_overdue).into_any(),
                PromiseState::DueSoon => t!(i18n, promise_due_soon).into_any(),
                PromiseState::OnTime => t!(i18n, promise_on_time).into_any(),
            })}
        </span>
    }
}
