//! Execution reports for a year or a quarter: per section, each measure due in the period with
//! its deadline, status, evidence and comment; and the summary counts (done / overdue /
//! pending) by section and by stage, drawn as an SVG bar chart with the same numbers in a table.

use deadlines::{Calendar, Date, DayOffPolicy, Period, Schedule};
use serde::Serialize;

use crate::marks::Mark;
use crate::store::Loaded;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Done,
    Partly,
    Overdue,
    Pending,
}

impl State {
    pub fn ru(self) -> &'static str {
        match self {
            State::Done => "исполнено",
            State::Partly => "исполнено частично",
            State::Overdue => "просрочено",
            State::Pending => "в работе",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub number: String,
    pub text: String,
    pub stage: Option<i64>,
    pub deadline: String,
    pub due: Vec<String>,
    pub state: State,
    pub evidence: Vec<String>,
    pub comment: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SectionReport {
    pub heading: String,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub done: usize,
    pub overdue: usize,
    pub pending: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub title: String,
    pub period: String,
    pub as_of: String,
    pub sections: Vec<SectionReport>,
    /// (section heading, counts), in plan order.
    pub by_section: Vec<(String, Counts)>,
    /// (stage label, counts): stages 1–3, then measures without a stage.
    pub by_stage: Vec<(String, Counts)>,
}

/// The period a report covers: a year, or a quarter of it.
pub fn period(year: i16, quarter: Option<i8>) -> Option<Period> {
    match quarter {
        None => Some(Period::Year { year }),
        Some(q @ 1..=4) => Some(Period::Quarter { year, quarter: q }),
        Some(_) => None,
    }
}

fn state_of(
    schedule: Option<&Schedule>,
    cal: &Calendar,
    p: &Period,
    today: Date,
    marks: &[&Mark],
) -> Option<(State, Vec<String>)> {
    let (start, end) = (p.first_day().ok()?, p.last_day().ok()?);
    let in_period = |m: &&&Mark| {
        m.marked_on.as_str() >= start.to_string().as_str() && m.marked_on.as_str() <= end.to_string().as_str()
    };
    let from_mark = |m: &Mark| match m.status.as_str() {
        "done" => State::Done,
        "partly" => State::Partly,
        _ => State::Overdue,
    };
    let dues = match schedule {
        Some(s) => s.due_dates(cal, start, end, None, DayOffPolicy::Preceding).ok()?,
        None => Vec::new(),
    };
    if dues.is_empty() {
        // A standing duty (or one without dates) is reported when it was marked in the period.
        let standing = matches!(
            schedule,
            Some(
                Schedule::Continuous
                    | Schedule::AsNeeded { .. }
                    | Schedule::Then { .. }
                    | Schedule::WithinYear { year: None }
                    | Schedule::All { .. }
            )
        );
        let latest = marks.iter().rfind(in_period)?;
        return standing.then(|| (from_mark(latest), vec![]));
    }
    let mut states = Vec::new();
    let mut due_list = Vec::new();
    for d in &dues {
        let label = d.covers.map(|c| c.ru()).unwrap_or_default();
        due_list.push(d.date.date.strftime("%d.%m.%Y").to_string());
        let mark = marks
            .iter()
            .rev()
            .find(|m| !label.is_empty() && m.period == label)
            .or_else(|| marks.iter().rfind(in_period));
        states.push(match mark {
            Some(m) => from_mark(m),
            None if d.date.date < today => State::Overdue,
            None => State::Pending,
        });
    }
    let state = if states.contains(&State::Overdue) {
        State::Overdue
    } else if states.iter().all(|s| *s == State::Done) {
        State::Done
    } else if states.contains(&State::Partly) {
        State::Partly
    } else {
        State::Pending
    };
    Some((state, due_list))
}

fn add(c: &mut Counts, s: State) {
    match s {
        State::Done => c.done += 1,
        State::Overdue => c.overdue += 1,
        State::Partly | State::Pending => c.pending += 1,
    }
}

pub fn build(loaded: &Loaded, marks: &[Mark], cal: &Calendar, today: Date, p: Period) -> Report {
    let mut sections: Vec<SectionReport> = Vec::new();
    let mut by_stage: Vec<(String, Counts)> =
        ["стадия 1", "стадия 2", "стадия 3", "без стадии"].iter().map(|s| (s.to_string(), Counts::default())).collect();
    let heading_of = |id: Option<i64>| {
        id.and_then(|id| loaded.sections.iter().find(|s| s.id == id))
            .map(|s| format!("{}. {}", s.number, s.title))
            .unwrap_or_default()
    };
    for m in &loaded.measures {
        let schedule = deadlines::parse_in(&m.deadline, loaded.roadmap.context()).ok();
        let own: Vec<&Mark> = marks.iter().filter(|k| k.measure_id == m.id).collect();
        let Some((state, due)) = state_of(schedule.as_ref(), cal, &p, today, &own) else { continue };
        let latest = own.last();
        let row = Row {
            number: m.number.clone(),
            text: m.text.clone(),
            stage: m.stage,
            deadline: m.deadline.clone(),
            due,
            state,
            evidence: latest.map(|k| k.evidence.clone()).unwrap_or_default(),
            comment: latest.map(|k| k.comment.clone()).unwrap_or_default(),
        };
        let heading = heading_of(m.section_id);
        match sections.iter_mut().find(|s| s.heading == heading) {
            Some(s) => s.rows.push(row),
            None => sections.push(SectionReport { heading, rows: vec![row] }),
        }
        let idx = match m.stage {
            Some(s @ 1..=3) => (s - 1) as usize,
            _ => 3,
        };
        add(&mut by_stage[idx].1, state);
    }
    let by_section = sections
        .iter()
        .map(|s| {
            let mut c = Counts::default();
            for r in &s.rows {
                add(&mut c, r.state);
            }
            (s.heading.clone(), c)
        })
        .collect();
    by_stage.retain(|(_, c)| c.done + c.overdue + c.pending > 0);
    Report {
        title: loaded.roadmap.title.clone(),
        period: p.ru(),
        as_of: today.strftime("%d.%m.%Y").to_string(),
        sections,
        by_section,
        by_stage,
    }
}

/// The report as a Word document: the same sections, rows and summary as the HTML page.
pub fn docx(r: &Report) -> anyhow::Result<Vec<u8>> {
    use office::write::Block;
    let cols = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut blocks = vec![
        Block::Title(format!("Отчёт об исполнении: {}", r.title)),
        Block::Text(format!("Период: {}. По состоянию на {}.", r.period, r.as_of)),
    ];
    for s in &r.sections {
        if !s.heading.is_empty() {
            blocks.push(Block::Heading(s.heading.clone()));
        }
        let rows = s
            .rows
            .iter()
            .map(|row| {
                let deadline = if row.due.is_empty() {
                    row.deadline.clone()
                } else {
                    format!("{} ({})", row.deadline, row.due.join(", "))
                };
                vec![
                    row.number.clone(),
                    row.text.clone(),
                    deadline,
                    row.state.ru().to_string(),
                    row.evidence.join("\n"),
                    row.comment.clone(),
                ]
            })
            .collect();
        let header = cols(&["№", "Мероприятие", "Срок", "Статус", "Подтверждение", "Комментарий"]);
        blocks.push(Block::Table { header, rows });
    }
    let summary = |rows: &[(String, Counts)]| {
        rows.iter()
            .map(|(h, c)| vec![h.clone(), c.done.to_string(), c.overdue.to_string(), c.pending.to_string()])
            .collect::<Vec<_>>()
    };
    blocks.push(Block::Heading("Сводка по разделам".into()));
    blocks.push(Block::Table {
        header: cols(&["Раздел", "Исполнено", "Просрочено", "В работе"]),
        rows: summary(&r.by_section),
    });
    blocks.push(Block::Heading("Сводка по стадиям".into()));
    blocks.push(Block::Table {
        header: cols(&["Стадия", "Исполнено", "Просрочено", "В работе"]),
        rows: summary(&r.by_stage),
    });
    office::write::docx(&blocks).map_err(|e| anyhow::anyhow!("cannot write the report: {e}"))
}

/// Bars for the SVG chart: (label, done, overdue, pending) scaled to `width` pixels.
#[derive(Clone, Debug, Serialize)]
pub struct Bar {
    pub label: String,
    pub y: usize,
    pub done_w: usize,
    pub overdue_w: usize,
    pub pending_w: usize,
    pub counts: Counts,
}

pub fn bars(rows: &[(String, Counts)], width: usize) -> Vec<Bar> {
    let max = rows.iter().map(|(_, c)| c.done + c.overdue + c.pending).max().unwrap_or(0).max(1);
    rows.iter()
        .enumerate()
        .map(|(i, (label, c))| Bar {
            label: label.chars().take(60).collect(),
            y: i * 28,
            done_w: c.done * width / max,
            overdue_w: c.overdue * width / max,
            pending_w: c.pending * width / max,
            counts: c.clone(),
        })
        .collect()
}
