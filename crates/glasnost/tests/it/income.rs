//! The officials' income and property tables (seed 000 §15): an editor loads a body's real
//! published table; a table with a row one cell short, or a year other than the file's, is refused
//! with nothing stored; while publication is suspended (the default, Указ № 968) citizens are told
//! so and see nothing, and staff other than the site's editors cannot open it; once the portal
//! publishes, citizens read the latest years and find people by name; a relative's name is never
//! stored or shown; the log keeps counts only; removal needs a reason.

use kernel::staff::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::{PASSWORD, TestApp, xlsx};
use crate::on_both_backends;

const STAFF: &str = "/staff/o/social-protection/site/income";
const FNS: &[u8] = include_bytes!("../../../site/tests/data/income/fns-2019.csv");
const SHIFTED: &[u8] = include_bytes!("../../../site/tests/data/income/rostekhnadzor-2010.csv");

async fn load(app: &TestApp, year: &str, file: (&str, Vec<u8>)) -> reqwest::Response {
    let form = Form::new()
        .text("csrf", app.csrf().await)
        .text("year", year.to_string())
        .part("file", Part::bytes(file.1).file_name(file.0.to_string()));
    app.client.post(app.url(STAFF)).multipart(form).send().await.expect("POST")
}

async fn stored(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM site_income").fetch_one(&app.db.pool).await.expect("count")
}

async fn while_suspended_only_the_sites_editors_see_the_tables(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;

    // Refused: a row published one cell short (its line named); the file's year against another.
    let r = load(&app, "2019", ("сведения.csv", SHIFTED.to_vec())).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    assert!(page.contains("строка 67: в столбце «Общая сумма дохода за 2010 (тыс. руб.)»"), "{page}");
    let r = load(&app, "2025", ("сведения.csv", FNS.to_vec())).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("в заголовке таблицы — сведения за 2019 год, а выбран 2025"));
    assert_eq!(stored(&app).await, 0, "nothing half-stored");

    let r = load(&app, "2019", ("сведения ФНС.csv", FNS.to_vec())).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    let page = app.get(&format!("{STAFF}/2019")).await.text().await.expect("text");
    for shown in
        ["Морозов Даниил Вячеславович", "Супруг(а)", "Несовершеннолетний ребёнок", "Моторные лодки", "не публикуются"]
    {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    let found = app.get(&format!("{STAFF}/2019?q=соколова")).await.text().await.expect("text");
    assert!(found.contains("Соколова Светлана") && !found.contains("Морозов"), "{found}");

    // Citizens are told publication is suspended, and see no table.
    let citizen = app.other_client();
    let page = citizen.get("/o/social-protection/income/").await.text().await.expect("text");
    assert!(page.contains("приостановлено Указом Президента Российской Федерации от 29.12.2022 № 968"), "{page}");
    assert!(!page.contains("/income/2019"), "{page}");
    assert_eq!(citizen.get("/o/social-protection/income/2019").await.status(), StatusCode::NOT_FOUND);
    let sitemap = citizen.get("/sitemap.xml").await.text().await.expect("sitemap");
    assert!(!sitemap.contains("/income/2019"), "{sitemap}");

    // Staff who do not edit the body's site, and the regional coordinator, cannot open it.
    app.create_staff("data@social.example", Role::OpendataOfficer, Some("social-protection")).await;
    app.create_staff("region@example.org", Role::RegionalCoordinator, None).await;
    for who in ["data@social.example", "region@example.org"] {
        let other = app.other_client();
        other.login(who, PASSWORD).await;
        assert_eq!(other.get(&format!("{STAFF}/2019")).await.status(), StatusCode::FORBIDDEN, "{who}");
        assert_eq!(other.get(STAFF).await.status(), StatusCode::FORBIDDEN, "{who}");
    }

    // The log keeps counts, no one's name; removal needs a reason and is logged.
    let logged: Vec<String> = sqlx::query_scalar(
        "SELECT COALESCE(before_json, '') || COALESCE(after_json, '') FROM audit_log WHERE object_type = 'site_income'",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("log");
    assert_eq!(logged.len(), 1);
    assert!(logged[0].contains("\"officials\":4") && !logged[0].contains("Морозов"), "{logged:?}");
    let r = app.post_form(&format!("{STAFF}/2019/remove"), &[("reason", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stored(&app).await, 1);
    let r = app.post_form(&format!("{STAFF}/2019/remove"), &[("reason", "загружена таблица другого органа")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(&app).await, 0);
    assert_eq!(app.get(&format!("{STAFF}/2019")).await.status(), StatusCode::NOT_FOUND);
}
on_both_backends!(while_suspended_only_the_sites_editors_see_the_tables);

async fn once_published_citizens_read_the_latest_years(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;
    let r = load(&app, "2019", ("сведения ФНС.csv", FNS.to_vec())).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    // A workbook: two objects in one cell on two lines; the spouse's cell holds her name.
    let book = xlsx(&[
        &["Сведения о доходах за период с 1 января 2025 г. по 31 декабря 2025 г."],
        &["Фамилия, имя, отчество", "Должность", "Объекты недвижимости", "", "Декларированный годовой доход (руб.)"],
        &["", "", "вид объекта", "площадь (кв. м)", ""],
        &["Демидова Анна Сергеевна", "Начальник отдела", "квартира\nгараж", "54,1\n18", "1 204 000,50"],
        &["супруг Демидов Олег Петрович", "инженер", "жилой дом", "120", "980 000"],
    ]);
    let r = load(&app, "2025", ("сведения 2025.xlsx", book)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());

    let citizen = app.other_client();
    let page = citizen.get("/o/social-protection/income/").await.text().await.expect("text");
    assert!(page.contains("/o/social-protection/income/2025") && !page.contains("/income/2019"), "{page}");
    assert_eq!(citizen.get("/o/social-protection/income/2019").await.status(), StatusCode::NOT_FOUND, "one year kept");
    let page = citizen.get("/o/social-protection/income/2025").await.text().await.expect("text");
    for shown in ["Демидова Анна Сергеевна", "квартира<br>гараж", "54,1<br>18", "Супруг(а)", "colspan=\"2\""]
    {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    for hidden in ["Олег", "инженер"] {
        assert!(!page.contains(hidden), "{hidden}: {page}");
    }
    let none = citizen.get("/o/social-protection/income/2025?q=Иванов").await.text().await.expect("text");
    assert!(none.contains("Никого не найдено") && !none.contains("Демидова"), "{none}");
    let json: String = sqlx::query_scalar("SELECT table_json FROM site_income WHERE year = 2025")
        .fetch_one(&app.db.pool)
        .await
        .expect("stored");
    assert!(!json.contains("Олег") && !json.contains("инженер"), "a relative's name is never stored: {json}");
}
on_both_backends!(
    once_published_citizens_read_the_latest_years,
    &[("GLASNOST_INCOME_PUBLISHED", "true"), ("GLASNOST_INCOME_YEARS", "1")]
);
