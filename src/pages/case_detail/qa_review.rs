//! QA reviews on a case (质检, seed 001 §14): QA scores the agent's work against the policy's
//! score sheet, each item marked 0–5 with a comment, and the score out of 100 follows from the
//! sheet's weights; the agent reviewed reads it here and may reply once. Only what the server
//! sent this user is shown: a colleague's device never holds another agent's reviews.

use super::timeline_entry::{TimelineEntry, may_add};
use crate::i18n::{localized, t, use_i18n};
use crate::policy::use_policy;
use crate::session::use_session;
use chrono::Local;
use kefu_core::kinds::case::qa_review::{
    ITEM_MARK_MAX, ItemMark, Reply, Review, ShownReview, check_review_change, event, reviews,
};
use kefu_core::kinds::case::{Case, notes};
use kefu_core::policy::ScoreItem;
use kefu_core::record::Record;
use leptos::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;

/// The marks an item may get, lowest first.
fn marks() -> Vec<u8> {
    (0..=ITEM_MARK_MAX).collect()
}

/// Whose work the case shows: its owner first, then whoever else wrote a note on it.
fn agents_on(record: &Record) -> Vec<String> {
    let mut agents: Vec<String> = Case::from_record(record)
        .map(|case| vec![case.owner])
        .unwrap_or_default();
    for note in notes(record) {
        if !agents.contains(&note.author) {
            agents.push(note.author);
        }
    }
    agents
}

#[component]
pub fn QaPanel(record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let session = use_session();
    let may_review = may_add(record, event::QA_REVIEW);
    let shown =
        Memo::new(move |_| record.with(|record| record.as_ref().map(reviews).unwrap_or_default()));
    let sheet = Memo::new(move |_| {
        policy.desk.with(|desk| {
            desk.as_ref()
                .map(|desk| desk.qa_score_sheet.clone())
                .unwrap_or_default()
        })
    });
    let agents = Memo::new(move |_| {
        record.with(|record| record.as_ref().map(agents_on).unwrap_or_default())
    });
    let agent = RwSignal::new(None::<String>);
    let chosen_agent = move || {
        agent
            .get()
            .or_else(|| agents.get().first().cloned())
            .unwrap_or_default()
    };
    // Each item's mark and comment, by the item's id.
    let item_marks =
        RwSignal::new(std::collections::BTreeMap::<String, (Option<u8>, String)>::new());
    let comment = RwSignal::new(String::new());
    let reply_text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let entry = TimelineEntry::new(error);
    let append = move |kind: &'static str, data: Value, done: Box<dyn Fn()>| {
        let (Some(user), sheet) = (session.user_now(), sheet.get_untracked()) else {
            return;
        };
        let check = move |existing: &Record, op: &kefu_core::sync::Op| {
            check_review_change(&sheet, &user, Some(existing), op)
        };
        entry.append_checked(record, kind, data, check, done);
    };
    let save = move |_| {
        let marked = item_marks.get_untracked();
        // An unmarked item is left out, so the shared check names it.
        let items = sheet
            .get_untracked()
            .iter()
            .filter_map(|item| {
                let (mark, comment) = marked.get(&item.id)?;
                Some(ItemMark {
                    item: item.id.clone(),
                    weight: item.weight,
                    mark: (*mark)?,
                    comment: comment.trim().to_owned(),
                })
            })
            .collect();
        let review = Review {
            agent: chosen_agent(),
            items,
            comment: comment.get_untracked().trim().to_owned(),
        };
        append(
            event::QA_REVIEW,
            json!(review),
            Box::new(move || {
                item_marks.set(Default::default());
                comment.set(String::new());
            }),
        );
    };
    let reply = move |review: Uuid| {
        let reply = Reply {
            review,
            text: reply_text.get_untracked().trim().to_owned(),
        };
        append(
            event::QA_REPLY,
            json!(reply),
            Box::new(move || reply_text.set(String::new())),
        );
    };
    let item_row = move |item: ScoreItem| {
        let id = item.id.clone();
        let id_for_mark = id.clone();
        let id_for_comment = id.clone();
        let id_for_text = id.clone();
        let comment_text = move || {
            item_marks.with(|marks| {
                marks
                    .get(&id_for_text)
                    .map(|(_, text)| text.clone())
                    .unwrap_or_default()
            })
        };
        let mark_of =
            move |id: &str| item_marks.with(|marks| marks.get(id).and_then(|(mark, _)| *mark));
        view! {
            <fieldset class="chips qa-item" data-testid="qa-item" data-item=id.clone()>
                <legend>{localized(i18n, &item.name())} " (" {item.weight} ")"</legend>
                <p class="muted">{localized(i18n, &item.guidance())}</p>
                <div class="chip-row">
                    {marks()
                        .into_iter()
                        .map(|mark| {
                            let id = id_for_mark.clone();
                            let id_selected = id.clone();
                            let selected = Signal::derive(move || mark_of(&id_selected) == Some(mark));
                            view! {
                                <button
                                    type="button"
                                    class="chip"
                                    class:selected=selected
                                    aria-pressed=move || selected.get().to_string()
                                    data-testid=format!("qa-mark-{mark}")
                                    on:click=move |_| item_marks.update(|marks| marks.entry(id.clone()).or_default().0 = Some(mark))
                                >
                                    {mark}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                <label>
                    {t!(i18n, qa_item_comment)}
                    <input
                        data-testid="qa-item-comment"
                        prop:value=comment_text
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            item_marks.update(|marks| marks.entry(id_for_comment.clone()).or_default().1 = text);
                        }
                    />
                </label>
            </fieldset>
        }
    };
    let review_view = move |shown: ShownReview| {
        let at = shown
            .at
            .with_timezone(&Local)
            .format("%m-%d %H:%M")
            .to_string();
        let sheet_now = sheet.get_untracked();
        let name_of = move |id: &str| {
            sheet_now
                .iter()
                .find(|item| item.id == id)
                .map(|item| localized(i18n, &item.name()))
                .unwrap_or_else(|| id.to_owned())
        };
        let mine = session
            .user_now()
            .is_some_and(|user| user.username == shown.review.agent);
        let may_reply = mine && shown.reply.is_none();
        let id = shown.id;
        view! {
            <li class="card" data-testid="qa-review">
                <p class="card-meta">
                    <strong data-testid="qa-score">{shown.review.score()} " / 100"</strong>
                    <span>{t!(i18n, qa_agent)} " " {shown.review.agent.clone()}</span>
                    <span>{shown.by.clone()}</span>
                    <span>{at}</span>
                </p>
                <ul class="handed">
                    {shown.review.items.iter().map(|item| view! {
                        <li>{name_of(&item.item)} " " {item.mark} "/" {ITEM_MARK_MAX} " " {item.comment.clone()}</li>
                    }).collect_view()}
                </ul>
                <p class="note-body" data-testid="qa-comment">{shown.review.comment.clone()}</p>
                {shown.reply.map(|(text, _)| view! { <p data-testid="qa-reply"><strong>{t!(i18n, qa_reply)}</strong> " " {text}</p> })}
                <Show when=move || may_reply>
                    <div class="form-row">
                        <label>
                            {t!(i18n, qa_reply)}
                            <input data-testid="qa-reply-input" prop:value=reply_text on:input=move |ev| reply_text.set(event_target_value(&ev)) />
                        </label>
                        <button type="button" data-testid="qa-reply-send" on:click=move |_| reply(id)>{t!(i18n, qa_reply_send)}</button>
                    </div>
                </Show>
            </li>
        }
    };

    view! {
        <Show when=move || may_review.get() || !shown.with(Vec::is_empty)>
            <section class="qa" data-testid="qa-panel">
                <h2>{t!(i18n, qa_title)}</h2>
                <ul class="cards" data-testid="qa-reviews">
                    {move || shown.get().into_iter().map(review_view).collect_view()}
                </ul>
                <Show when=move || may_review.get()>
                    <div class="situation-form" data-testid="qa-form">
                        <label>
                            {t!(i18n, qa_agent)}
                            <select data-testid="qa-agent" on:change=move |ev| agent.set(Some(event_target_value(&ev)))>
                                {move || agents.get().into_iter().map(|name| {
                                    let selected = name == chosen_agent();
                                    view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        {move || sheet.get().into_iter().map(item_row).collect_view()}
                        <label>
                            {t!(i18n, qa_comment)}
                            <textarea data-testid="qa-comment-input" prop:value=comment on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                        </label>
                        <button type="button" class="primary" data-testid="qa-save" on:click=save>{t!(i18n, qa_save)}</button>
                    </div>
                </Show>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="qa-error">{move || error.get()}</p>
                </Show>
            </section>
        </Show>
    }
}
