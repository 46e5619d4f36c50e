//! The premises, the stand and the social pages (seed 000 §16, §39): an editor tells where and
//! when the body's information may be read, who answers for its stand and where its official
//! pages are; wrong addresses, missing rules and script are refused with nothing stored; citizens
//! read it, the stand shows each block's update date and the line for a signature; the change is
//! audited, and staff who do not edit the site cannot make it.

use kernel::staff::Role;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

const FORM: &str = "/staff/o/social-protection/site/profile";

async fn text(r: reqwest::Response) -> String {
    r.text().await.expect("text")
}

async fn an_editor_tells_where_to_read_and_where_the_official_pages_are(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;
    let citizen = app.other_client();
    // Before anything is told: the pages say so, and point to a request for information.
    let page = text(citizen.get("/o/social-protection/premises/").await).await;
    assert!(page.contains("Орган ещё не сообщил место и часы ознакомления"), "{page}");
    assert!(page.contains("/appeals/new?body=social-protection&amp;kind=request"));
    assert!(text(citizen.get("/o/social-protection/social/").await).await.contains("не указал официальных страниц"));

    // Wrong: a page on another site, a page with no rules, a place with no hours, script.
    let wrong = [
        ("reading_place", "<script>alert(1)</script> каб. 5"),
        ("reading_hours", ""),
        ("vk", "https://vk.com.example.org/socialtomsk"),
        ("telegram", "t.me/socialtomsk"),
        ("social_rules", ""),
    ];
    let r = app.post_form(FORM, &wrong).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    for message in [
        "укажите адрес страницы в сети «ВКонтакте», например https://vk.com/",
        "укажите правила взаимодействия с пользователями",
        "укажите часы, в которые можно ознакомиться с информацией",
    ] {
        assert!(page.contains(message), "{message}: {page}");
    }
    assert!(!page.contains("<script>alert(1)") && page.contains("alert(1)"), "typed text comes back escaped: {page}");
    assert!(page.contains("t.me/socialtomsk"), "what was typed comes back");
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM site_profiles").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(stored, 0, "nothing half-stored");

    let right = [
        ("reading_place", "г. Томск, ул. Ленина, 1, каб. 5"),
        ("reading_hours", "пн–чт 9:00–18:00, пт 9:00–16:45"),
        ("reading_rules", "Попросите об ознакомлении в приёмной.\r\nОтвечаем в течение 7 рабочих дней."),
        ("stand_responsible", "Консультант Петрова А. А."),
        ("vk", "vk.com/socialtomsk"),
        ("telegram", "https://t.me/socialtomsk"),
        ("social_rules", "Отвечаем в рабочие дни. Оскорбления удаляются."),
    ];
    let r = app.post_form(FORM, &right).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", text(r).await);
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE object_type = 'site_profile'")
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(audited, 1);
    // The same again changes nothing and is not audited again.
    assert_eq!(app.post_form(FORM, &right).await.status(), StatusCode::SEE_OTHER);
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE object_type = 'site_profile'")
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(audited, 1, "an unchanged profile is not a change");
    let social: Vec<String> =
        sqlx::query_scalar("SELECT url FROM site_item_records WHERE code = 'general-social' AND action = 'published'")
            .fetch_all(&app.db.pool)
            .await
            .expect("records");
    assert_eq!(social, ["/o/social-protection/social/"], "the official pages' item is published, once");

    let page = text(citizen.get("/o/social-protection/premises/").await).await;
    assert!(page.contains("пн–чт 9:00–18:00, пт 9:00–16:45") && page.contains("каб. 5"), "{page}");
    let page = text(citizen.get("/o/social-protection/social/").await).await;
    assert!(page.contains("href=\"https://vk.com/socialtomsk\"") && page.contains("Оскорбления удаляются"), "{page}");
    let stand = text(citizen.get("/o/social-protection/premises/stand").await).await;
    for shown in
        ["Дата обновления информации", "Консультант Петрова А. А.", "Подпись", "Об органе", "Как обратиться в орган"]
    {
        assert!(stand.contains(shown), "{shown} on the stand: {stand}");
    }
    assert!(stand.matches("Обновлено:").count() >= 3, "each block carries its update date: {stand}");

    // Staff of the body who do not edit its site see the form and cannot save it.
    app.create_staff("data@social.example", Role::OpendataOfficer, Some("social-protection")).await;
    let other = app.other_client();
    other.login("data@social.example", PASSWORD).await;
    assert_eq!(other.get(FORM).await.status(), StatusCode::OK);
    assert_eq!(other.post_form(FORM, &right).await.status(), StatusCode::FORBIDDEN);
    // Nor does another body's editor.
    app.create_staff("editor@info.example", Role::Editor, Some("information-society")).await;
    let theirs = app.other_client();
    theirs.login("editor@info.example", PASSWORD).await;
    assert_eq!(theirs.post_form(FORM, &right).await.status(), StatusCode::FORBIDDEN);
}
on_both_backends!(an_editor_tells_where_to_read_and_where_the_official_pages_are);

/// The structure chart (§8): an outline in the profile, a line too deep refused with its number and
/// nothing stored; citizens see the units nested as written, with what is said of each.
async fn the_structure_written_as_an_outline_is_drawn_as_a_tree(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;
    let citizen = app.other_client();
    let page = text(citizen.get("/o/social-protection/structure/").await).await;
    assert!(page.contains("Орган ещё не описал свою структуру"), "{page}");

    let deep: String = (0..10).map(|i| format!("{}Уровень {i}\r\n", " ".repeat(i * 2))).collect();
    let r = app.post_form(FORM, &[("structure", &deep)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("строка 9: уровней больше 8"));
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM site_profiles").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(stored, 0, "nothing half-stored");

    let outline = "Руководитель департамента — Иванов Иван Иванович\r\n  \
                   Заместитель руководителя\r\n    \
                   - Отдел опеки <b>и</b> попечительства — тел. 71-00-02\r\n  \
                   Юридический отдел";
    let r = app.post_form(FORM, &[("structure", outline)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", text(r).await);
    assert_eq!(app.post_form(FORM, &[("structure", outline)]).await.status(), StatusCode::SEE_OTHER);
    // The catalogue's structure item is published with the chart: once, the second save unchanged.
    let records: Vec<String> = sqlx::query_scalar(
        "SELECT url FROM site_item_records WHERE code = 'general-structure' AND action = 'published'",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("records");
    assert_eq!(records, ["/o/social-protection/structure/"]);
    let page = text(citizen.get("/o/social-protection/structure/").await).await;
    let chart = &page[page.find("class=\"org\"").expect("the chart")..];
    let at = |s: &str| chart.find(s).unwrap_or_else(|| panic!("{s}: {chart}"));
    // Nested as written: the department's head, a list under it, the deputy with a list under them.
    assert!(at("Руководитель департамента") < at("Заместитель руководителя"));
    assert!(at("Заместитель руководителя") < at("Отдел опеки") && at("Отдел опеки") < at("Юридический отдел"));
    assert_eq!(chart[..at("Юридический отдел")].matches("<ul>").count(), 3, "{chart}");
    assert!(chart.contains("Иванов Иван Иванович") && chart.contains("тел. 71-00-02"));
    assert!(chart.contains("&#60;b&#62;и&#60;/b&#62;") && !chart.contains("<b>"), "typed markup is text: {chart}");
}
on_both_backends!(the_structure_written_as_an_outline_is_drawn_as_a_tree);
