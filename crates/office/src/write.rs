//! Word documents the portal writes (reports, declarations): titles, headings, paragraphs and
//! tables with a bold header row, in order.

/// One part of a document.
pub enum Block {
    /// The document's title (16 pt, bold).
    Title(String),
    /// A heading within it (13 pt, bold).
    Heading(String),
    Text(String),
    /// A table: its header row (bold) and its rows.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// The blocks as a .docx file.
pub fn docx(blocks: &[Block]) -> Result<Vec<u8>, String> {
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
    let text = |t: &str| Paragraph::new().add_run(Run::new().add_text(t));
    let bold = |t: &str, size: usize| Paragraph::new().add_run(Run::new().add_text(t).bold().size(size));
    let mut doc = Docx::new();
    for block in blocks {
        doc = match block {
            Block::Title(t) => doc.add_paragraph(bold(t, 32)),
            Block::Heading(t) => doc.add_paragraph(bold(t, 26)),
            Block::Text(t) => doc.add_paragraph(text(t)),
            Block::Table { header, rows } => {
                let head = TableRow::new(
                    header
                        .iter()
                        .map(|c| {
                            TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(c).bold()))
                        })
                        .collect(),
                );
                let body = rows
                    .iter()
                    .map(|r| TableRow::new(r.iter().map(|c| TableCell::new().add_paragraph(text(c))).collect()));
                doc.add_table(Table::new(std::iter::once(head).chain(body).collect()))
            }
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| format!("cannot write the document: {e}"))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::{Block, docx};

    #[test]
    fn what_is_written_is_read_back() {
        let bytes = docx(&[
            Block::Title("Публичная декларация".into()),
            Block::Text("На 2026 год.".into()),
            Block::Table {
                header: vec!["Цель".into(), "План".into()],
                rows: vec![vec!["Открытость".into(), "100".into()]],
            },
        ])
        .expect("written");
        let text = crate::docx_text(&bytes).expect("read");
        assert_eq!(text.trim_end(), "Публичная декларация\nНа 2026 год.\nЦель\tПлан\nОткрытость\t100");
    }
}
