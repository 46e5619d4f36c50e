//! Turning an uploaded or given file (.txt, .docx, .xlsx) into the text the importer reads, with a clear refusal
//! for what is not a roadmap document.

use crate::import::{self, ImportedPlan};

/// Largest roadmap document accepted (a real plan is a few hundred kilobytes).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub enum FileError {
    Empty,
    TooLarge { bytes: usize },
    Binary,
    NotUtf8,
    UnknownFormat(String),
    NotAPlan(String),
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::Empty => f.write_str("файл пустой"),
            FileError::TooLarge { bytes } => write!(
                f,
                "файл слишком большой ({:.1} МБ); план мероприятий занимает не больше {} МБ",
                *bytes as f64 / 1_048_576.0,
                MAX_BYTES / 1_048_576
            ),
            FileError::Binary => f.write_str("это не текстовый файл: загрузите план в формате .txt, .docx или .xlsx"),
            FileError::NotUtf8 => f.write_str("текст не в кодировке UTF-8: сохраните файл в UTF-8 и загрузите снова"),
            FileError::UnknownFormat(ext) => {
                write!(f, "формат «{ext}» не поддерживается: загрузите .txt, .docx или .xlsx")
            }
            FileError::NotAPlan(why) => write!(f, "в файле не найден план мероприятий: {why}"),
        }
    }
}

impl std::error::Error for FileError {}

/// Reads a plan from a file's name and bytes.
pub fn read_plan(name: &str, bytes: &[u8]) -> Result<ImportedPlan, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(FileError::TooLarge { bytes: bytes.len() });
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "txt" | "" => {}
        "docx" | "xlsx" | "xls" | "ods" => {
            let text = if ext == "docx" { docx_text(bytes)? } else { sheet_text(bytes)? };
            return import::from_text(&text).map_err(|e| FileError::NotAPlan(e.to_string()));
        }
        other => return Err(FileError::UnknownFormat(other.to_string())),
    }
    if bytes.iter().take(8192).any(|b| *b == 0) {
        return Err(FileError::Binary);
    }
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|_| FileError::NotUtf8)?;
    import::from_text(text).map_err(|e| FileError::NotAPlan(e.to_string()))
}

/// The first sheet of a spreadsheet (.xlsx, .xls, .ods) as tab-separated rows.
pub fn sheet_text(bytes: &[u8]) -> Result<String, FileError> {
    use calamine::{Data, Reader};
    let broken = || FileError::NotAPlan("таблица повреждена или это не файл Excel".into());
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|_| broken())?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| FileError::NotAPlan("в книге нет листов".into()))?
        .map_err(|_| broken())?;
    let mut out = String::new();
    for row in range.rows() {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::Empty => String::new(),
                other => other.to_string().replace(['\t', '\n', '\r'], " "),
            })
            .collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    Ok(out)
}

/// The text of a .docx: paragraphs as lines, each table row as one line of tab-separated
/// cells (a cell's paragraphs joined by U+2028) — the layout `import::from_tab_rows` reads.
pub fn docx_text(bytes: &[u8]) -> Result<String, FileError> {
    use quick_xml::events::Event;
    use std::io::Read;
    let not_docx = || FileError::NotAPlan("файл .docx повреждён или это не документ Word".into());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| not_docx())?;
    let mut xml = String::new();
    zip.by_name("word/document.xml").map_err(|_| not_docx())?.read_to_string(&mut xml).map_err(|_| not_docx())?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    let (mut depth, mut in_text) = (0usize, false);
    let (mut para, mut cell, mut row) = (String::new(), String::new(), Vec::<String>::new());
    loop {
        match reader.read_event().map_err(|_| not_docx())? {
            Event::Start(e) => match e.name().as_ref() {
                "w:tbl" => depth += 1,
                "w:tr" if depth == 1 => row.clear(),
                "w:tc" if depth == 1 => cell.clear(),
                "w:p" => para.clear(),
                "w:t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:tab" if depth == 0 => para.push('\t'),
                "w:tab" | "w:br" => para.push(' '),
                _ => {}
            },
            Event::Text(t) if in_text => para.push_str(&t.xml10_content()),
            // Entities come as their own events: &amp;, &#171; and the like.
            Event::GeneralRef(r) if in_text => match r.resolve_char_ref() {
                Ok(Some(c)) => para.push(c),
                _ => {
                    let name = r.into_inner();
                    para.push_str(quick_xml::escape::resolve_predefined_entity(&name).unwrap_or_default());
                }
            },
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" if depth == 0 => {
                    out.push_str(&para);
                    out.push('\n');
                }
                "w:p" => {
                    // Paragraphs of a cell stay apart (U+2028, a line separator, not a row's end):
                    // executors on separate lines are separate people; other cells read it as a space.
                    if !cell.is_empty() && !para.trim().is_empty() {
                        cell.push('\u{2028}');
                    }
                    cell.push_str(para.trim());
                }
                "w:tc" if depth == 1 => row.push(std::mem::take(&mut cell)),
                "w:tr" if depth == 1 => {
                    out.push_str(&row.join("\t"));
                    out.push('\n');
                }
                "w:tbl" => depth = depth.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_files_get_a_clear_refusal() {
        assert_eq!(read_plan("plan.txt", b""), Err(FileError::Empty));
        assert_eq!(read_plan("plan.txt", b"\x00\x01\x02\x03"), Err(FileError::Binary));
        assert_eq!(read_plan("plan.txt", b"\xcf\xeb\xe0\xed"), Err(FileError::NotUtf8)); // "План" in Windows-1251
        assert_eq!(read_plan("plan.pdf", b"%PDF-1.4"), Err(FileError::UnknownFormat("pdf".into())));
        assert!(matches!(read_plan("data.txt", b"a,b\n1,2\n"), Err(FileError::NotAPlan(_))));
        let big = vec![b'a'; MAX_BYTES + 1];
        assert!(matches!(read_plan("plan.txt", &big), Err(FileError::TooLarge { .. })));
        assert!(read_plan("plan.txt", &big).err().is_some_and(|e| e.to_string().contains("слишком большой")));
    }
}
