//! Redaction of personal data (152-FZ) before a question and its answer are published
//! (seed 000 §37 «б»): e-mail addresses, phone numbers, document numbers (passport, SNILS, INN,
//! policy and account numbers: long digit groups), postal address details (flat, house, street
//! with a number, a run of them made one mark) and people's names — the applicant's own words in
//! any case ending with their initials, and full names with a patronymic. A greeting to the
//! applicant by name becomes a neutral one. What is the body's own stays: its phone, e-mail,
//! site and address, and in the body's answer the names of officials written with their
//! positions. Automatic redaction is a first pass: `find` gives each replacement, so staff see
//! and may undo each one before the text is published.

/// What replaces each kind of personal data.
pub const NAME: &str = "[ФИО]";
pub const EMAIL: &str = "[адрес электронной почты]";
pub const PHONE: &str = "[телефон]";
pub const DOCUMENT: &str = "[номер документа]";
pub const ADDRESS: &str = "[адрес]";
/// A greeting to the applicant by name, made neutral.
pub const GREETING: &str = "Уважаемый заявитель";
pub const GREETING_MANY: &str = "Уважаемые заявители";
/// «Здравствуйте, Мария Ивановна» loses the name and keeps the greeting.
pub const NOTHING: &str = "";

/// What is known of a submission: the applicant's own data (always removed) and the body's
/// (always kept).
#[derive(Clone, Copy, Default)]
pub struct Known<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub address: &'a str,
    /// The body's phone, e-mail, website, address and head's name.
    pub body: &'a [&'a str],
}

/// Who wrote the text: officials named in office are kept only in what the body wrote.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Writer {
    Applicant,
    Body,
}

/// One piece of the text replaced: where it is (bytes of the original) and by what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacement {
    pub start: usize,
    pub end: usize,
    pub mark: &'static str,
}

/// The text with every replacement made.
pub fn redact(text: &str, known: &Known, writer: Writer) -> String {
    apply(text, &find(text, known, writer))
}

/// The text with the given replacements (in order, not overlapping) made.
pub fn apply(text: &str, replacements: &[Replacement]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in replacements {
        if r.start < last || r.end > text.len() {
            continue;
        }
        out.push_str(&text[last..r.start]);
        out.push_str(r.mark);
        last = r.end;
    }
    out.push_str(&text[last..]);
    out
}

/// A word of the text with where it starts and ends (bytes).
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let part = c.is_alphanumeric() || matches!(c, '@' | '.' | '_' | '-' | '+');
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

fn is_email(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    match w.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !domain.starts_with('.'),
        None => false,
    }
}

/// The applicant's name as stems: each word of three letters or more, its last two letters cut
/// (so «Петрова» also finds «Петровой», and «Анна» finds «Анны»).
fn stems(name: &str) -> Vec<String> {
    name.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase())
        .filter(|w| w.chars().count() >= 3)
        .map(|w| {
            let keep = w.chars().count().saturating_sub(2).max(3);
            w.chars().take(keep).collect()
        })
        .collect()
}

fn patronymic(w: &str) -> bool {
    let w = w.to_lowercase();
    ["ич", "вна", "ича", "вны", "ичу", "вне", "ичем", "вной", "ична", "ичны", "ичной", "ичне"]
        .iter()
        .any(|end| w.ends_with(end) && w.chars().count() > end.chars().count() + 2)
}

fn capitalised(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(|c| c.is_uppercase()) && chars.all(|c| c.is_lowercase() || c == '-')
}

/// Initials: «А.», «А.С.», «А.-С.».
fn initials(w: &str) -> bool {
    let mut n = 0;
    let mut chars = w.chars().peekable();
    while let Some(c) = chars.next() {
        if !(c.is_uppercase() && chars.next() == Some('.')) {
            return false;
        }
        n += 1;
        if chars.peek() == Some(&'-') {
            chars.next();
        }
    }
    n > 0
}

/// Words that name a position in office: an official named after one acts for the body.
const POSITIONS: &[&str] = &[
    "начальник",
    "заместител",
    "зам.",
    "директор",
    "руководител",
    "министр",
    "губернатор",
    "председател",
    "глава",
    "главы",
    "главн",
    "врач",
    "заведующ",
    "консультант",
    "специалист",
    "советник",
    "инспектор",
    "уполномоченн",
    "секретар",
    "исполнител",
    "исп.",
    "референт",
    "врио",
    "мэр",
    "эксперт",
];

/// Words after which a name is someone the letter is about, not the official acting: «по
/// заявлению Ивановой», «в отношении», «соседка», «гражданин».
const ABOUT: &[&str] = &[
    "заявлен",
    "обращен",
    "жалоб",
    "просьб",
    "гражданин",
    "гражданк",
    "заявител",
    "сосед",
    "отношени",
    "сообщени",
    "письм",
    "проживающ",
    "мать",
    "матер",
    "отец",
    "отц",
    "сын",
    "доч",
    "муж",
    "жен",
    "брат",
    "сестр",
    "внук",
];

/// Whether the name at word `i` follows a position in office within its sentence (ten words back
/// at most, not past a word that makes it someone the letter is about).
fn in_office(text: &str, ws: &[(usize, usize)], i: usize) -> bool {
    let from = i.saturating_sub(10);
    for k in (from..i).rev() {
        let w = text[ws[k].0..ws[k].1].to_lowercase();
        if POSITIONS.iter().any(|p| w.starts_with(p)) {
            return true;
        }
        let gap = &text[ws[k].1..ws[k + 1].0];
        let sentence_ends = gap.contains(['!', '?', ';', ',']) || (w.ends_with('.') && w.chars().count() > 4);
        if sentence_ends || ABOUT.iter().any(|a| w.starts_with(a)) {
            return false;
        }
    }
    false
}

/// Every replacement in `text`, in order.
pub fn find(text: &str, known: &Known, writer: Writer) -> Vec<Replacement> {
    let mut found = disguised_emails(text);
    for r in digit_runs(text) {
        if !found.iter().any(|f| f.start < r.end && r.start < f.end) {
            found.push(r);
        }
    }
    found.extend(exact(text, known.address, ADDRESS));
    found.sort_by_key(|r| r.start);
    let taken = found.clone();
    let overlaps = |s: usize, e: usize| taken.iter().any(|f| f.start < e && s < f.end);
    let name_stems = stems(known.name);
    let ws = words(text);
    let applicants = |w: &str| {
        let lower = w.to_lowercase();
        lower.chars().any(char::is_alphabetic) && name_stems.iter().any(|st| lower.starts_with(st.as_str()))
    };
    let word = |k: usize| text[ws[k].0..ws[k].1].trim_end_matches('.');
    let adjacent = |k: usize| k < ws.len() && text[ws[k - 1].1..ws[k].0].trim().is_empty();
    let mut i = 0;
    while i < ws.len() {
        let (s, e) = ws[i];
        if overlaps(s, e) {
            i += 1;
            continue;
        }
        let w = &text[s..e];
        let lower = w.to_lowercase();
        // The name words of a greeting (a title before them; «и» between two people's names).
        let greeting = |k: usize| {
            let mut j = k;
            while adjacent(j) && ["г-н", "г-жа", "господин", "госпожа"].contains(&word(j).to_lowercase().as_str())
            {
                j += 1;
            }
            let first = j;
            loop {
                let name = adjacent(j) && (capitalised(word(j)) || initials(&text[ws[j].0..ws[j].1]));
                let and = j > first && adjacent(j) && word(j) == "и" && adjacent(j + 1) && capitalised(word(j + 1));
                if !(name || and) {
                    break;
                }
                j += 1;
            }
            (j > first).then_some(j)
        };
        let replacement = if is_email(w) {
            Some((EMAIL, i + 1))
        } else if ["уважаемый", "уважаемая", "уважаемые"].contains(&lower.as_str()) {
            greeting(i + 1).map(|j| (if lower == "уважаемые" { GREETING_MANY } else { GREETING }, j))
        } else if lower == "здравствуйте" && i + 1 < ws.len() && text[e..ws[i + 1].0].trim() == "," {
            // «Здравствуйте, Мария Ивановна!»: the comma and the name go.
            let name = capitalised(word(i + 1)) && adjacent(i + 2) && patronymic(word(i + 2));
            if let Some(j) = name.then_some(i + 3) {
                let end = ws[j - 1].1 - (text[ws[j - 1].0..ws[j - 1].1].len() - word(j - 1).len());
                found.push(Replacement { start: e, end, mark: NOTHING });
                i = j;
                continue;
            }
            None
        } else if applicants(w) {
            // The applicant's name, the name words and initials right after it.
            let mut j = i + 1;
            while adjacent(j) && (applicants(word(j)) || patronymic(word(j)) || initials(&text[ws[j].0..ws[j].1])) {
                j += 1;
            }
            Some((NAME, j))
        } else if capitalised(w) && i + 1 < ws.len() {
            // Фамилия Имя Отчество: three capitalised words, the last a patronymic; or Имя
            // Отчество, the way a letter addresses a person («Анне Викторовне»). An official
            // named with a position in the body's own answer stays.
            let name_word = |k: usize| k < ws.len() && adjacent(k) && capitalised(word(k));
            let end = if name_word(i + 1) && name_word(i + 2) && patronymic(word(i + 2)) {
                Some(i + 3)
            } else {
                (name_word(i + 1) && patronymic(word(i + 1))).then_some(i + 2)
            };
            end.filter(|_| writer == Writer::Applicant || !in_office(text, &ws, i)).map(|end| (NAME, end))
        } else if initials(w) && i + 1 < ws.len() && adjacent(i + 1) && applicants(word(i + 1)) {
            // «А.С. Петровой»: the initials go with the name.
            let mut j = i + 2;
            while adjacent(j) && (applicants(word(j)) || patronymic(word(j))) {
                j += 1;
            }
            Some((NAME, j))
        } else {
            address_at(text, &ws, i).map(|end| (ADDRESS, end))
        };
        match replacement {
            Some((mark, next)) => {
                // A full stop after the replaced words stays: it ends the sentence (unless the
                // last word is an initial, whose dot is its own).
                let (ls, le) = ws[next - 1];
                let last = &text[ls..le];
                let dots = if initials(last) { 0 } else { last.len() - last.trim_end_matches('.').len() };
                let end = if le - dots > ls { le - dots } else { le };
                found.push(Replacement { start: s, end, mark });
                i = next;
            }
            None => i += 1,
        }
    }
    found.sort_by_key(|r| r.start);
    found.retain(|r| !the_bodys(text, r, known));
    merge_addresses(text, found)
}

/// Each place `needle` (trimmed, not empty) stands in `text`.
fn exact(text: &str, needle: &str, mark: &'static str) -> Vec<Replacement> {
    let needle = needle.trim();
    if needle.chars().count() < 5 {
        return Vec::new();
    }
    text.match_indices(needle).map(|(at, _)| Replacement { start: at, end: at + needle.len(), mark }).collect()
}

/// The last ten digits of a phone number: the same number written with 8, +7 or without.
fn phone_key(s: &str) -> String {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    digits.chars().skip(digits.len().saturating_sub(10)).collect()
}

/// An e-mail address's or a site's domain, lower-cased, without `www.`.
fn domain(s: &str) -> Option<String> {
    let s = s.trim().to_lowercase();
    let host = match s.split_once('@') {
        Some((_, d)) => d.to_string(),
        None => s.trim_start_matches("https://").trim_start_matches("http://").split('/').next()?.to_string(),
    };
    let host = host.trim_start_matches("www.").trim_end_matches('.').to_string();
    host.contains('.').then_some(host)
}

/// Whether a replacement would remove what is the body's own: its phone (also an executor's line
/// in its letter), an address at its domains, its postal address.
fn the_bodys(text: &str, r: &Replacement, known: &Known) -> bool {
    let piece = &text[r.start..r.end];
    match r.mark {
        PHONE => {
            let line = text[..r.start].rsplit('\n').next().unwrap_or_default().trim_start().to_lowercase();
            let key = phone_key(piece);
            line.starts_with("исп") || known.body.iter().any(|b| phone_key(b) == key && key.len() == 10)
        }
        EMAIL => {
            let own: Vec<String> = known.body.iter().filter_map(|b| domain(b)).collect();
            domain(piece).is_some_and(|d| own.iter().any(|o| d == *o || d.ends_with(&format!(".{o}"))))
                && !piece.trim_end_matches('.').eq_ignore_ascii_case(known.email.trim())
        }
        // A part of the body's address («пр. Кирова», «д. 41»), not of a longer number («д. 4»).
        ADDRESS => known.body.iter().map(|b| b.trim()).filter(|b| b.chars().count() >= 5).any(|b| {
            b.match_indices(piece).any(|(at, _)| !b[at + piece.len()..].starts_with(|c: char| c.is_alphanumeric()))
        }),
        _ => false,
    }
}

/// Address parts one after another («ул. Ленина, д. 5, кв. 12») become one mark, and so do
/// names one after another («Морозова Виктора Ивановича» found as two).
fn merge_addresses(text: &str, found: Vec<Replacement>) -> Vec<Replacement> {
    let mut out: Vec<Replacement> = Vec::with_capacity(found.len());
    for r in found {
        let joins = |c: char| c == ' ' || (r.mark == ADDRESS && (c.is_whitespace() || matches!(c, ',' | '.' | ';')));
        if let Some(last) = out.last_mut()
            && last.mark == r.mark
            && matches!(r.mark, ADDRESS | NAME)
            && last.end <= r.start
            && text[last.end..r.start].chars().all(joins)
        {
            last.end = r.end;
            continue;
        }
        out.push(r);
    }
    out
}

/// Words that start a part of a postal address when a number follows (a flat, a house, a
/// building).
const NUMBERED: &[&str] = &["кв", "кв.", "д", "д.", "дом", "квартира", "корп", "корп.", "стр", "стр."];
/// Words that start a street: its name follows, then often the house and flat («пр. Фрунзе 12-34»).
const STREETS: &[&str] = &[
    "ул",
    "ул.",
    "улица",
    "пр",
    "пр.",
    "пр-т",
    "просп",
    "просп.",
    "проспект",
    "пер",
    "пер.",
    "переулок",
    "ш.",
    "шоссе",
    "б-р",
    "бульвар",
    "пл.",
    "площадь",
    "наб",
    "наб.",
    "набережная",
    "мкр",
    "мкр.",
    "микрорайон",
];

/// Where an address that starts at word `i` ends (the index of the first word after it).
fn address_at(text: &str, ws: &[(usize, usize)], i: usize) -> Option<usize> {
    let lower = text[ws[i].0..ws[i].1].to_lowercase();
    let next_follows = |k: usize| k < ws.len() && text[ws[k - 1].1..ws[k].0].trim().trim_matches('.').is_empty();
    let starts_with_digit = |k: usize| text[ws[k].0..ws[k].1].chars().next().is_some_and(|c| c.is_ascii_digit());
    if NUMBERED.contains(&lower.as_str()) {
        return (next_follows(i + 1) && starts_with_digit(i + 1)).then_some(i + 2);
    }
    if !STREETS.contains(&lower.as_str()) || !next_follows(i + 1) {
        return None;
    }
    // «ул.» is a street whatever follows; the shorter words only before a capitalised name.
    let street = lower.starts_with("ул") || capitalised(&text[ws[i + 1].0..ws[i + 1].1]);
    if !street {
        return None;
    }
    // The name may be several words («Ивана Черных», «Иркутский тракт»); then the house (and
    // flat) right after it: «Фрунзе 12-34», «Ленина, 5».
    let mut after = i + 2;
    while after < ws.len()
        && after < i + 4
        && text[ws[after - 1].1..ws[after].0].trim().is_empty()
        && (capitalised(&text[ws[after].0..ws[after].1]) || text[ws[after].0..ws[after].1] == *"тракт")
    {
        after += 1;
    }
    let house = after < ws.len()
        && text[ws[after - 1].1..ws[after].0].trim().trim_matches(',').trim().is_empty()
        && starts_with_digit(after);
    Some(if house { after + 1 } else { after })
}

/// Addresses written to dodge robots: `name(at)mail.example`, `name[at]mail.example`,
/// `name(собака)mail.example`.
fn disguised_emails(text: &str) -> Vec<Replacement> {
    const DISGUISES: &[&str] = &["(at)", "[at]", "{at}", "(собака)", "[собака]"];
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        return Vec::new();
    }
    let local = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+');
    let mut out = Vec::new();
    for d in DISGUISES {
        for (at, _) in lower.match_indices(d) {
            let before = text[..at].char_indices().rev().take_while(|(_, c)| local(*c)).last().map(|(k, _)| k);
            let after = &text[at + d.len()..];
            let len: usize = after.chars().take_while(|c| local(*c)).map(char::len_utf8).sum();
            let domain = after[..len].trim_end_matches('.');
            if let Some(start) = before
                && domain.contains('.')
            {
                out.push(Replacement { start, end: at + d.len() + domain.len(), mark: EMAIL });
            }
        }
    }
    out
}

/// Runs of ten or more digits (spaces, hyphens, brackets and a leading plus between them):
/// a phone when it starts with +7, 7 or 8 and has 11 digits, otherwise a document number.
fn digit_runs(text: &str) -> Vec<Replacement> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !(c.is_ascii_digit() || c == '+') {
            i += 1;
            continue;
        }
        // Extend over digits and separators; stop at a separator not followed by a digit.
        let mut j = i;
        let mut digits = String::new();
        let mut end = start;
        while j < chars.len() {
            let (at, ch) = chars[j];
            if ch.is_ascii_digit() {
                digits.push(ch);
                end = at + ch.len_utf8();
            } else if !(matches!(ch, ' ' | '-' | '(' | ')' | '+')
                && chars.get(j + 1).is_some_and(|(_, n)| n.is_ascii_digit() || *n == '(' || *n == ' '))
            {
                break;
            }
            j += 1;
        }
        if digits.len() >= 10 {
            let phone = digits.len() == 11 && (digits.starts_with('7') || digits.starts_with('8'));
            out.push(Replacement { start, end, mark: if phone { PHONE } else { DOCUMENT } });
            while i < chars.len() && chars[i].0 < end {
                i += 1;
            }
        } else {
            i = j.max(i + 1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Known, Writer, redact};

    fn applicant<'a>(name: &'a str, address: &'a str, email: &'a str) -> Known<'a> {
        Known { name, address, email, ..Known::default() }
    }

    #[test]
    fn personal_data_is_replaced_and_the_rest_kept() {
        let known = applicant("Петрова Анна Сергеевна", "г. Томск, ул. Ленина, д. 5, кв. 12", "anna@example.org");
        let text = "Я, Петрова Анна Сергеевна, прошу ответить на anna@example.org или по телефону +7 (913) 123-45-67. \
                    Паспорт 6912 345678, СНИЛС 123-456-789 01. Живу: ул. Ленина, д. 5, кв. 12. \
                    Мой сосед Иванов Пётр Ильич подтвердит. Ответ Петровой прошу направить до 01.04.2026.";
        let out = redact(text, &known, Writer::Applicant);
        for gone in [
            "Петрова",
            "Анна",
            "Сергеевна",
            "anna@",
            "913",
            "6912",
            "345678",
            "789",
            "Иванов",
            "Ильич",
            "Петровой",
            "кв. 12",
        ] {
            assert!(!out.contains(gone), "{gone} left in: {out}");
        }
        for kept in
            ["прошу ответить на", "[ФИО]", "[телефон]", "[номер документа]", "[адрес]", "до 01.04.2026", "Мой сосед"]
        {
            assert!(out.contains(kept), "{kept} missing in: {out}");
        }
    }

    #[test]
    fn the_cases_a_first_pass_missed_are_found() {
        let text = "Прошу ответить Анне Викторовне. Анна Викторовна живёт: пр. Фрунзе 12-34, \
                    пишите на anna(at)mail.example или ivan[at]mail.example.";
        let out = redact(text, &Known::default(), Writer::Applicant);
        for gone in ["Анне", "Викторовне", "Анна Викторовна", "Фрунзе", "12-34", "anna", "ivan", "(at)"]
        {
            assert!(!out.contains(gone), "{gone} left in: {out}");
        }
        assert!(out.contains("Прошу ответить [ФИО]") && out.contains("живёт: [адрес]"), "{out}");
        assert_eq!(out.matches("[адрес электронной почты]").count(), 2, "{out}");
        assert!(out.starts_with("Прошу ответить [ФИО]. [ФИО] живёт"), "{out}");
    }

    #[test]
    fn ordinary_words_and_numbers_stay() {
        let out = redact(
            "Выплата 5000 рублей по закону № 123-ФЗ от 12.03.2020 в Томской области",
            &applicant("Петрова Анна", "г. Томск, ул. Ленина, д. 5", ""),
            Writer::Applicant,
        );
        assert_eq!(out, "Выплата 5000 рублей по закону № 123-ФЗ от 12.03.2020 в Томской области");
    }

    #[test]
    fn a_greeting_by_name_becomes_neutral_and_address_parts_one_mark() {
        let known = applicant("Петрова Мария Ивановна", "", "");
        let out = redact(
            "Уважаемая Мария Ивановна!\nЗдравствуйте, Мария Ивановна! Уважаемые Иван Петрович и Анна Сергеевна!\n\
             Ответ направлен по адресу: 634050, г. Томск, ул. Ленина, д. 5, кв. 12. Уважаемые коллеги!",
            &known,
            Writer::Body,
        );
        assert!(out.starts_with("Уважаемый заявитель!\nЗдравствуйте! Уважаемые заявители!"), "{out}");
        assert!(out.contains("г. Томск, [адрес]. Уважаемые коллеги!"), "{out}");
        assert_eq!(out.matches("[адрес]").count(), 1, "{out}");
    }

    #[test]
    fn the_bodys_contacts_and_officials_stay_in_its_answer() {
        let body = ["8 (3822) 71-38-42", "social@dszn.tomsk.gov.ru", "https://dszn.tomsk.gov.ru", "пр. Ленина, 111"];
        let known = Known { name: "Петрова Анна Сергеевна", body: &body, ..Known::default() };
        let text = "Петровой А.С.\nУважаемая Анна Сергеевна!\nДепартамент (пр. Ленина, 111) рассмотрел обращение. \
                    Справки по телефону +7 3822 713842 и по адресу priem@dszn.tomsk.gov.ru.\n\
                    Заместитель начальника департамента Сидоров Пётр Ильич\nИсп. Кузнецова Е.В., 8 (3822) 71-38-50";
        let out = redact(text, &known, Writer::Body);
        for kept in
            ["пр. Ленина, 111", "+7 3822 713842", "priem@dszn.tomsk.gov.ru", "Сидоров Пётр Ильич", "8 (3822) 71-38-50"]
        {
            assert!(out.contains(kept), "{kept} missing in: {out}");
        }
        assert!(out.starts_with("[ФИО]\nУважаемый заявитель!"), "{out}");
        // The same words from the applicant are a private person's: removed.
        let said = redact("Мне ответил заместитель начальника Сидоров Пётр Ильич", &known, Writer::Applicant);
        assert_eq!(said, "Мне ответил заместитель начальника [ФИО]");
    }
}
