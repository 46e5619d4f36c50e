//! The .docx path: a Word document made from the seed 002 text during the test (paragraphs
//! before the table, the plan as a Word table, the footnote after it) imports exactly as the
//! text does — every measure checked against the same fixture.

use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
use roadmap::file::{FileError, read_plan};
use serde::Deserialize;

#[derive(Deserialize)]
struct Expected {
    number: String,
    section: String,
    text: String,
    stage: u8,
    deadline: String,
    executors: String,
}

fn docx_from_seed(text: &str) -> Vec<u8> {
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.iter().position(|l| l.starts_with("п/п")).expect("the seed has a header row");
    let last_row = lines.iter().rposition(|l| l.contains('\t')).expect("table rows");
    let mut doc = Docx::new();
    for l in &lines[..header] {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(*l)));
    }
    let rows: Vec<TableRow> = lines[header..=last_row]
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            TableRow::new(
                l.split('\t')
                    .map(|c| TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(c))))
                    .collect(),
            )
        })
        .collect();
    doc = doc.add_table(Table::new(rows));
    for l in &lines[last_row + 1..] {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(*l)));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).expect("docx written");
    out.into_inner()
}

#[test]
fn seed_002_as_a_word_document_imports_every_measure() {
    let bytes = docx_from_seed(include_str!("fixtures/002.txt"));
    let plan = read_plan("План 002.docx", &bytes).expect("the plan is read from .docx");
    let expected: Vec<Expected> = serde_json::from_str(include_str!("fixtures/002.measures.json")).expect("fixture");
    assert_eq!(plan.sections.len(), 10);
    assert_eq!(plan.measures.len(), expected.len());
    for (got, want) in plan.measures.iter().zip(&expected) {
        let n = &want.number;
        assert_eq!(got.number, *n);
        assert_eq!(got.section.as_deref(), Some(want.section.as_str()), "{n} section");
        assert_eq!(got.text, want.text, "{n} text");
        assert_eq!(got.stage, Some(want.stage), "{n} stage");
        assert_eq!(got.deadline, want.deadline, "{n} deadline");
        assert_eq!(got.executors, want.executors, "{n} executors");
    }
    assert_eq!(plan.unplaced.len(), 1, "the footnote after the table is reported");
}

#[test]
fn a_broken_or_foreign_docx_is_refused() {
    let e = read_plan("plan.docx", b"PK\x03\x04 not really a zip").expect_err("refused");
    assert!(matches!(e, FileError::NotAPlan(_)));
    assert!(e.to_string().contains("повреждён"));
    let letter = {
        let mut out = std::io::Cursor::new(Vec::new());
        Docx::new()
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text("Уважаемые коллеги! Просим принять участие.")))
            .build()
            .pack(&mut out)
            .expect("docx");
        out.into_inner()
    };
    assert!(matches!(read_plan("letter.docx", &letter), Err(FileError::NotAPlan(_))));
}
