//! New case: the quick form. The draft is kept on every keystroke; saving is local and instant.

use crate::cases::use_cases;
use crate::components::chip_group::ChipGroup;
use crate::components::field_input::FieldInput;
use crate::drafts;
use crate::i18n::{kind_label, localized, t, use_i18n};
use crate::routes::AppRoute;
use crate::session::{may_open_case, use_session};
use crate::store::use_store;
use crate::sync::use_sync;
use chrono::Utc;
use kefu_core::account::UserInfo;
use kefu_core::kinds::case::CaseKind;
use kefu_core::kinds::case::check_new_case;
use kefu_core::record::RecordType;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

const DRAFT_KEY: &str = "new-case";

/// The form's fields as typed, saved as the draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct CaseForm {
    kind: Option<CaseKind>,
    title: String,
    customer_name: String,
    customer_phone: String,
    order_number: String,
}

impl CaseForm {
    /// What the form says, as the shared crate's new case (this page's component is also
    /// called `NewCase`, hence the full path).
    fn to_new_case(&self) -> kefu_core::kinds::case::NewCase {
        let order_number = self.order_number.trim();
        kefu_core::kinds::case::NewCase {
            kind: self.kind.unwrap_or(CaseKind::Inquiry),
            title: self.title.trim().to_owned(),
            customer_name: self.customer_name.trim().to_owned(),
            customer_phone: self.customer_phone.trim().to_owned(),
            order_number: (!order_number.is_empty()).then(|| order_number.to_owned()),
        }
    }
}

/// What a form page that opens a case (this one, a return) calls on submit, once its checks
/// passed: `save(fields, first timeline entries, author)`. The case is written with its
/// entries in one transaction, shown in the list at once, the form's draft (`draft_key`) is
/// cleared, a sync is asked for and the case opens. A failed write shows its error and keeps
/// the draft, so nothing typed is lost. Call while the page is set up: it holds the page's
/// contexts.
pub fn use_case_saver(
    draft_key: &'static str,
    saving: RwSignal<bool>,
    error: RwSignal<Option<String>>,
) -> impl Fn(BTreeMap<String, Value>, Vec<(String, Value)>, UserInfo) + Clone {
    let store = use_store();
    let cases = use_cases();
    let sync = use_sync();
    let navigate = use_navigate();
    move |fields, events, author| {
        let navigate = navigate.clone();
        saving.set(true);
        spawn_local(async move {
            let created = store
                .store()
                .create_with_events(RecordType::Case, fields, events, &author, Utc::now())
                .await;
            match created {
                Ok(created) => {
                    cases.insert(&created);
                    drafts::clear(draft_key);
                    sync.after_local_write();
                    navigate(&AppRoute::CaseDetail(created.id).href(), Default::default());
                }
                Err(store_error) => error.set(Some(store_error.to_string())),
            }
            saving.set(false);
        });
    }
}

#[component]
pub fn NewCase() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let form = drafts::use_draft::<CaseForm>(DRAFT_KEY);
    let error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let save_case = use_case_saver(DRAFT_KEY, saving, error);

    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(user) = session.user_now() else {
            return;
        };
        let fields = form.get_untracked().to_new_case().fields();
        // Refused here with the same message the server would send, and nothing is queued.
        let refused = check_new_case(&fields)
            .map_err(|invalid| invalid.message())
            .and_then(|()| may_open_case(&user, &fields).map_err(|denied| denied.message()));
        if let Err(message) = refused {
            error.set(Some(localized(i18n, &message)));
            return;
        }
        save_case(fields, Vec::new(), user);
    };

    view! {
        <section class="page new-case">
            <h1>{t!(i18n, nav_new_case)}</h1>
            <form on:submit=on_submit>
                <ChipGroup
                    legend=move || t!(i18n, case_kind)
                    class="kinds"
                    options=|| CaseKind::ALL.to_vec()
                    selected=move || form.with(|form| form.kind.unwrap_or(CaseKind::Inquiry))
                    label=move |kind: &CaseKind| kind_label(i18n, *kind).to_owned()
                    chip_testid=|kind: &CaseKind| format!("kind-{}", kind.as_str())
                    on_choose=move |kind: CaseKind| form.update(|form| form.kind = Some(kind))
                />
                <label>
                    {t!(i18n, case_title)}
                    <FieldInput form testid="case-title" read=|f| f.title.clone() write=|f, v| f.title = v />
                </label>
                <label>
                    {t!(i18n, customer_name)}
                    <FieldInput form testid="customer-name" read=|f| f.customer_name.clone() write=|f, v| f.customer_name = v />
                </label>
                <label>
                    {t!(i18n, customer_phone)}
                    <FieldInput form testid="customer-phone" read=|f| f.customer_phone.clone() write=|f, v| f.customer_phone = v />
                </label>
                <label>
                    {t!(i18n, order_number)}
                    <FieldInput form testid="order-number" read=|f| f.order_number.clone() write=|f, v| f.order_number = v />
                </label>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="form-error">{move || error.get()}</p>
                </Show>
                <button class="primary" type="submit" data-testid="save-case" disabled=saving>
                    {t!(i18n, save_case)}
                </button>
            </form>
        </section>
    }
}
