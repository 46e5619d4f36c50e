//! The summary of proposals of a discussion with 1,000 published comments (each on one of 300
//! articles, two in three with the body's position and its reason): built, and written as .docx.

use criterion::{Criterion, criterion_group, criterion_main};
use discussion::Comment;

fn comments() -> Vec<Comment> {
    let positions = ["accepted", "partly", "rejected", ""];
    (1..=1000)
        .map(|i| Comment {
            id: i,
            subject_id: 1,
            unit: Some(i % 300),
            version: 1,
            author_name: format!("Участник обсуждения {i}"),
            email: String::new(),
            text: format!("Предложение {i}: изложить статью в новой редакции, уточнив срок рассмотрения заявления и перечень документов."),
            status: "published".into(),
            reject_reason: String::new(),
            reply: if i % 3 == 0 { String::new() } else { "Учтено при доработке проекта: срок сокращён до пяти рабочих дней.".into() },
            replied_at: None,
            position: positions[(i % 4) as usize].into(),
            created_at: 0,
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let list = comments();
    let place = |u: Option<i64>| {
        u.map_or((0, "Проект в целом".to_string()), |n| (n as usize + 1, format!("Статья {n}")))
    };
    let summary = discussion::summary::build(&list, place);
    let about = vec!["Проект закона Томской области".to_string()];
    c.bench_function("summary_1000_build", |b| b.iter(|| discussion::summary::build(&list, place)));
    c.bench_function("summary_1000_docx", |b| b.iter(|| discussion::summary::docx(&summary, &about).expect("docx")));
}

criterion_group!(benches, bench);
criterion_main!(benches);
