//! The team's pinned cases (置顶), overdue ones red and first, then by the time agreed: each
//! with the method agreed and who pinned it, linked to its case, where it is unpinned.

use crate::cases::use_cases;
use crate::clock::use_clock;
use crate::i18n::{t, use_i18n};
use crate::routes::AppRoute;
use chrono::Local;
use kefu_core::kinds::case::Case;
use kefu_core::kinds::case::pin::{Pin, pinned_first};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn PinnedList() -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let cases = use_cases();
    cases.watch();
    let rows = move || {
        let cases = cases.cases.get()?;
        let now = clock.now.get();
        Some(
            pinned_first(&cases, now)
                .into_iter()
                .map(|(case, pin)| (case.clone(), pin.clone(), pin.is_overdue(now)))
                .collect::<Vec<(Case, Pin, bool)>>(),
        )
    };
    view! {
        <section data-testid="pinned">
            <h2>{t!(i18n, shift_pinned)}</h2>
            {move || match rows() {
                None => view! { <p>{t!(i18n, loading)}</p> }.into_any(),
                Some(rows) if rows.is_empty() => view! { <p class="empty">{t!(i18n, shift_no_pins)}</p> }.into_any(),
                Some(rows) => view! {
                    <ul class="cards" data-testid="pinned-list">
                        {rows
                            .into_iter()
                            .map(|(case, pin, overdue)| {
                                let due = pin.plan.resolve_by.with_timezone(&Local).format("%m-%d %H:%M").to_string();
                                view! {
                                    <li class="card" class:overdue=overdue data-testid="pinned-case" data-overdue=overdue.to_string()>
                                        <A href=AppRoute::CaseDetail(case.id).href()>
                                            <strong class="title">{case.title.clone()}</strong>
                                        </A>
                                        <p class="card-meta">
                                            <span class="tag" class:not-eligible=overdue>
                                                {if overdue { t!(i18n, shift_pin_overdue).into_any() } else { t!(i18n, shift_pin_due).into_any() }}
                                                " " {due}
                                            </span>
                                            <span>{pin.by.clone()}</span>
                                        </p>
                                        <p class="note-body">{pin.plan.method.clone()}</p>
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
