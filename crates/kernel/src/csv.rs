//! CSV as the portal writes it everywhere: RFC 4180, UTF-8 without BOM, comma, CRLF. The
//! writer lives with the open-data format, whose files are the strictest users of it.
//!
//! Files people open in a spreadsheet (staff exports, statistics, a plan's twin) are written by
//! [`row`]: a text cell a spreadsheet would take for a formula (starting with `=`, `+`, `-`,
//! `@`, a tab or a carriage return) gets a leading apostrophe, so a citizen's comment cannot run
//! in a planner's spreadsheet; numbers stay numbers. Open-data files keep every value exactly
//! (`opendata_format::csv::row`).

pub use opendata_format::csv::cell;

/// One row of a file people open in a spreadsheet, with its CRLF.
pub fn row<S: AsRef<str>>(cells: &[S]) -> String {
    let safe: Vec<String> = cells.iter().map(|c| neutral(c.as_ref())).collect();
    opendata_format::csv::row(&safe)
}

/// A cell a spreadsheet will not run: a formula-like text gets a leading apostrophe.
pub fn neutral(text: &str) -> String {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && text.trim().parse::<f64>().is_err() { format!("'{text}") } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use super::{neutral, row};

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(neutral("=HYPERLINK(\"http://evil\",\"x\")"), "'=HYPERLINK(\"http://evil\",\"x\")");
        assert_eq!(neutral("@SUM(1+1)"), "'@SUM(1+1)");
        assert_eq!(neutral("+7 900 000-00-00"), "'+7 900 000-00-00");
        assert_eq!(neutral("\t=1"), "'\t=1");
        assert_eq!(neutral("-5"), "-5");
        assert_eq!(neutral("+3.5"), "+3.5");
        assert_eq!(neutral("Предлагаю = 1"), "Предлагаю = 1");
        assert_eq!(row(&["=1+1", "x"]), "'=1+1,x\r\n");
    }
}
