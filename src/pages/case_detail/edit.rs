//! The case's edit form: saves one change per field the user actually changed, each naming the
//! version the user saw (taken when the form opened), so a colleague's concurrent edit of the
//! same field is kept as a conflict rather than overwritten. Offered only to roles the server
//! lets change a case's facts.

use crate::i18n::{localized, status_label, t, use_i18n};
use crate::session::{may_make, use_session};
use crate::store::{FieldEdit, use_store};
use crate::sync::use_sync;
use chrono::Utc;
use kefu_core::kinds::case::check_case_field;
use kefu_core::kinds::case::{CaseStatus, field};
use kefu_core::record::Record;
use kefu_core::sync::Op;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

/// The form's fields as typed.
#[derive(Debug, Clone, PartialEq)]
struct EditForm {
    title: String,
    customer_name: String,
    customer_phone: String,
    order_number: String,
    status: CaseStatus,
}

impl EditForm {
    fn of(record: &Record) -> Self {
        EditForm {
            title: record.text(field::TITLE),
            customer_name: record.text(field::CUSTOMER_NAME),
            customer_phone: record.text(field::CUSTOMER_PHONE),
            order_number: record.text(field::ORDER_NUMBER),
            status: CaseStatus::parse(&record.text(field::STATUS)).unwrap_or(CaseStatus::Open),
        }
    }

    /// Each editable field with the value it would store.
    fn values(&self) -> [(&'static str, Value); 5] {
        let order_number = self.order_number.trim();
        [
            (field::TITLE, json!(self.title.trim())),
            (field::CUSTOMER_NAME, json!(self.customer_name.trim())),
            (field::CUSTOMER_PHONE, json!(self.customer_phone.trim())),
            (
                field::ORDER_NUMBER,
                if order_number.is_empty() {
                    Value::Null
                } else {
                    json!(order_number)
                },
            ),
            (field::STATUS, json!(self.status.as_str())),
        ]
    }

    /// One edit per field whose value differs from `base` (what the user saw), superseding
    /// the version they saw.
    fn edits(&self, base: &Record) -> Vec<FieldEdit> {
        self.values()
            .into_iter()
            .filter(|(name, value)| base.value(name).unwrap_or(&Value::Null) != value)
            .map(|(name, value)| FieldEdit::over(base, name, value))
            .collect()
    }
}

#[component]
pub fn EditCase(record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let session = use_session();
    // The record as it was when the form opened: what the user saw and edits over.
    let base = RwSignal::new(None::<Record>);
    let form = RwSignal::new(None::<EditForm>);
    let error = RwSignal::new(None::<String>);
    // A memo, so a reloaded record rebuilds nothing unless the verdict itself changes.
    let denied = Memo::new(move |_| {
        let user = session.user()?;
        record.with(|record| {
            let record = record.as_ref()?;
            let probe = Op::Set {
                field: field::TITLE.to_owned(),
                value: Value::Null,
                supersedes: Vec::new(),
            };
            may_make(&user, record.record_type, Some(record), probe).err()
        })
    });

    let open = move |_| {
        let current = record.get_untracked();
        form.set(current.as_ref().map(EditForm::of));
        base.set(current);
        error.set(None);
    };
    let close = move || {
        form.set(None);
        base.set(None);
        error.set(None);
    };
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(typed), Some(seen), Some(user)) = (
            form.get_untracked(),
            base.get_untracked(),
            session.user_now(),
        ) else {
            return;
        };
        let edits = typed.edits(&seen);
        if let Some(invalid) = edits
            .iter()
            .find_map(|edit| check_case_field(&edit.field, &edit.value).err())
        {
            error.set(Some(localized(i18n, &invalid.message())));
            return;
        }
        if edits.is_empty() {
            close();
            return;
        }
        spawn_local(async move {
            match store
                .store()
                .set_fields(seen.id, edits, &user, Utc::now())
                .await
            {
                Ok(_) => {
                    close();
                    sync.after_local_write();
                }
                // The form stays open with what was typed.
                Err(store_error) => error.set(Some(store_error.to_string())),
            }
        });
    };

    let text_field = move |testid: &'static str,
                           read: fn(&EditForm) -> String,
                           write: fn(&mut EditForm, String)| {
        view! {
            <input
                data-testid=testid
                prop:value=move || form.with(|form| form.as_ref().map(read).unwrap_or_default())
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    form.update(|form| {
                        if let Some(form) = form {
                            write(form, value);
                        }
                    });
                }
            />
        }
    };

    view! {
        {move || match denied.get() {
            Some(denied) => {
                let message = denied.message();
                view! { <p class="muted" data-testid="read-only">{move || localized(i18n, &message)}</p> }.into_any()
            }
            None => view! {
                <Show
                    when=move || form.with(Option::is_some)
                    fallback=move || view! {
                        <button type="button" class="edit-open" data-testid="edit-case" on:click=open>
                            {t!(i18n, edit_case)}
                        </button>
                    }
                >
                    <form class="edit-case" on:submit=on_submit>
                        <label>
                            {t!(i18n, field_title)}
                            {text_field("edit-title", |f| f.title.clone(), |f, v| f.title = v)}
                        </label>
                        <label>
                            {t!(i18n, field_customer_name)}
                            {text_field("edit-customer-name", |f| f.customer_name.clone(), |f, v| f.customer_name = v)}
                        </label>
                        <label>
                            {t!(i18n, field_customer_phone)}
                            {text_field("edit-customer-phone", |f| f.customer_phone.clone(), |f, v| f.customer_phone = v)}
                        </label>
                        <label>
                            {t!(i18n, field_order_number)}
                            {text_field("edit-order-number", |f| f.order_number.clone(), |f, v| f.order_number = v)}
                        </label>
                        <label>
                            {t!(i18n, field_status)}
                            <select
                                data-testid="edit-status"
                                on:change=move |ev| {
                                    if let Some(status) = CaseStatus::parse(&event_target_value(&ev)) {
                                        form.update(|form| {
                                            if let Some(form) = form {
                                                form.status = status;
                                            }
                                        });
                                    }
                                }
                            >
                                {CaseStatus::ALL
                                    .into_iter()
                                    .map(|status| {
                                        let selected = move || form.with(|form| form.as_ref().is_some_and(|form| form.status == status));
                                        view! {
                                            <option value=status.as_str() selected=selected>
                                                {move || status_label(i18n, status)}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                        <Show when=move || error.get().is_some()>
                            <p class="error" role="alert" data-testid="edit-error">{move || error.get()}</p>
                        </Show>
                        <div class="form-actions">
                            <button type="button" on:click=move |_| close()>{t!(i18n, cancel)}</button>
                            <button class="primary" type="submit" data-testid="save-edits">{t!(i18n, save_edits)}</button>
                        </div>
                    </form>
                </Show>
            }
            .into_any(),
        }}
    }
}
