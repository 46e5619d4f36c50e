//! The engine's reckoning, free of IO: an obligation's status on a day from how its mechanism
//! sees it and what staff decided about it, and a body's openness index from its statuses under
//! a methodology, every point traceable to the obligation behind it.

use deadlines::Date;
use serde::{Deserialize, Serialize};
use shell::obligations::{Evidence, Standing};

use crate::methodology::Methodology;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Due and not fulfilled: first on every list.
    Late,
    /// Required, not fulfilled, no due date to name.
    Missing,
    /// Not yet due.
    Upcoming,
    Satisfied,
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 5] =
        [Status::Late, Status::Missing, Status::Upcoming, Status::Satisfied, Status::NotApplicable];

    pub fn code(self) -> &'static str {
        match self {
            Status::Late => "late",
            Status::Missing => "missing",
            Status::Upcoming => "upcoming",
            Status::Satisfied => "satisfied",
            Status::NotApplicable => "not_applicable",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What staff decided about an obligation where its mechanism cannot know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// It does not apply to the body: why, and who said so.
    NotApplicable { reason: String, by: String },
    /// It is fulfilled by something Glasnost does not hold: the evidence, who linked it, and the
    /// due date it answers (None: the obligation had none), so it lapses when the next one comes.
    Evidence { evidence: Evidence, by: String, for_due: Option<Date> },
}

/// An obligation's status on a day, with everything that explains it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reckoned {
    pub status: Status,
    /// The due date in question: the one passed (late, or met late) or the next one.
    pub due: Option<Date>,
    /// Days past the due date: today's for a late one, the evidence's for one met late.
    pub days_late: i64,
    pub evidence: Option<Evidence>,
    /// Why it does not apply, or who linked the evidence.
    pub reason: String,
}

/// The due date an obligation stands at, if any (a staff link answers that one).
pub fn due_of(standing: &Standing) -> Option<Date> {
    match standing {
        Standing::Due { due } | Standing::Late { due } => Some(*due),
        Standing::Met { late_for, .. } => *late_for,
        Standing::NotApplicable { .. } | Standing::Missing => None,
    }
}

fn days(from: Date, to: Date) -> i64 {
    from.until(to).map(|s| s.get_days() as i64).unwrap_or(0).max(0)
}

/// Reckons an obligation's status on `today`.
pub fn reckon(standing: &Standing, decision: Option<&Decision>, today: Date) -> Reckoned {
    let plain = |status, due, days_late, evidence, reason: &str| Reckoned {
        status,
        due,
        days_late,
        evidence,
        reason: reason.to_string(),
    };
    if let Some(Decision::NotApplicable { reason, by }) = decision {
        return plain(Status::NotApplicable, None, 0, None, &format!("{reason} ({by})"));
    }
    let linked = match decision {
        Some(Decision::Evidence { evidence, by, for_due }) if !matches!(standing, Standing::Met { .. }) => {
            // Evidence linked for an earlier due date does not answer a later one.
            (*for_due == due_of(standing)).then_some((evidence, by))
        }
        _ => None,
    };
    match (standing, linked) {
        (Standing::NotApplicable { reason }, _) => plain(Status::NotApplicable, None, 0, None, reason),
        (Standing::Met { evidence, late_for }, _) => {
            let late = late_for.map_or(0, |due| days(due, evidence.on));
            plain(Status::Satisfied, *late_for, late, Some(evidence.clone()), "")
        }
        (_, Some((evidence, by))) => {
            let due = due_of(standing);
            let late = due.map_or(0, |d| days(d, evidence.on));
            plain(Status::Satisfied, due, late, Some(evidence.clone()), by)
        }
        (Standing::Due { due }, None) => plain(Status::Upcoming, Some(*due), 0, None, ""),
        (Standing::Late { due }, None) => plain(Status::Late, Some(*due), days(*due, today), None, ""),
        (Standing::Missing, None) => plain(Status::Missing, None, 0, None, ""),
    }
}

/// One obligation as the index counts it.
#[derive(Clone, Debug, PartialEq)]
pub struct Counted<'a> {
    pub mechanism: &'a str,
    pub indicator: &'a str,
    pub status: Status,
    pub days_late: i64,
}

/// A share of points: what was earned of what could be (both in the methodology's weights).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Share {
    pub earned: f64,
    pub possible: f64,
}

impl Share {
    /// Percent, 0–100; None when nothing counted.
    pub fn percent(&self) -> Option<f64> {
        (self.possible > 0.0).then(|| 100.0 * self.earned / self.possible)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Index {
    /// The body's index, 0–100: the parameters' percents weighted by the parameters' weights;
    /// None when no obligation counted.
    pub total: Option<f64>,
    /// Per parameter of the methodology, in its order.
    pub parameters: Vec<(String, Share)>,
    /// Per mechanism, in the order first met.
    pub mechanisms: Vec<(String, Share)>,
}

/// What one obligation earns of what it could: its indicator's weight times the factor of its
/// status; None when it does not count (not applicable, not yet due, or an indicator the
/// methodology does not weigh).
pub fn points(m: &Methodology, c: &Counted) -> Option<(String, f64, f64)> {
    let ind = m.indicator(c.indicator)?;
    let factor = match c.status {
        Status::Satisfied if c.days_late > 0 => m.factors.satisfied_late,
        Status::Satisfied => m.factors.satisfied,
        Status::Late => m.factors.late,
        Status::Missing => m.factors.missing,
        Status::Upcoming | Status::NotApplicable => return None,
    };
    Some((ind.parameter.clone(), ind.weight * factor, ind.weight))
}

/// A body's index under the methodology.
pub fn index(m: &Methodology, counted: &[Counted]) -> Index {
    let mut parameters: Vec<(String, Share)> = m.parameters.iter().map(|p| (p.key.clone(), Share::default())).collect();
    let mut mechanisms: Vec<(String, Share)> = Vec::new();
    for c in counted {
        let Some((parameter, earned, possible)) = points(m, c) else { continue };
        if let Some((_, s)) = parameters.iter_mut().find(|(k, _)| *k == parameter) {
            s.earned += earned;
            s.possible += possible;
        }
        let i = match mechanisms.iter().position(|(k, _)| k == c.mechanism) {
            Some(i) => i,
            None => {
                mechanisms.push((c.mechanism.to_string(), Share::default()));
                mechanisms.len() - 1
            }
        };
        mechanisms[i].1.earned += earned;
        mechanisms[i].1.possible += possible;
    }
    let (mut sum, mut weights) = (0.0, 0.0);
    for (key, share) in &parameters {
        if let (Some(p), Some(w)) = (share.percent(), m.parameter(key).map(|p| p.weight)) {
            sum += p * w;
            weights += w;
        }
    }
    Index { total: (weights > 0.0).then(|| sum / weights), parameters, mechanisms }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn ev(on: &str) -> Evidence {
        Evidence { label: "x".into(), href: "/x".into(), on: d(on) }
    }

    #[test]
    fn statuses_follow_the_standing_and_the_day() {
        let today = d("2026-12-07");
        let late = reckon(&Standing::Late { due: d("2026-12-01") }, None, today);
        assert_eq!((late.status, late.days_late, late.due), (Status::Late, 6, Some(d("2026-12-01"))));
        assert_eq!(reckon(&Standing::Due { due: d("2026-12-31") }, None, today).status, Status::Upcoming);
        assert_eq!(reckon(&Standing::Missing, None, today).status, Status::Missing);
        let met = reckon(&Standing::Met { evidence: ev("2026-12-05"), late_for: Some(d("2026-12-01")) }, None, today);
        assert_eq!((met.status, met.days_late), (Status::Satisfied, 4));
        let na = reckon(&Standing::NotApplicable { reason: "нет".into() }, None, today);
        assert_eq!((na.status, na.reason.as_str()), (Status::NotApplicable, "нет"));
    }

    #[test]
    fn staff_decisions_apply_and_linked_evidence_lapses_with_its_due_date() {
        let today = d("2026-12-07");
        let decided = Decision::NotApplicable { reason: "нет совета".into(), by: "a@b".into() };
        let r = reckon(&Standing::Late { due: d("2026-12-01") }, Some(&decided), today);
        assert_eq!((r.status, r.reason.as_str()), (Status::NotApplicable, "нет совета (a@b)"));
        let linked =
            Decision::Evidence { evidence: ev("2026-12-03"), by: "a@b".into(), for_due: Some(d("2026-12-01")) };
        let r = reckon(&Standing::Late { due: d("2026-12-01") }, Some(&linked), today);
        assert_eq!((r.status, r.days_late), (Status::Satisfied, 2));
        // The next period's due date: the old link no longer answers.
        let r = reckon(&Standing::Late { due: d("2027-03-01") }, Some(&linked), d("2027-03-05"));
        assert_eq!(r.status, Status::Late);
        // The mechanism's own evidence wins over a link.
        let r = reckon(&Standing::Met { evidence: ev("2026-11-30"), late_for: None }, Some(&linked), today);
        assert_eq!(r.evidence.map(|e| e.on), Some(d("2026-11-30")));
    }

    #[test]
    fn the_index_weighs_indicators_and_parameters_and_skips_what_does_not_count() {
        let m = Methodology::builtin();
        let c = |indicator, status, days_late| Counted { mechanism: "site", indicator, status, days_late };
        let counted = [
            c("site_item", Status::Satisfied, 0),
            c("site_item", Status::Late, 3),
            c("site_item", Status::Upcoming, 0),
            c("site_item", Status::NotApplicable, 0),
            c("no_such_indicator", Status::Late, 3),
        ];
        let i = index(&m, &counted);
        let info = i.parameters.iter().find(|(k, _)| k == "information").map(|(_, s)| *s).unwrap_or_default();
        let w = m.indicator("site_item").map(|i| i.weight).unwrap_or_default();
        assert_eq!(info, Share { earned: w * m.factors.satisfied, possible: 2.0 * w });
        // Only one parameter counted: the index is its percent.
        assert_eq!(i.total, info.percent());
        assert_eq!(index(&m, &[]).total, None);
    }
}
