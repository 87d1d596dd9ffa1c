//! QA's score sheet (质检评分表, seed 001 §14): what a reviewed case is scored on, each item
//! with its weight and a line of guidance for the inspector, in both languages. A review keeps
//! the weights it was scored with, so changing the sheet changes no past score.

use super::rows::{Column, EditableRows, Rows};
use super::{PartPage, PolicyEditor, SaveButton, SaveOutcome, Unreadable};
use crate::i18n::{t, t_string, use_i18n};
use crate::routes::PolicyPart;
use kefu_core::policy::{PolicyData, ScoreItem};
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn PolicyScoreSheet() -> impl IntoView {
    view! { <PartPage part=PolicyPart::ScoreSheet form=|data: PolicyData| view! { <ScoreSheetForm items=data.qa_score_sheet /> } /> }
}

static COLUMNS: [Column; 5] = [
    Column::text(
        |i18n| t_string!(i18n, policy_name_zh).to_string(),
        "zh",
        "zh",
    ),
    Column::text(
        |i18n| t_string!(i18n, policy_name_en).to_string(),
        "en",
        "en",
    ),
    Column {
        keyboard: "numeric",
        ..Column::text(
            |i18n| t_string!(i18n, policy_weight).to_string(),
            "weight",
            "weight",
        )
    },
    Column::text(
        |i18n| t_string!(i18n, policy_guidance_zh).to_string(),
        "guidance-zh",
        "guidance_zh",
    ),
    Column::text(
        |i18n| t_string!(i18n, policy_guidance_en).to_string(),
        "guidance-en",
        "guidance_en",
    ),
];

/// One row as typed, as an item of the sheet: its weight must read as a whole number.
fn typed_item(cells: Vec<String>, id: String, index: usize) -> Result<ScoreItem, Unreadable> {
    let [zh, en, weight, guidance_zh, guidance_en]: [String; 5] =
        cells.try_into().unwrap_or_default();
    let weight = weight
        .trim()
        .parse()
        .map_err(|_| Unreadable::whole_number(format!("qa_score_sheet[{index}].weight")))?;
    Ok(ScoreItem {
        id,
        zh,
        en,
        weight,
        guidance_zh,
        guidance_en,
    })
}

#[component]
fn ScoreSheetForm(items: Vec<ScoreItem>) -> impl IntoView {
    let i18n = use_i18n();
    let editor = PolicyEditor::new();
    let rows = Rows::new(items.into_iter().map(|item| {
        let cells = vec![
            item.zh,
            item.en,
            item.weight.to_string(),
            item.guidance_zh,
            item.guidance_en,
        ];
        (cells, Some(item.id))
    }));
    // Reviews name items by id: a fresh one never collides with an old item's.
    let add = move |_| {
        let id = format!("custom-{}", &Uuid::now_v7().simple().to_string()[20..]);
        rows.push(vec![String::new(); 5], Some(id));
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed: Result<Vec<ScoreItem>, Unreadable> = rows
            .values()
            .into_iter()
            .enumerate()
            .map(|(index, (cells, id))| typed_item(cells, id.unwrap_or_default(), index))
            .collect();
        editor.save(move |data| {
            data.qa_score_sheet = typed?;
            Ok(())
        });
    };
    view! {
        <form class="policy-form" data-testid="policy-score-sheet" on:submit=on_submit>
            <p class="muted">{t!(i18n, policy_score_sheet_hint)}</p>
            <SaveOutcome editor=editor />
            <EditableRows editor=editor rows=rows path="qa_score_sheet".to_owned() columns=&COLUMNS row_testid="score-item-row" />
            <button type="button" data-testid="add-score-item" on:click=add>
                {t!(i18n, policy_add_entry)}
            </button>
            <SaveButton />
        </form>
    }
}
