//! Callbacks and satisfaction (回访 / 满意度调查, seed 000 §9, §10.2): a callback planned with its
//! due time (finishing a complaint's script plans one a working day later), then made: the
//! customer's satisfaction in the manual's words and a comment. A dissatisfied answer shows
//! on the supervisor's list.

use super::timeline_entry::{TimelineEntry, case_part, may_add};
use crate::components::chip_group::ChipGroup;
use crate::components::promise_tag::PromiseTag;
use crate::drafts::use_text_draft;
use crate::i18n::{Locale, localized, t, use_i18n};
use crate::policy::{PolicyContext, use_policy};
use chrono::{DateTime, Local, NaiveDateTime, TimeZone, Utc};
use kefu_core::kinds::case::callback::{
    CallbackMade, CallbackPlan, Satisfaction, check_callback_change, event,
};
use kefu_core::lang::Bilingual;
use kefu_core::record::Record;
use kefu_core::rules::working_hours::{ReplyPromise, WorkingClock};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use serde_json::{Value, json};
use uuid::Uuid;

const LOCAL_INPUT: &str = "%Y-%m-%dT%H:%M";

/// The survey's answers as scores, best first.
fn scores() -> Vec<u8> {
    Satisfaction::ALL.iter().map(|each| each.score()).collect()
}

/// The callback that closing a matter plans (a complaint's script finished, a return closed):
/// one working day later, asking whether the customer is satisfied with the result (seed 000
/// §10.2; seed 002 售后服务完成后满意度调查). `None` before the policy is on the device.
pub fn closing_callback(i18n: I18nContext<Locale>, policy: PolicyContext) -> Option<Value> {
    policy.desk.with_untracked(|desk| {
        let due = WorkingClock::from_hours(&desk.as_ref()?.working_hours)
            .reply_deadline(Utc::now(), ReplyPromise::OneWorkingDay);
        let note = localized(
            i18n,
            &Bilingual::new(
                "回访处理结果是否满意",
                "Ask whether the customer is satisfied with the result",
            ),
        );
        Some(json!(CallbackPlan { due, note }))
    })
}

#[component]
pub fn CallbackPanel(record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let listed = case_part(record, |case| case.callbacks);
    let may_plan = may_add(record, event::CALLBACK_PLANNED);
    let may_make = may_add(record, event::CALLBACK_MADE);
    // One working day from now, as the date box shows it.
    let default_due = move || {
        policy.desk.with_untracked(|desk| {
            desk.as_ref()
                .map(|desk| {
                    WorkingClock::from_hours(&desk.working_hours)
                        .reply_deadline(Utc::now(), ReplyPromise::OneWorkingDay)
                })
                .unwrap_or_else(Utc::now)
                .with_timezone(&Local)
                .format(LOCAL_INPUT)
                .to_string()
        })
    };
    let due = RwSignal::new(default_due());
    // What is typed survives the panel being built again (a sync reloading the case).
    let case = record.with_untracked(|record| record.as_ref().map(|record| record.id));
    let draft =
        |part: &str| use_text_draft(format!("callback-{part}:{}", case.unwrap_or_default()));
    let plan_note = draft("note");
    let score = RwSignal::new(0_u8);
    let comment = draft("comment");
    let error = RwSignal::new(None::<String>);
    let entry = TimelineEntry::new(error);
    let append = move |kind: &'static str, data: Value, done: Box<dyn Fn()>| {
        let check =
            |existing: &Record, op: &kefu_core::sync::Op| check_callback_change(Some(existing), op);
        entry.append_checked(record, kind, data, check, done);
    };
    let plan = move |_| {
        let Some(due_at) = NaiveDateTime::parse_from_str(&due.get_untracked(), LOCAL_INPUT)
            .ok()
            .and_then(|local| Local.from_local_datetime(&local).single())
        else {
            error.set(Some(localized(
                i18n,
                &kefu_core::lang::Bilingual::new("请填写回访时间", "Please give the callback time"),
            )));
            return;
        };
        let plan = CallbackPlan {
            due: due_at.with_timezone(&Utc),
            note: plan_note.get_untracked().trim().to_owned(),
        };
        append(
            event::CALLBACK_PLANNED,
            json!(plan),
            Box::new(move || plan_note.set(String::new())),
        );
    };
    let make = move |callback: Uuid| {
        let answer = CallbackMade {
            callback,
            satisfaction: score.get_untracked(),
            comment: comment.get_untracked().trim().to_owned(),
        };
        append(
            event::CALLBACK_MADE,
            json!(answer),
            Box::new(move || {
                score.set(0);
                comment.set(String::new());
            }),
        );
    };

    view! {
        <section class="callbacks" data-testid="callbacks">
            <h2>{t!(i18n, callback_title)}</h2>
            <ul class="inspections" data-testid="callback-list">
                {move || listed.get().into_iter().map(|callback| {
                    let id = callback.id;
                    let open = callback.made.is_none();
                    let satisfaction = callback.satisfaction();
                    let answer = callback.made.clone();
                    view! {
                        <li data-testid="callback-entry" data-open=open.to_string()>
                            {open.then(|| view! { <PromiseTag due=callback.plan.due /> })}
                            <span>{callback.plan.note.clone()}</span>
                            <span class="muted">{callback.planned_by.clone()}</span>
                            {answer.map(|answer| {
                                let dissatisfied = satisfaction.is_some_and(Satisfaction::is_dissatisfied);
                                let at: DateTime<Local> = answer.at.with_timezone(&Local);
                                view! {
                                    <p data-testid="callback-answer" data-satisfaction=answer.satisfaction class:not-eligible=dissatisfied>
                                        <strong>{satisfaction.map(|s| localized(i18n, &s.name())).unwrap_or_default()}</strong>
                                        " " {answer.comment.clone()} " · " {answer.by.clone()} " · " {at.format("%m-%d %H:%M").to_string()}
                                    </p>
                                }
                            })}
                            <Show when=move || open && may_make.get()>
                                <div class="situation-form">
                                    <ChipGroup
                                        legend=move || t!(i18n, callback_satisfaction)
                                        testid="satisfaction"
                                        options=scores
                                        selected=move || score.get()
                                        label=move |value: &u8| Satisfaction::from_score(*value).map(|s| localized(i18n, &s.name())).unwrap_or_default()
                                        chip_testid=|value: &u8| format!("satisfaction-{value}")
                                        on_choose=move |value: u8| score.set(value)
                                    />
                                    <label>
                                        {t!(i18n, callback_comment)}
                                        <input data-testid="callback-comment" prop:value=comment on:input=move |ev| comment.set(event_target_value(&ev)) />
                                    </label>
                                    <button type="button" class="primary" data-testid="make-callback" on:click=move |_| make(id)>
                                        {t!(i18n, callback_record)}
                                    </button>
                                </div>
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || may_plan.get()>
                <div class="form-row">
                    <label>
                        {t!(i18n, callback_due)}
                        <input type="datetime-local" data-testid="callback-due" prop:value=due on:input=move |ev| due.set(event_target_value(&ev)) />
                    </label>
                    <label>
                        {t!(i18n, callback_note)}
                        <input data-testid="callback-note" prop:value=plan_note on:input=move |ev| plan_note.set(event_target_value(&ev)) />
                    </label>
                    <button type="button" data-testid="plan-callback" on:click=plan>{t!(i18n, callback_plan)}</button>
                </div>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="callback-error">{move || error.get()}</p>
            </Show>
        </section>
    }
}
