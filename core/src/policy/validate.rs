//! Checks a policy file before any rule sees it, stopping at the first problem and naming its field.

use super::error::{PolicyError, PolicyProblem};
use super::schema::*;
use crate::money::Fen;
use std::collections::HashSet;

type Check = Result<(), PolicyError>;

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
    check_labels("objection_kinds", &data.objection_kinds)?;
    check_special_situations(&data.special_situations)?;
    check_request_types(&data.request_types)?;
    check_labels("return_reasons", &data.return_reasons)?;
    check_working_hours(&data.working_hours)?;
    check_orders(&data.orders)?;
    check_item_classes(&data.item_classes)?;
    check_labels("provinces", &data.provinces)?;
    let provinces: HashSet<&str> = data.provinces.iter().map(|p| p.id.as_str()).collect();
    check_return_shipping(&data.return_shipping, &provinces)?;
    check_couriers(&data.couriers, &provinces)?;
    check_courier_rules(data, &provinces)
}

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
                return fail(format!("request_types[{index}].{part}"), PolicyProblem::Empty);
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
    match RequestType::ALL.into_iter().find(|kind| !seen.contains(kind)) {
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
    let holidays = unique_dates("working_hours.holidays", &hours.holidays)?;
    unique_dates(
        "working_hours.makeup_working_days",
        &hours.makeup_working_days,
    )?;
    if let Some(date) = hours
        .makeup_working_days
        .iter()
        .find(|date| holidays.contains(date))
    {
        return fail(
            "working_hours.makeup_working_days",
            PolicyProblem::HolidayAndMakeupDay {
                date: date.to_string(),
            },
        );
    }
    Ok(())
}

fn unique_dates<'a>(
    field: &str,
    dates: &'a [chrono::NaiveDate],
) -> Result<HashSet<&'a chrono::NaiveDate>, PolicyError> {
    let mut seen = HashSet::new();
    for date in dates {
        if !seen.insert(date) {
            return Err(PolicyError::invalid(
                field,
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
    check_not_negative(
        "orders.merge_same_day_orders_under_fen",
        orders.merge_same_day_orders_under_fen,
    )
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
        check_known_provinces(&format!("{field}.out_of_zone"), &courier.out_of_zone, provinces)?;
        check_fee(&format!("{field}.out_of_zone_fee"), &courier.out_of_zone_fee)?;
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
