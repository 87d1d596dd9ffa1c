//! Adding or editing one knowledge entry: kind and scope (team or personal) when it is made,
//! then title, text and group. The text is what customers read, so it runs the banned-phrase
//! check as it is typed. An edit saves only the fields that changed, each naming the version
//! the user saw, so a colleague's concurrent edit is kept as a conflict, not overwritten.

use crate::components::banned_phrase_hint::BannedPhraseHint;
use crate::i18n::{localized, t, use_i18n};
use crate::policy::use_policy;
use crate::session::{may_make, use_session};
use crate::store::{FieldEdit, use_store};
use crate::sync::use_sync;
use chrono::Utc;
use kefu_core::kinds::knowledge::check_knowledge_field;
use kefu_core::kinds::knowledge::{KnowledgeKind, NewKnowledge, PHRASE_GROUPS, field, is_personal};
use kefu_core::lang::Bilingual;
use kefu_core::record::{Record, RecordType};
use kefu_core::sync::Op;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

#[component]
pub fn EntryForm(existing: Option<Record>, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let session = use_session();
    let policy = use_policy();
    let editing = existing.is_some();
    let text_of = |name: &str| {
        existing
            .as_ref()
            .map(|record| record.text(name))
            .unwrap_or_default()
    };
    let kind =
        RwSignal::new(KnowledgeKind::parse(&text_of(field::KIND)).unwrap_or(KnowledgeKind::Answer));
    let title = RwSignal::new(text_of(field::TITLE));
    let body = RwSignal::new(text_of(field::BODY));
    let group = RwSignal::new(text_of(field::GROUP));
    // Team entries are offered only to whoever the server lets keep them.
    let may_keep_team_entries = move || {
        session.user().is_some_and(|user| {
            let probe = NewKnowledge {
                kind: KnowledgeKind::Phrase,
                title: String::new(),
                body: String::new(),
                group: String::new(),
                personal: false,
            };
            may_make(
                &user,
                RecordType::Knowledge,
                None,
                Op::Create {
                    fields: probe.fields(),
                },
            )
            .is_ok()
        })
    };
    let personal = RwSignal::new(
        existing
            .as_ref()
            .map_or_else(|| !may_keep_team_entries(), is_personal),
    );
    let error = RwSignal::new(None::<String>);
    let groups = move || -> Vec<(String, Bilingual)> {
        match kind.get() {
            KnowledgeKind::Answer => policy.desk.with(|desk| {
                desk.as_ref()
                    .map(|desk| {
                        desk.inquiry_categories
                            .iter()
                            .map(|label| (label.id.clone(), label.name()))
                            .collect()
                    })
                    .unwrap_or_default()
            }),
            KnowledgeKind::Phrase => PHRASE_GROUPS
                .iter()
                .map(|(id, zh, en)| ((*id).to_owned(), Bilingual::new(*zh, *en)))
                .collect(),
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(user) = session.user_now() else {
            return;
        };
        let values = [
            (field::TITLE, json!(title.get_untracked().trim())),
            (field::BODY, json!(body.get_untracked().trim())),
            (field::GROUP, json!(group.get_untracked())),
        ];
        if let Some(invalid) = values
            .iter()
            .find_map(|(name, value)| check_knowledge_field(name, value).err())
        {
            error.set(Some(localized(i18n, &invalid.message())));
            return;
        }
        let store = store.store();
        let existing = existing.clone();
        match existing {
            None => {
                let new = NewKnowledge {
                    kind: kind.get_untracked(),
                    title: title.get_untracked().trim().to_owned(),
                    body: body.get_untracked().trim().to_owned(),
                    group: group.get_untracked(),
                    personal: personal.get_untracked(),
                };
                let fields = new.fields();
                if let Err(denied) = may_make(
                    &user,
                    RecordType::Knowledge,
                    None,
                    Op::Create {
                        fields: fields.clone(),
                    },
                ) {
                    error.set(Some(localized(i18n, &denied.message())));
                    return;
                }
                spawn_local(async move {
                    match store
                        .create(RecordType::Knowledge, fields, &user, Utc::now())
                        .await
                    {
                        Ok(_) => {
                            sync.after_local_write();
                            on_done.run(());
                        }
                        Err(store_error) => error.set(Some(store_error.to_string())),
                    }
                });
            }
            Some(record) => {
                let edits: Vec<FieldEdit> = values
                    .into_iter()
                    .filter(|(name, value)| record.value(name).unwrap_or(&Value::Null) != value)
                    .map(|(name, value)| FieldEdit::over(&record, name, value))
                    .collect();
                if edits.is_empty() {
                    on_done.run(());
                    return;
                }
                spawn_local(async move {
                    match store.set_fields(record.id, edits, &user, Utc::now()).await {
                        Ok(_) => {
                            sync.after_local_write();
                            on_done.run(());
                        }
                        Err(store_error) => error.set(Some(store_error.to_string())),
                    }
                });
            }
        }
    };

    view! {
        <form class="knowledge-form" data-testid="knowledge-form" on:submit=on_submit>
            <Show when=move || !editing>
                <fieldset class="chips">
                    <legend>{t!(i18n, knowledge_kind)}</legend>
                    <button
                        type="button"
                        class="chip"
                        class:selected=move || kind.get() == KnowledgeKind::Answer
                        aria-pressed=move || (kind.get() == KnowledgeKind::Answer).to_string()
                        data-testid="form-kind-answer"
                        on:click=move |_| {
                            kind.set(KnowledgeKind::Answer);
                            group.set(String::new());
                        }
                    >
                        {t!(i18n, knowledge_answer)}
                    </button>
                    <button
                        type="button"
                        class="chip"
                        class:selected=move || kind.get() == KnowledgeKind::Phrase
                        aria-pressed=move || (kind.get() == KnowledgeKind::Phrase).to_string()
                        data-testid="form-kind-phrase"
                        on:click=move |_| {
                            kind.set(KnowledgeKind::Phrase);
                            group.set(String::new());
                        }
                    >
                        {t!(i18n, knowledge_phrase)}
                    </button>
                </fieldset>
                <fieldset class="chips">
                    <legend>{t!(i18n, knowledge_scope)}</legend>
                    <Show when=may_keep_team_entries>
                        <button
                            type="button"
                            class="chip"
                            class:selected=move || !personal.get()
                            aria-pressed=move || (!personal.get()).to_string()
                            data-testid="scope-team"
                            on:click=move |_| personal.set(false)
                        >
                            {t!(i18n, scope_team)}
                        </button>
                    </Show>
                    <button
                        type="button"
                        class="chip"
                        class:selected=move || personal.get()
                        aria-pressed=move || personal.get().to_string()
                        data-testid="scope-personal"
                        on:click=move |_| personal.set(true)
                    >
                        {t!(i18n, scope_personal)}
                    </button>
                </fieldset>
            </Show>
            <label>
                {t!(i18n, knowledge_group)}
                <select
                    data-testid="knowledge-group-select"
                    prop:value=move || group.get()
                    on:change=move |ev| group.set(event_target_value(&ev))
                >
                    <option value="">{t!(i18n, choose)}</option>
                    {move || {
                        groups()
                            .into_iter()
                            .map(|(id, name)| {
                                let selected = group.get_untracked() == id;
                                view! { <option value=id selected=selected>{localized(i18n, &name)}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            <label>
                {t!(i18n, field_title)}
                <input
                    data-testid="knowledge-title-input"
                    prop:value=title
                    on:input=move |ev| title.set(event_target_value(&ev))
                />
            </label>
            <label>
                {t!(i18n, knowledge_text)}
                <textarea
                    rows="3"
                    data-testid="knowledge-body-input"
                    prop:value=body
                    on:input=move |ev| body.set(event_target_value(&ev))
                ></textarea>
            </label>
            <BannedPhraseHint text=body on_change=move |text: String| body.set(text) />
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="knowledge-error">{move || error.get()}</p>
            </Show>
            <div class="form-actions">
                <button type="button" on:click=move |_| on_done.run(())>{t!(i18n, cancel)}</button>
                <button type="submit" class="primary" data-testid="save-knowledge">{t!(i18n, save_edits)}</button>
            </div>
        </form>
    }
}
