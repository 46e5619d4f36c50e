//! The public declaration of a body's goals and tasks (seed 000 §27): per year, its goals, each
//! with indicators (unit, base value, planned value) and, as the year goes, their actual values —
//! the declaration and the report on its execution in one table. Bodies keep it in a spreadsheet:
//! it is loaded from a .csv, .xlsx, .xls or .ods file with named columns (a blank goal cell
//! continues the goal above, as merged cells do), replaced whole, audited; published as HTML,
//! .csv and .docx.

use kernel::audit::{self, Actor, Change};
use kernel::{Db, Error, Result};
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// One indicator of a goal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    pub goal: String,
    pub indicator: String,
    pub unit: String,
    pub base: String,
    pub target: String,
    pub actual: String,
    pub note: String,
}

/// The columns, in the order the files are written, each with the header names it is read from
/// (lower case, «ё» as «е»).
pub const COLUMNS: [(&str, &[&str]); 7] = [
    ("Цель", &["цель", "цели", "цель (задача)", "задача", "цели и задачи"]),
    ("Показатель", &["показатель", "индикатор", "наименование показателя", "показатель (индикатор)"]),
    ("Единица измерения", &["единица измерения", "ед. изм.", "ед.изм.", "ед. измерения"]),
    ("Базовое значение", &["базовое значение", "базовое", "базовое значение показателя"]),
    (
        "Плановое значение",
        &["плановое значение", "план", "целевое значение", "планируемое значение", "планируемый результат"],
    ),
    ("Фактическое значение", &["фактическое значение", "факт", "достигнутое значение"]),
    ("Примечание", &["примечание", "комментарий", "пояснение"]),
];

/// The most rows a declaration has, and characters in a cell.
const MOST_ROWS: usize = 500;
const LONGEST_CELL: usize = 1000;

fn header_key(s: &str) -> String {
    s.trim().to_lowercase().replace('ё', "е").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The indicators of a table (its first row the header), every problem named with its line.
pub fn from_rows(rows: &[(u64, Vec<String>)]) -> std::result::Result<Vec<Indicator>, Vec<String>> {
    let mut rows = rows.iter().filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let Some((_, header)) = rows.next() else {
        return Err(vec!["в файле нет ни одной строки".into()]);
    };
    let at: Vec<Option<usize>> =
        COLUMNS.iter().map(|(_, names)| header.iter().position(|h| names.contains(&header_key(h).as_str()))).collect();
    let missing: Vec<&str> = [0, 1, 4].iter().filter(|&&i| at[i].is_none()).map(|&i| COLUMNS[i].0).collect();
    if !missing.is_empty() {
        return Err(vec![format!(
            "в первой строке нет столбцов: {} (первая строка — названия столбцов, как в образце)",
            missing.join(", ")
        )]);
    }
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let mut goal = String::new();
    for (line, cells) in rows {
        let cell = |i: usize| {
            at[i]
                .and_then(|c| cells.get(c))
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        };
        let mut r = Indicator {
            goal: cell(0),
            indicator: cell(1),
            unit: cell(2),
            base: cell(3),
            target: cell(4),
            actual: cell(5),
            note: cell(6),
        };
        if r.goal.is_empty() {
            r.goal = goal.clone();
        }
        goal = r.goal.clone();
        let mut wrong = vec![];
        if r.goal.is_empty() {
            wrong.push("не указана цель".to_string());
        }
        if r.indicator.is_empty() {
            wrong.push("не указан показатель".to_string());
        }
        if r.target.is_empty() {
            wrong.push("не указано плановое значение".to_string());
        }
        let cells = [&r.goal, &r.indicator, &r.unit, &r.base, &r.target, &r.actual, &r.note];
        if cells.iter().any(|c| c.chars().count() > LONGEST_CELL) {
            wrong.push(format!("в ячейке больше {LONGEST_CELL} знаков"));
        }
        if wrong.is_empty() {
            out.push(r);
        } else {
            errors.push(format!("строка {line}: {}", wrong.join("; ")));
        }
    }
    if out.len() > MOST_ROWS {
        errors.push(format!("показателей больше {MOST_ROWS}: разделите декларацию"));
    }
    if out.is_empty() && errors.is_empty() {
        errors.push("в файле нет ни одного показателя".into());
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// The rows of an uploaded table, numbered: CSV (UTF-8, a BOM allowed), a spreadsheet's first
/// sheet (.xlsx, .xls, .ods) or a Word document's paragraphs and table rows (.docx, merged cells as
/// a spreadsheet exports them), its name's format checked against its bytes.
pub fn table_rows(name: &str, bytes: &[u8]) -> std::result::Result<Vec<(u64, Vec<String>)>, Vec<String>> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    if ext == "csv" {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        return opendata_format::csv::records(bytes).map_err(|(line, e)| vec![format!("строка {line}: {e}")]);
    }
    let format = office::sniff(name, bytes).map_err(|e| vec![e.to_string()])?;
    if format == office::Format::Docx {
        let rows = office::grid::docx_rows(bytes).map_err(|e| vec![e.to_string()])?;
        return Ok(rows.into_iter().zip(1u64..).map(|(cells, n)| (n, cells)).collect());
    }
    if !matches!(format, office::Format::Xlsx | office::Format::Xls | office::Format::Ods) {
        return Err(vec!["загрузите таблицу: .csv, .xlsx, .xls, .ods или документ Word (.docx) с таблицей".into()]);
    }
    let rows = office::sheet_rows(bytes).map_err(|e| vec![e])?;
    Ok(rows.into_iter().zip(1u64..).map(|(cells, n)| (n, cells)).collect())
}

/// The indicators of an uploaded file.
pub fn read(name: &str, bytes: &[u8]) -> std::result::Result<Vec<Indicator>, Vec<String>> {
    from_rows(&table_rows(name, bytes)?)
}

/// A body's declaration for a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    pub year: i32,
    pub title: String,
    pub intro: String,
    pub rows: Vec<Indicator>,
    pub changed_at: i64,
}

impl Declaration {
    /// The goals in their order, each with its indicators.
    pub fn goals(&self) -> Vec<(&str, Vec<&Indicator>)> {
        let mut out: Vec<(&str, Vec<&Indicator>)> = Vec::new();
        for r in &self.rows {
            match out.iter_mut().find(|(g, _)| *g == r.goal) {
                Some((_, list)) => list.push(r),
                None => out.push((&r.goal, vec![r])),
            }
        }
        out
    }

    /// Whether any actual value is given (the declaration is also a report).
    pub fn reported(&self) -> bool {
        self.rows.iter().any(|r| !r.actual.is_empty())
    }

    /// The table as CSV, in the columns it is loaded from (so it can be edited and loaded again).
    pub fn csv(&self) -> String {
        let mut out = kernel::csv::row(&COLUMNS.map(|(name, _)| name));
        for r in &self.rows {
            out.push_str(&kernel::csv::row(&[&r.goal, &r.indicator, &r.unit, &r.base, &r.target, &r.actual, &r.note]));
        }
        out
    }

    /// The declaration as a Word document: its title, introduction and the table by goal.
    pub fn docx(&self, body_name: &str) -> std::result::Result<Vec<u8>, String> {
        use office::write::Block;
        let mut blocks = vec![Block::Title(self.title.clone()), Block::Text(body_name.to_string())];
        blocks.extend(self.intro.lines().filter(|l| !l.trim().is_empty()).map(|l| Block::Text(l.to_string())));
        let header: Vec<String> = COLUMNS[1..].iter().map(|(n, _)| n.to_string()).collect();
        for (goal, list) in self.goals() {
            blocks.push(Block::Heading(goal.to_string()));
            let rows = list
                .iter()
                .map(|r| {
                    vec![
                        r.indicator.clone(),
                        r.unit.clone(),
                        r.base.clone(),
                        r.target.clone(),
                        r.actual.clone(),
                        r.note.clone(),
                    ]
                })
                .collect();
            blocks.push(Block::Table { header: header.clone(), rows });
        }
        office::write::docx(&blocks)
    }
}

/// The years of a body's declarations, newest first.
pub async fn years(db: &Db, body_id: i64) -> Result<Vec<(i32, String, i64)>> {
    year_titles(
        db,
        "SELECT year, title, changed_at FROM site_declarations WHERE body_id = $1 ORDER BY year DESC",
        body_id,
    )
    .await
}

/// Years with their titles and when they changed, as `sql` (selecting those three for a body)
/// lists them.
pub(crate) async fn year_titles(db: &Db, sql: &'static str, body_id: i64) -> Result<Vec<(i32, String, i64)>> {
    let rows = sqlx::query(sql).bind(body_id).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            let year: i64 = r.try_get("year")?;
            Ok((year as i32, r.try_get("title")?, r.try_get("changed_at")?))
        })
        .collect()
}

pub async fn get(db: &Db, body_id: i64, year: i32) -> Result<Option<Declaration>> {
    let row = sqlx::query(
        "SELECT title, intro, rows_json, changed_at FROM site_declarations WHERE body_id = $1 AND year = $2",
    )
    .bind(body_id)
    .bind(i64::from(year))
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let text: String = r.try_get("rows_json")?;
    let rows = serde_json::from_str(&text).map_err(|e| Error::Internal(anyhow::anyhow!("stored indicators: {e}")))?;
    Ok(Some(Declaration {
        year,
        title: r.try_get("title")?,
        intro: r.try_get("intro")?,
        rows,
        changed_at: r.try_get("changed_at")?,
    }))
}

/// What an editor sends: the year, the title (a default when empty), an introduction and the
/// table's indicators (read from the file).
pub struct Sent<'a> {
    pub year: &'a str,
    pub title: &'a str,
    pub intro: &'a str,
}

/// A declaration's year, title and introduction, checked.
pub type Heading = (i32, String, String);
/// What was wrong with the fields, each at its field.
pub type FieldErrors = Vec<(&'static str, String)>;

/// The year and title as sent, checked; `this_year` bounds the year (ten years back, two ahead).
pub fn check(sent: &Sent<'_>, this_year: i16) -> std::result::Result<Heading, FieldErrors> {
    let mut errors = vec![];
    let year = match sent.year.trim().parse::<i32>() {
        Ok(y) if (i32::from(this_year) - 10..=i32::from(this_year) + 2).contains(&y) => y,
        _ => {
            errors.push(("year", format!("укажите год от {} до {}", this_year - 10, this_year + 2)));
            0
        }
    };
    let title = sent.title.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = if title.is_empty() {
        format!("Публичная декларация целей и задач на {year} год")
    } else {
        title
    };
    if title.chars().count() > 300 {
        errors.push(("title", "название — не длиннее 300 знаков".into()));
    }
    let intro = sent.intro.lines().map(str::trim_end).collect::<Vec<_>>().join("\n").trim().to_string();
    if intro.chars().count() > 5000 {
        errors.push(("intro", "вступление — не длиннее 5000 знаков".into()));
    }
    if errors.is_empty() { Ok((year, title, intro)) } else { Err(errors) }
}

/// Publishes (or replaces) the body's declaration for the year; audited with what it replaced.
pub async fn save(
    db: &Db,
    actor: &Actor,
    now: i64,
    body_id: i64,
    (year, title, intro): Heading,
    rows: Vec<Indicator>,
) -> Result<()> {
    let before = get(db, body_id, year).await?;
    let json = serde_json::to_string(&rows).map_err(|e| Error::Internal(e.into()))?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO site_declarations (body_id, year, title, intro, rows_json, changed_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (body_id, year) DO UPDATE SET title = excluded.title, intro = excluded.intro, \
         rows_json = excluded.rows_json, changed_at = excluded.changed_at",
    )
    .bind(body_id)
    .bind(i64::from(year))
    .bind(&title)
    .bind(&intro)
    .bind(&json)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let summary =
        |d: &Declaration| serde_json::json!({ "title": d.title, "indicators": d.rows.len(), "reported": d.reported() });
    let after = Declaration { year, title, intro, rows, changed_at: now };
    let change = Change {
        action: if before.is_some() { "update" } else { "create" },
        object_type: "site_declaration",
        object_id: format!("{body_id}:{year}"),
        body_id: Some(body_id),
        before: before.as_ref().map(summary),
        after: Some(summary(&after)),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&[&str]]) -> Vec<(u64, Vec<String>)> {
        lines.iter().zip(1u64..).map(|(l, n)| (n, l.iter().map(|s| s.to_string()).collect())).collect()
    }

    #[test]
    fn headers_are_found_by_name_and_a_blank_goal_continues_the_one_above() {
        let t = rows(&[
            &["№", "Цели и задачи", "Наименование показателя", "Ед. изм.", "План", "Факт"],
            &["1", "Открытость органа", "Доля ответов в срок", "%", "100", "98"],
            &["2", "", "Наборов открытых данных", "шт.", "12", ""],
            &["", "", "", "", "", ""],
            &["3", "Качество услуг", "Удовлетворённость", "%", "90", ""],
        ]);
        let list = from_rows(&t).expect("read");
        assert_eq!(list.len(), 3);
        assert_eq!(list[1].goal, "Открытость органа");
        assert_eq!((list[0].unit.as_str(), list[0].target.as_str(), list[0].actual.as_str()), ("%", "100", "98"));
        let d = Declaration { year: 2026, title: "Д".into(), intro: String::new(), rows: list, changed_at: 0 };
        assert_eq!(
            d.goals().iter().map(|(g, l)| (*g, l.len())).collect::<Vec<_>>(),
            [("Открытость органа", 2), ("Качество услуг", 1)]
        );
        assert!(d.reported());
        assert!(d.csv().starts_with(
            "Цель,Показатель,Единица измерения,Базовое значение,Плановое значение,Фактическое значение,Примечание\r\n"
        ));
    }

    #[test]
    fn every_problem_is_named_with_its_line() {
        let t = rows(&[&["Показатель", "Единица измерения"], &["x", "%"]]);
        assert_eq!(
            from_rows(&t).expect_err("no columns")[0],
            "в первой строке нет столбцов: Цель, Плановое значение (первая строка — названия столбцов, как в образце)"
        );
        let t = rows(&[&["Цель", "Показатель", "Плановое значение"], &["", "Доля", "100"], &["Цель 2", "", ""]]);
        assert_eq!(
            from_rows(&t).expect_err("rows"),
            ["строка 2: не указана цель", "строка 3: не указан показатель; не указано плановое значение"]
        );
    }

    #[test]
    fn a_file_is_read_as_what_it_is() {
        let csv = "\u{feff}Цель;Показатель\r\n".as_bytes();
        assert!(read("d.csv", csv).is_err());
        let csv = "Цель,Показатель,Плановое значение\r\nОткрытость,\"Доля ответов, в срок\",100\r\n".as_bytes();
        assert_eq!(read("d.csv", csv).expect("csv")[0].indicator, "Доля ответов, в срок");
        assert!(
            read("d.xlsx", b"PK\x03\x04 not a workbook").expect_err("not xlsx")[0].contains("внутри файл другого вида")
        );
        assert!(read("d.docx", b"PK\x03\x04").is_err());
    }

    #[test]
    fn the_year_is_bounded_and_the_title_has_a_default() {
        let ok = check(&Sent { year: "2026", title: " ", intro: "" }, 2026).expect("valid");
        assert_eq!(ok, (2026, "Публичная декларация целей и задач на 2026 год".into(), String::new()));
        let e = check(&Sent { year: "1990", title: "", intro: "" }, 2026).expect_err("old");
        assert_eq!(e[0], ("year", "укажите год от 2016 до 2028".into()));
    }
}
