//! Personal reception: staff publish a time with two places; two citizens book it and each gets
//! the confirmation through a real SMTP server; a third is refused with the next time that has a
//! place; the officer's page lists who booked, and nobody else sees their names.

use kernel::staff::Role;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;
use crate::outbox::Sink;

const STAFF: &str = "/staff/o/social-protection/site/reception/";

async fn a_citizen_books_a_place_is_confirmed_by_mail_and_a_full_time_points_to_the_next(app: TestApp) {
    app.create_staff("officer@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    app.login("officer@social.example", PASSWORD).await;
    // T0 is Monday 02.03.2026: times that week, the first with two places.
    let slot = |starts: &'static str, capacity: &'static str| {
        [
            ("official", "Начальник департамента Иванов И.И."),
            ("starts_at", starts),
            ("minutes", "60"),
            ("place", "г. Томск, ул. Ленина, 1, каб. 10"),
            ("capacity", capacity),
        ]
    };
    // A time already past, and no place count: refused, nothing published.
    let mut past = slot("2026-03-01T10:00", "0");
    past[4] = ("capacity", "");
    let r = app.post_form(&format!("{STAFF}slots"), &past).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    assert!(page.contains("это время уже прошло") && page.contains("число мест: целое число от 1 до 200"), "{page}");
    for (starts, capacity) in [("2026-03-04T10:00", "2"), ("2026-03-11T10:00", "3")] {
        let r = app.post_form(&format!("{STAFF}slots"), &slot(starts, capacity)).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    }
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM site_reception_slots ORDER BY starts_at")
        .fetch_all(&app.db.pool)
        .await
        .expect("slots");
    let first = format!("/o/social-protection/reception/{}", ids[0]);

    // Citizens: the list shows both times with their places; two book the first.
    let citizen = app.other_client();
    let list = citizen.get("/o/social-protection/reception/").await.text().await.expect("text");
    assert!(list.contains("04.03.2026 в 10:00") && list.contains("11.03.2026 в 10:00"), "{list}");
    let booking = |name: &'static str, email: &'static str| {
        [("name", name), ("email", email), ("topic", "О выплате пособия"), ("consent", "1")]
    };
    let r = citizen.post_form(&first, &[("name", "Петров"), ("email", "не почта"), ("topic", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    assert!(page.contains("не похож на адрес электронной почты") && page.contains("без согласия"), "{page}");
    for (name, email) in [("Петров Пётр", "petrov@example.org"), ("Сидорова Анна", "sidorova@example.org")]
    {
        let r = citizen.post_form(&first, &booking(name, email)).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    }
    let booked = citizen.get(&format!("{first}?booked=1")).await.text().await.expect("text");
    assert!(booked.contains("Вы записаны"), "{booked}");
    assert!(!booked.contains("petrov@example.org"), "the page does not show anyone's address");

    // The time is full: refused, what was typed kept, the next time with a place named and linked.
    let r = citizen.post_form(&first, &booking("Кузнецов Иван", "kuznetsov@example.org")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    assert!(page.contains("ближайшее время с местами — 11.03.2026 в 10:00"), "{page}");
    assert!(page.contains(&format!("href=\"/o/social-protection/reception/{}\"", ids[1])), "{page}");
    assert!(page.contains("value=\"Кузнецов Иван\""), "the name typed is kept");
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM site_reception_bookings").fetch_one(&app.db.pool).await.expect("n");
    assert_eq!(count, 2);

    // The confirmations go through a real SMTP server, one to each citizen.
    let sink = Sink::start(&app.dir);
    let mut cfg = app.cfg.clone();
    cfg.smtp_url = Some(format!("smtp://127.0.0.1:{}", sink.port));
    let worker = kernel::outbox::Worker::new(app.db.clone(), cfg, app.clock.clone()).expect("worker");
    while worker.run_once().await.expect("send") {}
    let received = std::fs::read_to_string(&sink.out).expect("received");
    let mut to: Vec<&str> = received.lines().filter_map(|l| l.split('\t').nth(1)).collect();
    to.sort();
    assert_eq!(to, ["petrov@example.org", "sidorova@example.org"]);
    let letter: String = sqlx::query_scalar(
        "SELECT payload FROM jobs WHERE idempotency_key LIKE 'reception-booking:%' ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .expect("letter");
    assert!(
        letter.contains("04.03.2026 в 10:00") && letter.contains("каб. 10"),
        "the letter names the time and place: {letter}"
    );

    // The officer sees who booked; staff of the body who do not run the reception do not.
    let page = app.get(STAFF).await.text().await.expect("text");
    assert!(page.contains("Петров Пётр") && page.contains("sidorova@example.org") && page.contains("2 / 2"), "{page}");
    app.create_staff("data@social.example", Role::OpendataOfficer, Some("social-protection")).await;
    let other = app.other_client();
    other.login("data@social.example", PASSWORD).await;
    let r = other.get(STAFF).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(!r.text().await.expect("text").contains("Петров"));
}
on_both_backends!(a_citizen_books_a_place_is_confirmed_by_mail_and_a_full_time_points_to_the_next);
