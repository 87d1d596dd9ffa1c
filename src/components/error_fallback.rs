//! What a page shows in place of its data when the device database could not be read.

use leptos::error::Errors;
use leptos::prelude::*;

pub fn error_fallback(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <p class="error" role="alert">
            {move || errors.get().into_iter().map(|(_, error)| error.to_string()).collect::<Vec<_>>().join("; ")}
        </p>
    }
}
