//! The button that switches between Chinese and English.

use crate::i18n::{Locale, t, use_i18n};
use leptos::prelude::*;

#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let toggle = move |_| {
        let next = match i18n.get_locale() {
            Locale::zh => Locale::en,
            Locale::en => Locale::zh,
        };
        i18n.set_locale(next);
    };
    view! {
        <button class="lang-switch" data-testid="lang-switch" on:click=toggle>
            {t!(i18n, switch_lang)}
        </button>
    }
}
