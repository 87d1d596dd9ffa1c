//! Escalating a case to the supervisor (seed 000 §10.1): the agent gives the reason, what the
//! supervisor needs to know and the promised reply time (half a working day by default); each
//! escalation shows its deadline, red once overdue, until the supervisor records what was
//! coordinated and the decision here, after a first answer within five minutes (seed 002). The case's owner reads the decision on the case.

use super::timeline_entry::{TimelineEntry, case_part, may_add};
use crate::components::promise_tag::PromiseTag;
use crate::components::reply_promise_choice::ReplyPromiseChoice;
use crate::drafts::use_text_draft;
use crate::i18n::{localized, t, use_i18n};
use crate::policy::use_policy;
use chrono::Local;
use kefu_core::kinds::case::escalation::{
    Escalation, EscalationDecision, FirstReply, check_escalation_change, event,
};
use kefu_core::record::Record;
use kefu_core::rules::working_hours::ReplyPromise;
use leptos::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;

#[component]
pub fn EscalationPanel(record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let listed = case_part(record, |case| case.escalations);
    let may_escalate = may_add(record, event::ESCALATION);
    let may_decide = may_add(record, event::ESCALATION_DECISION);
    let reason = RwSignal::new(String::new());
    // What is typed survives the panel being built again (a sync reloading the case).
    let case = record.with_untracked(|record| record.as_ref().map(|record| record.id));
    let draft =
        |part: &str| use_text_draft(format!("escalation-{part}:{}", case.unwrap_or_default()));
    let note = draft("note");
    let promise = RwSignal::new(ReplyPromise::HalfWorkingDay);
    let first_reply = draft("first-reply");
    let coordinated = draft("coordinated");
    let decision = draft("decision");
    let error = RwSignal::new(None::<String>);
    let entry = TimelineEntry::new(error);
    // Checks an entry as the server will, then keeps it on the device.
    let append = move |kind: &'static str, data: Value, done: Box<dyn Fn()>| {
        let check = |existing: &Record, op: &kefu_core::sync::Op| {
            policy.desk.with_untracked(|desk| match desk {
                Some(desk) => check_escalation_change(&desk.escalation_reasons, Some(existing), op),
                None => Ok(()),
            })
        };
        entry.append_checked(record, kind, data, check, done);
    };
    let escalate = move |_| {
        let escalation = Escalation {
            reason: reason.get_untracked(),
            note: note.get_untracked().trim().to_owned(),
            promise: promise.get_untracked(),
        };
        append(
            event::ESCALATION,
            json!(escalation),
            Box::new(move || note.set(String::new())),
        );
    };
    let reply = move |escalation: Uuid| {
        let answer = FirstReply {
            escalation,
            reply: first_reply.get_untracked().trim().to_owned(),
        };
        append(
            event::ESCALATION_REPLY,
            json!(answer),
            Box::new(move || first_reply.set(String::new())),
        );
    };
    let decide = move |escalation: Uuid| {
        let answer = EscalationDecision {
            escalation,
            coordinated: coordinated.get_untracked().trim().to_owned(),
            decision: decision.get_untracked().trim().to_owned(),
        };
        append(
            event::ESCALATION_DECISION,
            json!(answer),
            Box::new(move || {
                coordinated.set(String::new());
                decision.set(String::new());
            }),
        );
    };
    let reason_name = move |id: &str| {
        policy.desk.with(|desk| {
            desk.as_ref()
                .and_then(|desk| {
                    desk.escalation_reasons
                        .iter()
                        .find(|reason| reason.id == id)
                })
                .map(|reason| localized(i18n, &reason.name()))
                .unwrap_or_else(|| id.to_owned())
        })
    };

    view! {
        <section class="escalation" data-testid="escalation">
            <h2>{t!(i18n, escalation_title)}</h2>
            <ul class="inspections" data-testid="escalation-list">
                {move || listed.get().into_iter().map(|escalated| {
                    let id = escalated.id;
                    let deadline = policy.desk.with(|desk| desk.as_ref().map(|desk| escalated.deadline(&desk.working_hours)));
                    let at = escalated.acted_at.with_timezone(&Local).format("%m-%d %H:%M").to_string();
                    let reason = reason_name(&escalated.escalation.reason);
                    let open = escalated.decision.is_none();
                    let awaits_first_reply = open && escalated.first_reply.is_none();
                    let first_answer = escalated.first_reply.clone().map(|answer| view! {
                        <p class="decision" data-testid="escalation-first-reply-shown">
                            {answer.decision} " · " {answer.by}
                        </p>
                    });
                    view! {
                        <li data-testid="escalation-entry" data-open=open.to_string()>
                            <strong>{reason}</strong>
                            <span>{escalated.escalation.note.clone()}</span>
                            <span class="muted">{escalated.by.clone()} " · " {at}</span>
                            {match (&escalated.decision, deadline) {
                                (Some(answer), _) => view! {
                                    <p class="decision" data-testid="escalation-decision">
                                        <strong>{t!(i18n, escalation_decided)}</strong> " "
                                        {answer.decision.clone()} " · " {answer.coordinated.clone()} " · " {answer.by.clone()}
                                    </p>
                                }.into_any(),
                                (None, Some(due)) => view! { <PromiseTag due=due /> }.into_any(),
                                (None, None) => ().into_any(),
                            }}
                            {first_answer}
                            <Show when=move || awaits_first_reply && may_decide.get()>
                                <div class="form-row">
                                    <label>
                                        {t!(i18n, escalation_first_reply)}
                                        <input data-testid="escalation-first-reply" prop:value=first_reply on:input=move |ev| first_reply.set(event_target_value(&ev)) />
                                    </label>
                                    <button type="button" data-testid="reply-escalation" on:click=move |_| reply(id)>
                                        {t!(i18n, escalation_send_first_reply)}
                                    </button>
                                </div>
                            </Show>
                            <Show when=move || open && may_decide.get()>
                                <div class="situation-form">
                                    <label>
                                        {t!(i18n, escalation_coordinated)}
                                        <input data-testid="escalation-coordinated" prop:value=coordinated on:input=move |ev| coordinated.set(event_target_value(&ev)) />
                                    </label>
                                    <label>
                                        {t!(i18n, escalation_decision)}
                                        <textarea data-testid="escalation-decision-input" rows="2" prop:value=decision on:input=move |ev| decision.set(event_target_value(&ev))></textarea>
                                    </label>
                                    <button type="button" class="primary" data-testid="decide-escalation" on:click=move |_| decide(id)>
                                        {t!(i18n, escalation_record_decision)}
                                    </button>
                                </div>
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || may_escalate.get()>
                <div class="situation-form">
                    <label>
                        {t!(i18n, escalation_reason)}
                        <select data-testid="escalation-reason" prop:value=reason on:change=move |ev| reason.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, script_choose)}</option>
                            {move || policy.desk.with(|desk| desk.as_ref().map(|desk| desk.escalation_reasons.clone()).unwrap_or_default()).into_iter().map(|label| view! {
                                <option value=label.id.clone()>{localized(i18n, &label.name())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>
                        {t!(i18n, escalation_note)}
                        <textarea data-testid="escalation-note" rows="2" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    </label>
                    <ReplyPromiseChoice promise=promise.into() on_choose=move |chosen| promise.set(chosen) />
                    <button type="button" class="primary" data-testid="escalate" on:click=escalate>
                        {t!(i18n, escalation_escalate)}
                    </button>
                </div>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="escalation-error">{move || error.get()}</p>
            </Show>
        </section>
    }
}
