//! Banned-phrase incidents (服务禁语记录, SPEC §7) for QA and team leads: every text with a
//! banned phrase that was saved on the team's cases, who wrote it and when, newest first,
//! each linked to its case. Read from the device database, so it works offline.

use crate::components::error_fallback::error_fallback;
use crate::i18n::{t, use_i18n};
use crate::records::use_records;
use crate::routes::AppRoute;
use crate::store::StoreError;
use chrono::Local;
use kefu_core::kinds::case::Case;
use kefu_core::kinds::case::incident::incidents;
use kefu_core::record::RecordType;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Incidents() -> impl IntoView {
    let i18n = use_i18n();
    let found = use_records(RecordType::Case, |cases| {
        let mut found: Vec<_> = cases
            .iter()
            .filter_map(|record| Some((Case::from_record(record)?, incidents(record))))
            .flat_map(|(case, incidents)| {
                incidents
                    .into_iter()
                    .map(move |incident| (case.title.clone(), incident))
            })
            .collect();
        found.sort_by_key(|(_, incident)| std::cmp::Reverse(incident.at));
        found
    });

    view! {
        <section class="page incidents">
            <h1>{t!(i18n, incidents_title)}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let found = found.await?;
                        let empty = found.is_empty();
                        Ok::<_, StoreError>(view! {
                            <Show when=move || empty>
                                <p class="empty">{t!(i18n, no_incidents)}</p>
                            </Show>
                            <ul class="cards" data-testid="incident-list">
                                {found
                                    .into_iter()
                                    .map(|(title, incident)| {
                                        let when = incident
                                            .at
                                            .with_timezone(&Local)
                                            .format("%Y-%m-%d %H:%M")
                                            .to_string();
                                        let phrases = incident.phrases.join("、");
                                        view! {
                                            <li class="card" data-testid="incident-row">
                                                <A href=AppRoute::CaseDetail(incident.case).href()>{title}</A>
                                                <p class="muted">
                                                    <span data-testid="incident-author">{incident.by}</span>
                                                    " · "
                                                    {when}
                                                </p>
                                                <p>
                                                    {t!(i18n, incident_phrases)}
                                                    <strong data-testid="incident-phrases">{phrases}</strong>
                                                </p>
                                                <p class="incident-text" data-testid="incident-text">{incident.text}</p>
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
