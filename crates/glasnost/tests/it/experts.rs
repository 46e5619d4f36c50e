//! The experts database and an open selection to a council (seed 000 §30): experts are public
//! but a name only with consent, addresses never; a call for candidates takes applications with
//! their documents through its last day, checks each document is what its name says, publishes
//! the result with its grounds only after the last day, and writes to every applicant; the
//! secretary downloads the documents.

use kernel::staff::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sqlx::Row;

use crate::helpers::{PASSWORD, T0, TestApp};
use crate::on_both_backends;

const SCRIPT: &str = "<script>alert(1)</script>";
const DAY: i64 = 86_400_000;
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

async fn text(r: reqwest::Response) -> String {
    r.text().await.expect("text")
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|l| l.to_str().ok()).expect("location").to_string()
}

async fn apply(
    citizen: &TestApp,
    url: &str,
    (name, email): (&str, &str),
    files: &[(&str, &[u8])],
) -> reqwest::Response {
    let mut form = Form::new()
        .text("csrf", citizen.csrf().await)
        .text("full_name", name.to_string())
        .text("email", email.to_string())
        .text("about", "Юрист, 10 лет работы в НКО.")
        .text("consent", "1");
    for (i, (file, bytes)) in files.iter().enumerate() {
        let part = Part::bytes(bytes.to_vec()).file_name(file.to_string());
        form = form.part(format!("document_{}", i + 1), part);
    }
    citizen.client.post(citizen.url(url)).multipart(form).send().await.expect("POST")
}

async fn experts_and_an_open_selection(app: TestApp) {
    app.create_staff("secretary@social.example", Role::CouncilSecretary, Some("social-protection")).await;
    app.login("secretary@social.example", PASSWORD).await;
    let citizen = app.other_client();
    let card = [
        ("kind", "public_council"),
        ("name", "Общественный совет"),
        ("email", "council@social.example"),
        ("attendance", "Вход свободный."),
    ];
    let r = app.post_form("/staff/o/social-protection/councils/", &card).await;
    let council = location(&r)
        .trim_start_matches("/staff/o/social-protection/councils/")
        .split('?')
        .next()
        .expect("id")
        .to_string();

    // Experts: bad input refused; a name public only with consent; addresses never.
    let desk = "/staff/o/social-protection/experts/";
    let r = app.post_form(desk, &[("full_name", SCRIPT), ("email", "почта")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    assert!(page.contains("перечислите компетенции") && page.contains("не похож на адрес"));
    assert!(page.contains("&#60;script&#62;") && !page.contains(SCRIPT));
    for (name, consent) in [("Орлова Наталья Викторовна", "1"), ("Зайцев Игорь Петрович", "")]
    {
        let expert = [
            ("full_name", name),
            ("competences", "социальное право, доступная среда"),
            ("participation", "Общественный совет, заседание 10.02.2026"),
            ("email", "expert@mail.example"),
            ("consent", consent),
        ];
        assert_eq!(app.post_form(desk, &expert).await.status(), StatusCode::SEE_OTHER, "{name}");
    }
    let public = text(citizen.get("/o/social-protection/experts/").await).await;
    assert!(public.contains("Орлова Наталья Викторовна") && !public.contains("Зайцев"), "by consent");
    assert!(public.contains(">эксперт") && public.contains("доступная среда") && !public.contains("@mail.example"));

    // A call for candidates: its last day not in the past.
    let calls = "/staff/o/social-protection/experts/calls";
    let mut call = vec![
        ("council", council.as_str()),
        ("title", "Отбор кандидатов в состав общественного совета"),
        ("requirements", "Гражданство РФ, опыт общественной работы. Приложить анкету и согласие."),
        ("deadline_on", "01.03.2026"),
    ];
    let r = app.post_form(calls, &call).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("не может быть раньше сегодняшнего"));
    call[3] = ("deadline_on", "10.03.2026");
    let r = app.post_form(calls, &call).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let staff_call = location(&r).split('?').next().expect("path").to_string();
    let id = staff_call.rsplit('/').next().expect("id").to_string();
    let public_call = format!("/o/social-protection/councils/calls/{id}");

    // Applications: documents required and checked; good ones taken.
    let r = apply(&citizen, &public_call, ("Смирнов Алексей", "smirnov@mail.example"), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("приложите документы"));
    let r = apply(&citizen, &public_call, ("Смирнов Алексей", "smirnov@mail.example"), &[("анкета.pdf", b"not a pdf")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(r).await;
    assert!(
        page.contains("внутри файл другого вида") && page.contains("Смирнов Алексей"),
        "the message, the name kept"
    );
    for (name, email) in [("Смирнов Алексей", "smirnov@mail.example"), ("Кузнецова Ирина", "irina@mail.example")]
    {
        let r = apply(&citizen, &public_call, (name, email), &[("анкета.pdf", PDF)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{name}");
    }
    let applications = text(app.get(&staff_call).await).await;
    assert!(applications.contains("irina@mail.example") && applications.contains("анкета.pdf"));
    let ids: Vec<i64> = sqlx::query("SELECT id FROM council_applications ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .expect("rows")
        .iter()
        .map(|r| r.try_get(0).expect("id"))
        .collect();
    let file = app.get(&format!("{staff_call}/files/{}-0", ids[0])).await;
    assert_eq!(file.bytes().await.expect("bytes").as_ref(), PDF, "the document as sent");

    // The result: not before the last day; then published with its grounds, everyone told.
    let grounds = "Отобраны кандидаты с опытом работы в НКО социальной сферы.";
    let selected = ids[1].to_string();
    let decision = [("selected", selected.as_str()), ("result", grounds)];
    let r = app.post_form(&staff_call, &decision).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("после последнего дня приёма (10.03.2026)"));
    app.clock.set(T0 + 9 * DAY);
    app.login("secretary@social.example", PASSWORD).await;
    let r = apply(&citizen, &public_call, ("Опоздавший", "late@mail.example"), &[("анкета.pdf", PDF)]).await;
    assert!(text(r).await.contains("приём заявлений закончился"));
    let r = app.post_form(&staff_call, &[("selected", selected.as_str()), ("result", "")]).await;
    assert!(text(r).await.contains("изложите основания"));
    assert_eq!(app.post_form(&staff_call, &decision).await.status(), StatusCode::SEE_OTHER);
    let public = text(citizen.get(&public_call).await).await;
    assert!(public.contains("Кузнецова Ирина") && public.contains(grounds), "the selected and the grounds");
    assert!(!public.contains("Смирнов") && !public.contains("@mail.example"), "no one else, no addresses");
    for (n, words) in [(0, "не вошли в число отобранных"), (1, "Вы отобраны")] {
        let payload: String = sqlx::query("SELECT payload FROM jobs WHERE idempotency_key = $1")
            .bind(format!("council-selection:{}", ids[n]))
            .fetch_one(&app.db.pool)
            .await
            .expect("letter")
            .try_get(0)
            .expect("payload");
        assert!(payload.contains(words), "{payload}");
    }
    let audited: i64 =
        sqlx::query("SELECT COUNT(*) FROM audit_log WHERE object_type IN ('council_expert', 'council_call')")
            .fetch_one(&app.db.pool)
            .await
            .expect("audit")
            .try_get(0)
            .expect("n");
    assert_eq!(audited, 4, "two experts, the call, its result");
}

on_both_backends!(experts_and_an_open_selection);
