//! Replies owed (待回复, seed 000 §5.7(5)): every case of the team with a promised reply time
//! that is not resolved, the earliest deadline first, overdue ones red. Read from the device
//! database and re-checked as time passes, so it stays right offline.

use crate::clock::use_clock;
use crate::components::error_fallback::error_fallback;
use crate::components::promise_tag::PromiseTag;
use crate::i18n::{t, use_i18n};
use crate::policy::use_policy;
use crate::routes::AppRoute;
use crate::store::{StoreError, use_store};
use crate::sync::use_sync;
use kefu_core::rules::reply_promise::owed_replies;
use kefu_core::rules::working_hours::WorkingClock;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Promises() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let policy = use_policy();
    let clock = use_clock();
    let cases = LocalResource::new(move || {
        sync.data_version.track();
        let store = store.store();
        async move { store.cases().await }
    });

    view! {
        <section class="page promises">
            <h1>{t!(i18n, promises_title)}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let cases = cases.await?;
                        let now = clock.now.get();
                        let rows = policy.desk.with(|desk| {
                            let Some(desk) = desk else {
                                return Vec::new();
                            };
                            let working = WorkingClock::from_hours(&desk.working_hours);
                            owed_replies(&cases, &working, now)
                                .into_iter()
                                .map(|owed| (owed.case.clone(), owed.due))
                                .collect::<Vec<_>>()
                        });
                        let empty = rows.is_empty();
                        Ok::<_, StoreError>(view! {
                            <Show when=move || empty>
                                <p class="empty">{t!(i18n, no_promises)}</p>
                            </Show>
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
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
