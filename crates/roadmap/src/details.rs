//! A plan's own details, read from the lines before its table: the title, the approving body, the
//! kind of act that approved it with its number and date, and the years it covers. Documents write
//! them in many ways — an order's heading ("РАСПОРЯЖЕНИЕ", "03.04. 2017", "№ 149"), a letter-spaced
//! kind ("Р А С П О Р Я Ж Е Н И Е") with the date and number on one line, an appendix line ("к
//! протоколу … от 31 октября 2018 г. № 8") — so every detail is found on its own, and the planner
//! confirms or corrects them in the preview.

use serde::Serialize;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PlanDetails {
    pub title: String,
    /// As written in the heading ("ДЕПАРТАМЕНТ СОЦИАЛЬНОЙ ЗАЩИТЫ НАСЕЛЕНИЯ ТОМСКОЙ ОБЛАСТИ").
    pub approving_body: String,
    /// "распоряжение", "приказ", "постановление", "указ", "решение", "протокол".
    pub act_kind: String,
    pub act_number: String,
    pub act_date: Option<jiff::civil::Date>,
    /// The years the plan covers ("на 2017-2020 годы").
    pub period: Option<(i16, i16)>,
}

const KINDS: [(&str, &str); 18] = [
    ("распоряжение", "распоряжение"),
    ("распоряжением", "распоряжение"),
    ("приказ", "приказ"),
    ("приказом", "приказ"),
    ("постановление", "постановление"),
    ("постановлением", "постановление"),
    ("указ", "указ"),
    ("указом", "указ"),
    ("решение", "решение"),
    ("решением", "решение"),
    ("протокол", "протокол"),
    ("протоколом", "протокол"),
    ("протоколу", "протокол"),
    ("распоряжению", "распоряжение"),
    ("приказу", "приказ"),
    ("постановлению", "постановление"),
    ("указу", "указ"),
    ("решению", "решение"),
];

const MONTHS_GEN: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// Lines read at most before giving up on finding the table.
const MAX_HEAD_LINES: usize = 400;

impl PlanDetails {
    /// The approving act as one line: "распоряжение от 03.04.2017 № 149, ДЕПАРТАМЕНТ …".
    pub fn approving_act(&self) -> String {
        let mut s = self.act_kind.clone();
        if let Some(d) = self.act_date {
            s.push_str(&format!(" от {}", d.strftime("%d.%m.%Y")));
        }
        if !self.act_number.is_empty() {
            s.push_str(&format!(" № {}", self.act_number));
        }
        if !self.approving_body.is_empty() {
            if !s.is_empty() {
                s.push_str(", ");
            }
            s.push_str(&self.approving_body);
        }
        s.trim().to_string()
    }

    /// "2017–2020", "2018", or empty.
    pub fn period_text(&self) -> String {
        match self.period {
            Some((a, b)) if a == b => a.to_string(),
            Some((a, b)) => format!("{a}–{b}"),
            None => String::new(),
        }
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "Р А С П О Р Я Ж Е Н И Е" and "РАСПОРЯЖЕНИЕ" alike: the letters of a line, lowercased.
fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect()
}

fn is_header(line: &str) -> bool {
    let l = line.to_lowercase();
    (l.contains("п/п") || l.trim_start().starts_with("№\t") || l.trim() == "№ п/п")
        || (l.contains('\t') && l.contains("срок") && (l.contains("исполнител") || l.contains("мероприят")))
}

fn is_upper(s: &str) -> bool {
    let mut any = false;
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        if c.is_lowercase() {
            return false;
        }
        any = true;
    }
    any
}

/// The first date in a text: "03.04. 2017", "21.03.2018", "31 октября 2018 г.".
pub fn first_date(s: &str) -> Option<jiff::civil::Date> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let squashed = s.replace(". ", ".");
    for w in squashed.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')') {
        let parts: Vec<&str> = w.trim_end_matches(['.', 'г']).split('.').collect();
        if let [d, m, y] = parts[..]
            && y.len() == 4
            && let (Ok(d), Ok(m), Ok(y)) = (d.parse::<i8>(), m.parse::<i8>(), y.parse::<i16>())
            && let Ok(date) = jiff::civil::Date::new(y, m, d)
        {
            return Some(date);
        }
    }
    for w in words.windows(3) {
        let day = w[0].trim_start_matches(['«', '"']).trim_end_matches(['»', '"']);
        if let (Ok(d), Some(m), Ok(y)) = (
            day.parse::<i8>(),
            MONTHS_GEN.iter().position(|m| *m == w[1].to_lowercase()),
            w[2].trim_end_matches(['.', ',', 'г']).parse::<i16>(),
        ) && let Ok(date) = jiff::civil::Date::new(y, m as i8 + 1, d)
        {
            return Some(date);
        }
    }
    None
}

/// The years a title names: "на 2017-2020 годы", "НА 2018 -2020 ГОДЫ", "на 2019 год".
pub fn years_in(s: &str) -> Option<(i16, i16)> {
    let l = s.to_lowercase().replace(['–', '—'], "-");
    let at = l.rfind("на ")?;
    let rest = &l[at + "на ".len()..];
    let digits: Vec<i16> = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 4)
        .filter_map(|d| d.parse().ok())
        .take(2)
        .collect();
    let year_word = rest.contains("год") || rest.contains("гг");
    match digits[..] {
        [a, b] if a <= b && rest.contains('-') && year_word => Some((a, b)),
        [a, ..] if year_word => Some((a, a)),
        _ => None,
    }
}

/// The year «в течение года» means in a plan: the year of its approving act, else the first year
/// of its period.
pub fn plan_year(approving_act: &str, period: &str) -> Option<i16> {
    if let Some(d) = first_date(approving_act) {
        return Some(d.year());
    }
    period
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 4)
        .filter_map(|d| d.parse::<i16>().ok())
        .find(|y| (1990..=2100).contains(y))
}

fn act_number(line: &str) -> Option<String> {
    let at = line.find('№')?;
    let rest = line[at + '№'.len_utf8()..].trim_start();
    let n: String = rest.chars().take_while(|c| !c.is_whitespace() && *c != ',' && *c != ')').collect();
    let n = n.trim_end_matches('.').to_string();
    (!n.is_empty() && n.chars().any(|c| c.is_ascii_digit())).then_some(n)
}

/// Reads what the lines before the table say about the plan.
pub fn read(text: &str) -> PlanDetails {
    let lines: Vec<&str> = text.lines().take(MAX_HEAD_LINES).take_while(|l| !is_header(l)).collect();
    let mut d = PlanDetails::default();
    // Where the act's own text starts ("1. Утвердить …"): dates after it are the act's terms.
    let body_start = lines
        .iter()
        .position(|l| {
            let t = l.trim_start();
            t.starts_with("1.") && t.to_lowercase().contains("утверд")
        })
        .unwrap_or(lines.len());
    let head = &lines[..body_start];

    // The act's kind: a line that is just the kind ("РАСПОРЯЖЕНИЕ", "П Р И К А З"), or the kind
    // named in an approval stamp or an appendix line ("к протоколу …", "утвержден приказом …").
    let mut kind_line = None;
    for (i, l) in head.iter().enumerate() {
        let only = letters(l);
        if let Some((_, k)) = KINDS.iter().find(|(w, _)| *w == only) {
            d.act_kind = (*k).to_string();
            kind_line = Some(i);
            break;
        }
    }
    if d.act_kind.is_empty() {
        for (i, l) in head.iter().enumerate() {
            let low = l.trim().to_lowercase();
            let found = low
                .split(|c: char| !c.is_alphabetic())
                .find_map(|w| KINDS.iter().find(|(k, _)| *k == w).map(|(_, k)| *k));
            if let Some(k) = found
                && (low.contains(" от ") || low.contains('№') || low.contains("утвержд") || low.starts_with("к "))
            {
                d.act_kind = k.to_string();
                kind_line = Some(i);
                // "к протоколу заочного заседания подкомиссии … от 31 октября 2018 г. № 8": the
                // body is named between the kind and the date.
                let joined = squash(&head[i..head.len().min(i + 3)].join(" "));
                let lower = joined.to_lowercase();
                if let (Some(k_at), Some(from)) = (lower.find(k), lower.find(" от ")) {
                    let after_kind = k_at + lower[k_at..].find(' ').unwrap_or(0);
                    if after_kind < from {
                        let body = joined[after_kind..from].trim();
                        let body = body.strip_prefix("заочного заседания").unwrap_or(body);
                        let body = body.strip_prefix("заседания").unwrap_or(body);
                        d.approving_body = body.trim().to_string();
                    }
                }
                break;
            }
        }
    }
    // The approving body: the upper-case lines above the kind, "РОССИЙСКАЯ ФЕДЕРАЦИЯ" aside.
    if d.approving_body.is_empty()
        && let Some(k) = kind_line
    {
        let mut body: Vec<&str> = Vec::new();
        for l in head[..k].iter().rev() {
            let t = l.trim();
            if t.is_empty() {
                if !body.is_empty() && body.len() >= 3 {
                    break;
                }
                continue;
            }
            if !is_upper(t) || letters(t) == "российскаяфедерация" {
                if body.is_empty() {
                    continue;
                }
                break;
            }
            body.push(t);
        }
        body.reverse();
        d.approving_body = squash(&body.join(" "));
    }
    // The date and number: after the kind line when there is one, else anywhere in the heading.
    let from = kind_line.unwrap_or(0);
    for l in &head[from..] {
        if d.act_date.is_none()
            && let Some(date) = first_date(l)
        {
            d.act_date = Some(date);
            if d.act_number.is_empty() {
                // "21.03.2018            122-р": the number after the date on its line.
                let squashed = l.replace(". ", ".");
                let after: Vec<&str> = squashed.split_whitespace().skip(1).collect();
                if let Some(n) = act_number(l) {
                    d.act_number = n;
                } else if let [n] = after[..]
                    && n.chars().next().is_some_and(|c| c.is_ascii_digit())
                {
                    d.act_number = n.to_string();
                }
            }
        }
        if d.act_number.is_empty()
            && let Some(n) = act_number(l)
        {
            d.act_number = n;
        }
        if d.act_date.is_some() && !d.act_number.is_empty() {
            break;
        }
    }
    // The title: "Об утверждении плана …" made nominative, else the heading block that starts
    // with «План».
    let approval = head.iter().find(|l| l.trim_start().to_lowercase().starts_with("об утверждении"));
    if let Some(l) = approval {
        let rest = l.trim_start()["об утверждении".len()..].trim();
        let nominative = rest
            .strip_prefix("плана")
            .or_else(|| rest.strip_prefix("Плана"))
            .map(|r| format!("План{r}"))
            .unwrap_or_else(|| rest.to_string());
        d.title = squash(&nominative);
    }
    if d.title.is_empty() {
        let start = lines.iter().position(|l| letters(l).starts_with("план") && !l.contains('\t'));
        if let Some(s) = start {
            let mut parts = Vec::new();
            for l in &lines[s..] {
                let t = l.trim();
                if t.is_empty() {
                    if parts.len() > 1 {
                        break;
                    }
                    continue;
                }
                if t.starts_with("I.") || parts.len() >= 6 {
                    break;
                }
                parts.push(t);
            }
            d.title = squash(&parts.join(" "));
        }
    }
    d.period = years_in(&d.title).or_else(|| lines.iter().find_map(|l| years_in(l).filter(|_| is_title_line(l))));
    d
}

/// A heading line that names the plan's years ("на 2017-2020 годы" under the title).
fn is_title_line(l: &str) -> bool {
    let t = l.trim().to_lowercase();
    t.starts_with("на ") || t.contains("план")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_years_as_headings_write_them() {
        assert_eq!(first_date("03.04. 2017"), jiff::civil::Date::new(2017, 4, 3).ok());
        assert_eq!(first_date("от 31 октября 2018 г. № 8"), jiff::civil::Date::new(2018, 10, 31).ok());
        assert_eq!(first_date("№ 149"), None);
        assert_eq!(years_in("на 2017-2020 годы"), Some((2017, 2020)));
        assert_eq!(years_in("НА 2018 -2020 ГОДЫ"), Some((2018, 2020)));
        assert_eq!(years_in("на 2019 год"), Some((2019, 2019)));
        assert_eq!(years_in("на основе 8-ФЗ"), None);
        assert_eq!(plan_year("распоряжение от 21.03.2018 № 122-р", ""), Some(2018));
        assert_eq!(plan_year("", "2017–2020"), Some(2017));
        assert_eq!(plan_year("", ""), None);
    }
}
