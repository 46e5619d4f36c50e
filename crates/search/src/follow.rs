//! Keeping a node's index current. The node reads the change log after the last change its index
//! holds, asks each change's mechanism for the thing as it now stands, and commits the things with
//! the last change applied — one commit, so a kill at any moment loses nothing and doubles
//! nothing: the next start reads on from the commit's mark. An index never built, built with
//! another layout, or ahead of the database (a restored backup) is built again from the data.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use kernel::search::Document;
use shell::AppState;
use shell::error::AppResult;

use crate::index::SearchIndex;

/// Changes read at a time.
const BATCH: i64 = 500;
/// Things read from a mechanism at a time when the index is built.
const WINDOW: u64 = 500;

/// A node's index and the lock that lets one follower or one build write to it at a time; the
/// staff's synonyms as this node keeps them; the searches it counted since its last write.
pub struct Search {
    pub index: Arc<SearchIndex>,
    busy: tokio::sync::Mutex<()>,
    synonyms: shell::snapshot::Snapshot<crate::index::Synonyms>,
    pub counts: crate::store::Counts,
}

impl Search {
    pub fn new(index: SearchIndex, recheck: Duration) -> Search {
        Search {
            index: Arc::new(index),
            busy: tokio::sync::Mutex::new(()),
            synonyms: shell::snapshot::Snapshot::new(recheck),
            counts: crate::store::Counts::default(),
        }
    }

    /// The synonyms as they stand (read again at most once per `recheck_ms` when changed).
    pub async fn synonyms(&self, db: &kernel::Db) -> kernel::Result<Arc<crate::index::Synonyms>> {
        self.synonyms
            .get(
                || kernel::versions::get(db, crate::store::SYNONYMS),
                || async {
                    let all = crate::store::synonyms(db).await?;
                    Ok(crate::index::Synonyms::new(all.iter().map(|s| (s.words.as_str(), s.meaning.as_str()))))
                },
            )
            .await
    }

    /// After a change of the synonyms made through this node.
    pub fn synonyms_changed(&self) {
        self.synonyms.recheck_now();
    }
}

/// What one step did.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Another process sharing the data folder writes the index: this one read its last commit.
    Reading,
    Current,
    Applied(usize),
    Built(usize),
}

/// The portal's sections (each mechanism's services) as search shows them: found by their names
/// and what they give, in either language — the portal's own, and each body's (its name in the
/// title). They are in the binary and the directory, not in the log: a node puts them in again
/// when it starts and when the portal's bodies change.
pub fn sections(state: &AppState, bodies: &[kernel::bodies::Body]) -> Vec<Document> {
    use shell::i18n::Lang;
    let t = |lang, key| state.strings.t(lang, key);
    let services = shell::mechanism::services(state.mechanisms, &state.cfg);
    let mut out = Vec::new();
    for (i, s) in services.iter().enumerate() {
        let section = |key: i64, body: Option<&kernel::bodies::Body>, path: String| {
            let of = |name: &str| body.map_or(name.to_string(), |b| format!("{name} — {}", b.short_name));
            Document {
                source: SECTIONS,
                key,
                // The service: the portal's section and each body's are copies of one.
                part: i as i64,
                kind: "section",
                body_id: body.map(|b| b.id),
                title: of(t(Lang::Ru, s.name)),
                title_en: of(t(Lang::En, s.name)),
                text: format!(
                    "{}\n{}{}",
                    t(Lang::Ru, s.hint),
                    t(Lang::En, s.hint),
                    body.map_or(String::new(), |b| format!("\n{}", b.full_name))
                ),
                path,
                date: 0,
                tags: Vec::new(),
            }
        };
        if let Some(path) = s.portal {
            out.push(section(i as i64, None, path.to_string()));
        }
        for b in bodies {
            if let Some(path) = s.for_body(&b.slug) {
                out.push(section((b.id << 8) + i as i64 + 1_000, Some(b), path));
            }
        }
    }
    out
}

/// The source of the portal's sections.
pub const SECTIONS: &str = "sections";

/// Puts the sections in the index, in place of those it holds, keeping its place in the log.
async fn put_sections(state: &AppState, search: &Search) -> anyhow::Result<()> {
    let _busy = search.busy.lock().await;
    if search.index.applied().is_none() || !search.index.writes() {
        return Ok(());
    }
    let bodies = kernel::bodies::list(&state.db).await?;
    let docs = sections(state, &bodies);
    let index = search.index.clone();
    blocking(move || index.replace_source(SECTIONS, &docs)).await
}

/// Follows the change log for as long as the node runs.
pub async fn follow(state: AppState, search: Arc<Search>) {
    let every = Duration::from_millis(state.cfg.search_follow_ms);
    // The directory's version the sections were last put in at (None: not yet).
    let mut sections_at: Option<i64> = None;
    loop {
        let directory = kernel::versions::get(&state.db, kernel::versions::DIRECTORY).await.ok();
        if directory.is_none() || sections_at != directory {
            match put_sections(&state, &search).await {
                Ok(()) if search.index.applied().is_some() && search.index.writes() => sections_at = directory,
                Ok(()) => {}
                Err(e) => tracing::warn!(error = ?e, "the portal's sections are not in search yet"),
            }
        }
        if let Err(e) = step(&state, &search).await {
            tracing::warn!(error = ?e, "search index not brought up to date yet");
        }
        tokio::time::sleep(every).await;
    }
}

/// Brings the index up to the log's last change.
pub async fn step(state: &AppState, search: &Search) -> anyhow::Result<Step> {
    let _busy = search.busy.lock().await;
    let index = search.index.clone();
    if !blocking(move || index.take_over()).await? {
        return Ok(Step::Reading);
    }
    let last = kernel::search::last(&state.db).await?;
    match search.index.applied() {
        Some(applied) if applied == last => Ok(Step::Current),
        Some(applied) if applied < last => Ok(Step::Applied(apply(state, search, applied).await?)),
        _ => Ok(Step::Built(build_locked(state, search).await?)),
    }
}

/// Builds the index again from every mechanism's data (`glasnost search rebuild`).
pub async fn build(state: &AppState, search: &Search) -> anyhow::Result<usize> {
    let _busy = search.busy.lock().await;
    if !search.index.writes() {
        anyhow::bail!("поисковый индекс в этой папке данных ведёт другой процесс Glasnost: сначала остановите его");
    }
    build_locked(state, search).await
}

async fn build_locked(state: &AppState, search: &Search) -> anyhow::Result<usize> {
    // Changes after this mark are applied again by the next step: applying one twice is harmless.
    let last = kernel::search::last(&state.db).await?;
    let index = search.index.clone();
    blocking(move || index.clear()).await?;
    let bodies = kernel::bodies::list(&state.db).await?;
    let sections = sections(state, &bodies);
    let mut n = sections.len();
    let index = search.index.clone();
    blocking(move || index.add(&sections)).await?;
    for m in state.mechanisms {
        for source in m.search {
            let mut after = i64::MIN;
            loop {
                let keys = (source.keys)(state, after, WINDOW).await.map_err(anyhow_of)?;
                let Some(end) = keys.last().copied() else { break };
                after = end;
                let docs = (source.get)(state, &keys).await.map_err(anyhow_of)?;
                n += docs.len();
                let index = search.index.clone();
                blocking(move || index.add(&docs)).await?;
            }
        }
    }
    let index = search.index.clone();
    blocking(move || index.commit_at(last)).await?;
    let index = search.index.clone();
    if let Err(e) = blocking(move || index.compact()).await {
        // The index is whole without it, only slower to search.
        tracing::warn!(error = ?e, "the search index was built but not merged");
    }
    tracing::info!(documents = n, applied = last, "search index built");
    Ok(n)
}

/// Applies the changes after `applied`, a batch per commit; how many things were touched.
async fn apply(state: &AppState, search: &Search, mut applied: i64) -> anyhow::Result<usize> {
    let mut touched = 0;
    loop {
        let changes = kernel::search::changes_after(&state.db, applied, BATCH).await?;
        let Some(end) = changes.last().map(|c| c.id) else { return Ok(touched) };
        let mut by_source: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
        for c in &changes {
            by_source.entry(c.source.clone()).or_default().insert(c.item);
        }
        let mut changed: Vec<(&'static str, i64)> = Vec::new();
        let mut docs: Vec<Document> = Vec::new();
        for (name, items) in &by_source {
            let items: Vec<i64> = items.iter().copied().collect();
            touched += items.len();
            let source = state.mechanisms.iter().flat_map(|m| m.search.iter()).find(|s| s.source == name.as_str());
            let Some(source) = source else {
                // A source no mechanism of this node hands over: nothing of it is searchable.
                tracing::warn!(source = %name, "changes of an unknown search source skipped");
                continue;
            };
            let now = (source.get)(state, &items).await.map_err(anyhow_of)?;
            changed.extend(items.iter().map(|i| (source.source, *i)));
            docs.extend(now);
        }
        let index = search.index.clone();
        blocking(move || index.apply(&changed, &docs, end)).await?;
        applied = end;
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> anyhow::Result<T> + Send + 'static) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(f).await?
}

fn anyhow_of(e: shell::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

/// Opens this node's index in its data folder and starts following the log.
pub fn start(state: AppState) -> anyhow::Result<AppState> {
    let dir = state.cfg.data_dir.join("search");
    let recheck = Duration::from_millis(state.cfg.recheck_ms as u64);
    let state = state.with_part(Search::new(SearchIndex::open(&dir)?, recheck));
    let search = of(&state).map_err(anyhow_of)?;
    tokio::spawn(follow(state.clone(), search));
    Ok(state)
}

/// The node's index.
pub fn of(state: &AppState) -> AppResult<Arc<Search>> {
    state.shared_part::<Search>()
}
