//! Quick phrases and standard answers (快捷短语, seed 002; seed 000 §4.6) one tap away from a
//! text being written: the shop's, the team's and the user's own entries, searched as the
//! user types (Chinese by substring), all from the device database, so it works offline.

use crate::components::error_fallback::error_fallback;
use crate::i18n::{t, t_string, use_i18n};
use crate::records::use_records;
use crate::session::use_session;
use crate::store::StoreError;
use kefu_core::kinds::knowledge::{Knowledge, knowledge_matches};
use kefu_core::record::RecordType;
use leptos::prelude::*;

#[component]
pub fn PhrasePicker(#[prop(into)] on_pick: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let open = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let entries = use_records(RecordType::Knowledge, |records| {
        records
            .iter()
            .filter_map(Knowledge::from_record)
            // A lesson waiting for a lead's approval is offered nowhere yet.
            .filter(|entry| !entry.draft)
            .collect::<Vec<_>>()
    });

    view! {
        <div class="phrase-picker">
            <button
                type="button"
                data-testid="phrase-picker-toggle"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|open| *open = !*open)
            >
                {t!(i18n, quick_phrases)}
            </button>
            <Show when=move || open.get()>
                <div class="phrase-panel">
                    <input
                        type="search"
                        data-testid="phrase-search"
                        aria-label=move || t_string!(i18n, phrase_search)
                        placeholder=move || t_string!(i18n, phrase_search)
                        prop:value=query
                        on:input=move |ev| query.set(event_target_value(&ev))
                    />
                    <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                        <ErrorBoundary fallback=error_fallback>
                            {move || Suspend::new(async move {
                                let me = session.username();
                                let query = query.get();
                                let shown: Vec<Knowledge> = entries
                                    .await?
                                    .into_iter()
                                    .filter(|entry| !entry.personal || entry.owner == me)
                                    .filter(|entry| knowledge_matches(entry, &query))
                                    .collect();
                                Ok::<_, StoreError>(view! {
                                    <ul class="phrase-options">
                                        {shown
                                            .into_iter()
                                            .map(|entry| {
                                                let body = entry.body.clone();
                                                view! {
                                                    <li>
                                                        <button
                                                            type="button"
                                                            data-testid="phrase-option"
                                                            on:click=move |_| {
                                                                on_pick.run(body.clone());
                                                                open.set(false);
                                                            }
                                                        >
                                                            <strong>{entry.title}</strong>
                                                            <span>{entry.body}</span>
                                                        </button>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                })
                            })}
                        </ErrorBoundary>
                    </Transition>
                </div>
            </Show>
        </div>
    }
}
