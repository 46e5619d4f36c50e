//! Reading a roadmap table out of a document's text. The rows come as tab-separated lines
//! (a table copied out of a word processor); the header row says which column is which; a row
//! numbered with a Roman numeral opens a section, a row numbered "12.", "2.3" or "1.1" is a
//! measure. HTML fragments left in cells are reduced to text. Nothing is dropped silently:
//! every line after the header that is neither a section nor a measure is reported, and every
//! row that needed a repair carries a note, so staff can check it in the preview.

use serde::Serialize;

/// What a column holds, recognised from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Number,
    Text,
    Stage,
    Deadline,
    Executors,
    Expected,
    Mark,
}

impl Column {
    fn from_header(cell: &str) -> Option<Column> {
        let c = cell.to_lowercase();
        Some(if c.contains("п/п") || c.contains("п\\п") || c.trim() == "№" || c.trim() == "n" {
            Column::Number
        } else if c.contains("стади") {
            Column::Stage
        } else if c.contains("ожидаем") || c.contains("результат") {
            Column::Expected
        } else if c.contains("срок")
            || c.contains("контрольн")
            || c.contains("периодичност")
            || year_header(&c).is_some()
        {
            Column::Deadline
        } else if c.contains("исполнител") {
            Column::Executors
        } else if c.contains("отметк") || c.contains("об исполнении") || c.contains("о выполнении")
        {
            Column::Mark
        } else if c.contains("механизм") || c.contains("мероприят") || c.contains("наименование")
        {
            Column::Text
        } else {
            return None;
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Section {
    /// As written, Roman numerals normalised to Latin letters: "I", "X", or "3".
    pub number: String,
    pub title: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Measure {
    /// As written: "12.", "2.3", "1.1".
    pub number: String,
    /// The number of the section it belongs to.
    pub section: Option<String>,
    pub text: String,
    /// Development stage 1–3 where the plan gives one (stage 1 = legally mandatory).
    pub stage: Option<u8>,
    pub deadline: String,
    pub executors: String,
    pub expected: Option<String>,
    pub mark: Option<String>,
    /// The line of the document the measure starts on (1-based).
    pub line: usize,
    /// A second row of the same measure (merged number and text cells in the source): it has
    /// its own expected result, deadline and executors, and is tracked on its own.
    pub continuation: bool,
}

/// Something the importer could not place, or placed with a repair worth checking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    pub line: usize,
    pub text: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportedPlan {
    pub columns: Vec<Column>,
    pub sections: Vec<Section>,
    pub measures: Vec<Measure>,
    /// Lines after the header that are neither a section nor a measure.
    pub unplaced: Vec<Note>,
    /// Rows that were read with a repair (an empty cell skipped, a stage that is not 1–3…).
    pub warnings: Vec<Note>,
    /// The plan's title, approving act and years, read from the lines before the table.
    pub details: crate::details::PlanDetails,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// No row looks like the header of a roadmap table.
    NoTable,
    /// A header was found but no measure under it.
    NoMeasures,
}

impl std::error::Error for ImportError {}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ImportError::NoTable => {
                "в файле не найдена таблица плана: нужна строка заголовков со столбцами «Срок» и «Ответственный исполнитель»"
            }
            ImportError::NoMeasures => "под заголовком таблицы нет ни одного пронумерованного мероприятия",
        })
    }
}

/// Reduces an HTML fragment to its text: tags out, the common entities decoded, spaces collapsed.
pub fn clean_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            c => out.push(c),
        }
    }
    let out = out
        .replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&laquo;", "«")
        .replace("&raquo;", "»")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A header cell that names a year ("2020", "2020 год", "2020 г."): a deadline column per year.
fn year_header(cell: &str) -> Option<String> {
    let t = cell.trim().trim_end_matches('.').trim();
    let t = t.strip_suffix("год").or_else(|| t.strip_suffix(" г")).unwrap_or(t).trim();
    (t.len() == 4 && t.chars().all(|c| c.is_ascii_digit()) && t.starts_with('2')).then(|| t.to_string())
}

/// A cell that only ticks a year column ("+", "х", "✓"): due in that year.
fn tick(cell: &str) -> bool {
    matches!(cell.trim().to_lowercase().as_str(), "+" | "х" | "x" | "✓" | "v" | "да" | "*")
}

/// A section heading in the first cell of a row: "I. Title", "III Механизм: …", "Раздел 2. …",
/// "Механизм: …" (numbered by its place when the heading has no number). Returns (number, title).
fn section_heading(first: &str, sections_so_far: usize) -> Option<(String, String)> {
    let t = first.trim();
    let low = t.to_lowercase();
    if let Some(rest) = low.strip_prefix("раздел ") {
        let num: String = rest.chars().take_while(|c| c.is_ascii_digit() || matches!(c, 'i' | 'v' | 'x')).collect();
        if !num.is_empty() {
            let title = t[("раздел ".len() + num.len())..].trim_start_matches(['.', ':', ' ']).to_string();
            return Some((num.to_uppercase(), clean_cell(&title)));
        }
    }
    if let Some((num, title)) = t.split_once(". ").or_else(|| t.split_once(' '))
        && let Some(num) = roman(num.trim().trim_end_matches('.'))
        && !title.trim().is_empty()
    {
        return Some((num, clean_cell(title)));
    }
    if low.starts_with("механизм") {
        let title = t.split_once(':').map(|(_, rest)| rest).unwrap_or(t);
        return Some(((sections_so_far + 1).to_string(), clean_cell(title)));
    }
    None
}

/// "I", "IV", "Х" (Cyrillic) → the section number in Latin letters.
fn roman(s: &str) -> Option<String> {
    let latin: String = s
        .chars()
        .map(|c| {
            if c == 'Х' {
                'X'
            } else if c == 'І' {
                'I'
            } else {
                c
            }
        })
        .collect();
    (!latin.is_empty() && latin.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))).then_some(latin)
}

/// "12." or "2.3" or "1.1." — a measure number.
fn measure_number(s: &str) -> bool {
    let t = s.trim().trim_end_matches('.');
    !t.is_empty() && t.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn header_columns(cells: &[&str]) -> Option<Vec<Column>> {
    let cols: Vec<Column> = cells.iter().filter_map(|c| Column::from_header(c)).collect();
    let with_executors = cols.contains(&Column::Executors) && cols.len() >= 4;
    // Plans of councils and offices often have no executors column: a number, the measure, its term.
    let without = cols.contains(&Column::Number) && cols.contains(&Column::Text) && cols.len() >= 3;
    (cols.contains(&Column::Deadline) && (with_executors || without)).then_some(cols)
}

/// Puts one cell's value into the measure field its column names; a stage that is not 1–3 is
/// left empty and reported.
fn assign(m: &mut Measure, col: Column, raw: &str, line: usize, warnings: &mut Vec<Note>) {
    let v = clean_cell(raw);
    match col {
        Column::Number => {}
        Column::Text => m.text = v,
        Column::Stage => match v.parse::<u8>() {
            Ok(s @ 1..=3) => m.stage = Some(s),
            _ => warnings.push(Note {
                line, text: v, reason: "стадия должна быть числом от 1 до 3".into()
            }),
        },
        Column::Deadline => m.deadline = v,
        // Executors on separate lines of a cell (separate paragraphs in Word) are separate people.
        Column::Executors => {
            m.executors = raw.split('\u{2028}').map(clean_cell).filter(|e| !e.is_empty()).collect::<Vec<_>>().join(", ")
        }
        Column::Expected => m.expected = Some(v),
        Column::Mark => m.mark = Some(v),
    }
}

/// The header of a tab-separated table: what each position holds, and the year a per-year
/// deadline column stands for.
struct Header {
    at: usize,
    /// Rows the header takes (a second row of years under a merged «Срок» cell).
    rows: usize,
    slots: Vec<(Option<Column>, Option<String>)>,
}

fn find_header(lines: &[&str]) -> Option<Header> {
    let (at, _) = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| header_columns(&l.split('\t').collect::<Vec<_>>()).map(|c| (i, c)))?;
    let mut slots: Vec<(Option<Column>, Option<String>)> =
        lines[at].split('\t').map(|c| (Column::from_header(c), year_header(c))).collect();
    let mut rows = 1;
    // "Срок" over "2020 | 2021" in a second header row: one deadline column per year.
    if let Some(next) = lines.get(at + 1) {
        let cells: Vec<&str> = next.split('\t').collect();
        let years: Vec<String> = cells.iter().filter_map(|c| year_header(c)).collect();
        let filled = cells.iter().filter(|c| !c.trim().is_empty()).count();
        if years.len() >= 2 && years.len() == filled {
            if let Some(d) = slots.iter().position(|(c, _)| *c == Some(Column::Deadline)) {
                slots.splice(d..=d, years.into_iter().map(|y| (Some(Column::Deadline), Some(y))));
            }
            rows = 2;
        }
    }
    Some(Header { at, rows, slots })
}

/// Text copied from Word breaks a cell that holds a line break into two lines: a measure's row
/// with fewer cells than the header, then a line that starts no row. The two are joined (the
/// broken cell with a space) and the join is noted for the preview.
fn join_broken_cells(lines: &[&str], from: usize, slots: usize, warnings: &mut Vec<Note>) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (i, raw) in lines.iter().enumerate().skip(from) {
        let first = raw.split('\t').next().unwrap_or_default().trim();
        let starts_row = measure_number(first) || section_heading(first, 0).is_some() || raw.trim().is_empty();
        if !starts_row
            && let Some((line, prev)) = out.last_mut()
            && measure_number(prev.split('\t').next().unwrap_or_default().trim())
            && prev.split('\t').count() + raw.split('\t').count() - 1 <= slots
            && prev.split('\t').count() < slots
        {
            prev.push(' ');
            prev.push_str(raw.trim_start());
            warnings.push(Note {
                line: *line,
                text: prev.clone(),
                reason: format!("ячейка продолжается на строке {}: строки объединены — проверьте", i + 1),
            });
            continue;
        }
        out.push((i + 1, raw.to_string()));
    }
    out
}

/// Reads a plan from tab-separated rows (one table row per line). A row's filled cells are taken
/// in order (merged cells in the source leave gaps, noted); a table with a deadline column per
/// year is read cell by cell, and a measure's years become one schedule ("25.03.2020; 25.03.2021").
pub fn from_tab_rows(text: &str) -> Result<ImportedPlan, ImportError> {
    let lines: Vec<&str> = text.lines().collect();
    let header = find_header(&lines).ok_or(ImportError::NoTable)?;
    let columns: Vec<Column> = header.slots.iter().filter_map(|(c, _)| *c).collect();
    let per_year = columns.iter().filter(|c| **c == Column::Deadline).count() >= 2;
    let mut plan = ImportedPlan { columns: columns.clone(), ..ImportedPlan::default() };
    let mut section: Option<String> = None;
    let body = join_broken_cells(&lines, header.at + header.rows, header.slots.len(), &mut plan.warnings);
    let body: Vec<(usize, &str)> = body.iter().map(|(i, l)| (*i, l.as_str())).collect();
    for (k, (line_no, raw)) in body.iter().enumerate() {
        let (line_no, raw) = (*line_no, *raw);
        let cells: Vec<&str> = raw.split('\t').collect();
        let first = cells.first().map(|c| c.trim()).unwrap_or_default();
        if raw.trim().is_empty() {
            continue;
        }
        let filled: Vec<&str> = cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
        // A section: "I. Title", "Раздел 2. …", "Механизм: …" alone in its row.
        if filled.len() == 1
            && let Some((num, title)) = section_heading(first, plan.sections.len())
        {
            plan.sections.push(Section { number: num.clone(), title });
            section = Some(num);
            continue;
        }
        // "5. | Title" with nothing else, followed by measures "5.1", "5.2": a numbered section.
        let whole = first.trim_end_matches('.');
        if filled.len() == 2
            && !whole.is_empty()
            && whole.chars().all(|c| c.is_ascii_digit())
            && body[k + 1..]
                .iter()
                .map(|(_, l)| l.split('\t').next().unwrap_or_default().trim())
                .find(|f| !f.is_empty())
                .is_some_and(|f| f.starts_with(&format!("{whole}.")) && f.len() > whole.len() + 1)
        {
            plan.sections.push(Section { number: whole.to_string(), title: clean_cell(filled[1]) });
            section = Some(whole.to_string());
            continue;
        }
        if !measure_number(first) {
            plan.unplaced.push(Note {
                line: line_no,
                text: raw.trim().to_string(),
                reason: "строка не похожа ни на раздел, ни на мероприятие".into(),
            });
            continue;
        }
        let mut m =
            Measure { number: first.to_string(), section: section.clone(), line: line_no, ..Measure::default() };
        let mut deadlines: Vec<String> = Vec::new();
        let mut put = |m: &mut Measure,
                       slot: &(Option<Column>, Option<String>),
                       value: &str,
                       warnings: &mut Vec<Note>| {
            match slot {
                (Some(Column::Deadline), year) => {
                    let v = clean_cell(value);
                    match year {
                        Some(y) if tick(&v) => deadlines.push(y.clone()),
                        _ if v.is_empty() => {}
                        _ => deadlines.push(v),
                    }
                }
                (Some(col), _) => assign(m, *col, value, line_no, warnings),
                (None, _) => {}
            }
        };
        // Per-year deadline columns are read cell by cell (an empty year is meaningful); other
        // tables take their filled cells in order, as merged cells in the source leave gaps.
        if per_year && cells.len() == header.slots.len() {
            for (slot, value) in header.slots.iter().zip(cells.iter()) {
                put(&mut m, slot, value, &mut plan.warnings);
            }
        } else {
            // Interior empty cells are artefacts of merged cells in the source; skip them and say so.
            let last_filled = cells.iter().rposition(|c| !c.trim().is_empty()).unwrap_or(0);
            if cells[..last_filled].iter().any(|c| c.trim().is_empty()) {
                plan.warnings.push(Note {
                    line: line_no,
                    text: raw.trim().to_string(),
                    reason: "в строке пустая ячейка посередине: значения сдвинуты влево — проверьте столбцы".into(),
                });
            }
            if filled.len() > columns.len() {
                plan.warnings.push(Note {
                    line: line_no,
                    text: raw.trim().to_string(),
                    reason: format!(
                        "в строке {} заполненных ячеек, а столбцов {}: лишние не прочитаны",
                        filled.len(),
                        columns.len()
                    ),
                });
            }
            let known: Vec<&(Option<Column>, Option<String>)> =
                header.slots.iter().filter(|(c, _)| c.is_some()).collect();
            let values: Vec<&str> = cells.iter().copied().filter(|c| !c.trim().is_empty()).collect();
            for (slot, value) in known.into_iter().zip(values) {
                put(&mut m, slot, value, &mut plan.warnings);
            }
        }
        // A deadline column per year: one schedule with a due date per year.
        m.deadline = deadlines.join("; ");
        plan.measures.push(m);
    }
    if plan.measures.is_empty() {
        return Err(ImportError::NoMeasures);
    }
    Ok(plan)
}

/// One cell of a cell-per-line table and the line it starts on.
struct Cell {
    line: usize,
    text: String,
}

/// Splits a cell-per-line table: a line starting with a tab opens a cell, a line without one
/// continues the cell above (a cell broken across lines), blank lines are ignored.
fn cells_per_line(text: &str) -> (Vec<Cell>, Vec<(usize, String)>) {
    let mut cells: Vec<Cell> = Vec::new();
    let mut loose = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if let Some(rest) = raw.strip_prefix('\t') {
            cells.push(Cell { line: i + 1, text: rest.trim().to_string() });
        } else if raw.trim().is_empty() {
            continue;
        } else if let Some(last) = cells.last_mut() {
            last.text.push('\n');
            last.text.push_str(raw.trim());
        } else {
            loose.push((i + 1, raw.trim().to_string()));
        }
    }
    (cells, loose)
}

/// "1. Title" in one cell (the section's number and title together).
fn section_cell(s: &str) -> Option<(String, String)> {
    let (num, title) = s.split_once('.')?;
    let num = num.trim();
    let title = title.trim();
    (!num.is_empty() && num.chars().all(|c| c.is_ascii_digit()) && !title.is_empty() && !measure_number(title))
        .then(|| (num.to_string(), clean_cell(title)))
}

/// Reads a plan whose table has one cell per line (each starting with a tab), cells that
/// may continue on following lines, and rows separated by nothing but their numbering.
pub fn from_cell_lines(text: &str) -> Result<ImportedPlan, ImportError> {
    let (cells, _preamble) = cells_per_line(text);
    // The header: a run of cells that all name columns, with a deadline and an executor.
    let mut header = None;
    let mut i = 0;
    while i < cells.len() {
        let run: Vec<Column> = cells[i..].iter().map_while(|c| Column::from_header(&c.text)).collect();
        if run.contains(&Column::Deadline) && run.contains(&Column::Executors) && run.len() >= 3 {
            header = Some((i, run));
            break;
        }
        i += 1;
    }
    let (at, columns) = header.ok_or(ImportError::NoTable)?;
    let mut pos = at + columns.len();
    // Some tables number their columns under the header: 1, 2, 3, 4.
    let numbering = (1..=columns.len()).all(|n| cells.get(pos + n - 1).is_some_and(|c| c.text == n.to_string()));
    if numbering {
        pos += columns.len();
    }
    let mut plan = ImportedPlan { columns: columns.clone(), ..ImportedPlan::default() };
    let mut section: Option<String> = None;
    let mut row: Vec<&Cell> = Vec::new();
    let flush = |row: &mut Vec<&Cell>, plan: &mut ImportedPlan, section: &mut Option<String>| {
        let Some((head, rest)) = row.split_first() else { return };
        let continuation = head.text.trim().is_empty();
        let previous = plan.measures.last().filter(|m| !m.continuation).or(plan.measures.last()).cloned();
        let number = match (&previous, continuation) {
            (Some(p), true) => p.number.clone(),
            _ => head.text.trim().to_string(),
        };
        let top_level = !number.trim_end_matches('.').contains('.');
        if top_level && !continuation && rest.len() == 1 && columns.len() > 2 {
            let num = number.trim_end_matches('.').to_string();
            plan.sections.push(Section { number: num.clone(), title: clean_cell(&rest[0].text) });
            *section = Some(num);
        } else {
            let mut m = Measure {
                number: number.clone(),
                section: section.clone(),
                line: head.line,
                continuation,
                ..Measure::default()
            };
            if continuation {
                plan.warnings.push(Note {
                    line: head.line,
                    text: number.clone(),
                    reason: format!(
                        "строка продолжает мероприятие {number} (объединённые ячейки): прочитана как его вторая часть"
                    ),
                });
            }
            if rest.len() + 1 > columns.len() {
                plan.warnings.push(Note {
                    line: head.line,
                    text: number.clone(),
                    reason: format!(
                        "в строке {} ячеек, а столбцов {}: лишние не прочитаны",
                        rest.len() + 1,
                        columns.len()
                    ),
                });
            } else if rest.len() + 1 < columns.len() {
                plan.warnings.push(Note {
                    line: head.line,
                    text: number.clone(),
                    reason: format!(
                        "в строке {} ячеек из {}: недостающие оставлены пустыми",
                        rest.len() + 1,
                        columns.len()
                    ),
                });
            }
            for (col, cell) in columns.iter().skip(1).zip(rest.iter()) {
                if *col == Column::Text && clean_cell(&cell.text).is_empty() && continuation {
                    m.text = previous.as_ref().map(|p| p.text.clone()).unwrap_or_default();
                } else {
                    assign(&mut m, *col, &cell.text, cell.line, &mut plan.warnings);
                }
            }
            plan.measures.push(m);
        }
        row.clear();
    };
    for cell in &cells[pos..] {
        let t = cell.text.trim();
        let full = row.len() >= columns.len();
        let starts_row = measure_number(t) && (t.contains('.') || full || row.is_empty());
        if full && t.is_empty() {
            // An empty number cell after a complete row: the next row continues the same measure.
            flush(&mut row, &mut plan, &mut section);
            row.push(cell);
        } else if starts_row {
            flush(&mut row, &mut plan, &mut section);
            row.push(cell);
        } else if let Some((num, title)) = section_cell(t).filter(|_| row.is_empty() || full) {
            flush(&mut row, &mut plan, &mut section);
            plan.sections.push(Section { number: num.clone(), title });
            section = Some(num);
        } else if row.is_empty() {
            if !t.is_empty() {
                plan.unplaced.push(Note {
                    line: cell.line,
                    text: t.to_string(),
                    reason: "текст вне строк таблицы".into(),
                });
            }
        } else {
            row.push(cell);
        }
    }
    flush(&mut row, &mut plan, &mut section);
    if plan.measures.is_empty() {
        return Err(ImportError::NoMeasures);
    }
    Ok(plan)
}

/// Reads a plan from a document's text, whichever of the two layouts its table has.
pub fn from_text(text: &str) -> Result<ImportedPlan, ImportError> {
    let mut plan = match from_tab_rows(text) {
        Ok(plan) => plan,
        Err(_) => from_cell_lines(text)?,
    };
    plan.details = crate::details::read(text);
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_fragments_become_text() {
        assert_eq!(
            clean_cell("<p>Размещение&nbsp;на <b>Сайте</b></p><ul><li>отчётов</li></ul>"),
            "Размещение на Сайте отчётов"
        );
    }

    #[test]
    fn numbers_and_sections() {
        assert!(measure_number("12.") && measure_number("2.3") && measure_number("1.1.") && measure_number("7"));
        assert!(!measure_number("I.") && !measure_number("п/п") && !measure_number("2.a"));
        assert_eq!(roman("Х"), Some("X".into()));
        assert_eq!(roman("VIII"), Some("VIII".into()));
        assert_eq!(roman("Итого"), None);
    }

    #[test]
    fn section_headings_as_plans_write_them() {
        let h = |s: &str| section_heading(s, 2);
        assert_eq!(h("Раздел 2. Работа с обращениями"), Some(("2".into(), "Работа с обращениями".into())));
        assert_eq!(h("III Механизм: Публичная декларация").map(|s| s.0), Some("III".into()));
        assert_eq!(h("IV. Формирование отчетности").map(|s| s.0), Some("IV".into()));
        assert_eq!(
            h("Механизм: Работа с референтными группами"),
            Some(("3".into(), "Работа с референтными группами".into()))
        );
        assert_eq!(h("Итого"), None);
        assert_eq!(h("12."), None);
        assert_eq!(year_header("2021 год"), Some("2021".into()));
        assert_eq!(year_header("Срок"), None);
        assert!(tick("+") && tick(" Х ") && !tick("25.03.2020"));
    }

    #[test]
    fn a_text_without_a_table_is_refused_with_a_reason() {
        assert_eq!(from_tab_rows("просто текст\nещё строка"), Err(ImportError::NoTable));
        let only_header = "№\tМероприятие\tСрок\tОтветственный исполнитель\n";
        assert_eq!(from_tab_rows(only_header), Err(ImportError::NoMeasures));
    }
}
