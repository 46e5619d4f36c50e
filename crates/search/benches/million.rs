//! Search at a million documents: generated documents of realistic Russian text (a bigram model
//! of the real documents in `tests/data/relevance` and the deadline phrases of
//! `crates/deadlines/tests/corpus`, so the words and their order are officials' own), indexed as a
//! node indexes them; then one-word, two-word, filtered and typo queries, each timed, beside the
//! same queries on PostgreSQL full-text search (`russian` configuration, GIN index, ranked by
//! `ts_rank`) when `BENCH_PG_URL` names a server. Prints a Markdown section for
//! docs/benchmarks.md. `BENCH_SEARCH_DOCS` sets the count (1,000,000), `BENCH_SEARCH_DIR` the
//! folder for the index. A node's memory is read from a second process that opens the index and
//! runs the queries, as a node would.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use kernel::search::Document;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use search::index::{Query, SearchIndex};

const QUERIES: usize = 300;
const BODIES: u64 = 60;
const KINDS: [&str; 6] = ["news", "document", "page", "dataset", "measure", "answer"];
/// Ten years back from the bench's "now", in ms.
const NOW: i64 = 1_796_000_000_000;
const YEAR: i64 = 365 * 86_400_000;

/// A bigram model of officials' Russian: each word with the words seen after it.
struct Model {
    words: Vec<String>,
    next: Vec<Vec<u32>>,
    starts: Vec<u32>,
}

impl Model {
    fn new() -> Model {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut text = String::new();
        for line in
            std::fs::read_to_string(format!("{root}/tests/data/relevance/documents.tsv")).expect("documents").lines()
        {
            if let Some(body) = line.split('\t').nth(4).filter(|_| !line.starts_with('#')) {
                text.push_str(body);
                text.push('\n');
            }
        }
        // The openness plans of the seeds and of other bodies, and the catalogue of what a body's
        // site must publish: more of officials' words.
        let mut plans = vec![format!("{root}/../site/data/catalogue.csv")];
        for folder in ["../roadmap/tests/fixtures", "../roadmap/tests/fixtures/real"] {
            for entry in std::fs::read_dir(format!("{root}/{folder}")).expect("plans").flatten() {
                let p = entry.path();
                if p.extension().is_some_and(|e| e == "txt" || e == "tsv") {
                    plans.push(p.display().to_string());
                }
            }
        }
        for p in plans {
            text.push_str(&std::fs::read_to_string(&p).expect("a plan").replace(['|', ';', ','], "\n"));
            text.push('\n');
        }
        let phrases =
            std::fs::read_to_string(format!("{root}/../deadlines/tests/corpus/phrases.txt")).expect("phrases");
        for line in phrases.lines().filter(|l| !l.starts_with('#') && !l.starts_with('@')) {
            if let Some(p) = line.split(" | ").next() {
                text.push_str(p);
                text.push('\n');
            }
        }
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut words = Vec::new();
        let mut next: Vec<Vec<u32>> = Vec::new();
        let mut starts = Vec::new();
        for sentence in text.split(['\n', '.', ';']) {
            let mut prev: Option<u32> = None;
            for w in sentence.split_whitespace() {
                let id = *index.entry(w.to_string()).or_insert_with(|| {
                    words.push(w.to_string());
                    next.push(Vec::new());
                    (words.len() - 1) as u32
                });
                match prev {
                    Some(p) => next[p as usize].push(id),
                    None => starts.push(id),
                }
                prev = Some(id);
            }
        }
        Model { words, next, starts }
    }

    fn sentence(&self, rng: &mut StdRng, most: usize, out: &mut String) {
        let mut w = self.starts[rng.random_range(0..self.starts.len())];
        for i in 0..most {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&self.words[w as usize]);
            let after = &self.next[w as usize];
            if after.is_empty() {
                break;
            }
            w = after[rng.random_range(0..after.len())];
        }
    }

    /// Document `n` (the same for the same `n`, so both engines get the same documents).
    fn document(&self, n: u64) -> Document {
        let mut rng = StdRng::seed_from_u64(n);
        let mut title = String::new();
        let most = rng.random_range(5..14);
        self.sentence(&mut rng, most, &mut title);
        if rng.random_bool(0.5) {
            // An act's number and date, as titles of documents carry them.
            let (number, day) = (rng.random_range(1..2_000), rng.random_range(1..29));
            title.push_str(&format!(
                " № {number}-п от {day:02}.{:02}.20{:02}",
                rng.random_range(1..13),
                rng.random_range(10..27)
            ));
        }
        let mut text = String::new();
        for _ in 0..rng.random_range(2..7) {
            self.sentence(&mut rng, 25, &mut text);
            text.push_str(". ");
        }
        Document {
            source: "bench",
            key: n as i64,
            kind: KINDS[rng.random_range(0..KINDS.len())],
            body_id: Some(rng.random_range(1..=BODIES) as i64),
            title,
            text,
            path: format!("/bench/{n}"),
            date: NOW - rng.random_range(0..10 * YEAR),
            ..Document::default()
        }
    }
}

/// The four kinds of query, each with its texts and filters.
struct Asked {
    name: &'static str,
    text: String,
    body: Option<i64>,
    from: Option<i64>,
}

fn queries(model: &Model) -> Vec<Asked> {
    let mut rng = StdRng::seed_from_u64(7);
    let word = |rng: &mut StdRng| loop {
        // A word as people type it: letters only, lower-case, at least four letters.
        let w = &model.words[rng.random_range(0..model.words.len())];
        let w: String = w.chars().filter(|c| c.is_alphabetic()).collect::<String>().to_lowercase();
        if w.chars().count() >= 4 {
            return w;
        }
    };
    let mut out = Vec::new();
    for _ in 0..QUERIES {
        out.push(Asked { name: "one word", text: word(&mut rng), body: None, from: None });
    }
    for _ in 0..QUERIES {
        let mut s = String::new();
        model.sentence(&mut rng, 2, &mut s);
        let s: String = s.chars().filter(|c| c.is_alphabetic() || *c == ' ').collect::<String>().to_lowercase();
        out.push(Asked { name: "two words", text: s, body: None, from: None });
    }
    for _ in 0..QUERIES {
        let body = Some(rng.random_range(1..=BODIES) as i64);
        out.push(Asked { name: "filtered (body, last year)", text: word(&mut rng), body, from: Some(NOW - YEAR) });
    }
    for _ in 0..QUERIES {
        let w: Vec<char> = loop {
            let w = word(&mut rng);
            if w.chars().count() >= 7 {
                break w.chars().collect();
            }
        };
        let mut typo = w.clone();
        let at = rng.random_range(1..typo.len() - 1);
        typo.swap(at, at + 1);
        out.push(Asked { name: "typo", text: typo.into_iter().collect(), body: None, from: None });
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// Each kind's (p50, p99, found anything %) over its queries.
type Timings = Vec<(&'static str, Duration, Duration, f64)>;

fn summarise(times: Vec<(&'static str, Duration, bool)>) -> Timings {
    let mut names: Vec<&'static str> = Vec::new();
    for (n, _, _) in &times {
        if !names.contains(n) {
            names.push(n);
        }
    }
    names
        .into_iter()
        .map(|n| {
            let mut d: Vec<Duration> = times.iter().filter(|t| t.0 == n).map(|t| t.1).collect();
            let found = times.iter().filter(|t| t.0 == n && t.2).count() as f64 / d.len() as f64 * 100.0;
            d.sort();
            (n, percentile(&d, 0.5), percentile(&d, 0.99), found)
        })
        .collect()
}

fn run_tantivy(dir: &std::path::Path, model: &Model) -> Timings {
    let ix = SearchIndex::open(dir).expect("open the index");
    let asked = queries(model);
    // One pass to warm the page cache as a running node's would be, then the timed pass.
    for a in &asked {
        let _ = ix.search(&query(a));
    }
    let mut times = Vec::new();
    for a in &asked {
        let started = Instant::now();
        let found = ix.search(&query(a)).expect("search");
        times.push((a.name, started.elapsed(), found.total > 0));
    }
    summarise(times)
}

fn query(a: &Asked) -> Query {
    Query {
        read: search::words::read(&a.text),
        body: a.body,
        from: a.from,
        limit: 10,
        freshness: 0.3,
        half_life_days: 365.0,
        now: NOW,
        ..Query::default()
    }
}

fn status_kb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| l.strip_prefix(key).map(|v| v.trim().trim_end_matches("kB").trim().to_string()))
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir).map(|e| e.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum()).unwrap_or(0)
}

async fn run_postgres(url: &str, model: &Model, count: u64) -> (Duration, u64, Timings) {
    use sqlx::Row;
    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(2).connect(url).await.expect("connect");
    sqlx::query("DROP TABLE IF EXISTS bench_docs").execute(&pool).await.expect("drop");
    sqlx::query(
        "CREATE TABLE bench_docs (id BIGINT PRIMARY KEY, body BIGINT NOT NULL, kind TEXT NOT NULL, date BIGINT NOT NULL, \
         title TEXT NOT NULL, text TEXT NOT NULL)",
    )
    .execute(&pool)
    .await
    .expect("create");
    let started = Instant::now();
    let mut n = 0;
    while n < count {
        let batch: Vec<Document> = (n..(n + 5_000).min(count)).map(|i| model.document(i)).collect();
        n += batch.len() as u64;
        sqlx::query(
            "INSERT INTO bench_docs SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[])",
        )
        .bind(batch.iter().map(|d| d.key).collect::<Vec<_>>())
        .bind(batch.iter().map(|d| d.body_id.unwrap_or(0)).collect::<Vec<_>>())
        .bind(batch.iter().map(|d| d.kind.to_string()).collect::<Vec<_>>())
        .bind(batch.iter().map(|d| d.date).collect::<Vec<_>>())
        .bind(batch.iter().map(|d| d.title.clone()).collect::<Vec<_>>())
        .bind(batch.iter().map(|d| d.text.clone()).collect::<Vec<_>>())
        .execute(&pool)
        .await
        .expect("insert");
    }
    sqlx::query("ALTER TABLE bench_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('russian', title), 'A') || to_tsvector('russian', text)) STORED")
        .execute(&pool)
        .await
        .expect("tsvector");
    sqlx::query("CREATE INDEX bench_docs_tsv ON bench_docs USING GIN (tsv)").execute(&pool).await.expect("gin");
    sqlx::query("CREATE INDEX bench_docs_body ON bench_docs (body, date)").execute(&pool).await.expect("btree");
    sqlx::query("ANALYZE bench_docs").execute(&pool).await.expect("analyze");
    let built = started.elapsed();
    let size: i64 =
        sqlx::query("SELECT pg_total_relation_size('bench_docs')").fetch_one(&pool).await.expect("size").get(0);
    let asked = queries(model);
    let sql = "SELECT id FROM bench_docs, plainto_tsquery('russian', $1) q WHERE tsv @@ q \
               AND ($2::bigint IS NULL OR body = $2) AND ($3::bigint IS NULL OR date >= $3) \
               ORDER BY ts_rank(tsv, q) DESC LIMIT 10";
    for a in &asked {
        let _ = sqlx::query(sql).bind(&a.text).bind(a.body).bind(a.from).fetch_all(&pool).await;
    }
    let mut times = Vec::new();
    for a in &asked {
        let started = Instant::now();
        let rows = sqlx::query(sql).bind(&a.text).bind(a.body).bind(a.from).fetch_all(&pool).await.expect("query");
        times.push((a.name, started.elapsed(), !rows.is_empty()));
    }
    sqlx::query("DROP TABLE bench_docs").execute(&pool).await.expect("drop");
    (built, size as u64, summarise(times))
}

fn main() {
    let model = Model::new();
    let args: Vec<String> = std::env::args().collect();
    // The second process: a node opening the index and answering the queries.
    if let Some(i) = args.iter().position(|a| a == "--node") {
        let dir = std::path::PathBuf::from(&args[i + 1]);
        let timings = run_tantivy(&dir, &model);
        println!("{}", status_kb("VmHWM:"));
        for (n, p50, p99, found) in timings {
            println!("{n}\t{}\t{}\t{found}", p50.as_nanos(), p99.as_nanos());
        }
        return;
    }
    if args.iter().any(|a| a == "--bench") && std::env::var("BENCH_SEARCH").is_err() {
        // `cargo bench` runs every bench: this one only when asked (scripts/bench search).
        eprintln!("million: skipped (set BENCH_SEARCH=1 or run scripts/bench search)");
        return;
    }
    let count: u64 = std::env::var("BENCH_SEARCH_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = std::path::PathBuf::from(
        std::env::var("BENCH_SEARCH_DIR").unwrap_or_else(|_| "/tmp/glasnost-search-bench".into()),
    );
    let _ = std::fs::remove_dir_all(&dir);
    let started = Instant::now();
    {
        let ix = SearchIndex::open(&dir).expect("open the index");
        let mut n = 0;
        while n < count {
            let batch: Vec<Document> = (n..(n + 10_000).min(count)).map(|i| model.document(i)).collect();
            n += batch.len() as u64;
            ix.add(&batch).expect("add");
        }
        ix.commit_at(1).expect("commit");
        // As `glasnost search rebuild` and a node building its index leave it: one segment.
        ix.compact().expect("compact");
    }
    let built = started.elapsed();
    let size = dir_size(&dir);
    let words: usize = (0..1000)
        .map(|i| model.document(i))
        .map(|d| d.title.split_whitespace().count() + d.text.split_whitespace().count())
        .sum();
    let node = std::process::Command::new(&args[0]).arg("--node").arg(&dir).output().expect("the node process");
    let out = String::from_utf8_lossy(&node.stdout);
    let mut lines = out.lines();
    let hwm_kb: u64 = lines.next().and_then(|l| l.trim().parse().ok()).unwrap_or(0);
    let tantivy: Vec<(String, u128, u128, f64)> = lines
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some((f[0].to_string(), f.get(1)?.parse().ok()?, f.get(2)?.parse().ok()?, f.get(3)?.parse().ok()?))
        })
        .collect();
    let pg = std::env::var("BENCH_PG_URL")
        .ok()
        .map(|url| tokio::runtime::Runtime::new().expect("runtime").block_on(run_postgres(&url, &model, count)));
    if std::env::var("BENCH_SEARCH_KEEP").is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    }

    println!(
        "- Documents: {count} generated, {:.0} words each on average, {} distinct word forms in the model (a small",
        words as f64 / 1000.0,
        model.words.len()
    );
    println!("  vocabulary: every word is common, so lists of documents per word are long — a hard case).");
    println!(
        "- Glasnost (tantivy, words in their dictionary forms): built in **{:.0} s**, **{:.0} MB** on disk;",
        built.as_secs_f64(),
        size as f64 / 1e6
    );
    println!(
        "  a node that opens the index and answers the {} queries peaks at **{:.0} MB** resident.",
        QUERIES * 4,
        hwm_kb as f64 / 1024.0
    );
    if let Some((pg_built, pg_size, _)) = &pg {
        println!(
            "- PostgreSQL: rows inserted, `tsvector` (title weighted A) and GIN index built in **{:.0} s**, **{:.0} MB** (table and indexes).",
            pg_built.as_secs_f64(),
            *pg_size as f64 / 1e6
        );
    }
    println!(
        "- {QUERIES} queries of each kind, top 10 by relevance with snippets (Glasnost) or `ts_rank` (PostgreSQL), after one"
    );
    println!(
        "  warm-up pass; a typo query is corrected from the index's words by Glasnost, while PostgreSQL finds nothing for it."
    );
    println!("- Targets: p50 ≤ 1 ms, p99 ≤ 20 ms; ≥ 10× faster than PostgreSQL at the median.");
    println!();
    println!(
        "| Query | Glasnost p50, ms | Glasnost p99, ms | found, % | PostgreSQL p50, ms | PostgreSQL p99, ms | found, % | PostgreSQL ÷ Glasnost at p50 |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, p50, p99, found) in &tantivy {
        let (g50, g99) = (Duration::from_nanos(*p50 as u64), Duration::from_nanos(*p99 as u64));
        let row = pg.as_ref().and_then(|(_, _, t)| t.iter().find(|r| r.0 == name.as_str()));
        match row {
            // A ratio to a search that finds nothing would say nothing.
            Some((_, q50, q99, qf)) if *qf < 10.0 => println!(
                "| {name} | {} | {} | {found:.0} | {} | {} | {qf:.0} | — (PostgreSQL finds almost nothing) |",
                ms(g50),
                ms(g99),
                ms(*q50),
                ms(*q99),
            ),
            Some((_, q50, q99, qf)) => println!(
                "| {name} | {} | {} | {found:.0} | {} | {} | {qf:.0} | **{:.0}×** |",
                ms(g50),
                ms(g99),
                ms(*q50),
                ms(*q99),
                q50.as_secs_f64() / g50.as_secs_f64()
            ),
            None => println!("| {name} | {} | {} | {found:.0} | — | — | — | — |", ms(g50), ms(g99)),
        }
    }
}
