//! One rule for what leaves the server: nothing public — page, JSON, CSV, XML, Turtle, JSON-LD,
//! the CKAN API, the bulk archive — carries a staff member's sign-in address or what an
//! applicant, a requester or a reporter gave about themselves. An anonymous visitor walks every
//! public output of a portal where staff marked a plan and citizens wrote in.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Read;

use kernel::staff::Role;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

/// Outputs of one shape (digits stand for any number) read at most this many times.
const PER_SHAPE: usize = 3;
const MOST_OUTPUTS: usize = 500;

/// What people gave about themselves, and the staff's addresses: none may leave the server. (The
/// signature under a request or a report is published by the person's choice: the form says so
/// beside the field, and it may be left empty.)
const PERSONAL: &[&str] = &[
    "planner@social.example",
    "officer@social.example",
    "Петрова Анна Сергеевна",
    "anna.petrova@example.org",
    "913 555-12-34",
    "пр. Кирова, д. 7, кв. 15",
    "requester@example.org",
    "reporter@example.org",
];

/// A portal where a planner marked a measure of an approved plan, a citizen sent an appeal with
/// every contact, another asked for a dataset and a third reported an error in one.
async fn a_portal_people_wrote_to(app: &TestApp) {
    crate::roadmap_web::approve_seed_002_elsewhere(app).await;
    let (dataset, _) = crate::opendata::published_dataset(app).await;
    app.create_staff("planner@social.example", Role::OpennessCoordinator, Some("social-protection")).await;
    app.create_staff("officer@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    let planner = app.other_client();
    assert_eq!(planner.login("planner@social.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let (roadmap, measure): (i64, i64) = {
        use sqlx::Row;
        let r = sqlx::query("SELECT roadmap_id, id FROM measures ORDER BY id LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .expect("a measure");
        (r.get(0), r.get(1))
    };
    let mark = format!("/staff/o/social-protection/roadmaps/{roadmap}/measures/{measure}/mark");
    let fields = [("status", "done"), ("marked_on", "2026-02-20"), ("evidence", "https://social.example/act")];
    assert_eq!(planner.post_form(&mark, &fields).await.status(), StatusCode::SEE_OTHER);

    let citizen = app.other_client();
    let appeal = [
        ("body", "social-protection"),
        ("kind", "appeal"),
        ("topic", "Выплата на ребёнка"),
        ("text", "Прошу разъяснить порядок выплаты."),
        ("author_name", "Петрова Анна Сергеевна"),
        ("answer_by", "email"),
        ("email", "anna.petrova@example.org"),
        ("phone", "+7 913 555-12-34"),
        ("postal_address", "г. Томск, пр. Кирова, д. 7, кв. 15"),
        ("consent", "1"),
    ];
    assert_eq!(crate::appeals::send(&citizen, &appeal, &[]).await.status(), StatusCode::SEE_OTHER);
    crate::opendata::a_request_and_a_report(&citizen, &dataset).await;
}

/// The addresses on the portal an output names: links of a page, and every URL of the portal in
/// a JSON, CSV, XML or Turtle document.
fn addresses(text: &str, base: &str, from: &str) -> Vec<String> {
    let mut out = Vec::new();
    let here = reqwest::Url::parse(&format!("{base}{from}")).ok();
    let mut rest = text;
    while let Some(at) = rest.find("href=\"") {
        rest = &rest[at + 6..];
        let Some(end) = rest.find('"') else { break };
        let href = rest[..end].replace("&amp;", "&");
        // A relative link («feedback», «versions/») from the page it is on.
        if let Some(url) = here.as_ref().and_then(|h| h.join(&href).ok()).filter(|u| u.as_str().starts_with(base)) {
            out.push(url.as_str().to_string());
        }
        rest = &rest[end..];
    }
    let mut rest = text;
    while let Some(at) = rest.find(base) {
        rest = &rest[at + base.len()..];
        let end =
            rest.find(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\'' | ')')).unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out.into_iter()
        .map(|a| a.strip_prefix(base).map(str::to_string).unwrap_or(a))
        .map(|a| a.split('#').next().unwrap_or_default().to_string())
        .filter(|a| a.starts_with('/') && !a.starts_with("//") && !a.starts_with("/staff") && !a.starts_with("/prefs"))
        .collect()
}

fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    let mut out = String::new();
    for c in path.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('N') {
                out.push('N');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The text of an output: the body itself, or every file of a zip archive.
fn readable(bytes: &[u8]) -> String {
    if !bytes.starts_with(b"PK") {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())) else {
        return String::new();
    };
    let mut all = String::new();
    for i in 0..zip.len() {
        if let Ok(mut f) = zip.by_index(i) {
            let mut text = Vec::new();
            if f.read_to_end(&mut text).is_ok() {
                all.push_str(&String::from_utf8_lossy(&text));
            }
        }
    }
    all
}

async fn no_public_output_carries_staff_addresses_or_what_people_gave(app: TestApp) {
    a_portal_people_wrote_to(&app).await;
    let visitor = app.other_client();
    let base = app.cfg.public_url.trim_end_matches('/').to_string();
    let mut queue: VecDeque<String> = [
        "/",
        "/bodies.json",
        "/opendata/",
        "/opendata/list.csv",
        "/opendata/all.zip",
        "/catalog.ttl",
        "/catalog.jsonld",
        "/opendata/requests",
        "/appeals/stats.csv",
        "/o/social-protection/openness/roadmap.json",
        "/o/social-protection/openness/roadmap.csv",
        "/o/social-protection/appeals/answers",
        "/api/3/action/package_list",
        "/api/3/action/organization_list?all_fields=true",
        "/api/3/action/current_package_list_with_resources",
        "/api/3/action/package_search?q=*",
    ]
    .map(String::from)
    .into();
    let mut seen = HashSet::new();
    let mut shapes: HashMap<String, usize> = HashMap::new();
    let mut found = Vec::new();
    let mut read = 0;
    while let Some(path) = queue.pop_front() {
        if read >= MOST_OUTPUTS || !seen.insert(path.clone()) {
            continue;
        }
        let n = shapes.entry(shape(&path)).or_default();
        *n += 1;
        if *n > PER_SHAPE {
            continue;
        }
        read += 1;
        let resp = visitor.get(&path).await;
        assert!(resp.status().as_u16() < 500, "GET {path} answered {}", resp.status());
        let text = readable(&resp.bytes().await.expect("body"));
        for personal in PERSONAL {
            if text.contains(personal) {
                found.push(format!("{path}: {personal}"));
            }
        }
        queue.extend(addresses(&text, &base, &path));
    }
    assert!(read > 60, "the walk reached the portal's outputs ({read})");
    let kinds: HashSet<&str> =
        seen.iter().filter_map(|p| p.split('?').next().and_then(|p| p.rsplit_once('.')).map(|(_, e)| e)).collect();
    for kind in ["json", "csv", "ttl", "jsonld", "zip"] {
        assert!(kinds.contains(kind), "the walk read .{kind} outputs: {kinds:?}");
    }
    assert!(found.is_empty(), "personal data in public outputs:\n{}", found.join("\n"));
}
on_both_backends!(no_public_output_carries_staff_addresses_or_what_people_gave);
