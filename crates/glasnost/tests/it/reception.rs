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

/// Cancelling: a citizen cancels by the link in their letter (the place is free again, the link
/// then finds nothing); staff cancel a time only with a reason, everyone booked is told by e-mail,
/// and the time leaves the public list.
async fn a_booking_is_cancelled_by_its_link_and_a_time_by_staff_with_a_reason(app: TestApp) {
    app.create_staff("officer@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    app.login("officer@social.example", PASSWORD).await;
    let slot = [
        ("official", "Заместитель начальника Сидоров С.С."),
        ("starts_at", "2026-03-05T15:00"),
        ("minutes", "30"),
        ("place", "каб. 12"),
        ("capacity", "1"),
    ];
    assert_eq!(app.post_form(&format!("{STAFF}slots"), &slot).await.status(), StatusCode::SEE_OTHER);
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM site_reception_slots").fetch_one(&app.db.pool).await.expect("slot");
    let page = format!("/o/social-protection/reception/{id}");
    let citizen = app.other_client();
    let booking = [("name", "Петров Пётр"), ("email", "petrov@example.org"), ("topic", "О субсидии"), ("consent", "1")];
    assert_eq!(citizen.post_form(&page, &booking).await.status(), StatusCode::SEE_OTHER);
    let letter: String =
        sqlx::query_scalar("SELECT payload FROM jobs WHERE idempotency_key LIKE 'reception-booking:%'")
            .fetch_one(&app.db.pool)
            .await
            .expect("letter");
    let (_, rest) =
        letter.split_once("/o/social-protection/reception/cancel/").expect("a link to cancel in the letter");
    let token: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    let link = format!("/o/social-protection/reception/cancel/{token}");
    let shown = citizen.get(&link).await.text().await.expect("text");
    assert!(shown.contains("05.03.2026 в 15:00") && shown.contains("Отменить запись"), "{shown}");
    let r = citizen.post_form(&link, &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.expect("text").contains("Запись отменена"));
    let booked: i64 =
        sqlx::query_scalar("SELECT booked FROM site_reception_slots").fetch_one(&app.db.pool).await.expect("n");
    assert_eq!(booked, 0, "the place is free again");
    let again = citizen.post_form(&link, &[]).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    assert!(again.text().await.expect("text").contains("Запись не найдена"));
    assert_eq!(citizen.get("/o/social-protection/reception/cancel/not-a-token").await.status(), StatusCode::NOT_FOUND);

    // Someone else takes the freed place; then staff cancel the time.
    let other =
        [("name", "Сидорова Анна"), ("email", "sidorova@example.org"), ("topic", "О пособии"), ("consent", "1")];
    assert_eq!(citizen.post_form(&page, &other).await.status(), StatusCode::SEE_OTHER);
    let cancel = format!("{STAFF}slots/{id}/cancel");
    let r = app.post_form(&cancel, &[("reason", " ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("напишите, почему приём отменён"));
    assert_eq!(
        app.post_form(&cancel, &[("reason", "Заместитель в командировке")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let told: String =
        sqlx::query_scalar("SELECT payload FROM jobs WHERE idempotency_key LIKE 'reception-cancelled:%'")
            .fetch_one(&app.db.pool)
            .await
            .expect("one letter, to the one still booked");
    assert!(told.contains("sidorova@example.org") && told.contains("Заместитель в командировке"), "{told}");
    let list = citizen.get("/o/social-protection/reception/").await.text().await.expect("text");
    assert!(!list.contains("05.03.2026 в 15:00"), "a cancelled time leaves the list: {list}");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'cancel' AND object_type LIKE 'site_reception_%'",
    )
    .fetch_one(&app.db.pool)
    .await
    .expect("count");
    assert_eq!(audited, 2);
}
on_both_backends!(a_booking_is_cancelled_by_its_link_and_a_time_by_staff_with_a_reason);
