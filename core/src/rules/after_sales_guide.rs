//! The after-sales situations as guided steps (seed 003 §15 售后规范流程 (二)–(五); seed 002
//! 缺发少发处理, 产品质量问题处理, 快递问题处理 4): for each, what the agent does first, then one
//! question at a time until the manual's resolution is reached, said in words, with whether a
//! supervisor must agree, whether it goes into the weekly after-sales report, and whether a
//! courier claim follows.

use crate::lang::Bilingual;
use crate::money::Fen;
use crate::policy::Policy;
use crate::rules::compensation::{AllowancePolicy, return_shipping_allowance};
use serde::{Deserialize, Serialize};

/// What the guide reads of the policy.
#[derive(Debug, Clone, Copy)]
pub struct GuidePolicy<'a> {
    pub allowance: AllowancePolicy<'a>,
    /// `returns.small_item_max_fen`: "a small item of about one yuan" (一元左右的小产品).
    pub small_item_max: Fen,
}

impl<'a> From<&'a Policy> for GuidePolicy<'a> {
    fn from(policy: &'a Policy) -> Self {
        GuidePolicy {
            allowance: policy.into(),
            small_item_max: policy.returns.small_item_max_fen,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Situation {
    /// 少件不齐全 / 缺发少发.
    MissingItem,
    /// 发错货.
    WrongItem,
    /// 产品瑕疵和质量问题.
    QualityDefect,
    /// 客服失误.
    AgentMistake,
    /// 丢件 (the courier lost the parcel).
    LostParcel,
}

impl Situation {
    pub const ALL: [Situation; 5] = [
        Situation::MissingItem,
        Situation::WrongItem,
        Situation::QualityDefect,
        Situation::AgentMistake,
        Situation::LostParcel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Situation::MissingItem => "missing_item",
            Situation::WrongItem => "wrong_item",
            Situation::QualityDefect => "quality_defect",
            Situation::AgentMistake => "agent_mistake",
            Situation::LostParcel => "lost_parcel",
        }
    }

    pub fn name(self) -> Bilingual {
        match self {
            Situation::MissingItem => Bilingual::new("少件、缺发", "Missing item"),
            Situation::WrongItem => Bilingual::new("发错货", "Wrong item sent"),
            Situation::QualityDefect => Bilingual::new("瑕疵或质量问题", "Flaw or quality defect"),
            Situation::AgentMistake => Bilingual::new("客服失误", "Agent's mistake"),
            Situation::LostParcel => Bilingual::new("快递丢件", "Parcel lost by the courier"),
        }
    }

    /// What the agent does before any decision, in order.
    pub fn first_steps(self) -> Vec<Bilingual> {
        let steps: &[(&str, &str)] = match self {
            Situation::MissingItem => &[
                ("先向顾客道歉", "Apologise to the customer first"),
                (
                    "请顾客拍快递面单、收到的全部商品和箱子号码的照片",
                    "Ask for photos of the waybill, every item received and the box number",
                ),
                (
                    "查底单：订单详情是否正确，面单称重与顾客所说的收货情况是否相符",
                    "Check the order on the waybill, then compare its weight with what the customer says arrived",
                ),
            ],
            Situation::WrongItem => &[
                (
                    "确认顾客拍下的商品和我们发出的商品是否一致",
                    "Compare what the customer ordered with what we sent",
                ),
                (
                    "请顾客提供照片核对，也可查底单、看称重（不同商品重量不同）",
                    "Ask for photos; check the waybill and the weight (items weigh differently)",
                ),
            ],
            Situation::QualityDefect => &[
                ("先向顾客致歉并安抚", "Apologise and reassure the customer"),
                (
                    "耐心聆听描述，讲解正确的使用方法，判断是否使用不当",
                    "Listen, explain how the item is used, and rule out misuse",
                ),
            ],
            Situation::AgentMistake => &[
                ("向顾客道歉", "Apologise to the customer"),
                ("先和顾客商量适当补偿", "Offer a fair compensation first"),
            ],
            Situation::LostParcel => &[(
                "联系快递公司确认包裹是否丢失",
                "Ask the courier whether the parcel is lost",
            )],
        };
        steps
            .iter()
            .map(|(zh, en)| Bilingual::new(*zh, *en))
            .collect()
    }
}

/// What the agent has found out; `None` is a question not answered yet (and left out of the
/// stored entry, so it holds only what was answered).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Answers {
    /// The missing item's price, or the lost goods' for the courier claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_value: Option<Fen>,
    /// The waybill's weight can tell whether it was shipped (a very light item: no).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_checkable: Option<bool>,
    /// The waybill's weight is what the customer says arrived: we shipped less.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_matches_arrival: Option<bool>,
    /// The warehouse has the item to send again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_stock: Option<bool>,
    /// A customer who will not accept an apology and a favour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difficult_customer: Option<bool>,
    /// What we sent is what the customer ordered: the customer ordered the wrong thing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_as_ordered: Option<bool>,
    /// The wrong item is worth more than the shipping.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worth_more_than_shipping: Option<bool>,
    /// The customer takes the offer (a discount, a compensation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_accepts_offer: Option<bool>,
    /// The problem comes from how the item was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub misuse: Option<bool>,
    /// The customer's province (policy id), for the return-shipping allowance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    /// The courier confirmed the parcel is lost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub courier_confirms_lost: Option<bool>,
}

/// One answer, as the screen collects it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    YesNo(bool),
    Price(Fen),
    /// A policy province id.
    Province(String),
}

/// What kind of answer a question takes, so the screen shows the right control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    YesNo,
    Price,
    Province,
}

impl Answers {
    /// Records `answer` to `question`; an answer of the wrong kind is ignored.
    pub fn answer(&mut self, question: Question, answer: Answer) {
        let yes_no = |slot: &mut Option<bool>| {
            if let Answer::YesNo(value) = &answer {
                *slot = Some(*value);
            }
        };
        match question {
            Question::ItemValue => {
                if let Answer::Price(price) = &answer {
                    self.item_value = Some(*price);
                }
            }
            Question::Province => {
                if let Answer::Province(province) = &answer {
                    self.province = Some(province.clone());
                }
            }
            Question::WeightCheckable => yes_no(&mut self.weight_checkable),
            Question::WeightMatchesArrival => yes_no(&mut self.weight_matches_arrival),
            Question::InStock => yes_no(&mut self.in_stock),
            Question::DifficultCustomer => yes_no(&mut self.difficult_customer),
            Question::SentAsOrdered => yes_no(&mut self.sent_as_ordered),
            Question::WorthMoreThanShipping => yes_no(&mut self.worth_more_than_shipping),
            Question::CustomerAcceptsOffer => yes_no(&mut self.customer_accepts_offer),
            Question::Misuse => yes_no(&mut self.misuse),
            Question::CourierConfirmsLost => yes_no(&mut self.courier_confirms_lost),
        }
    }

    /// The answers given, in the order the questions are listed.
    pub fn given(&self) -> Vec<(Question, Answer)> {
        let yes_no = |question, value: Option<bool>| value.map(|v| (question, Answer::YesNo(v)));
        [
            self.item_value
                .map(|price| (Question::ItemValue, Answer::Price(price))),
            yes_no(Question::WeightCheckable, self.weight_checkable),
            yes_no(Question::WeightMatchesArrival, self.weight_matches_arrival),
            yes_no(Question::InStock, self.in_stock),
            yes_no(Question::DifficultCustomer, self.difficult_customer),
            yes_no(Question::SentAsOrdered, self.sent_as_ordered),
            yes_no(
                Question::WorthMoreThanShipping,
                self.worth_more_than_shipping,
            ),
            yes_no(Question::CustomerAcceptsOffer, self.customer_accepts_offer),
            yes_no(Question::Misuse, self.misuse),
            self.province
                .clone()
                .map(|province| (Question::Province, Answer::Province(province))),
            yes_no(Question::CourierConfirmsLost, self.courier_confirms_lost),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// The next question, by the answer it fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Question {
    ItemValue,
    WeightCheckable,
    WeightMatchesArrival,
    InStock,
    DifficultCustomer,
    SentAsOrdered,
    WorthMoreThanShipping,
    CustomerAcceptsOffer,
    Misuse,
    Province,
    CourierConfirmsLost,
}

impl Question {
    pub fn kind(self) -> AnswerKind {
        match self {
            Question::ItemValue => AnswerKind::Price,
            Question::Province => AnswerKind::Province,
            _ => AnswerKind::YesNo,
        }
    }

    /// Stable identifier, for the screen and its tests.
    pub fn as_str(self) -> &'static str {
        match self {
            Question::ItemValue => "item_value",
            Question::WeightCheckable => "weight_checkable",
            Question::WeightMatchesArrival => "weight_matches_arrival",
            Question::InStock => "in_stock",
            Question::DifficultCustomer => "difficult_customer",
            Question::SentAsOrdered => "sent_as_ordered",
            Question::WorthMoreThanShipping => "worth_more_than_shipping",
            Question::CustomerAcceptsOffer => "customer_accepts_offer",
            Question::Misuse => "misuse",
            Question::Province => "province",
            Question::CourierConfirmsLost => "courier_confirms_lost",
        }
    }

    pub fn text(self) -> Bilingual {
        let (zh, en) = match self {
            Question::ItemValue => (
                "缺少的商品价格是多少？",
                "What is the missing item's price?",
            ),
            Question::WeightCheckable => (
                "能否通过称重判断是否少发？",
                "Can the weight tell whether it was shipped?",
            ),
            Question::WeightMatchesArrival => (
                "面单称重与顾客所说的收货情况相符吗？",
                "Does the waybill's weight match what the customer says arrived?",
            ),
            Question::InStock => ("库房还有货吗？", "Does the warehouse have it in stock?"),
            Question::DifficultCustomer => (
                "顾客是否不接受道歉和优惠（难缠的顾客）？",
                "Does the customer refuse an apology and a favour?",
            ),
            Question::SentAsOrdered => (
                "我们发出的与顾客拍下的一致吗？",
                "Is what we sent what the customer ordered?",
            ),
            Question::WorthMoreThanShipping => (
                "错发的商品价值高于运费吗？",
                "Is the wrong item worth more than the shipping?",
            ),
            Question::CustomerAcceptsOffer => ("顾客接受这个方案吗？", "Does the customer accept?"),
            Question::Misuse => ("是否使用不当造成的？", "Was it caused by misuse?"),
            Question::Province => ("顾客在哪个省份？", "Which province is the customer in?"),
            Question::CourierConfirmsLost => (
                "快递公司确认丢件了吗？",
                "Has the courier confirmed the parcel is lost?",
            ),
        };
        Bilingual::new(zh, en)
    }
}

/// The manual's answer to the situation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub text: Bilingual,
    pub needs_supervisor: bool,
    /// Recorded for the weekly after-sales report to the supervisor.
    pub weekly_report: bool,
    /// A claim goes to the courier with the tracking number, order number and price.
    pub courier_claim: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guidance {
    Ask(Question),
    Resolved(Resolution),
}

fn resolved(zh: impl Into<String>, en: impl Into<String>) -> Guidance {
    Guidance::Resolved(Resolution {
        text: Bilingual::new(zh, en),
        needs_supervisor: false,
        weekly_report: true,
        courier_claim: false,
    })
}

fn with_supervisor(guidance: Guidance) -> Guidance {
    match guidance {
        Guidance::Resolved(resolution) => Guidance::Resolved(Resolution {
            needs_supervisor: true,
            ..resolution
        }),
        ask => ask,
    }
}

/// The next question, or the resolution, for `situation` given what is known.
pub fn guide(policy: GuidePolicy<'_>, situation: Situation, answers: &Answers) -> Guidance {
    use Guidance::Ask;
    macro_rules! known {
        ($field:ident, $question:ident) => {
            match &answers.$field {
                Some(value) => value.clone(),
                None => return Ask(Question::$question),
            }
        };
    }
    match situation {
        Situation::MissingItem => {
            let value = known!(item_value, ItemValue);
            let small = value <= policy.small_item_max;
            if small && !known!(weight_checkable, WeightCheckable) {
                return if known!(difficult_customer, DifficultCustomer) {
                    with_supervisor(resolved(
                        "经客服主管同意后直接给顾客退款",
                        "Refund the customer directly once the supervisor agrees",
                    ))
                } else {
                    resolved(
                        "向顾客致歉协商：下次光顾时给予优惠，或随下次订单补上",
                        "Apologise and agree on a favour: a discount on the next order, or the item with it",
                    )
                };
            }
            if !known!(weight_matches_arrival, WeightMatchesArrival) {
                return resolved(
                    "称重与顾客所说不符：我们没有少发，耐心向顾客说明",
                    "The weight does not match: nothing was left out; explain this patiently",
                );
            }
            if known!(in_stock, InStock) {
                resolved(
                    "确属少发：道歉，立即手写订单补发（顾客也可选择退款）",
                    "It was left out: apologise and reship at once with a hand-written order (or refund if the customer prefers)",
                )
            } else {
                resolved(
                    "确属少发但库房无货：道歉并给顾客退款",
                    "It was left out and is out of stock: apologise and refund",
                )
            }
        }
        Situation::WrongItem => {
            if known!(sent_as_ordered, SentAsOrdered) {
                return Guidance::Resolved(Resolution {
                    text: Bilingual::new(
                        "与顾客拍下的一致：是顾客拍错了，仔细向顾客解释",
                        "It is what the customer ordered: explain this carefully",
                    ),
                    needs_supervisor: false,
                    weekly_report: false,
                    courier_claim: false,
                });
            }
            let worth_more = known!(worth_more_than_shipping, WorthMoreThanShipping);
            if known!(customer_accepts_offer, CustomerAcceptsOffer) {
                return resolved(
                    "错发：顾客接受折价，留下错发的商品",
                    "Wrong item: the customer keeps it at a discount",
                );
            }
            if worth_more {
                resolved(
                    "错发：顾客不要折价，我们承担运费给顾客退换",
                    "Wrong item, discount refused: exchange or return at our shipping cost",
                )
            } else {
                with_supervisor(resolved(
                    "错发：顾客没有需求，请示客服主管，并马上补发或退款",
                    "Wrong item the customer does not want: ask the supervisor, then reship or refund at once",
                ))
            }
        }
        Situation::QualityDefect => {
            if known!(misuse, Misuse) {
                return Guidance::Resolved(Resolution {
                    text: Bilingual::new(
                        "使用不当：耐心讲解正确的使用方法",
                        "Misuse: explain patiently how the item is used",
                    ),
                    needs_supervisor: false,
                    weekly_report: false,
                    courier_claim: false,
                });
            }
            if known!(customer_accepts_offer, CustomerAcceptsOffer) {
                resolved(
                    "质量问题：按补偿标准补钱给顾客（超出标准需主管审批）",
                    "Quality defect: compensate within the tier (a supervisor approves anything above it)",
                )
            } else {
                resolved(
                    "质量问题：我们承担运费给顾客退换（同意前先争取邮费）",
                    "Quality defect: exchange or return at our shipping cost",
                )
            }
        }
        Situation::AgentMistake => {
            if known!(customer_accepts_offer, CustomerAcceptsOffer) {
                return resolved(
                    "客服失误：道歉并给予适当补偿",
                    "Agent's mistake: apologise and compensate fairly",
                );
            }
            let province = known!(province, Province);
            let Ok(allowance) = return_shipping_allowance(policy.allowance, &province) else {
                // Not one of the policy's provinces: asked again (the check names it).
                return Ask(Question::Province);
            };
            let reasons: Vec<&Bilingual> = allowance.reasons.iter().collect();
            let joined = |pick: fn(&Bilingual) -> &str| {
                reasons
                    .iter()
                    .map(|reason| pick(reason))
                    .collect::<Vec<_>>()
                    .join("；")
            };
            resolved(
                format!("客服失误：道歉并包邮退换。{}", joined(|b| &b.zh)),
                format!(
                    "Agent's mistake: apologise; exchange or return at our cost. {}",
                    joined(|b| &b.en)
                ),
            )
        }
        Situation::LostParcel => {
            if !known!(courier_confirms_lost, CourierConfirmsLost) {
                return Guidance::Resolved(Resolution {
                    text: Bilingual::new(
                        "未确认丢件：联系快递催件，并给顾客回复",
                        "Not confirmed lost: chase the courier and reply to the customer",
                    ),
                    needs_supervisor: false,
                    weekly_report: false,
                    courier_claim: false,
                });
            }
            let in_stock = known!(in_stock, InStock);
            // The claim names the goods' price (seed 002 快递问题处理 4).
            let price = known!(item_value, ItemValue);
            let text = if in_stock {
                Bilingual::new(
                    format!(
                        "丢件：立即给顾客补发，并向快递公司索赔 {price}（附快递单号、订单编号、产品售价）"
                    ),
                    format!(
                        "Lost: reship at once, and claim {price} from the courier (with the tracking number, order number and price)"
                    ),
                )
            } else {
                Bilingual::new(
                    format!(
                        "丢件且无货：给顾客退款，并向快递公司索赔 {price}（附快递单号、订单编号、产品售价）"
                    ),
                    format!(
                        "Lost and out of stock: refund, and claim {price} from the courier (with the tracking number, order number and price)"
                    ),
                )
            };
            Guidance::Resolved(Resolution {
                text,
                needs_supervisor: false,
                weekly_report: true,
                courier_claim: true,
            })
        }
    }
}

#[cfg(test)]
mod tests;
