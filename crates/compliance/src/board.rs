//! What the pages read of the engine's work: each body's index side by side with its trend by
//! quarter, and one body's obligations in the order to act on them.

use std::collections::HashMap;
use std::sync::Arc;

use kernel::Db;
use kernel::bodies::Body;
use kernel::error::Result;
use serde::Deserialize;
use sqlx::Row;

use crate::engine::Status;
use crate::evaluate::Stored;
use crate::methodology::Methodology;

/// One part of an index as stored.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Part {
    pub key: String,
    pub permille: Option<i64>,
    #[serde(default)]
    pub earned: f64,
    #[serde(default)]
    pub possible: f64,
}

/// A body's line on the board.
#[derive(Clone, Debug)]
pub struct Line {
    pub body: Body,
    /// Permille of 100 %: None before the first evaluation or when nothing counted.
    pub score: Option<i64>,
    /// Per parameter of the methodology, in its order.
    pub parameters: Vec<Option<i64>>,
    pub mechanisms: Vec<Part>,
    pub late: i64,
    pub missing: i64,
    pub upcoming: i64,
    pub satisfied: i64,
    pub not_applicable: i64,
    pub day: String,
    pub methodology: String,
    /// The index at each quarter's end, oldest first (the methodology's own).
    pub trend: Vec<(String, Option<i64>)>,
}

/// The counter every stored evaluation adds one to (`kernel::versions`): the board and the
/// bodies' pages kept in a node's memory are read again when it moves.
pub const VERSION: &str = "compliance";

/// The board as pages read it: the methodology in use and every body's line.
pub struct Board {
    pub m: Methodology,
    pub lines: Vec<Line>,
}

/// What a node keeps of the engine's work: the board, and each body's statuses (read again when
/// an evaluation of that body is stored, on any node).
pub struct Kept {
    board: shell::snapshot::Snapshot<Board>,
    bodies: shell::snapshot::Keyed<Vec<(Stored, i64)>>,
}

impl Kept {
    pub fn new(recheck: std::time::Duration) -> Kept {
        Kept {
            board: shell::snapshot::Snapshot::new(recheck),
            bodies: shell::snapshot::Keyed::keeping(VERSION, recheck, 1_000),
        }
    }

    /// After an evaluation stored by this node: its next page reads the database.
    pub fn recheck_now(&self) {
        self.board.recheck_now();
        self.bodies.recheck_now();
    }
}

/// The board, as kept while no evaluation was stored since.
pub async fn board(db: &Db, kept: &Kept) -> Result<Arc<Board>> {
    kept.board
        .get(
            || kernel::versions::get(db, VERSION),
            || async {
                let m = crate::evaluate::methodology(db).await?;
                let bodies = kernel::bodies::list(db).await?;
                let lines = lines(db, &m, &bodies).await?;
                Ok(Board { m, lines })
            },
        )
        .await
}

/// A body's statuses in the order to act on them ([`ordered`]), as kept while no evaluation of
/// it was stored since.
pub async fn statuses(db: &Db, kept: &Kept, body_id: i64) -> Result<Arc<Vec<(Stored, i64)>>> {
    kept.bodies.get(db, body_id, || async { Ok(ordered(crate::evaluate::statuses(db, body_id).await?)) }).await
}

/// "87,5 %" from permille; "—" for none.
pub fn percent(p: impl std::borrow::Borrow<Option<i64>>) -> String {
    match *p.borrow() {
        Some(p) => format!("{},{} %", p / 10, (p % 10).abs()),
        None => "—".to_string(),
    }
}

/// Quarters of trend shown.
pub const QUARTERS: usize = 4;

/// Every body's line, the least open first (bodies not yet evaluated last).
pub async fn lines(db: &Db, m: &Methodology, bodies: &[Body]) -> Result<Vec<Line>> {
    let rows = sqlx::query(
        "SELECT body_id, day, methodology, score, parameters, mechanisms, late, missing, upcoming, satisfied, \
         not_applicable FROM compliance_bodies",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut history: HashMap<i64, Vec<(String, Option<i64>)>> = HashMap::new();
    for r in
        sqlx::query("SELECT body_id, quarter, score FROM compliance_history WHERE methodology = $1 ORDER BY quarter")
            .bind(m.label())
            .fetch_all(&db.pool)
            .await?
    {
        history.entry(r.try_get("body_id")?).or_default().push((r.try_get("quarter")?, r.try_get("score")?));
    }
    let mut by_body = HashMap::new();
    for r in &rows {
        by_body.insert(r.try_get::<i64, _>("body_id")?, r);
    }
    let mut out = Vec::with_capacity(bodies.len());
    for body in bodies {
        let mut trend = history.remove(&body.id).unwrap_or_default();
        let skip = trend.len().saturating_sub(QUARTERS);
        trend.drain(..skip);
        let Some(r) = by_body.get(&body.id) else {
            out.push(Line {
                body: body.clone(),
                score: None,
                parameters: vec![None; m.parameters.len()],
                mechanisms: Vec::new(),
                late: 0,
                missing: 0,
                upcoming: 0,
                satisfied: 0,
                not_applicable: 0,
                day: String::new(),
                methodology: String::new(),
                trend,
            });
            continue;
        };
        let parts: Vec<Part> = serde_json::from_str(&r.try_get::<String, _>("parameters")?).unwrap_or_default();
        let parameters =
            m.parameters.iter().map(|p| parts.iter().find(|x| x.key == p.key).and_then(|x| x.permille)).collect();
        out.push(Line {
            body: body.clone(),
            score: r.try_get("score")?,
            parameters,
            mechanisms: serde_json::from_str(&r.try_get::<String, _>("mechanisms")?).unwrap_or_default(),
            late: r.try_get("late")?,
            missing: r.try_get("missing")?,
            upcoming: r.try_get("upcoming")?,
            satisfied: r.try_get("satisfied")?,
            not_applicable: r.try_get("not_applicable")?,
            day: r.try_get("day")?,
            methodology: r.try_get("methodology")?,
            trend,
        });
    }
    out.sort_by_key(|l| (l.score.is_none(), l.score.unwrap_or(0), std::cmp::Reverse(l.late)));
    Ok(out)
}

/// A body's obligations in the order to act on them: late (the longest late first), missing,
/// upcoming (the nearest first), satisfied, not applicable.
pub fn ordered(mut rows: Vec<(Stored, i64)>) -> Vec<(Stored, i64)> {
    rows.sort_by(|(a, _), (b, _)| {
        // No due date sorts after every date.
        fn due(s: &Stored) -> &str {
            s.due.as_deref().unwrap_or("9999")
        }
        a.status.cmp(&b.status).then_with(|| match a.status {
            Status::Late => b.days_late.cmp(&a.days_late),
            _ => due(a).cmp(due(b)),
        })
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, status: Status, due: Option<&str>, days_late: i64) -> (Stored, i64) {
        let s = Stored {
            obligation: key.into(),
            mechanism: "site".into(),
            indicator: "site_item".into(),
            title: key.into(),
            source: String::new(),
            href: String::new(),
            status,
            due: due.map(str::to_string),
            days_late,
            evidence_label: String::new(),
            evidence_href: String::new(),
            evidence_on: None,
            reason: String::new(),
        };
        (s, 0)
    }

    #[test]
    fn obligations_come_in_the_order_to_act_on_them() {
        let rows = vec![
            row("done", Status::Satisfied, None, 0),
            row("soon", Status::Upcoming, Some("2026-12-20"), 0),
            row("later", Status::Upcoming, None, 0),
            row("late-a-little", Status::Late, Some("2026-12-01"), 6),
            row("missing", Status::Missing, None, 0),
            row("late-long", Status::Late, Some("2025-12-30"), 342),
            row("sooner", Status::Upcoming, Some("2026-12-10"), 0),
        ];
        let keys: Vec<String> = ordered(rows).into_iter().map(|(s, _)| s.obligation).collect();
        assert_eq!(keys, ["late-long", "late-a-little", "missing", "sooner", "soon", "later", "done"]);
    }

    #[test]
    fn percents_read_as_russians_write_them() {
        assert_eq!(percent(Some(875)), "87,5 %");
        assert_eq!(percent(Some(1000)), "100,0 %");
        assert_eq!(percent(None), "—");
    }
}
