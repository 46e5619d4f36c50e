//! The legal deadlines of appeals and requests, each with its source (specs/ru-rules.md §0).
//! The statutes say «дней» without saying which: calendar days are read, as practice and most
//! regional regulations do, counted from the day after the trigger (Civil Code art. 191 by
//! analogy). A deadline on a day off moves to the preceding working day by default (the
//! office-work rule, the stricter for the body) or to the following one (Civil Code art. 193):
//! `GLASNOST_DEADLINE_DAY_OFF`.

use deadlines::{Calendar, Computed, Date, DayOffPolicy, Term};

/// What a submission is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An appeal of a citizen, 59-FZ.
    Appeal,
    /// A request for information about the body's activity, 8-FZ.
    InfoRequest,
    /// An editorial office's request for information, the media law (Закон РФ № 2124-1).
    MediaRequest,
    /// A complaint about a staff member's actions or inaction: an appeal under 59-FZ (art. 4 p. 4).
    Complaint,
    /// A report of corruption (roadmap 002 item 86): an appeal under 59-FZ that may be anonymous
    /// (art. 11 p. 1: an anonymous appeal gets no answer, but what it reports is considered).
    CorruptionReport,
}

impl Kind {
    pub const ALL: [Kind; 5] =
        [Kind::Appeal, Kind::Complaint, Kind::CorruptionReport, Kind::InfoRequest, Kind::MediaRequest];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Appeal => "appeal",
            Kind::InfoRequest => "info_request",
            Kind::MediaRequest => "media_request",
            Kind::Complaint => "complaint",
            Kind::CorruptionReport => "corruption_report",
        }
    }
    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
    /// Its name in Russian, for letters and reports (pages use `appeal_kind.*`).
    pub fn ru(self) -> &'static str {
        crate::russian("appeal_kind", self.code())
    }

    /// Whether the applicant may stay unnamed and give no address.
    pub fn may_be_anonymous(self) -> bool {
        self == Kind::CorruptionReport
    }
}

/// One legal period; what must be done is the string `rule_action.{id}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub kind: Kind,
    pub days: u32,
    /// The law it comes from, in Russian and in English.
    pub source: &'static str,
    pub source_en: &'static str,
}

pub const RULES: [Rule; 10] = [
    Rule {
        id: "APPEAL_REGISTER",
        kind: Kind::Appeal,
        days: 3,
        source: "59-ФЗ, ст. 8 ч. 2",
        source_en: "59-FZ, art. 8 p. 2",
    },
    Rule {
        id: "APPEAL_REDIRECT",
        kind: Kind::Appeal,
        days: 7,
        source: "59-ФЗ, ст. 8 ч. 3",
        source_en: "59-FZ, art. 8 p. 3",
    },
    Rule {
        id: "APPEAL_ANSWER",
        kind: Kind::Appeal,
        days: 30,
        source: "59-ФЗ, ст. 12 ч. 1",
        source_en: "59-FZ, art. 12 p. 1",
    },
    Rule {
        id: "APPEAL_EXTEND",
        kind: Kind::Appeal,
        days: 30,
        source: "59-ФЗ, ст. 12 ч. 2",
        source_en: "59-FZ, art. 12 p. 2",
    },
    Rule {
        id: "INFOREQ_REGISTER",
        kind: Kind::InfoRequest,
        days: 3,
        source: "8-ФЗ, ст. 18 ч. 4",
        source_en: "8-FZ, art. 18 p. 4",
    },
    Rule {
        id: "INFOREQ_REDIRECT",
        kind: Kind::InfoRequest,
        days: 7,
        source: "8-ФЗ, ст. 18 ч. 6",
        source_en: "8-FZ, art. 18 p. 6",
    },
    Rule {
        id: "INFOREQ_ANSWER",
        kind: Kind::InfoRequest,
        days: 30,
        source: "8-ФЗ, ст. 18 ч. 5",
        source_en: "8-FZ, art. 18 p. 5",
    },
    Rule {
        id: "INFOREQ_DEFER",
        kind: Kind::InfoRequest,
        days: 15,
        source: "8-ФЗ, ст. 18 ч. 5",
        source_en: "8-FZ, art. 18 p. 5",
    },
    Rule {
        id: "MEDIA_REFUSE_OR_DEFER_NOTICE",
        kind: Kind::MediaRequest,
        days: 3,
        source: "Закон РФ № 2124-1, ст. 40",
        source_en: "Law No. 2124-1, art. 40",
    },
    Rule {
        id: "MEDIA_ANSWER",
        kind: Kind::MediaRequest,
        days: 7,
        source: "Закон РФ № 2124-1, ст. 40 (семидневный срок)",
        source_en: "Law No. 2124-1, art. 40 (seven days)",
    },
];

pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The rule for the answer to a kind of submission.
pub fn answer_rule(kind: Kind) -> &'static Rule {
    let id = match kind {
        // A complaint and a report of corruption are appeals under 59-FZ: its terms apply.
        Kind::Appeal | Kind::Complaint | Kind::CorruptionReport => "APPEAL_ANSWER",
        Kind::InfoRequest => "INFOREQ_ANSWER",
        Kind::MediaRequest => "MEDIA_ANSWER",
    };
    RULES.iter().find(|r| r.id == id).unwrap_or(&RULES[2])
}

/// The rule that extends a kind's term, when the law fixes its length. The media law lets the
/// body defer (with a notice within 3 days) without saying for how long: no fixed extension.
pub fn extension_rule(kind: Kind) -> Option<&'static Rule> {
    match kind {
        Kind::Appeal | Kind::Complaint | Kind::CorruptionReport => rule("APPEAL_EXTEND"),
        Kind::InfoRequest => rule("INFOREQ_DEFER"),
        Kind::MediaRequest => None,
    }
}

/// The rule for forwarding a kind to the competent body, when the law fixes one.
pub fn redirect_rule(kind: Kind) -> Option<&'static Rule> {
    match kind {
        Kind::Appeal | Kind::Complaint | Kind::CorruptionReport => rule("APPEAL_REDIRECT"),
        Kind::InfoRequest => rule("INFOREQ_REDIRECT"),
        Kind::MediaRequest => None,
    }
}

/// The portal's terms: each rule's legal default, unless the setting `appeal_terms` overrides
/// its length, its unit (calendar or working days) or where an end on a day off goes —
/// `RULE_ID=N [calendar|working] [preceding|following]`, comma-separated, for example
/// `APPEAL_ANSWER=30 calendar following, MEDIA_ANSWER=7`.
#[derive(Clone, Debug, PartialEq)]
pub struct Terms {
    policy: DayOffPolicy,
    overrides: Vec<(&'static str, Term)>,
}

impl Terms {
    /// Reads the setting; `day_off` is the portal's default policy (`deadline_day_off`).
    pub fn new(setting: &str, day_off: &str) -> Result<Terms, String> {
        let default = policy(day_off);
        let mut overrides = Vec::new();
        for item in setting.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (id, spec) = item.split_once('=').ok_or(format!("appeal_terms: «{item}» — нужно ПРАВИЛО=ДНИ"))?;
            let r = rule(id.trim()).ok_or(format!(
                "appeal_terms: правила {} нет; есть {}",
                id.trim(),
                RULES.iter().map(|r| r.id).collect::<Vec<_>>().join(", ")
            ))?;
            let mut words = spec.split_whitespace();
            let days: u32 = words
                .next()
                .and_then(|d| d.parse().ok())
                .filter(|d| (1..=365).contains(d))
                .ok_or(format!("appeal_terms: у {id} срок — число дней от 1 до 365"))?;
            let (mut working, mut on_day_off) = (false, default);
            for w in words {
                match w {
                    "calendar" => working = false,
                    "working" => working = true,
                    "preceding" => on_day_off = DayOffPolicy::Preceding,
                    "following" => on_day_off = DayOffPolicy::Following,
                    other => {
                        return Err(format!(
                            "appeal_terms: «{other}» — ожидается calendar, working, preceding или following"
                        ));
                    }
                }
            }
            let term = if working { Term::working_days(days) } else { Term::calendar_days(days, on_day_off) };
            overrides.push((r.id, term));
        }
        Ok(Terms { policy: default, overrides })
    }

    /// The term a rule runs for on this portal.
    pub fn term(&self, rule: &Rule) -> Term {
        self.overrides
            .iter()
            .find(|(id, _)| *id == rule.id)
            .map(|(_, t)| *t)
            .unwrap_or(Term::calendar_days(rule.days, self.policy))
    }

    /// The due date of a rule counted from `from`, with its explanation.
    pub fn due(&self, cal: &Calendar, rule: &Rule, from: Date) -> Result<Computed, deadlines::arith::ArithError> {
        cal.add(from, &self.term(rule))
    }

    /// The length: the number of days and the key of their unit (`days_calendar`, `days_working`).
    pub fn length(&self, rule: &Rule) -> (u32, &'static str) {
        let t = self.term(rule);
        (t.amount, if t.unit == deadlines::Unit::WorkingDays { "days_working" } else { "days_calendar" })
    }
}

/// The policy a setting names: `preceding` (default) or `following`.
pub fn policy(setting: &str) -> DayOffPolicy {
    match setting {
        "following" => DayOffPolicy::Following,
        _ => DayOffPolicy::Preceding,
    }
}

#[cfg(test)]
mod tests {
    use super::{Rule, Terms, rule};
    use deadlines::{Calendar, Computed, Date};

    /// A rule's due date with the law's terms and the given policy for days off.
    fn due(cal: &Calendar, r: &Rule, from: Date, policy: &str) -> Result<Computed, deadlines::arith::ArithError> {
        Terms::new("", policy).expect("no overrides").due(cal, r, from)
    }

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    /// Every rule, around the New Year holidays, on a transferred working day and before other
    /// holidays, under both policies. Expected dates read by hand from the production calendars
    /// in crates/deadlines/data/xmlcalendar (2024–2027).
    #[test]
    fn every_rule_over_holidays_and_transferred_days() {
        let cal = Calendar::federal();
        let cases = [
            // Registered on 28.12.2024, a working Saturday; +7 is 04.01.2025, a holiday. Before it,
            // 31.12 and 30.12 were days off (transfers) and 29.12 a Sunday: back to the 28th itself.
            ("INFOREQ_REDIRECT", "2024-12-28", "2024-12-28", "2025-01-09"),
            // +30 from 12.12.2025 is Sunday 11.01.2026, the last day of the holidays; 31.12.2025 was off.
            ("APPEAL_ANSWER", "2025-12-12", "2025-12-30", "2026-01-12"),
            ("APPEAL_REGISTER", "2025-12-29", "2025-12-30", "2026-01-12"),
            ("INFOREQ_ANSWER", "2026-03-02", "2026-04-01", "2026-04-01"),
            // 08.05.2026 is a shortened working day, still a working day.
            ("INFOREQ_DEFER", "2026-04-23", "2026-05-08", "2026-05-08"),
            // 31.12.2026 is off (moved from 03.01); 2027 holidays run to Sunday 10.01.
            ("APPEAL_EXTEND", "2026-12-01", "2026-12-30", "2027-01-11"),
            ("APPEAL_REDIRECT", "2026-02-16", "2026-02-20", "2026-02-24"),
            // Received on a Sunday; 04.11 is a holiday, 03.11 a shortened working day.
            ("INFOREQ_REGISTER", "2026-11-01", "2026-11-03", "2026-11-05"),
            // +7 from 02.03.2026 is 09.03, the day off moved from Sunday 8 March.
            ("MEDIA_ANSWER", "2026-03-02", "2026-03-06", "2026-03-10"),
            // +3 is Victory Day, a Saturday; 08.05 is a shortened working day, 11.05 a moved day off.
            ("MEDIA_REFUSE_OR_DEFER_NOTICE", "2026-05-06", "2026-05-08", "2026-05-12"),
        ];
        for (id, from, preceding, following) in cases {
            let r = rule(id).expect("rule");
            let p = due(&cal, r, d(from), "preceding").expect("due");
            let f = due(&cal, r, d(from), "following").expect("due");
            assert_eq!(
                (p.date.to_string(), f.date.to_string()),
                (preceding.into(), following.into()),
                "{id} from {from}"
            );
            assert!(!p.explain_ru().is_empty());
        }
        assert!(super::RULES.iter().all(|r| cases_cover(r.id, &cases)), "every rule has a case");
    }

    /// The answer term of every kind of submission sent just before the New Year holidays and on
    /// a transferred working day (Saturday 28.12.2024), under both policies; read by hand from
    /// the production calendars, as above.
    #[test]
    fn terms_are_settings_with_the_legal_default() {
        use super::{Kind, Terms, answer_rule};
        let cal = Calendar::federal();
        let legal = Terms::new("", "preceding").expect("empty");
        let r = answer_rule(Kind::Appeal);
        assert_eq!(legal.due(&cal, r, d("2026-03-02")).expect("due").date.to_string(), "2026-04-01");
        let set = Terms::new("APPEAL_ANSWER=20 working, MEDIA_ANSWER=10 following", "preceding").expect("valid");
        assert_eq!(set.due(&cal, r, d("2026-03-02")).expect("due").date.to_string(), "2026-03-31");
        assert_eq!(set.length(r), (20, "days_working"));
        // 02.03 + 10 is Thursday 12.03: a working day either way; the other rules keep the law's.
        assert_eq!(
            set.due(&cal, answer_rule(Kind::MediaRequest), d("2026-03-02")).expect("due").date.to_string(),
            "2026-03-12"
        );
        assert_eq!(set.length(answer_rule(Kind::InfoRequest)), (30, "days_calendar"));
        for bad in ["APPEAL_ANSWER", "NO_SUCH=3", "APPEAL_ANSWER=0", "APPEAL_ANSWER=30 weeks"] {
            assert!(Terms::new(bad, "preceding").is_err(), "{bad}");
        }
    }

    #[test]
    fn every_kind_is_answered_in_its_term_over_the_new_year_and_from_a_transferred_day() {
        use super::{Kind, answer_rule};
        let cal = Calendar::federal();
        let thirty = [("2025-12-12", "2025-12-30", "2026-01-12"), ("2024-12-28", "2025-01-27", "2025-01-27")];
        let seven = [("2025-12-26", "2025-12-30", "2026-01-12"), ("2024-12-28", "2024-12-28", "2025-01-09")];
        for kind in Kind::ALL {
            let cases = if kind == Kind::MediaRequest { seven } else { thirty };
            for (from, preceding, following) in cases {
                let r = answer_rule(kind);
                let p = due(&cal, r, d(from), "preceding").expect("due").date.to_string();
                let f = due(&cal, r, d(from), "following").expect("due").date.to_string();
                assert_eq!((p.as_str(), f.as_str()), (preceding, following), "{kind:?} from {from}");
            }
        }
        assert_eq!(answer_rule(Kind::Complaint).source, "59-ФЗ, ст. 12 ч. 1", "a complaint is an appeal");
        assert_eq!(answer_rule(Kind::CorruptionReport).id, "APPEAL_ANSWER");
    }

    fn cases_cover(id: &str, cases: &[(&str, &str, &str, &str)]) -> bool {
        cases.iter().any(|c| c.0 == id)
    }
}
