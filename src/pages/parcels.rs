//! Unmatched parcels (SPEC §3): returned parcels the packing station could not match to an
//! open return, oldest first, each waiting for an agent to find its case (by order number,
//! phone, name or title) and match it. Matching gives a return without a tracking number the
//! parcel's, so the next scan at the station opens it. Works offline, from the device.

mod match_case;

use crate::cases::use_cases;
use crate::components::error_fallback::error_fallback;
use crate::components::photo::Photos;
use crate::i18n::{t, use_i18n};
use crate::records::use_records;
use crate::store::StoreError;
use chrono::Local;
use kefu_core::kinds::parcel::{Parcel, unmatched};
use kefu_core::record::RecordType;
use leptos::prelude::*;
use match_case::MatchCase;

#[component]
pub fn Parcels() -> impl IntoView {
    let i18n = use_i18n();
    use_cases().watch();
    let parcels = use_records(RecordType::Parcel, |records| {
        unmatched(records.iter().filter_map(Parcel::from_record).collect())
    });
    view! {
        <section class="page parcels">
            <h1>{t!(i18n, nav_parcels)}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let parcels = parcels.await?;
                        let empty = parcels.is_empty();
                        Ok::<_, StoreError>(view! {
                            <Show when=move || empty>
                                <p class="empty">{t!(i18n, parcels_empty)}</p>
                            </Show>
                            <ul class="cards" data-testid="parcel-list">
                                {parcels
                                    .into_iter()
                                    .map(|parcel| {
                                        let found = parcel.found_at.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string();
                                        view! {
                                            <li class="card" data-testid="parcel-row">
                                                <strong class="title" data-testid="parcel-tracking">{parcel.tracking.clone()}</strong>
                                                <p>{parcel.note.clone()}</p>
                                                <p class="card-meta">
                                                    <span>{t!(i18n, parcels_found)} " " {parcel.found_by.clone()}</span>
                                                    <span class="time">{found}</span>
                                                </p>
                                                <Photos photos=parcel.photos.clone() record=Some(parcel.id) />
                                                <MatchCase parcel=parcel />
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
