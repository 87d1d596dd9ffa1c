//! QA reviews on a case (质检, seed 001 §14; SPEC §7): a QA inspector scores the agent's work
//! on the case against the policy's score sheet (`qa_score_sheet`: items with weights and
//! guidance), with a comment per item; the agent reviewed may reply once. A review and its reply
//! are read by that agent and those who oversee the team, not by the rest of the team. QA reads
//! cases and adds reviews, and changes nothing else of them.

use crate::account::{UserInfo, roles};
use crate::input::{InputError, NOTE_MAX_CHARS};
use crate::kinds::{CaseWorkflow, Context, EventRule};
use crate::lang::Bilingual;
use crate::policy::ScoreItem;
use crate::record::{Event, Record};
use crate::sync::Op;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// The highest mark one item of the sheet gets (0–5).
pub const ITEM_MARK_MAX: u8 = 5;

/// The QA reviews' timeline entries.
pub mod event {
    /// A QA inspector's review: a [`super::Review`].
    pub const QA_REVIEW: &str = "qa_review";
    /// The agent's one reply to a review: a [`super::Reply`].
    pub const QA_REPLY: &str = "qa_reply";
}

/// QA reviews as a workflow on a case.
pub struct QaReviews;

impl CaseWorkflow for QaReviews {
    fn events(&self) -> &'static [EventRule] {
        &[
            EventRule {
                kind: event::QA_REVIEW,
                roles: roles::QA,
            },
            EventRule {
                kind: event::QA_REPLY,
                roles: roles::DESK,
            },
        ]
    }

    /// A review is read by the agent it reviews (`agent`), a reply by whoever wrote it (that
    /// agent), and both by those who oversee the team (issue 27).
    fn may_read(&self, user: &UserInfo, event: &Event) -> bool {
        let concerned = if event.kind == event::QA_REVIEW {
            event.data["agent"] == user.username.as_str()
        } else {
            event.origin.by == user.username
        };
        concerned || roles::OVERSIGHT.contains(&user.role)
    }

    fn check_event(&self, kind: &str, data: &Value) -> Result<(), InputError> {
        let readable = if kind == event::QA_REVIEW {
            serde_json::from_value::<Review>(data.clone())
                .is_ok_and(|review| review.is_well_formed())
        } else {
            serde_json::from_value::<Reply>(data.clone()).is_ok()
        };
        if readable {
            Ok(())
        } else {
            Err(InputError::ReviewInvalid)
        }
    }

    fn check_in_context(&self, context: &Context) -> Result<(), Bilingual> {
        check_review_change(
            &context.policy.qa_score_sheet,
            context.user,
            context.existing,
            context.op,
        )
    }
}

/// One item of a review: the sheet's item, its weight as the sheet had it, the mark (0 to
/// [`ITEM_MARK_MAX`]) and a comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemMark {
    pub item: String,
    pub weight: u32,
    pub mark: u8,
    pub comment: String,
}

/// A `qa_review` entry's data: whose work it reviews, each item of the sheet, a comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub agent: String,
    pub items: Vec<ItemMark>,
    pub comment: String,
}

impl Review {
    fn is_well_formed(&self) -> bool {
        !self.agent.trim().is_empty()
            && !self.items.is_empty()
            && self
                .items
                .iter()
                .all(|item| item.mark <= ITEM_MARK_MAX && item.weight > 0)
    }

    /// The score out of 100: each item's mark weighted by its weight, rounded.
    pub fn score(&self) -> u32 {
        let weights: u32 = self.items.iter().map(|item| item.weight).sum();
        let earned: u32 = self
            .items
            .iter()
            .map(|item| item.weight * u32::from(item.mark))
            .sum();
        if weights == 0 {
            return 0;
        }
        let out_of = weights * u32::from(ITEM_MARK_MAX);
        (earned * 100 + out_of / 2) / out_of
    }
}

/// A `qa_reply` entry's data: the review it answers and what the agent says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    pub review: Uuid,
    pub text: String,
}

/// A review as pages show it, with its reply once made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownReview {
    pub id: Uuid,
    pub case: Uuid,
    pub by: String,
    pub at: DateTime<Utc>,
    pub review: Review,
    pub reply: Option<(String, DateTime<Utc>)>,
}

/// The reviews on a case the reader received, oldest first, each with its reply.
pub fn reviews(case: &Record) -> Vec<ShownReview> {
    let replies = case.entries_of::<Reply>(event::QA_REPLY);
    case.entries_of::<Review>(event::QA_REVIEW)
        .into_iter()
        .map(|(id, review, origin)| ShownReview {
            id,
            case: case.id,
            by: origin.by.clone(),
            at: origin.at,
            review,
            reply: replies
                .iter()
                .find(|(_, reply, _)| reply.review == id)
                .map(|(_, reply, origin)| (reply.text.clone(), origin.at)),
        })
        .collect()
}

/// Why a review or a reply cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewProblem {
    Unreadable,
    /// The sheet's item is not marked, or is marked twice.
    ItemUnmarked(String),
    /// An item the sheet does not have, or with another weight than the sheet's.
    NotOnTheSheet(String),
    TooLong,
    NoReplyText,
    /// A reply by someone other than the agent reviewed, or to no review of this case.
    NotYourReview,
    AlreadyReplied,
}

impl ReviewProblem {
    pub fn message(&self) -> Bilingual {
        match self {
            ReviewProblem::Unreadable => InputError::ReviewInvalid.message(),
            ReviewProblem::ItemUnmarked(item) => Bilingual::new(
                format!("评分表的“{item}”一项还没有打分"),
                format!("The score sheet's “{item}” is not marked yet"),
            ),
            ReviewProblem::NotOnTheSheet(item) => Bilingual::new(
                format!("“{item}”不在当前的评分表上，请刷新后重新评分"),
                format!("“{item}” is not on the current score sheet; reload and score again"),
            ),
            ReviewProblem::TooLong => InputError::NoteTooLong {
                max: NOTE_MAX_CHARS,
            }
            .message(),
            ReviewProblem::NoReplyText => {
                Bilingual::new("请写下你的回复", "Please write your reply")
            }
            ReviewProblem::NotYourReview => Bilingual::new(
                "只有被质检的客服可以回复这条质检",
                "Only the agent reviewed may reply to this review",
            ),
            ReviewProblem::AlreadyReplied => Bilingual::new(
                "这条质检已经回复过了，每条只能回复一次",
                "This review was already replied to; each gets one reply",
            ),
        }
    }
}

fn too_long(text: &str) -> bool {
    text.chars().count() > NOTE_MAX_CHARS
}

/// The device's and the server's check of a QA entry: a review marks every item of the sheet
/// once, with the sheet's weights; a reply is the reviewed agent's, once per review.
pub fn check_review_change(
    sheet: &[ScoreItem],
    user: &UserInfo,
    existing: Option<&Record>,
    op: &Op,
) -> Result<(), Bilingual> {
    let Op::Append { kind, data, .. } = op else {
        return Ok(());
    };
    let checked = match kind.as_str() {
        event::QA_REVIEW => serde_json::from_value::<Review>(data.clone())
            .map_err(|_| ReviewProblem::Unreadable)
            .and_then(|review| check_review(sheet, &review)),
        event::QA_REPLY => serde_json::from_value::<Reply>(data.clone())
            .map_err(|_| ReviewProblem::Unreadable)
            .and_then(|reply| check_reply(user, existing, &reply)),
        _ => Ok(()),
    };
    checked.map_err(|problem| problem.message())
}

fn check_review(sheet: &[ScoreItem], review: &Review) -> Result<(), ReviewProblem> {
    if !review.is_well_formed() {
        return Err(ReviewProblem::Unreadable);
    }
    if too_long(&review.comment) || review.items.iter().any(|item| too_long(&item.comment)) {
        return Err(ReviewProblem::TooLong);
    }
    if let Some(stray) = review.items.iter().find(|marked| {
        !sheet
            .iter()
            .any(|item| item.id == marked.item && item.weight == marked.weight)
    }) {
        return Err(ReviewProblem::NotOnTheSheet(stray.item.clone()));
    }
    match sheet.iter().find(|item| {
        review
            .items
            .iter()
            .filter(|marked| marked.item == item.id)
            .count()
            != 1
    }) {
        Some(unmarked) => Err(ReviewProblem::ItemUnmarked(unmarked.zh.clone())),
        None => Ok(()),
    }
}

fn check_reply(
    user: &UserInfo,
    existing: Option<&Record>,
    reply: &Reply,
) -> Result<(), ReviewProblem> {
    if reply.text.trim().is_empty() {
        return Err(ReviewProblem::NoReplyText);
    }
    if too_long(&reply.text) {
        return Err(ReviewProblem::TooLong);
    }
    let shown = existing.map(reviews).unwrap_or_default();
    match shown.iter().find(|shown| shown.id == reply.review) {
        Some(shown) if shown.review.agent != user.username => Err(ReviewProblem::NotYourReview),
        Some(shown) if shown.reply.is_some() => Err(ReviewProblem::AlreadyReplied),
        Some(_) => Ok(()),
        None => Err(ReviewProblem::NotYourReview),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Role;
    use crate::kinds::case::{CaseKind, NewCase};
    use crate::policy::Policy;
    use crate::record::{Receipt, apply};
    use crate::sync::Change;
    use crate::test_fixtures::{case_change, case_entry};
    use chrono::TimeZone;
    use serde_json::json;

    fn sheet() -> Vec<ScoreItem> {
        Policy::default_policy().qa_score_sheet.clone()
    }

    /// Every item of the default sheet marked `mark`.
    fn marked(mark: u8) -> Review {
        Review {
            agent: "demo".into(),
            items: sheet()
                .iter()
                .map(|item| ItemMark {
                    item: item.id.clone(),
                    weight: item.weight,
                    mark,
                    comment: String::new(),
                })
                .collect(),
            comment: "整体规范".into(),
        }
    }

    fn user(name: &str, role: Role) -> UserInfo {
        UserInfo {
            username: name.into(),
            display_name: String::new(),
            role,
            team: "east".into(),
        }
    }

    fn with(case: Option<Record>, change: Change, by: &str) -> Record {
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap();
        apply(case, &Receipt::on_server(change, by, "east", at))
    }

    fn reviewed() -> Record {
        let fields = NewCase {
            kind: CaseKind::Inquiry,
            title: "物流咨询".into(),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: None,
        }
        .fields();
        let case = with(None, case_change(1, Op::Create { fields }), "demo");
        with(
            Some(case),
            case_entry(2, event::QA_REVIEW, json!(marked(4))),
            "qa",
        )
    }

    #[test]
    fn the_default_sheet_weighs_100_and_scores_out_of_100() {
        assert_eq!(sheet().iter().map(|item| item.weight).sum::<u32>(), 100);
        let table = [(5, 100), (4, 80), (0, 0), (3, 60)];
        for (mark, score) in table {
            assert_eq!(marked(mark).score(), score, "every item {mark}");
        }
        // Weighted: full marks on accuracy (25) alone, nothing else.
        let mut only_accuracy = marked(0);
        only_accuracy
            .items
            .iter_mut()
            .filter(|item| item.item == "accuracy")
            .for_each(|item| item.mark = 5);
        assert_eq!(only_accuracy.score(), 25);
        // One item weighing 3, marked 2 of 5: 40 of 100.
        let one = Review {
            items: vec![ItemMark {
                item: "x".into(),
                weight: 3,
                mark: 2,
                comment: String::new(),
            }],
            ..marked(0)
        };
        assert_eq!(one.score(), 40);
    }

    #[test]
    fn a_review_marks_every_item_of_the_sheet_once_with_its_weight() {
        let qa = user("qa", Role::Qa);
        let check = |review: Review| {
            let op = case_entry(9, event::QA_REVIEW, json!(review)).op;
            check_review_change(&sheet(), &qa, None, &op)
        };
        assert_eq!(check(marked(5)), Ok(()));
        let mut missing = marked(5);
        missing.items.retain(|item| item.item != "closing");
        assert_eq!(
            check(missing),
            Err(ReviewProblem::ItemUnmarked("结束语与关键信息复述".into()).message())
        );
        let mut twice = marked(5);
        twice.items.push(twice.items[0].clone());
        assert_eq!(
            check(twice),
            Err(ReviewProblem::ItemUnmarked("问候与标准用语".into()).message())
        );
        let mut heavier = marked(5);
        heavier.items[1].weight = 90;
        assert_eq!(
            check(heavier),
            Err(ReviewProblem::NotOnTheSheet("accuracy".into()).message())
        );
        let mut stray = marked(5);
        stray.items[0].item = "speed".into();
        assert_eq!(
            check(stray),
            Err(ReviewProblem::NotOnTheSheet("speed".into()).message())
        );
        let mut long = marked(5);
        long.items[2].comment = "字".repeat(NOTE_MAX_CHARS + 1);
        assert_eq!(check(long), Err(ReviewProblem::TooLong.message()));
    }

    #[test]
    fn only_the_agent_reviewed_replies_and_only_once() {
        let case = reviewed();
        let review_id = Uuid::from_u128(1002);
        let reply = |text: &str, review: Uuid| json!({"review": review, "text": text});
        let check = |case: &Record, by: &UserInfo, data: Value| {
            let op = case_entry(9, event::QA_REPLY, data).op;
            check_review_change(&sheet(), by, Some(case), &op)
        };
        let demo = user("demo", Role::Agent);
        let table = [
            (&demo, reply("收到，下次注意", review_id), Ok(())),
            (
                &demo,
                reply("  ", review_id),
                Err(ReviewProblem::NoReplyText),
            ),
            (
                &demo,
                reply("收到", Uuid::from_u128(5)),
                Err(ReviewProblem::NotYourReview),
            ),
        ];
        for (by, data, expected) in table {
            assert_eq!(
                check(&case, by, data.clone()),
                expected.map_err(|problem| problem.message()),
                "{data}"
            );
        }
        let colleague = user("agent2", Role::Agent);
        assert_eq!(
            check(&case, &colleague, reply("不服", review_id)),
            Err(ReviewProblem::NotYourReview.message())
        );
        let replied = with(
            Some(case),
            case_entry(3, event::QA_REPLY, reply("收到，下次注意", review_id)),
            "demo",
        );
        let shown = reviews(&replied);
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].review.score(), 80);
        assert_eq!(
            shown[0].reply.as_ref().map(|(text, _)| text.as_str()),
            Some("收到，下次注意")
        );
        assert_eq!(
            check(&replied, &demo, reply("再说一句", review_id)),
            Err(ReviewProblem::AlreadyReplied.message())
        );
    }
}
