//! The case list: newest first, filtered as the agent types in the search box, from the shared
//! cases (`crate::cases`), so returning to it reads nothing again. Only the cards on screen
//! (and a few beyond its edges) are built, however many match: a team's whole history can be
//! 10,000 cases, and building a card for each took longer than syncing them (issue 15). The
//! page scrolls as one; the list keeps the height of all its cards, so the scroll bar and the
//! browser's find-in-page position stay honest.

use crate::cases::use_cases;
use crate::clock::month_day_time;
use crate::components::promise_tag::PromiseTag;
use crate::i18n::{kind_label, status_label, t, t_string, use_i18n};
use crate::routes::AppRoute;
use kefu_core::kinds::case::{Case, CaseSearch, CaseStatus};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;
use uuid::Uuid;

/// Cards built beyond each edge of the screen, so a quick scroll does not show blanks.
const OVERSCAN: usize = 8;
/// A card's height with its gap, in CSS pixels, until the first two cards are measured.
const ROW_HEIGHT_GUESS: f64 = 90.0;

/// The cases matching the search: positions in the shared list, newest first.
#[derive(Clone)]
struct Matching {
    all: Arc<Vec<Arc<Case>>>,
    positions: Arc<Vec<usize>>,
}

/// The same read of the cases, matched the same way: nothing to rebuild.
impl PartialEq for Matching {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.all, &other.all) && self.positions == other.positions
    }
}

/// The rows of `count` that the screen shows, given where the list starts on the page and how
/// far it is scrolled, plus `OVERSCAN` on each side.
fn window_of(count: usize, list_top: f64, scroll_y: f64, screen: f64, row: f64) -> Range<usize> {
    let row = row.max(1.0);
    let first = ((scroll_y - list_top) / row).floor().max(0.0) as usize;
    let last = ((scroll_y + screen - list_top) / row).ceil().max(0.0) as usize;
    first.saturating_sub(OVERSCAN).min(count)..(last + OVERSCAN).min(count)
}

#[component]
pub fn CaseList() -> impl IntoView {
    let i18n = use_i18n();
    let cases = use_cases();
    cases.watch();
    let query = RwSignal::new(String::new());
    // Filtering runs when the cases or the query change, never on scrolling.
    let matching = Memo::new(move |_| {
        let all = cases.cases.get()?;
        let search = query.with(|query| CaseSearch::new(query));
        let positions: Vec<usize> = all
            .iter()
            .enumerate()
            .filter(|(_, case)| search.matches(case))
            .map(|(position, _)| position)
            .collect();
        Some(Matching {
            all,
            positions: Arc::new(positions),
        })
    });
    let count =
        move || matching.with(|matching| matching.as_ref().map_or(0, |m| m.positions.len()));
    let total = move || {
        cases
            .cases
            .with(|all| all.as_ref().map_or(0, |all| all.len()))
    };

    let list_ref = NodeRef::<html::Ul>::new();
    let scroll_y = RwSignal::new(window().scroll_y().unwrap_or(0.0));
    let screen = RwSignal::new(screen_height());
    let row_height = RwSignal::new(ROW_HEIGHT_GUESS);
    // Where the list starts on the page, measured after a frame like the row height: reading
    // layout while the page is being built would force the browser to lay it out twice.
    let list_top = RwSignal::new(0.0);
    let scrolled = window_event_listener(leptos::ev::scroll, move |_| {
        scroll_y.set(window().scroll_y().unwrap_or(0.0));
    });
    let resized = window_event_listener(leptos::ev::resize, move |_| screen.set(screen_height()));
    on_cleanup(move || {
        scrolled.remove();
        resized.remove();
    });
    let shown = Memo::new(move |_| {
        window_of(
            count(),
            list_top.get(),
            scroll_y.get(),
            screen.get(),
            row_height.get(),
        )
    });
    // The cards in the window; `For` keeps those still in it when it moves by a row.
    let cards = move || {
        let range = shown.get();
        matching.with(|matching| {
            matching
                .as_ref()
                .map(|matching| {
                    matching.positions[range.clone()]
                        .iter()
                        .map(|&position| matching.all[position].clone())
                        .collect::<Vec<Arc<Case>>>()
                })
                .unwrap_or_default()
        })
    };
    // Measures where the list starts and a card with its gap once two are built (after the
    // frame that draws them), so the window and the space kept for the cards off screen match
    // what the stylesheet draws at this width.
    Effect::new(move |_| {
        shown.track();
        matching.track();
        // The error line above the list moves it.
        cases.error.track();
        request_animation_frame(move || {
            // The page may have been left before the frame.
            let Some(list) = list_ref.try_get_untracked().flatten() else {
                return;
            };
            let top = list.get_bounding_client_rect().top() + window().scroll_y().unwrap_or(0.0);
            if let Some(known) = list_top.try_get_untracked()
                && (top - known).abs() > 0.5
            {
                list_top.set(top);
            }
            let children = list.children();
            if let (Some(first), Some(second)) = (children.item(0), children.item(1)) {
                let measured = second.get_bounding_client_rect().top()
                    - first.get_bounding_client_rect().top();
                if let Some(known) = row_height.try_get_untracked()
                    && measured > 0.0
                    && (measured - known).abs() > 0.5
                {
                    row_height.set(measured);
                }
            }
        });
    });
    // Set through the element's style object, not a `style` attribute, which the
    // Content-Security-Policy refuses. Whole pixels: formatting a float would bring its
    // formatter into the first load.
    let padding_top = move || {
        format!(
            "{}px",
            (shown.get().start as f64 * row_height.get()).round() as i64
        )
    };
    let padding_bottom = move || {
        let below = count().saturating_sub(shown.get().end);
        format!("{}px", (below as f64 * row_height.get()).round() as i64)
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
                    on:input=move |ev| query.set(event_target_value(&ev))
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
            <Show when=move || matching.with(Option::is_some) fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <Show when=move || count() == 0>
                    <p class="empty">
                        {move || if total() == 0 { t!(i18n, no_cases).into_any() } else { t!(i18n, no_matches).into_any() }}
                    </p>
                </Show>
                <Show when=move || count() != 0>
                    <p class="muted" data-testid="case-count" data-total=count data-shown=move || shown.get().len()>
                        {move || t!(i18n, case_count, count = count())}
                    </p>
                </Show>
            </Show>
            <ul class="cards windowed" data-testid="case-list" node_ref=list_ref style:padding-top=padding_top style:padding-bottom=padding_bottom>
                <For each=cards key=drawn_as let:case>
                    <CaseRow case=case />
                </For>
            </ul>
        </section>
    }
}

/// What identifies a card as drawn: its case and every fact it shows. A card is rebuilt only
/// when its case changed, so one the agent has focused survives the window moving.
fn drawn_as(case: &Arc<Case>) -> (Uuid, u64) {
    let mut hasher = DefaultHasher::new();
    // Its JSON, not its Debug text: the shipped build's derived Debug prints only type names
    // (`-Zfmt-debug=shallow`, scripts/build-client).
    serde_json::to_string(case.as_ref())
        .unwrap_or_default()
        .hash(&mut hasher);
    (case.id, hasher.finish())
}

fn screen_height() -> f64 {
    window()
        .inner_height()
        .ok()
        .and_then(|height| height.as_f64())
        .unwrap_or(800.0)
}

#[component]
fn CaseRow(case: Arc<Case>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = case.kind;
    let status = case.status;
    let owes_reply = matches!(status, CaseStatus::Open | CaseStatus::Pending);
    let created = month_day_time(case.created_at);
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
