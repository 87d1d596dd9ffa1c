//! The policy record kind: the shop's policy as one synced record (`POLICY_RECORD_ID`) whose
//! one field holds the whole validated policy. Only an admin changes it.

use crate::account::{Denied, Role, UserInfo};
use crate::input::InputError;
use crate::kinds::RecordKind;
use crate::policy::{POLICY_DATA_FIELD, Policy, PolicyError};
use crate::record::{Record, SHARED_TEAM};
use crate::sync::Op;
use serde_json::Value;

/// The policy record kind.
pub struct ShopPolicy;

impl RecordKind for ShopPolicy {
    /// Every signed-in user reads the policy.
    fn team_for_new(&self, _user: &UserInfo) -> String {
        SHARED_TEAM.to_owned()
    }

    fn may_change(
        &self,
        user: &UserInfo,
        _existing: Option<&Record>,
        _op: &Op,
    ) -> Result<(), Denied> {
        admin_only(user)
    }

    fn check_op(&self, op: &Op) -> Result<(), InputError> {
        match op {
            Op::Create { fields } => {
                if !fields.contains_key(POLICY_DATA_FIELD) {
                    return Err(InputError::MissingField {
                        field: POLICY_DATA_FIELD.to_owned(),
                    });
                }
                fields
                    .iter()
                    .try_for_each(|(name, value)| check_policy_field(name, value))
            }
            Op::Set { field, value, .. } => check_policy_field(field, value),
            Op::Append { kind, .. } => Err(InputError::UnknownEvent { kind: kind.clone() }),
            Op::Delete => Ok(()),
        }
    }

    /// Every version, so an admin can see who changed what and restore an earlier policy.
    fn keeps_history(&self) -> bool {
        true
    }
}

/// Only an admin reads the policy's history: it is the admin's tool, and the policy in force
/// is on every device anyway.
pub fn may_read_history(user: &UserInfo) -> Result<(), Denied> {
    admin_only(user)
}

fn admin_only(user: &UserInfo) -> Result<(), Denied> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(Denied::AdminOnly)
    }
}

fn check_policy_field(name: &str, value: &Value) -> Result<(), InputError> {
    if name != POLICY_DATA_FIELD {
        return Err(InputError::UnknownField {
            field: name.to_owned(),
        });
    }
    Policy::from_json(value.clone()).map(drop).map_err(|error| {
        let field = match &error {
            PolicyError::Invalid { field, .. } => field.clone(),
            PolicyError::Syntax { .. } => POLICY_DATA_FIELD.to_owned(),
        };
        InputError::PolicyInvalid {
            field,
            reason: error.message(),
        }
    })
}
