//! The shape of a policy file: every list and number of the manuals that a shop may change.
//!
//! Unknown keys are rejected so that a misspelt field is reported instead of silently falling
//! back to nothing.

use super::formats::{clock_time, utc_offset};
use crate::lang::Bilingual;
use crate::money::Fen;
use chrono::{Datelike, FixedOffset, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// An entry of a pick list: a stable id for storage and both UI languages for the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub id: String,
    pub zh: String,
    pub en: String,
}

impl Label {
    pub fn name(&self) -> Bilingual {
        Bilingual::new(&self.zh, &self.en)
    }
}

/// The station's checks the return rules read, by id.
pub mod check {
    pub const TRACKING: &str = "tracking";
    pub const ITEMS: &str = "items";
    /// A one-off item (孤品) is accepted only in its original packaging.
    pub const PACKAGING: &str = "packaging";
    pub const TAGS: &str = "tags";
}

/// The checks every shop's checklist keeps: the return rules read them.
pub const BUILT_IN_CHECKS: [&str; 4] =
    [check::TRACKING, check::ITEMS, check::PACKAGING, check::TAGS];

/// The built-in checklist, for a policy stored before the checklist was data.
pub fn default_inspection_checks() -> Vec<Label> {
    let label = |id: &str, zh: &str, en: &str| Label {
        id: id.into(),
        zh: zh.into(),
        en: en.into(),
    };
    vec![
        label(check::TRACKING, "快递单号一致", "Tracking number matches"),
        label(
            check::ITEMS,
            "商品和数量与订单一致",
            "Items and quantities match the order",
        ),
        label(check::PACKAGING, "原包装完好", "Original packaging"),
        label(check::TAGS, "吊牌完好", "Tags intact"),
    ]
}

/// Everything a policy file holds, as written. Only a validated [`super::Policy`] reaches the
/// rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyData {
    pub channels: Vec<Label>,
    pub inquiry_categories: Vec<Label>,
    pub complaint_categories: Vec<Label>,
    pub complaint_causes: Vec<Label>,
    pub customer_mindsets: Vec<Label>,
    /// The customer's basic need behind a complaint (seed 000 §6.2): 被理解, 被尊重, 安全感.
    pub customer_needs: Vec<Label>,
    /// Whose fault a complaint is (seed 000 §6.3): ours (apologise and act) or not (explain).
    pub fault_sides: Vec<Label>,
    /// How a customer is told a result (seed 000 §6.6, §7.5).
    pub contact_methods: Vec<Label>,
    /// Where a complaint or a suggestion is routed (seed 000 §6.6, §7.5).
    pub departments: Vec<Label>,
    /// Why an agent escalates to the supervisor (seed 000 §10.1).
    pub escalation_reasons: Vec<Label>,
    /// The guided scripts (complaints, feedback), every version a case may have started with.
    pub scripts: Vec<Script>,
    pub objection_kinds: Vec<Label>,
    pub special_situations: Vec<SpecialSituation>,
    pub request_types: Vec<RequestTypeLabel>,
    pub return_reasons: Vec<ReturnReason>,
    pub banned_phrases: Vec<BannedPhraseEntry>,
    pub working_hours: WorkingHours,
    pub orders: OrderRules,
    pub returns: ReturnRules,
    pub item_classes: Vec<ItemClass>,
    pub return_shipping: ReturnShipping,
    pub provinces: Vec<Label>,
    pub couriers: Vec<Courier>,
    pub courier_rules: CourierRules,
    /// How devices behave; a policy stored before it existed gets the defaults.
    #[serde(default)]
    pub devices: DeviceRules,
    /// What a packer checks on each returned parcel, in order: the station's checklist. The
    /// checks the return rules read ([`BUILT_IN_CHECKS`]) stay, renamed as the shop likes; a
    /// shop adds its own. A policy stored before it existed gets the built-in four.
    #[serde(default = "default_inspection_checks")]
    pub inspection_checks: Vec<Label>,
    /// What QA scores a case's handling on (质检评分表), in order: items with weights and
    /// short guidance. A policy without one (the default file among them) gets
    /// [`default_score_sheet`].
    #[serde(default = "default_score_sheet")]
    pub qa_score_sheet: Vec<ScoreItem>,
    /// How much each monthly figure weighs in an agent's KPI score (绩效考核). A policy stored
    /// before it existed gets [`KpiWeights::default`].
    #[serde(default)]
    pub kpi_weights: KpiWeights,
}

/// The weight of each monthly figure in the KPI score (`figures::kpi`), each 0 to 100; a
/// figure weighing 0 is left out of the score. The default sums to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiWeights {
    /// 接起率: calls answered of those offered.
    pub answer_rate: u32,
    /// 平均首次响应: the average wait of the calls answered, against the 50-second norm.
    pub first_response: u32,
    /// 满意度: callbacks answered satisfied or better.
    pub satisfaction: u32,
    /// 退单率: the fewer returns of the cases received, the better.
    pub return_rate: u32,
    /// 质检: the average QA review score.
    pub qa_score: u32,
    /// 服务禁语: banned-phrase incidents, each costing points.
    pub incidents: u32,
    /// 超时未回复: reply promises broken, each costing points.
    pub overdue_promises: u32,
}

impl Default for KpiWeights {
    fn default() -> Self {
        KpiWeights {
            answer_rate: 20,
            first_response: 15,
            satisfaction: 20,
            return_rate: 10,
            qa_score: 20,
            incidents: 10,
            overdue_promises: 5,
        }
    }
}

impl KpiWeights {
    /// Each weight with its field's path in the policy, in the order the pages show them.
    pub fn named(&self) -> [(&'static str, u32); 7] {
        [
            ("kpi_weights.answer_rate", self.answer_rate),
            ("kpi_weights.first_response", self.first_response),
            ("kpi_weights.satisfaction", self.satisfaction),
            ("kpi_weights.return_rate", self.return_rate),
            ("kpi_weights.qa_score", self.qa_score),
            ("kpi_weights.incidents", self.incidents),
            ("kpi_weights.overdue_promises", self.overdue_promises),
        ]
    }
}

/// One item of QA's score sheet: what is scored, how much it weighs in the review's score, and
/// a line of guidance for the inspector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreItem {
    pub id: String,
    pub zh: String,
    pub en: String,
    pub weight: u32,
    pub guidance_zh: String,
    pub guidance_en: String,
}

impl ScoreItem {
    pub fn name(&self) -> Bilingual {
        Bilingual::new(&self.zh, &self.en)
    }

    pub fn guidance(&self) -> Bilingual {
        Bilingual::new(&self.guidance_zh, &self.guidance_en)
    }
}

/// The default score sheet (质检评分表, seed 001 §14), out of 100: what a policy without its
/// own sheet scores on, the default policy included. Built here rather than in the policy file
/// so a device decoding a policy never needs the file's parser.
pub fn default_score_sheet() -> Vec<ScoreItem> {
    let item = |id: &str, zh: &str, en: &str, weight: u32, guidance: (&str, &str)| ScoreItem {
        id: id.into(),
        zh: zh.into(),
        en: en.into(),
        weight,
        guidance_zh: guidance.0.into(),
        guidance_en: guidance.1.into(),
    };
    vec![
        item(
            "greeting",
            "问候与标准用语",
            "Greeting and standard phrases",
            15,
            (
                "开场问候及时，使用标准用语，礼貌称呼客户。",
                "Greets promptly, uses the standard phrases and addresses the customer politely.",
            ),
        ),
        item(
            "accuracy",
            "解答准确",
            "Accuracy",
            25,
            (
                "答复与政策、订单信息一致，不猜测，不承诺做不到的事。",
                "Answers match the policy and the order; no guessing, no promises that cannot be kept.",
            ),
        ),
        item(
            "attitude",
            "服务态度",
            "Attitude",
            20,
            (
                "耐心、礼貌，先安抚情绪再解决问题。",
                "Patient and polite; calms the customer before solving the problem.",
            ),
        ),
        item(
            "banned_phrases",
            "服务禁语",
            "Banned phrases",
            15,
            (
                "没有使用服务禁语；有禁语记录时此项不得满分。",
                "No banned phrase used; with a banned-phrase incident this item cannot get full marks.",
            ),
        ),
        item(
            "closing",
            "结束语与关键信息复述",
            "Closing and repeating key information",
            10,
            (
                "结束前复述订单号、解决方案和时间，并使用结束语。",
                "Before closing, repeats the order number, the solution and the time, then closes politely.",
            ),
        ),
        item(
            "response_time",
            "响应时效",
            "Response time",
            15,
            (
                "首次响应及时（30 天平均不超过 50 秒），在承诺的时间内回复。",
                "Responds promptly (a 30-day average within 50 s) and replies by the promised time.",
            ),
        ),
    ]
}

/// Devices several people use (the packing station's tablets).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceRules {
    /// A device marked as shared locks after this many minutes without a touch or a key, until
    /// the same user types their password (offline too) or someone else signs in. 0: never.
    pub idle_lock_minutes: u32,
}

/// One version of a guided script for a case kind (seed 000 §6 complaints, §7 feedback): its
/// steps in order. A case keeps the version it started with, so an edit is a new version and
/// the old ones stay while cases may use them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    /// The case kind it guides (`complaint`, `feedback`).
    pub case_kind: String,
    pub version: u32,
    pub steps: Vec<ScriptStep>,
}

/// One step of a script: what the agent does, what they might say, what they record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptStep {
    pub id: String,
    pub zh: String,
    pub en: String,
    pub guidance: Bilingual,
    /// Suggested phrases, inserted with one tap.
    #[serde(default)]
    pub phrases: Vec<Bilingual>,
    pub fields: Vec<ScriptField>,
}

impl ScriptStep {
    pub fn name(&self) -> Bilingual {
        Bilingual::new(&self.zh, &self.en)
    }
}

/// What a step records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptField {
    pub id: String,
    pub zh: String,
    pub en: String,
    pub input: ScriptInput,
    /// The policy list a `choice` picks from.
    #[serde(default)]
    pub list: Option<ChoiceList>,
    #[serde(default)]
    pub required: bool,
    /// What the agent says to the customer: checked for banned phrases. At most one per step.
    #[serde(default)]
    pub customer_reads: bool,
}

impl ScriptField {
    pub fn name(&self) -> Bilingual {
        Bilingual::new(&self.zh, &self.en)
    }
}

/// How a script field is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScriptInput {
    /// A line or a paragraph of text.
    Text,
    /// A box to tick ("thanked the customer"); required means ticked.
    Check,
    /// One entry of a policy list.
    Choice,
}

/// The policy lists a script's choices come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceList {
    CustomerMindsets,
    CustomerNeeds,
    FaultSides,
    ComplaintCategories,
    ComplaintCauses,
    Departments,
    ContactMethods,
}

/// A situation of seed 000 §5.7 and who takes it over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialSituation {
    pub id: String,
    pub zh: String,
    pub en: String,
    pub refer_to: Bilingual,
}

impl SpecialSituation {
    pub fn name(&self) -> Bilingual {
        Bilingual::new(&self.zh, &self.en)
    }
}

/// After-sales request types. Unlike most lists these are fixed in code, because each one
/// follows its own path through the return flow; the policy only names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestType {
    ReturnRefund,
    Exchange,
    RefundOnly,
    Reship,
    PartialRefund,
}

impl RequestType {
    pub const ALL: [RequestType; 5] = [
        RequestType::ReturnRefund,
        RequestType::Exchange,
        RequestType::RefundOnly,
        RequestType::Reship,
        RequestType::PartialRefund,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestType::ReturnRefund => "return_refund",
            RequestType::Exchange => "exchange",
            RequestType::RefundOnly => "refund_only",
            RequestType::Reship => "reship",
            RequestType::PartialRefund => "partial_refund",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestTypeLabel {
    pub id: RequestType,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnShippingPaidBy {
    Shop,
    Customer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnReason {
    pub id: String,
    pub zh: String,
    pub en: String,
    pub return_shipping_paid_by: ReturnShippingPaidBy,
    /// Whether the no-reason window limits this reason; a defect can be reported later.
    #[serde(default)]
    pub no_reason_window: bool,
}

impl ReturnReason {
    pub fn name(&self) -> Bilingual {
        Bilingual::new(&self.zh, &self.en)
    }
}

/// One line of the banned-phrase list: `phrase` may hold several phrases separated by "/".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BannedPhraseEntry {
    pub phrase: String,
    pub alternative: String,
}

impl BannedPhraseEntry {
    pub const SEPARATOR: char = '/';

    pub fn phrases(&self) -> impl Iterator<Item = &str> {
        self.phrase.split(Self::SEPARATOR)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "WorkingHoursFile")]
pub struct WorkingHours {
    #[serde(with = "utc_offset")]
    pub utc_offset: FixedOffset,
    /// The working time "one working day" stands for in promises and deadlines.
    pub working_day_minutes: u32,
    /// Which weekday's hours a make-up working day (调休) follows.
    pub makeup_days_follow: Weekday,
    /// The public holidays and make-up working days, one entry per year, since they are
    /// announced a year at a time.
    pub years: Vec<YearCalendar>,
    pub weekly: Vec<WeeklyHours>,
    /// The team's shifts (班次): each shift's people read the pinned cases and the handover
    /// first. Empty for a shop with one shift.
    pub shifts: Vec<Shift>,
}

/// One shift of the day, in the shop's time. A shift that ends before it starts runs past
/// midnight (夜班).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    pub id: String,
    pub zh: String,
    pub en: String,
    #[serde(with = "clock_time")]
    pub start: NaiveTime,
    #[serde(with = "clock_time")]
    pub end: NaiveTime,
}

impl WorkingHours {
    pub fn calendar(&self, year: i32) -> Option<&YearCalendar> {
        self.years.iter().find(|calendar| calendar.year == year)
    }

    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.calendar(date.year())
            .is_some_and(|calendar| calendar.holidays.contains(&date))
    }

    pub fn is_makeup_working_day(&self, date: NaiveDate) -> bool {
        self.calendar(date.year())
            .is_some_and(|calendar| calendar.makeup_working_days.contains(&date))
    }
}

fn calendar_for(years: &mut Vec<YearCalendar>, year: i32) -> &mut YearCalendar {
    let index = match years.iter().position(|calendar| calendar.year == year) {
        Some(index) => index,
        None => {
            years.push(YearCalendar {
                year,
                holidays: Vec::new(),
                makeup_working_days: Vec::new(),
            });
            years.len() - 1
        }
    };
    &mut years[index]
}

/// One year's public holidays and make-up working days (调休), as the State Council announces
/// them each winter for the next year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearCalendar {
    pub year: i32,
    #[serde(default)]
    pub holidays: Vec<NaiveDate>,
    #[serde(default)]
    pub makeup_working_days: Vec<NaiveDate>,
}

/// Working hours as a file may hold them: with a calendar per year, or as the single lists of
/// dates policies stored before years existed, which are sorted into years on reading.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkingHoursFile {
    #[serde(with = "utc_offset")]
    utc_offset: FixedOffset,
    working_day_minutes: u32,
    makeup_days_follow: Weekday,
    #[serde(default)]
    years: Vec<YearCalendar>,
    #[serde(default)]
    holidays: Vec<NaiveDate>,
    #[serde(default)]
    makeup_working_days: Vec<NaiveDate>,
    weekly: Vec<WeeklyHours>,
    #[serde(default)]
    shifts: Vec<Shift>,
}

impl From<WorkingHoursFile> for WorkingHours {
    fn from(file: WorkingHoursFile) -> Self {
        let mut years = file.years;
        for date in file.holidays {
            calendar_for(&mut years, date.year()).holidays.push(date);
        }
        for date in file.makeup_working_days {
            calendar_for(&mut years, date.year())
                .makeup_working_days
                .push(date);
        }
        years.sort_by_key(|calendar| calendar.year);
        WorkingHours {
            utc_offset: file.utc_offset,
            working_day_minutes: file.working_day_minutes,
            makeup_days_follow: file.makeup_days_follow,
            years,
            weekly: file.weekly,
            shifts: file.shifts,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklyHours {
    pub days: Vec<Weekday>,
    /// In order and not overlapping; the gap between two periods is the lunch break.
    pub periods: Vec<WorkPeriod>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkPeriod {
    #[serde(with = "clock_time")]
    pub start: NaiveTime,
    #[serde(with = "clock_time")]
    pub end: NaiveTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderRules {
    pub unpaid_cancel_after_working_days: u32,
    pub merge_same_day_orders_under_fen: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnRules {
    pub no_reason_window_days: u32,
    /// A missing item worth up to this is "a small item of about one yuan" (一元左右的小产品,
    /// seed 003): an apology and a favour rather than a reshipment. Defaulted so a policy
    /// stored before this field existed still reads.
    #[serde(default = "ReturnRules::default_small_item_max")]
    pub small_item_max_fen: Fen,
}

impl ReturnRules {
    fn default_small_item_max() -> Fen {
        Fen::from_yuan(2)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemClass {
    pub id: String,
    pub zh: String,
    pub en: String,
    pub return_requires_original_packaging: bool,
    pub customer_may_choose_courier: bool,
    pub compensation_tiers: Vec<CompensationTier>,
}

impl ItemClass {
    pub fn name(&self) -> Bilingual {
        Bilingual::new(&self.zh, &self.en)
    }
}

/// Compensation for unit prices in `[price_from_fen, price_below_fen)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompensationTier {
    #[serde(default)]
    pub price_from_fen: Fen,
    #[serde(default)]
    pub price_below_fen: Option<Fen>,
    pub min_fen: Fen,
    pub max_fen: Fen,
}

impl CompensationTier {
    pub fn covers(&self, unit_price: Fen) -> bool {
        unit_price >= self.price_from_fen
            && self.price_below_fen.is_none_or(|below| unit_price < below)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmountRange {
    pub min_fen: Fen,
    pub max_fen: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnShipping {
    pub zones: Vec<ReturnShippingZone>,
    pub elsewhere: AmountRange,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnShippingZone {
    pub id: String,
    pub zh: String,
    pub en: String,
    pub provinces: Vec<String>,
    pub min_fen: Fen,
    pub max_fen: Fen,
}

/// A fee charged by first weight (首重), as the manual quotes couriers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirstWeightFee {
    pub first_weight_grams: u32,
    pub fen: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Courier {
    pub id: String,
    pub zh: String,
    pub en: String,
    /// When present, only these provinces are in the courier's zone.
    #[serde(default)]
    pub in_zone: Option<Vec<String>>,
    #[serde(default)]
    pub out_of_zone: Vec<String>,
    /// What shipping to the `out_of_zone` provinces costs, when the shop knows it.
    #[serde(default)]
    pub out_of_zone_fee: Option<FirstWeightFee>,
}

impl Courier {
    pub fn name(&self) -> Bilingual {
        Bilingual::new(&self.zh, &self.en)
    }

    pub fn in_zone(&self, province: &str) -> bool {
        let listed_in_zone = self
            .in_zone
            .as_ref()
            .is_none_or(|provinces| provinces.iter().any(|p| p == province));
        listed_in_zone && !self.out_of_zone.iter().any(|p| p == province)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourierRules {
    /// Ascending by `from_items`, starting at 1.
    pub default_by_item_count: Vec<ItemCountCourier>,
    pub last_resort_courier: String,
    pub post_only_supervisor_review_from_fen: Fen,
    #[serde(default)]
    pub destinations: Vec<DestinationCouriers>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemCountCourier {
    pub from_items: u32,
    pub courier: String,
}

/// A province only some couriers serve, in order of preference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationCouriers {
    pub province: String,
    pub couriers: Vec<DestinationCourier>,
    /// No other courier may be used there, even if the customer asks and pays.
    #[serde(default)]
    pub exclusive: bool,
    #[serde(default)]
    pub note: Option<Bilingual>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationCourier {
    pub courier: String,
    #[serde(default)]
    pub fee: Option<FirstWeightFee>,
}
