//! Tracking: each measure's next due date, its latest mark and whether it is overdue — the
//! most recent due date has passed without a mark for its period.

use deadlines::{Calendar, Date, DayOffPolicy};
use serde::Serialize;

use crate::marks::Mark;
use crate::store::StoredMeasure;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Tracked {
    pub next_due: Option<Date>,
    pub last_due: Option<Date>,
    pub last_period: Option<String>,
    pub overdue: bool,
    pub latest: Option<Mark>,
}

pub fn track(m: &StoredMeasure, marks: &[Mark], cal: &Calendar, today: Date) -> Tracked {
    let own: Vec<&Mark> = marks.iter().filter(|k| k.measure_id == m.id).collect();
    let latest = own.last().map(|k| (*k).clone());
    let Ok(schedule) = deadlines::parse(&m.deadline) else {
        return Tracked { next_due: None, last_due: None, last_period: None, overdue: false, latest };
    };
    let next_due = schedule
        .next_due(cal, today, 1, None, DayOffPolicy::Preceding)
        .ok()
        .and_then(|d| d.first().map(|d| d.date.date));
    let from = Date::new(1990, 1, 1).unwrap_or(Date::MIN);
    let yesterday = today.yesterday().unwrap_or(today);
    let past = schedule.due_dates(cal, from, yesterday, None, DayOffPolicy::Preceding).unwrap_or_default();
    let last = past.last();
    let last_due = last.map(|d| d.date.date);
    let last_period = last.and_then(|d| d.covers.map(|p| p.ru()));
    let answered = match (&last_period, last_due) {
        (Some(label), _) if own.iter().any(|k| &k.period == label && k.status != "not_done") => true,
        // A mark made in the run-up to the due date (or after it) answers for it too.
        (_, Some(due)) => {
            let year_before = due.checked_sub(jiff::Span::new().days(366)).unwrap_or(due);
            own.iter().any(|k| k.status != "not_done" && k.marked_on.parse::<Date>().is_ok_and(|on| on > year_before))
        }
        _ => true,
    };
    Tracked { next_due, last_due, last_period, overdue: last_due.is_some() && !answered, latest }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn measure(deadline: &str) -> StoredMeasure {
        StoredMeasure {
            id: 1,
            section_id: None,
            number: "1.".into(),
            text: "Т".into(),
            stage: None,
            deadline: deadline.into(),
            executors: String::new(),
            expected: None,
            continuation: false,
        }
    }

    fn mark(period: &str, status: &str, on: &str) -> Mark {
        Mark {
            id: 1,
            measure_id: 1,
            period: period.into(),
            status: status.into(),
            marked_on: on.into(),
            comment: String::new(),
            evidence: vec![],
            actor: "a".into(),
            created_at: 0,
        }
    }

    #[test]
    fn a_passed_due_date_without_a_mark_is_overdue_until_marked() {
        let cal = Calendar::federal();
        let m = measure("ежегодно до 1 февраля следующего за отчетным года");
        let t = track(&m, &[], &cal, date(2018, 3, 1));
        assert!(t.overdue);
        assert_eq!(t.last_due, Some(date(2018, 2, 1)));
        assert_eq!(t.last_period.as_deref(), Some("2017 год"));
        assert_eq!(t.next_due, Some(date(2019, 2, 1)));
        assert!(!track(&m, &[mark("2017 год", "done", "2018-01-30")], &cal, date(2018, 3, 1)).overdue);
        assert!(track(&m, &[mark("2017 год", "not_done", "2018-01-30")], &cal, date(2018, 3, 1)).overdue);
        assert!(!track(&measure("постоянно"), &[], &cal, date(2018, 3, 1)).overdue, "a standing duty has no due date");
        assert!(!track(&measure("2020"), &[], &cal, date(2018, 3, 1)).overdue, "not due yet");
    }
}
