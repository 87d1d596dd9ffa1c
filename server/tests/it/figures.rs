//! A team's figures over the API: the monthly KPIs and the daily report, as JSON and as CSV,
//! agree with a count the test makes itself from the records the server holds; and nobody but
//! the team's lead, its supervisor or an admin reads them: an agent, QA, a packer and a lead
//! asking for another team are each refused, the same way whatever they ask for. A lead marks
//! the day's report sent; a supervisor sees which teams' are late, and nobody else does.

use crate::common::{Api, change, create_case, on_both_backends};
use axum::http::StatusCode;
use chrono::{FixedOffset, NaiveDate, Utc};
use kefu_core::kinds::call_log::{call_log_fields, parse_csv};
use kefu_core::kinds::case::{Case, CaseKind, NewCase};
use kefu_core::kinds::daily_report::{SentLine, daily_report_fields};
use kefu_core::record::RecordType;
use kefu_core::sync::{Op, Outcome, PROTOCOL_HEADER, PullResponse};
use kefu_server::demo::DEMO_USERNAME;
use serde_json::{Value, json};
use uuid::Uuid;

fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

/// This month in the shop's time zone, as the API names it.
fn this_month() -> String {
    Utc::now()
        .with_timezone(&shanghai())
        .format("%Y-%m")
        .to_string()
}

/// Today's first minutes in the shop: inside this month whatever the hour.
fn early_today(minute: u32) -> String {
    let today = Utc::now().with_timezone(&shanghai()).format("%Y-%m-%d");
    format!("{today} 00:{minute:02}:00")
}

/// A row of a JSON table, by its first cell (the agent).
fn row_of<'a>(table: &'a Value, agent: &str) -> Option<&'a Vec<Value>> {
    table["rows"]
        .as_array()?
        .iter()
        .filter_map(Value::as_array)
        .find(|row| row[0] == json!(agent))
}

fn cell<'a>(table: &Value, row: &'a [Value], column: &str) -> &'a Value {
    let index = table["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|name| name == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    &row[index]
}

on_both_backends! {
async fn a_lead_reads_the_months_kpis_as_json_and_csv_and_they_agree_with_the_records(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let (_, inquiry) = create_case("物流咨询");
    let ret = Uuid::now_v7();
    let fields = NewCase {
        kind: CaseKind::Return,
        title: "退货".into(),
        customer_name: "测试客户".into(),
        customer_phone: "13800000000".into(),
        order_number: None,
    }
    .fields();
    let opened = api.push(&demo, &[inquiry, change(ret, Op::Create { fields })]).await;
    assert_eq!(opened, [Outcome::Applied, Outcome::Applied]);
    let lead = api.sign_in("lead").await;
    let text = format!(
        "时间,坐席,结果,等待秒数\n{},demo,接通,30\n{},demo,未接,70\n{},agent2,接通,60\n",
        early_today(1),
        early_today(2),
        early_today(3)
    );
    let calls = parse_csv(&text, shanghai()).expect("a call log").calls;
    let import = kefu_core::sync::Change {
        record_type: RecordType::CallLog,
        ..change(Uuid::now_v7(), Op::Create { fields: call_log_fields("calls.csv", &calls) })
    };
    assert_eq!(api.push(&lead, &[import]).await, [Outcome::Applied]);

    // The test's own count: demo's cases opened this month, and the returns among them.
    let (records, _) = api.pull_all(&lead, None).await;
    let month = this_month();
    let mine: Vec<Case> = records
        .iter()
        .filter_map(Case::from_record)
        .filter(|case| case.owner == DEMO_USERNAME)
        .filter(|case| case.created_at.with_timezone(&shanghai()).format("%Y-%m").to_string() == month)
        .collect();
    let returns = mine.iter().filter(|case| case.kind == CaseKind::Return).count();
    assert!(returns >= 1 && mine.len() >= 2);
    let return_rate = format!("{:.1}", returns as f64 * 100.0 / mine.len() as f64);

    let uri = format!("/api/figures/monthly?team=east&month={month}");
    let (status, table) = api.call(Api::request("GET", &uri, Some(&lead), Value::Null)).await;
    assert_eq!(status, StatusCode::OK, "{table}");
    let row = row_of(&table, DEMO_USERNAME).expect("demo's row").clone();
    assert_eq!(cell(&table, &row, "answer_rate"), &json!("50.0"));
    assert_eq!(cell(&table, &row, "calls"), &json!("1/2"));
    assert_eq!(cell(&table, &row, "first_response"), &json!("30.0"));
    assert_eq!(cell(&table, &row, "return_rate"), &json!(return_rate));
    assert!(cell(&table, &row, "kpi_score").is_string(), "a score from the figures with data");
    let agent2 = row_of(&table, "agent2").expect("agent2 answered the phone").clone();
    assert_eq!(cell(&table, &agent2, "return_rate"), &Value::Null, "no case: no made-up rate");

    let (status, content_type, csv) = api
        .get_text(&format!("/api/figures/monthly.csv?team=east&month={month}&lang=en"), &lead)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/csv; charset=utf-8");
    let lines: Vec<&str> = csv.strip_prefix('\u{feff}').expect("a byte-order mark").split("\r\n").collect();
    assert_eq!(lines[0], table["period"].as_str().unwrap());
    assert!(lines[1].starts_with("Agent,KPI score,Answer rate (%)"), "{}", lines[1]);
    let demo_line = lines.iter().find(|line| line.starts_with("demo,")).expect("demo's line");
    let as_json: Vec<String> = row
        .iter()
        .map(|cell| cell.as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(*demo_line, as_json.join(","), "the CSV says what the JSON says");
}

async fn the_daily_report_counts_the_teams_last_24_hours(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let lead = api.sign_in("lead").await;
    let (_, first) = create_case("物流咨询");
    let (_, second) = create_case("发票");
    assert_eq!(api.push(&demo, &[first, second]).await, [Outcome::Applied, Outcome::Applied]);
    let (records, _) = api.pull_all(&lead, None).await;
    let day_ago = Utc::now() - chrono::Duration::hours(24);
    let opened = records
        .iter()
        .filter_map(Case::from_record)
        .filter(|case| case.team == "east" && case.kind == CaseKind::Inquiry && case.created_at >= day_ago)
        .count();
    assert!(opened >= 2);
    let (status, table) = api
        .call(Api::request("GET", "/api/figures/daily?team=east", Some(&lead), Value::Null))
        .await;
    assert_eq!(status, StatusCode::OK, "{table}");
    let line = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row[0] == json!("opened") && row[1] == json!("inquiry"))
        .expect("the inquiries opened");
    assert_eq!(line[2], json!("咨询"));
    assert_eq!(line[3], json!(opened.to_string()));
    let (status, _, csv) = api.get_text("/api/figures/daily.csv?team=east", &lead).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains(&format!("\r\nopened,inquiry,咨询,{opened}\r\n")), "{csv}");
}

async fn only_the_teams_lead_its_supervisor_or_an_admin_reads_its_figures(db: TestDb) {
    let api = Api::new(&db);
    let month = this_month();
    let asks = [
        format!("/api/figures/monthly?team=east&month={month}"),
        format!("/api/figures/monthly.csv?team=east&month={month}"),
        "/api/figures/daily?team=east".to_owned(),
        "/api/figures/daily.csv?team=east".to_owned(),
    ];
    for who in [DEMO_USERNAME, "agent2", "qa", "packer", "west"] {
        let token = api.sign_in(who).await;
        for uri in &asks {
            let (status, body) = api.call(Api::request("GET", uri, Some(&token), Value::Null)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who} reads {uri}");
            assert_eq!(body["code"], json!("denied"), "{who} reads {uri}: {body}");
        }
    }
    let lead = api.sign_in("lead").await;
    for uri in &asks {
        let west = uri.replace("team=east", "team=west");
        let (status, body) = api.call(Api::request("GET", &west, Some(&lead), Value::Null)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "east's lead reads {west}");
        assert_eq!(body["code"], json!("denied"));
        let (status, _) = api.call(Api::request("GET", uri, None, Value::Null)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "nobody signed in reads {uri}");
    }
    for who in ["lead", "supervisor", "admin"] {
        let token = api.sign_in(who).await;
        let (status, _) = api.call(Api::request("GET", &asks[0], Some(&token), Value::Null)).await;
        assert_eq!(status, StatusCode::OK, "{who} reads east's KPIs");
    }
    let admin = api.sign_in("admin").await;
    let west = asks[0].replace("team=east", "team=west");
    let (status, _) = api.call(Api::request("GET", &west, Some(&admin), Value::Null)).await;
    assert_eq!(status, StatusCode::OK, "an admin reads every team's");
    let (status, _) = api
        .call(Api::request("GET", "/api/figures/monthly?team=east&month=2026-13", Some(&admin), Value::Null))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no such month");
}

async fn a_lead_marks_the_report_sent_and_a_supervisor_sees_which_teams_are_late(db: TestDb) {
    let api = Api::new(&db);
    let today = Utc::now().with_timezone(&shanghai()).date_naive();
    let (yesterday, tomorrow) = (today.pred_opt().unwrap(), today.succ_opt().unwrap());
    let line = SentLine { section: "summary".into(), id: "resolved".into(), value: Some("3".into()) };
    let sent = |day: NaiveDate| kefu_core::sync::Change {
        record_type: RecordType::DailyReport,
        ..change(Uuid::now_v7(), Op::Create { fields: daily_report_fields(day, "24 h", std::slice::from_ref(&line)) })
    };
    for who in [DEMO_USERNAME, "qa", "packer"] {
        let token = api.sign_in(who).await;
        let outcomes = api.push(&token, &[sent(yesterday)]).await;
        assert!(matches!(outcomes[..], [Outcome::Rejected { .. }]), "{who} sends no report");
    }
    let lead = api.sign_in("lead").await;
    // Yesterday's, sent now: after its 12:00. Tomorrow's, sent now: in time.
    assert_eq!(api.push(&lead, &[sent(yesterday), sent(tomorrow)]).await, [Outcome::Applied, Outcome::Applied]);
    let mut undated = sent(today);
    if let Op::Create { fields } = &mut undated.op {
        fields.insert("day".into(), json!("昨天"));
    }
    assert!(matches!(api.push(&lead, &[undated]).await[..], [Outcome::Rejected { .. }]), "a day that does not read");

    let supervisor = api.sign_in("supervisor").await;
    let states = |day: NaiveDate, token: String| {
        let uri = format!("/api/figures/daily-status?day={day}");
        let api = &api;
        async move { api.call(Api::request("GET", &uri, Some(&token), Value::Null)).await }
    };
    let (status, body) = states(yesterday, supervisor.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let team = |body: &Value, id: &str| {
        body["teams"].as_array().unwrap().iter().find(|team| team["team"] == json!(id)).cloned().unwrap()
    };
    let east = team(&body, "east");
    assert_eq!((east["state"].clone(), east["on_time"].clone(), east["by"].clone()), (json!("sent"), json!(false), json!("lead")));
    assert_eq!(team(&body, "west")["state"], json!("late"), "west sent nothing and yesterday's noon has passed");
    let (_, body) = states(tomorrow, supervisor.clone()).await;
    assert_eq!((team(&body, "east")["state"].clone(), team(&body, "east")["on_time"].clone()), (json!("sent"), json!(true)));
    assert_eq!(team(&body, "west")["state"], json!("due"), "tomorrow's noon is still to come");

    for who in [DEMO_USERNAME, "lead", "qa"] {
        let (status, body) = states(yesterday, api.sign_in(who).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who} reads every team's reports: {body}");
        assert_eq!(body["code"], json!("denied"));
    }

    // A device of protocol 3 could not decode a sent report: it is not sent one.
    let mut request = Api::request("GET", "/api/sync/pull", Some(&lead), Value::Null);
    request.headers_mut().insert(PROTOCOL_HEADER, "3".parse().unwrap());
    let (status, old) = api.call(request).await;
    assert!(status.is_success(), "{old}");
    let old: PullResponse = serde_json::from_value(old).unwrap();
    assert!(old.records.iter().all(|record| record.record_type != RecordType::DailyReport));
    let (records, _) = api.pull_all(&lead, None).await;
    assert_eq!(records.iter().filter(|record| record.record_type == RecordType::DailyReport).count(), 2);
    let (seen_by_west, _) = api.pull_all(&api.sign_in("west").await, None).await;
    assert!(seen_by_west.iter().all(|record| record.record_type != RecordType::DailyReport), "east's reports stay east's");
}
}

/// A team id is the caller's text, and it names the CSV file: whatever it holds, the answer is
/// a file with a name a header can carry, never a server error (Schemathesis found a control
/// character answered with 500).
#[tokio::test]
async fn a_csv_is_named_safely_whatever_team_the_request_names() {
    let db = crate::common::seeded_db(crate::common::Backend::Sqlite)
        .await
        .unwrap();
    let api = Api::new(&db);
    let admin = api.sign_in("admin").await;
    for uri in [
        "/api/figures/daily.csv?team=%07tR%01",
        "/api/figures/monthly.csv?team=%22%0D%0Ax&month=2026-12",
    ] {
        let request = Api::request("GET", uri, Some(&admin), serde_json::Value::Null);
        let (status, headers, _) = api.answer(request).await;
        assert_eq!(status, axum::http::StatusCode::OK, "{uri}");
        let named = headers[axum::http::header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap();
        assert!(
            named.starts_with("attachment; filename=\"")
                && named[22..named.len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "{uri}: {named}"
        );
    }
}
