//! The banned phrases (禁语) and the polite alternative offered for each: what the live check
//! on every reply catches (SPEC §7). Variants of one phrase are written `a/b`.

use super::rows::{Column, EditableRows, Rows};
use super::{PartPage, PolicyEditor, SaveButton, SaveOutcome};
use crate::i18n::{t, t_string, use_i18n};
use crate::routes::PolicyPart;
use kefu_core::policy::{BannedPhraseEntry, PolicyData};
use leptos::prelude::*;

#[component]
pub fn PolicyPhrases() -> impl IntoView {
    view! { <PartPage part=PolicyPart::Phrases form=|data: PolicyData| view! { <PhrasesForm entries=data.banned_phrases /> } /> }
}

static COLUMNS: [Column; 2] = [
    Column::text(
        |i18n| t_string!(i18n, policy_phrase).to_string(),
        "phrase",
        "phrase",
    ),
    Column::text(
        |i18n| t_string!(i18n, policy_alternative).to_string(),
        "alternative",
        "alternative",
    ),
];

#[component]
fn PhrasesForm(entries: Vec<BannedPhraseEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let editor = PolicyEditor::new();
    let rows = Rows::new(
        entries
            .into_iter()
            .map(|entry| (vec![entry.phrase, entry.alternative], None)),
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entries: Vec<BannedPhraseEntry> = rows
            .values()
            .into_iter()
            .map(|(cells, _)| {
                let [phrase, alternative]: [String; 2] = cells.try_into().unwrap_or_default();
                BannedPhraseEntry {
                    phrase,
                    alternative,
                }
            })
            .collect();
        editor.save(move |data| {
            data.banned_phrases = entries;
            Ok(())
        });
    };
    view! {
        <form class="policy-form" data-testid="policy-phrases" on:submit=on_submit>
            <p class="muted">{t!(i18n, policy_phrases_hint)}</p>
            <SaveOutcome editor=editor />
            <EditableRows editor=editor rows=rows path="banned_phrases".to_owned() columns=&COLUMNS row_testid="phrase-row" />
            <button type="button" data-testid="add-phrase" on:click=move |_| rows.push(vec![String::new(); 2], None)>
                {t!(i18n, policy_add_phrase)}
            </button>
            <SaveButton />
        </form>
    }
}
