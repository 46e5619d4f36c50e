//! XML data and its XSD (recommendations v3.0: XML data is accompanied by its structure as an
//! XSD, `structure-<ts>.xsd`). The standard fixes no element names, so ours are: the root
//! `<data>`, one `<record>` per row, and in it one element per field, named as the field, in the
//! structure's order; an empty optional value is left out.
//!
//! The XSD is written from the structure so that it admits exactly what the CSV checks admit
//! (the types' lexical forms as patterns, the range of coordinates, the maximum length of text;
//! required fields at least once and text in them not empty). An XML upload is checked against
//! that schema by a streaming reader of our own, which says in Russian what is wrong and where
//! (line of the file, record, field); the suite cross-checks its verdicts with a full XSD
//! validator (Python `xmlschema`). One difference is known and documented: a date and time
//! that does not exist in the calendar (30 February at noon) passes a pattern, so the XSD
//! admits it while our check refuses it.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{BufReader, Read};
use std::rc::Rc;

use quick_xml::events::Event;

use crate::check;
use crate::registry::xml_escape as escape;
use crate::structure::{FieldType, Structure};
use crate::validate::{Issue, Report};

pub const ROOT: &str = "data";
pub const RECORD: &str = "record";

/// The simple type of a field in XSD: a base type and its facets.
fn simple_type(kind: &FieldType, required: bool) -> String {
    let restriction = |base: &str, facets: &str| {
        format!("<xs:simpleType><xs:restriction base=\"{base}\">{facets}</xs:restriction></xs:simpleType>")
    };
    let pattern = |p: &str| format!("<xs:pattern value=\"{}\"/>", escape(p));
    let decimal = r"[+\-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)";
    match kind {
        FieldType::String { max_length } => {
            let min = if required { "<xs:minLength value=\"1\"/>" } else { "" };
            let max = max_length.map(|n| format!("<xs:maxLength value=\"{n}\"/>")).unwrap_or_default();
            restriction("xs:string", &format!("{min}{max}"))
        }
        FieldType::Integer => restriction("xs:integer", &pattern(r"[+\-]?[0-9]{1,19}")),
        FieldType::Decimal => restriction("xs:decimal", &pattern(decimal)),
        FieldType::Date => restriction("xs:date", &pattern("[0-9]{4}-[0-9]{2}-[0-9]{2}")),
        FieldType::DateTime => restriction(
            "xs:string",
            &pattern(
                r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:([0-5][0-9]|60)(\.[0-9]+)?)?(Z|[+\-](0[0-9]|1[0-4]):[0-5][0-9])?",
            ),
        ),
        FieldType::Boolean => restriction("xs:string", &pattern("[01]|[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]")),
        FieldType::Url => restriction("xs:string", &pattern(r"https?://[^/?#\s]+[^\s]*")),
        FieldType::Email => {
            let part = r#"[^@\s<>,;"]"#;
            let edge = r#"[^@\s<>,;".]"#;
            restriction("xs:string", &pattern(&format!("{part}+@{edge}{part}*\\.{part}*{edge}")))
        }
        FieldType::Latitude | FieldType::Longitude => {
            let limit = if *kind == FieldType::Latitude { 90 } else { 180 };
            let range = format!("<xs:minInclusive value=\"-{limit}\"/><xs:maxInclusive value=\"{limit}\"/>");
            restriction("xs:decimal", &format!("{}{range}", pattern(decimal)))
        }
    }
}

/// The XSD of a structure; `title` names the dataset in its documentation.
pub fn xsd(structure: &Structure, title: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n",
    );
    out.push_str(&format!(
        "  <xs:annotation><xs:documentation xml:lang=\"ru\">{}. Структура по методическим рекомендациям 3.0: \
         даты — ISO 8601 (ГГГГ-ММ-ДД), координаты — EPSG:4326 (десятичные градусы).</xs:documentation></xs:annotation>\n",
        escape(title)
    ));
    out.push_str(&format!(
        "  <xs:element name=\"{ROOT}\">\n    <xs:complexType>\n      <xs:sequence>\n        \
         <xs:element name=\"{RECORD}\" minOccurs=\"0\" maxOccurs=\"unbounded\">\n          <xs:complexType>\n            \
         <xs:sequence>\n"
    ));
    for f in &structure.fields {
        out.push_str(&format!(
            "              <xs:element name=\"{}\" minOccurs=\"{}\"><xs:annotation><xs:documentation xml:lang=\"ru\">{}\
             </xs:documentation><xs:documentation xml:lang=\"en\">{}</xs:documentation></xs:annotation>{}</xs:element>\n",
            escape(&f.name),
            if f.required { 1 } else { 0 },
            escape(&f.ru),
            escape(&f.en),
            simple_type(&f.kind, f.required)
        ));
    }
    out.push_str(
        "            </xs:sequence>\n          </xs:complexType>\n        </xs:element>\n      </xs:sequence>\n    \
         </xs:complexType>\n  </xs:element>\n</xs:schema>\n",
    );
    out
}

/// A CSV data file (already validated) as XML pointing at its XSD.
pub fn from_csv(structure: &Structure, csv: &[u8], xsd_name: &str) -> Result<String, (u64, String)> {
    let records = crate::csv::records(csv)?;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{ROOT} xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:noNamespaceSchemaLocation=\"{}\">\n",
        escape(xsd_name)
    );
    for (_, cells) in records.iter().skip(1) {
        out.push_str(&format!("<{RECORD}>"));
        for (f, v) in structure.fields.iter().zip(cells) {
            if !v.is_empty() {
                out.push_str(&format!("<{0}>{1}</{0}>", f.name, escape(v)));
            }
        }
        out.push_str(&format!("</{RECORD}>\n"));
    }
    out.push_str(&format!("</{ROOT}>\n"));
    Ok(out)
}

/// Whether bytes look like XML rather than CSV: the first thing after an optional BOM and
/// spaces is `<`.
pub fn looks_like_xml(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
}

/// Remembers where the lines of the input end, for as long as the reader has not passed them.
struct Lines<R> {
    inner: R,
    read: u64,
    ends: Rc<RefCell<VecDeque<u64>>>,
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut ends = self.ends.borrow_mut();
        for i in memchr::memchr_iter(b'\n', &buf[..n]) {
            ends.push_back(self.read + i as u64);
        }
        self.read += n as u64;
        Ok(n)
    }
}

/// Where the reader is, as a line of the file.
struct Position {
    ends: Rc<RefCell<VecDeque<u64>>>,
    line: u64,
}

impl Position {
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut ends = self.ends.borrow_mut();
        while ends.front().is_some_and(|&e| e < byte) {
            ends.pop_front();
            self.line += 1;
        }
        self.line
    }
}

/// Problems, all to the sink, the first `keep` into the report.
struct Found<'a> {
    report: Report,
    keep: usize,
    sink: &'a mut dyn FnMut(&Issue),
}

impl Found<'_> {
    fn add(&mut self, line: u64, column: Option<u32>, field: &str, code: &'static str, message: String) {
        let issue = Issue { line, column, field: field.to_string(), code, message };
        (self.sink)(&issue);
        self.report.errors += 1;
        if self.report.issues.len() < self.keep {
            self.report.issues.push(issue);
        }
    }
}

/// Types whose XSD base collapses spaces around the value (numbers, dates, coordinates).
fn collapses(kind: &FieldType) -> bool {
    matches!(
        kind,
        FieldType::Integer | FieldType::Decimal | FieldType::Date | FieldType::Latitude | FieldType::Longitude
    )
}

/// Checks an XML data file against the structure's XSD; every record that is whole goes to
/// `rows` as its values in the structure's order (an absent value empty), so the caller can
/// keep the data as CSV. Memory stays flat: one record is held at a time.
pub fn validate<R: Read>(
    structure: &Structure,
    input: R,
    keep: usize,
    sink: &mut dyn FnMut(&Issue),
    rows: &mut dyn FnMut(&[String]),
) -> std::io::Result<Report> {
    let ends = Rc::new(RefCell::new(VecDeque::new()));
    let counted = Lines { inner: input, read: 0, ends: ends.clone() };
    let mut reader = quick_xml::Reader::from_reader(BufReader::with_capacity(64 * 1024, counted));
    let mut pos = Position { ends, line: 1 };
    let mut f = Found { report: Report::default(), keep, sink };
    let mut buf = Vec::new();
    // Where we are: 0 before the root, 1 in the root, 2 in a record, 3 in a field's element.
    let mut depth = 0u8;
    let mut seen_root = false;
    let mut values: Vec<String> = vec![String::new(); structure.fields.len()];
    let mut present: Vec<bool> = vec![false; structure.fields.len()];
    // The next field the order allows, and the field whose element is open.
    let mut next = 0usize;
    let mut open: Option<usize> = None;
    let mut record_line = 0u64;
    let mut record_ok = true;
    loop {
        let at = reader.buffer_position();
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                let line = pos.line_at(reader.error_position());
                let message = match e {
                    quick_xml::Error::Encoding(_) => {
                        "файл не в кодировке UTF-8: сохраните его в UTF-8 и загрузите снова".to_string()
                    }
                    quick_xml::Error::Io(io) => return Err(std::io::Error::new(io.kind(), io.to_string())),
                    other => format!("файл не является правильным XML: {other}"),
                };
                f.add(line, None, "", "xml_syntax", message);
                f.report.stopped = true;
                break;
            }
        };
        let line = pos.line_at(at);
        match event {
            Event::Decl(d) => {
                if let Some(Ok(enc)) = d.encoding()
                    && !enc.eq_ignore_ascii_case("utf-8")
                {
                    let message = format!("файл объявлен в кодировке {enc}, а нужна UTF-8: сохраните его в UTF-8");
                    f.add(line, None, "", "encoding", message);
                    f.report.stopped = true;
                    break;
                }
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.name();
                let name = name.as_ref();
                match depth {
                    0 => {
                        if name != ROOT || seen_root {
                            let message = format!("корневой элемент должен быть <{ROOT}>, а в файле <{name}>");
                            f.add(line, None, "", "xml_root", message);
                            f.report.stopped = true;
                            break;
                        }
                        seen_root = true;
                        if !empty {
                            depth = 1;
                        }
                    }
                    1 => {
                        if name != RECORD {
                            let message =
                                format!("в <{ROOT}> допускаются только элементы <{RECORD}>, а здесь <{name}>");
                            f.add(line, None, "", "xml_element", message);
                            if !empty {
                                // Skip what is inside the stranger.
                                let end = e.to_end().into_owned();
                                buf.clear();
                                if let Err(err) = reader.read_to_end_into(end.name(), &mut buf) {
                                    f.add(
                                        pos.line_at(reader.error_position()),
                                        None,
                                        "",
                                        "xml_syntax",
                                        err.to_string(),
                                    );
                                    f.report.stopped = true;
                                    break;
                                }
                            }
                            continue;
                        }
                        f.report.rows += 1;
                        record_line = line;
                        record_ok = true;
                        next = 0;
                        values.iter_mut().for_each(String::clear);
                        present.iter_mut().for_each(|p| *p = false);
                        if empty {
                            finish_record(structure, &mut f, record_line, &present, next, &mut record_ok);
                            if record_ok {
                                rows(&values);
                            }
                        } else {
                            depth = 2;
                        }
                    }
                    2 => {
                        let found = structure.fields.iter().skip(next).position(|x| x.name == name).map(|k| k + next);
                        match found {
                            Some(j) => {
                                for (k, skipped) in structure.fields.iter().enumerate().take(j).skip(next) {
                                    if skipped.required {
                                        let message =
                                            format!("нет обязательного элемента <{}> ({})", skipped.name, skipped.ru);
                                        f.add(line, Some(k as u32 + 1), &skipped.name, "required", message);
                                        record_ok = false;
                                    }
                                }
                                next = j + 1;
                                present[j] = true;
                                if empty {
                                    check_value(structure, j, "", &mut f, line, &mut values, &mut record_ok);
                                } else {
                                    open = Some(j);
                                    depth = 3;
                                }
                            }
                            None => {
                                let known = structure.fields.iter().position(|x| x.name == name);
                                let message = match known {
                                    Some(_) => format!(
                                        "элемент <{name}> повторяется или стоит не на своём месте: порядок полей — как в структуре"
                                    ),
                                    None => format!("элемент <{name}> не описан в структуре"),
                                };
                                let column = known.map(|k| k as u32 + 1);
                                f.add(line, column, name, "xml_element", message);
                                record_ok = false;
                                if !empty {
                                    let end = e.to_end().into_owned();
                                    buf.clear();
                                    if let Err(err) = reader.read_to_end_into(end.name(), &mut buf) {
                                        f.add(
                                            pos.line_at(reader.error_position()),
                                            None,
                                            "",
                                            "xml_syntax",
                                            err.to_string(),
                                        );
                                        f.report.stopped = true;
                                        break;
                                    }
                                }
                            }
                        }
                    }
                    _ => {
                        let field = open.map(|j| structure.fields[j].name.as_str()).unwrap_or("");
                        let message = format!("в элементе <{field}> допускается только значение, а здесь <{name}>");
                        f.add(line, open.map(|j| j as u32 + 1), field, "xml_element", message);
                        record_ok = false;
                        if !empty {
                            let end = e.to_end().into_owned();
                            buf.clear();
                            if let Err(err) = reader.read_to_end_into(end.name(), &mut buf) {
                                f.add(pos.line_at(reader.error_position()), None, "", "xml_syntax", err.to_string());
                                f.report.stopped = true;
                                break;
                            }
                        }
                    }
                }
            }
            Event::Text(t) if depth == 3 => {
                if let Some(j) = open {
                    values[j].push_str(&t.xml10_content());
                }
            }
            Event::CData(t) if depth == 3 => {
                if let Some(j) = open {
                    values[j].push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) if depth == 3 => {
                if let Some(j) = open {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => values[j].push(c),
                        _ => {
                            let name = r.into_inner();
                            match quick_xml::escape::resolve_predefined_entity(&name) {
                                Some(s) => values[j].push_str(s),
                                None => {
                                    let message = format!("неизвестная ссылка &{name};");
                                    f.add(line, Some(j as u32 + 1), &structure.fields[j].name, "xml_syntax", message);
                                    record_ok = false;
                                }
                            }
                        }
                    }
                }
            }
            Event::Text(t) if depth < 3 && !t.xml10_content().trim().is_empty() => {
                let message = "текст вне элементов полей: значения пишутся внутри элементов".to_string();
                f.add(line, None, "", "xml_text", message);
                if depth == 2 {
                    record_ok = false;
                }
            }
            Event::End(_) => match depth {
                3 => {
                    if let Some(j) = open.take() {
                        let v = std::mem::take(&mut values[j]);
                        check_value(structure, j, &v, &mut f, line, &mut values, &mut record_ok);
                    }
                    depth = 2;
                }
                2 => {
                    finish_record(structure, &mut f, record_line, &present, next, &mut record_ok);
                    if record_ok {
                        rows(&values);
                    }
                    depth = 1;
                }
                _ => depth = 0,
            },
            Event::Eof => {
                if !seen_root {
                    f.add(line, None, "", "empty_file", format!("в файле нет корневого элемента <{ROOT}>"));
                    f.report.stopped = true;
                }
                break;
            }
            _ => {}
        }
        buf.clear();
    }
    f.report.bytes = reader.buffer_position();
    Ok(f.report)
}

/// Checks a field's value and keeps it (spaces around a number or a date dropped, as the XSD
/// type collapses them).
fn check_value(
    structure: &Structure,
    j: usize,
    raw: &str,
    f: &mut Found<'_>,
    line: u64,
    values: &mut [String],
    ok: &mut bool,
) {
    let field = &structure.fields[j];
    let v = if collapses(&field.kind) { raw.trim_matches([' ', '\t', '\r', '\n']) } else { raw };
    if v.is_empty() {
        if field.required {
            let message = format!("обязательное поле «{}» не заполнено", field.ru);
            f.add(line, Some(j as u32 + 1), &field.name, "required", message);
            *ok = false;
        } else if !matches!(field.kind, FieldType::String { .. }) {
            let message = format!("пустой элемент <{}>: уберите его или впишите значение", field.name);
            f.add(line, Some(j as u32 + 1), &field.name, "type", message);
            *ok = false;
        }
    } else if let Some(message) = check::cell(&field.kind, v.as_bytes()) {
        f.add(line, Some(j as u32 + 1), &field.name, "type", message);
        *ok = false;
    }
    values[j] = v.to_string();
}

/// At the end of a record: the required fields after the last element are missing.
fn finish_record(structure: &Structure, f: &mut Found<'_>, line: u64, present: &[bool], next: usize, ok: &mut bool) {
    for (k, field) in structure.fields.iter().enumerate().skip(next) {
        if field.required && !present[k] {
            let message = format!("нет обязательного элемента <{}> ({})", field.name, field.ru);
            f.add(line, Some(k as u32 + 1), &field.name, "required", message);
            *ok = false;
        }
    }
}
