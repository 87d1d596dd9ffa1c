//! The policy's history: every version with who made it and when, newest first (the server
//! keeps them all); what changed between a version and the one before it, or the one in force;
//! and a restore, which saves the old version's policy as a new version like any edit. Online
//! only: the versions live on the server, not on every device.

use super::{PolicyEditor, SaveOutcome};
use crate::api::{self, ApiError};
use crate::i18n::{api_error_text, t, use_i18n};
use crate::routes::{AppRoute, PolicyPart};
use crate::session::use_session;
use kefu_core::policy::PolicyData;
use kefu_core::policy::diff::PolicyDifference;
use kefu_core::policy::history::{PolicyVersionInfo, short_version};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

#[component]
pub fn PolicyHistory() -> impl IntoView {
    let i18n = use_i18n();
    let token = use_session().token();
    let editor = PolicyEditor::new();
    let versions = LocalResource::new({
        let token = token.clone();
        move || {
            // Listed again after a restore was saved (it becomes a version once synced).
            editor.saved.track();
            let token = token.clone();
            async move { api::policy_versions(&token).await }
        }
    });
    let compared = RwSignal::new(None::<Result<Vec<PolicyDifference>, ApiError>>);
    let failed = RwSignal::new(None::<ApiError>);
    let compare = {
        let token = token.clone();
        Callback::new(move |(from, to): (Uuid, Uuid)| {
            let token = token.clone();
            spawn_local(async move {
                compared.set(Some(api::policy_diff(&token, from, to).await));
            });
        })
    };
    let restore = move |version: Uuid| {
        let token = token.clone();
        spawn_local(async move {
            let restored = api::policy_version(&token, version)
                .await
                .and_then(|value| {
                    serde_json::from_value::<PolicyData>(value)
                        .map_err(|error| ApiError::Unexpected(error.to_string()))
                });
            match restored {
                Ok(data) => {
                    failed.set(None);
                    editor.save(move |policy| {
                        *policy = data;
                        Ok(())
                    });
                }
                Err(error) => failed.set(Some(error)),
            }
        });
    };
    view! {
        <section class="page policy policy-history">
            <p><a href=AppRoute::Policy.href()>{t!(i18n, policy_back)}</a></p>
            <h1>{super::part_title(i18n, PolicyPart::History)}</h1>
            <SaveOutcome editor=editor />
            {move || failed.get().map(|error| view! { <p class="error" role="alert">{api_error_text(i18n, &error)}</p> })}
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || versions.get().map(|answer| match answer {
                    Ok(versions) => {
                        let in_force = versions.iter().find(|info| info.in_force).map(|info| info.version);
                        let older: Vec<Option<Uuid>> = versions
                            .iter()
                            .skip(1)
                            .map(|info| Some(info.version))
                            .chain([None])
                            .collect();
                        view! {
                            <ol class="cards" data-testid="policy-versions">
                                {versions
                                    .into_iter()
                                    .zip(older)
                                    .map(|(info, previous)| {
                                        let restore = restore.clone();
                                        view! { <VersionRow info=info previous=previous in_force=in_force on_compare=compare on_restore=restore /> }
                                    })
                                    .collect_view()}
                            </ol>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <p class="error" role="alert">{api_error_text(i18n, &error)}</p> }.into_any(),
                })}
            </Transition>
            {move || compared.get().map(|answer| match answer {
                Ok(differences) => view! { <Differences differences=differences /> }.into_any(),
                Err(error) => view! { <p class="error" role="alert">{api_error_text(i18n, &error)}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn VersionRow(
    info: PolicyVersionInfo,
    /// The version before it, to compare with.
    previous: Option<Uuid>,
    in_force: Option<Uuid>,
    /// Compares two versions, older first.
    on_compare: Callback<(Uuid, Uuid)>,
    on_restore: impl Fn(Uuid) + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let version = info.version;
    let at = info
        .at
        .with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    view! {
        <li class="card" data-testid="policy-version" data-version=version.to_string()>
            <div class="card-head">
                <strong class="title">{at}</strong>
                <span data-testid="version-by">{info.by.clone()}</span>
                {info.in_force.then(|| view! { <span class="tag" data-testid="in-force">{t!(i18n, policy_in_force)}</span> })}
            </div>
            <div class="card-meta">
                <code data-testid="version-id">{short_version(version)}</code>
                {previous.map(|previous| view! {
                    <button type="button" data-testid="compare-previous" on:click=move |_| on_compare.run((previous, version))>
                        {t!(i18n, policy_compare_previous)}
                    </button>
                })}
                {in_force.filter(|current| *current != version).map(|current| view! {
                    <button type="button" data-testid="compare-in-force" on:click=move |_| on_compare.run((version, current))>
                        {t!(i18n, policy_compare_in_force)}
                    </button>
                    <button type="button" data-testid="restore" on:click=move |_| on_restore(version)>
                        {t!(i18n, policy_restore)}
                    </button>
                })}
            </div>
        </li>
    }
}

/// What changed, one row per difference.
#[component]
fn Differences(differences: Vec<PolicyDifference>) -> impl IntoView {
    let i18n = use_i18n();
    let shown = |value: &Option<serde_json::Value>| {
        value.as_ref().map(ToString::to_string).unwrap_or_default()
    };
    view! {
        <h2>{t!(i18n, policy_changes)}</h2>
        {differences.is_empty().then(|| view! { <p class="empty">{t!(i18n, policy_no_changes)}</p> })}
        <table class="policy-diff" data-testid="policy-diff">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, policy_change_where)}</th>
                    <th scope="col">{t!(i18n, policy_change_before)}</th>
                    <th scope="col">{t!(i18n, policy_change_after)}</th>
                </tr>
            </thead>
            <tbody>
                {differences
                    .iter()
                    .map(|difference| view! {
                        <tr data-testid="policy-difference">
                            <td><code>{difference.path.clone()}</code></td>
                            <td class="before">{shown(&difference.before)}</td>
                            <td class="after">{shown(&difference.after)}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
