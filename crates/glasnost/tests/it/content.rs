//! What a body publishes on its site: an editor publishes a document (a .docx) that fulfils a
//! catalogue item and changes it twice; citizens read its text, its three versions and the
//! differences, and download each version's file; a withdrawn one leaves the lists and the feeds
//! but stays in the archive, marked; every change is audited, nothing wrong is half-stored, and
//! another body's editor cannot touch it.

use kernel::staff::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::{PASSWORD, T0, TestApp};
use crate::on_both_backends;

const DAY: i64 = 86_400_000;
const NEW_DOCUMENT: &str = "/staff/o/social-protection/site/content/new/document";

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    use sqlx::Row;
    sqlx::query(sql).fetch_one(&app.db.pool).await.expect("count").try_get(0).expect("a number")
}

/// The path a redirect goes to.
pub fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string()
}

async fn text(r: reqwest::Response) -> String {
    r.text().await.expect("text").replace("&#x2f;", "/").replace("&#47;", "/")
}

/// A Word document of these paragraphs, and a table of two rows.
pub fn docx(paragraphs: &[&str]) -> Vec<u8> {
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
    let p = |t: &str| Paragraph::new().add_run(Run::new().add_text(t));
    let mut doc = Docx::new();
    for t in paragraphs {
        doc = doc.add_paragraph(p(t));
    }
    let row = |a: &str, b: &str| {
        TableRow::new(vec![TableCell::new().add_paragraph(p(a)), TableCell::new().add_paragraph(p(b))])
    };
    doc = doc.add_table(Table::new(vec![row("1.", "Размещение плана"), row("2.", "Отчёт об исполнении")]));
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).expect("docx");
    out.into_inner()
}

fn as_refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Sends a content form with a file in the field named `field` ("file" or "image").
async fn send_with(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    field: &str,
    (name, bytes): (&str, Vec<u8>),
) -> reqwest::Response {
    let mut form = Form::new().text("csrf", app.csrf().await);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    form = form.part(field.to_string(), Part::bytes(bytes).file_name(name.to_string()));
    app.client.post(app.url(path)).multipart(form).send().await.expect("POST")
}

/// Sends a content form as the page does (multipart, with the page's CSRF token), with a file.
pub async fn send(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let mut form = Form::new().text("csrf", app.csrf().await);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some((name, bytes)) = file {
        form = form.part("file", Part::bytes(bytes).file_name(name.to_string()));
    }
    app.client.post(app.url(path)).multipart(form).send().await.expect("POST")
}

async fn an_editor_publishes_a_document_changes_it_twice_and_citizens_read_every_version(app: TestApp) {
    app.clock.set(T0 + 2 * DAY);
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;

    // A document without its date, with script in every field and a PDF that says it is a Word
    // document: refused, every problem named, nothing stored.
    let script = "<script>alert(1)</script>";
    let fields =
        [("title", script), ("act_kind", "Приказ"), ("act_number", script), ("lead", script), ("text", script)];
    let r = send(&app, NEW_DOCUMENT, &fields, Some(("приказ.docx", b"%PDF-1.7\n".to_vec()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("text");
    assert!(page.contains("укажите дату документа"), "{page}");
    assert!(page.contains("«приказ.docx»: по имени это документ Word (.docx), но внутри файл другого вида"), "{page}");
    assert!(!page.contains(script) && page.contains("&#60;script&#62;"), "the form shows what was sent, escaped");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM site_content").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM site_content_versions").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM site_files").await, 0);
    // A document with neither a file nor a text says what it lacks.
    let bare = [("title", "Приказ"), ("act_kind", "Приказ"), ("act_date", "2026-03-03")];
    let r = send(&app, NEW_DOCUMENT, &bare, None).await;
    assert!(r.text().await.expect("text").contains("приложите файл документа или введите его текст"));

    // Published with its .docx: the catalogue item «rules-acts» is recorded as published at the
    // document's page.
    let first = "## Общие положения\n\nПлан утверждается на 2026 год.";
    let file_v1 = docx(&["ПРИКАЗ № 149", "Ответственный — отдел информации.", "Контроль оставляю за собой."]);
    let meta = |text: String, note: &str| {
        vec![
            ("title", "Об утверждении плана по открытости <2026>".to_string()),
            ("act_kind", "Приказ".into()),
            ("act_number", "149".into()),
            ("act_date", "2026-03-03".into()),
            ("lead", "План мероприятий по открытости на 2026 год.".into()),
            ("text", text),
            ("item", "rules-acts".into()),
            ("note", note.into()),
        ]
    };
    let v1 = meta(format!("{first}\n\n{script}"), "");
    let r = send(&app, NEW_DOCUMENT, &as_refs(&v1), Some(("Приказ 149.docx", file_v1.clone()))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    let staff_page = location(&r);
    let id: i64 = staff_page
        .trim_start_matches("/staff/o/social-protection/site/content/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("the new thing's page");
    let public = format!("/o/social-protection/documents/{id}");
    let item = text(app.get("/staff/o/social-protection/site/items/rules-acts").await).await;
    assert!(item.contains(&format!("<a href=\"{public}\"")), "the catalogue item links the document: {item}");
    assert!(item.contains("актуально, размещено 04.03.2026"), "{item}");

    // Two changes, a day apart: a new file, then a new text with the file kept. A save with
    // nothing changed (the same file sent again) makes no version.
    let edit = staff_page.split('?').next().unwrap_or_default().to_string();
    let r = send(&app, &edit, &as_refs(&v1), Some(("Приказ 149.docx", file_v1.clone()))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("ничего не изменилось"));
    // A day later (a new sign-in: sessions end when idle).
    app.clock.advance(DAY);
    app.login("editor@social.example", PASSWORD).await;
    let file_v2 = docx(&["ПРИКАЗ № 149", "Ответственный — пресс-служба.", "Контроль оставляю за собой."]);
    let v2 = meta(format!("{first}\n\n{script}"), "ответственный — пресс-служба");
    let r = send(&app, &edit, &as_refs(&v2), Some(("Приказ 149 (ред.).docx", file_v2))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    assert!(location(&r).ends_with("?done=saved"), "{}", location(&r));
    app.clock.advance(DAY);
    app.login("editor@social.example", PASSWORD).await;
    let v3 = meta(format!("{first}\n\nСрок исполнения — до 31 декабря 2026 года.\n\n{script}"), "добавлен срок");
    let r = send(&app, &edit, &as_refs(&v3), None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM site_files").await, 2, "the file kept is not stored again");

    // The public page: the newest text, its act, when published and changed; safe.
    let page = text(app.get(&public).await).await;
    assert!(
        page.contains("<h2>Общие положения</h2>") && page.contains("Срок исполнения — до 31 декабря 2026 года."),
        "{page}"
    );
    assert!(page.contains("<p>Ответственный — пресс-служба.</p>"), "the file's text is on the page: {page}");
    assert!(page.contains("<tr><td>1.</td><td>Размещение плана</td></tr>"), "its table too: {page}");
    assert!(page.contains("Приказ 149 (ред.).docx</span> (DOCX,"), "{page}");
    assert!(page.contains("Приказ № 149 от 03.03.2026"), "{page}");
    assert!(page.contains("Об утверждении плана по открытости &#60;2026&#62;"), "{page}");
    assert!(!page.contains("<script>alert"), "script in the text is shown as text, never run");
    assert!(page.contains("(версия 3)"), "{page}");

    // The archive: three versions, each at its own address, and what changed between two.
    let archive = text(app.get(&format!("{public}/versions/")).await).await;
    for n in 1..=3 {
        assert!(archive.contains(&format!("{public}/versions/{n}\">версия {n}</a>")), "{archive}");
    }
    assert!(archive.contains("добавлен срок") && archive.contains("(действующая)"));
    let v1 = text(app.get(&format!("{public}/versions/1")).await).await;
    assert!(v1.contains("Это архивная версия 1") && v1.contains("<p>Ответственный — отдел информации.</p>"), "{v1}");
    let download = app.get(&format!("{public}/versions/1/file")).await;
    assert_eq!(download.status(), StatusCode::OK);
    let disposition = download.headers().get("content-disposition").and_then(|h| h.to_str().ok()).unwrap_or_default();
    assert!(disposition.starts_with("attachment;") && disposition.contains("UTF-8''"), "{disposition}");
    assert_eq!(download.bytes().await.expect("bytes").to_vec(), file_v1, "the first version's own file");
    assert_eq!(app.get(&format!("{public}/versions/9/file")).await.status(), StatusCode::NOT_FOUND);
    let diff = text(app.get(&format!("{public}/diff?from=1&to=3")).await).await;
    assert!(
        diff.contains("<del><span class=\"visually-hidden\">удалено: </span>Ответственный — отдел информации.</del>"),
        "{diff}"
    );
    assert!(
        diff.contains("<ins><span class=\"visually-hidden\">добавлено: </span>Ответственный — пресс-служба.</ins>")
    );
    assert!(diff.contains(
        "<ins><span class=\"visually-hidden\">добавлено: </span>Срок исполнения — до 31 декабря 2026 года.</ins>"
    ));
    let wrong = app.get(&format!("{public}/diff?from=1&to=9")).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().await.expect("text").contains("Выберите версии из списка: 1–3"));
    assert_eq!(app.get(&format!("{public}/versions/4")).await.status(), StatusCode::NOT_FOUND);
    // The address of one kind does not show another kind's thing.
    assert_eq!(app.get(&format!("/o/social-protection/news/{id}")).await.status(), StatusCode::NOT_FOUND);

    // Listed, in the body's feed and in the sitemap.
    let list = text(app.get("/o/social-protection/documents/").await).await;
    assert!(list.contains(&format!("<a href=\"{public}\" lang=\"ru\">Об утверждении плана")), "{list}");
    let feed = text(app.get("/o/social-protection/feed.atom").await).await;
    assert!(feed.contains(&public) && feed.contains("Документ: Об утверждении плана"), "{feed}");
    let sitemap = text(app.get("/sitemap.xml").await).await;
    assert!(sitemap.contains(&format!("{public}</loc><lastmod>2026-03-06</lastmod>")), "{sitemap}");

    // Withdrawn with a reason (none is refused): out of the lists and feeds, readable and marked.
    let withdraw = format!("{}/withdraw", staff_page.split('?').next().unwrap_or_default());
    let r = app.post_form(&withdraw, &[("action", "withdraw"), ("reason", " ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("укажите, почему материал снимается с публикации"));
    let r = app.post_form(&withdraw, &[("action", "withdraw"), ("reason", "Приказ отменён")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(!text(app.get("/o/social-protection/documents/").await).await.contains(&public));
    assert!(!text(app.get("/o/social-protection/feed.atom").await).await.contains(&public));
    let page = text(app.get(&public).await).await;
    assert!(page.contains("Снято с публикации") && page.contains("Приказ отменён"), "{page}");
    let r = app.post_form(&withdraw, &[("action", "restore")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(text(app.get("/o/social-protection/documents/").await).await.contains(&public));

    // Every change audited: created, changed twice, withdrawn, returned; and the item's records.
    let audited = count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'site_content'").await;
    assert_eq!(audited, 5);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM site_item_records WHERE code = 'rules-acts'").await, 3);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM site_content_versions").await, 3);

    // Another body's editor reaches it through neither body's address.
    app.create_staff("editor@other.example", Role::Editor, Some("information-society")).await;
    let other = app.other_client();
    other.login("editor@other.example", PASSWORD).await;
    let theirs = format!("/staff/o/information-society/site/content/{id}");
    assert_eq!(other.get(&theirs).await.status(), StatusCode::NOT_FOUND);
    let r = send(&other, &theirs, &[("title", "Захват"), ("text", "т")], None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.get(&staff_page).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM site_content_versions").await, 3);
}
on_both_backends!(an_editor_publishes_a_document_changes_it_twice_and_citizens_read_every_version);

/// A PNG photo of `width` × `height`, with a comment chunk standing for what a camera stores.
pub(crate) fn photo(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 120]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).expect("png");
    let mut png = out.into_inner();
    // A tEXt chunk after the header, "GPS" = "56.48 84.95", which the published photo must not
    // carry; its checksum is the CRC-32 of its type and data.
    let data: Vec<u8> = [&b"tEXt"[..], b"GPS\x0056.48 84.95"].concat();
    let crc = !data.iter().fold(!0u32, |mut c, b| {
        c ^= u32::from(*b);
        for _ in 0..8 {
            c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
        }
        c
    });
    let chunk: Vec<u8> = [&((data.len() - 4) as u32).to_be_bytes()[..], &data, &crc.to_be_bytes()].concat();
    png.splice(33..33, chunk);
    png
}

async fn news_carries_a_photo_resized_described_and_without_what_the_camera_stored(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;
    let new = "/staff/o/social-protection/site/content/new/news";
    let fields = [("title", "Открыт новый центр"), ("text", "Центр принимает посетителей.")];
    let stored = || count(&app, "SELECT COUNT(*) FROM site_images");

    // A photo without what it shows, and a file that is not a photo: refused, nothing stored.
    let r = send_with(&app, new, &fields, "image", ("центр.jpg", photo(2400, 1600))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("опишите, что на изображении"));
    let described = [fields[0], fields[1], ("image_alt", "Здание центра с вывеской")];
    let r = send_with(&app, new, &described, "image", ("центр.jpg", b"%PDF-1.7 not a photo".to_vec())).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().await.expect("text").contains("это не изображение: загрузите фотографию в формате JPEG, PNG или WebP")
    );
    assert_eq!(stored().await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM site_content").await, 0);

    let r = send_with(&app, new, &described, "image", ("центр.png", photo(2400, 1600))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    let id = location(&r)
        .trim_start_matches("/staff/o/social-protection/site/content/")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let page = text(app.get(&format!("/o/social-protection/news/{id}")).await).await;
    let img = format!(
        "<img src=\"/o/social-protection/news/{id}/versions/1/image\" alt=\"Здание центра с вывеской\" width=\"1200\" height=\"800\">"
    );
    assert!(page.contains(&img), "{page}");
    let served = app.get(&format!("/o/social-protection/news/{id}/versions/1/image")).await;
    assert_eq!(served.headers().get("content-type").and_then(|h| h.to_str().ok()), Some("image/jpeg"));
    let jpeg = served.bytes().await.expect("bytes");
    assert_eq!(image::load_from_memory(&jpeg).map(|i| (i.width(), i.height())).ok(), Some((1200, 800)));
    assert!(!jpeg.windows(11).any(|w| w == b"56.48 84.95"), "nothing the camera stored is published");
    assert_eq!(stored().await, 1);

    // A photo and a file no record names (a save whose commit failed) are swept once a day old;
    // the published photo stays.
    let storage = kernel::storage::Storage::open(&app.cfg.storage_url).expect("storage");
    storage.put("site/images/0123abcd.jpg", jpeg.clone()).await.expect("put");
    storage.put("site/files/4567cdef", bytes::Bytes::from_static(b"%PDF-1.7")).await.expect("put");
    let real_now = jiff::Timestamp::now().as_millisecond();
    let sweep = |now| site::content_store::sweep_files(&app.db, &storage, now, DAY);
    assert_eq!(sweep(real_now).await.expect("sweep"), 0, "not a day old");
    assert_eq!(sweep(real_now + 2 * DAY).await.expect("sweep"), 2);
    assert!(
        storage.get("site/images/0123abcd.jpg").await.is_err() && storage.get("site/files/4567cdef").await.is_err()
    );
    let sha: String =
        sqlx::query_scalar("SELECT sha256 FROM site_images").fetch_one(&app.db.pool).await.expect("the photo's record");
    assert!(storage.get(&format!("site/images/{sha}.jpg")).await.is_ok(), "the published photo stays");
}
on_both_backends!(news_carries_a_photo_resized_described_and_without_what_the_camera_stored);

/// Each node keeps what it shows of a published thing: a change made elsewhere (a new version,
/// withdrawing) shows on a node that asks every time at once, on another once it asks; a change
/// through the node shows there at once.
async fn a_published_page_follows_every_change_made_elsewhere(app: TestApp) {
    let url = app.cfg.database_url.clone();
    let settings = |recheck| [("GLASNOST_RECHECK_MS", recheck), ("GLASNOST_PAGE_CACHE_MS", "0")];
    let patient = TestApp::serve(crate::helpers::temp_dir("node"), &url, &settings("3600000")).await;
    let eager = TestApp::serve(crate::helpers::temp_dir("node"), &url, &settings("0")).await;
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;
    let fields = |text| [("title", "Приём граждан переносится"), ("text", text), ("note", "перенос")];
    let r = send(&app, "/staff/o/social-protection/site/content/new/news", &fields("Приём будет в среду."), None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    let staff_page = location(&r).split('?').next().unwrap_or_default().to_string();
    let id = staff_page.rsplit('/').next().unwrap_or_default().to_string();
    let public = format!("/o/social-protection/news/{id}");
    for node in [&patient, &eager] {
        assert!(text(node.get(&public).await).await.contains("Приём будет в среду."));
    }

    // A new version and a withdrawal, both through a third node.
    let r = send(&app, &staff_page, &fields("Приём будет в четверг."), None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    assert!(text(eager.get(&public).await).await.contains("Приём будет в четверг."), "the new version shows at once");
    assert!(
        text(patient.get(&public).await).await.contains("Приём будет в среду."),
        "a node keeps its copy until it asks"
    );
    let r = app
        .post_form(&format!("{staff_page}/withdraw"), &[("action", "withdraw"), ("reason", "Дата ещё не решена")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(text(eager.get(&public).await).await.contains("Дата ещё не решена"), "the withdrawal shows at once");

    // A form sent through the patient node (signing in): it asks, and shows both changes.
    patient.login("editor@social.example", PASSWORD).await;
    let page = text(patient.other_client().get(&public).await).await;
    assert!(page.contains("Приём будет в четверг.") && page.contains("Дата ещё не решена"), "{page}");
}
on_both_backends!(a_published_page_follows_every_change_made_elsewhere);

/// A 50 MB file sent to the content form is refused at once, unread, with the page that says
/// how large a file may be; nothing is stored. The answer is read before the body is sent (a
/// client still writing when the server closes may see only a broken pipe).
async fn a_fifty_megabyte_upload_is_refused_unread(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;
    let session = app.cookie("gl_session").expect("signed in");
    let head = format!(
        "POST {NEW_DOCUMENT} HTTP/1.1\r\nHost: portal\r\nCookie: gl_session={session}\r\n\
         Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {}\r\n\r\n--b\r\n",
        50 * 1024 * 1024
    );
    let answer = app.head_only(&head).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("Файл слишком большой: можно загрузить не больше 10 МБ"), "{answer}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM site_content").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM site_files").await, 0);
}
on_both_backends!(a_fifty_megabyte_upload_is_refused_unread);

/// The leadership (§8): each leader a thing of its own — the name, the position (required), the
/// biography, a portrait — listed in the order entered, the head first; not in the news feeds.
async fn the_leadership_is_listed_head_first_with_positions(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;
    let new = "/staff/o/social-protection/site/content/new/leader";
    let r = send(&app, new, &[("title", "Петров Пётр Петрович"), ("text", "Родился в Томске.")], None).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("укажите должность"));
    for (name, position) in
        [("Петров Пётр Петрович", "Начальник департамента"), ("Сидорова Анна Ивановна", "Заместитель начальника")]
    {
        let fields =
            [("title", name), ("lead", position), ("text", "Окончил ТГУ. Работает в департаменте с 2015 года.")];
        let r = send(&app, new, &fields, None).await;
        assert!(location(&r).contains("?done=created"), "{}", text(r).await);
        app.clock.advance(3_600_000);
    }
    let list = text(app.other_client().get("/o/social-protection/leadership/").await).await;
    let (head, deputy) = (list.find("Петров Пётр Петрович"), list.find("Сидорова Анна Ивановна"));
    assert!(head.is_some() && head < deputy, "the head first: {list}");
    assert!(list.contains("Начальник департамента"), "{list}");
    let feed = text(app.other_client().get("/o/social-protection/feed.atom").await).await;
    assert!(!feed.contains("Петров Пётр Петрович"), "the leadership is not news: {feed}");
}
on_both_backends!(the_leadership_is_listed_head_first_with_positions);

/// A document explained (§25): a plain-words text, an infographic described for those who cannot
/// see it, and a link to a video; an address that is not a web page's is refused.
async fn a_document_carries_an_infographic_and_a_video_explaining_it(app: TestApp) {
    app.create_staff("editor@social.example", Role::Editor, Some("social-protection")).await;
    app.login("editor@social.example", PASSWORD).await;
    let fields = |video: &'static str| {
        [
            ("title", "О ежемесячной выплате на ребёнка"),
            ("act_kind", "Приказ"),
            ("act_date", "2026-02-20"),
            ("text", "Кратко: выплату назначают за 10 рабочих дней."),
            ("image_alt", "Схема: заявление, проверка, решение, выплата"),
            ("video", video),
        ]
    };
    let r =
        send_with(&app, NEW_DOCUMENT, &fields("javascript:alert(1)"), "image", ("схема.png", photo(800, 600))).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("укажите адрес видео на видеохостинге, начиная с https://"));
    let video = "https://rutube.ru/video/0123456789abcdef/";
    let r = send_with(&app, NEW_DOCUMENT, &fields(video), "image", ("схема.png", photo(800, 600))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", text(r).await);
    let id = location(&r).rsplit('/').next().unwrap_or_default().split('?').next().unwrap_or_default().to_string();
    let page = text(app.other_client().get(&format!("/o/social-protection/documents/{id}")).await).await;
    assert!(
        page.contains(&format!("<a href=\"{video}\" rel=\"external noopener\">")) && page.contains("(rutube.ru)"),
        "{page}"
    );
    assert!(page.contains("alt=\"Схема: заявление, проверка, решение, выплата\""), "{page}");
}
on_both_backends!(a_document_carries_an_infographic_and_a_video_explaining_it);
