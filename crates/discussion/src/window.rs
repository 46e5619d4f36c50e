//! The window of a public discussion: the day it opens and its last day, on the production
//! calendar. A rule (per kind of act, a setting) gives the shortest window — so many calendar
//! days, working days or months from the day the draft is published, and where a last day that
//! falls on a day off goes; a window longer than the rule may be set, a shorter one is refused.
//! Every window carries the steps that produced it, to show the citizen why it ends when it does.

use deadlines::arith::{Computed, DayOffPolicy, Step, Term, Unit, fmt, plural_ru};
use deadlines::{Calendar, Date};

/// An open discussion: its first and last day (comments are taken through the last) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    pub opens: Date,
    pub closes: Date,
    pub steps: Vec<Step>,
}

impl Window {
    /// «с 01.12.2026 по 11.01.2027 включительно»
    pub fn span_ru(&self) -> String {
        format!("с {} по {} включительно", fmt(self.opens), fmt(self.closes))
    }

    /// "from 01.12.2026 to 11.01.2027 inclusive"
    pub fn span_en(&self) -> String {
        format!("from {} to {} inclusive", fmt(self.opens), fmt(self.closes))
    }

    pub fn explain_ru(&self) -> String {
        self.steps.iter().map(|s| s.ru.as_str()).collect::<Vec<_>>().join("; ")
    }

    pub fn explain_en(&self) -> String {
        self.steps.iter().map(|s| s.en.as_str()).collect::<Vec<_>>().join("; ")
    }

    /// Whether comments are taken on `today`.
    pub fn open_on(&self, today: Date) -> bool {
        self.opens <= today && today <= self.closes
    }
}

/// Why a window is refused; each message says what to change.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("последний день обсуждения ({closes}) раньше первого ({opens}): проверьте даты")]
    EndsBeforeStart { opens: String, closes: String },
    #[error("обсуждение короче установленного: {rule}; последний день — не раньше {minimum}")]
    ShorterThanRule { rule: String, minimum: String },
    #[error("{0}")]
    Calendar(#[from] deadlines::arith::ArithError),
}

/// The rule in words: «не менее 1 месяца», «не менее 10 рабочих дней».
pub fn rule_ru(term: &Term) -> String {
    let n = term.amount;
    let unit = match term.unit {
        Unit::CalendarDays => plural_ru(n, "календарного дня", "календарных дней", "календарных дней"),
        Unit::WorkingDays => plural_ru(n, "рабочего дня", "рабочих дней", "рабочих дней"),
        Unit::Months => plural_ru(n, "месяца", "месяцев", "месяцев"),
    };
    let off = match (term.unit, term.on_day_off) {
        (Unit::WorkingDays, _) | (_, DayOffPolicy::Keep) => "",
        (_, DayOffPolicy::Following) => ", последний день в выходной переносится на следующий рабочий",
        (_, DayOffPolicy::Preceding) => ", последний день в выходной переносится на предыдущий рабочий",
    };
    format!("не менее {n} {unit} со дня размещения{off}")
}

/// The rule in English: "at least 1 month from publication".
pub fn rule_en(term: &Term) -> String {
    let n = term.amount;
    let plural = if n == 1 { "" } else { "s" };
    let unit = match term.unit {
        Unit::CalendarDays => format!("calendar day{plural}"),
        Unit::WorkingDays => format!("working day{plural}"),
        Unit::Months => format!("month{plural}"),
    };
    let off = match (term.unit, term.on_day_off) {
        (Unit::WorkingDays, _) | (_, DayOffPolicy::Keep) => "",
        (_, DayOffPolicy::Following) => "; a last day that is a day off moves to the next working day",
        (_, DayOffPolicy::Preceding) => "; a last day that is a day off moves to the preceding working day",
    };
    format!("at least {n} {unit} from publication{off}")
}

/// The shortest window the rule allows for a draft published on `opens`.
pub fn shortest(cal: &Calendar, opens: Date, term: &Term) -> Result<Window, WindowError> {
    let Computed { date, mut steps } = cal.add(opens, term)?;
    if let Some(first) = steps.first_mut() {
        first.ru = format!("{} — проект размещён, обсуждение открыто", fmt(opens));
        first.en = format!("{} — the draft is published, the discussion opens", fmt(opens));
    }
    Ok(Window { opens, closes: date, steps })
}

/// The window a person set (`closes`; none: the shortest), checked against the rule.
pub fn check(cal: &Calendar, opens: Date, closes: Option<Date>, term: &Term) -> Result<Window, WindowError> {
    let least = shortest(cal, opens, term)?;
    let Some(closes) = closes else { return Ok(least) };
    if closes < opens {
        return Err(WindowError::EndsBeforeStart { opens: fmt(opens), closes: fmt(closes) });
    }
    if closes < least.closes {
        return Err(WindowError::ShorterThanRule { rule: rule_ru(term), minimum: fmt(least.closes) });
    }
    let mut steps = least.steps;
    if closes > least.closes {
        steps.push(Step {
            date: closes,
            ru: format!("орган продлил обсуждение до {}", fmt(closes)),
            en: format!("the body extended the discussion to {}", fmt(closes)),
        });
    }
    Ok(Window { opens, closes, steps })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn cal() -> Calendar {
        Calendar::federal()
    }

    #[test]
    fn working_days_skip_the_new_year_holidays() {
        // 25.12.2026 is a Friday; 31.12.2026 is a day off moved from 04.01; 01–08.01.2027 are
        // the holidays and 09–10.01 a weekend.
        let w = shortest(&cal(), d("2026-12-25"), &Term::working_days(10)).expect("window");
        assert_eq!(w.closes, d("2027-01-19"));
        assert!(w.explain_ru().contains("пропущено нерабочих дней: 15"), "{}", w.explain_ru());
        assert!(w.explain_ru().starts_with("25.12.2026 — проект размещён"));
    }

    #[test]
    fn calendar_days_ending_on_a_holiday_follow_or_keep() {
        let following = Term::calendar_days(15, DayOffPolicy::Following);
        let w = shortest(&cal(), d("2026-12-17"), &following).expect("window");
        assert_eq!(w.closes, d("2027-01-11"), "01.01.2027 is a holiday: the next working day is Monday 11.01");
        assert!(w.explain_ru().contains("переносится на следующий рабочий день 11.01.2027"), "{}", w.explain_ru());
        let keep = Term::calendar_days(15, DayOffPolicy::Keep);
        assert_eq!(shortest(&cal(), d("2026-12-17"), &keep).expect("window").closes, d("2027-01-01"));
    }

    #[test]
    fn a_transferred_working_saturday_counts_and_a_transferred_day_off_does_not() {
        // Saturday 20.02.2027 is a working day (moved to Monday 22.02, a day off before the 23rd).
        let w = shortest(&cal(), d("2027-02-17"), &Term::working_days(3)).expect("window");
        assert_eq!(w.closes, d("2027-02-20"));
        let following = Term::calendar_days(15, DayOffPolicy::Following);
        assert_eq!(shortest(&cal(), d("2027-02-05"), &following).expect("window").closes, d("2027-02-20"));
        let w = shortest(&cal(), d("2027-02-07"), &following).expect("window");
        assert_eq!(w.closes, d("2027-02-24"), "22.02 a day off, 23.02 a holiday");
        let keep = Term::calendar_days(15, DayOffPolicy::Keep);
        assert_eq!(shortest(&cal(), d("2027-02-07"), &keep).expect("window").closes, d("2027-02-22"));
    }

    #[test]
    fn a_month_ends_on_the_same_day_or_the_next_working_one() {
        let month =
            Term { amount: 1, unit: Unit::Months, on_day_off: DayOffPolicy::Following, counts_start_day: false };
        // 09.12.2026 + 1 month = 09.01.2027, a Saturday after the holidays → Monday 11.01.
        let w = shortest(&cal(), d("2026-12-09"), &month).expect("window");
        assert_eq!(w.closes, d("2027-01-11"));
        assert_eq!(w.span_ru(), "с 09.12.2026 по 11.01.2027 включительно");
        assert!(w.open_on(d("2027-01-11")) && !w.open_on(d("2027-01-12")) && !w.open_on(d("2026-12-08")));
        assert!(w.explain_en().contains("moves to the following working day 11.01.2027"), "{}", w.explain_en());
        // 31.01 + 1 month: February has no 31st, so its last day.
        assert_eq!(shortest(&cal(), d("2027-01-31"), &month).expect("window").closes, d("2027-03-01"));
    }

    #[test]
    fn a_window_set_by_hand_is_checked_against_the_rule() {
        let month =
            Term { amount: 1, unit: Unit::Months, on_day_off: DayOffPolicy::Following, counts_start_day: false };
        let opens = d("2026-12-09");
        let e = check(&cal(), opens, Some(d("2026-12-01")), &month).expect_err("ends before it starts");
        assert_eq!(e.to_string(), "последний день обсуждения (01.12.2026) раньше первого (09.12.2026): проверьте даты");
        let e = check(&cal(), opens, Some(d("2027-01-09")), &month).expect_err("shorter than the rule");
        assert_eq!(
            e.to_string(),
            "обсуждение короче установленного: не менее 1 месяца со дня размещения, последний день в выходной \
             переносится на следующий рабочий; последний день — не раньше 11.01.2027"
        );
        let w = check(&cal(), opens, Some(d("2027-01-20")), &month).expect("longer is allowed");
        assert_eq!(w.closes, d("2027-01-20"));
        assert!(w.explain_ru().ends_with("орган продлил обсуждение до 20.01.2027"));
        assert_eq!(check(&cal(), opens, None, &month).expect("shortest").closes, d("2027-01-11"));
        let far = check(&cal(), d("2027-12-20"), None, &Term::working_days(10));
        assert!(matches!(far, Err(WindowError::Calendar(_))), "2028 has no calendar yet: {far:?}");
    }

    #[test]
    fn rules_read_in_words() {
        assert_eq!(rule_ru(&Term::working_days(20)), "не менее 20 рабочих дней со дня размещения");
        assert_eq!(rule_ru(&Term::working_days(1)), "не менее 1 рабочего дня со дня размещения");
        assert_eq!(
            rule_ru(&Term::calendar_days(15, DayOffPolicy::Keep)),
            "не менее 15 календарных дней со дня размещения"
        );
    }
}
