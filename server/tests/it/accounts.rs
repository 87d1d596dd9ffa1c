//! The account API, called directly as each kind of user: only admins manage users and teams,
//! a lead sees only their own team's members, nobody changes their own role, a one-time
//! password serves nothing until it is changed, and ending a session (disabling, a new role,
//! a new password) refuses the very next request.

use crate::common::{Api, create_case, on_both_backends};
use axum::http::StatusCode;
use kefu_core::account::Session;
use kefu_server::demo::{DEMO_PASSWORD, DEMO_USERNAME};
use serde_json::{Value, json};

impl Api {
    async fn send(&self, method: &str, uri: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Api::request(method, uri, Some(token), body))
            .await
    }

    async fn sign_in_with(&self, username: &str, password: &str) -> (StatusCode, Value) {
        self.call(Api::request(
            "POST",
            "/api/login",
            None,
            json!({"username": username, "password": password}),
        ))
        .await
    }
}

/// Every request only an admin may make, as (method, path, body).
fn admin_requests() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "POST",
            "/api/accounts",
            json!({"username": "amy", "display_name": "Amy", "role": "agent", "team": "east"}),
        ),
        ("PATCH", "/api/accounts/west", json!({"role": "admin"})),
        ("PATCH", "/api/accounts/west", json!({"team": "east"})),
        ("PATCH", "/api/accounts/west", json!({"active": false})),
        ("POST", "/api/accounts/west/password", Value::Null),
        ("POST", "/api/teams", json!({"id": "north", "name": "北区"})),
        ("PATCH", "/api/teams/east", json!({"name": "东区一组"})),
        ("GET", "/api/accounts", Value::Null),
        ("GET", "/api/accounts?team=west", Value::Null),
    ]
}

on_both_backends! {
async fn only_an_admin_manages_users_and_teams(db: TestDb) {
    let api = Api::new(&db);
    for username in [DEMO_USERNAME, "lead", "qa", "supervisor", "packer"] {
        let token = api.sign_in(username).await;
        for (method, uri, body) in admin_requests() {
            let (status, answer) = api.send(method, uri, &token, body).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{username} {method} {uri}: {answer}");
            assert_eq!(answer["code"], "denied");
            assert_eq!(answer["message"]["en"], "Only an admin may do this");
        }
    }
    // Nothing changed: west is still an active agent in west, and there is no amy or north.
    let admin = api.sign_in("admin").await;
    let (_, accounts) = api.send("GET", "/api/accounts", &admin, Value::Null).await;
    let west = accounts.as_array().unwrap().iter().find(|a| a["username"] == "west").unwrap();
    assert_eq!((&west["role"], &west["team"], &west["active"]), (&json!("agent"), &json!("west"), &json!(true)));
    assert!(accounts.as_array().unwrap().iter().all(|a| a["username"] != "amy"));
    let (_, teams) = api.send("GET", "/api/teams", &admin, Value::Null).await;
    assert!(teams.as_array().unwrap().iter().all(|t| t["id"] != "north"), "{teams}");
    assert!(teams.as_array().unwrap().iter().any(|t| t["id"] == "east" && t["name"] == "东区"));
    // And west still signs in with their old password.
    api.sign_in("west").await;
}

async fn a_lead_sees_their_own_team_s_members_only(db: TestDb) {
    let api = Api::new(&db);
    let lead = api.sign_in("lead").await;
    let (status, members) = api.send("GET", "/api/accounts?team=east", &lead, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{members}");
    let names: Vec<_> = members.as_array().unwrap().iter().map(|m| m["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["agent2", "demo", "lead", "packer", "qa", "supervisor"]);
    for uri in ["/api/accounts?team=west", "/api/accounts?team=hq", "/api/accounts"] {
        let (status, _) = api.send("GET", uri, &lead, Value::Null).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
    }
}

async fn nobody_changes_their_own_role_or_disables_themselves(db: TestDb) {
    let api = Api::new(&db);
    let admin = api.sign_in("admin").await;
    for body in [json!({"role": "agent"}), json!({"active": false})] {
        let (status, answer) = api.send("PATCH", "/api/accounts/admin", &admin, body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(answer["message"]["en"], "Nobody changes their own role or disables their own account: ask another admin");
    }
    // Renaming oneself is fine, and keeps the session.
    let (status, answer) = api.send("PATCH", "/api/accounts/admin", &admin, json!({"display_name": "总管理员"})).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let agent = api.sign_in(DEMO_USERNAME).await;
    let (status, _) = api.send("PATCH", "/api/accounts/demo", &agent, json!({"role": "admin"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, me) = api.send("GET", "/api/me", &agent, Value::Null).await;
    assert_eq!(me["role"], "agent");
    let (_, me) = api.send("GET", "/api/me", &admin, Value::Null).await;
    assert_eq!((&me["role"], &me["display_name"]), (&json!("admin"), &json!("总管理员")));
}

async fn a_new_user_signs_in_with_a_one_time_password_and_must_change_it_first(db: TestDb) {
    let api = Api::new(&db);
    let admin = api.sign_in("admin").await;
    let east = api.sign_in(DEMO_USERNAME).await;
    let (id, create) = create_case("东区的案件");
    api.push(&east, &[create]).await;

    let (status, answer) = api.send("POST", "/api/teams", &admin, json!({"id": "north", "name": "北区"})).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (status, _) = api.send("POST", "/api/teams", &admin, json!({"id": "north", "name": "又一个"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let new_agent = json!({"username": "amy", "display_name": "王艾米", "role": "agent", "team": "north"});
    let (status, answer) = api.send("POST", "/api/accounts", &admin, new_agent.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let one_time = answer["password"].as_str().unwrap().to_owned();
    let (status, answer) = api.send("POST", "/api/accounts", &admin, new_agent).await;
    assert_eq!((status, &answer["field"]), (StatusCode::CONFLICT, &json!("username")));
    let unknown_team = json!({"username": "bo", "display_name": "Bo", "role": "agent", "team": "nowhere"});
    let (status, answer) = api.send("POST", "/api/accounts", &admin, unknown_team).await;
    assert_eq!((status, &answer["field"]), (StatusCode::UNPROCESSABLE_ENTITY, &json!("team")));

    let (status, answer) = api.sign_in_with("amy", &one_time).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let session: Session = serde_json::from_value(answer).unwrap();
    assert!(session.must_change_password);
    let amy = session.token;
    let (status, answer) = api.send("GET", "/api/sync/pull", &amy, Value::Null).await;
    assert_eq!((status, &answer["code"]), (StatusCode::FORBIDDEN, &json!("must_change_password")));

    let change = |current: &str, new: &str| json!({"current": current, "new": new});
    let refusals = [
        (change("wrong-password-1", "river-lamp-cotton-71"), "current", "wrong_password"),
        (change(&one_time, "password123"), "new", "password"),
        (change(&one_time, "short"), "new", "password"),
        (change(&one_time, &one_time), "new", "password"),
    ];
    for (body, field, code) in refusals {
        let (status, answer) = api.send("POST", "/api/password", &amy, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!((&answer["field"], &answer["code"]), (&json!(field), &json!(code)), "{body}");
    }
    let (status, _) = api.send("POST", "/api/password", &amy, change(&one_time, "river-lamp-cotton-71")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // This session goes on, now serving sync: north's records only.
    let (records, _) = api.pull_all(&amy, None).await;
    assert!(records.iter().all(|record| record.id != id));
    assert!(records.iter().all(|record| record.team == "north" || record.team == "*"), "{records:?}");
    let (status, _) = api.sign_in_with("amy", &one_time).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = api.sign_in_with("amy", "river-lamp-cotton-71").await;
    assert_eq!(status, StatusCode::OK);
}

async fn a_disabled_user_s_token_is_refused_on_the_next_request_and_says_why(db: TestDb) {
    let api = Api::new(&db);
    let admin = api.sign_in("admin").await;
    let west = api.sign_in("west").await;
    let (status, _) = api.send("GET", "/api/sync/pull", &west, Value::Null).await;
    assert_eq!(status, StatusCode::OK);
    let (status, answer) = api.send("PATCH", "/api/accounts/west", &admin, json!({"active": false})).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["active"], false);
    let (status, answer) = api.send("GET", "/api/sync/pull", &west, Value::Null).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!((&answer["code"], &answer["reason"]), (&json!("session_ended"), &json!("account_disabled")));
    assert!(answer["message"]["zh"].as_str().unwrap().contains("停用"));
    // Signing in again is refused with the same reason, the right password notwithstanding.
    let (status, answer) = api.sign_in_with("west", DEMO_PASSWORD).await;
    assert_eq!((status, &answer["reason"]), (StatusCode::UNAUTHORIZED, &json!("account_disabled")));
    // Switched on again, they sign in as before.
    let (status, _) = api.send("PATCH", "/api/accounts/west", &admin, json!({"active": true})).await;
    assert_eq!(status, StatusCode::OK);
    api.sign_in("west").await;
}

async fn a_new_role_or_team_ends_the_user_s_sessions(db: TestDb) {
    let api = Api::new(&db);
    let admin = api.sign_in("admin").await;
    let demo = api.sign_in(DEMO_USERNAME).await;
    let (status, _) = api.send("PATCH", "/api/accounts/demo", &admin, json!({"display_name": "艾米"})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = api.send("GET", "/api/me", &demo, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "a new name keeps the session");
    let (status, _) = api.send("PATCH", "/api/accounts/demo", &admin, json!({"role": "team_lead"})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, answer) = api.send("GET", "/api/sync/pull", &demo, Value::Null).await;
    assert_eq!((status, &answer["reason"]), (StatusCode::UNAUTHORIZED, &json!("account_changed")));
    let demo = api.sign_in(DEMO_USERNAME).await;
    let (_, me) = api.send("GET", "/api/me", &demo, Value::Null).await;
    assert_eq!(me["role"], "team_lead");
    // A new team too.
    let (status, _) = api.send("PATCH", "/api/accounts/demo", &admin, json!({"team": "west"})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, answer) = api.send("GET", "/api/me", &demo, Value::Null).await;
    assert_eq!((status, &answer["reason"]), (StatusCode::UNAUTHORIZED, &json!("account_changed")));
}

async fn changing_one_s_password_ends_one_s_other_sessions_and_a_user_ends_their_own(db: TestDb) {
    let api = Api::new(&db);
    let desk = api.sign_in(DEMO_USERNAME).await;
    let tablet = api.sign_in(DEMO_USERNAME).await;
    let phone = api.sign_in(DEMO_USERNAME).await;
    let (status, sessions) = api.send("GET", "/api/sessions", &desk, Value::Null).await;
    assert_eq!(status, StatusCode::OK);
    let sessions = sessions.as_array().unwrap().clone();
    assert_eq!(sessions.len(), 3);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    // End the phone's session from the desk: the phone's next request is refused.
    let (_, phone_sessions) = api.send("GET", "/api/sessions", &phone, Value::Null).await;
    let phone_id = phone_sessions.as_array().unwrap().iter().find(|s| s["current"] == true).unwrap()["id"].as_str().unwrap().to_owned();
    let (status, _) = api.send("DELETE", &format!("/api/sessions/{phone_id}"), &desk, Value::Null).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, answer) = api.send("GET", "/api/me", &phone, Value::Null).await;
    assert_eq!((status, &answer["reason"]), (StatusCode::UNAUTHORIZED, &json!("signed_out")));
    // Another user cannot end the desk's session.
    let lead = api.sign_in("lead").await;
    let desk_id = sessions.iter().find(|s| s["current"] == true).unwrap()["id"].as_str().unwrap().to_owned();
    let (status, _) = api.send("DELETE", &format!("/api/sessions/{desk_id}"), &lead, Value::Null).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let change = json!({"current": DEMO_PASSWORD, "new": "river-lamp-cotton-71"});
    let (status, _) = api.send("POST", "/api/password", &desk, change).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api.send("GET", "/api/me", &desk, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "the session that changed it goes on");
    let (status, answer) = api.send("GET", "/api/me", &tablet, Value::Null).await;
    assert_eq!((status, &answer["reason"]), (StatusCode::UNAUTHORIZED, &json!("password_changed")));
}

async fn an_admin_reset_password_is_one_time_and_ends_the_sessions(db: TestDb) {
    let api = Api::new(&db);
    let admin = api.sign_in("admin").await;
    let west = api.sign_in("west").await;
    let (status, answer) = api.send("POST", "/api/accounts/west/password", &admin, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let one_time = answer["password"].as_str().unwrap().to_owned();
    let (status, answer) = api.send("GET", "/api/me", &west, Value::Null).await;
    assert_eq!((status, &answer["reason"]), (StatusCode::UNAUTHORIZED, &json!("password_changed")));
    let (status, _) = api.sign_in_with("west", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, session) = api.sign_in_with("west", &one_time).await;
    assert_eq!(session["must_change_password"], true);
}

async fn bad_account_and_team_forms_name_the_field(db: TestDb) {
    let api = Api::new(&db);
    let admin = api.sign_in("admin").await;
    let cases = [
        ("POST", "/api/accounts", json!({"username": "Amy W", "display_name": "Amy", "role": "agent", "team": "east"}), "username"),
        ("POST", "/api/accounts", json!({"username": "amy", "display_name": " ", "role": "agent", "team": "east"}), "display_name"),
        ("PATCH", "/api/accounts/west", json!({"team": "nowhere"}), "team"),
        ("PATCH", "/api/accounts/admin", json!({"display_name": ""}), "display_name"),
        ("POST", "/api/teams", json!({"id": "北区", "name": "北区"}), "id"),
        ("PATCH", "/api/teams/east", json!({"name": ""}), "name"),
    ];
    for (method, uri, body, field) in cases {
        let (status, answer) = api.send(method, uri, &admin, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert_eq!(answer["field"], field, "{body}");
        assert!(!answer["message"]["zh"].as_str().unwrap().is_empty());
    }
}
}
