//! Appeals and information requests: a submission is refused whole with every problem named
//! and the text kept, or stored with its files and numbered; the number is shown only after
//! the commit, with a tracking link that shows no personal data; numbers are unique and without
//! gaps per body and year, also when many arrive at once.

use kernel::staff::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::{PASSWORD, T0, TestApp};
use crate::on_both_backends;

const PDF: &[u8] = b"%PDF-1.4\n% a scan of a letter\n";

pub async fn send(app: &TestApp, fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> reqwest::Response {
    let mut form = Form::new().text("csrf", app.csrf().await);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, bytes) in files {
        form = form.part("files", Part::bytes(bytes.to_vec()).file_name(name.to_string()));
    }
    app.client.post(app.url("/appeals/new")).multipart(form).send().await.expect("submit")
}

/// The text the query's first row holds in its first column.
async fn row_text(app: &TestApp, sql: &str) -> String {
    use sqlx::Row;
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.db.pool)
        .await
        .expect("row")
        .try_get(0)
        .expect("text")
}

/// Every submission's id, in order.
async fn ids(app: &TestApp) -> Vec<i64> {
    use sqlx::Row;
    let rows = sqlx::query("SELECT id FROM submissions ORDER BY id").fetch_all(&app.db.pool).await.expect("ids");
    rows.iter().map(|r| r.try_get(0).expect("id")).collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    use sqlx::Row;
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.db.pool)
        .await
        .expect("count")
        .try_get(0)
        .expect("n")
}

pub fn appeal<'a>(body: &'a str, topic: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("body", body),
        ("kind", "appeal"),
        ("topic", topic),
        ("text", "Прошу разъяснить, как оформить ежемесячную выплату на ребёнка."),
        ("author_name", "Петрова Анна Сергеевна"),
        ("answer_by", "email"),
        ("email", "anna@example.org"),
        ("consent", "1"),
    ]
}

async fn an_appeal_is_stored_numbered_acknowledged_and_tracked(app: TestApp) {
    let citizen = app.other_client();
    let form = citizen.get("/appeals/new?body=social-protection").await;
    assert_eq!(form.headers()["cache-control"], "private, no-store");
    assert!(form.text().await.expect("text").contains("<option value=\"social-protection\" selected>"));
    // The kind first; then only that kind's fields (a complaint asks whom it is about, an appeal
    // does not ask for a media outlet); an unknown kind is asked again.
    let complaint = citizen.get("/appeals/new?body=social-protection&kind=complaint").await.text().await.expect("text");
    assert!(complaint.contains("name=\"respondent\"") && !complaint.contains("name=\"outlet\""));
    let plain = citizen.get("/appeals/new?body=social-protection&kind=appeal").await.text().await.expect("text");
    assert!(!plain.contains("name=\"respondent\"") && !plain.contains("name=\"outlet_domain\""));
    let unknown = citizen.get("/appeals/new?kind=petition").await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.text().await.expect("text").contains("выберите, что вы хотите отправить"));
    // Everything wrong at once: refused whole, every problem named, the text kept, nothing stored.
    let bad = [
        ("body", "social-protection"),
        ("kind", "appeal"),
        ("topic", "Выплата"),
        ("text", "Текст, который нельзя потерять"),
        ("email", "не почта"),
    ];
    let r = send(&citizen, &bad, &[("скан.pdf", b"MZ\x90"), ("программа.exe", b"MZ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    for expected in [
        "укажите фамилию",
        "не похож на адрес электронной почты",
        "не соответствует расширению .pdf",
        "такие файлы не принимаются",
        "без согласия на обработку персональных данных обращение не принять",
        ">Текст, который нельзя потерять</textarea>",
    ] {
        assert!(page.contains(expected), "{expected}");
    }
    // A text a little too long comes back whole to be shortened; ten megabytes do not come back.
    let a_bit_long = "я".repeat(20_500);
    let mut long = appeal("social-protection", "Длинное");
    long[3] = ("text", &a_bit_long);
    let page = send(&citizen, &long, &[]).await.text().await.expect("text");
    assert!(page.contains("длиннее 20000 символов (20500)") && page.contains(&a_bit_long));
    let ten_megabytes = "я".repeat(5 << 20);
    long[3] = ("text", &ten_megabytes);
    let r = send(&citizen, &long, &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    assert!(page.contains("длиннее 20000 символов"));
    assert!(page.len() < 1 << 20, "the refusal is {} bytes", page.len());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM submissions").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM submission_counters").await, 0, "a refusal takes no number");

    // Stored, then numbered: the tracking page is the receipt.
    let script = "<script>alert('x')</script> Выплата";
    let r = send(&citizen, &appeal("social-protection", script), &[("скан письма.pdf", PDF)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()["location"].to_str().expect("location").to_string();
    assert!(to.starts_with("/appeals/track/") && to.ends_with("?sent=1"), "{to}");
    let track = citizen.get(&to).await;
    assert_eq!(track.headers()["referrer-policy"], "no-referrer");
    let page = track.text().await.expect("text");
    assert!(page.contains("№ 1/2026") && page.contains("02.03.2026") && page.contains("01.04.2026"), "{page}");
    assert!(page.contains("зарегистрировано") && page.contains("Номер и ссылка отправлены"));
    for private in ["Петрова", "anna@example.org", "ежемесячную выплату", "alert"] {
        assert!(!page.contains(private), "the tracking page shows no personal data: {private}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'submission:%:registered'").await, 1);
    assert_eq!(citizen.get("/appeals/track/not-a-token").await.status(), StatusCode::NOT_FOUND);

    // The address is confirmed by the second secret, which only the e-mail carries; opening the
    // link changes nothing (mail scanners open links), the button does.
    let payload = row_text(&app, "SELECT payload FROM jobs WHERE idempotency_key LIKE 'submission:%:registered'").await;
    let secret: String = payload
        .split("/appeals/confirm/")
        .nth(1)
        .expect("a confirmation link in the acknowledgement")
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    assert!(!to.contains(&secret), "the tracking link is not the confirmation secret");
    let link = format!("/appeals/confirm/{secret}");
    assert!(citizen.get(&link).await.text().await.expect("text").contains("Подтвердить адрес"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM submissions WHERE identified_by = 'email_link'").await, 0);
    assert!(citizen.post_form(&link, &[]).await.text().await.expect("text").contains("Спасибо, адрес подтверждён"));
    assert!(citizen.post_form(&link, &[]).await.text().await.expect("text").contains("Адрес уже подтверждён"));
    assert_eq!(citizen.get("/appeals/confirm/0000").await.status(), StatusCode::NOT_FOUND);
    assert!(citizen.get(&to).await.text().await.expect("text").contains("адрес электронной почты подтверждён"));

    // Numbers run per body and year.
    let r = send(&citizen, &appeal("social-protection", "Второе"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mut request = appeal("information-society", "Сведения");
    request[1] = ("kind", "info_request");
    let r = send(&citizen, &request, &[]).await;
    let page = citizen.get(r.headers()["location"].to_str().expect("location")).await.text().await.expect("text");
    assert!(page.contains("№ 1/2026") && page.contains("запрос информации"));
    // A media request comes from the editorial domain and is due in 7 days: 09.03 is a moved day
    // off, so 06.03.
    let mut media = appeal("information-society", "Запрос редакции");
    media[1] = ("kind", "media_request");
    media.extend([("outlet", "Томские новости"), ("outlet_domain", "tomsk-news.ru")]);
    let r = send(&citizen, &media, &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("в домене tomsk-news.ru"));
    media[6] = ("email", "editor@tomsk-news.ru");
    let r = send(&citizen, &media, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = citizen.get(r.headers()["location"].to_str().expect("location")).await.text().await.expect("text");
    assert!(page.contains("№ 2/2026") && page.contains("запрос редакции СМИ") && page.contains("06.03.2026"), "{page}");

    // The appeals officer sees everything, escaped, and the file as sent.
    app.create_staff("appeals@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    app.login("appeals@social.example", PASSWORD).await;
    let list = app.get("/staff/o/social-protection/appeals/").await.text().await.expect("text");
    assert!(list.contains("&#60;script&#62;alert(") && !list.contains("<script>alert("), "escaped: {list}");
    assert!(list.contains(">1/2026<") && list.contains(">2/2026<") && list.contains("Петрова Анна Сергеевна"));
    let id = count(&app, "SELECT MIN(id) FROM submissions").await;
    let card = app.get(&format!("/staff/o/social-protection/appeals/{id}")).await.text().await.expect("text");
    assert!(
        card.contains("anna@example.org") && card.contains("подтверждён по ссылке") && card.contains("скан письма.pdf")
    );
    let fid = count(&app, "SELECT MIN(id) FROM submission_files").await;
    let file = app.get(&format!("/staff/o/social-protection/appeals/{id}/files/{fid}")).await;
    assert_eq!(file.headers()["content-type"], "application/octet-stream");
    assert_eq!(&file.bytes().await.expect("bytes")[..], PDF);
    let other = app.get(&format!("/staff/o/information-society/appeals/{id}")).await;
    assert_eq!(other.status(), StatusCode::FORBIDDEN, "another body's officer role is needed there");

    // The term is extended once, with the reason, before it ends: 01.04 + 30 is 1 May, a holiday,
    // so the day before, 30.04 (a shortened working day).
    let card = format!("/staff/o/social-protection/appeals/{id}");
    assert!(app.get(&card).await.text().await.expect("text").contains("Новый срок: 30.04.2026"));
    let r = app.post_form(&format!("{card}/extend"), &[("reason", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let reason = "Запрошены документы в Пенсионном фонде";
    assert_eq!(app.post_form(&format!("{card}/extend"), &[("reason", reason)]).await.status(), StatusCode::SEE_OTHER);
    let r = app.post_form(&format!("{card}/extend"), &[("reason", reason)]).await;
    assert!(r.text().await.expect("text").contains("один раз"));
    let page = citizen.get(&to).await.text().await.expect("text");
    assert!(page.contains("срок продлён до 30.04.2026: Запрошены документы") && page.contains("<dd>30.04.2026</dd>"));
    // The answer, with its result, reaches the tracking page and the applicant's mail.
    let r = app.post_form(&format!("{card}/answer"), &[("result", ""), ("answer", "")]).await;
    let text = r.text().await.expect("text");
    assert!(text.contains("выберите результат") && text.contains("напишите ответ"));
    let answer = "Уважаемая Анна Сергеевна! Выплата оформляется через МФЦ или Госуслуги; перечень документов — в приложении к закону.";
    let fields = [("result", "explained"), ("answer", answer)];
    assert_eq!(app.post_form(&format!("{card}/answer"), &fields).await.status(), StatusCode::SEE_OTHER);
    let again = app.post_form(&format!("{card}/answer"), &fields).await;
    assert!(again.text().await.expect("text").contains("уже дан ответ"));
    let page = citizen.get(&to).await.text().await.expect("text");
    assert!(page.contains("Рассмотрено. Разъяснено") && page.contains(answer) && page.contains("дан ответ"));
    for key in ["extended", "answer"] {
        let sql = format!("SELECT COUNT(*) FROM jobs WHERE idempotency_key = 'submission:{id}:{key}'");
        assert_eq!(count(&app, &sql).await, 1, "{key} notice");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'submission'").await, 2);

    // Publication: a redacted draft to review within 10 working days (09.03 is a day off); the
    // officer sees each replacement highlighted and may undo it, then publishes under the
    // question as a reader would put it, without personal data.
    let drafts = app.get("/staff/o/social-protection/appeals/publication").await.text().await.expect("text");
    assert!(
        drafts.contains("Уважаемый заявитель! Выплата оформляется через МФЦ")
            && drafts.contains("опубликовать до 17.03.2026"),
        "{drafts}"
    );
    assert!(
        drafts.contains("<mark>Уважаемая Анна Сергеевна</mark>")
            && drafts.contains("name=\"keep\" value=\"a:0\" checked")
    );
    let url = format!("/staff/o/social-protection/appeals/publication/{id}");
    // Undone (no box left checked), the texts are made again from what was written.
    assert_eq!(app.post_form(&format!("{url}/replacements"), &[]).await.status(), StatusCode::SEE_OTHER);
    let undone = app.get("/staff/o/social-protection/appeals/publication").await.text().await.expect("text");
    assert!(
        undone.contains("name=\"answer\">Уважаемая Анна Сергеевна! Выплата") && undone.contains("value=\"a:0\">"),
        "{undone}"
    );
    let keep: Vec<(&str, &str)> = drafts
        .split("name=\"keep\" value=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .map(|k| ("keep", k))
        .collect();
    assert_eq!(app.post_form(&format!("{url}/replacements"), &keep).await.status(), StatusCode::SEE_OTHER);
    let drafts = app.get("/staff/o/social-protection/appeals/publication").await.text().await.expect("text");
    assert!(drafts.contains("name=\"answer\">Уважаемый заявитель! Выплата"), "{keep:?} {drafts}");
    let r = app.post_form(&url, &[("action", "withhold"), ("reason", "")]).await;
    assert!(r.text().await.expect("text").contains("почему ответ не публикуется"));
    let question = "[ФИО] спрашивает о выплате на ребёнка.";
    let summary = "Как оформить ежемесячную выплату на ребёнка?";
    let answer = "Уважаемый заявитель! Выплата оформляется через МФЦ.";
    let unsummarised = [("action", "publish"), ("summary", ""), ("question", question), ("answer", answer)];
    let r = app.post_form(&url, &unsummarised).await;
    assert!(r.text().await.expect("text").contains("напишите вопрос коротко"));
    let published = [("action", "publish"), ("summary", summary), ("question", question), ("answer", answer)];
    assert_eq!(app.post_form(&url, &published).await.status(), StatusCode::SEE_OTHER);
    let public = citizen.get("/o/social-protection/appeals/answers").await.text().await.expect("text");
    assert!(public.contains(&format!("<h3>{summary}</h3>")), "headed by the question: {public}");
    assert!(public.contains("Рассмотрено. Разъяснено") && public.contains("№ 1/2026"));
    for private in ["Петрова", "Анна", "anna@example.org"] {
        assert!(!public.contains(private), "published without personal data: {private}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'submission_publication'").await, 3);
}
on_both_backends!(an_appeal_is_stored_numbered_acknowledged_and_tracked);

async fn numbers_stay_unique_and_without_gaps_when_many_arrive_at_once(app: TestApp) {
    let citizen = app.other_client();
    let csrf = citizen.csrf().await;
    let mut tasks = Vec::new();
    for i in 0..60 {
        let (client, url, csrf) = (citizen.client.clone(), citizen.url("/appeals/new"), csrf.clone());
        let body = if i % 3 == 0 { "information-society" } else { "social-protection" };
        tasks.push(tokio::spawn(async move {
            let mut form = Form::new().text("csrf", csrf);
            for (k, v) in appeal(body, &format!("Обращение {i}")) {
                form = form.text(k.to_string(), v.to_string());
            }
            client.post(url).multipart(form).send().await.expect("submit").status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.expect("task"), StatusCode::SEE_OTHER);
    }
    for (slug, n) in [("social-protection", 40), ("information-society", 20)] {
        let sql = format!(
            "SELECT COUNT(*), MIN(seq), MAX(seq), COUNT(DISTINCT seq) FROM submissions s JOIN bodies b ON b.id = s.body_id \
             WHERE b.slug = '{slug}'"
        );
        use sqlx::Row;
        let r = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_one(&app.db.pool).await.expect("query");
        let got: (i64, i64, i64, i64) = (
            r.try_get(0).expect("n"),
            r.try_get(1).expect("min"),
            r.try_get(2).expect("max"),
            r.try_get(3).expect("distinct"),
        );
        assert_eq!(got, (n, 1, n, n), "{slug}: 1..{n}, each once");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'submission:%:registered'").await, 60);
}
on_both_backends!(
    numbers_stay_unique_and_without_gaps_when_many_arrive_at_once,
    &[("GLASNOST_APPEALS_PER_ADDRESS_HOUR", "0")]
);

/// Group commit: submissions arriving together share a transaction, each is answered only after
/// it, and one that fails inside a shared transaction is rolled back alone — number included.
async fn submissions_arriving_together_share_a_commit_and_a_failure_stays_alone(app: TestApp) {
    use appeals::intake::{Intake, SubmissionForm, validate};
    use std::sync::atomic::Ordering;
    let intake = Intake::start(app.db.clone(), 256);
    let storage = kernel::storage::Storage::open(&app.cfg.storage_url).expect("storage");
    let body = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let form = SubmissionForm {
        body: body.slug.clone(),
        kind: "appeal".into(),
        topic: "Пособие".into(),
        text: "Прошу разъяснить порядок".into(),
        author_name: "Иванов Иван".into(),
        email: "ivan@example.org".into(),
        consent: "1".into(),
        ..SubmissionForm::default()
    };
    let checked = validate(&form, &[], &[(body.id, body.slug.clone())]).expect("valid");
    let day = deadlines::Date::constant(2026, 3, 2);
    let mut tasks = Vec::new();
    for i in 0..81 {
        let (intake, storage, mut new) = (intake.clone(), storage.clone(), checked.clone());
        if i == 40 {
            new.body_id = 999_999; // no such body: its statements fail inside the shared transaction
        }
        tasks.push(tokio::spawn(async move {
            intake.submit(&storage, crate::helpers::T0, (day, day), ("http://portal.test", "Департамент"), new).await
        }));
    }
    let mut numbers = Vec::new();
    for (i, t) in tasks.into_iter().enumerate() {
        match t.await.expect("task") {
            Ok(r) => numbers.push(r.number),
            Err(e) => assert!(i == 40 && matches!(e, kernel::Error::Internal(_)), "submission {i}: {e}"),
        }
    }
    numbers.sort_by_key(|n| n.split('/').next().and_then(|s| s.parse::<u32>().ok()));
    let expected: Vec<String> = (1..=80).map(|n| format!("{n}/2026")).collect();
    assert_eq!(numbers, expected, "80 numbers, 1 to 80, none lost to the failed one");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM submissions").await, 80);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs").await, 80, "an acknowledgement for each, none for the failed");
    let (commits, stored) =
        (intake.counts().commits.load(Ordering::Relaxed), intake.counts().submissions.load(Ordering::Relaxed));
    assert_eq!(stored, 80);
    assert!(commits < 80, "submissions waiting together were committed together ({commits} commits for 80)");
}
on_both_backends!(submissions_arriving_together_share_a_commit_and_a_failure_stays_alone);

/// Staff split a submission into questions, classify each by the national classifier, give each
/// its result (the answer gives its own to the rest), and export the month for Decree 171.
async fn questions_are_classified_given_results_and_exported_for_decree_171(app: TestApp) {
    let citizen = app.other_client();
    assert_eq!(
        send(&citizen, &appeal("social-protection", "Выплата и вывоз мусора"), &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    app.create_staff("appeals@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    app.login("appeals@social.example", PASSWORD).await;
    let id = count(&app, "SELECT MIN(id) FROM submissions").await;
    let card = format!("/staff/o/social-protection/appeals/{id}");
    let page = app.get(&card).await.text().await.expect("text");
    assert!(
        page.contains("<option value=\"0005.0005.0056.1160\">Обращение с ТКО</option>"),
        "the shipped codes are offered"
    );

    let r = app.post_form(&format!("{card}/questions"), &[("summary", ""), ("code", "0009.9999")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.expect("text");
    assert!(text.contains("сформулируйте вопрос") && text.contains("«0009.9999» нет в классификаторе"), "{text}");
    for (summary, code) in [
        ("Порядок назначения выплаты на ребёнка", "0002.0007"),
        ("Нерегулярный вывоз мусора во дворе", "0005.0005.0056.1160"),
        ("Ошибочный вопрос", "0003.0009.0099"),
    ] {
        let r = app.post_form(&format!("{card}/questions"), &[("summary", summary), ("code", code)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{summary}");
    }
    let sql = |n: i64| format!("SELECT id FROM submission_questions ORDER BY id LIMIT 1 OFFSET {n}");
    let (first, second, wrong) = (count(&app, &sql(0)).await, count(&app, &sql(1)).await, count(&app, &sql(2)).await);
    // The one added by mistake is removed; the second gets its own result.
    assert_eq!(app.post_form(&format!("{card}/questions/{wrong}/delete"), &[]).await.status(), StatusCode::SEE_OTHER);
    let r = app.post_form(&format!("{card}/questions/{second}"), &[("result", "nonsense")]).await;
    assert!(r.text().await.expect("text").contains("выберите результат"));
    let r = app.post_form(&format!("{card}/questions/{second}"), &[("result", "supported_measures")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let fields = [("result", "explained"), ("answer", "Выплата назначается по заявлению; вывоз мусора налажен.")];
    assert_eq!(app.post_form(&format!("{card}/answer"), &fields).await.status(), StatusCode::SEE_OTHER);
    let r = app.post_form(&format!("{card}/questions"), &[("summary", "Ещё"), ("code", "0002.0004")]).await;
    assert!(r.text().await.expect("text").contains("вопросы больше не меняются"));
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM submission_questions WHERE id = {first} AND result = 'explained'"))
            .await,
        1,
        "the answer's result went to the question without one"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'submission_question'").await, 5);

    // The month's return: a row per question, the code, its theme and the result.
    let r = app.get("/staff/o/social-protection/appeals/results.csv?month=2026-03").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-disposition"].to_str().expect("ascii").contains("appeals-social-protection-2026-03.csv")
    );
    let csv = r.text().await.expect("text");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("Номер,Вид,Дата регистрации,Дата ответа,Код по классификатору"));
    assert!(lines[1].contains("0002.0007") && lines[1].ends_with("explained,Рассмотрено. Разъяснено"), "{csv}");
    assert!(lines[2].contains("0005.0005.0056.1160,Обращение с ТКО") && lines[2].contains("Меры приняты"), "{csv}");
    let april =
        app.get("/staff/o/social-protection/appeals/results.csv?month=2026-04").await.text().await.expect("text");
    assert_eq!(april.lines().count(), 1, "only the header: nothing was answered in April");
    let bad = app.get("/staff/o/social-protection/appeals/results.csv?month=март").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.expect("text").contains("ГГГГ-ММ"));
}
on_both_backends!(questions_are_classified_given_results_and_exported_for_decree_171);

/// A report of corruption may come unsigned and without an address (nothing personal, so no
/// consent asked, no answer sent: 59-FZ art. 11 p. 1); a complaint about a staff member needs a name,
/// and says whom it is about.
async fn a_corruption_report_may_be_anonymous_and_a_complaint_may_not(app: TestApp) {
    let citizen = app.other_client();
    let report = [
        ("body", "social-protection"),
        ("kind", "corruption_report"),
        ("topic", "Вымогательство при приёме документов"),
        ("text", "В приёмной за ускорение оформления просят «благодарность»."),
    ];
    let r = send(&citizen, &report, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()["location"].to_str().expect("location").to_string();
    assert!(citizen.get(&to).await.text().await.expect("text").contains("№ 1/2026"));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM submissions WHERE identified_by = 'none' AND answer_by = 'none' AND author_name = ''"
        )
        .await,
        1
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs").await, 0, "no address, no letter");
    // Signed, it is a signed appeal: consent is needed then.
    let mut signed = report.to_vec();
    signed.push(("author_name", "Сидоров Пётр"));
    let text = send(&citizen, &signed, &[]).await.text().await.expect("text");
    assert!(text.contains("без согласия на обработку персональных данных"), "{text}");
    let complaint = [
        ("body", "social-protection"),
        ("kind", "complaint"),
        ("topic", "Грубость специалиста"),
        ("text", "Специалист приёмной отказался принять заявление."),
        ("consent", "1"),
    ];
    let text = send(&citizen, &complaint, &[]).await.text().await.expect("text");
    assert!(text.contains("укажите фамилию") && text.contains("укажите адрес электронной почты"), "{text}");
    // Signed, it names whom it is about (kept for a complaint only, one line of up to 300 characters).
    let mut complaint = appeal("social-protection", "Грубость специалиста");
    complaint[1] = ("kind", "complaint");
    let long = "Я".repeat(301);
    complaint.push(("respondent", &long));
    let text = send(&citizen, &complaint, &[]).await.text().await.expect("text");
    assert!(text.contains("о ком жалоба — одной строкой, до 300 символов"), "{text}");
    complaint.pop();
    complaint.push(("respondent", "Иванова И. И., специалист приёмной"));
    assert_eq!(send(&citizen, &complaint, &[]).await.status(), StatusCode::SEE_OTHER);
    let mut plain = appeal("social-protection", "Не жалоба");
    plain.push(("respondent", "Иванова И. И."));
    assert_eq!(send(&citizen, &plain, &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM submissions WHERE respondent <> ''").await, 1, "complaints only");
    app.create_staff("appeals@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    app.login("appeals@social.example", PASSWORD).await;
    let id = count(&app, "SELECT MIN(id) FROM submissions").await;
    let card = app.get(&format!("/staff/o/social-protection/appeals/{id}")).await.text().await.expect("text");
    assert!(
        card.contains("сообщение о коррупции") && card.contains("не направляется: сообщение без подписи"),
        "{card}"
    );
    let id = count(&app, "SELECT id FROM submissions WHERE kind = 'complaint'").await;
    let card = app.get(&format!("/staff/o/social-protection/appeals/{id}")).await.text().await.expect("text");
    assert!(card.contains("<dt>О ком жалоба</dt><dd>Иванова И. И., специалист приёмной</dd>"), "{card}");
}
on_both_backends!(a_corruption_report_may_be_anonymous_and_a_complaint_may_not);

/// Forwarding to the competent body (another body of the portal registers it under its own
/// number; one outside is named) and leaving without an answer on a ground of 59-FZ art. 11, each
/// with its notice to the applicant, shown on the card with its delivery status.
async fn appeals_are_forwarded_or_left_without_answer_with_notices(app: TestApp) {
    let citizen = app.other_client();
    let mut tokens = Vec::new();
    for topic in ["Дорога во дворе", "Про суд", "Грубое"] {
        let r = send(&citizen, &appeal("social-protection", topic), &[("письмо.pdf", PDF)]).await;
        tokens.push(r.headers()["location"].to_str().expect("location").to_string());
    }
    app.create_staff("appeals@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    app.login("appeals@social.example", PASSWORD).await;
    let ids = ids(&app).await;
    let card = |id: i64| format!("/staff/o/social-protection/appeals/{id}");
    let page = app.get(&card(ids[0])).await.text().await.expect("text");
    // 7 days from 02.03 is 09.03, the day off moved from Sunday 8 March: the Friday before.
    assert!(page.contains("Срок направления: 06.03.2026") && page.contains("регистрация обращения"), "{page}");
    assert!(page.contains("ожидает отправки"), "the acknowledgement is queued");

    let r = app.post_form(&format!("{}/forward", card(ids[0])), &[("to", "social-protection"), ("letter", "")]).await;
    let text = r.text().await.expect("text");
    assert!(text.contains("уже в этом органе") && text.contains("сопроводительное письмо"), "{text}");
    let stale = appeals::submissions::by_id(&app.db, ids[0]).await.expect("query").expect("submission");
    let letter = "Вопросы благоустройства дворов — в ведении департамента развития.";
    let r =
        app.post_form(&format!("{}/forward", card(ids[0])), &[("to", "information-society"), ("letter", letter)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // An answer prepared from the card as it was before the forwarding finds it closed.
    let actor = kernel::audit::Actor::system("test");
    let publish_by = deadlines::Date::constant(2026, 3, 16);
    let late = appeals::workflow::answer(&app.db, &actor, (T0, publish_by), &stale, "explained", "Ответ.", "").await;
    assert!(matches!(late, Err(kernel::Error::Conflict { .. })), "{late:?}");
    let again =
        app.post_form(&format!("{}/forward", card(ids[0])), &[("to", "information-society"), ("letter", letter)]).await;
    assert!(again.text().await.expect("text").contains("уже закрыто"));
    let page = citizen.get(&tokens[0]).await.text().await.expect("text");
    assert!(
        page.contains("направлено по компетенции: Департамент развития информационного общества, № 1/2026"),
        "{page}"
    );
    // Registered there with its file; the notice carries the new tracking link.
    let sql = "SELECT COUNT(*) FROM submissions s JOIN bodies b ON b.id = s.body_id JOIN submission_files f \
               ON f.submission_id = s.id WHERE b.slug = 'information-society' AND s.seq = 1 AND s.topic = 'Дорога во дворе'";
    assert_eq!(count(&app, sql).await, 1);
    let sql = format!("SELECT payload FROM jobs WHERE idempotency_key = 'submission:{}:forwarded'", ids[0]);
    let payload = row_text(&app, &sql).await;
    let link: String = payload
        .split("/appeals/track/")
        .nth(1)
        .expect("a new tracking link")
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let there = citizen.get(&format!("/appeals/track/{link}")).await.text().await.expect("text");
    assert!(
        there.contains("№ 1/2026") && there.contains("поступило по компетенции (№ 1/2026 в прежнем органе)"),
        "{there}"
    );

    // Outside the portal: named, nothing registered here.
    let outside = [("to", ""), ("to_outside", "Прокуратура Томской области"), ("letter", "Направляется для проверки.")];
    assert_eq!(app.post_form(&format!("{}/forward", card(ids[1])), &outside).await.status(), StatusCode::SEE_OTHER);
    assert!(
        citizen
            .get(&tokens[1])
            .await
            .text()
            .await
            .expect("text")
            .contains("направлено по компетенции: Прокуратура Томской области")
    );

    // Left without an answer, with the ground and the notice.
    let r = app.post_form(&format!("{}/no-answer", card(ids[2])), &[("ground", "whim")]).await;
    assert!(r.text().await.expect("text").contains("выберите основание"));
    assert_eq!(
        app.post_form(&format!("{}/no-answer", card(ids[2])), &[("ground", "abuse")]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        citizen
            .get(&tokens[2])
            .await
            .text()
            .await
            .expect("text")
            .contains("оставлено без ответа по существу (59-ФЗ, ст. 11 ч. 3)")
    );
    let page = app.get(&card(ids[2])).await.text().await.expect("text");
    assert!(page.contains("оставление без ответа (ст. 11)") && page.contains("anna@example.org"), "{page}");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM submissions WHERE status IN ('forwarded', 'left_without_answer')").await,
        3
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'submission'").await, 3);
    let list = app.get("/staff/o/social-protection/appeals/?show=all").await.text().await.expect("text");
    assert!(list.contains("sla-done") && !list.contains("sla-overdue"));
}
on_both_backends!(appeals_are_forwarded_or_left_without_answer_with_notices);

/// A media request that cannot be answered in 7 days is deferred, and one whose information holds
/// a protected secret is refused (Law 2124-1 art. 40): each with its notice to the editorial
/// office naming the reasons, the date, the official and the day of the decision; refusals are
/// counted in the statistics; nothing of the kind is possible for an appeal.
async fn a_media_request_is_deferred_or_refused_with_its_notice(app: TestApp) {
    let citizen = app.other_client();
    let mut media = appeal("information-society", "Запрос редакции");
    media[1] = ("kind", "media_request");
    media[6] = ("email", "editor@tomsk-news.ru");
    media.extend([("outlet", "Томские новости"), ("outlet_domain", "tomsk-news.ru")]);
    let mut tracks = Vec::new();
    for _ in 0..2 {
        let r = send(&citizen, &media, &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        tracks.push(r.headers()["location"].to_str().expect("location").to_string());
    }
    assert_eq!(send(&citizen, &appeal("information-society", "Обращение"), &[]).await.status(), StatusCode::SEE_OTHER);
    app.create_staff("appeals@it.example", Role::AppealsOfficer, Some("information-society")).await;
    app.login("appeals@it.example", PASSWORD).await;
    let ids = ids(&app).await;
    let card = |id: i64| format!("/staff/o/information-society/appeals/{id}");
    let page = app.get(&card(ids[0])).await.text().await.expect("text");
    assert!(page.contains("Уведомить редакцию не позднее: 05.03.2026"), "{page}");

    // Deferral: a date after the 7-day term (06.03) and the reasons.
    let defer = |until: &'static str, reason: &'static str| [("until", until), ("reason", reason)];
    let r = app.post_form(&format!("{}/defer", card(ids[0])), &defer("2026-03-05", "Сведения собираются.")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("позже срока 06.03.2026"));
    let r = app.post_form(&format!("{}/defer", card(ids[0])), &defer("", "Сведения собираются.")).await;
    assert!(r.text().await.expect("text").contains("укажите дату"));
    let r = app.post_form(&format!("{}/defer", card(ids[0])), &defer("2026-03-20", " ")).await;
    assert!(r.text().await.expect("text").contains("укажите причины отсрочки"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM submission_events WHERE status = 'deferred'").await, 0);
    let r = app
        .post_form(&format!("{}/defer", card(ids[0])), &defer("2026-03-20", "Сведения собираются у трёх учреждений."))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(row_text(&app, &format!("SELECT due_on FROM submissions WHERE id = {}", ids[0])).await, "2026-03-20");
    let notice = row_text(&app, "SELECT payload FROM jobs WHERE idempotency_key LIKE 'submission:%:deferred-1'").await;
    for part in [
        "editor@tomsk-news.ru",
        "Сведения собираются у трёх учреждений.",
        "не позднее 20.03.2026",
        "Отсрочку установил: appeals@it.example",
        "Дата решения: 02.03.2026",
    ] {
        assert!(notice.contains(part), "{part}: {notice}");
    }
    let tracked = citizen.get(&tracks[0]).await.text().await.expect("text");
    assert!(tracked.contains("предоставление информации отсрочено до 20.03.2026"), "{tracked}");
    assert!(tracked.contains("<dd>20.03.2026</dd>"), "the new term: {tracked}");
    let page = app.get(&card(ids[0])).await.text().await.expect("text");
    assert!(page.contains("отсрочка предоставления информации (ст. 40 Закона о СМИ)"), "listed among notices: {page}");

    // Refusal: only for a protected secret, with the reason it cannot be separated.
    let refuse = |ground: &'static str, why: &'static str| [("ground", ground), ("why", why)];
    let r = app.post_form(&format!("{}/refuse", card(ids[1])), &refuse("", "Сведения секретны.")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("какую охраняемую законом тайну"));
    let r = app.post_form(&format!("{}/refuse", card(ids[1])), &refuse("state_secret", "")).await;
    assert!(r.text().await.expect("text").contains("почему информацию нельзя отделить"));
    let why = "Сведения о мобилизационных мощностях неотделимы от перечня объектов.";
    let r = app.post_form(&format!("{}/refuse", card(ids[1])), &refuse("state_secret", why)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let notice = row_text(&app, "SELECT payload FROM jobs WHERE idempotency_key LIKE 'submission:%:refused'").await;
    for part in ["государственную тайну", why, "Отказал: appeals@it.example", "Дата решения: 02.03.2026"]
    {
        assert!(notice.contains(part), "{part}: {notice}");
    }
    let tracked = citizen.get(&tracks[1]).await.text().await.expect("text");
    assert!(
        tracked.contains("отказано в предоставлении информации: информация содержит государственную тайну"),
        "{tracked}"
    );
    let r = app.post_form(&format!("{}/refuse", card(ids[1])), &refuse("state_secret", why)).await;
    assert!(r.text().await.expect("text").contains("запрос уже закрыт"));
    let r = app.post_form(&format!("{}/defer", card(ids[2])), &defer("2026-04-20", "Нужно время.")).await;
    assert!(r.text().await.expect("text").contains("только для запросов редакций"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'submission'").await, 2);

    app.clock.set(crate::helpers::T0 + 31 * 86_400_000);
    let csv = citizen.get("/o/information-society/appeals/stats.csv?period=2026-Q1").await.text().await.expect("text");
    assert!(csv.contains(",Отказано (запросы СМИ),") && csv.contains("2026-Q1,всего,3,0,0,0,0,1,2,"), "{csv}");
}
on_both_backends!(a_media_request_is_deferred_or_refused_with_its_notice);

/// The regional coordinator sees every body's appeals of the year answered late and open past
/// their term beside its plan; behind each figure, the submissions by number, kind and dates —
/// nothing the applicant wrote; the body's officers get the numbers as links to the cards.
async fn the_coordinator_sees_late_answers_of_every_body_and_what_is_behind_them(app: TestApp) {
    let citizen = app.other_client();
    for topic in ["Первое", "Второе", "Третье"] {
        assert_eq!(send(&citizen, &appeal("social-protection", topic), &[]).await.status(), StatusCode::SEE_OTHER);
    }
    app.create_staff("appeals@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    app.create_staff("coord@tomsk.example", Role::RegionalCoordinator, None).await;
    app.login("appeals@social.example", PASSWORD).await;
    let ids = ids(&app).await;
    let card = |id: i64| format!("/staff/o/social-protection/appeals/{id}");
    let answer = [("result", "explained"), ("answer", "Ответ по существу.")];
    assert_eq!(app.post_form(&format!("{}/answer", card(ids[0])), &answer).await.status(), StatusCode::SEE_OTHER);
    // 10 April: the second is answered 9 days after its term (01.04); the third is still open.
    app.clock.set(crate::helpers::T0 + 39 * 86_400_000);
    app.login("appeals@social.example", PASSWORD).await;
    assert_eq!(app.post_form(&format!("{}/answer", card(ids[1])), &answer).await.status(), StatusCode::SEE_OTHER);
    let own = app.get("/staff/o/social-protection/appeals/breaches").await.text().await.expect("text");
    assert!(own.contains(&format!("href=\"{}\">2/2026</a>", card(ids[1]))), "officers open the cards: {own}");

    app.login("coord@tomsk.example", PASSWORD).await;
    let page = app.get("/staff/region").await.text().await.expect("text");
    let row = |name: &str| -> String {
        let at = page.find(&format!("<th scope=\"row\">{name}")).unwrap_or_else(|| panic!("{name}: {page}"));
        page[at..].split("</tr>").next().unwrap_or_default().to_string()
    };
    let social = row("Департамент социальной защиты");
    assert!(social.contains("breaches?year=2026#late\">1 / 2</a>"), "{social}");
    assert!(social.contains("breaches?year=2026#overdue\">1</a>"), "{social}");
    assert!(row("Департамент развития информационного общества").contains("#late\">0 / 0</a>"));
    let behind = app.get("/staff/o/social-protection/appeals/breaches?year=2026").await.text().await.expect("text");
    let late = behind.split("id=\"overdue\"").next().unwrap_or_default();
    assert!(
        late.contains("<td>2/2026</td><td>обращение гражданина (59-ФЗ)</td><td>02.03.2026</td><td>01.04.2026</td><td>10.04.2026</td><td>9</td>"),
        "{behind}"
    );
    assert!(behind.contains(
        "<td>3/2026</td><td>обращение гражданина (59-ФЗ)</td><td>02.03.2026</td><td>01.04.2026</td><td>9</td>"
    ));
    assert!(!late.contains("1/2026"), "answered on time is no breach");
    for private in ["Петрова", "anna@example.org", "Второе", "Третье", "/appeals/\""] {
        assert!(!behind.contains(private), "{private}: {behind}");
    }
    assert!(!behind.contains(&format!("{}\"", card(ids[1]))), "no card links for the coordinator");
    assert_eq!(app.get(&card(ids[2])).await.status(), StatusCode::FORBIDDEN, "the cards stay the officers'");
    let bad = app.get("/staff/o/social-protection/appeals/breaches?year=прошлый").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.expect("text").contains("укажите год числом"));
}
on_both_backends!(the_coordinator_sees_late_answers_of_every_body_and_what_is_behind_them);

/// An applicant answered by post gets letters, not e-mails: for each notice the officer records
/// the day the letter was posted with its tracking number, then the day it was delivered — dates
/// checked, every record audited, shown on the card.
async fn letters_to_an_applicant_answered_by_post_are_recorded(app: TestApp) {
    let citizen = app.other_client();
    let mut by_post = appeal("social-protection", "По почте");
    by_post[5] = ("answer_by", "post");
    by_post[6] = ("email", "");
    by_post.push(("postal_address", "634050, г. Томск, ул. Ленина, д. 1, кв. 2"));
    assert_eq!(send(&citizen, &by_post, &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(send(&citizen, &appeal("social-protection", "По e-mail"), &[]).await.status(), StatusCode::SEE_OTHER);
    app.create_staff("appeals@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    app.login("appeals@social.example", PASSWORD).await;
    let ids = ids(&app).await;
    let card = |id: i64| format!("/staff/o/social-protection/appeals/{id}");
    let page = app.get(&card(ids[0])).await.text().await.expect("text");
    assert!(!page.contains("Письма заявителю по почте"), "nothing is owed before a decision");
    let r = app.post_form(&format!("{}/extend", card(ids[0])), &[("reason", "Нужен запрос в ПФР.")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'submission:%:extended'").await, 0);
    let page = app.get(&card(ids[0])).await.text().await.expect("text");
    assert!(page.contains("Письма заявителю по почте") && page.contains("ул. Ленина, д. 1, кв. 2"), "{page}");
    assert!(page.contains("<strong>не отправлено</strong>"), "{page}");

    let letter = |step: &'static str, what: &'static str, on: &'static str| {
        [("step", step), ("what", what), ("on", on), ("tracking", "63405012345678")]
    };
    let url = format!("{}/letters", card(ids[0]));
    for (form, says) in [
        (letter("sent", "answer", "2026-03-02"), "такого письма заявителю не положено"),
        (letter("sent", "extended", ""), "укажите дату отправки"),
        (letter("sent", "extended", "2026-03-03"), "позже сегодняшней"),
        (letter("delivered", "extended", "2026-03-02"), "сначала отметьте отправку"),
        (letter("lost", "extended", "2026-03-02"), "неизвестное действие"),
    ] {
        let r = app.post_form(&url, &form).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
        assert!(r.text().await.expect("text").contains(says), "{says}");
    }
    assert_eq!(app.post_form(&url, &letter("sent", "extended", "2026-03-02")).await.status(), StatusCode::SEE_OTHER);
    let page = app.get(&card(ids[0])).await.text().await.expect("text");
    assert!(page.contains("отправлено 02.03.2026 (63405012345678)"), "{page}");
    app.clock.set(crate::helpers::T0 + 3 * 86_400_000);
    app.login("appeals@social.example", PASSWORD).await;
    let r = app.post_form(&url, &letter("delivered", "extended", "2026-03-01")).await;
    assert!(r.text().await.expect("text").contains("между отправкой (02.03.2026)"));
    assert_eq!(
        app.post_form(&url, &letter("delivered", "extended", "2026-03-04")).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = app.get(&card(ids[0])).await.text().await.expect("text");
    assert!(page.contains("вручено 04.03.2026 (63405012345678)"), "{page}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'submission_letter'").await, 2);
    // The answer calls for its own letter.
    let answer = [("result", "explained"), ("answer", "Разъясняем порядок.")];
    assert_eq!(app.post_form(&format!("{}/answer", card(ids[0])), &answer).await.status(), StatusCode::SEE_OTHER);
    let page = app.get(&card(ids[0])).await.text().await.expect("text");
    assert!(page.contains("<td>ответ</td>") && page.contains("<strong>не отправлено</strong>"), "{page}");
    // An applicant answered by e-mail is owed no letter.
    assert_eq!(app.post_form(&format!("{}/answer", card(ids[1])), &answer).await.status(), StatusCode::SEE_OTHER);
    let r = app.post_form(&format!("{}/letters", card(ids[1])), &letter("sent", "answer", "2026-03-05")).await;
    assert!(r.text().await.expect("text").contains("такого письма заявителю не положено"));
    assert!(!app.get(&card(ids[1])).await.text().await.expect("text").contains("Письма заявителю по почте"));
}
on_both_backends!(letters_to_an_applicant_answered_by_post_are_recorded);

/// Statistics per body and kind are published for each quarter once it has ended: received,
/// answered on time and late, forwarded, open and overdue, complaints satisfied, by theme; as a
/// page with its chart and as CSV.
async fn statistics_are_published_for_each_ended_quarter(app: TestApp) {
    let citizen = app.other_client();
    let none = citizen.get("/appeals/stats").await.text().await.expect("text");
    assert!(none.contains("Ни один квартал ещё не завершился"), "{none}");
    assert_eq!(citizen.get("/appeals/stats.csv").await.status(), StatusCode::BAD_REQUEST);
    let kinds = ["appeal", "complaint", "info_request", "appeal", "appeal"];
    for (i, kind) in kinds.iter().enumerate() {
        let topic = format!("Обращение {i}");
        let mut fields = appeal("social-protection", &topic);
        fields[1] = ("kind", kind);
        assert_eq!(send(&citizen, &fields, &[]).await.status(), StatusCode::SEE_OTHER);
    }
    app.create_staff("appeals@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    app.login("appeals@social.example", PASSWORD).await;
    let ids = ids(&app).await;
    let card = |id: i64| format!("/staff/o/social-protection/appeals/{id}");
    let answer = |result: &'static str| [("result", result), ("answer", "Ответ по существу.")];
    let q = [("summary", "Выплата на ребёнка"), ("code", "0002.0007")];
    assert_eq!(app.post_form(&format!("{}/questions", card(ids[0])), &q).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.post_form(&format!("{}/answer", card(ids[0])), &answer("explained")).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post_form(&format!("{}/answer", card(ids[1])), &answer("supported")).await.status(),
        StatusCode::SEE_OTHER
    );
    let away = [("to", ""), ("to_outside", "Прокуратура Томской области"), ("letter", "По компетенции.")];
    assert_eq!(app.post_form(&format!("{}/forward", card(ids[3])), &away).await.status(), StatusCode::SEE_OTHER);
    // 10 April: the request (due 1 April) is answered late; the last appeal is still open, overdue.
    app.clock.set(crate::helpers::T0 + 39 * 86_400_000);
    app.login("appeals@social.example", PASSWORD).await; // the session of March has expired
    assert_eq!(
        app.post_form(&format!("{}/answer", card(ids[2])), &answer("answered")).await.status(),
        StatusCode::SEE_OTHER
    );

    let page = citizen.get("/o/social-protection/appeals/stats").await.text().await.expect("text");
    assert!(page.contains("<h2>1-й квартал 2026 года</h2>") && page.contains("<svg"), "{page}");
    let row = |label: &str| -> String {
        let start = page.find(&format!("<th scope=\"row\">{label}")).unwrap_or_else(|| panic!("row {label}: {page}"));
        page[start..].split("</tr>").next().unwrap_or_default().to_string()
    };
    let cells = |r: String| -> Vec<String> {
        r.split("<td>").skip(1).map(|c| c.split("</td>").next().unwrap_or_default().to_string()).collect()
    };
    assert_eq!(cells(row("обращение гражданина")), ["3", "1", "0", "1", "0", "0", "1", "1"]);
    assert_eq!(cells(row("запрос информации")), ["1", "0", "1", "0", "0", "0", "0", "0"]);
    assert_eq!(cells(row("Всего")), ["5", "2", "1", "1", "0", "0", "1", "1"]);
    assert!(page.contains("удовлетворены — 1, не удовлетворены — 0"));
    assert!(page.contains("<td>0002.0007</td><td>Социальное обеспечение и социальное страхование</td><td>1</td>"));
    for private in ["Петрова", "anna@example.org", "Обращение 0"] {
        assert!(!page.contains(private), "no personal data or text: {private}");
    }
    let csv = citizen.get("/o/social-protection/appeals/stats.csv?period=2026-Q1").await.text().await.expect("text");
    assert!(csv.contains("2026-Q1,всего,5,2,1,1,0,0,1,1,1,0\r\n") && csv.contains("2026-Q1,0002.0007,"), "{csv}");
    let other = citizen.get("/o/information-society/appeals/stats").await.text().await.expect("text");
    assert!(other.contains("<th scope=\"row\">Всего</th><td>0</td>"), "another body's figures are its own");
    let portal = citizen.get("/appeals/stats").await.text().await.expect("text");
    assert!(portal.contains("<th scope=\"row\">Всего</th><td>5</td>"));
    let bad = citizen.get("/appeals/stats?period=2026-Q2").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST, "the second quarter has not ended");
    assert!(bad.text().await.expect("text").contains("такого периода нет"));
}
on_both_backends!(statistics_are_published_for_each_ended_quarter);

/// The body's appeals officers are reminded through the outbox when an answer is due within
/// three working days, and again when its term has passed; once each; never another body's.
async fn officers_are_reminded_of_terms_once_each(app: TestApp) {
    let citizen = app.other_client();
    assert_eq!(send(&citizen, &appeal("social-protection", "Срок"), &[]).await.status(), StatusCode::SEE_OTHER);
    app.create_staff("appeals@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    app.create_staff("appeals@it.example", Role::AppealsOfficer, Some("information-society")).await;
    let day = 86_400_000;
    let reminders = "SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'appeal-reminder:%'";
    // Due 01.04.2026. On Thursday 26.03 four working days remain: not yet; on Friday 27.03, three.
    let remind = |at: i64| appeals::reminders::remind(&app.db, &app.cfg, at);
    assert_eq!(remind(crate::helpers::T0 + 24 * day).await.expect("remind"), 0);
    assert_eq!(remind(crate::helpers::T0 + 25 * day).await.expect("remind"), 1);
    assert_eq!(remind(crate::helpers::T0 + 26 * day).await.expect("remind"), 0, "once per term and state");
    assert_eq!(remind(crate::helpers::T0 + 31 * day).await.expect("remind"), 1, "overdue on 02.04");
    assert_eq!(count(&app, reminders).await, 2);
    let to = row_text(&app, "SELECT payload FROM jobs WHERE idempotency_key LIKE 'appeal-reminder:%' ORDER BY id DESC")
        .await;
    assert!(to.contains("appeals@social.example") && to.contains("Просрочен ответ на № 1/2026"), "{to}");
    // Answered, nothing more is said; and the applicant's notices do not list the reminders.
    let id = count(&app, "SELECT MIN(id) FROM submissions").await;
    let fields = [("result", "explained"), ("answer", "Ответ.")];
    app.clock.set(crate::helpers::T0 + 31 * day);
    app.login("appeals@social.example", PASSWORD).await;
    assert_eq!(
        app.post_form(&format!("/staff/o/social-protection/appeals/{id}/answer"), &fields).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM submissions WHERE status = 'answered'").await, 1);
    assert_eq!(remind(crate::helpers::T0 + 40 * day).await.expect("remind"), 0);
    let card = app.get(&format!("/staff/o/social-protection/appeals/{id}")).await.text().await.expect("text");
    assert!(!card.contains("appeals@social.example</td>"), "reminders are not notices to the applicant");
}
on_both_backends!(officers_are_reminded_of_terms_once_each);

/// Published answers are searched by words and by theme; the most frequent questions (FAQ) and
/// the topical themes of the last 90 days are shown beside them.
async fn published_answers_are_searched_with_faq_and_topical_themes(app: TestApp) {
    let citizen = app.other_client();
    let cases = [
        ("Выплата на первого ребёнка", "0002.0007", "Выплата назначается через МФЦ."),
        ("Выплата на второго ребёнка", "0002.0007", "Выплата назначается с рождения."),
        ("Мусор во дворе", "0005.0005.0056.1160", "График вывоза изменён."),
    ];
    for (topic, _, _) in cases {
        assert_eq!(send(&citizen, &appeal("social-protection", topic), &[]).await.status(), StatusCode::SEE_OTHER);
    }
    app.create_staff("appeals@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    app.login("appeals@social.example", PASSWORD).await;
    let first = count(&app, "SELECT MIN(id) FROM submissions").await;
    for (i, (topic, code, answer)) in cases.iter().enumerate() {
        let card = format!("/staff/o/social-protection/appeals/{}", first + i as i64);
        let q = [("summary", *topic), ("code", *code)];
        assert_eq!(app.post_form(&format!("{card}/questions"), &q).await.status(), StatusCode::SEE_OTHER);
        let a = [("result", "explained"), ("answer", *answer)];
        assert_eq!(app.post_form(&format!("{card}/answer"), &a).await.status(), StatusCode::SEE_OTHER);
        let publish = [("action", "publish"), ("summary", *topic), ("question", *topic), ("answer", *answer)];
        let url = format!("/staff/o/social-protection/appeals/publication/{}", first + i as i64);
        assert_eq!(app.post_form(&url, &publish).await.status(), StatusCode::SEE_OTHER);
    }
    let page = |q: &str| {
        let url = format!("/o/social-protection/appeals/answers{q}");
        let c = &citizen;
        async move { c.get(&url).await.text().await.expect("text") }
    };
    let all = page("").await;
    // The FAQ: themes by name, the most frequent first, each with its questions as readers put them.
    let faq =
        all.split("Часто задаваемые вопросы").nth(1).expect("an FAQ").split("<h2>").next().expect("faq").to_string();
    assert!(faq.find("Социальное обеспечение").expect("first") < faq.find("Обращение с ТКО").expect("second"), "{faq}");
    assert!(faq.contains("Выплата на первого ребёнка</a>") && faq.contains("Выплата на второго ребёнка</a>"), "{faq}");
    assert!(!faq.contains("(0002.0007)"), "no classifier codes shown: {faq}");
    assert!(all.contains("Актуальные темы обращений за 90 дней"));
    let found = page("?q=ВЫПЛАТА+ребёнка").await;
    assert!(
        found.contains("Найдено: 2 / 3") && found.contains("первого") && !found.contains("График вывоза"),
        "{found}"
    );
    let theme = page("?topic=0005.0005").await;
    assert!(theme.contains("Найдено: 1 / 3") && theme.contains("График вывоза"));
    let script = page("?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert!(script.contains("Найдено: 0 / 3") && !script.contains("<script>alert(1)"));
}
on_both_backends!(published_answers_are_searched_with_faq_and_topical_themes);

/// The same form sent twice — a double click, or again after the answer was lost — is stored
/// once: both sendings get the same number and tracking link, and one acknowledgement is queued.
async fn a_submission_sent_twice_is_stored_once(app: TestApp) {
    let citizen = app.other_client();
    let page = citizen.get("/appeals/new?body=social-protection&kind=appeal").await.text().await.expect("text");
    let once: String = page
        .split("name=\"once\" value=\"")
        .nth(1)
        .expect("the form carries its one-time value")
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let mut fields = appeal("social-protection", "Дважды");
    fields.push(("once", &once));
    let (a, b) =
        tokio::join!(send(&citizen, &fields, &[("скан.pdf", PDF)]), send(&citizen, &fields, &[("скан.pdf", PDF)]));
    let again = send(&citizen, &fields, &[("скан.pdf", PDF)]).await;
    let location = |r: &reqwest::Response| r.headers()["location"].to_str().expect("location").to_string();
    assert_eq!(
        (a.status(), b.status(), again.status()),
        (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER, StatusCode::SEE_OTHER)
    );
    assert!(location(&a) == location(&b) && location(&b) == location(&again), "one receipt");
    assert!(citizen.get(&location(&a)).await.text().await.expect("text").contains("№ 1/2026"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM submissions").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM submission_files").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs").await, 1);
    // Another form (another one-time value) is another submission.
    let r = send(&citizen, &appeal("social-protection", "Новое"), &[]).await;
    assert_ne!(location(&r), location(&a));
    assert_eq!(count(&app, "SELECT MAX(seq) FROM submissions").await, 2, "no number was taken by the repeats");
}
on_both_backends!(a_submission_sent_twice_is_stored_once);

/// Each term is a setting with the law's default: here the answer to an appeal is set to 20
/// working days, and the tracking page computes and explains it so; a wrong setting stops the start.
async fn terms_are_settings_of_the_portal(app: TestApp) {
    let citizen = app.other_client();
    let form = citizen.get("/appeals/new").await.text().await.expect("text");
    let term = |kind: &str| {
        form.split(&format!("id=\"k-{kind}\"")).nth(1).and_then(|t| t.split("</label>").next()).map(str::to_string)
    };
    assert!(term("appeal").expect("appeal").contains("Ответ — в течение 20 рабочих дней."), "{form}");
    assert!(term("info_request").expect("request").contains("Ответ — в течение 30 календарных дней."));
    let r = send(&citizen, &appeal("social-protection", "Срок по настройке"), &[]).await;
    let page = citizen.get(r.headers()["location"].to_str().expect("location")).await.text().await.expect("text");
    assert!(page.contains("<dd>31.03.2026</dd>") && page.contains("+20 рабочих дней"), "{page}");
    let mut cfg = app.cfg.clone();
    cfg.appeal_terms = "APPEAL_ANSWR=20".into();
    let clock = std::sync::Arc::new(kernel::clock::FixedClock::new(crate::helpers::T0));
    let refused = glasnost::state(app.db.clone(), cfg, clock).map(|_| ()).expect_err("refused");
    assert!(refused.to_string().contains("правила APPEAL_ANSWR нет"), "{refused}");
}
on_both_backends!(terms_are_settings_of_the_portal, &[("GLASNOST_APPEAL_TERMS", "APPEAL_ANSWER=20 working")]);

/// A submission is assigned to one of the body's appeals officers (told by e-mail; audited); the
/// reminders then go to that officer alone; an officer of another body cannot be chosen.
async fn a_submission_is_assigned_to_one_officer(app: TestApp) {
    let citizen = app.other_client();
    let sent = send(&citizen, &appeal("social-protection", "Поручить"), &[]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let track = sent.headers()["location"].to_str().expect("location").to_string();
    app.create_staff("appeals@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    app.create_staff("second@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    app.create_staff("appeals@it.example", Role::AppealsOfficer, Some("information-society")).await;
    app.login("appeals@social.example", PASSWORD).await;
    let id = count(&app, "SELECT MIN(id) FROM submissions").await;
    let card = format!("/staff/o/social-protection/appeals/{id}");
    let second = count(&app, "SELECT id FROM users WHERE email = 'second@social.example'").await.to_string();
    let stranger = count(&app, "SELECT id FROM users WHERE email = 'appeals@it.example'").await.to_string();
    let r = app.post_form(&format!("{card}/assign"), &[("assignee", &stranger)]).await;
    assert!(r.text().await.expect("text").contains("выберите сотрудника"));
    assert_eq!(
        app.post_form(&format!("{card}/assign"), &[("assignee", &second)]).await.status(),
        StatusCode::SEE_OTHER
    );
    let list = app.get("/staff/o/social-protection/appeals/").await.text().await.expect("text");
    assert!(list.contains(">second@social.example</td>"), "{list}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'appeal-assigned:%'").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'submission'").await, 1);
    // The applicant sees that someone works on it, and never who.
    let page = citizen.get(&track).await.text().await.expect("text");
    assert!(page.contains("назначен исполнитель") && !page.contains("second@social.example"), "{page}");
    // Choosing the same officer again changes nothing the applicant sees.
    assert_eq!(
        app.post_form(&format!("{card}/assign"), &[("assignee", &second)]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM submission_events WHERE status = 'assigned'").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'submission'").await, 1);
    let due_soon = crate::helpers::T0 + 25 * 86_400_000;
    assert_eq!(appeals::reminders::remind(&app.db, &app.cfg, due_soon).await.expect("remind"), 1, "the assignee alone");
    let to = row_text(&app, "SELECT payload FROM jobs WHERE idempotency_key LIKE 'appeal-reminder:%'").await;
    assert!(to.contains("second@social.example"), "{to}");
}
on_both_backends!(a_submission_is_assigned_to_one_officer);

/// Attachments nothing refers to (a commit that failed, a form sent again) are deleted once a
/// day old; the files of stored submissions stay.
async fn unreferenced_attachments_are_swept(app: TestApp) {
    let citizen = app.other_client();
    let r = send(&citizen, &appeal("social-protection", "С файлом"), &[("скан.pdf", PDF)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let storage = kernel::storage::Storage::open(&app.cfg.storage_url).expect("storage");
    storage.put("appeals/2026/orphan/0", bytes::Bytes::from_static(PDF)).await.expect("put");
    let real_now = jiff::Timestamp::now().as_millisecond();
    let day = 86_400_000;
    assert_eq!(
        appeals::intake::sweep_files(&app.db, &storage, real_now, day).await.expect("sweep"),
        0,
        "not a day old"
    );
    assert_eq!(appeals::intake::sweep_files(&app.db, &storage, real_now + 2 * day, day).await.expect("sweep"), 1);
    assert!(storage.get("appeals/2026/orphan/0").await.is_err());
    let fid = count(&app, "SELECT MIN(id) FROM submission_files").await;
    let id = count(&app, "SELECT MIN(id) FROM submissions").await;
    app.create_staff("appeals@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    app.login("appeals@social.example", PASSWORD).await;
    let file = app.get(&format!("/staff/o/social-protection/appeals/{id}/files/{fid}")).await;
    assert_eq!(&file.bytes().await.expect("bytes")[..], PDF, "the stored submission's file stays");
}
on_both_backends!(unreferenced_attachments_are_swept);

/// Each node keeps a body's list of appeals: what happens elsewhere (a new submission, an
/// assignee, an extension, an answer) shows on a node that asks every time at once, on another
/// once it asks; a step through the node shows there at once.
async fn the_officers_list_follows_every_change_made_elsewhere(app: TestApp) {
    let url = app.cfg.database_url.clone();
    let settings = |recheck| [("GLASNOST_RECHECK_MS", recheck), ("GLASNOST_PAGE_CACHE_MS", "0")];
    let patient = TestApp::serve(crate::helpers::temp_dir("node"), &url, &settings("3600000")).await;
    let eager = TestApp::serve(crate::helpers::temp_dir("node"), &url, &settings("0")).await;
    app.create_staff("appeals@social.example", Role::AppealsOfficer, Some("social-protection")).await;
    for node in [&patient, &eager] {
        assert_eq!(node.login("appeals@social.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    }
    const LIST: &str = "/staff/o/social-protection/appeals/?show=all";
    async fn list(node: &TestApp) -> String {
        node.get(LIST).await.text().await.expect("text")
    }
    assert!(!list(&patient).await.contains("Пособие") && !list(&eager).await.contains("Пособие"));

    // A citizen writes through a third node.
    let sent = send(&app.other_client(), &appeal("social-protection", "Пособие"), &[]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert!(list(&eager).await.contains("Пособие"), "a new submission shows at once on a node that asks");
    assert!(!list(&patient).await.contains("Пособие"), "a node keeps its list until it asks");

    // Steps elsewhere: an assignee, an extension, an answer.
    let id = count(&app, "SELECT MIN(id) FROM submissions").await;
    let actor = kernel::audit::Actor::system("another node");
    let officer = kernel::staff::list_users(&app.db).await.expect("users").into_iter().next().expect("officer");
    let s = appeals::submissions::by_id(&app.db, id).await.expect("query").expect("stored");
    appeals::workflow::assign(&app.db, &actor, T0, &s, Some(&officer), "https://portal/card").await.expect("assign");
    assert!(list(&eager).await.contains(">appeals@social.example</td>"), "the assignee shows");
    let s = appeals::submissions::by_id(&app.db, id).await.expect("query").expect("stored");
    let today: deadlines::Date = "2026-03-02".parse().expect("date");
    let later: deadlines::Date = "2026-05-01".parse().expect("date");
    appeals::workflow::extend(&app.db, &actor, (T0, today), &s, "нужны сведения", later, "").await.expect("extend");
    assert!(list(&eager).await.contains("01.05.2026"), "the new term shows");
    let s = appeals::submissions::by_id(&app.db, id).await.expect("query").expect("stored");
    appeals::workflow::answer(&app.db, &actor, (T0, later), &s, "explained", "Разъясняем порядок.", "")
        .await
        .expect("answer");
    assert!(list(&eager).await.contains(">дан ответ</td>"), "the answer shows");
    assert!(!list(&patient).await.contains("Пособие"), "the patient node still keeps its copy");

    // A form sent through the patient node (signing in again): it asks, and shows everything.
    assert_eq!(patient.login("appeals@social.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert!(list(&patient).await.contains(">дан ответ</td>"), "after a change through it, the node asks again");
}
on_both_backends!(the_officers_list_follows_every_change_made_elsewhere);

/// An appeal sent while another connection writes to the SQLite file waits for it and is stored:
/// a transaction that read before the other's commit and wrote after it was refused at once
/// ("database is locked", the form came back with 503).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_appeal_sent_while_another_writer_holds_the_database_is_stored() {
    use sqlx::Connection;
    let Some(app) = TestApp::spawn(crate::helpers::Backend::Sqlite).await else { return };
    let citizen = app.other_client();
    citizen.csrf().await;
    let mut other = sqlx::AnyConnection::connect(&app.cfg.database_url).await.expect("a second connection");
    sqlx::raw_sql("PRAGMA busy_timeout = 10000; BEGIN IMMEDIATE").execute(&mut other).await.expect("lock");
    sqlx::query("INSERT INTO versions (name, version) VALUES ('another-writer', 1)")
        .execute(&mut other)
        .await
        .expect("write");
    let sending = tokio::spawn(async move {
        // As the form sends it: with its one-time value, which is looked up before anything is written.
        let mut fields = appeal("social-protection", "Во время записи");
        fields.push(("once", "d41d8cd98f00b204e9800998ecf8427e"));
        send(&citizen, &fields, &[]).await.status()
    });
    // Let the appeal reach the database while the other writer still holds it.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    sqlx::raw_sql("COMMIT").execute(&mut other).await.expect("commit");
    assert_eq!(sending.await.expect("sent"), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM submissions").await, 1);
}

/// An applicant who lost the letter gives the number and the address and gets a new link by
/// e-mail; the page says the same whether or not they match, the first link keeps working, the
/// form's problems are listed above it with links to the fields, and one address cannot try
/// numbers without end.
async fn a_lost_tracking_link_is_sent_again_by_number_and_address(app: TestApp) {
    let citizen = app.other_client();
    let r = send(&citizen, &appeal("social-protection", "Пособие"), &[]).await;
    let first = r.headers()["location"].to_str().expect("location").trim_end_matches("?sent=1").to_string();
    let asked =
        citizen.post_form("/appeals/status", &[("number", " № 1 / 2026"), ("email", "Anna@Example.org ")]).await;
    assert_eq!(asked.status(), StatusCode::OK);
    let page = asked.text().await.expect("text");
    assert!(page.contains("ссылка на его страницу уже в пути на этот адрес"), "{page}");
    let letters = || count(&app, "SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'appeal-link-%'");
    assert_eq!(letters().await, 1);
    let payload = row_text(&app, "SELECT payload FROM jobs WHERE idempotency_key LIKE 'appeal-link-%'").await;
    assert!(payload.contains("anna@example.org"), "to the applicant's address");
    let token: String = payload
        .split("/appeals/track/")
        .nth(1)
        .expect("a tracking link in the letter")
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    assert!(!first.ends_with(&token), "a new link, not the first one");
    for link in [format!("/appeals/track/{token}"), first] {
        let page = citizen.get(&link).await.text().await.expect("text");
        assert!(page.contains("№ 1/2026"), "{link} opens the appeal");
    }

    // Another address, or a number nobody has: the same words, no letter.
    for (number, email) in [("1/2026", "someone@example.org"), ("99/2026", "anna@example.org")] {
        let page = citizen.post_form("/appeals/status", &[("number", number), ("email", email)]).await.text().await;
        assert!(page.expect("text").contains("ссылка на его страницу уже в пути"));
    }
    assert_eq!(letters().await, 1);

    // A wrong form: the problems above it, in its order, linked to the fields; the title says so.
    let r = citizen.post_form("/appeals/status", &[("number", "первое"), ("email", "нет")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    assert!(page.contains("<title>Ошибка: "), "the title says the form was refused");
    let summary = page.split("id=\"error-summary-h\">Исправьте ошибки</h2>").nth(1).expect("an error summary");
    let (number, email) =
        (summary.find("href=\"#f-number\"").expect("number"), summary.find("href=\"#f-email\"").expect("email"));
    assert!(number < email, "in the form's order");
    assert!(page.contains("id=\"f-number\" name=\"number\" value=\"первое\" required aria-invalid=\"true\""));

    // Ten tries an hour from one address, then a refusal; nothing more is sent.
    let prober = app.other_client_from(std::net::IpAddr::from([127, 0, 0, 9]));
    let mut refused = 0;
    for n in 1..=12 {
        let r = prober
            .post_form("/appeals/status", &[("number", &format!("{n}/2026")), ("email", "anna@example.org")])
            .await;
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert_eq!(refused, 2);
    assert_eq!(letters().await, 2, "the one real number among the tries got its letter");
}
on_both_backends!(a_lost_tracking_link_is_sent_again_by_number_and_address);
