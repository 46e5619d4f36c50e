//! The public declaration (seed 000 §27): an editor loads a year's goals and indicators from a
//! spreadsheet; a table without the required columns or with incomplete rows is refused with each
//! line named and nothing stored; citizens read it as HTML and download it as .csv and .docx (the
//! Word file read back); the report (actual values) replaces it, audited; other staff cannot.

use kernel::staff::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::{PASSWORD, TestApp, xlsx};
use crate::on_both_backends;

const STAFF: &str = "/staff/o/social-protection/site/declarations";

async fn load(app: &TestApp, year: &str, file: (&str, Vec<u8>)) -> reqwest::Response {
    let form = Form::new()
        .text("csrf", app.csrf().await)
        .text("year", year.to_string())
        .text("intro", "Главное на год: отвечать в срок и открывать данные.")
        .part("file", Part::bytes(file.1).file_name(file.0.to_string()));
    app.client.post(app.url(STAFF)).multipart(form).send().await.expect("POST")
}

async fn stored(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM site_declarations").fetch_one(&app.db.pool).await.expect("count")
}

async fn an_editor_publishes_the_declaration_and_then_its_report(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;
    let citizen = app.other_client();
    assert!(
        citizen
            .get("/o/social-protection/declaration/")
            .await
            .text()
            .await
            .expect("text")
            .contains("ещё не опубликовал")
    );

    // Wrong: no planned values column; then rows without an indicator or a goal; a Word file.
    let r = load(&app, "2026", ("d.csv", "Цель,Показатель\r\nОткрытость,Доля\r\n".into())).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("в первой строке нет столбцов: Плановое значение"));
    let bad =
        xlsx(&[&["Цели и задачи", "Показатель", "План"], &["", "Доля ответов в срок", "100"], &["Услуги", "", "90"]]);
    let r = load(&app, "2026", ("декларация.xlsx", bad)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    assert!(page.contains("строка 2: не указана цель") && page.contains("строка 3: не указан показатель"), "{page}");
    let r = load(&app, "1990", ("d.xlsx", b"PK\x03\x04 not a workbook".to_vec())).await;
    let page = r.text().await.expect("text");
    assert!(page.contains("укажите год от 2016 до 2028") && page.contains("внутри файл другого вида"), "{page}");
    assert_eq!(stored(&app).await, 0, "nothing half-stored");

    // The declaration, from a spreadsheet with its own column names and merged goal cells.
    let plan: &[&[&str]] = &[
        &["№", "Цели и задачи", "Наименование показателя", "Ед. изм.", "Базовое значение", "Плановое значение", "Факт"],
        &["1", "Открытость органа", "Доля обращений, на которые ответили в срок", "%", "96", "100", ""],
        &["2", "", "Наборов открытых данных опубликовано", "шт.", "8", "12", ""],
        &["3", "Доступность помощи", "Среднее время назначения пособия", "раб. дн.", "10", "5", ""],
    ];
    let r = load(&app, "2026", ("Декларация 2026.xlsx", xlsx(plan))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    let page = citizen.get("/o/social-protection/declaration/2026").await.text().await.expect("text");
    for shown in [
        "Публичная декларация целей и задач на 2026 год",
        "Открытость органа",
        "Наборов открытых данных опубликовано",
        "Доступность помощи",
    ] {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    assert!(!page.contains("Указаны достигнутые значения"));

    // The report: the same table with actual values, loaded as CSV (as downloaded, then edited).
    let csv = citizen.get("/o/social-protection/declaration/2026/declaration.csv").await.text().await.expect("csv");
    let edited = csv.replacen(",96,100,,", ",96,100,98,", 1).replacen(",8,12,,", ",8,12,14,", 1);
    assert_ne!(edited, csv, "{csv}");
    let r = load(&app, "2026", ("report.csv", edited.into_bytes())).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    let page = citizen.get("/o/social-protection/declaration/2026").await.text().await.expect("text");
    assert!(
        page.contains("Указаны достигнутые значения") && page.contains(">98</td>") && page.contains(">14</td>"),
        "{page}"
    );
    let docx = citizen.get("/o/social-protection/declaration/2026/declaration.docx").await.bytes().await.expect("docx");
    let text = office::docx_text(&docx).expect("a Word file");
    assert!(text.contains("Доля обращений, на которые ответили в срок\t%\t96\t100\t98"), "{text}");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE object_type = 'site_declaration'")
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!((stored(&app).await, audited), (1, 2), "one declaration, created then replaced");
    let sitemap = citizen.get("/sitemap.xml").await.text().await.expect("sitemap");
    assert!(sitemap.contains("/o/social-protection/declaration/2026</loc>"), "{sitemap}");

    // Staff who do not edit the site cannot load one.
    app.create_staff("data@social.example", Role::OpendataOfficer, Some("social-protection")).await;
    let other = app.other_client();
    other.login("data@social.example", PASSWORD).await;
    assert_eq!(load(&other, "2026", ("d.xlsx", xlsx(plan))).await.status(), StatusCode::FORBIDDEN);
}
on_both_backends!(an_editor_publishes_the_declaration_and_then_its_report);

/// Spending reports (§27 а–е): a table for a section and period, in the body's own columns; a
/// wrong section, period or table is refused with nothing stored; the same section and period
/// replaces the report; citizens read it by section and download it.
async fn an_editor_publishes_a_spending_report_in_the_bodys_own_columns(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;
    let staff = "/staff/o/social-protection/site/reports";
    let send = |category: &'static str, period: &'static str, file: (&'static str, Vec<u8>)| {
        let app = &app;
        async move {
            let form = Form::new()
                .text("csrf", app.csrf().await)
                .text("category", category)
                .text("period", period)
                .part("file", Part::bytes(file.1).file_name(file.0));
            app.client.post(app.url(staff)).multipart(form).send().await.expect("POST")
        }
    };
    let r = send("bribes", "весна", ("r.csv", "Статья,,Сумма\r\nСвязь,1,2\r\n".into())).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    for message in [
        "выберите вид отчёта из списка",
        "период — год (2026), месяц (2026-05) или квартал (2026-Q2)",
        "у столбца 2 нет названия",
    ] {
        assert!(page.contains(message), "{message}: {page}");
    }
    let reports = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM site_reports").fetch_one(&app.db.pool).await.expect("n")
    };
    assert_eq!(reports().await, 0);
    let table = xlsx(&[
        &["Статья расходов", "План, руб.", "Исполнено, руб."],
        &["Оплата труда", "1 200 000", "1 150 000"],
        &["Связь", "80 000", "75 000"],
    ]);
    let r = send("expenses", "2026-02", ("расходы.xlsx", table)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    let r =
        send("expenses", "2026-2", ("расходы.csv", "Статья расходов,План,Исполнено\r\nСвязь,80 000,79 500\r\n".into()))
            .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(reports().await, 1, "the same section and month replaces the report");
    let citizen = app.other_client();
    let list = citizen.get("/o/social-protection/reports/").await.text().await.expect("text");
    assert!(
        list.contains("Ежемесячные отчёты о расходах органа для собственных нужд")
            && list.contains("февраль 2026 года"),
        "{list}"
    );
    let id: i64 = sqlx::query_scalar("SELECT id FROM site_reports").fetch_one(&app.db.pool).await.expect("id");
    let page = citizen.get(&format!("/o/social-protection/reports/{id}")).await.text().await.expect("text");
    assert!(page.contains(">79 500</td>") && !page.contains("Оплата труда"), "{page}");
    let docx =
        citizen.get(&format!("/o/social-protection/reports/{id}/report.docx")).await.bytes().await.expect("docx");
    assert!(office::docx_text(&docx).expect("a Word file").contains("Связь\t80 000\t79 500"));
    let csv = citizen.get(&format!("/o/social-protection/reports/{id}/report.csv")).await.text().await.expect("csv");
    assert_eq!(csv, "Статья расходов,План,Исполнено\r\nСвязь,80 000,79 500\r\n");
    let sitemap = citizen.get("/sitemap.xml").await.text().await.expect("sitemap");
    assert!(sitemap.contains(&format!("/o/social-protection/reports/{id}</loc>")), "{sitemap}");
}
on_both_backends!(an_editor_publishes_a_spending_report_in_the_bodys_own_columns);
