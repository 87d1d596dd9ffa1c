//! The numbers the rules count with: return and after-sales limits (the no-reason window, what
//! counts as a small item), order limits, the courier rules (the default courier by item count,
//! the last resort, when a supervisor reviews post-only shipping) and the shared devices' lock.

use super::{FieldProblem, PartPage, PolicyEditor, SaveButton, SaveOutcome, Unreadable};
use crate::i18n::{localized, t, use_i18n};
use crate::routes::PolicyPart;
use kefu_core::lang::Bilingual;
use kefu_core::money::Fen;
use kefu_core::policy::{ItemCountCourier, KpiWeights, PolicyData};
use leptos::prelude::*;

#[component]
pub fn PolicyLimits() -> impl IntoView {
    view! { <PartPage part=PolicyPart::Limits form=|data: PolicyData| view! { <LimitsForm data=data /> } /> }
}

/// A number field of the form: its policy field, its signal, and whether it is an amount in yuan.
#[derive(Clone, Copy)]
struct NumberField {
    path: &'static str,
    text: RwSignal<String>,
    yuan: bool,
}

impl NumberField {
    fn count(path: &'static str, value: u32) -> Self {
        NumberField {
            path,
            text: RwSignal::new(value.to_string()),
            yuan: false,
        }
    }

    fn amount(path: &'static str, value: Fen) -> Self {
        NumberField {
            path,
            text: RwSignal::new(value.yuan_text()),
            yuan: true,
        }
    }

    fn read_count(self) -> Result<u32, Unreadable> {
        self.text
            .get_untracked()
            .trim()
            .parse()
            .map_err(|_| Unreadable::whole_number(self.path.into()))
    }

    fn read_amount(self) -> Result<Fen, Unreadable> {
        Fen::parse_signed_yuan(&self.text.get_untracked())
            .ok_or_else(|| Unreadable::amount(self.path.into()))
    }
}

/// The KPI weights' names, in [`KpiWeights::named`]'s order.
const KPI_WEIGHT_NAMES: [(&str, &str); 7] = [
    ("接起率", "Answer rate"),
    ("平均首次响应", "First response"),
    ("满意度", "Satisfaction"),
    ("退单率", "Return rate"),
    ("质检得分", "QA score"),
    ("服务禁语", "Banned phrases"),
    ("超时未回复", "Overdue promises"),
];

/// A number field per KPI weight, named by its path in the policy.
fn kpi_weight_fields(weights: &KpiWeights) -> [NumberField; 7] {
    weights
        .named()
        .map(|(path, weight)| NumberField::count(path, weight))
}

fn read_kpi_weights(fields: [NumberField; 7]) -> Result<KpiWeights, Unreadable> {
    let [
        answer_rate,
        first_response,
        satisfaction,
        return_rate,
        qa_score,
        incidents,
        overdue_promises,
    ] = fields;
    Ok(KpiWeights {
        answer_rate: answer_rate.read_count()?,
        first_response: first_response.read_count()?,
        satisfaction: satisfaction.read_count()?,
        return_rate: return_rate.read_count()?,
        qa_score: qa_score.read_count()?,
        incidents: incidents.read_count()?,
        overdue_promises: overdue_promises.read_count()?,
    })
}

#[component]
fn LimitsForm(data: PolicyData) -> impl IntoView {
    let i18n = use_i18n();
    let editor = PolicyEditor::new();
    let window = NumberField::count(
        "returns.no_reason_window_days",
        data.returns.no_reason_window_days,
    );
    let small_item = NumberField::amount(
        "returns.small_item_max_fen",
        data.returns.small_item_max_fen,
    );
    let unpaid = NumberField::count(
        "orders.unpaid_cancel_after_working_days",
        data.orders.unpaid_cancel_after_working_days,
    );
    let merge = NumberField::amount(
        "orders.merge_same_day_orders_under_fen",
        data.orders.merge_same_day_orders_under_fen,
    );
    let post_review = NumberField::amount(
        "courier_rules.post_only_supervisor_review_from_fen",
        data.courier_rules.post_only_supervisor_review_from_fen,
    );
    let idle_lock = NumberField::count("devices.idle_lock_minutes", data.devices.idle_lock_minutes);
    let kpi_weights = kpi_weight_fields(&data.kpi_weights);
    let couriers: Vec<(String, kefu_core::lang::Bilingual)> = data
        .couriers
        .iter()
        .map(|courier| {
            (
                courier.id.clone(),
                kefu_core::lang::Bilingual::new(&courier.zh, &courier.en),
            )
        })
        .collect();
    let last_resort = RwSignal::new(data.courier_rules.last_resort_courier.clone());
    let by_count: Vec<(u32, RwSignal<String>)> = data
        .courier_rules
        .default_by_item_count
        .iter()
        .map(|rule| (rule.from_items, RwSignal::new(rule.courier.clone())))
        .collect();
    let by_count_saved = by_count.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let weights = read_kpi_weights(kpi_weights);
        let read = (|| {
            Ok::<_, Unreadable>((
                window.read_count()?,
                small_item.read_amount()?,
                unpaid.read_count()?,
                merge.read_amount()?,
                post_review.read_amount()?,
                idle_lock.read_count()?,
            ))
        })();
        let last_resort = last_resort.get_untracked();
        let by_count: Vec<ItemCountCourier> = by_count_saved
            .iter()
            .map(|(from_items, courier)| ItemCountCourier {
                from_items: *from_items,
                courier: courier.get_untracked(),
            })
            .collect();
        editor.save(move |data| {
            let (window, small_item, unpaid, merge, post_review, idle_lock) = read?;
            data.returns.no_reason_window_days = window;
            data.returns.small_item_max_fen = small_item;
            data.orders.unpaid_cancel_after_working_days = unpaid;
            data.orders.merge_same_day_orders_under_fen = merge;
            data.courier_rules.post_only_supervisor_review_from_fen = post_review;
            data.courier_rules.last_resort_courier = last_resort;
            data.courier_rules.default_by_item_count = by_count;
            data.devices.idle_lock_minutes = idle_lock;
            data.kpi_weights = weights?;
            Ok(())
        });
    };
    let field = move |label: AnyView, field: NumberField| {
        view! {
            <label>
                {label}
                <input
                    inputmode=if field.yuan { "decimal" } else { "numeric" }
                    data-testid=field.path
                    aria-invalid=move || editor.refuses(field.path).to_string()
                    prop:value=field.text
                    on:input=move |ev| field.text.set(event_target_value(&ev))
                />
            </label>
            <FieldProblem editor=editor path=field.path />
        }
    };
    let courier_select = {
        let couriers = couriers.clone();
        move |chosen: RwSignal<String>, testid: String| {
            let couriers = couriers.clone();
            view! {
                <select data-testid=testid prop:value=chosen on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {couriers
                        .iter()
                        .map(|(id, name)| {
                            let (id, name) = (id.clone(), name.clone());
                            view! { <option value=id.clone() selected=chosen.get_untracked() == id>{move || localized(i18n, &name)}</option> }
                        })
                        .collect_view()}
                </select>
            }
        }
    };
    view! {
        <form class="policy-form" data-testid="policy-limits" on:submit=on_submit>
            <SaveOutcome editor=editor />
            <fieldset class="policy-group">
                <legend>{t!(i18n, policy_returns_limits)}</legend>
                {field(t!(i18n, policy_no_reason_window_days).into_any(), window)}
                {field(t!(i18n, policy_small_item_max).into_any(), small_item)}
            </fieldset>
            <fieldset class="policy-group">
                <legend>{t!(i18n, policy_order_limits)}</legend>
                {field(t!(i18n, policy_unpaid_cancel_days).into_any(), unpaid)}
                {field(t!(i18n, policy_merge_under).into_any(), merge)}
            </fieldset>
            <fieldset class="policy-group">
                <legend>{t!(i18n, policy_courier_rules)}</legend>
                {by_count
                    .into_iter()
                    .map(|(from_items, courier)| {
                        let select = courier_select.clone();
                        view! {
                            <label>
                                {t!(i18n, policy_courier_from_items, count = from_items)}
                                {select(courier, format!("courier-from-{from_items}"))}
                            </label>
                        }
                    })
                    .collect_view()}
                <label>
                    {t!(i18n, policy_last_resort_courier)}
                    {courier_select.clone()(last_resort, "last-resort-courier".into())}
                </label>
                <FieldProblem editor=editor path="courier_rules.default_by_item_count" />
                <FieldProblem editor=editor path="courier_rules.last_resort_courier" />
                {field(t!(i18n, policy_post_review_from).into_any(), post_review)}
            </fieldset>
            <fieldset class="policy-group">
                <legend>{t!(i18n, policy_devices)}</legend>
                {field(t!(i18n, policy_idle_lock_minutes).into_any(), idle_lock)}
            </fieldset>
            <fieldset class="policy-group" data-testid="policy-kpi-weights">
                <legend>{t!(i18n, policy_kpi_weights)}</legend>
                <p class="muted">{t!(i18n, policy_kpi_weights_hint)}</p>
                {kpi_weights
                    .into_iter()
                    .zip(KPI_WEIGHT_NAMES)
                    .map(|(weight, (zh, en))| {
                        let name = Bilingual::new(zh, en);
                        field(view! { {move || localized(i18n, &name)} }.into_any(), weight)
                    })
                    .collect_view()}
            </fieldset>
            <SaveButton />
        </form>
    }
}
