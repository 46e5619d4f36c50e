//! Schedules: what a deadline phrase means, as a value — when something is due, for which
//! reporting period, and how to say it back in Russian and English.

use jiff::civil::Date;
use serde::Serialize;

use crate::arith::{ArithError, Computed, DayOffPolicy, Term, fmt};
use crate::calendar::Calendar;

/// A stretch of time a one-off deadline or a report refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Period {
    Day {
        date: Date,
    },
    /// An ISO week (Monday to Sunday) of an ISO week-year.
    Week {
        year: i16,
        week: i8,
    },
    Month {
        year: i16,
        month: i8,
    },
    Quarter {
        year: i16,
        quarter: i8,
    },
    Half {
        year: i16,
        half: i8,
    },
    Year {
        year: i16,
    },
    Years {
        from: i16,
        to: i16,
    },
}

/// The months' names, nominative («январь»), in order.
pub const MONTHS_NOM: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];
pub(crate) const MONTHS_GEN: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

fn month_idx(m: i8) -> usize {
    (m.clamp(1, 12) - 1) as usize
}

impl Period {
    pub fn first_day(&self) -> Result<Date, ArithError> {
        let d = |y, m, day| Date::new(y, m, day).map_err(|_| ArithError::OutOfRange);
        match *self {
            Period::Day { date } => Ok(date),
            Period::Week { year, week } => jiff::civil::ISOWeekDate::new(year, week, jiff::civil::Weekday::Monday)
                .map(|w| w.date())
                .map_err(|_| ArithError::OutOfRange),
            Period::Month { year, month } => d(year, month, 1),
            Period::Quarter { year, quarter } => d(year, (quarter - 1) * 3 + 1, 1),
            Period::Half { year, half } => d(year, (half - 1) * 6 + 1, 1),
            Period::Year { year } => d(year, 1, 1),
            Period::Years { from, .. } => d(from, 1, 1),
        }
    }

    pub fn last_day(&self) -> Result<Date, ArithError> {
        let end_of = |y, m| Date::new(y, m, 1).map(|d| d.last_of_month()).map_err(|_| ArithError::OutOfRange);
        match *self {
            Period::Day { date } => Ok(date),
            Period::Week { year, week } => jiff::civil::ISOWeekDate::new(year, week, jiff::civil::Weekday::Sunday)
                .map(|w| w.date())
                .map_err(|_| ArithError::OutOfRange),
            Period::Month { year, month } => end_of(year, month),
            Period::Quarter { year, quarter } => end_of(year, quarter * 3),
            Period::Half { year, half } => end_of(year, half * 6),
            Period::Year { year } => end_of(year, 12),
            Period::Years { to, .. } => end_of(to, 12),
        }
    }

    pub fn ru(&self) -> String {
        match *self {
            Period::Day { date } => fmt(date),
            Period::Week { year, week } => format!("{week}-я неделя {year}"),
            Period::Month { year, month } => format!("{} {year}", MONTHS_NOM[month_idx(month)]),
            Period::Quarter { year, quarter } => {
                format!("{} квартал {year}", ROMAN[(quarter.clamp(1, 4) - 1) as usize])
            }
            Period::Half { year, half } => format!("{} полугодие {year}", ROMAN[(half.clamp(1, 2) - 1) as usize]),
            Period::Year { year } => format!("{year} год"),
            Period::Years { from, to } => format!("{from}–{to} годы"),
        }
    }

    pub fn en(&self) -> String {
        match *self {
            Period::Day { date } => date.strftime("%-d %B %Y").to_string(),
            Period::Week { year, week } => format!("week {week} of {year}"),
            Period::Month { year, month } => format!("{} {year}", MONTHS_EN[month_idx(month)]),
            Period::Quarter { year, quarter } => format!("Q{quarter} {year}"),
            Period::Half { year, half } => format!("H{half} {year}"),
            Period::Year { year } => format!("{year}"),
            Period::Years { from, to } => format!("{from}–{to}"),
        }
    }
}

/// How often a recurring obligation comes due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// ISO weeks, Monday to Sunday.
    Weekly,
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

impl Frequency {
    fn months(self) -> i8 {
        match self {
            Frequency::Weekly | Frequency::Monthly => 1,
            Frequency::Quarterly => 3,
            Frequency::HalfYearly => 6,
            Frequency::Yearly => 12,
        }
    }

    /// The period of this frequency that holds `date`.
    pub fn period_of(self, date: Date) -> Period {
        let (year, month) = (date.year(), date.month());
        match self {
            Frequency::Weekly => {
                let w = date.iso_week_date();
                Period::Week { year: w.year(), week: w.week() }
            }
            Frequency::Monthly => Period::Month { year, month },
            Frequency::Quarterly => Period::Quarter { year, quarter: (month - 1) / 3 + 1 },
            Frequency::HalfYearly => Period::Half { year, half: (month - 1) / 6 + 1 },
            Frequency::Yearly => Period::Year { year },
        }
    }

    fn period(self, year: i16, index: i8) -> Period {
        match self {
            Frequency::Weekly => Period::Week { year, week: index },
            Frequency::Monthly => Period::Month { year, month: index },
            Frequency::Quarterly => Period::Quarter { year, quarter: index },
            Frequency::HalfYearly => Period::Half { year, half: index },
            Frequency::Yearly => Period::Year { year },
        }
    }
}

/// When, relative to its reporting period, a recurring obligation is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DueRule {
    /// By the end of the period ("ежеквартально", "не реже одного раза в квартал").
    EndOfPeriod,
    /// On a day of the given month in the year after the reporting year ("до 1 февраля следующего за отчетным года").
    NextYear { day: i8, month: i8 },
    /// On a day of the given month within the year ("ежегодно до 20 декабря").
    SameYear { day: i8, month: i8 },
    /// On a day of the month after the period ("до 15 числа следующего месяца").
    NextMonth { day: i8 },
    /// On a day of the period's last month ("не позднее 25-го числа последнего месяца квартала").
    LastMonth { day: i8 },
    /// On a day of the second month after the period ("не позднее 15 числа второго месяца,
    /// следующего за отчетным кварталом").
    SecondMonth { day: i8 },
    /// On a day of the third month after the period ("не позднее 1 числа третьего месяца квартала,
    /// следующего за отчетным кварталом").
    ThirdMonth { day: i8 },
    /// Months before the period ends ("за месяц до окончания текущего года"): the same day of
    /// the month that many months back, or that month's last day.
    MonthsBeforePeriodEnd { months: u32 },
    /// A day of the week, in the week ("не позднее 12.00 часов среды текущей недели"); 1 is Monday.
    Weekday { day: i8 },
    /// Days before the period begins ("не позднее чем за 30 дней до начала очередного квартала"):
    /// a plan for the period, due before it.
    BeforePeriodStart { days: i16 },
    /// On the n-th working day of the month after the period ("до 6-го рабочего дня месяца,
    /// следующего за отчетным").
    NextMonthWorking { day: i8 },
    /// Days before the period's last day ("не позднее чем за 20 дней до истечения текущего квартала").
    BeforePeriodEnd { days: i16 },
    /// A term after the period's last day ("не позднее 45 дней после даты окончания отчетного периода").
    AfterPeriodEnd { term: Term },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Recurrence {
    pub every: Frequency,
    pub due: DueRule,
    /// Words of the phrase that qualify it but do not change the dates ("с учетом сроков …").
    pub qualifier: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schedule {
    /// Due once, by the end of a period.
    Once {
        period: Period,
    },
    Recurring(Recurrence),
    /// A standing duty with no due date ("постоянно", "на постоянной основе", "в течение года").
    Continuous,
    /// Due a term after an event ("в течение 3 дней со дня утверждения"); `event` keeps its
    /// preposition ("со дня утверждения").
    AfterEvent {
        term: Term,
        event: String,
        /// The earliest day of a window ("не менее 30 дней и не более 90 дней со дня …"): the
        /// due date is the window's end, this its start.
        #[serde(skip_serializing_if = "Option::is_none")]
        not_before: Option<Term>,
    },
    /// A periodic rule whose reporting period is the one an event falls in ("до 20 января
    /// года, следующего за годом предоставления субсидии"): that period's due date only, or
    /// (`repeats`, "ежеквартально, … за кварталом, в котором была получена субсидия") every
    /// period's from it on. `event` keeps its words ("в котором была получена субсидия").
    FromEvent {
        rule: Recurrence,
        repeats: bool,
        event: String,
    },
    /// Due when an outside timetable says ("в соответствии со сроками объявления процедуры").
    ExternalTimetable {
        what: String,
    },
    /// Done when the need arises ("по мере необходимости").
    AsNeeded {
        when: String,
    },
    /// Already done ("исполнено").
    Done,
    /// By the last day of a year ("в течение года", "в течение 2019 года"); a phrase that names
    /// no year means the year of its plan, and has no due date when there is none.
    WithinYear {
        year: Option<i16>,
    },
    /// Several rules at once ("ежемесячно …, и ежегодно …", "X; Y"): every due date of each.
    All {
        items: Vec<Schedule>,
    },
    /// First one schedule, then ("далее") another.
    Then {
        first: Box<Schedule>,
        then: Box<Schedule>,
    },
}

/// One due date and the reporting period it covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Due {
    pub date: Computed,
    pub covers: Option<Period>,
}

impl Schedule {
    /// Due dates falling in `[from, to]`. Event-relative schedules need the event's date.
    pub fn due_dates(
        &self,
        cal: &Calendar,
        from: Date,
        to: Date,
        event: Option<Date>,
        policy: DayOffPolicy,
    ) -> Result<Vec<Due>, ArithError> {
        let mut out = Vec::new();
        match self {
            Schedule::Once { period } => {
                let d = end_of_period(cal, period, policy)?;
                if d.date >= from && d.date <= to {
                    out.push(Due { date: d, covers: Some(*period) });
                }
            }
            Schedule::Recurring(r) if r.every == Frequency::Weekly => {
                // Weeks from the one a week before `from`, until they start after `to`.
                let start = from.checked_sub(jiff::Span::new().days(7)).unwrap_or(from).iso_week_date();
                let mut period = Period::Week { year: start.year(), week: start.week() };
                while period.first_day()? <= to {
                    let d = recurring_due(cal, r, &period, policy)?;
                    if d.date >= from && d.date <= to {
                        out.push(Due { date: d, covers: Some(period) });
                    }
                    let next = period.last_day()?.tomorrow().map_err(|_| ArithError::OutOfRange)?.iso_week_date();
                    period = Period::Week { year: next.year(), week: next.week() };
                }
            }
            Schedule::Recurring(r) => {
                // Reporting periods that start from the year before `from` (a report is due after its period).
                let step = r.every.months();
                let per_year = 12 / step;
                let mut year = from.year() - 1;
                // A plan due before its period may fall in the year before it.
                'years: while year <= to.year() + 1 {
                    for index in 1..=per_year {
                        let period = r.every.period(year, index);
                        let d = recurring_due(cal, r, &period, policy)?;
                        if d.date > to && period.first_day()? > to {
                            break 'years;
                        }
                        if d.date >= from && d.date <= to {
                            out.push(Due { date: d, covers: Some(period) });
                        }
                    }
                    year += 1;
                }
                out.sort_by_key(|d| d.date.date);
            }
            Schedule::AfterEvent { term, not_before, .. } => {
                if let Some(e) = event {
                    // The day-off rule is the caller's, as for every other due date.
                    let mut d = cal.add(e, &Term { on_day_off: policy, ..*term })?;
                    if let Some(earliest) = not_before {
                        let start = cal.add(e, &Term { on_day_off: DayOffPolicy::Following, ..*earliest })?;
                        d.steps.push(crate::arith::Step {
                            date: start.date,
                            ru: format!("не ранее {} — начало срока", fmt(start.date)),
                            en: format!("not before {} — the window opens", fmt(start.date)),
                        });
                    }
                    if d.date >= from && d.date <= to {
                        out.push(Due { date: d, covers: None });
                    }
                }
            }
            Schedule::FromEvent { rule, repeats, .. } => {
                if let Some(e) = event {
                    let first = rule.every.period_of(e);
                    if *repeats {
                        let all = Schedule::Recurring(rule.clone()).due_dates(cal, from, to, None, policy)?;
                        for d in all {
                            if let Some(p) = d.covers
                                && p.first_day()? >= first.first_day()?
                            {
                                out.push(d);
                            }
                        }
                    } else {
                        let d = recurring_due(cal, rule, &first, policy)?;
                        if d.date >= from && d.date <= to {
                            out.push(Due { date: d, covers: Some(first) });
                        }
                    }
                }
            }
            Schedule::Then { first, then } => {
                let firsts = first.due_dates(cal, Date::MIN, to, event, policy)?;
                let last_first = firsts.last().map(|d| d.date.date);
                out.extend(firsts.into_iter().filter(|d| d.date.date >= from));
                let start = match last_first {
                    Some(d) => d.tomorrow().map_err(|_| ArithError::OutOfRange)?.max(from),
                    None => from,
                };
                if start <= to {
                    out.extend(then.due_dates(cal, start, to, event, policy)?);
                }
            }
            Schedule::WithinYear { year: Some(year) } => {
                let period = Period::Year { year: *year };
                let mut d = end_of_period(cal, &period, policy)?;
                d.steps.insert(
                    0,
                    crate::arith::Step {
                        date: period.last_day()?,
                        ru: format!("«в течение года» — до последнего дня {year} года"),
                        en: format!("“within the year” — by the last day of {year}"),
                    },
                );
                if d.date >= from && d.date <= to {
                    out.push(Due { date: d, covers: Some(period) });
                }
            }
            Schedule::All { items } => {
                for s in items {
                    out.extend(s.due_dates(cal, from, to, event, policy)?);
                }
                out.sort_by_key(|d| d.date.date);
                out.dedup_by(|a, b| a.date.date == b.date.date && a.covers == b.covers);
            }
            Schedule::WithinYear { year: None }
            | Schedule::Continuous
            | Schedule::ExternalTimetable { .. }
            | Schedule::AsNeeded { .. }
            | Schedule::Done => {}
        }
        Ok(out)
    }

    /// The first `n` due dates on or after `after`, looking up to 30 years ahead, a year at a time.
    pub fn next_due(
        &self,
        cal: &Calendar,
        after: Date,
        n: usize,
        event: Option<Date>,
        policy: DayOffPolicy,
    ) -> Result<Vec<Due>, ArithError> {
        let mut found = Vec::new();
        for years in 0..30 {
            let to =
                Date::new(after.year().saturating_add(years).min(9000), 12, 31).map_err(|_| ArithError::OutOfRange)?;
            found = self.due_dates(cal, after, to, event, policy)?;
            if found.len() >= n {
                break;
            }
        }
        found.truncate(n);
        Ok(found)
    }

    /// The last due date in `[from, to]`: the last of [`Schedule::due_dates`], found by looking
    /// back one, three, then ten years before the whole range, so a monthly duty tracked since
    /// 2017 computes a year of dates, not a decade of them.
    pub fn last_due(
        &self,
        cal: &Calendar,
        from: Date,
        to: Date,
        event: Option<Date>,
        policy: DayOffPolicy,
    ) -> Result<Option<Due>, ArithError> {
        for years in [1i16, 3, 10] {
            let Ok(start) = Date::new(to.year().saturating_sub(years), 1, 1) else { break };
            if start <= from {
                break;
            }
            if let Some(last) = self.due_dates(cal, start, to, event, policy)?.pop() {
                return Ok(Some(last));
            }
        }
        Ok(self.due_dates(cal, from, to, event, policy)?.pop())
    }

    pub fn ru(&self) -> String {
        match self {
            Schedule::Once { period } => match period {
                Period::Day { date } => format!("до {}", fmt(*date)),
                p => format!("до конца периода: {}", p.ru()),
            },
            Schedule::Recurring(r) => {
                let every = match r.every {
                    Frequency::Weekly => "еженедельно",
                    Frequency::Monthly => "ежемесячно",
                    Frequency::Quarterly => "ежеквартально",
                    Frequency::HalfYearly => "раз в полугодие",
                    Frequency::Yearly => "ежегодно",
                };
                let unit = match r.every {
                    Frequency::Weekly => "неделя",
                    Frequency::Monthly => "месяц",
                    Frequency::Quarterly => "квартал",
                    Frequency::HalfYearly => "полугодие",
                    Frequency::Yearly => "год",
                };
                let due = match r.due {
                    DueRule::EndOfPeriod => format!("до конца каждого периода ({unit})"),
                    DueRule::NextYear { day, month } => {
                        format!("до {day} {} — за предыдущий год", MONTHS_GEN[month_idx(month)])
                    }
                    DueRule::SameYear { day, month } => format!("до {day} {}", MONTHS_GEN[month_idx(month)]),
                    DueRule::NextMonth { day } => {
                        format!("до {day}-го числа месяца, следующего за отчётным периодом ({unit})")
                    }
                    DueRule::LastMonth { day } => {
                        format!("не позднее {day}-го числа последнего месяца периода ({unit})")
                    }
                    DueRule::NextMonthWorking { day } => {
                        format!("до {day}-го рабочего дня месяца, следующего за отчётным периодом ({unit})")
                    }
                    DueRule::SecondMonth { day } => {
                        format!("до {day}-го числа второго месяца, следующего за отчётным периодом ({unit})")
                    }
                    DueRule::BeforePeriodEnd { days } => {
                        format!("не позднее чем за {days} дней до окончания периода ({unit})")
                    }
                    DueRule::ThirdMonth { day } => {
                        format!("до {day}-го числа третьего месяца, следующего за отчётным периодом ({unit})")
                    }
                    DueRule::BeforePeriodStart { days } => {
                        format!("не позднее чем за {days} дней до начала периода ({unit})")
                    }
                    DueRule::MonthsBeforePeriodEnd { months } => {
                        let m = crate::arith::plural_ru(months, "месяц", "месяца", "месяцев");
                        format!("не позднее чем за {months} {m} до окончания периода ({unit})")
                    }
                    DueRule::Weekday { day } => format!("не позднее {} текущей недели", WEEKDAYS_GEN[idx(day)]),
                    DueRule::AfterPeriodEnd { term } => {
                        let unit_gen = match r.every {
                            Frequency::Weekly => "недели",
                            Frequency::Monthly => "месяца",
                            Frequency::Quarterly => "квартала",
                            Frequency::HalfYearly => "полугодия",
                            Frequency::Yearly => "года",
                        };
                        format!("не позднее {} после окончания отчётного {unit_gen}", term_ru(&term))
                    }
                };
                let q = r.qualifier.as_ref().map(|q| format!(" ({q})")).unwrap_or_default();
                format!("{every}, {due}{q}")
            }
            Schedule::Continuous => "постоянно".into(),
            Schedule::AfterEvent { term, event, not_before: Some(earliest) } => {
                format!("не ранее {} и не позднее {} {event}", term_ru(earliest), term_ru(term))
            }
            Schedule::AfterEvent { term, event, .. } if event.is_empty() => format!("в течение {}", term_ru(term)),
            Schedule::AfterEvent { term, event, .. } => format!("в течение {} {event}", term_ru(term)),
            Schedule::FromEvent { rule, repeats, event } => {
                let sep = if event.starts_with("в котором") { ", " } else { " " };
                let rule = Schedule::Recurring(rule.clone()).ru();
                let which =
                    if *repeats { "начиная с периода" } else { "только за период" };
                format!("{rule}, {which}{sep}{event}")
            }
            Schedule::ExternalTimetable { what } => format!("в соответствии со сроками {what}"),
            Schedule::AsNeeded { when } => when.clone(),
            Schedule::Done => "исполнено".into(),
            Schedule::WithinYear { year: Some(y) } => format!("в течение {y} года"),
            Schedule::WithinYear { year: None } => "в течение года".into(),
            Schedule::All { items } => items.iter().map(Schedule::ru).collect::<Vec<_>>().join("; "),
            Schedule::Then { first, then } => format!("{}, далее {}", first.ru(), then.ru()),
        }
    }

    pub fn en(&self) -> String {
        match self {
            Schedule::Once { period } => match period {
                Period::Day { date } => format!("by {}", date.strftime("%-d %B %Y")),
                p => format!("by the end of {}", p.en()),
            },
            Schedule::Recurring(r) => {
                let every = match r.every {
                    Frequency::Weekly => "weekly",
                    Frequency::Monthly => "monthly",
                    Frequency::Quarterly => "quarterly",
                    Frequency::HalfYearly => "every half-year",
                    Frequency::Yearly => "annually",
                };
                let due = match r.due {
                    DueRule::EndOfPeriod => "by the end of each period".to_string(),
                    DueRule::NextYear { day, month } => {
                        format!("by {day} {} — for the previous year", MONTHS_EN[month_idx(month)])
                    }
                    DueRule::SameYear { day, month } => format!("by {day} {}", MONTHS_EN[month_idx(month)]),
                    DueRule::NextMonth { day } => format!("by day {day} of the month after the period"),
                    DueRule::LastMonth { day } => format!("by day {day} of the period's last month"),
                    DueRule::NextMonthWorking { day } => {
                        format!("by working day {day} of the month after the period")
                    }
                    DueRule::SecondMonth { day } => format!("by day {day} of the second month after the period"),
                    DueRule::BeforePeriodEnd { days } => format!("{days} days before the period ends"),
                    DueRule::ThirdMonth { day } => format!("by day {day} of the third month after the period"),
                    DueRule::BeforePeriodStart { days } => format!("{days} days before the period begins"),
                    DueRule::MonthsBeforePeriodEnd { months } => format!("{months} months before the period ends"),
                    DueRule::Weekday { day } => format!("by {} of the week", WEEKDAYS_EN[idx(day)]),
                    DueRule::AfterPeriodEnd { term } => {
                        format!("within {} {} after the period ends", term.amount, unit_en(term.unit))
                    }
                };
                format!("{every}, {due}")
            }
            Schedule::Continuous => "continuously".into(),
            Schedule::AfterEvent { term, event, not_before } => {
                let window =
                    not_before.map(|e| format!("not before {} {} and ", e.amount, unit_en(e.unit))).unwrap_or_default();
                let unit = unit_en(term.unit);
                if event.is_empty() {
                    format!("{window}within {} {unit} of an event the document names elsewhere", term.amount)
                } else {
                    format!("{window}within {} {unit} of an event ({event})", term.amount)
                }
            }
            Schedule::FromEvent { rule, repeats, event } => {
                let rule = Schedule::Recurring(rule.clone()).en();
                if *repeats {
                    format!("{rule}, from the period of an event ({event}) on")
                } else {
                    format!("once: {rule}, for the period of an event ({event}) only")
                }
            }
            Schedule::ExternalTimetable { what } => format!("on an outside timetable ({what})"),
            Schedule::AsNeeded { when } => format!("as needed ({when})"),
            Schedule::Done => "done".into(),
            Schedule::WithinYear { year: Some(y) } => format!("within {y}"),
            Schedule::WithinYear { year: None } => "within the year (of the plan; no year known)".into(),
            Schedule::All { items } => items.iter().map(Schedule::en).collect::<Vec<_>>().join("; "),
            Schedule::Then { first, then } => format!("{}, then {}", first.en(), then.en()),
        }
    }
}

fn unit_en(unit: crate::arith::Unit) -> &'static str {
    match unit {
        crate::arith::Unit::CalendarDays => "days",
        crate::arith::Unit::WorkingDays => "working days",
        crate::arith::Unit::Months => "months",
    }
}

/// "30 календарных дней", "10 рабочих дней" in the genitive a term is written in.
fn term_ru(term: &Term) -> String {
    let unit = match term.unit {
        crate::arith::Unit::CalendarDays => {
            crate::arith::plural_ru(term.amount, "календарного дня", "календарных дней", "календарных дней")
        }
        crate::arith::Unit::WorkingDays => {
            crate::arith::plural_ru(term.amount, "рабочего дня", "рабочих дней", "рабочих дней")
        }
        crate::arith::Unit::Months => crate::arith::plural_ru(term.amount, "месяца", "месяцев", "месяцев"),
    };
    format!("{} {unit}", term.amount)
}

/// A day counted from a period, with the step that says how, moved off a day off by `policy`.
fn counted(cal: &Calendar, date: Date, ru: String, en: String, policy: DayOffPolicy) -> Result<Computed, ArithError> {
    let mut steps =
        vec![crate::arith::Step { date, ru: format!("{} — {ru}", fmt(date)), en: format!("{} — {en}", fmt(date)) }];
    let date = cal.adjust(date, policy, &mut steps)?;
    Ok(Computed { date, steps })
}

/// Days of the week (1 = Monday) in the genitive a rule names them in ("до среды").
pub(crate) const WEEKDAYS_GEN: [&str; 7] =
    ["понедельника", "вторника", "среды", "четверга", "пятницы", "субботы", "воскресенья"];
const WEEKDAYS_RU: [&str; 7] = ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"];
const WEEKDAYS_EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

fn idx(day: i8) -> usize {
    (day.clamp(1, 7) - 1) as usize
}

/// The n-th working day of a month, with the step that names it.
fn nth_working_day(cal: &Calendar, year: i16, month: i8, n: i8) -> Result<Computed, ArithError> {
    let mut d = Date::new(year, month, 1).map_err(|_| ArithError::OutOfRange)?;
    let mut seen = 0;
    loop {
        if d.month() != month {
            return Err(ArithError::OutOfRange);
        }
        if cal.is_working(d) {
            seen += 1;
            if seen == n {
                break;
            }
        }
        d = d.tomorrow().map_err(|_| ArithError::OutOfRange)?;
    }
    let step = crate::arith::Step {
        date: d,
        ru: format!("{} — {n}-й рабочий день месяца", fmt(d)),
        en: format!("{} — working day {n} of the month", fmt(d)),
    };
    Ok(Computed { date: d, steps: vec![step] })
}

fn end_of_period(cal: &Calendar, period: &Period, policy: DayOffPolicy) -> Result<Computed, ArithError> {
    let last = period.last_day()?;
    let mut steps = vec![crate::arith::Step {
        date: last,
        ru: format!("{} — последний день периода «{}»", fmt(last), period.ru()),
        en: format!("{} — last day of {}", fmt(last), period.en()),
    }];
    let date = cal.adjust(last, policy, &mut steps)?;
    Ok(Computed { date, steps })
}

fn recurring_due(
    cal: &Calendar,
    r: &Recurrence,
    period: &Period,
    policy: DayOffPolicy,
) -> Result<Computed, ArithError> {
    let last = period.last_day()?;
    let (y, m) = (last.year(), last.month());
    let mut c = match r.due {
        DueRule::EndOfPeriod => return end_of_period(cal, period, policy),
        DueRule::NextYear { day, month } => cal.day_of_month(y + 1, month, day, policy)?,
        DueRule::SameYear { day, month } => cal.day_of_month(y, month, day, policy)?,
        DueRule::NextMonth { day } => {
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            cal.day_of_month(ny, nm, day, policy)?
        }
        DueRule::LastMonth { day } => cal.day_of_month(y, m, day, policy)?,
        DueRule::NextMonthWorking { day } => {
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            nth_working_day(cal, ny, nm, day)?
        }
        DueRule::SecondMonth { day } => {
            let (ny, nm) = if m >= 11 { (y + 1, m - 10) } else { (y, m + 2) };
            cal.day_of_month(ny, nm, day, policy)?
        }
        DueRule::ThirdMonth { day } => {
            let (ny, nm) = if m >= 10 { (y + 1, m - 9) } else { (y, m + 3) };
            cal.day_of_month(ny, nm, day, policy)?
        }
        DueRule::BeforePeriodStart { days } => {
            let span = jiff::Span::new().days(i64::from(days));
            let date = period.first_day()?.checked_sub(span).map_err(|_| ArithError::OutOfRange)?;
            let ru = format!("за {days} дн. до начала периода");
            counted(cal, date, ru, format!("{days} days before the period begins"), policy)?
        }
        DueRule::AfterPeriodEnd { term } => cal.add(last, &Term { on_day_off: policy, ..term })?,
        DueRule::BeforePeriodEnd { days } => {
            let date = last.checked_sub(jiff::Span::new().days(i64::from(days))).map_err(|_| ArithError::OutOfRange)?;
            let ru = format!("за {days} дн. до конца периода");
            counted(cal, date, ru, format!("{days} days before the period ends"), policy)?
        }
        DueRule::MonthsBeforePeriodEnd { months } => {
            // A month back from the last day keeps the day, or takes the month's last day.
            let span = jiff::Span::new().months(i64::from(months));
            let date = last.checked_sub(span).map_err(|_| ArithError::OutOfRange)?;
            let m = crate::arith::plural_ru(months, "месяц", "месяца", "месяцев");
            let ru = format!("за {months} {m} до конца периода");
            counted(cal, date, ru, format!("{months} months before the period ends"), policy)?
        }
        DueRule::Weekday { day } => {
            // A day of the week is a weekly rule's only.
            let Period::Week { year, week } = *period else { return Err(ArithError::OutOfRange) };
            let weekday = jiff::civil::Weekday::from_monday_one_offset(day).map_err(|_| ArithError::OutOfRange)?;
            let date = jiff::civil::ISOWeekDate::new(year, week, weekday)
                .map(|w| w.date())
                .map_err(|_| ArithError::OutOfRange)?;
            let (ru, en) = (WEEKDAYS_RU[idx(day)].to_string(), WEEKDAYS_EN[idx(day)].to_string());
            counted(cal, date, ru, en, policy)?
        }
    };
    c.steps.insert(
        0,
        crate::arith::Step {
            date: last,
            ru: format!("отчётный период: {}", period.ru()),
            en: format!("reporting period: {}", period.en()),
        },
    );
    Ok(c)
}
