//! The production calendar: which days are working days. The federal calendar for 2017–2027
//! ships in `data/ru-calendar.txt` (generated from the published facts, sources named there);
//! a portal's own corrections and next year's decree are overrides on top of it.

use std::collections::BTreeMap;

use jiff::civil::{Date, Weekday};
use serde::Serialize;

const SHIPPED: &str = include_str!("../data/ru-calendar.txt");

/// Parsed once. The shipped file is checked by the tests, so a broken build is the only way
/// this can fail.
static FEDERAL: std::sync::LazyLock<Calendar> = std::sync::LazyLock::new(|| {
    Calendar::parse(SHIPPED).unwrap_or_else(|e| panic!("the shipped calendar is invalid: {e}"))
});

/// What a calendar day is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DayKind {
    Working,
    /// A working day shortened by one hour (before a holiday; may be a working Saturday).
    Short,
    /// Saturday or Sunday.
    Weekend,
    /// A non-working holiday of Labour Code art. 112.
    Holiday,
    /// A weekday made a day off by a transfer.
    DayOff,
    /// A Saturday or Sunday made a working day by a transfer.
    WorkingWeekend,
    /// A presidential non-working day (2020–2021): not a holiday, so legal terms ignore it
    /// unless the portal decides otherwise.
    Presidential,
}

impl DayKind {
    pub fn parse(s: &str) -> Option<DayKind> {
        Some(match s {
            "working" => DayKind::WorkingWeekend,
            "short" => DayKind::Short,
            "holiday" => DayKind::Holiday,
            "day-off" => DayKind::DayOff,
            "presidential" => DayKind::Presidential,
            "workday" => DayKind::Working,
            "weekend" => DayKind::Weekend,
            _ => return None,
        })
    }

    pub fn ru(self) -> &'static str {
        match self {
            DayKind::Working => "рабочий день",
            DayKind::Short => "сокращённый рабочий день",
            DayKind::Weekend => "выходной день",
            DayKind::Holiday => "нерабочий праздничный день",
            DayKind::DayOff => "выходной день (перенос)",
            DayKind::WorkingWeekend => "рабочий день (перенос выходного)",
            DayKind::Presidential => "нерабочий день по указу Президента",
        }
    }
}

/// A calendar exception: the day's kind and, for holidays, its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    pub kind: DayKind,
    pub note: String,
}

#[derive(Clone, Debug)]
pub struct Calendar {
    exceptions: BTreeMap<Date, Exception>,
    /// Years whose every holiday and transfer is listed in `exceptions` (the shipped data).
    first_year: i16,
    last_year: i16,
    /// Further years an administrator loaded as overrides; their art. 112 holidays follow the rule.
    added_years: std::collections::BTreeSet<i16>,
    /// Treat the presidential non-working days as days off (off by default: legal terms ran through them).
    pub presidential_days_off: bool,
}

/// Labour Code art. 112: the non-working holidays, used for years the calendar does not cover.
const ART_112: [(i8, i8); 12] =
    [(1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8), (2, 23), (3, 8), (5, 1), (5, 9)];
const ART_112_MORE: [(i8, i8); 2] = [(6, 12), (11, 4)];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("строка {line}: {message}")]
pub struct DataError {
    pub line: usize,
    pub message: String,
}

impl Calendar {
    /// The federal calendar Glasnost ships (2017–2027).
    pub fn federal() -> Calendar {
        FEDERAL.clone()
    }

    /// Reads the `DATE KIND [FROM] -- NOTE` format of `data/ru-calendar.txt`.
    pub fn parse(text: &str) -> Result<Calendar, DataError> {
        let mut exceptions = BTreeMap::new();
        let (mut first, mut last) = (i16::MAX, i16::MIN);
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if let Some(years) = line.strip_prefix("# years:") {
                let (a, b) =
                    years.trim().split_once('-').ok_or(DataError { line: i + 1, message: "years: A-B".into() })?;
                first = a.trim().parse().map_err(|_| DataError { line: i + 1, message: "bad first year".into() })?;
                last = b.trim().parse().map_err(|_| DataError { line: i + 1, message: "bad last year".into() })?;
                continue;
            }
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (head, note) = line.split_once(" -- ").unwrap_or((line, ""));
            let mut parts = head.split_whitespace();
            let err = |m: &str| DataError { line: i + 1, message: m.to_string() };
            let date: Date = parts.next().ok_or_else(|| err("no date"))?.parse().map_err(|_| err("not a date"))?;
            let kind = parts.next().and_then(DayKind::parse).ok_or_else(|| err("unknown kind"))?;
            let note = match parts.next() {
                Some(from) => format!(
                    "перенесён с {}",
                    from.parse::<Date>().map_err(|_| err("bad FROM date"))?.strftime("%d.%m.%Y")
                ),
                None => note.to_string(),
            };
            exceptions.insert(date, Exception { kind, note });
        }
        if first > last {
            return Err(DataError { line: 0, message: "no `# years:` line".into() });
        }
        Ok(Calendar {
            exceptions,
            first_year: first,
            last_year: last,
            added_years: Default::default(),
            presidential_days_off: false,
        })
    }

    /// Applies a portal's corrections (a database table edited by the administrator). An
    /// override for a year beyond the shipped ones makes that year covered.
    pub fn with_overrides(mut self, overrides: impl IntoIterator<Item = (Date, DayKind, String)>) -> Calendar {
        for (date, kind, note) in overrides {
            if !self.shipped(date.year()) {
                self.added_years.insert(date.year());
            }
            self.exceptions.insert(date, Exception { kind, note });
        }
        self
    }

    fn shipped(&self, year: i16) -> bool {
        (self.first_year..=self.last_year).contains(&year)
    }

    /// Whether the transfers of this year are known (shipped, or loaded by an administrator).
    pub fn covers(&self, year: i16) -> bool {
        self.shipped(year) || self.added_years.contains(&year)
    }

    pub fn years(&self) -> (i16, i16) {
        (self.first_year, self.last_year)
    }

    fn weekend(d: Date) -> bool {
        matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
    }

    /// What the day is. Beyond the shipped years the holidays of art. 112 follow the rule and
    /// only the overrides an administrator loaded add transfers; `covers` tells whether any were.
    pub fn kind(&self, d: Date) -> DayKind {
        match self.exceptions.get(&d).map(|e| e.kind) {
            Some(DayKind::Presidential) if !self.presidential_days_off => {
                if Self::weekend(d) {
                    DayKind::Weekend
                } else {
                    DayKind::Working
                }
            }
            Some(k) => k,
            None if !self.shipped(d.year())
                && ART_112.iter().chain(&ART_112_MORE).any(|(m, day)| d.month() == *m && d.day() == *day) =>
            {
                DayKind::Holiday
            }
            None if Self::weekend(d) => DayKind::Weekend,
            None => DayKind::Working,
        }
    }

    pub fn note(&self, d: Date) -> Option<&str> {
        self.exceptions.get(&d).map(|e| e.note.as_str()).filter(|n| !n.is_empty())
    }

    pub fn is_working(&self, d: Date) -> bool {
        matches!(self.kind(d), DayKind::Working | DayKind::Short | DayKind::WorkingWeekend)
    }

    /// Working days from `from` to `to`, both included.
    pub fn working_days_between(&self, from: Date, to: Date) -> i64 {
        let mut n = 0;
        let mut d = from;
        while d <= to {
            if self.is_working(d) {
                n += 1;
            }
            match d.tomorrow() {
                Ok(next) => d = next,
                Err(_) => break,
            }
        }
        n
    }
}
