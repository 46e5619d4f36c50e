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
    // Phone numbers and document numbers first: runs of digits with the separators people use.
    let digits_done = redact_digit_runs(text);
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
        } else if capitalised(w) && i + 2 < ws.len() {
            // Фамилия Имя Отчество: three capitalised words, the last a patronymic.
            let (a, b) = (&text[ws[i + 1].0..ws[i + 1].1], &text[ws[i + 2].0..ws[i + 2].1]);
            let adjacent = text[e..ws[i + 1].0].trim().is_empty() && text[ws[i + 1].1..ws[i + 2].0].trim().is_empty();
            (adjacent && capitalised(a) && capitalised(b) && patronymic(b)).then_some((NAME, i + 3))
        } else if matches!(
            lower.as_str(),
            "кв" | "кв." | "д" | "д." | "дом" | "квартира" | "корп" | "корп." | "ул" | "ул."
        ) && ws.get(i + 1).is_some_and(|(ns, ne)| {
            let next = &text[*ns..*ne];
            text[e..*ns].trim().trim_matches('.').is_empty()
                && (next.chars().next().is_some_and(|c| c.is_ascii_digit()) || lower.starts_with("ул"))
        }) {
            Some((ADDRESS, i + 2))
        } else {
            None
        };
        match replacement {
            Some((mark, next)) => {
                out.push_str(&text[last..s]);
                out.push_str(mark);
                last = ws[next - 1].1;
                i = next;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[last..]);
    out
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
    fn ordinary_words_and_numbers_stay() {
        let out = redact("Выплата 5000 рублей по закону № 123-ФЗ от 12.03.2020 в Томской области", &["Петрова Анна"]);
        assert_eq!(out, "Выплата 5000 рублей по закону № 123-ФЗ от 12.03.2020 в Томской области");
    }
}
