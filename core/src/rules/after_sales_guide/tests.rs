//! Table tests: for each situation, the answers given so far and what the guide says next.

use super::*;

fn policy() -> GuidePolicy<'static> {
    Policy::default_policy().into()
}

/// What the guide says: the question asked, or the resolution's text (Chinese), whether a
/// supervisor must agree, whether it goes in the weekly report and whether a claim follows.
#[derive(Debug, PartialEq)]
enum Said {
    Ask(Question),
    Resolve(&'static str, bool, bool, bool),
}

fn said(situation: Situation, answers: &Answers) -> (Option<Question>, Option<Resolution>) {
    match guide(policy(), situation, answers) {
        Guidance::Ask(question) => (Some(question), None),
        Guidance::Resolved(resolution) => (None, Some(resolution)),
    }
}

fn check(situation: Situation, table: Vec<(Answers, Said)>) {
    for (answers, expected) in table {
        match (said(situation, &answers), &expected) {
            ((Some(asked), None), Said::Ask(question)) => {
                assert_eq!(asked, *question, "{situation:?} {answers:?}")
            }
            ((None, Some(resolution)), Said::Resolve(text, supervisor, report, claim)) => {
                assert!(
                    resolution.text.zh.contains(text),
                    "{situation:?} {answers:?}: {}",
                    resolution.text.zh
                );
                assert_eq!(
                    (
                        resolution.needs_supervisor,
                        resolution.weekly_report,
                        resolution.courier_claim
                    ),
                    (*supervisor, *report, *claim),
                    "{situation:?} {answers:?}"
                );
            }
            (got, _) => panic!("{situation:?} {answers:?}: expected {expected:?}, got {got:?}"),
        }
    }
}

#[test]
fn missing_item() {
    let small = Some(Fen::from_yuan(1));
    let large = Some(Fen::from_yuan(59));
    check(
        Situation::MissingItem,
        vec![
            (Answers::default(), Said::Ask(Question::ItemValue)),
            (
                Answers {
                    item_value: small,
                    ..Default::default()
                },
                Said::Ask(Question::WeightCheckable),
            ),
            (
                Answers {
                    item_value: small,
                    weight_checkable: Some(false),
                    ..Default::default()
                },
                Said::Ask(Question::DifficultCustomer),
            ),
            (
                Answers {
                    item_value: small,
                    weight_checkable: Some(false),
                    difficult_customer: Some(false),
                    ..Default::default()
                },
                Said::Resolve("下次光顾时给予优惠", false, true, false),
            ),
            (
                Answers {
                    item_value: small,
                    weight_checkable: Some(false),
                    difficult_customer: Some(true),
                    ..Default::default()
                },
                Said::Resolve("经客服主管同意后直接给顾客退款", true, true, false),
            ),
            // A small item whose weight can be checked is checked like any other.
            (
                Answers {
                    item_value: small,
                    weight_checkable: Some(true),
                    ..Default::default()
                },
                Said::Ask(Question::WeightMatchesArrival),
            ),
            (
                Answers {
                    item_value: large,
                    ..Default::default()
                },
                Said::Ask(Question::WeightMatchesArrival),
            ),
            (
                Answers {
                    item_value: large,
                    weight_matches_arrival: Some(false),
                    ..Default::default()
                },
                Said::Resolve("我们没有少发", false, true, false),
            ),
            (
                Answers {
                    item_value: large,
                    weight_matches_arrival: Some(true),
                    ..Default::default()
                },
                Said::Ask(Question::InStock),
            ),
            (
                Answers {
                    item_value: large,
                    weight_matches_arrival: Some(true),
                    in_stock: Some(true),
                    ..Default::default()
                },
                Said::Resolve("立即手写订单补发", false, true, false),
            ),
            (
                Answers {
                    item_value: large,
                    weight_matches_arrival: Some(true),
                    in_stock: Some(false),
                    ..Default::default()
                },
                Said::Resolve("库房无货", false, true, false),
            ),
        ],
    );
}

#[test]
fn wrong_item() {
    check(
        Situation::WrongItem,
        vec![
            (Answers::default(), Said::Ask(Question::SentAsOrdered)),
            (
                Answers {
                    sent_as_ordered: Some(true),
                    ..Default::default()
                },
                Said::Resolve("是顾客拍错了", false, false, false),
            ),
            (
                Answers {
                    sent_as_ordered: Some(false),
                    ..Default::default()
                },
                Said::Ask(Question::WorthMoreThanShipping),
            ),
            (
                Answers {
                    sent_as_ordered: Some(false),
                    worth_more_than_shipping: Some(true),
                    ..Default::default()
                },
                Said::Ask(Question::CustomerAcceptsOffer),
            ),
            (
                Answers {
                    sent_as_ordered: Some(false),
                    worth_more_than_shipping: Some(false),
                    customer_accepts_offer: Some(true),
                    ..Default::default()
                },
                Said::Resolve("顾客接受折价", false, true, false),
            ),
            (
                Answers {
                    sent_as_ordered: Some(false),
                    worth_more_than_shipping: Some(true),
                    customer_accepts_offer: Some(false),
                    ..Default::default()
                },
                Said::Resolve("我们承担运费给顾客退换", false, true, false),
            ),
            (
                Answers {
                    sent_as_ordered: Some(false),
                    worth_more_than_shipping: Some(false),
                    customer_accepts_offer: Some(false),
                    ..Default::default()
                },
                Said::Resolve("请示客服主管", true, true, false),
            ),
        ],
    );
}

#[test]
fn quality_defect() {
    check(
        Situation::QualityDefect,
        vec![
            (Answers::default(), Said::Ask(Question::Misuse)),
            (
                Answers {
                    misuse: Some(true),
                    ..Default::default()
                },
                Said::Resolve("使用不当", false, false, false),
            ),
            (
                Answers {
                    misuse: Some(false),
                    ..Default::default()
                },
                Said::Ask(Question::CustomerAcceptsOffer),
            ),
            (
                Answers {
                    misuse: Some(false),
                    customer_accepts_offer: Some(true),
                    ..Default::default()
                },
                Said::Resolve("按补偿标准补钱", false, true, false),
            ),
            (
                Answers {
                    misuse: Some(false),
                    customer_accepts_offer: Some(false),
                    ..Default::default()
                },
                Said::Resolve("我们承担运费给顾客退换", false, true, false),
            ),
        ],
    );
}

#[test]
fn agent_mistake() {
    let province = |id: &str| Some(id.to_owned());
    check(
        Situation::AgentMistake,
        vec![
            (
                Answers::default(),
                Said::Ask(Question::CustomerAcceptsOffer),
            ),
            (
                Answers {
                    customer_accepts_offer: Some(true),
                    ..Default::default()
                },
                Said::Resolve("适当补偿", false, true, false),
            ),
            (
                Answers {
                    customer_accepts_offer: Some(false),
                    ..Default::default()
                },
                Said::Ask(Question::Province),
            ),
            (
                Answers {
                    customer_accepts_offer: Some(false),
                    province: province("zhejiang"),
                    ..Default::default()
                },
                Said::Resolve("¥6", false, true, false),
            ),
            (
                Answers {
                    customer_accepts_offer: Some(false),
                    province: province("beijing"),
                    ..Default::default()
                },
                Said::Resolve("¥10", false, true, false),
            ),
            (
                Answers {
                    customer_accepts_offer: Some(false),
                    province: province("atlantis"),
                    ..Default::default()
                },
                Said::Ask(Question::Province),
            ),
        ],
    );
}

#[test]
fn lost_parcel() {
    check(
        Situation::LostParcel,
        vec![
            (Answers::default(), Said::Ask(Question::CourierConfirmsLost)),
            (
                Answers {
                    courier_confirms_lost: Some(false),
                    ..Default::default()
                },
                Said::Resolve("催件", false, false, false),
            ),
            (
                Answers {
                    courier_confirms_lost: Some(true),
                    ..Default::default()
                },
                Said::Ask(Question::InStock),
            ),
            (
                Answers {
                    courier_confirms_lost: Some(true),
                    in_stock: Some(true),
                    ..Default::default()
                },
                Said::Ask(Question::ItemValue),
            ),
            (
                Answers {
                    courier_confirms_lost: Some(true),
                    in_stock: Some(true),
                    item_value: Some(Fen::from_yuan(59)),
                    ..Default::default()
                },
                Said::Resolve("立即给顾客补发，并向快递公司索赔 ¥59", false, true, true),
            ),
            (
                Answers {
                    courier_confirms_lost: Some(true),
                    in_stock: Some(false),
                    item_value: Some(Fen::from_yuan(59)),
                    ..Default::default()
                },
                Said::Resolve("给顾客退款", false, true, true),
            ),
        ],
    );
}

#[test]
fn every_situation_starts_with_steps_and_a_question() {
    for situation in Situation::ALL {
        assert!(!situation.first_steps().is_empty(), "{situation:?}");
        assert!(
            matches!(
                guide(policy(), situation, &Answers::default()),
                Guidance::Ask(_)
            ),
            "{situation:?}"
        );
        let id = serde_json::to_value(situation).unwrap();
        assert_eq!(id, situation.as_str());
    }
}

#[test]
fn the_small_item_limit_comes_from_the_policy() {
    let one_yuan = Answers {
        item_value: Some(Fen::from_yuan(1)),
        ..Default::default()
    };
    assert_eq!(policy().small_item_max, Fen::from_yuan(2));
    assert_eq!(
        guide(policy(), Situation::MissingItem, &one_yuan),
        Guidance::Ask(Question::WeightCheckable)
    );
    let stricter = GuidePolicy {
        small_item_max: Fen(50),
        ..policy()
    };
    assert_eq!(
        guide(stricter, Situation::MissingItem, &one_yuan),
        Guidance::Ask(Question::WeightMatchesArrival)
    );
}

#[test]
fn each_question_is_answered_once_and_read_back() {
    let questions = [
        (Question::ItemValue, Answer::Price(Fen::from_yuan(3))),
        (Question::WeightCheckable, Answer::YesNo(false)),
        (Question::WeightMatchesArrival, Answer::YesNo(true)),
        (Question::InStock, Answer::YesNo(true)),
        (Question::DifficultCustomer, Answer::YesNo(false)),
        (Question::SentAsOrdered, Answer::YesNo(false)),
        (Question::WorthMoreThanShipping, Answer::YesNo(true)),
        (Question::CustomerAcceptsOffer, Answer::YesNo(false)),
        (Question::Misuse, Answer::YesNo(true)),
        (Question::Province, Answer::Province("jiangsu".into())),
        (Question::CourierConfirmsLost, Answer::YesNo(true)),
    ];
    let mut answers = Answers::default();
    for (question, answer) in &questions {
        assert_eq!(
            matches!(answer, Answer::YesNo(_)),
            question.kind() == AnswerKind::YesNo,
            "{question:?}"
        );
        // The wrong kind of answer leaves the question open.
        answers.answer(*question, Answer::Price(Fen(-1)));
        answers.answer(*question, Answer::YesNo(true));
        answers.answer(*question, answer.clone());
        let id = serde_json::to_value(question).unwrap();
        assert_eq!(id, question.as_str());
    }
    assert_eq!(answers.given(), questions);
    let mut one = Answers::default();
    one.answer(Question::ItemValue, Answer::YesNo(true));
    assert_eq!(one, Answers::default());
}
