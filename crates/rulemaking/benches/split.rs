//! Splitting a 300-article draft into its units: a Word file written here (each article a
//! heading, three parts, two points in the first part — sentences of the real excerpts in
//! `tests/data/units/`), read as an upload is read (`store::read_version`: its format checked,
//! its text extracted, split), and the split of the text alone. Writes the file's bytes and the
//! units found to `target/criterion/rulemaking/sizes.txt`.

use criterion::{Criterion, criterion_group, criterion_main};

const ARTICLES: usize = 300;

fn sentences() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/units");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read_to_string(&path).expect("fixture");
            out.extend(text.lines().map(|l| l.trim_start_matches(|c: char| !c.is_alphabetic()).to_string()));
        }
    }
    out.retain(|s| s.chars().count() > 40);
    out.sort();
    out
}

fn paragraphs() -> Vec<String> {
    let s = sentences();
    let mut n = 0;
    let mut next = || {
        n += 1;
        s[n % s.len()].clone()
    };
    let mut out = vec!["ПРОЕКТ".to_string(), "ЗАКОН ТОМСКОЙ ОБЛАСТИ".to_string()];
    for a in 1..=ARTICLES {
        out.push(format!("Статья {a}. {}", next().chars().take(60).collect::<String>()));
        out.push(format!("1. {}", next()));
        out.push(format!("1) {}", next()));
        out.push(format!("2) {}", next()));
        out.push(format!("2. {}", next()));
        out.push(format!("3. {}", next()));
    }
    out.push("Губернатор Томской области".into());
    out
}

fn docx(paragraphs: &[String]) -> Vec<u8> {
    use docx_rs::{Docx, Paragraph, Run};
    let doc = paragraphs
        .iter()
        .fold(Docx::new(), |d, t| d.add_paragraph(Paragraph::new().add_run(Run::new().add_text(t.as_str()))));
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).expect("docx");
    out.into_inner()
}

fn bench(c: &mut Criterion) {
    let paragraphs = paragraphs();
    let word = docx(&paragraphs);
    let (_, split, structured) = rulemaking::store::read_version("draft.docx", &word).expect("read");
    assert!(structured && split.units.len() == ARTICLES * 6, "{} units", split.units.len());
    let text = paragraphs.join("\n");
    c.bench_function("split_300_articles_docx", |b| {
        b.iter(|| rulemaking::store::read_version("draft.docx", &word).expect("read"))
    });
    c.bench_function("split_300_articles_text", |b| b.iter(|| rulemaking::units::split(&text)));
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../target").into());
    let dir = std::path::Path::new(&target).join("criterion/rulemaking");
    std::fs::create_dir_all(&dir).expect("criterion folder");
    std::fs::write(dir.join("sizes.txt"), format!("{}\t{}\t{}", word.len(), split.units.len(), text.chars().count()))
        .expect("sizes");
}

criterion_group!(benches, bench);
criterion_main!(benches);
