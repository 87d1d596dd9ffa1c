//! The weekly analysis of bad reviews (每周差评分析, seed 001 §16.4: 每周开会对在线差评和电话不满意
//! 的原因进行分析并解决 … 并安排人员回访): a team's callbacks answered dissatisfied in a week, each
//! with its case, agent, comment and cause (a complaint's cause as registered in its script),
//! counted by cause for the chart, and with the callback arranged after it (who planned it,
//! due when), or none yet, which the meeting must arrange.

use crate::figures::period::Period;
use crate::figures::table::Column;
use crate::kinds::case::Case;
use crate::kinds::case::callback::Satisfaction;
use crate::kinds::case::complaint_report::UNREGISTERED;
use chrono::{DateTime, FixedOffset, Utc};
use std::borrow::Borrow;
use uuid::Uuid;

/// One dissatisfied answer of the week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadAnswer {
    pub case: Uuid,
    pub title: String,
    /// The case's first-contact owner (首接负责制).
    pub agent: String,
    /// 1 or 2: [`Satisfaction`].
    pub satisfaction: u8,
    pub comment: String,
    pub at: DateTime<Utc>,
    /// The complaint's registered cause, or [`UNREGISTERED`].
    pub cause: String,
    /// The cause's name in the reader's language.
    pub cause_name: String,
    /// The callback arranged after it: who planned it and when it is due.
    pub follow_up: Option<(String, DateTime<Utc>)>,
    /// The shop's time zone, in which its times are told.
    pub offset: FixedOffset,
}

/// `team`'s callbacks answered dissatisfied in `period`, the most recent first, each cause
/// named by `cause_name`.
pub fn bad_answers(
    cases: &[impl Borrow<Case>],
    team: &str,
    period: &Period,
    cause_name: impl Fn(&str) -> String,
) -> Vec<BadAnswer> {
    let mut found: Vec<BadAnswer> = cases
        .iter()
        .map(Borrow::<Case>::borrow)
        .filter(|case| case.team == team)
        .flat_map(|case| {
            let cause_name = &cause_name;
            case.callbacks.iter().filter_map(move |callback| {
                let made = callback.made.as_ref()?;
                let dissatisfied = Satisfaction::from_score(made.satisfaction)
                    .is_some_and(Satisfaction::is_dissatisfied);
                if !dissatisfied || !period.contains(made.at) {
                    return None;
                }
                let follow_up = case
                    .callbacks
                    .iter()
                    .filter(|later| later.id != callback.id && later.plan.due > made.at)
                    .min_by_key(|later| later.plan.due)
                    .map(|later| (later.planned_by.clone(), later.plan.due));
                let cause = case
                    .script
                    .as_ref()
                    .and_then(|script| script.cause.clone())
                    .unwrap_or_else(|| UNREGISTERED.to_owned());
                Some(BadAnswer {
                    case: case.id,
                    title: case.title.clone(),
                    agent: case.owner.clone(),
                    satisfaction: made.satisfaction,
                    comment: made.comment.clone(),
                    at: made.at,
                    cause_name: cause_name(&cause),
                    cause,
                    follow_up,
                    offset: period.offset,
                })
            })
        })
        .collect();
    found.sort_by_key(|answer| std::cmp::Reverse(answer.at));
    found
}

/// The answers counted by cause: every cause in `causes`' order, then [`UNREGISTERED`], then
/// any cause the policy no longer lists; only those with answers.
pub fn by_cause(answers: &[BadAnswer], causes: &[&str]) -> Vec<(String, usize)> {
    let mut order: Vec<String> = causes.iter().map(|cause| (*cause).to_owned()).collect();
    order.push(UNREGISTERED.to_owned());
    for answer in answers {
        if !order.contains(&answer.cause) {
            order.push(answer.cause.clone());
        }
    }
    order
        .into_iter()
        .map(|cause| {
            let count = answers
                .iter()
                .filter(|answer| answer.cause == cause)
                .count();
            (cause, count)
        })
        .filter(|(_, count)| *count > 0)
        .collect()
}

/// The analysis's table, as the page shows it and the CSV writes it.
pub static BAD_ANSWER_COLUMNS: [Column<BadAnswer>; 8] = [
    Column {
        id: "title",
        zh: "工单",
        en: "Case",
        cell: |answer| Some(answer.title.clone()),
    },
    Column {
        id: "agent",
        zh: "客服",
        en: "Agent",
        cell: |answer| Some(answer.agent.clone()),
    },
    Column {
        id: "satisfaction",
        zh: "满意度",
        en: "Satisfaction",
        cell: |answer| Some(answer.satisfaction.to_string()),
    },
    Column {
        id: "answered_at",
        zh: "回访时间",
        en: "Answered",
        cell: |answer| {
            Some(
                answer
                    .at
                    .with_timezone(&answer.offset)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            )
        },
    },
    Column {
        id: "comment",
        zh: "客户意见",
        en: "Comment",
        cell: |answer| Some(answer.comment.clone()),
    },
    Column {
        id: "cause",
        zh: "原因",
        en: "Cause",
        cell: |answer| Some(answer.cause_name.clone()),
    },
    Column {
        id: "follow_up_by",
        zh: "回访安排人",
        en: "Callback arranged by",
        cell: |answer| answer.follow_up.as_ref().map(|(by, _)| by.clone()),
    },
    Column {
        id: "follow_up_due",
        zh: "再次回访时间",
        en: "Callback due",
        cell: |answer| {
            answer.follow_up.as_ref().map(|(_, due)| {
                due.with_timezone(&answer.offset)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::tests::{at, case, december};
    use crate::kinds::case::CaseKind;
    use crate::kinds::case::callback::{Callback, CallbackAnswer, CallbackPlan};
    use crate::kinds::case::script_steps::ScriptSummary;

    fn callback(n: u128, due: &str, answer: Option<(u8, &str)>) -> Callback {
        Callback {
            id: Uuid::from_u128(n),
            plan: CallbackPlan {
                due: at(due),
                note: String::new(),
            },
            planned_by: "lead".into(),
            made: answer.map(|(satisfaction, when)| CallbackAnswer {
                satisfaction,
                comment: format!("评分 {satisfaction}"),
                by: "lead".into(),
                at: at(when),
            }),
        }
    }

    fn first_week() -> Period {
        let december = december();
        Period {
            end: december.start + chrono::Duration::days(7),
            ..december
        }
    }

    #[test]
    fn a_weeks_dissatisfied_answers_by_cause_with_the_callback_arranged() {
        let mut rude = case(1, "demo", CaseKind::Complaint, "2026-12-01T02:00:00Z");
        rude.script = Some(ScriptSummary {
            version: 1,
            steps_done: 5,
            category: Some("service".into()),
            cause: Some("negligence".into()),
            last_at: at("2026-12-01T03:00:00Z"),
        });
        // Answered 2 on the 2nd, a second callback arranged for the 4th.
        rude.callbacks = vec![
            callback(
                10,
                "2026-12-02T02:00:00Z",
                Some((2, "2026-12-02T02:30:00Z")),
            ),
            callback(11, "2026-12-04T02:00:00Z", None),
        ];
        let mut late = case(2, "agent2", CaseKind::Inquiry, "2026-12-01T02:00:00Z");
        late.callbacks = vec![
            // Very dissatisfied, the week's last second; nothing arranged yet.
            callback(
                20,
                "2026-12-07T15:00:00Z",
                Some((1, "2026-12-07T15:59:59Z")),
            ),
            // Neutral is not a bad review; nor is last week's.
            callback(
                21,
                "2026-12-03T02:00:00Z",
                Some((3, "2026-12-03T02:00:00Z")),
            ),
            callback(
                22,
                "2026-11-30T02:00:00Z",
                Some((1, "2026-11-30T15:59:59Z")),
            ),
        ];
        let mut west = case(3, "west", CaseKind::Complaint, "2026-12-01T02:00:00Z");
        west.team = "west".into();
        west.callbacks = vec![callback(
            30,
            "2026-12-02T02:00:00Z",
            Some((1, "2026-12-02T02:00:00Z")),
        )];
        let cases = [rude, late, west];
        let answers = bad_answers(&cases, "east", &first_week(), |cause| {
            format!("原因 {cause}")
        });
        let found: Vec<(&str, u8, &str, Option<&str>)> = answers
            .iter()
            .map(|answer| {
                (
                    answer.agent.as_str(),
                    answer.satisfaction,
                    answer.cause.as_str(),
                    answer.follow_up.as_ref().map(|(by, _)| by.as_str()),
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                ("agent2", 1, UNREGISTERED, None),
                ("demo", 2, "negligence", Some("lead")),
            ]
        );
        assert_eq!(
            answers[1].follow_up.as_ref().map(|(_, due)| *due),
            Some(at("2026-12-04T02:00:00Z"))
        );
        assert_eq!(
            by_cause(&answers, &["defect", "negligence"]),
            vec![("negligence".to_owned(), 1), (UNREGISTERED.to_owned(), 1)]
        );
        assert_eq!(answers[1].cause_name, "原因 negligence");
        let csv = crate::figures::table::to_csv(
            &BAD_ANSWER_COLUMNS,
            &answers,
            "week",
            crate::lang::Lang::En,
        );
        assert!(
            csv.contains("\r\n工单 1,demo,2,2026-12-02 10:30,评分 2,原因 negligence,lead,2026-12-04 10:00\r\n"),
            "{csv}"
        );
        assert!(
            csv.contains(",原因 unregistered,,\r\n"),
            "no callback arranged: empty cells"
        );
        assert_eq!(
            bad_answers(&cases, "north", &first_week(), |cause| cause.to_owned()),
            Vec::new(),
            "an empty week"
        );
    }
}
