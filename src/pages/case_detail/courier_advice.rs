//! Courier questions (seed 002 快递问题处理): when a customer asks for a courier, or a reship
//! is sent, the agent picks the province, the number of items and their class (and the courier
//! asked for): the panel says at once which courier ships by default, whether the one asked
//! for reaches the province (超区) and what it costs, and who pays, with the reasons in words.
//! From the shared courier rules and the synced policy, so it works offline.

use crate::i18n::{localized, t, use_i18n};
use crate::policy::use_policy;
use kefu_core::money::Fen;
use kefu_core::rules::courier::{
    CourierQuery, RequestedCourier, ShippingCharge, Surcharge, advise,
};
use leptos::prelude::*;

fn surcharge_text(surcharge: Surcharge) -> (String, String) {
    match surcharge {
        Surcharge::FirstWeight(fee) => (
            format!("首重 {} 克 {}", fee.first_weight_grams, fee.fen),
            format!("{} for the first {} g", fee.fen, fee.first_weight_grams),
        ),
        Surcharge::AskWarehouse => (
            "费用请联系库房询问".to_owned(),
            "ask the warehouse for the cost".to_owned(),
        ),
    }
}

#[component]
pub fn CourierAdvice() -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let province = RwSignal::new(String::new());
    let items = RwSignal::new("1".to_owned());
    let class = RwSignal::new("normal".to_owned());
    let requested = RwSignal::new(String::new());
    let same_day_total = RwSignal::new(String::new());
    let open = RwSignal::new(false);

    // The advice in the user's language: lines of (testid, text).
    let advice = move || -> Option<Result<Vec<(&'static str, String)>, String>> {
        let province = province.get();
        if province.is_empty() {
            return None;
        }
        let item_count = items
            .get()
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|count| *count > 0)?;
        let total = Fen::parse_yuan(&same_day_total.get()).unwrap_or(Fen::ZERO);
        let requested = requested.get();
        let class = class.get();
        let lang =
            |zh: String, en: String| localized(i18n, &kefu_core::lang::Bilingual::new(zh, en));
        policy.desk.with(|desk| {
            let desk = desk.as_ref()?;
            let query = CourierQuery {
                province: &province,
                item_count,
                item_class: &class,
                same_day_order_total: total,
                requested_courier: (!requested.is_empty()).then_some(requested.as_str()),
                unreachable_couriers: &[],
            };
            let advice = match advise(desk.courier_policy(), &query) {
                Ok(advice) => advice,
                Err(unknown) => return Some(Err(unknown.to_string())),
            };
            let courier_name = localized(i18n, &kefu_core::lang::Bilingual::new(&advice.default_courier.zh, &advice.default_courier.en));
            let mut lines = vec![(
                "courier-default",
                lang(format!("默认快递：{courier_name}"), format!("Default courier: {courier_name}")),
            )];
            if let Some(surcharge) = advice.default_surcharge {
                let (zh, en) = surcharge_text(surcharge);
                lines.push(("courier-surcharge", lang(format!("加收：{zh}"), format!("Extra: {en}"))));
            }
            let (zh, en) = match advice.charge {
                ShippingCharge::FreeShipping => ("包邮".to_owned(), "Free shipping covers it".to_owned()),
                ShippingCharge::CustomerPaysExtra { surcharge } => {
                    let (zh, en) = surcharge_text(surcharge);
                    (format!("客户补差价（{zh}）"), format!("The customer pays the extra ({en})"))
                }
                ShippingCharge::SupervisorDecides { surcharge } => {
                    let (zh, en) = surcharge_text(surcharge);
                    (format!("由主管决定是否包邮（{zh}）"), format!("A supervisor decides whether shipping stays free ({en})"))
                }
            };
            lines.push(("courier-charge", lang(zh, en)));
            if let Some(answer) = advice.requested {
                let (zh, en) = match answer {
                    RequestedCourier::SameAsDefault => ("指定的快递就是默认快递".to_owned(), "The courier asked for is the default".to_owned()),
                    RequestedCourier::Agreed => ("可以按客户要求发这家快递".to_owned(), "The courier asked for can be used".to_owned()),
                    RequestedCourier::OutOfZone { surcharge } => {
                        let (zh, en) = surcharge_text(surcharge);
                        (
                            format!("超区：不要答应；客户坚持则补差价（{zh}）"),
                            format!("Out of zone: do not promise it; if the customer insists they pay the extra ({en})"),
                        )
                    }
                    RequestedCourier::NotServed => ("这家快递到不了这个地址".to_owned(), "That courier does not serve this address".to_owned()),
                    RequestedCourier::NoChoiceForItemClass => ("这类商品不能指定快递".to_owned(), "This kind of item gets no courier choice".to_owned()),
                };
                lines.push(("courier-answer", lang(zh, en)));
            }
            for reason in advice.reasons {
                lines.push(("courier-reason", localized(i18n, &reason)));
            }
            Some(Ok(lines))
        })
    };
    let options = move |list: fn(&crate::policy::DeskPolicy) -> Vec<(String, String, String)>| {
        policy
            .desk
            .with(|desk| desk.as_deref().map(list).unwrap_or_default())
            .into_iter()
            .map(|(id, zh, en)| {
                let name = localized(i18n, &kefu_core::lang::Bilingual::new(zh, en));
                view! { <option value=id>{name}</option> }
            })
            .collect_view()
    };

    view! {
        <section class="courier-advice" data-testid="courier-advice">
            <button
                type="button"
                data-testid="courier-toggle"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|open| *open = !*open)
            >
                {t!(i18n, courier_question)}
            </button>
            <Show when=move || open.get()>
                <div class="situation-form">
                    <label>
                        {t!(i18n, courier_province)}
                        <select data-testid="courier-province" on:change=move |ev| province.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, choose)}</option>
                            {move || options(|desk| desk.provinces.iter().map(|p| (p.id.clone(), p.zh.clone(), p.en.clone())).collect())}
                        </select>
                    </label>
                    <label>
                        {t!(i18n, courier_items)}
                        <input type="number" min="1" data-testid="courier-items" prop:value=items on:input=move |ev| items.set(event_target_value(&ev)) />
                    </label>
                    <label>
                        {t!(i18n, courier_item_class)}
                        <select data-testid="courier-class" on:change=move |ev| class.set(event_target_value(&ev))>
                            {move || options(|desk| desk.item_classes.iter().map(|c| (c.id.clone(), c.zh.clone(), c.en.clone())).collect())}
                        </select>
                    </label>
                    <label>
                        {t!(i18n, courier_requested)}
                        <select data-testid="courier-requested" on:change=move |ev| requested.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, courier_none)}</option>
                            {move || options(|desk| desk.couriers.iter().map(|c| (c.id.clone(), c.zh.clone(), c.en.clone())).collect())}
                        </select>
                    </label>
                    <label>
                        {t!(i18n, courier_same_day_total)}
                        <input inputmode="decimal" data-testid="courier-total" prop:value=same_day_total on:input=move |ev| same_day_total.set(event_target_value(&ev)) />
                    </label>
                </div>
                <div role="status" aria-live="polite">
                    {move || match advice() {
                        None => view! { <p class="muted">{t!(i18n, courier_pick_province)}</p> }.into_any(),
                        Some(Err(problem)) => view! { <p class="error">{problem}</p> }.into_any(),
                        Some(Ok(lines)) => view! {
                            <ul class="courier-lines" data-testid="courier-lines">
                                {lines.into_iter().map(|(testid, text)| view! { <li data-testid=testid>{text}</li> }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                    }}
                </div>
            </Show>
        </section>
    }
}
