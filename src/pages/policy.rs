//! The policy editor, for admins: an index of the policy's parts, each edited on its own page
//! (`policy/*.rs`), and its history. Every save is the whole policy with one part changed,
//! checked by the shared validation (`Policy::try_from`, what the server runs too) before it
//! is written, and written like any edit: to the policy record, through the outbox, so it works
//! offline and becomes a new policy version once the server accepts it. The server decides who
//! may change the policy (`kinds::shop_policy`); this page only offers it.

mod calendar;
mod categories;
mod history;
mod inspection;
mod limits;
mod phrases;
mod rows;
mod score_sheet;
mod scripts;
mod tiers;

use crate::api::{self, ApiError};
use crate::components::error_fallback::error_fallback;
use crate::i18n::{Locale, api_error_text, localized, t, use_i18n};
use crate::routes::{AppRoute, PolicyPart, use_route};
use crate::session::{SessionContext, use_session};
use crate::store::{FieldEdit, StoreContext, use_store};
use crate::sync::{SyncContext, use_sync};
use chrono::Utc;
use kefu_core::lang::Bilingual;
use kefu_core::policy::{POLICY_DATA_FIELD, POLICY_RECORD_ID, Policy, PolicyData, PolicyError};
use kefu_core::record::Record;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use wasm_bindgen::JsCast;

#[component]
pub fn PolicyIndex() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page policy">
            <h1>{t!(i18n, nav_policy)}</h1>
            <p class="muted">{t!(i18n, policy_intro)}</p>
            <ul class="cards policy-parts">
                {PolicyPart::ALL
                    .into_iter()
                    .map(|part| {
                        view! {
                            <li class="card">
                                <a
                                    href=AppRoute::PolicyPage(part).href()
                                    data-testid=format!("policy-part-{}", part.slug())
                                >
                                    {part_title(i18n, part)}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p>
                <a href="/api/policy.toml" download="kefu-policy.toml" data-testid="policy-export">
                    {t!(i18n, policy_export)}
                </a>
            </p>
            <PolicyImport />
        </section>
    }
}

/// Imports a policy file (online: the server checks it and makes it a new version at once),
/// for a shop that keeps its policy in git or restores a backup.
#[component]
fn PolicyImport() -> impl IntoView {
    let i18n = use_i18n();
    let token = use_session().token();
    let outcome = RwSignal::new(None::<Result<(), ApiError>>);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| {
                let file = input.files().and_then(|files| files.item(0));
                input.set_value("");
                file
            })
        else {
            return;
        };
        let token = token.clone();
        spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|text| text.as_string())
                .unwrap_or_default();
            outcome.set(Some(api::import_policy(&token, text).await));
        });
    };
    view! {
        <label class="policy-import">
            {t!(i18n, policy_import)}
            <input type="file" accept=".toml,text/plain" data-testid="policy-import" on:change=on_change />
        </label>
        {move || outcome.get().map(|outcome| match outcome {
            Ok(()) => view! { <p class="saved" role="status" data-testid="policy-imported">{t!(i18n, policy_imported)}</p> }.into_any(),
            Err(error) => view! { <p class="error" role="alert" data-testid="policy-import-refused">{api_error_text(i18n, &error)}</p> }.into_any(),
        })}
    }
}

/// `/policy/:part`: the part's page, or the index for a part that does not exist.
#[component]
pub fn PolicyPartPage() -> impl IntoView {
    let route = use_route();
    move || {
        let part = match route.get() {
            AppRoute::PolicyPage(part) => Some(part),
            _ => None,
        };
        match part {
            Some(PolicyPart::Phrases) => view! { <phrases::PolicyPhrases /> }.into_any(),
            Some(PolicyPart::Categories) => view! { <categories::PolicyCategories /> }.into_any(),
            Some(PolicyPart::Tiers) => view! { <tiers::PolicyTiers /> }.into_any(),
            Some(PolicyPart::Calendar) => view! { <calendar::PolicyCalendar /> }.into_any(),
            Some(PolicyPart::Limits) => view! { <limits::PolicyLimits /> }.into_any(),
            Some(PolicyPart::Inspection) => view! { <inspection::PolicyInspection /> }.into_any(),
            Some(PolicyPart::ScoreSheet) => view! { <score_sheet::PolicyScoreSheet /> }.into_any(),
            Some(PolicyPart::Scripts) => view! { <scripts::PolicyScripts /> }.into_any(),
            Some(PolicyPart::History) => view! { <history::PolicyHistory /> }.into_any(),
            None => view! { <PolicyIndex /> }.into_any(),
        }
    }
}

fn part_title(i18n: I18nContext<Locale>, part: PolicyPart) -> AnyView {
    match part {
        PolicyPart::Phrases => t!(i18n, policy_phrases).into_any(),
        PolicyPart::Categories => t!(i18n, policy_categories).into_any(),
        PolicyPart::Tiers => t!(i18n, policy_tiers).into_any(),
        PolicyPart::Calendar => t!(i18n, policy_calendar).into_any(),
        PolicyPart::Limits => t!(i18n, policy_limits).into_any(),
        PolicyPart::Inspection => t!(i18n, policy_inspection).into_any(),
        PolicyPart::ScoreSheet => t!(i18n, policy_score_sheet).into_any(),
        PolicyPart::Scripts => t!(i18n, policy_scripts).into_any(),
        PolicyPart::History => t!(i18n, policy_history).into_any(),
    }
}

/// A part's page: its title, a link back to the index, and its form once the policy is read
/// from the device. The form is built once from the policy as it was when the page opened, so
/// a sync never rebuilds it under the typing.
#[component]
fn PartPage<F, V>(part: PolicyPart, form: F) -> impl IntoView
where
    F: Fn(PolicyData) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let store = use_store();
    let policy = LocalResource::new(move || {
        let store = store.store();
        async move { device_policy(&store).await.map(|(_, data)| data) }
    });
    view! {
        <section class=format!("page policy policy-{}", part.slug())>
            <p><a href=AppRoute::Policy.href()>{t!(i18n, policy_back)}</a></p>
            <h1>{part_title(i18n, part)}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {
                        let form = form.clone();
                        move || {
                            let form = form.clone();
                            Suspend::new(async move { policy.await.map(form) })
                        }
                    }
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// Why the policy could not be read on this device.
#[derive(Debug, Clone, thiserror::Error)]
enum ReadProblem {
    #[error("{0}")]
    Store(String),
    /// Before the first sync brought it.
    #[error("the policy has not reached this device yet")]
    NotYet,
    #[error("{0}")]
    Unreadable(String),
}

/// The policy record as this device holds it, its own pending edits included, and its policy.
async fn device_policy(store: &crate::store::Store) -> Result<(Record, PolicyData), ReadProblem> {
    let record = store
        .record(POLICY_RECORD_ID)
        .await
        .map_err(|error| ReadProblem::Store(error.to_string()))?
        .ok_or(ReadProblem::NotYet)?;
    let value = record
        .value(POLICY_DATA_FIELD)
        .cloned()
        .ok_or(ReadProblem::NotYet)?;
    let data = serde_json::from_value(value)
        .map_err(|error| ReadProblem::Unreadable(error.to_string()))?;
    Ok((record, data))
}

/// What became of the last save on a part's page.
#[derive(Debug, Clone)]
enum Saved {
    /// Written to the device; it goes to the server with the next sync.
    Written,
    /// Refused by the shared validation, naming the field.
    Invalid(PolicyError),
    /// A value that is not even of the right kind (an amount that is not a number).
    Unreadable(Unreadable),
    Failed(String),
}

/// The save state of one part's page: saves the policy with the part's values, and shows what
/// became of it, next to the field a refusal names.
#[derive(Clone, Copy)]
struct PolicyEditor {
    saved: RwSignal<Option<Saved>>,
    store: StoreContext,
    sync: SyncContext,
    session: SessionContext,
}

impl PolicyEditor {
    fn new() -> Self {
        PolicyEditor {
            saved: RwSignal::new(None),
            store: use_store(),
            sync: use_sync(),
            session: use_session(),
        }
    }

    /// Applies `edit` to the policy as the device holds it now (so parts changed elsewhere
    /// since the page opened are kept), validates the result and writes it over every version
    /// this device has seen.
    fn save(self, edit: impl FnOnce(&mut PolicyData) -> Result<(), Unreadable> + 'static) {
        let (store, sync) = (self.store.store(), self.sync);
        let Some(user) = self.session.user_now() else {
            return;
        };
        let saved = self.saved;
        spawn_local(async move {
            let outcome = async {
                let (record, mut data) = device_policy(&store)
                    .await
                    .map_err(|problem| Saved::Failed(problem.to_string()))?;
                edit(&mut data).map_err(Saved::Unreadable)?;
                let policy = Policy::try_from(data).map_err(Saved::Invalid)?;
                let value = serde_json::to_value(&policy)
                    .map_err(|error| Saved::Failed(error.to_string()))?;
                let edit = FieldEdit::over(&record, POLICY_DATA_FIELD, value);
                store
                    .set_fields(POLICY_RECORD_ID, vec![edit], &user, Utc::now())
                    .await
                    .map_err(|error| Saved::Failed(error.to_string()))?;
                sync.after_local_write();
                Ok::<_, Saved>(())
            }
            .await;
            saved.set(Some(outcome.err().unwrap_or(Saved::Written)));
        });
    }

    /// The field a refusal names, as the validation names it (`banned_phrases[3].phrase`).
    fn refused_field(self) -> Option<String> {
        self.saved.with(|saved| match saved {
            Some(Saved::Invalid(PolicyError::Invalid { field, .. })) => Some(field.clone()),
            Some(Saved::Unreadable(unreadable)) => Some(unreadable.field.clone()),
            _ => None,
        })
    }

    /// Whether the refusal is about `path` or something inside it.
    fn refuses(self, path: &str) -> bool {
        self.refused_field().is_some_and(|field| {
            field == path
                || field
                    .strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
        })
    }

    /// Whether the refusal is about `path` itself (a whole list), not an entry inside it.
    fn refuses_exactly(self, path: &str) -> bool {
        self.refused_field().is_some_and(|field| field == path)
    }
}

/// A typed value that is not of its field's kind, and what to type instead.
#[derive(Debug, Clone)]
struct Unreadable {
    field: String,
    expected: Bilingual,
}

impl Unreadable {
    fn amount(field: String) -> Unreadable {
        Unreadable {
            field,
            expected: Bilingual::new(
                "请填写金额，以元为单位，如 18.90",
                "Enter an amount in yuan, such as 18.90",
            ),
        }
    }

    fn whole_number(field: String) -> Unreadable {
        Unreadable {
            field,
            expected: Bilingual::new("请填写整数", "Enter a whole number"),
        }
    }

    fn date(field: String) -> Unreadable {
        Unreadable {
            field,
            expected: Bilingual::new("请选择日期", "Choose a date"),
        }
    }

    fn time(field: String) -> Unreadable {
        Unreadable {
            field,
            expected: Bilingual::new("请填写时间，如 09:00", "Enter a time, such as 09:00"),
        }
    }
}

fn saved_message(i18n: I18nContext<Locale>, saved: &Saved) -> String {
    match saved {
        Saved::Written => localized(
            i18n,
            &Bilingual::new(
                "已保存到本机，联网后同步为新的政策版本",
                "Saved on this device; it becomes a new policy version when it syncs",
            ),
        ),
        Saved::Invalid(error) => localized(i18n, &error.message()),
        Saved::Unreadable(unreadable) => format!(
            "{}: {}",
            unreadable.field,
            localized(i18n, &unreadable.expected)
        ),
        Saved::Failed(message) => message.clone(),
    }
}

/// The outcome of the last save, at the top of the form: announced, in the user's language.
#[component]
fn SaveOutcome(editor: PolicyEditor) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        editor.saved.get().map(|saved| {
            let refused = !matches!(saved, Saved::Written);
            let message = saved_message(i18n, &saved);
            if refused {
                view! { <p class="error" role="alert" data-testid="policy-refused">{message}</p> }
                    .into_any()
            } else {
                view! { <p class="saved" role="status" data-testid="policy-saved">{message}</p> }
                    .into_any()
            }
        })
    }
}

/// The refusal next to the field it names (`path`, or inside it), if the last save was refused there.
#[component]
fn FieldProblem(
    editor: PolicyEditor,
    #[prop(into)] path: Signal<String>,
    /// Only a refusal of `path` itself, not of an entry inside it (shown beside that entry).
    #[prop(optional)]
    exact: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let path = path.get();
        let shown = if exact {
            editor.refuses_exactly(&path)
        } else {
            editor.refuses(&path)
        };
        shown.then(|| {
            let message = editor
                .saved
                .with(|saved| saved.as_ref().map(|saved| saved_message(i18n, saved)))
                .unwrap_or_default();
            let field = editor.refused_field();
            view! { <p class="error field-error" data-testid="field-problem" data-field=field>{message}</p> }
        })
    }
}

/// The button that saves a part's form.
#[component]
fn SaveButton() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="form-actions">
            <button type="submit" class="primary" data-testid="policy-save">
                {t!(i18n, policy_save)}
            </button>
        </div>
    }
}
