//! A Word document (.docx) as rows of cells, the way a spreadsheet exports a table: a paragraph
//! outside a table is a row of one cell; each row of a top-level table is a row of its grid's
//! columns — a cell spanning columns (`w:gridSpan`) fills the first and leaves the rest empty, a
//! cell continuing a vertical merge (`w:vMerge` without `restart`) is empty — and a cell's
//! paragraphs are its lines (a nested table's text goes into its cell).

use quick_xml::events::{BytesStart, Event};

use crate::{Error, Format};

fn value(e: &BytesStart<'_>) -> Option<String> {
    e.try_get_attribute("w:val").ok().flatten().map(|a| a.value.to_string())
}

#[derive(Default)]
struct Grid {
    rows: Vec<Vec<String>>,
    depth: usize,
    para: String,
    cell: String,
    row: Vec<String>,
    span: usize,
    merged: bool,
}

impl Grid {
    fn para_end(&mut self) {
        let para = self.para.split_whitespace().collect::<Vec<_>>().join(" ");
        self.para.clear();
        if self.depth == 0 {
            if !para.is_empty() {
                self.rows.push(vec![para]);
            }
        } else {
            if !self.cell.is_empty() {
                self.cell.push('\n');
            }
            self.cell.push_str(&para);
        }
    }

    fn cell_start(&mut self) {
        if self.depth == 1 {
            self.cell.clear();
            self.span = 1;
            self.merged = false;
        }
    }

    fn cell_property(&mut self, e: &BytesStart<'_>) {
        if self.depth != 1 {
            return;
        }
        match e.name().as_ref() {
            "w:gridSpan" => self.span = value(e).and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, 64),
            "w:vMerge" => self.merged = value(e).is_none_or(|v| v == "continue"),
            _ => {}
        }
    }

    fn cell_end(&mut self) {
        if self.depth == 1 {
            let text = if self.merged { String::new() } else { std::mem::take(&mut self.cell) };
            self.row.push(text);
            self.row.extend(std::iter::repeat_n(String::new(), self.span - 1));
        }
    }
}

/// The rows of a .docx (`word/document.xml`), as above.
pub fn docx_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, Error> {
    let broken = || Error::Broken(Format::Docx);
    let xml = crate::part(bytes, "word/document.xml", Format::Docx)?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut g = Grid::default();
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(|_| broken())? {
            Event::Start(e) => match e.name().as_ref() {
                "w:tbl" => g.depth += 1,
                "w:tr" if g.depth == 1 => g.row.clear(),
                "w:tc" => g.cell_start(),
                "w:p" => g.para.clear(),
                "w:t" => in_text = true,
                "w:gridSpan" | "w:vMerge" => g.cell_property(&e),
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:tab" | "w:br" => g.para.push(' '),
                "w:gridSpan" | "w:vMerge" => g.cell_property(&e),
                _ => {}
            },
            Event::Text(t) if in_text => g.para.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => crate::push_ref(&mut g.para, r),
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" => g.para_end(),
                "w:tc" => g.cell_end(),
                "w:tr" if g.depth == 1 => g.rows.push(std::mem::take(&mut g.row)),
                "w:tbl" => g.depth = g.depth.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(g.rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cell: its properties (span, merge) and its paragraphs.
    fn tc(props: &str, paras: &[&str]) -> String {
        let ps: String = paras.iter().map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>")).collect();
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{ps}</w:tc>")
    }

    #[test]
    fn merged_cells_fill_the_first_and_paragraphs_are_lines() {
        let span2 = r#"<w:gridSpan w:val="2"/>"#;
        let restart = r#"<w:vMerge w:val="restart"/>"#;
        let cont = "<w:vMerge/>";
        let body = format!(
            "<w:p><w:r><w:t>Сведения за 2019 год</w:t></w:r></w:p><w:tbl>\
             <w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr>\
             <w:tr>{}{}{}{}</w:tr><w:tr>{}{}{}{}</w:tr></w:tbl>",
            tc(restart, &["ФИО"]),
            tc(span2, &["Объекты"]),
            tc(restart, &["Доход"]),
            tc(cont, &[]),
            tc("", &["вид"]) + &tc("", &["площадь"]),
            tc(cont, &[]),
            tc(restart, &["Иванов И. И."]),
            tc("", &["квартира", "гараж &amp; бокс"]),
            tc("", &["54,1", "18"]),
            tc(restart, &["100"]),
            tc(cont, &[]),
            tc("", &["дом"]),
            tc("", &["120"]),
            tc(cont, &[]),
        );
        let xml = format!(
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        let bytes = crate::tests::zip_of(&[("word/document.xml", &xml)]);
        let rows = docx_rows(&bytes).expect("rows");
        let want: Vec<Vec<&str>> = vec![
            vec!["Сведения за 2019 год"],
            vec!["ФИО", "Объекты", "", "Доход"],
            vec!["", "вид", "площадь", ""],
            vec!["Иванов И. И.", "квартира\nгараж & бокс", "54,1\n18", "100"],
            vec!["", "дом", "120", ""],
        ];
        assert_eq!(rows, want);
    }
}
