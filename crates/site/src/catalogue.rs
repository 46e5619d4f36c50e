//! The catalogue of what a body must publish on its site: each item of 8-FZ art. 13 and of the
//! recommendations (seed 000 §8–15) with its section, kind, the bodies it applies to and its
//! freshness rule — a deadline phrase the deadlines crate reads. Data, not code: the built-in
//! catalogue is `data/catalogue.csv`; a portal admin loads another as CSV of the same columns.

use serde::Serialize;

/// The columns of the catalogue's CSV, in order.
pub const COLUMNS: [&str; 7] = ["code", "section", "title", "kind", "applies_to", "freshness", "basis"];

/// What an item is on the site.
pub const KINDS: [&str; 5] = ["page", "document", "list", "dataset", "contact"];

/// The kinds of bodies an item applies to: an executive body of state power, a body of local
/// self-government, an organisation subordinate to either.
pub const BODY_KINDS: [&str; 3] = ["executive", "local", "subordinate"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Item {
    /// Stable key of the item: latin letters, digits and dashes.
    pub code: String,
    /// The site section it belongs to (the navigation a citizen sees).
    pub section: String,
    pub title: String,
    pub kind: String,
    /// Body kinds, separated by spaces.
    pub applies_to: String,
    /// How fresh it must be kept, as a deadline phrase.
    pub freshness: String,
    /// The rule it rests on (law, recommendation, a body's list).
    pub basis: String,
}

impl Item {
    pub fn applies(&self, body_kind: &str) -> bool {
        self.applies_to.split_whitespace().any(|k| k == body_kind)
    }

    /// The freshness rule read; every loaded catalogue has it readable.
    pub fn schedule(&self) -> Option<deadlines::Schedule> {
        deadlines::parse(&self.freshness).ok()
    }
}

/// The built-in catalogue.
pub fn builtin() -> Vec<Item> {
    // The file is checked by the tests; should it ever fail to read, no catalogue beats a panic.
    parse(include_bytes!("../data/catalogue.csv")).unwrap_or_default()
}

/// Reads a catalogue from CSV (UTF-8, a header row of [`COLUMNS`]). Every problem is reported,
/// each with its line, in Russian; a catalogue with any problem is not taken at all.
pub fn parse(bytes: &[u8]) -> Result<Vec<Item>, Vec<String>> {
    let records = opendata_format::csv::records(bytes).map_err(|(line, e)| vec![format!("строка {line}: {e}")])?;
    let mut records = records.into_iter().filter(|(_, cells)| !(cells.len() == 1 && cells[0].trim().is_empty()));
    let Some((_, header)) = records.next() else {
        return Err(vec!["файл пуст: нужна строка заголовков и хотя бы один пункт".into()]);
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    if header != COLUMNS {
        return Err(vec![format!("строка 1: заголовки должны быть такими: {}", COLUMNS.join(","))]);
    }
    let mut items: Vec<Item> = Vec::new();
    let mut errors = Vec::new();
    for (line, cells) in records {
        if cells.len() != COLUMNS.len() {
            errors.push(format!("строка {line}: {} столбцов вместо {}", cells.len(), COLUMNS.len()));
            continue;
        }
        let c = |i: usize| cells[i].trim().to_string();
        let item = Item {
            code: c(0),
            section: c(1),
            title: c(2),
            kind: c(3),
            applies_to: c(4).split_whitespace().collect::<Vec<_>>().join(" "),
            freshness: c(5),
            basis: c(6),
        };
        let mut bad = |what: String| errors.push(format!("строка {line}: {what}"));
        if item.code.is_empty()
            || item.code.len() > 60
            || !item.code.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
        {
            bad(format!("код «{}» — только строчные латинские буквы, цифры и дефис, до 60 знаков", item.code));
        } else if items.iter().any(|i| i.code == item.code) {
            bad(format!("код «{}» уже был выше", item.code));
        }
        for (name, value, max) in
            [("раздел", &item.section, 200), ("наименование", &item.title, 1000), ("основание", &item.basis, 1000)]
        {
            if name != "основание" && value.is_empty() {
                bad(format!("не заполнено: {name}"));
            }
            if value.chars().count() > max {
                bad(format!("{name} длиннее {max} знаков"));
            }
        }
        if !KINDS.contains(&item.kind.as_str()) {
            bad(format!("вид «{}» — один из: {}", item.kind, KINDS.join(", ")));
        }
        if item.applies_to.is_empty() || !item.applies_to.split(' ').all(|k| BODY_KINDS.contains(&k)) {
            bad(format!("«к кому относится» — через пробел из: {}", BODY_KINDS.join(", ")));
        }
        if let Err(e) = deadlines::parse(&item.freshness) {
            bad(format!("срок обновления «{}» не прочитан: {}", item.freshness, e.reason));
        }
        items.push(item);
    }
    if items.is_empty() && errors.is_empty() {
        errors.push("в файле нет ни одного пункта".into());
    }
    if errors.is_empty() { Ok(items) } else { Err(errors) }
}

/// The catalogue as CSV of [`COLUMNS`], as a portal admin downloads and loads it.
pub fn to_csv(items: &[Item]) -> String {
    let mut out = kernel::csv::row(&COLUMNS);
    for i in items {
        out.push_str(&kernel::csv::row(&[
            &i.code,
            &i.section,
            &i.title,
            &i.kind,
            &i.applies_to,
            &i.freshness,
            &i.basis,
        ]));
    }
    out
}

/// Sections in the catalogue's order, each with its items.
pub fn sections(items: &[Item]) -> Vec<(String, Vec<&Item>)> {
    let mut out: Vec<(String, Vec<&Item>)> = Vec::new();
    for i in items {
        match out.iter_mut().find(|(s, _)| *s == i.section) {
            Some((_, list)) => list.push(i),
            None => out.push((i.section.clone(), vec![i])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalogue_reads_whole_and_every_rule_is_a_deadline() {
        let items = parse(include_bytes!("../data/catalogue.csv")).expect("the built-in catalogue reads");
        assert_eq!(items.len(), 53);
        assert_eq!(builtin(), items);
        let sections = sections(&items);
        assert_eq!(sections.len(), 12, "{:?}", sections.iter().map(|s| &s.0).collect::<Vec<_>>());
        assert_eq!(sections[0].0, "Общая информация");
        assert!(items.iter().all(|i| i.schedule().is_some()));
        // Round trip: what an admin downloads loads back unchanged.
        assert_eq!(parse(to_csv(&items).as_bytes()).expect("reads back"), items);
    }

    #[test]
    fn every_problem_is_reported_with_its_line_and_nothing_is_taken() {
        let csv = "code,section,title,kind,applies_to,freshness,basis\r\n\
                   ok-item,Раздел,Пункт,page,executive,ежеквартально,\r\n\
                   Bad Code,Раздел,Пункт,poster,mayor,когда-нибудь потом,\r\n\
                   ok-item,Раздел,Пункт,page,local,постоянно,\r\n\
                   short,row\r\n";
        let errors = parse(csv.as_bytes()).expect_err("refused");
        let all = errors.join("\n");
        assert!(all.contains("строка 3: код «Bad Code»"), "{all}");
        assert!(all.contains("строка 3: вид «poster»"), "{all}");
        assert!(all.contains("строка 3: «к кому относится»"), "{all}");
        assert!(all.contains("строка 3: срок обновления «когда-нибудь потом» не прочитан"), "{all}");
        assert!(all.contains("строка 4: код «ok-item» уже был выше"), "{all}");
        assert!(all.contains("строка 5: 2 столбцов вместо 7"), "{all}");
        assert!(parse(b"code,title\r\nx,y\r\n").expect_err("wrong header")[0].starts_with("строка 1"));
        assert!(parse(b"").is_err());
        assert!(parse(b"\xff\xfe").is_err());
    }

    #[test]
    fn a_formula_in_a_cell_is_neutralised_on_download() {
        let item = Item {
            code: "x".into(),
            section: "=HYPERLINK(\"http://evil\")".into(),
            title: "t".into(),
            kind: "page".into(),
            applies_to: "local".into(),
            freshness: "постоянно".into(),
            basis: String::new(),
        };
        assert!(to_csv(&[item]).contains("'=HYPERLINK"));
    }
}
