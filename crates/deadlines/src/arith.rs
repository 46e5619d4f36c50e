//! Day arithmetic on the production calendar. Every rule states what happens when a deadline
//! falls on a day off, and every result carries the steps that produced it, in Russian and
//! English, so a page can show why a deadline is what it is.

use jiff::civil::Date;
use serde::Serialize;

use crate::calendar::{Calendar, DayKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    CalendarDays,
    WorkingDays,
    /// Months: the term ends on the same day of the last month, or on its last day when the month
    /// has no such day (Civil Code art. 192).
    Months,
}

/// Where a deadline that falls on a day off goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayOffPolicy {
    /// To the preceding working day (what most office-work instructions do).
    Preceding,
    /// To the following working day (Civil Code art. 193).
    Following,
    /// Stays where it is.
    Keep,
}

impl DayOffPolicy {
    pub fn parse(s: &str) -> Option<DayOffPolicy> {
        match s {
            "preceding" => Some(DayOffPolicy::Preceding),
            "following" => Some(DayOffPolicy::Following),
            "keep" => Some(DayOffPolicy::Keep),
            _ => None,
        }
    }
}

/// A term such as "30 days" or "15 working days".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Term {
    pub amount: u32,
    pub unit: Unit,
    pub on_day_off: DayOffPolicy,
    /// By default a term runs from the day after its start (Civil Code art. 191); some rules count the start day.
    pub counts_start_day: bool,
}

impl Term {
    pub fn calendar_days(amount: u32, on_day_off: DayOffPolicy) -> Term {
        Term { amount, unit: Unit::CalendarDays, on_day_off, counts_start_day: false }
    }
    pub fn working_days(amount: u32) -> Term {
        Term { amount, unit: Unit::WorkingDays, on_day_off: DayOffPolicy::Keep, counts_start_day: false }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub date: Date,
    pub ru: String,
    pub en: String,
}

/// A computed date with its explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Computed {
    pub date: Date,
    pub steps: Vec<Step>,
}

impl Computed {
    /// "03.03.2026 — начало срока; +30 календарных дней → 02.04.2026; 02.04.2026 — выходной день → 01.04.2026"
    pub fn explain_ru(&self) -> String {
        self.steps.iter().map(|s| s.ru.as_str()).collect::<Vec<_>>().join("; ")
    }
    pub fn explain_en(&self) -> String {
        self.steps.iter().map(|s| s.en.as_str()).collect::<Vec<_>>().join("; ")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ArithError {
    #[error("дата за пределами поддерживаемого диапазона")]
    OutOfRange,
    #[error("производственный календарь на {0} год не загружен: срок в рабочих днях не вычислить")]
    YearNotCovered(i16),
}

pub fn fmt(d: Date) -> String {
    d.strftime("%d.%m.%Y").to_string()
}

/// Russian plural: 1 день, 2 дня, 5 дней.
pub fn plural_ru(n: u32, one: &'static str, few: &'static str, many: &'static str) -> &'static str {
    match (n % 10, n % 100) {
        (1, 11) => many,
        (1, _) => one,
        (2..=4, 12..=14) => many,
        (2..=4, _) => few,
        _ => many,
    }
}

fn next(d: Date) -> Result<Date, ArithError> {
    d.tomorrow().map_err(|_| ArithError::OutOfRange)
}

fn prev(d: Date) -> Result<Date, ArithError> {
    d.yesterday().map_err(|_| ArithError::OutOfRange)
}

impl Calendar {
    fn kind_ru(&self, d: Date) -> String {
        let kind = self.kind(d);
        let mut s = match kind {
            DayKind::Weekend => {
                if d.weekday() == jiff::civil::Weekday::Saturday {
                    "суббота".to_string()
                } else {
                    "воскресенье".to_string()
                }
            }
            k => k.ru().to_string(),
        };
        if let Some(n) = self.note(d).filter(|_| kind != DayKind::Weekend) {
            s.push_str(&format!(" ({n})"));
        }
        s
    }

    fn check_covered(&self, d: Date) -> Result<(), ArithError> {
        if self.covers(d.year()) { Ok(()) } else { Err(ArithError::YearNotCovered(d.year())) }
    }

    /// Moves a date that falls on a day off according to the policy, adding the step.
    pub fn adjust(&self, date: Date, policy: DayOffPolicy, steps: &mut Vec<Step>) -> Result<Date, ArithError> {
        if self.is_working(date) || policy == DayOffPolicy::Keep {
            return Ok(date);
        }
        if !self.covers(date.year()) {
            steps.push(Step {
                date,
                ru: format!(
                    "календарь на {} год не загружен: учтены только выходные и праздники ст. 112 ТК РФ",
                    date.year()
                ),
                en: format!(
                    "no calendar for {}: only weekends and Labour Code art. 112 holidays are known",
                    date.year()
                ),
            });
        }
        let mut d = date;
        while !self.is_working(d) {
            d = if policy == DayOffPolicy::Preceding { prev(d)? } else { next(d)? };
        }
        let (ru_way, en_way) = match policy {
            DayOffPolicy::Preceding => ("переносится на предыдущий рабочий день", "moves to the preceding working day"),
            _ => ("переносится на следующий рабочий день", "moves to the following working day"),
        };
        steps.push(Step {
            date: d,
            ru: format!("{} — {}, {ru_way} {}", fmt(date), self.kind_ru(date), fmt(d)),
            en: format!("{} is not a working day, {en_way} {}", fmt(date), fmt(d)),
        });
        Ok(d)
    }

    /// The end of a term that starts on `start` (an event: registration, approval…).
    pub fn add(&self, start: Date, term: &Term) -> Result<Computed, ArithError> {
        let mut steps = vec![Step {
            date: start,
            ru: format!("{} — начало срока", fmt(start)),
            en: format!("{} — start", fmt(start)),
        }];
        let n = term.amount;
        let date = match term.unit {
            Unit::CalendarDays => {
                let days = if term.counts_start_day { i64::from(n) - 1 } else { i64::from(n) };
                // A term of millions of days reads, but ends past the calendar: refused, not a panic.
                let due = jiff::Span::new()
                    .try_days(days.max(0))
                    .and_then(|span| start.checked_add(span))
                    .map_err(|_| ArithError::OutOfRange)?;
                let counted = if term.counts_start_day { ", считая день начала" } else { "" };
                steps.push(Step {
                    date: due,
                    ru: format!(
                        "+{n} {}{counted} → {}",
                        plural_ru(n, "календарный день", "календарных дня", "календарных дней"),
                        fmt(due)
                    ),
                    en: format!("+{n} calendar day{} → {}", if n == 1 { "" } else { "s" }, fmt(due)),
                });
                self.adjust(due, term.on_day_off, &mut steps)?
            }
            Unit::Months => {
                let due = jiff::Span::new()
                    .try_months(i64::from(n))
                    .and_then(|span| start.checked_add(span))
                    .map_err(|_| ArithError::OutOfRange)?;
                steps.push(Step {
                    date: due,
                    ru: format!("+{n} {} → {}", plural_ru(n, "месяц", "месяца", "месяцев"), fmt(due)),
                    en: format!("+{n} month{} → {}", if n == 1 { "" } else { "s" }, fmt(due)),
                });
                self.adjust(due, term.on_day_off, &mut steps)?
            }
            Unit::WorkingDays => {
                self.check_covered(start)?;
                let mut d = start;
                let mut left = n;
                let mut skipped = 0u32;
                if term.counts_start_day && self.is_working(d) && left > 0 {
                    left -= 1;
                }
                while left > 0 {
                    d = next(d)?;
                    self.check_covered(d)?;
                    if self.is_working(d) {
                        left -= 1;
                    } else {
                        skipped += 1;
                    }
                }
                let skipped_ru = if skipped > 0 {
                    format!(" (пропущено нерабочих дней: {skipped})")
                } else {
                    String::new()
                };
                steps.push(Step {
                    date: d,
                    ru: format!(
                        "+{n} {}{skipped_ru} → {}",
                        plural_ru(n, "рабочий день", "рабочих дня", "рабочих дней"),
                        fmt(d)
                    ),
                    en: format!(
                        "+{n} working day{} ({skipped} days off skipped) → {}",
                        if n == 1 { "" } else { "s" },
                        fmt(d)
                    ),
                });
                d
            }
        };
        Ok(Computed { date, steps })
    }

    /// "Not later than the Nth day of month M of year Y": the date, moved by the policy when
    /// it is a day off. A day beyond the month's end means its last day.
    pub fn day_of_month(&self, year: i16, month: i8, day: i8, policy: DayOffPolicy) -> Result<Computed, ArithError> {
        let first = Date::new(year, month, 1).map_err(|_| ArithError::OutOfRange)?;
        let day = day.min(first.days_in_month());
        let date = Date::new(year, month, day).map_err(|_| ArithError::OutOfRange)?;
        let mut steps =
            vec![Step {
                date, ru: format!("не позднее {}", fmt(date)), en: format!("not later than {}", fmt(date))
            }];
        let date = self.adjust(date, policy, &mut steps)?;
        Ok(Computed { date, steps })
    }

    /// The last working day of a month.
    pub fn last_working_day_of_month(&self, year: i16, month: i8) -> Result<Computed, ArithError> {
        let first = Date::new(year, month, 1).map_err(|_| ArithError::OutOfRange)?;
        let last = first.last_of_month();
        self.check_covered(last)?;
        let mut steps = vec![Step {
            date: last,
            ru: format!("последний день месяца — {}", fmt(last)),
            en: format!("last day of the month: {}", fmt(last)),
        }];
        let date = self.adjust(last, DayOffPolicy::Preceding, &mut steps)?;
        Ok(Computed { date, steps })
    }

    /// The last working day of quarter `q` (1–4).
    pub fn last_working_day_of_quarter(&self, year: i16, q: i8) -> Result<Computed, ArithError> {
        if !(1..=4).contains(&q) {
            return Err(ArithError::OutOfRange);
        }
        self.last_working_day_of_month(year, q * 3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn russian_plurals() {
        let p = |n| plural_ru(n, "день", "дня", "дней");
        assert_eq!(
            [p(1), p(2), p(5), p(11), p(12), p(21), p(22), p(25), p(111)],
            ["день", "дня", "дней", "дней", "дней", "день", "дня", "дней", "дней"]
        );
    }

    #[test]
    fn a_term_in_months_ends_on_the_same_day_or_the_months_last() {
        let cal = Calendar::federal();
        let month = Term { amount: 1, unit: Unit::Months, on_day_off: DayOffPolicy::Keep, counts_start_day: false };
        let d = |y, m, day| Date::new(y, m, day).expect("date");
        assert_eq!(cal.add(d(2024, 3, 15), &month).expect("ok").date, d(2024, 4, 15));
        // No 31 February: the month's last day (Civil Code art. 192 p. 3).
        assert_eq!(cal.add(d(2024, 1, 31), &month).expect("ok").date, d(2024, 2, 29));
        let moved = Term { on_day_off: DayOffPolicy::Following, ..month };
        // 16.03.2024 is a Saturday: the term moves to Monday 18.03.
        assert_eq!(cal.add(d(2024, 2, 16), &moved).expect("ok").date, d(2024, 3, 18));
    }

    /// Found by the `parse_phrase` fuzz target: «в течение 444444423 дней со дня …» read, and
    /// adding it panicked inside jiff.
    #[test]
    fn a_term_past_the_calendar_is_refused_not_a_panic() {
        let cal = Calendar::federal();
        let t = Term::calendar_days(444_444_423, DayOffPolicy::Preceding);
        assert!(matches!(cal.add(date(2018, 5, 7), &t), Err(ArithError::OutOfRange)));
    }

    #[test]
    fn thirty_days_ending_on_a_saturday_move_to_friday_and_say_why() -> Result<(), ArithError> {
        let cal = Calendar::federal();
        // 03.03.2026 + 30 = 02.04.2026, a Thursday: no move.
        let c = cal.add(date(2026, 3, 3), &Term::calendar_days(30, DayOffPolicy::Preceding))?;
        assert_eq!(c.date, date(2026, 4, 2));
        // 04.03.2026 + 30 = 03.04.2026 (Friday); 05.03 + 30 = 04.04 (Saturday) → 03.04.
        let c = cal.add(date(2026, 3, 5), &Term::calendar_days(30, DayOffPolicy::Preceding))?;
        assert_eq!(c.date, date(2026, 4, 3));
        assert_eq!(
            c.explain_ru(),
            "05.03.2026 — начало срока; +30 календарных дней → 04.04.2026; 04.04.2026 — суббота, переносится на предыдущий рабочий день 03.04.2026"
        );
        let f = cal.add(date(2026, 3, 5), &Term::calendar_days(30, DayOffPolicy::Following))?;
        assert_eq!(f.date, date(2026, 4, 6));
        Ok(())
    }

    #[test]
    fn the_start_day_counts_only_when_the_rule_says_so() -> Result<(), ArithError> {
        let cal = Calendar::federal();
        let mut t = Term::calendar_days(3, DayOffPolicy::Keep);
        assert_eq!(cal.add(date(2026, 3, 2), &t)?.date, date(2026, 3, 5));
        t.counts_start_day = true;
        assert_eq!(cal.add(date(2026, 3, 2), &t)?.date, date(2026, 3, 4));
        Ok(())
    }
}
