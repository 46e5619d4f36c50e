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
    office::sheet_text(bytes).map_err(FileError::NotAPlan)
}

/// The text of a .docx: paragraphs as lines, each table row as one line of tab-separated
/// cells (a cell's paragraphs joined by U+2028) — the layout `import::from_tab_rows` reads.
pub fn docx_text(bytes: &[u8]) -> Result<String, FileError> {
    office::docx_text(bytes).map_err(|_| FileError::NotAPlan("файл .docx повреждён или это не документ Word".into()))
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
