//! What appeals hand to the portal's search: the answers a body chose to publish, as published
//! (the question as a reader would put it, the question and the answer with personal data
//! replaced). Nothing else of an appeal is ever searchable.

use kernel::search::Document;
use shell::AppState;
use shell::error::AppResult;
use shell::mechanism::SearchSource;
use sqlx::Row;

const SOURCE: &str = "appeals";

pub const SEARCH: SearchSource = SearchSource {
    source: SOURCE,
    kinds: &[("answer", "search_kind_answer")],
    get: |state, keys| Box::pin(read(state, keys)),
    keys: |state, after, limit| Box::pin(keys(state, after, limit)),
};

/// Notes in the change's transaction that the publication of the appeal `id` changed.
pub async fn changed(tx: &mut sqlx::AnyConnection, id: i64, now: i64) -> kernel::Result<()> {
    kernel::search::changed(tx, SOURCE, id, now).await
}

const SQL: &str = "SELECT p.submission_id, p.body_id, b.slug, p.summary, p.question, p.answer, p.published_at \
     FROM submission_publications p JOIN bodies b ON b.id = p.body_id \
     WHERE p.status = 'published' AND p.submission_id {keys} ORDER BY p.submission_id";

/// Keys of items that may have documents, a window at a time.
const KEYS: &str = "SELECT submission_id FROM submission_publications WHERE status = 'published' \
     AND submission_id > $1 ORDER BY submission_id LIMIT $2";

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
        let id: i64 = r.try_get("submission_id")?;
        let slug: String = r.try_get("slug")?;
        let question: String = r.try_get("question")?;
        let answer: String = r.try_get("answer")?;
        out.push(Document {
            source: SOURCE,
            key: id,
            part: 0,
            kind: "answer",
            body_id: Some(r.try_get("body_id")?),
            title: r.try_get("summary")?,
            title_en: String::new(),
            text: format!("{question}\n{answer}"),
            path: format!("/o/{slug}/appeals/answers#a{id}"),
            date: r.try_get::<Option<i64>, _>("published_at")?.unwrap_or_default(),
            tags: Vec::new(),
        });
    }
    Ok(out)
}
