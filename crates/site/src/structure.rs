//! The structure of a body in a clear form (seed 000 §8: «структура управления в наглядном
//! виде»): editors write it as an outline — one unit a line, a deeper indent for a unit under the
//! one above, «—» before what is said of it (its head, a telephone) — and citizens see it drawn as
//! a tree that reads the same to a screen reader (nested lists) and fits a phone.

/// A unit of the structure: its name, what is said of it, and the units under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    pub name: String,
    pub about: String,
    pub under: Vec<Unit>,
}

/// The most units, levels and characters in a line.
const MOST_UNITS: usize = 300;
const MOST_LEVELS: usize = 8;
const LONGEST_LINE: usize = 300;

/// The units of an outline, every problem named with its line. A line's indent (spaces; a tab as
/// two) against the lines above says where it stands: under the nearest line above with a smaller
/// indent, at the top if there is none; a bullet («-», «*», «•», «–») before the name is dropped.
pub fn parse(text: &str) -> Result<Vec<Unit>, Vec<String>> {
    let mut errors = vec![];
    // The path from a top unit to the last one read: (its indent, where it is).
    let mut path: Vec<(usize, Vec<usize>)> = vec![];
    let mut roots: Vec<Unit> = vec![];
    let mut count = 0;
    for (line, n) in text.lines().zip(1..) {
        if line.trim().is_empty() {
            continue;
        }
        let indent: usize = line.chars().take_while(|c| c.is_whitespace()).map(|c| if c == '\t' { 2 } else { 1 }).sum();
        let body = line.trim().trim_start_matches(['-', '*', '•', '–']).trim();
        if body.is_empty() {
            continue;
        }
        if body.chars().count() > LONGEST_LINE {
            errors.push(format!("строка {n}: длиннее {LONGEST_LINE} знаков"));
            continue;
        }
        let (name, about) = match body.split_once(" — ").or_else(|| body.split_once(" - ")) {
            Some((name, about)) => (name.trim(), about.trim()),
            None => (body, ""),
        };
        let unit = Unit { name: name.to_string(), about: about.to_string(), under: vec![] };
        // Up to the unit this one stands under (the nearest above with a smaller indent); one
        // with the same indent is beside it.
        while path.last().is_some_and(|(i, _)| *i >= indent) {
            path.pop();
        }
        let parent: Vec<usize> = path.last().map(|(_, at)| at.clone()).unwrap_or_default();
        if parent.len() >= MOST_LEVELS {
            errors.push(format!("строка {n}: уровней больше {MOST_LEVELS}"));
            continue;
        }
        let list = parent.iter().fold(&mut roots, |list, &i| &mut list[i].under);
        list.push(unit);
        let mut here = parent;
        here.push(list.len() - 1);
        path.push((indent, here));
        count += 1;
    }
    if count > MOST_UNITS {
        errors.push(format!("подразделений больше {MOST_UNITS}"));
    }
    if errors.is_empty() { Ok(roots) } else { Err(errors) }
}

/// A tree as the tags that draw it, in order: a list opens, a unit (with its list under it, if any)
/// opens and closes, a list closes — so a template draws any depth without recursion.
#[derive(Debug, PartialEq, Eq)]
pub enum Tag<'a> {
    ListOpen,
    Unit(&'a Unit),
    UnitClose,
    ListClose,
}

pub fn tags(units: &[Unit]) -> Vec<Tag<'_>> {
    fn walk<'a>(units: &'a [Unit], out: &mut Vec<Tag<'a>>) {
        out.push(Tag::ListOpen);
        for u in units {
            out.push(Tag::Unit(u));
            if !u.under.is_empty() {
                walk(&u.under, out);
            }
            out.push(Tag::UnitClose);
        }
        out.push(Tag::ListClose);
    }
    let mut out = vec![];
    if !units.is_empty() {
        walk(units, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(units: &[Unit]) -> Vec<String> {
        units
            .iter()
            .map(|u| {
                format!(
                    "{}{}",
                    u.name,
                    if u.under.is_empty() { String::new() } else { format!("({})", names(&u.under).join(", ")) }
                )
            })
            .collect()
    }

    #[test]
    fn indents_place_each_unit_under_the_one_above() {
        let text = "Руководитель департамента — Иванов Иван Иванович\n\
                    \x20 - Заместитель руководителя — Петрова А. А., тел. 71-00-01\n\
                    \x20   • Отдел социальных выплат\n\
                    \n\
                    \x20   • Отдел опеки и попечительства\n\
                    \x20 - Бухгалтерия\n\
                    \tКонтрольно-ревизионный отдел\n\
                    Коллегия департамента\n";
        let units = parse(text).expect("outline");
        assert_eq!(
            names(&units),
            [
                "Руководитель департамента(Заместитель руководителя(Отдел социальных выплат, Отдел опеки и попечительства), Бухгалтерия, Контрольно-ревизионный отдел)",
                "Коллегия департамента"
            ]
        );
        assert_eq!(units[0].about, "Иванов Иван Иванович");
        assert_eq!(units[0].under[0].about, "Петрова А. А., тел. 71-00-01");
        let tags = tags(&units);
        assert_eq!(tags.iter().filter(|t| **t == Tag::ListOpen).count(), 3);
        assert_eq!(
            tags.iter().filter(|t| **t == Tag::ListOpen).count(),
            tags.iter().filter(|t| **t == Tag::ListClose).count()
        );
        assert_eq!(tags.first(), Some(&Tag::ListOpen));
        assert!(super::tags(&[]).is_empty());
    }

    #[test]
    fn too_deep_or_too_long_is_named_with_its_line() {
        let deep: String = (0..10).map(|i| format!("{}Уровень {i}\n", " ".repeat(i * 2))).collect();
        assert_eq!(parse(&deep).expect_err("deep"), ["строка 9: уровней больше 8", "строка 10: уровней больше 8"]);
        let long = format!("Отдел\n  {}\n", "а".repeat(301));
        assert_eq!(parse(&long).expect_err("long"), ["строка 2: длиннее 300 знаков"]);
    }
}
