//! Pinning a case (置顶, seed 002 接待): a matter that cannot be solved now is pinned with the
//! time and the rough method agreed with the customer, and put on the problem list if the
//! agent says so; the pinned case then leads every shift's pinned list until someone unpins
//! it, saying how it was solved. Kept on the device first, like every entry.

use super::timeline_entry::{TimelineEntry, case_part, may_add};
use crate::components::promise_tag::PromiseTag;
use crate::drafts::use_text_draft;
use crate::i18n::{localized, t, use_i18n};
use crate::session::use_session;
use crate::store::use_store;
use crate::sync::use_sync;
use chrono::{Duration, Local, NaiveDateTime, TimeZone, Utc};
use kefu_core::kinds::case::inquiry::field::PROBLEM;
use kefu_core::kinds::case::pin::{PinPlan, Unpin, check_pin_change, event};
use kefu_core::lang::Bilingual;
use kefu_core::record::Record;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

const LOCAL_INPUT: &str = "%Y-%m-%dT%H:%M";

#[component]
pub fn PinPanel(record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let open_pin = case_part(record, |case| case.pin);
    let on_problem_list = case_part(record, |case| case.problem);
    let may_pin = may_add(record, event::PINNED);
    let may_unpin = may_add(record, event::UNPINNED);
    // Tomorrow at this hour, as the date box shows it: the agent changes it to what was agreed.
    let resolve_by = RwSignal::new(
        (Local::now() + Duration::days(1))
            .format(LOCAL_INPUT)
            .to_string(),
    );
    let case = record.with_untracked(|record| record.as_ref().map(|record| record.id));
    let draft = |part: &str| use_text_draft(format!("pin-{part}:{}", case.unwrap_or_default()));
    let method = draft("method");
    let how = draft("how");
    let to_problem_list = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let entry = TimelineEntry::new(error);
    let (store, session, sync) = (use_store(), use_session(), use_sync());
    let append = move |kind: &'static str, data: Value, done: Box<dyn Fn()>| {
        let check =
            |existing: &Record, op: &kefu_core::sync::Op| check_pin_change(Some(existing), op);
        entry.append_checked(record, kind, data, check, done);
    };
    // The problem list is a field of the case (客户问题记录表): set after the pin is kept, over
    // the version shown.
    let put_on_problem_list = move || {
        let (Some(shown), Some(user)) = (record.get_untracked(), session.user_now()) else {
            return;
        };
        let supersedes = shown
            .fields
            .get(PROBLEM)
            .map(|field| field.version_ids())
            .unwrap_or_default();
        let store = store.store();
        spawn_local(async move {
            let kept = store
                .set_field(
                    shown.id,
                    PROBLEM,
                    json!(true),
                    supersedes,
                    &user,
                    Utc::now(),
                )
                .await;
            match kept {
                Ok(_) => sync.after_local_write(),
                Err(store_error) => error.set(Some(store_error.to_string())),
            }
        });
    };
    let pin = move |_| {
        let Some(due) = NaiveDateTime::parse_from_str(&resolve_by.get_untracked(), LOCAL_INPUT)
            .ok()
            .and_then(|local| Local.from_local_datetime(&local).single())
        else {
            error.set(Some(localized(
                i18n,
                &Bilingual::new("请填写约定的解决时间", "Please give the time agreed"),
            )));
            return;
        };
        let plan = PinPlan {
            resolve_by: due.with_timezone(&Utc),
            method: method.get_untracked().trim().to_owned(),
        };
        let also_problem = to_problem_list.get_untracked() && !on_problem_list.get_untracked();
        append(
            event::PINNED,
            json!(plan),
            Box::new(move || {
                method.set(String::new());
                to_problem_list.set(false);
                if also_problem {
                    put_on_problem_list();
                }
            }),
        );
    };
    let unpin = move |_| {
        let Some(open) = open_pin.get_untracked() else {
            return;
        };
        let unpin = Unpin {
            pin: open.id,
            how: how.get_untracked().trim().to_owned(),
        };
        append(
            event::UNPINNED,
            json!(unpin),
            Box::new(move || how.set(String::new())),
        );
    };

    view! {
        <section class="pin" data-testid="pin-panel">
            <h2>{t!(i18n, pin_title)}</h2>
            {move || match open_pin.get() {
                Some(open) => view! {
                    <div class="pinned" data-testid="pinned-now">
                        <p>
                            <PromiseTag due=open.plan.resolve_by />
                            " " <span data-testid="pin-method">{open.plan.method.clone()}</span>
                        </p>
                        <p class="muted">{t!(i18n, pin_by)} " " {open.by.clone()}</p>
                        <Show when=move || may_unpin.get()>
                            <div class="form-row">
                                <label>
                                    {t!(i18n, pin_how)}
                                    <input data-testid="pin-how" prop:value=how on:input=move |ev| how.set(event_target_value(&ev)) />
                                </label>
                                <button type="button" data-testid="unpin" on:click=unpin>{t!(i18n, pin_unpin)}</button>
                            </div>
                        </Show>
                    </div>
                }
                .into_any(),
                None => view! {
                    <Show when=move || may_pin.get()>
                        <div class="situation-form" data-testid="pin-form">
                            <label>
                                {t!(i18n, pin_resolve_by)}
                                <input type="datetime-local" data-testid="pin-resolve-by" prop:value=resolve_by on:input=move |ev| resolve_by.set(event_target_value(&ev)) />
                            </label>
                            <label>
                                {t!(i18n, pin_method)}
                                <textarea data-testid="pin-method-input" prop:value=method on:input=move |ev| method.set(event_target_value(&ev))></textarea>
                            </label>
                            <Show when=move || !on_problem_list.get()>
                                <label class="check">
                                    <input type="checkbox" data-testid="pin-problem" prop:checked=to_problem_list on:change=move |ev| to_problem_list.set(event_target_checked(&ev)) />
                                    {t!(i18n, pin_problem_list)}
                                </label>
                            </Show>
                            <button type="button" class="primary" data-testid="pin" on:click=pin>{t!(i18n, pin_pin)}</button>
                        </div>
                    </Show>
                }
                .into_any(),
            }}
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="pin-error">{move || error.get()}</p>
            </Show>
        </section>
    }
}
