//! The corpus of real deadline phrases through the importer: every phrase becomes the deadline
//! cell of a measure in a Word table (a cell broken over lines becomes a cell of several
//! paragraphs, as Word keeps it), the plan is read back, and each imported deadline reads as the
//! phrase itself was worked out by hand — or is refused for the same reason.

use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};

// The cases and the library's verdict; the corpus's bookkeeping is checked in the deadlines crate.
#[allow(dead_code)]
mod corpus {
    include!("../../deadlines/tests/data/corpus_cases.rs");
}

fn cell(text: &str) -> TableCell {
    text.lines().fold(TableCell::new(), |c, line| c.add_paragraph(Paragraph::new().add_run(Run::new().add_text(line))))
}

#[test]
fn every_real_phrase_reads_the_same_after_import() {
    let cases = corpus::corpus();
    let mut rows = vec![TableRow::new(vec![
        cell("№ п/п"),
        cell("Наименование мероприятия"),
        cell("Срок исполнения"),
        cell("Ответственный исполнитель"),
    ])];
    for (i, case) in cases.iter().enumerate() {
        rows.push(TableRow::new(vec![
            cell(&format!("{}.", i + 1)),
            cell(&format!("Мероприятие из источника {}", case.source)),
            cell(&case.phrase),
            cell("Отдел"),
        ]));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    Docx::new()
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("План мероприятий")))
        .add_table(Table::new(rows))
        .build()
        .pack(&mut out)
        .expect("docx written");
    let plan = roadmap::file::read_plan("corpus.docx", &out.into_inner()).expect("the plan is read");
    assert_eq!(plan.measures.len(), cases.len(), "every phrase is a measure");
    let cal = deadlines::Calendar::federal();
    let failures: Vec<String> = cases
        .iter()
        .zip(&plan.measures)
        .filter_map(|(case, m)| {
            corpus::verdict_of(case, &m.deadline, &cal)
                .err()
                .map(|why| format!("{:?} imported as {:?}: {why}", case.phrase, m.deadline))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
