//! The daily report's table test: one team's 24 hours from noon to noon in Shanghai, with a
//! case that spans midnight and things just either side of the report's edges.

use super::*;
use crate::figures::tests::{at, call_log, case_record, entry, incident, with_callback};
use crate::kinds::case::escalation::event::ESCALATION;
use crate::kinds::case::incident::event::BANNED_PHRASE;
use crate::kinds::case::pin::event::PINNED;
use crate::lang::Lang;
use crate::sync::Op;
use chrono::FixedOffset;
use serde_json::json;

fn set(field: &str, value: serde_json::Value) -> Op {
    Op::Set {
        field: field.into(),
        value,
        supersedes: Vec::new(),
    }
}

/// 1 December 12:00 to 2 December 12:00 in Shanghai.
fn report_day() -> Period {
    let shanghai = FixedOffset::east_opt(8 * 3600).unwrap();
    Period::hours_before(at("2026-12-02T04:00:00Z"), 24, shanghai)
}

fn records() -> Vec<Record> {
    let east = ("demo", "east");
    let receiving = set(inquiry::field::CATEGORY, json!("receiving"));
    vec![
        // Opened a second before the report's 24 hours, resolved just after midnight in them.
        case_record(
            1,
            east,
            CaseKind::Inquiry,
            "2026-12-01T03:59:59Z",
            &[
                (receiving.clone(), "demo", "2026-12-01T03:59:59Z"),
                (
                    set(field::STATUS, json!("resolved")),
                    "demo",
                    "2026-12-01T16:10:00Z",
                ),
            ],
        ),
        // Opened at 23:50; its reply was promised for 11:00 and is still owed; an incident.
        case_record(
            2,
            east,
            CaseKind::Inquiry,
            "2026-12-01T15:50:00Z",
            &[
                (receiving, "demo", "2026-12-01T15:50:00Z"),
                (
                    set(inquiry::field::REPLY_DUE, json!("2026-12-02T03:00:00Z")),
                    "demo",
                    "2026-12-01T15:51:00Z",
                ),
                (
                    entry(BANNED_PHRASE, incident()),
                    "demo",
                    "2026-12-01T15:55:00Z",
                ),
            ],
        ),
        // Without a category; pinned to be solved by 10:00, still open.
        case_record(
            3,
            east,
            CaseKind::Inquiry,
            "2026-12-01T05:00:00Z",
            &[(
                entry(
                    PINNED,
                    json!({"resolve_by": "2026-12-02T02:00:00Z", "method": "回电"}),
                ),
                "demo",
                "2026-12-01T05:01:00Z",
            )],
        ),
        // A complaint, escalated in the afternoon, its callback answered satisfied.
        case_record(
            4,
            east,
            CaseKind::Complaint,
            "2026-12-01T06:00:00Z",
            &[(
                entry(
                    ESCALATION,
                    json!({"reason": "customer_demands_leader", "note": "要求主管回电", "promise": "half_working_day"}),
                ),
                "demo",
                "2026-12-01T07:00:00Z",
            )],
        ),
        with_callback(5, east, 4, "2026-12-01T08:00:00Z"),
        // At noon exactly: the next report's.
        case_record(6, east, CaseKind::Return, "2026-12-02T04:00:00Z", &[]),
        // Another team's.
        case_record(
            7,
            ("west1", "west"),
            CaseKind::Return,
            "2026-12-01T09:00:00Z",
            &[],
        ),
        call_log(
            8,
            "east",
            json!([
                {"at": "2026-12-01T03:59:59Z", "agent": "demo", "answered": true, "wait_seconds": 10},
                {"at": "2026-12-01T04:00:00Z", "agent": "demo", "answered": true, "wait_seconds": 30},
                {"at": "2026-12-02T03:00:00Z", "agent": "agent2", "answered": true, "wait_seconds": 50},
                {"at": "2026-12-02T03:10:00Z", "agent": "agent2", "answered": false, "wait_seconds": 90},
            ]),
        ),
    ]
}

#[test]
fn daily_report_table() {
    let report = daily_report(&records(), "east", &report_day());
    // with_callback opens its complaint on 2 December at 10:00, inside the 24 hours.
    assert_eq!(
        report.opened,
        vec![
            (CaseKind::Inquiry, 2),
            (CaseKind::Return, 0),
            (CaseKind::Complaint, 2),
            (CaseKind::Feedback, 0),
        ]
    );
    assert_eq!(
        report.categories,
        vec![
            (CaseKind::Inquiry, "receiving".into(), 1),
            (CaseKind::Inquiry, UNCATEGORISED.into(), 1),
            (CaseKind::Complaint, UNREGISTERED.into(), 2),
        ]
    );
    let counts = (
        report.resolved,
        report.escalated,
        report.overdue_promises,
        report.pins_open,
        report.pins_overdue,
        report.incidents,
    );
    assert_eq!(counts, (1, 1, 1, 1, 1, 1));
    let satisfaction = report.satisfaction.unwrap();
    assert_eq!((satisfaction.answered, satisfaction.satisfied), (1, 1));
    // The 10-second call fell in the previous report; the missed one waits for nobody.
    let first_response = report.first_response.unwrap();
    assert_eq!(
        (first_response.answered, first_response.average_seconds),
        (2, 40.0)
    );
}

#[test]
fn a_quiet_day_has_zeros_and_no_made_up_figures() {
    let quiet = Period::hours_before(at("2026-12-20T04:00:00Z"), 24, report_day().offset);
    let report = daily_report(&records(), "east", &quiet);
    assert!(report.opened.iter().all(|(_, opened)| *opened == 0));
    assert_eq!(report.categories, Vec::new());
    assert_eq!(
        (report.resolved, report.escalated, report.incidents),
        (0, 0, 0)
    );
    // Still owed and still pinned: where the team stands does not reset with the day.
    assert_eq!((report.overdue_promises, report.pins_open), (1, 1));
    assert_eq!((report.satisfaction, report.first_response), (None, None));
    let lines = report.lines(|section, id| format!("{section}:{id}"));
    let value = |id: &str| {
        lines
            .iter()
            .find(|line| line.id == id)
            .unwrap()
            .value
            .clone()
    };
    assert_eq!(value("satisfaction_percent"), None);
    assert_eq!(value("first_response_seconds"), None);
    assert_eq!(value("incidents"), Some("0".into()));
}

#[test]
fn the_csv_lists_every_line_with_its_name() {
    let report = daily_report(&records(), "east", &report_day());
    let lines = report.lines(|section, id| format!("{section}:{id}"));
    let csv =
        crate::figures::table::to_csv(&DAILY_COLUMNS, &lines, &report_day().label(), Lang::En);
    let rows: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(
        rows[0],
        "\u{feff}2026-12-01 12:00 – 2026-12-02 12:00 (UTC+08:00)"
    );
    assert_eq!(rows[1], "Section,Id,Name,Value");
    assert_eq!(rows[2], "opened,inquiry,opened:inquiry,2");
    assert!(rows.contains(&"inquiry_category,receiving,inquiry_category:receiving,1"));
    assert!(rows.contains(&"summary,first_response_seconds,summary:first_response_seconds,40.0"));
    assert_eq!(rows.len(), 2 + lines.len());
}

#[test]
fn every_line_has_a_name_in_both_languages() {
    let policy = crate::policy::Policy::default_policy().data();
    let categories = (
        policy.inquiry_categories.as_slice(),
        policy.complaint_categories.as_slice(),
    );
    let report = daily_report(&records(), "east", &report_day());
    let lines = report.lines(|section, id| line_name(section, id, categories).zh);
    for line in &lines {
        assert_ne!(line.name, line.id, "{} has a name", line.id);
    }
    let named = |id: &str| {
        lines
            .iter()
            .find(|line| line.id == id)
            .unwrap()
            .name
            .clone()
    };
    assert_eq!(named("inquiry"), "咨询");
    assert_eq!(named(UNCATEGORISED), "未分类");
    assert_eq!(named("first_response_seconds"), "平均首次响应 (秒)");
    let receiving = policy
        .inquiry_categories
        .iter()
        .find(|label| label.id == "receiving");
    assert_eq!(
        Some(named("receiving")),
        receiving.map(|label| label.zh.clone())
    );
}
