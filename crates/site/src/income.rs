//! Information on the incomes, expenses, property and property obligations of a body's officials
//! and their families (seed 000 §15; Указ Президента РФ от 08.07.2013 № 613): a table per
//! reporting year, loaded from the body's own spreadsheet in the shape it already publishes — one
//! or two header rows, a group of columns over its sub-columns, objects one per line in a cell or
//! one per row — read so that:
//!
//! - each person's rows stay together (a row with no name continues the one above);
//! - a relative's row never carries a name: a spouse or child is shown by relation only, whatever
//!   the cell held (Указ № 613 publishes no family member's name);
//! - a row whose income is not a sum is refused with its line (a cell left out of a row shifts
//!   everything after it — a real table does this, see `tests/data/income/SOURCES.md`).
//!
//! Publication is a portal setting, off by default: Указ Президента РФ от 29.12.2022 № 968
//! suspended publishing this information for the period of the special military operation. Staff
//! with the right to edit the body's site keep loading it; nobody else sees it until it is public.

use kernel::audit::{self, Actor, Change};
use kernel::{Db, Error, Result};
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// A column of the table: the group it stands under (a header cell spanning several columns),
/// if any, and its own name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub group: Option<String>,
    pub name: String,
}

/// Whose information a row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Whose {
    /// The official, with their name and position.
    Official,
    Spouse,
    Child,
}

/// One person's information: their cells, in the table's columns (several values of a cell on
/// separate lines). A relative's name cell holds the relation and their position cell nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub whose: Whose,
    pub cells: Vec<String>,
}

/// A year's table as published.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<Column>,
    /// The column of names.
    pub name_at: usize,
    pub entries: Vec<Entry>,
}

/// The most people (officials and relatives) a table has, and characters in a cell.
const MOST_ENTRIES: usize = 10_000;
const LONGEST_CELL: usize = 4000;

fn key(s: &str) -> String {
    s.to_lowercase().replace('ё', "е").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_name_header(k: &str) -> bool {
    k.contains("фамилия") || k.contains("ф.и.о") || k.contains("фио") || k.contains("лица, чьи сведения")
}

/// A cell's text: its lines trimmed, spaces inside a line collapsed, blank lines kept between
/// values (they align objects with their areas) but not at the ends.
fn tidy(s: &str) -> String {
    let lines: Vec<String> = s.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    match (first, last) {
        (Some(a), Some(b)) => lines[a..=b].join("\n"),
        _ => String::new(),
    }
}

/// The relation a name cell states, if it states one: its first word is a relation («супруга»,
/// «несовершеннолетний ребёнок», «сын»…), so a surname that merely begins like one is a name.
pub fn relation(cell: &str) -> Option<Whose> {
    let k = key(cell);
    let first: String = k.chars().take_while(|c| c.is_alphabetic()).collect();
    match first.as_str() {
        "супруг" | "супруга" | "муж" | "жена" => Some(Whose::Spouse),
        "несовершеннолетний" | "несовершеннолетняя" | "несовершеннолетние" | "сын" | "дочь" | "ребенок" | "дети" => {
            Some(Whose::Child)
        }
        _ => None,
    }
}

/// Whether an income cell is a sum (or says there is none): digits with spaces between thousands,
/// a comma or point before kopecks, «руб.» after; «нет», «не имеет», a dash.
fn is_sum(cell: &str) -> bool {
    let k = key(cell);
    let k = k.trim_end_matches("руб.").trim_end_matches("руб").trim();
    if k.is_empty() || matches!(k, "нет" | "не имеет" | "не имеется" | "-" | "—" | "–") {
        return true;
    }
    let digits: String = k.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    let mut parts = digits.splitn(2, [',', '.']);
    let whole = parts.next().unwrap_or_default();
    let frac = parts.next().unwrap_or("0");
    !whole.is_empty() && whole.chars().all(|c| c.is_ascii_digit()) && frac.chars().all(|c| c.is_ascii_digit())
}

/// The years (2000–2099) a text names, in order.
fn years_in(s: &str) -> Vec<i32> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = vec![];
    let mut i = 0;
    while i + 4 <= chars.len() {
        let w = &chars[i..i + 4];
        let bounded =
            (i == 0 || !chars[i - 1].is_ascii_digit()) && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        if bounded && w[0] == '2' && w[1] == '0' && w[2].is_ascii_digit() && w[3].is_ascii_digit() {
            out.push(w.iter().collect::<String>().parse().unwrap_or_default());
            i += 4;
        } else {
            i += 1;
        }
    }
    out
}

/// What a file holds: the table, and the reporting year its title or header names, if it names one.
#[derive(Debug, PartialEq)]
pub struct Read {
    pub table: Table,
    pub year: Option<i32>,
}

/// The table of numbered rows: title rows above the header are skipped (a year they name is the
/// reporting year), the header is one row or two (a group over its sub-columns), a numbering row
/// under it is skipped; every problem is named with its line.
pub fn from_rows(rows: &[(u64, Vec<String>)]) -> std::result::Result<Read, Vec<String>> {
    let rows: Vec<(u64, Vec<String>)> = rows
        .iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(n, cells)| (*n, cells.iter().map(|c| tidy(c)).collect()))
        .collect();
    let Some(head) = rows.iter().position(|(_, cells)| cells.iter().any(|c| is_name_header(&key(c)))) else {
        return Err(vec![
            "не найдена строка названий столбцов: в ней должен быть столбец «Фамилия, имя, отчество» \
             (или «Фамилия и инициалы лица, чьи сведения размещаются»)"
                .into(),
        ]);
    };
    let mut year = rows[..head].iter().flat_map(|(_, c)| c.iter().flat_map(|s| years_in(s))).next();
    let top = &rows[head].1;
    let width = rows[head..].iter().map(|(_, c)| c.len()).max().unwrap_or_default();
    let cell = |cells: &Vec<String>, i: usize| cells.get(i).cloned().unwrap_or_default();
    let name_at = top.iter().position(|c| is_name_header(&key(c))).unwrap_or_default();
    // A second header row: the next row has no name and is not all numbers (a numbering row).
    let numbers = |cells: &Vec<String>| cells.iter().filter(|c| !c.is_empty()).all(|c| c.parse::<u32>().is_ok());
    let mut next = head + 1;
    let sub = match rows.get(next) {
        Some((_, cells)) if cell(cells, name_at).is_empty() && !numbers(cells) => {
            next += 1;
            Some(cells.clone())
        }
        _ => None,
    };
    if rows.get(next).is_some_and(|(_, cells)| numbers(cells) && cell(cells, name_at) == (name_at + 1).to_string()) {
        next += 1;
    }
    // The columns: a header cell with sub-columns under it is their group, carried over the empty
    // cells to its right that have sub-columns too.
    let mut columns = vec![];
    let mut group: Option<String> = None;
    for i in 0..width {
        let (t, s) = (cell(top, i), sub.as_ref().map(|s| cell(s, i)).unwrap_or_default());
        let col = match (t.is_empty(), s.is_empty()) {
            (false, false) => {
                group = Some(t.clone());
                Column { group: group.clone(), name: s }
            }
            (true, false) => Column { group: group.clone(), name: s },
            (false, true) => {
                group = None;
                Column { group: None, name: t }
            }
            (true, true) => {
                group = None;
                Column::default()
            }
        };
        columns.push(col);
    }
    if year.is_none() {
        year = columns.iter().flat_map(|c| c.group.iter().chain([&c.name])).flat_map(|s| years_in(s)).next();
    }
    let label = |c: &Column| key(&format!("{} {}", c.group.as_deref().unwrap_or_default(), c.name));
    let is_number = |c: &Column| {
        let k = label(c);
        k.starts_with('№') || k.contains("п/п") || k.contains("п.п")
    };
    let position_at = columns.iter().position(|c| key(&c.name).starts_with("должност"));
    let income_at: Vec<usize> = (0..columns.len())
        .filter(|&i| {
            let k = label(&columns[i]);
            k.contains("доход") && !k.contains("источник")
        })
        .collect();
    let mut errors = vec![];
    if income_at.is_empty() {
        errors.push(format!(
            "строка {}: нет столбца дохода («Декларированный годовой доход» или «Общая сумма дохода»)",
            rows[head].0
        ));
    }
    // The columns shown: not the numbering, not an unnamed column with nothing in it.
    let body = &rows[next..];
    let used = |i: usize| body.iter().any(|(_, c)| !cell(c, i).is_empty());
    let mut shown = vec![];
    for (i, c) in columns.iter().enumerate() {
        if is_number(c) {
            continue;
        }
        if c.name.is_empty() {
            if used(i) {
                errors.push(format!("строка {}: у столбца {} нет названия", rows[head].0, i + 1));
            }
            continue;
        }
        shown.push(i);
    }
    let mut entries: Vec<Entry> = vec![];
    let mut official = false;
    for (line, cells) in body {
        let name = cell(cells, name_at);
        for &i in &income_at {
            let v = cell(cells, i);
            if !is_sum(&v) {
                errors.push(format!(
                    "строка {line}: в столбце «{}» — «{}», а не сумма: проверьте, не пропущена ли ячейка в строке \
                     (всё после неё сдвигается)",
                    columns[i].name,
                    v.replace('\n', " ")
                ));
            }
        }
        if cells.iter().any(|c| c.chars().count() > LONGEST_CELL) {
            errors.push(format!("строка {line}: в ячейке больше {LONGEST_CELL} знаков"));
        }
        let whose = if name.is_empty() { None } else { Some(relation(&name).unwrap_or(Whose::Official)) };
        match whose {
            None => match entries.last_mut() {
                Some(e) => {
                    for (k, &i) in shown.iter().enumerate() {
                        let v = cell(cells, i);
                        if v.is_empty() || i == name_at || Some(i) == position_at && e.whose != Whose::Official {
                            continue;
                        }
                        if !e.cells[k].is_empty() {
                            e.cells[k].push('\n');
                        }
                        e.cells[k].push_str(&v);
                    }
                }
                None => errors.push(format!("строка {line}: не указано, чьи это сведения (нет фамилии)")),
            },
            Some(whose) => {
                if whose != Whose::Official && !official {
                    errors.push(format!("строка {line}: «{name}» — перед этой строкой нет лица, чьи это родственники"));
                }
                official |= whose == Whose::Official;
                let cells = shown
                    .iter()
                    .map(|&i| match whose {
                        Whose::Spouse if i == name_at => "Супруг(а)".to_string(),
                        Whose::Child if i == name_at => "Несовершеннолетний ребёнок".to_string(),
                        Whose::Spouse | Whose::Child if Some(i) == position_at => String::new(),
                        _ => cell(cells, i),
                    })
                    .collect();
                entries.push(Entry { whose, cells });
            }
        }
    }
    if entries.len() > MOST_ENTRIES {
        errors.push(format!("в таблице больше {MOST_ENTRIES} человек: разделите её"));
    }
    if entries.is_empty() && errors.is_empty() {
        errors.push("в таблице нет ни одного человека, кроме названий столбцов".into());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let name_at = shown.iter().position(|&i| i == name_at).unwrap_or_default();
    let columns = shown.iter().map(|&i| columns[i].clone()).collect();
    Ok(Read { table: Table { columns, name_at, entries }, year })
}

/// The table of an uploaded file (.csv, .xlsx, .xls, .ods).
pub fn read(name: &str, bytes: &[u8]) -> std::result::Result<Read, Vec<String>> {
    from_rows(&crate::statements::table_rows(name, bytes)?)
}

impl Table {
    /// The officials, each with their relatives after them.
    pub fn people(&self) -> Vec<Vec<&Entry>> {
        let mut out: Vec<Vec<&Entry>> = vec![];
        for e in &self.entries {
            match (e.whose, out.last_mut()) {
                (Whose::Official, _) | (_, None) => out.push(vec![e]),
                (_, Some(last)) => last.push(e),
            }
        }
        out
    }

    /// The people whose official's name or any cell of the official's row holds the words asked
    /// (case and «ё» aside); everyone when nothing is asked.
    pub fn find(&self, q: &str) -> Vec<Vec<&Entry>> {
        let q = key(q);
        self.people().into_iter().filter(|p| q.is_empty() || p[0].cells.iter().any(|c| key(c).contains(&q))).collect()
    }

    /// The header as two rows: the first with each group once (its width) or a column standing
    /// alone (both rows high), the second with the grouped columns' names.
    pub fn header(&self) -> (Vec<(String, usize, bool)>, Vec<String>) {
        let (mut top, mut under) = (Vec::<(String, usize, bool)>::new(), vec![]);
        let mut last: Option<&str> = None;
        for c in &self.columns {
            match c.group.as_deref() {
                Some(g) => {
                    under.push(c.name.clone());
                    match top.last_mut() {
                        Some((name, width, true)) if last == Some(g) && name == g => *width += 1,
                        _ => top.push((g.to_string(), 1, true)),
                    }
                }
                None => top.push((c.name.clone(), 1, false)),
            }
            last = c.group.as_deref();
        }
        (top, under)
    }
}

/// A year's table of a body, with who loaded it when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Year {
    pub year: i32,
    pub title: String,
    pub table: Table,
    pub changed_at: i64,
}

/// The years a body has loaded, newest first, with their titles and when they changed.
pub async fn years(db: &Db, body_id: i64) -> Result<Vec<(i32, String, i64)>> {
    let sql = "SELECT year, title, changed_at FROM site_income WHERE body_id = $1 ORDER BY year DESC";
    crate::statements::year_titles(db, sql, body_id).await
}

pub async fn get(db: &Db, body_id: i64, year: i32) -> Result<Option<Year>> {
    let row = sqlx::query("SELECT title, table_json, changed_at FROM site_income WHERE body_id = $1 AND year = $2")
        .bind(body_id)
        .bind(i64::from(year))
        .fetch_optional(&db.pool)
        .await?;
    let Some(r) = row else { return Ok(None) };
    let text: String = r.try_get("table_json")?;
    let table =
        serde_json::from_str(&text).map_err(|e| Error::Internal(anyhow::anyhow!("a stored income table: {e}")))?;
    Ok(Some(Year { year, title: r.try_get("title")?, table, changed_at: r.try_get("changed_at")? }))
}

/// The counts the audit log keeps of a table: no name or figure of anyone.
fn summary(t: &Table) -> serde_json::Value {
    let officials = t.entries.iter().filter(|e| e.whose == Whose::Official).count();
    serde_json::json!({ "officials": officials, "relatives": t.entries.len() - officials, "columns": t.columns.len() })
}

/// The year as sent, checked: from ten years back to this year; and the year the file names, if
/// it names another.
pub fn check_year(sent: &str, named: Option<i32>, this_year: i16) -> std::result::Result<i32, String> {
    let this_year = i32::from(this_year);
    let year = match sent.trim().parse::<i32>() {
        Ok(y) if (this_year - 10..=this_year).contains(&y) => y,
        _ => return Err(format!("укажите отчётный год от {} до {this_year}", this_year - 10)),
    };
    match named {
        Some(n) if n != year => {
            Err(format!("в заголовке таблицы — сведения за {n} год, а выбран {year}: проверьте год или файл"))
        }
        _ => Ok(year),
    }
}

/// Loads (or replaces) the body's table for the year; audited by counts only.
pub async fn save(db: &Db, actor: &Actor, now: i64, body_id: i64, year: i32, table: Table) -> Result<()> {
    let before = get(db, body_id, year).await?;
    let json = serde_json::to_string(&table).map_err(|e| Error::Internal(e.into()))?;
    let title =
        format!("Сведения о доходах, расходах, об имуществе и обязательствах имущественного характера за {year} год");
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO site_income (body_id, year, title, table_json, changed_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (body_id, year) DO UPDATE SET title = excluded.title, table_json = excluded.table_json, \
         changed_at = excluded.changed_at",
    )
    .bind(body_id)
    .bind(i64::from(year))
    .bind(&title)
    .bind(&json)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let change = Change {
        action: if before.is_some() { "update" } else { "create" },
        object_type: "site_income",
        object_id: format!("{body_id}:{year}"),
        body_id: Some(body_id),
        before: before.as_ref().map(|y| summary(&y.table)),
        after: Some(summary(&table)),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the body's table for the year, with the reason, audited; false when there was none.
pub async fn remove(db: &Db, actor: &Actor, now: i64, body_id: i64, year: i32, reason: &str) -> Result<bool> {
    let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    if reason.chars().count() < 5 {
        return Err(Error::invalid("reason", "укажите причину (не короче 5 знаков)"));
    }
    let Some(before) = get(db, body_id, year).await? else { return Ok(false) };
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM site_income WHERE body_id = $1 AND year = $2")
        .bind(body_id)
        .bind(i64::from(year))
        .execute(&mut *tx)
        .await?;
    let mut after = summary(&before.table);
    after["removed"] = serde_json::Value::String(reason);
    let change = Change {
        action: "delete",
        object_type: "site_income",
        object_id: format!("{body_id}:{year}"),
        body_id: Some(body_id),
        before: Some(summary(&before.table)),
        after: Some(after),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real(name: &str) -> std::result::Result<Read, Vec<String>> {
        let path = format!("{}/tests/data/income/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).expect("test data");
        read(name, &bytes)
    }

    fn names(t: &Table) -> Vec<&str> {
        t.entries.iter().map(|e| e.cells[t.name_at].as_str()).collect()
    }

    #[test]
    fn a_numbered_table_with_two_header_rows_and_objects_one_per_line() {
        let r = real("rosreestr-2013.csv").expect("read");
        assert_eq!(r.year, Some(2013));
        let t = &r.table;
        // The number column and the empty second half of the position column are not shown.
        assert_eq!(t.columns.len(), 12);
        assert_eq!(t.columns[0].name, "Фамилия и инициалы лица, чьи сведения размещаются");
        assert_eq!(t.columns[2].group.as_deref(), Some("Объекты недвижимости, находящиеся в собственности"));
        assert_eq!(t.columns[2].name, "вид объекта");
        assert_eq!(t.columns[6].group.as_deref(), Some("Объекты недвижимости, находящиеся в пользовании"));
        assert_eq!(t.columns[9].name, "Транспортные средства (вид, марка)");
        assert_eq!(names(t), ["Смирнов Андрей Викторович", "Несовершеннолетний ребёнок"]);
        assert!(t.entries[0].cells[2].starts_with("Земельный участок"));
        assert_eq!(t.entries[0].cells[2].lines().filter(|l| !l.is_empty()).count(), 5);
        assert_eq!(t.entries[0].cells[10], "7614");
        let (top, under) = t.header();
        assert_eq!(top.iter().map(|(_, w, g)| (*w, *g)).collect::<Vec<_>>()[2..4], [(4, true), (3, true)]);
        assert_eq!(under.len(), 7);
    }

    #[test]
    fn a_person_over_two_rows_and_income_in_two_columns_under_one_group() {
        let r = real("morskoy-2019.csv").expect("read");
        assert_eq!(r.year, Some(2019));
        let t = &r.table;
        assert_eq!(names(t), ["Кузнецов Максим Владимирович", "Супруг(а)"]);
        assert_eq!(t.columns[2].name, "доход по основному месту работы");
        assert_eq!(t.columns[3].name, "иные доходы");
        assert_eq!(t.entries[0].cells[4], "Квартира\n(1/3, долевая собственность)\nКвартира\n(пользование)");
        assert_eq!(t.entries[0].cells[5], "64,6\n54,8");
        assert_eq!(t.entries[1].cells[2], "548 625,60");
        assert_eq!(t.people().len(), 1);
    }

    #[test]
    fn one_object_per_row_continues_the_person_or_relative_above() {
        let t = real("fns-2019.csv").expect("read").table;
        let people = t.people();
        assert_eq!(people.len(), 4);
        assert_eq!(people.iter().map(Vec::len).collect::<Vec<_>>(), [4, 4, 1, 5]);
        // The spouse of the first official owns three objects, written on three rows.
        assert_eq!(people[0][1].cells[2], "земельный участок\nквартира\nмашиноместо");
        // The second official's child also uses the flat on the row after theirs.
        assert_eq!(people[1][2].cells[6], "квартира\nквартира");
        // Vehicles in two columns, a boat and a trailer on rows of their own.
        assert_eq!(people[3][0].cells[9], "Автомобили легковые\nМоторные лодки\nАвтоприцепы");
        assert_eq!(t.find("соколова").len(), 1);
        assert_eq!(t.find("заместитель руководителя").len(), 3);
        assert_eq!(t.find("").len(), 4);
    }

    #[test]
    fn a_row_published_one_cell_short_is_refused_with_its_line() {
        let e = real("rostekhnadzor-2010.csv").expect_err("shifted");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("строка 67: в столбце «Общая сумма дохода за 2010 (тыс. руб.)» — «Квартира"), "{e:?}");
        assert!(e[0].contains("не пропущена ли ячейка"));
    }

    #[test]
    fn a_relatives_name_is_never_kept() {
        let rows: Vec<(u64, Vec<String>)> = [
            vec!["ФИО", "Должность", "Доход"],
            vec!["Орлов И. И.", "Начальник отдела", "100 000,00 руб."],
            vec!["Супруга Орлова Мария Ивановна", "учитель", "50 000"],
            vec!["сын Орлов Пётр", "", "нет"],
            vec!["Сынков С. С.", "Специалист", "1.5"],
        ]
        .into_iter()
        .zip(1u64..)
        .map(|(r, n)| (n, r.into_iter().map(String::from).collect()))
        .collect();
        let t = from_rows(&rows).expect("read").table;
        assert_eq!(names(&t), ["Орлов И. И.", "Супруг(а)", "Несовершеннолетний ребёнок", "Сынков С. С."]);
        assert_eq!(t.entries[1].cells[1], "", "a relative's position is not kept");
        let json = serde_json::to_string(&t).expect("json");
        assert!(!json.contains("Мария") && !json.contains("Пётр") && !json.contains("учитель"));
    }

    #[test]
    fn what_is_missing_or_misplaced_is_named() {
        let rows = |lines: &[&[&str]]| -> Vec<(u64, Vec<String>)> {
            lines.iter().zip(1u64..).map(|(l, n)| (n, l.iter().map(|s| s.to_string()).collect())).collect()
        };
        assert!(
            from_rows(&rows(&[&["Имя", "Доход"], &["А", "1"]])).expect_err("no name column")[0].contains("Фамилия")
        );
        assert_eq!(
            from_rows(&rows(&[&["ФИО", "Должность"], &["А", "Б"]])).expect_err("no income"),
            ["строка 1: нет столбца дохода («Декларированный годовой доход» или «Общая сумма дохода»)"]
        );
        assert_eq!(
            from_rows(&rows(&[&["ФИО", "Доход"], &["супруга", "1"], &["", "2"]])).expect_err("relative first"),
            ["строка 2: «супруга» — перед этой строкой нет лица, чьи это родственники"]
        );
        assert_eq!(
            from_rows(&rows(&[&["ФИО", "Доход", ""], &["А", "1", "x"]])).expect_err("unnamed"),
            ["строка 1: у столбца 3 нет названия"]
        );
    }

    #[test]
    fn a_table_in_a_word_document_is_read_like_a_sheet() {
        use office::write::Block;
        let cells = |r: &[&str]| r.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let docx = office::write::docx(&[
            Block::Title("Сведения о доходах за период с 1 января 2024 г. по 31 декабря 2024 г.".into()),
            Block::Table {
                header: cells(&[
                    "№ п/п",
                    "Фамилия, имя, отчество",
                    "Должность",
                    "Декларированный годовой доход (руб.)",
                ]),
                rows: vec![
                    cells(&["1", "Орлова Анна Сергеевна", "Начальник отдела", "1 204 000,50"]),
                    cells(&["", "несовершеннолетний ребёнок", "", "нет"]),
                ],
            },
        ])
        .expect("docx");
        let r = read("сведения.docx", &docx).expect("read");
        assert_eq!(r.year, Some(2024));
        assert_eq!(names(&r.table), ["Орлова Анна Сергеевна", "Несовершеннолетний ребёнок"]);
        assert_eq!(r.table.columns.len(), 3, "the number column is not shown");
    }

    #[test]
    fn the_year_chosen_and_the_year_the_file_names_agree() {
        assert_eq!(check_year("2025", Some(2025), 2026), Ok(2025));
        assert_eq!(check_year("2025", None, 2026), Ok(2025));
        assert!(check_year("2026", Some(2019), 2026).expect_err("other").contains("за 2019 год"));
        assert!(check_year("2027", None, 2026).is_err());
        assert_eq!(years_in("с 1 января 2019 г. по 31 декабря 2019 г., № 12345"), [2019, 2019]);
    }
}
