//! What the inquiry log recorded on a case: channel, category, the question and the answer,
//! the outcome, a promised reply time (red once overdue) with the policy version it was counted
//! under (why this deadline), and a link to the customer's profile.
//! Shown only for the fields the case has: older cases and other kinds have none.

use crate::components::policy_version::PolicyVersion;
use crate::components::promise_tag::PromiseTag;
use crate::i18n::{localized, t, use_i18n};
use crate::policy::use_policy;
use crate::routes::AppRoute;
use kefu_core::kinds::case::Case;
use kefu_core::kinds::case::inquiry::{InquiryOutcome, reply_policy};
use kefu_core::policy::Label;
use kefu_core::record::Record;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn InquiryFacts(record: Record, case: Case) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let text = |name: &str| {
        let value = record.text(name);
        (!value.is_empty()).then_some(value)
    };
    let (channel, category) = (
        text(kefu_core::kinds::case::inquiry::field::CHANNEL),
        text(kefu_core::kinds::case::inquiry::field::CATEGORY),
    );
    let (question, answer) = (
        text(kefu_core::kinds::case::inquiry::field::QUESTION),
        text(kefu_core::kinds::case::inquiry::field::ANSWER),
    );
    let outcome = text(kefu_core::kinds::case::inquiry::field::OUTCOME)
        .and_then(|outcome| InquiryOutcome::parse(&outcome));
    let reply_policy = reply_policy(&record);
    if [&channel, &category, &question, &answer]
        .iter()
        .all(|value| value.is_none())
        && outcome.is_none()
        && case.customer.is_none()
        && case.reply_due.is_none()
    {
        return ().into_any();
    }
    // A list id by its label in the user's language; an id the policy no longer lists as is.
    let label = move |id: Option<String>, list: fn(&crate::policy::DeskPolicy) -> &Vec<Label>| {
        move || {
            let id = id.clone()?;
            let found = policy.desk.with(|desk| {
                desk.as_ref()
                    .and_then(|desk| list(desk).iter().find(|label| label.id == id).cloned())
            });
            Some(found.map_or(id, |label| localized(i18n, &label.name())))
        }
    };
    let row = |name: &'static str, testid: &'static str, value: Option<String>| {
        value.map(|value| {
            view! {
                <dt>{crate::i18n::field_label(i18n, name)}</dt>
                <dd data-testid=testid>{value}</dd>
            }
        })
    };
    view! {
        <dl class="case-facts inquiry-facts">
            <dt>{t!(i18n, field_channel)}</dt>
            <dd data-testid="case-channel">{label(channel, |desk| &desk.channels)}</dd>
            <dt>{t!(i18n, field_category)}</dt>
            <dd data-testid="case-category">{label(category, |desk| &desk.inquiry_categories)}</dd>
            {row(kefu_core::kinds::case::inquiry::field::QUESTION, "case-question", question)}
            {row(kefu_core::kinds::case::inquiry::field::ANSWER, "case-answer", answer)}
            {outcome.map(|outcome| view! {
                <dt>{t!(i18n, field_outcome)}</dt>
                <dd data-testid="case-outcome">{move || localized(i18n, &outcome.name())}</dd>
            })}
            {case.reply_due.map(|due| view! {
                <dt>{t!(i18n, field_reply_due)}</dt>
                <dd>
                    <PromiseTag due=due />
                    {reply_policy.map(|version| view! { " " <PolicyVersion version=version testid="reply-policy" /> })}
                </dd>
            })}
            {case.customer.map(|id| view! {
                <dt>{t!(i18n, field_customer)}</dt>
                <dd>
                    <A href=AppRoute::CustomerProfile(id).href() attr:data-testid="case-customer-link">
                        {case.customer_name.clone()}
                    </A>
                </dd>
            })}
        </dl>
    }
    .into_any()
}
