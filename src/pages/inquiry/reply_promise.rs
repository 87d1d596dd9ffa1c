//! The promised reply time of an inquiry that cannot be answered now (seed 000 §5.7(5)): half
//! a working day by default, one at most, shown as the deadline the working-hours clock gives
//! from now.

use crate::i18n::{t, use_i18n};
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
    let choice = move |value: ReplyPromise| {
        let selected = move || promise.get() == value;
        let testid = match value {
            ReplyPromise::HalfWorkingDay => "promise-half-day",
            ReplyPromise::OneWorkingDay => "promise-one-day",
        };
        view! {
            <button
                type="button"
                class="chip"
                class:selected=selected
                aria-pressed=move || selected().to_string()
                data-testid=testid
                on:click=move |_| on_choose.run(value)
            >
                {match value {
                    ReplyPromise::HalfWorkingDay => t!(i18n, promise_half_day).into_any(),
                    ReplyPromise::OneWorkingDay => t!(i18n, promise_one_day).into_any(),
                }}
            </button>
        }
    };
    view! {
        <fieldset class="chips reply-promise" data-testid="reply-promise">
            <legend>{t!(i18n, reply_promise)}</legend>
            {choice(ReplyPromise::HalfWorkingDay)}
            {choice(ReplyPromise::OneWorkingDay)}
            <p class="deadline" data-testid="promise-deadline">
                {move || match deadline() {
                    Some(at) => t!(i18n, reply_by, at = move || at.clone()).into_any(),
                    None => t!(i18n, policy_not_synced).into_any(),
                }}
            </p>
        </fieldset>
    }
}
