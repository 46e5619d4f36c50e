//! The words of deadline phrases and how a phrase is cut into them: the vocabulary that glues a
//! word broken by a hyphenation artefact back together, the month names after a preposition, the
//! normalisation of a table cell's text (case, «ё», dashes, line breaks) and the tokens the
//! grammar reads — words, numbers, dates and punctuation.

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

pub(super) const MONTHS_PREP: [&str; 12] = [
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

pub(super) fn normalize(text: &str) -> String {
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
pub(super) enum Tok<'a> {
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
    pub(super) fn text(&self) -> String {
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

pub(super) fn tokenize(s: &str) -> Vec<Tok<'_>> {
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
