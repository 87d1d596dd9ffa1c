//! Customer profiles (每个客户建立独立的档案, seed 000 §1, §5.6): find a customer by phone, name,
//! account or an order number of their cases, from the device database, so it works offline.

use crate::cases::use_cases;
use crate::components::list_page::ListPage;
use crate::i18n::{t, t_string, use_i18n};
use crate::records::use_records;
use crate::routes::AppRoute;
use kefu_core::kinds::customer::{Customer, find_customers};
use kefu_core::record::RecordType;
use leptos::prelude::*;
use leptos_router::components::A;

/// Profiles listed at once; the search narrows a long list.
const LISTED: usize = 100;

#[component]
pub fn Customers() -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let cases = use_cases();
    cases.watch();
    let customers = use_records(RecordType::Customer, |records| {
        records
            .iter()
            .filter_map(Customer::from_record)
            .collect::<Vec<_>>()
    });

    view! {
        <ListPage
            class="customers"
            title=move || t!(i18n, customers_title)
            empty=move || t!(i18n, no_customers)
            list_testid="customer-list"
            items=move || async move {
                let customers = customers.await?;
                let query = query.get();
                let cases = cases.cases.get().unwrap_or_default();
                Ok(find_customers(&customers, &cases, &query)
                    .into_iter()
                    .take(LISTED)
                    .cloned()
                    .collect())
            }
            row=|customer: Customer| view! {
                <li class="card" data-testid="customer-row">
                    <A href=AppRoute::CustomerProfile(customer.id).href()>
                        <strong class="title">{customer.name}</strong>
                        <span class="card-meta">
                            <span>{customer.phone}</span>
                            <span>{customer.account}</span>
                        </span>
                    </A>
                </li>
            }
        >
            <div class="toolbar">
                <input
                    type="search"
                    data-testid="customers-search"
                    aria-label=move || t_string!(i18n, customer_search)
                    placeholder=move || t_string!(i18n, customer_search)
                    prop:value=query
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </div>
        </ListPage>
    }
}
