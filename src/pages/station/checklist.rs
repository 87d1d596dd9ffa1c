//! One returned parcel's checklist at the station: each of the policy's checks
//! (`inspection_checks`, which an admin edits) answered yes or no with a big button (none is
//! assumed), the goods' condition, a note, the supplier and style code an
//! accepted parcel is labelled with, photos (at least one before any decision), and the
//! decision. The shared inspection rules are asked
//! first, so the packer sees the server's answer before anything is queued.

use crate::components::photo_picker::PhotoPicker;
use crate::i18n::{localized, t, use_i18n};
use crate::policy::use_policy;
use crate::session::use_session;
use crate::store::use_store;
use crate::sync::use_sync;
use chrono::Utc;
use kefu_core::kinds::case::Case;
use kefu_core::kinds::case::returns::{
    Inspection, InspectionDecision, ItemCondition, ReturnFacts, check_inspection, inspections,
};
use kefu_core::lang::Bilingual;
use kefu_core::photo::PhotoRef;
use kefu_core::policy::{Label, default_inspection_checks};
use kefu_core::record::Record;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Checklist(record: Record, tracking: String, on_done: Callback<Bilingual>) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let session = use_session();
    let store = use_store();
    let sync = use_sync();
    let case = Case::from_record(&record);
    // A parcel scanned again: what was decided before, so nobody inspects it twice unaware.
    let earlier: Vec<String> = inspections(&record)
        .into_iter()
        .map(|(by, _, inspection)| {
            format!("{} · {by}", localized(i18n, &inspection.decision.name()))
        })
        .collect();
    let facts = ReturnFacts::from_record(&record);
    // The policy's checklist as it was when the parcel was scanned: a sync that changes the
    // policy does not reshuffle the answers under the packer's hands.
    let checks: Vec<Label> = policy
        .desk
        .with_untracked(|desk| desk.as_ref().map(|desk| desk.inspection_checks.clone()))
        .unwrap_or_else(default_inspection_checks);
    let answers = RwSignal::new(vec![None::<bool>; checks.len()]);
    let condition = RwSignal::new(None::<ItemCondition>);
    let note = RwSignal::new(String::new());
    let supplier = RwSignal::new(String::new());
    let style_code = RwSignal::new(String::new());
    let photos = RwSignal::new(Vec::<PhotoRef>::new());
    let error = RwSignal::new(None::<String>);
    // A refusal about a missing photo goes once one is added.
    Effect::new(move |_| {
        photos.track();
        error.set(None);
    });
    let complete = move || {
        answers.with(|answers| answers.iter().all(Option::is_some))
            && condition.with(Option::is_some)
    };
    let record = StoredValue::new(record);

    let check_ids: Vec<String> = checks.iter().map(|check| check.id.clone()).collect();
    let decide = move |decision: InspectionDecision| {
        let Some(given) = answers
            .get_untracked()
            .into_iter()
            .collect::<Option<Vec<bool>>>()
        else {
            return;
        };
        let (Some(condition), Some(user)) = (condition.get_untracked(), session.user_now()) else {
            return;
        };
        let mut inspection = Inspection {
            tracking: tracking.clone(),
            tracking_matches: false,
            items_match: false,
            original_packaging: false,
            tags_intact: false,
            condition,
            note: note.get_untracked().trim().to_owned(),
            decision,
            supplier: supplier.get_untracked().trim().to_owned(),
            style_code: style_code.get_untracked().trim().to_owned(),
            photos: photos.get_untracked(),
            other_checks: Default::default(),
        };
        for (id, passed) in check_ids.iter().zip(given) {
            inspection.set_answer(id, passed);
        }
        let checked = policy.desk.with_untracked(|desk| match desk {
            Some(desk) => record
                .with_value(|record| check_inspection(desk.return_policy(), record, &inspection)),
            None => Ok(()),
        });
        if let Err(problem) = checked {
            error.set(Some(localized(i18n, &problem.message())));
            return;
        }
        let id = record.with_value(|record| record.id);
        let store = store.store();
        spawn_local(async move {
            let data = serde_json::to_value(&inspection).unwrap_or_default();
            match store
                .append_event(
                    id,
                    kefu_core::kinds::case::returns::event::INSPECTION,
                    data,
                    &user,
                    Utc::now(),
                )
                .await
            {
                Ok(_) => {
                    sync.after_local_write();
                    on_done.run(decision.name());
                }
                Err(store_error) => error.set(Some(store_error.to_string())),
            }
        });
    };
    let needs_packaging = facts.as_ref().is_some_and(|facts| {
        policy.desk.with_untracked(|desk| {
            desk.as_ref().is_some_and(|desk| {
                desk.return_policy()
                    .item_class(&facts.item_class)
                    .is_ok_and(|class| class.return_requires_original_packaging)
            })
        })
    });

    view! {
        <article class="checklist" data-testid="station-return">
            <header>
                <h2 data-testid="station-case-title">{case.as_ref().map(|case| case.title.clone())}</h2>
                <p>
                    {case.as_ref().map(|case| format!("{} {} · {}", case.customer_name, case.customer_phone, case.order_number.clone().unwrap_or_default()))}
                </p>
            </header>
            {(!earlier.is_empty()).then(|| view! {
                <p class="warning" data-testid="station-earlier">{t!(i18n, station_earlier)} " " {earlier.join("；")}</p>
            })}
            <table class="return-lines" data-testid="station-lines">
                <thead><tr><th scope="col">{t!(i18n, return_sku)}</th><th scope="col">{t!(i18n, return_quantity)}</th></tr></thead>
                <tbody>
                    {facts.as_ref().map(|facts| facts.items.iter().map(|item| view! {
                        <tr><td>{item.sku.clone()}</td><td>{item.quantity}</td></tr>
                    }).collect_view())}
                </tbody>
            </table>
            <Show when=move || needs_packaging>
                <p class="warning" data-testid="station-one-off">{t!(i18n, station_one_off)}</p>
            </Show>
            <div class="checks">
                {checks.into_iter().enumerate().map(|(index, check)| {
                    let answer = move || answers.with(|answers| answers[index]);
                    let set = move |value: bool| answers.update(|answers| answers[index] = Some(value));
                    let name = check.name();
                    view! {
                        <div class="check-row" role="group" aria-labelledby=format!("check-{}-name", check.id)>
                            <span id=format!("check-{}-name", check.id)>{move || localized(i18n, &name)}</span>
                            <button type="button" class="big yes" class:selected=move || answer() == Some(true)
                                aria-pressed=move || (answer() == Some(true)).to_string()
                                data-testid=format!("check-{}-yes", check.id) on:click=move |_| set(true)>
                                {t!(i18n, yes)} " ✓"
                            </button>
                            <button type="button" class="big no" class:selected=move || answer() == Some(false)
                                aria-pressed=move || (answer() == Some(false)).to_string()
                                data-testid=format!("check-{}-no", check.id) on:click=move |_| set(false)>
                                {t!(i18n, no)} " ✗"
                            </button>
                        </div>
                    }
                }).collect_view()}
            </div>
            <fieldset class="conditions">
                <legend>{t!(i18n, station_condition)}</legend>
                {ItemCondition::ALL.into_iter().map(|state| view! {
                    <button type="button" class="chip big" class:selected=move || condition.get() == Some(state)
                        aria-pressed=move || (condition.get() == Some(state)).to_string()
                        data-testid=format!("condition-{}", state.as_str()) on:click=move |_| condition.set(Some(state))>
                        {move || localized(i18n, &state.name())}
                    </button>
                }).collect_view()}
            </fieldset>
            <label>
                {t!(i18n, station_note)}
                <textarea data-testid="station-note" prop:value=note on:input=move |ev| { note.set(event_target_value(&ev)); error.set(None); }></textarea>
            </label>
            <div class="form-row">
                <label>{t!(i18n, station_supplier)}
                    <input data-testid="station-supplier" prop:value=supplier on:input=move |ev| { supplier.set(event_target_value(&ev)); error.set(None); } />
                </label>
                <label>{t!(i18n, station_style_code)}
                    <input data-testid="station-style" prop:value=style_code on:input=move |ev| { style_code.set(event_target_value(&ev)); error.set(None); } />
                </label>
            </div>
            <fieldset class="station-photos">
                <legend>{t!(i18n, station_photos)}</legend>
                <PhotoPicker photos />
            </fieldset>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="station-error">{move || error.get()}</p>
            </Show>
            <div class="decisions">
                {InspectionDecision::ALL.into_iter().map(|decision| {
                    let decide = decide.clone();
                    view! {
                        <button type="button" class=format!("big decision {}", decision.as_str())
                            disabled=move || !complete()
                            data-testid=format!("decision-{}", decision.as_str())
                            on:click=move |_| decide(decision)>
                            {move || localized(i18n, &decision.name())}
                        </button>
                    }
                }).collect_view()}
            </div>
        </article>
    }
}
