//! The compensation tiers (补偿档位) of each item class, as amounts in yuan: for unit prices
//! from one amount to below the next, what an agent may offer (seed 002: 18.90 元以下补 2–5 元…).
//! The shared validation checks the tiers cover every price without overlap.

use super::rows::{Column, EditableRows, Rows};
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

/// A tier's four amounts in yuan, the upper bound empty for "and above".
static COLUMNS: [Column; 4] = [
    Column::amount(
        |i18n| t_string!(i18n, policy_price_from).to_string(),
        "tier-from",
        "price_from_fen",
    ),
    Column::amount(
        |i18n| t_string!(i18n, policy_price_below).to_string(),
        "tier-below",
        "price_below_fen",
    ),
    Column::amount(
        |i18n| t_string!(i18n, policy_tier_min).to_string(),
        "tier-min",
        "min_fen",
    ),
    Column::amount(
        |i18n| t_string!(i18n, policy_tier_max).to_string(),
        "tier-max",
        "max_fen",
    ),
];

fn cells(tier: &CompensationTier) -> Vec<String> {
    vec![
        tier.price_from_fen.yuan_text(),
        tier.price_below_fen.map(Fen::yuan_text).unwrap_or_default(),
        tier.min_fen.yuan_text(),
        tier.max_fen.yuan_text(),
    ]
}

/// The tier typed in `cells`, or the field (`…min_fen`) whose text is not an amount.
fn typed_tier(cells: &[String], path: &str) -> Result<CompensationTier, Unreadable> {
    let amount = |index: usize| {
        let member = COLUMNS[index].member.unwrap_or_default();
        Fen::parse_signed_yuan(&cells[index])
            .ok_or_else(|| Unreadable::amount(format!("{path}.{member}")))
    };
    Ok(CompensationTier {
        price_from_fen: amount(0)?,
        price_below_fen: if cells[1].is_empty() {
            None
        } else {
            Some(amount(1)?)
        },
        min_fen: amount(2)?,
        max_fen: amount(3)?,
    })
}

#[component]
fn TiersForm(data: PolicyData) -> impl IntoView {
    let i18n = use_i18n();
    let editor = PolicyEditor::new();
    // Per item class, in the policy's order: its name and its tiers.
    let classes: Vec<(Bilingual, Rows)> = data
        .item_classes
        .iter()
        .map(|class| {
            let rows = Rows::new(
                class
                    .compensation_tiers
                    .iter()
                    .map(|tier| (cells(tier), None)),
            );
            (Bilingual::new(&class.zh, &class.en), rows)
        })
        .collect();
    let all_rows: Vec<Rows> = classes.iter().map(|(_, rows)| *rows).collect();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed: Result<Vec<Vec<CompensationTier>>, Unreadable> = all_rows
            .iter()
            .enumerate()
            .map(|(class, rows)| {
                rows.values()
                    .iter()
                    .enumerate()
                    .map(|(index, (cells, _))| {
                        typed_tier(
                            cells,
                            &format!("item_classes[{class}].compensation_tiers[{index}]"),
                        )
                    })
                    .collect()
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
                    let path = format!("item_classes[{class}].compensation_tiers");
                    let blank = CompensationTier {
                        price_from_fen: Fen::ZERO,
                        price_below_fen: None,
                        min_fen: Fen::ZERO,
                        max_fen: Fen::ZERO,
                    };
                    view! {
                        <fieldset class="policy-group" data-testid="tier-class">
                            <legend>{move || localized(i18n, &name)}</legend>
                            <FieldProblem editor=editor path=path.clone() exact=true />
                            <EditableRows editor=editor rows=rows path=path columns=&COLUMNS row_testid="tier-row" />
                            <button type="button" data-testid="add-tier" on:click=move |_| rows.push(cells(&blank), None)>
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
