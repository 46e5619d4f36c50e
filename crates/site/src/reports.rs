//! Reports on how a body spends its appropriations (seed 000 §27 а–е): each report is a table for
//! a category the seed names and a period (a year, a month or a quarter), loaded from the body's
//! own spreadsheet with its own columns — the seed names the reports, not their columns, so the
//! portal keeps the body's — replaced whole for the same category and period, audited, and
//! published as HTML, .csv and .docx.

use kernel::audit::{self, Actor, Change};
use kernel::{Db, Error, Result};
use sqlx::Row;

/// The categories of §27, each with its code and its name in the seed's words.
pub const CATEGORIES: [(&str, &str); 6] = [
    ("obligations", "Расходные обязательства и формирование доходов"),
    ("distribution", "Распределение расходов по целям, задачам и программам"),
    ("effectiveness", "Результативность бюджетных расходов"),
    ("expenses", "Ежемесячные отчёты о расходах органа для собственных нужд"),
    ("procurement", "Ежеквартальные отчёты о государственных закупках"),
    ("civil-service", "Расходы и численность государственных гражданских служащих (форма 14, код 0503074)"),
];

/// The name of a category, by its code.
pub fn category_name(code: &str) -> Option<&'static str> {
    CATEGORIES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// The most columns and rows of a report, and characters in a cell.
const MOST_COLUMNS: usize = 30;
const MOST_ROWS: usize = 5000;
const LONGEST_CELL: usize = 1000;

/// A report's table: its header row and its rows, each as long as the header.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A table from numbered rows: the first non-empty row names the columns (each named), empty rows
/// are skipped, every problem is named with its line.
pub fn table(rows: &[(u64, Vec<String>)]) -> std::result::Result<Table, Vec<String>> {
    let clean = |cells: &[String]| -> Vec<String> {
        cells.iter().map(|c| c.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
    };
    let mut rows = rows.iter().filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let Some((line, header)) = rows.next() else {
        return Err(vec!["в файле нет ни одной строки".into()]);
    };
    let mut header = clean(header);
    while header.last().is_some_and(String::is_empty) {
        header.pop();
    }
    let mut errors = vec![];
    if header.len() > MOST_COLUMNS {
        errors.push(format!("строка {line}: столбцов больше {MOST_COLUMNS}"));
    }
    if let Some(i) = header.iter().position(String::is_empty) {
        errors.push(format!("строка {line}: у столбца {} нет названия (первая строка — названия столбцов)", i + 1));
    }
    let mut out = vec![];
    for (line, cells) in rows {
        let mut cells = clean(cells);
        if cells.len() > header.len() && cells[header.len()..].iter().any(|c| !c.is_empty()) {
            errors.push(format!("строка {line}: значений больше, чем столбцов ({})", header.len()));
            continue;
        }
        cells.resize(header.len(), String::new());
        if cells.iter().any(|c| c.chars().count() > LONGEST_CELL) {
            errors.push(format!("строка {line}: в ячейке больше {LONGEST_CELL} знаков"));
            continue;
        }
        out.push(cells);
    }
    if out.len() > MOST_ROWS {
        errors.push(format!("строк больше {MOST_ROWS}: разделите отчёт"));
    }
    if out.is_empty() && errors.is_empty() {
        errors.push("в таблице нет ни одной строки, кроме названий столбцов".into());
    }
    if errors.is_empty() { Ok(Table { header, rows: out }) } else { Err(errors) }
}

/// A period as written: a year «2026», a month «2026-05», a quarter «2026-Q2»; with its name.
pub fn period(s: &str, this_year: i16) -> std::result::Result<(String, String), String> {
    let wrong = || "период — год (2026), месяц (2026-05) или квартал (2026-Q2)".to_string();
    let s = s.trim().to_uppercase().replace('К', "Q");
    let (year, rest) = s.split_once('-').map_or((s.as_str(), None), |(y, r)| (y, Some(r)));
    let year: i16 = year.parse().map_err(|_| wrong())?;
    if !(this_year - 10..=this_year + 1).contains(&year) {
        return Err(format!("год — от {} до {}", this_year - 10, this_year + 1));
    }
    match rest {
        None => Ok((year.to_string(), format!("{year} год"))),
        Some(q) if q.starts_with('Q') => match q[1..].parse::<usize>() {
            Ok(n @ 1..=4) => {
                Ok((format!("{year}-Q{n}"), format!("{} квартал {year} года", ["I", "II", "III", "IV"][n - 1])))
            }
            _ => Err(wrong()),
        },
        Some(m) => match m.parse::<usize>() {
            Ok(n @ 1..=12) => Ok((format!("{year}-{n:02}"), format!("{} {year} года", deadlines::MONTHS_NOM[n - 1]))),
            _ => Err(wrong()),
        },
    }
}

/// A published report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub id: i64,
    pub category: String,
    pub period: String,
    pub period_name: String,
    pub title: String,
    pub table: Table,
    pub changed_at: i64,
}

impl Report {
    pub fn category_name(&self) -> &'static str {
        category_name(&self.category).unwrap_or_default()
    }

    pub fn csv(&self) -> String {
        let mut out = kernel::csv::row(&self.table.header);
        for r in &self.table.rows {
            out.push_str(&kernel::csv::row(r));
        }
        out
    }

    pub fn docx(&self, body_name: &str) -> std::result::Result<Vec<u8>, String> {
        use office::write::Block;
        office::write::docx(&[
            Block::Title(self.title.clone()),
            Block::Text(format!("{body_name}. {}: {}.", self.category_name(), self.period_name)),
            Block::Table { header: self.table.header.clone(), rows: self.table.rows.clone() },
        ])
    }
}

fn report_of(r: &sqlx::any::AnyRow, with_table: bool) -> Result<Report> {
    let table = if with_table {
        let text: String = r.try_get("table_json")?;
        serde_json::from_str(&text).map_err(|e| Error::Internal(anyhow::anyhow!("a stored report: {e}")))?
    } else {
        Table::default()
    };
    Ok(Report {
        id: r.try_get("id")?,
        category: r.try_get("category")?,
        period: r.try_get("period")?,
        period_name: r.try_get("period_name")?,
        title: r.try_get("title")?,
        table,
        changed_at: r.try_get("changed_at")?,
    })
}

/// The body's reports without their tables, by category and newest period first.
pub async fn list(db: &Db, body_id: i64) -> Result<Vec<Report>> {
    let rows = sqlx::query(
        "SELECT id, category, period, period_name, title, changed_at FROM site_reports WHERE body_id = $1 \
         ORDER BY category, period DESC",
    )
    .bind(body_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| report_of(r, false)).collect()
}

pub async fn get(db: &Db, body_id: i64, id: i64) -> Result<Option<Report>> {
    let row = sqlx::query(
        "SELECT id, category, period, period_name, title, table_json, changed_at FROM site_reports \
         WHERE id = $1 AND body_id = $2",
    )
    .bind(id)
    .bind(body_id)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(|r| report_of(r, true)).transpose()
}

/// What an editor sends, checked: the category, the period (code and name) and the title.
pub struct Heading {
    pub category: String,
    pub period: (String, String),
    pub title: String,
}

/// The category, period and title as sent, checked whole.
pub fn check(
    (category, period_text, title): (&str, &str, &str),
    this_year: i16,
) -> std::result::Result<Heading, Vec<(&'static str, String)>> {
    let mut errors = vec![];
    let name = category_name(category);
    if name.is_none() {
        errors.push(("category", "выберите вид отчёта из списка".to_string()));
    }
    let period = period(period_text, this_year).unwrap_or_else(|e| {
        errors.push(("period", e));
        Default::default()
    });
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = if title.is_empty() { format!("{}: {}", name.unwrap_or_default(), period.1) } else { title };
    if title.chars().count() > 300 {
        errors.push(("title", "название — не длиннее 300 знаков".into()));
    }
    if errors.is_empty() { Ok(Heading { category: category.to_string(), period, title }) } else { Err(errors) }
}

/// Publishes (or replaces) the body's report for the category and period; audited. Its id.
pub async fn save(db: &Db, actor: &Actor, now: i64, body_id: i64, h: Heading, table: Table) -> Result<i64> {
    let json = serde_json::to_string(&table).map_err(|e| Error::Internal(e.into()))?;
    let before: Option<i64> =
        sqlx::query_scalar("SELECT id FROM site_reports WHERE body_id = $1 AND category = $2 AND period = $3")
            .bind(body_id)
            .bind(&h.category)
            .bind(&h.period.0)
            .fetch_optional(&db.pool)
            .await?;
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO site_reports (body_id, category, period, period_name, title, table_json, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (body_id, category, period) DO UPDATE SET \
         title = excluded.title, table_json = excluded.table_json, changed_at = excluded.changed_at RETURNING id",
    )
    .bind(body_id)
    .bind(&h.category)
    .bind(&h.period.0)
    .bind(&h.period.1)
    .bind(&h.title)
    .bind(&json)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let change = Change {
        action: if before.is_some() { "update" } else { "create" },
        object_type: "site_report",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: None,
        after: Some(serde_json::json!({
            "category": h.category, "period": h.period.0, "title": h.title, "rows": table.rows.len(),
        })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&[&str]]) -> Vec<(u64, Vec<String>)> {
        lines.iter().zip(1u64..).map(|(l, n)| (n, l.iter().map(|s| s.to_string()).collect())).collect()
    }

    #[test]
    fn a_table_keeps_the_bodys_columns() {
        let t = table(&rows(&[
            &["", "", ""],
            &["Статья расходов", "План, руб.", "Исполнено, руб.", ""],
            &["Оплата труда", "1 200 000", "1 150 000"],
            &["Связь", "80 000"],
        ]))
        .expect("table");
        assert_eq!(t.header, ["Статья расходов", "План, руб.", "Исполнено, руб."]);
        assert_eq!(t.rows[1], ["Связь", "80 000", ""]);
        let e = table(&rows(&[&["Статья", ""], &["Связь", "1", "2"]])).expect_err("wrong");
        assert_eq!(e, ["строка 2: значений больше, чем столбцов (1)"]);
        let e = table(&rows(&[&["Статья", "", "Сумма"]])).expect_err("unnamed");
        assert_eq!(e[0], "строка 1: у столбца 2 нет названия (первая строка — названия столбцов)");
    }

    #[test]
    fn periods_are_years_months_and_quarters() {
        assert_eq!(period("2026", 2026), Ok(("2026".into(), "2026 год".into())));
        assert_eq!(period("2026-5", 2026), Ok(("2026-05".into(), "май 2026 года".into())));
        assert_eq!(period(" 2026-q2 ", 2026), Ok(("2026-Q2".into(), "II квартал 2026 года".into())));
        assert_eq!(period("2026-К4", 2026), Ok(("2026-Q4".into(), "IV квартал 2026 года".into())));
        assert!(period("2026-13", 2026).is_err() && period("2026-Q5", 2026).is_err() && period("весна", 2026).is_err());
        assert_eq!(period("2000", 2026), Err("год — от 2016 до 2027".into()));
    }

    #[test]
    fn the_category_is_the_seeds_and_the_title_has_a_default() {
        let Ok(h) = check(("procurement", "2026-Q1", ""), 2026) else { panic!("valid") };
        assert_eq!(h.title, "Ежеквартальные отчёты о государственных закупках: I квартал 2026 года");
        let Err(e) = check(("bribes", "2026", ""), 2026) else { panic!("refused") };
        assert_eq!(e[0].0, "category");
    }
}
