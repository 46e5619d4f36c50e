//! A published execution report — the plan's own table with an «Отметка об исполнении» or
//! «Информация об исполнении» column, as bodies put it on their sites — read against an approved
//! plan: each row with a mark is matched to a measure by section and number, its text becomes the
//! mark's comment, and what it says decides the mark's status. Rows that match no measure, and
//! measures whose text differs from the report's, are shown before anything is stored.

use deadlines::{Calendar, DayOffPolicy};
use serde::Serialize;

use crate::import::ImportedPlan;
use crate::store::Loaded;

/// One marked row of a report, as matched against the plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The line of the report the row starts on.
    pub line: usize,
    /// Section and number as the report writes them.
    pub section: Option<String>,
    pub number: String,
    /// What the report says was done.
    pub mark: String,
    /// The status the words of the mark give: done, partly or not_done.
    pub status: &'static str,
    /// The measure it answers for; None when the plan has no measure with that section and number.
    pub measure_id: Option<i64>,
    /// The measure's text in the plan (empty when unmatched).
    pub plan_text: String,
    /// The measure's text differs between the report and the plan: worth a look.
    pub differs: bool,
}

/// The status a report's words give a mark; None for an empty cell (no mark).
pub fn status_of(mark: &str) -> Option<&'static str> {
    let m = mark.trim().to_lowercase().replace('ё', "е");
    if m.is_empty() || m == "-" || m == "—" {
        return None;
    }
    let not = ["не исполн", "не выполн", "не реализ", "не проведен", "не размещ", "не осуществл", "не обеспеч"];
    if not.iter().any(|w| m.starts_with(w) || m.contains(&format!(" {w}"))) {
        return Some("not_done");
    }
    let partly = ["частично", "в стадии", "в процессе", "в работе", "находится на", "ведется работа"];
    if partly.iter().any(|w| m.contains(w)) {
        return Some("partly");
    }
    Some("done")
}

/// "12." and "12" alike; "I" and "I." alike.
fn key(s: &str) -> String {
    s.trim().trim_end_matches('.').to_string()
}

/// Letters and digits only, lowercased: enough to tell a reworded measure from the same one.
fn gist(s: &str) -> String {
    s.to_lowercase().replace('ё', "е").chars().filter(|c| c.is_alphanumeric()).take(80).collect()
}

/// Matches every marked row of `report` to a measure of `plan`: by section and number, else by
/// number alone when it is unique in the plan.
pub fn match_report(plan: &Loaded, report: &ImportedPlan) -> Vec<Row> {
    let section_of = |id: Option<i64>| {
        id.and_then(|id| plan.sections.iter().find(|s| s.id == id)).map(|s| key(&s.number)).unwrap_or_default()
    };
    let mut rows = Vec::new();
    for r in &report.measures {
        let Some(mark) = r.mark.as_deref().map(str::trim).filter(|m| !m.is_empty()) else { continue };
        let Some(status) = status_of(mark) else { continue };
        let number = key(&r.number);
        let section = r.section.as_deref().map(key);
        let same_number: Vec<_> =
            plan.measures.iter().filter(|m| key(&m.number) == number && !m.continuation).collect();
        let found = match &section {
            Some(sec) => same_number.iter().find(|m| section_of(m.section_id) == *sec).copied(),
            None => None,
        }
        .or_else(|| (same_number.len() == 1).then(|| same_number[0]));
        rows.push(Row {
            line: r.line,
            section: r.section.clone(),
            number: r.number.clone(),
            mark: mark.to_string(),
            status,
            measure_id: found.map(|m| m.id),
            plan_text: found.map(|m| m.text.clone()).unwrap_or_default(),
            differs: found.is_some_and(|m| gist(&m.text) != gist(&r.text)),
        });
    }
    rows
}

/// The period a report of `year` answers for in a measure's schedule: the last due period that
/// ends in that year, or empty for a standing duty.
pub fn period_in(deadline: &str, ctx: deadlines::Context, cal: &Calendar, year: i16) -> String {
    let Ok(schedule) = deadlines::parse_in(deadline, ctx) else { return String::new() };
    let (Ok(from), Ok(to)) = (deadlines::Date::new(year, 1, 1), deadlines::Date::new(year.saturating_add(1), 12, 31))
    else {
        return String::new();
    };
    schedule
        .due_dates(cal, from, to, None, DayOffPolicy::Preceding)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|d| d.covers)
        .rfind(|p| p.last_day().is_ok_and(|d| d.year() == year))
        .map(|p| p.ru())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::status_of;

    #[test]
    fn the_words_of_a_mark_give_its_status() {
        assert_eq!(status_of("Главная/Пресс-центр/О сайте"), Some("done"));
        assert_eq!(status_of("Исполнено. Информация размещена на сайте"), Some("done"));
        assert_eq!(status_of("Не исполнено в связи с отсутствием финансирования"), Some("not_done"));
        assert_eq!(status_of("Мероприятие не выполнено"), Some("not_done"));
        assert_eq!(status_of("Исполнено частично"), Some("partly"));
        assert_eq!(status_of("В стадии разработки"), Some("partly"));
        assert_eq!(status_of(" — "), None);
        assert_eq!(status_of(""), None);
    }
}
