//! What one page view is, told from the request alone, and a node's counts of them.
//!
//! Nothing that names a person is kept: not the address, not the browser's full name, no
//! cookie. A view is counted against its page (the path, without the query), its section and
//! body (both read from the path), whether it began a visit (no link from this portal led to it)
//! and whether a robot made it (its browser's name says so, or it gave none). Of the page that
//! linked to it only the site's host name is kept, and only when it is another site.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use jiff::civil::Date;

/// Where a page is: its body (by slug; None for the portal's own pages) and its section, the
/// first part of the path after the body (`""` for a home page).
#[derive(Debug, PartialEq, Eq)]
pub struct Place<'a> {
    pub body: Option<&'a str>,
    pub section: &'a str,
}

/// Paths longer than this are not counted (no page of the portal has one).
const LONGEST_PATH: usize = 300;

/// Folders that are not pages for citizens: staff pages, files of the design, the APIs.
const NOT_PAGES: &[&str] = &["staff", "static", "api", "metrics", "healthz"];

/// The place of a page, or None when the path is not one worth counting.
pub fn place(path: &str) -> Option<Place<'_>> {
    if path.len() > LONGEST_PATH || !path.starts_with('/') {
        return None;
    }
    let rest = &path[1..];
    let first = rest.split('/').next().unwrap_or_default();
    if NOT_PAGES.contains(&first) {
        return None;
    }
    if first == "o"
        && let Some(tail) = rest.strip_prefix("o/")
        && let Some((slug, inner)) = tail.split_once('/')
        && !slug.is_empty()
    {
        return Some(Place { body: Some(slug), section: inner.split('/').next().unwrap_or_default() });
    }
    Some(Place { body: None, section: first })
}

/// Words in a browser's name that only programs use: search engines' robots, link checkers,
/// command-line clients and libraries, headless browsers, load generators.
const ROBOT_MARKS: &[&str] = &[
    "bot",
    "crawl",
    "spider",
    "slurp",
    "curl/",
    "wget",
    "python",
    "go-http-client",
    "java/",
    "okhttp",
    "httpclient",
    "headless",
    "lighthouse",
    "scrapy",
    "feedfetcher",
    "libwww",
    "axios",
    "node-fetch",
    "monitor",
    "wrk",
];

/// The marks, found in one pass whatever their case.
static ROBOTS: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> = std::sync::LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(ROBOT_MARKS).ok()
});

/// Verdicts this thread gave on browser names, by a 64-bit hash of the name (odd, so an empty
/// slot never matches): the same few names come again and again, and hashing one costs less than
/// looking for the marks in it.
const VERDICTS: usize = 256;

thread_local! {
    static VERDICT: std::cell::RefCell<[(u64, bool); VERDICTS]> = const { std::cell::RefCell::new([(0, false); VERDICTS]) };
}

/// The hash of the names, seeded at random once per process.
static NAME_HASH: std::sync::LazyLock<foldhash::fast::RandomState> = std::sync::LazyLock::new(Default::default);

/// Whether the browser's name (`User-Agent`) is a robot's; no name at all is a robot's too.
pub fn is_robot(user_agent: Option<&str>) -> bool {
    use std::hash::BuildHasher;
    let Some(ua) = user_agent.map(str::trim).filter(|u| !u.is_empty()) else { return true };
    let hash = NAME_HASH.hash_one(ua) | 1;
    let slot = (hash >> 1) as usize % VERDICTS;
    if let Some(verdict) = VERDICT.with(|v| v.try_borrow().ok().and_then(|v| (v[slot].0 == hash).then_some(v[slot].1)))
    {
        return verdict;
    }
    let verdict = has_robot_mark(ua);
    VERDICT.with(|v| {
        if let Ok(mut v) = v.try_borrow_mut() {
            v[slot] = (hash, verdict);
        }
    });
    verdict
}

fn has_robot_mark(ua: &str) -> bool {
    match ROBOTS.as_ref() {
        Some(marks) => marks.is_match(ua),
        None => {
            let ua = ua.to_ascii_lowercase();
            ROBOT_MARKS.iter().any(|m| ua.contains(m))
        }
    }
}

/// The page that linked here (`Referer`), as counted.
#[derive(Debug, PartialEq, Eq)]
pub enum Link<'a> {
    /// A page of this portal: the view goes on a visit.
    Own,
    /// Another site: its host as written (counted by [`host_key`]).
    Other(&'a str),
    /// None, or none that can be read: the view begins a visit.
    Unknown,
}

/// What linked here, told against this portal's host (`own`: the request's `Host`). Read by
/// hand, not by a URL parser: it runs on every view.
pub fn link<'a>(referer: Option<&'a str>, own: Option<&str>) -> Link<'a> {
    let Some(rest) = referer.and_then(|r| r.strip_prefix("https://").or_else(|| r.strip_prefix("http://"))) else {
        return Link::Unknown;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = without_port(host_port);
    if host.is_empty() || host.len() > 100 || !host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b))
    {
        return Link::Unknown;
    }
    if own.is_some_and(|o| without_port(o).eq_ignore_ascii_case(host)) {
        return Link::Own;
    }
    Link::Other(host)
}

/// A referring host as counted: lower case, without `www.` (copied only when written otherwise).
pub fn host_key(host: &str) -> std::borrow::Cow<'_, str> {
    let host: std::borrow::Cow<'_, str> =
        if host.bytes().any(|b| b.is_ascii_uppercase()) { host.to_ascii_lowercase().into() } else { host.into() };
    match host {
        std::borrow::Cow::Borrowed(h) => h.strip_prefix("www.").unwrap_or(h).into(),
        std::borrow::Cow::Owned(h) => h.strip_prefix("www.").map(str::to_string).unwrap_or(h).into(),
    }
}

/// A host without its port (`[::1]:8080` → `[::1]`).
fn without_port(h: &str) -> &str {
    match h.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !host.is_empty() => host,
        _ => h,
    }
}

/// What a page was seen: by people, how many of those began a visit, and by robots.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub views: i64,
    pub entries: i64,
    pub robots: i64,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.views += other.views;
        self.entries += other.entries;
        self.robots += other.robots;
    }
}

/// One view as counted.
pub struct View<'a> {
    pub day: Date,
    pub path: &'a str,
    pub robot: bool,
    /// Whether no page of this portal led to it.
    pub entry: bool,
    /// Another site that linked to it, its host as written (counted for people only).
    pub from: Option<&'a str>,
}

/// A map hashed fast (foldhash): its keys are the portal's own paths and hosts, counted at every
/// view; a flood of chosen keys is bounded by `MOST_KEPT` whatever they collide with.
pub type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
/// Day → path → tally.
pub type Pages = Map<Date, Map<String, Tally>>;
/// Day → body slug ("" for the portal's own pages) → host → views.
pub type Referrers = Map<Date, Map<String, Map<String, i64>>>;

/// Distinct pages (and referrers) counted between two flushes at most: a flood of distinct
/// addresses (or a database that cannot take the counts) does not grow a node's memory without
/// end; pages already counted go on being counted.
const MOST_KEPT: usize = 50_000;

/// The counts are kept in shards, each thread counting into its own (given it at its first
/// view), so the server's threads do not wait on one another's lock.
const SHARDS: usize = 8;

static NEXT_SHARD: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static SHARD: usize = NEXT_SHARD.fetch_add(1, Ordering::Relaxed) % SHARDS;
}

#[derive(Default)]
struct Shard {
    pages: Pages,
    referrers: Referrers,
    /// The day last counted: from and to which instant (ms) it lasts in the portal's zone.
    day: Option<(i64, i64, Date)>,
}

/// This node's counts since they were last written.
#[derive(Default)]
pub struct Counter {
    shards: [Mutex<Shard>; SHARDS],
    /// Distinct pages and referrers kept in all shards together.
    kept: AtomicUsize,
}

impl Counter {
    fn shard(&self) -> &Mutex<Shard> {
        &self.shards[SHARD.with(|s| *s)]
    }

    /// Whether one more distinct page or referrer may be kept (and if so, it is counted as kept).
    fn keep_one(&self) -> bool {
        self.kept.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| (n < MOST_KEPT).then_some(n + 1)).is_ok()
    }

    /// The day of the instant `now` (ms) in the zone `tz`; the day's bounds are kept, so the
    /// zone's rules are read once a day, not at every view.
    pub fn day_of(&self, now: i64, tz: &jiff::tz::TimeZone) -> Option<Date> {
        if let Ok(shard) = self.shard().lock()
            && let Some((from, to, day)) = shard.day
            && (from..to).contains(&now)
        {
            return Some(day);
        }
        let zoned = jiff::Timestamp::from_millisecond(now).ok()?.to_zoned(tz.clone());
        let day = zoned.date();
        let from = zoned.start_of_day().ok()?.timestamp().as_millisecond();
        let to = day.tomorrow().ok()?.to_zoned(tz.clone()).ok()?.start_of_day().ok()?.timestamp().as_millisecond();
        if let Ok(mut shard) = self.shard().lock() {
            shard.day = Some((from, to, day));
        }
        Some(day)
    }

    pub fn count(&self, view: View<'_>) {
        let tally = if view.robot {
            Tally { robots: 1, ..Tally::default() }
        } else {
            Tally { views: 1, entries: i64::from(view.entry), ..Tally::default() }
        };
        let Ok(mut shard) = self.shard().lock() else { return };
        let day = shard.pages.entry(view.day).or_default();
        if let Some(t) = day.get_mut(view.path) {
            t.add(tally);
        } else if self.keep_one() {
            day.insert(view.path.to_string(), tally);
        }
        if let Some(host) = view.from.filter(|_| !view.robot).map(host_key) {
            let body = place(view.path).and_then(|p| p.body).unwrap_or_default();
            let day = shard.referrers.entry(view.day).or_default();
            let hosts = match day.get_mut(body) {
                Some(h) => h,
                None => day.entry(body.to_string()).or_default(),
            };
            if let Some(n) = hosts.get_mut(&*host) {
                *n += 1;
            } else if self.keep_one() {
                hosts.insert(host.into_owned(), 1);
            }
        }
    }

    /// Everything counted so far; the counter starts again from nothing.
    pub fn take(&self) -> (Pages, Referrers) {
        let (mut pages, mut referrers) = (Pages::default(), Referrers::default());
        for shard in &self.shards {
            let Ok(mut shard) = shard.lock() else { continue };
            add_pages(&mut pages, std::mem::take(&mut shard.pages));
            add_referrers(&mut referrers, std::mem::take(&mut shard.referrers));
        }
        self.kept.store(0, Ordering::Relaxed);
        (pages, referrers)
    }

    /// Counts taken that could not be written, back for the next time.
    pub fn give_back(&self, pages: Pages, referrers: Referrers) {
        let more = pages.values().map(Map::len).sum::<usize>()
            + referrers.values().flat_map(Map::values).map(Map::len).sum::<usize>();
        self.kept.fetch_add(more, Ordering::Relaxed);
        if let Ok(mut shard) = self.shard().lock() {
            add_pages(&mut shard.pages, pages);
            add_referrers(&mut shard.referrers, referrers);
        }
    }
}

fn add_pages(into: &mut Pages, from: Pages) {
    for (day, paths) in from {
        let d = into.entry(day).or_default();
        for (path, t) in paths {
            d.entry(path).or_default().add(t);
        }
    }
}

fn add_referrers(into: &mut Referrers, from: Referrers) {
    for (day, bodies) in from {
        for (body, hosts) in bodies {
            let m = into.entry(day).or_default().entry(body).or_default();
            for (host, n) in hosts {
                *m.entry(host).or_default() += n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_place_of_a_page_is_read_from_its_path() {
        assert_eq!(place("/"), Some(Place { body: None, section: "" }));
        assert_eq!(place("/opendata/x/"), Some(Place { body: None, section: "opendata" }));
        assert_eq!(place("/o/finance/"), Some(Place { body: Some("finance"), section: "" }));
        assert_eq!(place("/o/finance/news/12"), Some(Place { body: Some("finance"), section: "news" }));
        assert_eq!(place("/o/"), Some(Place { body: None, section: "o" }));
        assert_eq!(place("/staff/o/finance/site/"), None);
        assert_eq!(place("/static/site.css"), None);
        assert_eq!(place("/api/3/action/package_list"), None);
        assert_eq!(place(&format!("/{}", "a".repeat(400))), None);
    }

    #[test]
    fn robots_are_told_from_people_by_their_browser_name() {
        let people = [
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Version/17.1 Mobile Safari/604.1",
            "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
        ];
        // Twice each: the second verdict comes from the thread's memory of names seen.
        for ua in people.iter().chain(people.iter()) {
            assert!(!is_robot(Some(ua)), "{ua}");
        }
        let robots = [
            "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "curl/8.5.0",
            "python-requests/2.31",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36",
            "",
        ];
        for ua in robots.iter().chain(robots.iter()) {
            assert!(is_robot(Some(ua)), "{ua}");
        }
        assert!(is_robot(None));
    }

    #[test]
    fn only_another_sites_host_is_kept_of_a_referrer() {
        let other = Link::Other;
        assert_eq!(
            link(Some("https://www.Yandex.ru/search/?text=приём+граждан"), Some("gov.example")),
            other("www.Yandex.ru")
        );
        assert_eq!(host_key("www.Yandex.ru"), "yandex.ru");
        assert_eq!(host_key("vk.com"), "vk.com");
        assert!(matches!(host_key("vk.com"), std::borrow::Cow::Borrowed(_)), "no copy when already as counted");
        assert_eq!(link(Some("http://gov.example:8080/o/finance/"), Some("gov.example:8080")), Link::Own);
        assert_eq!(link(Some("http://127.0.0.1:8080/"), Some("127.0.0.1:8080")), Link::Own);
        assert_eq!(link(Some("android-app://org.telegram.messenger/"), None), Link::Unknown);
        assert_eq!(link(Some("not a url"), None), Link::Unknown);
        assert_eq!(link(None, None), Link::Unknown);
        assert_eq!(link(Some("https://user@evil.example:8443/x"), Some("gov.example")), other("evil.example"));
        assert_eq!(link(Some("https://a b/"), None), Link::Unknown);
        assert_eq!(link(Some("https://vk.com/wall-1_2"), Some("gov.example")), other("vk.com"));
    }

    fn day() -> Date {
        jiff::civil::date(2026, 12, 7)
    }

    #[test]
    fn the_day_is_the_portals_and_changes_at_its_midnight() {
        let c = Counter::default();
        let tomsk = jiff::tz::TimeZone::get("Asia/Tomsk").expect("zone");
        // 2026-12-07 16:59:59 UTC is 23:59:59 in Tomsk (UTC+7); a second later it is the 8th.
        let before = jiff::civil::date(2026, 12, 7).at(16, 59, 59, 0).to_zoned(jiff::tz::TimeZone::UTC).expect("utc");
        let ms = before.timestamp().as_millisecond();
        assert_eq!(c.day_of(ms, &tomsk), Some(day()));
        assert_eq!(c.day_of(ms - 3_600_000, &tomsk), Some(day()), "kept");
        assert_eq!(c.day_of(ms + 1000, &tomsk), Some(jiff::civil::date(2026, 12, 8)));
        assert_eq!(c.day_of(ms, &tomsk), Some(day()), "an earlier instant is not the kept day");
    }

    #[test]
    fn views_entries_robots_and_referrers_are_counted_apart() {
        let c = Counter::default();
        let view = |path, robot, entry, from: Option<&'static str>| View { day: day(), path, robot, entry, from };
        c.count(view("/o/finance/news/1", false, true, Some("yandex.ru")));
        c.count(view("/o/finance/news/1", false, false, None));
        c.count(view("/o/finance/news/1", true, true, Some("yandex.ru")));
        c.count(view("/", false, true, Some("vk.com")));
        let (pages, referrers) = c.take();
        assert_eq!(pages[&day()]["/o/finance/news/1"], Tally { views: 2, entries: 1, robots: 1 });
        assert_eq!(pages[&day()]["/"], Tally { views: 1, entries: 1, robots: 0 });
        assert_eq!(referrers[&day()]["finance"]["yandex.ru"], 1);
        assert_eq!(referrers[&day()][""]["vk.com"], 1);
        assert_eq!(referrers[&day()].values().map(Map::len).sum::<usize>(), 2);
        // Taken counts are gone; given back, they are added to what came since.
        c.count(view("/", false, false, None));
        c.give_back(pages, referrers);
        let (pages, _) = c.take();
        assert_eq!(pages[&day()]["/"], Tally { views: 2, entries: 1, robots: 0 });
    }

    #[test]
    fn counts_from_many_threads_add_up() {
        let c = std::sync::Arc::new(Counter::default());
        let threads: Vec<_> = (0..6)
            .map(|_| {
                let c = c.clone();
                std::thread::spawn(move || {
                    for _ in 0..1000 {
                        c.count(View { day: day(), path: "/", robot: false, entry: true, from: Some("vk.com") });
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        let (pages, referrers) = c.take();
        assert_eq!(pages[&day()]["/"], Tally { views: 6000, entries: 6000, robots: 0 });
        assert_eq!(referrers[&day()][""]["vk.com"], 6000);
        assert!(c.take().0.is_empty(), "taken once");
    }

    #[test]
    fn a_flood_of_distinct_addresses_is_not_kept_past_the_bound() {
        let c = Counter::default();
        for i in 0..MOST_KEPT + 10 {
            c.count(View { day: day(), path: &format!("/p{i}"), robot: false, entry: true, from: None });
        }
        // A page already counted goes on being counted.
        c.count(View { day: day(), path: "/p0", robot: false, entry: true, from: None });
        let (pages, _) = c.take();
        assert_eq!(pages[&day()].len(), MOST_KEPT);
        assert_eq!(pages[&day()]["/p0"].views, 2);
        c.count(View { day: day(), path: "/new", robot: false, entry: true, from: None });
        assert_eq!(c.take().0[&day()].len(), 1);
    }
}
