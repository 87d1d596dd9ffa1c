//! The figures the phone system's call log gives (seed 001 §16 接起率; seed 002: 30 天平均响应
//! 时间不得超过 50 秒): each agent's answer rate, the calls answered of those offered, and their
//! first-response time, the average wait of the calls they answered, against the 50-second
//! norm. Without calls for an agent in the period there is no figure: "no call data".

use crate::figures::period::Period;
use crate::kinds::call_log::Call;

/// The manual's limit on the average first response (seed 002).
pub const FIRST_RESPONSE_NORM_SECONDS: u32 = 50;

/// Calls offered to an agent, and how many they answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerRate {
    pub offered: usize,
    pub answered: usize,
}

impl AnswerRate {
    /// Answered of offered, in percent, to one decimal.
    pub fn percent(self) -> f64 {
        (self.answered as f64 * 1000.0 / self.offered as f64).round() / 10.0
    }
}

/// The average wait of the calls an agent answered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FirstResponse {
    pub answered: usize,
    pub average_seconds: f64,
}

impl FirstResponse {
    pub fn within_norm(self) -> bool {
        self.average_seconds <= f64::from(FIRST_RESPONSE_NORM_SECONDS)
    }
}

fn agent_calls<'a>(
    calls: &'a [Call],
    agent: &'a str,
    period: &'a Period,
) -> impl Iterator<Item = &'a Call> {
    calls
        .iter()
        .filter(move |call| call.agent == agent && period.contains(call.at))
}

/// `agent`'s answer rate over `period`; `None` when no call was offered to them in it.
pub fn answer_rate(calls: &[Call], agent: &str, period: &Period) -> Option<AnswerRate> {
    let (offered, answered) = agent_calls(calls, agent, period)
        .fold((0, 0), |(offered, answered), call| {
            (offered + 1, answered + usize::from(call.answered))
        });
    (offered > 0).then_some(AnswerRate { offered, answered })
}

/// `agent`'s first-response time over `period`; `None` when they answered no call in it.
pub fn first_response(calls: &[Call], agent: &str, period: &Period) -> Option<FirstResponse> {
    first_response_of(agent_calls(calls, agent, period))
}

/// The first-response time of `calls`, whoever took them: a team's, for the daily report.
pub fn first_response_of<'a>(calls: impl Iterator<Item = &'a Call>) -> Option<FirstResponse> {
    let (answered, waited) = calls
        .filter(|call| call.answered)
        .fold((0usize, 0u64), |(answered, waited), call| {
            (answered + 1, waited + u64::from(call.wait_seconds))
        });
    (answered > 0).then(|| FirstResponse {
        answered,
        average_seconds: (waited as f64 / answered as f64 * 10.0).round() / 10.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, FixedOffset, Utc};

    fn call(at: &str, agent: &str, answered: bool, wait_seconds: u32) -> Call {
        Call {
            at: DateTime::parse_from_rfc3339(at)
                .unwrap()
                .with_timezone(&Utc),
            agent: agent.into(),
            answered,
            wait_seconds,
        }
    }

    fn december() -> Period {
        Period::month(2026, 12, FixedOffset::east_opt(8 * 3600).unwrap()).unwrap()
    }

    /// December in Shanghai: demo answers three of four calls (one at local midnight on the
    /// 1st, one in the last second of the 31st), one November call and one January call left
    /// out; agent2 has calls, all missed; west none.
    fn calls() -> Vec<Call> {
        vec![
            call("2026-11-30T15:59:59Z", "demo", false, 90),
            call("2026-11-30T16:00:00Z", "demo", true, 30),
            call("2026-12-10T02:00:00Z", "demo", true, 45),
            call("2026-12-20T02:00:00Z", "demo", false, 120),
            call("2026-12-31T15:59:59Z", "demo", true, 81),
            call("2026-12-31T16:00:00Z", "demo", true, 5),
            call("2026-12-05T02:00:00Z", "agent2", false, 60),
            call("2026-12-06T02:00:00Z", "agent2", false, 70),
        ]
    }

    #[test]
    fn answer_rate_table() {
        let table = [
            ("demo", Some((4, 3, 75.0))),
            ("agent2", Some((2, 0, 0.0))),
            ("west", None),
        ];
        for (agent, expected) in table {
            let found = answer_rate(&calls(), agent, &december())
                .map(|rate| (rate.offered, rate.answered, rate.percent()));
            assert_eq!(found, expected, "{agent}");
        }
        assert_eq!(
            answer_rate(&[], "demo", &december()),
            None,
            "an empty month"
        );
        let third = AnswerRate {
            offered: 3,
            answered: 1,
        };
        assert_eq!(third.percent(), 33.3);
    }

    #[test]
    fn first_response_table() {
        let demo = first_response(&calls(), "demo", &december()).unwrap();
        // (30 + 45 + 81) / 3 = 52 s: above the norm.
        assert_eq!((demo.answered, demo.average_seconds), (3, 52.0));
        assert!(!demo.within_norm());
        assert_eq!(
            first_response(&calls(), "agent2", &december()),
            None,
            "answered none"
        );
        let quick = first_response(
            &[call("2026-12-01T02:00:00Z", "demo", true, 50)],
            "demo",
            &december(),
        );
        assert!(
            quick.is_some_and(FirstResponse::within_norm),
            "50 s is within the norm"
        );
    }
}
