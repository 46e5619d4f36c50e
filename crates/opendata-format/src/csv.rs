//! CSV as the portal writes it everywhere (RFC 4180, UTF-8 without BOM, comma, CRLF), and a
//! reader of small CSV files held in memory (registries, passports, structures) on the same
//! parser as the validator.

use crate::validate::{Span, Step, record};

/// One cell: quoted when it holds a comma, a quote or a line break.
pub fn cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// One row, with its CRLF.
pub fn row<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = cells.iter().map(|c| cell(c.as_ref())).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

/// A record's cells with the line it starts on.
pub type Record = (u64, Vec<String>);

/// The records of a small CSV file, each with the line it starts on; a UTF-8 BOM is skipped.
/// Fails with (line, Russian reason) on broken quoting or bytes that are not UTF-8.
pub fn records(bytes: &[u8]) -> Result<Vec<Record>, (u64, String)> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| (1, "файл не в кодировке UTF-8".to_string()))?;
    let mut d = text.as_bytes();
    let mut fields: Vec<Span> = Vec::new();
    let mut out = Vec::new();
    let mut line = 1;
    while !d.is_empty() {
        match record(d, true, &mut fields) {
            Step::Record { len, newlines } => {
                let cells = fields.iter().map(|s| unescape(&text_of(d, s), s.escaped)).collect();
                out.push((line, cells));
                d = &d[len..];
                line += 1 + newlines;
            }
            Step::Bad { message, .. } => return Err((line, message.to_string())),
            Step::More => return Err((line, "файл оборван посередине строки".to_string())),
        }
    }
    Ok(out)
}

fn text_of(d: &[u8], s: &Span) -> String {
    String::from_utf8_lossy(&d[s.start..s.end]).into_owned()
}

fn unescape(s: &str, escaped: bool) -> String {
    if escaped { s.replace("\"\"", "\"") } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoting_follows_rfc_4180_both_ways() {
        let cells = ["a", "b,c", "say \"hi\"", "two\nlines", ""];
        let written = super::row(&cells);
        assert_eq!(written, "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
        let read = super::records(format!("{written}x,y,z,w,v").as_bytes()).expect("read");
        assert_eq!(read[0], (1, cells.iter().map(|c| c.to_string()).collect()));
        assert_eq!(read[1].0, 3, "the quoted line break moves the next record to line 3");
        assert!(super::records(b"a,b\"c\n").is_err());
    }
}
