//! A body's reference groups (seed 000 §29): the openness coordinator lists a group with whom in
//! the body is responsible for it; a citizen proposes another, which the coordinator rejects
//! with a reason (the author is written to) while a second proposal is listed; the work done
//! with a group is published on the register; bad input is refused with clear messages and
//! script stays text; who proposed a group is never public.

use kernel::staff::Role;
use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

const STAFF: &str = "/staff/o/social-protection/reference-groups/";
const PUBLIC: &str = "/o/social-protection/reference-groups/";
const SCRIPT: &str = "<script>alert(1)</script>";

async fn text(r: reqwest::Response) -> String {
    r.text().await.expect("text")
}

async fn group_id(app: &TestApp, name: &str) -> i64 {
    sqlx::query("SELECT id FROM council_reference_groups WHERE name = $1")
        .bind(name)
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .try_get(0)
        .expect("id")
}

async fn a_register_of_reference_groups(app: TestApp) {
    app.create_staff("openness@social.example", Role::OpennessCoordinator, Some("social-protection")).await;
    app.login("openness@social.example", PASSWORD).await;
    let citizen = app.other_client();

    // Listed by the body: refused without whom in the body it belongs to.
    let r = app.post_form(STAFF, &[("name", SCRIPT)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    assert!(page.contains("укажите сотрудника, ответственного") && page.contains("&#60;script&#62;"));
    assert!(!page.contains(SCRIPT));
    let card = [
        ("name", "Томское региональное отделение Союза пенсионеров России"),
        ("about", "Пенсионеры области и их объединения."),
        ("questions", "Проекты актов о мерах соцподдержки; качество услуг."),
        ("channels", "Совещательные органы, личный приём, рассылка."),
        ("responsible", "Петрова Ольга Ивановна, консультант отдела"),
    ];
    assert_eq!(app.post_form(STAFF, &card).await.status(), StatusCode::SEE_OTHER);
    let pensioners = group_id(&app, card[0].1).await;

    // Proposed by citizens: bad input refused with the text kept; good ones stored for a decision.
    let r = citizen.post_form(PUBLIC, &[("name", "Родители"), ("email", "почта")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    for message in ["опишите, кого объединяет группа", "не похож на адрес", "без согласия", "Родители"]
    {
        assert!(page.contains(message), "{message}");
    }
    for (name, email) in
        [("Ассоциация родителей детей-инвалидов", "parents@mail.example"), ("Любители рыбалки", "fish@mail.example")]
    {
        let r = citizen
            .post_form(
                PUBLIC,
                &[("name", name), ("about", "Объединение жителей области."), ("email", email), ("consent", "1")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{name}");
    }
    let public = text(citizen.get(PUBLIC).await).await;
    assert!(public.contains("Союза пенсионеров") && !public.contains("Любители рыбалки"), "only listed groups");
    let (parents, fishing) =
        (group_id(&app, "Ассоциация родителей детей-инвалидов").await, group_id(&app, "Любители рыбалки").await);

    // The decisions: a rejection needs its reason; the author is written to either way.
    let staff = text(app.get(STAFF).await).await;
    assert!(staff.contains("fish@mail.example") && staff.contains("предложена, ждёт решения"));
    let r = app.post_form(&format!("{STAFF}{fishing}"), &[("decision", "reject"), ("reason", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("назовите причину отказа"));
    let reject = [("decision", "reject"), ("reason", "Деятельность группы не относится к полномочиям департамента")];
    assert_eq!(app.post_form(&format!("{STAFF}{fishing}"), &reject).await.status(), StatusCode::SEE_OTHER);
    let listed = [
        ("decision", "list"),
        ("name", "Ассоциация родителей детей-инвалидов"),
        ("about", "Объединение жителей области."),
        ("responsible", "Сидоров Иван, начальник отдела"),
    ];
    assert_eq!(app.post_form(&format!("{STAFF}{parents}"), &listed).await.status(), StatusCode::SEE_OTHER);
    for (key, words) in [
        (format!("reference-group:{fishing}"), "не относится к полномочиям"),
        (format!("reference-group:{parents}"), "Группа внесена в перечень"),
    ] {
        let payload: String = sqlx::query("SELECT payload FROM jobs WHERE idempotency_key = $1")
            .bind(&key)
            .fetch_one(&app.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{key}: {e}"))
            .try_get(0)
            .expect("payload");
        assert!(payload.contains(words), "{key}: {payload}");
    }
    let r = app.post_form(&format!("{STAFF}{fishing}"), &[("decision", "list"), ("responsible", "x")]).await;
    assert!(text(r).await.contains("уже рассмотрено"), "a decision stands");

    // The work done with a group, on the register; not in the future.
    let work = format!("{STAFF}{pensioners}/work");
    let r = app.post_form(&work, &[("done_on", "02.04.2026"), ("text", "")]).await;
    let page = text(r).await;
    assert!(page.contains("позже сегодняшнего дня") && page.contains("опишите, что сделано"));
    let entry = format!("Обсуждение проекта порядка выплат {SCRIPT}");
    let done = [("done_on", "27.02.2026"), ("text", entry.as_str())];
    assert_eq!(app.post_form(&work, &done).await.status(), StatusCode::SEE_OTHER);
    let public = text(citizen.get(PUBLIC).await).await;
    for shown in [
        "Ассоциация родителей детей-инвалидов",
        "Сидоров Иван, начальник отдела",
        "27.02.2026",
        "Обсуждение проекта порядка выплат &#60;script&#62;",
    ] {
        assert!(public.contains(shown), "{shown}");
    }
    assert!(!public.contains(SCRIPT) && !public.contains("@mail.example"), "no script, no proposers' addresses");
    let audited: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE object_type LIKE 'council_reference%'")
        .fetch_one(&app.db.pool)
        .await
        .expect("audit")
        .try_get(0)
        .expect("n");
    assert_eq!(audited, 4, "the group listed, the two decisions, the work");
}

on_both_backends!(a_register_of_reference_groups);
