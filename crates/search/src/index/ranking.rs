//! How the index answers a query: the words read into units (a word by its readings, a phrase,
//! a word and its staff synonym), the query built in tiers (every word, then some), ranked by
//! BM25F with freshness and kinds, counted up to a bound, typos corrected by the nearest word of
//! the index, and completions of a prefix.

use std::collections::HashMap;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, PhraseQuery, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, TantivyDocument, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Searcher, Term};

use super::*;
use crate::words::{self, Part, Read};

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

impl SearchIndex {
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
