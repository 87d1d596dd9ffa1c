//! Who may manage accounts and teams, for every role; and the forms' checks.

use super::*;

fn user(username: &str, role: Role, team: &str) -> UserInfo {
    UserInfo {
        username: username.into(),
        display_name: username.into(),
        role,
        team: team.into(),
    }
}

#[test]
fn only_an_admin_manages_and_a_lead_sees_only_their_own_team() {
    let agent = user("amy", Role::Agent, "north");
    let promote = AccountUpdate {
        role: Some(Role::TeamLead),
        ..AccountUpdate::default()
    };
    let rename = AccountUpdate {
        display_name: Some("Amy W".into()),
        ..AccountUpdate::default()
    };
    let own_team = AccountAction::ListMembers {
        team: Some("north"),
    };
    let other_team = AccountAction::ListMembers {
        team: Some("south"),
    };
    let every_team = AccountAction::ListMembers { team: None };
    let create = AccountAction::CreateAccount;
    let update = AccountAction::UpdateAccount {
        target: &agent,
        update: &promote,
    };
    let reset = AccountAction::ResetPassword { target: &agent };
    let teams = AccountAction::ManageTeams;
    let all = [
        own_team, other_team, every_team, create, update, reset, teams,
    ];
    // Per role: which of `all` are allowed, in order.
    let table = [
        (Role::Admin, [true, true, true, true, true, true, true]),
        (
            Role::TeamLead,
            [true, false, false, false, false, false, false],
        ),
        (Role::Agent, [false; 7]),
        (Role::Qa, [false; 7]),
        (Role::Supervisor, [false; 7]),
        (Role::Packer, [false; 7]),
    ];
    for (role, allowed) in table {
        let caller = user("caller", role, "north");
        for (action, allowed) in all.iter().zip(allowed) {
            let verdict = may_manage(&caller, *action);
            assert_eq!(verdict.is_ok(), allowed, "{role:?} {action:?}");
            if !allowed {
                assert_eq!(verdict, Err(Denied::AdminOnly));
            }
        }
    }
    // Renaming someone is an admin's too.
    let lead = user("lee", Role::TeamLead, "north");
    let rename_amy = AccountAction::UpdateAccount {
        target: &agent,
        update: &rename,
    };
    assert_eq!(may_manage(&lead, rename_amy), Err(Denied::AdminOnly));
}

#[test]
fn nobody_changes_their_own_role_or_switches_themselves_off() {
    let admin = user("root", Role::Admin, "hq");
    let demote = AccountUpdate {
        role: Some(Role::Agent),
        ..AccountUpdate::default()
    };
    let same_role = AccountUpdate {
        role: Some(Role::Admin),
        display_name: Some("Boss".into()),
        ..AccountUpdate::default()
    };
    let disable = AccountUpdate {
        active: Some(false),
        ..AccountUpdate::default()
    };
    let move_team = AccountUpdate {
        team: Some("north".into()),
        ..AccountUpdate::default()
    };
    let own = |update| AccountAction::UpdateAccount {
        target: &admin,
        update,
    };
    assert_eq!(may_manage(&admin, own(&demote)), Err(Denied::OwnAccount));
    assert_eq!(may_manage(&admin, own(&disable)), Err(Denied::OwnAccount));
    assert_eq!(may_manage(&admin, own(&same_role)), Ok(()));
    assert_eq!(may_manage(&admin, own(&move_team)), Ok(()));
    let agent = user("amy", Role::Agent, "north");
    let promote_self = AccountUpdate {
        role: Some(Role::Admin),
        ..AccountUpdate::default()
    };
    let action = AccountAction::UpdateAccount {
        target: &agent,
        update: &promote_self,
    };
    assert_eq!(may_manage(&agent, action), Err(Denied::AdminOnly));
}

#[test]
fn a_new_role_team_or_a_disabled_account_ends_its_sessions() {
    let before = AccountInfo {
        user: user("amy", Role::Agent, "north"),
        active: true,
        must_change_password: false,
    };
    let cases = [
        (AccountUpdate::default(), false),
        (
            AccountUpdate {
                display_name: Some("Amy".into()),
                ..Default::default()
            },
            false,
        ),
        (
            AccountUpdate {
                role: Some(Role::Agent),
                ..Default::default()
            },
            false,
        ),
        (
            AccountUpdate {
                role: Some(Role::Qa),
                ..Default::default()
            },
            true,
        ),
        (
            AccountUpdate {
                team: Some("north".into()),
                ..Default::default()
            },
            false,
        ),
        (
            AccountUpdate {
                team: Some("south".into()),
                ..Default::default()
            },
            true,
        ),
        (
            AccountUpdate {
                active: Some(true),
                ..Default::default()
            },
            false,
        ),
        (
            AccountUpdate {
                active: Some(false),
                ..Default::default()
            },
            true,
        ),
    ];
    for (update, ends) in cases {
        assert_eq!(update.ends_sessions(&before), ends, "{update:?}");
    }
}

#[test]
fn forms_name_the_field_that_is_wrong() {
    let good = NewAccount {
        username: "amy.w".into(),
        display_name: "王艾米".into(),
        role: Role::Agent,
        team: "north".into(),
    };
    assert_eq!(good.check(), Ok(()));
    let cases = [
        (
            NewAccount {
                username: "Amy".into(),
                ..good.clone()
            },
            "username",
        ),
        (
            NewAccount {
                username: "a".into(),
                ..good.clone()
            },
            "username",
        ),
        (
            NewAccount {
                username: "amy w".into(),
                ..good.clone()
            },
            "username",
        ),
        (
            NewAccount {
                username: "a".repeat(33),
                ..good.clone()
            },
            "username",
        ),
        (
            NewAccount {
                display_name: "  ".into(),
                ..good.clone()
            },
            "display_name",
        ),
        (
            NewAccount {
                display_name: "名".repeat(41),
                ..good.clone()
            },
            "display_name",
        ),
        (
            NewAccount {
                team: "North".into(),
                ..good.clone()
            },
            "team",
        ),
    ];
    for (account, field) in cases {
        let problem = account.check().expect_err(&account.username);
        assert_eq!(problem.field, field, "{account:?}");
        assert!(!problem.message.zh.is_empty() && !problem.message.en.is_empty());
    }
    let team = TeamInfo {
        id: "north".into(),
        name: "北区".into(),
    };
    assert_eq!(team.check(), Ok(()));
    let bad_id = TeamInfo {
        id: "北".into(),
        ..team.clone()
    };
    assert_eq!(bad_id.check().unwrap_err().field, "id");
    let no_name = TeamInfo {
        name: String::new(),
        ..team
    };
    assert_eq!(no_name.check().unwrap_err().field, "name");
    let bad_update = AccountUpdate {
        team: Some("x".into()),
        ..Default::default()
    };
    assert_eq!(bad_update.check().unwrap_err().field, "team");
}

#[test]
fn session_ends_round_trip_through_their_names() {
    for end in [
        SessionEnd::SignedOut,
        SessionEnd::AccountDisabled,
        SessionEnd::AccountChanged,
        SessionEnd::PasswordChanged,
    ] {
        assert_eq!(SessionEnd::parse(end.as_str()), Some(end));
        assert_eq!(serde_json::to_value(end).unwrap(), end.as_str());
    }
    assert_eq!(SessionEnd::parse("expired"), None);
}
