//! The phone system's call log (接起率, seed 001 §16): calls offered to each agent, answered or
//! missed, and how long the caller waited. Kefu does not take calls; a lead imports the phone
//! system's CSV export, and each import is stored as a record of type `call_log` of the lead's
//! team, so the monthly figures count calls offered and answered, never a made-up number.
//! Parsing is here, with the bad rows named, so the device previews exactly what the server
//! will accept.

use crate::account::{Denied, UserInfo};
use crate::input::InputError;
use crate::kinds::{RecordKind, check_write_once, may_write_as_lead};
use crate::lang::Bilingual;
use crate::record::{Record, RecordType};
use crate::sync::Op;
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// The most calls one import holds: a month of a large team's calls, kept to one record.
pub const MAX_CALLS: usize = 50_000;

/// A call log's fields, set when it is imported.
pub mod field {
    /// The file's name, as the lead chose it.
    pub const SOURCE: &str = "source";
    /// The calls: [`super::Call`]s.
    pub const CALLS: &str = "calls";
    pub const ALL: [&str; 2] = [SOURCE, CALLS];
}

/// One call as the phone system logged it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Call {
    /// When it rang.
    pub at: DateTime<Utc>,
    /// The agent it was offered to: their Kefu username.
    pub agent: String,
    pub answered: bool,
    /// How long the caller waited before it was answered, or before they gave up.
    pub wait_seconds: u32,
}

/// The call-log record kind: leads, supervisors and admins import; nobody edits an import.
pub struct CallLogs;

impl RecordKind for CallLogs {
    fn may_change(
        &self,
        user: &UserInfo,
        _existing: Option<&Record>,
        op: &Op,
    ) -> Result<(), Denied> {
        may_write_as_lead(user, op, Denied::CallLogLeadsOnly)
    }

    fn check_op(&self, op: &Op) -> Result<(), InputError> {
        check_write_once(op, &field::ALL, check_call_log_field, |_, _| false)
    }
}

/// One field of a new call log, as the server checks it.
pub fn check_call_log_field(name: &str, value: &Value) -> Result<(), InputError> {
    let valid = match name {
        field::SOURCE => value
            .as_str()
            .is_some_and(|source| source.chars().count() <= 200),
        field::CALLS => serde_json::from_value::<Vec<Call>>(value.clone())
            .is_ok_and(|calls| !calls.is_empty() && calls.len() <= MAX_CALLS),
        _ => false,
    };
    if valid {
        Ok(())
    } else {
        Err(InputError::CallLogInvalid)
    }
}

/// A call log's first values.
pub fn call_log_fields(source: &str, calls: &[Call]) -> BTreeMap<String, Value> {
    BTreeMap::from([
        (field::SOURCE.to_owned(), json!(source)),
        (field::CALLS.to_owned(), json!(calls)),
    ])
}

/// The calls of the call logs among `records`.
pub fn calls_in(records: &[impl Borrow<Record>]) -> Vec<Call> {
    records
        .iter()
        .map(Borrow::<Record>::borrow)
        .filter(|record| record.record_type == RecordType::CallLog && record.is_live())
        .filter_map(|record| record.value(field::CALLS))
        .filter_map(|calls| serde_json::from_value::<Vec<Call>>(calls.clone()).ok())
        .flatten()
        .collect()
}

/// What an import of a CSV found: the calls read, and each row that was not, by its line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CsvImport {
    pub calls: Vec<Call>,
    pub bad_rows: Vec<(usize, Bilingual)>,
}

/// The columns a call log's CSV has, by header (Chinese or English, any order).
struct Columns {
    at: usize,
    agent: usize,
    result: usize,
    wait: usize,
}

fn column(headers: &[String], names: &[&str]) -> Option<usize> {
    headers.iter().position(|header| {
        names
            .iter()
            .any(|name| header.trim().eq_ignore_ascii_case(name))
    })
}

const AT: [&str; 3] = ["时间", "time", "date_time"];
const AGENT: [&str; 3] = ["坐席", "agent", "客服"];
const RESULT: [&str; 3] = ["结果", "result", "状态"];
const WAIT: [&str; 3] = ["等待秒数", "wait_seconds", "wait"];

/// Reads a call log exported by the phone system: a header row naming the columns 时间 / time
/// (the shop's local time, `YYYY-MM-DD HH:MM[:SS]`), 坐席 / agent, 结果 / result (接通 / answered
/// or 未接 / missed) and 等待秒数 / wait_seconds, then one call per row (RFC 4180; a UTF-8 BOM is
/// ignored). A row that does not read is left out and named by its line, with why; the rest are
/// taken. Without the header's columns, nothing is.
pub fn parse_csv(text: &str, offset: FixedOffset) -> Result<CsvImport, Bilingual> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The reader counts a CRLF's line after the record it ends (a row was named one line too
    // early in a Windows export); with LF endings its line numbers are the file's.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| no_header())?
        .iter()
        .map(str::to_owned)
        .collect();
    let columns = Columns {
        at: column(&headers, &AT).ok_or_else(|| missing_column(AT[0], AT[1]))?,
        agent: column(&headers, &AGENT).ok_or_else(|| missing_column(AGENT[0], AGENT[1]))?,
        result: column(&headers, &RESULT).ok_or_else(|| missing_column(RESULT[0], RESULT[1]))?,
        wait: column(&headers, &WAIT).ok_or_else(|| missing_column(WAIT[0], WAIT[1]))?,
    };
    let mut import = CsvImport::default();
    for row in reader.records() {
        let (line, read) = match row {
            Ok(row) => {
                let line = row
                    .position()
                    .map_or(0, |position| position.line() as usize);
                (line, read_call(&row, &columns, offset))
            }
            Err(error) => {
                let line = error
                    .position()
                    .map_or(0, |position| position.line() as usize);
                (line, Err(CallProblem::Unreadable))
            }
        };
        match read {
            Ok(call) => import.calls.push(call),
            Err(problem) => import.bad_rows.push((line, problem.message())),
        }
    }
    if import.calls.len() > MAX_CALLS {
        return Err(Bilingual::new(
            format!("一次最多导入 {MAX_CALLS} 条通话，请按月分开导出"),
            format!("An import holds at most {MAX_CALLS} calls; export one month at a time"),
        ));
    }
    Ok(import)
}

fn no_header() -> Bilingual {
    Bilingual::new(
        "文件没有表头行，无法读取",
        "The file has no header row to read",
    )
}

fn missing_column(zh: &str, en: &str) -> Bilingual {
    Bilingual::new(
        format!("文件缺少“{zh}”列"),
        format!("The file has no “{en}” column"),
    )
}

/// Why one row of a call log was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CallProblem {
    Unreadable,
    Time(String),
    NoAgent,
    Result(String),
    Wait(String),
}

impl CallProblem {
    fn message(&self) -> Bilingual {
        match self {
            CallProblem::Unreadable => Bilingual::new("这一行无法读取", "This row does not read"),
            CallProblem::Time(text) => Bilingual::new(
                format!("时间“{text}”应写成 2026-12-01 09:30:00"),
                format!("The time “{text}” should read like 2026-12-01 09:30:00"),
            ),
            CallProblem::NoAgent => Bilingual::new("没有坐席", "No agent"),
            CallProblem::Result(text) => Bilingual::new(
                format!("结果“{text}”应为“接通”或“未接”"),
                format!("The result “{text}” should be “answered” or “missed”"),
            ),
            CallProblem::Wait(text) => Bilingual::new(
                format!("等待秒数“{text}”应为不小于 0 的整数"),
                format!("The wait “{text}” should be a whole number of seconds"),
            ),
        }
    }
}

fn read_call(
    row: &csv::StringRecord,
    columns: &Columns,
    offset: FixedOffset,
) -> Result<Call, CallProblem> {
    let cell = |index: usize| row.get(index).unwrap_or_default().trim();
    let at_text = cell(columns.at);
    let local = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(at_text, format).ok())
    .ok_or_else(|| CallProblem::Time(at_text.to_owned()))?;
    let at = offset
        .from_local_datetime(&local)
        .single()
        .ok_or_else(|| CallProblem::Time(at_text.to_owned()))?
        .with_timezone(&Utc);
    let agent = cell(columns.agent);
    if agent.is_empty() {
        return Err(CallProblem::NoAgent);
    }
    let result = cell(columns.result);
    let answered = match result.to_lowercase().as_str() {
        "接通" | "已接" | "answered" | "yes" => true,
        "未接" | "漏接" | "missed" | "no" => false,
        _ => return Err(CallProblem::Result(result.to_owned())),
    };
    let wait = cell(columns.wait);
    let wait_seconds = wait
        .parse()
        .map_err(|_| CallProblem::Wait(wait.to_owned()))?;
    Ok(Call {
        at,
        agent: agent.to_owned(),
        answered,
        wait_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Role;

    fn shanghai() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_call_log_is_read_row_by_row_and_bad_rows_are_named() {
        let text = "\u{feff}时间,坐席,结果,等待秒数\n\
            2026-12-01 09:30:00,demo,接通,12\n\
            2026-12-01 23:59:59,demo,未接,40\n\
            2026-12-02 00:00:10,agent2,answered,8\n\
            2026-13-01 10:00:00,demo,接通,5\n\
            2026-12-02 10:00,,接通,5\n\
            2026-12-02 10:00,demo,转接,5\n\
            2026-12-02 10:00,demo,接通,-3\n\
            \"2026-12-02 11:00\",\"demo\",\"接通\",\"7\"\n";
        let import = parse_csv(text, shanghai()).unwrap();
        let calls: Vec<(DateTime<Utc>, &str, bool, u32)> = import
            .calls
            .iter()
            .map(|call| {
                (
                    call.at,
                    call.agent.as_str(),
                    call.answered,
                    call.wait_seconds,
                )
            })
            .collect();
        assert_eq!(
            calls,
            [
                (at("2026-12-01T01:30:00Z"), "demo", true, 12),
                (at("2026-12-01T15:59:59Z"), "demo", false, 40),
                (at("2026-12-01T16:00:10Z"), "agent2", true, 8),
                (at("2026-12-02T03:00:00Z"), "demo", true, 7),
            ]
        );
        let lines: Vec<(usize, &str)> = import
            .bad_rows
            .iter()
            .map(|(line, reason)| (*line, reason.zh.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                (5, "时间“2026-13-01 10:00:00”应写成 2026-12-01 09:30:00"),
                (6, "没有坐席"),
                (7, "结果“转接”应为“接通”或“未接”"),
                (8, "等待秒数“-3”应为不小于 0 的整数"),
            ]
        );
    }

    #[test]
    fn a_bad_row_is_named_by_its_line_whatever_the_line_ends() {
        for end in ["\n", "\r\n", "\r"] {
            let text = [
                "时间,坐席,结果,等待秒数",
                "2026-12-01 09:30,demo,接通,12",
                "2026-12-01 09:31,demo,忙线,12",
                "2026-12-01 09:32,demo,未接,12",
            ]
            .join(end);
            let import = parse_csv(&text, shanghai()).unwrap();
            let lines: Vec<usize> = import.bad_rows.iter().map(|(line, _)| *line).collect();
            assert_eq!(lines, [3], "lines ending {end:?}");
            assert_eq!(import.calls.len(), 2);
        }
    }

    #[test]
    fn english_headers_in_any_order_read_and_a_missing_column_takes_nothing() {
        let text = "agent,wait_seconds,time,result\ndemo,3,2026-12-01 09:00,missed\n";
        let import = parse_csv(text, shanghai()).unwrap();
        assert_eq!(import.calls.len(), 1);
        assert!(!import.calls[0].answered);
        let refused = parse_csv("时间,坐席,结果\n2026-12-01 09:00,demo,接通\n", shanghai());
        assert_eq!(
            refused.map(|import| import.calls.len()),
            Err(missing_column("等待秒数", "wait_seconds"))
        );
    }

    #[test]
    fn only_leads_import_and_nobody_edits_an_import() {
        let user = |role: Role| UserInfo {
            username: role.as_str().into(),
            display_name: String::new(),
            role,
            team: "east".into(),
        };
        let calls = parse_csv(
            "时间,坐席,结果,等待秒数\n2026-12-01 09:00,demo,接通,3\n",
            shanghai(),
        )
        .unwrap()
        .calls;
        let create = Op::Create {
            fields: call_log_fields("12月.csv", &calls),
        };
        let table = [
            (Role::Agent, Err(Denied::CallLogLeadsOnly)),
            (Role::Qa, Err(Denied::CallLogLeadsOnly)),
            (Role::Packer, Err(Denied::CallLogLeadsOnly)),
            (Role::TeamLead, Ok(())),
            (Role::Supervisor, Ok(())),
            (Role::Admin, Ok(())),
        ];
        for (role, expected) in table {
            assert_eq!(
                CallLogs.may_change(&user(role), None, &create),
                expected,
                "{role:?}"
            );
        }
        assert_eq!(CallLogs.check_op(&create), Ok(()));
        let empty = Op::Create {
            fields: call_log_fields("空.csv", &[]),
        };
        assert_eq!(CallLogs.check_op(&empty), Err(InputError::CallLogInvalid));
        let edit = Op::Set {
            field: field::CALLS.into(),
            value: json!([]),
            supersedes: vec![],
        };
        assert_eq!(
            CallLogs.check_op(&edit),
            Err(InputError::FieldFixed {
                field: field::CALLS.into()
            })
        );
    }
}
