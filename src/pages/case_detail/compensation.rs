//! Compensation on a return (seed 002, seed 003): the agent enters the item's price and the
//! amount; the tier and whether a supervisor must approve show as typed. Within the tier the
//! offer is final; above it the proposal waits, and a supervisor approves or refuses it here.
//! The same shared check runs before anything is queued and again on the server.

use super::timeline_entry::{TimelineEntry, may_add};
use crate::components::policy_version::PolicyVersion;
use crate::i18n::{localized, t, t_string, use_i18n};
use crate::policy::use_policy;
use chrono::Local;
use kefu_core::kinds::case::compensations::{
    CompensationState, Decision, Proposal, check_compensation_change, compensations,
};
use kefu_core::kinds::case::returns::ReturnFacts;
use kefu_core::kinds::case::{Case, CaseKind};
use kefu_core::money::Fen;
use kefu_core::record::Record;
use kefu_core::rules::compensation::{CompensationFor, approval, propose};
use leptos::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;

#[component]
pub fn CompensationPanel(record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let is_return = Memo::new(move |_| {
        record.with(|record| {
            record
                .as_ref()
                .and_then(Case::from_record)
                .is_some_and(|case| case.kind == CaseKind::Return)
        })
    });
    let compensation_for = RwSignal::new(CompensationFor::QualityDefect);
    let unit_price = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let item_class = move || {
        record.with(|record| {
            record
                .as_ref()
                .and_then(ReturnFacts::from_record)
                .map(|facts| facts.item_class)
                .filter(|class| !class.is_empty())
                .unwrap_or_else(|| "normal".to_owned())
        })
    };
    // The tier for the price, and the verdict on the amount, as the agent types.
    let advice = move || {
        let price = Fen::parse_yuan(&unit_price.get())?;
        let class = item_class();
        policy.desk.with(|desk| {
            let desk = desk.as_ref()?;
            let mut reasons = propose(desk.return_policy(), &class, price, compensation_for.get())
                .ok()?
                .reasons;
            if let Some(amount) = Fen::parse_yuan(&amount.get())
                && let Ok(verdict) = approval(desk.return_policy(), &class, price, amount)
            {
                reasons.extend(verdict.reasons.into_iter().skip(1));
            }
            Some(reasons)
        })
    };
    let listed = move || {
        record.with(|record| {
            let record = record.as_ref()?;
            policy.desk.with(|desk| {
                desk.as_ref()
                    .map(|desk| compensations(desk.return_policy(), record))
            })
        })
    };
    let may_decide = may_add(
        record,
        kefu_core::kinds::case::compensations::event::COMPENSATION_DECISION,
    );
    let may_propose = may_add(
        record,
        kefu_core::kinds::case::compensations::event::COMPENSATION,
    );

    // Checks an entry as the server will, then writes it to the device.
    let entry = TimelineEntry::new(error);
    let append = move |kind: &'static str, data: Value, done: Box<dyn Fn()>| {
        let check = |existing: &Record, op: &kefu_core::sync::Op| {
            policy.desk.with_untracked(|desk| match desk {
                Some(desk) => check_compensation_change(desk.return_policy(), Some(existing), op),
                None => Ok(()),
            })
        };
        entry.append_checked(record, kind, data, check, done);
    };
    let on_propose = move |_| {
        let (Some(price), Some(paid)) = (
            Fen::parse_yuan(&unit_price.get_untracked()),
            Fen::parse_yuan(&amount.get_untracked()),
        ) else {
            error.set(Some(
                t_string!(i18n, compensation_amounts_needed).to_owned(),
            ));
            return;
        };
        let proposal = Proposal {
            compensation_for: compensation_for.get_untracked(),
            item_class: item_class(),
            unit_price: price,
            amount: paid,
            note: note.get_untracked().trim().to_owned(),
            policy: policy.version.get_untracked(),
        };
        append(
            kefu_core::kinds::case::compensations::event::COMPENSATION,
            json!(proposal),
            Box::new(move || {
                amount.set(String::new());
                note.set(String::new());
            }),
        );
    };
    let decide = move |compensation: Uuid, approved: bool| {
        let decision = Decision {
            compensation,
            approved,
            note: String::new(),
        };
        append(
            kefu_core::kinds::case::compensations::event::COMPENSATION_DECISION,
            json!(decision),
            Box::new(|| ()),
        );
    };

    view! {
        <Show when=move || is_return.get()>
            <section class="compensation" data-testid="compensation">
                <h2>{t!(i18n, compensation_title)}</h2>
                <ul class="inspections" data-testid="compensation-list">
                    {move || listed().unwrap_or_default().into_iter().map(|compensation| {
                        let state = compensation.state.clone();
                        let pending = matches!(state, CompensationState::Pending { .. });
                        let id = compensation.id;
                        let state_text = match &state {
                            CompensationState::Final => t_string!(i18n, compensation_final).to_owned(),
                            CompensationState::Pending { above_tier_by } => format!("{} (+{above_tier_by})", t_string!(i18n, compensation_pending)),
                            CompensationState::Approved { by } => format!("{} · {by}", t_string!(i18n, compensation_approved)),
                            CompensationState::Refused { by } => format!("{} · {by}", t_string!(i18n, compensation_refused)),
                        };
                        let at = compensation.at.with_timezone(&Local).format("%m-%d %H:%M").to_string();
                        view! {
                            <li data-testid="compensation-entry" data-state=state.as_str()>
                                <strong>{compensation.proposal.amount.to_string()}</strong>
                                <span class=format!("tag compensation-{}", state.as_str())>{state_text}</span>
                                <span>{compensation.proposal.note.clone()}</span>
                                <span class="muted">{compensation.by.clone()} " · " {at}</span>
                                {compensation.proposal.policy.map(|version| view! { <PolicyVersion version=version testid="compensation-policy" /> })}
                                <Show when=move || pending && may_decide.get()>
                                    <button type="button" class="primary" data-testid="approve-compensation" on:click=move |_| decide(id, true)>
                                        {t!(i18n, compensation_approve)}
                                    </button>
                                    <button type="button" class="danger" data-testid="refuse-compensation" on:click=move |_| decide(id, false)>
                                        {t!(i18n, compensation_refuse)}
                                    </button>
                                </Show>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <Show when=move || may_propose.get()>
                    <div class="situation-form">
                        <label>
                            {t!(i18n, compensation_for)}
                            <select
                                data-testid="compensation-for"
                                on:change=move |ev| compensation_for.set(if event_target_value(&ev) == "small_missing_item" { CompensationFor::SmallMissingItem } else { CompensationFor::QualityDefect })
                            >
                                <option value="quality_defect">{t!(i18n, compensation_quality_defect)}</option>
                                <option value="small_missing_item">{t!(i18n, compensation_small_missing_item)}</option>
                            </select>
                        </label>
                        <div class="form-row">
                            <label>
                                {t!(i18n, compensation_unit_price)}
                                <input inputmode="decimal" data-testid="compensation-price" prop:value=unit_price on:input=move |ev| unit_price.set(event_target_value(&ev)) />
                            </label>
                            <label>
                                {t!(i18n, compensation_amount)}
                                <input inputmode="decimal" data-testid="compensation-amount" prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev)) />
                            </label>
                        </div>
                        <ul class="guidance" data-testid="compensation-advice" aria-live="polite">
                            {move || advice().unwrap_or_default().into_iter().map(|reason| view! { <li>{localized(i18n, &reason)}</li> }).collect_view()}
                        </ul>
                        <label>
                            {t!(i18n, situation_note)}
                            <input data-testid="compensation-note" prop:value=note on:input=move |ev| note.set(event_target_value(&ev)) />
                        </label>
                        <button type="button" class="primary" data-testid="propose-compensation" on:click=on_propose>
                            {t!(i18n, compensation_propose)}
                        </button>
                    </div>
                </Show>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="compensation-error">{move || error.get()}</p>
                </Show>
            </section>
        </Show>
    }
}
