//! The packing station's checklist (验货检查项, seed 003): what a packer checks on each returned
//! parcel, in order. The checks the return rules read keep their ids (the shared validation
//! refuses a list without them); a shop renames them and adds its own.

use super::PartPage;
use super::categories::{INSPECTION_CHECKS, LabelsForm};
use crate::i18n::{t, use_i18n};
use crate::routes::PolicyPart;
use kefu_core::policy::PolicyData;
use leptos::prelude::*;

#[component]
pub fn PolicyInspection() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PartPage
            part=PolicyPart::Inspection
            form=move |data: PolicyData| view! {
                <p class="muted">{t!(i18n, policy_inspection_hint)}</p>
                <LabelsForm list=&INSPECTION_CHECKS labels=data.inspection_checks />
            }
        />
    }
}
