//! The shift page (交接班, seed 002 接待): what a shift reads first. The handovers written for
//! this user, to acknowledge; the team's pinned cases, overdue ones red and first; a handover
//! to write for the next shift, with the open pins and the replies owed listed for it; and the
//! recent handovers with who has acknowledged each, for the lead. Read from and written to the
//! device database, so all of it works offline.

mod handover_card;
mod handover_form;
mod pinned_list;

use crate::clock::use_clock;
use crate::i18n::{t, use_i18n};
use crate::records::use_records;
use crate::session::use_session;
use handover_card::HandoverCard;
use handover_form::HandoverForm;
use kefu_core::kinds::handover::{Handover, handovers};
use kefu_core::record::RecordType;
use leptos::prelude::*;
use pinned_list::PinnedList;

/// How many of the latest handovers the page lists beside those waiting.
const RECENT_HANDOVERS: usize = 10;

#[component]
pub fn ShiftPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let clock = use_clock();
    let all = use_records(RecordType::Handover, |records| handovers(&records));
    let listed = move |waiting: bool| {
        let username = session.username();
        let now = clock.now.get();
        all.get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|handover: &Handover| handover.waits_for(&username, now) == waiting)
            .take(if waiting {
                usize::MAX
            } else {
                RECENT_HANDOVERS
            })
            .collect::<Vec<_>>()
    };

    view! {
        <section class="page shift" data-testid="shift-page">
            <h1>{t!(i18n, shift_title)}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <section data-testid="handovers-waiting">
                    <h2>{t!(i18n, shift_handovers_waiting)}</h2>
                    {move || {
                        let waiting = listed(true);
                        if waiting.is_empty() {
                            view! { <p class="empty">{t!(i18n, shift_no_handover_waiting)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="cards">
                                    {waiting.into_iter().map(|handover| view! { <HandoverCard handover=handover waiting=true /> }).collect_view()}
                                </ul>
                            }
                            .into_any()
                        }
                    }}
                </section>
            </Transition>
            <PinnedList />
            <HandoverForm />
            <Transition fallback=|| ()>
                <section data-testid="handovers-recent">
                    <h2>{t!(i18n, shift_handovers_recent)}</h2>
                    <ul class="cards">
                        {move || listed(false).into_iter().map(|handover| view! { <HandoverCard handover=handover waiting=false /> }).collect_view()}
                    </ul>
                </section>
            </Transition>
        </section>
    }
}
