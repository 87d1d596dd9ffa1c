//! A promised reply time (seed 000 §5.7(5)): for an inquiry that cannot be answered now, or an
//! escalation to the supervisor. Half a working day by default, one at most, shown as the
//! deadline the working-hours clock gives from now.

use crate::components::chip_group::ChipGroup;
use crate::i18n::{t, t_string, use_i18n};
use crate::policy::use_policy;
use chrono::{Local, Utc};
use kefu_core::rules::working_hours::{ReplyPromise, WorkingClock};
use leptos::prelude::*;

#[component]
pub fn ReplyPromiseChoice(
    promise: Signal<ReplyPromise>,
    #[prop(into)] on_choose: Callback<ReplyPromise>,
) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let deadline = move || {
        let promise = promise.get();
        policy.desk.with(|desk| {
            desk.as_ref().map(|desk| {
                WorkingClock::from_hours(&desk.working_hours)
                    .reply_deadline(Utc::now(), promise)
                    .with_timezone(&Local)
                    .format("%m-%d %H:%M")
                    .to_string()
            })
        })
    };
    view! {
        <ChipGroup
            legend=move || t!(i18n, reply_promise)
            class="chips reply-promise"
            testid="reply-promise"
            options=|| vec![ReplyPromise::HalfWorkingDay, ReplyPromise::OneWorkingDay]
            selected=move || promise.get()
            label=move |value: &ReplyPromise| match value {
                ReplyPromise::HalfWorkingDay => t_string!(i18n, promise_half_day).to_string(),
                ReplyPromise::OneWorkingDay => t_string!(i18n, promise_one_day).to_string(),
            }
            chip_testid=|value: &ReplyPromise| match value {
                ReplyPromise::HalfWorkingDay => "promise-half-day".to_owned(),
                ReplyPromise::OneWorkingDay => "promise-one-day".to_owned(),
            }
            on_choose=move |value: ReplyPromise| on_choose.run(value)
        >
            <p class="deadline" data-testid="promise-deadline">
                {move || match deadline() {
                    Some(at) => t!(i18n, reply_by, at = move || at.clone()).into_any(),
                    None => t!(i18n, policy_not_synced).into_any(),
                }}
            </p>
        </ChipGroup>
    }
}
