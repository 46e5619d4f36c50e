//! The site's pages: a body's catalogue items for its editors, most urgent first, each with its
//! own page to record a publication or why it does not apply (`staff`); the portal admin's
//! catalogue, downloaded and loaded as CSV (`admin`); the public «Информация о деятельности»
//! page of a body (`public`).

pub mod admin;
pub mod public;
pub mod staff;
pub mod strings;

use std::collections::HashMap;

use deadlines::{Calendar, Date};
use kernel::staff::Role;
use shell::i18n::Lang;

use crate::catalogue::Item;
use crate::freshness::{self, Freshness};
use crate::store::Stored;

/// Who may record a body's publications and say an item does not apply.
pub const EDITORS: &[Role] = &[Role::Editor, Role::OpennessCoordinator, Role::PressSecretary];

/// One catalogue item as a body's pages show it.
#[derive(Clone)]
pub struct ItemView {
    pub item: Item,
    pub state: Freshness,
    /// A class for its style: fresh, due, late, missing, na.
    pub class: &'static str,
    pub text: String,
    /// Where the body published it last, if it said.
    pub url: String,
}

impl ItemView {
    pub fn published(&self) -> String {
        self.state.published_on().map(ru_date).unwrap_or_default()
    }

    /// The badge style of its state.
    pub fn badge(&self) -> &'static str {
        match self.class {
            "fresh" => "badge-ok",
            "due" => "badge-soon",
            "na" => "badge-done",
            _ => "badge-overdue",
        }
    }

    pub fn urgent(&self) -> bool {
        self.state.urgency() >= 3
    }
}

pub fn ru_date(d: Date) -> String {
    d.strftime("%d.%m.%Y").to_string()
}

/// The state in words, in the visitor's language, with its style class.
pub fn describe(lang: Lang, state: &Freshness) -> (&'static str, String) {
    let ru = lang == Lang::Ru;
    match state {
        Freshness::NotApplicable { reason } => (
            "na",
            if ru {
                format!("не относится к органу: {reason}")
            } else {
                format!("does not apply: {reason}")
            },
        ),
        Freshness::Missing => ("missing", if ru { "не размещено".into() } else { "not published".into() }),
        Freshness::Fresh { published_on } => (
            "fresh",
            if ru {
                format!("актуально, размещено {}", ru_date(*published_on))
            } else {
                format!("up to date, published {}", ru_date(*published_on))
            },
        ),
        Freshness::Due { due } => (
            "due",
            if ru {
                format!("обновить до {}", ru_date(*due))
            } else {
                format!("update by {}", ru_date(*due))
            },
        ),
        Freshness::Late { due, published_on: None, working_days, days } => (
            "late",
            if ru {
                format!("просрочено с {}: {working_days} раб. дн. ({days} дн.)", ru_date(*due))
            } else {
                format!("late since {}: {working_days} working days ({days} days)", ru_date(*due))
            },
        ),
        Freshness::Late { due, published_on: Some(p), working_days, .. } => (
            "late",
            if ru {
                format!("размещено {} с опозданием на {working_days} раб. дн. (срок — {})", ru_date(*p), ru_date(*due))
            } else {
                format!("published {} — {working_days} working days late (due {})", ru_date(*p), ru_date(*due))
            },
        ),
    }
}

/// The items that apply to a body of `kind`, each with its state from the body's records.
pub fn views(lang: Lang, items: &[Item], kind: &str, records: &[Stored], today: Date, cal: &Calendar) -> Vec<ItemView> {
    let mut by_code: HashMap<&str, Vec<&Stored>> = HashMap::new();
    for r in records {
        by_code.entry(r.code.as_str()).or_default().push(r);
    }
    items
        .iter()
        .filter(|i| i.applies(kind))
        .map(|i| {
            let mine = by_code.get(i.code.as_str()).cloned().unwrap_or_default();
            let recs: Vec<freshness::Record> = mine.iter().map(|r| r.record()).collect();
            let state = match i.schedule() {
                Some(s) => freshness::check(&s, &recs, today, cal),
                None => Freshness::Missing,
            };
            let (class, text) = describe(lang, &state);
            let url = mine.iter().rev().find(|r| r.action == "published").map(|r| r.url.clone()).unwrap_or_default();
            ItemView { item: i.clone(), state, class, text, url }
        })
        .collect()
}

/// Items grouped by section in the catalogue's order.
pub fn grouped(views: &[ItemView]) -> Vec<(String, Vec<ItemView>)> {
    let mut out: Vec<(String, Vec<ItemView>)> = Vec::new();
    for v in views {
        match out.iter_mut().find(|(s, _)| *s == v.item.section) {
            Some((_, list)) => list.push(v.clone()),
            None => out.push((v.item.section.clone(), vec![v.clone()])),
        }
    }
    out
}

/// The body kinds with their names, for a select.
pub fn kind_options(lang: Lang) -> Vec<(String, String)> {
    let names: [(&str, &str, &str); 3] = [
        ("executive", "исполнительный орган государственной власти", "executive body of state power"),
        ("local", "орган местного самоуправления", "body of local self-government"),
        ("subordinate", "подведомственная организация", "subordinate organisation"),
    ];
    names
        .iter()
        .map(|(k, ru, en)| (k.to_string(), if lang == Lang::Ru { ru.to_string() } else { en.to_string() }))
        .collect()
}
