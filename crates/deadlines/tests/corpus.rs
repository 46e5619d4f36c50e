//! The corpus of real deadline phrases (tests/corpus/phrases.txt, sources in SOURCES.md): each is
//! read as the kind and first due dates worked out by hand, or refused for the reason given; the
//! share read as expected is at least 97 %.

use deadlines::{Calendar, Context, Date, DayOffPolicy, Schedule, parse_in};

include!("data/corpus_cases.rs");

fn kind(s: &Schedule) -> &'static str {
    match s {
        Schedule::Once { .. } => "once",
        Schedule::Recurring(_) => "recurring",
        Schedule::Continuous => "continuous",
        Schedule::AfterEvent { .. } => "after_event",
        Schedule::ExternalTimetable { .. } => "external",
        Schedule::AsNeeded { .. } => "as_needed",
        Schedule::Done => "done",
        Schedule::WithinYear { .. } => "within_year",
        Schedule::All { .. } => "all",
        Schedule::Then { .. } => "then",
    }
}

/// What the reader makes of a case, in the corpus's own terms.
fn verdict(case: &Case, cal: &Calendar) -> Result<(), String> {
    let read = parse_in(&case.phrase, Context { year: case.year });
    match (read, case.kind.as_str()) {
        (Err(e), "refused") => {
            if e.reason.contains(&case.expected[0]) {
                Ok(())
            } else {
                Err(format!("refused for «{}», expected a reason with «{}»", e.reason, case.expected[0]))
            }
        }
        (Err(e), _) => Err(format!("refused: {}", e.reason)),
        (Ok(s), "refused") => Err(format!("read as «{}», expected a refusal", s.ru())),
        (Ok(s), want) => {
            if kind(&s) != want {
                return Err(format!("read as {} «{}», expected {want}", kind(&s), s.ru()));
            }
            let due = s
                .next_due(cal, case.reference, case.expected.len().max(1), Some(case.reference), DayOffPolicy::Keep)
                .map_err(|e| format!("due dates: {e}"))?;
            let got: Vec<String> = due.iter().map(|d| d.date.date.to_string()).collect();
            let want: Vec<String> = case.expected.clone();
            if got.len() < want.len() || got[..want.len()] != want[..] || (want.is_empty() && !got.is_empty()) {
                return Err(format!("«{}» due {got:?}, expected {want:?}", s.ru()));
            }
            Ok(())
        }
    }
}

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
