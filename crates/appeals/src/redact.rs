//! Redaction of personal data (152-FZ) before a question and its answer are published
//! (seed 000 §37 «б»): e-mail addresses, phone numbers, document numbers (passport, SNILS, INN,
//! policy and account numbers: long digit groups), postal address details (flat, house, street
//! with a number) and people's names — the applicant's own words in any case ending, and full
//! names with a patronymic. Automatic redaction is a first pass: staff review every text before
//! it is published.

/// What replaces each kind of personal data.
pub const NAME: &str = "[ФИО]";
pub const EMAIL: &str = "[адрес электронной почты]";
pub const PHONE: &str = "[телефон]";
pub const DOCUMENT: &str = "[номер документа]";
pub const ADDRESS: &str = "[адрес]";

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
/// (so «Петрова» also finds «Петровой», «Петровой» and «Анна» finds «Анны»).
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

/// Replaces the personal data found in `text`; `known` are texts known to be personal (the
/// applicant's name, address, e-mail, phone), each found also inside other words' endings.
pub fn redact(text: &str, known: &[&str]) -> String {
    // An address written to dodge robots (name(at)mail.example) is an address.
    let text = undisguise_at(text);
    // Phone numbers and document numbers first: runs of digits with the separators people use.
    let digits_done = redact_digit_runs(&text);
    let text = digits_done.as_str();
    let name_stems: Vec<String> = known.iter().flat_map(|k| stems(k)).collect();
    let ws = words(text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while i < ws.len() {
        let (s, e) = ws[i];
        let w = &text[s..e];
        let lower = w.to_lowercase();
        let replacement = if is_email(w) {
            Some((EMAIL, i + 1))
        } else if lower.chars().any(char::is_alphabetic) && name_stems.iter().any(|st| lower.starts_with(st.as_str())) {
            // The applicant's name, and the name words right after it.
            let mut j = i + 1;
            while j < ws.len() {
                let next = text[ws[j].0..ws[j].1].to_lowercase();
                let adjacent = text[ws[j - 1].1..ws[j].0].trim().is_empty();
                if adjacent && (name_stems.iter().any(|st| next.starts_with(st.as_str())) || patronymic(&next)) {
                    j += 1;
                } else {
                    break;
                }
            }
            Some((NAME, j))
        } else if capitalised(w) && i + 1 < ws.len() {
            // Фамилия Имя Отчество: three capitalised words, the last a patronymic; or Имя
            // Отчество, the way a letter addresses a person («Анне Викторовне»).
            // A name at the end of a sentence keeps its full stop.
            let word = |k: usize| text[ws[k].0..ws[k].1].trim_end_matches('.');
            let adjacent = |k: usize| text[ws[k - 1].1..ws[k].0].trim().is_empty();
            let name_word = |k: usize| k < ws.len() && adjacent(k) && capitalised(word(k));
            if name_word(i + 1) && name_word(i + 2) && patronymic(word(i + 2)) {
                Some((NAME, i + 3))
            } else {
                (name_word(i + 1) && patronymic(word(i + 1))).then_some((NAME, i + 2))
            }
        } else {
            address_at(text, &ws, i).map(|end| (ADDRESS, end))
        };
        match replacement {
            Some((mark, next)) => {
                out.push_str(&text[last..s]);
                out.push_str(mark);
                // A full stop after the replaced words stays: it ends the sentence.
                let (ls, le) = ws[next - 1];
                let dots = text[ls..le].len() - text[ls..le].trim_end_matches('.').len();
                last = if le - dots > ls { le - dots } else { le };
                i = next;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[last..]);
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
    // The house (and flat) right after the name: «Фрунзе 12-34», «Ленина, 5».
    let after = i + 2;
    let house = after < ws.len()
        && text[ws[after - 1].1..ws[after].0].trim().trim_matches(',').trim().is_empty()
        && starts_with_digit(after);
    Some(if house { after + 1 } else { after })
}

/// `name(at)mail.example`, `name[at]mail.example`, `name(собака)mail.example` written with an @.
fn undisguise_at(text: &str) -> std::borrow::Cow<'_, str> {
    const DISGUISES: &[&str] = &["(at)", "[at]", "{at}", "(собака)", "[собака]"];
    let lower = text.to_lowercase();
    if lower.len() != text.len() || !DISGUISES.iter().any(|d| lower.contains(d)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while i < text.len() {
        let found = DISGUISES.iter().find(|d| lower[i..].starts_with(**d));
        let joined = |d: &str| {
            text[..i].chars().next_back().is_some_and(char::is_alphanumeric)
                && text[i + d.len()..].chars().next().is_some_and(char::is_alphanumeric)
        };
        match found {
            Some(d) if joined(d) => {
                out.push_str(&text[last..i]);
                out.push('@');
                i += d.len();
                last = i;
            }
            _ => i += text[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    out.push_str(&text[last..]);
    std::borrow::Cow::Owned(out)
}

/// Runs of ten or more digits (spaces, hyphens, brackets and a leading plus between them):
/// a phone when it starts with +7, 7 or 8 and has 11 digits, otherwise a document number.
fn redact_digit_runs(text: &str) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
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
            out.push_str(&text[last..start]);
            out.push_str(if phone { PHONE } else { DOCUMENT });
            last = end;
            while i < chars.len() && chars[i].0 < end {
                i += 1;
            }
        } else {
            i = j.max(i + 1);
        }
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn personal_data_is_replaced_and_the_rest_kept() {
        let known = ["Петрова Анна Сергеевна", "г. Томск, ул. Ленина, д. 5, кв. 12", "anna@example.org"];
        let text = "Я, Петрова Анна Сергеевна, прошу ответить на anna@example.org или по телефону +7 (913) 123-45-67. \
                    Паспорт 6912 345678, СНИЛС 123-456-789 01. Живу: ул. Ленина, д. 5, кв. 12. \
                    Мой сосед Иванов Пётр Ильич подтвердит. Ответ Петровой прошу направить до 01.04.2026.";
        let out = redact(text, &known);
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
        let out = redact(text, &[]);
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
        let out = redact("Выплата 5000 рублей по закону № 123-ФЗ от 12.03.2020 в Томской области", &["Петрова Анна"]);
        assert_eq!(out, "Выплата 5000 рублей по закону № 123-ФЗ от 12.03.2020 в Томской области");
    }
}
