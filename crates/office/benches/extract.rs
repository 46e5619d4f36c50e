//! Text extraction of a 100-page document: a Word file written here from seed 002's text
//! repeated, and the same text printed to PDF by Chromium (`scripts/bench` prints it and names
//! it in `OFFICE_BENCH_PDF`; without it, only the Word file is measured). Writes each file's
//! bytes, characters read and lines (Word) or pages (PDF) to `target/criterion/office/sizes.txt`.

use criterion::{Criterion, criterion_group, criterion_main};

const SOURCE: &str = include_str!("../../roadmap/tests/fixtures/002.txt");
/// Lines of text: `scripts/bench` prints the same lines (the source's non-empty ones, repeated)
/// to PDF, which makes about 100 pages of it.
const LINES: usize = 1660;

fn lines() -> Vec<&'static str> {
    let one: Vec<&str> = SOURCE.lines().filter(|l| !l.trim().is_empty()).collect();
    one.iter().copied().cycle().take(LINES).collect()
}

fn docx() -> Vec<u8> {
    use docx_rs::{Docx, Paragraph, Run};
    let doc =
        lines().into_iter().fold(Docx::new(), |d, t| d.add_paragraph(Paragraph::new().add_run(Run::new().add_text(t))));
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).expect("docx");
    out.into_inner()
}

fn bench(c: &mut Criterion) {
    let mut sizes = vec![];
    let word = docx();
    let text = office::text(office::Format::Docx, &word).expect("docx text");
    sizes.push(format!("docx\t{}\t{}\t{LINES}", word.len(), text.chars().count()));
    c.bench_function("docx_100_pages", |b| b.iter(|| office::text(office::Format::Docx, &word).expect("text")));
    if let Ok(path) = std::env::var("OFFICE_BENCH_PDF") {
        let pdf = std::fs::read(&path).expect("the PDF to read");
        let pages = lopdf::Document::load_mem(&pdf).map(|d| d.get_pages().len()).unwrap_or(0);
        let text = office::text(office::Format::Pdf, &pdf).expect("pdf text");
        sizes.push(format!("pdf\t{}\t{}\t{}", pdf.len(), text.chars().count(), pages));
        c.bench_function("pdf_100_pages", |b| b.iter(|| office::text(office::Format::Pdf, &pdf).expect("text")));
    }
    // Where criterion writes its own figures.
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../target").into());
    let dir = std::path::Path::new(&target).join("criterion/office");
    std::fs::create_dir_all(&dir).expect("criterion folder");
    std::fs::write(dir.join("sizes.txt"), sizes.join("\n")).expect("sizes");
}

criterion_group!(benches, bench);
criterion_main!(benches);
