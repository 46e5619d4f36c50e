//! The streaming validator of a CSV data file against its structure. The file is read through
//! a fixed buffer (grown only for a single record longer than it), records are split by an
//! RFC 4180 parser of our own (so a stray quote is an error, not silently accepted), and every
//! cell is checked against its field's type. Every problem goes to the caller's sink as it is
//! found (for the full downloadable report); the first `keep` are also kept in the report. The
//! file's verdict is all or nothing: one problem rejects the version.
//!
//! Accepted on input, never emitted: a UTF-8 byte order mark, LF line ends (RFC 4180 says
//! CRLF). Refused with a message naming the problem: another encoding (Windows-1251 is named),
//! a semicolon or tab delimiter, a header that differs from the structure, a row with another
//! number of cells, a bare or unclosed quote, an empty line, a cell of the wrong type, an
//! empty required cell.

use std::io::Read;

use memchr::{memchr, memchr_iter, memchr3_iter};
use serde::Serialize;

use crate::check;
use crate::structure::Structure;

const BUFFER: usize = 256 * 1024;
/// The longest record accepted: a larger one is surely not a row of a table.
pub const MAX_RECORD: usize = 16 * 1024 * 1024;

/// One problem: where (line of the file from 1, the header being line 1; column from 1 and the
/// field's name when it concerns a cell), what (a stable code) and why (Russian).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Issue {
    pub line: u64,
    pub column: Option<u32>,
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    /// Data rows read (the header not counted).
    pub rows: u64,
    pub bytes: u64,
    /// Every problem found, kept or not.
    pub errors: u64,
    /// The first problems, at most `keep`.
    pub issues: Vec<Issue>,
    /// Whether checking stopped early (wrong encoding, delimiter or header; an unclosed quote).
    pub stopped: bool,
}

impl Report {
    pub fn valid(&self) -> bool {
        self.errors == 0
    }
}

#[derive(Clone, Copy)]
pub(crate) struct Span {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Quoted with doubled quotes inside: the value must be unescaped before checking.
    pub(crate) escaped: bool,
}

pub(crate) enum Step {
    /// A whole record of `len` bytes (its line end included), with `newlines` inside quotes.
    Record { len: usize, newlines: u64 },
    /// The record continues past the bytes at hand.
    More,
    /// Broken quoting at byte `at` of the record.
    Bad { at: usize, code: &'static str, message: &'static str },
}

/// Splits one record from `d` into `fields`.
pub(crate) fn record(d: &[u8], eof: bool, fields: &mut Vec<Span>) -> Step {
    fields.clear();
    let n = d.len();
    let mut i = 0;
    let mut newlines = 0u64;
    'fields: loop {
        if i < n && d[i] == b'"' {
            let mut j = i + 1;
            let mut escaped = false;
            let after = loop {
                let Some(k) = memchr(b'"', &d[j..]) else {
                    if eof {
                        return Step::Bad {
                            at: i,
                            code: "unclosed_quote",
                            message: "кавычка открыта и не закрыта до конца файла",
                        };
                    }
                    return Step::More;
                };
                let q = j + k;
                newlines += memchr_iter(b'\n', &d[j..q]).count() as u64;
                if q + 1 < n && d[q + 1] == b'"' {
                    escaped = true;
                    j = q + 2;
                    continue;
                }
                if q + 1 >= n && !eof {
                    return Step::More;
                }
                fields.push(Span { start: i + 1, end: q, escaped });
                break q + 1;
            };
            if after >= n {
                return Step::Record { len: n, newlines };
            }
            match d[after] {
                b',' => i = after + 1,
                b'\n' => return Step::Record { len: after + 1, newlines },
                b'\r' if after + 1 < n && d[after + 1] == b'\n' => return Step::Record { len: after + 2, newlines },
                b'\r' if after + 1 >= n && !eof => return Step::More,
                _ => {
                    return Step::Bad {
                        at: after,
                        code: "text_after_quote",
                        message: "после закрывающей кавычки должна идти запятая или конец строки",
                    };
                }
            }
        } else {
            // One pass over the unquoted cells of the record, until a quoted cell or its end.
            let base = i;
            for p in memchr3_iter(b',', b'\n', b'"', &d[base..]).map(|k| k + base) {
                match d[p] {
                    b',' => {
                        fields.push(Span { start: i, end: p, escaped: false });
                        i = p + 1;
                        if i < n && d[i] == b'"' {
                            continue 'fields;
                        }
                    }
                    b'\n' => {
                        let end = if p > i && d[p - 1] == b'\r' { p - 1 } else { p };
                        fields.push(Span { start: i, end, escaped: false });
                        return Step::Record { len: p + 1, newlines };
                    }
                    _ => {
                        return Step::Bad {
                            at: p,
                            code: "bare_quote",
                            message: "кавычка внутри значения без кавычек: заключите значение в кавычки, а кавычки внутри него удвойте",
                        };
                    }
                }
            }
            if !eof {
                return Step::More;
            }
            let end = if n > i && d[n - 1] == b'\r' { n - 1 } else { n };
            fields.push(Span { start: i, end, escaped: false });
            return Step::Record { len: n, newlines };
        }
    }
}

/// Collects problems: all go to the sink, the first `keep` into the report.
struct Findings<'a> {
    report: Report,
    keep: usize,
    sink: &'a mut dyn FnMut(&Issue),
}

impl Findings<'_> {
    fn add(&mut self, line: u64, column: Option<u32>, field: &str, code: &'static str, message: String) {
        let issue = Issue { line, column, field: field.to_string(), code, message };
        (self.sink)(&issue);
        self.report.errors += 1;
        if self.report.issues.len() < self.keep {
            self.report.issues.push(issue);
        }
    }
}

/// The input through a buffer that keeps its unread tail at the front when refilled.
struct Input<R> {
    r: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
}

impl<R: Read> Input<R> {
    fn data(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// Fills the buffer to the end (or to the end of the input), keeping the unread tail; grows
    /// the buffer only when one record already fills it. Filling completely, whatever sizes the
    /// reader hands out, keeps re-reading an unfinished record linear.
    fn fill(&mut self) -> std::io::Result<()> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let grown = (self.buf.len() * 2).min(MAX_RECORD + 1);
            self.buf.resize(grown, 0);
        }
        while self.end < self.buf.len() {
            match self.r.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(k) => self.end += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// Names the encoding of bytes that are not UTF-8 (Mozilla's detector, with the .ru hint).
fn encoding_of(sample: &[u8]) -> &'static str {
    let mut d = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    d.feed(sample, true);
    d.guess(Some(b"ru"), chardetng::Utf8Detection::Allow).name()
}

/// Checks a data file against its structure. Problems go to `sink` as they are found; the
/// first `keep` are also in the report. An I/O error while reading is returned as is.
pub fn validate<R: Read>(
    structure: &Structure,
    input: R,
    keep: usize,
    sink: &mut dyn FnMut(&Issue),
) -> std::io::Result<Report> {
    let mut f = Findings { report: Report::default(), keep, sink };
    let mut inp = Input { r: input, buf: vec![0; BUFFER], start: 0, end: 0, eof: false };
    let mut fields: Vec<Span> = Vec::with_capacity(structure.fields.len() + 1);
    let mut scratch: Vec<u8> = Vec::new();
    let mut line: u64 = 1;
    let mut header_done = false;
    let mut bytes: u64 = 0;
    let expected = structure.fields.len();

    inp.fill()?;
    if inp.data().starts_with(b"\xEF\xBB\xBF") {
        inp.start += 3;
        bytes += 3;
    }
    if inp.data().is_empty() && inp.eof {
        f.add(1, None, "", "empty_file", "файл пустой: в нём нет даже строки заголовка".into());
        f.report.stopped = true;
        return Ok(f.report);
    }

    loop {
        if inp.data().is_empty() {
            if inp.eof {
                break;
            }
            inp.fill()?;
            continue;
        }
        let step = record(inp.data(), inp.eof, &mut fields);
        let (len, newlines) = match step {
            Step::More => {
                if inp.end - inp.start > MAX_RECORD {
                    f.add(line, None, "", "record_too_long", "строка длиннее 16 МБ: это не строка таблицы".into());
                    f.report.stopped = true;
                    break;
                }
                inp.fill()?;
                continue;
            }
            Step::Bad { at, code, message } => {
                let stop = code == "unclosed_quote";
                let next_line = memchr(b'\n', &inp.data()[at..]);
                if !stop && next_line.is_none() && !inp.eof {
                    // Read on to the end of the broken line before reporting it.
                    if inp.end - inp.start > MAX_RECORD {
                        f.add(line, None, "", "record_too_long", "строка длиннее 16 МБ: это не строка таблицы".into());
                        f.report.stopped = true;
                        break;
                    }
                    inp.fill()?;
                    continue;
                }
                let column = memchr_iter(b',', &inp.data()[..at]).count() as u32 + 1;
                let name = structure.fields.get(column as usize - 1).map(|x| x.name.as_str()).unwrap_or("");
                f.add(line, Some(column), name, code, message.into());
                let Some(k) = next_line.filter(|_| !stop && header_done) else {
                    // An unclosed quote swallows the rest; a broken header leaves nothing to check.
                    f.report.stopped = true;
                    break;
                };
                let skip = at + k + 1;
                if header_done {
                    f.report.rows += 1;
                }
                inp.start += skip;
                bytes += skip as u64;
                line += 1;
                continue;
            }
            Step::Record { len, newlines } => (len, newlines),
        };
        let rec = &inp.buf[inp.start..inp.start + len];
        if simdutf8::basic::from_utf8(rec).is_err() {
            let sample_end = inp.end.min(inp.start + 64 * 1024);
            let name = encoding_of(&inp.buf[inp.start..sample_end]);
            if name != "UTF-8" {
                f.add(
                    line,
                    None,
                    "",
                    "encoding",
                    format!("файл в кодировке {name}, а нужна UTF-8: сохраните его в UTF-8 и загрузите снова"),
                );
                f.report.stopped = true;
                break;
            }
            f.add(line, None, "", "utf8", "в строке недопустимая последовательность байтов UTF-8".into());
        } else if !header_done {
            header_done = true;
            if !header(structure, rec, &fields, &mut f) {
                f.report.stopped = true;
                break;
            }
        } else if expected > 1 && fields.len() == 1 && fields[0].start == fields[0].end && !rec.starts_with(b"\"") {
            f.add(line, None, "", "empty_line", "пустая строка: удалите её".into());
        } else if fields.len() != expected {
            f.add(
                line,
                None,
                "",
                "field_count",
                format!("в строке {} значений, а в структуре {expected} полей", fields.len()),
            );
            f.report.rows += 1;
        } else {
            f.report.rows += 1;
            for (c, (span, field)) in fields.iter().zip(&structure.fields).enumerate() {
                let mut v = &rec[span.start..span.end];
                if span.escaped {
                    scratch.clear();
                    let mut last = 0;
                    for q in memchr_iter(b'"', v).step_by(2) {
                        scratch.extend_from_slice(&v[last..=q]);
                        last = q + 2;
                    }
                    scratch.extend_from_slice(&v[last.min(v.len())..]);
                    v = &scratch;
                }
                if v.is_empty() {
                    if field.required {
                        let message = format!("обязательное поле «{}» не заполнено", field.ru);
                        f.add(line, Some(c as u32 + 1), &field.name, "required", message);
                    }
                } else if let Some(message) = check::cell(&field.kind, v) {
                    f.add(line, Some(c as u32 + 1), &field.name, "type", message);
                }
            }
        }
        inp.start += len;
        bytes += len as u64;
        line += 1 + newlines;
    }
    f.report.bytes = bytes;
    Ok(f.report)
}

/// Checks the header against the structure; false stops the check (nothing below can be read).
fn header(structure: &Structure, rec: &[u8], fields: &[Span], f: &mut Findings<'_>) -> bool {
    let names: Vec<&str> = fields.iter().map(|s| std::str::from_utf8(&rec[s.start..s.end]).unwrap_or("")).collect();
    let expected: Vec<&str> = structure.fields.iter().map(|x| x.name.as_str()).collect();
    if names == expected {
        return true;
    }
    if names.len() == 1 && expected.len() > 1 {
        for (sep, what) in [(';', "точка с запятой"), ('\t', "табуляция")] {
            if names[0].split(sep).eq(expected.iter().copied()) || names[0].contains(sep) {
                f.add(1, None, "", "delimiter", format!("разделитель значений — {what}, а нужна запятая"));
                return false;
            }
        }
    }
    let missing: Vec<&str> = expected.iter().filter(|e| !names.contains(e)).copied().collect();
    let extra: Vec<&str> = names.iter().filter(|n| !expected.contains(n)).copied().collect();
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("нет столбцов {}", quoted(&missing)));
    }
    if !extra.is_empty() {
        parts.push(format!("лишние столбцы {}", quoted(&extra)));
    }
    if parts.is_empty() {
        parts.push(format!("столбцы не в том порядке: нужен {}", quoted(&expected)));
    }
    f.add(1, None, "", "header", format!("заголовок не совпадает со структурой: {}", parts.join("; ")));
    false
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("«{n}»")).collect::<Vec<_>>().join(", ")
}
