//! The English interface is complete: a visitor and a portal administrator who chose English walk
//! every page they can reach (following links from the home page and the staff area, and every
//! staff route of the route tables) on a portal with a plan, a dataset and an appeal, and no
//! Cyrillic is shown outside what the body or a citizen wrote (the text held in the database and
//! the stored files).

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use kernel::staff::Role;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

/// Tables whose text is not content a body or citizen wrote: letters being sent (in the
/// recipient's language), sessions, counters. (The audit trail records what was written.)
const NOT_CONTENT: &[&str] = &["jobs", "sessions", "versions"];

/// Pages of one shape (digits stand for any number) walked at most this many times.
const PER_SHAPE: usize = 3;
/// The walk stops here whatever is left (a link that makes new pages without end is a defect too).
const MOST_PAGES: usize = 600;

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every text a person reads on the page: text between tags (not scripts or styles) and the
/// attributes that are read aloud or shown (title, aria-label, placeholder, alt). Not what a
/// form holds for editing (a textarea's text) nor what is marked as Russian (`lang="ru"`, the
/// language switch).
fn readable_texts(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut russian = false;
    while let Some(lt) = rest.find('<') {
        if !std::mem::take(&mut russian) {
            out.push(unescape(&rest[..lt]));
        }
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[..end];
        rest = &rest[end..];
        for name in ["title", "aria-label", "placeholder", "alt"] {
            if let Some(v) = attribute(tag, name) {
                out.push(unescape(v));
            }
        }
        russian = attribute(tag, "lang") == Some("ru");
        let lower = tag.to_ascii_lowercase();
        for raw in ["script", "style", "textarea"] {
            if lower.starts_with(&format!("<{raw}")) {
                let close = format!("</{raw}");
                rest = rest.find(&close).map_or("", |e| &rest[e..]);
            }
        }
    }
    out.push(unescape(rest));
    out.into_iter().map(|t| squash(&t)).filter(|t| t.chars().any(is_cyrillic)).collect()
}

/// The length of the tag at the start of `s`, quotes respected.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[at..].find('"')?;
    Some(&tag[at..at + len])
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&n| n < 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ if entity.starts_with("#x") => u32::from_str_radix(&entity[2..], 16).ok().and_then(char::from_u32),
            _ if entity.starts_with('#') => entity[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The runs of Cyrillic words in a text (the words between them may be English interface).
fn cyrillic_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for word in text.split(' ') {
        if word.chars().any(is_cyrillic) {
            run.push(word);
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run).join(" "));
        }
    }
    if !run.is_empty() {
        runs.push(run.join(" "));
    }
    runs.into_iter().map(|r| r.trim_matches(|c: char| !c.is_alphanumeric()).to_string()).collect()
}

/// What the body and citizens wrote: every text in the database but [`NOT_CONTENT`], and every
/// stored file, whitespace squashed.
async fn content(app: &TestApp) -> String {
    use sqlx::Row;
    let mut all = String::new();
    let schemas = shell::mechanism::schemas(glasnost::MECHANISMS);
    for table in kernel::db::with_kernel(&schemas).iter().flat_map(|s| s.tables.iter()) {
        if NOT_CONTENT.contains(table) {
            continue;
        }
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM {table}")))
            .fetch_all(&app.db.pool)
            .await
            .expect("rows");
        for row in rows {
            for i in 0..row.columns().len() {
                if let Ok(Some(text)) = row.try_get::<Option<String>, _>(i) {
                    all.push_str(&squash(&text));
                    all.push('\n');
                }
            }
        }
    }
    let storage = kernel::storage::Storage::open(&app.cfg.storage_url).expect("storage");
    for key in storage.keys().await.expect("keys") {
        let bytes = storage.get(&key).await.expect("file");
        all.push_str(&squash(&String::from_utf8_lossy(&bytes)));
        all.push('\n');
    }
    all
}

/// A portal with something on every page: an approved plan (seed 002) with a mark, a published
/// dataset, an appeal from a citizen; and a portal administrator signed in. Returns the appeal's
/// tracking page (linked from nowhere but the citizen's letter).
async fn a_portal_with_content(app: &TestApp) -> String {
    crate::roadmap_web::approve_seed_002_elsewhere(app).await;
    crate::opendata::published_dataset(app).await;
    let r = crate::appeals::send(app, &crate::appeals::appeal("social-protection", "Выплата на ребёнка"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the appeal is taken");
    let tracking = r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
    app.create_staff("admin@tomsk.example", Role::PortalAdmin, None).await;
    assert_eq!(app.login("admin@tomsk.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    tracking
}

/// The links of a page that stay on the portal and lead to pages (not to actions).
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("href=\"") {
        rest = &rest[at + 6..];
        let Some(end) = rest.find('"') else { break };
        let href = unescape(&rest[..end]);
        let href = href.split('#').next().unwrap_or_default().to_string();
        if href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/prefs") {
            out.push(href);
        }
    }
    out
}

/// A page's shape: the path with every number as `N`, without the query.
fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    let mut out = String::new();
    let mut digits = false;
    for c in path.chars() {
        if c.is_ascii_digit() {
            if !digits {
                out.push('N');
            }
            digits = true;
        } else {
            out.push(c);
            digits = false;
        }
    }
    out
}

async fn every_page_in_english_shows_no_russian_outside_content(app: TestApp) {
    let tracking = a_portal_with_content(&app).await;
    app.get("/prefs?lang=en&back=/").await;
    assert!(app.get("/").await.text().await.expect("home").contains("<html lang=\"en\""), "English is chosen");

    let roadmap: i64 = {
        use sqlx::Row;
        sqlx::query("SELECT id FROM roadmaps").fetch_one(&app.db.pool).await.expect("roadmap").get(0)
    };
    let mut queue: VecDeque<String> = ["/", "/staff/", "/appeals/new", "/staff/region"].map(String::from).into();
    queue.push_back(tracking);
    // Every staff page of the route tables, for the body with the plan.
    for r in web::staff::ROUTES.iter().chain(glasnost::MECHANISMS.iter().flat_map(|m| m.staff.iter())) {
        if r.method == axum::http::Method::GET && !r.path.contains("/reports/") && !r.path.ends_with("/diff") {
            let path = r.path.replace("{slug}", "social-protection").replace("{id}", &roadmap.to_string());
            if !path.contains('{') {
                queue.push_back(path);
            }
        }
    }
    let corpus = content(&app).await;
    let mut seen = HashSet::new();
    let mut shapes: HashMap<String, usize> = HashMap::new();
    let mut untranslated: BTreeMap<String, String> = BTreeMap::new();
    let mut walked = 0;
    while let Some(path) = queue.pop_front() {
        if walked >= MOST_PAGES || !seen.insert(path.clone()) || path.ends_with("/logout") {
            continue;
        }
        let n = shapes.entry(shape(&path)).or_default();
        *n += 1;
        if *n > PER_SHAPE {
            continue;
        }
        walked += 1;
        let resp = app.get(&path).await;
        let status = resp.status();
        assert!(status.as_u16() < 500, "GET {path} answered {status}");
        let html = resp.headers().get("content-type").is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        let text = resp.text().await.expect("body");
        if !html {
            continue;
        }
        for t in readable_texts(&text) {
            for run in cyrillic_runs(&t) {
                if !run.is_empty() && !corpus.contains(&run) {
                    untranslated.entry(run).or_insert_with(|| path.clone());
                }
            }
        }
        queue.extend(links(&text));
    }
    assert!(walked > 60, "the walk reached the portal's pages ({walked})");
    let report: Vec<String> = untranslated.iter().map(|(run, path)| format!("{path}: {run}")).collect();
    assert!(report.is_empty(), "{} Russian texts on English pages:\n{}", report.len(), report.join("\n"));
}
on_both_backends!(every_page_in_english_shows_no_russian_outside_content);

/// Pages show codes (statuses, kinds, results, grounds) through the strings `kind.code`: each code
/// the mechanisms know has its words in both languages, so no page shows "?" for one.
#[test]
fn every_code_a_page_shows_has_words_in_both_languages() {
    let tables: Vec<shell::i18n::Table> = glasnost::MECHANISMS.iter().map(|m| m.strings).collect();
    let strings = shell::i18n::Strings::new(&tables).expect("strings");
    let mut codes: Vec<(&str, &str)> = Vec::new();
    codes.extend(kernel::calendar::KINDS.map(|k| ("day_kind", k)));
    codes.extend(roadmap::store::STATUSES.map(|k| ("roadmap_status", k)));
    codes.extend(roadmap::marks::STATUSES.map(|k| ("mark_status", k)));
    codes.extend(["pending", "published", "rejected"].map(|k| ("comment_status", k)));
    codes.extend(appeals::submissions::STATUSES.map(|k| ("appeal_status", k)));
    codes.extend(appeals::submissions::IDENTIFIED.map(|k| ("identified", k)));
    codes.extend(appeals::rules::Kind::ALL.map(|k| ("appeal_kind", k.code())));
    codes.extend(appeals::rules::RULES.map(|r| ("rule_action", r.id)));
    codes.extend(appeals::workflow::RESULTS.map(|k| ("result", k)));
    codes.extend(appeals::workflow::NO_ANSWER_GROUNDS.map(|(k, _)| ("no_answer_ground", k)));
    codes.extend(appeals::workflow::MEDIA_REFUSAL_GROUNDS.map(|k| ("media_ground", k)));
    codes.extend(opendata::feedback::STATUSES.map(|k| ("feedback_status", k)));
    codes.extend(opendata::requests::DECISIONS.iter().chain(&[""]).map(|k| ("request_decision", *k)));
    let missing: Vec<String> =
        codes.iter().map(|(kind, code)| format!("{kind}.{code}")).filter(|key| !strings.has(key)).collect();
    assert!(missing.is_empty(), "codes without words: {missing:?}");
}

#[test]
fn the_walk_reads_what_a_person_reads() {
    let html = "<p title=\"Подсказка\">Текст &amp; <b>ещё</b></p><script>var x = 'Скрипт';</script>\
                <!-- Комментарий --><a href=\"/o/x?a=1&amp;b=2#top\">Plan of Департамент, approved</a>\
                <a href=\"/prefs?lang=ru\" lang=\"ru\">Русский</a><textarea name=\"x\">Лицензия</textarea>";
    assert_eq!(readable_texts(html), ["Подсказка", "Текст &", "ещё", "Plan of Департамент, approved"]);
    assert_eq!(cyrillic_runs("Plan of «Центр» здоровья, approved"), ["Центр» здоровья"]);
    assert_eq!(links(html), ["/o/x?a=1&b=2"]);
    assert_eq!(shape("/staff/o/x/roadmaps/12/measures/345?tab=1"), "/staff/o/x/roadmaps/N/measures/N");
}
