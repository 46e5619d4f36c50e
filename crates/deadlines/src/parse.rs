//! The parser of Russian deadline phrases ("I полугодие 2017, далее ежегодно до 1 февраля
//! следующего за отчетным года") into schedules. It tolerates case, extra spaces, line breaks
//! inside a table cell and hyphenation artefacts; what it cannot read it returns as
//! `Unparsed`, with the verbatim text and the reason — it never guesses.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::arith::{DayOffPolicy, Term, Unit};
use crate::schedule::{DueRule, Frequency, MONTHS_GEN, MONTHS_NOM, Period, Recurrence, Schedule};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("не удалось разобрать срок «{text}»: {reason}")]
pub struct Unparsed {
    pub text: String,
    pub reason: String,
}

/// Longest phrase accepted; a table cell longer than this is not a deadline.
pub const MAX_LEN: usize = 1000;

/// Words the parser knows; two fragments of a word broken by a hyphenation artefact
/// ("ежекварталь но") are joined when together they make one of these.
const VOCABULARY: &[&str] = &[
    "ежеквартально",
    "ежегодно",
    "ежемесячно",
    "постоянно",
    "постоянной",
    "полугодие",
    "необходимости",
    "следующего",
    "следующий",
    "отчетным",
    "отчетного",
    "квартала",
    "квартал",
    "месяца",
    "поступления",
    "подготовки",
    "изменения",
    "утверждения",
    "регистрации",
    "объявления",
    "процедуры",
];

fn normalize(text: &str) -> String {
    let lower = text.to_lowercase().replace('ё', "е").replace(['–', '—', '‑', '−'], "-").replace('\u{a0}', " ");
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        if i + 1 < words.len() {
            let joined = format!("{}{}", words[i], words[i + 1]);
            let bare = joined.trim_end_matches([',', '.', ';']);
            if VOCABULARY.contains(&bare) && !VOCABULARY.contains(&words[i]) {
                out.push(joined);
                i += 2;
                continue;
            }
        }
        out.push(words[i].to_string());
        i += 1;
    }
    out.join(" ").trim_end_matches(['.', ',', ';', ' ']).trim().to_string()
}

fn re(p: &str) -> Regex {
    // The patterns are constants checked by the tests.
    Regex::new(p).unwrap_or_else(|e| panic!("bad pattern {p}: {e}"))
}

const YEAR: &str = r"(\d{4})(?:\s*(?:года|год|г\.?))?";
static YEAR_ONLY: LazyLock<Regex> = LazyLock::new(|| re(&format!("^{YEAR}$")));
static YEARS: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{4})\s*-\s*(\d{4})(?:\s*(?:годы|гг\.?|годов))?$"));
static HALF: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"^(?:(i|ii|и|1|2)(?:-?е)?\s+)?полугоди[ея]\s+{YEAR}$")));
static QUARTER: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"^(i|ii|iii|iv|1|2|3|4)(?:-?й)?\s*(?:кв\.?|квартал[а]?)\s*{YEAR}$")));
static MONTH: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"^([а-я]+)\s+{YEAR}$")));
static DATE: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:до |не позднее )?(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*г\.?)?$"));
static AFTER_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:в течение|не позднее|в срок не позднее|в срок до)\s+(\d+)(?:-?(?:ти|х|и|ми|го))?\s+(календарных\s+|рабочих\s+)?(?:дн(?:я|ей)|день)\s+((?:с момента|со дня|с даты|с дня|после)\s+.+)$",
    )
});
static DAY_MONTH: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:до|не позднее)\s+(\d{1,2})(?:-?го)?\s+([а-я]+)(?:\s+(.*))?$"));
static DOTTED_DAY_MONTH: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:до|не позднее)\s+(\d{1,2})\.(\d{1,2})\.?(?:\s+(.*))?$"));
static NTH_OF_NEXT_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:до|не позднее)\s+(\d{1,2})(?:-?го)?\s+числа\s+(?:следующего\s+месяца|месяца,?\s+следующего\s+за\s+отчетным)(?:,?\s+за\s+отчетным)?$",
    )
});
static NTH_OF_LAST_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:до|не позднее)\s+(\d{1,2})(?:-?го)?\s+числа\s+последнего\s+месяца\s+(квартала|полугодия|года)$")
});
static TIMES_PER_YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d+|один|два|три|четыре)\s+раз(?:а)?\s+в\s+год$"));
static AT_LEAST_ONCE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^не реже (?:одного )?раза? в (месяц|квартал|полугодие|год)$"));

fn roman_or_digit(s: &str) -> Option<i8> {
    Some(match s {
        "i" | "1" | "и" => 1,
        "ii" | "2" => 2,
        "iii" | "3" => 3,
        "iv" | "4" => 4,
        _ => return None,
    })
}

fn year(s: &str) -> Result<i16, String> {
    let y: i16 = s.parse().map_err(|_| format!("«{s}» — не год"))?;
    if !(1990..=2100).contains(&y) {
        return Err(format!("год {y} вне разумного диапазона 1990–2100"));
    }
    Ok(y)
}

fn month_gen(s: &str) -> Option<i8> {
    MONTHS_GEN.iter().position(|m| *m == s).map(|i| i as i8 + 1)
}

fn month_nom(s: &str) -> Option<i8> {
    MONTHS_NOM.iter().position(|m| *m == s).map(|i| i as i8 + 1).or_else(|| month_gen(s))
}

fn valid_day(day: i8, month: i8) -> Result<(), String> {
    let max = match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return Err(format!("месяца {month} нет")),
    };
    if !(1..=max).contains(&day) {
        return Err(format!("дня {day} в этом месяце нет"));
    }
    Ok(())
}

/// Parses one phrase. The error carries the verbatim text and why it could not be read.
pub fn parse(text: &str) -> Result<Schedule, Unparsed> {
    let fail = |reason: String| Unparsed { text: text.to_string(), reason };
    if text.chars().count() > MAX_LEN {
        return Err(fail(format!("длиннее {MAX_LEN} символов — это не срок")));
    }
    let s = normalize(text);
    if s.is_empty() {
        return Err(fail("срок не указан".into()));
    }
    parse_normalized(&s).map_err(fail)
}

fn parse_normalized(s: &str) -> Result<Schedule, String> {
    if let Some((first, then)) = s.split_once(", далее ").or_else(|| s.split_once(" далее ")) {
        let first = parse_normalized(first.trim())?;
        let then = parse_normalized(then.trim())?;
        return Ok(Schedule::Then { first: Box::new(first), then: Box::new(then) });
    }
    if s == "исполнено" || s == "выполнено" {
        return Ok(Schedule::Done);
    }
    if s == "в течение года" || s == "в течение всего периода" {
        return Ok(Schedule::Continuous);
    }
    for prefix in ["постоянно", "на постоянной основе"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            let rest = rest.trim().trim_start_matches(',').trim();
            if rest.is_empty() {
                return Ok(Schedule::Continuous);
            }
            if rest.starts_with("по мере") {
                return Ok(Schedule::AsNeeded { when: rest.to_string() });
            }
            return Err(format!("после «{prefix}» непонятное уточнение «{rest}»"));
        }
    }
    if s.starts_with("по мере") {
        return Ok(Schedule::AsNeeded { when: s.to_string() });
    }
    if let Some(what) =
        s.strip_prefix("в соответствии со сроками ").or_else(|| s.strip_prefix("в соответствии с графиком "))
    {
        return Ok(Schedule::ExternalTimetable { what: what.trim().to_string() });
    }
    if let Some(c) = AFTER_EVENT.captures(s) {
        let amount: u32 = c[1].parse().map_err(|_| format!("«{}» — не число дней", &c[1]))?;
        let unit = if c.get(2).is_some_and(|m| m.as_str().starts_with("рабоч")) {
            Unit::WorkingDays
        } else {
            Unit::CalendarDays
        };
        let term = Term { amount, unit, on_day_off: DayOffPolicy::Preceding, counts_start_day: false };
        return Ok(Schedule::AfterEvent { term, event: c[3].trim().to_string() });
    }
    // "В сроки, определенные …, но не реже одного раза в квартал (не позднее 25-го …)"
    if s.starts_with("в сроки") {
        if let Some((lead, rule)) = s.split_once(", но ") {
            let mut sched = parse_normalized(rule.trim())?;
            if let Schedule::Recurring(r) = &mut sched {
                r.qualifier = Some(lead.trim().to_string());
            }
            return Ok(sched);
        }
        return Err("сроки определяются где-то ещё, а правило не указано".into());
    }
    // A rule with a more precise one in brackets: "не реже одного раза в квартал (не позднее 25-го …)".
    if let Some((main, inner)) = s.strip_suffix(')').and_then(|x| x.split_once(" (")) {
        let main = parse_normalized(main.trim())?;
        let inner = parse_normalized(inner.trim())?;
        return match (main, inner) {
            (Schedule::Recurring(a), Schedule::Recurring(b)) if a.every == b.every => Ok(Schedule::Recurring(b)),
            _ => Err("уточнение в скобках не согласуется с основным правилом".into()),
        };
    }
    if let Some(rest) = s.strip_prefix("ежегодно") {
        return yearly(rest.trim().trim_start_matches(',').trim());
    }
    if let Some(rest) = s.strip_prefix("ежеквартально") {
        return periodic(Frequency::Quarterly, rest.trim().trim_start_matches(',').trim());
    }
    if let Some(rest) = s.strip_prefix("ежемесячно") {
        return periodic(Frequency::Monthly, rest.trim().trim_start_matches(',').trim());
    }
    if let Some(c) = NTH_OF_LAST_MONTH.captures(s) {
        let day: i8 = c[1].parse().map_err(|_| "не число".to_string())?;
        valid_day(day, 1)?;
        let every = match &c[2] {
            "квартала" => Frequency::Quarterly,
            "полугодия" => Frequency::HalfYearly,
            _ => Frequency::Yearly,
        };
        return Ok(Schedule::Recurring(Recurrence { every, due: DueRule::LastMonth { day }, qualifier: None }));
    }
    if let Some(c) = AT_LEAST_ONCE.captures(s) {
        let every = match &c[1] {
            "месяц" => Frequency::Monthly,
            "квартал" => Frequency::Quarterly,
            "полугодие" => Frequency::HalfYearly,
            _ => Frequency::Yearly,
        };
        return Ok(Schedule::Recurring(Recurrence { every, due: DueRule::EndOfPeriod, qualifier: None }));
    }
    if let Some(c) = TIMES_PER_YEAR.captures(s) {
        let n = match &c[1] {
            "один" => 1,
            "два" => 2,
            "три" => 3,
            "четыре" => 4,
            d => d.parse::<u32>().map_err(|_| "не число".to_string())?,
        };
        let every = match n {
            1 => Frequency::Yearly,
            2 => Frequency::HalfYearly,
            4 => Frequency::Quarterly,
            12 => Frequency::Monthly,
            _ => return Err(format!("{n} раз в год не делятся на равные периоды")),
        };
        return Ok(Schedule::Recurring(Recurrence { every, due: DueRule::EndOfPeriod, qualifier: None }));
    }
    // "не позднее 14.05. года, следующего за отчетным" without "ежегодно".
    if let Ok(Schedule::Recurring(r)) = yearly(s)
        && matches!(r.due, DueRule::NextYear { .. })
    {
        return Ok(Schedule::Recurring(r));
    }
    one_off(s).map(|period| Schedule::Once { period })
}

const NEXT_YEAR_TAILS: [&str; 4] = [
    "следующего за отчетным года",
    "года, следующего за отчетным",
    "года следующего за отчетным",
    "следующего за отчетным годом года",
];

fn next_year_tail(tail: Option<&str>) -> Result<bool, String> {
    match tail.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(false),
        Some(t) if NEXT_YEAR_TAILS.contains(&t.trim_end_matches(['.', ','])) => Ok(true),
        Some(t) => Err(format!("непонятное уточнение «{t}»")),
    }
}

fn yearly(rest: &str) -> Result<Schedule, String> {
    let rec = |due| Ok(Schedule::Recurring(Recurrence { every: Frequency::Yearly, due, qualifier: None }));
    if rest.is_empty() {
        return rec(DueRule::EndOfPeriod);
    }
    if let Some(c) = DAY_MONTH.captures(rest) {
        let day: i8 = c[1].parse().map_err(|_| "не число".to_string())?;
        let month = month_gen(&c[2]).ok_or_else(|| format!("«{}» — не месяц", &c[2]))?;
        valid_day(day, month)?;
        return if next_year_tail(c.get(3).map(|m| m.as_str()))? {
            rec(DueRule::NextYear { day, month })
        } else {
            rec(DueRule::SameYear { day, month })
        };
    }
    if let Some(c) = DOTTED_DAY_MONTH.captures(rest) {
        let day: i8 = c[1].parse().map_err(|_| "не число".to_string())?;
        let month: i8 = c[2].parse().map_err(|_| "не число".to_string())?;
        valid_day(day, month)?;
        return if next_year_tail(c.get(3).map(|m| m.as_str()))? {
            rec(DueRule::NextYear { day, month })
        } else {
            rec(DueRule::SameYear { day, month })
        };
    }
    if rest.starts_with("с учетом") || rest.starts_with("в соответствии") || rest.starts_with("в сроки")
    {
        return Ok(Schedule::Recurring(Recurrence {
            every: Frequency::Yearly,
            due: DueRule::EndOfPeriod,
            qualifier: Some(rest.to_string()),
        }));
    }
    Err(format!("после «ежегодно» непонятное уточнение «{rest}»"))
}

fn periodic(every: Frequency, rest: &str) -> Result<Schedule, String> {
    if rest.is_empty() {
        return Ok(Schedule::Recurring(Recurrence { every, due: DueRule::EndOfPeriod, qualifier: None }));
    }
    if let Some(c) = NTH_OF_NEXT_MONTH.captures(rest) {
        let day: i8 = c[1].parse().map_err(|_| "не число".to_string())?;
        valid_day(day, 1)?;
        return Ok(Schedule::Recurring(Recurrence { every, due: DueRule::NextMonth { day }, qualifier: None }));
    }
    if let Some(c) = NTH_OF_LAST_MONTH.captures(rest) {
        let day: i8 = c[1].parse().map_err(|_| "не число".to_string())?;
        valid_day(day, 1)?;
        return Ok(Schedule::Recurring(Recurrence { every, due: DueRule::LastMonth { day }, qualifier: None }));
    }
    Err(format!("непонятное уточнение периодичности «{rest}»"))
}

fn one_off(s: &str) -> Result<Period, String> {
    if let Some(c) = YEAR_ONLY.captures(s) {
        return Ok(Period::Year { year: year(&c[1])? });
    }
    if let Some(c) = YEARS.captures(s) {
        let (from, to) = (year(&c[1])?, year(&c[2])?);
        if from > to {
            return Err(format!("диапазон {from}-{to} идёт назад"));
        }
        return Ok(Period::Years { from, to });
    }
    if let Some(c) = HALF.captures(s) {
        // "Полугодие 2017" without a number is read as the first half-year, as the documents use it.
        let half = match c.get(1) {
            Some(m) => roman_or_digit(m.as_str())
                .filter(|h| *h <= 2)
                .ok_or_else(|| format!("полугодия «{}» нет", m.as_str()))?,
            None => 1,
        };
        return Ok(Period::Half { year: year(&c[2])?, half });
    }
    if let Some(c) = QUARTER.captures(s) {
        let quarter = roman_or_digit(&c[1]).ok_or_else(|| format!("квартала «{}» нет", &c[1]))?;
        return Ok(Period::Quarter { year: year(&c[2])?, quarter });
    }
    if let Some(c) = DATE.captures(s) {
        let (d, m, y) = (&c[1], &c[2], &c[3]);
        let date =
            jiff::civil::Date::new(year(y)?, m.parse().map_err(|_| "не месяц")?, d.parse().map_err(|_| "не день")?)
                .map_err(|_| format!("даты {d}.{m}.{y} нет"))?;
        return Ok(Period::Day { date });
    }
    if let Some(c) = MONTH.captures(s)
        && let Some(month) = month_nom(&c[1])
    {
        return Ok(Period::Month { year: year(&c[2])?, month });
    }
    Err("не похоже ни на дату, ни на период, ни на периодичность".into())
}
