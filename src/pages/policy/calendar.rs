//! Working hours and the calendar: the length of a working day, the weekly hours, the team's
//! shifts, and for a chosen year its public holidays and make-up working days (调休), which the
//! State Council announces each winter. Reply promises and deadlines count only working time
//! by these.

use super::rows::{Column, EditableRows, Rows};
use super::{FieldProblem, PartPage, PolicyEditor, SaveButton, SaveOutcome, Unreadable};
use crate::components::chip_group::ChipGroup;
use crate::i18n::{t, t_string, use_i18n};
use crate::routes::PolicyPart;
use chrono::{Datelike, NaiveDate, NaiveTime};
use kefu_core::policy::{PolicyData, Shift, WorkPeriod, YearCalendar};
use leptos::prelude::*;

#[component]
pub fn PolicyCalendar() -> impl IntoView {
    view! { <PartPage part=PolicyPart::Calendar form=|data: PolicyData| view! { <CalendarForm data=data /> } /> }
}

/// A list of dates: one date per row.
static DATE_COLUMN: [Column; 1] = [Column {
    label: |i18n| t_string!(i18n, policy_date).to_string(),
    testid: "date",
    member: None,
    input: "date",
    keyboard: "text",
}];

/// A shift: its names and its times.
static SHIFT_COLUMNS: [Column; 4] = [
    Column::text(
        |i18n| t_string!(i18n, policy_name_zh).to_string(),
        "shift-zh",
        "zh",
    ),
    Column::text(
        |i18n| t_string!(i18n, policy_name_en).to_string(),
        "shift-en",
        "en",
    ),
    Column {
        input: "time",
        ..Column::text(
            |i18n| t_string!(i18n, policy_period_start).to_string(),
            "shift-start",
            "start",
        )
    },
    Column {
        input: "time",
        ..Column::text(
            |i18n| t_string!(i18n, policy_period_end).to_string(),
            "shift-end",
            "end",
        )
    },
];

/// One year of the calendar as typed.
#[derive(Clone, Copy)]
struct Year {
    year: i32,
    holidays: Rows,
    makeup_days: Rows,
}

/// One period of the weekly hours as typed: which group of weekdays, and the period's times.
#[derive(Clone, Copy)]
struct Period {
    start: RwSignal<String>,
    end: RwSignal<String>,
}

#[component]
fn CalendarForm(data: PolicyData) -> impl IntoView {
    let i18n = use_i18n();
    let editor = PolicyEditor::new();
    let dates = |list: &[NaiveDate]| -> Rows {
        Rows::new(
            list.iter()
                .map(|date| (vec![date.format("%Y-%m-%d").to_string()], None)),
        )
    };
    let hours = &data.working_hours;
    let years = RwSignal::new(
        hours
            .years
            .iter()
            .map(|calendar| Year {
                year: calendar.year,
                holidays: dates(&calendar.holidays),
                makeup_days: dates(&calendar.makeup_working_days),
            })
            .collect::<Vec<_>>(),
    );
    // The year an admin most likely came for: next year once its calendar is being announced.
    let this_year = chrono::Local::now().year();
    let chosen = RwSignal::new(this_year);
    let day_minutes = RwSignal::new(hours.working_day_minutes.to_string());
    let weekly: Vec<(String, Vec<Period>)> = hours
        .weekly
        .iter()
        .map(|week| {
            let days = week
                .days
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ");
            let periods = week
                .periods
                .iter()
                .map(|period| Period {
                    start: RwSignal::new(period.start.format("%H:%M").to_string()),
                    end: RwSignal::new(period.end.format("%H:%M").to_string()),
                })
                .collect();
            (days, periods)
        })
        .collect();
    let weekly_periods: Vec<Vec<Period>> =
        weekly.iter().map(|(_, periods)| periods.clone()).collect();
    let shifts = Rows::new(hours.shifts.iter().map(|shift| {
        let time = |at: NaiveTime| at.format("%H:%M").to_string();
        (
            vec![
                shift.zh.clone(),
                shift.en.clone(),
                time(shift.start),
                time(shift.end),
            ],
            Some(shift.id.clone()),
        )
    }));
    let add_year = move |_| {
        let next = years
            .with(|years| years.iter().map(|year| year.year).max())
            .map_or(this_year, |last| last + 1);
        years.update(|years| {
            years.push(Year {
                year: next,
                holidays: Rows::new([]),
                makeup_days: Rows::new([]),
            })
        });
        chosen.set(next);
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed_shifts: Result<Vec<Shift>, Unreadable> = shifts
            .values()
            .into_iter()
            .enumerate()
            .map(|(index, (cells, id))| {
                let field = format!("working_hours.shifts[{index}]");
                let [zh, en, start, end]: [String; 4] = cells.try_into().unwrap_or_default();
                let time = |text: &str, member: &str| {
                    NaiveTime::parse_from_str(text, "%H:%M")
                        .map_err(|_| Unreadable::time(format!("{field}.{member}")))
                };
                Ok(Shift {
                    id: id.unwrap_or_default(),
                    zh,
                    en,
                    start: time(&start, "start")?,
                    end: time(&end, "end")?,
                })
            })
            .collect();
        let typed_years: Result<Vec<YearCalendar>, Unreadable> = years.with_untracked(|years| {
            years
                .iter()
                .enumerate()
                .map(|(index, year)| {
                    let field = format!("working_hours.years[{index}]");
                    Ok(YearCalendar {
                        year: year.year,
                        holidays: typed_dates(year.holidays, &format!("{field}.holidays"))?,
                        makeup_working_days: typed_dates(
                            year.makeup_days,
                            &format!("{field}.makeup_working_days"),
                        )?,
                    })
                })
                .collect()
        });
        let minutes = day_minutes.get_untracked().trim().parse::<u32>();
        let periods: Result<Vec<Vec<WorkPeriod>>, Unreadable> = weekly_periods
            .iter()
            .enumerate()
            .map(|(week, periods)| {
                periods
                    .iter()
                    .enumerate()
                    .map(|(index, period)| {
                        let field = format!("working_hours.weekly[{week}].periods[{index}]");
                        Ok(WorkPeriod {
                            start: typed_time(period.start, &field)?,
                            end: typed_time(period.end, &field)?,
                        })
                    })
                    .collect()
            })
            .collect();
        editor.save(move |data| {
            let hours = &mut data.working_hours;
            hours.working_day_minutes = minutes.map_err(|_| {
                Unreadable::whole_number("working_hours.working_day_minutes".into())
            })?;
            hours.years = typed_years?;
            hours.shifts = typed_shifts?;
            for (week, periods) in hours.weekly.iter_mut().zip(periods?) {
                week.periods = periods;
            }
            Ok(())
        });
    };
    view! {
        <form class="policy-form" data-testid="policy-calendar" on:submit=on_submit>
            <SaveOutcome editor=editor />
            <fieldset class="policy-group">
                <legend>{t!(i18n, policy_working_hours)}</legend>
                <label>
                    {t!(i18n, policy_working_day_minutes)}
                    <input
                        inputmode="numeric"
                        data-testid="working-day-minutes"
                        prop:value=day_minutes
                        on:input=move |ev| day_minutes.set(event_target_value(&ev))
                    />
                </label>
                <FieldProblem editor=editor path="working_hours.working_day_minutes" />
                {weekly
                    .into_iter()
                    .enumerate()
                    .map(|(week, (days, periods))| {
                        view! {
                            <div class="form-row" data-testid="weekly-hours">
                                <span class="days">{days}</span>
                                {periods
                                    .into_iter()
                                    .enumerate()
                                    .map(|(index, period)| {
                                        let path = format!("working_hours.weekly[{week}].periods[{index}]");
                                        view! {
                                            <label>
                                                {t!(i18n, policy_period_start)}
                                                <input type="time" prop:value=period.start on:input=move |ev| period.start.set(event_target_value(&ev)) />
                                            </label>
                                            <label>
                                                {t!(i18n, policy_period_end)}
                                                <input type="time" prop:value=period.end on:input=move |ev| period.end.set(event_target_value(&ev)) />
                                            </label>
                                            <FieldProblem editor=editor path=path />
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <fieldset class="policy-group" data-testid="shifts">
                <legend>{t!(i18n, policy_shifts)}</legend>
                <EditableRows editor=editor rows=shifts path="working_hours.shifts".to_owned() columns=&SHIFT_COLUMNS row_testid="shift-row" />
                <button
                    type="button"
                    data-testid="add-shift"
                    on:click=move |_| {
                        let id = format!("shift-{}", &uuid::Uuid::now_v7().simple().to_string()[24..]);
                        shifts.push(vec![String::new(), String::new(), "09:00".into(), "18:00".into()], Some(id));
                    }
                >
                    {t!(i18n, policy_add_shift)}
                </button>
            </fieldset>
            <div class="toolbar">
                <ChipGroup
                    legend=move || t!(i18n, policy_year)
                    testid="calendar-years"
                    options=move || year_numbers(years)
                    selected=move || chosen.get()
                    label=|year: &i32| year.to_string()
                    chip_testid=|year: &i32| format!("calendar-year-{year}")
                    on_choose=move |year: i32| chosen.set(year)
                />
                <button type="button" data-testid="add-year" on:click=add_year>
                    {t!(i18n, policy_add_year)}
                </button>
            </div>
            {move || {
                let chosen_year = chosen.get();
                let found = years.with(|years| {
                    years.iter().position(|year| year.year == chosen_year).map(|index| (index, years[index]))
                });
                match found {
                    Some((index, year)) => view! {
                        <DateList
                            editor=editor
                            legend=t_string!(i18n, policy_holidays).to_string()
                            testid="holidays"
                            path=format!("working_hours.years[{index}].holidays")
                            year=year.year
                            dates=year.holidays
                        />
                        <DateList
                            editor=editor
                            legend=t_string!(i18n, policy_makeup_days).to_string()
                            testid="makeup-days"
                            path=format!("working_hours.years[{index}].makeup_working_days")
                            year=year.year
                            dates=year.makeup_days
                        />
                    }
                    .into_any(),
                    None => view! { <p class="muted" data-testid="no-calendar">{t!(i18n, policy_no_calendar, year = chosen_year)}</p> }.into_any(),
                }
            }}
            <SaveButton />
        </form>
    }
}

/// The dates of one list of the chosen year, each with its own input.
#[component]
fn DateList(
    editor: PolicyEditor,
    legend: String,
    testid: &'static str,
    path: String,
    year: i32,
    dates: Rows,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="policy-group" data-testid=testid>
            <legend>{legend}</legend>
            <EditableRows editor=editor rows=dates path=path columns=&DATE_COLUMN row_testid="date-row" class="policy-rows dates" />
            <button
                type="button"
                data-testid=format!("add-{testid}")
                // Starts in the chosen year, so the date picker opens there.
                on:click=move |_| dates.push(vec![format!("{year}-01-01")], None)
            >
                {t!(i18n, policy_add_date)}
            </button>
        </fieldset>
    }
}

fn year_numbers(years: RwSignal<Vec<Year>>) -> Vec<i32> {
    years.with(|years| years.iter().map(|year| year.year).collect())
}

fn typed_dates(dates: Rows, field: &str) -> Result<Vec<NaiveDate>, Unreadable> {
    dates
        .values()
        .iter()
        .enumerate()
        .map(|(index, (cells, _))| {
            NaiveDate::parse_from_str(&cells[0], "%Y-%m-%d")
                .map_err(|_| Unreadable::date(format!("{field}[{index}]")))
        })
        .collect()
}

fn typed_time(time: RwSignal<String>, field: &str) -> Result<NaiveTime, Unreadable> {
    NaiveTime::parse_from_str(time.get_untracked().trim(), "%H:%M")
        .map_err(|_| Unreadable::time(field.to_owned()))
}
