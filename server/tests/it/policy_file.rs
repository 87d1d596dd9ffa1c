//! The policy as a TOML file: anyone signed in exports it; only an admin imports one, through
//! the same `accept` as a device's edit, and a file with a bad value is refused with the field
//! it gets wrong, changing nothing.

use crate::common::{Api, on_both_backends};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kefu_core::policy::{POLICY_DATA_FIELD, POLICY_RECORD_ID, Policy};
use kefu_server::demo::DEMO_USERNAME;
use serde_json::Value;
use tower::ServiceExt;

impl Api {
    async fn policy_file(&self, method: &str, token: &str, body: String) -> (StatusCode, String) {
        let request = Request::builder()
            .method(method)
            .uri("/api/policy.toml")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(body))
            .unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }
}

/// The exported file with one edit made to it as TOML values.
fn edited(file: &str, edit: impl FnOnce(&mut toml::Table)) -> String {
    let mut table: toml::Table = file.parse().unwrap();
    edit(&mut table);
    toml::to_string(&table).unwrap()
}

fn array<'a>(table: &'a mut toml::Table, key: &str) -> &'a mut Vec<toml::Value> {
    table.get_mut(key).unwrap().as_array_mut().unwrap()
}

on_both_backends! {
async fn the_policy_exports_as_toml_and_only_an_admin_imports_one(db: TestDb) {
    let api = Api::new(&db);
    let agent = api.sign_in(DEMO_USERNAME).await;
    let (status, file) = api.policy_file("GET", &agent, String::new()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(Policy::from_toml_str(&file).unwrap().data(), Policy::default_policy().data());

    let with_phrase = edited(&file, |table| {
        let mut entry = toml::Table::new();
        entry.insert("phrase".into(), "这不归我管".into());
        entry.insert("alternative".into(), "我来帮您联系负责的同事。".into());
        array(table, "banned_phrases").push(entry.into());
    });
    for username in [DEMO_USERNAME, "lead", "supervisor", "qa", "packer"] {
        let token = api.sign_in(username).await;
        let (status, answer) = api.policy_file("PUT", &token, with_phrase.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{username}: {answer}");
        assert!(answer.contains("Only an admin may do this"), "{answer}");
    }
    let admin = api.sign_in("admin").await;
    let (status, answer) = api.policy_file("PUT", &admin, with_phrase).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
    let record = api.record(&agent, POLICY_RECORD_ID).await.unwrap();
    let field = &record.fields[POLICY_DATA_FIELD];
    assert_eq!(field.current.origin.by, "admin");
    let phrases = field.current.value["banned_phrases"].as_array().unwrap();
    assert_eq!(phrases.last().unwrap()["phrase"], Value::from("这不归我管"));
}

async fn a_policy_file_with_a_bad_value_is_refused_naming_the_field(db: TestDb) {
    let api = Api::new(&db);
    let admin = api.sign_in("admin").await;
    let (_, file) = api.policy_file("GET", &admin, String::new()).await;
    let negative_tier = edited(&file, |table| {
        let class = array(table, "item_classes")[0].as_table_mut().unwrap();
        let tier = class["compensation_tiers"].as_array_mut().unwrap()[0].as_table_mut().unwrap();
        tier.insert("min_fen".into(), (-100).into());
    });
    let empty_phrase = edited(&file, |table| {
        let entry = array(table, "banned_phrases")[0].as_table_mut().unwrap();
        entry.insert("phrase".into(), "".into());
    });
    let unnamed_step = edited(&file, |table| {
        let script = array(table, "scripts")[0].as_table_mut().unwrap();
        let step = script["steps"].as_array_mut().unwrap()[0].as_table_mut().unwrap();
        step.insert("zh".into(), " ".into());
    });
    let cases = [
        (negative_tier, "item_classes[0].compensation_tiers[0].min_fen"),
        (empty_phrase, "banned_phrases[0].phrase"),
        (unnamed_step, "scripts[0].steps[0].zh"),
        ("not = [toml".to_owned(), "cannot be read"),
    ];
    for (text, field) in cases {
        let (status, answer) = api.policy_file("PUT", &admin, text).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {answer}");
        assert!(answer.contains(field), "{field}: {answer}");
    }
    let record = api.record(&admin, POLICY_RECORD_ID).await.unwrap();
    assert_eq!(record.fields[POLICY_DATA_FIELD].current.origin.by, "system");
}
}
