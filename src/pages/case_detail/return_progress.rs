//! Where a return stands and the agent's next step (seed 000 §5.7(6), seed 002 退货处理): a
//! request nobody approved yet is approved or refused; an approved request that needs nothing
//! back, or a parcel the station accepted, is settled (refund, reship, exchange or
//! compensation); a refused, sent-back or settled return is closed, which plans a callback a
//! working day later (售后服务完成后满意度调查); until the parcel arrives
//! the customer may withdraw. Each step is checked by the shared flow before it is kept.

use super::callbacks::closing_callback;
use super::timeline_entry::{TimelineEntry, may_add, probe_append};
use crate::i18n::{localized, t, t_string, use_i18n};
use crate::policy::use_policy;
use crate::session::use_session;
use chrono::Local;
use kefu_core::kinds::case::callback::event::CALLBACK_PLANNED;
use kefu_core::kinds::case::return_follow_up::{
    approval_step, check_return_flow, return_state, return_step_data,
};
use kefu_core::kinds::case::returns::ReturnFacts;
use kefu_core::money::Fen;
use kefu_core::record::Record;
use kefu_core::rules::return_eligibility::ReturnDecision;
use kefu_core::rules::return_flow::{
    ReturnEvent, ReturnState, ReturnStepKind, Settlement, next_steps,
};
use leptos::prelude::*;

/// How a return is settled, as the agent picks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SettleKind {
    Refund,
    Reship,
    Exchange,
    Compensation,
}

impl SettleKind {
    const ALL: [SettleKind; 4] = [
        SettleKind::Refund,
        SettleKind::Reship,
        SettleKind::Exchange,
        SettleKind::Compensation,
    ];

    fn id(self) -> &'static str {
        match self {
            SettleKind::Refund => "refund",
            SettleKind::Reship => "reship",
            SettleKind::Exchange => "exchange",
            SettleKind::Compensation => "compensation",
        }
    }

    fn parse(id: &str) -> SettleKind {
        SettleKind::ALL
            .into_iter()
            .find(|kind| kind.id() == id)
            .unwrap_or(SettleKind::Refund)
    }

    fn by_amount(self) -> bool {
        matches!(self, SettleKind::Refund | SettleKind::Compensation)
    }

    /// The settlement as typed: an amount in yuan, or the new parcel's tracking number.
    fn settlement(self, typed: &str) -> Option<Settlement> {
        let typed = typed.trim();
        match self {
            SettleKind::Refund => {
                Fen::parse_yuan(typed).map(|amount| Settlement::Refund { amount })
            }
            SettleKind::Compensation => {
                Fen::parse_yuan(typed).map(|amount| Settlement::Compensation { amount })
            }
            SettleKind::Reship => Some(Settlement::Reship {
                tracking_number: typed.to_owned(),
            }),
            SettleKind::Exchange => Some(Settlement::Exchange {
                tracking_number: typed.to_owned(),
            }),
        }
    }
}

#[component]
pub fn ReturnProgress(
    record: Signal<Option<Record>>,
    review: Memo<Option<ReturnDecision>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let policy = use_policy();
    let state = Memo::new(move |_| record.with(|record| record.as_ref().map(return_state)));
    let error = RwSignal::new(None::<String>);
    let entry = TimelineEntry::new(error);
    let reject_reason = RwSignal::new(String::new());
    let settle_kind = RwSignal::new(SettleKind::Refund);
    let settle_value = RwSignal::new(String::new());
    let may_step = may_add(
        record,
        kefu_core::kinds::case::return_follow_up::event::RETURN_STEP,
    );
    // The shared flow says which steps may follow the state; this page offers the desk's
    // (the packing station records the parcel's).
    let offered = Memo::new(move |_| state.get().map(next_steps).unwrap_or_default());
    let offers = move |step: ReturnStepKind| offered.with(|steps| steps.contains(&step));

    // Checks the step with the shared flow, as the server will, then keeps it.
    let take = move |step: ReturnEvent, done: Box<dyn FnOnce()>| {
        let Some(existing) = record.get_untracked() else {
            return;
        };
        let data = return_step_data(&step);
        let probe = probe_append(
            kefu_core::kinds::case::return_follow_up::event::RETURN_STEP,
            data.clone(),
        );
        if let Err(message) = check_return_flow(Some(&existing), &probe) {
            error.set(Some(localized(i18n, &message)));
            return;
        }
        entry.append(
            existing.id,
            kefu_core::kinds::case::return_follow_up::event::RETURN_STEP,
            data,
            done,
        );
    };
    // A closed return is a finished after-sales case: a callback asks how it went.
    let close = move || {
        let (Some(case_id), plan) = (
            record.with_untracked(|record| record.as_ref().map(|record| record.id)),
            closing_callback(i18n, policy),
        ) else {
            return;
        };
        take(
            ReturnEvent::Close,
            Box::new(move || {
                if let Some(plan) = plan {
                    entry.append(case_id, CALLBACK_PLANNED, plan, || ());
                }
            }),
        );
    };
    let approve = move |_| {
        let (Some(user), Some(decision), Some(facts)) = (
            session.user_now(),
            review.get_untracked(),
            record.with_untracked(|record| record.as_ref().and_then(ReturnFacts::from_record)),
        ) else {
            return;
        };
        take(
            approval_step(facts.request_type, &decision, &user.username),
            Box::new(|| ()),
        );
    };
    let reject = move |_| {
        let Some(user) = session.user_now() else {
            return;
        };
        let step = ReturnEvent::Reject {
            reviewer: user.username,
            reason: reject_reason.get_untracked().trim().to_owned(),
        };
        take(step, Box::new(move || reject_reason.set(String::new())));
    };
    let settle = move |_| {
        let kind = settle_kind.get_untracked();
        let Some(settlement) = kind.settlement(&settle_value.get_untracked()) else {
            error.set(Some(t_string!(i18n, return_amount_invalid).to_owned()));
            return;
        };
        let step = ReturnEvent::Settle {
            settlement: Some(settlement),
        };
        take(step, Box::new(move || settle_value.set(String::new())));
    };
    let steps = move || {
        record.with(|record| {
            record
                .as_ref()
                .map(|record| {
                    record
                        .events
                        .iter()
                        .filter(|entry| {
                            entry.kind
                                == kefu_core::kinds::case::return_follow_up::event::RETURN_STEP
                        })
                        .filter_map(|entry| {
                            let step: ReturnEvent =
                                serde_json::from_value(entry.data.clone()).ok()?;
                            Some((step, entry.origin.by.clone(), entry.origin.at))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };

    view! {
        <div class="return-progress" data-testid="return-progress">
            <h3>{t!(i18n, return_progress)}</h3>
            <p class=move || format!("tag return-state {}", state.get().map_or("", ReturnState::as_str))
                data-testid="return-state" data-state=move || state.get().map_or("", ReturnState::as_str)>
                {move || state.get().map(|state| localized(i18n, &state.name()))}
            </p>
            <ol class="return-steps">
                {move || steps().into_iter().map(|(step, by, at)| view! {
                    <li data-testid="return-step">
                        <strong>{localized(i18n, &step.name())}</strong>
                        {match &step {
                            ReturnEvent::Settle { settlement: Some(Settlement::Refund { amount } | Settlement::Compensation { amount }) } => format!(" ¥{amount}"),
                            ReturnEvent::Settle { settlement: Some(Settlement::Reship { tracking_number } | Settlement::Exchange { tracking_number }) } => format!(" {tracking_number}"),
                            ReturnEvent::Reject { reason, .. } => format!(" {reason}"),
                            _ => String::new(),
                        }}
                        <span class="muted">" · " {by} " · " {at.with_timezone(&Local).format("%m-%d %H:%M").to_string()}</span>
                    </li>
                }).collect_view()}
            </ol>
            <Show when=move || may_step.get()>
                <div class="return-actions">
                    // Approving and refusing follow the same state: a request awaiting its decision.
                    <Show when=move || offers(ReturnStepKind::Approve)>
                        <p class="warning">{t!(i18n, return_needs_decision)}</p>
                        <div class="form-row">
                            <button type="button" class="primary" data-testid="return-approve" on:click=approve>{t!(i18n, return_approve)}</button>
                            <label>{t!(i18n, return_reject_reason)}
                                <input data-testid="return-reject-reason" prop:value=reject_reason
                                    on:input=move |ev| { reject_reason.set(event_target_value(&ev)); error.set(None); } />
                            </label>
                            <button type="button" data-testid="return-reject" on:click=reject>{t!(i18n, return_reject)}</button>
                        </div>
                    </Show>
                    <Show when=move || offers(ReturnStepKind::Settle)>
                        <div class="form-row">
                            <label>{t!(i18n, return_settle_kind)}
                                <select data-testid="settle-kind" on:change=move |ev| settle_kind.set(SettleKind::parse(&event_target_value(&ev)))>
                                    {SettleKind::ALL.into_iter().map(|kind| view! {
                                        <option value=kind.id() selected=move || settle_kind.get() == kind>{move || match kind {
                                            SettleKind::Refund => t_string!(i18n, settle_refund),
                                            SettleKind::Reship => t_string!(i18n, settle_reship),
                                            SettleKind::Exchange => t_string!(i18n, settle_exchange),
                                            SettleKind::Compensation => t_string!(i18n, settle_compensation),
                                        }}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>
                                {move || if settle_kind.get().by_amount() { t_string!(i18n, return_settle_amount) } else { t_string!(i18n, return_settle_tracking) }}
                                <input data-testid="settle-value" inputmode=move || if settle_kind.get().by_amount() { "decimal" } else { "text" }
                                    prop:value=settle_value on:input=move |ev| { settle_value.set(event_target_value(&ev)); error.set(None); } />
                            </label>
                            <button type="button" class="primary" data-testid="return-settle" on:click=settle>{t!(i18n, return_settle)}</button>
                        </div>
                    </Show>
                    <Show when=move || offers(ReturnStepKind::Close)>
                        <button type="button" data-testid="return-close" on:click=move |_| close()>{t!(i18n, return_close)}</button>
                    </Show>
                    <Show when=move || offers(ReturnStepKind::Withdraw)>
                        <button type="button" data-testid="return-withdraw" on:click=move |_| take(ReturnEvent::Withdraw, Box::new(|| ()))>{t!(i18n, return_withdraw)}</button>
                    </Show>
                </div>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="return-error">{move || error.get()}</p>
            </Show>
        </div>
    }
}
