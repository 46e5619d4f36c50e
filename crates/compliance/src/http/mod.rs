//! The engine's pages: the coordinator's board of every body side by side (with its CSV and
//! .docx), a body's obligations in the order to act on them (with its CSV), a decision on one
//! obligation, the methodology (shown, downloaded, loaded), and the public page when the portal
//! turns it on.

pub mod public;
pub mod staff;
pub mod strings;

use shell::AppState;
use shell::chrome::Visitor;
use shell::error::AppResult;
use shell::i18n::Lang;

use crate::board::{self, Line};
use crate::evaluate::Stored;
use crate::methodology::Methodology;

/// The board: the methodology in use and every body's line.
pub async fn board(state: &AppState) -> AppResult<std::sync::Arc<board::Board>> {
    Ok(board::board(&state.db, state.part::<board::Kept>()?).await?)
}

/// The parameters' titles in the visitor's language.
pub fn parameter_titles(m: &Methodology, v: &Visitor) -> Vec<String> {
    m.parameters.iter().map(|p| p.title.get(v.lang == Lang::En).to_string()).collect()
}

/// A trend as one line: "2026-Q3 72,0 % → 2026-Q4 80,1 %".
pub fn trend_text(line: &Line) -> String {
    line.trend.iter().map(|(q, s)| format!("{q} {}", board::percent(*s))).collect::<Vec<_>>().join(" → ")
}

/// What an obligation earns of what it could, as the page shows it ("2 из 3"; "—": not counted).
pub fn points_text(m: &Methodology, s: &Stored) -> String {
    let c = crate::engine::Counted {
        mechanism: &s.mechanism,
        indicator: &s.indicator,
        status: s.status,
        days_late: s.days_late,
    };
    match crate::engine::points(m, &c) {
        Some((_, earned, possible)) => format!("{} / {}", number(earned), number(possible)),
        None => "—".to_string(),
    }
}

/// A weight or points: whole numbers plain, others with one decimal and a comma.
pub fn number(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 { format!("{}", x.round() as i64) } else { format!("{x:.1}").replace('.', ",") }
}

/// A stored day (ГГГГ-ММ-ДД) as ДД.ММ.ГГГГ.
pub fn day(d: &str) -> String {
    match d.parse::<deadlines::Date>() {
        Ok(d) => d.strftime("%d.%m.%Y").to_string(),
        Err(_) => d.to_string(),
    }
}

/// The badge style of a status (the words say it; the colour repeats it).
pub fn badge(s: &crate::engine::Status) -> &'static str {
    use crate::engine::Status;
    match s {
        Status::Late => "badge-overdue",
        Status::Missing => "badge-soon",
        Status::Upcoming | Status::NotApplicable => "badge-done",
        Status::Satisfied => "badge-ok",
    }
}
