//! Standard answers matching the question as it is typed (seed 000 §4.6: register each main
//! question once). Using one puts its text in the answer and links the entry, so saving
//! records a recurrence on it instead of a new entry.

use crate::i18n::{t, use_i18n};
use kefu_core::kinds::knowledge::{Knowledge, suggest_answers};
use leptos::prelude::*;

/// Suggestions shown at once: the best few, not a second search page.
const SUGGESTED: usize = 3;

#[component]
pub fn AnswerSuggestions(
    question: Signal<String>,
    entries: Signal<Vec<Knowledge>>,
    #[prop(into)] on_use: Callback<Knowledge>,
) -> impl IntoView {
    let i18n = use_i18n();
    let suggested = Memo::new(move |_| {
        question.with(|question| {
            entries.with(|entries| {
                suggest_answers(entries, question, SUGGESTED)
                    .into_iter()
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <Show when=move || !suggested.with(Vec::is_empty)>
            <section class="answer-suggestions" aria-live="polite">
                <h2>{t!(i18n, suggested_answers)}</h2>
                <ul>
                    <For each=move || suggested.get() key=|entry| entry.id let:entry>
                        <li data-testid="answer-suggestion">
                            <div>
                                <strong>{entry.title.clone()}</strong>
                                <p>{entry.body.clone()}</p>
                            </div>
                            <button
                                type="button"
                                data-testid="use-answer"
                                on:click={
                                    let entry = entry.clone();
                                    move |_| on_use.run(entry.clone())
                                }
                            >
                                {t!(i18n, use_answer)}
                            </button>
                        </li>
                    </For>
                </ul>
            </section>
        </Show>
    }
}
