//! Replies owed (待回复, seed 000 §5.7(5)): every case of the team with a promised reply time
//! that is not resolved, the earliest deadline first, overdue ones red. Read from the device
//! database (the shared cases) and re-checked as time passes, so it stays right offline.

use crate::cases::use_cases;
use crate::clock::use_clock;
use crate::components::promise_tag::PromiseTag;
use crate::i18n::{t, use_i18n};
use crate::policy::use_policy;
use crate::routes::AppRoute;
use kefu_core::kinds::case::inquiry::owed_replies;
use kefu_core::rules::working_hours::WorkingClock;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Promises() -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let clock = use_clock();
    let cases = use_cases();
    cases.watch();
    let rows = move || {
        let cases = cases.cases.get()?;
        let now = clock.now.get();
        policy.desk.with(|desk| {
            let working = WorkingClock::from_hours(&desk.as_ref()?.working_hours);
            Some(
                owed_replies(&cases, &working, now)
                    .into_iter()
                    .map(|owed| (owed.case.clone(), owed.due))
                    .collect::<Vec<_>>(),
            )
        })
    };

    view! {
        <section class="page promises">
            <h1>{t!(i18n, promises_title)}</h1>
            {move || match rows() {
                None => view! { <p>{t!(i18n, loading)}</p> }.into_any(),
                Some(rows) if rows.is_empty() => view! { <p class="empty">{t!(i18n, no_promises)}</p> }.into_any(),
                Some(rows) => view! {
                    <ul class="cards" data-testid="promise-list">
                        {rows
                            .into_iter()
                            .map(|(case, due)| view! {
                                <li class="card" data-testid="promise-row">
                                    <A href=AppRoute::CaseDetail(case.id).href()>
                                        <strong class="title">{case.title.clone()}</strong>
                                    </A>
                                    <p class="card-meta">
                                        <span>{case.customer_name.clone()}</span>
                                        <span>{case.customer_phone.clone()}</span>
                                        <PromiseTag due=due />
                                    </p>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}
