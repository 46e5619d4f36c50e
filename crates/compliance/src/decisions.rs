//! What staff decide about an obligation where the mechanisms cannot know: that it does not
//! apply to the body (with the reason), or that it is fulfilled by something held outside
//! Glasnost (a link and its day, for the due date it answers); or they withdraw what was decided.
//! Each decision is a row, audited; the newest row of an obligation is in force.

use deadlines::Date;
use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NewDecision {
    NotApplicable { reason: String },
    Evidence { label: String, href: String, on: Date },
    Withdrawn,
}

/// The longest reason or label kept.
const MAX_TEXT: usize = 1_000;

/// Reads a decision from the form's fields; the errors by field.
pub fn check(kind: &str, reason: &str, href: &str, on: &str, today: Date) -> Result<NewDecision> {
    let reason = reason.trim();
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let decision = match kind {
        "not_applicable" => {
            if reason.is_empty() {
                errors.push(("reason", "укажите, почему обязанность не относится к органу".into()));
            }
            NewDecision::NotApplicable { reason: reason.to_string() }
        }
        "evidence" => {
            let href = href.trim();
            let link_ok = (href.starts_with("https://") || href.starts_with("http://") || href.starts_with('/'))
                && !href.starts_with("//")
                && href.len() <= 2_000
                && !href.chars().any(char::is_whitespace);
            if !link_ok {
                errors.push(("href", "укажите ссылку вида https://… или путь на портале, начинающийся с /".into()));
            }
            let on = read_day(on);
            match on {
                None => errors.push(("on", "укажите дату в виде ДД.ММ.ГГГГ".into())),
                Some(d) if d > today => errors.push(("on", "дата не может быть позже сегодняшней".into())),
                Some(_) => {}
            }
            NewDecision::Evidence { label: reason.to_string(), href: href.to_string(), on: on.unwrap_or(today) }
        }
        "withdrawn" => NewDecision::Withdrawn,
        _ => return Err(Error::invalid("kind", "выберите, что сделать")),
    };
    if reason.chars().count() > MAX_TEXT {
        errors.push(("reason", format!("не длиннее {MAX_TEXT} знаков")));
    }
    if errors.is_empty() { Ok(decision) } else { Err(Error::Form(errors)) }
}

/// A day written ДД.ММ.ГГГГ or ГГГГ-ММ-ДД.
pub fn read_day(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Ok(d) = t.parse::<Date>() {
        return Some(d);
    }
    let mut parts = t.split('.');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// Records a decision about a body's obligation (standing at `due`), audited in its transaction.
pub async fn record(
    db: &Db,
    actor: &Actor,
    now: i64,
    body_id: i64,
    obligation: &str,
    due: Option<&str>,
    d: &NewDecision,
) -> Result<()> {
    let (kind, reason, href, on) = match d {
        NewDecision::NotApplicable { reason } => ("not_applicable", reason.as_str(), "", None),
        NewDecision::Evidence { label, href, on } => ("evidence", label.as_str(), href.as_str(), Some(on.to_string())),
        NewDecision::Withdrawn => ("withdrawn", "", "", None),
    };
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO compliance_decisions (body_id, obligation, kind, reason, evidence_href, evidence_on, for_due, \
         user_id, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(body_id)
    .bind(obligation)
    .bind(kind)
    .bind(reason)
    .bind(href)
    .bind(&on)
    .bind(due)
    .bind(actor.user_id)
    .bind(&actor.label)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let after = serde_json::json!({
        "obligation": obligation, "kind": kind, "reason": reason, "href": href, "on": on, "for_due": due,
    });
    let change = Change {
        action: "create",
        object_type: "compliance_decision",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: None,
        after: Some(after),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 12, 7).expect("date")
    }

    #[test]
    fn a_decision_is_read_or_refused_by_field() {
        assert_eq!(
            check("not_applicable", " нет совета ", "", "", today()).ok(),
            Some(NewDecision::NotApplicable { reason: "нет совета".into() })
        );
        let e = check("not_applicable", "  ", "", "", today()).err().map(|e| e.field_errors()).unwrap_or_default();
        assert_eq!(e.iter().map(|(f, _)| *f).collect::<Vec<_>>(), ["reason"]);
        let ok = check("evidence", "протокол", "https://example.org/p", "01.12.2026", today());
        assert!(matches!(ok, Ok(NewDecision::Evidence { on, .. }) if on == Date::new(2026, 12, 1).expect("d")));
        let e = check("evidence", "", "javascript:alert(1)", "08.12.2026", today())
            .err()
            .map(|e| e.field_errors())
            .unwrap_or_default();
        assert_eq!(e.iter().map(|(f, _)| *f).collect::<Vec<_>>(), ["href", "on"]);
        assert!(check("evidence", "", "//evil.example/x", "2026-12-01", today()).is_err());
        assert!(check("delete", "", "", "", today()).is_err());
    }
}
