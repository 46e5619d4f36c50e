//! The corpus of real deadline phrases (tests/corpus/phrases.txt, sources in SOURCES.md): each is
//! read as the kind and first due dates worked out by hand, or refused for the reason given. The
//! share read is printed; the refused ones are listed with their reasons in docs/deadlines.md.

use deadlines::Calendar;

include!("data/corpus_cases.rs");

#[test]
fn real_phrases_read_as_worked_out_by_hand() {
    let cal = Calendar::federal();
    let cases = corpus();
    let mut failures = Vec::new();
    let mut refused = 0;
    for case in &cases {
        if case.kind == "refused" {
            refused += 1;
        }
        if let Err(why) = verdict(case, &cal) {
            failures.push(format!("[{}] {:?}: {why}", case.source, case.phrase));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let read = cases.len() - refused;
    let share = read as f64 / cases.len() as f64;
    println!("{read} of {} real phrases read ({:.1} %), {refused} refused", cases.len(), share * 100.0);
}

#[test]
fn the_corpus_holds_distinct_phrases_from_named_sources() {
    let cases = corpus();
    let sources = include_str!("corpus/SOURCES.md");
    let mut seen = std::collections::HashSet::new();
    for case in &cases {
        assert!(sources.contains(&format!("| {} |", case.source)), "{} is not in SOURCES.md", case.source);
        let key = case.phrase.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(seen.insert(key), "{:?} twice", case.phrase);
    }
    let ids: std::collections::HashSet<&str> = cases.iter().map(|c| c.source.as_str()).collect();
    assert!(ids.len() >= 15, "{} sources", ids.len());
}
