//! QA reviews on a case (质检, SPEC §7): a QA inspector's score and comment. QA reads cases
//! and adds reviews, and changes nothing else of them.

use crate::account::{UserInfo, roles};
use crate::input::InputError;
use crate::kinds::{CaseWorkflow, EventRule};
use crate::record::Event;
use serde_json::Value;

/// The highest score a review gives.
pub const QA_SCORE_MAX: u64 = 100;

/// The QA review's timeline entry.
pub mod event {
    /// A QA inspector's review: `{"score": 0–100, "comment": "…"}`.
    pub const QA_REVIEW: &str = "qa_review";
}

/// QA reviews as a workflow on a case.
pub struct QaReviews;

impl CaseWorkflow for QaReviews {
    fn events(&self) -> &'static [EventRule] {
        &[EventRule {
            kind: event::QA_REVIEW,
            roles: roles::QA,
        }]
    }

    /// A review is read by the agent it reviews (`agent`) and by those who oversee the team,
    /// not by the rest of the team (issue 27).
    fn may_read(&self, user: &UserInfo, event: &Event) -> bool {
        roles::OVERSIGHT.contains(&user.role) || event.data["agent"] == user.username.as_str()
    }

    fn check_event(&self, _kind: &str, data: &Value) -> Result<(), InputError> {
        match data["score"].as_u64() {
            Some(score) if score <= QA_SCORE_MAX => Ok(()),
            _ => Err(InputError::ScoreInvalid { max: QA_SCORE_MAX }),
        }
    }
}
