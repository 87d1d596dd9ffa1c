//! Checks a policy file before any rule sees it, stopping at the first problem and naming its field.

use super::error::{PolicyError, PolicyProblem};
use super::schema::*;
use crate::money::Fen;
use chrono::Datelike;
use std::collections::HashSet;

type Check = Result<(), PolicyError>;

/// A working day cannot hold more working time than a calendar day.
const MAX_WORKING_DAY_MINUTES: u32 = 24 * 60;
/// Day counts (payment wait, return window) beyond a year are typos, and would push dates
/// towards the end of the calendar.
const MAX_DAYS: u32 = 366;

fn fail(field: impl Into<String>, problem: PolicyProblem) -> Check {
    Err(PolicyError::invalid(field, problem))
}

/// Entries that carry an id and both UI names.
trait Labelled {
    fn parts(&self) -> [(&'static str, &str); 3];
}

macro_rules! labelled {
    ($($kind:ty),*) => {$(
        impl Labelled for $kind {
            fn parts(&self) -> [(&'static str, &str); 3] {
                [("id", &self.id), ("zh", &self.zh), ("en", &self.en)]
            }
        }
    )*};
}

labelled!(
    Label,
    ScoreItem,
    Shift,
    SpecialSituation,
    ReturnReason,
    ItemClass,
    ReturnShippingZone,
    Courier
);

pub(super) fn check(data: &PolicyData) -> Check {
    check_labels("channels", &data.channels)?;
    check_labels("inquiry_categories", &data.inquiry_categories)?;
    check_labels("complaint_categories", &data.complaint_categories)?;
    check_labels("complaint_causes", &data.complaint_causes)?;
    check_labels("customer_mindsets", &data.customer_mindsets)?;
    check_labels("customer_needs", &data.customer_needs)?;
    check_labels("fault_sides", &data.fault_sides)?;
    check_labels("contact_methods", &data.contact_methods)?;
    check_labels("departments", &data.departments)?;
    check_labels("escalation_reasons", &data.escalation_reasons)?;
    check_scripts(&data.scripts)?;
    check_labels("objection_kinds", &data.objection_kinds)?;
    check_special_situations(&data.special_situations)?;
    check_request_types(&data.request_types)?;
    check_labels("return_reasons", &data.return_reasons)?;
    check_working_hours(&data.working_hours)?;
    check_orders(&data.orders)?;
    check_at_most(
        "returns.no_reason_window_days",
        data.returns.no_reason_window_days,
        MAX_DAYS,
    )?;
    check_not_negative(
        "returns.small_item_max_fen",
        data.returns.small_item_max_fen,
    )?;
    check_item_classes(&data.item_classes)?;
    check_labels("provinces", &data.provinces)?;
    let provinces: HashSet<&str> = data.provinces.iter().map(|p| p.id.as_str()).collect();
    check_return_shipping(&data.return_shipping, &provinces)?;
    check_couriers(&data.couriers, &provinces)?;
    check_courier_rules(data, &provinces)?;
    check_at_most(
        "devices.idle_lock_minutes",
        data.devices.idle_lock_minutes,
        MAX_IDLE_LOCK_MINUTES,
    )?;
    check_inspection_checks(&data.inspection_checks)?;
    check_score_sheet(&data.qa_score_sheet)?;
    check_kpi_weights(&data.kpi_weights)
}

/// The KPI weights: each 0 to 100, and not all 0, or no score could be given.
fn check_kpi_weights(weights: &KpiWeights) -> Check {
    for (path, weight) in weights.named() {
        check_at_most(path, weight, MAX_ITEM_WEIGHT)?;
    }
    if weights.named().iter().all(|(_, weight)| *weight == 0) {
        return fail("kpi_weights.answer_rate", PolicyProblem::MustBePositive);
    }
    Ok(())
}

/// QA's score sheet: labelled items, each weighing 1 to 100.
fn check_score_sheet(items: &[ScoreItem]) -> Check {
    check_labels("qa_score_sheet", items)?;
    for (index, item) in items.iter().enumerate() {
        let field = format!("qa_score_sheet[{index}].weight");
        if item.weight == 0 {
            return fail(field, PolicyProblem::MustBePositive);
        }
        check_at_most(&field, item.weight, MAX_ITEM_WEIGHT)?;
    }
    Ok(())
}

/// An item's weight: the sheet is read as out of 100.
const MAX_ITEM_WEIGHT: u32 = 100;

/// The station's checklist: labelled entries, keeping every check the return rules read.
fn check_inspection_checks(checks: &[Label]) -> Check {
    check_labels("inspection_checks", checks)?;
    match BUILT_IN_CHECKS
        .iter()
        .find(|id| !checks.iter().any(|check| check.id == **id))
    {
        Some(id) => fail(
            "inspection_checks",
            PolicyProblem::Missing {
                value: (*id).to_owned(),
            },
        ),
        None => Ok(()),
    }
}

/// A shift: a lock later than that protects nothing.
const MAX_IDLE_LOCK_MINUTES: u32 = 8 * 60;

fn check_labels<T: Labelled>(field: &str, entries: &[T]) -> Check {
    if entries.is_empty() {
        return fail(field, PolicyProblem::Empty);
    }
    let mut ids = HashSet::new();
    for (index, entry) in entries.iter().enumerate() {
        for (part, value) in entry.parts() {
            if value.trim().is_empty() {
                return fail(format!("{field}[{index}].{part}"), PolicyProblem::Empty);
            }
        }
        let id = entry.parts()[0].1;
        if !ids.insert(id) {
            return fail(
                format!("{field}[{index}].id"),
                PolicyProblem::Duplicate { value: id.into() },
            );
        }
    }
    Ok(())
}

/// Each script version once; steps and fields named, ids unique; a choice names its list and
/// only a choice does; at most one text a customer reads per step (its banned-phrase check).
fn check_scripts(scripts: &[Script]) -> Check {
    let mut versions = HashSet::new();
    for (index, script) in scripts.iter().enumerate() {
        let field = format!("scripts[{index}]");
        if script.case_kind.trim().is_empty() {
            return fail(format!("{field}.case_kind"), PolicyProblem::Empty);
        }
        if script.version == 0 {
            return fail(format!("{field}.version"), PolicyProblem::MustBePositive);
        }
        if !versions.insert((script.case_kind.as_str(), script.version)) {
            return fail(
                format!("{field}.version"),
                PolicyProblem::Duplicate {
                    value: format!("{} {}", script.case_kind, script.version),
                },
            );
        }
        if script.steps.is_empty() {
            return fail(format!("{field}.steps"), PolicyProblem::Empty);
        }
        let mut step_ids = HashSet::new();
        for (step_index, step) in script.steps.iter().enumerate() {
            let field = format!("{field}.steps[{step_index}]");
            check_script_step(&field, step)?;
            if !step_ids.insert(step.id.as_str()) {
                return fail(
                    format!("{field}.id"),
                    PolicyProblem::Duplicate {
                        value: step.id.clone(),
                    },
                );
            }
        }
    }
    Ok(())
}

fn check_script_step(field: &str, step: &ScriptStep) -> Check {
    for (part, value) in [
        ("id", &step.id),
        ("zh", &step.zh),
        ("en", &step.en),
        ("guidance.zh", &step.guidance.zh),
        ("guidance.en", &step.guidance.en),
    ] {
        if value.trim().is_empty() {
            return fail(format!("{field}.{part}"), PolicyProblem::Empty);
        }
    }
    if step.fields.is_empty() {
        return fail(format!("{field}.fields"), PolicyProblem::Empty);
    }
    let mut ids = HashSet::new();
    for (index, entry) in step.fields.iter().enumerate() {
        let field = format!("{field}.fields[{index}]");
        for (part, value) in [("id", &entry.id), ("zh", &entry.zh), ("en", &entry.en)] {
            if value.trim().is_empty() {
                return fail(format!("{field}.{part}"), PolicyProblem::Empty);
            }
        }
        if !ids.insert(entry.id.as_str()) {
            return fail(
                format!("{field}.id"),
                PolicyProblem::Duplicate {
                    value: entry.id.clone(),
                },
            );
        }
        match (entry.input, entry.list) {
            (ScriptInput::Choice, None) => {
                return fail(
                    format!("{field}.list"),
                    PolicyProblem::Missing {
                        value: "list".into(),
                    },
                );
            }
            (ScriptInput::Text | ScriptInput::Check, Some(_)) => {
                return fail(
                    format!("{field}.list"),
                    PolicyProblem::Unknown {
                        value: "list".into(),
                    },
                );
            }
            _ => {}
        }
        if entry.customer_reads && entry.input != ScriptInput::Text {
            return fail(
                format!("{field}.customer_reads"),
                PolicyProblem::Unknown {
                    value: "customer_reads".into(),
                },
            );
        }
    }
    if step
        .fields
        .iter()
        .filter(|entry| entry.customer_reads)
        .count()
        > 1
    {
        return fail(
            format!("{field}.fields"),
            PolicyProblem::Duplicate {
                value: "customer_reads".into(),
            },
        );
    }
    Ok(())
}

fn check_special_situations(situations: &[SpecialSituation]) -> Check {
    check_labels("special_situations", situations)?;
    for (index, situation) in situations.iter().enumerate() {
        if situation.refer_to.zh.trim().is_empty() || situation.refer_to.en.trim().is_empty() {
            return fail(
                format!("special_situations[{index}].refer_to"),
                PolicyProblem::Empty,
            );
        }
    }
    Ok(())
}

fn check_request_types(labels: &[RequestTypeLabel]) -> Check {
    let mut seen = HashSet::new();
    for (index, label) in labels.iter().enumerate() {
        for (part, value) in [("zh", &label.zh), ("en", &label.en)] {
            if value.trim().is_empty() {
                return fail(
                    format!("request_types[{index}].{part}"),
                    PolicyProblem::Empty,
                );
            }
        }
        if !seen.insert(label.id) {
            return fail(
                format!("request_types[{index}].id"),
                PolicyProblem::Duplicate {
                    value: label.id.as_str().into(),
                },
            );
        }
    }
    match RequestType::ALL
        .into_iter()
        .find(|kind| !seen.contains(kind))
    {
        Some(missing) => fail(
            "request_types",
            PolicyProblem::Missing {
                value: missing.as_str().into(),
            },
        ),
        None => Ok(()),
    }
}

fn check_working_hours(hours: &WorkingHours) -> Check {
    if hours.working_day_minutes == 0 {
        return fail(
            "working_hours.working_day_minutes",
            PolicyProblem::MustBePositive,
        );
    }
    check_at_most(
        "working_hours.working_day_minutes",
        hours.working_day_minutes,
        MAX_WORKING_DAY_MINUTES,
    )?;
    let mut working_days = HashSet::new();
    for (index, week) in hours.weekly.iter().enumerate() {
        let field = format!("working_hours.weekly[{index}]");
        if week.days.is_empty() {
            return fail(format!("{field}.days"), PolicyProblem::Empty);
        }
        if week.periods.is_empty() {
            return fail(format!("{field}.periods"), PolicyProblem::Empty);
        }
        for day in &week.days {
            if !working_days.insert(*day) {
                return fail(
                    format!("{field}.days"),
                    PolicyProblem::Duplicate {
                        value: day.to_string(),
                    },
                );
            }
        }
        for (period_index, period) in week.periods.iter().enumerate() {
            let period_field = format!("{field}.periods[{period_index}]");
            if period.end <= period.start {
                return fail(
                    period_field,
                    PolicyProblem::EndsBeforeStart {
                        start: period.start.format("%H:%M").to_string(),
                        end: period.end.format("%H:%M").to_string(),
                    },
                );
            }
            // Periods must come in order, so a start before the previous end is an overlap.
            if period_index > 0 && period.start < week.periods[period_index - 1].end {
                return fail(
                    period_field,
                    PolicyProblem::Overlaps {
                        other: format!("{field}.periods[{}]", period_index - 1),
                    },
                );
            }
        }
    }
    if working_days.is_empty() {
        return fail("working_hours.weekly", PolicyProblem::NoWorkingDays);
    }
    if !working_days.contains(&hours.makeup_days_follow) {
        return fail(
            "working_hours.makeup_days_follow",
            PolicyProblem::NotAWorkingDay {
                day: hours.makeup_days_follow.to_string(),
            },
        );
    }
    check_years(&hours.years)?;
    check_shifts(&hours.shifts)
}

/// Shifts are optional; each is named, once, and lasts some time (its end may be past midnight).
fn check_shifts(shifts: &[Shift]) -> Check {
    if shifts.is_empty() {
        return Ok(());
    }
    check_labels("working_hours.shifts", shifts)?;
    match shifts.iter().position(|shift| shift.start == shift.end) {
        Some(index) => fail(
            format!("working_hours.shifts[{index}].end"),
            PolicyProblem::EndsBeforeStart {
                start: shifts[index].start.format("%H:%M").to_string(),
                end: shifts[index].end.format("%H:%M").to_string(),
            },
        ),
        None => Ok(()),
    }
}

/// Each year once; each date in its year and listed once; no day both a holiday and a
/// make-up working day.
fn check_years(years: &[YearCalendar]) -> Check {
    let mut seen_years = HashSet::new();
    for (index, calendar) in years.iter().enumerate() {
        let field = format!("working_hours.years[{index}]");
        if !seen_years.insert(calendar.year) {
            return fail(
                format!("{field}.year"),
                PolicyProblem::Duplicate {
                    value: calendar.year.to_string(),
                },
            );
        }
        let year = calendar.year;
        let holidays = dates_of_year(&format!("{field}.holidays"), year, &calendar.holidays)?;
        dates_of_year(
            &format!("{field}.makeup_working_days"),
            year,
            &calendar.makeup_working_days,
        )?;
        if let Some((day_index, date)) = calendar
            .makeup_working_days
            .iter()
            .enumerate()
            .find(|(_, date)| holidays.contains(date))
        {
            return fail(
                format!("{field}.makeup_working_days[{day_index}]"),
                PolicyProblem::HolidayAndMakeupDay {
                    date: date.to_string(),
                },
            );
        }
    }
    Ok(())
}

/// `dates` (the list `field` names) checked to be days of `year`, each once.
fn dates_of_year<'a>(
    field: &str,
    year: i32,
    dates: &'a [chrono::NaiveDate],
) -> Result<HashSet<&'a chrono::NaiveDate>, PolicyError> {
    let mut seen = HashSet::new();
    for (index, date) in dates.iter().enumerate() {
        if date.year() != year {
            return Err(PolicyError::invalid(
                format!("{field}[{index}]"),
                PolicyProblem::OutsideYear {
                    date: date.to_string(),
                    year,
                },
            ));
        }
        if !seen.insert(date) {
            return Err(PolicyError::invalid(
                format!("{field}[{index}]"),
                PolicyProblem::Duplicate {
                    value: date.to_string(),
                },
            ));
        }
    }
    Ok(seen)
}

fn check_orders(orders: &OrderRules) -> Check {
    if orders.unpaid_cancel_after_working_days == 0 {
        return fail(
            "orders.unpaid_cancel_after_working_days",
            PolicyProblem::MustBePositive,
        );
    }
    check_at_most(
        "orders.unpaid_cancel_after_working_days",
        orders.unpaid_cancel_after_working_days,
        MAX_DAYS,
    )?;
    check_not_negative(
        "orders.merge_same_day_orders_under_fen",
        orders.merge_same_day_orders_under_fen,
    )
}

fn check_at_most(field: &str, value: u32, max: u32) -> Check {
    if value > max {
        return fail(field, PolicyProblem::AtMost { max });
    }
    Ok(())
}

fn check_not_negative(field: &str, amount: Fen) -> Check {
    if amount < Fen::ZERO {
        return fail(field, PolicyProblem::Negative);
    }
    Ok(())
}

fn check_range(field: &str, min: Fen, max: Fen) -> Check {
    check_not_negative(&format!("{field}.min_fen"), min)?;
    if min > max {
        return fail(field, PolicyProblem::MinAboveMax { min, max });
    }
    Ok(())
}

fn check_item_classes(classes: &[ItemClass]) -> Check {
    check_labels("item_classes", classes)?;
    for (index, class) in classes.iter().enumerate() {
        check_tiers(
            &format!("item_classes[{index}].compensation_tiers"),
            &class.compensation_tiers,
        )?;
    }
    Ok(())
}

/// The tiers of one item class must cover every unit price from ¥0 up exactly once, so that
/// the compensation rule always finds exactly one tier.
fn check_tiers(field: &str, tiers: &[CompensationTier]) -> Check {
    if tiers.is_empty() {
        return fail(field, PolicyProblem::Empty);
    }
    for (index, tier) in tiers.iter().enumerate() {
        let tier_field = format!("{field}[{index}]");
        check_range(&tier_field, tier.min_fen, tier.max_fen)?;
        check_not_negative(&format!("{tier_field}.price_from_fen"), tier.price_from_fen)?;
        if let Some(below) = tier.price_below_fen
            && below <= tier.price_from_fen
        {
            return fail(
                tier_field,
                PolicyProblem::EmptyPriceRange {
                    from: tier.price_from_fen,
                    below,
                },
            );
        }
    }
    let mut by_price: Vec<(usize, &CompensationTier)> = tiers.iter().enumerate().collect();
    by_price.sort_by_key(|(_, tier)| tier.price_from_fen);
    let mut covered_below = Some(Fen::ZERO);
    let mut previous_index = None;
    for (index, tier) in by_price {
        match covered_below {
            None => {
                return fail(
                    format!("{field}[{index}]"),
                    PolicyProblem::Overlaps {
                        other: format!("{field}[{}]", previous_index.unwrap_or(index)),
                    },
                );
            }
            Some(below) if tier.price_from_fen > below => {
                return fail(field, PolicyProblem::TierGap { from: below });
            }
            Some(below) if tier.price_from_fen < below => {
                return fail(
                    format!("{field}[{index}]"),
                    PolicyProblem::Overlaps {
                        other: format!("{field}[{}]", previous_index.unwrap_or(index)),
                    },
                );
            }
            Some(_) => {}
        }
        covered_below = tier.price_below_fen;
        previous_index = Some(index);
    }
    match covered_below {
        Some(from) => fail(field, PolicyProblem::TierGap { from }),
        None => Ok(()),
    }
}

fn check_known_provinces(field: &str, listed: &[String], provinces: &HashSet<&str>) -> Check {
    match listed.iter().find(|p| !provinces.contains(p.as_str())) {
        Some(unknown) => fail(
            field,
            PolicyProblem::Unknown {
                value: unknown.clone(),
            },
        ),
        None => Ok(()),
    }
}

fn check_return_shipping(shipping: &ReturnShipping, provinces: &HashSet<&str>) -> Check {
    if !shipping.zones.is_empty() {
        check_labels("return_shipping.zones", &shipping.zones)?;
    }
    let mut zoned = HashSet::new();
    for (index, zone) in shipping.zones.iter().enumerate() {
        let field = format!("return_shipping.zones[{index}]");
        if zone.provinces.is_empty() {
            return fail(format!("{field}.provinces"), PolicyProblem::Empty);
        }
        check_known_provinces(&format!("{field}.provinces"), &zone.provinces, provinces)?;
        if let Some(twice) = zone.provinces.iter().find(|p| !zoned.insert(p.as_str())) {
            return fail(
                format!("{field}.provinces"),
                PolicyProblem::Duplicate {
                    value: twice.clone(),
                },
            );
        }
        check_range(&field, zone.min_fen, zone.max_fen)?;
    }
    check_range(
        "return_shipping.elsewhere",
        shipping.elsewhere.min_fen,
        shipping.elsewhere.max_fen,
    )
}

fn check_fee(field: &str, fee: &Option<FirstWeightFee>) -> Check {
    let Some(fee) = fee else {
        return Ok(());
    };
    if fee.first_weight_grams == 0 {
        return fail(
            format!("{field}.first_weight_grams"),
            PolicyProblem::MustBePositive,
        );
    }
    check_not_negative(&format!("{field}.fen"), fee.fen)
}

fn check_couriers(couriers: &[Courier], provinces: &HashSet<&str>) -> Check {
    check_labels("couriers", couriers)?;
    for (index, courier) in couriers.iter().enumerate() {
        let field = format!("couriers[{index}]");
        if let Some(in_zone) = &courier.in_zone {
            check_known_provinces(&format!("{field}.in_zone"), in_zone, provinces)?;
            if let Some(both) = courier.out_of_zone.iter().find(|p| in_zone.contains(p)) {
                return fail(
                    format!("{field}.out_of_zone"),
                    PolicyProblem::InAndOutOfZone {
                        value: both.clone(),
                    },
                );
            }
        }
        check_known_provinces(
            &format!("{field}.out_of_zone"),
            &courier.out_of_zone,
            provinces,
        )?;
        check_fee(
            &format!("{field}.out_of_zone_fee"),
            &courier.out_of_zone_fee,
        )?;
    }
    Ok(())
}

fn check_courier_rules(data: &PolicyData, provinces: &HashSet<&str>) -> Check {
    let rules = &data.courier_rules;
    let couriers: HashSet<&str> = data.couriers.iter().map(|c| c.id.as_str()).collect();
    let known_courier = |field: String, id: &str| {
        if couriers.contains(id) {
            Ok(())
        } else {
            fail(field, PolicyProblem::Unknown { value: id.into() })
        }
    };
    if rules.default_by_item_count.is_empty() {
        return fail("courier_rules.default_by_item_count", PolicyProblem::Empty);
    }
    for (index, rule) in rules.default_by_item_count.iter().enumerate() {
        let field = format!("courier_rules.default_by_item_count[{index}]");
        if index == 0 && rule.from_items != 1 {
            return fail(
                format!("{field}.from_items"),
                PolicyProblem::MustStartAt { expected: 1 },
            );
        }
        if index > 0 && rule.from_items <= rules.default_by_item_count[index - 1].from_items {
            return fail(format!("{field}.from_items"), PolicyProblem::NotAscending);
        }
        known_courier(format!("{field}.courier"), &rule.courier)?;
    }
    known_courier(
        "courier_rules.last_resort_courier".into(),
        &rules.last_resort_courier,
    )?;
    check_not_negative(
        "courier_rules.post_only_supervisor_review_from_fen",
        rules.post_only_supervisor_review_from_fen,
    )?;
    let mut destinations = HashSet::new();
    for (index, destination) in rules.destinations.iter().enumerate() {
        let field = format!("courier_rules.destinations[{index}]");
        if !provinces.contains(destination.province.as_str()) {
            return fail(
                format!("{field}.province"),
                PolicyProblem::Unknown {
                    value: destination.province.clone(),
                },
            );
        }
        if !destinations.insert(destination.province.as_str()) {
            return fail(
                format!("{field}.province"),
                PolicyProblem::Duplicate {
                    value: destination.province.clone(),
                },
            );
        }
        if destination.couriers.is_empty() {
            return fail(format!("{field}.couriers"), PolicyProblem::Empty);
        }
        let mut listed = HashSet::new();
        for (courier_index, choice) in destination.couriers.iter().enumerate() {
            let choice_field = format!("{field}.couriers[{courier_index}]");
            known_courier(format!("{choice_field}.courier"), &choice.courier)?;
            if !listed.insert(choice.courier.as_str()) {
                return fail(
                    format!("{choice_field}.courier"),
                    PolicyProblem::Duplicate {
                        value: choice.courier.clone(),
                    },
                );
            }
            check_fee(&format!("{choice_field}.fee"), &choice.fee)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{DEFAULT_POLICY_TOML, Policy};
    use chrono::{NaiveDate, NaiveTime, Weekday};

    fn default_data() -> PolicyData {
        Policy::default_policy().data().clone()
    }

    fn error_after(edit: impl FnOnce(&mut PolicyData)) -> PolicyError {
        let mut data = default_data();
        edit(&mut data);
        Policy::try_from(data).expect_err("the edit must make the policy invalid")
    }

    fn invalid(field: &str, problem: PolicyProblem) -> PolicyError {
        PolicyError::invalid(field, problem)
    }

    fn time(text: &str) -> NaiveTime {
        NaiveTime::parse_from_str(text, "%H:%M").unwrap()
    }

    #[test]
    fn scripts_table() {
        // The default's first script is the complaint's.
        fn complaint(data: &mut PolicyData) -> &mut Script {
            &mut data.scripts[0]
        }
        type Edit = Box<dyn FnOnce(&mut PolicyData)>;
        let table: Vec<(Edit, PolicyError)> = vec![
            (
                Box::new(|data| complaint(data).steps[0].fields[0].list = None),
                invalid(
                    "scripts[0].steps[0].fields[0].list",
                    PolicyProblem::Missing {
                        value: "list".into(),
                    },
                ),
            ),
            (
                Box::new(|data| {
                    complaint(data).steps[0].fields[1].list = Some(ChoiceList::Departments)
                }),
                invalid(
                    "scripts[0].steps[0].fields[1].list",
                    PolicyProblem::Unknown {
                        value: "list".into(),
                    },
                ),
            ),
            (
                Box::new(|data| complaint(data).steps[2].fields[1].customer_reads = true),
                invalid(
                    "scripts[0].steps[2].fields",
                    PolicyProblem::Duplicate {
                        value: "customer_reads".into(),
                    },
                ),
            ),
            (
                Box::new(|data| complaint(data).steps[1].id = "listen".into()),
                invalid(
                    "scripts[0].steps[1].id",
                    PolicyProblem::Duplicate {
                        value: "listen".into(),
                    },
                ),
            ),
            (
                Box::new(|data| complaint(data).steps[3].guidance.en = " ".into()),
                invalid("scripts[0].steps[3].guidance.en", PolicyProblem::Empty),
            ),
            (
                Box::new(|data| {
                    let copy = complaint(data).clone();
                    data.scripts.push(copy);
                }),
                invalid(
                    "scripts[2].version",
                    PolicyProblem::Duplicate {
                        value: "complaint 1".into(),
                    },
                ),
            ),
            (
                Box::new(|data| complaint(data).version = 0),
                invalid("scripts[0].version", PolicyProblem::MustBePositive),
            ),
            (
                Box::new(|data| data.escalation_reasons.clear()),
                invalid("escalation_reasons", PolicyProblem::Empty),
            ),
        ];
        for (edit, expected) in table {
            assert_eq!(error_after(edit), expected);
        }
    }

    #[test]
    fn a_stored_policy_gains_the_lists_a_newer_build_added_and_keeps_the_shop_s() {
        let mut stored = serde_json::to_value(Policy::default_policy()).unwrap();
        let object = stored.as_object_mut().unwrap();
        object.remove("scripts");
        object.remove("escalation_reasons");
        object["channels"][0]["zh"] = serde_json::json!("本店电话");
        assert!(serde_json::from_value::<Policy>(stored.clone()).is_err());
        let completed = crate::policy::with_missing_defaults(&stored).unwrap();
        let policy: Policy = serde_json::from_value(completed).unwrap();
        assert_eq!(policy.scripts, Policy::default_policy().scripts);
        assert_eq!(policy.escalation_reasons.len(), 4);
        assert_eq!(policy.channels[0].zh, "本店电话");
        // Nothing missing, or not a policy at all: left alone.
        let whole = serde_json::to_value(Policy::default_policy()).unwrap();
        assert_eq!(crate::policy::with_missing_defaults(&whole), None);
        assert_eq!(
            crate::policy::with_missing_defaults(&serde_json::json!({"channels": 3})),
            None
        );
        assert_eq!(
            crate::policy::with_missing_defaults(&serde_json::json!("policy")),
            None
        );
    }

    #[test]
    fn default_policy_is_valid() {
        let policy = Policy::from_toml_str(DEFAULT_POLICY_TOML).unwrap();
        assert_eq!(policy.inquiry_categories.len(), 8);
        assert_eq!(policy.complaint_categories.len(), 7);
        assert_eq!(policy.complaint_causes.len(), 3);
        assert_eq!(policy.customer_mindsets.len(), 3);
        assert_eq!(policy.objection_kinds.len(), 4);
        assert_eq!(policy.provinces.len(), 31);
        assert_eq!(policy.banned_phrases.len(), 29);
        assert_eq!(policy.orders.merge_same_day_orders_under_fen, Fen(1990));
    }

    #[test]
    fn overlapping_tiers() {
        let error = error_after(|data| {
            data.item_classes[1].compensation_tiers[1].price_from_fen = Fen(1500);
        });
        assert_eq!(
            error,
            invalid(
                "item_classes[1].compensation_tiers[1]",
                PolicyProblem::Overlaps {
                    other: "item_classes[1].compensation_tiers[0]".into()
                }
            )
        );
        let unbounded_twice = error_after(|data| {
            data.item_classes[1].compensation_tiers[0].price_below_fen = None;
        });
        assert_eq!(
            unbounded_twice,
            invalid(
                "item_classes[1].compensation_tiers[1]",
                PolicyProblem::Overlaps {
                    other: "item_classes[1].compensation_tiers[0]".into()
                }
            )
        );
    }

    #[test]
    fn kpi_weights_are_0_to_100_and_not_all_0() {
        let table = [
            (
                101,
                Some(invalid(
                    "kpi_weights.satisfaction",
                    PolicyProblem::AtMost { max: 100 },
                )),
            ),
            (100, None),
            (0, None),
        ];
        for (weight, expected) in table {
            let mut data = Policy::default_policy().data().clone();
            data.kpi_weights.satisfaction = weight;
            assert_eq!(Policy::try_from(data).err(), expected, "weight {weight}");
        }
        let nothing_weighs = error_after(|data| {
            data.kpi_weights = KpiWeights {
                answer_rate: 0,
                first_response: 0,
                satisfaction: 0,
                return_rate: 0,
                qa_score: 0,
                incidents: 0,
                overdue_promises: 0,
            }
        });
        assert_eq!(
            nothing_weighs,
            invalid("kpi_weights.answer_rate", PolicyProblem::MustBePositive)
        );
    }

    #[test]
    fn the_score_sheet_weighs_each_item_from_1_to_100() {
        let table = [
            (0, Some(PolicyProblem::MustBePositive)),
            (101, Some(PolicyProblem::AtMost { max: 100 })),
            (1, None),
            (100, None),
        ];
        for (weight, problem) in table {
            let mut data = Policy::default_policy().data().clone();
            data.qa_score_sheet[2].weight = weight;
            let expected = problem.map(|problem| invalid("qa_score_sheet[2].weight", problem));
            assert_eq!(Policy::try_from(data).err(), expected, "weight {weight}");
        }
        let empty_name = error_after(|data| data.qa_score_sheet[0].zh = String::new());
        assert_eq!(
            empty_name,
            invalid("qa_score_sheet[0].zh", PolicyProblem::Empty)
        );
    }

    #[test]
    fn the_checklist_keeps_the_checks_the_rules_read() {
        let error = error_after(|data| {
            data.inspection_checks
                .retain(|check| check.id != "packaging")
        });
        assert_eq!(
            error,
            invalid(
                "inspection_checks",
                PolicyProblem::Missing {
                    value: "packaging".into()
                }
            )
        );
        let mut added = Policy::default_policy().data().clone();
        added.inspection_checks.push(Label {
            id: "gift".into(),
            zh: "赠品齐全".into(),
            en: "Free gifts included".into(),
        });
        added.inspection_checks[2].zh = "原包装及配件完好".into();
        assert!(Policy::try_from(added).is_ok());
    }

    #[test]
    fn shifts_are_named_and_last_some_time() {
        let night = error_after(|data| {
            let shift = &mut data.working_hours.shifts[1];
            shift.end = shift.start;
        });
        assert_eq!(
            night,
            invalid(
                "working_hours.shifts[1].end",
                PolicyProblem::EndsBeforeStart {
                    start: "14:00".into(),
                    end: "14:00".into()
                }
            )
        );
        let unnamed = error_after(|data| data.working_hours.shifts[0].zh = " ".into());
        assert_eq!(
            unnamed,
            invalid("working_hours.shifts[0].zh", PolicyProblem::Empty)
        );
        // Past midnight, or none at all: both fine.
        let mut data = Policy::default_policy().data().clone();
        data.working_hours.shifts[1].end = NaiveTime::from_hms_opt(2, 0, 0).unwrap();
        assert!(Policy::try_from(data.clone()).is_ok());
        data.working_hours.shifts.clear();
        assert!(Policy::try_from(data).is_ok());
    }

    #[test]
    fn calendar_dates_belong_to_their_year() {
        let error = error_after(|data| {
            let next_new_year = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
            data.working_hours.years[0].holidays.push(next_new_year);
        });
        assert_eq!(
            error,
            invalid(
                "working_hours.years[0].holidays[33]",
                PolicyProblem::OutsideYear {
                    date: "2027-01-01".into(),
                    year: 2026
                }
            )
        );
        let twice = error_after(|data| {
            let again = data.working_hours.years[0].clone();
            data.working_hours.years.push(again);
        });
        assert_eq!(
            twice,
            invalid(
                "working_hours.years[1].year",
                PolicyProblem::Duplicate {
                    value: "2026".into()
                }
            )
        );
    }

    #[test]
    fn dates_stored_before_years_existed_are_sorted_into_years() {
        let mut stored = serde_json::to_value(Policy::default_policy()).unwrap();
        let hours = &mut stored["working_hours"];
        hours.as_object_mut().unwrap().remove("years");
        hours["holidays"] = serde_json::json!(["2027-01-01", "2026-10-01"]);
        hours["makeup_working_days"] = serde_json::json!(["2026-10-10"]);
        let policy: Policy = serde_json::from_value(stored).unwrap();
        let years = &policy.working_hours.years;
        assert_eq!(years.len(), 2);
        assert_eq!((years[0].year, years[1].year), (2026, 2027));
        assert_eq!(
            years[0].holidays,
            [NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()]
        );
        assert_eq!(years[0].makeup_working_days.len(), 1);
        assert_eq!(
            years[1].holidays,
            [NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()]
        );
        // Written back, only the years remain.
        let written = serde_json::to_value(&policy).unwrap();
        assert!(written["working_hours"].get("holidays").is_none());
    }

    #[test]
    fn tier_min_above_max() {
        let error = error_after(|data| {
            data.item_classes[1].compensation_tiers[0].min_fen = Fen(600);
        });
        assert_eq!(
            error,
            invalid(
                "item_classes[1].compensation_tiers[0]",
                PolicyProblem::MinAboveMax {
                    min: Fen(600),
                    max: Fen(500)
                }
            )
        );
    }

    #[test]
    fn tier_gaps_and_empty_ranges() {
        let gap = error_after(|data| {
            data.item_classes[1].compensation_tiers[1].price_from_fen = Fen(2000);
        });
        assert_eq!(
            gap,
            invalid(
                "item_classes[1].compensation_tiers",
                PolicyProblem::TierGap { from: Fen(1890) }
            )
        );
        let no_top = error_after(|data| {
            data.item_classes[0].compensation_tiers[0].price_below_fen = Some(Fen(100_000));
        });
        assert_eq!(
            no_top,
            invalid(
                "item_classes[0].compensation_tiers",
                PolicyProblem::TierGap { from: Fen(100_000) }
            )
        );
        let empty_range = error_after(|data| {
            data.item_classes[1].compensation_tiers[0].price_below_fen = Some(Fen(0));
        });
        assert_eq!(
            empty_range,
            invalid(
                "item_classes[1].compensation_tiers[0]",
                PolicyProblem::EmptyPriceRange {
                    from: Fen(0),
                    below: Fen(0)
                }
            )
        );
        let negative = error_after(|data| {
            data.item_classes[0].compensation_tiers[0].min_fen = Fen(-1);
        });
        assert_eq!(
            negative,
            invalid(
                "item_classes[0].compensation_tiers[0].min_fen",
                PolicyProblem::Negative
            )
        );
    }

    #[test]
    fn working_day_that_ends_before_it_starts() {
        let error = error_after(|data| {
            data.working_hours.weekly[0].periods[1].end = time("12:30");
        });
        assert_eq!(
            error,
            invalid(
                "working_hours.weekly[0].periods[1]",
                PolicyProblem::EndsBeforeStart {
                    start: "13:00".into(),
                    end: "12:30".into()
                }
            )
        );
        let zero_length = error_after(|data| {
            data.working_hours.weekly[0].periods[0].end = time("09:00");
        });
        assert!(matches!(
            zero_length,
            PolicyError::Invalid {
                problem: PolicyProblem::EndsBeforeStart { .. },
                ..
            }
        ));
    }

    #[test]
    fn working_hours_problems_table() {
        type Edit = fn(&mut PolicyData);
        let table: [(Edit, PolicyError); 8] = [
            (
                |data| data.working_hours.weekly[0].periods[1].start = time("11:00"),
                invalid(
                    "working_hours.weekly[0].periods[1]",
                    PolicyProblem::Overlaps {
                        other: "working_hours.weekly[0].periods[0]".into(),
                    },
                ),
            ),
            (
                |data| data.working_hours.weekly.clear(),
                invalid("working_hours.weekly", PolicyProblem::NoWorkingDays),
            ),
            (
                |data| data.working_hours.makeup_days_follow = Weekday::Sun,
                invalid(
                    "working_hours.makeup_days_follow",
                    PolicyProblem::NotAWorkingDay { day: "Sun".into() },
                ),
            ),
            (
                |data| {
                    let extra = data.working_hours.weekly[0].clone();
                    data.working_hours.weekly.push(extra);
                },
                invalid(
                    "working_hours.weekly[1].days",
                    PolicyProblem::Duplicate {
                        value: "Mon".into(),
                    },
                ),
            ),
            (
                |data| {
                    data.working_hours.years[0]
                        .holidays
                        .push(NaiveDate::from_ymd_opt(2026, 10, 10).unwrap())
                },
                invalid(
                    "working_hours.years[0].makeup_working_days[5]",
                    PolicyProblem::HolidayAndMakeupDay {
                        date: "2026-10-10".into(),
                    },
                ),
            ),
            (
                |data| {
                    let first = data.working_hours.years[0].holidays[0];
                    data.working_hours.years[0].holidays.push(first);
                },
                invalid(
                    "working_hours.years[0].holidays[33]",
                    PolicyProblem::Duplicate {
                        value: "2026-01-01".into(),
                    },
                ),
            ),
            (
                |data| data.working_hours.working_day_minutes = 0,
                invalid(
                    "working_hours.working_day_minutes",
                    PolicyProblem::MustBePositive,
                ),
            ),
            (
                |data| data.working_hours.working_day_minutes = 24 * 60 + 1,
                invalid(
                    "working_hours.working_day_minutes",
                    PolicyProblem::AtMost { max: 1440 },
                ),
            ),
        ];
        for (edit, expected) in table {
            assert_eq!(error_after(edit), expected);
        }
    }

    #[test]
    fn empty_phrase() {
        let error = error_after(|data| data.banned_phrases[2].phrase = "快点说/ ".into());
        assert_eq!(
            error,
            invalid("banned_phrases[2].phrase", PolicyProblem::Empty)
        );
    }

    #[test]
    fn lists_and_references_table() {
        type Edit = fn(&mut PolicyData);
        let table: [(Edit, PolicyError); 16] = [
            (
                |data| data.channels.clear(),
                invalid("channels", PolicyProblem::Empty),
            ),
            (
                |data| data.devices.idle_lock_minutes = 481,
                invalid(
                    "devices.idle_lock_minutes",
                    PolicyProblem::AtMost { max: 480 },
                ),
            ),
            (
                |data| data.inquiry_categories[3].en = " ".into(),
                invalid("inquiry_categories[3].en", PolicyProblem::Empty),
            ),
            (
                |data| data.complaint_categories[1].id = "product_quality".into(),
                invalid(
                    "complaint_categories[1].id",
                    PolicyProblem::Duplicate {
                        value: "product_quality".into(),
                    },
                ),
            ),
            (
                |data| {
                    data.request_types.remove(2);
                },
                invalid(
                    "request_types",
                    PolicyProblem::Missing {
                        value: "refund_only".into(),
                    },
                ),
            ),
            (
                |data| data.special_situations[0].refer_to.en.clear(),
                invalid("special_situations[0].refer_to", PolicyProblem::Empty),
            ),
            (
                |data| {
                    data.return_shipping.zones[0]
                        .provinces
                        .push("taiwan_strait".into())
                },
                invalid(
                    "return_shipping.zones[0].provinces",
                    PolicyProblem::Unknown {
                        value: "taiwan_strait".into(),
                    },
                ),
            ),
            (
                |data| data.return_shipping.elsewhere.min_fen = Fen(2000),
                invalid(
                    "return_shipping.elsewhere",
                    PolicyProblem::MinAboveMax {
                        min: Fen(2000),
                        max: Fen(1500),
                    },
                ),
            ),
            (
                |data| data.couriers[2].out_of_zone.push("hebei".into()),
                invalid(
                    "couriers[2].out_of_zone",
                    PolicyProblem::InAndOutOfZone {
                        value: "hebei".into(),
                    },
                ),
            ),
            (
                |data| data.courier_rules.default_by_item_count[1].courier = "pigeon".into(),
                invalid(
                    "courier_rules.default_by_item_count[1].courier",
                    PolicyProblem::Unknown {
                        value: "pigeon".into(),
                    },
                ),
            ),
            (
                |data| data.courier_rules.default_by_item_count[0].from_items = 2,
                invalid(
                    "courier_rules.default_by_item_count[0].from_items",
                    PolicyProblem::MustStartAt { expected: 1 },
                ),
            ),
            (
                |data| {
                    let xinjiang = data.courier_rules.destinations[0].clone();
                    data.courier_rules.destinations.push(xinjiang);
                },
                invalid(
                    "courier_rules.destinations[3].province",
                    PolicyProblem::Duplicate {
                        value: "xinjiang".into(),
                    },
                ),
            ),
            (
                |data| data.orders.unpaid_cancel_after_working_days = 0,
                invalid(
                    "orders.unpaid_cancel_after_working_days",
                    PolicyProblem::MustBePositive,
                ),
            ),
            (
                |data| data.orders.unpaid_cancel_after_working_days = 400,
                invalid(
                    "orders.unpaid_cancel_after_working_days",
                    PolicyProblem::AtMost { max: 366 },
                ),
            ),
            (
                |data| data.returns.no_reason_window_days = u32::MAX,
                invalid(
                    "returns.no_reason_window_days",
                    PolicyProblem::AtMost { max: 366 },
                ),
            ),
            (
                |data| data.returns.small_item_max_fen = Fen(-1),
                invalid("returns.small_item_max_fen", PolicyProblem::Negative),
            ),
        ];
        for (edit, expected) in table {
            assert_eq!(error_after(edit), expected);
        }
    }

    #[test]
    fn syntax_errors_name_the_key() {
        let float_money = DEFAULT_POLICY_TOML.replacen("min_fen = 500", "min_fen = 5.0", 1);
        let unknown_key = DEFAULT_POLICY_TOML.replacen(
            "no_reason_window_days = 7",
            "no_reason_window_days = 7\nno_reason_windw = 8",
            1,
        );
        let bad_time = DEFAULT_POLICY_TOML.replacen("start = \"09:00\"", "start = \"9am\"", 1);
        let bad_offset = DEFAULT_POLICY_TOML.replacen("\"+08:00\"", "\"Beijing\"", 1);
        for (text, mentions) in [
            (float_money, "min_fen"),
            (unknown_key, "no_reason_windw"),
            (bad_time, "9am"),
            (bad_offset, "Beijing"),
        ] {
            let error = Policy::from_toml_str(&text).unwrap_err();
            assert!(
                matches!(&error, PolicyError::Syntax { message } if message.contains(mentions)),
                "{error}"
            );
        }
    }

    #[test]
    fn every_error_has_both_languages() {
        let errors = [
            PolicyError::Syntax {
                message: "line 3".into(),
            },
            invalid(
                "working_hours.weekly[0].periods[1]",
                PolicyProblem::NoWorkingDays,
            ),
        ];
        for error in errors {
            let message = error.message();
            assert!(
                message.zh.contains("政策") && message.en.contains("olicy"),
                "{message:?}"
            );
            assert_ne!(message.zh, message.en);
        }
        let problems = [
            PolicyProblem::Empty,
            PolicyProblem::Duplicate { value: "a".into() },
            PolicyProblem::Unknown { value: "a".into() },
            PolicyProblem::Missing { value: "a".into() },
            PolicyProblem::MustBePositive,
            PolicyProblem::AtMost { max: 1 },
            PolicyProblem::Negative,
            PolicyProblem::MinAboveMax {
                min: Fen(2),
                max: Fen(1),
            },
            PolicyProblem::EndsBeforeStart {
                start: "13:00".into(),
                end: "12:00".into(),
            },
            PolicyProblem::Overlaps { other: "x".into() },
            PolicyProblem::TierGap { from: Fen(1) },
            PolicyProblem::EmptyPriceRange {
                from: Fen(1),
                below: Fen(1),
            },
            PolicyProblem::NoWorkingDays,
            PolicyProblem::NotAWorkingDay { day: "Sun".into() },
            PolicyProblem::HolidayAndMakeupDay {
                date: "2026-10-10".into(),
            },
            PolicyProblem::InAndOutOfZone { value: "a".into() },
            PolicyProblem::MustStartAt { expected: 1 },
            PolicyProblem::NotAscending,
            PolicyProblem::AlternativeIsBanned {
                phrase: "快点说".into(),
            },
            PolicyProblem::TooLarge { reason: "x".into() },
        ];
        for problem in problems {
            assert!(!problem.zh().is_empty() && !problem.to_string().is_empty());
            assert_ne!(problem.zh(), problem.to_string());
        }
    }

    #[test]
    fn a_policy_round_trips_through_json_and_is_validated_on_the_way_in() {
        let json = serde_json::to_string(Policy::default_policy()).unwrap();
        let back: Policy = serde_json::from_str(&json).unwrap();
        assert_eq!(back.data(), Policy::default_policy().data());
        let broken = json.replacen("\"min_fen\":500", "\"min_fen\":5000", 1);
        let error = serde_json::from_str::<Policy>(&broken).unwrap_err();
        assert!(error.to_string().contains("compensation_tiers"), "{error}");
    }

    #[test]
    fn a_policy_round_trips_through_its_toml_export() {
        let text = Policy::default_policy().to_toml().unwrap();
        let back = Policy::from_toml_str(&text).unwrap();
        assert_eq!(back.data(), Policy::default_policy().data());
    }
}
