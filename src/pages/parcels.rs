//! Unmatched parcels (SPEC §3): returned parcels the packing station could not match to an
//! open return, oldest first, each waiting for an agent to find its case (by order number,
//! phone, name or title) and match it. Matching gives a return without a tracking number the
//! parcel's, so the next scan at the station opens it. Works offline, from the device.

mod match_case;

use crate::cases::use_cases;
use crate::components::list_page::ListPage;
use crate::components::photo::Photos;
use crate::i18n::{t, use_i18n};
use crate::records::use_records;
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
        <ListPage
            class="parcels"
            title=move || t!(i18n, nav_parcels)
            empty=move || t!(i18n, parcels_empty)
            list_testid="parcel-list"
            items=move || async move { parcels.await }
            row=move |parcel: Parcel| {
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
            }
        />
    }
}
