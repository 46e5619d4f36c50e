//! How fresh a body keeps each catalogue item: pure, from the item's rule, the body's records of
//! it and today. A term after an event ("в течение 5 рабочих дней со дня …") is checked against
//! the event each record names; a periodic rule against its due dates; a standing duty
//! ("поддерживается в актуальном состоянии") only asks that the item be published at all.

use deadlines::{Calendar, Date, DayOffPolicy, Schedule};
use serde::Serialize;

/// A due date this close (days) shows the item as due soon.
pub const DUE_SOON_DAYS: i64 = 14;

/// One record a body made of an item, as the freshness check needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Record {
    /// 'published', 'not_applicable' or 'applicable'.
    pub action: String,
    pub published_on: Option<Date>,
    /// The event the item's term runs from (an act approved), when the record names one.
    pub event_on: Option<Date>,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Freshness {
    /// The body said the item does not apply to it, with the reason.
    NotApplicable { reason: String },
    /// Never published.
    Missing,
    /// Published and within its rule.
    Fresh { published_on: Date },
    /// A due date is near and the item is not yet published for it.
    Due { due: Date },
    /// Not published by a due date (`published_on` empty), or published after it.
    Late { due: Date, published_on: Option<Date>, days: i64, working_days: i64 },
}

impl Freshness {
    /// How much it needs an editor: late first, then missing, due, fresh, not applicable.
    pub fn urgency(&self) -> u8 {
        match self {
            Freshness::Late { published_on: None, .. } => 5,
            Freshness::Missing => 4,
            Freshness::Due { .. } => 3,
            Freshness::Late { .. } => 2,
            Freshness::Fresh { .. } => 1,
            Freshness::NotApplicable { .. } => 0,
        }
    }

    /// The date the item was last published, if it was.
    pub fn published_on(&self) -> Option<Date> {
        match self {
            Freshness::Fresh { published_on } => Some(*published_on),
            Freshness::Late { published_on, .. } => *published_on,
            _ => None,
        }
    }
}

/// The item's state from its records (oldest first) on `today`.
pub fn check(schedule: &Schedule, records: &[Record], today: Date, cal: &Calendar) -> Freshness {
    // The newest «not applicable» or «applicable» decides whether it applies.
    if let Some(r) = records.iter().rev().find(|r| r.action != "published")
        && r.action == "not_applicable"
    {
        return Freshness::NotApplicable { reason: r.reason.clone() };
    }
    let published: Vec<&Record> = records.iter().filter(|r| r.action == "published").collect();
    let last_published = published.iter().filter_map(|r| r.published_on).max();
    match schedule {
        Schedule::AfterEvent { .. } => after_event(schedule, &published, last_published, today, cal),
        _ => {
            let window_start = Date::new(2000, 1, 1).unwrap_or(Date::MIN);
            let policy = DayOffPolicy::Preceding;
            let dues = schedule.due_dates(cal, window_start, today, None, policy).unwrap_or_default();
            match dues.last() {
                None => soon_or(schedule, last_published, today, cal),
                Some(last_due) => {
                    let due = last_due.date.date;
                    // A publication after the due date before it answers for this one.
                    let since = dues.iter().rev().nth(1).map(|d| d.date.date);
                    let answered =
                        published.iter().filter_map(|r| r.published_on).filter(|p| since.is_none_or(|s| *p > s)).min();
                    match answered {
                        Some(p) if p <= due => soon_or(schedule, Some(p).max(last_published), today, cal),
                        Some(p) => late(due, Some(p), cal),
                        None => late(due, None, cal).min_today(today, cal),
                    }
                }
            }
        }
    }
}

/// A term after an event: each event's publication is checked; the worst one shows.
fn after_event(
    schedule: &Schedule,
    published: &[&Record],
    last_published: Option<Date>,
    today: Date,
    cal: &Calendar,
) -> Freshness {
    let mut worst: Option<Freshness> = None;
    for r in published {
        let Some(event) = r.event_on else { continue };
        let due = schedule
            .due_dates(
                cal,
                event,
                event.checked_add(jiff::Span::new().years(2)).unwrap_or(event),
                Some(event),
                DayOffPolicy::Preceding,
            )
            .ok()
            .and_then(|d| d.first().map(|d| d.date.date));
        let Some(due) = due else { continue };
        let state = match r.published_on {
            Some(p) if p <= due => continue,
            Some(p) => late(due, Some(p), cal),
            None if today > due => late(due, None, cal).min_today(today, cal),
            None => Freshness::Due { due },
        };
        if worst.as_ref().is_none_or(|w| state.urgency() > w.urgency()) {
            worst = Some(state);
        }
    }
    match (worst, last_published) {
        (Some(w), _) => w,
        (None, Some(p)) => Freshness::Fresh { published_on: p },
        (None, None) => Freshness::Missing,
    }
}

/// Fresh (or missing), unless the next due date is near.
fn soon_or(schedule: &Schedule, last_published: Option<Date>, today: Date, cal: &Calendar) -> Freshness {
    let next = schedule.next_due(cal, today, 1, None, DayOffPolicy::Preceding).ok().and_then(|d| d.first().cloned());
    if let Some(next) = next
        && (next.date.date - today).get_days() <= DUE_SOON_DAYS as i32
        && last_published.is_none_or(|p| p < today.checked_sub(jiff::Span::new().days(DUE_SOON_DAYS)).unwrap_or(today))
    {
        return Freshness::Due { due: next.date.date };
    }
    match last_published {
        Some(p) => Freshness::Fresh { published_on: p },
        None => Freshness::Missing,
    }
}

fn late(due: Date, published_on: Option<Date>, cal: &Calendar) -> Freshness {
    let end = published_on.unwrap_or(due);
    Freshness::Late {
        due,
        published_on,
        days: (end - due).get_days().into(),
        working_days: working_between(cal, due, end),
    }
}

trait UntilToday {
    fn min_today(self, today: Date, cal: &Calendar) -> Freshness;
}

impl UntilToday for Freshness {
    /// A late item not yet published is late until today.
    fn min_today(self, today: Date, cal: &Calendar) -> Freshness {
        match self {
            Freshness::Late { due, published_on: None, .. } => Freshness::Late {
                due,
                published_on: None,
                days: (today - due).get_days().into(),
                working_days: working_between(cal, due, today),
            },
            other => other,
        }
    }
}

/// Working days after `from` up to and including `to`.
fn working_between(cal: &Calendar, from: Date, to: Date) -> i64 {
    match from.tomorrow() {
        Ok(first) if first <= to => cal.working_days_between(first, to),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).expect("date")
    }

    fn published(on: Date, event: Option<Date>) -> Record {
        Record { action: "published".into(), published_on: Some(on), event_on: event, reason: String::new() }
    }

    #[test]
    fn an_act_published_eight_working_days_after_its_approval_is_three_late_under_a_five_day_rule() {
        let cal = Calendar::federal();
        let rule = deadlines::parse("в течение 5 рабочих дней со дня утверждения").expect("rule");
        // Approved on Monday 02.03.2026 (the 8 March holiday falls in the term); published on the
        // eighth working day after it.
        let approved = d(2026, 3, 2);
        let mut day = approved;
        let mut n = 0;
        while n < 8 {
            day = day.tomorrow().expect("date");
            if cal.is_working(day) {
                n += 1;
            }
        }
        let state = check(&rule, &[published(day, Some(approved))], d(2026, 4, 1), &cal);
        match state {
            Freshness::Late { working_days, published_on, .. } => {
                assert_eq!(working_days, 3, "{state:?}");
                assert_eq!(published_on, Some(day));
            }
            other => panic!("{other:?}"),
        }
        // Published on the fifth working day: fresh.
        let mut day = approved;
        let mut n = 0;
        while n < 5 {
            day = day.tomorrow().expect("date");
            if cal.is_working(day) {
                n += 1;
            }
        }
        assert_eq!(
            check(&rule, &[published(day, Some(approved))], d(2026, 4, 1), &cal),
            Freshness::Fresh { published_on: day }
        );
    }

    #[test]
    fn an_approved_act_not_yet_published_is_due_then_late_until_it_is() {
        let cal = Calendar::federal();
        let rule = deadlines::parse("в течение 5 рабочих дней со дня утверждения").expect("rule");
        let pending = Record {
            action: "published".into(),
            published_on: None,
            event_on: Some(d(2026, 6, 1)),
            reason: String::new(),
        };
        // Monday 01.06.2026 + 5 working days = 08.06.2026.
        assert_eq!(
            check(&rule, std::slice::from_ref(&pending), d(2026, 6, 3), &cal),
            Freshness::Due { due: d(2026, 6, 8) }
        );
        match check(&rule, &[pending], d(2026, 6, 10), &cal) {
            Freshness::Late { due, published_on: None, working_days: 2, days: 2 } => assert_eq!(due, d(2026, 6, 8)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_quarterly_report_is_fresh_due_or_late_by_its_due_dates() {
        let cal = Calendar::federal();
        let rule = deadlines::parse("ежеквартально").expect("rule");
        // Never published: late since the last quarter's end (31.12.2025, a day off: 30.12).
        match check(&rule, &[], d(2026, 3, 20), &cal) {
            Freshness::Late { due, published_on: None, .. } => assert_eq!(due, d(2025, 12, 30)),
            other => panic!("{other:?}"),
        }
        // Published for the fourth quarter; the first quarter of 2026 ends on Tuesday 31.03.2026.
        let q4 = published(d(2025, 12, 20), None);
        assert_eq!(
            check(&rule, std::slice::from_ref(&q4), d(2026, 3, 20), &cal),
            Freshness::Due { due: d(2026, 3, 31) }
        );
        let q1 = published(d(2026, 3, 25), None);
        let both = [q4, q1.clone()];
        assert_eq!(check(&rule, &both, d(2026, 4, 15), &cal), Freshness::Fresh { published_on: d(2026, 3, 25) });
        // Nothing for the second quarter by 30.06.2026.
        match check(&rule, &[q1], d(2026, 7, 3), &cal) {
            Freshness::Late { due, published_on: None, working_days: 3, .. } => assert_eq!(due, d(2026, 6, 30)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_standing_item_asks_only_to_be_published_and_not_applicable_can_be_undone() {
        let cal = Calendar::federal();
        let rule = deadlines::parse("поддерживается в актуальном состоянии").expect("rule");
        assert_eq!(check(&rule, &[], d(2026, 1, 10), &cal), Freshness::Missing);
        let na = Record {
            action: "not_applicable".into(),
            published_on: None,
            event_on: None,
            reason: "нет подведомственных".into(),
        };
        assert_eq!(
            check(&rule, std::slice::from_ref(&na), d(2026, 1, 10), &cal),
            Freshness::NotApplicable { reason: "нет подведомственных".into() }
        );
        let undo = Record { action: "applicable".into(), published_on: None, event_on: None, reason: String::new() };
        assert_eq!(check(&rule, &[na, undo], d(2026, 1, 10), &cal), Freshness::Missing);
    }
}
