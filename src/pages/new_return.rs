//! Open a return or after-sales case (退换货登记, SPEC §3): request type, reason, the order's
//! lines, the item class, what the customer says of the packaging, the return parcel's
//! tracking number and courier, shipping insurance. The eligibility review updates as the
//! agent types, in words they can read to the customer. Saved to the device first; the draft
//! survives a reload.

use crate::components::chip_group::ChipGroup;
use crate::components::field_input::FieldInput;
use crate::drafts;
use crate::i18n::{localized, t, t_string, use_i18n};
use crate::pages::new_case::use_case_saver;
use crate::policy::use_policy;
use crate::session::{may_open_case, use_session};
use chrono::{NaiveDate, Utc};
use kefu_core::kinds::case::return_follow_up::{return_step_data, review_step};
use kefu_core::kinds::case::returns::{NewReturn, ReturnItem, check_return_change};
use kefu_core::policy::RequestType;
use kefu_core::sync::Op;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

const DRAFT_KEY: &str = "new-return";

/// One order line as typed: the quantity stays text until saved, so a half-typed number is
/// never lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct LineForm {
    sku: String,
    quantity: String,
}

impl Default for LineForm {
    fn default() -> Self {
        LineForm {
            sku: String::new(),
            quantity: "1".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ReturnForm {
    request_type: RequestType,
    reason: String,
    customer_name: String,
    customer_phone: String,
    order_number: String,
    lines: Vec<LineForm>,
    item_class: String,
    original_packaging: bool,
    return_tracking: String,
    return_courier: String,
    shipping_insurance: bool,
    shipped: bool,
    received_on: String,
}

impl Default for ReturnForm {
    fn default() -> Self {
        ReturnForm {
            request_type: RequestType::ReturnRefund,
            reason: String::new(),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: String::new(),
            lines: vec![LineForm::default()],
            item_class: "normal".into(),
            original_packaging: false,
            return_tracking: String::new(),
            return_courier: String::new(),
            shipping_insurance: false,
            shipped: true,
            received_on: String::new(),
        }
    }
}

impl ReturnForm {
    fn to_new_return(&self, type_name: &str) -> NewReturn {
        let order_number = self.order_number.trim();
        let items: Vec<ReturnItem> = self
            .lines
            .iter()
            .filter(|line| !line.sku.trim().is_empty())
            .map(|line| ReturnItem {
                sku: line.sku.trim().to_owned(),
                quantity: line.quantity.trim().parse().unwrap_or(0),
            })
            .collect();
        let about = if order_number.is_empty() {
            items
                .first()
                .map(|item| item.sku.clone())
                .unwrap_or_default()
        } else {
            order_number.to_owned()
        };
        NewReturn {
            title: format!("{type_name} · {about}"),
            request_type: self.request_type,
            reason: self.reason.clone(),
            customer_name: self.customer_name.clone(),
            customer_phone: self.customer_phone.clone(),
            order_number: (!order_number.is_empty()).then(|| order_number.to_owned()),
            items,
            item_class: self.item_class.clone(),
            original_packaging: self.original_packaging,
            return_tracking: self.return_tracking.clone(),
            return_courier: self.return_courier.clone(),
            shipping_insurance: self.shipping_insurance,
            shipped: self.shipped,
            received_on: NaiveDate::parse_from_str(&self.received_on, "%Y-%m-%d").ok(),
        }
    }
}

#[component]
pub fn NewReturnPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let policy = use_policy();
    let form = drafts::use_draft::<ReturnForm>(DRAFT_KEY);
    let error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let save_case = use_case_saver(DRAFT_KEY, saving, error);
    let type_name = move |request_type: RequestType| {
        policy.desk.with(|desk| {
            desk.as_ref()
                .and_then(|desk| {
                    desk.request_types
                        .iter()
                        .find(|label| label.id == request_type)
                })
                .map(|label| {
                    localized(i18n, &kefu_core::lang::Bilingual::new(&label.zh, &label.en))
                })
                .unwrap_or_else(|| request_type.as_str().to_owned())
        })
    };
    // The review as the form stands, asked now: what the agent tells the customer.
    let review = Memo::new(move |_| {
        let request = form.with(|form| form.to_new_return(""));
        policy.desk.with(|desk| {
            let desk = desk.as_ref()?;
            if request.reason.is_empty() {
                return None;
            }
            request
                .facts()
                .review(desk.return_policy(), Utc::now())
                .ok()
        })
    });

    let save = move || {
        let Some(user) = session.user_now() else {
            return;
        };
        let request = form.with_untracked(|form| form.to_new_return(&type_name(form.request_type)));
        let fields = request.fields();
        let checked = request
            .check()
            .map_err(|invalid| invalid.message())
            .and_then(|()| may_open_case(&user, &fields).map_err(|denied| denied.message()))
            .and_then(|()| {
                policy.desk.with_untracked(|desk| match desk {
                    Some(desk) => check_return_change(
                        desk.return_policy(),
                        None,
                        &Op::Create {
                            fields: fields.clone(),
                        },
                    ),
                    None => Ok(()),
                })
            });
        if let Err(message) = checked {
            error.set(Some(localized(i18n, &message)));
            return;
        }
        // The form is the review: an eligible request is approved as it is saved, with the
        // reasons the agent read out; another waits for someone to decide.
        let approved = review
            .get_untracked()
            .and_then(|decision| review_step(request.request_type, &decision, &user.username))
            .map(|step| {
                (
                    kefu_core::kinds::case::return_follow_up::event::RETURN_STEP.to_owned(),
                    return_step_data(&step),
                )
            });
        save_case(fields, approved.into_iter().collect(), user);
    };

    let flag = move |testid: &'static str,
                     read: fn(&ReturnForm) -> bool,
                     write: fn(&mut ReturnForm, bool)| {
        view! {
            <input
                type="checkbox"
                data-testid=testid
                prop:checked=move || form.with(read)
                on:change=move |ev| {
                    let checked = event_target_checked(&ev);
                    form.update(|form| write(form, checked));
                }
            />
        }
    };
    let desk_list =
        move |pick: fn(&crate::policy::DeskPolicy) -> Vec<(String, kefu_core::lang::Bilingual)>| {
            policy
                .desk
                .with(|desk| desk.as_ref().map(|desk| pick(desk)).unwrap_or_default())
                .into_iter()
                .map(|(id, name)| view! { <option value=id>{localized(i18n, &name)}</option> })
                .collect_view()
        };

    view! {
        <section class="page new-return">
            <h1>{t!(i18n, nav_new_return)}</h1>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                save();
            }>
                <ChipGroup
                    legend=move || t!(i18n, return_request_type)
                    class="kinds"
                    options=|| RequestType::ALL.to_vec()
                    selected=move || form.with(|form| form.request_type)
                    label=move |request_type: &RequestType| type_name(*request_type)
                    chip_testid=|request_type: &RequestType| format!("request-{}", request_type.as_str())
                    on_choose=move |request_type: RequestType| form.update(|form| form.request_type = request_type)
                />
                <label>
                    {t!(i18n, return_reason)}
                    <select
                        data-testid="return-reason"
                        prop:value=move || form.with(|form| form.reason.clone())
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            form.update(|form| form.reason = value);
                        }
                    >
                        <option value="">{t!(i18n, choose)}</option>
                        {move || desk_list(|desk| desk.return_reasons.iter().map(|reason| (reason.id.clone(), reason.name())).collect())}
                    </select>
                </label>
                <div class="form-row">
                    <label>{t!(i18n, customer_name)} <FieldInput form testid="return-customer-name" read=|f| f.customer_name.clone() write=|f, v| f.customer_name = v /></label>
                    <label>{t!(i18n, customer_phone)} <FieldInput form testid="return-customer-phone" read=|f| f.customer_phone.clone() write=|f, v| f.customer_phone = v /></label>
                    <label>{t!(i18n, order_number)} <FieldInput form testid="return-order-number" read=|f| f.order_number.clone() write=|f, v| f.order_number = v /></label>
                </div>
                <fieldset class="return-lines">
                    <legend>{t!(i18n, return_items)}</legend>
                    {move || {
                        let count = form.with(|form| form.lines.len());
                        (0..count)
                            .map(|index| {
                                view! {
                                    <div class="form-row">
                                        <label>
                                            {t!(i18n, return_sku)}
                                            <input
                                                data-testid=format!("item-sku-{index}")
                                                prop:value=move || form.with(|form| form.lines.get(index).map(|line| line.sku.clone()).unwrap_or_default())
                                                on:input=move |ev| {
                                                    let value = event_target_value(&ev);
                                                    form.update(|form| if let Some(line) = form.lines.get_mut(index) { line.sku = value });
                                                }
                                            />
                                        </label>
                                        <label>
                                            {t!(i18n, return_quantity)}
                                            <input
                                                type="number"
                                                min="1"
                                                inputmode="numeric"
                                                data-testid=format!("item-qty-{index}")
                                                prop:value=move || form.with(|form| form.lines.get(index).map(|line| line.quantity.clone()).unwrap_or_default())
                                                on:input=move |ev| {
                                                    let value = event_target_value(&ev);
                                                    form.update(|form| if let Some(line) = form.lines.get_mut(index) { line.quantity = value });
                                                }
                                            />
                                        </label>
                                    </div>
                                }
                            })
                            .collect_view()
                    }}
                    <button type="button" data-testid="add-item" on:click=move |_| form.update(|form| form.lines.push(LineForm::default()))>
                        {t!(i18n, return_add_item)}
                    </button>
                </fieldset>
                <div class="form-row">
                    <label>
                        {t!(i18n, courier_item_class)}
                        <select
                            data-testid="return-item-class"
                            prop:value=move || form.with(|form| form.item_class.clone())
                            on:change=move |ev| {
                                let value = event_target_value(&ev);
                                form.update(|form| form.item_class = value);
                            }
                        >
                            {move || desk_list(|desk| desk.item_classes.iter().map(|class| (class.id.clone(), kefu_core::lang::Bilingual::new(&class.zh, &class.en))).collect())}
                        </select>
                    </label>
                    <label>
                        {t!(i18n, return_received_on)}
                        <input
                            type="date"
                            data-testid="return-received-on"
                            prop:value=move || form.with(|form| form.received_on.clone())
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                form.update(|form| form.received_on = value);
                            }
                        />
                    </label>
                </div>
                <div class="form-row flags">
                    <label>{flag("return-packaging", |f| f.original_packaging, |f, v| f.original_packaging = v)} {t!(i18n, return_original_packaging)}</label>
                    <label>{flag("return-insurance", |f| f.shipping_insurance, |f, v| f.shipping_insurance = v)} {t!(i18n, return_shipping_insurance)}</label>
                    <label>{flag("return-shipped", |f| f.shipped, |f, v| f.shipped = v)} {t!(i18n, return_shipped)}</label>
                </div>
                <div class="form-row">
                    <label>{t!(i18n, return_tracking)} <FieldInput form testid="return-tracking" read=|f| f.return_tracking.clone() write=|f, v| f.return_tracking = v /></label>
                    <label>
                        {t!(i18n, return_courier)}
                        <select
                            data-testid="return-courier"
                            prop:value=move || form.with(|form| form.return_courier.clone())
                            on:change=move |ev| {
                                let value = event_target_value(&ev);
                                form.update(|form| form.return_courier = value);
                            }
                        >
                            <option value="">{t!(i18n, choose)}</option>
                            {move || desk_list(|desk| desk.couriers.iter().map(|courier| (courier.id.clone(), kefu_core::lang::Bilingual::new(&courier.zh, &courier.en))).collect())}
                        </select>
                    </label>
                </div>
                <section class="return-review" data-testid="return-review" aria-live="polite">
                    <h2>{t!(i18n, return_review)}</h2>
                    {move || match review.get() {
                        None => view! { <p class="muted">{t!(i18n, return_review_pending)}</p> }.into_any(),
                        Some(decision) => {
                            let verdict = if decision.eligible { t_string!(i18n, return_eligible) } else { t_string!(i18n, return_not_eligible) };
                            view! {
                                <p class=if decision.eligible { "tag eligible" } else { "tag not-eligible" } data-testid="return-verdict">{verdict}</p>
                                <ul>
                                    {decision.reasons.iter().map(|reason| view! { <li data-testid="review-reason">{localized(i18n, reason)}</li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }}
                </section>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="form-error">{move || error.get()}</p>
                </Show>
                <button class="primary" type="submit" data-testid="save-return" disabled=saving>
                    {t!(i18n, save_case)}
                </button>
            </form>
        </section>
    }
}
