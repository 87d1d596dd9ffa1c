//! The case's order (seed 000 §5; SPEC §2): where it stands (placed → reviewed → paid →
//! shipped → received → completed), the next steps it allows with what each needs, the prompt
//! to cancel and notify after 5 unpaid working days, and the special situations with whom
//! each goes to. Each step is checked by the shared order rules before it is saved; the
//! server checks it again.

use super::timeline_entry::{TimelineEntry, may_add};
use crate::clock::use_clock;
use crate::i18n::{localized, t, t_string, use_i18n};
use crate::policy::use_policy;
use chrono::{DateTime, Local, Utc};
use kefu_core::kinds::case::Case;
use kefu_core::kinds::case::order_follow_up::{
    order_state, order_step_data, order_steps, special_situation_data,
};
use kefu_core::record::Record;
use kefu_core::rules::order_flow::{
    CONFIRMED_BY, CUSTOMER_NOTIFIED_BY, CancelNotice, OrderEvent, OrderState, OrderStepKind,
    REJECTION_REASON, REVIEWER, TRACKING_NUMBER, apply, next_steps, unpaid_too_long,
};
use leptos::prelude::*;
use serde_json::Value;

/// The order's main line, as the stepper shows it.
const MAIN_LINE: [OrderState; 6] = [
    OrderState::Placed,
    OrderState::Reviewed,
    OrderState::Paid,
    OrderState::Shipped,
    OrderState::Received,
    OrderState::Completed,
];

/// What the step form holds as typed.
#[derive(Debug, Clone, Default, PartialEq)]
struct StepInput {
    text: String,
    tracking_number: String,
    notice: Option<CancelNotice>,
}

fn event_of(step: OrderStepKind, input: &StepInput, placed_at: DateTime<Utc>) -> OrderEvent {
    let text = input.text.trim().to_owned();
    match step {
        OrderStepKind::Review => OrderEvent::Review { reviewer: text },
        OrderStepKind::RejectInReview => OrderEvent::RejectInReview {
            reason: text,
            customer_notified_by: input.notice,
        },
        OrderStepKind::ConfirmPayment => OrderEvent::ConfirmPayment { confirmed_by: text },
        OrderStepKind::CancelUnpaid => OrderEvent::CancelUnpaid {
            placed_at,
            customer_notified_by: input.notice,
        },
        OrderStepKind::CancelOnRequest => OrderEvent::CancelOnRequest {
            customer_notified_by: input.notice,
        },
        OrderStepKind::Ship => OrderEvent::Ship {
            courier: text,
            tracking_number: input.tracking_number.trim().to_owned(),
        },
        OrderStepKind::ConfirmReceipt => OrderEvent::ConfirmReceipt,
        OrderStepKind::Complete => OrderEvent::Complete,
    }
}

fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%m-%d %H:%M").to_string()
}

#[component]
pub fn OrderFollowUp(record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let clock = use_clock();
    let case =
        Memo::new(move |_| record.with(|record| record.as_ref().and_then(Case::from_record)));
    let state = Memo::new(move |_| {
        policy.desk.with(|desk| {
            let desk = desk.as_ref()?;
            record.with(|record| Some(order_state(desk.order_policy(), record.as_ref()?)))
        })
    });
    let unpaid_due = Memo::new(move |_| {
        let (Some(state), Some(case)) = (state.get(), case.get()) else {
            return false;
        };
        let now = clock.now.get();
        policy.desk.with(|desk| {
            desk.as_ref().is_some_and(|desk| {
                unpaid_too_long(desk.order_policy(), state, case.created_at, now)
            })
        })
    });
    let allowed = may_add(
        record,
        kefu_core::kinds::case::order_follow_up::event::ORDER_STEP,
    );
    let action = RwSignal::new(None::<OrderStepKind>);
    let input = RwSignal::new(StepInput::default());
    let error = RwSignal::new(None::<String>);
    let situation = RwSignal::new(String::new());
    let situation_note = RwSignal::new(String::new());

    let entry = TimelineEntry::new(error);
    let append = move |kind: &'static str, data: Value, done: Box<dyn Fn()>| {
        if let Some(case) = case.get_untracked() {
            entry.append(case.id, kind, data, done);
        }
    };
    let record_step = move |_| {
        let (Some(chosen), Some(state), Some(case)) = (
            action.get_untracked(),
            state.get_untracked(),
            case.get_untracked(),
        ) else {
            return;
        };
        let step = event_of(chosen, &input.get_untracked(), case.created_at);
        let checked = policy.desk.with_untracked(|desk| {
            desk.as_ref()
                .map(|desk| apply(desk.order_policy(), state, &step, Utc::now()))
        });
        if let Some(Err(refused)) = checked {
            error.set(Some(localized(i18n, &refused.message())));
            return;
        }
        append(
            kefu_core::kinds::case::order_follow_up::event::ORDER_STEP,
            order_step_data(&step),
            Box::new(move || {
                action.set(None);
                input.set(StepInput::default());
            }),
        );
    };
    let record_situation = move |_| {
        let chosen = situation.get_untracked();
        if chosen.is_empty() {
            error.set(Some(t_string!(i18n, choose_situation).to_owned()));
            return;
        }
        let data = special_situation_data(&chosen, situation_note.get_untracked().trim());
        append(
            kefu_core::kinds::case::order_follow_up::event::SPECIAL_SITUATION,
            data,
            Box::new(move || {
                situation.set(String::new());
                situation_note.set(String::new());
            }),
        );
    };
    let situation_name = move |id: &str| {
        policy.desk.with(|desk| {
            desk.as_ref().and_then(|desk| {
                desk.special_situations
                    .iter()
                    .find(|known| known.id == id)
                    .cloned()
            })
        })
    };

    view! {
        <Show when=move || case.with(|case| case.as_ref().is_some_and(|case| case.order_number.is_some()))>
            <section class="order-follow-up" data-testid="order-follow-up">
                <h2>{t!(i18n, order_follow_up)} " " {move || case.get().and_then(|case| case.order_number)}</h2>
                <ol class="stepper" data-testid="order-stepper">
                    {move || {
                        let current = state.get();
                        let at = current.and_then(|current| MAIN_LINE.iter().position(|s| *s == current));
                        MAIN_LINE
                            .iter()
                            .enumerate()
                            .map(|(index, step)| {
                                let class = match at {
                                    Some(at) if index < at => "done",
                                    Some(at) if index == at => "current",
                                    _ => "",
                                };
                                let name = step.name();
                                view! {
                                    <li class=class aria-current=(class == "current").then_some("step")>
                                        {localized(i18n, &name)}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ol>
                <p class="order-state" data-testid="order-state" data-state=move || state.get().map(state_code)>
                    {move || state.get().map(|state| localized(i18n, &state.name()))}
                </p>
                <Show when=move || unpaid_due.get()>
                    <p class="warning" role="alert" data-testid="unpaid-warning">{t!(i18n, unpaid_too_long)}</p>
                </Show>
                <Show when=move || allowed.get()>
                    <div class="chips" data-testid="order-actions">
                        {move || {
                            let Some(state) = state.get() else {
                                return Vec::new();
                            };
                            next_steps(state, unpaid_due.get())
                                .into_iter()
                                .map(|each| {
                                    let name = each.name();
                                    view! {
                                        <button
                                            type="button"
                                            class="chip"
                                            class:selected=move || action.get() == Some(each)
                                            aria-pressed=move || (action.get() == Some(each)).to_string()
                                            data-testid=format!("order-action-{}", each.id())
                                            on:click=move |_| {
                                                action.set(Some(each));
                                                error.set(None);
                                            }
                                        >
                                            {localized(i18n, &name)}
                                        </button>
                                    }
                                })
                                .collect::<Vec<_>>()
                        }}
                    </div>
                    {move || action.get().map(|chosen| {
                        // The form shows the inputs the step needs: one typed text, the
                        // tracking number, the way the customer was told.
                        let needs = chosen.needs();
                        let text = needs
                            .iter()
                            .copied()
                            .find(|field| ![TRACKING_NUMBER, CUSTOMER_NOTIFIED_BY].contains(field));
                        let tracking = needs.contains(&TRACKING_NUMBER);
                        let notice = needs.contains(&CUSTOMER_NOTIFIED_BY);
                        view! {
                            <div class="order-step-form">
                                {text.map(|field| {
                                    let label = match field {
                                        REVIEWER => t_string!(i18n, order_reviewer),
                                        REJECTION_REASON => t_string!(i18n, order_reason),
                                        CONFIRMED_BY => t_string!(i18n, order_confirmed_by),
                                        _ => t_string!(i18n, order_courier),
                                    };
                                    view! {
                                        <label>
                                            {label}
                                            <input
                                                data-testid="order-step-text"
                                                prop:value=move || input.with(|input| input.text.clone())
                                                on:input=move |ev| {
                                                    let value = event_target_value(&ev);
                                                    input.update(|input| input.text = value);
                                                }
                                            />
                                        </label>
                                    }
                                })}
                                {tracking.then(|| view! {
                                    <label>
                                        {t!(i18n, order_tracking_number)}
                                        <input
                                            data-testid="order-step-tracking"
                                            prop:value=move || input.with(|input| input.tracking_number.clone())
                                            on:input=move |ev| {
                                                let value = event_target_value(&ev);
                                                input.update(|input| input.tracking_number = value);
                                            }
                                        />
                                    </label>
                                })}
                                {notice.then(|| view! {
                                    <fieldset class="chips">
                                        <legend>{t!(i18n, order_notified_by)}</legend>
                                        {[(CancelNotice::Sms, "sms"), (CancelNotice::Email, "email")]
                                            .into_iter()
                                            .map(|(way, id)| view! {
                                                <button
                                                    type="button"
                                                    class="chip"
                                                    class:selected=move || input.with(|input| input.notice == Some(way))
                                                    aria-pressed=move || input.with(|input| input.notice == Some(way)).to_string()
                                                    data-testid=format!("notice-{id}")
                                                    on:click=move |_| input.update(|input| input.notice = Some(way))
                                                >
                                                    {match way {
                                                        CancelNotice::Sms => t!(i18n, notice_sms).into_any(),
                                                        CancelNotice::Email => t!(i18n, notice_email).into_any(),
                                                    }}
                                                </button>
                                            })
                                            .collect_view()}
                                    </fieldset>
                                })}
                                <button type="button" class="primary" data-testid="record-order-step" on:click=record_step>
                                    {t!(i18n, record_step)}
                                </button>
                            </div>
                        }
                    })}
                </Show>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="order-error">{move || error.get()}</p>
                </Show>
                <ul class="order-steps" data-testid="order-steps">
                    {move || record.with(|record| {
                        record.as_ref().map(order_steps).unwrap_or_default().into_iter().map(|step| {
                            let name = step.event.name();
                            view! {
                                <li data-testid="order-step">
                                    <strong>{localized(i18n, &name)}</strong>
                                    <span class="muted">{step.by} " · " {local_time(step.at)}</span>
                                </li>
                            }
                        }).collect_view()
                    })}
                </ul>
            </section>
        </Show>
        <Show when=move || allowed.get()>
            <section class="special-situations" data-testid="special-situations">
                <h2>{t!(i18n, special_situation)}</h2>
                <div class="situation-form">
                    <label>
                        {t!(i18n, special_situation_kind)}
                        <select
                            data-testid="situation-select"
                            prop:value=move || situation.get()
                            on:change=move |ev| situation.set(event_target_value(&ev))
                        >
                            <option value="">{t!(i18n, choose)}</option>
                            {move || policy.desk.with(|desk| {
                                desk.as_ref().map(|desk| desk.special_situations.clone()).unwrap_or_default()
                            })
                                .into_iter()
                                .map(|known| {
                                    let name = known.name();
                                    view! { <option value=known.id.clone()>{localized(i18n, &name)}</option> }
                                })
                                .collect_view()}
                        </select>
                    </label>
                    <Show when=move || !situation.get().is_empty()>
                        <p class="refer-to" data-testid="situation-refer-to">
                            {t!(i18n, refer_to)}
                            {move || situation_name(&situation.get()).map(|known| localized(i18n, &known.refer_to))}
                        </p>
                    </Show>
                    <label>
                        {t!(i18n, situation_note)}
                        <input
                            data-testid="situation-note"
                            prop:value=situation_note
                            on:input=move |ev| situation_note.set(event_target_value(&ev))
                        />
                    </label>
                    <button type="button" data-testid="record-situation" on:click=record_situation>
                        {t!(i18n, record_situation)}
                    </button>
                </div>
                <ul class="order-steps" data-testid="situations">
                    {move || record.with(|record| {
                        record.as_ref().map(|record| {
                            record.events.iter().filter(|entry| entry.kind == kefu_core::kinds::case::order_follow_up::event::SPECIAL_SITUATION).map(|entry| {
                                let id = entry.data["situation"].as_str().unwrap_or_default().to_owned();
                                let note = entry.data["note"].as_str().unwrap_or_default().to_owned();
                                let known = situation_name(&id);
                                let name = known.as_ref().map_or(id.clone(), |known| localized(i18n, &known.name()));
                                let to = known.map(|known| localized(i18n, &known.refer_to)).unwrap_or_default();
                                view! {
                                    <li data-testid="situation">
                                        <strong>{name}</strong>
                                        " → " {to}
                                        <span>{note}</span>
                                        <span class="muted">{entry.origin.by.clone()} " · " {local_time(entry.origin.at)}</span>
                                    </li>
                                }
                            }).collect_view()
                        })
                    })}
                </ul>
            </section>
        </Show>
    }
}

/// The state as the data names it (`placed`, `paid`…), for tests and styles.
fn state_code(state: OrderState) -> String {
    serde_json::to_value(state)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}
