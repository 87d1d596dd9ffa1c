//! The complaint and feedback scripts (处理流程): each step's name and guidance. A case runs the
//! script version it started with, so an edit is saved as the script's next version, and cases
//! under way keep theirs; new cases start with the new one.

use super::{FieldProblem, PartPage, PolicyEditor, SaveButton, SaveOutcome};
use crate::components::chip_group::ChipGroup;
use crate::i18n::{t, t_string, use_i18n};
use crate::routes::PolicyPart;
use kefu_core::policy::{PolicyData, Script};
use leptos::prelude::*;

#[component]
pub fn PolicyScripts() -> impl IntoView {
    view! { <PartPage part=PolicyPart::Scripts form=|data: PolicyData| view! { <ScriptsForm scripts=data.scripts /> } /> }
}

/// The latest version of each case kind's script, in the policy's order.
fn latest_scripts(scripts: &[Script]) -> Vec<Script> {
    let mut latest: Vec<Script> = Vec::new();
    for script in scripts {
        match latest
            .iter_mut()
            .find(|each| each.case_kind == script.case_kind)
        {
            Some(kept) if kept.version < script.version => *kept = script.clone(),
            Some(_) => {}
            None => latest.push(script.clone()),
        }
    }
    latest
}

#[component]
fn ScriptsForm(scripts: Vec<Script>) -> impl IntoView {
    let i18n = use_i18n();
    let latest = latest_scripts(&scripts);
    let kinds: Vec<String> = latest
        .iter()
        .map(|script| script.case_kind.clone())
        .collect();
    let chosen = RwSignal::new(kinds.first().cloned().unwrap_or_default());
    let latest = StoredValue::new(latest);
    view! {
        <ChipGroup
            legend=move || t!(i18n, policy_which_script)
            testid="policy-script-kinds"
            options=move || kinds.clone()
            selected=move || chosen.get()
            label=move |kind: &String| match kind.as_str() {
                "complaint" => t_string!(i18n, kind_complaint).to_string(),
                "feedback" => t_string!(i18n, kind_feedback).to_string(),
                other => other.to_owned(),
            }
            chip_testid=|kind: &String| format!("policy-script-{kind}")
            on_choose=move |kind: String| chosen.set(kind)
        />
        {move || {
            let kind = chosen.get();
            latest
                .with_value(|latest| latest.iter().find(|script| script.case_kind == kind).cloned())
                .map(|script| view! { <ScriptForm script=script /> })
        }}
    }
}

/// One step as typed.
#[derive(Clone, Copy)]
struct Step {
    zh: RwSignal<String>,
    en: RwSignal<String>,
    guidance_zh: RwSignal<String>,
    guidance_en: RwSignal<String>,
}

/// The steps of `script`, saved as its kind's next version.
#[component]
fn ScriptForm(script: Script) -> impl IntoView {
    let i18n = use_i18n();
    let editor = PolicyEditor::new();
    let steps: Vec<Step> = script
        .steps
        .iter()
        .map(|step| Step {
            zh: RwSignal::new(step.zh.clone()),
            en: RwSignal::new(step.en.clone()),
            guidance_zh: RwSignal::new(step.guidance.zh.clone()),
            guidance_en: RwSignal::new(step.guidance.en.clone()),
        })
        .collect();
    let version = script.version;
    let typed_steps = steps.clone();
    let base = StoredValue::new(script);
    // Where the new version goes in the policy's scripts: what a refusal's field names.
    let new_index = RwSignal::new(usize::MAX);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut next = base.get_value();
        for (step, typed) in next.steps.iter_mut().zip(&typed_steps) {
            step.zh = typed.zh.get_untracked().trim().to_owned();
            step.en = typed.en.get_untracked().trim().to_owned();
            step.guidance.zh = typed.guidance_zh.get_untracked().trim().to_owned();
            step.guidance.en = typed.guidance_en.get_untracked().trim().to_owned();
        }
        editor.save(move |data| {
            // After the last version saved, from this page or elsewhere.
            next.version = data
                .scripts
                .iter()
                .filter(|script| script.case_kind == next.case_kind)
                .map(|script| script.version)
                .max()
                .unwrap_or(0)
                + 1;
            new_index.set(data.scripts.len());
            data.scripts.push(next);
            Ok(())
        });
    };
    let path = move |index: usize, part: &str| {
        format!("scripts[{}].steps[{index}].{part}", new_index.get())
    };
    view! {
        <form class="policy-form" data-testid="policy-script" on:submit=on_submit>
            <p class="muted">{t!(i18n, policy_script_version, version = version)}</p>
            <SaveOutcome editor=editor />
            <ol class="policy-rows">
                {steps
                    .into_iter()
                    .enumerate()
                    .map(|(index, step)| {
                        let text = move |signal: RwSignal<String>, part: &'static str, testid: &'static str| {
                            view! {
                                <input
                                    data-testid=testid
                                    aria-invalid=move || editor.refuses(&path(index, part)).to_string()
                                    prop:value=signal
                                    on:input=move |ev| signal.set(event_target_value(&ev))
                                />
                            }
                        };
                        view! {
                            <li class="policy-row" data-testid="script-step">
                                <div class="form-row">
                                    <label>{t!(i18n, policy_step_name_zh)}{text(step.zh, "zh", "step-zh")}</label>
                                    <label>{t!(i18n, policy_step_name_en)}{text(step.en, "en", "step-en")}</label>
                                </div>
                                <div class="form-row">
                                    <label>{t!(i18n, policy_guidance_zh)}{text(step.guidance_zh, "guidance.zh", "guidance-zh")}</label>
                                    <label>{t!(i18n, policy_guidance_en)}{text(step.guidance_en, "guidance.en", "guidance-en")}</label>
                                </div>
                                <FieldProblem editor=editor path=Signal::derive(move || format!("scripts[{}].steps[{index}]", new_index.get())) />
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <SaveButton />
        </form>
    }
}
