//! The reader of Russian deadline phrases ("I полугодие 2017, далее ежегодно до 1 февраля
//! следующего за отчетным года") as a grammar over tokens: the phrase is normalised (case, «ё»,
//! dashes, line breaks and hyphenation artefacts inside a table cell), cut into words, numbers,
//! dates and punctuation, and read by a small recursive-descent grammar of dates, periods,
//! periodicities, anchors and offsets and their combinations («X, далее Y», «;», «и», «в том
//! числе»). What it cannot read it returns as `Unparsed`, with the verbatim text and the words it
//! could not place — it never guesses. The words and tokens are in `tokens`; when a recurring
//! rule falls due in its period, in `due`; deadlines told against an event, a frequency or the
//! plan's year, in `relative`; one-off dates, years and periods, in `period`; the phrase's
//! structure and its periodicities, here.

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

mod due;
mod period;
mod relative;
mod tokens;

use tokens::{MONTHS_PREP, Tok, normalize, tokenize};

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
