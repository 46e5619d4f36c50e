//! Throughput of the deadline core: phrases parsed per second (every distinct phrase of the seed
//! roadmaps; every phrase of the real-phrase corpus) and due dates evaluated per second.
//! `scripts/bench` turns the figures into docs/benchmarks.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deadlines::{Calendar, Date, DayOffPolicy, parse};

include!("../tests/data/seed_phrases.rs");

// Only the phrases are benchmarked; the verdicts belong to the tests.
#[allow(dead_code)]
mod corpus {
    include!("../tests/data/corpus_cases.rs");
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("deadlines");
    g.throughput(Throughput::Elements(SEED_PHRASES.len() as u64));
    g.bench_function("parse_seed_phrases", |b| {
        b.iter(|| {
            for (phrase, _, _) in SEED_PHRASES {
                let _ = std::hint::black_box(parse(std::hint::black_box(phrase)));
            }
        })
    });
    let corpus: Vec<(String, deadlines::Context)> =
        corpus::corpus().into_iter().map(|c| (c.phrase, deadlines::Context { year: c.year })).collect();
    g.throughput(Throughput::Elements(corpus.len() as u64));
    g.bench_function("parse_corpus_phrases", |b| {
        b.iter(|| {
            for (phrase, ctx) in &corpus {
                let _ = std::hint::black_box(deadlines::parse_in(std::hint::black_box(phrase), *ctx));
            }
        })
    });
    let cal = Calendar::federal();
    let schedules: Vec<_> = SEED_PHRASES.iter().filter_map(|(p, _, _)| parse(p).ok()).collect();
    let after = Date::new(2017, 4, 3).unwrap_or(Date::MIN);
    let mut dues = 0u64;
    for s in &schedules {
        dues += s.next_due(&cal, after, 3, None, DayOffPolicy::Preceding).map(|d| d.len() as u64).unwrap_or(0);
    }
    g.throughput(Throughput::Elements(dues));
    g.bench_function("next_three_due_dates", |b| {
        b.iter(|| {
            for s in &schedules {
                let _ = std::hint::black_box(s.next_due(&cal, after, 3, None, DayOffPolicy::Preceding));
            }
        })
    });
    let terms = [deadlines::Term::working_days(15), deadlines::Term::calendar_days(30, DayOffPolicy::Preceding)];
    g.throughput(Throughput::Elements(365 * 2));
    g.bench_function("terms_from_every_day_of_2026", |b| {
        b.iter(|| {
            let mut d = Date::new(2026, 1, 1).unwrap_or(Date::MIN);
            for _ in 0..365 {
                for t in &terms {
                    let _ = std::hint::black_box(cal.add(d, t));
                }
                d = d.tomorrow().unwrap_or(d);
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
