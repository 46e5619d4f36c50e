//! Roadmap figures for docs/benchmarks.md (`scripts/bench`): reading seed 002 into a plan,
//! and the execution report of a body with 500 measures (the report's rows and summary, then
//! its Word file).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use roadmap::marks::Mark;
use roadmap::store::{Loaded, Roadmap, StoredMeasure, StoredSection};

const SEED_002: &[u8] = include_bytes!("../tests/fixtures/002.txt");
const SEED_003: &[u8] = include_bytes!("../tests/fixtures/003.txt");
const SEED_004: &[u8] = include_bytes!("../tests/fixtures/004.txt");

/// A plan of 500 measures made of the three seed plans, repeated, every other one marked.
fn plan_of_500() -> (Loaded, Vec<Mark>) {
    let plans: Vec<_> = [("002.txt", SEED_002), ("003.txt", SEED_003), ("004.txt", SEED_004)]
        .iter()
        .map(|(n, b)| roadmap::file::read_plan(n, b).unwrap_or_else(|e| panic!("{n}: {e}")))
        .collect();
    let mut sections = Vec::new();
    let mut measures = Vec::new();
    'fill: for round in 0.. {
        for plan in &plans {
            let first_section = sections.len() as i64;
            for (i, s) in plan.sections.iter().enumerate() {
                let id = first_section + i as i64 + 1;
                sections.push(StoredSection { id, number: format!("{round}.{}", s.number), title: s.title.clone() });
            }
            for m in &plan.measures {
                if measures.len() == 500 {
                    break 'fill;
                }
                let section = plan.sections.iter().position(|s| Some(&s.number) == m.section.as_ref());
                measures.push(StoredMeasure {
                    id: measures.len() as i64 + 1,
                    section_id: section.map(|i| first_section + i as i64 + 1),
                    number: m.number.clone(),
                    text: m.text.clone(),
                    stage: m.stage.map(i64::from),
                    deadline: m.deadline.clone(),
                    executors: m.executors.clone(),
                    expected: m.expected.clone(),
                    continuation: m.continuation,
                });
            }
        }
    }
    let marks = measures
        .iter()
        .step_by(2)
        .map(|m| Mark {
            id: m.id,
            measure_id: m.id,
            period: String::new(),
            status: "done".into(),
            marked_on: "2018-03-01".into(),
            comment: "исполнено в срок".into(),
            evidence: vec![format!("https://dszn.tomsk.example/evidence/{}", m.id)],
            actor: "Координатор".into(),
            created_at: 0,
        })
        .collect();
    let roadmap = Roadmap {
        id: 1,
        body_id: 1,
        title: "План мероприятий на 500 пунктов".into(),
        period: String::new(),
        approving_act: "№ 1".into(),
        status: "approved".into(),
        source_name: String::new(),
        created_at: 0,
        updated_at: 0,
        discussion_until: String::new(),
    };
    (Loaded { roadmap, sections, measures }, marks)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("roadmap");
    g.throughput(Throughput::Elements(91));
    g.bench_function("read_seed_002", |b| {
        b.iter(|| roadmap::file::read_plan("002.txt", std::hint::black_box(SEED_002)))
    });
    let (loaded, marks) = plan_of_500();
    let cal = deadlines::Calendar::federal();
    let today = deadlines::Date::new(2018, 12, 28).unwrap_or(deadlines::Date::MIN);
    let period = roadmap::report::period(2018, None).unwrap_or_else(|| panic!("2018 is a report period"));
    g.throughput(Throughput::Elements(loaded.measures.len() as u64));
    g.bench_function("report_500_rows_and_summary", |b| {
        b.iter(|| roadmap::report::build(&loaded, &marks, &cal, today, period))
    });
    let report = roadmap::report::build(&loaded, &marks, &cal, today, period);
    let rows: usize = report.sections.iter().map(|s| s.rows.len()).sum();
    assert!(rows >= 200, "the 2018 report has the measures due or marked in 2018 ({rows})");
    // For scripts/bench: how many rows the benchmarked report has.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/criterion/roadmap");
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join("report_500_rows.txt"), rows.to_string());
    }
    g.bench_function("report_500_docx", |b| b.iter(|| roadmap::report::docx(&report)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
