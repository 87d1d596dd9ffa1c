//! The packing station (验货台, SPEC §3): a tablet screen for gloved hands. The packer scans
//! the returned parcel's tracking number (a scanner types it and presses Enter, the camera
//! reads it where the browser can, or the packer types it); the open return opens at once from the device's own cases, offline too; then
//! the checklist, the condition, a note, the label for stock, and the decision, which reaches
//! the agent's case with the next sync. A parcel no open return expects is recorded as an
//! unmatched parcel for agents to match later, never dropped.

mod camera_scan;
mod checklist;
mod unmatched_parcel;

use crate::cases::use_cases;
use crate::i18n::{localized, t, t_string, use_i18n};
use crate::store::use_store;
use camera_scan::CameraScan;
use checklist::Checklist;
use kefu_core::kinds::case::Case;
use kefu_core::kinds::case::returns::find_open_return;
use kefu_core::lang::Bilingual;
use kefu_core::record::Record;
use kefu_core::tracking::normalize_tracking;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;
use unmatched_parcel::UnmatchedParcel;

/// What the last scan found.
#[derive(Debug, Clone, PartialEq)]
enum Scan {
    Waiting,
    Found(Box<Record>),
    Unknown(String),
    /// The last parcel's decision was recorded: its name, for the packer to see.
    Done(Bilingual),
    /// The device database could not be read.
    Failed(String),
}

#[component]
pub fn Station() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let cases = use_cases();
    cases.watch();
    let scanned = RwSignal::new(String::new());
    let scan = RwSignal::new(Scan::Waiting);
    let input = NodeRef::<html::Input>::new();
    let focus_scan = move || {
        if let Some(input) = input.get_untracked() {
            let _ = input.focus();
        }
    };
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });

    let look_up = move || {
        let wanted = normalize_tracking(&scanned.get_untracked());
        if wanted.is_empty() {
            return;
        }
        // The shared cases, or, while their first read is still running (a cold start), the
        // store's rows: a parcel is never called unknown because the list was not ready.
        let shown = cases.cases.get_untracked();
        let store = store.store();
        spawn_local(async move {
            let all = match shown {
                Some(all) => all,
                None => match store.cases().await {
                    Ok(read) => Arc::new(read),
                    Err(error) => {
                        scan.set(Scan::Failed(error.to_string()));
                        return;
                    }
                },
            };
            let Some(id) =
                find_open_return(all.iter().map(Arc::as_ref), &wanted).map(|case: &Case| case.id)
            else {
                scan.set(Scan::Unknown(wanted));
                return;
            };
            match store.record(id).await {
                Ok(Some(record)) => scan.set(Scan::Found(Box::new(record))),
                Ok(None) => scan.set(Scan::Unknown(wanted)),
                Err(error) => scan.set(Scan::Failed(error.to_string())),
            }
        });
    };
    let on_done = Callback::new(move |decision: Bilingual| {
        scanned.set(String::new());
        scan.set(Scan::Done(decision));
        focus_scan();
    });

    view! {
        <section class="page station" data-testid="station">
            <h1>{t!(i18n, nav_station)}</h1>
            <form class="scan" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                look_up();
            }>
                <label for="station-scan">{t!(i18n, station_scan)}</label>
                <input
                    id="station-scan"
                    node_ref=input
                    data-testid="station-scan"
                    autocomplete="off"
                    autocapitalize="characters"
                    enterkeyhint="search"
                    placeholder=move || t_string!(i18n, station_scan_hint)
                    prop:value=scanned
                    on:input=move |ev| scanned.set(event_target_value(&ev))
                />
                <button type="submit" class="primary big">{t!(i18n, station_open)}</button>
            </form>
            <CameraScan on_code=Callback::new(move |code: String| {
                scanned.set(code);
                look_up();
            }) />
            {move || match scan.get() {
                Scan::Waiting => view! { <p class="muted">{t!(i18n, station_waiting)}</p> }.into_any(),
                Scan::Unknown(tracking) => view! { <UnmatchedParcel tracking=tracking on_done=on_done /> }.into_any(),
                Scan::Done(decision) => view! {
                    <p class="done" role="status" data-testid="station-done">
                        {t!(i18n, station_recorded)} " " {localized(i18n, &decision)}
                    </p>
                }.into_any(),
                Scan::Failed(error) => view! { <p class="error" role="alert">{error}</p> }.into_any(),
                Scan::Found(record) => view! { <Checklist record=*record tracking=scanned.get_untracked() on_done=on_done /> }.into_any(),
            }}
        </section>
    }
}
