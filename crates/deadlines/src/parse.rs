//! The reader of Russian deadline phrases ("I полугодие 2017, далее ежегодно до 1 февраля
//! следующего за отчетным года") as a grammar over tokens: the phrase is normalised (case, «ё»,
//! dashes, line breaks and hyphenation artefacts inside a table cell), cut into words, numbers,
//! dates and punctuation, and read by a small recursive-descent grammar of dates, periods,
//! periodicities, anchors and offsets and their combinations («X, далее Y», «;», «и», «в том
//! числе»). What it cannot read it returns as `Unparsed`, with the verbatim text and the words it
//! could not place — it never guesses.

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

/// What the phrase's document tells about it: «в течение года» in a plan means the plan's year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Context {
    pub year: Option<i16>,
}

/// Words the reader knows; two fragments of a word broken by a hyphenation artefact
/// ("ежекварталь но") are joined when together they make one of these.
const VOCABULARY: &[&str] = &[
    "ежеквартально",
    "ежегодно",
    "ежемесячно",
    "ежеполугодно",
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

const MONTHS_PREP: [&str; 12] = [
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
];

/// A letter of a folded phrase: Latin or Cyrillic (the table lookup `char::is_alphabetic` does
/// for Cyrillic was a third of the reader's time; other scripts are not deadline words).
fn letter(c: char) -> bool {
    c.is_ascii_alphabetic() || ('а'..='я').contains(&c) || ('А'..='Я').contains(&c) || c == 'ё' || c == 'Ё'
}

/// Lower case, «ё» as «е», every dash as "-", a no-break space as a space; Cyrillic and ASCII
/// folded directly, anything else through the Unicode tables.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'А'..='Я' => out.push(char::from_u32(c as u32 + 32).unwrap_or(c)),
            'Ё' | 'ё' => out.push('е'),
            '–' | '—' | '‑' | '−' => out.push('-'),
            '\u{a0}' => out.push(' '),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            'а'..='я' => out.push(c),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn normalize(text: &str) -> String {
    let lower = fold(text);
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut out = String::with_capacity(lower.len());
    let mut push = |w: &str, next: Option<&str>| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        if let Some(n) = next {
            out.push_str(n);
        }
    };
    let mut i = 0;
    while i < words.len() {
        let (w, next) = (words[i], words.get(i + 1).copied());
        if let Some(n) = next {
            // A word broken at the end of a line: "соответствую- щего".
            if w.len() > 2
                && w.ends_with('-')
                && w.chars().rev().nth(1).is_some_and(letter)
                && n.chars().next().is_some_and(letter)
            {
                push(w.trim_end_matches('-'), Some(n));
                i += 2;
                continue;
            }
            // A hyphenation artefact ("ежекварталь но"): only a fragment that begins a known
            // word can be half of one.
            if !VOCABULARY.contains(&w)
                && VOCABULARY.iter().any(|v| {
                    v.len() > w.len() && v.starts_with(w) && v[w.len()..] == *n.trim_end_matches([',', '.', ';'])
                })
            {
                push(w, Some(n));
                i += 2;
                continue;
            }
        }
        push(w, None);
        i += 1;
    }
    out.trim_end_matches(['.', ',', ';', ' ']).trim().to_string()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok<'a> {
    Word(&'a str),
    /// A number with its written suffix dropped ("25-го", "3-х", "30-ти").
    Num(u32),
    /// "14.05.2019", "14.05." or "14.05".
    Date {
        day: u32,
        month: u32,
        year: Option<u32>,
        /// As written ("2.9.", "14.05"): what an event's words keep.
        raw: &'a str,
    },
    Punct(char),
    /// An hour of the day, "12.00" or "9:30".
    Time(&'a str),
}

impl Tok<'_> {
    fn text(&self) -> String {
        match self {
            Tok::Word(w) => (*w).to_string(),
            Tok::Num(n) => n.to_string(),
            Tok::Date { raw, .. } => (*raw).to_string(),
            Tok::Punct(c) => c.to_string(),
            Tok::Time(raw) => (*raw).to_string(),
        }
    }
}

fn digits(chars: &[char], i: &mut usize) -> Option<u32> {
    let start = *i;
    while *i < chars.len() && chars[*i].is_ascii_digit() && *i - start < 9 {
        *i += 1;
    }
    if *i == start {
        return None;
    }
    chars[start..*i].iter().collect::<String>().parse().ok()
}

fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let at: Vec<(usize, char)> = s.char_indices().collect();
    let chars: Vec<char> = at.iter().map(|(_, c)| *c).collect();
    let slice = |from: usize, to: usize| {
        let end = at.get(to).map_or(s.len(), |(b, _)| *b);
        &s[at[from].0..end]
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            let Some(n) = digits(&chars, &mut i) else { break };
            // A date: digits '.' digits ['.' [digits]]
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                let mut j = i + 1;
                let month = digits(&chars, &mut j).filter(|m| (1..=12).contains(m));
                if let Some(month) = month {
                    let mut year = None;
                    if j < chars.len() && chars[j] == '.' {
                        j += 1;
                        let mut k = j;
                        if let Some(y) = digits(&chars, &mut k)
                            && k - j == 4
                        {
                            year = Some(y);
                            j = k;
                        }
                    }
                    out.push(Tok::Date { day: n, month, year, raw: slice(start, j) });
                    i = j;
                    continue;
                }
            }
            // An hour: "12.00", "9:30" (two digits of minutes, not a month).
            if n <= 23 && i + 2 < chars.len() && matches!(chars[i], '.' | ':') {
                let mut j = i + 1;
                if digits(&chars, &mut j).is_some_and(|m| m <= 59) && j - (i + 1) == 2 {
                    out.push(Tok::Time(slice(start, j)));
                    i = j;
                    continue;
                }
            }
            // A written suffix: "25-го", "3-х", "1-е", "2-й" (a year range "2019-2021" is not one).
            if i + 1 < chars.len() && chars[i] == '-' && letter(chars[i + 1]) {
                let mut j = i + 1;
                while j < chars.len() && letter(chars[j]) {
                    j += 1;
                }
                if j - (i + 1) <= 3 {
                    i = j;
                }
            } else if i < chars.len() && letter(chars[i]) {
                // "3х" and the like: letters glued to a number.
                let mut j = i;
                while j < chars.len() && letter(chars[j]) {
                    j += 1;
                }
                if matches!(slice(i, j), "х" | "го" | "ти" | "ми" | "и" | "е" | "й") {
                    i = j;
                }
            }
            out.push(Tok::Num(n));
        } else if letter(c) {
            let start = i;
            while i < chars.len()
                && (letter(chars[i]) || (chars[i] == '-' && i + 1 < chars.len() && letter(chars[i + 1]) && i > start))
            {
                i += 1;
            }
            out.push(Tok::Word(slice(start, i)));
        } else {
            if !matches!(c, '.' | '*') {
                out.push(Tok::Punct(c));
            }
            i += 1;
        }
    }
    out
}

/// Parses one phrase with no document around it. The error carries the verbatim text and why it
/// could not be read.
pub fn parse(text: &str) -> Result<Schedule, Unparsed> {
    parse_in(text, Context::default())
}

/// Parses one phrase as written in a document (a plan) whose year is known.
pub fn parse_in(text: &str, ctx: Context) -> Result<Schedule, Unparsed> {
    let fail = |reason: String| Unparsed { text: text.to_string(), reason };
    if text.chars().count() > MAX_LEN {
        return Err(fail(format!("длиннее {MAX_LEN} символов — это не срок")));
    }
    let s = normalize(text);
    if s.is_empty() {
        return Err(fail("срок не указан".into()));
    }
    let toks = tokenize(&s);
    let mut p =
        P { t: toks, pos: 0, furthest: 0, why: None, same_year_said: false, event_period: None, time_said: None, ctx };
    match p.phrase() {
        Ok(sched) if p.at_end() => Ok(sched),
        Ok(_) => Err(fail(p.unplaced())),
        Err(reason) => Err(fail(reason)),
    }
}

type R<T> = Result<T, String>;

struct P<'a> {
    t: Vec<Tok<'a>>,
    pos: usize,
    furthest: usize,
    /// A precise reason found on the way (a day that does not exist), reported over "unplaced words".
    why: Option<String>,
    /// The last day-and-month rule said «текущего года»: a yearly rule without «ежегодно».
    same_year_said: bool,
    /// The rule's reporting period is the one an event falls in ("следующего за годом
    /// предоставления субсидии"): the event's words.
    event_period: Option<String>,
    /// The hour a weekday rule named ("12.00 часов"), kept as its qualifier.
    time_said: Option<String>,
    ctx: Context,
}

/// Numbers written in words, in the cases terms use ("в течение семи дней", "тридцати дней").
const NUMBER_WORDS: [(&[&str], u32); 14] = [
    (&["один", "одного", "одна", "одной"], 1),
    (&["два", "двух"], 2),
    (&["три", "трех"], 3),
    (&["четыре", "четырех"], 4),
    (&["пять", "пяти"], 5),
    (&["шесть", "шести"], 6),
    (&["семь", "семи"], 7),
    (&["десять", "десяти"], 10),
    (&["четырнадцать", "четырнадцати"], 14),
    (&["пятнадцать", "пятнадцати"], 15),
    (&["двадцать", "двадцати"], 20),
    (&["тридцать", "тридцати"], 30),
    (&["сорок", "сорока"], 40),
    (&["шестьдесят", "шестидесяти"], 60),
];

/// Days of a month as ordinal words in the genitive, the first to the twentieth.
const ORDINAL_DAYS: [&str; 20] = [
    "первого",
    "второго",
    "третьего",
    "четвертого",
    "пятого",
    "шестого",
    "седьмого",
    "восьмого",
    "девятого",
    "десятого",
    "одиннадцатого",
    "двенадцатого",
    "тринадцатого",
    "четырнадцатого",
    "пятнадцатого",
    "шестнадцатого",
    "семнадцатого",
    "восемнадцатого",
    "девятнадцатого",
    "двадцатого",
];

const FREQ_WORDS: [(&str, Frequency); 6] = [
    ("еженедельно", Frequency::Weekly),
    ("ежегодно", Frequency::Yearly),
    ("ежеквартально", Frequency::Quarterly),
    ("ежемесячно", Frequency::Monthly),
    ("ежеполугодно", Frequency::HalfYearly),
    ("ежеполугодие", Frequency::HalfYearly),
];

impl<'a> P<'a> {
    fn at_end(&self) -> bool {
        self.pos >= self.t.len()
    }

    fn peek(&self) -> Option<Tok<'a>> {
        self.t.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<Tok<'a>> {
        self.t.get(self.pos + k).copied()
    }

    fn bump(&mut self) {
        self.pos += 1;
        self.furthest = self.furthest.max(self.pos);
    }

    fn word_is(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x == w)
    }

    fn eat(&mut self, w: &str) -> bool {
        if self.word_is(w) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Eats a sequence of words, or nothing.
    fn eat_all(&mut self, ws: &[&str]) -> bool {
        let save = self.pos;
        for w in ws {
            if !self.eat(w) {
                self.pos = save;
                return false;
            }
        }
        true
    }

    fn eat_any(&mut self, ws: &[&str]) -> Option<&'a str> {
        if let Some(Tok::Word(x)) = self.peek()
            && ws.contains(&x)
        {
            self.bump();
            return Some(x);
        }
        None
    }

    fn punct(&mut self, c: char) -> bool {
        if matches!(self.peek(), Some(Tok::Punct(x)) if x == c) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn num(&mut self) -> Option<u32> {
        if let Some(Tok::Num(n)) = self.peek() {
            self.bump();
            return Some(n);
        }
        None
    }

    fn number_word(&mut self) -> Option<u32> {
        if let Some(n) = self.num() {
            // "10 (десяти)": the number said again in words.
            let save = self.pos;
            if !(self.punct('(') && self.word_number().is_some() && self.punct(')')) {
                self.pos = save;
            }
            return Some(n);
        }
        self.word_number()
    }

    /// "пятого (числа)", "двадцатого": the day of a month written as a word.
    fn ordinal_day(&mut self) -> Option<u32> {
        let Some(Tok::Word(w)) = self.peek() else { return None };
        if !matches!(self.peek_at(1), Some(Tok::Word("числа"))) {
            return None;
        }
        let n = ORDINAL_DAYS.iter().position(|d| *d == w)? as u32 + 1;
        self.bump();
        Some(n)
    }

    fn word_number(&mut self) -> Option<u32> {
        let Some(Tok::Word(w)) = self.peek() else { return None };
        let n = NUMBER_WORDS.iter().find(|(forms, _)| forms.contains(&w)).map(|(_, n)| *n)?;
        self.bump();
        Some(n)
    }

    fn note(&mut self, why: String) {
        if self.why.is_none() {
            self.why = Some(why);
        }
    }

    fn unplaced(&self) -> String {
        if let Some(w) = &self.why {
            return w.clone();
        }
        let at = self.furthest.min(self.t.len());
        let rest: Vec<String> = self.t[at..].iter().map(Tok::text).collect();
        if at == 0 {
            return format!("не похоже ни на дату, ни на период, ни на периодичность: «{}»", rest.join(" "));
        }
        if rest.is_empty() {
            return "фраза оборвана".into();
        }
        format!("не удалось понять слова «{}»", rest.join(" "))
    }

    fn try_<T>(&mut self, f: impl FnOnce(&mut P<'a>) -> Option<T>) -> Option<T> {
        let save = self.pos;
        let r = f(self);
        if r.is_none() {
            self.pos = save;
        }
        r
    }

    // phrase := all ( [","] "далее" phrase )?
    fn phrase(&mut self) -> R<Schedule> {
        let first = self.all()?;
        let save = self.pos;
        self.punct(',');
        if self.eat("далее") || self.eat_all(&["с", "последующим"]) {
            self.punct(',');
            let then = self.phrase()?;
            return Ok(Schedule::Then { first: Box::new(first), then: Box::new(then) });
        }
        self.pos = save;
        Ok(first)
    }

    // all := item ( (";" | [","] "и" | [","] "в том числе") item )*
    fn all(&mut self) -> R<Schedule> {
        let mut items = vec![self.item()?];
        loop {
            let save = self.pos;
            let sep = self.punct(';') || {
                let comma = self.punct(',');
                self.eat("и")
                    || self.eat_all(&["в", "том", "числе"])
                    || self.eat_all(&["а", "также"])
                    // "ежеквартально …, ежегодно …": a comma before another periodicity.
                    || (comma && matches!(self.peek(), Some(Tok::Word(w)) if FREQ_WORDS.iter().any(|(f, _)| *f == w)))
                    // "март 2017 года, март 2018 года": a comma before another period.
                    || (comma && self.starts_period())
            };
            if !sep || self.at_end() {
                self.pos = save;
                break;
            }
            match self.item() {
                Ok(s) => items.push(s),
                Err(_) => {
                    self.pos = save;
                    break;
                }
            }
        }
        // "март 2017 года, март 2018 года соответственно": the last word adds nothing.
        if items.len() > 1 {
            self.eat("соответственно");
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Schedule::All { items } })
    }

    /// Whether a period ("март 2018 года", "IV квартал 2019", "25.03.2021") starts here.
    fn starts_period(&mut self) -> bool {
        let save = self.pos;
        let yes = self.period().is_some();
        self.pos = save;
        yes
    }

    fn item(&mut self) -> R<Schedule> {
        let start = self.pos;
        let parsers: [fn(&mut P<'a>) -> Option<Schedule>; 10] = [
            P::done,
            P::continuous,
            P::as_needed,
            P::external,
            P::recurring,
            P::at_least,
            P::after_event,
            P::within,
            P::implied_recurring,
            P::one_off,
        ];
        for f in parsers {
            self.pos = start;
            if let Some(s) = f(self) {
                return Ok(self.refined(s));
            }
        }
        self.pos = start;
        Err(self.unplaced())
    }

    /// A rule with a more precise one in brackets: "не реже одного раза в квартал (не позднее
    /// 25-го числа последнего месяца квартала)" is the bracketed rule.
    fn refined(&mut self, main: Schedule) -> Schedule {
        let save = self.pos;
        if let Schedule::Recurring(a) = &main
            && self.punct('(')
            && let Ok(Schedule::Recurring(mut b)) = self.item()
            && self.punct(')')
            && a.every == b.every
        {
            b.qualifier = b.qualifier.or_else(|| a.qualifier.clone());
            return Schedule::Recurring(b);
        }
        self.pos = save;
        main
    }

    /// Everything up to the end of the clause: the end, ";" or ", далее".
    fn rest_of_clause(&mut self) -> String {
        let mut words = Vec::new();
        while let Some(t) = self.peek() {
            if matches!(t, Tok::Punct(';')) || matches!(t, Tok::Word(w) if w == "далее") {
                break;
            }
            if matches!(t, Tok::Punct(',')) && matches!(self.peek_at(1), Some(Tok::Word(w)) if w == "далее") {
                break;
            }
            words.push(t);
            self.bump();
        }
        join(&words)
    }

    fn done(&mut self) -> Option<Schedule> {
        self.eat_any(&["исполнено", "выполнено"]).map(|_| Schedule::Done)
    }

    fn continuous(&mut self) -> Option<Schedule> {
        let ok = self.eat("постоянно")
            || self.eat_all(&["на", "постоянной", "основе"])
            || self.eat_all(&["поддерживается", "в", "актуальном", "состоянии"])
            || self.eat_all(&["поддерживаются", "в", "актуальном", "состоянии"])
            || self.eat_all(&["в", "течение", "всего", "периода"])
            || self.eat_all(&["в", "течение", "срока", "действия", "плана"])
            || self.eat_all(&["в", "течение", "срока", "реализации", "плана"]);
        if !ok {
            return None;
        }
        let save = self.pos;
        self.punct(',');
        if self.word_is("по") && matches!(self.peek_at(1), Some(Tok::Word(w)) if w == "мере") {
            let when = self.rest_of_clause();
            return Some(Schedule::AsNeeded { when });
        }
        self.pos = save;
        Some(Schedule::Continuous)
    }

    fn as_needed(&mut self) -> Option<Schedule> {
        if !(self.word_is("по") && matches!(self.peek_at(1), Some(Tok::Word(w)) if w == "мере")) {
            return None;
        }
        // "по мере необходимости, но не реже одного раза в квартал": the minimum is the schedule.
        let start = self.pos;
        while let Some(t) = self.peek() {
            if matches!(t, Tok::Punct(',')) && matches!(self.peek_at(1), Some(Tok::Word("но"))) {
                let when = join(&self.t[start..self.pos]);
                let save = self.pos;
                self.bump();
                self.bump();
                if let Some(Schedule::Recurring(mut r)) = self.at_least() {
                    r.qualifier = Some(when);
                    return Some(Schedule::Recurring(r));
                }
                self.pos = save;
                break;
            }
            if matches!(t, Tok::Punct(';')) {
                break;
            }
            self.bump();
        }
        self.pos = start;
        let when = self.rest_of_clause();
        Some(Schedule::AsNeeded { when })
    }

    fn external(&mut self) -> Option<Schedule> {
        let save = self.pos;
        if self.eat_all(&["в", "соответствии", "со", "сроками"])
            || self.eat_all(&["в", "соответствии", "с", "графиком"])
        {
            let what = self.rest_of_clause();
            if what.is_empty() {
                return None;
            }
            return Some(Schedule::ExternalTimetable { what });
        }
        self.pos = save;
        // "В сроки, определенные …, но не реже одного раза в квартал (…)"
        let lead_start = self.pos;
        // "в сроки, определенные …", "в установленные им сроки", "в сроки, установленные …"
        let in_terms = self.word_is("в")
            && self.t[self.pos..].iter().take(5).any(|t| matches!(t, Tok::Word("сроки" | "срок")))
            && self.t[self.pos..].windows(2).any(|w| matches!(w, [Tok::Punct(','), Tok::Word("но")]));
        if in_terms {
            while let Some(t) = self.peek() {
                if matches!(t, Tok::Punct(',')) && matches!(self.peek_at(1), Some(Tok::Word(w)) if w == "но") {
                    let lead = join(&self.t[lead_start..self.pos]);
                    self.bump();
                    self.bump();
                    let mut sched =
                        self.recurring().or_else(|| self.at_least()).or_else(|| self.implied_recurring())?;
                    if let Schedule::Recurring(r) = &mut sched {
                        r.qualifier = Some(lead.trim().trim_end_matches(',').to_string());
                    }
                    return Some(sched);
                }
                // Scanning for ", но" is no progress in reading.
                self.pos += 1;
            }
        }
        None
    }

    fn freq_word(&mut self) -> Option<Frequency> {
        for (w, f) in FREQ_WORDS {
            if self.eat(w) {
                return Some(f);
            }
        }
        // "раз в полугодие" as the renderer writes it, "один раз в квартал".
        self.try_(|p| {
            p.eat_any(&["один", "1"]);
            if !p.eat("раз") || !p.eat("в") {
                return None;
            }
            p.period_unit()
        })
    }

    /// "месяц", "квартал", "полугодие", "год" in the cases a period is named in.
    fn period_unit(&mut self) -> Option<Frequency> {
        let w = self.eat_any(&[
            "неделя",
            "неделю",
            "недели",
            "месяц",
            "месяца",
            "месяцем",
            "квартал",
            "квартала",
            "кварталом",
            "полугодие",
            "полугодия",
            "полугодием",
            "год",
            "года",
            "годом",
        ])?;
        Some(if w.starts_with("недел") {
            Frequency::Weekly
        } else if w.starts_with("месяц") {
            Frequency::Monthly
        } else if w.starts_with("квартал") {
            Frequency::Quarterly
        } else if w.starts_with("полугоди") {
            Frequency::HalfYearly
        } else {
            Frequency::Yearly
        })
    }

    /// "до", "не позднее", "в срок до", "в срок не позднее", "не позже", "срок -".
    fn by(&mut self) -> bool {
        self.eat_all(&["в", "срок"]);
        self.eat("до") || self.eat_all(&["не", "позднее"]) || self.eat_all(&["не", "позже"])
    }

    // recurring := FREQ [","] [due] [qualifier]
    fn recurring(&mut self) -> Option<Schedule> {
        let every = self.freq_word()?;
        let save = self.pos;
        self.punct(',');
        if self.at_end() || self.clause_ends() {
            self.pos = save;
            return Some(rec(every, DueRule::EndOfPeriod, None));
        }
        if let Some(q) = self.qualifier_words() {
            return Some(rec(every, DueRule::EndOfPeriod, Some(q)));
        }
        self.event_period = None;
        self.time_said = None;
        let due = self.due_rule(every)?;
        if !yearly_rule_fits(every, due) {
            self.note(format!("день года для периодичности «{}»: срок за другие периоды не назван", unit_ru(every)));
            return None;
        }
        let qualifier = self.qualifier_after_rule();
        let s = rec(every, due, qualifier);
        Some(self.anchored(s, true))
    }

    fn clause_ends(&self) -> bool {
        match self.peek() {
            None => true,
            Some(Tok::Punct(';')) => true,
            Some(Tok::Word(w)) if w == "далее" || w == "и" => true,
            Some(Tok::Punct(',')) => {
                matches!(self.peek_at(1), Some(Tok::Word(w)) if w == "далее" || w == "и" || w == "в" || w == "а")
            }
            _ => false,
        }
    }

    /// Words that qualify a periodicity but do not move its dates ("с учетом сроков …").
    fn qualifier_words(&mut self) -> Option<String> {
        if self.word_is("с") && matches!(self.peek_at(1), Some(Tok::Word(w)) if w == "учетом")
            || self.word_is("в") && matches!(self.peek_at(1), Some(Tok::Word(w)) if w == "соответствии" || w == "сроки")
        {
            return Some(self.rest_of_clause());
        }
        None
    }

    /// What qualifies a rule read: "(с учетом …)", the hour a weekday rule named, or the event a
    /// duty lasts until (", до момента использования субсидии в полном объеме"): words the dates
    /// do not move with.
    fn qualifier_after_rule(&mut self) -> Option<String> {
        if let Some(q) = self.trailing_qualifier() {
            return Some(q);
        }
        if let Some(t) = self.time_said.take() {
            return Some(t);
        }
        self.try_(|p| {
            p.punct(',').then_some(())?;
            (p.word_is("до") && matches!(p.peek_at(1), Some(Tok::Word("момента")))).then_some(())?;
            let q = p.rest_of_clause();
            (q.split_whitespace().count() >= 3).then_some(q)
        })
    }

    /// "(с учетом …)" after a rule, as the renderer writes a qualifier.
    fn trailing_qualifier(&mut self) -> Option<String> {
        let save = self.pos;
        if self.punct('(') {
            let start = self.pos;
            let mut depth = 1;
            while let Some(t) = self.peek() {
                match t {
                    Tok::Punct('(') => depth += 1,
                    Tok::Punct(')') => {
                        depth -= 1;
                        if depth == 0 {
                            let q = join(&self.t[start..self.pos]);
                            self.bump();
                            if self.at_end() || self.clause_ends() {
                                return Some(q);
                            }
                            break;
                        }
                    }
                    _ => {}
                }
                self.bump();
            }
        }
        self.pos = save;
        None
    }

    /// The words after "следующего за": "отчетным [кварталом|годом|…]" or "отчетным периодом".
    fn after_reporting(&mut self) -> Option<Option<Frequency>> {
        // "следующего за последним месяцем отчетного квартала"
        if self.eat_all(&["последним", "месяцем", "отчетного"]) {
            return Some(self.period_unit().or_else(|| self.eat("периода").then_some(Frequency::Monthly)));
        }
        if !self.eat("отчетным") {
            return self.event_anchor().map(Some);
        }
        self.eat("финансовым");
        if self.eat("периодом") {
            return Some(None);
        }
        Some(self.period_unit())
    }

    /// "годом предоставления субсидии", "кварталом, в котором была получена субсидия": the
    /// period an event falls in, the event's words kept to the end of the clause.
    fn event_anchor(&mut self) -> Option<Frequency> {
        let unit = match self.eat_any(&["годом", "кварталом", "полугодием", "месяцем"])?
        {
            "годом" => Frequency::Yearly,
            "кварталом" => Frequency::Quarterly,
            "полугодием" => Frequency::HalfYearly,
            _ => Frequency::Monthly,
        };
        self.event_words()?;
        Some(unit)
    }

    /// ", в котором была получена субсидия" or "предоставления субсидии" to the end of the clause.
    fn event_words(&mut self) -> Option<()> {
        let save = self.pos;
        self.punct(',');
        let relative = self.word_is("в") && matches!(self.peek_at(1), Some(Tok::Word("котором")));
        if !relative {
            self.pos = save;
            // An event named by a verbal noun: "предоставления", "получения".
            if !matches!(self.peek(), Some(Tok::Word(w)) if w.ends_with("ния")) {
                return None;
            }
        }
        let event = self.rest_of_clause();
        (event.split_whitespace().count() >= 2).then_some(())?;
        self.event_period = Some(event);
        Some(())
    }

    /// A rule read with an event's period ([`P::event_anchor`]) is that period's, once or
    /// (`repeats`) from it on; the renderer's forms: ", начиная с периода …", ", только за период …".
    fn anchored(&mut self, s: Schedule, mut repeats: bool) -> Schedule {
        if self.event_period.is_none() {
            let tail = self.try_(|p| {
                p.punct(',').then_some(())?;
                let repeats = if p.eat_all(&["начиная", "с", "периода"]) {
                    true
                } else {
                    p.eat_all(&["только", "за", "период"]).then_some(false)?
                };
                p.event_words()?;
                Some(repeats)
            });
            match tail {
                Some(r) => repeats = r,
                None => return s,
            }
        }
        match (self.event_period.take(), s) {
            (Some(event), Schedule::Recurring(rule)) => Schedule::FromEvent { rule, repeats, event },
            (_, s) => s,
        }
    }

    fn due_rule(&mut self, every: Frequency) -> Option<DueRule> {
        // The renderer's forms.
        if let Some(r) = self.try_(|p| {
            p.eat_all(&["до", "конца", "каждого", "периода"]).then_some(())?;
            p.unit_in_brackets(every)?;
            Some(DueRule::EndOfPeriod)
        }) {
            return Some(r);
        }
        // "в течение [первых] 10 рабочих дней месяца (года), следующего за отчетным"
        if let Some(r) = self.try_(|p| {
            p.eat_all(&["в", "течение"]).then_some(())?;
            p.eat("первых");
            let n = p.number_word()?;
            p.eat_all(&["рабочих", "дней"]).then_some(())?;
            p.eat_any(&["месяца", "года"])?;
            p.punct(',');
            p.eat("следующего").then_some(())?;
            p.eat("за").then_some(())?;
            p.after_reporting()?;
            (1..=23).contains(&n).then_some(DueRule::NextMonthWorking { day: n as i8 })
        }) {
            return Some(r);
        }
        let by = self.by();
        // "не позднее чем за 20 дней до истечения текущего квартала", "за месяц до окончания
        // текущего года"
        if let Some(r) = self.try_(|p| {
            if by {
                p.eat("чем").then_some(())?;
            }
            p.eat("за").then_some(())?;
            let n = p.number_word();
            if p.eat_any(&["месяц", "месяца", "месяцев"]).is_some() {
                let months = n.unwrap_or(1);
                p.eat("до").then_some(())?;
                p.eat_any(&["истечения", "окончания"])?;
                p.eat_any(&["текущего", "отчетного", "каждого"]);
                if p.eat("периода") {
                    p.unit_in_brackets(every)?;
                } else {
                    p.period_unit()?;
                }
                return (1..=11).contains(&months).then_some(DueRule::MonthsBeforePeriodEnd { months });
            }
            let days = n?;
            p.eat("календарных");
            p.eat_any(&["дней", "дня", "день"])?;
            p.eat("до").then_some(())?;
            // "до начала очередного квартала": before the period the duty is for begins.
            let start = p.eat("начала");
            if !start {
                p.eat_any(&["истечения", "окончания"])?;
            }
            p.eat_any(&["текущего", "отчетного", "каждого", "очередного", "следующего", "планируемого"]);
            if p.eat("периода") {
                p.unit_in_brackets(every)?;
            } else {
                p.period_unit()?;
            }
            (1..=366).contains(&days).then_some(if start {
                DueRule::BeforePeriodStart { days: days as i16 }
            } else {
                DueRule::BeforePeriodEnd { days: days as i16 }
            })
        }) {
            return Some(r);
        }
        if !by {
            return None;
        }
        // "не позднее 12.00 часов среды текущей недели": a day of the week, its hour kept as words.
        if let Some(r) = self.try_(|p| {
            let time = p.try_(|p| {
                let start = p.pos;
                match p.peek() {
                    Some(Tok::Time(_) | Tok::Num(0..=23)) => p.bump(),
                    _ => return None,
                }
                p.eat_any(&["часов", "час", "часа"])?;
                Some(join(&p.t[start..p.pos]))
            });
            let Some(Tok::Word(w)) = p.peek() else { return None };
            let day = crate::schedule::WEEKDAYS_GEN.iter().position(|d| *d == w)? as i8 + 1;
            p.bump();
            p.eat_any(&["текущей", "каждой"]);
            p.eat("недели").then_some(())?;
            p.time_said = time;
            Some(DueRule::Weekday { day })
        }) {
            return Some(r);
        }
        // "до конца квартала"
        if let Some(r) = self.try_(|p| {
            p.eat("конца").then_some(())?;
            p.eat_any(&["отчетного", "каждого"]);
            (p.period_unit().is_some() || p.eat("периода")).then_some(DueRule::EndOfPeriod)
        }) {
            return Some(r);
        }
        // "не позднее пятого числа месяца": the day as an ordinal word.
        let n = self.num().or_else(|| self.ordinal_day());
        match n {
            Some(day) => self.due_after_number(day, every),
            None => {
                // "14.05 года, следующего за отчетным", "01.02"
                if let Some(Tok::Date { day, month, year: None, .. }) = self.peek() {
                    self.bump();
                    return self.day_month_rule(day, month);
                }
                None
            }
        }
    }

    fn unit_in_brackets(&mut self, every: Frequency) -> Option<()> {
        if !self.punct('(') {
            return Some(());
        }
        let u = self.period_unit()?;
        (u == every && self.punct(')')).then_some(())
    }

    fn due_after_number(&mut self, n: u32, every: Frequency) -> Option<DueRule> {
        // N числа …
        if self.eat("числа") {
            let day = self.day_of_month(n)?;
            return self
                .try_(|p| {
                    // "20 числа текущего месяца": the period's own month, for a monthly duty.
                    if p.eat_all(&["текущего", "месяца"]) {
                        return Some(DueRule::LastMonth { day });
                    }
                    p.eat("последнего").then_some(())?;
                    p.eat("месяца").then_some(())?;
                    // "последнего месяца квартала", or "последнего месяца" of the named periodicity.
                    if p.period_unit().is_none() && !(p.at_end() || p.clause_ends()) {
                        return None;
                    }
                    Some(DueRule::LastMonth { day })
                })
                .or_else(|| {
                    self.try_(|p| {
                        // "месяца, следующего за отчетным [X]", "следующего месяца [, за отчетным]",
                        // "месяца, следующего за отчётным периодом (квартал)"
                        if p.eat("следующего") {
                            p.eat("месяца").then_some(())?;
                            let save = p.pos;
                            p.punct(',');
                            if !(p.eat("за") && p.eat("отчетным")) {
                                p.pos = save;
                            }
                        } else {
                            p.eat("месяца").then_some(())?;
                            p.punct(',');
                            p.eat_any(&["следующего", "следующим"])?;
                            p.eat("за").then_some(())?;
                            p.after_reporting()?;
                            p.unit_in_brackets(every)?;
                        }
                        Some(DueRule::NextMonth { day })
                    })
                })
                .or_else(|| {
                    // "1 числа третьего месяца квартала, следующего за отчетным кварталом"
                    self.try_(|p| {
                        p.eat_all(&["третьего", "месяца"]).then_some(())?;
                        p.eat("квартала");
                        p.punct(',');
                        p.eat("следующего").then_some(())?;
                        p.eat("за").then_some(())?;
                        p.after_reporting()?;
                        p.unit_in_brackets(every)?;
                        Some(DueRule::ThirdMonth { day })
                    })
                })
                .or_else(|| {
                    // "15 числа второго месяца, следующего за отчетным кварталом"
                    self.try_(|p| {
                        p.eat_all(&["второго", "месяца"]).then_some(())?;
                        p.punct(',');
                        p.eat("следующего").then_some(())?;
                        p.eat("за").then_some(())?;
                        p.after_reporting()?;
                        p.unit_in_brackets(every)?;
                        Some(DueRule::SecondMonth { day })
                    })
                })
                .or_else(|| {
                    self.try_(|p| {
                        p.eat_all(&["последнего", "месяца", "периода"]).then_some(())?;
                        p.unit_in_brackets(every)?;
                        Some(DueRule::LastMonth { day })
                    })
                });
        }
        // N-го рабочего дня месяца, следующего за отчетным
        if self.eat_all(&["рабочего", "дня"]) {
            if n == 0 || n > 23 {
                self.note(format!("{n}-го рабочего дня в месяце нет"));
                return None;
            }
            self.eat("месяца").then_some(())?;
            self.punct(',');
            self.eat("следующего").then_some(())?;
            self.eat("за").then_some(())?;
            self.after_reporting()?;
            self.unit_in_brackets(every)?;
            return Some(DueRule::NextMonthWorking { day: n as i8 });
        }
        // N [календарных|рабочих] дней после (даты) окончания отчетного X
        if let Some(term) = self.try_(|p| {
            let unit = p.day_unit()?;
            p.eat_any(&["дней", "дня", "день"])?;
            p.punct(',');
            let ok = p.eat_all(&["после", "даты", "окончания"])
                || p.eat_all(&["после", "окончания"])
                || p.eat_all(&["со", "дня", "окончания"])
                || p.eat_all(&["с", "даты", "окончания"])
                || p.eat_all(&["с", "окончания"])
                || p.eat_all(&["по", "окончании"]);
            ok.then_some(())?;
            p.eat_any(&["отчетного", "каждого"]);
            (p.period_unit().is_some() || p.eat("периода")).then_some(())?;
            Some(Term { amount: n, unit, on_day_off: DayOffPolicy::Preceding, counts_start_day: false })
        }) {
            return Some(DueRule::AfterPeriodEnd { term });
        }
        // N <month> [года, следующего за отчетным] | N <month> — за предыдущий год
        let month = self.month_gen()?;
        self.day_month_rule(n, month as u32)
    }

    fn day_unit(&mut self) -> Option<Unit> {
        match self.eat_any(&["календарных", "календарного", "рабочих", "рабочего"])
        {
            Some(w) if w.starts_with("рабоч") => Some(Unit::WorkingDays),
            _ => Some(Unit::CalendarDays),
        }
    }

    fn day_of_month(&mut self, n: u32) -> Option<i8> {
        if !(1..=31).contains(&n) {
            self.note(format!("дня {n} в месяце нет"));
            return None;
        }
        Some(n as i8)
    }

    fn day_month_rule(&mut self, day: u32, month: u32) -> Option<DueRule> {
        if !(1..=12).contains(&month) {
            self.note(format!("месяца {month} нет"));
            return None;
        }
        let (day, month) = (day as i8, month as i8);
        if let Err(e) = valid_day(day, month) {
            self.note(e);
            return None;
        }
        if self.next_year_tail() {
            return Some(DueRule::NextYear { day, month });
        }
        // "до 1 ноября текущего года": said to be within the year, so a yearly rule.
        if self.eat_all(&["текущего", "года"])
            || self.eat_all(&["текущего", "финансового", "года"])
            || self.eat_all(&["отчетного", "года"])
            // "не позднее 15 ноября предшествующему очередному финансовому году": the current year.
            || self.eat_all(&["предшествующему", "очередному", "финансовому", "году"])
            || self.eat_all(&["предшествующего", "очередному", "финансовому", "году"])
        {
            self.same_year_said = true;
        }
        Some(DueRule::SameYear { day, month })
    }

    /// "года, следующего за отчетным [годом]", "следующего за отчетным года", "следующего за
    /// отчетным годом года", "— за предыдущий год", "следующего года".
    fn next_year_tail(&mut self) -> bool {
        let r = self.try_(|p| {
            if p.eat_all(&["очередного", "финансового", "года"]) {
                return Some(());
            }
            if p.punct('-') {
                return p.eat_all(&["за", "предыдущий", "год"]).then_some(());
            }
            p.eat("финансового");
            if p.eat("года") {
                p.punct(',');
                p.eat_any(&["следующего", "следующим"])?;
                p.eat("за").then_some(())?;
                if !p.eat("отчетным") {
                    return (p.event_anchor()? == Frequency::Yearly).then_some(());
                }
                p.eat("финансовым");
                p.eat_any(&["годом", "периодом"]);
                return Some(());
            }
            if p.eat("следующего") {
                if p.eat("года") {
                    return Some(());
                }
                p.eat("за").then_some(())?;
                p.eat("отчетным").then_some(())?;
                p.eat("годом");
                return p.eat("года").then_some(());
            }
            None
        });
        r.is_some()
    }

    fn month_gen(&mut self) -> Option<i8> {
        if let Some(Tok::Word(w)) = self.peek()
            && let Some(i) = MONTHS_GEN.iter().position(|m| *m == w)
        {
            self.bump();
            return Some(i as i8 + 1);
        }
        None
    }

    // at_least := "не реже" N "раз(а)" "в" UNIT | N "раз(а)" "в год"
    fn at_least(&mut self) -> Option<Schedule> {
        let at_least = self.eat_all(&["не", "реже"]);
        let n = self.number_word().unwrap_or(1);
        self.eat_any(&["раз", "раза"])?;
        self.eat("в").then_some(())?;
        // "в три месяца", "в шесть месяцев": a quarter, a half-year.
        let months = self.try_(|p| {
            let m = p.number_word()?;
            p.eat_any(&["месяца", "месяцев"])?;
            match m {
                3 => Some(Frequency::Quarterly),
                6 => Some(Frequency::HalfYearly),
                12 => Some(Frequency::Yearly),
                _ => None,
            }
        });
        let unit = match months {
            Some(u) => u,
            None => self.period_unit()?,
        };
        if n == 1 && (at_least || self.clause_ends()) {
            return Some(rec(unit, DueRule::EndOfPeriod, None));
        }
        if unit != Frequency::Yearly || !matches!(n, 2 | 4 | 12) {
            self.note(format!("{n} раз в {} не делятся на равные периоды", unit_ru(unit)));
            return None;
        }
        let every = match n {
            2 => Frequency::HalfYearly,
            4 => Frequency::Quarterly,
            _ => Frequency::Monthly,
        };
        Some(rec(every, DueRule::EndOfPeriod, None))
    }

    // after_event := [lead] ("в течение"|"не позднее"|"в срок до"|…) N [unit] дней ANCHOR words
    fn after_event(&mut self) -> Option<Schedule> {
        // No word a term starts with: not a term (and no lead words to skip through).
        let starts = [
            "течение",
            "позднее",
            "позже",
            "через",
            "срок",
            "более",
            "превышать",
            "превышающий",
            "дней",
            "дня",
            "недель",
        ];
        if !self.t[self.pos..].iter().any(|t| matches!(t, Tok::Word(w) if starts.contains(w))) {
            return None;
        }
        // A window: "не менее 30 дней и не более 90 дней со дня …", "не ранее двух рабочих дней и
        // не позднее пяти рабочих дней с момента …": due at its end, its start kept.
        let not_before = self.try_(|p| {
            p.eat("не").then_some(())?;
            p.eat_any(&["менее", "ранее"])?;
            let earliest = p.try_(P::term_head)?;
            p.eat("и").then_some(())?;
            (p.word_is("не") && matches!(p.peek_at(1), Some(Tok::Word("более" | "позднее")))).then_some(())?;
            Some(earliest)
        });
        let lead_start = self.pos;
        // Words that say what is updated before the term ("сведения подлежат обновлению в случае
        // их изменения не позднее 10 дней с момента …") are kept with the event.
        let lead_end;
        let term = loop {
            let save = self.pos;
            if let Some(t) = self.try_(P::term_head) {
                lead_end = save;
                break t;
            }
            self.pos = save;
            match self.peek() {
                // Skipping lead words is no progress in reading: a refusal names them.
                Some(Tok::Word(_)) if self.pos - lead_start < 12 => self.pos += 1,
                _ => return None,
            }
        };
        let anchor_start = self.pos;
        // "начиная со дня, следующего за днем …": the term runs from the next day, as every term does.
        self.eat("начиная");
        let anchored = self.eat_all(&["с", "момента"])
            || self.eat_all(&["со", "дня"])
            || self.eat_all(&["с", "даты"])
            || self.eat_all(&["с", "дня"])
            || self.eat("после")
            || self.eat_all(&["следующих", "за"])
            || self.eat_all(&["следующего", "за"])
            || self.eat_all(&["по", "истечении"]);
        if !anchored {
            // A term whose event the document names elsewhere ("в 7-дневный срок"): due a term
            // after the event's date, which the caller gives; never a date on its own.
            if lead_end == lead_start && (self.at_end() || self.clause_ends()) {
                return Some(Schedule::AfterEvent { term, event: String::new(), not_before });
            }
            return None;
        }
        self.pos = anchor_start;
        let event = self.rest_of_clause();
        if event.split_whitespace().count() < 2 {
            return None;
        }
        if event.contains(", но ") {
            self.note("два условия срока («…, но не позднее …») в одном не поддерживаются".into());
            return None;
        }
        // "в течение 30 дней со дня окончания соответствующего квартала": a periodic rule.
        let end = self.pos;
        self.pos = anchor_start;
        let period_end = self.try_(|p| {
            p.eat_any(&["со", "с", "после"])?;
            p.eat_any(&["дня", "даты"]);
            p.eat("окончания").then_some(())?;
            p.eat_any(&["соответствующего", "отчетного", "каждого"]);
            let unit = p.period_unit()?;
            (p.at_end() || p.clause_ends()).then_some(unit)
        });
        if let Some(every) = period_end
            && lead_end == lead_start
            && not_before.is_none()
        {
            return Some(rec(every, DueRule::AfterPeriodEnd { term }, None));
        }
        self.pos = end;
        if event.starts_with("после отчетного периода") {
            self.note("срок от конца отчётного периода, а период не назван".into());
            return None;
        }
        if event.contains("окончания отчетного") {
            self.note("срок от окончания отчётного периода, а период назван неоднозначно".into());
            return None;
        }
        let lead = join(&self.t[lead_start..lead_end]);
        let event = if lead.is_empty() { event } else { format!("{event} ({lead})") };
        if let Some(earliest) = not_before
            && (earliest.unit != term.unit || earliest.amount > term.amount || lead_end != lead_start)
        {
            self.note("начало и конец срока не согласуются".into());
            return None;
        }
        Some(Schedule::AfterEvent { term, event, not_before })
    }

    fn term_head(&mut self) -> Option<Term> {
        let calendar = |amount| Term {
            amount,
            unit: Unit::CalendarDays,
            on_day_off: DayOffPolicy::Preceding,
            counts_start_day: false,
        };
        // "в 3-дневный срок", "в трехдневный срок", "не позднее чем в трехдневный срок"
        if let Some(t) = self.try_(|p| {
            p.eat_all(&["не", "позднее", "чем"]);
            p.eat("в").then_some(())?;
            // "в месячный срок": a month (Civil Code art. 192).
            if p.eat_all(&["месячный", "срок"]) {
                return Some(Term {
                    amount: 1,
                    unit: Unit::Months,
                    on_day_off: DayOffPolicy::Preceding,
                    counts_start_day: false,
                });
            }
            let n = match p.num() {
                Some(n) => {
                    p.punct('-');
                    p.eat("дневный").then_some(n)?
                }
                None => match p.eat_any(&["трехдневный", "пятидневный", "семидневный", "десятидневный"])?
                {
                    "трехдневный" => 3,
                    "пятидневный" => 5,
                    "семидневный" => 7,
                    _ => 10,
                },
            };
            p.eat("срок").then_some(calendar(n))
        }) {
            return Some(t);
        }
        // "не позднее дня, следующего за днем …": one day.
        if self
            .try_(|p| {
                (p.eat_all(&["не", "позднее", "дня"]) || p.eat_all(&["не", "позднее", "рабочего", "дня"]))
                    .then_some(())?;
                p.punct(',');
                p.word_is("следующего").then_some(())
            })
            .is_some()
        {
            return Some(calendar(1));
        }
        self.eat("составляет");
        // "в срок, не превышающий один месяц с момента …"
        self.try_(|p| {
            p.eat_all(&["в", "срок"]).then_some(())?;
            p.punct(',');
            p.eat_all(&["не", "превышающий"]).then_some(())
        });
        // The words before the number; a bare term ("15 рабочих дней со дня …") has none.
        let _lead = self.eat_all(&["в", "течение"])
            || self.eat_all(&["не", "более"])
            || self.eat_all(&["не", "должен", "превышать"])
            || self.eat_all(&["не", "должна", "превышать"])
            || self.eat_all(&["не", "должно", "превышать"])
            || self.eat_all(&["в", "срок", "не", "позднее"])
            || self.eat_all(&["в", "срок", "до"])
            || self.eat_all(&["не", "позднее"])
            || self.eat_all(&["не", "позже"])
            || self.eat("через");
        // "не позднее чем через 30 дней", "в срок не позднее чем через десять дней"
        self.eat_all(&["чем", "через"]);
        let amount = self.number_word()?;
        if self.eat_any(&["месяц", "месяца", "месяцев"]).is_some() {
            self.punct(',');
            return Some(Term {
                amount,
                unit: Unit::Months,
                on_day_off: DayOffPolicy::Preceding,
                counts_start_day: false,
            });
        }
        // "в течение двух недель": a week is seven days.
        if self.eat_any(&["недели", "недель", "неделю"]).is_some() {
            self.punct(',');
            return Some(calendar(amount.saturating_mul(7)));
        }
        let unit = self.day_unit()?;
        self.eat_any(&["дней", "дня", "день"])?;
        self.punct(',');
        Some(Term { amount, unit, on_day_off: DayOffPolicy::Preceding, counts_start_day: false })
    }

    // within := "в течение" ["всего"] ( "года" | YEAR "года" | period )
    fn within(&mut self) -> Option<Schedule> {
        let by_end = self.eat_all(&["до", "конца"]);
        if !by_end && !self.eat_all(&["в", "течение"]) {
            return None;
        }
        if self.eat("года") || (by_end && self.eat_all(&["текущего", "года"])) {
            return Some(Schedule::WithinYear { year: self.ctx.year });
        }
        // "в течение 2019 года", "в течение 2019-2020 годов", "в течение I квартала 2019 г."
        let period = self.period()?;
        Some(match period {
            Period::Year { year } => Schedule::WithinYear { year: Some(year) },
            p => Schedule::Once { period: p },
        })
    }

    // implied_recurring: a rule whose periodicity is in its words ("до 11 числа месяца,
    // следующего за отчетным", "до 1 февраля года, следующего за отчетным", "за отчетный год -").
    fn implied_recurring(&mut self) -> Option<Schedule> {
        let marked = self.try_(|p| {
            // "за отчетный год -", "по итогам года -"
            (p.eat_all(&["за", "отчетный"]) || p.eat_all(&["по", "итогам"])).then_some(())?;
            let u = p.period_unit()?;
            p.punct('-');
            p.punct(',');
            Some(u)
        });
        // "до 10 февраля (уточненную информацию - до 16 апреля) года, следующего за отчетным": two
        // due dates of one report's two versions, the year's words said once for both.
        if marked.is_none()
            && let Some(s) = self.try_(|p| {
                p.by().then_some(())?;
                let (d1, m1) = (p.num()?, p.month_gen()?);
                p.punct('(').then_some(())?;
                let start = p.pos;
                while !matches!(p.peek(), Some(Tok::Punct('-')) | None) {
                    p.pos += 1;
                }
                let what = join(&p.t[start..p.pos]);
                p.punct('-').then_some(())?;
                p.eat("до").then_some(())?;
                let (d2, m2) = (p.num()?, p.month_gen()?);
                p.punct(')').then_some(())?;
                let next = p.next_year_tail();
                (p.at_end() || p.clause_ends()).then_some(())?;
                let rule = |d: u32, m: i8| {
                    valid_day(d as i8, m).ok()?;
                    Some(if next {
                        DueRule::NextYear { day: d as i8, month: m }
                    } else {
                        DueRule::SameYear { day: d as i8, month: m }
                    })
                };
                Some(Schedule::All {
                    items: vec![
                        rec(Frequency::Yearly, rule(d1, m1)?, None),
                        rec(Frequency::Yearly, rule(d2, m2)?, Some(what)),
                    ],
                })
            })
        {
            return Some(s);
        }
        // "в I квартале года, следующего за отчетным": by the end of that quarter of the next year.
        if marked.is_none()
            && let Some(q) = self.try_(|p| {
                p.eat("в").then_some(())?;
                let q = p.roman()?;
                p.eat_any(&["квартале", "квартала"])?;
                p.eat("года").then_some(())?;
                p.punct(',');
                p.eat("следующего").then_some(())?;
                p.eat("за").then_some(())?;
                p.eat("отчетным").then_some(())?;
                (p.at_end() || p.clause_ends()).then_some(q)
            })
        {
            let (day, month) = match q {
                1 => (31, 3),
                2 => (30, 6),
                3 => (30, 9),
                _ => (31, 12),
            };
            return Some(rec(Frequency::Yearly, DueRule::NextYear { day, month }, None));
        }
        // "не позднее 20-го февраля, мая, августа и ноября": a day of each month named, every year.
        if marked.is_none()
            && let Some(items) = self.try_(|p| {
                p.by().then_some(())?;
                let day = p.num()?;
                let mut months = vec![p.month_gen()?];
                loop {
                    if p.punct(',') || p.eat("и") {
                        months.push(p.month_gen()?);
                    } else {
                        break;
                    }
                }
                (months.len() >= 2 && (p.at_end() || p.clause_ends())).then_some(())?;
                months
                    .into_iter()
                    .map(|month| {
                        valid_day(day as i8, month).ok()?;
                        Some(rec(Frequency::Yearly, DueRule::SameYear { day: day as i8, month }, None))
                    })
                    .collect::<Option<Vec<_>>>()
            })
        {
            return Some(Schedule::All { items });
        }
        let save = self.pos;
        // Try each frequency; keep the one whose words agree. Only a bracketed period ("(квартал)")
        // can tell them apart, so without brackets one try is enough.
        let bracketed = self.t[save..].iter().any(|t| matches!(t, Tok::Punct('(')));
        let tries: &[Frequency] = if bracketed {
            &[Frequency::Monthly, Frequency::Quarterly, Frequency::HalfYearly, Frequency::Yearly]
        } else {
            &[Frequency::Monthly]
        };
        for &every in tries {
            self.pos = save;
            self.same_year_said = false;
            self.event_period = None;
            self.time_said = None;
            let Some(due) = self.due_rule(every) else { continue };
            let every = match (marked, due) {
                (Some(u), _) => u,
                (None, DueRule::NextYear { .. }) => Frequency::Yearly,
                (None, DueRule::SameYear { .. }) if self.same_year_said => Frequency::Yearly,
                (
                    None,
                    DueRule::AfterPeriodEnd { .. }
                    | DueRule::BeforePeriodEnd { .. }
                    | DueRule::BeforePeriodStart { .. },
                ) => self.last_unit(save)?,
                // "месяца, следующего за отчетным кварталом": the period named last.
                (
                    None,
                    DueRule::NextMonth { .. }
                    | DueRule::NextMonthWorking { .. }
                    | DueRule::SecondMonth { .. }
                    | DueRule::ThirdMonth { .. },
                ) => self.last_unit(save).unwrap_or(Frequency::Monthly),
                (None, DueRule::LastMonth { .. }) => self.last_unit(save).unwrap_or(Frequency::Quarterly),
                (None, DueRule::MonthsBeforePeriodEnd { .. }) => self.last_unit(save)?,
                (None, DueRule::Weekday { .. }) => Frequency::Weekly,
                (None, _) => return None,
            };
            if !yearly_rule_fits(every, due) {
                self.note(format!(
                    "день года для периодичности «{}»: срок за другие периоды не назван",
                    unit_ru(every)
                ));
                return None;
            }
            let qualifier = self.qualifier_after_rule();
            let s = rec(every, due, qualifier);
            return Some(self.anchored(s, marked.is_some()));
        }
        None
    }

    /// The period named after "последнего месяца" in a rule read from `from`.
    fn last_unit(&self, from: usize) -> Option<Frequency> {
        let words: Vec<&str> =
            self.t[from..self.pos].iter().filter_map(|t| if let Tok::Word(w) = t { Some(*w) } else { None }).collect();
        let unit = words.iter().rev().find(|w| {
            w.starts_with("квартал")
                || w.starts_with("полугоди")
                || w.starts_with("месяц")
                || **w == "год"
                || **w == "года"
                || **w == "годом"
        })?;
        Some(if unit.starts_with("месяц") {
            Frequency::Monthly
        } else if unit.starts_with("квартал") {
            Frequency::Quarterly
        } else if unit.starts_with("полугоди") {
            Frequency::HalfYearly
        } else {
            Frequency::Yearly
        })
    }

    // one_off := ["до" | "не позднее" | "в срок до" | "до конца периода:" | "до конца"] period
    fn one_off(&mut self) -> Option<Schedule> {
        let save = self.pos;
        if !(self.eat_all(&["до", "конца", "периода"]) && self.punct(':')) {
            self.pos = save;
            if !self.eat_all(&["до", "конца"]) {
                self.by();
            }
        }
        let period = self.period()?;
        Some(Schedule::Once { period })
    }

    fn year(&mut self) -> Option<i16> {
        let save = self.pos;
        let n = self.num()?;
        if !(1000..=9999).contains(&n) {
            self.pos = save;
            return None;
        }
        if !(1990..=2100).contains(&n) {
            self.note(format!("год {n} вне разумного диапазона 1990–2100"));
            self.pos = save;
            return None;
        }
        self.eat_any(&["г", "год", "года", "году"]);
        Some(n as i16)
    }

    fn roman(&mut self) -> Option<i8> {
        if let Some(n) = self.try_(|p| {
            let n = p.num()?;
            (1..=4).contains(&n).then_some(n as i8)
        }) {
            return Some(n);
        }
        let w = self.eat_any(&[
            "i",
            "ii",
            "iii",
            "iv",
            "и",
            "первое",
            "второе",
            "первый",
            "второй",
            "третий",
            "четвертый",
        ])?;
        Some(match w {
            "i" | "и" | "первое" | "первый" => 1,
            "ii" | "второе" | "второй" => 2,
            "iii" | "третий" => 3,
            _ => 4,
        })
    }

    fn period(&mut self) -> Option<Period> {
        // "в срок с 01.11.2023 по 09.11.2023": done within the window, so due by its last day.
        if let Some(p) = self.try_(|p| {
            p.eat_all(&["в", "срок"]);
            p.eat("с").then_some(())?;
            let Some(Tok::Date { year: Some(_), .. }) = p.peek() else { return None };
            p.bump();
            p.eat("по").then_some(())?;
            let Some(Tok::Date { day, month, year: Some(y), .. }) = p.peek() else { return None };
            p.bump();
            let date = jiff::civil::Date::new(y as i16, month as i8, day as i8).ok()?;
            Some(Period::Day { date })
        }) {
            return Some(p);
        }
        self.eat("в");
        // Quarter: "IV квартал 2019", "4 кв. 2019 г.", "в IV квартале 2019 года", "IV квартала 2019"
        if let Some(p) = self.try_(|p| {
            let q = p.roman()?;
            p.eat_any(&["квартал", "кв", "квартале", "квартала"])?;
            let year = p.year()?;
            Some(Period::Quarter { year, quarter: q })
        }) {
            return Some(p);
        }
        if let Some(p) = self.try_(|p| {
            let h = p.roman().unwrap_or(1);
            p.eat_any(&["полугодие", "полугодия", "полугодии"])?;
            let year = p.year()?;
            if h > 2 {
                p.note(format!("полугодия {h} нет"));
                return None;
            }
            Some(Period::Half { year, half: h })
        }) {
            return Some(p);
        }
        // A day: "25.03.2020", "25.03.2020 г.", "1 марта 2019 года"
        if let Some(Tok::Date { day, month, year: Some(y), .. }) = self.peek() {
            self.bump();
            self.eat_any(&["г", "года"]);
            let date = jiff::civil::Date::new(y as i16, month as i8, day as i8).ok();
            if date.is_none() || !(1990..=2100).contains(&y) {
                self.note(format!("даты {day:02}.{month:02}.{y} нет"));
                return None;
            }
            return date.map(|date| Period::Day { date });
        }
        if let Some(p) = self.try_(|p| {
            let day = p.num()?;
            let month = p.month_gen()?;
            // "до 1 мая" in a plan of a known year: that year's day.
            let year = match p.year() {
                Some(y) => y,
                None => p.ctx.year.filter(|_| p.at_end() || p.clause_ends())?,
            };
            match jiff::civil::Date::new(year, month, day as i8) {
                Ok(date) if day <= 31 => Some(Period::Day { date }),
                _ => {
                    p.note(format!("даты {day}.{month:02}.{year} нет"));
                    None
                }
            }
        }) {
            return Some(p);
        }
        // A month: "март 2015 г.", "в марте 2019 года", "марта 2019"
        if let Some(p) = self.try_(|p| {
            let Some(Tok::Word(w)) = p.peek() else { return None };
            let month = MONTHS_NOM
                .iter()
                .position(|m| *m == w)
                .or_else(|| MONTHS_PREP.iter().position(|m| *m == w))
                .or_else(|| MONTHS_GEN.iter().position(|m| *m == w))?;
            p.bump();
            let year = p.year()?;
            Some(Period::Month { year, month: month as i8 + 1 })
        }) {
            return Some(p);
        }
        // Years: "2019-2021 гг.", "2019 - 2021 годы", "2017–2020 годы", "2019-2020"
        if let Some(p) = self.try_(|p| {
            let from = p.num()?;
            if !(p.punct('-') || p.eat("по")) {
                return None;
            }
            let to = p.num()?;
            p.eat_any(&["гг", "годы", "годов", "годах", "г"]);
            if !(1990..=2100).contains(&from) || !(1990..=2100).contains(&to) {
                return None;
            }
            if from > to {
                p.note(format!("диапазон {from}-{to} идёт назад"));
                return None;
            }
            Some(Period::Years { from: from as i16, to: to as i16 })
        }) {
            return Some(p);
        }
        let year = self.year()?;
        Some(Period::Year { year })
    }
}

fn join(toks: &[Tok<'_>]) -> String {
    let mut s = String::new();
    for t in toks {
        match t {
            Tok::Punct(c @ (',' | ')' | ':' | ';' | '»')) => s.push(*c),
            Tok::Punct(c @ ('(' | '«')) => {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push(*c);
            }
            t => {
                if !s.is_empty() && !s.ends_with(['(', '«']) {
                    s.push(' ');
                }
                s.push_str(&t.text());
            }
        }
    }
    s
}

/// A day of the year ("до 20 декабря", "до 1 февраля следующего года") is a yearly rule: for a
/// quarter or a half-year it would name one period's day and leave the others unsaid.
fn yearly_rule_fits(every: Frequency, due: DueRule) -> bool {
    match every {
        Frequency::Yearly => true,
        // A week has no day of a month: only "by its end" or a day of the week.
        Frequency::Weekly => matches!(due, DueRule::EndOfPeriod | DueRule::Weekday { .. }),
        _ => !matches!(due, DueRule::SameYear { .. } | DueRule::NextYear { .. } | DueRule::Weekday { .. }),
    }
}

fn rec(every: Frequency, due: DueRule, qualifier: Option<String>) -> Schedule {
    Schedule::Recurring(Recurrence { every, due, qualifier })
}

fn unit_ru(f: Frequency) -> &'static str {
    match f {
        Frequency::Weekly => "неделю",
        Frequency::Monthly => "месяц",
        Frequency::Quarterly => "квартал",
        Frequency::HalfYearly => "полугодие",
        Frequency::Yearly => "год",
    }
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
