//! Guided scripts (seed 000 §6 客服投诉受理流程, §7 反馈受理): the steps are policy data; here
//! is which step comes next and whether a step's record completes it. Steps only in order,
//! each with its required fields, against the script version the case started with.

use crate::input::NOTE_MAX_CHARS;
use crate::lang::Bilingual;
use crate::policy::{ChoiceList, Label, Policy, Script, ScriptField, ScriptInput, ScriptStep};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// What the scripts need of the policy: the scripts and the lists their choices pick from.
#[derive(Debug, Clone, Copy)]
pub struct ScriptPolicy<'a> {
    pub scripts: &'a [Script],
    pub customer_mindsets: &'a [Label],
    pub customer_needs: &'a [Label],
    pub fault_sides: &'a [Label],
    pub complaint_categories: &'a [Label],
    pub complaint_causes: &'a [Label],
    pub departments: &'a [Label],
    pub contact_methods: &'a [Label],
}

impl<'a> From<&'a Policy> for ScriptPolicy<'a> {
    fn from(policy: &'a Policy) -> Self {
        ScriptPolicy {
            scripts: &policy.scripts,
            customer_mindsets: &policy.customer_mindsets,
            customer_needs: &policy.customer_needs,
            fault_sides: &policy.fault_sides,
            complaint_categories: &policy.complaint_categories,
            complaint_causes: &policy.complaint_causes,
            departments: &policy.departments,
            contact_methods: &policy.contact_methods,
        }
    }
}

impl<'a> ScriptPolicy<'a> {
    pub fn list(&self, list: ChoiceList) -> &'a [Label] {
        match list {
            ChoiceList::CustomerMindsets => self.customer_mindsets,
            ChoiceList::CustomerNeeds => self.customer_needs,
            ChoiceList::FaultSides => self.fault_sides,
            ChoiceList::ComplaintCategories => self.complaint_categories,
            ChoiceList::ComplaintCauses => self.complaint_causes,
            ChoiceList::Departments => self.departments,
            ChoiceList::ContactMethods => self.contact_methods,
        }
    }

    /// The version a new run of `case_kind`'s script starts with: the highest.
    pub fn latest(&self, case_kind: &str) -> Option<&'a Script> {
        self.scripts
            .iter()
            .filter(|script| script.case_kind == case_kind)
            .max_by_key(|script| script.version)
    }

    pub fn version(&self, case_kind: &str, version: u32) -> Option<&'a Script> {
        self.scripts
            .iter()
            .find(|script| script.case_kind == case_kind && script.version == version)
    }

    /// The name of entry `id` of a choice's list, or the id itself when the list lacks it.
    pub fn choice_name(&self, list: ChoiceList, id: &str) -> Bilingual {
        self.list(list)
            .iter()
            .find(|label| label.id == id)
            .map(Label::name)
            .unwrap_or_else(|| Bilingual::new(id, id))
    }
}

/// One step as recorded on a case (the `script_step` entry's data). The text the customer
/// hears, if the step has one, is kept apart in `said`, so the banned-phrase check finds it
/// without the policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepRecord {
    pub version: u32,
    pub step: String,
    pub values: BTreeMap<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub said: Option<String>,
}

impl StepRecord {
    /// `values` as a form holds them, with the step's customer-read text moved to `said`.
    pub fn new(
        script: &Script,
        step: &ScriptStep,
        mut values: BTreeMap<String, Value>,
    ) -> StepRecord {
        let said = step
            .fields
            .iter()
            .find(|field| field.customer_reads)
            .and_then(|field| values.remove(&field.id))
            .and_then(|value| value.as_str().map(str::to_owned));
        StepRecord {
            version: script.version,
            step: step.id.clone(),
            values,
            said,
        }
    }

    /// The value recorded for `field`.
    pub fn value(&self, field: &ScriptField) -> Option<Value> {
        if field.customer_reads {
            self.said.clone().map(Value::String)
        } else {
            self.values.get(&field.id).cloned()
        }
    }
}

/// Why a step cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptProblem {
    /// The case's kind has no script (or not this version) in the policy.
    NoScript {
        case_kind: String,
        version: u32,
    },
    /// The case started with another version.
    VersionChanged {
        started: u32,
    },
    Finished,
    OutOfOrder {
        expected: Bilingual,
        step: String,
    },
    Missing {
        name: Bilingual,
    },
    NotAnOption {
        name: Bilingual,
        value: String,
    },
    TooLong {
        name: Bilingual,
    },
    WrongType {
        name: Bilingual,
    },
    UnknownField {
        id: String,
    },
}

impl ScriptProblem {
    pub fn message(&self) -> Bilingual {
        match self {
            ScriptProblem::NoScript { case_kind, version } => Bilingual::new(
                format!("政策中没有“{case_kind}”的第 {version} 版话术"),
                format!("The policy has no version {version} of the {case_kind} script"),
            ),
            ScriptProblem::VersionChanged { started } => Bilingual::new(
                format!("这个工单按第 {started} 版话术开始，步骤须沿用该版本"),
                format!(
                    "This case started with version {started} of the script; its steps keep it"
                ),
            ),
            ScriptProblem::Finished => {
                Bilingual::new("话术的步骤已全部完成", "Every step of the script is done")
            }
            ScriptProblem::OutOfOrder { expected, step } => Bilingual::new(
                format!("请按顺序完成步骤：下一步是“{}”，不是“{step}”", expected.zh),
                format!(
                    "Steps go in order: the next is \"{}\", not \"{step}\"",
                    expected.en
                ),
            ),
            ScriptProblem::Missing { name } => Bilingual::new(
                format!("请填写“{}”", name.zh),
                format!("Please fill in \"{}\"", name.en),
            ),
            ScriptProblem::NotAnOption { name, value } => Bilingual::new(
                format!("“{value}”不是“{}”的可选项", name.zh),
                format!("\"{value}\" is not an option for \"{}\"", name.en),
            ),
            ScriptProblem::TooLong { name } => Bilingual::new(
                format!("“{}”不能超过 {NOTE_MAX_CHARS} 个字", name.zh),
                format!("\"{}\" can be at most {NOTE_MAX_CHARS} characters", name.en),
            ),
            ScriptProblem::WrongType { name } => Bilingual::new(
                format!("“{}”的内容格式不对，可能需要更新应用", name.zh),
                format!(
                    "\"{}\" is not in the right form; the app may need an update",
                    name.en
                ),
            ),
            ScriptProblem::UnknownField { id } => Bilingual::new(
                format!("这一步没有“{id}”这一项"),
                format!("This step has no field \"{id}\""),
            ),
        }
    }
}

/// The step after `done` (the steps recorded, in order), or `None` when the script is done.
pub fn next_step<'a>(script: &'a Script, done: &[StepRecord]) -> Option<&'a ScriptStep> {
    script.steps.get(done.len())
}

/// The script a case of `case_kind` follows: the version its first step recorded, or the
/// latest for a case not started.
pub fn script_for<'a>(
    policy: &ScriptPolicy<'a>,
    case_kind: &str,
    done: &[StepRecord],
) -> Result<&'a Script, ScriptProblem> {
    let found = match done.first() {
        Some(first) => policy.version(case_kind, first.version),
        None => policy.latest(case_kind),
    };
    found.ok_or_else(|| ScriptProblem::NoScript {
        case_kind: case_kind.to_owned(),
        version: done.first().map_or(0, |first| first.version),
    })
}

/// Whether `record` completes the next step of a case of `case_kind` whose steps so far are
/// `done`: the device checks it before saving, the server again before storing.
pub fn check_step(
    policy: &ScriptPolicy,
    case_kind: &str,
    done: &[StepRecord],
    record: &StepRecord,
) -> Result<(), ScriptProblem> {
    let script =
        match done.first() {
            Some(first) if first.version != record.version => {
                return Err(ScriptProblem::VersionChanged {
                    started: first.version,
                });
            }
            Some(_) => script_for(policy, case_kind, done)?,
            None => policy.version(case_kind, record.version).ok_or_else(|| {
                ScriptProblem::NoScript {
                    case_kind: case_kind.to_owned(),
                    version: record.version,
                }
            })?,
        };
    let step = next_step(script, done).ok_or(ScriptProblem::Finished)?;
    if step.id != record.step {
        return Err(ScriptProblem::OutOfOrder {
            expected: step.name(),
            step: record.step.clone(),
        });
    }
    if let Some(unknown) = record.values.keys().find(|id| {
        !step
            .fields
            .iter()
            .any(|field| &field.id == *id && !field.customer_reads)
    }) {
        return Err(ScriptProblem::UnknownField {
            id: unknown.clone(),
        });
    }
    if record.said.is_some() && !step.fields.iter().any(|field| field.customer_reads) {
        return Err(ScriptProblem::UnknownField { id: "said".into() });
    }
    step.fields
        .iter()
        .try_for_each(|field| check_value(policy, field, record.value(field)))
}

fn check_value(
    policy: &ScriptPolicy,
    field: &ScriptField,
    value: Option<Value>,
) -> Result<(), ScriptProblem> {
    let name = field.name();
    let missing = || ScriptProblem::Missing { name: field.name() };
    match (field.input, value) {
        (_, None | Some(Value::Null)) if field.required => Err(missing()),
        (_, None | Some(Value::Null)) => Ok(()),
        (ScriptInput::Check, Some(Value::Bool(ticked))) => {
            if field.required && !ticked {
                Err(missing())
            } else {
                Ok(())
            }
        }
        (ScriptInput::Text, Some(Value::String(text))) => {
            if field.required && text.trim().is_empty() {
                Err(missing())
            } else if text.chars().count() > NOTE_MAX_CHARS {
                Err(ScriptProblem::TooLong { name })
            } else {
                Ok(())
            }
        }
        (ScriptInput::Choice, Some(Value::String(id))) => {
            let list = field.list.map(|list| policy.list(list)).unwrap_or_default();
            let blank = id.trim().is_empty();
            if list.iter().any(|label| label.id == id) || (blank && !field.required) {
                Ok(())
            } else if blank {
                Err(missing())
            } else {
                Err(ScriptProblem::NotAnOption { name, value: id })
            }
        }
        _ => Err(ScriptProblem::WrongType { name }),
    }
}

#[cfg(test)]
mod tests;
