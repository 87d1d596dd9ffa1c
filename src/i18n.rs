//! Translations (generated from `locales/*.json` by leptos_i18n) and the locale choice, which
//! defaults to Simplified Chinese and is remembered on the device.

/// The module leptos_i18n generates (`i18n`), wrapped so its name does not repeat ours.
mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}

use crate::platform::local_storage;
pub use generated::i18n::*;
use kefu_core::account::Role;
use kefu_core::kinds::case::{CaseKind, CaseStatus, event, field};
use kefu_core::lang::{Bilingual, Lang};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use serde_json::Value;

const LOCALE_KEY: &str = "kefu-locale";

/// Restores the device's chosen language (Chinese unless the user picked English, whatever
/// the browser's own language) and remembers every change.
#[component]
pub fn LocalePersistence() -> impl IntoView {
    let i18n = use_i18n();
    let saved = local_storage()
        .and_then(|storage| storage.get_item(LOCALE_KEY).ok().flatten())
        .and_then(|saved| saved.parse::<Locale>().ok())
        .unwrap_or(Locale::zh);
    // Run after the provider's own first effect, which applies the browser's language.
    Effect::new(move |restored: Option<()>| {
        if restored.is_none() {
            i18n.set_locale(saved);
        }
    });
    Effect::new(move |_| {
        let locale = i18n.get_locale();
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(LOCALE_KEY, locale.as_str());
        }
    });
}

/// The shared crate's language for the current locale, to pick from bilingual messages.
pub fn lang_of(locale: Locale) -> Lang {
    match locale {
        Locale::zh => Lang::ZhHans,
        Locale::en => Lang::En,
    }
}

/// A bilingual message (from the shared rules or the server) in the user's language.
pub fn localized(i18n: I18nContext<Locale>, message: &Bilingual) -> String {
    message.get(lang_of(i18n.get_locale())).to_owned()
}

pub fn kind_label(i18n: I18nContext<Locale>, kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::Inquiry => t_string!(i18n, kind_inquiry),
        CaseKind::Return => t_string!(i18n, kind_return),
        CaseKind::Complaint => t_string!(i18n, kind_complaint),
        CaseKind::Feedback => t_string!(i18n, kind_feedback),
    }
}

/// What an online-only page says when the server could not answer it.
pub fn api_error_text(i18n: I18nContext<Locale>, error: &crate::api::ApiError) -> String {
    use crate::api::ApiError;
    match error {
        ApiError::Unauthorized(message)
        | ApiError::UpdateRequired(message)
        | ApiError::Refused(message)
        | ApiError::Field { message, .. } => localized(i18n, message),
        ApiError::Unreachable(_) | ApiError::Unexpected(_) | ApiError::Restored => {
            t_string!(i18n, needs_network).to_owned()
        }
    }
}

pub fn role_label(i18n: I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Agent => t_string!(i18n, role_agent),
        Role::TeamLead => t_string!(i18n, role_team_lead),
        Role::Qa => t_string!(i18n, role_qa),
        Role::Supervisor => t_string!(i18n, role_supervisor),
        Role::Admin => t_string!(i18n, role_admin),
        Role::Packer => t_string!(i18n, role_packer),
    }
}

pub fn status_label(i18n: I18nContext<Locale>, status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Open => t_string!(i18n, status_open),
        CaseStatus::Pending => t_string!(i18n, status_pending),
        CaseStatus::Resolved => t_string!(i18n, status_resolved),
        CaseStatus::Closed => t_string!(i18n, status_closed),
    }
}

/// A record field's name as users read it; a field this build does not know keeps its name.
pub fn field_label(i18n: I18nContext<Locale>, name: &str) -> String {
    let label = match name {
        field::KIND => t_string!(i18n, field_kind),
        field::TITLE => t_string!(i18n, field_title),
        field::CUSTOMER_NAME => t_string!(i18n, field_customer_name),
        field::CUSTOMER_PHONE => t_string!(i18n, field_customer_phone),
        field::ORDER_NUMBER => t_string!(i18n, field_order_number),
        field::STATUS => t_string!(i18n, field_status),
        kefu_core::kinds::case::inquiry::field::CHANNEL => t_string!(i18n, field_channel),
        kefu_core::kinds::case::inquiry::field::CUSTOMER => t_string!(i18n, field_customer),
        kefu_core::kinds::case::inquiry::field::CATEGORY => t_string!(i18n, field_category),
        kefu_core::kinds::case::inquiry::field::QUESTION => t_string!(i18n, field_question),
        kefu_core::kinds::case::inquiry::field::ANSWER => t_string!(i18n, field_answer),
        kefu_core::kinds::case::inquiry::field::OUTCOME => t_string!(i18n, field_outcome),
        kefu_core::kinds::case::inquiry::field::REPLY_DUE => t_string!(i18n, field_reply_due),
        kefu_core::kinds::case::inquiry::field::PROBLEM => t_string!(i18n, field_problem),
        kefu_core::kinds::case::returns::field::REQUEST_TYPE => {
            t_string!(i18n, return_request_type)
        }
        kefu_core::kinds::case::returns::field::RETURN_REASON => t_string!(i18n, return_reason),
        kefu_core::kinds::case::returns::field::ITEMS => t_string!(i18n, return_items),
        kefu_core::kinds::case::returns::field::ITEM_CLASS => t_string!(i18n, courier_item_class),
        kefu_core::kinds::case::returns::field::ORIGINAL_PACKAGING => {
            t_string!(i18n, return_original_packaging)
        }
        kefu_core::kinds::case::returns::field::RETURN_TRACKING => t_string!(i18n, return_tracking),
        kefu_core::kinds::case::returns::field::RETURN_COURIER => t_string!(i18n, return_courier),
        kefu_core::kinds::case::returns::field::SHIPPING_INSURANCE => {
            t_string!(i18n, return_shipping_insurance)
        }
        kefu_core::kinds::case::returns::field::SHIPPED => t_string!(i18n, return_shipped),
        kefu_core::kinds::case::returns::field::RECEIVED_ON => t_string!(i18n, return_received_on),
        other => return other.to_owned(),
    };
    label.to_owned()
}

/// A field's value as users read it: kinds and statuses by their labels, nothing as "(empty)".
pub fn value_text(i18n: I18nContext<Locale>, name: &str, value: &Value) -> String {
    let text = match value {
        Value::Null => "",
        Value::String(text) => text.as_str(),
        other => return other.to_string(),
    };
    if name == field::KIND
        && let Some(kind) = CaseKind::parse(text)
    {
        return kind_label(i18n, kind).to_owned();
    }
    if name == field::STATUS
        && let Some(status) = CaseStatus::parse(text)
    {
        return status_label(i18n, status).to_owned();
    }
    if text.trim().is_empty() {
        t_string!(i18n, empty_value).to_owned()
    } else {
        text.to_owned()
    }
}

/// A timeline entry's kind as users read it.
pub fn event_label(i18n: I18nContext<Locale>, kind: &str) -> String {
    match kind {
        event::NOTE => t_string!(i18n, timeline).to_owned(),
        kefu_core::kinds::case::qa_review::event::QA_REVIEW => {
            t_string!(i18n, event_qa_review).to_owned()
        }
        kefu_core::kinds::case::returns::event::INSPECTION => {
            t_string!(i18n, return_inspections).to_owned()
        }
        other => other.to_owned(),
    }
}
