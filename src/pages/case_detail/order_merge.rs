//! The case's order amount and, once it is known, whether the order goes out with the same
//! customer's other orders of the day (seed 002 直播相关操作: 合并订单不够19.9的订单): the
//! agent types the amount from the shop system; the panel names the orders to merge at once,
//! from the device's cases, offline too.

use crate::cases::use_cases;
use crate::i18n::{localized, t, t_string, use_i18n};
use crate::policy::use_policy;
use crate::session::{may_make_on, use_session};
use crate::store::{FieldEdit, use_store};
use crate::sync::use_sync;
use chrono::Utc;
use kefu_core::kinds::case::Case;
use kefu_core::kinds::case::check_case_field;
use kefu_core::kinds::case::order_follow_up::merge_hint_for;
use kefu_core::money::Fen;
use kefu_core::record::Record;
use kefu_core::sync::Op;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

#[component]
pub fn OrderMerge(record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let cases = use_cases();
    cases.watch();
    let session = use_session();
    let store = use_store();
    let sync = use_sync();
    let case =
        Memo::new(move |_| record.with(|record| record.as_ref().and_then(Case::from_record)));
    let has_order = move || {
        case.with(|case| {
            case.as_ref()
                .is_some_and(|case| case.order_number.is_some())
        })
    };
    // Only who may change the case enters the amount (not QA, not the station): the shared
    // access rule, as the server will decide.
    let may_set = may_make_on(record, || Op::Set {
        field: kefu_core::kinds::case::order_follow_up::field::ORDER_AMOUNT.to_owned(),
        value: serde_json::Value::Null,
        supersedes: Vec::new(),
    });
    let amount = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // The hint: the orders to merge and why, in the user's language.
    let hint = move || {
        let case = case.get()?;
        cases.cases.with(|cases| {
            let cases = cases.as_deref()?;
            policy.desk.with(|desk| {
                let hint = merge_hint_for(desk.as_ref()?.order_policy(), &case, cases)?;
                let reasons: Vec<String> = hint
                    .reasons
                    .iter()
                    .map(|reason| localized(i18n, reason))
                    .collect();
                let numbers: Vec<String> = hint
                    .order_numbers
                    .iter()
                    .map(|number| (*number).to_owned())
                    .collect();
                Some((numbers, reasons))
            })
        })
    };
    let save = move || {
        let (Some(existing), Some(user)) = (record.get_untracked(), session.user_now()) else {
            return;
        };
        let Some(fen) = Fen::parse_yuan(&amount.get_untracked()) else {
            error.set(Some(t_string!(i18n, return_amount_invalid).to_owned()));
            return;
        };
        let value = json!(fen);
        if let Err(invalid) = check_case_field(
            kefu_core::kinds::case::order_follow_up::field::ORDER_AMOUNT,
            &value,
        ) {
            error.set(Some(localized(i18n, &invalid.message())));
            return;
        }
        let edit = FieldEdit::over(
            &existing,
            kefu_core::kinds::case::order_follow_up::field::ORDER_AMOUNT,
            value,
        );
        let store = store.store();
        spawn_local(async move {
            match store
                .set_fields(existing.id, vec![edit], &user, Utc::now())
                .await
            {
                Ok(_) => {
                    error.set(None);
                    amount.set(String::new());
                    sync.after_local_write();
                }
                Err(store_error) => error.set(Some(store_error.to_string())),
            }
        });
    };

    view! {
        <Show when=has_order>
            <section class="order-merge" data-testid="order-merge">
                <div class="form-row">
                    <p>
                        {t!(i18n, order_amount)} ": "
                        <strong data-testid="order-amount">
                            {move || case.get().and_then(|case| case.order_amount).map_or_else(|| t_string!(i18n, order_amount_unknown).to_owned(), |amount| amount.to_string())}
                        </strong>
                    </p>
                    <Show when=move || may_set.get()>
                        <label>{t!(i18n, order_amount_enter)}
                            <input inputmode="decimal" data-testid="order-amount-input" prop:value=amount
                                on:input=move |ev| { amount.set(event_target_value(&ev)); error.set(None); }
                                on:keydown=move |ev| if ev.key() == "Enter" { save() } />
                        </label>
                        <button type="button" data-testid="order-amount-save" on:click=move |_| save()>{t!(i18n, order_amount_save)}</button>
                    </Show>
                </div>
                {move || hint().map(|(numbers, reasons)| view! {
                    <div class="warning" role="status" data-testid="merge-hint">
                        <strong>{t!(i18n, order_merge_title)}</strong>
                        <ul>
                            {numbers.into_iter().map(|number| view! { <li data-testid="merge-order">{number}</li> }).collect_view()}
                        </ul>
                        {reasons.into_iter().map(|reason| view! { <p>{reason}</p> }).collect_view()}
                    </div>
                })}
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="order-amount-error">{move || error.get()}</p>
                </Show>
            </section>
        </Show>
    }
}
