//! What the site hands to the portal's search: every published thing (news, documents with the
//! text of their files, pages, announcements, vacancies, the leadership), withdrawn ones left out.

use kernel::search::Document;
use shell::AppState;
use shell::error::AppResult;
use shell::mechanism::SearchSource;
use sqlx::Row;

use crate::content::Kind;

const SOURCE: &str = "site";

pub const SEARCH: SearchSource = SearchSource {
    source: SOURCE,
    kinds: &[
        ("news", "content_one_news"),
        ("document", "content_one_document"),
        ("page", "content_one_page"),
        ("announcement", "content_one_announcement"),
        ("vacancy", "content_one_vacancy"),
        ("leader", "content_one_leader"),
    ],
    get: |state, keys| Box::pin(read(state, keys)),
    keys: |state, after, limit| Box::pin(keys(state, after, limit)),
};

/// Notes in the change's transaction that the thing `id` changed.
pub async fn changed(tx: &mut sqlx::AnyConnection, id: i64, now: i64) -> kernel::Result<()> {
    kernel::search::changed(tx, SOURCE, id, now).await
}

const SQL: &str = "SELECT c.id, c.kind, c.body_id, b.slug, c.published_at, v.title, v.lead, v.body, \
     v.act_kind, v.act_number, v.act_date, COALESCE(f.text, '') AS file_text \
     FROM site_content c JOIN site_content_versions v ON v.content_id = c.id AND v.version = c.version \
     JOIN bodies b ON b.id = c.body_id LEFT JOIN site_files f ON f.id = v.file_id \
     WHERE c.withdrawn_at IS NULL AND c.id {keys} ORDER BY c.id";

/// Keys of items that may have documents, a window at a time.
const KEYS: &str = "SELECT id FROM site_content WHERE withdrawn_at IS NULL AND id > $1 ORDER BY id LIMIT $2";

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
        let code: String = r.try_get("kind")?;
        let Some(kind) = Kind::parse(&code) else { continue };
        let slug: String = r.try_get("slug")?;
        let id: i64 = r.try_get("id")?;
        let act = [r.try_get::<String, _>("act_kind")?, r.try_get("act_number")?, r.try_get("act_date")?]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let text = [act, r.try_get("lead")?, r.try_get("body")?, r.try_get("file_text")?]
            .into_iter()
            .filter(|s: &String| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        out.push(Document {
            source: SOURCE,
            key: id,
            part: 0,
            kind: kind.code(),
            body_id: Some(r.try_get("body_id")?),
            title: r.try_get("title")?,
            title_en: String::new(),
            text,
            path: format!("/o/{slug}/{}/{id}", kind.folder()),
            date: r.try_get("published_at")?,
            tags: Vec::new(),
        });
    }
    Ok(out)
}
