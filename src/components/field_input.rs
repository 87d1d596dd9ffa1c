//! A one-line text input bound to one field of a form kept as a draft (`drafts::use_draft`):
//! every keystroke goes into the form, so into the draft, and the input shows the field as
//! restored.

use leptos::prelude::*;

#[component]
pub fn FieldInput<F>(
    form: RwSignal<F>,
    testid: &'static str,
    read: fn(&F) -> String,
    write: fn(&mut F, String),
) -> impl IntoView
where
    F: Send + Sync + 'static,
{
    view! {
        <input
            data-testid=testid
            prop:value=move || form.with(read)
            on:input=move |ev| {
                let value = event_target_value(&ev);
                form.update(|form| write(form, value));
            }
        />
    }
}
