//! Accounts and teams, for admins: create a team or rename it; create an account (a one-time
//! password is shown once), change its role or team, disable or enable it, reset its password.
//! A team lead sees their team's members. Online only: accounts are never kept on a device.
//! The server decides who may do what (`may_manage`); this page only offers it.

use crate::api::{self, ApiError};
use crate::i18n::{api_error_text, role_label, t, t_string, use_i18n};
use crate::session::use_session;
use kefu_core::account::Role;
use kefu_core::account::manage::{
    AccountInfo, AccountUpdate, NewAccount, OneTimePassword, TeamInfo,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What the page shows after an action: a one-time password to hand over, or an error.
#[derive(Clone)]
enum Outcome {
    Password(OneTimePassword),
    Failed(ApiError),
}

#[component]
pub fn Accounts() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let user = session.user_now();
    let is_admin = user.as_ref().is_some_and(|user| user.role == Role::Admin);
    let own_team = user.map(|user| user.team).unwrap_or_default();
    let token = session.token();
    let reload = RwSignal::new(0u32);
    let outcome = RwSignal::new(None::<Outcome>);
    let data = LocalResource::new({
        let (token, own_team) = (token.clone(), own_team.clone());
        move || {
            reload.track();
            let (token, own_team) = (token.clone(), own_team.clone());
            async move {
                let team = (!is_admin).then_some(own_team.as_str());
                let accounts = api::accounts(&token, team).await?;
                let teams = api::teams(&token).await?;
                Ok::<_, ApiError>((accounts, teams))
            }
        }
    });
    let context = Actions {
        token,
        reload,
        outcome,
    };
    view! {
        <section class="page accounts">
            {if is_admin {
                view! { <h1>{t!(i18n, nav_accounts)}</h1> }.into_any()
            } else {
                let team = own_team.clone();
                view! { <h1>{t!(i18n, members_title, team = team.clone())}</h1> }.into_any()
            }}
            {move || outcome.get().map(|shown| match shown {
                Outcome::Password(given) => view! {
                    <div class="one-time-password" role="status" data-testid="one-time-password">
                        <p>{t!(i18n, one_time_password, username = given.username.clone())}</p>
                        <p><code data-testid="one-time-password-value">{given.password.clone()}</code></p>
                        <p class="muted">{t!(i18n, one_time_password_hint)}</p>
                    </div>
                }.into_any(),
                Outcome::Failed(error) => view! {
                    <p class="error" role="alert" data-testid="accounts-error">{api_error_text(i18n, &error)}</p>
                }.into_any(),
            })}
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|answer| match answer {
                    Ok((accounts, teams)) if is_admin => view! {
                        <Teams teams=teams.clone() actions=context.clone() />
                        <NewAccountForm teams=teams.clone() actions=context.clone() />
                        <h2>{t!(i18n, users_title)}</h2>
                        <ul class="cards" data-testid="accounts">
                            {accounts.into_iter().map(|account| view! {
                                <AccountRow account=account teams=teams.clone() actions=context.clone() />
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Ok((accounts, _)) => view! {
                        <ul class="cards" data-testid="members">
                            {accounts.into_iter().map(|account| view! {
                                <li class="card" data-testid="member">
                                    <strong>{account.user.display_name.clone()}</strong>
                                    <span>{account.user.username.clone()}</span>
                                    <span>{role_label(i18n, account.user.role)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <p class="error" role="alert">{api_error_text(i18n, &error)}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// What every form of the page needs to act and show the result.
#[derive(Clone)]
struct Actions {
    token: String,
    reload: RwSignal<u32>,
    outcome: RwSignal<Option<Outcome>>,
}

impl Actions {
    /// Runs one request; a one-time password it returns is shown, an error too, and the page
    /// reloads its lists after a success.
    fn run<T, F>(
        &self,
        request: impl FnOnce(String) -> F + 'static,
        show: fn(T) -> Option<OneTimePassword>,
    ) where
        T: 'static,
        F: Future<Output = Result<T, ApiError>> + 'static,
    {
        let (token, reload, outcome) = (self.token.clone(), self.reload, self.outcome);
        spawn_local(async move {
            match request(token).await {
                Ok(answer) => {
                    outcome.set(show(answer).map(Outcome::Password));
                    reload.update(|n| *n += 1);
                }
                Err(error) => outcome.set(Some(Outcome::Failed(error))),
            }
        });
    }
}

fn nothing<T>(_: T) -> Option<OneTimePassword> {
    None
}

#[component]
fn Teams(teams: Vec<TeamInfo>, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let id = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let create = {
        let actions = actions.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let team = TeamInfo {
                id: id.get_untracked().trim().to_owned(),
                name: name.get_untracked(),
            };
            actions.run(
                move |token| async move { api::create_team(&token, &team).await },
                nothing,
            );
        }
    };
    view! {
        <h2>{t!(i18n, teams_title)}</h2>
        <ul class="cards" data-testid="teams">
            {teams.into_iter().map(|team| {
                let renamed = RwSignal::new(team.name.clone());
                let actions = actions.clone();
                let team_id = team.id.clone();
                let rename = move |event: leptos::ev::SubmitEvent| {
                    event.prevent_default();
                    let (id, name) = (team_id.clone(), renamed.get_untracked());
                    actions.run(move |token| async move { api::rename_team(&token, &id, &name).await }, nothing);
                };
                view! {
                    <li class="card" data-testid="team" data-team=team.id.clone()>
                        <form class="inline" on:submit=rename>
                            <code>{team.id.clone()}</code>
                            <label>
                                <span class="visually-hidden">{t!(i18n, team_name)}</span>
                                <input prop:value=renamed on:input=move |ev| renamed.set(event_target_value(&ev)) />
                            </label>
                            <button type="submit">{t!(i18n, rename_team)}</button>
                        </form>
                    </li>
                }
            }).collect_view()}
        </ul>
        <form class="inline" on:submit=create data-testid="new-team">
            <label>{t!(i18n, team_id)}<input data-testid="new-team-id" required prop:value=id on:input=move |ev| id.set(event_target_value(&ev)) /></label>
            <label>{t!(i18n, team_name)}<input data-testid="new-team-name" required prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) /></label>
            <button type="submit" class="primary" data-testid="create-team">{t!(i18n, create_team)}</button>
        </form>
    }
}

/// A role picker; `label` names it where no visible label does (a row of the accounts list).
#[component]
fn RoleSelect(
    #[prop(into)] value: Signal<Role>,
    on_pick: impl Fn(Role) + 'static,
    test_id: &'static str,
    #[prop(optional)] label: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <select data-testid=test_id aria-label=label on:change=move |ev| {
            if let Some(role) = Role::parse(&event_target_value(&ev)) {
                on_pick(role);
            }
        }>
            {Role::ALL.into_iter().map(|role| view! {
                <option value=role.as_str() selected=move || value.get() == role>{role_label(i18n, role)}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
fn TeamSelect(
    teams: Vec<TeamInfo>,
    #[prop(into)] value: Signal<String>,
    on_pick: impl Fn(String) + 'static,
    test_id: &'static str,
    #[prop(optional)] label: Option<String>,
) -> impl IntoView {
    view! {
        <select data-testid=test_id aria-label=label on:change=move |ev| on_pick(event_target_value(&ev))>
            {teams.into_iter().map(|team| {
                let id = team.id.clone();
                view! { <option value=team.id.clone() selected=move || value.get() == id>{team.name.clone()}</option> }
            }).collect_view()}
        </select>
    }
}

#[component]
fn NewAccountForm(teams: Vec<TeamInfo>, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Agent);
    let team = RwSignal::new(
        teams
            .first()
            .map(|team| team.id.clone())
            .unwrap_or_default(),
    );
    let problem = move || {
        let account = NewAccount {
            username: username.get(),
            display_name: display_name.get(),
            role: role.get(),
            team: team.get(),
        };
        (!account.username.is_empty())
            .then(|| account.check().err())
            .flatten()
    };
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let account = NewAccount {
            username: username.get_untracked().trim().to_owned(),
            display_name: display_name.get_untracked(),
            role: role.get_untracked(),
            team: team.get_untracked(),
        };
        username.set(String::new());
        display_name.set(String::new());
        actions.run(
            move |token| async move { api::create_account(&token, &account).await },
            Some,
        );
    };
    view! {
        <h2>{t!(i18n, create_user)}</h2>
        <form class="new-account" on:submit=create data-testid="new-account">
            <label>{t!(i18n, account_username)}<input data-testid="new-username" required autocomplete="off" prop:value=username on:input=move |ev| username.set(event_target_value(&ev)) /></label>
            <label>{t!(i18n, account_name)}<input data-testid="new-display-name" required prop:value=display_name on:input=move |ev| display_name.set(event_target_value(&ev)) /></label>
            <label>{t!(i18n, account_role)}<RoleSelect value=role on_pick=move |picked| role.set(picked) test_id="new-role" /></label>
            <label>{t!(i18n, account_team)}<TeamSelect teams=teams value=team on_pick=move |picked| team.set(picked) test_id="new-account-team" /></label>
            {move || problem().map(|problem| {
                let i18n = use_i18n();
                view! { <p class="error" role="alert" data-testid="new-account-error">{crate::i18n::localized(i18n, &problem.message)}</p> }
            })}
            <button type="submit" class="primary" data-testid="create-account" disabled=move || problem().is_some()>{t!(i18n, create_user)}</button>
        </form>
    }
}

#[component]
fn AccountRow(account: AccountInfo, teams: Vec<TeamInfo>, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let username = account.user.username.clone();
    let update = {
        let (actions, username) = (actions.clone(), username.clone());
        move |change: AccountUpdate| {
            let username = username.clone();
            actions.run(
                move |token| async move { api::update_account(&token, &username, &change).await },
                nothing,
            );
        }
    };
    let (on_role, on_team, on_active) = (update.clone(), update.clone(), update);
    let active = account.active;
    let reset = {
        let username = username.clone();
        move |_| {
            let username = username.clone();
            actions.run(
                move |token| async move { api::reset_password(&token, &username).await },
                Some,
            );
        }
    };
    view! {
        <li class="card account-row" data-testid="account" data-username=username.clone() data-active=active.to_string()>
            <strong>{account.user.display_name.clone()}</strong>
            <code>{username.clone()}</code>
            <RoleSelect
                value=account.user.role
                on_pick=move |role| on_role(AccountUpdate { role: Some(role), ..AccountUpdate::default() })
                test_id="account-role"
                label=format!("{} {}", username, t_string!(i18n, account_role))
            />
            <TeamSelect
                teams=teams
                value=account.user.team.clone()
                on_pick=move |team| on_team(AccountUpdate { team: Some(team), ..AccountUpdate::default() })
                test_id="account-team"
                label=format!("{} {}", username, t_string!(i18n, account_team))
            />
            {(!active).then(|| view! { <span class="tag warning">{t!(i18n, account_disabled)}</span> })}
            {account.must_change_password.then(|| view! { <span class="tag">{t!(i18n, account_must_change)}</span> })}
            <button type="button" data-testid="account-active" on:click=move |_| on_active(AccountUpdate { active: Some(!active), ..AccountUpdate::default() })>
                {if active { t!(i18n, deactivate).into_any() } else { t!(i18n, activate).into_any() }}
            </button>
            <button type="button" data-testid="reset-password" on:click=reset>{t!(i18n, reset_password)}</button>
        </li>
    }
}
