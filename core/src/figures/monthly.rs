//! The monthly KPIs of a team (绩效考核月报, seed 001 §16): a row per agent with every figure and
//! the KPI score, from the records of that team. A record stays with the team it was made in,
//! so an agent who moved team mid-month has a row in each, counting the work done there, and
//! nothing twice. An agent with no figure in the month has no row.

use crate::figures::calls::{answer_rate, first_response};
use crate::figures::conduct::{incident_count, qa_score};
use crate::figures::kpi::{AgentFigures, KpiScore};
use crate::figures::period::Period;
use crate::figures::promises::overdue_promises;
use crate::figures::return_rate::return_rate;
use crate::figures::satisfaction::satisfaction;
use crate::figures::table::{Column, one_decimal};
use crate::kinds::call_log::{Call, calls_in};
use crate::kinds::case::Case;
use crate::kinds::case::incident::incidents;
use crate::kinds::case::qa_review::reviews;
use crate::policy::KpiWeights;
use crate::record::Record;
use chrono::{DateTime, Utc};
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

/// One agent's month in one team.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentMonth {
    pub agent: String,
    pub figures: AgentFigures,
    pub score: Option<KpiScore>,
}

impl AgentMonth {
    fn has_data(&self) -> bool {
        let figures = &self.figures;
        figures.answer_rate.is_some()
            || figures.satisfaction.is_some()
            || figures.return_rate.is_some()
            || figures.qa_score.is_some()
            || figures.incidents > 0
            || figures.overdue_promises > 0
    }
}

/// `team`'s agents over `period`, by name, their promises judged at `now`.
pub fn monthly_kpis(
    records: &[impl Borrow<Record>],
    team: &str,
    period: &Period,
    now: DateTime<Utc>,
    weights: &KpiWeights,
) -> Vec<AgentMonth> {
    let team_records: Vec<&Record> = records
        .iter()
        .map(Borrow::<Record>::borrow)
        .filter(|record| record.team == team)
        .collect();
    let mut cases_by_owner: BTreeMap<String, Vec<Case>> = BTreeMap::new();
    for case in team_records
        .iter()
        .filter_map(|record| Case::from_record(record))
    {
        cases_by_owner
            .entry(case.owner.clone())
            .or_default()
            .push(case);
    }
    let mut calls_by_agent: BTreeMap<String, Vec<Call>> = BTreeMap::new();
    for call in calls_in(&team_records) {
        calls_by_agent
            .entry(call.agent.clone())
            .or_default()
            .push(call);
    }
    // Reviewed or caught by the banned-phrase check on a team case they do not own.
    let conduct_agents = team_records.iter().flat_map(|record| {
        let reviewed = reviews(record).into_iter().map(|shown| shown.review.agent);
        let caught = incidents(record).into_iter().map(|incident| incident.by);
        reviewed.chain(caught).collect::<Vec<_>>()
    });
    let agents: BTreeSet<String> = cases_by_owner
        .keys()
        .chain(calls_by_agent.keys())
        .cloned()
        .chain(conduct_agents)
        .collect();
    let no_cases = Vec::new();
    let no_calls = Vec::new();
    agents
        .into_iter()
        .map(|agent| {
            let cases = cases_by_owner.get(&agent).unwrap_or(&no_cases);
            let calls = calls_by_agent.get(&agent).unwrap_or(&no_calls);
            let figures = AgentFigures {
                answer_rate: answer_rate(calls, &agent, period),
                first_response: first_response(calls, &agent, period),
                satisfaction: satisfaction(cases, &agent, period),
                return_rate: return_rate(cases, &agent, period),
                qa_score: qa_score(&team_records, &agent, period),
                incidents: incident_count(&team_records, &agent, period),
                overdue_promises: overdue_promises(cases, &agent, period, now),
            };
            AgentMonth {
                score: figures.kpi_score(weights),
                agent,
                figures,
            }
        })
        .filter(AgentMonth::has_data)
        .collect()
}

/// The monthly KPI table's columns, as the page shows them and the CSV writes them.
pub static KPI_COLUMNS: [Column<AgentMonth>; 11] = [
    Column {
        id: "agent",
        zh: "客服",
        en: "Agent",
        cell: |row| Some(row.agent.clone()),
    },
    Column {
        id: "kpi_score",
        zh: "KPI 得分",
        en: "KPI score",
        cell: |row| row.score.map(|score| one_decimal(score.score)),
    },
    Column {
        id: "answer_rate",
        zh: "接起率 (%)",
        en: "Answer rate (%)",
        cell: |row| {
            row.figures
                .answer_rate
                .map(|rate| one_decimal(rate.percent()))
        },
    },
    Column {
        id: "calls",
        zh: "接起/呼入",
        en: "Answered/offered",
        cell: |row| {
            row.figures
                .answer_rate
                .map(|rate| format!("{}/{}", rate.answered, rate.offered))
        },
    },
    Column {
        id: "first_response",
        zh: "平均首次响应 (秒)",
        en: "First response (s)",
        cell: |row| {
            row.figures
                .first_response
                .map(|figure| one_decimal(figure.average_seconds))
        },
    },
    Column {
        id: "satisfaction",
        zh: "满意度 (%)",
        en: "Satisfaction (%)",
        cell: |row| {
            row.figures
                .satisfaction
                .map(|figure| one_decimal(figure.percent()))
        },
    },
    Column {
        id: "callbacks",
        zh: "回访数",
        en: "Callbacks answered",
        cell: |row| {
            row.figures
                .satisfaction
                .map(|figure| figure.answered.to_string())
        },
    },
    Column {
        id: "return_rate",
        zh: "退单率 (%)",
        en: "Return rate (%)",
        cell: |row| {
            row.figures
                .return_rate
                .map(|rate| one_decimal(rate.percent()))
        },
    },
    Column {
        id: "qa_score",
        zh: "质检平均分",
        en: "QA score",
        cell: |row| row.figures.qa_score.map(|score| one_decimal(score.average)),
    },
    Column {
        id: "incidents",
        zh: "服务禁语",
        en: "Banned phrases",
        cell: |row| Some(row.figures.incidents.to_string()),
    },
    Column {
        id: "overdue_promises",
        zh: "超时未回复",
        en: "Overdue promises",
        cell: |row| Some(row.figures.overdue_promises.to_string()),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::table::to_csv;
    use crate::figures::tests::{
        at, call_log, case_record as case, december, entry, incident, with_callback,
    };
    use crate::kinds::case::CaseKind;
    use crate::kinds::case::incident::event::BANNED_PHRASE;
    use crate::lang::Lang;
    use serde_json::json;

    /// December in Shanghai. `mover` worked in east until the 15th and in west after: two
    /// cases and three calls in east, a return, a complaint with its callback and an incident
    /// in west. demo stays in east; agent2 only answered the phone.
    fn records() -> Vec<Record> {
        let (east_mover, west_mover) = (("mover", "east"), ("mover", "west"));
        vec![
            case(
                1,
                east_mover,
                CaseKind::Inquiry,
                "2026-12-03T02:00:00Z",
                &[],
            ),
            case(2, east_mover, CaseKind::Return, "2026-12-14T15:59:59Z", &[]),
            case(3, west_mover, CaseKind::Return, "2026-12-15T02:00:00Z", &[]),
            with_callback(4, west_mover, 2, "2026-12-20T02:00:00Z"),
            case(
                5,
                west_mover,
                CaseKind::Inquiry,
                "2026-12-21T02:00:00Z",
                &[(
                    entry(BANNED_PHRASE, incident()),
                    "mover",
                    "2026-12-21T02:05:00Z",
                )],
            ),
            case(
                6,
                ("demo", "east"),
                CaseKind::Inquiry,
                "2026-11-30T16:00:00Z",
                &[],
            ),
            with_callback(7, ("demo", "east"), 5, "2026-12-31T15:59:59Z"),
            // Opened in November, before the month: its callback counts, the case does not.
            case(
                8,
                ("demo", "east"),
                CaseKind::Return,
                "2026-11-30T15:59:59Z",
                &[],
            ),
            call_log(
                9,
                "east",
                json!([
                    {"at": "2026-12-01T02:00:00Z", "agent": "mover", "answered": true, "wait_seconds": 20},
                    {"at": "2026-12-02T02:00:00Z", "agent": "mover", "answered": true, "wait_seconds": 40},
                    {"at": "2026-12-03T02:00:00Z", "agent": "mover", "answered": false, "wait_seconds": 90},
                    {"at": "2026-12-03T02:00:00Z", "agent": "agent2", "answered": true, "wait_seconds": 60},
                    {"at": "2027-01-01T02:00:00Z", "agent": "demo", "answered": true, "wait_seconds": 10},
                ]),
            ),
        ]
    }

    fn now() -> DateTime<Utc> {
        at("2027-01-02T02:00:00Z")
    }

    /// Each row as `(agent, cases, returns, offered, answered, callbacks, incidents, score)`.
    type Summary = (
        String,
        Option<(usize, usize)>,
        Option<(usize, usize)>,
        Option<usize>,
        usize,
        Option<f64>,
    );

    fn summary(rows: &[AgentMonth]) -> Vec<Summary> {
        rows.iter()
            .map(|row| {
                let figures = &row.figures;
                (
                    row.agent.clone(),
                    figures.return_rate.map(|rate| (rate.cases, rate.returns)),
                    figures
                        .answer_rate
                        .map(|rate| (rate.offered, rate.answered)),
                    figures.satisfaction.map(|figure| figure.answered),
                    figures.incidents,
                    row.score.map(|score| score.score),
                )
            })
            .collect()
    }

    #[test]
    fn a_team_counts_what_was_done_in_it_and_a_mover_is_split_not_doubled() {
        let records = records();
        let weights = KpiWeights::default();
        let east = monthly_kpis(&records, "east", &december(), now(), &weights);
        let west = monthly_kpis(&records, "west", &december(), now(), &weights);
        // mover in east: returns 1 of 2 cases (50 → 50 points), 2 of 3 calls (66.7), waits 30 s
        // (100), no incident (100), no promise broken (100):
        // (20·66.7 + 15·100 + 10·50 + 10·100 + 5·100) / 60 = 80.6.
        // demo: one case in December (the November one left out), one callback very
        // satisfied: (20·100 + 10·100 + 10·100 + 5·100) / 45 = 100.
        // agent2 answered one call after 60 s (50/60 of the points):
        // (20·100 + 15·83.3 + 10·100 + 5·100) / 50 = 95.0.
        assert_eq!(
            summary(&east),
            vec![
                ("agent2".into(), None, Some((1, 1)), None, 0, Some(95.0)),
                ("demo".into(), Some((2, 0)), None, Some(1), 0, Some(100.0)),
                (
                    "mover".into(),
                    Some((2, 1)),
                    Some((3, 2)),
                    None,
                    0,
                    Some(80.6)
                ),
            ]
        );
        // mover in west: 1 return of 3 cases (66.7), a dissatisfied callback (0), an incident
        // (80): (20·0 + 10·66.7 + 10·80 + 5·100) / 45 = 43.7.
        assert_eq!(
            summary(&west),
            vec![("mover".into(), Some((3, 1)), None, Some(1), 1, Some(43.7))]
        );
        let mover_cases: usize = [&east, &west]
            .iter()
            .flat_map(|rows| rows.iter().filter(|row| row.agent == "mover"))
            .filter_map(|row| row.figures.return_rate.map(|rate| rate.cases))
            .sum();
        assert_eq!(mover_cases, 5, "every case of mover's counted once");
        assert_eq!(
            monthly_kpis(&records, "north", &december(), now(), &weights),
            Vec::new(),
            "a team without records"
        );
        let january = Period::month(2027, 1, december().offset).unwrap();
        assert_eq!(
            summary(&monthly_kpis(&records, "east", &january, now(), &weights)),
            vec![("demo".into(), None, Some((1, 1)), None, 0, Some(100.0))],
            "the call in the first hours of January"
        );
    }

    #[test]
    fn the_csv_says_what_the_table_says() {
        let records = records();
        let west = monthly_kpis(&records, "west", &december(), now(), &KpiWeights::default());
        let csv = to_csv(&KPI_COLUMNS, &west, &december().label(), Lang::En);
        let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
        assert_eq!(
            lines,
            vec![
                "\u{feff}2026-12-01 00:00 – 2027-01-01 00:00 (UTC+08:00)",
                "Agent,KPI score,Answer rate (%),Answered/offered,First response (s),Satisfaction (%),Callbacks answered,Return rate (%),QA score,Banned phrases,Overdue promises",
                "mover,43.7,,,,0.0,1,33.3,,1,0",
            ]
        );
    }
}
