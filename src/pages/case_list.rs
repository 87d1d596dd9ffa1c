//! The case list: newest first, filtered as the agent types in the search box, from the shared
//! cases (`crate::cases`), so returning to it reads nothing again. It renders the first rows
//! only, with the total and "show more": a team's whole history can be 10,000 cases, and
//! building a card for each took longer than syncing them (issue 15).

use crate::cases::use_cases;
use crate::components::promise_tag::PromiseTag;
use crate::i18n::{kind_label, status_label, t, t_string, use_i18n};
use crate::routes::AppRoute;
use chrono::Local;
use kefu_core::case::{Case, CaseStatus, case_matches};
use leptos::prelude::*;
use leptos_router::components::A;

/// Cards rendered at first, and added by each "show more": more than a screen holds, few
/// enough to build at once.
const ROWS_PER_STEP: usize = 100;

#[component]
pub fn CaseList() -> impl IntoView {
    let i18n = use_i18n();
    let cases = use_cases();
    cases.watch();
    let query = RwSignal::new(String::new());
    let rows = RwSignal::new(ROWS_PER_STEP);

    let list = move || {
        let Some(all) = cases.cases.get() else {
            return view! { <p>{t!(i18n, loading)}</p> }.into_any();
        };
        let total = all.len();
        let query = query.get();
        let matching: Vec<&Case> = all
            .iter()
            .filter(|case| case_matches(case, &query))
            .collect();
        let count = matching.len();
        let shown = count.min(rows.get());
        let cards: Vec<Case> = matching.into_iter().take(shown).cloned().collect();
        view! {
            <Show when=move || count == 0>
                <p class="empty">
                    {if total == 0 { t!(i18n, no_cases).into_any() } else { t!(i18n, no_matches).into_any() }}
                </p>
            </Show>
            <Show when=move || count != 0>
                <p class="muted" data-testid="case-count" data-total=count data-shown=shown>
                    {if shown < count {
                        t!(i18n, case_count_partial, shown = shown, count = count).into_any()
                    } else {
                        t!(i18n, case_count, count = count).into_any()
                    }}
                </p>
            </Show>
            <ul class="cards" data-testid="case-list">
                {cards.into_iter().map(|case| view! { <CaseRow case=case /> }).collect_view()}
            </ul>
            <Show when=move || shown < count>
                <button
                    class="show-more"
                    data-testid="show-more"
                    on:click=move |_| rows.update(|rows| *rows += ROWS_PER_STEP)
                >
                    {t!(i18n, show_more)}
                </button>
            </Show>
        }
        .into_any()
    };

    view! {
        <section class="page case-list">
            <div class="toolbar">
                <input
                    type="search"
                    data-testid="case-search"
                    aria-label=move || t_string!(i18n, search_placeholder)
                    placeholder=move || t_string!(i18n, search_placeholder)
                    prop:value=query
                    on:input=move |ev| {
                        rows.set(ROWS_PER_STEP);
                        query.set(event_target_value(&ev));
                    }
                />
                <A href=AppRoute::NewCase.href() attr:class="button primary" attr:data-testid="new-case">
                    {t!(i18n, nav_new_case)}
                </A>
            </div>
            <Show when=move || cases.error.with(Option::is_some)>
                <p class="error" role="alert">
                    {move || cases.error.get().map(|error| t!(i18n, store_error, error = move || error.to_string()))}
                </p>
            </Show>
            {list}
        </section>
    }
}

#[component]
fn CaseRow(case: Case) -> impl IntoView {
    let i18n = use_i18n();
    let kind = case.kind;
    let status = case.status;
    let owes_reply = matches!(status, CaseStatus::Open | CaseStatus::Pending);
    let created = case
        .created_at
        .with_timezone(&Local)
        .format("%m-%d %H:%M")
        .to_string();
    view! {
        <li class="card" data-testid="case-row">
            <A href=AppRoute::CaseDetail(case.id).href()>
                <div class="card-head">
                    <span class=format!("tag kind-{}", kind.as_str())>{move || kind_label(i18n, kind)}</span>
                    <strong class="title">{case.title.clone()}</strong>
                    <span class=format!("tag status-{}", status.as_str())>{move || status_label(i18n, status)}</span>
                </div>
                <div class="card-meta">
                    <span>{case.customer_name.clone()}</span>
                    <span>{case.customer_phone.clone()}</span>
                    <span>{case.order_number.clone().unwrap_or_default()}</span>
                    {owes_reply.then(|| case.reply_due.map(|due| view! { <PromiseTag due=due /> }))}
                    <span class="time">{created}</span>
                </div>
            </A>
        </li>
    }
}
