//! A sales inquiry's stages (seed 000 §4.1–§4.5): accept → probe → propose → objections →
//! call to action, with what the manual asks at each. Recording a stage adds it to the
//! case's timeline; an objection names one of the four kinds. Shown on inquiries.

use super::timeline_entry::{TimelineEntry, may_add};
use crate::i18n::{localized, t, use_i18n};
use crate::policy::use_policy;
use chrono::Local;
use kefu_core::kinds::case::sales::{SalesStage, current_stage, sales_stage_data};
use kefu_core::kinds::case::{Case, CaseKind};
use kefu_core::record::Record;
use leptos::prelude::*;

#[component]
pub fn SalesStages(record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let is_inquiry = Memo::new(move |_| {
        record.with(|record| {
            record
                .as_ref()
                .and_then(Case::from_record)
                .is_some_and(|case| case.kind == CaseKind::Inquiry)
        })
    });
    let current = Memo::new(move |_| record.with(|record| record.as_ref().and_then(current_stage)));
    let allowed = may_add(record, kefu_core::kinds::case::sales::event::SALES_STAGE);
    let chosen = RwSignal::new(None::<SalesStage>);
    let objection = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let entry = TimelineEntry::new(error);
    // The stage whose guidance is shown: the one being recorded, else the current one.
    let shown = move || chosen.get().or(current.get()).unwrap_or(SalesStage::Accept);

    let record_stage = move |_| {
        let (Some(stage), Some(id)) = (
            chosen.get_untracked(),
            record.with_untracked(|record| record.as_ref().map(|record| record.id)),
        ) else {
            return;
        };
        let kind = objection.get_untracked();
        let named = (stage == SalesStage::Objection).then_some(kind.as_str());
        if named.is_some_and(str::is_empty) {
            error.set(Some(localized(
                i18n,
                &kefu_core::lang::Bilingual::new(
                    "请选择异议类型",
                    "Please choose the kind of objection",
                ),
            )));
            return;
        }
        let data = sales_stage_data(
            stage,
            named.filter(|named| !named.is_empty()),
            note.get_untracked().trim(),
        );
        entry.append(
            id,
            kefu_core::kinds::case::sales::event::SALES_STAGE,
            data,
            move || {
                chosen.set(None);
                objection.set(String::new());
                note.set(String::new());
            },
        );
    };
    let objection_name = move |id: &str| {
        policy.desk.with(|desk| {
            desk.as_ref()
                .and_then(|desk| desk.objection_kinds.iter().find(|known| known.id == id))
                .map(|known| localized(i18n, &known.name()))
        })
    };

    view! {
        <Show when=move || is_inquiry.get()>
            <section class="sales-stages" data-testid="sales-stages">
                <h2>{t!(i18n, sales_stages)}</h2>
                <ol class="stepper">
                    {SalesStage::ALL
                        .into_iter()
                        .map(|stage| {
                            let is_current = move || current.get() == Some(stage);
                            view! {
                                <li class:current=is_current aria-current=move || is_current().then_some("step")>
                                    <button
                                        type="button"
                                        class="chip"
                                        class:selected=move || chosen.get() == Some(stage)
                                        aria-pressed=move || (chosen.get() == Some(stage)).to_string()
                                        disabled=move || !allowed.get()
                                        data-testid=format!("stage-{}", stage.as_str())
                                        on:click=move |_| chosen.set(Some(stage))
                                    >
                                        {move || localized(i18n, &stage.name())}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                <p class="guidance" data-testid="stage-guidance">{move || localized(i18n, &shown().guidance())}</p>
                <Show when=move || chosen.get().is_some()>
                    <div class="situation-form">
                        <Show when=move || chosen.get() == Some(SalesStage::Objection)>
                            <label>
                                {t!(i18n, objection_kind)}
                                <select
                                    data-testid="objection-select"
                                    prop:value=move || objection.get()
                                    on:change=move |ev| objection.set(event_target_value(&ev))
                                >
                                    <option value="">{t!(i18n, choose)}</option>
                                    {move || policy.desk.with(|desk| desk.as_ref().map(|desk| desk.objection_kinds.clone()).unwrap_or_default())
                                        .into_iter()
                                        .map(|known| {
                                            let name = known.name();
                                            view! { <option value=known.id.clone()>{localized(i18n, &name)}</option> }
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                        </Show>
                        <label>
                            {t!(i18n, situation_note)}
                            <input data-testid="stage-note" prop:value=note on:input=move |ev| note.set(event_target_value(&ev)) />
                        </label>
                        <button type="button" class="primary" data-testid="record-stage" on:click=record_stage>
                            {t!(i18n, record_step)}
                        </button>
                    </div>
                </Show>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="stage-error">{move || error.get()}</p>
                </Show>
                <ul class="order-steps" data-testid="stage-history">
                    {move || record.with(|record| {
                        record.as_ref().map(|record| {
                            record.events.iter().filter(|entry| entry.kind == kefu_core::kinds::case::sales::event::SALES_STAGE).map(|entry| {
                                let stage = entry.data["stage"].as_str().and_then(SalesStage::parse);
                                let name = stage.map(|stage| localized(i18n, &stage.name())).unwrap_or_default();
                                let kind = entry.data["objection"].as_str().and_then(objection_name).unwrap_or_default();
                                let note = entry.data["note"].as_str().unwrap_or_default().to_owned();
                                let at = entry.origin.at.with_timezone(&Local).format("%m-%d %H:%M").to_string();
                                view! {
                                    <li data-testid="stage-entry">
                                        <strong>{name}</strong>
                                        <span>{kind}</span>
                                        <span>{note}</span>
                                        <span class="muted">{entry.origin.by.clone()} " · " {at}</span>
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
