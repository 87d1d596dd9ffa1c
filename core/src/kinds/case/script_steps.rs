//! The guided script on a complaint or a feedback case (seed 000 §6, §7; SPEC §4, §5): each
//! step the agent completes is one `script_step` entry, checked in order against the script
//! version the case started with (`rules::script`). Entries are never changed, so a run
//! paused on one device resumes on another from what the timeline holds; the case's creator
//! stays its owner (首接负责制) whoever adds a step.

use crate::account::roles;
use crate::input::InputError;
use crate::kinds::{CaseWorkflow, Context, EventRule};
use crate::lang::Bilingual;
use crate::record::{Origin, Record};
use crate::rules::script::{ScriptPolicy, StepRecord, check_step};
use crate::sync::Op;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The script's timeline entry.
pub mod event {
    /// One completed step: a [`crate::rules::script::StepRecord`].
    pub const SCRIPT_STEP: &str = "script_step";
}

/// The guided script as a workflow on a case.
pub struct ScriptSteps;

impl CaseWorkflow for ScriptSteps {
    fn events(&self) -> &'static [EventRule] {
        // QA reads and reviews but completes no step; a packer has no script.
        &[EventRule {
            kind: event::SCRIPT_STEP,
            roles: roles::DESK,
        }]
    }

    fn check_event(&self, _kind: &str, data: &Value) -> Result<(), InputError> {
        serde_json::from_value::<StepRecord>(data.clone())
            .map(drop)
            .map_err(|_| InputError::ScriptStepInvalid)
    }

    fn customer_readable<'a>(&self, op: &'a Op) -> Option<(&'static str, &'a str)> {
        match op {
            Op::Append { kind, data, .. } if kind == event::SCRIPT_STEP => {
                data["said"].as_str().map(|said| (event::SCRIPT_STEP, said))
            }
            _ => None,
        }
    }

    fn check_in_context(&self, context: &Context) -> Result<(), Bilingual> {
        let Op::Append { kind, data, .. } = context.op else {
            return Ok(());
        };
        if kind != event::SCRIPT_STEP {
            return Ok(());
        }
        let record: StepRecord = serde_json::from_value(data.clone())
            .map_err(|_| InputError::ScriptStepInvalid.message())?;
        let Some(case) = context.existing else {
            return Err(InputError::ScriptStepInvalid.message());
        };
        let done: Vec<StepRecord> = steps_done(case).into_iter().map(|(step, _)| step).collect();
        check_step(
            &ScriptPolicy::from(context.policy),
            &case.text(super::field::KIND),
            &done,
            &record,
        )
        .map_err(|problem| problem.message())
    }
}

/// The steps a case's script has done, oldest first, each with who did it and when.
pub fn steps_done(case: &Record) -> Vec<(StepRecord, &Origin)> {
    case.entries_of::<StepRecord>(event::SCRIPT_STEP)
        .into_iter()
        .map(|(_, step, origin)| (step, origin))
        .collect()
}

/// Where a case's script stands, on its list row ([`super::Case`]): the version, the steps
/// done and the complaint's category and cause once registered (the fields of those ids), for
/// the complaints page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptSummary {
    pub version: u32,
    pub steps_done: usize,
    pub category: Option<String>,
    pub cause: Option<String>,
    /// When the last step was done.
    pub last_at: DateTime<Utc>,
}

/// `None` for a case whose script has not started.
pub fn script_summary(case: &Record) -> Option<ScriptSummary> {
    let done = steps_done(case);
    let (first, _) = done.first()?;
    let value = |id: &str| {
        done.iter()
            .find_map(|(step, _)| step.values.get(id).and_then(Value::as_str))
            .map(str::to_owned)
    };
    Some(ScriptSummary {
        version: first.version,
        steps_done: done.len(),
        category: value("category"),
        cause: value("cause"),
        last_at: done.last().map(|(_, origin)| origin.at)?,
    })
}
