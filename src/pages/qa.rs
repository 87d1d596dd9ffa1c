//! Quality inspection (质检, seed 001 §14; SPEC §7). QA, leads and supervisors pick cases to
//! review, by agent, day, kind, or those with banned-phrase incidents, and open one to score it
//! on its page; below, every review they may read, newest first. An agent finds their own
//! reviews here, to read and reply to: the server sends nobody another agent's. Read from the
//! device database, so it works offline.

use crate::i18n::{kind_label, t, use_i18n};
use crate::records::use_records;
use crate::routes::AppRoute;
use crate::session::use_session;
use chrono::{Local, NaiveDate};
use kefu_core::account::roles;
use kefu_core::kinds::case::incident::incidents;
use kefu_core::kinds::case::qa_review::{ShownReview, reviews};
use kefu_core::kinds::case::{Case, CaseKind};
use kefu_core::record::{Record, RecordType};
use leptos::prelude::*;
use leptos_router::components::A;

/// A case as the picker lists it: the row, how many incidents and reviews it has.
#[derive(Clone)]
struct Pickable {
    case: Case,
    incidents: usize,
    reviews: Vec<ShownReview>,
}

fn pickable(records: Vec<Record>) -> Vec<Pickable> {
    let mut found: Vec<Pickable> = records
        .iter()
        .filter_map(|record| {
            Some(Pickable {
                case: Case::from_record(record)?,
                incidents: incidents(record).len(),
                reviews: reviews(record),
            })
        })
        .collect();
    found.sort_by_key(|each| std::cmp::Reverse(each.case.created_at));
    found
}

/// How many picked cases the page lists at most.
const SHOWN: usize = 50;

#[component]
pub fn QaPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let oversees = session
        .user()
        .is_some_and(|user| roles::OVERSIGHT.contains(&user.role));
    let cases = use_records(RecordType::Case, pickable);
    let agent = RwSignal::new(String::new());
    let day = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let with_incidents = RwSignal::new(false);
    let all = move || cases.get().and_then(Result::ok).unwrap_or_default();
    let agents = move || {
        let mut names: Vec<String> = all().into_iter().map(|each| each.case.owner).collect();
        names.sort();
        names.dedup();
        names
    };
    let picked = move || {
        let (agent, kind, with_incidents) = (agent.get(), kind.get(), with_incidents.get());
        let day = NaiveDate::parse_from_str(&day.get(), "%Y-%m-%d").ok();
        all()
            .into_iter()
            .filter(|each| agent.is_empty() || each.case.owner == agent)
            .filter(|each| kind.is_empty() || each.case.kind.as_str() == kind)
            .filter(|each| {
                day.is_none_or(|day| each.case.created_at.with_timezone(&Local).date_naive() == day)
            })
            .filter(|each| !with_incidents || each.incidents > 0)
            .take(SHOWN)
            .collect::<Vec<_>>()
    };
    let all_reviews = move || {
        let mut listed: Vec<(String, ShownReview)> = all()
            .into_iter()
            .flat_map(|each| {
                let title = each.case.title.clone();
                each.reviews
                    .into_iter()
                    .map(move |review| (title.clone(), review))
            })
            .collect();
        listed.sort_by_key(|(_, review)| std::cmp::Reverse(review.at));
        listed
    };

    view! {
        <section class="page qa-page" data-testid="qa-page">
            <h1>{move || if oversees { t!(i18n, qa_page_title).into_any() } else { t!(i18n, qa_my_reviews).into_any() }}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <Show when=move || oversees>
                    <section data-testid="qa-picker">
                        <h2>{t!(i18n, qa_pick)}</h2>
                        <div class="form-row">
                            <label>
                                {t!(i18n, qa_agent)}
                                <select data-testid="qa-filter-agent" on:change=move |ev| agent.set(event_target_value(&ev))>
                                    <option value="">{t!(i18n, qa_any)}</option>
                                    {move || agents().into_iter().map(|name| view! { <option value=name.clone()>{name.clone()}</option> }).collect_view()}
                                </select>
                            </label>
                            <label>
                                {t!(i18n, qa_day)}
                                <input type="date" data-testid="qa-filter-day" on:input=move |ev| day.set(event_target_value(&ev)) />
                            </label>
                            <label>
                                {t!(i18n, qa_kind)}
                                <select data-testid="qa-filter-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                                    <option value="">{t!(i18n, qa_any)}</option>
                                    {CaseKind::ALL.into_iter().map(|each| view! { <option value=each.as_str()>{kind_label(i18n, each)}</option> }).collect_view()}
                                </select>
                            </label>
                            <label class="check">
                                <input type="checkbox" data-testid="qa-filter-incidents" on:change=move |ev| with_incidents.set(event_target_checked(&ev)) />
                                {t!(i18n, qa_with_incidents)}
                            </label>
                        </div>
                        <ul class="cards" data-testid="qa-cases">
                            {move || picked().into_iter().map(|each| {
                                let created = each.case.created_at.with_timezone(&Local).format("%m-%d %H:%M").to_string();
                                let reviewed = each.reviews.last().map(|shown| shown.review.score());
                                view! {
                                    <li class="card" data-testid="qa-case">
                                        <A href=AppRoute::CaseDetail(each.case.id).href()>
                                            <strong class="title">{each.case.title.clone()}</strong>
                                        </A>
                                        <p class="card-meta">
                                            <span>{each.case.owner.clone()}</span>
                                            <span>{created}</span>
                                            {(each.incidents > 0).then(|| view! { <span class="tag not-eligible">{t!(i18n, incident_on_timeline)} " " {each.incidents}</span> })}
                                            {reviewed.map(|score| view! { <span class="tag">{t!(i18n, qa_title)} " " {score}</span> })}
                                        </p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                </Show>
                <section data-testid="qa-review-list">
                    <h2>{t!(i18n, qa_reviews)}</h2>
                    {move || {
                        let listed = all_reviews();
                        if listed.is_empty() {
                            return view! { <p class="empty">{t!(i18n, qa_no_reviews)}</p> }.into_any();
                        }
                        view! {
                            <ul class="cards">
                                {listed.into_iter().map(|(title, shown)| {
                                    let at = shown.at.with_timezone(&Local).format("%m-%d %H:%M").to_string();
                                    let replied = shown.reply.is_some();
                                    view! {
                                        <li class="card" data-testid="qa-review-row">
                                            <A href=AppRoute::CaseDetail(shown.case).href()>{title}</A>
                                            <p class="card-meta">
                                                <strong>{shown.review.score()} " / 100"</strong>
                                                <span>{shown.review.agent.clone()}</span>
                                                <span>{at}</span>
                                                <span>{if replied { t!(i18n, qa_replied).into_any() } else { t!(i18n, qa_not_replied).into_any() }}</span>
                                            </p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }}
                </section>
            </Transition>
        </section>
    }
}
