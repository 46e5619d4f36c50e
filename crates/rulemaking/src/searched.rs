//! What rule-making hands to the portal's search: each draft — its title, the notice in plain
//! words, and the text of its current version. The item of the change log is the draft: every
//! stage (the notice, a version, the window, the result) notes it.

use kernel::search::Document;
use shell::AppState;
use shell::error::AppResult;
use shell::mechanism::SearchSource;
use sqlx::Row;

const SOURCE: &str = "drafts";

pub const SEARCH: SearchSource = SearchSource {
    source: SOURCE,
    kinds: &[("draft", "search_kind_draft")],
    get: |state, keys| Box::pin(read(state, keys)),
    keys: |state, after, limit| Box::pin(keys(state, after, limit)),
};

/// Notes in the change's transaction that the draft changed.
pub async fn changed(tx: &mut sqlx::AnyConnection, draft_id: i64, now: i64) -> kernel::Result<()> {
    kernel::search::changed(tx, SOURCE, draft_id, now).await
}

/// The text of a draft's current version search keeps: enough for its words, bounded.
const TEXT_CHARS: usize = 20_000;

const SQL: &str = "SELECT d.id, d.body_id, d.title, d.concept, d.plain_summary, d.costs_benefits, d.updated_at, b.slug \
     FROM drafts d JOIN bodies b ON b.id = d.body_id WHERE d.id {keys} ORDER BY d.id";

const UNITS: &str = "SELECT v.draft_id, u.text FROM draft_units u JOIN draft_versions v ON v.id = u.version_id \
     WHERE v.draft_id {keys} AND v.number = (SELECT MAX(n.number) FROM draft_versions n WHERE n.draft_id = v.draft_id) \
     ORDER BY v.draft_id, u.ord";

const KEYS: &str = "SELECT id FROM drafts WHERE id > $1 ORDER BY id LIMIT $2";

async fn keys(state: &AppState, after: i64, limit: u64) -> AppResult<Vec<i64>> {
    Ok(kernel::search::keys_after(&state.db, KEYS, after, limit).await?)
}

async fn read(state: &AppState, keys: &[i64]) -> AppResult<Vec<Document>> {
    let units = kernel::search::rows(&state.db, UNITS, keys).await?;
    let rows = kernel::search::rows(&state.db, SQL, keys).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("id").map_err(kernel::Error::from)?;
        let get = |c: &str| r.try_get::<String, _>(c).map_err(kernel::Error::from);
        let mut text = [get("concept")?, get("plain_summary")?, get("costs_benefits")?].join("\n");
        for u in &units {
            if u.try_get::<i64, _>("draft_id").map_err(kernel::Error::from)? == id && text.len() < TEXT_CHARS {
                text.push('\n');
                text.push_str(&u.try_get::<String, _>("text").map_err(kernel::Error::from)?);
            }
        }
        out.push(Document {
            source: SOURCE,
            key: id,
            part: 0,
            kind: "draft",
            body_id: Some(r.try_get("body_id").map_err(kernel::Error::from)?),
            title: get("title")?,
            title_en: String::new(),
            text,
            path: format!("/o/{}/drafts/{id}", get("slug")?),
            date: r.try_get("updated_at").map_err(kernel::Error::from)?,
            tags: Vec::new(),
        });
    }
    Ok(out)
}
