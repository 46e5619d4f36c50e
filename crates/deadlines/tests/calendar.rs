//! The shipped production calendar, checked day by day for 2017–2027 against the published
//! xmlcalendar files and against an independent implementation (PyPI `holidays`), plus the
//! official yearly totals and the cases where terms meet holidays.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use deadlines::{Calendar, DayOffPolicy, Term};
use jiff::civil::{Date, Weekday, date};

/// The xmlcalendar files the shipped calendar was generated from, vendored beside it.
fn xmlcalendar_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/xmlcalendar")
}

fn all_days(year: i16) -> impl Iterator<Item = Date> {
    let mut d = date(year, 1, 1);
    std::iter::from_fn(move || {
        let cur = d;
        if cur.year() != year {
            return None;
        }
        d = cur.tomorrow().ok()?;
        Some(cur)
    })
}

/// Days off per the xmlcalendar file, read independently of the generator: (day off, presidential).
fn xml_days_off(dir: &std::path::Path, year: i16) -> BTreeMap<Date, bool> {
    let text = std::fs::read_to_string(dir.join(format!("ru-{year}.xml"))).expect("calendar file");
    let attr = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[start..].split('"').next()?.to_string())
    };
    let presidential_ids: BTreeSet<String> = text
        .split("<holiday ")
        .skip(1)
        .filter(|t| t.split("/>").next().unwrap_or_default().contains("Указ Президента"))
        .filter_map(|t| attr(&format!(" {t}"), "id"))
        .collect();
    let mut listed: BTreeMap<Date, (String, Option<String>)> = BTreeMap::new();
    for tag in text.split("<day ").skip(1) {
        let tag = format!(" {}", tag.split("/>").next().unwrap_or_default());
        let d = attr(&tag, "d").expect("d");
        let (m, day) = d.split_once('.').expect("MM.DD");
        let when = date(year, m.parse().expect("month"), day.parse().expect("day"));
        listed.insert(when, (attr(&tag, "t").expect("t"), attr(&tag, "h")));
    }
    let mut off = BTreeMap::new();
    for d in all_days(year) {
        let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
        match listed.get(&d) {
            Some((t, h)) if t == "1" => {
                off.insert(d, h.as_ref().is_some_and(|h| presidential_ids.contains(h)));
            }
            Some(_) => {}
            None if weekend => {
                off.insert(d, false);
            }
            None => {}
        }
    }
    off
}

#[test]
fn every_day_of_2017_to_2027_matches_the_published_calendar() {
    let dir = xmlcalendar_dir();
    let legal = Calendar::federal();
    let mut with_presidential = Calendar::federal();
    with_presidential.presidential_days_off = true;
    for year in 2017..=2027 {
        let off = xml_days_off(&dir, year);
        for d in all_days(year) {
            let xml_off = off.contains_key(&d);
            assert_eq!(!with_presidential.is_working(d), xml_off, "{d} (presidential days counted)");
            let presidential_weekday =
                off.get(&d) == Some(&true) && !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
            assert_eq!(!legal.is_working(d), xml_off && !presidential_weekday, "{d} (legal terms)");
        }
    }
}

#[test]
fn every_day_of_2017_to_2027_matches_the_holidays_package() {
    let Ok(python) = std::env::var("TEST_PYTHON") else {
        assert!(std::env::var("CI").is_err(), "TEST_PYTHON is not set: run the suite with scripts/test");
        eprintln!("skipped: TEST_PYTHON is not set (scripts/test installs the holidays package)");
        return;
    };
    let script = "import datetime, holidays\n\
                  r = holidays.Russia(years=range(2017, 2028))\n\
                  d = datetime.date(2017, 1, 1)\n\
                  while d.year < 2028:\n\
                  \x20   print(d.isoformat(), 0 if r.is_working_day(d) else 1)\n\
                  \x20   d += datetime.timedelta(days=1)\n";
    let out = std::process::Command::new(python).args(["-c", script]).output().expect("run python");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cal = Calendar::federal();
    let mut checked = 0;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let (d, off) = line.split_once(' ').expect("date and flag");
        let d: Date = d.parse().expect("date");
        assert_eq!(
            !cal.is_working(d),
            off == "1",
            "{d}: holidays says {}",
            if off == "1" { "day off" } else { "working" }
        );
        checked += 1;
    }
    assert_eq!(checked, 4017, "every day of 2017–2027");
}

/// Working days per year (5-day week), from the verified table of specs/ru-rules.md §4.2
/// (xmlcalendar cross-checked against `holidays`); the presidential days are counted apart.
const TOTALS: [(i16, i64, i64); 11] = [
    (2017, 247, 247),
    (2018, 247, 247),
    (2019, 247, 247),
    (2020, 248, 219),
    (2021, 247, 240),
    (2022, 247, 247),
    (2023, 247, 247),
    (2024, 248, 248),
    (2025, 247, 247),
    (2026, 247, 247),
    (2027, 247, 247),
];

#[test]
fn each_year_has_the_official_number_of_working_days() {
    let legal = Calendar::federal();
    let mut covid = Calendar::federal();
    covid.presidential_days_off = true;
    for (year, working, with_presidential) in TOTALS {
        assert_eq!(legal.working_days_between(date(year, 1, 1), date(year, 12, 31)), working, "{year}");
        assert_eq!(
            covid.working_days_between(date(year, 1, 1), date(year, 12, 31)),
            with_presidential,
            "{year} with presidential days"
        );
    }
}

#[test]
fn the_new_year_holidays_end_on_the_first_working_day_of_each_year() {
    let cal = Calendar::federal();
    let first_working = [
        (2017, 9),
        (2018, 9),
        (2019, 9),
        (2020, 9),
        (2021, 11),
        (2022, 10),
        (2023, 9),
        (2024, 9),
        (2025, 9),
        (2026, 12),
        (2027, 11),
    ];
    for (year, day) in first_working {
        for d in 1..day {
            assert!(!cal.is_working(date(year, 1, d)), "{year}-01-{d:02} is a day off");
        }
        assert!(cal.is_working(date(year, 1, day)), "{year}-01-{day:02} is the first working day");
        // One working day from 31 December lands on that first working day.
        let c = cal.add(date(year - 1, 12, 31), &Term::working_days(1));
        if year > 2017 {
            assert_eq!(c.map(|c| c.date), Ok(date(year, 1, day)), "{year}");
        }
    }
}

#[test]
fn transferred_working_saturdays_are_working_days() {
    let cal = Calendar::federal();
    for d in [
        date(2018, 4, 28),
        date(2018, 6, 9),
        date(2018, 12, 29),
        date(2021, 2, 20),
        date(2022, 3, 5),
        date(2024, 4, 27),
        date(2024, 11, 2),
        date(2024, 12, 28),
        date(2025, 11, 1),
        date(2027, 2, 20),
    ] {
        assert_eq!(d.weekday(), Weekday::Saturday);
        assert!(cal.is_working(d), "{d}");
    }
    // A term counting working days passes through a working Saturday.
    let c = cal.add(date(2024, 4, 26), &Term::working_days(1)).expect("covered");
    assert_eq!(c.date, date(2024, 4, 27));
}

#[test]
fn terms_starting_just_before_the_holidays() {
    let cal = Calendar::federal();
    // 30 calendar days from 02.12.2026 end on 01.01.2027, a holiday; 31.12.2026 is a day off too.
    let pre = cal.add(date(2026, 12, 2), &Term::calendar_days(30, DayOffPolicy::Preceding)).expect("covered");
    assert_eq!(pre.date, date(2026, 12, 30));
    assert!(pre.explain_ru().contains("01.01.2027 — нерабочий праздничный день"), "{}", pre.explain_ru());
    let fol = cal.add(date(2026, 12, 2), &Term::calendar_days(30, DayOffPolicy::Following)).expect("covered");
    assert_eq!(fol.date, date(2027, 1, 11));
    // 15 working days from 24.12.2025 skip 31.12 and the New Year holidays to 26.01.2026.
    let w = cal.add(date(2025, 12, 24), &Term::working_days(15)).expect("covered");
    assert_eq!(w.date, date(2026, 1, 26));
    assert!(
        w.explain_ru().contains("+15 рабочих дней (пропущено нерабочих дней: 18) → 26.01.2026"),
        "{}",
        w.explain_ru()
    );
    // 8-FZ: 30 days from 08.03.2024 (a holiday) end on 07.04.2024, a Sunday.
    let r = cal.add(date(2024, 3, 8), &Term::calendar_days(30, DayOffPolicy::Following)).expect("covered");
    assert_eq!(r.date, date(2024, 4, 8));
    // May holidays: 7 days from 28.04.2025 end on 05.05.2025 (working); 3 working days from 30.04.2025 skip 1–4 May.
    assert_eq!(cal.add(date(2025, 4, 30), &Term::working_days(3)).map(|c| c.date), Ok(date(2025, 5, 7)));
}

#[test]
fn the_presidential_days_move_terms_only_when_a_portal_turns_them_on() {
    let legal = Calendar::federal();
    assert!(legal.is_working(date(2020, 4, 15)));
    let mut covid = Calendar::federal();
    covid.presidential_days_off = true;
    assert!(!covid.is_working(date(2020, 4, 15)));
    assert_eq!(legal.add(date(2020, 3, 27), &Term::working_days(1)).map(|c| c.date), Ok(date(2020, 3, 30)));
    assert_eq!(covid.add(date(2020, 3, 27), &Term::working_days(1)).map(|c| c.date), Ok(date(2020, 5, 12)));
}

#[test]
fn last_working_days_and_day_of_month_rules() {
    let cal = Calendar::federal();
    // 31.12.2026 is a day off, 30.12 is the last working day of the year.
    assert_eq!(cal.last_working_day_of_quarter(2026, 4).map(|c| c.date), Ok(date(2026, 12, 30)));
    // 28.03.2026 is a Saturday: the last working day of March is Tuesday 31.03.
    assert_eq!(cal.last_working_day_of_month(2026, 3).map(|c| c.date), Ok(date(2026, 3, 31)));
    // "Not later than the 25th of the quarter's last month": 25.03.2023 is a Saturday.
    assert_eq!(cal.day_of_month(2023, 3, 25, DayOffPolicy::Preceding).map(|c| c.date), Ok(date(2023, 3, 24)));
    assert_eq!(cal.day_of_month(2023, 2, 31, DayOffPolicy::Keep).map(|c| c.date), Ok(date(2023, 2, 28)));
}

#[test]
fn an_override_adds_a_year_and_corrects_a_day() {
    let cal = Calendar::federal();
    assert!(!cal.covers(2028));
    assert!(cal.add(date(2028, 3, 1), &Term::working_days(5)).is_err(), "working days need a loaded year");
    let corrected = Calendar::federal().with_overrides([
        (date(2028, 1, 10), deadlines::DayKind::DayOff, "перенос с 01.01.2028".to_string()),
        (date(2026, 4, 2), deadlines::DayKind::Holiday, "региональный праздник".to_string()),
    ]);
    assert!(corrected.covers(2028));
    assert!(!corrected.is_working(date(2028, 1, 10)));
    assert!(!corrected.is_working(date(2028, 1, 3)), "art. 112 holidays are known for any year");
    assert!(!corrected.is_working(date(2026, 4, 2)));
    assert!(cal.is_working(date(2026, 4, 2)), "the shipped calendar is unchanged");
}
