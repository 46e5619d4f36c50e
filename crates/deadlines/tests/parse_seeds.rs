//! Every distinct deadline phrase of seeds 002, 003 and 004, verbatim (line breaks and
//! hyphenation artefacts included), with the schedule it means (as rendered back in Russian)
//! and its first three due dates after 2017-04-03 on the production calendar, a deadline on a
//! day off moving to the preceding working day. The dates were checked by hand against the
//! calendar: e.g. 01.05.2018 is a holiday, 30.04 a transferred day off and 28.04 a working
//! Saturday, so "до 1 мая следующего за отчетным года" for 2017 falls on 28.04.2018.

use deadlines::{Calendar, Date, DayOffPolicy, Schedule, parse};

include!("data/seed_phrases.rs");

#[test]
fn every_seed_phrase_parses_to_its_schedule_and_due_dates() {
    let cal = Calendar::federal();
    let after = Date::new(2017, 4, 3).expect("date");
    let mut failures = Vec::new();
    for (phrase, meaning, dates) in SEED_PHRASES {
        let schedule = match parse(phrase) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{phrase:?}: {e}"));
                continue;
            }
        };
        if schedule.ru() != *meaning {
            failures.push(format!("{phrase:?}: means «{}», expected «{meaning}»", schedule.ru()));
        }
        let due = schedule.next_due(&cal, after, 3, None, DayOffPolicy::Preceding).expect("covered years");
        let got: Vec<String> = due.iter().map(|d| d.date.date.to_string()).collect();
        if got != *dates {
            failures.push(format!("{phrase:?}: due {got:?}, expected {dates:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_table_holds_every_distinct_phrase_once() {
    let mut seen = std::collections::HashSet::new();
    for (phrase, _, _) in SEED_PHRASES {
        assert!(seen.insert(*phrase), "{phrase:?} twice");
    }
    assert_eq!(SEED_PHRASES.len(), 53);
}

#[test]
fn event_relative_deadlines_need_the_event_date() {
    let cal = Calendar::federal();
    let s = parse("в течение 3 дней со дня утверждения").expect("parses");
    let after = Date::new(2018, 1, 1).expect("date");
    assert!(s.next_due(&cal, after, 1, None, DayOffPolicy::Preceding).expect("ok").is_empty());
    // Approved on 07.03.2018: +3 = 10.03 (Saturday); 09.03 is a transferred day off, 08.03 a holiday.
    let due = s.next_due(&cal, after, 1, Date::new(2018, 3, 7).ok(), DayOffPolicy::Preceding).expect("ok");
    assert_eq!(due[0].date.date, Date::new(2018, 3, 7).expect("date"));
    let s = parse("не позднее 30-ти дней с даты регистрации запроса").expect("parses");
    let due = s.next_due(&cal, after, 1, Date::new(2018, 3, 5).ok(), DayOffPolicy::Following).expect("ok");
    assert_eq!(due[0].date.date, Date::new(2018, 4, 4).expect("date"));
}

#[test]
fn a_window_after_an_event_is_due_at_its_end_and_says_when_it_opens() {
    let cal = Calendar::federal();
    let s =
        parse("не ранее двух рабочих дней и не позднее пяти рабочих дней с момента принятия решения").expect("parses");
    // Decided on Monday 05.02.2024: the window opens on 07.02 and closes on 12.02.
    let decided = Date::new(2024, 2, 5).expect("date");
    let due = s.next_due(&cal, decided, 1, Some(decided), DayOffPolicy::Preceding).expect("ok");
    assert_eq!(due[0].date.date, Date::new(2024, 2, 12).expect("date"));
    assert!(due[0].date.explain_ru().contains("не ранее 07.02.2024"), "{}", due[0].date.explain_ru());
    assert!(parse("не менее 90 дней и не более 30 дней со дня опубликования решения").is_err());
}

#[test]
fn a_rule_for_the_period_of_an_event_needs_the_event() {
    let cal = Calendar::federal();
    let after = Date::new(2024, 1, 1).expect("date");
    let once = parse("до 20 января финансового года, следующего за годом предоставления субсидии").expect("parses");
    assert!(once.next_due(&cal, after, 1, None, DayOffPolicy::Keep).expect("ok").is_empty());
    // A subsidy granted on 15.05.2024: one report, for 2024, by 20.01.2025.
    let granted = Date::new(2024, 5, 15).ok();
    let due = once.next_due(&cal, after, 3, granted, DayOffPolicy::Keep).expect("ok");
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0].date.date, Date::new(2025, 1, 20).expect("date"));
    assert_eq!(due[0].covers.map(|p| p.ru()), Some("2024 год".to_string()));
    // Quarterly from the quarter it was received in: the second quarter of 2024 on.
    let quarterly =
        parse("ежеквартально, не позднее 20 числа месяца, следующего за кварталом, в котором была получена субсидия")
            .expect("parses");
    let due = quarterly.next_due(&cal, after, 2, granted, DayOffPolicy::Keep).expect("ok");
    let dates: Vec<String> = due.iter().map(|d| d.date.date.to_string()).collect();
    assert_eq!(dates, ["2024-07-20", "2024-10-20"]);
}

#[test]
fn a_report_due_date_knows_the_period_it_covers() {
    let cal = Calendar::federal();
    let s = parse("ежегодно до 1 февраля следующего за отчетным года").expect("parses");
    let due = s.next_due(&cal, Date::new(2026, 1, 1).expect("date"), 1, None, DayOffPolicy::Preceding).expect("ok");
    // 01.02.2026 is a Sunday: due Friday 30.01.2026, for 2025.
    assert_eq!(due[0].date.date, Date::new(2026, 1, 30).expect("date"));
    assert_eq!(due[0].covers.map(|p| p.ru()), Some("2025 год".to_string()));
    assert!(due[0].date.explain_ru().contains("01.02.2026 — воскресенье"), "{}", due[0].date.explain_ru());
}

#[test]
fn a_plan_due_before_its_period_may_fall_in_the_year_before() {
    let cal = Calendar::federal();
    let s = parse("не позднее чем за 30 дней до начала очередного квартала").expect("parses");
    let (from, to) = (Date::new(2024, 12, 1).expect("date"), Date::new(2024, 12, 31).expect("date"));
    let due = s.due_dates(&cal, from, to, None, DayOffPolicy::Keep).expect("ok");
    // 01.01.2025 − 30 days = 02.12.2024, the plan for the first quarter of 2025.
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0].date.date, Date::new(2024, 12, 2).expect("date"));
    assert_eq!(due[0].covers.map(|p| p.ru()), Some("I квартал 2025".to_string()));
}

#[test]
fn what_cannot_be_read_comes_back_verbatim_with_a_reason() {
    for (text, reason) in [
        ("", "срок не указан"),
        ("когда-нибудь", "не похоже"),
        ("ежегодно по пятницам", "не удалось понять слова «по пятницам»"),
        ("3 раза в год", "не делятся на равные периоды"),
        ("V квартал 2018", "не похоже"),
        ("2020-2019", "идёт назад"),
        ("31.02.2019", "даты 31.02.2019 нет"),
        ("ежегодно до 31 февраля", "дня 31 в этом месяце нет"),
        ("1 кв. 2018, далее иногда", "не удалось понять слова «иногда»"),
    ] {
        match parse(text) {
            Ok(s) => panic!("{text:?} was read as {s:?}"),
            Err(e) => {
                assert_eq!(e.text, text);
                assert!(e.reason.contains(reason), "{text:?}: {}", e.reason);
            }
        }
    }
    assert!(parse(&"ежегодно ".repeat(200)).is_err());
}

#[test]
fn case_spaces_and_line_breaks_do_not_matter() {
    let a = parse("I полугодие 2017, далее ежегодно до 1 февраля следующего за отчетным года").expect("parses");
    let b =
        parse("  i ПОЛУГОДИЕ   2017,\nдалее ЕЖЕГОДНО до 1 февраля\r\n следующего за отчётным года ").expect("parses");
    assert_eq!(a, b);
    assert!(matches!(parse("Ежекварталь но").expect("parses"), Schedule::Recurring(_)));
}

#[test]
fn schedules_render_in_english_too() {
    let s = parse("1 полугодие 2017, далее ежегодно до 1 февраля следующего за отчетным года").expect("parses");
    assert_eq!(s.en(), "by the end of H1 2017, then annually, by 1 February — for the previous year");
    assert_eq!(s.ru(), "до конца периода: I полугодие 2017, далее ежегодно, до 1 февраля — за предыдущий год");
}
