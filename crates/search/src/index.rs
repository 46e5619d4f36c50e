//! A node's search index: tantivy on the node's disk (or in memory for a test), one document per
//! public thing, keyed by its source and key. Each commit carries the last change of the log it
//! applied, so the index and its place in the log are written together: a node killed at any
//! moment reopens at a commit that says exactly which changes it holds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, RwLock};

use anyhow::Context;
use kernel::search::Document;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, PhraseQuery, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TantivyDocument, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, Term};

use crate::words::{self, Part, Read};

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

/// Synonyms as the index compares them: each side's words in their likeliest dictionary form.
#[derive(Clone, Debug, Default)]
pub struct Synonyms(Vec<(Vec<String>, Vec<String>)>);

impl Synonyms {
    /// From pairs of (words, meaning) as staff wrote them.
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Synonyms {
        let mut analyzer = words::stemmed();
        let mut side = |text: &str| -> Vec<String> {
            words::readings(&mut analyzer, text).into_iter().filter_map(|r| r.into_iter().next()).collect()
        };
        Synonyms(
            pairs
                .into_iter()
                .map(|(a, b)| (side(a), side(b)))
                .filter(|(a, b)| !a.is_empty() && !b.is_empty())
                .collect(),
        )
    }

    /// The other side of a synonym one of whose sides the words from `at` begin with, and how
    /// many words it takes (the longest match).
    fn at(&self, words: &[&Vec<String>]) -> Option<(&[String], usize)> {
        let matches = |side: &[String]| {
            side.len() <= words.len() && side.iter().zip(words).all(|(lemma, readings)| readings.contains(lemma))
        };
        self.0
            .iter()
            .flat_map(|(a, b)| [(a, b), (b, a)])
            .filter(|(side, _)| matches(side))
            .max_by_key(|(side, _)| side.len())
            .map(|(side, other)| (other.as_slice(), side.len()))
    }
}

/// What a query asks for, unit by unit: words side by side (each by its readings; one word is
/// any of its readings), or any of several such (a word and its synonym).
enum Unit {
    Words(Vec<Vec<String>>),
    Either(Vec<Vec<Vec<String>>>),
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

    /// Looks for `q`: things with every word first, then — for a query of several words that
    /// finds few with all of them — things with some, marked. A query nothing has every word of
    /// is tried again with its typos corrected.
    pub fn search(&self, q: &Query) -> anyhow::Result<Found> {
        let Some(searcher) = self.searcher() else { return Ok(Found::default()) };
        let found = self.tiers(&searcher, q)?;
        if found.complete > 0 || q.read.is_empty() {
            return Ok(found);
        }
        // Nothing has every word: a word the index does not hold may be a typo.
        let Some(corrected) = self.corrected(&searcher, &q.read)? else { return Ok(found) };
        let again = self.tiers(&searcher, &Query { read: corrected.clone(), ..q.clone() })?;
        let better = again.complete > 0 || (found.total == 0 && again.total > 0);
        Ok(if better { Found { corrected: Some(corrected), ..again } } else { found })
    }

    fn tiers(&self, searcher: &Searcher, q: &Query) -> anyhow::Result<Found> {
        let wanted = q.offset + q.limit.max(1);
        let Some((every, units)) = self.query(q, Occur::Must) else { return Ok(Found::default()) };
        // One word alone (or its readings) without filters is one flat union tantivy prunes.
        let filtered = q.kind.is_some() || q.body.is_some() || q.tag.is_some() || q.from.is_some() || q.until.is_some();
        let (all, total) = self.top(searcher, q, every.as_ref(), wanted, units == 1 && !filtered)?;
        if units < 2 || total >= wanted {
            let page = all.into_iter().skip(q.offset).map(|a| (a, false)).collect();
            return Ok(Found { complete: total, ..self.hits(searcher, every.as_ref(), page, total)? });
        }
        let Some((some, _)) = self.query(q, Occur::Should) else { return Ok(Found::default()) };
        let (more, any) = self.top(searcher, q, some.as_ref(), wanted + all.len(), false)?;
        let first = all.len();
        let merged = all.iter().copied().chain(more.into_iter().filter(|a| !all.contains(a)));
        let page = merged.enumerate().skip(q.offset).take(q.limit.max(1)).map(|(i, a)| (a, i >= first)).collect();
        Ok(Found { complete: total, ..self.hits(searcher, some.as_ref(), page, any)? })
    }

    /// The query of `q`'s words (each `occur`: all of them, or any) within its filters, and how
    /// many units of words it has; None when it looks for nothing.
    fn query(&self, q: &Query, occur: Occur) -> Option<(Box<dyn tantivy::query::Query>, usize)> {
        let f = self.f;
        let mut stemmed = words::stemmed();
        let mut words_of: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
        // The words of each part; a word (or words in a row) one side of a synonym is either
        // side.
        let parts: Vec<(bool, Vec<Vec<String>>)> = q
            .read
            .parts
            .iter()
            .map(|part| match part {
                Part::Word(w) => (true, words::readings(&mut stemmed, w)),
                Part::Phrase(ws) => (false, ws.iter().flat_map(|w| words::readings(&mut stemmed, w)).collect()),
            })
            .collect();
        let mut units = Vec::new();
        let mut i = 0;
        while i < parts.len() {
            let run: Vec<&Vec<String>> =
                parts[i..].iter().take_while(|(word, _)| *word).flat_map(|(_, groups)| groups.first()).collect();
            if let Some((other, taken)) = q.synonyms.at(&run) {
                let own: Vec<Vec<String>> = parts[i..i + taken].iter().flat_map(|(_, g)| g.clone()).collect();
                units.push(Unit::Either(vec![own, other.iter().map(|l| vec![l.clone()]).collect()]));
                i += taken;
            } else {
                units.push(Unit::Words(parts[i].1.clone()));
                i += 1;
            }
        }
        let words_query = |groups: &[Vec<String>]| -> Option<Box<dyn tantivy::query::Query>> {
            match groups {
                [] => None,
                [forms] => {
                    // A word: any of its readings — one term, or one flat union of terms; words
                    // of one reading each are one intersection of terms. tantivy skips through
                    // both (block-max WAND).
                    let term = |f_: &String| {
                        Box::new(TermQuery::new(
                            Term::from_field_text(f.text, f_),
                            IndexRecordOption::WithFreqsAndPositions,
                        )) as Box<dyn tantivy::query::Query>
                    };
                    match forms.as_slice() {
                        [one] => Some(term(one)),
                        _ => Some(Box::new(BooleanQuery::new(
                            forms.iter().map(|f_| (Occur::Should, term(f_))).collect(),
                        )) as Box<dyn tantivy::query::Query>),
                    }
                }
                many => {
                    // Words side by side, each by its likeliest reading (every reading of a
                    // word of the text stands at its place).
                    Some(Box::new(PhraseQuery::new(
                        many.iter().map(|forms| Term::from_field_text(f.text, &forms[0])).collect(),
                    )) as Box<dyn tantivy::query::Query>)
                }
            }
        };
        for unit in &units {
            let query = match unit {
                Unit::Words(groups) => words_query(groups),
                Unit::Either(alternatives) => {
                    let any: Vec<(Occur, Box<dyn tantivy::query::Query>)> =
                        alternatives.iter().filter_map(|a| words_query(a)).map(|q| (Occur::Should, q)).collect();
                    (!any.is_empty()).then(|| Box::new(BooleanQuery::new(any)) as Box<dyn tantivy::query::Query>)
                }
            };
            if let Some(query) = query {
                words_of.push((occur, query));
            }
        }
        if words_of.is_empty() && !q.read.is_empty() {
            return None;
        }
        let units = words_of.len();
        let words_part: Option<Box<dyn tantivy::query::Query>> = match words_of.len() {
            0 => None,
            // One unit alone is the query itself (a word's flat union stays prunable).
            1 => words_of.pop().map(|(_, q)| q),
            _ => Some(Box::new(BooleanQuery::new(words_of))),
        };
        let mut must: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
        if let Some(kind) = &q.kind {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_text(f.kind, kind), IndexRecordOption::Basic)),
            ));
        }
        if let Some(body) = q.body {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_u64(f.body, body as u64), IndexRecordOption::Basic)),
            ));
        }
        if let Some(tag) = &q.tag {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_text(f.tags, &tag.to_lowercase()), IndexRecordOption::Basic)),
            ));
        }
        if q.from.is_some() || q.until.is_some() {
            use std::ops::Bound;
            let lower = q.from.map_or(Bound::Unbounded, |t| Bound::Included(Term::from_field_i64(f.date, t)));
            let upper = q.until.map_or(Bound::Unbounded, |t| Bound::Excluded(Term::from_field_i64(f.date, t)));
            must.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        match (words_part, must.is_empty()) {
            (None, true) => None,
            (Some(words), true) => Some((words, units)),
            (words, false) => {
                must.extend(words.map(|w| (Occur::Must, w)));
                Some((Box::new(BooleanQuery::new(must)), units))
            }
        }
    }

    /// The best `wanted` things for `query` and how many there are (up to `MOST_COUNTED`): by
    /// relevance and freshness when words are looked for, newest first when only filters are.
    /// Relevance picks the best few times `wanted`, freshness orders them. A `prunable` query (one
    /// flat union) is counted apart, so tantivy may skip through its lists for the best; any
    /// other is read through anyway, and counted on the way.
    fn top(
        &self,
        searcher: &Searcher,
        q: &Query,
        query: &dyn tantivy::query::Query,
        wanted: usize,
        prunable: bool,
    ) -> anyhow::Result<(Vec<DocAddress>, usize)> {
        if q.read.is_empty() {
            let top = TopDocs::with_limit(wanted).order_by_fast_field::<i64>("date", tantivy::Order::Desc);
            let (top, total) = searcher.search(query, &(top, Count))?;
            return Ok((top.into_iter().map(|(_, a)| a).collect(), total.min(MOST_COUNTED)));
        }
        let pool = (wanted * RERANKED).max(MOST_RERANKED);
        let by_score = TopDocs::with_limit(pool).order_by_score();
        let (top, total) = if prunable {
            (searcher.search(query, &by_score)?, count_up_to(searcher, query, MOST_COUNTED)?)
        } else {
            let (top, total) = searcher.search(query, &(by_score, Count))?;
            (top, total.min(MOST_COUNTED))
        };
        let (freshness, half_life, now) = (q.freshness, q.half_life_days.max(1.0), q.now);
        let boosts: Vec<(u64, f32)> = q.kind_boosts.iter().map(|(k, f)| (kind_hash(k), *f)).collect();
        type Column<T> = Option<tantivy::columnar::Column<T>>;
        // Each segment's dates, kinds and copies.
        type Columns = (Column<i64>, Column<u64>, Column<u64>);
        let mut columns: HashMap<u32, Columns> = HashMap::new();
        let mut ranked: Vec<(f32, u64, DocAddress)> = top
            .into_iter()
            .map(|(score, a)| {
                let (dates, kinds, copies) = columns.entry(a.segment_ord).or_insert_with(|| {
                    let fast = searcher.segment_reader(a.segment_ord).fast_fields();
                    (fast.i64("date").ok(), fast.u64("kind_hash").ok(), fast.u64("copies").ok())
                });
                let date = dates.as_ref().and_then(|c| c.first(a.doc_id)).unwrap_or(now);
                let age_days = ((now - date).max(0) as f32) / 86_400_000.0;
                let kind = kinds.as_ref().and_then(|c| c.first(a.doc_id)).unwrap_or(0);
                let copy_of = copies.as_ref().and_then(|c| c.first(a.doc_id)).unwrap_or(0);
                let factor = boosts.iter().find(|(h, _)| *h == kind).map_or(1.0, |(_, f)| *f);
                (score * factor * (1.0 + freshness * (-age_days / half_life).exp2()), copy_of, a)
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        // A section once (the portal's, or the body's the query names), not once per body.
        let mut total = total;
        if q.body.is_none() {
            let mut seen = std::collections::HashSet::new();
            let before = ranked.len();
            ranked.retain(|(_, copy_of, _)| *copy_of == 0 || seen.insert(*copy_of));
            if total < MOST_COUNTED {
                total = total.saturating_sub(before - ranked.len());
            }
        }
        ranked.truncate(wanted);
        Ok((ranked.into_iter().map(|(_, _, a)| a).collect(), total))
    }

    fn hits(
        &self,
        searcher: &Searcher,
        query: &dyn tantivy::query::Query,
        addresses: Vec<(DocAddress, bool)>,
        total: usize,
    ) -> anyhow::Result<Found> {
        let f = self.f;
        let mut snippets = SnippetGenerator::create(searcher, query, f.text)?;
        snippets.set_max_num_chars(240);
        let mut hits = Vec::with_capacity(addresses.len());
        for (a, partial) in addresses {
            let doc: TantivyDocument = searcher.doc(a)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let excerpt = text(f.excerpt);
            let snippet = snippets.snippet(&excerpt);
            let mut parts = Vec::new();
            let fragment = snippet.fragment();
            if snippet.is_empty() {
                let start: String = excerpt.chars().take(240).collect();
                if !start.is_empty() {
                    parts.push((start, false));
                }
            } else {
                let mut at = 0;
                for r in snippet.highlighted() {
                    // Each reading of a word marks it: mark it once.
                    if r.start < at {
                        continue;
                    }
                    if r.start > at {
                        parts.push((fragment[at..r.start].to_string(), false));
                    }
                    parts.push((fragment[r.start..r.end].to_string(), true));
                    at = r.end;
                }
                if at < fragment.len() {
                    parts.push((fragment[at..].to_string(), false));
                }
            }
            let body = doc.get_first(f.body).and_then(|v| v.as_u64()).unwrap_or(0);
            hits.push(Hit {
                source: text(f.source),
                key: doc.get_first(f.key).and_then(|v| v.as_i64()).unwrap_or(0),
                part: doc.get_first(f.part).and_then(|v| v.as_i64()).unwrap_or(0),
                kind: text(f.kind),
                body_id: (body > 0).then_some(body as i64),
                title: text(f.title),
                title_en: text(f.title_en),
                path: text(f.path),
                date: doc.get_first(f.date).and_then(|v| v.as_i64()).unwrap_or(0),
                tags: doc.get_all(f.tags).filter_map(|v| v.as_str().map(str::to_string)).collect(),
                snippet: parts,
                partial,
            });
        }
        Ok(Found { total, complete: total, hits, corrected: None })
    }

    /// The query with each word the index does not hold replaced by the nearest word it holds,
    /// if any word was replaced.
    fn corrected(&self, searcher: &Searcher, read: &Read) -> anyhow::Result<Option<Read>> {
        let mut stemmed = words::stemmed();
        let mut changed = false;
        let mut fix = |w: &str| -> anyhow::Result<String> {
            let held = words::readings(&mut stemmed, w).iter().all(|forms| {
                forms.iter().any(|s| searcher.doc_freq(&Term::from_field_text(self.f.text, s)).unwrap_or(0) > 0)
            });
            if held {
                return Ok(w.to_string());
            }
            Ok(match self.nearest(searcher, w)? {
                Some(n) => {
                    changed = true;
                    n
                }
                None => w.to_string(),
            })
        };
        let mut parts = Vec::with_capacity(read.parts.len());
        for p in &read.parts {
            parts.push(match p {
                Part::Word(w) => Part::Word(fix(w)?),
                Part::Phrase(ws) => Part::Phrase(ws.iter().map(|w| fix(w)).collect::<anyhow::Result<_>>()?),
            });
        }
        Ok(changed.then_some(Read { parts, cut: read.cut }))
    }

    /// The word of the index nearest to `word` within its typo distance: the fewest letters
    /// changed, then the most things holding it.
    fn nearest(&self, searcher: &Searcher, word: &str) -> anyhow::Result<Option<String>> {
        let distance = words::typo_distance(word);
        if distance == 0 {
            return Ok(None);
        }
        let fuzzy = FuzzyTermQuery::new(Term::from_field_text(self.f.words, word), distance, true);
        let mut freq: HashMap<String, u64> = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.f.words)?;
            let mut stream = inverted.terms().search(fuzzy.automaton()?).into_stream()?;
            while stream.advance() {
                if let Ok(w) = std::str::from_utf8(stream.key()) {
                    *freq.entry(w.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        Ok(freq.into_iter().map(|(w, n)| (levenshtein(word, &w), std::cmp::Reverse(n), w)).min().map(|(_, _, w)| w))
    }

    /// Words of the index beginning with `prefix` (at least two letters), the most used first.
    pub fn completions(&self, prefix: &str, most: usize) -> anyhow::Result<Vec<String>> {
        let prefix = words::fold(&prefix.to_lowercase());
        if prefix.chars().count() < 2 {
            return Ok(Vec::new());
        }
        let Some(searcher) = self.searcher() else { return Ok(Vec::new()) };
        let mut freq: HashMap<String, u64> = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.f.words)?;
            let mut stream = inverted.terms().range().ge(prefix.as_bytes()).into_stream()?;
            let mut seen = 0;
            while stream.advance() && seen < 5_000 {
                if !stream.key().starts_with(prefix.as_bytes()) {
                    break;
                }
                seen += 1;
                if let Ok(w) = std::str::from_utf8(stream.key()) {
                    *freq.entry(w.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut all: Vec<(String, u64)> = freq.into_iter().collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(all.into_iter().take(most).map(|(w, _)| w).collect())
    }
}

/// How many things `query` finds, counted up to `most` (a page says «more than» beyond it): the
/// count of a common word would otherwise cost more than finding the best of them.
fn count_up_to(searcher: &Searcher, query: &dyn tantivy::query::Query, most: usize) -> anyhow::Result<usize> {
    use tantivy::{DocSet, TERMINATED};
    let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(searcher))?;
    let mut n = 0;
    for segment in searcher.segment_readers() {
        let mut docs = weight.scorer(segment, 1.0)?;
        let mut doc = docs.doc();
        while doc != TERMINATED {
            if !segment.is_deleted(doc) {
                n += 1;
                if n >= most {
                    return Ok(n);
                }
            }
            doc = docs.advance();
        }
    }
    Ok(n)
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

/// Letters to change, add or remove to make `a` into `b`.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
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
