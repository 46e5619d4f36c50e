//! The text of office documents. A file is what its bytes say, not its name: [`sniff`] checks
//! one against the other and refuses a file that is not what it claims. [`text`] reads its
//! paragraphs as lines and each table row as one line of tab-separated cells (a cell's own
//! paragraphs joined by U+2028), the same layout for every format — Word (.docx), OpenDocument
//! text (.odt), spreadsheets (.xlsx, .xls, .ods: the first sheet) and PDF. Work is bounded: an
//! archive's part is read up to [`MAX_PART`], a PDF whose compressed streams unpack past it is
//! refused before it is read, the text kept up to [`MAX_TEXT`] characters. Photos
//! for news are checked and made ready the same way ([`picture`]).

use std::io::Read;

pub mod grid;
pub mod picture;
pub mod write;

/// The most of one archive part (the document's XML) that is unpacked.
pub const MAX_PART: u64 = 64 * 1024 * 1024;
/// The most text kept from one document, in characters.
pub const MAX_TEXT: usize = 2_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Docx,
    Odt,
    Xlsx,
    Xls,
    Ods,
    Pdf,
}

pub const FORMATS: [Format; 6] = [Format::Docx, Format::Odt, Format::Xlsx, Format::Xls, Format::Ods, Format::Pdf];

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Pdf => "pdf",
        }
    }

    pub fn parse(extension: &str) -> Option<Format> {
        FORMATS.into_iter().find(|f| f.extension() == extension)
    }

    /// The format a file's name claims, by its extension.
    pub fn of_name(name: &str) -> Option<Format> {
        name.rsplit_once('.').and_then(|(_, e)| Format::parse(&e.to_lowercase()))
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Odt => "application/vnd.oasis.opendocument.text",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Xls => "application/vnd.ms-excel",
            Format::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Format::Pdf => "application/pdf",
        }
    }

    /// What it is, in Russian, for messages.
    pub fn what(self) -> &'static str {
        match self {
            Format::Docx => "документ Word (.docx)",
            Format::Odt => "текстовый документ OpenDocument (.odt)",
            Format::Xlsx => "таблица Excel (.xlsx)",
            Format::Xls => "таблица Excel 97–2003 (.xls)",
            Format::Ods => "таблица OpenDocument (.ods)",
            Format::Pdf => "документ PDF (.pdf)",
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Error {
    Empty,
    /// The name's extension is none of the formats.
    Unknown(String),
    /// The bytes are not the format the name claims.
    NotWhatItSays(Format),
    /// The format is right but the file cannot be read.
    Broken(Format),
    /// The file unpacks to more than it may (`MAX_PART`): refused before it is read.
    TooBig(Format),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Empty => f.write_str("файл пустой"),
            Error::Unknown(ext) if ext.is_empty() => {
                f.write_str("у файла нет расширения: загрузите .docx, .odt, .pdf, .xlsx, .xls или .ods")
            }
            Error::Unknown(ext) => {
                write!(f, "формат «.{ext}» не принимается: загрузите .docx, .odt, .pdf, .xlsx, .xls или .ods")
            }
            Error::NotWhatItSays(format) => {
                write!(
                    f,
                    "по имени это {}, но внутри файл другого вида: сохраните его в этом формате заново",
                    format.what()
                )
            }
            Error::Broken(format) => write!(f, "{} повреждён и не читается", format.what()),
            Error::TooBig(format) => write!(
                f,
                "{} распаковывается больше чем в {} МБ — такой файл не читается: сохраните его заново или разделите",
                format.what(),
                MAX_PART / 1024 / 1024
            ),
        }
    }
}

impl std::error::Error for Error {}

/// The format of a file named `name`, checked against its first bytes.
pub fn sniff(name: &str, bytes: &[u8]) -> Result<Format, Error> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    let format = Format::parse(&ext).ok_or(Error::Unknown(ext))?;
    let zip = bytes.starts_with(b"PK\x03\x04");
    let fits = match format {
        Format::Pdf => bytes.starts_with(b"%PDF-"),
        Format::Xls => bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
        Format::Docx => zip && has_part(bytes, "word/document.xml"),
        Format::Xlsx => zip && has_part(bytes, "xl/workbook.xml"),
        Format::Odt => zip && mimetype(bytes).as_deref() == Some("application/vnd.oasis.opendocument.text"),
        Format::Ods => zip && mimetype(bytes).as_deref() == Some("application/vnd.oasis.opendocument.spreadsheet"),
    };
    if fits { Ok(format) } else { Err(Error::NotWhatItSays(format)) }
}

fn archive(bytes: &[u8]) -> Option<zip::ZipArchive<std::io::Cursor<&[u8]>>> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()
}

fn has_part(bytes: &[u8], name: &str) -> bool {
    archive(bytes).is_some_and(|mut z| z.by_name(name).is_ok())
}

fn mimetype(bytes: &[u8]) -> Option<String> {
    let mut z = archive(bytes)?;
    let mut out = String::new();
    z.by_name("mimetype").ok()?.take(200).read_to_string(&mut out).ok()?;
    Some(out.trim().to_string())
}

/// One part of an archive as text, at most [`MAX_PART`] bytes of it.
fn part(bytes: &[u8], name: &str, format: Format) -> Result<String, Error> {
    let mut z = archive(bytes).ok_or(Error::Broken(format))?;
    let mut out = String::new();
    z.by_name(name)
        .map_err(|_| Error::Broken(format))?
        .take(MAX_PART)
        .read_to_string(&mut out)
        .map_err(|_| Error::Broken(format))?;
    Ok(out)
}

/// The text of a file already sniffed as `format`, at most [`MAX_TEXT`] characters.
pub fn text(format: Format, bytes: &[u8]) -> Result<String, Error> {
    let mut out = match format {
        Format::Docx => docx_text(bytes)?,
        Format::Odt => odt_text(bytes)?,
        Format::Xlsx | Format::Xls | Format::Ods => sheet_text(bytes).map_err(|_| Error::Broken(format))?,
        Format::Pdf => pdf_text(bytes)?,
    };
    if let Some((cut, _)) = out.char_indices().nth(MAX_TEXT) {
        out.truncate(cut);
    }
    Ok(out)
}

/// The first sheet of a spreadsheet (.xlsx, .xls, .ods) as rows of cells, a cell's lines kept.
pub fn sheet_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    use calamine::{Data, Reader};
    let broken = || "таблица повреждена или это не файл Excel".to_string();
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|_| broken())?;
    let range = book.worksheet_range_at(0).ok_or_else(|| "в книге нет листов".to_string())?.map_err(|_| broken())?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                    Data::Empty => String::new(),
                    other => other.to_string().replace("\r\n", "\n").replace('\r', "\n"),
                })
                .collect()
        })
        .collect())
}

/// The first sheet of a spreadsheet (.xlsx, .xls, .ods) as tab-separated rows (a cell's lines
/// joined by spaces).
pub fn sheet_text(bytes: &[u8]) -> Result<String, String> {
    let mut out = String::new();
    for row in sheet_rows(bytes)? {
        let cells: Vec<String> = row.iter().map(|c| c.replace(['\t', '\n'], " ")).collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    Ok(out)
}

/// Collects a document's text from XML events: paragraphs outside tables as lines, each row of
/// a top-level table as one line of tab-separated cells.
#[derive(Default)]
struct Lines {
    out: String,
    depth: usize,
    para: String,
    cell: String,
    row: Vec<String>,
}

impl Lines {
    fn table_start(&mut self) {
        self.depth += 1;
    }
    fn table_end(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
    fn row_start(&mut self) {
        if self.depth == 1 {
            self.row.clear();
        }
    }
    fn cell_start(&mut self) {
        if self.depth == 1 {
            self.cell.clear();
        }
    }
    fn para_start(&mut self) {
        self.para.clear();
    }
    /// A tab in running text stays a tab outside tables; inside a cell it is a space.
    fn tab(&mut self) {
        self.para.push(if self.depth == 0 { '\t' } else { ' ' });
    }
    fn para_end(&mut self) {
        if self.depth == 0 {
            self.out.push_str(&self.para);
            self.out.push('\n');
        } else {
            // Paragraphs of a cell stay apart (U+2028, a line separator, not a row's end).
            if !self.cell.is_empty() && !self.para.trim().is_empty() {
                self.cell.push('\u{2028}');
            }
            self.cell.push_str(self.para.trim());
        }
    }
    fn cell_end(&mut self) {
        if self.depth == 1 {
            self.row.push(std::mem::take(&mut self.cell));
        }
    }
    fn row_end(&mut self) {
        if self.depth == 1 {
            self.out.push_str(&self.row.join("\t"));
            self.out.push('\n');
        }
    }
}

/// Text and entities of an XML event into `s`.
fn push_ref(s: &mut String, r: quick_xml::events::BytesRef<'_>) {
    match r.resolve_char_ref() {
        Ok(Some(c)) => s.push(c),
        _ => {
            let name = r.into_inner();
            s.push_str(quick_xml::escape::resolve_predefined_entity(&name).unwrap_or_default());
        }
    }
}

/// The text of a .docx (`word/document.xml`).
pub fn docx_text(bytes: &[u8]) -> Result<String, Error> {
    use quick_xml::events::Event;
    let broken = || Error::Broken(Format::Docx);
    let xml = part(bytes, "word/document.xml", Format::Docx)?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut l = Lines::default();
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(|_| broken())? {
            Event::Start(e) => match e.name().as_ref() {
                "w:tbl" => l.table_start(),
                "w:tr" => l.row_start(),
                "w:tc" => l.cell_start(),
                "w:p" => l.para_start(),
                "w:t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:tab" => l.tab(),
                "w:br" => l.para.push(' '),
                _ => {}
            },
            Event::Text(t) if in_text => l.para.push_str(&t.xml10_content()),
            // Entities come as their own events: &amp;, &#171; and the like.
            Event::GeneralRef(r) if in_text => push_ref(&mut l.para, r),
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" => l.para_end(),
                "w:tc" => l.cell_end(),
                "w:tr" => l.row_end(),
                "w:tbl" => l.table_end(),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(l.out)
}

/// The text of an .odt (`content.xml`): paragraphs and headings, tables by rows.
pub fn odt_text(bytes: &[u8]) -> Result<String, Error> {
    use quick_xml::events::Event;
    let broken = || Error::Broken(Format::Odt);
    let xml = part(bytes, "content.xml", Format::Odt)?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut l = Lines::default();
    // Paragraphs may nest (a note inside a paragraph): only the outermost one ends a line.
    let mut open = 0usize;
    loop {
        match reader.read_event().map_err(|_| broken())? {
            Event::Start(e) => match e.name().as_ref() {
                "table:table" => l.table_start(),
                "table:table-row" => l.row_start(),
                "table:table-cell" => l.cell_start(),
                "text:p" | "text:h" => {
                    if open == 0 {
                        l.para_start();
                    }
                    open += 1;
                }
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "text:tab" => l.tab(),
                "text:line-break" => l.para.push(' '),
                "text:s" => {
                    let n = e
                        .try_get_attribute("text:c")
                        .ok()
                        .flatten()
                        .and_then(|a| a.value.parse::<usize>().ok())
                        .unwrap_or(1);
                    l.para.push_str(&" ".repeat(n.min(100)));
                }
                "table:table-cell" if l.depth == 1 => l.row.push(String::new()),
                _ => {}
            },
            Event::Text(t) if open > 0 => l.para.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if open > 0 => push_ref(&mut l.para, r),
            Event::End(e) => match e.name().as_ref() {
                "text:p" | "text:h" => {
                    open = open.saturating_sub(1);
                    if open == 0 {
                        l.para_end();
                    }
                }
                "table:table-cell" => l.cell_end(),
                "table:table-row" => l.row_end(),
                "table:table" => l.table_end(),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(l.out)
}

/// The text of a PDF, page after page. A file the reader cannot take (or that makes it fail)
/// is refused as broken, never a crash.
pub fn pdf_text(bytes: &[u8]) -> Result<String, Error> {
    let broken = || Error::Broken(Format::Pdf);
    if !pdf_unpacks_within(bytes, MAX_PART) {
        return Err(Error::TooBig(Format::Pdf));
    }
    let read = std::panic::catch_unwind(|| {
        let doc = lopdf::Document::load_mem(bytes).ok()?;
        let mut out = String::new();
        for page in doc.get_pages().keys() {
            // A page whose text cannot be read (an image, a font without its map) adds nothing.
            if let Ok(t) = doc.extract_text(&[*page]) {
                out.push_str(&t);
            }
            if out.len() > MAX_TEXT * 4 {
                break;
            }
        }
        Some(out)
    });
    read.ok().flatten().ok_or_else(broken)
}

/// Whether every compressed stream of a PDF (`stream` … `endstream`, zlib as FlateDecode writes
/// it) unpacks to at most `most` bytes all together — found in the raw bytes, before the reader
/// unpacks anything (object streams included), and unpacked only as far as the limit: a small file
/// that unpacks to gigabytes costs at most the limit's work. A stream that is not zlib counts as
/// its own length; an image's is not counted (text is never read from it).
fn pdf_unpacks_within(bytes: &[u8], most: u64) -> bool {
    use std::io::Read;
    let finder = memchr::memmem::Finder::new(b"stream");
    let end = memchr::memmem::Finder::new(b"endstream");
    let mut total = 0u64;
    let mut at = 0;
    while let Some(found) = finder.find(&bytes[at..]) {
        let start = at + found + b"stream".len();
        // `endstream` contains `stream`: skip it; a stream's data begins after its line break.
        if bytes[..at + found].ends_with(b"end") {
            at = start;
            continue;
        }
        let data_from = match bytes.get(start..start + 2) {
            Some(b"\r\n") => start + 2,
            Some([b'\n', _]) | Some([b'\r', _]) => start + 1,
            _ => {
                at = start;
                continue;
            }
        };
        let data_to = end.find(&bytes[data_from..]).map_or(bytes.len(), |e| data_from + e);
        let data = &bytes[data_from..data_to];
        // An image is never unpacked to read the text (a scan's pages may be large): not counted.
        let dict_from = memchr::memmem::rfind(&bytes[at..at + found], b"obj").map_or(at, |o| at + o);
        if memchr::memmem::find(&bytes[dict_from..at + found], b"/Image").is_some() {
            at = data_to;
            continue;
        }
        let left = most.saturating_sub(total) + 1;
        let mut unpacked = flate2::read::ZlibDecoder::new(data).take(left);
        total += match std::io::copy(&mut unpacked, &mut std::io::sink()) {
            Ok(n) if n > 0 => n,
            _ => data.len() as u64,
        };
        if total > most {
            return false;
        }
        at = data_to;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip of the given parts, as an office file is.
    pub(crate) fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, body) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default()).expect("part");
            w.write_all(body.as_bytes()).expect("write");
        }
        w.finish().expect("zip").into_inner()
    }

    #[test]
    fn a_pdf_that_unpacks_past_the_limit_is_refused_before_it_is_read() {
        use std::io::Write;
        // 8 MiB of zeros packed into a few KiB, as a PDF stream; the limit here is 4 MiB.
        let mut packed = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        packed.write_all(&vec![0u8; 8 << 20]).expect("pack");
        let packed = packed.finish().expect("packed");
        assert!(packed.len() < 64 << 10, "{}", packed.len());
        let pdf = |data: &[u8]| {
            let mut pdf = b"%PDF-1.7\n1 0 obj << /Filter /FlateDecode >>\nstream\r\n".to_vec();
            pdf.extend_from_slice(data);
            pdf.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
            pdf
        };
        assert!(!pdf_unpacks_within(&pdf(&packed), 4 << 20));
        assert!(pdf_unpacks_within(&pdf(&packed), 16 << 20));
        // Two streams of 3 MiB each: together past 4 MiB.
        let mut small = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        small.write_all(&vec![0u8; 3 << 20]).expect("pack");
        let small = small.finish().expect("packed");
        let mut two = pdf(&small);
        two.extend_from_slice(&pdf(&small));
        assert!(!pdf_unpacks_within(&two, 4 << 20));
        assert!(pdf_unpacks_within(&pdf(&small), 4 << 20));
        // A scan's page image is not unpacked to read text: not counted.
        let mut image = b"%PDF-1.7\n1 0 obj << /Subtype /Image /Filter /FlateDecode >>\nstream\n".to_vec();
        image.extend_from_slice(&packed);
        image.extend_from_slice(b"\nendstream\nendobj\n");
        assert!(pdf_unpacks_within(&image, 4 << 20));
        // The 64 MiB limit of real uploads: the same trick at 80 MiB is refused with its message.
        let mut bomb = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        bomb.write_all(&vec![0u8; 80 << 20]).expect("pack");
        let e = pdf_text(&pdf(&bomb.finish().expect("packed"))).expect_err("a bomb");
        assert_eq!(e, Error::TooBig(Format::Pdf));
        assert!(e.to_string().contains("больше чем в 64 МБ"), "{e}");
    }

    #[test]
    fn a_file_is_what_its_bytes_say_not_its_name() {
        let docx = zip_of(&[("word/document.xml", "<w:document/>")]);
        assert_eq!(sniff("Приказ.DOCX", &docx), Ok(Format::Docx));
        assert_eq!(sniff("приказ.pdf", &docx), Err(Error::NotWhatItSays(Format::Pdf)));
        assert_eq!(sniff("table.xlsx", &docx), Err(Error::NotWhatItSays(Format::Xlsx)));
        assert_eq!(sniff("a.docx", b"%PDF-1.7\n"), Err(Error::NotWhatItSays(Format::Docx)));
        assert_eq!(sniff("a.pdf", b"%PDF-1.7\n"), Ok(Format::Pdf));
        assert_eq!(sniff("a.exe", b"MZ"), Err(Error::Unknown("exe".into())));
        assert_eq!(sniff("a.pdf", b""), Err(Error::Empty));
        let odt = zip_of(&[("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<x/>")]);
        assert_eq!(sniff("a.odt", &odt), Ok(Format::Odt));
        assert_eq!(sniff("a.ods", &odt), Err(Error::NotWhatItSays(Format::Ods)));
        let message = Error::NotWhatItSays(Format::Pdf).to_string();
        assert!(message.contains("документ PDF (.pdf)"), "{message}");
    }

    #[test]
    fn paragraphs_are_lines_and_table_rows_are_tab_separated() {
        let body = r#"<w:document><w:body>
            <w:p><w:r><w:t>Приказ &#171;О плане&#187; &amp; прочем</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>1.</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:r><w:t>Отдел</w:t></w:r></w:p><w:p><w:r><w:t>Пресс-служба</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:t>Итог</w:t><w:tab/><w:t>да</w:t></w:r></w:p>
            </w:body></w:document>"#;
        let text = docx_text(&zip_of(&[("word/document.xml", body)])).expect("docx");
        assert_eq!(text, "Приказ «О плане» & прочем\n1.\tОтдел\u{2028}Пресс-служба\nИтог\tда\n");
        let content = r#"<office:document-content><office:body><office:text>
            <text:h>Положение</text:h><text:p>Первый<text:s text:c="2"/>абзац<text:line-break/>дальше</text:p>
            <table:table><table:table-row><table:table-cell><text:p>А</text:p></table:table-cell><table:table-cell/><table:table-cell><text:p>В</text:p></table:table-cell></table:table-row></table:table>
            </office:text></office:body></office:document-content>"#;
        let odt = zip_of(&[("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", content)]);
        assert_eq!(text_of("a.odt", &odt), "Положение\nПервый  абзац дальше\nА\t\tВ\n");
    }

    fn text_of(name: &str, bytes: &[u8]) -> String {
        text(sniff(name, bytes).expect("sniffed"), bytes).expect("text")
    }

    #[test]
    fn a_broken_file_is_refused_not_a_crash() {
        let not_xml = zip_of(&[("word/document.xml", "<w:document><w:p>")]);
        assert!(docx_text(&not_xml).is_ok_and(|t| t.is_empty()), "an unfinished document has no text");
        assert_eq!(pdf_text(b"%PDF-1.7\nnothing else"), Err(Error::Broken(Format::Pdf)));
        let truncated = &zip_of(&[("word/document.xml", "<w:document/>")])[..20];
        assert_eq!(docx_text(truncated), Err(Error::Broken(Format::Docx)));
    }
}
