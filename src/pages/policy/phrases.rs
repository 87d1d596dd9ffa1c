//! The banned phrases (禁语) and the polite alternative offered for each: what the live check
//! on every reply catches (SPEC §7). Variants of one phrase are written `a/b`.

use super::{FieldProblem, PartPage, PolicyEditor, SaveButton, SaveOutcome};
use crate::i18n::{t, t_string, use_i18n};
use crate::routes::PolicyPart;
use kefu_core::policy::{BannedPhraseEntry, PolicyData};
use leptos::prelude::*;

#[component]
pub fn PolicyPhrases() -> impl IntoView {
    view! { <PartPage part=PolicyPart::Phrases form=|data: PolicyData| view! { <PhrasesForm entries=data.banned_phrases /> } /> }
}

/// One row of the form; `key` keeps its inputs while rows are added and removed around it.
#[derive(Clone)]
struct Row {
    key: usize,
    phrase: RwSignal<String>,
    alternative: RwSignal<String>,
}

#[component]
fn PhrasesForm(entries: Vec<BannedPhraseEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let editor = PolicyEditor::new();
    let next_key = StoredValue::new(entries.len());
    let rows = RwSignal::new(
        entries
            .into_iter()
            .enumerate()
            .map(|(key, entry)| Row {
                key,
                phrase: RwSignal::new(entry.phrase),
                alternative: RwSignal::new(entry.alternative),
            })
            .collect::<Vec<_>>(),
    );
    let index_of = move |key: usize| {
        rows.with(|rows| rows.iter().position(|row| row.key == key))
            .unwrap_or_default()
    };
    let add = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|rows| {
            rows.push(Row {
                key,
                phrase: RwSignal::new(String::new()),
                alternative: RwSignal::new(String::new()),
            })
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entries: Vec<BannedPhraseEntry> = rows.with_untracked(|rows| {
            rows.iter()
                .map(|row| BannedPhraseEntry {
                    phrase: row.phrase.get_untracked().trim().to_owned(),
                    alternative: row.alternative.get_untracked().trim().to_owned(),
                })
                .collect()
        });
        editor.save(move |data| {
            data.banned_phrases = entries;
            Ok(())
        });
    };
    view! {
        <form class="policy-form" data-testid="policy-phrases" on:submit=on_submit>
            <p class="muted">{t!(i18n, policy_phrases_hint)}</p>
            <SaveOutcome editor=editor />
            <ol class="policy-rows">
                <For each=move || rows.get() key=|row| row.key let:row>
                    {
                        let key = row.key;
                        let path = move || format!("banned_phrases[{}]", index_of(key));
                        view! {
                            <li class="policy-row" data-testid="phrase-row">
                                <div class="form-row">
                                    <label>
                                        {t!(i18n, policy_phrase)}
                                        <input
                                            data-testid="phrase"
                                            aria-invalid=move || editor.refuses(&format!("{}.phrase", path())).to_string()
                                            prop:value=row.phrase
                                            on:input=move |ev| row.phrase.set(event_target_value(&ev))
                                        />
                                    </label>
                                    <label>
                                        {t!(i18n, policy_alternative)}
                                        <input
                                            data-testid="alternative"
                                            aria-invalid=move || editor.refuses(&format!("{}.alternative", path())).to_string()
                                            prop:value=row.alternative
                                            on:input=move |ev| row.alternative.set(event_target_value(&ev))
                                        />
                                    </label>
                                    <button
                                        type="button"
                                        class="remove"
                                        aria-label=move || t_string!(i18n, policy_remove_row)
                                        data-testid="remove-phrase"
                                        on:click=move |_| rows.update(|rows| rows.retain(|each| each.key != key))
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
            <button type="button" data-testid="add-phrase" on:click=add>
                {t!(i18n, policy_add_phrase)}
            </button>
            <SaveButton />
        </form>
    }
}
