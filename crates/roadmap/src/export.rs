//! The machine-readable twin of a roadmap: every field, each measure's parsed schedule and its
//! next due date, as JSON or CSV (RFC 4180).

use deadlines::{Calendar, Date, DayOffPolicy};
use serde::Serialize;

use crate::store::Loaded;

#[derive(Serialize)]
pub struct ExportMeasure<'a> {
    pub number: &'a str,
    pub section: Option<&'a str>,
    pub section_title: Option<&'a str>,
    pub text: &'a str,
    pub stage: Option<i64>,
    pub deadline: &'a str,
    /// The parsed schedule, or null when the phrase could not be read.
    pub schedule: Option<deadlines::Schedule>,
    pub schedule_ru: Option<String>,
    pub unparsed_reason: Option<String>,
    pub next_due: Option<String>,
    pub next_due_covers: Option<String>,
    pub executors: &'a str,
    pub expected: Option<&'a str>,
    pub continuation: bool,
    /// Every execution mark, oldest first (the last one is the current state).
    pub marks: Vec<&'a crate::marks::Mark>,
    /// Every change made after import, oldest first: when, why, each field before and after.
    pub changes: Vec<&'a crate::store::Revision>,
}

#[derive(Serialize)]
pub struct Export<'a> {
    pub roadmap: &'a crate::store::Roadmap,
    pub body: &'a str,
    pub generated_for: String,
    pub sections: &'a [crate::store::StoredSection],
    pub measures: Vec<ExportMeasure<'a>>,
}

pub fn build<'a>(
    loaded: &'a Loaded,
    marks: &'a [crate::marks::Mark],
    revisions: &'a [crate::store::Revision],
    body_slug: &'a str,
    cal: &Calendar,
    today: Date,
) -> Export<'a> {
    let measures = loaded
        .measures
        .iter()
        .map(|m| {
            let section = m.section_id.and_then(|id| loaded.sections.iter().find(|s| s.id == id));
            let parsed = deadlines::parse_in(&m.deadline, loaded.roadmap.context());
            let next = parsed
                .as_ref()
                .ok()
                .and_then(|s| s.next_due(cal, today, 1, None, DayOffPolicy::Preceding).ok())
                .and_then(|mut d| d.pop());
            ExportMeasure {
                number: &m.number,
                section: section.map(|s| s.number.as_str()),
                section_title: section.map(|s| s.title.as_str()),
                text: &m.text,
                stage: m.stage,
                deadline: &m.deadline,
                schedule_ru: parsed.as_ref().ok().map(|s| s.ru()),
                unparsed_reason: parsed.as_ref().err().map(|e| e.reason.clone()),
                schedule: parsed.ok(),
                next_due: next.as_ref().map(|d| d.date.date.to_string()),
                next_due_covers: next.as_ref().and_then(|d| d.covers.map(|p| p.ru())),
                executors: &m.executors,
                expected: m.expected.as_deref(),
                continuation: m.continuation,
                marks: marks.iter().filter(|k| k.measure_id == m.id).collect(),
                changes: revisions.iter().filter(|r| r.measure_id == m.id).collect(),
            }
        })
        .collect();
    Export {
        roadmap: &loaded.roadmap,
        body: body_slug,
        generated_for: today.to_string(),
        sections: &loaded.sections,
        measures,
    }
}

/// CSV, UTF-8 without BOM, comma, header row, CRLF line ends (RFC 4180).
pub fn csv(e: &Export<'_>) -> String {
    let mut out = String::from("number,section,text,stage,deadline,schedule,next_due,executors,expected_result\r\n");
    for m in &e.measures {
        let row = [
            m.number.to_string(),
            m.section.unwrap_or_default().to_string(),
            m.text.to_string(),
            m.stage.map(|s| s.to_string()).unwrap_or_default(),
            m.deadline.to_string(),
            m.schedule_ru.clone().unwrap_or_default(),
            m.next_due.clone().unwrap_or_default(),
            m.executors.to_string(),
            m.expected.unwrap_or_default().to_string(),
        ];
        out.push_str(&kernel::csv::row(&row));
    }
    out
}
