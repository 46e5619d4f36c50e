// The real-phrase corpus (tests/corpus/phrases.txt) as cases; shared by the tests and the benchmarks.

pub struct Case {
    pub source: String,
    pub reference: Date,
    pub year: Option<i16>,
    pub phrase: String,
    pub kind: String,
    pub expected: Vec<String>,
}

pub fn corpus() -> Vec<Case> {
    let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/phrases.txt"));
    let (mut source, mut reference, mut year) = (String::new(), Date::MIN, None);
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

