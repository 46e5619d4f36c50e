//! The page frame every HTML page shares: language, the accessibility mode, the portal's
//! name and contacts, breadcrumbs, the signed-in staff member and the CSRF token for forms.

use kernel::bodies::Portal;
use kernel::staff::StaffUser;

use std::sync::Arc;

use crate::i18n::{Lang, Strings};
use crate::state::AppState;

/// Settings of the version for the visually impaired (GOST R 52872): font size step,
/// colour scheme, images shown or hidden. Kept in a cookie, so they follow the visitor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct A11y {
    pub size: u8,
    pub scheme: &'static str,
    pub images: bool,
}

impl A11y {
    pub const SCHEMES: [&'static str; 3] = ["bw", "wb", "blue"];

    pub fn default_on() -> A11y {
        A11y { size: 2, scheme: "bw", images: false }
    }

    /// Cookie form: `2-bw-0`.
    pub fn encode(&self) -> String {
        format!("{}-{}-{}", self.size, self.scheme, u8::from(self.images))
    }

    pub fn decode(s: &str) -> Option<A11y> {
        let mut it = s.split('-');
        let size: u8 = it.next()?.parse().ok().filter(|n| (1..=3).contains(n))?;
        let scheme = it.next()?;
        let scheme = A11y::SCHEMES.into_iter().find(|x| *x == scheme)?;
        let images = it.next()? == "1";
        Some(A11y { size, scheme, images })
    }

    pub fn body_class(&self) -> String {
        format!("a11y size-{} scheme-{}{}", self.size, self.scheme, if self.images { "" } else { " noimg" })
    }
}

/// What the middleware learned about the visitor; handlers build a `Chrome` from it.
#[derive(Clone, Debug)]
pub struct Visitor {
    pub lang: Lang,
    pub a11y: Option<A11y>,
    pub csrf: String,
    /// Path and query of this request, for "back" links of the preference switches.
    pub path: String,
    pub staff: Option<StaffUser>,
    pub strings: Arc<Strings>,
}

impl Visitor {
    /// An interface string in the visitor's language.
    pub fn t(&self, key: &str) -> &'static str {
        self.strings.t(self.lang, key)
    }

    /// The visitor's word for a code of a kind (a status, a decision): the string `kind.code`.
    pub fn label(&self, kind: &str, code: &str) -> &'static str {
        self.strings.label(self.lang, kind, code)
    }
}

/// The address of the portal's search, whose box the header carries when a mechanism offers it.
const SEARCH: &str = "/search";

pub struct Chrome {
    pub lang: Lang,
    pub a11y: Option<A11y>,
    pub csrf: String,
    pub path: String,
    pub staff: Option<StaffUser>,
    pub portal: Arc<Portal>,
    pub title: String,
    pub crumbs: Vec<(String, String)>,
    pub alternate_json: Option<String>,
    /// The address of the page's Atom feed (and, beside it, `feed.rss`), if it has one.
    pub feed: Option<String>,
    pub notice: Option<&'static str>,
    pub timezone: jiff::tz::TimeZone,
    /// The header's menu: each mechanism's portal-wide services marked for it (name key, address).
    pub menu: Vec<(&'static str, &'static str)>,
    /// Whether the header carries the portal's search box (the portal has search, and this is a
    /// public page other than the search page, which has its own).
    pub search_box: bool,
    strings: Arc<Strings>,
}

impl Chrome {
    pub async fn new(state: &AppState, v: &Visitor, title: impl Into<String>) -> Chrome {
        let portal = match state.directory().await {
            Ok(d) => d.shown.clone(),
            Err(e) => {
                tracing::error!(error = ?e, "cannot read the portal");
                Arc::new(crate::directory::placeholder_portal())
            }
        };
        // After a change the staff pages redirect with `?done=…`; the page then says so.
        let notice = v.path.split_once('?').and_then(|(_, q)| {
            url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "done").and_then(|(_, d)| match d.as_ref() {
                "saved" => Some("saved"),
                "created" => Some("created"),
                "deleted" => Some("deleted"),
                _ => None,
            })
        });
        let services = crate::mechanism::services(state.mechanisms, &state.cfg);
        let search_box = services.iter().any(|s| s.portal == Some(SEARCH))
            && !v.path.starts_with(SEARCH)
            && !v.path.starts_with("/staff");
        let menu: Vec<(&'static str, &'static str)> =
            services.into_iter().filter(|s| s.menu).filter_map(|s| s.portal.map(|p| (s.name, p))).collect();
        Chrome {
            lang: v.lang,
            a11y: v.a11y.clone(),
            csrf: v.csrf.clone(),
            path: v.path.clone(),
            staff: v.staff.clone(),
            portal,
            title: title.into(),
            crumbs: Vec::new(),
            alternate_json: None,
            feed: None,
            notice,
            timezone: state.timezone.clone(),
            menu,
            search_box,
            strings: v.strings.clone(),
        }
    }

    pub fn crumb(mut self, label: impl Into<String>, href: impl Into<String>) -> Chrome {
        self.crumbs.push((label.into(), href.into()));
        self
    }

    pub fn t(&self, key: &str) -> &'static str {
        self.strings.t(self.lang, key)
    }

    /// The visitor's word for a code of a kind (a status, a decision): the string `kind.code`.
    pub fn label(&self, kind: &str, code: &str) -> &'static str {
        self.strings.label(self.lang, kind, code)
    }

    /// A text the domain gives in both languages, in the visitor's.
    pub fn pick<T>(&self, ru: T, en: T) -> T {
        self.lang.pick(ru, en)
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// The page's summary for search engines: its title on the portal, then what the portal is for.
    pub fn description(&self) -> String {
        if self.title.is_empty() || self.title == self.portal.name {
            format!("{}. {}", self.portal.name, self.t("home_lead"))
        } else {
            format!("{} — {}. {}", self.title, self.portal.name, self.t("home_lead"))
        }
    }

    pub fn body_class(&self) -> String {
        self.a11y.as_ref().map(A11y::body_class).unwrap_or_default()
    }

    /// A link to `/prefs` that sets one preference and comes back to this page.
    pub fn pref(&self, key: &str, value: &str) -> String {
        let back: String = url::form_urlencoded::byte_serialize(self.path.as_bytes()).collect();
        format!("/prefs?{key}={value}&back={back}")
    }

    pub fn other_lang(&self) -> &'static str {
        match self.lang {
            Lang::Ru => "en",
            Lang::En => "ru",
        }
    }

    pub fn other_lang_code(&self) -> &'static str {
        self.other_lang()
    }

    /// A moment as the portal's people read it: `22.11.2026 14:05`.
    pub fn datetime(&self, ms: &i64) -> String {
        match jiff::Timestamp::from_millisecond(*ms) {
            Ok(ts) => ts.to_zoned(self.timezone.clone()).strftime("%d.%m.%Y %H:%M").to_string(),
            Err(_) => String::new(),
        }
    }

    /// The same moment in ISO 8601, for `<time datetime>`.
    pub fn iso(&self, ms: &i64) -> String {
        match jiff::Timestamp::from_millisecond(*ms) {
            Ok(ts) => ts.to_zoned(self.timezone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            Err(_) => String::new(),
        }
    }

    /// A day written `2026-03-12` as the reader reads it: `12.03.2026` in Russian,
    /// `12 Mar 2026` in English; any other text as it is.
    pub fn day(&self, iso: &str) -> String {
        day(self.lang, iso)
    }

    /// Where a term stands today, for a badge: its code (`ok`, `soon` — within `soon_days`,
    /// `overdue`) and the words ("осталось 5 дней", "просрочено на 36 дней", "срок — сегодня").
    pub fn term(&self, due: &str, today: &str, soon_days: i64) -> (&'static str, String) {
        term(self.lang, due, today, soon_days)
    }

    pub fn role_label(&self, role: &kernel::staff::Role) -> &'static str {
        match self.lang {
            Lang::Ru => role.label_ru(),
            Lang::En => role.label_en(),
        }
    }
}

/// See [`Chrome::day`].
pub fn day(lang: Lang, iso: &str) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    match iso.parse::<jiff::civil::Date>() {
        Ok(d) => match lang {
            Lang::Ru => d.strftime("%d.%m.%Y").to_string(),
            Lang::En => format!("{} {} {}", d.day(), MONTHS[(d.month() - 1) as usize], d.year()),
        },
        Err(_) => iso.to_string(),
    }
}

/// The Russian word for a count of days: 1 день, 2 дня, 5 дней, 11 дней, 21 день.
pub fn days_ru(n: i64) -> &'static str {
    let n = n.abs();
    match (n % 10, n % 100) {
        (_, 11..=14) => "дней",
        (1, _) => "день",
        (2..=4, _) => "дня",
        _ => "дней",
    }
}

/// See [`Chrome::term`].
pub fn term(lang: Lang, due: &str, today: &str, soon_days: i64) -> (&'static str, String) {
    let (Ok(due), Ok(today)) = (due.parse::<jiff::civil::Date>(), today.parse::<jiff::civil::Date>()) else {
        return ("ok", String::new());
    };
    let left = (due - today).get_days() as i64;
    let code = if left < 0 {
        "overdue"
    } else if left <= soon_days {
        "soon"
    } else {
        "ok"
    };
    let words = match (lang, left) {
        (Lang::Ru, 0) => "срок — сегодня".to_string(),
        (Lang::Ru, n) if n < 0 => format!("просрочено на {} {}", -n, days_ru(n)),
        (Lang::Ru, n) => format!("осталось {n} {}", days_ru(n)),
        (Lang::En, 0) => "due today".to_string(),
        (Lang::En, -1) => "1 day overdue".to_string(),
        (Lang::En, n) if n < 0 => format!("{} days overdue", -n),
        (Lang::En, 1) => "1 day left".to_string(),
        (Lang::En, n) => format!("{n} days left"),
    };
    (code, words)
}

#[cfg(test)]
mod tests {
    use super::A11y;
    use crate::i18n::Lang;

    #[test]
    fn days_are_written_as_readers_read_them() {
        assert_eq!(super::day(Lang::Ru, "2026-03-12"), "12.03.2026");
        assert_eq!(super::day(Lang::En, "2026-03-12"), "12 Mar 2026");
        assert_eq!(super::day(Lang::Ru, "постоянно"), "постоянно");
    }

    #[test]
    fn a_term_says_how_it_stands_with_the_right_russian_plural() {
        assert_eq!(super::term(Lang::Ru, "2026-03-12", "2026-03-12", 5), ("soon", "срок — сегодня".to_string()));
        assert_eq!(super::term(Lang::Ru, "2026-03-13", "2026-03-12", 5), ("soon", "осталось 1 день".to_string()));
        assert_eq!(super::term(Lang::Ru, "2026-03-16", "2026-03-12", 5), ("soon", "осталось 4 дня".to_string()));
        assert_eq!(super::term(Lang::Ru, "2026-03-31", "2026-03-12", 5), ("ok", "осталось 19 дней".to_string()));
        assert_eq!(
            super::term(Lang::Ru, "2026-02-04", "2026-03-12", 5),
            ("overdue", "просрочено на 36 дней".to_string())
        );
        assert_eq!(
            super::term(Lang::Ru, "2026-02-19", "2026-03-12", 5),
            ("overdue", "просрочено на 21 день".to_string())
        );
        assert_eq!(
            super::term(Lang::Ru, "2026-03-01", "2026-03-12", 5),
            ("overdue", "просрочено на 11 дней".to_string())
        );
        assert_eq!(super::term(Lang::En, "2026-03-11", "2026-03-12", 5), ("overdue", "1 day overdue".to_string()));
    }

    #[test]
    fn a11y_cookie_round_trip_and_rejects_garbage() {
        let a = A11y { size: 3, scheme: "wb", images: true };
        assert_eq!(A11y::decode(&a.encode()), Some(a));
        assert_eq!(A11y::decode("9-bw-0"), None);
        assert_eq!(A11y::decode("2-red-0"), None);
        assert_eq!(A11y::decode("<script>"), None);
    }
}
