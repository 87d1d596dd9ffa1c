//! Who reads a team's figures (the daily report, the monthly KPIs): its lead, a supervisor of
//! it, or an admin; nobody reads another team's, and an agent reads none, not even offline, as
//! the server sends the API's figures only to them. (A lead's device computes the same figures
//! from the records it holds, which are its team's only.)

use crate::access::visibility;
use crate::account::{Denied, UserInfo, roles};

/// Whether `user` may see which teams have sent their daily reports: a supervisor or an admin,
/// who oversee every team's.
pub fn may_read_report_states(user: &UserInfo) -> Result<(), Denied> {
    if roles::SUPERVISORS.contains(&user.role) {
        Ok(())
    } else {
        Err(Denied::SupervisorsOnly)
    }
}

/// Whether `user` may read `team`'s figures.
pub fn may_read_figures(user: &UserInfo, team: &str) -> Result<(), Denied> {
    if !roles::LEADS.contains(&user.role) {
        return Err(Denied::FiguresLeadsOnly);
    }
    if !visibility(user).includes(team) {
        return Err(Denied::OtherTeam);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Role;

    #[test]
    fn who_reads_a_teams_figures_table() {
        let table = [
            (Role::TeamLead, "east", Ok(())),
            (Role::TeamLead, "west", Err(Denied::OtherTeam)),
            (Role::Supervisor, "east", Ok(())),
            (Role::Supervisor, "west", Err(Denied::OtherTeam)),
            (Role::Admin, "west", Ok(())),
            (Role::Agent, "east", Err(Denied::FiguresLeadsOnly)),
            (Role::Qa, "east", Err(Denied::FiguresLeadsOnly)),
            (Role::Packer, "east", Err(Denied::FiguresLeadsOnly)),
        ];
        for (role, team, expected) in table {
            let user = UserInfo {
                username: "someone".into(),
                display_name: String::new(),
                role,
                team: "east".into(),
            };
            assert_eq!(
                may_read_figures(&user, team),
                expected,
                "{role:?} reading {team}"
            );
            let states = match role {
                Role::Supervisor | Role::Admin => Ok(()),
                _ => Err(Denied::SupervisorsOnly),
            };
            assert_eq!(
                may_read_report_states(&user),
                states,
                "{role:?}, reports sent"
            );
        }
    }
}
