//! The supervisor's queue (主管待办, seed 000 §10; seed 002 向主管请示后五分钟内给予回复): every
//! escalation waiting for a decision, the earliest deadline first, red once overdue, with the
//! first answer owed within five minutes (red once late); then the
//! cases whose latest callback was dissatisfied, open again for the supervisor. Read from the
//! device's cases and re-checked as time passes, so it works offline.

use crate::cases::use_cases;
use crate::clock::use_clock;
use crate::components::promise_tag::PromiseTag;
use crate::i18n::{localized, t, use_i18n};
use crate::policy::use_policy;
use crate::routes::AppRoute;
use chrono::Local;
use kefu_core::kinds::case::callback::dissatisfied_callbacks;
use kefu_core::kinds::case::escalation::waiting_escalations;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Escalations() -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let clock = use_clock();
    let cases = use_cases();
    cases.watch();
    let waiting = move || {
        let cases = cases.cases.get()?;
        policy.desk.with(|desk| {
            let desk = desk.as_ref()?;
            Some(
                waiting_escalations(&cases, &desk.working_hours)
                    .into_iter()
                    .map(|(case, escalated, due)| {
                        let reason = desk
                            .escalation_reasons
                            .iter()
                            .find(|reason| reason.id == escalated.escalation.reason)
                            .map(|reason| localized(i18n, &reason.name()))
                            .unwrap_or_else(|| escalated.escalation.reason.clone());
                        (case.id, case.title.clone(), reason, escalated.clone(), due)
                    })
                    .collect::<Vec<_>>(),
            )
        })
    };
    let dissatisfied = move || {
        let cases = cases.cases.get()?;
        Some(
            dissatisfied_callbacks(&cases)
                .into_iter()
                .filter_map(|(case, callback)| {
                    let answer = callback.made.clone()?;
                    let satisfaction = callback
                        .satisfaction()
                        .map(|each| localized(i18n, &each.name()))
                        .unwrap_or_default();
                    Some((case.id, case.title.clone(), satisfaction, answer))
                })
                .collect::<Vec<_>>(),
        )
    };

    view! {
        <section class="page escalations">
            <h1>{t!(i18n, escalations_title)}</h1>
            <h2>{t!(i18n, escalations_open)}</h2>
            {move || match waiting() {
                None => view! { <p>{t!(i18n, loading)}</p> }.into_any(),
                Some(rows) if rows.is_empty() => view! { <p class="empty">{t!(i18n, escalations_none)}</p> }.into_any(),
                Some(rows) => view! {
                    <ul class="cards" data-testid="escalation-queue">
                        {rows.into_iter().map(|(id, title, reason, escalated, due)| view! {
                            <li class="card" data-testid="escalation-row">
                                <A href=AppRoute::CaseDetail(id).href()>
                                    <strong class="title">{title}</strong>
                                </A>
                                <p class="card-meta">
                                    <span>{reason}</span>
                                    <span>{escalated.escalation.note.clone()}</span>
                                    <span>{escalated.by.clone()}</span>
                                    <PromiseTag due=due />
                                    {escalated.first_reply.is_none().then(|| {
                                        let due_at = escalated.first_reply_due();
                                        let waiting = escalated.clone();
                                        let late = Memo::new(move |_| waiting.first_reply_late(clock.now.get()));
                                        let due = due_at.with_timezone(&Local).format("%H:%M").to_string();
                                        view! {
                                            <span class="promise" class:overdue=move || late.get() data-testid="first-reply" data-late=move || late.get().to_string()>
                                                {t!(i18n, escalation_first_reply_due)} " " {due}
                                            </span>
                                        }
                                    })}
                                </p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <h2>{t!(i18n, dissatisfied_title)}</h2>
            {move || match dissatisfied() {
                None => view! { <p>{t!(i18n, loading)}</p> }.into_any(),
                Some(rows) if rows.is_empty() => view! { <p class="empty">{t!(i18n, dissatisfied_none)}</p> }.into_any(),
                Some(rows) => view! {
                    <ul class="cards" data-testid="dissatisfied-list">
                        {rows.into_iter().map(|(id, title, satisfaction, answer)| {
                            view! {
                                <li class="card" data-testid="dissatisfied-row">
                                    <A href=AppRoute::CaseDetail(id).href()>
                                        <strong class="title">{title}</strong>
                                    </A>
                                    <p class="card-meta">
                                        <span class="tag not-eligible">{satisfaction}</span>
                                        <span>{answer.comment}</span>
                                        <span>{answer.by}</span>
                                    </p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
