//! The policy edited as a synced record: each version kept with who made it, listed, compared
//! and readable for a restore, only by admins; a save with a bad value refused with the field
//! it gets wrong (issue 26, must-shows 3 and 4).

use crate::common::{Api, on_both_backends, set_field};
use axum::http::StatusCode;
use kefu_core::policy::diff::PolicyDifference;
use kefu_core::policy::history::PolicyVersionInfo;
use kefu_core::policy::{POLICY_DATA_FIELD, POLICY_RECORD_ID, Policy};
use kefu_core::record::RecordType;
use kefu_core::sync::{Change, Outcome};
use kefu_server::demo::DEMO_USERNAME;
use serde_json::{Value, json};
use uuid::Uuid;

/// A device's edit of the policy: the whole policy as `edit` leaves the one in force.
async fn policy_edit(api: &Api, token: &str, edit: impl FnOnce(&mut Value)) -> Change {
    let record = api.record(token, POLICY_RECORD_ID).await.unwrap();
    let field = &record.fields[POLICY_DATA_FIELD];
    let mut data = field.current.value.clone();
    edit(&mut data);
    let mut change = set_field(
        POLICY_RECORD_ID,
        POLICY_DATA_FIELD,
        data,
        field.version_ids(),
    );
    change.record_type = RecordType::Policy;
    change
}

/// An edit of the policy's JSON.
type PolicyEdit = fn(&mut Value);

async fn get(api: &Api, token: &str, uri: &str) -> (StatusCode, Value) {
    api.call(Api::request("GET", uri, Some(token), Value::Null))
        .await
}

fn add_phrase(data: &mut Value) {
    data["banned_phrases"]
        .as_array_mut()
        .unwrap()
        .push(json!({"phrase": "催什么催", "alternative": "我马上为您加急处理。"}));
}

fn add_2027(data: &mut Value) {
    data["working_hours"]["years"].as_array_mut().unwrap().push(
        json!({"year": 2027, "holidays": ["2027-10-01", "2027-10-02"], "makeup_working_days": []}),
    );
}

on_both_backends! {
async fn every_policy_version_is_kept_listed_compared_and_readable(db: TestDb) {
    let api = Api::new(&db);
    let admin = api.sign_in("admin").await;
    let (status, seeded) = get(&api, &admin, "/api/policy/versions").await;
    assert_eq!(status, StatusCode::OK, "{seeded}");
    let seeded: Vec<PolicyVersionInfo> = serde_json::from_value(seeded).unwrap();
    assert_eq!(seeded.len(), 1);
    assert!(seeded[0].in_force);
    assert_eq!(seeded[0].by, "system");

    let phrase = policy_edit(&api, &admin, add_phrase).await;
    assert_eq!(api.push(&admin, std::slice::from_ref(&phrase)).await, [Outcome::Applied]);
    let year = policy_edit(&api, &admin, add_2027).await;
    assert_eq!(api.push(&admin, std::slice::from_ref(&year)).await, [Outcome::Applied]);

    let (_, listed) = get(&api, &admin, "/api/policy/versions").await;
    let listed: Vec<PolicyVersionInfo> = serde_json::from_value(listed).unwrap();
    let summary: Vec<(Uuid, &str, bool)> = listed
        .iter()
        .map(|info| (info.version, info.by.as_str(), info.in_force))
        .collect();
    assert_eq!(
        summary,
        [
            (year.change_id, "admin", true),
            (phrase.change_id, "admin", false),
            (seeded[0].version, "system", false),
        ]
    );

    let uri = format!("/api/policy/diff?from={}&to={}", seeded[0].version, year.change_id);
    let (status, changes) = get(&api, &admin, &uri).await;
    assert_eq!(status, StatusCode::OK, "{changes}");
    let changes: Vec<PolicyDifference> = serde_json::from_value(changes).unwrap();
    let paths: Vec<&str> = changes.iter().map(|change| change.path.as_str()).collect();
    assert_eq!(paths, ["banned_phrases[\"催什么催\"]", "working_hours.years[2027]"]);
    assert_eq!(changes[0].before, None);

    let (status, first) =
        get(&api, &admin, &format!("/api/policy/versions/{}", seeded[0].version)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first, serde_json::to_value(Policy::default_policy()).unwrap());
    let (status, _) =
        get(&api, &admin, &format!("/api/policy/versions/{}", Uuid::now_v7())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn only_an_admin_reads_the_history_or_pushes_a_policy(db: TestDb) {
    let api = Api::new(&db);
    let admin = api.sign_in("admin").await;
    let (_, listed) = get(&api, &admin, "/api/policy/versions").await;
    let version = listed[0]["version"].as_str().unwrap().to_owned();
    let uris = [
        "/api/policy/versions".to_owned(),
        format!("/api/policy/versions/{version}"),
        format!("/api/policy/diff?from={version}&to={version}"),
    ];
    for username in [DEMO_USERNAME, "lead", "supervisor", "qa", "packer"] {
        let token = api.sign_in(username).await;
        for uri in &uris {
            let (status, body) = get(&api, &token, uri).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{username} {uri}: {body}");
            assert_eq!(body["code"], "denied");
        }
        let edit = policy_edit(&api, &token, add_phrase).await;
        let outcomes = api.push(&token, &[edit]).await;
        assert!(
            matches!(&outcomes[0], Outcome::Rejected { reason } if reason.en.contains("Only an admin")),
            "{username}: {outcomes:?}"
        );
    }
    let (_, after) = get(&api, &admin, "/api/policy/versions").await;
    assert_eq!(after.as_array().unwrap().len(), 1, "nothing was kept: {after}");
}

async fn a_policy_save_with_a_bad_value_is_refused_naming_the_field(db: TestDb) {
    let api = Api::new(&db);
    let admin = api.sign_in("admin").await;
    let table: [(PolicyEdit, &str); 4] = [
        (
            |data| data["item_classes"][0]["compensation_tiers"][0]["min_fen"] = json!(-500),
            "item_classes[0].compensation_tiers[0].min_fen",
        ),
        (
            |data| {
                add_2027(data);
                data["working_hours"]["years"][1]["holidays"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!("2028-01-01"));
            },
            "working_hours.years[1].holidays[2]",
        ),
        (
            |data| data["banned_phrases"][0]["phrase"] = json!(""),
            "banned_phrases[0].phrase",
        ),
        (
            |data| data["scripts"][0]["steps"][0]["zh"] = json!(" "),
            "scripts[0].steps[0].zh",
        ),
    ];
    for (edit, field) in table {
        let change = policy_edit(&api, &admin, edit).await;
        let outcomes = api.push(&admin, &[change]).await;
        let Outcome::Rejected { reason } = &outcomes[0] else {
            panic!("{field}: {outcomes:?}");
        };
        assert!(reason.zh.contains(field) && reason.en.contains(field), "{field}: {reason:?}");
    }
    let record = api.record(&admin, POLICY_RECORD_ID).await.unwrap();
    assert_eq!(record.fields[POLICY_DATA_FIELD].current.origin.by, "system");
}
}
