//! A node's search index: tantivy on the node's disk (or in memory for a test), one document per
//! public thing, keyed by its source and key. Each commit carries the last change of the log it
//! applied, so the index and its place in the log are written together: a node killed at any
//! moment reopens at a commit that says exactly which changes it holds.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, RwLock};

use anyhow::Context;
use kernel::search::Document;
use serde::{Deserialize, Serialize};
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TantivyDocument, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, Term};

use crate::words::{self, Read};

mod ranking;

pub use ranking::Synonyms;

/// What the index's fields and words are: a change of them makes every node rebuild its index.
const LAYOUT: u32 = 4;
/// Memory for the writer's buffer (tantivy's smallest useful is 15 MB).
const WRITER_BYTES: usize = 15_000_000;
/// Most characters of a thing's text kept for its snippet (all of it is searched): the snippet is
/// cut from where the words are found in its beginning.
const KEPT_TEXT: usize = 1_500;
/// A title's weight against the text's: how many times its words are counted.
const TITLE_BOOST: usize = 3;
/// Freshness orders the best `RERANKED` times the things asked for by relevance, at least
/// `MOST_RERANKED` of them.
const RERANKED: usize = 4;
const MOST_RERANKED: usize = 40;
/// Things counted for «found N» at most; beyond it a search says it found more than this.
pub const MOST_COUNTED: usize = 10_000;

#[derive(Serialize, Deserialize)]
struct Mark {
    layout: u32,
    applied: i64,
}

#[derive(Clone, Copy)]
struct Fields {
    /// The item of the change log a thing belongs to (`source:key`): a change replaces them all.
    item: Field,
    source: Field,
    key: Field,
    part: Field,
    kind: Field,
    /// The kind's hash, read at ranking time for the kinds' factors.
    kind_hash: Field,
    /// Copies of one thing (a section's, one per body: the service is its `part`) share a
    /// nonzero value: a page shows the best of them only, unless a body is asked for.
    copies: Field,
    body: Field,
    title: Field,
    title_en: Field,
    text: Field,
    excerpt: Field,
    words: Field,
    path: Field,
    date: Field,
    tags: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let searched = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(words::STEMMED)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let vocabulary = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(words::PLAIN).set_index_option(IndexRecordOption::Basic),
    );
    let f = Fields {
        item: b.add_text_field("item", STRING),
        source: b.add_text_field("source", STRING | STORED),
        key: b.add_i64_field("key", STORED),
        part: b.add_i64_field("part", STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        kind_hash: b.add_u64_field("kind_hash", FAST),
        copies: b.add_u64_field("copies", FAST),
        body: b.add_u64_field("body", INDEXED | STORED),
        title: b.add_text_field("title", STORED),
        title_en: b.add_text_field("title_en", STORED),
        text: b.add_text_field("text", searched),
        excerpt: b.add_text_field("excerpt", STORED),
        words: b.add_text_field("words", vocabulary),
        path: b.add_text_field("path", STORED),
        date: b.add_i64_field("date", INDEXED | FAST | STORED),
        tags: b.add_text_field("tags", STRING | STORED),
    };
    (b.build(), f)
}

/// The stored fields in blocks of 4 KB, not tantivy's 16: a page of results reads ten things
/// from ten places, and each read unpacks its whole block.
fn settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings { docstore_blocksize: 4_096, ..Default::default() }
}

fn item(source: &str, key: i64) -> String {
    format!("{source}:{key}")
}

/// A node's index. Processes sharing a data folder (a server and a separate worker on one SQLite
/// file) share its index: the one holding the folder's lock writes it, the others read what it
/// commits and take over the writing when it stops.
pub struct SearchIndex {
    f: Fields,
    /// Its folder (None: in memory).
    dir: Option<PathBuf>,
    open: RwLock<Option<Opened>>,
    /// The last change of the log the index holds (-1: never built, or not readable yet).
    applied: AtomicI64,
}

struct Opened {
    index: Index,
    reader: IndexReader,
    /// This process writes the index: tantivy's writer, and the folder's lock while it lives.
    writer: Option<(Mutex<IndexWriter>, Option<std::fs::File>)>,
}

/// What is looked for, and where.
#[derive(Clone, Debug, Default)]
pub struct Query {
    pub read: Read,
    pub body: Option<i64>,
    pub kind: Option<String>,
    pub tag: Option<String>,
    /// Published on or after / before (ms).
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub offset: usize,
    pub limit: usize,
    /// How much newer things are preferred: a thing published now scores `1 + freshness` times one
    /// published long ago, half that after `half_life_days`.
    pub freshness: f32,
    pub half_life_days: f32,
    /// For freshness: now (ms).
    pub now: i64,
    /// The staff's synonyms and abbreviations.
    pub synonyms: std::sync::Arc<Synonyms>,
    /// Factors of kinds of thing in ranking (`GLASNOST_SEARCH_KIND_BOOSTS`).
    pub kind_boosts: Vec<(String, f32)>,
}

/// A kind's number in the index (FNV-1a of its name).
fn kind_hash(kind: &str) -> u64 {
    kind.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// A thing found.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub source: String,
    pub key: i64,
    pub part: i64,
    pub kind: String,
    pub body_id: Option<i64>,
    pub title: String,
    pub title_en: String,
    pub path: String,
    pub date: i64,
    pub tags: Vec<String>,
    /// A piece of its text around the words found, each part marked whether it is a word found.
    pub snippet: Vec<(String, bool)>,
    /// Whether it has only some of the words looked for.
    pub partial: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Found {
    pub total: usize,
    /// How many of them have every word looked for (the rest come after them, marked).
    pub complete: usize,
    pub hits: Vec<Hit>,
    /// The query with its typos corrected, when the query as typed found nothing and this did.
    pub corrected: Option<Read>,
}

impl SearchIndex {
    /// The index in `dir`: written by this process if no other process writes it (made there if
    /// there is none, made anew if it was laid out otherwise), read otherwise.
    pub fn open(dir: &Path) -> anyhow::Result<SearchIndex> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the search folder {}", dir.display()))?;
        let ix = SearchIndex {
            f: schema().1,
            dir: Some(dir.to_path_buf()),
            open: RwLock::new(None),
            applied: AtomicI64::new(-1),
        };
        ix.take_over()?;
        Ok(ix)
    }

    /// An index in memory (tests, benchmarks).
    pub fn in_memory() -> anyhow::Result<SearchIndex> {
        let (schema, f) = schema();
        let opened = Opened::writing(Index::builder().schema(schema).settings(settings()).create_in_ram()?, None)?;
        Ok(SearchIndex { f, dir: None, open: RwLock::new(Some(opened)), applied: AtomicI64::new(-1) })
    }

    /// Whether this process writes the index.
    pub fn writes(&self) -> bool {
        self.open.read().is_ok_and(|o| o.as_ref().is_some_and(|o| o.writer.is_some()))
    }

    /// Makes this process the index's writer if no other process is (true), or reads what the
    /// writer last committed (false).
    pub fn take_over(&self) -> anyhow::Result<bool> {
        if self.writes() {
            return Ok(true);
        }
        let Some(dir) = &self.dir else { return Ok(true) };
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("writer.lock"))
            .with_context(|| format!("cannot open the search lock in {}", dir.display()))?;
        let mut open = self.open.write().map_err(|_| anyhow::anyhow!("the search index panicked"))?;
        match lock.try_lock() {
            Ok(()) => {
                let index = open_or_make(dir)?;
                let opened = Opened::writing(index, Some(lock))?;
                self.applied.store(mark_of(&opened.index).map_or(-1, |m| m.applied), Ordering::Release);
                *open = Some(opened);
                Ok(true)
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                // Another process writes: read what it committed (once it has made the index).
                if open.is_none() {
                    *open = Index::open_in_dir(dir).ok().and_then(|i| Opened::reading(i).ok());
                }
                let mark = open.as_ref().and_then(|o| {
                    o.reader.reload().ok()?;
                    mark_of(&o.index).filter(|m| m.layout == LAYOUT)
                });
                if mark.is_none() {
                    // Made anew by its writer, or not made yet: opened again at the next look.
                    *open = None;
                }
                self.applied.store(mark.map_or(-1, |m| m.applied), Ordering::Release);
                Ok(false)
            }
            Err(std::fs::TryLockError::Error(e)) => {
                Err(anyhow::Error::from(e).context(format!("cannot lock the search index in {}", dir.display())))
            }
        }
    }

    /// A searcher of the index as last committed; None while there is nothing to read.
    fn searcher(&self) -> Option<Searcher> {
        self.open.read().ok()?.as_ref().map(|o| o.reader.searcher())
    }

    /// Runs `f` with the writer (an error when this process does not write the index).
    fn write<T>(&self, f: impl FnOnce(&mut IndexWriter, &IndexReader) -> anyhow::Result<T>) -> anyhow::Result<T> {
        let open = self.open.read().map_err(|_| anyhow::anyhow!("the search index panicked"))?;
        let Some(Opened { reader, writer: Some((w, _)), .. }) = open.as_ref() else {
            anyhow::bail!("another process writes the search index")
        };
        let mut w = w.lock().map_err(|_| anyhow::anyhow!("the search writer panicked"))?;
        f(&mut w, reader)
    }

    /// The last change of the log the index holds; None when it was never built.
    pub fn applied(&self) -> Option<i64> {
        let a = self.applied.load(Ordering::Acquire);
        (a >= 0).then_some(a)
    }

    /// How many things it holds.
    pub fn len(&self) -> u64 {
        self.searcher().map_or(0, |s| s.num_docs())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn document(&self, d: &Document) -> TantivyDocument {
        let f = self.f;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.item, item(d.source, d.key));
        doc.add_text(f.source, d.source);
        doc.add_i64(f.key, d.key);
        doc.add_i64(f.part, d.part);
        doc.add_text(f.kind, d.kind);
        doc.add_u64(f.kind_hash, kind_hash(d.kind));
        doc.add_u64(f.copies, if d.kind == "section" { d.part.max(0) as u64 + 1 } else { 0 });
        doc.add_u64(f.body, d.body_id.map_or(0, |b| b as u64));
        doc.add_text(f.title, &d.title);
        // The words are searched in one field: the titles `TITLE_BOOST` times, then all of the
        // text — each word one list to read, the title weighing more the way BM25F weighs fields
        // (its words counted that many times before they saturate).
        for _ in 0..TITLE_BOOST {
            doc.add_text(f.text, &d.title);
        }
        if !d.title_en.is_empty() {
            doc.add_text(f.title_en, &d.title_en);
            for _ in 0..TITLE_BOOST {
                doc.add_text(f.text, &d.title_en);
            }
        }
        // The snippet is cut from the text's beginning, kept.
        doc.add_text(f.text, &d.text);
        doc.add_text(f.excerpt, d.text.chars().take(KEPT_TEXT).collect::<String>());
        doc.add_text(f.words, words::fold(&d.title));
        doc.add_text(f.words, words::fold(&d.text));
        doc.add_text(f.path, &d.path);
        doc.add_i64(f.date, d.date);
        for t in &d.tags {
            doc.add_text(f.tags, t.to_lowercase());
        }
        doc
    }

    /// Applies a batch: every thing of the items of `changed` removed, `docs` (what those items
    /// hold now) put in their place, and `applied` the last change held — all in one commit, seen
    /// by searches when this returns.
    pub fn apply(&self, changed: &[(&str, i64)], docs: &[Document], applied: i64) -> anyhow::Result<()> {
        self.write(|w, reader| {
            let touched = changed.iter().copied().chain(docs.iter().map(|d| (d.source, d.key)));
            for (source, key) in touched.collect::<std::collections::BTreeSet<_>>() {
                w.delete_term(Term::from_field_text(self.f.item, &item(source, key)));
            }
            for d in docs {
                w.add_document(self.document(d))?;
            }
            self.commit(w, reader, applied)
        })
    }

    /// Puts `docs` in place of everything of `source`, keeping the index's place in the log.
    pub fn replace_source(&self, source: &str, docs: &[Document]) -> anyhow::Result<()> {
        self.write(|w, reader| {
            w.delete_term(Term::from_field_text(self.f.source, source));
            for d in docs {
                w.add_document(self.document(d))?;
            }
            self.commit(w, reader, self.applied.load(Ordering::Acquire))
        })
    }

    /// Empties the index (a rebuild puts everything back, then commits).
    pub fn clear(&self) -> anyhow::Result<()> {
        self.write(|w, _| Ok(w.delete_all_documents().map(|_| ())?))
    }

    /// Adds things without committing (a rebuild's windows).
    pub fn add(&self, docs: &[Document]) -> anyhow::Result<()> {
        self.write(|w, _| {
            for d in docs {
                w.add_document(self.document(d))?;
            }
            Ok(())
        })
    }

    /// Commits what was added, holding the log up to `applied`.
    pub fn commit_at(&self, applied: i64) -> anyhow::Result<()> {
        self.write(|w, reader| self.commit(w, reader, applied))
    }

    /// Merges the index into one segment (after a full build: a search then looks each word up
    /// once, not once per segment of the build). Changes coming after are merged by tantivy's
    /// policy as usual.
    pub fn compact(&self) -> anyhow::Result<()> {
        self.write(|w, reader| {
            // tantivy's own merges may be going on: a merge of segments one of them holds is
            // refused, and asked again once they are done.
            let mut refused = 0;
            loop {
                let segments = w.index().searchable_segment_ids()?;
                if segments.len() < 2 {
                    break;
                }
                match w.merge(&segments).wait() {
                    Ok(_) => break,
                    Err(tantivy::TantivyError::InvalidArgument(_)) if refused < 3_000 => {
                        refused += 1;
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                    Err(e) => return Err(e).context("cannot merge the search index"),
                }
            }
            w.garbage_collect_files().wait().context("cannot remove the merged segments")?;
            reader.reload()?;
            Ok(())
        })
    }

    fn commit(&self, w: &mut IndexWriter, reader: &IndexReader, applied: i64) -> anyhow::Result<()> {
        let mut prepared = w.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&Mark { layout: LAYOUT, applied })?);
        prepared.commit()?;
        reader.reload()?;
        self.applied.store(applied, Ordering::Release);
        Ok(())
    }

    /// How many things of this item of the change log it holds (a test of doubles).
    pub fn count_of(&self, source: &str, key: i64) -> anyhow::Result<usize> {
        let Some(searcher) = self.searcher() else { return Ok(0) };
        let q = TermQuery::new(Term::from_field_text(self.f.item, &item(source, key)), IndexRecordOption::Basic);
        Ok(searcher.search(&q, &Count)?)
    }
}

impl Opened {
    fn writing(index: Index, lock: Option<std::fs::File>) -> anyhow::Result<Opened> {
        let mut o = Opened::reading(index)?;
        o.writer = Some((Mutex::new(o.index.writer_with_num_threads(1, WRITER_BYTES)?), lock));
        Ok(o)
    }

    fn reading(index: Index) -> anyhow::Result<Opened> {
        index.tokenizers().register(words::STEMMED, words::stemmed());
        index.tokenizers().register(words::PLAIN, words::plain());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Opened { index, reader, writer: None })
    }
}

/// The index in `dir`, or a new one if there is none or it was laid out otherwise (only the
/// process holding the folder's lock calls this).
fn open_or_make(dir: &Path) -> anyhow::Result<Index> {
    if let Ok(index) = Index::open_in_dir(dir)
        && mark_of(&index).is_some_and(|m| m.layout == LAYOUT)
    {
        return Ok(index);
    }
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_file() && p.file_name().is_some_and(|n| n != "writer.lock") {
            std::fs::remove_file(&p)?;
        }
    }
    Index::builder()
        .schema(schema().0)
        .settings(settings())
        .create_in_dir(dir)
        .with_context(|| format!("cannot create the search index in {}", dir.display()))
}

fn mark_of(index: &Index) -> Option<Mark> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(key: i64, kind: &'static str, body: Option<i64>, title: &str, text: &str, date: i64) -> Document {
        Document {
            source: "t",
            key,
            kind,
            body_id: body,
            title: title.into(),
            text: text.into(),
            path: format!("/t/{key}"),
            date,
            ..Document::default()
        }
    }

    fn index() -> SearchIndex {
        let ix = SearchIndex::in_memory().expect("index");
        let docs = [
            doc(
                1,
                "page",
                Some(1),
                "Порядок рассмотрения обращений граждан",
                "Обращение рассматривается в течение 30 дней со дня регистрации.",
                1_000,
            ),
            doc(
                2,
                "news",
                Some(2),
                "Открытые данные о бюджете",
                "Опубликован набор открытых данных об исполнении бюджета области.",
                2_000,
            ),
            doc(
                3,
                "document",
                Some(1),
                "Положение об общественном совете",
                "Общественный совет при департаменте социальной защиты населения.",
                3_000,
            ),
            doc(4, "news", Some(1), "Приём граждан в ёлочный сезон", "Личный приём граждан руководителем.", 4_000),
        ];
        ix.apply(&[], &docs, 7).expect("apply");
        ix
    }

    fn query(text: &str) -> Query {
        Query { read: words::read(text), limit: 10, ..Query::default() }
    }

    fn keys(found: &Found) -> Vec<i64> {
        found.hits.iter().map(|h| h.key).collect()
    }

    #[test]
    fn inflected_forms_find_each_other_and_the_title_counts_most() {
        let ix = index();
        assert_eq!(ix.applied(), Some(7));
        let f = ix.search(&query("обращение гражданина")).expect("search");
        assert_eq!(keys(&f), [1, 4], "«граждан» and «гражданина» are one word; {f:?}");
        assert!(!f.hits[0].partial && f.hits[1].partial, "4 has «граждан» only, after those with both");
        let f = ix.search(&query("граждан")).expect("search");
        assert_eq!(keys(&f), [4, 1], "4 has the word in its title and its text, 1 in its title only");
        let f = ix.search(&query("ЕЛОЧНЫЙ")).expect("search");
        assert_eq!(keys(&f), [4], "ё = е, case folded");
    }

    #[test]
    fn a_synonym_finds_the_other_side_in_any_form_and_either_way() {
        let ix = index();
        ix.apply(&[], &[doc(5, "page", None, "Перечень органов государственной власти", "Сведения.", 6_000)], 8)
            .expect("apply");
        let synonyms = std::sync::Arc::new(Synonyms::new([
            ("ОГВ", "орган государственной власти"),
            ("соцзащита", "социальная защита"),
        ]));
        let with = |text: &str| Query { synonyms: synonyms.clone(), ..query(text) };
        assert!(ix.search(&query("огв")).expect("search").hits.is_empty());
        assert_eq!(keys(&ix.search(&with("ОГВ")).expect("search")), [5]);
        assert_eq!(keys(&ix.search(&with("перечень огв")).expect("search")), [5]);
        // The long side typed, inflected: the short side is looked for too (and the long).
        ix.apply(&[], &[doc(6, "news", None, "Соцзащита информирует", "Новости.", 7_000)], 9).expect("apply");
        let mut both = keys(&ix.search(&with("социальной защиты")).expect("search"));
        both.sort();
        assert_eq!(both, [3, 6], "3 says «социальной защиты», 6 «соцзащита»");
        let mut both = keys(&ix.search(&with("соцзащиты")).expect("search"));
        both.sort();
        assert_eq!(both, [3, 6], "the short side typed finds the long one too");
        assert_eq!(keys(&ix.search(&query("соцзащиты")).expect("search")), [6], "without the synonym");
    }

    #[test]
    fn a_phrase_needs_its_words_side_by_side() {
        let ix = index();
        assert_eq!(keys(&ix.search(&query("\"открытых данных\"")).expect("search")), [2]);
        assert!(ix.search(&query("\"данных открытых\"")).expect("search").hits.is_empty());
    }

    #[test]
    fn a_typo_is_corrected_from_the_words_of_the_index() {
        let ix = index();
        // «обращения» is not in the index: the nearest word that is («обращение») is taken.
        let f = ix.search(&query("абращения")).expect("search");
        assert_eq!(keys(&f), [1]);
        assert_eq!(f.corrected.map(|r| r.text()).as_deref(), Some("обращение"));
        let f = ix.search(&query("бюджетт")).expect("search");
        assert_eq!(keys(&f), [2]);
        // A word too short to correct, and a word far from any: nothing, no correction.
        let f = ix.search(&query("ыыыыыыы")).expect("search");
        assert!(f.hits.is_empty() && f.corrected.is_none());
    }

    #[test]
    fn filters_by_kind_body_and_date_and_a_filter_alone_lists_newest_first() {
        let ix = index();
        let mut q = query("граждан");
        q.kind = Some("news".into());
        assert_eq!(keys(&ix.search(&q).expect("search")), [4]);
        let mut q = query("");
        q.body = Some(1);
        assert_eq!(keys(&ix.search(&q).expect("search")), [4, 3, 1]);
        q.from = Some(2_000);
        q.until = Some(4_000);
        assert_eq!(keys(&ix.search(&q).expect("search")), [3]);
        assert!(ix.search(&query("")).expect("search").hits.is_empty(), "nothing asked, nothing listed");
    }

    #[test]
    fn the_snippet_marks_the_words_found() {
        let ix = index();
        let f = ix.search(&query("регистрации")).expect("search");
        let marked: Vec<&str> = f.hits[0].snippet.iter().filter(|(_, m)| *m).map(|(s, _)| s.as_str()).collect();
        assert_eq!(marked, ["регистрации"]);
    }

    #[test]
    fn a_change_replaces_a_thing_and_a_removal_removes_it_without_doubles() {
        let ix = index();
        ix.apply(&[], &[doc(2, "news", Some(2), "Бюджет для граждан", "Брошюра.", 5_000)], 8).expect("apply");
        assert_eq!(ix.count_of("t", 2).expect("count"), 1);
        assert!(ix.search(&query("открытые данные")).expect("search").hits.is_empty());
        ix.apply(&[("t", 2)], &[], 9).expect("apply");
        assert_eq!(ix.count_of("t", 2).expect("count"), 0);
        assert_eq!(ix.applied(), Some(9));
        assert_eq!(ix.len(), 3);
    }

    #[test]
    fn completions_are_the_words_of_the_index_most_used_first() {
        let ix = index();
        assert_eq!(ix.completions("гр", 3).expect("complete"), ["граждан"]);
        assert_eq!(ix.completions("Об", 10).expect("complete")[0], "об", "«об» is in two texts");
        assert!(ix.completions("о", 3).expect("complete").is_empty(), "one letter is too little");
    }

    #[test]
    fn an_index_on_disk_reopens_at_its_mark_and_a_new_one_has_none() {
        let dir = std::env::temp_dir().join(format!("glasnost-search-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        {
            let ix = SearchIndex::open(&dir).expect("open");
            assert_eq!(ix.applied(), None);
            ix.apply(&[], &[doc(1, "page", None, "Устав", "Текст устава.", 1)], 42).expect("apply");
        }
        let ix = SearchIndex::open(&dir).expect("reopen");
        assert_eq!(ix.applied(), Some(42));
        assert_eq!(ix.len(), 1);
        drop(ix);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
