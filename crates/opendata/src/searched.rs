//! What open data hands to the portal's search: each published dataset — its passport (title,
//! description, keywords as tags) and the fields of its latest structure in Russian and English.

use kernel::search::Document;
use shell::AppState;
use shell::error::AppResult;
use shell::mechanism::SearchSource;
use sqlx::Row;

const SOURCE: &str = "opendata";

pub const SEARCH: SearchSource = SearchSource {
    source: SOURCE,
    kinds: &[("dataset", "search_kind_dataset")],
    get: |state, keys| Box::pin(read(state, keys)),
    keys: |state, after, limit| Box::pin(keys(state, after, limit)),
};

/// Notes in the change's transaction that the dataset `id` changed.
pub async fn changed(tx: &mut sqlx::AnyConnection, id: i64, now: i64) -> kernel::Result<()> {
    kernel::search::changed(tx, SOURCE, id, now).await
}

const SQL: &str = "SELECT d.id, d.body_id, d.identifier, d.title, d.description, d.keywords, \
     COALESCE(d.first_published_at, d.updated_at) AS published_at, \
     (SELECT s.fields FROM dataset_structures s WHERE s.dataset_id = d.id ORDER BY s.id DESC LIMIT 1) AS fields \
     FROM datasets d WHERE d.published = 1 AND d.id {keys} ORDER BY d.id";

/// Keys of items that may have documents, a window at a time.
const KEYS: &str = "SELECT id FROM datasets WHERE published = 1 AND id > $1 ORDER BY id LIMIT $2";

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
        let fields: Option<String> = r.try_get("fields")?;
        let structure: opendata_format::structure::Structure =
            fields.and_then(|f| serde_json::from_str(&f).ok()).unwrap_or_default();
        let keywords: String = r.try_get("keywords")?;
        let tags: Vec<String> =
            keywords.split([',', ';']).map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect();
        let mut text: String = r.try_get("description")?;
        for part in
            tags.iter().map(String::as_str).chain(structure.fields.iter().flat_map(|f| [f.ru.as_str(), f.en.as_str()]))
        {
            text.push('\n');
            text.push_str(part);
        }
        let identifier: String = r.try_get("identifier")?;
        out.push(Document {
            source: SOURCE,
            key: r.try_get("id")?,
            part: 0,
            kind: "dataset",
            body_id: Some(r.try_get("body_id")?),
            title: r.try_get("title")?,
            title_en: String::new(),
            text,
            path: format!("/opendata/{identifier}/"),
            date: r.try_get("published_at")?,
            tags,
        });
    }
    Ok(out)
}
