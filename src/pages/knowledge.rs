//! The knowledge base (知识库) and quick phrases (快捷短语), seed 000 §4.6, §11; seed 002: the
//! standard answers by inquiry category and the phrases by moment, the shop's, the team's and
//! the user's own, searched as typed. Team entries are added and edited by team leads, personal
//! ones by whoever made them (the server decides; this page offers only what it will accept).
//! From the device database, so it works offline.

mod entry_form;

use crate::components::chip_group::ChipGroup;
use crate::components::error_fallback::error_fallback;
use crate::i18n::{localized, t, t_string, use_i18n};
use crate::policy::use_policy;
use crate::records::use_records;
use crate::session::{may_make, use_session};
use crate::store::{FieldEdit, StoreError, use_store};
use crate::sync::use_sync;
use chrono::Utc;
use entry_form::EntryForm;
use kefu_core::kinds::knowledge::{
    Knowledge, KnowledgeKind, PHRASE_GROUPS, field, knowledge_matches,
};
use kefu_core::lang::Bilingual;
use kefu_core::record::{Record, RecordType, SHARED_TEAM};
use kefu_core::sync::Op;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A group's name: an inquiry category of the policy for answers, a moment for phrases.
fn group_name(
    kind: KnowledgeKind,
    group: &str,
    categories: &[kefu_core::policy::Label],
) -> Bilingual {
    let found = match kind {
        KnowledgeKind::Answer => categories
            .iter()
            .find(|label| label.id == group)
            .map(|label| label.name()),
        KnowledgeKind::Phrase => PHRASE_GROUPS
            .iter()
            .find(|(id, _, _)| *id == group)
            .map(|(_, zh, en)| Bilingual::new(*zh, *en)),
    };
    found.unwrap_or_else(|| Bilingual::new(group, group))
}

#[component]
pub fn KnowledgeBase() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let policy = use_policy();
    let kind = RwSignal::new(KnowledgeKind::Answer);
    let query = RwSignal::new(String::new());
    // `Some(None)` while a new entry is written.
    let editing = RwSignal::new(None::<Option<Uuid>>);
    let edited = RwSignal::new(None::<Record>);
    let entries = use_records(RecordType::Knowledge, |records| {
        records
            .into_iter()
            .filter_map(|record| Some((Knowledge::from_record(&record)?, record)))
            .collect::<Vec<_>>()
    });
    let may_edit = move |record: &Record| {
        let probe = Op::Set {
            field: kefu_core::kinds::knowledge::field::BODY.to_owned(),
            value: serde_json::Value::Null,
            supersedes: Vec::new(),
        };
        session
            .user()
            .is_some_and(|user| may_make(&user, RecordType::Knowledge, Some(record), probe).is_ok())
    };
    let may_add = move || {
        session
            .user()
            .is_some_and(|user| user.role != kefu_core::account::Role::Qa)
    };

    view! {
        <section class="page knowledge">
            <h1>{t!(i18n, knowledge_title)}</h1>
            <div class="toolbar">
                <input
                    type="search"
                    data-testid="knowledge-search"
                    aria-label=move || t_string!(i18n, phrase_search)
                    placeholder=move || t_string!(i18n, phrase_search)
                    prop:value=query
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <Show when=may_add>
                    <button
                        type="button"
                        class="primary"
                        data-testid="add-knowledge"
                        on:click=move |_| editing.set(Some(None))
                    >
                        {t!(i18n, add_knowledge)}
                    </button>
                </Show>
            </div>
            <ChipGroup
                legend=move || t!(i18n, knowledge_kind)
                testid="knowledge-kinds"
                options=|| KnowledgeKind::ALL.to_vec()
                selected=move || kind.get()
                label=move |each: &KnowledgeKind| match each {
                    KnowledgeKind::Answer => t_string!(i18n, knowledge_answers).to_string(),
                    KnowledgeKind::Phrase => t_string!(i18n, knowledge_phrases).to_string(),
                }
                chip_testid=|each: &KnowledgeKind| format!("knowledge-kind-{}", each.as_str())
                on_choose=move |each: KnowledgeKind| kind.set(each)
            />
            <Show when=move || editing.get() == Some(None)>
                <EntryForm existing=None on_done=move |()| editing.set(None) />
            </Show>
            // An entry being edited, as it was when its edit began: outside the list, so a sync
            // that refreshes the list never rebuilds the form under the typing.
            {move || {
                edited
                    .get()
                    .map(|record| view! { <EntryForm existing=Some(record) on_done=move |()| edited.set(None) /> })
            }}
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let all = entries.await?;
                        let me = session.username();
                        let shown_kind = kind.get();
                        let query = query.get();
                        let categories = policy
                            .desk
                            .with(|desk| desk.as_ref().map(|desk| desk.inquiry_categories.clone()))
                            .unwrap_or_default();
                        // Grouped, in the policy's (or the moments') order, then by title.
                        let order = |group: &str| match shown_kind {
                            KnowledgeKind::Answer => categories.iter().position(|label| label.id == group),
                            KnowledgeKind::Phrase => PHRASE_GROUPS.iter().position(|(id, _, _)| *id == group),
                        }
                        .unwrap_or(usize::MAX);
                        let mut groups: BTreeMap<(usize, String), Vec<(Knowledge, Record)>> = BTreeMap::new();
                        for (entry, record) in all {
                            let mine_or_shared = !entry.personal || entry.owner == me;
                            if entry.kind == shown_kind && mine_or_shared && knowledge_matches(&entry, &query) {
                                groups.entry((order(&entry.group), entry.group.clone())).or_default().push((entry, record));
                            }
                        }
                        let empty = groups.is_empty();
                        Ok::<_, StoreError>(view! {
                            <Show when=move || empty>
                                <p class="empty">{t!(i18n, no_knowledge)}</p>
                            </Show>
                            {groups
                                .into_iter()
                                .map(|((_, group), mut entries)| {
                                    entries.sort_by(|a, b| a.0.title.cmp(&b.0.title));
                                    let name = group_name(shown_kind, &group, &categories);
                                    view! {
                                        <section class="knowledge-group" data-testid="knowledge-group">
                                            <h2>{move || localized(i18n, &name)}</h2>
                                            <ul class="cards">
                                                {entries
                                                    .into_iter()
                                                    .map(|(entry, record)| {
                                                        let editable = may_edit(&record);
                                                        view! { <EntryCard entry=entry record=record editable=editable edited=edited /> }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        </section>
                                    }
                                })
                                .collect_view()}
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn EntryCard(
    entry: Knowledge,
    record: Record,
    editable: bool,
    edited: RwSignal<Option<Record>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let scope = if entry.team == SHARED_TEAM {
        t_string!(i18n, scope_shop)
    } else if entry.personal {
        t_string!(i18n, scope_personal)
    } else {
        t_string!(i18n, scope_team)
    };
    let recurrences = entry.recurrences;
    let draft = entry.draft;
    let session = use_session();
    let store = use_store();
    let sync = use_sync();
    // A lead approves a lesson an agent drew from a complaint: from then on it is offered.
    let approve = {
        let record = record.clone();
        move |_| {
            let Some(user) = session.user_now() else {
                return;
            };
            let edits = vec![FieldEdit::over(&record, field::DRAFT, json!(false))];
            let (store, id) = (store.store(), record.id);
            spawn_local(async move {
                if store.set_fields(id, edits, &user, Utc::now()).await.is_ok() {
                    sync.after_local_write();
                }
            });
        }
    };
    view! {
        <li class="card" data-testid="knowledge-entry" data-draft=draft.to_string()>
            <div class="card-head">
                <strong class="title" data-testid="knowledge-title">{entry.title}</strong>
                <span class="tag" data-testid="knowledge-scope">{scope}</span>
                <Show when=move || draft>
                    <span class="tag not-eligible" data-testid="knowledge-draft">{t!(i18n, knowledge_draft)}</span>
                </Show>
            </div>
            <p class="knowledge-body" data-testid="knowledge-body">{entry.body}</p>
            <div class="card-meta">
                <Show when=move || { recurrences > 0 }>
                    <span data-testid="knowledge-recurrences">
                        {t!(i18n, recurrence_count, count = recurrences)}
                    </span>
                </Show>
                <Show when=move || editable && draft>
                    <button type="button" class="primary" data-testid="approve-draft" on:click=approve.clone()>
                        {t!(i18n, approve_draft)}
                    </button>
                </Show>
                <Show when=move || editable>
                    <button type="button" data-testid="edit-knowledge" on:click={
                        let record = record.clone();
                        move |_| edited.set(Some(record.clone()))
                    }>
                        {t!(i18n, edit)}
                    </button>
                </Show>
            </div>
        </li>
    }
}
