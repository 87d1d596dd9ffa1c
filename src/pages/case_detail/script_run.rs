//! The guided script on a complaint or a feedback case (seed 000 §6, §7): the steps done, each
//! with what was recorded, by whom and when; then the next step alone, with its guidance, its
//! suggested phrases (one tap inserts one into what the customer hears, checked for banned
//! phrases as typed) and its fields. What is typed is a draft on the device until the step is
//! completed, so a reload or a dropped connection loses nothing; the shared rule checks the
//! step here and again on the server. Below it, the printable complaint form (客户投诉受理表).

use super::callbacks::closing_callback;
use super::lesson_draft::LessonDraft;
use super::timeline_entry::{TimelineEntry, may_add};
use crate::components::banned_phrase_hint::BannedPhraseHint;
use crate::drafts;
use crate::i18n::{Locale, localized, t, use_i18n};
use crate::policy::use_policy;
use chrono::Local;
use kefu_core::kinds::case::Case;
use kefu_core::kinds::case::callback::event::CALLBACK_PLANNED;
use kefu_core::kinds::case::script_steps::{event::SCRIPT_STEP, steps_done};
use kefu_core::lang::Bilingual;
use kefu_core::policy::{ChoiceList, Script, ScriptField, ScriptInput};
use kefu_core::record::Record;
use kefu_core::rules::script::{StepRecord, check_step, next_step, script_for};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A case's script as the panel shows it: the script, the steps done with who and when.
#[derive(Clone, PartialEq)]
struct Run {
    case_kind: String,
    script: Script,
    done: Vec<(StepRecord, String, String)>,
}

#[component]
pub fn ScriptRun(record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let run = Memo::new(move |_| {
        record.with(|record| {
            let record = record.as_ref()?;
            let case = Case::from_record(record)?;
            let case_kind = case.kind.as_str().to_owned();
            let done: Vec<(StepRecord, String, String)> = steps_done(record)
                .into_iter()
                .map(|(step, origin)| {
                    let at = origin
                        .at
                        .with_timezone(&Local)
                        .format("%m-%d %H:%M")
                        .to_string();
                    (step, origin.by.clone(), at)
                })
                .collect();
            let records: Vec<StepRecord> = done.iter().map(|(step, _, _)| step.clone()).collect();
            policy.desk.with(|desk| {
                let desk = desk.as_ref()?;
                let script = script_for(&desk.script_policy(), &case_kind, &records).ok()?;
                Some(Run {
                    case_kind,
                    script: script.clone(),
                    done,
                })
            })
        })
    });
    let may_record = may_add(record, SCRIPT_STEP);
    let error = RwSignal::new(None::<String>);
    let entry = TimelineEntry::new(error);

    view! {
        {move || run.get().map(|run| {
            let run = Arc::new(run);
            let total = run.script.steps.len();
            let position = run.done.len();
            let next = next_step(&run.script, &run.done.iter().map(|(step, _, _)| step.clone()).collect::<Vec<_>>()).cloned();
            let done_view = run.done.iter().filter_map(|(recorded, by, at)| {
                let step = run.script.steps.iter().find(|step| step.id == recorded.step)?.clone();
                let rows = recorded_rows(&step.fields, recorded);
                Some(view! {
                    <li class="script-done" data-testid="script-step-done" data-step=step.id.clone()>
                        <div class="note-meta">
                            <strong>{localized(i18n, &step.name())}</strong>
                            <span>{by.clone()}</span>
                            <span>{at.clone()}</span>
                        </div>
                        <dl class="script-values">
                            {rows.into_iter().map(|(label, value)| view! {
                                <dt>{localized(i18n, &label)}</dt>
                                <dd>{display_value(i18n, value)}</dd>
                            }).collect_view()}
                        </dl>
                    </li>
                })
            }).collect_view();
            let current = next.map(|step| {
                let key = format!("script:{}:{}", record.with_untracked(|r| r.as_ref().map(|r| r.id).unwrap_or_default()), step.id);
                view! {
                    <ScriptStepForm
                        run=run.clone()
                        step_index=position
                        draft_key=key
                        may_record=may_record
                        error=error
                        entry=entry
                        record=record
                    />
                }
            });
            let finished = position >= total;
            view! {
                <section class="script" data-testid="script" data-script-version=run.script.version>
                    <h2>
                        {t!(i18n, script_title)}
                        <span class="muted" data-testid="script-progress">
                            {format!(" {}/{}", position.min(total), total)}
                        </span>
                    </h2>
                    <ol class="script-steps">{done_view}</ol>
                    {current}
                    <Show when=move || finished>
                        <p class="tag eligible" data-testid="script-finished">{t!(i18n, script_finished)}</p>
                        <LessonDraft record=record />
                    </Show>
                    <Show when=move || error.get().is_some()>
                        <p class="error" role="alert" data-testid="script-error">{move || error.get()}</p>
                    </Show>
                    <ComplaintForm run=run.clone() record=record />
                </section>
            }
        })}
    }
}

/// Each field of a step with what was recorded for it, in the step's order.
fn recorded_rows(fields: &[ScriptField], recorded: &StepRecord) -> Vec<(Bilingual, Shown)> {
    fields
        .iter()
        .filter_map(|field| {
            let value = recorded.value(field)?;
            let shown = match (field.input, field.list, value) {
                (ScriptInput::Check, _, Value::Bool(ticked)) => Shown::Ticked(ticked),
                (ScriptInput::Choice, Some(list), Value::String(id)) => Shown::Choice(list, id),
                (_, _, Value::String(text)) => Shown::Text(text),
                _ => return None,
            };
            Some((field.name(), shown))
        })
        .collect()
}

/// A recorded value as shown: a choice by its name in the policy's list.
enum Shown {
    Text(String),
    Ticked(bool),
    Choice(ChoiceList, String),
}

fn display_value(i18n: I18nContext<Locale>, shown: Shown) -> impl IntoView {
    let policy = use_policy();
    match shown {
        Shown::Text(text) => text.into_any(),
        Shown::Ticked(true) => "✓".into_any(),
        Shown::Ticked(false) => "—".into_any(),
        Shown::Choice(list, id) => (move || {
            policy.desk.with(|desk| match desk {
                Some(desk) => localized(i18n, &desk.script_policy().choice_name(list, &id)),
                None => id.clone(),
            })
        })
        .into_any(),
    }
}

/// The next step: its guidance, phrases and fields, kept as a draft until completed.
#[component]
fn ScriptStepForm(
    run: Arc<Run>,
    step_index: usize,
    draft_key: String,
    may_record: Memo<bool>,
    error: RwSignal<Option<String>>,
    entry: TimelineEntry,
    record: Signal<Option<Record>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let step = run.script.steps[step_index].clone();
    let restored: BTreeMap<String, Value> =
        serde_json::from_str(&drafts::load(&draft_key)).unwrap_or_default();
    let said_field = step
        .fields
        .iter()
        .find(|field| field.customer_reads)
        .cloned();
    let said = RwSignal::new(
        said_field
            .as_ref()
            .and_then(|field| restored.get(&field.id))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    );
    let values = RwSignal::new(restored);
    // Every keystroke is in the draft: the step survives a reload and a dropped connection.
    let key = draft_key.clone();
    let said_id = said_field.as_ref().map(|field| field.id.clone());
    Effect::new(move |_| {
        let mut all = values.get();
        if let Some(id) = &said_id {
            all.insert(id.clone(), Value::String(said.get()));
        }
        drafts::save(&key, &serde_json::to_string(&all).unwrap_or_default());
    });
    let phrase_target = step_text_field(&step.fields);
    let insert_phrase = move |phrase: String| {
        if said_field.is_some() {
            said.update(|text| text.push_str(&phrase));
        } else if let Some(field) = phrase_target.clone() {
            values.update(|values| {
                let mut text = values
                    .get(&field)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                text.push_str(&phrase);
                values.insert(field, Value::String(text));
            });
        }
    };
    let complete = {
        let run = run.clone();
        let step = step.clone();
        move |_| {
            let Some(existing) = record.get_untracked() else {
                return;
            };
            let mut all = values.get_untracked();
            if let Some(field) = step.fields.iter().find(|field| field.customer_reads) {
                all.insert(field.id.clone(), Value::String(said.get_untracked()));
            }
            // Unticked boxes are recorded as such, so "please fill in" names them.
            for field in &step.fields {
                if field.input == ScriptInput::Check {
                    all.entry(field.id.clone()).or_insert(Value::Bool(false));
                }
            }
            let step_record = StepRecord::new(&run.script, &step, all);
            let done: Vec<StepRecord> = run.done.iter().map(|(step, _, _)| step.clone()).collect();
            let checked = policy.desk.with_untracked(|desk| match desk {
                Some(desk) => {
                    check_step(&desk.script_policy(), &run.case_kind, &done, &step_record)
                }
                None => Ok(()),
            });
            if let Err(problem) = checked {
                error.set(Some(localized(i18n, &problem.message())));
                return;
            }
            let key = draft_key.clone();
            let data = serde_json::to_value(&step_record).unwrap_or_default();
            // Finishing the script closes the matter: a callback asks how it went.
            let callback = (step_index + 1 == run.script.steps.len())
                .then(|| closing_callback(i18n, policy))
                .flatten();
            let case_id = existing.id;
            entry.append(case_id, SCRIPT_STEP, data, move || {
                drafts::clear(&key);
                if let Some(plan) = callback {
                    entry.append(case_id, CALLBACK_PLANNED, plan, || ());
                }
            });
        }
    };
    let step_fields = step.fields.clone();
    let phrases = step.phrases.clone().into_iter().map(|phrase| {
        let insert = insert_phrase.clone();
        let text = phrase.clone();
        view! {
            <button type="button" class="chip" data-testid="script-phrase" on:click=move |_| insert(localized(i18n, &text))>
                {localized(i18n, &phrase)}
            </button>
        }
    }).collect_view();
    view! {
        <div class="script-step" data-testid="script-step" data-step=step.id.clone()>
            <h3>{format!("{} · ", step_index + 1)}{localized(i18n, &step.name())}</h3>
            <p class="guidance" data-testid="script-guidance">{localized(i18n, &step.guidance)}</p>
            <div class="chips" aria-label=move || localized(i18n, &Bilingual::new("推荐话术", "Suggested phrases"))>{phrases}</div>
            <Show when=move || may_record.get()>
                {step_fields.clone().into_iter().map(|field| field_input(i18n, field, values, said)).collect_view()}
                <button type="button" class="primary" data-testid="script-complete" on:click=complete.clone()>
                    {t!(i18n, script_complete_step)}
                </button>
            </Show>
        </div>
    }
}

/// The first text field a phrase goes into when the step has no customer-read field.
fn step_text_field(fields: &[ScriptField]) -> Option<String> {
    fields
        .iter()
        .find(|field| field.input == ScriptInput::Text)
        .map(|field| field.id.clone())
}

fn field_input(
    i18n: I18nContext<Locale>,
    field: ScriptField,
    values: RwSignal<BTreeMap<String, Value>>,
    said: RwSignal<String>,
) -> AnyView {
    let policy = use_policy();
    let id = field.id.clone();
    let testid = format!("script-field-{id}");
    let label = localized(i18n, &field.name());
    let required = field.required;
    match field.input {
        ScriptInput::Text if field.customer_reads => view! {
            <label class="script-field">
                {label}{required.then_some(" *")}
                <textarea data-testid=testid rows="3" prop:value=said on:input=move |ev| said.set(event_target_value(&ev))></textarea>
            </label>
            <BannedPhraseHint text=said on_change=move |text: String| said.set(text) />
        }
        .into_any(),
        ScriptInput::Text => {
            let read = id.clone();
            view! {
                <label class="script-field">
                    {label}{required.then_some(" *")}
                    <textarea
                        data-testid=testid
                        rows="2"
                        prop:value=move || values.with(|values| values.get(&read).and_then(Value::as_str).unwrap_or_default().to_owned())
                        on:input=move |ev| { let text = event_target_value(&ev); values.update(|values| { values.insert(id.clone(), Value::String(text)); }); }
                    ></textarea>
                </label>
            }
            .into_any()
        }
        ScriptInput::Check => {
            let read = id.clone();
            view! {
                <label class="script-field check">
                    <input
                        type="checkbox"
                        data-testid=testid
                        prop:checked=move || values.with(|values| values.get(&read).and_then(Value::as_bool).unwrap_or(false))
                        on:change=move |ev| { let ticked = event_target_checked(&ev); values.update(|values| { values.insert(id.clone(), Value::Bool(ticked)); }); }
                    />
                    {label}{required.then_some(" *")}
                </label>
            }
            .into_any()
        }
        ScriptInput::Choice => {
            let list = field.list;
            let read = id.clone();
            let options = move || {
                policy.desk.with(|desk| {
                    let (Some(desk), Some(list)) = (desk.as_ref(), list) else {
                        return Vec::new();
                    };
                    desk.script_policy().list(list).to_vec()
                })
            };
            view! {
                <label class="script-field">
                    {label}{required.then_some(" *")}
                    <select
                        data-testid=testid
                        prop:value=move || values.with(|values| values.get(&read).and_then(Value::as_str).unwrap_or_default().to_owned())
                        on:change=move |ev| { let chosen = event_target_value(&ev); values.update(|values| { values.insert(id.clone(), Value::String(chosen)); }); }
                    >
                        <option value="">{t!(i18n, script_choose)}</option>
                        {move || options().into_iter().map(|label| view! { <option value=label.id.clone()>{localized(i18n, &label.name())}</option> }).collect_view()}
                    </select>
                </label>
            }
            .into_any()
        }
    }
}

/// The complaint form (客户投诉受理表) as printed: the case's facts and every step recorded.
/// Hidden on screen; printing a case with a script prints it alone (`@media print`).
#[component]
fn ComplaintForm(run: Arc<Run>, record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let case = record.with_untracked(|record| record.as_ref().and_then(Case::from_record));
    let rows = run
        .done
        .iter()
        .filter_map(|(recorded, by, at)| {
            let step = run.script.steps.iter().find(|step| step.id == recorded.step)?;
            let name = step.name();
            let rows = recorded_rows(&step.fields, recorded);
            Some(view! {
                <tr><th colspan="2">{localized(i18n, &name)} " · " {by.clone()} " · " {at.clone()}</th></tr>
                {rows.into_iter().map(|(label, value)| view! {
                    <tr><td>{localized(i18n, &label)}</td><td>{display_value(i18n, value)}</td></tr>
                }).collect_view()}
            })
        })
        .collect_view();
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <div class="complaint-form-wrap">
            <button type="button" data-testid="print-complaint-form" on:click=print>{t!(i18n, complaint_form_print)}</button>
            <article class="complaint-form" data-testid="complaint-form">
                <h1>{t!(i18n, complaint_form_title)}</h1>
                {case.map(|case| view! {
                    <table>
                        <tr><td>{t!(i18n, customer_name)}</td><td>{case.customer_name.clone()}</td></tr>
                        <tr><td>{t!(i18n, customer_phone)}</td><td>{case.customer_phone.clone()}</td></tr>
                        <tr><td>{t!(i18n, field_order_number)}</td><td>{case.order_number.clone().unwrap_or_default()}</td></tr>
                        <tr><td>{t!(i18n, owner)}</td><td>{case.owner.clone()}</td></tr>
                        <tr><td>{t!(i18n, created_at)}</td><td>{case.created_at.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()}</td></tr>
                    </table>
                })}
                <table>{rows}</table>
            </article>
        </div>
    }
}
