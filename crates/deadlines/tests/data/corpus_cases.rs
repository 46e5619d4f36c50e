// The real-phrase corpus (tests/corpus/phrases.txt) as cases; shared by the tests and the benchmarks.

pub struct Case {
    pub source: String,
    pub reference: deadlines::Date,
    pub year: Option<i16>,
    pub phrase: String,
    pub kind: String,
    pub expected: Vec<String>,
}

pub fn corpus() -> Vec<Case> {
    let text = include_str!("../corpus/phrases.txt");
    let (mut source, mut reference, mut year) = (String::new(), deadlines::Date::MIN, None);
    let mut cases = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(head) = line.strip_prefix("@ ") {
            let mut parts = head.split_whitespace();
            source = parts.next().expect("a source id").to_string();
            year = None;
            for p in parts {
                if let Some(d) = p.strip_prefix("ref=") {
                    reference = d.parse().expect("a reference date");
                } else if let Some(y) = p.strip_prefix("year=") {
                    year = Some(y.parse().expect("a year"));
                }
            }
            continue;
        }
        let Some((phrase_end, rest)) = line.split_once(" | ") else {
            // A cell broken over lines: the phrase goes on.
            pending.push_str(line);
            pending.push('\n');
            continue;
        };
        let phrase = format!("{pending}{phrase_end}");
        pending.clear();
        let (kind, expected) = rest.split_once(" |").expect("kind and expectation");
        let expected = if kind == "refused" {
            vec![expected.trim().to_string()]
        } else {
            expected.split_whitespace().map(str::to_string).collect()
        };
        cases.push(Case {
            source: source.clone(),
            reference,
            year,
            phrase,
            kind: kind.trim().to_string(),
            expected,
        });
    }
    cases
}


pub fn kind(s: &deadlines::Schedule) -> &'static str {
    match s {
        deadlines::Schedule::Once { .. } => "once",
        deadlines::Schedule::Recurring(_) => "recurring",
        deadlines::Schedule::Continuous => "continuous",
        deadlines::Schedule::AfterEvent { .. } => "after_event",
        deadlines::Schedule::FromEvent { .. } => "from_event",
        deadlines::Schedule::ExternalTimetable { .. } => "external",
        deadlines::Schedule::AsNeeded { .. } => "as_needed",
        deadlines::Schedule::Done => "done",
        deadlines::Schedule::WithinYear { .. } => "within_year",
        deadlines::Schedule::All { .. } => "all",
        deadlines::Schedule::Then { .. } => "then",
    }
}

/// What the reader makes of a case, in the corpus's own terms.
pub fn verdict(case: &Case, cal: &deadlines::Calendar) -> Result<(), String> {
    verdict_of(case, &case.phrase, cal)
}

/// What the reader makes of `text` — the case's phrase as it came through some path (the
/// importer, a form) — in the case's terms.
pub fn verdict_of(case: &Case, text: &str, cal: &deadlines::Calendar) -> Result<(), String> {
    let read = deadlines::parse_in(text, deadlines::Context { year: case.year });
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
                .next_due(cal, case.reference, case.expected.len().max(1), Some(case.reference), deadlines::DayOffPolicy::Keep)
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

