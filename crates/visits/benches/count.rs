//! What counting one view costs: telling a robot from a person, reading the referrer, the
//! page's place and adding the view to the node's counts — the work `visits::http::count` adds
//! to every page, beside the page itself (`scripts/bench visits` sets both side by side).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use visits::count::{Counter, Link, View, is_robot, link, place};

fn count_one_view(c: &mut Criterion) {
    let counter = Counter::default();
    let tz = jiff::tz::TimeZone::get("Asia/Tomsk").expect("zone");
    let now = jiff::Timestamp::now().as_millisecond();
    let ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    let paths: Vec<String> = (0..200).map(|i| format!("/o/social-protection/news/{i}")).collect();
    let mut i = 0;
    c.bench_function("count_one_view", |b| {
        b.iter(|| {
            i = (i + 1) % paths.len();
            let path = black_box(paths[i].as_str());
            if place(path).is_none() {
                return;
            }
            let robot = is_robot(black_box(Some(ua)));
            let came = link(black_box(Some("https://yandex.ru/search/?text=x")), Some("gov.example"));
            let Some(day) = counter.day_of(now, &tz) else { return };
            let from = match came {
                Link::Other(h) => Some(h),
                _ => None,
            };
            counter.count(View { day, path, robot, entry: true, from });
        })
    });
}

criterion_group!(benches, count_one_view);
criterion_main!(benches);
