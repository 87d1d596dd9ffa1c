//! The after-sales situation on a return case as guided steps (seed 002/003): the agent picks
//! what happened (missing item, wrong item, quality defect, own mistake, lost parcel), sees
//! what to do first, and answers one question at a time until the manual's resolution shows,
//! with the weekly-report and courier-claim flags and, for a lost parcel, what the claim
//! names. Each answer is kept at once as an entry holding all answers so far; a resolution the
//! manual leaves to a supervisor waits until a supervisor agrees on this screen.

use super::timeline_entry::{TimelineEntry, may_add, probe_append};
use crate::i18n::{localized, t, t_string, use_i18n};
use crate::policy::use_policy;
use crate::session::use_session;
use kefu_core::kinds::case::after_sales_situation::{
    CaseSituation, SituationEntry, SituationState, case_situation, check_situation_change,
    courier_claim,
};
use kefu_core::kinds::case::returns::ReturnFacts;
use kefu_core::money::Fen;
use kefu_core::record::Record;
use kefu_core::rules::after_sales_guide::{Answer, AnswerKind, Answers, Question, Situation};
use leptos::prelude::*;
use serde_json::json;

#[component]
pub fn AfterSalesGuide(record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let session = use_session();
    let is_return = Memo::new(move |_| {
        record.with(|record| record.as_ref().and_then(ReturnFacts::from_record).is_some())
    });
    let current = Memo::new(move |_| {
        record.with(|record| {
            let record = record.as_ref()?;
            policy
                .desk
                .with(|desk| case_situation(desk.as_ref()?.guide_policy(), record))
        })
    });
    let may_record = may_add(
        record,
        kefu_core::kinds::case::after_sales_situation::event::AFTER_SALES_SITUATION,
    );
    let error = RwSignal::new(None::<String>);
    let entry = TimelineEntry::new(error);
    let price = RwSignal::new(String::new());
    let province = RwSignal::new(String::new());

    // Checks the entry with the shared rule, as the server will, then keeps it; `done` runs
    // once the device holds it.
    let keep = move |situation: SituationEntry, done: Box<dyn FnOnce()>| {
        let (Some(existing), Some(user)) = (record.get_untracked(), session.user_now()) else {
            return;
        };
        let data = json!(situation);
        let probe = probe_append(
            kefu_core::kinds::case::after_sales_situation::event::AFTER_SALES_SITUATION,
            data.clone(),
        );
        let checked = policy.desk.with_untracked(|desk| match desk {
            Some(desk) => {
                check_situation_change(desk.guide_policy(), user.role, Some(&existing), &probe)
            }
            None => Ok(()),
        });
        if let Err(message) = checked {
            error.set(Some(localized(i18n, &message)));
            return;
        }
        entry.append(
            existing.id,
            kefu_core::kinds::case::after_sales_situation::event::AFTER_SALES_SITUATION,
            data,
            done,
        );
    };
    // Starts `situation` afresh. Tapping the situation already chosen does nothing, so one
    // stray tap cannot throw away the answers (or a supervisor's agreement); "start over" does.
    let start = move |situation: Situation| {
        keep(
            SituationEntry {
                situation,
                answers: Answers::default(),
                supervisor_agrees: false,
            },
            Box::new(move || province.set(String::new())),
        )
    };
    let pick = move |situation: Situation| {
        let chosen = current.with_untracked(|current| current.as_ref().map(|c| c.entry.situation));
        if chosen != Some(situation) {
            start(situation);
        }
    };
    let answer = move |question: Question, given: Answer, done: Box<dyn FnOnce()>| {
        let Some(mut situation) = current.get_untracked().map(|current| current.entry) else {
            return;
        };
        situation.answers.answer(question, given);
        situation.supervisor_agrees = false;
        keep(situation, done);
    };
    let answer_price = move |question: Question| {
        let typed = price.get_untracked();
        match Fen::parse_yuan(&typed) {
            // Cleared once kept, unless the agent has typed on (the next question's price may
            // show before this write reports back).
            Some(amount) => answer(
                question,
                Answer::Price(amount),
                Box::new(move || {
                    // The page may be gone by the time the write reports back.
                    if price.try_get_untracked().as_ref() == Some(&typed) {
                        price.try_set(String::new());
                    }
                }),
            ),
            None => error.set(Some(t_string!(i18n, return_amount_invalid).to_owned())),
        }
    };
    let answer_province = move |question: Question| {
        let chosen = province.get_untracked();
        if chosen.is_empty() {
            error.set(Some(t_string!(i18n, situation_province_needed).to_owned()));
        } else {
            answer(
                question,
                Answer::Province(chosen),
                Box::new(move || {
                    province.try_set(String::new());
                }),
            );
        }
    };
    let agree = move |_| {
        if let Some(mut situation) = current.get_untracked().map(|current| current.entry) {
            situation.supervisor_agrees = true;
            keep(situation, Box::new(|| ()));
        }
    };
    // Whether the signed-in user may agree: the shared rule, asked with the agreement itself.
    let may_agree = move || {
        let (Some(current), Some(user), Some(existing)) =
            (current.get(), session.user(), record.get())
        else {
            return false;
        };
        let agreed = SituationEntry {
            supervisor_agrees: true,
            ..current.entry
        };
        let probe = probe_append(
            kefu_core::kinds::case::after_sales_situation::event::AFTER_SALES_SITUATION,
            json!(agreed),
        );
        policy.desk.with(|desk| {
            desk.as_ref().is_some_and(|desk| {
                check_situation_change(desk.guide_policy(), user.role, Some(&existing), &probe)
                    .is_ok()
            })
        })
    };
    let answer_text = move |answer: &Answer| match answer {
        Answer::YesNo(true) => t_string!(i18n, answer_yes).to_owned(),
        Answer::YesNo(false) => t_string!(i18n, answer_no).to_owned(),
        Answer::Price(amount) => amount.to_string(),
        Answer::Province(id) => policy.desk.with_untracked(|desk| {
            desk.as_ref()
                .and_then(|desk| desk.provinces.iter().find(|known| &known.id == id))
                .map(|known| localized(i18n, &known.name()))
                .unwrap_or_else(|| id.clone())
        }),
    };
    let provinces = move || {
        policy.desk.with(|desk| {
            desk.as_ref()
                .map(|desk| {
                    desk.provinces
                        .iter()
                        .map(|known| (known.id.clone(), localized(i18n, &known.name())))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let claim = move || {
        let current = current.get()?;
        current
            .state
            .settled()
            .filter(|resolution| resolution.courier_claim)?;
        record.with(|record| Some(courier_claim(record.as_ref()?, &current.entry)))
    };
    let unknown = move |value: Option<String>| {
        value.unwrap_or_else(|| t_string!(i18n, claim_look_up).to_owned())
    };

    let controls = move |question: Question| {
        match question.kind() {
            AnswerKind::YesNo => view! {
                <div class="form-row">
                    <button type="button" class="primary" data-testid="answer-yes"
                        on:click=move |_| answer(question, Answer::YesNo(true), Box::new(|| ()))>{t!(i18n, answer_yes)}</button>
                    <button type="button" data-testid="answer-no"
                        on:click=move |_| answer(question, Answer::YesNo(false), Box::new(|| ()))>{t!(i18n, answer_no)}</button>
                </div>
            }
            .into_any(),
            AnswerKind::Price => view! {
                <div class="form-row">
                    <label>{t!(i18n, situation_price)}
                        <input inputmode="decimal" data-testid="answer-price" prop:value=price
                            on:input=move |ev| { price.set(event_target_value(&ev)); error.set(None); }
                            on:keydown=move |ev| if ev.key() == "Enter" { answer_price(question) } />
                    </label>
                    <button type="button" class="primary" data-testid="answer-next"
                        on:click=move |_| answer_price(question)>{t!(i18n, situation_next)}</button>
                </div>
            }
            .into_any(),
            AnswerKind::Province => view! {
                <div class="form-row">
                    <label>{t!(i18n, situation_province)}
                        <select data-testid="answer-province" prop:value=province on:change=move |ev| province.set(event_target_value(&ev))>
                            <option value="">"—"</option>
                            {provinces().into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                        </select>
                    </label>
                    <button type="button" class="primary" data-testid="answer-next"
                        on:click=move |_| answer_province(question)>{t!(i18n, situation_next)}</button>
                </div>
            }
            .into_any(),
    }
    };
    let question_view = move |question: Question| {
        view! {
            <fieldset class="situation-question" data-testid="situation-question" data-question=question.as_str()>
                <legend>{localized(i18n, &question.text())}</legend>
                {move || if may_record.get() {
                    controls(question)
                } else {
                    view! { <p class="muted">{t!(i18n, situation_read_only)}</p> }.into_any()
                }}
            </fieldset>
        }
    };

    // The entry and where it stands, without who and when: the server's receipt of an entry
    // changes its time, and must not rebuild the question the agent is answering.
    let standing = Memo::new(move |_| current.get().map(|current| (current.entry, current.state)));
    let recorded_by = move || {
        current.get().map(|current: CaseSituation| {
            let at = current
                .at
                .with_timezone(&chrono::Local)
                .format("%m-%d %H:%M");
            format!("{} · {at}", current.by)
        })
    };
    let situation_view = move |(entry, state): (SituationEntry, SituationState)| {
        let situation = entry.situation;
        let given = entry.answers.given();
        let outcome = match state.clone() {
            SituationState::Asking(question) => question_view(question).into_any(),
            SituationState::AwaitingSupervisor(resolution)
            | SituationState::Resolved(resolution) => {
                let waiting = matches!(state, SituationState::AwaitingSupervisor(_));
                view! {
                    <div class="situation-resolution">
                        <p data-testid="situation-resolution"><strong>{localized(i18n, &resolution.text)}</strong></p>
                        <p>
                            {resolution.weekly_report.then(|| view! { <span class="tag">{t!(i18n, situation_weekly_report)}</span> })}
                            {resolution.courier_claim.then(|| view! { <span class="tag">{t!(i18n, situation_courier_claim)}</span> })}
                            {resolution.needs_supervisor.then(|| view! { <span class="tag">{t!(i18n, situation_needs_supervisor)}</span> })}
                        </p>
                        <Show when=move || waiting>
                            <p class="warning" data-testid="situation-waiting">{t!(i18n, situation_awaiting_supervisor)}</p>
                            <Show when=may_agree>
                                <button type="button" class="primary" data-testid="situation-agree" on:click=agree>{t!(i18n, situation_agree)}</button>
                            </Show>
                        </Show>
                    </div>
                }
                .into_any()
            }
        };
        view! {
            <h3 data-testid="situation-name">{localized(i18n, &situation.name())}</h3>
            <p class="muted">{recorded_by}</p>
            <h4>{t!(i18n, situation_first_steps)}</h4>
            <ol class="guidance" data-testid="situation-first-steps">
                {situation.first_steps().into_iter().map(|step| view! { <li>{localized(i18n, &step)}</li> }).collect_view()}
            </ol>
            <dl class="case-facts" data-testid="situation-answers">
                {given.into_iter().map(|(question, given)| view! {
                    <dt>{localized(i18n, &question.text())}</dt>
                    <dd data-question=question.as_str()>{answer_text(&given)}</dd>
                }).collect_view()}
            </dl>
            {outcome}
            <Show when=move || may_record.get()>
                <button type="button" data-testid="situation-restart" on:click=move |_| start(situation)>{t!(i18n, situation_restart)}</button>
            </Show>
        }
    };

    view! {
        <Show when=move || is_return.get()>
            <section class="after-sales-guide" data-testid="after-sales-guide"
                data-state=move || current.get().map_or("none", |current| current.state.as_str())>
                <h2>{t!(i18n, situation_title)}</h2>
                <Show when=move || may_record.get()>
                    <div class="choice-row" role="group" aria-label=move || t_string!(i18n, situation_pick)>
                        {Situation::ALL.into_iter().map(|situation| view! {
                            <button type="button" data-testid="situation-pick" data-situation=situation.as_str()
                                aria-pressed=move || (current.get().map(|current| current.entry.situation) == Some(situation)).to_string()
                                on:click=move |_| pick(situation)>
                                {localized(i18n, &situation.name())}
                            </button>
                        }).collect_view()}
                    </div>
                </Show>
                {move || standing.get().map(situation_view)}
                {move || claim().map(|claim| view! {
                    <dl class="case-facts courier-claim" data-testid="courier-claim">
                        <dt>{t!(i18n, claim_tracking)}</dt><dd>{unknown(claim.tracking_number)}</dd>
                        <dt>{t!(i18n, claim_order)}</dt><dd>{unknown(claim.order_number)}</dd>
                        <dt>{t!(i18n, claim_price)}</dt><dd data-testid="claim-price">{unknown(claim.price.map(|price| price.to_string()))}</dd>
                    </dl>
                })}
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="situation-error">{move || error.get()}</p>
                </Show>
            </section>
        </Show>
    }
}
