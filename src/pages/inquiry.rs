//! The quick inquiry log (咨询登记, SPEC §1): channel, customer, order number, category,
//! question, answer and outcome on one screen, in the order an agent hears them. The cursor
//! starts in the customer search, Enter moves on, Ctrl+Enter saves from anywhere; after a save
//! the form is empty again (keeping the channel) for the next inquiry. Everything is saved
//! to the device first, so it works offline; the draft survives a reload.

mod answer_suggestions;
mod customer_picker;

use crate::cases::use_cases;
use crate::components::banned_phrase_hint::BannedPhraseHint;
use crate::components::chip_group::ChipGroup;
use crate::components::phrase_picker::PhrasePicker;
use crate::components::reply_promise_choice::ReplyPromiseChoice;
use crate::drafts;
use crate::i18n::{localized, t, use_i18n};
use crate::policy::{DeskPolicy, use_policy};
use crate::records::use_records;
use crate::routes::AppRoute;
use crate::session::{may_make, use_session};
use crate::store::{StoreError, use_store};
use crate::sync::use_sync;
use answer_suggestions::AnswerSuggestions;
use chrono::Utc;
use customer_picker::CustomerPicker;
use kefu_core::account::UserInfo;
use kefu_core::kinds::case::Case;
use kefu_core::kinds::case::inquiry::{InquiryOutcome, NewInquiry};
use kefu_core::kinds::customer::check_new_customer;
use kefu_core::kinds::customer::{Customer, NewCustomer};
use kefu_core::kinds::knowledge::{Knowledge, event as knowledge_event, recurrence_data};
use kefu_core::lang::Bilingual;
use kefu_core::policy::Label;
use kefu_core::record::RecordType;
use kefu_core::rules::working_hours::{ReplyPromise, WorkingClock};
use kefu_core::sync::Op;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use uuid::Uuid;

const DRAFT_KEY: &str = "inquiry";

/// Who the inquiry is from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum CustomerChoice {
    /// Not given (chat customers often stay anonymous).
    #[default]
    None,
    Existing(Customer),
    /// Added with this inquiry.
    New {
        name: String,
        phone: String,
    },
}

/// A standard answer used for this inquiry: saving records a recurrence on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct LinkedEntry {
    id: Uuid,
    title: String,
}

/// The form as typed, kept as the draft on every change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct InquiryForm {
    channel: String,
    customer: CustomerChoice,
    order_number: String,
    category: String,
    question: String,
    answer: String,
    outcome: InquiryOutcome,
    promise: ReplyPromise,
    linked: Option<LinkedEntry>,
    /// Flagged for the problem record list.
    #[serde(default)]
    problem: bool,
}

impl Default for InquiryForm {
    fn default() -> Self {
        InquiryForm {
            channel: String::new(),
            customer: CustomerChoice::None,
            order_number: String::new(),
            category: String::new(),
            question: String::new(),
            answer: String::new(),
            // Most inquiries are answered on the spot: no tap needed for those.
            outcome: InquiryOutcome::Answered,
            promise: ReplyPromise::HalfWorkingDay,
            linked: None,
            problem: false,
        }
    }
}

impl InquiryForm {
    /// The form left for the next inquiry: empty, on the same channel (an agent works one
    /// channel at a time).
    fn next(&self) -> InquiryForm {
        InquiryForm {
            channel: self.channel.clone(),
            ..InquiryForm::default()
        }
    }
}

#[component]
pub fn Inquiry() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let session = use_session();
    let policy = use_policy();
    let form = drafts::use_draft::<InquiryForm>(DRAFT_KEY);
    // The answer has its own signal: the banned-phrase hint reads and rewrites it.
    let answer = RwSignal::new(form.with_untracked(|form| form.answer.clone()));
    Effect::new(move |_| {
        let text = answer.get();
        form.update(|form| form.answer = text);
    });
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<Uuid>);

    let customers = use_records(RecordType::Customer, |records| {
        records
            .iter()
            .filter_map(Customer::from_record)
            .collect::<Vec<_>>()
    });
    let cases = use_cases();
    cases.watch();
    let entries = use_records(RecordType::Knowledge, |records| {
        records
            .iter()
            .filter_map(Knowledge::from_record)
            .collect::<Vec<_>>()
    });
    let customer_list =
        Signal::derive(move || customers.get().and_then(Result::ok).unwrap_or_default());
    let case_list: Signal<Arc<Vec<Arc<Case>>>> =
        Signal::derive(move || cases.cases.get().unwrap_or_default());
    let me = move || session.username();
    let entry_list = Signal::derive(move || {
        let me = me();
        entries
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|entry| !entry.personal || entry.owner == me)
            .collect::<Vec<_>>()
    });
    // The channel and category chips: the ids of one of the policy's lists, and an id's name
    // in the user's language (none until the first sync brings the policy).
    let label_ids = move |list: fn(&DeskPolicy) -> &Vec<Label>| {
        policy.desk.with(|desk| {
            desk.as_ref()
                .map(|desk| list(desk).iter().map(|label| label.id.clone()).collect())
                .unwrap_or_default()
        })
    };
    let label_name = move |list: fn(&DeskPolicy) -> &Vec<Label>, id: &str| {
        policy.desk.with(|desk| {
            desk.as_ref()
                .and_then(|desk| list(desk).iter().find(|label| label.id == id))
                .map(|label| localized(i18n, &label.name()))
                .unwrap_or_default()
        })
    };
    // No channel yet (a first inquiry): the policy's first, usually the phone.
    Effect::new(move |_| {
        let first = policy.desk.with(|desk| {
            desk.as_ref()
                .and_then(|desk| desk.channels.first().map(|channel| channel.id.clone()))
        });
        if let Some(first) = first
            && form.with_untracked(|form| form.channel.is_empty())
        {
            form.update(|form| form.channel = first);
        }
    });

    let customer_ref = NodeRef::<html::Input>::new();
    let order_ref = NodeRef::<html::Input>::new();
    let category_ref = NodeRef::<html::Div>::new();
    let question_ref = NodeRef::<html::Textarea>::new();
    let answer_ref = NodeRef::<html::Textarea>::new();
    let save_ref = NodeRef::<html::Button>::new();
    // The cursor starts in the customer search, and returns there whenever it reappears
    // (after a save, or "change customer"); `autofocus` acts only on a page's first load.
    Effect::new(move |_| {
        if let Some(input) = customer_ref.get() {
            let _ = input.focus();
        }
    });
    let focus_category = move || {
        // The selected chip, or the first: a chip group is one stop for the keyboard.
        if let Some(group) = category_ref.get_untracked() {
            let chip = group
                .query_selector("button.selected")
                .ok()
                .flatten()
                .or_else(|| group.query_selector("button").ok().flatten());
            if let Some(chip) = chip
                .and_then(|chip| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(chip).ok())
            {
                let _ = chip.focus();
            }
        }
    };
    /// Enter in a one-line field: move to the next field.
    fn enter_goes_to(ev: &leptos::ev::KeyboardEvent, next: impl FnOnce()) {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.ctrl_key() && !ev.meta_key() {
            ev.prevent_default();
            next();
        }
    }

    let save = move || {
        error.set(None);
        let Some(user) = session.user_now() else {
            return;
        };
        let typed = form.get_untracked();
        let now = Utc::now();
        let reply_due = typed
            .outcome
            .promises_reply()
            .then(|| {
                policy.desk.with_untracked(|desk| {
                    desk.as_ref().map(|desk| {
                        WorkingClock::from_hours(&desk.working_hours)
                            .reply_deadline(now, typed.promise)
                    })
                })
            })
            .flatten();
        let order_number = typed.order_number.trim().to_owned();
        let inquiry = NewInquiry {
            channel: typed.channel.clone(),
            // Checked with a stand-in: the new customer's record is made only once all holds.
            customer: None,
            order_number: (!order_number.is_empty()).then_some(order_number),
            category: typed.category.clone(),
            question: typed.question.trim().to_owned(),
            answer: typed.answer.trim().to_owned(),
            outcome: typed.outcome,
            reply_due,
            reply_policy: reply_due.and(policy.version.get_untracked()),
            problem: typed.problem,
        };
        let new_customer = match &typed.customer {
            CustomerChoice::New { name, phone } => Some(NewCustomer {
                name: name.trim().to_owned(),
                phone: phone.trim().to_owned(),
                ..NewCustomer::default()
            }),
            _ => None,
        };
        let refused = refusal(&user, &inquiry, new_customer.as_ref());
        if let Some(message) = refused {
            error.set(Some(localized(i18n, &message)));
            return;
        }
        spawn_local(async move {
            let store = store.store();
            let logged = async {
                let customer = match (typed.customer.clone(), new_customer) {
                    (CustomerChoice::Existing(customer), _) => Some(customer),
                    (_, Some(new)) => Customer::from_record(
                        &store
                            .create(RecordType::Customer, new.fields(), &user, now)
                            .await?,
                    ),
                    _ => None,
                };
                let inquiry = NewInquiry {
                    customer,
                    ..inquiry
                };
                let created = store
                    .create(RecordType::Case, inquiry.fields(), &user, now)
                    .await?;
                cases.insert(&created);
                let case_id = created.id;
                if let Some(linked) = &typed.linked {
                    store
                        .append_event(
                            linked.id,
                            knowledge_event::RECURRENCE,
                            recurrence_data(case_id),
                            &user,
                            now,
                        )
                        .await?;
                }
                Ok::<_, StoreError>(case_id)
            };
            match logged.await {
                Ok(case_id) => {
                    let next = typed.next();
                    answer.set(String::new());
                    form.set(next);
                    saved.set(Some(case_id));
                    sync.after_local_write();
                    if let Some(input) = customer_ref.get_untracked() {
                        let _ = input.focus();
                    }
                }
                // The draft is still in localStorage: nothing typed is lost.
                Err(store_error) => error.set(Some(store_error.to_string())),
            }
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save();
    };
    let ctrl_enter_saves = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            save();
        }
    };
    let use_entry = move |entry: Knowledge| {
        answer.update(|text| {
            if !text.trim().is_empty() {
                text.push('\n');
            }
            text.push_str(&entry.body);
        });
        form.update(|form| {
            form.linked = Some(LinkedEntry {
                id: entry.id,
                title: entry.title.clone(),
            });
        });
        if let Some(input) = answer_ref.get_untracked() {
            let _ = input.focus();
        }
    };

    view! {
        <section class="page inquiry">
            <h1>{t!(i18n, nav_log_inquiry)}</h1>
            <Show when=move || saved.get().is_some()>
                <p class="saved" role="status" data-testid="inquiry-saved">
                    {t!(i18n, inquiry_saved)}
                    " "
                    {move || saved.get().map(|id| view! {
                        <A href=AppRoute::CaseDetail(id).href() attr:data-testid="saved-case-link">
                            {t!(i18n, open_case)}
                        </A>
                    })}
                </p>
            </Show>
            <form on:submit=on_submit on:keydown=ctrl_enter_saves>
                <ChipGroup
                    legend=move || t!(i18n, channel)
                    testid="channels"
                    options=move || label_ids(|desk| &desk.channels)
                    selected=move || form.with(|form| form.channel.clone())
                    label=move |id: &String| label_name(|desk| &desk.channels, id)
                    chip_testid=|id: &String| format!("channel-{id}")
                    on_choose=move |id: String| form.update(|form| form.channel = id)
                />
                <CustomerPicker
                    choice=Signal::derive(move || form.with(|form| form.customer.clone()))
                    on_choose=move |choice: CustomerChoice| form.update(|form| form.customer = choice)
                    customers=customer_list
                    cases=case_list
                    search_ref=customer_ref
                    on_done=move |()| {
                        if let Some(input) = order_ref.get_untracked() {
                            let _ = input.focus();
                        }
                    }
                />
                <label>
                    {t!(i18n, order_number)}
                    <input
                        node_ref=order_ref
                        data-testid="inquiry-order-number"
                        prop:value=move || form.with(|form| form.order_number.clone())
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            form.update(|form| form.order_number = value);
                        }
                        on:keydown=move |ev| enter_goes_to(&ev, focus_category)
                    />
                </label>
                <ChipGroup
                    legend=move || t!(i18n, category)
                    list_ref=category_ref
                    list_testid="categories"
                    options=move || label_ids(|desk| &desk.inquiry_categories)
                    selected=move || form.with(|form| form.category.clone())
                    label=move |id: &String| label_name(|desk| &desk.inquiry_categories, id)
                    chip_testid=|id: &String| format!("category-{id}")
                    on_choose=move |id: String| {
                        form.update(|form| form.category = id);
                        if let Some(input) = question_ref.get_untracked() {
                            let _ = input.focus();
                        }
                    }
                />
                <label>
                    {t!(i18n, question)}
                    <textarea
                        node_ref=question_ref
                        rows="2"
                        data-testid="inquiry-question"
                        prop:value=move || form.with(|form| form.question.clone())
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            form.update(|form| form.question = value);
                        }
                        on:keydown=move |ev| enter_goes_to(&ev, move || {
                            if let Some(input) = answer_ref.get_untracked() {
                                let _ = input.focus();
                            }
                        })
                    ></textarea>
                </label>
                <AnswerSuggestions
                    question=Signal::derive(move || form.with(|form| form.question.clone()))
                    entries=entry_list
                    on_use=use_entry
                />
                <Show when=move || form.with(|form| form.linked.is_some())>
                    <p class="linked-entry" data-testid="linked-entry">
                        {t!(i18n, linked_entry)}
                        " "
                        <strong>{move || form.with(|form| form.linked.as_ref().map(|linked| linked.title.clone()))}</strong>
                        <button type="button" on:click=move |_| form.update(|form| form.linked = None)>
                            {t!(i18n, unlink)}
                        </button>
                    </p>
                </Show>
                <label>
                    {t!(i18n, answer)}
                    <textarea
                        node_ref=answer_ref
                        rows="3"
                        data-testid="inquiry-answer"
                        prop:value=answer
                        on:input=move |ev| answer.set(event_target_value(&ev))
                        on:keydown=move |ev| enter_goes_to(&ev, move || {
                            if let Some(button) = save_ref.get_untracked() {
                                let _ = button.focus();
                            }
                        })
                    ></textarea>
                </label>
                <PhrasePicker on_pick=move |phrase: String| answer.update(|text| text.push_str(&phrase)) />
                <BannedPhraseHint text=answer on_change=move |text: String| answer.set(text) />
                <ChipGroup
                    legend=move || t!(i18n, outcome)
                    testid="outcomes"
                    options=|| InquiryOutcome::ALL.to_vec()
                    selected=move || form.with(|form| form.outcome)
                    label=move |outcome: &InquiryOutcome| localized(i18n, &outcome.name())
                    chip_testid=|outcome: &InquiryOutcome| format!("outcome-{}", outcome.as_str())
                    on_choose=move |outcome: InquiryOutcome| form.update(|form| form.outcome = outcome)
                />
                <Show when=move || form.with(|form| form.outcome.promises_reply())>
                    <ReplyPromiseChoice
                        promise=Signal::derive(move || form.with(|form| form.promise))
                        on_choose=move |promise: ReplyPromise| form.update(|form| form.promise = promise)
                    />
                </Show>
                <label class="check">
                    <input
                        type="checkbox"
                        data-testid="inquiry-problem"
                        prop:checked=move || form.with(|form| form.problem)
                        on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            form.update(|form| form.problem = checked);
                        }
                    />
                    {t!(i18n, flag_problem)}
                </label>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="inquiry-error">{move || error.get()}</p>
                </Show>
                <button class="primary" type="submit" node_ref=save_ref data-testid="save-inquiry">
                    {t!(i18n, save_inquiry)}
                </button>
            </form>
        </section>
    }
}

/// Why the inquiry cannot be saved as typed, with the same message the server would send.
fn refusal(
    user: &UserInfo,
    inquiry: &NewInquiry,
    new_customer: Option<&NewCustomer>,
) -> Option<Bilingual> {
    if let Some(customer) = new_customer {
        let fields = customer.fields();
        if let Err(invalid) = check_new_customer(&fields) {
            return Some(invalid.message());
        }
        if let Err(denied) = may_make(user, RecordType::Customer, None, Op::Create { fields }) {
            return Some(denied.message());
        }
    }
    if let Err(invalid) = inquiry.check() {
        return Some(invalid.message());
    }
    may_make(
        user,
        RecordType::Case,
        None,
        Op::Create {
            fields: inquiry.fields(),
        },
    )
    .err()
    .map(|denied| denied.message())
}
