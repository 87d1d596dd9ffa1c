//! Banned-phrase incidents (服务禁语记录, SPEC §7): every text with a banned phrase that was
//! saved on the team's cases, who wrote it and when, newest first, each linked to its case.
//! Read from the device database, so it works offline. QA, leads and supervisors see the
//! team's; an agent sees only their own, because the server sends no one else's
//! (`access::as_read_by`): the page says so rather than deciding it.

use crate::components::list_page::ListPage;
use crate::i18n::{t, use_i18n};
use crate::records::use_records;
use crate::routes::AppRoute;
use crate::session::use_session;
use chrono::Local;
use kefu_core::account::roles;
use kefu_core::kinds::case::Case;
use kefu_core::kinds::case::incident::{Incident, incidents};
use kefu_core::record::RecordType;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Incidents() -> impl IntoView {
    let i18n = use_i18n();
    let oversees = use_session()
        .user()
        .is_some_and(|user| roles::OVERSIGHT.contains(&user.role));
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
        <ListPage
            class="incidents"
            title=move || {
                if oversees {
                    t!(i18n, incidents_title).into_any()
                } else {
                    t!(i18n, own_incidents_title).into_any()
                }
            }
            empty=move || {
                if oversees {
                    t!(i18n, no_incidents).into_any()
                } else {
                    t!(i18n, no_own_incidents).into_any()
                }
            }
            list_testid="incident-list"
            items=move || async move { found.await }
            row=move |(title, incident): (String, Incident)| {
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
            }
        >
            <Show when=move || !oversees>
                <p class="muted" data-testid="own-incidents-only">{t!(i18n, own_incidents_only)}</p>
            </Show>
        </ListPage>
    }
}
