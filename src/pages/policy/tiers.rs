//! The compensation tiers (补偿档位) of each item class, as amounts in yuan: for unit prices
//! from one amount to below the next, what an agent may offer (seed 002: 18.90 元以下补 2–5 元…).
//! The shared validation checks the tiers cover every price without overlap.

use super::{FieldProblem, PartPage, PolicyEditor, SaveButton, SaveOutcome, Unreadable};
use crate::i18n::{localized, t, t_string, use_i18n};
use crate::routes::PolicyPart;
use kefu_core::lang::Bilingual;
use kefu_core::money::Fen;
use kefu_core::policy::{CompensationTier, PolicyData};
use leptos::prelude::*;

#[component]
pub fn PolicyTiers() -> impl IntoView {
    view! { <PartPage part=PolicyPart::Tiers form=|data: PolicyData| view! { <TiersForm data=data /> } /> }
}

/// One tier as typed: the four amounts in yuan, the upper bound empty for "and above".
#[derive(Clone)]
struct Row {
    key: usize,
    from: RwSignal<String>,
    below: RwSignal<String>,
    min: RwSignal<String>,
    max: RwSignal<String>,
}

impl Row {
    fn new(key: usize, tier: &CompensationTier) -> Row {
        Row {
            key,
            from: RwSignal::new(tier.price_from_fen.yuan_text()),
            below: RwSignal::new(tier.price_below_fen.map(Fen::yuan_text).unwrap_or_default()),
            min: RwSignal::new(tier.min_fen.yuan_text()),
            max: RwSignal::new(tier.max_fen.yuan_text()),
        }
    }

    /// The tier, or the field (`…min_fen`) whose text is not an amount.
    fn tier(&self, path: &str) -> Result<CompensationTier, Unreadable> {
        let amount = |text: &RwSignal<String>, name: &str| {
            Fen::parse_signed_yuan(&text.get_untracked())
                .ok_or_else(|| Unreadable::amount(format!("{path}.{name}")))
        };
        let below = self.below.get_untracked();
        Ok(CompensationTier {
            price_from_fen: amount(&self.from, "price_from_fen")?,
            price_below_fen: if below.trim().is_empty() {
                None
            } else {
                Some(amount(&self.below, "price_below_fen")?)
            },
            min_fen: amount(&self.min, "min_fen")?,
            max_fen: amount(&self.max, "max_fen")?,
        })
    }
}

#[component]
fn TiersForm(data: PolicyData) -> impl IntoView {
    let i18n = use_i18n();
    let editor = PolicyEditor::new();
    let next_key = StoredValue::new(0usize);
    let key = move || {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        key
    };
    // Per item class, in the policy's order: its name and its tiers.
    let classes: Vec<(Bilingual, RwSignal<Vec<Row>>)> = data
        .item_classes
        .iter()
        .map(|class| {
            let rows = class
                .compensation_tiers
                .iter()
                .map(|tier| Row::new(key(), tier))
                .collect();
            (Bilingual::new(&class.zh, &class.en), RwSignal::new(rows))
        })
        .collect();
    let all_rows: Vec<RwSignal<Vec<Row>>> = classes.iter().map(|(_, rows)| *rows).collect();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed: Result<Vec<Vec<CompensationTier>>, Unreadable> = all_rows
            .iter()
            .enumerate()
            .map(|(class, rows)| {
                rows.with_untracked(|rows| {
                    rows.iter()
                        .enumerate()
                        .map(|(index, row)| {
                            row.tier(&format!(
                                "item_classes[{class}].compensation_tiers[{index}]"
                            ))
                        })
                        .collect()
                })
            })
            .collect();
        editor.save(move |data| {
            for (class, tiers) in data.item_classes.iter_mut().zip(typed?) {
                class.compensation_tiers = tiers;
            }
            Ok(())
        });
    };
    view! {
        <form class="policy-form" data-testid="policy-tiers" on:submit=on_submit>
            <p class="muted">{t!(i18n, policy_tiers_hint)}</p>
            <SaveOutcome editor=editor />
            {classes
                .into_iter()
                .enumerate()
                .map(|(class, (name, rows))| {
                    let index_of = move |key: usize| {
                        rows.with(|rows| rows.iter().position(|row| row.key == key)).unwrap_or_default()
                    };
                    view! {
                        <fieldset class="policy-group" data-testid="tier-class">
                            <legend>{move || localized(i18n, &name)}</legend>
                            <FieldProblem editor=editor path=format!("item_classes[{class}].compensation_tiers") exact=true />
                            <ol class="policy-rows">
                                <For each=move || rows.get() key=|row| row.key let:row>
                                    {
                                        let row_key = row.key;
                                        let path = move || format!("item_classes[{class}].compensation_tiers[{}]", index_of(row_key));
                                        let input = move |signal: RwSignal<String>, name: &'static str, testid: &'static str| {
                                            view! {
                                                <input
                                                    inputmode="decimal"
                                                    data-testid=testid
                                                    aria-invalid=move || editor.refuses(&format!("{}.{name}", path())).to_string()
                                                    prop:value=signal
                                                    on:input=move |ev| signal.set(event_target_value(&ev))
                                                />
                                            }
                                        };
                                        view! {
                                            <li class="policy-row" data-testid="tier-row">
                                                <div class="form-row">
                                                    <label>{t!(i18n, policy_price_from)}{input(row.from, "price_from_fen", "tier-from")}</label>
                                                    <label>{t!(i18n, policy_price_below)}{input(row.below, "price_below_fen", "tier-below")}</label>
                                                    <label>{t!(i18n, policy_tier_min)}{input(row.min, "min_fen", "tier-min")}</label>
                                                    <label>{t!(i18n, policy_tier_max)}{input(row.max, "max_fen", "tier-max")}</label>
                                                    <button
                                                        type="button"
                                                        class="remove"
                                                        aria-label=move || t_string!(i18n, policy_remove_row)
                                                        on:click=move |_| rows.update(|rows| rows.retain(|each| each.key != row_key))
                                                    >
                                                        "✕"
                                                    </button>
                                                </div>
                                                <FieldProblem editor=editor path=Signal::derive(path) />
                                            </li>
                                        }
                                    }
                                </For>
                            </ol>
                            <button
                                type="button"
                                data-testid="add-tier"
                                on:click=move |_| {
                                    let key = next_key.get_value();
                                    next_key.set_value(key + 1);
                                    let blank = CompensationTier {
                                        price_from_fen: Fen::ZERO,
                                        price_below_fen: None,
                                        min_fen: Fen::ZERO,
                                        max_fen: Fen::ZERO,
                                    };
                                    rows.update(|rows| rows.push(Row::new(key, &blank)));
                                }
                            >
                                {t!(i18n, policy_add_tier)}
                            </button>
                        </fieldset>
                    }
                })
                .collect_view()}
            <SaveButton />
        </form>
    }
}
