//! The inquiry log's customer field: find an existing customer by phone, name, account or
//! order number as the agent types, or add one from what was typed. Enter takes the first
//! match, or starts a new customer when nothing matches.

use super::CustomerChoice;
use crate::i18n::{t, t_string, use_i18n};
use kefu_core::kinds::case::Case;
use kefu_core::kinds::customer::{Customer, find_customers};
use leptos::html;
use leptos::prelude::*;
use std::sync::Arc;

/// Customers offered under the search box: enough to choose from, few enough to scan.
const OFFERED: usize = 5;

#[component]
pub fn CustomerPicker(
    choice: Signal<CustomerChoice>,
    #[prop(into)] on_choose: Callback<CustomerChoice>,
    customers: Signal<Vec<Customer>>,
    cases: Signal<Arc<Vec<Arc<Case>>>>,
    /// The search box, focused first when the page opens and after each save.
    search_ref: NodeRef<html::Input>,
    /// Called when the customer is settled and the cursor should move on.
    #[prop(into)]
    on_done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let offered = Memo::new(move |_| {
        let query = query.get();
        if query.trim().is_empty() {
            return Vec::new();
        }
        customers.with(|customers| {
            cases.with(|cases| {
                find_customers(customers, cases, &query)
                    .into_iter()
                    .take(OFFERED)
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    let start_new = move || {
        let typed = query.get_untracked();
        let typed = typed.trim();
        let looks_like_phone = !typed.is_empty()
            && typed
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+'));
        let (name, phone) = if looks_like_phone {
            (String::new(), typed.to_owned())
        } else {
            (typed.to_owned(), String::new())
        };
        on_choose.run(CustomerChoice::New { name, phone });
    };
    let choose = move |customer: Customer| {
        query.set(String::new());
        on_choose.run(CustomerChoice::Existing(customer));
        on_done.run(());
    };

    let search = move || {
        view! {
            <div class="customer-search">
                <input
                    type="search"
                    node_ref=search_ref
                    data-testid="customer-search"
                    aria-label=move || t_string!(i18n, customer_search)
                    placeholder=move || t_string!(i18n, customer_search)
                    prop:value=query
                    on:input=move |ev| query.set(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            match offered.get_untracked().into_iter().next() {
                                Some(first) => choose(first),
                                None if query.get_untracked().trim().is_empty() => on_done.run(()),
                                None => start_new(),
                            }
                        }
                    }
                />
                <button type="button" data-testid="new-customer" on:click=move |_| start_new()>
                    {t!(i18n, new_customer)}
                </button>
                <ul class="customer-options">
                    <For each=move || offered.get() key=|customer| customer.id let:customer>
                        <li>
                            <button
                                type="button"
                                data-testid="customer-option"
                                on:click={
                                    let customer = customer.clone();
                                    move |_| choose(customer.clone())
                                }
                            >
                                <strong>{customer.name.clone()}</strong>
                                <span>{customer.phone.clone()}</span>
                                <span>{customer.account.clone()}</span>
                            </button>
                        </li>
                    </For>
                </ul>
            </div>
        }
    };

    // Rebuilt only when the kind of choice changes, not on every keystroke of a new
    // customer's name, which would take the cursor away.
    let mode = Memo::new(move |_| match choice.get() {
        CustomerChoice::None => Mode::Search,
        CustomerChoice::Existing(_) => Mode::Existing,
        CustomerChoice::New { .. } => Mode::New,
    });
    let new_parts = move || match choice.get() {
        CustomerChoice::New { name, phone } => (name, phone),
        _ => Default::default(),
    };
    let name_ref = NodeRef::<html::Input>::new();
    let phone_ref = NodeRef::<html::Input>::new();
    // A new customer starts from what was typed: the cursor goes to the part still missing.
    Effect::new(move |_| {
        if let (Some(name), Some(phone)) = (name_ref.get(), phone_ref.get()) {
            let missing_name = choice.with_untracked(
                |choice| matches!(choice, CustomerChoice::New { name, .. } if name.is_empty()),
            );
            let _ = if missing_name {
                name.focus()
            } else {
                phone.focus()
            };
        }
    });
    let existing = move || match choice.get() {
        CustomerChoice::Existing(customer) => (customer.name, customer.phone),
        _ => Default::default(),
    };

    view! {
        <fieldset class="customer-picker">
            <legend>{t!(i18n, customer)}</legend>
            {move || match mode.get() {
                Mode::Search => search().into_any(),
                Mode::Existing => view! {
                    <p class="chosen-customer" data-testid="chosen-customer">
                        <strong>{move || existing().0}</strong>
                        <span>{move || existing().1}</span>
                        <button type="button" data-testid="change-customer" on:click=move |_| on_choose.run(CustomerChoice::None)>
                            {t!(i18n, change_customer)}
                        </button>
                    </p>
                }
                .into_any(),
                Mode::New => {
                    let set_name = move |name: String| {
                        let phone = new_parts().1;
                        on_choose.run(CustomerChoice::New { name, phone });
                    };
                    let set_phone = move |phone: String| {
                        let name = new_parts().0;
                        on_choose.run(CustomerChoice::New { name, phone });
                    };
                    let enter_moves_on = move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            on_done.run(());
                        }
                    };
                    view! {
                        <div class="new-customer" data-testid="new-customer-form">
                            <label>
                                {t!(i18n, customer_name)}
                                <input
                                    node_ref=name_ref
                                    data-testid="new-customer-name"
                                    prop:value=move || new_parts().0
                                    on:input=move |ev| set_name(event_target_value(&ev))
                                    on:keydown=enter_moves_on
                                />
                            </label>
                            <label>
                                {t!(i18n, customer_phone)}
                                <input
                                    node_ref=phone_ref
                                    type="tel"
                                    data-testid="new-customer-phone"
                                    prop:value=move || new_parts().1
                                    on:input=move |ev| set_phone(event_target_value(&ev))
                                    on:keydown=enter_moves_on
                                />
                            </label>
                            <button type="button" on:click=move |_| on_choose.run(CustomerChoice::None)>
                                {t!(i18n, cancel)}
                            </button>
                        </div>
                    }
                    .into_any()
                }
            }}
        </fieldset>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Search,
    Existing,
    New,
}
