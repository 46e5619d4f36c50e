//! Taking a submission: the form checked (every problem at once, in Russian), the attachments
//! checked by size, count and content (the bytes must be what the name says), then one
//! transaction — the body's yearly counter advanced, the submission, its files' keys, its first
//! status and its acknowledgement e-mail stored together. Only after the commit does anyone see
//! the number. The files are written to storage before the transaction, so a committed
//! submission always has its files; a failed one leaves unreferenced files, never a lost one.

use bytes::Bytes;
use deadlines::Date;
use kernel::error::{Error, Result};
use kernel::ids::Sender;
use kernel::mail::OutgoingEmail;
use kernel::storage::Storage;
use kernel::{Db, outbox};
use serde::Serialize;
use sqlx::Row;

use crate::rules::Kind;

pub const MAX_TEXT: usize = 20_000;
pub const MAX_FILES: usize = 5;
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_TOTAL_BYTES: usize = 10 * 1024 * 1024;

/// A submission as the public form sends it, unchecked.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SubmissionForm {
    pub body: String,
    pub kind: String,
    pub topic: String,
    pub text: String,
    pub author_name: String,
    pub email: String,
    pub phone: String,
    pub postal_address: String,
    /// `email` or `post`.
    pub answer_by: String,
    /// For a media request: the outlet and the domain of its editorial e-mail.
    pub outlet: String,
    pub outlet_domain: String,
    pub consent: String,
    /// A field people do not see; only robots fill it in.
    pub website: String,
}

/// An attached file as received.
#[derive(Clone, Debug)]
pub struct Upload {
    pub name: String,
    pub bytes: Bytes,
}

/// The file types taken, by extension, with the bytes each must begin with.
const TYPES: [(&str, &str, &[&[u8]]); 9] = [
    ("pdf", "application/pdf", &[b"%PDF-"]),
    ("jpg", "image/jpeg", &[b"\xFF\xD8\xFF"]),
    ("jpeg", "image/jpeg", &[b"\xFF\xD8\xFF"]),
    ("png", "image/png", &[b"\x89PNG\r\n\x1a\n"]),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", &[b"PK\x03\x04"]),
    ("odt", "application/vnd.oasis.opendocument.text", &[b"PK\x03\x04"]),
    ("doc", "application/msword", &[b"\xD0\xCF\x11\xE0"]),
    ("rtf", "application/rtf", &[b"{\\rtf"]),
    ("txt", "text/plain", &[]),
];

/// A checked attachment.
#[derive(Clone, Debug)]
pub struct Attachment {
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Bytes,
}

/// A checked submission.
#[derive(Clone, Debug)]
pub struct NewSubmission {
    pub body_id: i64,
    pub kind: Kind,
    pub topic: String,
    pub text: String,
    pub sender: Sender,
    pub phone: String,
    pub postal_address: String,
    pub answer_by: &'static str,
    /// The media outlet, for a media request.
    pub outlet: String,
    pub attachments: Vec<Attachment>,
}

fn check_file(u: &Upload) -> std::result::Result<Attachment, String> {
    let name: String = u
        .name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>'))
        .take(200)
        .collect();
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let Some((_, content_type, magic)) = TYPES.iter().find(|(e, _, _)| *e == ext) else {
        return Err(format!("«{name}»: такие файлы не принимаются; можно PDF, JPG, PNG, DOC, DOCX, ODT, RTF, TXT"));
    };
    if u.bytes.is_empty() {
        return Err(format!("«{name}»: файл пустой"));
    }
    if u.bytes.len() > MAX_FILE_BYTES {
        return Err(format!("«{name}»: файл больше {} МБ", MAX_FILE_BYTES / 1024 / 1024));
    }
    let matches =
        if ext == "txt" { std::str::from_utf8(&u.bytes).is_ok() } else { magic.iter().any(|m| u.bytes.starts_with(m)) };
    if !matches {
        return Err(format!("«{name}»: содержимое файла не соответствует расширению .{ext}"));
    }
    Ok(Attachment { name, content_type, bytes: u.bytes.clone() })
}

/// Checks a submission and its files; all problems at once. `bodies` are the (id, slug) pairs
/// one may write to.
pub fn validate(f: &SubmissionForm, files: &[Upload], bodies: &[(i64, String)]) -> Result<NewSubmission> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let body_id = bodies.iter().find(|(_, slug)| *slug == f.body.trim()).map(|(id, _)| *id);
    if body_id.is_none() {
        errors.push(("body", "выберите орган, которому адресовано обращение".into()));
    }
    let kind = Kind::parse(f.kind.trim());
    if kind.is_none() {
        errors.push(("kind", "выберите вид обращения".into()));
    }
    let topic = f.topic.trim().to_string();
    if topic.is_empty() {
        errors.push(("topic", "укажите тему — коротко, о чём обращение".into()));
    } else if topic.chars().count() > 300 {
        errors.push(("topic", "тема — не длиннее 300 символов".into()));
    }
    let text = f.text.trim().to_string();
    if text.is_empty() {
        errors.push(("text", "напишите текст обращения".into()));
    } else if text.chars().count() > MAX_TEXT {
        errors.push((
            "text",
            format!(
                "текст длиннее {MAX_TEXT} символов ({}): сократите его или приложите как файл",
                text.chars().count()
            ),
        ));
    }
    let sender = Sender::check(&f.author_name, &f.email, &f.consent, "обращение", &mut errors);
    // 59-FZ art. 7 p. 1 and 8-FZ art. 18 p. 2: the applicant's name and an address for the answer.
    if sender.author_name.is_empty() {
        errors.push(("author_name", "укажите фамилию, имя и (при наличии) отчество".into()));
    }
    let phone = f.phone.trim().to_string();
    if phone.chars().count() > 50 {
        errors.push(("phone", "телефон — не длиннее 50 символов".into()));
    }
    let postal_address = f.postal_address.trim().to_string();
    if postal_address.chars().count() > 500 {
        errors.push(("postal_address", "почтовый адрес — не длиннее 500 символов".into()));
    }
    let answer_by = match f.answer_by.trim() {
        "post" => {
            if postal_address.is_empty() {
                errors.push(("postal_address", "укажите почтовый адрес: ответ придёт по почте".into()));
            }
            "post"
        }
        _ => {
            if f.email.trim().is_empty() {
                errors.push(("email", "укажите адрес электронной почты: ответ придёт на него".into()));
            }
            "email"
        }
    };
    // A media request comes from the editorial office's own domain (seed 000 §33.3 «а»).
    let outlet = f.outlet.trim().to_string();
    if kind == Some(Kind::MediaRequest) {
        if outlet.is_empty() || outlet.chars().count() > 300 {
            errors.push(("outlet", "укажите название средства массовой информации".into()));
        }
        let domain = f.outlet_domain.trim().trim_start_matches('@').to_lowercase();
        let valid_domain = domain.contains('.')
            && domain.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '-'));
        if !valid_domain {
            errors.push(("outlet_domain", "укажите домен адреса редакции, например tomsk-news.ru".into()));
        } else if let Some(email) = &sender.email {
            let host = email.as_str().rsplit_once('@').map(|(_, h)| h).unwrap_or_default();
            if host != domain && !host.ends_with(&format!(".{domain}")) {
                errors.push((
                    "email",
                    format!("запрос СМИ принимается с адреса редакции: адрес должен быть в домене {domain}"),
                ));
            }
        }
        if f.answer_by.trim() == "post" {
            errors
                .push(("answer_by", "ответ на запрос СМИ направляется на адрес редакции по электронной почте".into()));
        }
    }
    if files.len() > MAX_FILES {
        errors.push(("files", format!("не больше {MAX_FILES} файлов")));
    }
    let mut attachments = Vec::new();
    for u in files.iter().take(MAX_FILES) {
        match check_file(u) {
            Ok(a) => attachments.push(a),
            Err(e) => errors.push(("files", e)),
        }
    }
    let total: usize = files.iter().map(|u| u.bytes.len()).sum();
    if total > MAX_TOTAL_BYTES {
        errors.push(("files", format!("файлы вместе больше {} МБ", MAX_TOTAL_BYTES / 1024 / 1024)));
    }
    match (body_id, kind) {
        (Some(body_id), Some(kind)) if errors.is_empty() => {
            let outlet = if kind == Kind::MediaRequest { outlet } else { String::new() };
            Ok(NewSubmission {
                body_id,
                kind,
                topic,
                text,
                sender,
                phone,
                postal_address,
                answer_by,
                outlet,
                attachments,
            })
        }
        _ => Err(Error::Form(errors)),
    }
}

/// What the applicant is shown once the submission is stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Receipt {
    pub id: i64,
    pub number: String,
    /// The secret of the tracking link; only its hash is stored.
    pub token: String,
}

/// The registration number as people read it: sequence/year.
pub fn number(seq: i64, year: i64) -> String {
    format!("{seq}/{year}")
}

/// Stores a checked submission; see the module's note for the order of things.
pub async fn submit(
    db: &Db,
    storage: &Storage,
    now: i64,
    (registered_on, due_on): (Date, Date),
    public_url: &str,
    body_name: &str,
    new: &NewSubmission,
) -> Result<Receipt> {
    let folder = kernel::staff::random_token();
    let mut stored = Vec::new();
    for (i, a) in new.attachments.iter().enumerate() {
        let key = format!("appeals/{}/{folder}/{i}", registered_on.year());
        storage.put(&key, a.bytes.clone()).await.map_err(Error::Internal)?;
        stored.push((key, kernel::staff::sha256_hex_bytes(&a.bytes)));
    }
    let token = kernel::staff::random_token();
    // The address is confirmed by a second secret, sent only by e-mail (the tracking link is
    // also shown on the screen, so it proves nothing about the mailbox).
    let confirm = kernel::staff::random_token();
    let year = i64::from(registered_on.year());
    let identified_by = if new.sender.email.is_some() { "email_unverified" } else { "none" };
    let base = public_url.trim_end_matches('/');
    let mut tx = db.pool.begin().await?;
    // The first statement writes, so SQLite takes its write lock at once and waits its turn.
    let seq: i64 = sqlx::query(
        "INSERT INTO submission_counters (body_id, year, last) VALUES ($1, $2, 1) \
         ON CONFLICT (body_id, year) DO UPDATE SET last = submission_counters.last + 1 RETURNING last",
    )
    .bind(new.body_id)
    .bind(year)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let id: i64 = sqlx::query(
        "INSERT INTO submissions (body_id, kind, year, seq, topic, text, author_name, email, phone, postal_address, \
         answer_by, identified_by, token_hash, registered_on, due_on, created_at, outlet, confirm_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
    )
    .bind(new.body_id)
    .bind(new.kind.code())
    .bind(year)
    .bind(seq)
    .bind(&new.topic)
    .bind(&new.text)
    .bind(&new.sender.author_name)
    .bind(new.sender.email.as_ref().map(|e| e.as_str()).unwrap_or_default())
    .bind(&new.phone)
    .bind(&new.postal_address)
    .bind(new.answer_by)
    .bind(identified_by)
    .bind(kernel::staff::sha256_hex(&token))
    .bind(registered_on.to_string())
    .bind(due_on.to_string())
    .bind(now)
    .bind(&new.outlet)
    .bind(if new.sender.email.is_some() { kernel::staff::sha256_hex(&confirm) } else { String::new() })
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    for (a, (key, sha)) in new.attachments.iter().zip(&stored) {
        sqlx::query(
            "INSERT INTO submission_files (submission_id, name, content_type, bytes, sha256, file_key) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(&a.name)
        .bind(a.content_type)
        .bind(a.bytes.len() as i64)
        .bind(sha)
        .bind(key)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("INSERT INTO submission_events (submission_id, at, status) VALUES ($1, $2, 'registered')")
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let number = number(seq, year);
    if let Some(email) = &new.sender.email {
        let track = format!("{base}/appeals/track/{token}");
        let confirm_link = format!("{base}/appeals/confirm/{confirm}");
        let mail = OutgoingEmail {
            to: email.as_str().to_string(),
            subject: format!("Ваше обращение зарегистрировано: № {number}"),
            text: format!(
                "Здравствуйте, {}!\n\n{} в {} зарегистрировано {} под № {number}.\nТема: {}\n\n\
                 Ответ будет дан не позднее {}.\nХод рассмотрения: {}\n\n\
                 Подтвердите, что это ваш адрес электронной почты: {}\n\n\
                 Ссылки личные: не пересылайте их другим людям.\n",
                new.sender.author_name,
                match new.kind {
                    Kind::Appeal => "Ваше обращение",
                    Kind::InfoRequest => "Ваш запрос информации",
                    Kind::MediaRequest => "Запрос редакции",
                },
                body_name,
                registered_on.strftime("%d.%m.%Y"),
                new.topic,
                due_on.strftime("%d.%m.%Y"),
                track,
                confirm_link,
            ),
        };
        outbox::enqueue_email(&mut tx, now, &format!("submission:{id}:registered"), &mail).await?;
    }
    tx.commit().await?;
    Ok(Receipt { id, number, token })
}

/// A submission as staff see it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Submission {
    pub id: i64,
    pub body_id: i64,
    pub kind: String,
    pub number: String,
    pub topic: String,
    pub text: String,
    pub author_name: String,
    pub email: String,
    pub phone: String,
    pub postal_address: String,
    pub answer_by: String,
    pub identified_by: String,
    pub status: String,
    pub registered_on: String,
    pub due_on: String,
    pub created_at: i64,
    /// Decree 171 result code, the answer and when it was given.
    pub result: String,
    pub answer: String,
    pub answered_at: Option<i64>,
    pub outlet: String,
}

const COLUMNS: &str = "id, body_id, kind, seq, year, topic, text, author_name, email, phone, postal_address, answer_by, \
                       identified_by, status, registered_on, due_on, created_at, result, answer, answered_at, outlet";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Submission> {
    Ok(Submission {
        id: r.try_get(0)?,
        body_id: r.try_get(1)?,
        kind: r.try_get(2)?,
        number: number(r.try_get(3)?, r.try_get(4)?),
        topic: r.try_get(5)?,
        text: r.try_get(6)?,
        author_name: r.try_get(7)?,
        email: r.try_get(8)?,
        phone: r.try_get(9)?,
        postal_address: r.try_get(10)?,
        answer_by: r.try_get(11)?,
        identified_by: r.try_get(12)?,
        status: r.try_get(13)?,
        registered_on: r.try_get(14)?,
        due_on: r.try_get(15)?,
        created_at: r.try_get(16)?,
        result: r.try_get(17)?,
        answer: r.try_get(18)?,
        answered_at: r.try_get(19)?,
        outlet: r.try_get(20)?,
    })
}

/// A body's submissions, the newest first.
pub async fn for_body(db: &Db, body_id: i64) -> Result<Vec<Submission>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM submissions WHERE body_id = $1 ORDER BY year DESC, seq DESC"
    )))
    .bind(body_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Submission>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM submissions WHERE id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The submission a tracking token opens.
pub async fn by_token(db: &Db, token: &str) -> Result<Option<Submission>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM submissions WHERE token_hash = $1")))
        .bind(kernel::staff::sha256_hex(token))
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// One step of a submission's history.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Event {
    pub at: i64,
    pub status: String,
    pub note: String,
}

pub async fn events(db: &Db, submission_id: i64) -> Result<Vec<Event>> {
    let rows = sqlx::query("SELECT at, status, note FROM submission_events WHERE submission_id = $1 ORDER BY id")
        .bind(submission_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| Ok(Event { at: r.try_get(0)?, status: r.try_get(1)?, note: r.try_get(2)? })).collect()
}

/// A stored attachment.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct File {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub bytes: i64,
    pub sha256: String,
    #[serde(skip)]
    pub file_key: String,
}

pub async fn files(db: &Db, submission_id: i64) -> Result<Vec<File>> {
    let rows = sqlx::query(
        "SELECT id, name, content_type, bytes, sha256, file_key FROM submission_files WHERE submission_id = $1 ORDER BY id",
    )
    .bind(submission_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(File {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                content_type: r.try_get(2)?,
                bytes: r.try_get(3)?,
                sha256: r.try_get(4)?,
                file_key: r.try_get(5)?,
            })
        })
        .collect()
}

/// The submission whose address confirmation secret this is.
pub async fn by_confirm_secret(db: &Db, secret: &str) -> Result<Option<Submission>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM submissions WHERE confirm_hash = $1 AND confirm_hash <> ''"
    )))
    .bind(kernel::staff::sha256_hex(secret))
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Confirms the applicant's address by the secret sent to it; None for an unknown secret, the
/// submission with `true` when this call confirmed it (`false`: it was already).
pub async fn confirm_email(db: &Db, now: i64, secret: &str) -> Result<Option<(Submission, bool)>> {
    let Some(s) = by_confirm_secret(db, secret).await? else { return Ok(None) };
    if s.identified_by == "email_link" {
        return Ok(Some((s, false)));
    }
    let mut tx = db.pool.begin().await?;
    let changed = sqlx::query(
        "UPDATE submissions SET identified_by = 'email_link', email_confirmed_at = $1 \
         WHERE id = $2 AND identified_by <> 'email_link'",
    )
    .bind(now)
    .bind(s.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 1 {
        sqlx::query("INSERT INTO submission_events (submission_id, at, status) VALUES ($1, $2, 'email_confirmed')")
            .bind(s.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Some((s, changed == 1)))
}

/// How the applicant was identified, in Russian.
pub fn identified_ru(code: &str) -> &'static str {
    match code {
        "email_link" => "адрес электронной почты подтверждён по ссылке",
        "email_unverified" => "указан адрес электронной почты, ещё не подтверждён",
        _ => "не установлен (ответ по почте)",
    }
}

pub fn status_ru(s: &str) -> &'static str {
    match s {
        "registered" => "зарегистрировано",
        "email_confirmed" => "адрес электронной почты подтверждён",
        "extended" => "срок рассмотрения продлён",
        "answered" => "дан ответ",
        _ => "на рассмотрении",
    }
}

#[cfg(test)]
mod tests {
    use super::{SubmissionForm, Upload, validate};

    /// Every message of a refusal, joined.
    fn said(e: kernel::Error) -> String {
        e.field_errors().into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("; ")
    }

    fn form() -> SubmissionForm {
        SubmissionForm {
            body: "social".into(),
            kind: "appeal".into(),
            topic: "Пособие".into(),
            text: "Прошу разъяснить порядок".into(),
            author_name: "Иванов Иван".into(),
            email: "ivan@example.org".into(),
            consent: "1".into(),
            ..SubmissionForm::default()
        }
    }

    #[test]
    fn files_must_be_what_their_names_say() {
        let bodies = [(1, "social".to_string())];
        let file = |name: &str, bytes: &'static [u8]| Upload { name: name.into(), bytes: bytes.into() };
        assert!(validate(&form(), &[file("скан.pdf", b"%PDF-1.7 ...")], &bodies).is_ok());
        let err = validate(&form(), &[file("скан.pdf", b"MZ\x90\x00"), file("вирус.exe", b"MZ")], &bodies)
            .map(|_| ())
            .map_err(said)
            .expect_err("refused");
        assert!(
            err.contains("не соответствует расширению .pdf") && err.contains("такие файлы не принимаются"),
            "{err}"
        );
        let big: &'static [u8] = Box::leak(vec![b'a'; 5 * 1024 * 1024 + 1].into_boxed_slice());
        let err = validate(&form(), &[file("a.txt", big)], &bodies).map(|_| ()).map_err(said).expect_err("refused");
        assert!(err.contains("больше 5 МБ"), "{err}");
        let six: Vec<Upload> = (0..6).map(|i| file(&format!("{i}.txt"), b"x")).collect();
        assert!(
            validate(&form(), &six, &bodies)
                .map(|_| ())
                .map_err(said)
                .expect_err("refused")
                .contains("не больше 5 файлов")
        );
    }

    #[test]
    fn the_answer_needs_an_address_and_the_applicant_a_name() {
        let bodies = [(1, "social".to_string())];
        let mut f = form();
        f.author_name = String::new();
        f.email = String::new();
        let err = validate(&f, &[], &bodies).map(|_| ()).map_err(said).expect_err("refused");
        assert!(err.contains("фамилию") && err.contains("адрес электронной почты"), "{err}");
        f.answer_by = "post".into();
        assert!(validate(&f, &[], &bodies).map(|_| ()).map_err(said).expect_err("refused").contains("почтовый адрес"));
        let mut media = form();
        media.kind = "media_request".into();
        media.outlet = "Томские новости".into();
        media.outlet_domain = "tomsk-news.ru".into();
        media.email = "reporter@gmail.com".into();
        let err = validate(&media, &[], &bodies).map(|_| ()).map_err(said).expect_err("refused");
        assert!(err.contains("в домене tomsk-news.ru"), "{err}");
        media.email = "reporter@mail.tomsk-news.ru".into();
        assert!(validate(&media, &[], &bodies).is_ok_and(|n| n.outlet == "Томские новости"));
        f.text = "я".repeat(20_001);
        assert!(
            validate(&f, &[], &bodies)
                .map(|_| ())
                .map_err(said)
                .expect_err("refused")
                .contains("длиннее 20000 символов")
        );
    }
}
