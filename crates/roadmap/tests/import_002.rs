//! Seed 002 — the roadmap of the Department of Social Protection of Tomsk region — imports
//! completely: 91 measures in sections I–X, each checked against a fixture written from the
//! document (number, section, text, stage, deadline, executors).

use roadmap::import::{Column, from_tab_rows};
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

#[derive(Deserialize)]
struct ExpectedSection {
    number: String,
    title: String,
}

#[test]
fn seed_002_imports_every_measure_item_by_item() {
    let text = include_str!("fixtures/002.txt");
    let plan = from_tab_rows(text).expect("the plan is read");
    let expected: Vec<Expected> = serde_json::from_str(include_str!("fixtures/002.measures.json")).expect("fixture");
    let sections: Vec<ExpectedSection> =
        serde_json::from_str(include_str!("fixtures/002.sections.json")).expect("fixture");

    assert_eq!(
        plan.columns,
        [Column::Number, Column::Text, Column::Stage, Column::Deadline, Column::Executors, Column::Mark]
    );
    assert_eq!(plan.sections.len(), 10);
    for (got, want) in plan.sections.iter().zip(&sections) {
        assert_eq!((got.number.as_str(), got.title.as_str()), (want.number.as_str(), want.title.as_str()));
    }
    assert_eq!(plan.measures.len(), 91);
    for (got, want) in plan.measures.iter().zip(&expected) {
        let n = &want.number;
        assert_eq!(got.number, *n);
        assert_eq!(got.section.as_deref(), Some(want.section.as_str()), "{n} section");
        assert_eq!(got.text, want.text, "{n} text");
        assert_eq!(got.stage, Some(want.stage), "{n} stage");
        assert_eq!(got.deadline, want.deadline, "{n} deadline");
        assert_eq!(got.executors, want.executors, "{n} executors");
    }
    // Every deadline of the plan is a phrase the deadline parser reads.
    for m in &plan.measures {
        assert!(deadlines::parse(&m.deadline).is_ok(), "{}: {}", m.number, m.deadline);
    }
}

#[test]
fn seed_002_reports_what_it_could_not_place_and_what_it_repaired() {
    let plan = from_tab_rows(include_str!("fixtures/002.txt")).expect("the plan is read");
    // The footnote on the stages is text outside the table: reported, not dropped.
    assert_eq!(plan.unplaced.len(), 1);
    assert!(plan.unplaced[0].text.starts_with("* - стадии отражают"));
    // Measures 62–67 have an empty cell between stage and deadline in the source.
    let repaired: Vec<&str> = plan.warnings.iter().map(|w| w.text.split('\t').next().unwrap_or_default()).collect();
    assert_eq!(repaired, ["62.", "63.", "64.", "65.", "66.", "67."]);
    // HTML left in cells (measures 36–40) is reduced to text.
    assert!(plan.measures.iter().all(|m| !m.text.contains('<')));
}
