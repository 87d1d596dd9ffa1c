//! The banned-phrase check as the agent types (服务禁语, seed 001 §14): each phrase found in
//! a text a customer may read is shown with the policy's polite alternative, which one tap
//! puts in its place. Saving stays possible; the server records the incident.

use crate::i18n::{t, use_i18n};
use crate::policy::use_policy;
use leptos::prelude::*;

/// One phrase found: where (in bytes of the text), what, and what to say instead.
#[derive(Debug, Clone, PartialEq)]
struct Found {
    start: usize,
    end: usize,
    phrase: String,
    alternative: String,
}

#[component]
pub fn BannedPhraseHint(
    text: RwSignal<String>,
    #[prop(into)] on_change: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let found = Memo::new(move |_| {
        policy.banned_phrases.with(|checker| {
            let Some(checker) = checker else {
                return Vec::new();
            };
            text.with(|text| {
                checker
                    .find(text)
                    .into_iter()
                    .map(|found| Found {
                        start: found.bytes.start,
                        end: found.bytes.end,
                        phrase: found.phrase.to_owned(),
                        alternative: found.alternative.to_owned(),
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    // The text with each match marked, as the agent will send it.
    let preview = move || {
        let text = text.get();
        let mut parts = Vec::new();
        let mut at = 0;
        for found in found.get() {
            parts.push(text[at..found.start].to_owned().into_any());
            let marked = text[found.start..found.end].to_owned();
            parts.push(view! { <mark>{marked}</mark> }.into_any());
            at = found.end;
        }
        parts.push(text[at..].to_owned().into_any());
        parts
    };
    let replace = move |found: Found| {
        let mut replaced = text.get_untracked();
        if replaced.get(found.start..found.end).is_some() {
            replaced.replace_range(found.start..found.end, &found.alternative);
            on_change.run(replaced);
        }
    };

    view! {
        <Show when=move || !found.with(Vec::is_empty)>
            <div class="banned-phrases" role="status" data-testid="banned-phrases">
                <p class="warning">{t!(i18n, banned_phrase_found)}</p>
                <p class="preview" data-testid="banned-phrase-preview">{preview}</p>
                <ul>
                    <For each=move || found.get() key=|found| (found.start, found.phrase.clone()) let:found>
                        <li data-testid="banned-phrase">
                            <span class="phrase">"“"{found.phrase.clone()}"”"</span>
                            " → "
                            <span class="alternative" data-testid="banned-phrase-alternative">
                                {found.alternative.clone()}
                            </span>
                            <button
                                type="button"
                                data-testid="use-alternative"
                                on:click={
                                    let found = found.clone();
                                    move |_| replace(found.clone())
                                }
                            >
                                {t!(i18n, use_alternative)}
                            </button>
                        </li>
                    </For>
                </ul>
            </div>
        </Show>
    }
}
