//! A draft's text split into its numbered structural units — sections and chapters, articles,
//! parts, points, sub-points — each with a key that stays the same in the next version of the
//! draft as long as its number does (a comment on article 2 stays on article 2), a label in
//! words («часть 1 статьи 3», «подпункт «а» пункта 17») and its own text. Pure: lines in, units
//! out. What comes before the first unit is the preamble (the title, «ПРОЕКТ», the approving
//! lines); quoted text (an amendment's new wording) never starts a unit.

/// One structural unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Stable within the draft: `st2`, `st2-1`, `p2.3.1`, `p17-a`, `r2`.
    pub key: String,
    /// «Статья 2», «часть 1 статьи 2», «пункт 2.3.1», «подпункт «а» пункта 17», «Раздел II».
    pub label: String,
    /// 0 for sections and chapters, deeper for what they hold.
    pub depth: u8,
    /// Its lines: the numbered line first, then the paragraphs that follow it.
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Split {
    pub preamble: String,
    pub units: Vec<Unit>,
    /// What follows the last unit's provisions: the signature, the place and date, the number.
    pub closing: String,
}

impl Split {
    /// Whether numbered units were found (a text without any is one unit: the whole draft).
    pub fn structured(&self) -> bool {
        !self.units.is_empty()
    }
}

/// How a line is numbered.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Marker {
    /// «Раздел 1», «Глава II», «I. Общие положения»: a container heading.
    Section { word: &'static str, number: String, arabic: u32 },
    /// «Статья 5», «Статья 5.1.»
    Article(String),
    /// «1.», «2.3.1.» (the last dot may be missing: «2.3.1 Текст»), «1.Утвердить».
    Point(Vec<String>),
    /// «1)»
    Numbered(String),
    /// «а)»
    Lettered(String),
}

const LETTERS: &str = "абвгдежзиклмнопрстуфхцчшщэюя";

fn roman(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 8 {
        return None;
    }
    let value = |c| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        _ => None,
    };
    let digits: Option<Vec<u32>> = s.chars().map(value).collect();
    let digits = digits?;
    let mut total = 0;
    for (i, d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|next| next > d) {
            total -= *d as i64;
        } else {
            total += *d as i64;
        }
    }
    u32::try_from(total).ok().filter(|n| *n > 0)
}

/// The number after a heading word: «1», «II», «5.1».
fn heading_number(rest: &str) -> Option<(String, u32)> {
    let token: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '.').collect();
    let token = token.trim_end_matches('.').to_string();
    if token.is_empty() {
        return None;
    }
    let after = &rest[token.len()..];
    if !(after.is_empty() || after.starts_with(['.', ' ', '\u{a0}', '\t'])) {
        return None;
    }
    if let Ok(n) = token.split('.').next().unwrap_or_default().parse::<u32>() {
        return Some((token, n));
    }
    roman(&token).map(|n| (token, n))
}

fn marker(line: &str) -> Option<Marker> {
    let words = [("Раздел", "Раздел"), ("РАЗДЕЛ", "Раздел"), ("Глава", "Глава"), ("ГЛАВА", "Глава")];
    for (w, word) in words {
        if let Some(rest) = line.strip_prefix(w).and_then(|r| r.strip_prefix([' ', '\u{a0}'])) {
            let (number, arabic) = heading_number(rest.trim_start())?;
            return Some(Marker::Section { word, number, arabic });
        }
    }
    for w in ["Статья", "СТАТЬЯ"] {
        if let Some(rest) = line.strip_prefix(w).and_then(|r| r.strip_prefix([' ', '\u{a0}'])) {
            let (number, _) = heading_number(rest.trim_start())?;
            return Some(Marker::Article(number));
        }
    }
    // «I. Общие положения»: a Roman numeral, a dot, a capitalised heading.
    let head: String = line.chars().take_while(|c| c.is_ascii_uppercase()).collect();
    if let Some(n) = roman(&head)
        && let Some(rest) = line[head.len()..].strip_prefix('.')
        && rest.starts_with([' ', '\u{a0}'])
    {
        return Some(Marker::Section { word: "Раздел", number: head, arabic: n });
    }
    // «1.», «2.3.1.», «2.3.1 Текст», «1.Утвердить», «1)», «а)».
    let digits_and_dots: String = line.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    if !digits_and_dots.is_empty() && digits_and_dots.starts_with(|c: char| c.is_ascii_digit()) {
        let rest = &line[digits_and_dots.len()..];
        if let Some(after) = rest.strip_prefix(')') {
            if !digits_and_dots.contains('.') && !after.is_empty() {
                return Some(Marker::Numbered(digits_and_dots));
            }
            return None;
        }
        let parts: Vec<String> = digits_and_dots
            .split('.')
            .filter(|p| !p.is_empty())
            .map(|p| p.trim_start_matches('0').to_string())
            .collect();
        let dotted = digits_and_dots.ends_with('.');
        let starts_word = rest.trim_start().starts_with(|c: char| c.is_alphabetic() || c == '«' || c == '"');
        // A bare number («2020 год», «15 дней») is not a point: a point has a dot, or several parts.
        if (dotted || parts.len() > 1)
            && starts_word
            && parts.iter().all(|p| p.len() <= 3 && !p.is_empty())
            && (dotted || rest.starts_with([' ', '\u{a0}']))
        {
            return Some(Marker::Point(parts));
        }
        return None;
    }
    let mut chars = line.chars();
    if let (Some(c), Some(')')) = (chars.next(), chars.next())
        && LETTERS.contains(c)
        && chars.as_str().starts_with([' ', '\u{a0}'])
    {
        return Some(Marker::Lettered(c.to_string()));
    }
    None
}

fn latin(letter: &str) -> String {
    let map = [
        ("а", "a"),
        ("б", "b"),
        ("в", "v"),
        ("г", "g"),
        ("д", "d"),
        ("е", "e"),
        ("ж", "zh"),
        ("з", "z"),
        ("и", "i"),
        ("к", "k"),
        ("л", "l"),
        ("м", "m"),
        ("н", "n"),
        ("о", "o"),
        ("п", "p"),
        ("р", "r"),
        ("с", "s"),
        ("т", "t"),
        ("у", "u"),
        ("ф", "f"),
        ("х", "h"),
        ("ц", "c"),
        ("ч", "ch"),
        ("ш", "sh"),
        ("щ", "sch"),
        ("э", "ee"),
        ("ю", "yu"),
        ("я", "ya"),
    ];
    map.iter().find(|(c, _)| *c == letter).map(|(_, l)| l.to_string()).unwrap_or_else(|| "x".into())
}

/// Where the splitter is: the open units that a new one may belong to.
#[derive(Default)]
struct Open {
    section: Option<(String, u8)>,
    article: Option<(String, String)>,
    /// The open points or parts, outermost first: key, label, depth, and the point's numbers.
    points: Vec<(String, String, u8, Vec<String>)>,
    numbered: Option<(String, String, u8)>,
}

/// Splits a draft's text (one paragraph a line, as `office::text` gives it) into units.
pub fn split(text: &str) -> Split {
    let mut out = Split::default();
    let mut open = Open::default();
    let mut keys = std::collections::HashSet::new();
    // A line ending with a colon opens a list: Roman numerals in it are its items, not sections.
    let mut in_list = false;
    for raw in text.lines() {
        let line = raw.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            continue;
        }
        let quoted = line.starts_with(['«', '"', '„', '“']);
        let found = if quoted { None } else { marker(line) };
        let found = match found {
            Some(Marker::Section { .. }) if in_list => None,
            other => other,
        };
        let Some(m) = found else {
            match out.units.last_mut() {
                Some(u) => {
                    u.text.push('\n');
                    u.text.push_str(line);
                }
                None => {
                    if !out.preamble.is_empty() {
                        out.preamble.push('\n');
                    }
                    out.preamble.push_str(line);
                }
            }
            if out.units.is_empty() {
                continue;
            }
            in_list = in_list || line.ends_with(':');
            continue;
        };
        let base = open.section.as_ref().map_or(0, |(_, d)| d + 1);
        let (key, label, depth) = match m {
            Marker::Section { word, number, arabic } => {
                let key = format!("{}{arabic}", if word == "Глава" { "gl" } else { "r" });
                open = Open { section: Some((key.clone(), 0)), ..Open::default() };
                (key, format!("{word} {number}"), 0)
            }
            Marker::Article(n) => {
                let key = format!("st{n}");
                let label = format!("Статья {n}");
                open.article = Some((key.clone(), n));
                open.points.clear();
                open.numbered = None;
                (key, label, base)
            }
            Marker::Point(parts) => {
                let depth_in = |open: &Open| open.article.as_ref().map_or(base, |_| base + 1);
                let (key, label, depth) = match &open.article {
                    // In an article «1.» is a part.
                    Some((akey, an)) if parts.len() == 1 => {
                        (format!("{akey}-{}", parts[0]), format!("часть {} статьи {an}", parts[0]), depth_in(&open))
                    }
                    _ => {
                        let joined = parts.join(".");
                        // A deeper number sits under the point it extends («2.3.1» under «2.3»).
                        while open
                            .points
                            .last()
                            .is_some_and(|(_, _, _, p)| !(p.len() < parts.len() && parts.starts_with(p)))
                        {
                            open.points.pop();
                        }
                        let depth = open.points.last().map_or(depth_in(&open), |(_, _, d, _)| d + 1);
                        (format!("p{joined}"), format!("пункт {joined}"), depth)
                    }
                };
                if open.article.is_some() && parts.len() == 1 {
                    open.points.clear();
                }
                open.points.push((key.clone(), label.clone(), depth, parts));
                open.numbered = None;
                (key, label, depth)
            }
            Marker::Numbered(n) => {
                let (pkey, plabel, pdepth) = match (open.points.last(), &open.article) {
                    (Some((k, l, d, _)), _) => (k.clone(), l.clone(), *d),
                    (None, Some((k, an))) => (k.clone(), format!("статьи {an}"), base),
                    (None, None) => (String::new(), String::new(), base.saturating_sub(1)),
                };
                let key = if pkey.is_empty() { format!("n{n}") } else { format!("{pkey}-{n}") };
                let kind = if open.article.is_some() { "пункт" } else { "подпункт" };
                let label =
                    if plabel.is_empty() { format!("{kind} {n}") } else { format!("{kind} {n} {}", genitive(&plabel)) };
                open.numbered = Some((key.clone(), label.clone(), pdepth + 1));
                (key, label, pdepth + 1)
            }
            Marker::Lettered(c) => {
                let parent = open
                    .numbered
                    .clone()
                    .or_else(|| open.points.last().map(|(k, l, d, _)| (k.clone(), l.clone(), *d)))
                    .or_else(|| open.article.as_ref().map(|(k, an)| (k.clone(), format!("статья {an}"), base)));
                match parent {
                    Some((pkey, plabel, pdepth)) => {
                        (format!("{pkey}-{}", latin(&c)), format!("подпункт «{c}» {}", genitive(&plabel)), pdepth + 1)
                    }
                    None => (format!("l{}", latin(&c)), format!("подпункт «{c}»"), base),
                }
            }
        };
        in_list = line.ends_with(':');
        let key = unique(&mut keys, key, open.section.as_ref().map(|(k, _)| k.as_str()));
        out.units.push(Unit { key, label, depth, text: line.to_string() });
    }
    if let Some(last) = out.units.last_mut()
        && let Some(at) = signature_at(&last.text)
    {
        out.closing = last.text[at..].trim_start_matches('\n').to_string();
        last.text.truncate(at);
        let kept = last.text.trim_end().len();
        last.text.truncate(kept);
    }
    out
}

/// Who signs an act, as its signature line starts.
const SIGNATORIES: [&str; 9] = [
    "Губернатор",
    "Глава ",
    "Председатель",
    "Министр",
    "Руководитель",
    "Мэр",
    "И.о.",
    "И. о.",
    "Исполняющий обязанности",
];

/// Where the signature begins in the last unit's text: a short line (a title, not a provision)
/// after its first that starts with a signatory's title.
fn signature_at(text: &str) -> Option<usize> {
    let mut at = 0;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 && line.split_whitespace().count() <= 8 && SIGNATORIES.iter().any(|s| line.starts_with(s)) {
            return Some(at);
        }
        at += line.len() + 1;
    }
    None
}

/// A key not used yet in the draft: numbering that starts again in each section gets the
/// section's key in front, and a repeat beyond that a counter.
fn unique(keys: &mut std::collections::HashSet<String>, key: String, section: Option<&str>) -> String {
    if keys.insert(key.clone()) {
        return key;
    }
    if let Some(s) = section {
        let k = format!("{s}-{key}");
        if keys.insert(k.clone()) {
            return k;
        }
    }
    let mut n = 2;
    loop {
        let k = format!("{key}~{n}");
        if keys.insert(k.clone()) {
            return k;
        }
        n += 1;
    }
}

/// A label put after another unit's: «пункт 17» → «пункта 17», «часть 1 статьи 3» → «части 1 статьи 3».
fn genitive(label: &str) -> String {
    let pairs = [
        ("пункт ", "пункта "),
        ("подпункт ", "подпункта "),
        ("часть ", "части "),
        ("статья ", "статьи "),
        ("статьи ", "статьи "),
    ];
    for (from, to) in pairs {
        if let Some(rest) = label.strip_prefix(from) {
            return format!("{to}{rest}");
        }
    }
    label.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(s: &Split) -> Vec<String> {
        s.units.iter().map(|u| format!("{}{} | {}", "  ".repeat(u.depth as usize), u.key, u.label)).collect()
    }

    #[test]
    fn articles_parts_points_and_sub_points() {
        let text = "ПРОЕКТ\nЗАКОН ОБЛАСТИ\nО примере\nСтатья 1. Предмет\n1. Настоящий Закон регулирует:\n1) одно;\n\
                    2) другое:\nа) первое;\nб) второе.\n2. Вторая часть.\nСтатья 2\nНастоящий Закон вступает в силу.";
        let s = split(text);
        assert_eq!(s.preamble, "ПРОЕКТ\nЗАКОН ОБЛАСТИ\nО примере");
        assert_eq!(
            outline(&s),
            [
                "st1 | Статья 1",
                "  st1-1 | часть 1 статьи 1",
                "    st1-1-1 | пункт 1 части 1 статьи 1",
                "    st1-1-2 | пункт 2 части 1 статьи 1",
                "      st1-1-2-a | подпункт «а» пункта 2 части 1 статьи 1",
                "      st1-1-2-b | подпункт «б» пункта 2 части 1 статьи 1",
                "  st1-2 | часть 2 статьи 1",
                "st2 | Статья 2",
            ]
        );
        assert_eq!(s.units.len(), 8);
        assert_eq!(s.units[4].key, "st1-1-2-a");
        assert_eq!(s.units[4].label, "подпункт «а» пункта 2 части 1 статьи 1");
        assert_eq!(s.units[7].text, "Статья 2\nНастоящий Закон вступает в силу.");
    }
}
