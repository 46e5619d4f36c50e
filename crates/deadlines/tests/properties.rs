//! Properties that must hold for every schedule and every starting day: due dates come out in
//! order, never before the day asked for, and — with the "move off days off" policies — on
//! working days. Checked exhaustively over each day of 2017–2026 for every seed schedule
//! shape, and over generated terms.

use deadlines::{Calendar, Date, DayOffPolicy, Term, parse};

const SHAPES: &[&str] = &[
    "1 полугодие 2017, далее ежегодно до 1 мая следующего за отчетным года",
    "1 полугодие 2017, далее ежегодно не позднее 14.05. года, следующего за отчетным",
    "1 полугодие 2017, далее ежеквартально до 15 числа следующего месяца, за отчетным",
    "2017, далее ежегодно",
    "2 раза в год",
    "не позднее 25-го числа последнего месяца квартала",
    "Ежегодно до 20 декабря",
    "ежемесячно до 5 числа следующего месяца",
    "2019-2020",
    "II кв. 2017, далее постоянно",
];

fn days(from: Date, to: Date, step: usize) -> impl Iterator<Item = Date> {
    let mut d = from;
    std::iter::from_fn(move || {
        if d > to {
            return None;
        }
        let cur = d;
        for _ in 0..step {
            d = d.tomorrow().ok()?;
        }
        Some(cur)
    })
}

#[test]
fn due_dates_are_ordered_not_early_and_on_working_days() {
    let cal = Calendar::federal();
    let (from, to) = (Date::new(2017, 1, 1).expect("date"), Date::new(2026, 6, 30).expect("date"));
    for shape in SHAPES {
        let s = parse(shape).unwrap_or_else(|e| panic!("{e}"));
        for policy in [DayOffPolicy::Preceding, DayOffPolicy::Following] {
            for after in days(from, to, 3) {
                let due = s.next_due(&cal, after, 4, None, policy).expect("covered");
                for w in due.windows(2) {
                    assert!(w[0].date.date <= w[1].date.date, "{shape} after {after}: out of order");
                }
                for d in &due {
                    assert!(d.date.date >= after, "{shape} after {after}: {} is early", d.date.date);
                    if d.date.date.year() <= 2027 {
                        assert!(cal.is_working(d.date.date), "{shape}: {} is a day off", d.date.date);
                    }
                    assert_eq!(
                        d.date.steps.last().map(|s| s.date),
                        Some(d.date.date),
                        "the explanation ends on the date"
                    );
                }
            }
        }
    }
}

#[test]
fn terms_land_after_their_start_and_working_day_terms_count_exactly() {
    let cal = Calendar::federal();
    let (from, to) = (Date::new(2017, 1, 1).expect("date"), Date::new(2027, 10, 1).expect("date"));
    for start in days(from, to, 5) {
        for n in [1u32, 3, 7, 10, 15, 30, 60] {
            let w = cal.add(start, &Term::working_days(n)).expect("covered");
            assert!(w.date > start);
            assert!(cal.is_working(w.date), "{start} + {n} working days = {} is a day off", w.date);
            let after_start = start.tomorrow().expect("date");
            assert_eq!(cal.working_days_between(after_start, w.date), i64::from(n), "{start} + {n} working days");
            let c = cal.add(start, &Term::calendar_days(n, DayOffPolicy::Following)).expect("covered");
            assert!(c.date >= start + jiff::Span::new().days(i64::from(n)));
            assert!(cal.is_working(c.date));
            let p = cal.add(start, &Term::calendar_days(n, DayOffPolicy::Preceding)).expect("covered");
            assert!(p.date <= start + jiff::Span::new().days(i64::from(n)));
            assert!(cal.is_working(p.date) || p.date <= start, "{start} + {n}: {}", p.date);
        }
    }
}

#[test]
fn the_parser_never_panics_on_mangled_seed_phrases() {
    // Every prefix, every suffix and every phrase with one character removed: parse or refuse,
    // never panic, and a refusal always carries the verbatim text.
    for shape in SHAPES {
        let chars: Vec<char> = shape.chars().collect();
        for i in 0..chars.len() {
            let variants = [
                chars[..i].iter().collect::<String>(),
                chars[i..].iter().collect::<String>(),
                chars.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, c)| *c).collect::<String>(),
            ];
            for v in variants {
                if let Err(e) = parse(&v) {
                    assert_eq!(e.text, v);
                }
            }
        }
    }
}

#[test]
fn the_last_due_date_is_the_last_of_all_due_dates() {
    let cal = Calendar::federal();
    let since = Date::new(1990, 1, 1).expect("date");
    let mut shapes: Vec<&str> = SHAPES.to_vec();
    shapes.extend(["до 01.03.2018", "2 квартал 2018 года", "ежегодно до 1 февраля", "постоянно"]);
    for shape in shapes {
        let s = parse(shape).unwrap_or_else(|e| panic!("{e}"));
        for to in days(Date::new(2016, 6, 1).expect("date"), Date::new(2031, 1, 1).expect("date"), 13) {
            let all = s.due_dates(&cal, since, to, None, DayOffPolicy::Preceding).expect("due dates");
            let last = s.last_due(&cal, since, to, None, DayOffPolicy::Preceding).expect("last due");
            assert_eq!(last.as_ref(), all.last(), "{shape} up to {to}");
        }
    }
}

// Only the phrases and years are used here; the expectations belong to tests/corpus.rs.
#[allow(dead_code)]
mod corpus_cases {
    include!("data/corpus_cases.rs");
}

include!("data/seed_phrases.rs");

/// Every reading — of each seed phrase, each real phrase and each generated schedule — renders
/// back as a Russian phrase that reads as the same schedule.
#[test]
fn every_reading_renders_to_a_phrase_that_reads_back_the_same() {
    use deadlines::{Context, DueRule, Frequency, Recurrence, Schedule, Unit, parse_in};
    let mut readings: Vec<(Schedule, Context)> = Vec::new();
    for (phrase, _, _) in SEED_PHRASES {
        readings.push((parse(phrase).unwrap_or_else(|e| panic!("{e}")), Context::default()));
    }
    for case in corpus_cases::corpus() {
        let ctx = Context { year: case.year };
        if let Ok(s) = parse_in(&case.phrase, ctx) {
            readings.push((s, ctx));
        }
    }
    let freqs = [Frequency::Monthly, Frequency::Quarterly, Frequency::HalfYearly, Frequency::Yearly];
    for every in freqs {
        let mut rules = vec![DueRule::EndOfPeriod];
        for day in [1i8, 5, 10, 15, 20, 25, 28] {
            rules.extend([
                DueRule::NextMonth { day },
                DueRule::LastMonth { day },
                DueRule::NextMonthWorking { day: day.min(20) },
                DueRule::NextYear { day, month: 2 },
                DueRule::SameYear { day, month: 12 },
            ]);
        }
        rules.extend([
            DueRule::SecondMonth { day: 15 },
            DueRule::ThirdMonth { day: 1 },
            DueRule::BeforePeriodEnd { days: 20 },
            DueRule::BeforePeriodStart { days: 30 },
            DueRule::MonthsBeforePeriodEnd { months: 1 },
            DueRule::MonthsBeforePeriodEnd { months: 2 },
        ]);
        for (amount, unit) in [(10u32, Unit::CalendarDays), (45, Unit::CalendarDays), (15, Unit::WorkingDays)] {
            let term = Term { amount, unit, on_day_off: DayOffPolicy::Preceding, counts_start_day: false };
            rules.push(DueRule::AfterPeriodEnd { term });
        }
        for due in rules {
            if every != Frequency::Yearly && matches!(due, DueRule::NextYear { .. } | DueRule::SameYear { .. }) {
                continue;
            }
            let rule = Recurrence { every, due, qualifier: None };
            // The same rule for the period an event falls in: once, and from it on.
            for (repeats, event) in [(false, "предоставления субсидии"), (true, "в котором была получена субсидия")]
            {
                let event = event.to_string();
                readings.push((Schedule::FromEvent { rule: rule.clone(), repeats, event }, Context::default()));
            }
            readings.push((Schedule::Recurring(rule), Context::default()));
        }
    }
    // Weekly: by the week's end, or by a day of it, with the hour as words.
    for (due, qualifier) in [
        (DueRule::EndOfPeriod, None),
        (DueRule::Weekday { day: 3 }, Some("12.00 часов".to_string())),
        (DueRule::Weekday { day: 5 }, None),
    ] {
        readings
            .push((Schedule::Recurring(Recurrence { every: Frequency::Weekly, due, qualifier }), Context::default()));
    }
    // Windows after an event: not before the first term, not after the second.
    for (early, late, unit) in
        [(2u32, 5u32, Unit::WorkingDays), (30, 90, Unit::CalendarDays), (7, 7, Unit::CalendarDays)]
    {
        let term = |amount| Term { amount, unit, on_day_off: DayOffPolicy::Preceding, counts_start_day: false };
        readings.push((
            Schedule::AfterEvent {
                term: term(late),
                event: "со дня опубликования решения".into(),
                not_before: Some(term(early)),
            },
            Context::default(),
        ));
    }
    for year in [2018i16, 2024] {
        readings.push((Schedule::WithinYear { year: Some(year) }, Context::default()));
        readings.push((Schedule::WithinYear { year: Some(year) }, Context { year: Some(year) }));
    }
    let mut failures = Vec::new();
    for (s, ctx) in &readings {
        let phrase = s.ru();
        match parse_in(&phrase, *ctx) {
            Ok(back) if back == *s => {}
            Ok(back) => failures.push(format!("{s:?} → «{phrase}» → {back:?}")),
            Err(e) => failures.push(format!("{s:?} → «{phrase}» refused: {}", e.reason)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Real phrases' due dates, too, come out in order and never before the day asked for.
#[test]
fn real_phrases_give_ordered_due_dates_never_early() {
    let cal = Calendar::federal();
    for case in corpus_cases::corpus() {
        let Ok(s) = deadlines::parse_in(&case.phrase, deadlines::Context { year: case.year }) else { continue };
        for after in days(Date::new(2019, 1, 1).expect("date"), Date::new(2026, 12, 31).expect("date"), 17) {
            let due = s.next_due(&cal, after, 5, Some(after), DayOffPolicy::Preceding).expect("covered");
            for w in due.windows(2) {
                assert!(w[0].date.date <= w[1].date.date, "{}: out of order", case.phrase);
            }
            assert!(due.iter().all(|d| d.date.date >= after), "{} after {after}: early", case.phrase);
        }
    }
}
