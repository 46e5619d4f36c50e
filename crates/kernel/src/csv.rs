//! CSV as the portal writes it everywhere: RFC 4180, UTF-8 without BOM, comma, CRLF.

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

#[cfg(test)]
mod tests {
    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(
            super::row(&["a", "b,c", "say \"hi\"", "two\nlines"]),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
        );
    }
}
