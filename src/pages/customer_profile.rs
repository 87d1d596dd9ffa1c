//! One customer's profile (seed 000 §1, §5.6): who they are, and all their inquiries, cases
//! and orders in one view, from the device database, so it works offline.

use crate::cases::use_cases;
use crate::components::error_fallback::error_fallback;
use crate::i18n::{kind_label, localized, status_label, t, t_string, use_i18n};
use crate::pages::new_case::use_case_saver;
use crate::routes::{AppRoute, use_route};
use crate::session::{may_open_case, use_session};
use crate::store::{StoreError, use_store};
use crate::sync::use_sync;
use chrono::Local;
use kefu_core::kinds::case::{Case, CaseKind, NewCase, check_new_case, inquiry};
use kefu_core::kinds::customer::{Customer, cases_of, orders_of};
use leptos::prelude::*;
use leptos_router::components::A;
use serde_json::json;
use std::sync::Arc;

/// A complaint started here has no form, so no draft; the saver clears this empty key.
const COMPLAINT_DRAFT_KEY: &str = "complaint-start";

#[component]
pub fn CustomerProfile() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let route = use_route();
    let cases = use_cases();
    cases.watch();
    let loaded = LocalResource::new(move || {
        sync.data_version.track();
        let id = match route.get() {
            AppRoute::CustomerProfile(id) => Some(id),
            _ => None,
        };
        let store = store.store();
        async move {
            let Some(id) = id else {
                return Ok::<_, StoreError>(None);
            };
            Ok(store
                .record(id)
                .await?
                .as_ref()
                .and_then(Customer::from_record))
        }
    });

    view! {
        <section class="page customer-profile">
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let cases = cases.cases.get().unwrap_or_default();
                        let view = match loaded.await? {
                            Some(customer) => view! { <Profile customer=customer cases=cases /> }.into_any(),
                            None => view! { <p class="empty">{t!(i18n, customer_not_found)}</p> }.into_any(),
                        };
                        Ok::<_, StoreError>(view)
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn Profile(customer: Customer, cases: Arc<Vec<Arc<Case>>>) -> impl IntoView {
    let i18n = use_i18n();
    let theirs = cases_of(&customer, &cases);
    let orders = orders_of(&theirs);
    let no_orders = orders.is_empty();
    let rows: Vec<Case> = theirs.into_iter().cloned().collect();
    let (start_complaint, start_error) =
        use_complaint_start(customer.clone(), orders.first().cloned());
    view! {
        <h1 data-testid="customer-name">{customer.name.clone()}</h1>
        <button type="button" class="primary" data-testid="start-complaint" on:click=move |_| start_complaint()>
            {t!(i18n, start_complaint)}
        </button>
        <Show when=move || start_error.get().is_some()>
            <p class="error" role="alert" data-testid="start-complaint-error">{move || start_error.get()}</p>
        </Show>
        <dl class="case-facts">
            <dt>{t!(i18n, customer_phone)}</dt><dd data-testid="customer-phone">{customer.phone.clone()}</dd>
            <dt>{t!(i18n, customer_account)}</dt><dd>{customer.account.clone()}</dd>
            <dt>{t!(i18n, customer_address)}</dt><dd>{customer.address.clone()}</dd>
        </dl>
        <h2>{t!(i18n, customer_orders)}</h2>
        <Show when=move || no_orders>
            <p class="empty">{t!(i18n, no_orders)}</p>
        </Show>
        <ul class="orders" data-testid="customer-orders">
            {orders.into_iter().map(|order| view! { <li data-testid="customer-order">{order}</li> }).collect_view()}
        </ul>
        <h2>{t!(i18n, customer_cases)}</h2>
        <ul class="cards" data-testid="customer-cases">
            {rows
                .into_iter()
                .map(|case| {
                    let (kind, status) = (case.kind, case.status);
                    let created = case.created_at.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string();
                    view! {
                        <li class="card" data-testid="customer-case">
                            <A href=AppRoute::CaseDetail(case.id).href()>
                                <div class="card-head">
                                    <span class=format!("tag kind-{}", kind.as_str())>{move || kind_label(i18n, kind)}</span>
                                    <strong class="title">{case.title.clone()}</strong>
                                    <span class=format!("tag status-{}", status.as_str())>{move || status_label(i18n, status)}</span>
                                </div>
                                <div class="card-meta">
                                    <span>{case.order_number.clone().unwrap_or_default()}</span>
                                    <span class="time">{created}</span>
                                </div>
                            </A>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// Opens a complaint (客户投诉受理表) for `customer`, linked to their profile, about their latest
/// order: a case written on the device at once, its script starting at step 1. First-contact
/// ownership makes whoever starts it the owner.
fn use_complaint_start(
    customer: Customer,
    latest_order: Option<String>,
) -> (impl Fn() + Clone, RwSignal<Option<String>>) {
    let i18n = use_i18n();
    let session = use_session();
    let error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let save_case = use_case_saver(COMPLAINT_DRAFT_KEY, saving, error);
    let start = move || {
        let Some(user) = session.user_now() else {
            return;
        };
        let mut fields = NewCase {
            kind: CaseKind::Complaint,
            title: format!("{} · {}", t_string!(i18n, start_complaint), customer.name),
            customer_name: customer.name.clone(),
            customer_phone: customer.phone.clone(),
            order_number: latest_order.clone(),
        }
        .fields();
        fields.insert(inquiry::field::CUSTOMER.to_owned(), json!(customer.id));
        // Refused here with the server's own message (a packer, a customer without a phone).
        let refused = check_new_case(&fields)
            .map_err(|invalid| invalid.message())
            .and_then(|()| may_open_case(&user, &fields).map_err(|denied| denied.message()));
        match refused {
            Ok(()) => save_case(fields, Vec::new(), user),
            Err(message) => error.set(Some(localized(i18n, &message))),
        }
    };
    (start, error)
}
