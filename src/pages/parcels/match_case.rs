//! Matching one unmatched parcel to its case: search the device's cases as typed, tap the
//! right one. The parcel records the case; a return without a tracking number takes the
//! parcel's.

use crate::cases::use_cases;
use crate::i18n::{kind_label, t, t_string, use_i18n};
use crate::session::use_session;
use crate::store::{FieldEdit, use_store};
use crate::sync::use_sync;
use chrono::Utc;
use kefu_core::kinds::case::{Case, CaseKind, CaseSearch};
use kefu_core::kinds::parcel::{self, Parcel};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

/// Cases offered for one parcel: enough to spot the right one, few enough to tap.
const OFFERED: usize = 5;

#[component]
pub fn MatchCase(parcel: Parcel) -> impl IntoView {
    let i18n = use_i18n();
    let cases = use_cases();
    let session = use_session();
    let store = use_store();
    let sync = use_sync();
    let query = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let offered = move || {
        let query = query.get();
        let search = CaseSearch::new(&query);
        if query.trim().is_empty() {
            return Vec::new();
        }
        cases.cases.with(|cases| {
            cases
                .as_deref()
                .map(|cases| {
                    cases
                        .iter()
                        .filter(|case| search.matches(case))
                        .take(OFFERED)
                        .map(|case| Case::clone(case))
                        .collect::<Vec<Case>>()
                })
                .unwrap_or_default()
        })
    };
    let parcel_id = parcel.id;
    let tracking = parcel.tracking.clone();
    let match_to = move |case: Case| {
        let Some(user) = session.user_now() else {
            return;
        };
        let store = store.store();
        let tracking = tracking.clone();
        spawn_local(async move {
            let written = async {
                let Some(parcel_record) = store.record(parcel_id).await? else {
                    return Ok(());
                };
                let link = FieldEdit::over(&parcel_record, parcel::field::CASE, json!(case.id));
                store
                    .set_fields(parcel_id, vec![link], &user, Utc::now())
                    .await?;
                if case.kind == CaseKind::Return
                    && case.return_tracking.is_none()
                    && let Some(case_record) = store.record(case.id).await?
                {
                    let edit = FieldEdit::over(
                        &case_record,
                        kefu_core::kinds::case::returns::field::RETURN_TRACKING,
                        json!(tracking),
                    );
                    store
                        .set_fields(case.id, vec![edit], &user, Utc::now())
                        .await?;
                }
                Ok::<_, crate::store::StoreError>(())
            };
            match written.await {
                Ok(()) => sync.after_local_write(),
                Err(store_error) => error.set(Some(store_error.to_string())),
            }
        });
    };
    view! {
        <div class="match-case">
            <input
                type="search"
                data-testid="parcel-case-search"
                aria-label=move || t_string!(i18n, parcels_find_case)
                placeholder=move || t_string!(i18n, parcels_find_case)
                prop:value=query
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <ul class="offered">
                {move || offered()
                    .into_iter()
                    .map(|case| {
                        let kind = case.kind;
                        let title = case.title.clone();
                        let who = format!("{} {}", case.customer_name, case.order_number.clone().unwrap_or_default());
                        let match_to = match_to.clone();
                        view! {
                            <li data-testid="parcel-offer">
                                <span class=format!("tag kind-{}", kind.as_str())>{move || kind_label(i18n, kind)}</span>
                                <span>{title}</span>
                                <span class="muted">{who}</span>
                                <button type="button" class="primary" data-testid="parcel-match" on:click=move |_| match_to(case.clone())>
                                    {t!(i18n, parcels_match)}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get()}</p>
            </Show>
        </div>
    }
}
