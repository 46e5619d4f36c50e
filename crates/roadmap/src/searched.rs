//! What the openness plans hand to the portal's search: the measures of each body's plan in force
//! (its newest approved one, as its public page shows it). The item of the change log is the body:
//! approving a new plan replaces the old plan's measures in search.

use kernel::search::Document;
use shell::AppState;
use shell::error::AppResult;
use shell::mechanism::SearchSource;
use sqlx::Row;

const SOURCE: &str = "roadmap";

pub const SEARCH: SearchSource = SearchSource {
    source: SOURCE,
    kinds: &[("measure", "search_kind_measure")],
    get: |state, keys| Box::pin(read(state, keys)),
    keys: |state, after, limit| Box::pin(keys(state, after, limit)),
};

/// Notes in the change's transaction that the plans of the body `body_id` changed.
pub async fn changed(tx: &mut sqlx::AnyConnection, body_id: i64, now: i64) -> kernel::Result<()> {
    kernel::search::changed(tx, SOURCE, body_id, now).await
}

/// A measure's title: its words, cut at this many characters.
const TITLE_CHARS: usize = 200;

/// The measures of the plan in force of each of the bodies.
const SQL: &str = "SELECT r.body_id, b.slug, r.title AS plan, r.updated_at, m.id, m.number, m.text, m.deadline, \
     m.executors, COALESCE(m.expected, '') AS expected, COALESCE(s.title, '') AS section \
     FROM roadmaps r JOIN bodies b ON b.id = r.body_id JOIN measures m ON m.roadmap_id = r.id \
     LEFT JOIN roadmap_sections s ON s.id = m.section_id \
     WHERE r.status = 'approved' AND NOT EXISTS (SELECT 1 FROM roadmaps n WHERE n.body_id = r.body_id \
     AND n.status = 'approved' AND (n.created_at > r.created_at OR (n.created_at = r.created_at AND n.id > r.id))) \
     AND r.body_id {keys} \
     ORDER BY r.body_id, m.position";

/// Keys of items that may have documents, a window at a time.
const KEYS: &str = "SELECT body_id FROM roadmaps WHERE status = 'approved' AND body_id > $1 GROUP BY body_id ORDER BY body_id LIMIT $2";

async fn keys(state: &AppState, after: i64, limit: u64) -> AppResult<Vec<i64>> {
    Ok(kernel::search::keys_after(&state.db, KEYS, after, limit).await?)
}

async fn read(state: &AppState, keys: &[i64]) -> AppResult<Vec<Document>> {
    Ok(documents(&state.db, keys).await?)
}

async fn documents(db: &kernel::Db, keys: &[i64]) -> kernel::Result<Vec<Document>> {
    let rows = kernel::search::rows(db, SQL, keys).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let words: String = r.try_get("text")?;
        let mut title: String = words.chars().take(TITLE_CHARS).collect();
        if title.len() < words.len() {
            title.push('…');
        }
        let number: String = r.try_get("number")?;
        let text = [
            format!("{} {number}", r.try_get::<String, _>("plan")?),
            r.try_get("section")?,
            words,
            r.try_get("expected")?,
            r.try_get("deadline")?,
            r.try_get("executors")?,
        ]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
        let slug: String = r.try_get("slug")?;
        let id: i64 = r.try_get("id")?;
        out.push(Document {
            source: SOURCE,
            key: r.try_get("body_id")?,
            part: id,
            kind: "measure",
            body_id: Some(r.try_get("body_id")?),
            title,
            title_en: String::new(),
            text,
            path: format!("/o/{slug}/openness/#m{id}"),
            date: r.try_get("updated_at")?,
            tags: Vec::new(),
        });
    }
    Ok(out)
}
