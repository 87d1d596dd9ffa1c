//! The problem record list (客户问题记录表, seed 000 §4.6): unusual, hard problems an agent
//! flagged while logging, newest first, for the team to review and learn from. Read from the
//! shared cases, so it works offline.

use crate::cases::use_cases;
use crate::i18n::{t, use_i18n};
use crate::routes::AppRoute;
use chrono::Local;
use kefu_core::kinds::case::Case;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Problems() -> impl IntoView {
    let i18n = use_i18n();
    let cases = use_cases();
    cases.watch();
    let flagged = move || {
        cases.cases.get().map(|cases| {
            cases
                .iter()
                .filter(|case| case.problem)
                .map(|case| Case::clone(case))
                .collect::<Vec<Case>>()
        })
    };
    view! {
        <section class="page problems">
            <h1>{t!(i18n, problems_title)}</h1>
            {move || match flagged() {
                None => view! { <p>{t!(i18n, loading)}</p> }.into_any(),
                Some(flagged) if flagged.is_empty() => view! { <p class="empty">{t!(i18n, no_problems)}</p> }.into_any(),
                Some(flagged) => view! {
                    <ul class="cards" data-testid="problem-list">
                        {flagged
                            .into_iter()
                            .map(|case| {
                                let created = case.created_at.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string();
                                view! {
                                    <li class="card" data-testid="problem-row">
                                        <A href=AppRoute::CaseDetail(case.id).href()>
                                            <strong class="title">{case.title.clone()}</strong>
                                        </A>
                                        <p class="card-meta">
                                            <span>{case.customer_name.clone()}</span>
                                            <span>{case.owner.clone()}</span>
                                            <span class="time">{created}</span>
                                        </p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}
