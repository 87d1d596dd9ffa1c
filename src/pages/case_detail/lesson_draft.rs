//! A resolved complaint's lesson for the knowledge base (seed 000 §10.4 总结经验, 纳入知识库): one
//! tap turns what the script registered (the problem, the solution, the result) into a draft
//! standard answer of the team, linked to the complaint. A lead approves it on the knowledge
//! page before it is offered to anyone; the server refuses an agent's entry that is not a draft.

use crate::i18n::{localized, t, use_i18n};
use crate::session::{may_make, use_session};
use crate::store::use_store;
use crate::sync::use_sync;
use chrono::Utc;
use kefu_core::kinds::case::Case;
use kefu_core::kinds::case::script_steps::steps_done;
use kefu_core::kinds::knowledge::{KnowledgeKind, NewKnowledge, check_knowledge_field, field};
use kefu_core::record::{Record, RecordType};
use kefu_core::sync::Op;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

/// The inquiry category a lesson is filed under until a lead moves it.
const LESSON_GROUP: &str = "other";

#[component]
pub fn LessonDraft(record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let store = use_store();
    let sync = use_sync();
    let drafted = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let draft = move |_| {
        let (Some(user), Some(existing)) = (session.user_now(), record.get_untracked()) else {
            return;
        };
        let Some(case) = Case::from_record(&existing) else {
            return;
        };
        // What the script registered, as the answer's text.
        let body = steps_done(&existing)
            .into_iter()
            .flat_map(|(step, _)| {
                ["problem", "solution", "result"]
                    .into_iter()
                    .filter_map(move |id| {
                        step.values
                            .get(id)
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                    })
            })
            .collect::<Vec<_>>()
            .join("\n");
        let mut fields = NewKnowledge {
            kind: KnowledgeKind::Answer,
            title: case.title.clone(),
            body,
            group: LESSON_GROUP.to_owned(),
            personal: false,
        }
        .fields();
        fields.insert(field::DRAFT.to_owned(), json!(true));
        fields.insert(field::FROM_CASE.to_owned(), json!(case.id));
        let refused = fields
            .iter()
            .find_map(|(name, value)| check_knowledge_field(name, value).err())
            .map(|invalid| invalid.message())
            .or_else(|| {
                may_make(
                    &user,
                    RecordType::Knowledge,
                    None,
                    Op::Create {
                        fields: fields.clone(),
                    },
                )
                .err()
                .map(|denied| denied.message())
            });
        if let Some(message) = refused {
            error.set(Some(localized(i18n, &message)));
            return;
        }
        let store = store.store();
        spawn_local(async move {
            match store
                .create(RecordType::Knowledge, fields, &user, Utc::now())
                .await
            {
                Ok(_) => {
                    drafted.set(true);
                    error.set(None);
                    sync.after_local_write();
                }
                Err(store_error) => error.set(Some(store_error.to_string())),
            }
        });
    };
    view! {
        <div class="lesson">
            <Show
                when=move || drafted.get()
                fallback=move || view! {
                    <button type="button" data-testid="lesson-draft" on:click=draft>{t!(i18n, lesson_draft)}</button>
                }
            >
                <p class="tag eligible" data-testid="lesson-drafted">{t!(i18n, lesson_drafted)}</p>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="lesson-error">{move || error.get()}</p>
            </Show>
        </div>
    }
}
