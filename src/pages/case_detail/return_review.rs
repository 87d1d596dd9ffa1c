//! A return case's after-sales panel, laid out as the return form (退换货单) so it prints as
//! one: the request, the order lines, the return parcel, the eligibility review in words,
//! the 5-working-day after-sales clock, where the return stands with the agent's next step,
//! and the packing station's inspections once synced.

use super::return_progress::ReturnProgress;
use crate::components::photo::Photos;
use crate::components::promise_tag::PromiseTag;
use crate::i18n::{Locale, localized, t, t_string, use_i18n};
use crate::policy::{PolicyContext, use_policy};
use chrono::Local;
use kefu_core::kinds::case::returns::{Inspection, ReturnFacts, after_sales_due, inspections};
use kefu_core::lang::Bilingual;
use kefu_core::record::Record;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

#[component]
pub fn ReturnReview(record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let facts = Memo::new(move |_| {
        record.with(|record| record.as_ref().and_then(ReturnFacts::from_record))
    });
    let opened = move || {
        record.with(|record| {
            record
                .as_ref()
                .and_then(|record| record.created.as_ref().map(|created| created.at))
        })
    };
    let review = Memo::new(move |_| {
        let facts = facts.get()?;
        let requested_at = opened().unwrap_or_else(chrono::Utc::now);
        policy.desk.with(|desk| {
            desk.as_ref()
                .and_then(|desk| facts.review(desk.return_policy(), requested_at).ok())
        })
    });
    let due = move || {
        let opened = opened()?;
        policy.desk.with(|desk| {
            desk.as_ref()
                .map(|desk| after_sales_due(&desk.working_hours, opened))
        })
    };
    let label = move |pick: fn(&crate::policy::DeskPolicy, &ReturnFacts) -> Option<Bilingual>| {
        let facts = facts.get()?;
        policy
            .desk
            .with(|desk| desk.as_ref().and_then(|desk| pick(desk, &facts)))
            .map(|name| localized(i18n, &name))
    };
    let yes_no = move |flag: bool| {
        if flag {
            t_string!(i18n, yes)
        } else {
            t_string!(i18n, no)
        }
    };

    view! {
        <Show when=move || facts.with(Option::is_some)>
            <section class="return-form" data-testid="return-panel">
                <header class="return-form-head">
                    <h2>{t!(i18n, return_form)}</h2>
                    <button type="button" class="print-button" data-testid="print-return" on:click=move |_| {
                        if let Some(window) = web_sys::window() {
                            let _ = window.print();
                        }
                    }>{t!(i18n, return_print)}</button>
                </header>
                <dl class="case-facts">
                    <dt>{t!(i18n, return_request_type)}</dt>
                    <dd data-testid="return-type">{move || label(|desk, facts| desk.request_types.iter().find(|known| known.id == facts.request_type).map(|known| Bilingual::new(&known.zh, &known.en)))}</dd>
                    <dt>{t!(i18n, return_reason)}</dt>
                    <dd data-testid="return-reason-name">{move || label(|desk, facts| desk.return_reasons.iter().find(|known| known.id == facts.reason).map(|known| known.name()))}</dd>
                    <dt>{t!(i18n, courier_item_class)}</dt>
                    <dd>{move || label(|desk, facts| desk.item_classes.iter().find(|known| known.id == facts.item_class).map(|known| Bilingual::new(&known.zh, &known.en)))}</dd>
                    <dt>{t!(i18n, return_tracking)}</dt>
                    <dd data-testid="return-tracking-shown">{move || facts.get().and_then(|facts| facts.return_tracking).unwrap_or_default()}</dd>
                    <dt>{t!(i18n, return_courier)}</dt>
                    <dd>{move || label(|desk, facts| {
                        let id = facts.return_courier.as_deref()?;
                        desk.couriers.iter().find(|known| known.id == id).map(|known| Bilingual::new(&known.zh, &known.en))
                    })}</dd>
                    <dt>{t!(i18n, return_shipping_insurance)}</dt>
                    <dd>{move || facts.get().map(|facts| yes_no(facts.shipping_insurance))}</dd>
                    <dt>{t!(i18n, return_original_packaging)}</dt>
                    <dd>{move || facts.get().map(|facts| yes_no(facts.original_packaging))}</dd>
                    <dt>{t!(i18n, return_received_on)}</dt>
                    <dd>{move || facts.get().and_then(|facts| facts.received_on).map(|day| day.to_string()).unwrap_or_default()}</dd>
                    <dt>{t!(i18n, return_after_sales_due)}</dt>
                    <dd data-testid="after-sales-due">{move || due().map(|due| view! { <PromiseTag due=due /> })}</dd>
                </dl>
                <table class="return-lines" data-testid="return-lines">
                    <thead><tr><th scope="col">{t!(i18n, return_sku)}</th><th scope="col">{t!(i18n, return_quantity)}</th></tr></thead>
                    <tbody>
                        {move || facts.get().map(|facts| facts.items.into_iter().map(|item| view! {
                            <tr><td>{item.sku}</td><td>{item.quantity}</td></tr>
                        }).collect_view())}
                    </tbody>
                </table>
                <h3>{t!(i18n, return_review)}</h3>
                <div data-testid="return-review">
                    {move || review.get().map(|decision| {
                        let verdict = if decision.eligible { t_string!(i18n, return_eligible) } else { t_string!(i18n, return_not_eligible) };
                        view! {
                            <p class=if decision.eligible { "tag eligible" } else { "tag not-eligible" } data-testid="return-verdict">{verdict}</p>
                            <ul>
                                {decision.reasons.iter().map(|reason| view! { <li data-testid="review-reason">{localized(i18n, reason)}</li> }).collect_view()}
                            </ul>
                        }
                    })}
                </div>
                <ReturnProgress record review />
                <h3>{t!(i18n, return_inspections)}</h3>
                <ul class="inspections" data-testid="inspections">
                    {move || record.with(|record| record.as_ref().map(|record| (record.id, inspections(record))))
                        .into_iter()
                        .flat_map(|(id, inspections)| inspections.into_iter().map(move |inspection| (id, inspection)))
                        .map(|(id, (by, at, inspection))| {
                            let checks = answered_checks(i18n, policy, &inspection);
                            view! {
                                <li data-testid="inspection" data-decision=inspection.decision.as_str()>
                                    <strong>{localized(i18n, &inspection.decision.name())}</strong>
                                    <span>{localized(i18n, &inspection.condition.name())}</span>
                                    {checks.into_iter().map(|(name, ok)| view! {
                                        <span class=if ok { "check ok" } else { "check failed" }>{name} {if ok { " ✓" } else { " ✗" }}</span>
                                    }).collect_view()}
                                    <span>{inspection.note.clone()}</span>
                                    <span data-testid="inspection-label">{inspection.supplier.clone()} " " {inspection.style_code.clone()}</span>
                                    <span class="muted">{by} " · " {at.with_timezone(&Local).format("%m-%d %H:%M").to_string()}</span>
                                    <Photos photos=inspection.photos.clone() record=Some(id) />
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        </Show>
    }
}

/// An inspection's answers, named as the policy's checklist names them, in its order; a check
/// the policy no longer lists by its id.
fn answered_checks(
    i18n: I18nContext<Locale>,
    policy: PolicyContext,
    inspection: &Inspection,
) -> Vec<(String, bool)> {
    let listed = policy
        .desk
        .with_untracked(|desk| desk.as_ref().map(|desk| desk.inspection_checks.clone()))
        .unwrap_or_default();
    let mut checks: Vec<(String, bool)> = listed
        .iter()
        .filter_map(|check| {
            let passed = inspection.answer(&check.id)?;
            Some((localized(i18n, &check.name()), passed))
        })
        .collect();
    for (id, passed) in &inspection.other_checks {
        if !listed.iter().any(|check| &check.id == id) {
            checks.push((id.clone(), *passed));
        }
    }
    checks
}
