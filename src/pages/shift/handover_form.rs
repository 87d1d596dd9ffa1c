//! Writing a handover for the next shift: a note (kept as a draft on every keystroke), the
//! shift it is for (the policy's next one by default), and the open pins and replies owed as
//! they stand, listed for the reader automatically. Kept on the device first; checked by the
//! same rules the server runs.

use crate::cases::use_cases;
use crate::drafts::use_text_draft;
use crate::i18n::{localized, t, use_i18n};
use crate::policy::use_policy;
use crate::records::create_checked;
use crate::session::use_session;
use crate::store::use_store;
use crate::sync::use_sync;
use chrono::{Local, Utc};
use kefu_core::kinds::handover::{NewHandover, check_handover_field};
use kefu_core::lang::Bilingual;
use kefu_core::record::RecordType;
use kefu_core::rules::shift::next_start;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn HandoverForm() -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let (store, session, sync) = (use_store(), use_session(), use_sync());
    let cases = use_cases();
    cases.watch();
    let note = use_text_draft("handover-note".to_owned());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    // The shifts as choices, and the next one to begin as the default.
    let shifts = move || {
        policy.desk.with(|desk| {
            desk.as_ref()
                .map(|desk| {
                    desk.working_hours
                        .shifts
                        .iter()
                        .map(|shift| {
                            (
                                shift.id.clone(),
                                localized(
                                    i18n,
                                    &Bilingual::new(shift.zh.clone(), shift.en.clone()),
                                ),
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let next_shift = move || {
        policy.desk.with(|desk| {
            let shifts = &desk.as_ref()?.working_hours.shifts;
            next_start(shifts, Local::now().naive_local()).map(|(shift, _)| shift.id.clone())
        })
    };
    let chosen = RwSignal::new(None::<String>);
    let shift = move || chosen.get().or_else(next_shift).unwrap_or_default();
    let draft = move || {
        let rows = cases.cases.get().unwrap_or_default();
        NewHandover::from_cases(&note.get(), &shift(), &rows, Utc::now())
    };
    // From the cases alone: typing the note does not list them again.
    let counts = Memo::new(move |_| {
        let rows = cases.cases.get().unwrap_or_default();
        let listed = NewHandover::from_cases("", "", &rows, Utc::now());
        (listed.pins.len(), listed.replies_owed.len())
    });
    let write = move |_| {
        let Some(user) = session.user_now() else {
            return;
        };
        let fields = draft().fields();
        let context = (store.store(), sync);
        spawn_local(async move {
            let created = create_checked(
                context,
                &user,
                RecordType::Handover,
                fields,
                check_handover_field,
            )
            .await;
            match created {
                Ok(_) => {
                    error.set(None);
                    note.set(String::new());
                    saved.set(true);
                }
                Err(message) => error.set(Some(localized(i18n, &message))),
            }
        });
    };
    view! {
        <section class="situation-form" data-testid="handover-form">
            <h2>{t!(i18n, shift_write_handover)}</h2>
            <label>
                {t!(i18n, shift_for)}
                <select data-testid="handover-shift" on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>
                    {move || {
                        let current = shift();
                        shifts()
                            .into_iter()
                            .map(|(id, name)| {
                                let selected = id == current;
                                view! { <option value=id selected=selected>{name}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            <label>
                {t!(i18n, shift_handover_note)}
                <textarea data-testid="handover-note-input" prop:value=note on:input=move |ev| {
                    saved.set(false);
                    note.set(event_target_value(&ev));
                }></textarea>
            </label>
            <p class="muted" data-testid="handover-lists">
                {move || {
                    let (pins, replies) = counts.get();
                    t!(i18n, shift_handover_lists, pins = pins, replies = replies)
                }}
            </p>
            <button type="button" class="primary" data-testid="write-handover" on:click=write>
                {t!(i18n, shift_hand_over)}
            </button>
            <Show when=move || saved.get()>
                <p class="saved" role="status" data-testid="handover-saved">{t!(i18n, shift_handover_saved)}</p>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="handover-error">{move || error.get()}</p>
            </Show>
        </section>
    }
}
