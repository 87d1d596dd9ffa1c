//! Which policy version a decision was made under (a promised reply's deadline, a compensation
//! within its tier): the answer to "why this deadline?", and whether a newer policy has come
//! since.

use crate::i18n::{t, use_i18n};
use crate::policy::use_policy;
use kefu_core::policy::history::short_version;
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn PolicyVersion(version: Uuid, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let short = short_version(version);
    view! {
        <small class="muted policy-version" data-testid=testid>
            {move || {
                let short = short.clone();
                if policy.version.get() == Some(version) {
                    t!(i18n, decided_under_current_policy, version = move || short.clone()).into_any()
                } else {
                    t!(i18n, decided_under_earlier_policy, version = move || short.clone()).into_any()
                }
            }}
        </small>
    }
}
