//! The shop's policy: the manuals' lists and numbers as validated data, with the defaults embedded.
//!
//! A [`Policy`] can only be made by loading and validating a file (TOML here, JSON when the
//! server sends it), so every rule may rely on it: tiers do not overlap, working days end after
//! they start, every id a rule follows points somewhere.

pub mod banned_phrases;
pub mod diff;
mod error;
mod formats;
pub mod history;
mod schema;
mod validate;

pub use error::{PolicyError, PolicyProblem, UnknownEntry};
pub use schema::*;

use banned_phrases::BannedPhraseChecker;
use serde::{Deserialize, Serialize};
use std::ops::Deref;
use std::sync::LazyLock;
use uuid::Uuid;

/// The shop's policy travels to devices as one synced record with this id, whose one field
/// [`POLICY_DATA_FIELD`] holds the whole policy; that version's change id names the policy
/// version a decision used.
pub const POLICY_RECORD_ID: Uuid = Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0001);
pub const POLICY_DATA_FIELD: &str = "data";

/// The policy compiled from the manuals (seeds 000–004), used until a shop saves its own.
pub const DEFAULT_POLICY_TOML: &str = include_str!("../policy/default.toml");

static DEFAULT_POLICY: LazyLock<Policy> = LazyLock::new(|| {
    Policy::from_toml_str(DEFAULT_POLICY_TOML)
        // Proven valid by the `default_policy_is_valid` test, so this cannot fire in a build
        // that passed its tests.
        .unwrap_or_else(|error| panic!("the embedded default policy is invalid: {error}"))
});

/// A validated policy. Read its data through `Deref` (`policy.channels`, ...).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "PolicyData", into = "PolicyData")]
pub struct Policy {
    data: PolicyData,
    phrase_checker: BannedPhraseChecker,
}

impl Policy {
    /// Parsed once, on first use.
    pub fn default_policy() -> &'static Policy {
        &DEFAULT_POLICY
    }

    pub fn from_toml_str(text: &str) -> Result<Policy, PolicyError> {
        let data: PolicyData = toml::from_str(text).map_err(|error| PolicyError::Syntax {
            message: error.to_string(),
        })?;
        Policy::try_from(data)
    }

    /// A policy as devices and the server exchange it (the policy record's field), read and
    /// validated, each failure naming its field.
    pub fn from_json(value: serde_json::Value) -> Result<Policy, PolicyError> {
        let data: PolicyData =
            serde_json::from_value(value).map_err(|error| PolicyError::Syntax {
                message: error.to_string(),
            })?;
        Policy::try_from(data)
    }

    /// The policy as a TOML file, for a backup or a shop that keeps its policy in git; what
    /// [`Policy::from_toml_str`] reads back.
    pub fn to_toml(&self) -> Result<String, PolicyError> {
        toml::to_string(&self.data).map_err(|error| PolicyError::Syntax {
            message: error.to_string(),
        })
    }

    pub fn data(&self) -> &PolicyData {
        &self.data
    }

    /// The banned-phrase list, compiled when the policy was loaded.
    pub fn banned_phrases(&self) -> &BannedPhraseChecker {
        &self.phrase_checker
    }

    pub fn item_class(&self, id: &str) -> Result<&ItemClass, UnknownEntry> {
        item_class_in(&self.item_classes, id)
    }

    pub fn return_reason(&self, id: &str) -> Result<&ReturnReason, UnknownEntry> {
        return_reason_in(&self.return_reasons, id)
    }

    pub fn province(&self, id: &str) -> Result<&Label, UnknownEntry> {
        province_in(&self.provinces, id)
    }

    pub fn courier(&self, id: &str) -> Result<&Courier, UnknownEntry> {
        courier_in(&self.couriers, id)
    }
}

/// A stored policy written before a newer build added lists to the policy (scripts, escalation
/// reasons, ...) does not read as a policy any more. This gives it each list it lacks from the
/// default, keeping everything the shop set; `None` when nothing is missing, or when even so
/// completed it does not read (then it is a newer build's, or broken, and is left alone).
pub fn with_missing_defaults(stored: &serde_json::Value) -> Option<serde_json::Value> {
    let serde_json::Value::Object(stored) = stored else {
        return None;
    };
    let serde_json::Value::Object(defaults) =
        serde_json::to_value(Policy::default_policy()).ok()?
    else {
        return None;
    };
    let mut completed = stored.clone();
    for (key, value) in defaults {
        completed.entry(key).or_insert(value);
    }
    if completed.len() == stored.len() {
        return None;
    }
    let completed = serde_json::Value::Object(completed);
    serde_json::from_value::<Policy>(completed.clone())
        .ok()
        .map(|_| completed)
}

/// The entry named `id` in the policy list `list` (`entries`), or which list lacks it.
fn entry_in<'a, T>(
    entries: &'a [T],
    list: &'static str,
    id: &str,
    id_of: impl Fn(&T) -> &str,
) -> Result<&'a T, UnknownEntry> {
    entries
        .iter()
        .find(|entry| id_of(entry) == id)
        .ok_or_else(|| UnknownEntry::new(list, id))
}

/// The province `id` among `provinces`: the one lookup the courier rules, the return-shipping
/// allowance and the after-sales guide share.
pub fn province_in<'a>(provinces: &'a [Label], id: &str) -> Result<&'a Label, UnknownEntry> {
    entry_in(provinces, "provinces", id, |province| &province.id)
}

/// The item class `id` among `classes`: the one lookup the courier and return rules share.
pub fn item_class_in<'a>(
    classes: &'a [ItemClass],
    id: &str,
) -> Result<&'a ItemClass, UnknownEntry> {
    entry_in(classes, "item_classes", id, |class| &class.id)
}

/// The return reason `id` among `reasons`.
pub fn return_reason_in<'a>(
    reasons: &'a [ReturnReason],
    id: &str,
) -> Result<&'a ReturnReason, UnknownEntry> {
    entry_in(reasons, "return_reasons", id, |reason| &reason.id)
}

/// The courier `id` among `couriers`.
pub fn courier_in<'a>(couriers: &'a [Courier], id: &str) -> Result<&'a Courier, UnknownEntry> {
    entry_in(couriers, "couriers", id, |courier| &courier.id)
}

impl Deref for Policy {
    type Target = PolicyData;

    fn deref(&self) -> &PolicyData {
        &self.data
    }
}

impl TryFrom<PolicyData> for Policy {
    type Error = PolicyError;

    fn try_from(data: PolicyData) -> Result<Policy, PolicyError> {
        validate::check(&data)?;
        let phrase_checker = BannedPhraseChecker::build(&data.banned_phrases)?;
        Ok(Policy {
            data,
            phrase_checker,
        })
    }
}

impl From<Policy> for PolicyData {
    fn from(policy: Policy) -> PolicyData {
        policy.data
    }
}
