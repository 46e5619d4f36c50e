//! Tracking: each measure's next due date, its latest mark and whether it is overdue — the
//! most recent due date has passed without a mark for its period.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use deadlines::{Calendar, Context, Date, DayOffPolicy};
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

/// What a deadline phrase alone says on a day: the next due date, and the last one before the
/// day with the period it covers. The same for every measure with the same phrase, so pages keep
/// it per day ([`Timings`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Timing {
    pub next_due: Option<Date>,
    pub last_due: Option<Date>,
    pub last_period: Option<String>,
}

/// The timing of a phrase on `today`; None when the phrase cannot be read.
pub fn timing(deadline: &str, ctx: Context, cal: &Calendar, today: Date) -> Option<Timing> {
    let schedule = deadlines::parse_in(deadline, ctx).ok()?;
    let next_due = schedule
        .next_due(cal, today, 1, None, DayOffPolicy::Preceding)
        .ok()
        .and_then(|d| d.first().map(|d| d.date.date));
    let from = Date::new(1990, 1, 1).unwrap_or(Date::MIN);
    let yesterday = today.yesterday().unwrap_or(today);
    let last = schedule.last_due(cal, from, yesterday, None, DayOffPolicy::Preceding).ok().flatten();
    Some(Timing {
        next_due,
        last_due: last.as_ref().map(|d| d.date.date),
        last_period: last.and_then(|d| d.covers.map(|p| p.ru())),
    })
}

pub fn track(m: &StoredMeasure, marks: &[Mark], ctx: Context, cal: &Calendar, today: Date) -> Tracked {
    track_timed(m, marks, timing(&m.deadline, ctx, cal, today).as_ref())
}

/// Tracks a measure whose phrase's timing is known.
pub fn track_timed(m: &StoredMeasure, marks: &[Mark], timing: Option<&Timing>) -> Tracked {
    let own: Vec<&Mark> = marks.iter().filter(|k| k.measure_id == m.id).collect();
    let latest = own.last().map(|k| (*k).clone());
    let Some(Timing { next_due, last_due, last_period }) = timing.cloned() else {
        return Tracked { next_due: None, last_due: None, last_period: None, overdue: false, latest };
    };
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

/// Timings of the phrases a node has tracked, for one day and one calendar: reading a phrase
/// and walking its due dates is most of a tracking page's work, and plans repeat their phrases.
#[derive(Default)]
pub struct Timings {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    day: Option<Date>,
    calendar: Option<Arc<Calendar>>,
    phrases: HashMap<(Option<i16>, String), Option<Timing>>,
}

/// Phrases kept at most; past it the day's table starts again.
const MAX_PHRASES: usize = 20_000;

impl Timings {
    /// The timing of `deadline` (in a plan of `ctx`) on `today` with `cal`, computed once per day
    /// and calendar.
    pub fn get(&self, deadline: &str, ctx: Context, cal: &Arc<Calendar>, today: Date) -> Option<Timing> {
        let key = (ctx.year, deadline.to_string());
        if let Ok(kept) = self.kept.lock()
            && kept.day == Some(today)
            && kept.calendar.as_ref().is_some_and(|c| Arc::ptr_eq(c, cal))
            && let Some(t) = kept.phrases.get(&key)
        {
            return t.clone();
        }
        let t = timing(deadline, ctx, cal, today);
        if let Ok(mut kept) = self.kept.lock() {
            let same = kept.day == Some(today) && kept.calendar.as_ref().is_some_and(|c| Arc::ptr_eq(c, cal));
            if !same || kept.phrases.len() >= MAX_PHRASES {
                *kept = Kept { day: Some(today), calendar: Some(cal.clone()), phrases: HashMap::new() };
            }
            kept.phrases.insert(key, t.clone());
        }
        t
    }

    /// Tracks a measure on `today` with the calendar.
    pub fn track(&self, m: &StoredMeasure, marks: &[Mark], ctx: Context, cal: &Arc<Calendar>, today: Date) -> Tracked {
        track_timed(m, marks, self.get(&m.deadline, ctx, cal, today).as_ref())
    }
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
        let t = track(&m, &[], Context::default(), &cal, date(2018, 3, 1));
        assert!(t.overdue);
        assert_eq!(t.last_due, Some(date(2018, 2, 1)));
        assert_eq!(t.last_period.as_deref(), Some("2017 год"));
        assert_eq!(t.next_due, Some(date(2019, 2, 1)));
        assert!(
            !track(&m, &[mark("2017 год", "done", "2018-01-30")], Context::default(), &cal, date(2018, 3, 1)).overdue
        );
        assert!(
            track(&m, &[mark("2017 год", "not_done", "2018-01-30")], Context::default(), &cal, date(2018, 3, 1))
                .overdue
        );
        assert!(
            !track(&measure("постоянно"), &[], Context::default(), &cal, date(2018, 3, 1)).overdue,
            "a standing duty has no due date"
        );
        assert!(!track(&measure("2020"), &[], Context::default(), &cal, date(2018, 3, 1)).overdue, "not due yet");
    }

    #[test]
    fn kept_timings_track_as_computed_ones_and_follow_the_day_and_the_calendar() {
        let timings = Timings::default();
        let cal = Arc::new(Calendar::federal());
        let m = measure("ежеквартально до 15 числа следующего месяца");
        let marks = [mark("1 квартал 2018", "done", "2018-04-10")];
        for day in [date(2018, 4, 14), date(2018, 4, 17), date(2018, 7, 20), date(2018, 4, 17)] {
            assert_eq!(
                timings.track(&m, &marks, Context::default(), &cal, day),
                track(&m, &marks, Context::default(), &cal, day),
                "{day}"
            );
        }
        let other = Arc::new(Calendar::federal());
        assert_eq!(
            timings.track(&m, &[], Context::default(), &other, date(2018, 7, 20)),
            track(&m, &[], Context::default(), &other, date(2018, 7, 20))
        );
        assert_eq!(
            timings.get("не срок", Context::default(), &cal, date(2018, 1, 1)),
            None,
            "an unreadable phrase has no timing"
        );
    }
}
