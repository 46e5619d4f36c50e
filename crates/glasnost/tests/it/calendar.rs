//! The administrator corrects the production calendar without a new release: next year's
//! decree, a regional holiday. Every change is audited and feeds every deadline at once.

use deadlines::Date;
use kernel::audit::{self, Filter};
use kernel::staff::Role;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

async fn the_admin_adds_next_years_transfer_and_a_regional_holiday(app: TestApp) {
    app.create_staff("admin@tomsk.example", Role::PortalAdmin, None).await;
    app.login("admin@tomsk.example", PASSWORD).await;
    let day = |y, m, d| Date::new(y, m, d).expect("date");
    let before = kernel::calendar::calendar(&app.db, &app.cfg).await.expect("calendar");
    assert!(!before.covers(2028));
    assert!(before.is_working(day(2026, 4, 2)));

    let r = app
        .post_form(
            "/staff/admin/calendar",
            &[("day", "2028-01-10"), ("kind", "day-off"), ("note", "перенос с 01.01.2028")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(
            "/staff/admin/calendar",
            &[("day", "2026-04-02"), ("kind", "holiday"), ("note", "региональный праздник")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = app.get("/staff/admin/calendar").await.text().await.expect("text");
    assert!(page.contains("региональный праздник") && page.contains("2028-01-10"));

    let cal = kernel::calendar::calendar(&app.db, &app.cfg).await.expect("calendar");
    assert!(cal.covers(2028));
    assert!(!cal.is_working(day(2028, 1, 10)));
    assert!(!cal.is_working(day(2026, 4, 2)));
    let log =
        audit::search(&app.db, &Filter { object_type: Some("calendar_day".into()), ..Filter::default() }, None, 10)
            .await
            .expect("audit");
    assert_eq!(log.len(), 2);

    // A correction of the correction is an update; deleting restores the shipped day.
    app.post_form("/staff/admin/calendar", &[("day", "2026-04-02"), ("kind", "short"), ("note", "")]).await;
    let r = app.post_form("/staff/admin/calendar/delete", &[("day", "2026-04-02")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(kernel::calendar::calendar(&app.db, &app.cfg).await.expect("calendar").is_working(day(2026, 4, 2)));
    let log = audit::search(&app.db, &Filter { object_id: Some("2026-04-02".into()), ..Filter::default() }, None, 10)
        .await
        .expect("audit");
    assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["delete", "update", "create"]);
}
on_both_backends!(the_admin_adds_next_years_transfer_and_a_regional_holiday);

async fn bad_calendar_input_is_explained_and_nothing_is_stored(app: TestApp) {
    app.create_staff("admin@tomsk.example", Role::PortalAdmin, None).await;
    app.login("admin@tomsk.example", PASSWORD).await;
    let r = app.post_form("/staff/admin/calendar", &[("day", "10.01.2028"), ("kind", "weekday")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    assert!(page.contains("«10.01.2028» — не дата"), "{page}");
    assert!(page.contains("выберите, каким становится день"));
    assert!(kernel::calendar::overrides(&app.db).await.expect("list").is_empty());
    let r = app.post_form("/staff/admin/calendar/delete", &[("day", "2030-01-01")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn the_presidential_days_count_only_when_the_portal_says_so(app: TestApp) {
    let apr = Date::new(2020, 4, 15).expect("date");
    assert!(kernel::calendar::calendar(&app.db, &app.cfg).await.expect("calendar").is_working(apr));
    let mut cfg = app.cfg.clone();
    cfg.presidential_days_off = true;
    assert!(!kernel::calendar::calendar(&app.db, &cfg).await.expect("calendar").is_working(apr));
}
on_both_backends!(the_presidential_days_count_only_when_the_portal_says_so);
on_both_backends!(bad_calendar_input_is_explained_and_nothing_is_stored);
