//! Published things kept in memory for their public pages: a thing with its version in force and
//! its file's text as HTML, per thing, with the counter `site-content:{id}` (`kernel::versions`)
//! that every change of the thing (a new version, withdrawing, returning) adds one to in its
//! transaction. A node asks for the counter at most once per `GLASNOST_RECHECK_MS`, and at once
//! after a change made through it. A thing larger than `LARGEST_KEPT` is read at every view
//! instead, and at most `MOST_KEPT` things are kept, so the memory kept stays bounded.

use std::sync::Arc;

use kernel::Db;
use kernel::error::Result;
use shell::snapshot::Keyed;

use crate::content_store::{self, Content};

const PREFIX: &str = "site-content";

/// The most things kept at a time; the most bytes of text one kept thing may have.
const MOST_KEPT: usize = 2_000;
const LARGEST_KEPT: usize = 64 * 1024;

/// A thing as its public page shows it.
pub struct Shown {
    pub content: Content,
    /// The text of the file of the version in force, as HTML ('' without a file).
    pub file_html: String,
}

pub struct KeptContent(Keyed<Shown>);

/// Marks the thing as changed by the transaction on `tx`.
pub async fn bump(tx: &mut sqlx::AnyConnection, id: i64) -> Result<()> {
    kernel::versions::bump_record(tx, PREFIX, id).await
}

impl KeptContent {
    pub fn new(recheck: std::time::Duration) -> KeptContent {
        KeptContent(Keyed::keeping(PREFIX, recheck, MOST_KEPT))
    }

    /// The thing `id` as it stands (`NotFound` when there is no such thing; that is not kept).
    pub async fn get(&self, db: &Db, id: i64) -> Result<Arc<Shown>> {
        let shown = self
            .0
            .get(db, id, || async move {
                let content = content_store::by_id(db, id).await?.ok_or(kernel::Error::NotFound("материал"))?;
                let file_html = match &content.current.file {
                    Some(f) => content_store::file_html(db, f.id).await?,
                    None => String::new(),
                };
                Ok(Shown { content, file_html })
            })
            .await?;
        if shown.file_html.len() + shown.content.current.html.len() > LARGEST_KEPT {
            self.0.forget(id);
        }
        Ok(shown)
    }

    /// After a change made through this node: every kept thing is asked about at its next view.
    pub fn recheck_now(&self) {
        self.0.recheck_now();
    }
}
