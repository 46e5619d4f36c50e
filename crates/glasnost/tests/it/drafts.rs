//! Rule-making in the open: a lawyer publishes a notice, then a .docx draft that becomes three
//! articles; a citizen comments on article 2 and confirms it by the e-mailed link; a second
//! version keeps the comment on article 2 against the version it was made on; the window opens
//! on the rule's date and closes on it; the lawyer gives a position; the summary and its .docx
//! show it. Bad input on every form gets a clear message and keeps what was typed.

use kernel::staff::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sqlx::Row;

use crate::helpers::{PASSWORD, T0, TestApp};
use crate::on_both_backends;

const STAFF: &str = "/staff/o/social-protection/drafts/";

/// A Word document with these paragraphs.
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    use docx_rs::{Docx, Paragraph, Run};
    let mut doc = Docx::new();
    for p in paragraphs {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(*p)));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).expect("docx");
    out.into_inner()
}

const V1: &[&str] = &[
    "ПРОЕКТ",
    "ПРИКАЗ",
    "Об утверждении порядка приёма граждан",
    "Статья 1. Общие положения",
    "Настоящий порядок определяет, как принимаются граждане.",
    "Статья 2. Сроки",
    "Приём ведётся по понедельникам с 9 до 13 часов.",
    "Статья 3. Вступление в силу",
    "Приказ вступает в силу со дня подписания.",
];

async fn upload(app: &TestApp, id: i64, name: &str, bytes: Vec<u8>, note: &str) -> reqwest::Response {
    let form = Form::new()
        .text("csrf", app.csrf().await)
        .text("note", note.to_string())
        .part("file", Part::bytes(bytes).file_name(name.to_string()));
    app.client.post(app.url(&format!("{STAFF}{id}/versions"))).multipart(form).send().await.expect("POST")
}

async fn one(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.db.pool)
        .await
        .expect("query")
        .try_get(0)
        .expect("number")
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|l| l.to_str().ok()).expect("location").to_string()
}

async fn a_draft_goes_from_notice_to_summary(app: TestApp) {
    app.create_staff("lawyer@social.example", Role::Lawyer, Some("social-protection")).await;
    app.login("lawyer@social.example", PASSWORD).await;
    let citizen = app.other_client();

    // The notice: refused without a title and a concept, with script kept as text.
    let script = "<script>alert(1)</script>";
    let r = app
        .post_form(STAFF, &[("kind", "regulation"), ("title", ""), ("concept", " "), ("costs_benefits", script)])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    for message in
        ["укажите наименование проекта акта", "опишите простыми словами", "&#60;script&#62;alert(1)&#60;/script&#62;"]
    {
        assert!(page.contains(message), "{message}");
    }
    assert!(!page.contains(script));
    let title = "Об утверждении порядка приёма граждан";
    let r = app
        .post_form(
            STAFF,
            &[
                ("kind", "regulation"),
                ("title", title),
                ("concept", "Приём граждан станет еженедельным, по понедельникам."),
                ("costs_benefits", "Затрат нет; жителям проще попасть на приём."),
                ("plain_summary", script),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let staff_page = location(&r);
    let id: i64 = one(&app, "SELECT MAX(id) FROM drafts").await;
    let public_url = format!("/o/social-protection/drafts/{id}");
    let page = citizen.get(&public_url).await.text().await.expect("text");
    assert!(page.contains("подготовка проекта") && page.contains("Приём граждан станет еженедельным"));
    assert!(page.contains("&#60;script&#62;") && !page.contains(script), "script is shown as text");
    assert!(!page.contains("name=\"consent\""), "no form before the discussion opens");
    let list = citizen.get("/drafts/").await.text().await.expect("text");
    assert!(list.contains(&format!("href=\"{public_url}\"")), "the portal's list links it");

    // What leads the draft: a chart needs its description; then it, the summary and the
    // regulatory impact report are on the page.
    let clarity = |alt: &str| {
        Form::new()
            .text("plain_summary", "Приём — каждую неделю.")
            .text("picture_alt", alt.to_string())
            .text("ria_summary", "Регулирующее воздействие — низкое: новых обязанностей нет.")
            .part("picture", Part::bytes(crate::content::photo(600, 400)).file_name("chart.png"))
    };
    let post = |form: Form| async { form.text("csrf", app.csrf().await) };
    let url = app.url(&format!("{STAFF}{id}/clarity"));
    let r = app.client.post(&url).multipart(post(clarity("")).await).send().await.expect("POST");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("опишите словами, что показывает картинка"));
    let alt = "Диаграмма: приём раз в месяц сейчас и раз в неделю по проекту";
    let r = app.client.post(&url).multipart(post(clarity(alt)).await).send().await.expect("POST");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = citizen.get(&public_url).await.text().await.expect("text");
    assert!(
        page.contains(&format!("picture.jpg\" alt=\"{alt}\"")) && page.contains("Регулирующее воздействие — низкое")
    );
    let r = citizen.get(&format!("{public_url}/picture.jpg")).await;
    assert_eq!(r.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("image/jpeg"));

    // Bad files: no text, a format that is not a text; neither is stored.
    let r = upload(&app, id, "empty.docx", docx(&[]), "").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("в файле нет текста"));
    let r = upload(&app, id, "plan.xlsx", crate::helpers::xlsx(&[&["a"]]), "").await;
    assert!(r.text().await.expect("text").contains("загрузите текст проекта: .docx, .odt или .pdf"));
    assert_eq!(one(&app, "SELECT COUNT(*) FROM draft_versions").await, 0);
    // Opening the discussion with nothing to discuss is refused.
    let r = app.post_form(&format!("{STAFF}{id}/discussion"), &[("closes", "")]).await;
    assert!(r.text().await.expect("text").contains("сначала загрузите текст проекта"));

    // A text without numbered units is one unit, and the lawyer is told why.
    let r = upload(&app, id, "draft.docx", docx(&["Проект", "Приём граждан ведётся еженедельно."]), "").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("units=0"));
    let page = app.get(&location(&r)).await.text().await.expect("text");
    assert!(page.contains("нумерованных статей и пунктов в ней не найдено"));

    // The real draft: three articles.
    let r = upload(&app, id, "Проект приказа.docx", docx(V1), "Текст со статьями").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("units=3"), "{}", location(&r));

    // The window: shorter than the rule or ending before it starts is refused; empty is the rule's.
    let open = format!("{STAFF}{id}/discussion");
    let r = app.post_form(&open, &[("closes", "2026-03-20")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().await.expect("text").contains("обсуждение короче установленного: не менее 1 месяца со дня размещения")
    );
    let r = app.post_form(&open, &[("closes", "2026-02-01")]).await;
    assert!(r.text().await.expect("text").contains("раньше первого (02.03.2026)"));
    let r = app.post_form(&open, &[("closes", "")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = citizen.get(&public_url).await.text().await.expect("text");
    assert!(page.contains("с 02.03.2026 по 02.04.2026 включительно"), "a month from the day it is published");
    assert!(page.contains("02.03.2026 — проект размещён, обсуждение открыто; +1 месяц → 02.04.2026"));
    assert!(page.contains("Статья 2. Сроки") && page.contains("id=\"u-st2\""));
    let art2: i64 = one(&app, &format!("SELECT id FROM draft_anchors WHERE draft_id = {id} AND key = 'st2'")).await;
    // The portal's search finds the draft by a word of its text, in another form.
    crate::search::caught_up(&app).await;
    let found = crate::search::search(&app, &[("q", "понедельник")]).await;
    assert!(found.to_string().contains(&format!("\"{public_url}\"")), "{found}");

    // A comment on article 2: the address is required and confirmed before moderation sees it.
    let comment = "Предлагаю добавить приём по четвергам после 17 часов. <script>alert(2)</script>";
    // As pages show it: escaped, never run.
    let shown = comment.replace('<', "&#60;").replace('>', "&#62;");
    let art2s = art2.to_string();
    let r = citizen.post_form(&public_url, &[("unit", art2s.as_str()), ("text", comment), ("consent", "1")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    assert!(page.contains("на него придёт ссылка для подтверждения") && page.contains(&shown));
    let r = citizen
        .post_form(&public_url, &[("unit", art2s.as_str()), ("text", &"x".repeat(1_000_000)), ("consent", "1")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("не длиннее 5000 символов"));
    let fields = [
        ("unit", art2s.as_str()),
        ("text", comment),
        ("author_name", "Мария <i>Иванова</i>"),
        ("email", "maria@example.org"),
        ("consent", "1"),
    ];
    let r = citizen.post_form(&public_url, &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = citizen.get(&location(&r)).await.text().await.expect("text");
    assert!(page.contains("Мы отправили письмо со ссылкой"));
    let payload: String =
        sqlx::query("SELECT payload FROM jobs WHERE idempotency_key LIKE 'comment-confirm:draft_comments:%'")
            .fetch_one(&app.db.pool)
            .await
            .expect("the confirmation letter is queued")
            .try_get(0)
            .expect("payload");
    let start = payload.find(&format!("{public_url}/confirm/")).expect("the link");
    let link: String = payload[start..].chars().take_while(|c| !matches!(c, '\\' | '"' | '\n' | ' ')).collect();
    let list = app.get(&format!("{STAFF}{id}/comments")).await.text().await.expect("text");
    assert!(list.contains("не подтверждён автором") && list.contains("maria@example.org"));
    let cid: i64 = one(&app, "SELECT MAX(id) FROM draft_comments").await;
    let moderate = format!("{STAFF}{id}/comments/{cid}");
    let r = app.post_form(&moderate, &[("action", "publish")]).await;
    assert!(r.text().await.expect("text").contains("автор ещё не подтвердил комментарий"));
    let wrong = format!("{}x", &link[..link.len() - 1]);
    assert!(location(&citizen.get(&wrong).await).contains("sent=unconfirmed"));
    let r = citizen.get(&link).await;
    assert!(location(&r).contains("sent=confirmed"));
    assert_eq!(
        one(&app, &format!("SELECT COUNT(*) FROM draft_comments WHERE id = {cid} AND status = 'pending'")).await,
        1
    );

    // A second version: article 2 keeps its anchor, so the comment stays on it.
    let mut v2 = V1.to_vec();
    v2[6] = "Приём ведётся по понедельникам и четвергам.";
    let r = upload(&app, id, "Проект приказа, ред. 2.docx", docx(&v2), "Добавлен четверг").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app.post_form(&moderate, &[("action", "publish")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = citizen.get(&public_url).await.text().await.expect("text");
    assert!(page.contains("Текст проекта (Редакция 3)"), "the current version is 3 (the first had no units)");
    assert!(page.contains("по понедельникам и четвергам"));
    // What changed between the last two versions, line by line; a version that is not there is refused.
    let diff = citizen.get(&format!("{public_url}/diff")).await.text().await.expect("text");
    assert!(
        diff.contains(
            "<del><span class=\"visually-hidden\">удалено: </span>Приём ведётся по понедельникам с 9 до 13 часов.</del>"
        ),
        "{diff}"
    );
    assert!(diff.contains(
        "<ins><span class=\"visually-hidden\">добавлено: </span>Приём ведётся по понедельникам и четвергам.</ins>"
    ));
    let r = citizen.get(&format!("{public_url}/diff?from=1&to=9")).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.expect("text").contains("Такой редакции у проекта нет"));
    assert!(page.contains(&shown) && page.contains("статья 2 (к редакции 2)"), "shown against version 2");
    assert!(
        !page.contains("<script>alert(2)") && page.contains("Мария &#60;i&#62;Иванова"),
        "script and markup stay text"
    );
    assert!(!page.contains("maria@example.org"), "the address is never shown");

    // A week before its last day, the draft is in the feeds of discussions about to close.
    // (An address with a parameter of its own is never kept in the page cache.)
    let closing = citizen.get("/o/social-protection/drafts/closing.atom?now").await.text().await.expect("atom");
    assert!(!closing.contains(title), "a month away: not yet");
    app.clock.set(T0 + 28 * 86_400_000); // 30.03.2026
    let dir = crate::helpers::temp_dir("closing-feed");
    let mut files = Vec::new();
    for (name, path) in
        [("portal.atom", "/drafts/closing.atom"), ("body.atom", "/o/social-protection/drafts/closing.atom")]
    {
        let file = dir.join(name);
        std::fs::write(&file, citizen.get(path).await.bytes().await.expect("atom")).expect("write");
        files.push(file);
    }
    for feed in crate::feeds::read(&files) {
        let entries = feed["entries"].as_array().expect("entries");
        let entry =
            entries.iter().find(|e| e["link"].as_str().is_some_and(|l| l.ends_with(&public_url))).expect("the draft");
        assert_eq!(entry["title"], format!("Обсуждение завершается 02.04.2026: {title}"), "{feed}");
    }

    // The window closes on its last day: the form says so and keeps the text.
    app.clock.set(T0 + 31 * 86_400_000 + 3_600_000); // 02.04.2026, still open
    assert!(citizen.get(&public_url).await.text().await.expect("text").contains("name=\"consent\""));
    app.clock.set(T0 + 32 * 86_400_000); // 03.04.2026
    let page = citizen.get(&public_url).await.text().await.expect("text");
    assert!(page.contains("обсуждение завершено") && !page.contains("name=\"consent\""));
    let late = citizen.other_client();
    let r = late.post_form(&public_url, &[("text", "Поздно?"), ("email", "a@example.org"), ("consent", "1")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.expect("text");
    assert!(text.contains("обсуждение завершено 02.04.2026") && text.contains("Поздно?"));

    // The body's position: a reason is required unless the proposal is accepted. (A month on,
    // the lawyer signs in again.)
    app.login("lawyer@social.example", PASSWORD).await;
    let r = app.post_form(&moderate, &[("action", "position"), ("position", "partly"), ("reply", "")]).await;
    let (status, text) = (r.status(), r.text().await.expect("text"));
    assert!(
        text.contains("укажите, почему предложение учтено частично"),
        "{status} {}",
        text.split("<main").nth(1).unwrap_or_default()
    );
    let reason = "Приём по четвергам добавлен, но до 17 часов: вечером здание закрыто.";
    let r = app.post_form(&moderate, &[("action", "position"), ("position", "partly"), ("reply", reason)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(one(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'draft_comment'").await, 2);
    assert_eq!(
        one(&app, "SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'comment-reply:draft_comments:%'").await,
        1
    );

    // The summary: on the page, as .docx and .csv, with the position and its reason.
    let summary = citizen.get(&format!("{public_url}/summary")).await.text().await.expect("text");
    assert!(summary.contains(&shown) && summary.contains("учтено частично") && summary.contains(reason));
    assert!(summary.contains("Статья 2") && !summary.contains("maria@example.org"));
    let bytes = citizen.get(&format!("{public_url}/summary.docx")).await.bytes().await.expect("docx");
    let text = office::docx_text(&bytes).expect("a Word document");
    assert!(
        text.contains("Сводка предложений") && text.contains(comment) && text.contains("учтено частично"),
        "{text}"
    );
    let csv = citizen.get(&format!("{public_url}/summary.csv")).await.text().await.expect("csv");
    assert!(csv.starts_with("№,К чему,Автор,Предложение,Позиция органа,Обоснование\r\n") && csv.contains(reason));

    // The result ends the timeline.
    let r = app.post_form(&format!("{STAFF}{id}/result"), &[("outcome", "adopted"), ("result", "")]).await;
    assert!(r.text().await.expect("text").contains("укажите вид, дату и номер принятого акта"));
    let act = "Приказ от 10.04.2026 № 45";
    let r = app.post_form(&format!("{STAFF}{id}/result"), &[("outcome", "adopted"), ("result", act)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = citizen.get(&public_url).await.text().await.expect("text");
    assert!(page.contains(act) && page.contains("Акт принят"));
    for what in ["Размещено уведомление", "Размещена редакция проекта № 2", "Открыто общественное обсуждение"]
    {
        assert!(page.contains(what), "{what}");
    }
    assert!(staff_page.starts_with(STAFF));
}
on_both_backends!(a_draft_goes_from_notice_to_summary);

async fn only_the_body_s_lawyers_change_its_drafts(app: TestApp) {
    app.create_body(None, "culture", "Департамент культуры").await;
    app.create_staff("lawyer@culture.example", Role::Lawyer, Some("culture")).await;
    app.login("lawyer@culture.example", PASSWORD).await;
    let r = app.post_form(STAFF, &[("kind", "regulation"), ("title", "Чужой"), ("concept", "Нет")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(one(&app, "SELECT COUNT(*) FROM drafts").await, 0);
    let r = app
        .post_form("/staff/drafts/kinds/regulation", &[("amount", "2"), ("unit", "months"), ("on_day_off", "keep")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "the rules are the portal admin's");
}
on_both_backends!(only_the_body_s_lawyers_change_its_drafts);

async fn an_expert_conclusion_is_answered_within_its_term(app: TestApp) {
    app.create_staff("lawyer@social.example", Role::Lawyer, Some("social-protection")).await;
    app.login("lawyer@social.example", PASSWORD).await;
    let citizen = app.other_client();
    let r = app
        .post_form(
            STAFF,
            &[("kind", "normative"), ("title", "О порядке выдачи справок"), ("concept", "Справки — за 3 дня.")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = one(&app, "SELECT MAX(id) FROM drafts").await;
    let staff_page = format!("{STAFF}{id}");
    let public_url = format!("/o/social-protection/drafts/{id}");

    // Published for expertise on Monday 02.03.2026: five working days counting that day.
    let r = app.post_form(&format!("{staff_page}/expertise"), &[("expertise_email", "not an address")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.post_form(&format!("{staff_page}/expertise"), &[("expertise_email", "lawyer@social.example")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = citizen.get(&public_url).await.text().await.expect("text");
    assert!(
        page.contains("Заключения принимаются: 02.03.2026 — 06.03.2026")
            && page.contains("mailto:lawyer@social.example")
    );

    // A conclusion without the accreditation's details is refused; what was typed comes back.
    let conclusions = format!("{staff_page}/conclusions");
    let mut fields = vec![
        ("expert_kind", "person"),
        ("expert_name", "Петров Пётр Петрович"),
        ("act_details", "проект постановления «О порядке выдачи справок»"),
        ("received_on", "2026-03-02"),
        ("unit_1", "пункт 2"),
        ("factor_1", "3б"),
        ("provision_1", "«орган вправе продлить срок»"),
        ("remedy_1", "указать основания и предельный срок продления"),
        ("unit_2", "пункт 4"),
        ("factor_2", "4в"),
        ("provision_2", "«в разумный срок»"),
        ("remedy_2", "заменить точным сроком в рабочих днях"),
    ];
    let r = app.post_form(&conclusions, &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.expect("text");
    assert!(
        text.contains("укажите номер распоряжения Минюста России об аккредитации")
            && text.contains("Петров Пётр Петрович")
    );
    assert!(text.contains("«в разумный срок»"), "the findings typed come back");
    assert_eq!(one(&app, "SELECT COUNT(*) FROM draft_conclusions").await, 0);
    fields.extend([("accreditation_number", "1234-р"), ("accreditation_date", "2024-01-15")]);
    fields.push(("remedy_3", "<script>alert(3)</script>"));
    let r = app.post_form(&conclusions, &fields).await;
    assert!(r.text().await.expect("text").contains("строка 3: укажите структурную единицу"), "a row half filled");
    fields.retain(|(k, _)| *k != "remedy_3");
    fields.extend([
        ("unit_3", "пункт 5"),
        ("factor_3", "4а"),
        ("provision_3", "<b>требование</b>"),
        ("remedy_3", "<script>alert(3)</script>"),
    ]);
    let r = app.post_form(&conclusions, &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(one(&app, "SELECT COUNT(*) FROM draft_findings").await, 3);
    let cid: i64 = one(&app, "SELECT MAX(id) FROM draft_conclusions").await;

    // The compliance engine counts the answer as due by its term.
    let status = |app: &TestApp| {
        let key = format!("rulemaking/conclusion/{cid}");
        let db = app.db.clone();
        async move {
            let r = sqlx::query("SELECT status, due FROM compliance_statuses WHERE obligation = $1")
                .bind(key)
                .fetch_one(&db.pool)
                .await
                .expect("the conclusion's obligation");
            (r.try_get::<String, _>(0).expect("status"), r.try_get::<Option<String>, _>(1).expect("due"))
        }
    };
    compliance::evaluate::cycle(&app.state).await.expect("cycle");
    assert_eq!(status(&app).await, ("upcoming".to_string(), Some("2026-04-01".to_string())));

    // 30 days from receipt: 01.04.2026; the lawyer sees it first on the staff home.
    let page = app.get(&staff_page).await.text().await.expect("text");
    assert!(page.contains("Ответить до 01.04.2026"), "the term is shown");
    let home = app.get("/staff/").await.text().await.expect("text");
    assert!(home.contains("заключений экспертизы ждут ответа — 1, ближайший срок 01.04.2026"), "on the staff home");
    let conclusion_url = format!("{public_url}/conclusions/{cid}");
    let page = citizen.get(&conclusion_url).await.text().await.expect("text");
    assert!(
        page.contains("&#60;script&#62;alert(3)")
            && !page.contains("<script>alert(3)")
            && !page.contains("<b>требование")
    );
    assert!(page.contains("определение компетенции по формуле «вправе» (п. 3 «б» Методики)"));
    assert!(
        page.contains("юридико-лингвистическая неопределённость")
            && page.contains("Ответ готовится; срок — 01.04.2026")
    );

    // Reminded once, three working days before the term.
    let remind = |now| rulemaking::expertise::remind(&app.db, &app.cfg, now);
    assert_eq!(remind(T0).await.expect("remind"), 0, "too early");
    let monday = T0 + 28 * 86_400_000; // 30.03.2026
    assert_eq!(remind(monday).await.expect("remind"), 1);
    assert_eq!(remind(monday + 3_600_000).await.expect("remind"), 0, "once");
    let letter: String = sqlx::query("SELECT payload FROM jobs WHERE idempotency_key = $1")
        .bind(format!("conclusion-reminder:{cid}"))
        .fetch_one(&app.db.pool)
        .await
        .expect("the reminder")
        .try_get(0)
        .expect("payload");
    assert!(letter.contains("lawyer@social.example") && letter.contains("01.04.2026"));

    // The reasoned answer, published and linked from the conclusion.
    let answer = format!("{staff_page}/conclusions/{cid}/answer");
    let r = app.post_form(&answer, &[("answer", " ")]).await;
    assert!(r.text().await.expect("text").contains("напишите мотивированный ответ"));
    let reply = "Пункт 2 дополнен основаниями продления; в пункте 4 срок — 5 рабочих дней.";
    assert_eq!(app.post_form(&answer, &[("answer", reply)]).await.status(), StatusCode::SEE_OTHER);
    let page = citizen.get(&public_url).await.text().await.expect("text");
    assert!(page.contains(&format!("href=\"{conclusion_url}#answer\"")), "the draft links the answer");
    assert!(citizen.get(&conclusion_url).await.text().await.expect("text").contains(reply));
    assert!(!app.get("/staff/").await.text().await.expect("text").contains("заключений экспертизы ждут ответа"));
    assert_eq!(one(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'draft_conclusion'").await, 2);
    compliance::evaluate::cycle(&app.state).await.expect("cycle");
    assert_eq!(status(&app).await.0, "satisfied", "answered in its term");

    // The year's report: one draft, one conclusion with two factors, answered in term.
    let report = citizen.get("/o/social-protection/drafts/expertise?year=2026").await.text().await.expect("text");
    let text: String =
        report.split("<main").nth(1).unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ");
    for figure in [
        "Проектов размещено для экспертизы</dt><dd>1</dd>",
        "Поступило заключений</dt><dd>1; из них с выявленными коррупциогенными факторами: 1</dd>",
        "Выявлено факторов</dt><dd>3</dd>",
        "Дан мотивированный ответ</dt><dd>1; из них в тридцатидневный срок: 1</dd>",
    ] {
        assert!(text.contains(figure), "{figure}: {text}");
    }
    assert!(text.contains("юридико-лингвистическая неопределённость (п. 4 «в» Методики)"));
    let r = citizen.get("/o/social-protection/drafts/expertise?year=1999").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.expect("text").contains("Год отчёта — число от 2000"));
}
on_both_backends!(an_expert_conclusion_is_answered_within_its_term);

async fn a_year_s_plan_of_rule_making_links_its_drafts(app: TestApp) {
    app.create_staff("lawyer@social.example", Role::Lawyer, Some("social-protection")).await;
    app.login("lawyer@social.example", PASSWORD).await;
    let citizen = app.other_client();
    let plan = format!("{STAFF}plan");
    // A term the deadline reader cannot place is refused with what it could not place.
    let r = app
        .post_form(&plan, &[("year", "2026"), ("title", ""), ("kind", "regulation"), ("term", "когда-нибудь")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.expect("text");
    assert!(text.contains("укажите наименование проекта акта") && text.contains("срок «когда-нибудь» не прочитан"));
    for (title, term) in
        [("О порядке приёма граждан", "II квартал 2026 года"), ("О порядке выдачи справок", "до 1 октября")]
    {
        let fields = [
            ("year", "2026"),
            ("title", title),
            ("kind", "regulation"),
            ("term", term),
            ("responsible", "Правовой отдел"),
        ];
        assert_eq!(app.post_form(&plan, &fields).await.status(), StatusCode::SEE_OTHER);
    }
    let public = "/o/social-protection/drafts/plan?year=2026";
    let page = citizen.get(public).await.text().await.expect("text");
    assert!(page.contains("II квартал 2026 года (30.06.2026)") && page.contains("до 1 октября (01.10.2026)"));
    assert!(page.contains("проект ещё не размещён"));

    // The notice comes out; the item is linked to it, the other removed.
    let r = app
        .post_form(STAFF, &[("kind", "regulation"), ("title", "О порядке приёма граждан"), ("concept", "Еженедельно.")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let draft: i64 = one(&app, "SELECT MAX(id) FROM drafts").await;
    let first: i64 = one(&app, "SELECT MIN(id) FROM draft_plan_items").await;
    let second: i64 = one(&app, "SELECT MAX(id) FROM draft_plan_items").await;
    let link = [("action", "link"), ("draft", &draft.to_string())];
    assert_eq!(app.post_form(&format!("{plan}/{first}"), &link).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.post_form(&format!("{plan}/{second}"), &[("action", "remove")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = citizen.get(&format!("{public}&again")).await.text().await.expect("text");
    assert!(page.contains(&format!("href=\"/o/social-protection/drafts/{draft}\">подготовка проекта</a>")), "linked");
    assert!(!page.contains("О порядке выдачи справок"), "removed");
    assert_eq!(one(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'draft_plan_item'").await, 4);
    let r = citizen.get("/o/social-protection/drafts/plan?year=abc").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}
on_both_backends!(a_year_s_plan_of_rule_making_links_its_drafts);
