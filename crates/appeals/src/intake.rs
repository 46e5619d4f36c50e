//! Taking a submission: the form checked (every problem at once, in Russian), the attachments
//! checked by size, count and content (the bytes must be what the name says), then one
//! transaction — the body's yearly counter advanced, the submission, its files' keys, its first
//! status and its acknowledgement e-mail stored together. Only after the commit does anyone see
//! the number; submissions arriving together share one commit (see [`Intake`]). The files are
//! written to storage (and synced) before the transaction, so a committed submission always has
//! its files; a failed one leaves unreferenced files, never a lost one.

use bytes::Bytes;
use deadlines::Date;
use kernel::error::{Error, Result};
use kernel::ids::Sender;
use kernel::mail::OutgoingEmail;
use kernel::storage::Storage;
use kernel::{Db, outbox};
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
    /// For a complaint: the staff member (name or position) whose actions it is about.
    pub respondent: String,
    pub consent: String,
    /// A field people do not see; only robots fill it in.
    pub website: String,
    /// The form's one-time value: the same submission sent twice is stored once.
    pub once: String,
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
    /// Whom a complaint is about.
    pub respondent: String,
    pub attachments: Vec<Attachment>,
    /// The form's one-time value, when it is a well-formed one.
    pub once: Option<String>,
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
    // A report of corruption may come unsigned and without an address: then no personal data is
    // given, none is processed, and no consent is asked for.
    let anonymous = kind.is_some_and(Kind::may_be_anonymous)
        && f.author_name.trim().is_empty()
        && f.email.trim().is_empty()
        && f.postal_address.trim().is_empty()
        && f.phone.trim().is_empty();
    let consent = if anonymous { "1" } else { f.consent.as_str() };
    let sender = Sender::check(&f.author_name, &f.email, consent, "обращение", &mut errors);
    // 59-FZ art. 7 p. 1 and 8-FZ art. 18 p. 2: the applicant's name and an address for the answer.
    if sender.author_name.is_empty() && !anonymous {
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
        // An anonymous appeal is not answered (59-FZ art. 11 p. 1); the tracking link still works.
        _ if anonymous => "none",
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
    let respondent = f.respondent.trim().to_string();
    if respondent.chars().count() > 300 || respondent.chars().any(char::is_control) {
        errors.push(("respondent", "о ком жалоба — одной строкой, до 300 символов".into()));
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
            let respondent = if kind == Kind::Complaint { respondent } else { String::new() };
            let once = Some(f.once.trim().to_string())
                .filter(|o| (32..=128).contains(&o.len()) && o.bytes().all(|b| b.is_ascii_alphanumeric()));
            Ok(NewSubmission {
                once,
                body_id,
                kind,
                topic,
                text,
                sender,
                phone,
                postal_address,
                answer_by,
                outlet,
                respondent,
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

/// A submission whose files are stored and whose secrets are drawn, waiting for its commit.
struct Pending {
    now: i64,
    registered_on: Date,
    due_on: Date,
    base: String,
    body_name: String,
    new: NewSubmission,
    /// (storage key, SHA-256) of each attachment, in order.
    stored: Vec<(String, String)>,
    token: String,
    confirm: String,
    /// SHA-256 of the form's one-time value, or empty.
    once_hash: String,
}

type Reply = tokio::sync::oneshot::Sender<Result<Receipt>>;

/// Group commit: one task writes submissions, taking every one waiting (up to the batch size)
/// into one transaction, so one fsync makes many durable; each submitter hears back only after
/// that commit. One that fails is rolled back alone (its number with it, so the year's numbers
/// stay without gaps) and the others are kept.
#[derive(Clone)]
pub struct Intake {
    queue: tokio::sync::mpsc::Sender<(Pending, Reply)>,
    counts: std::sync::Arc<Counts>,
}

/// What this node's committer has done since it started.
#[derive(Debug, Default)]
pub struct Counts {
    /// Transactions committed.
    pub commits: std::sync::atomic::AtomicU64,
    /// Submissions made durable by them.
    pub submissions: std::sync::atomic::AtomicU64,
}

impl Intake {
    /// Starts the committing task on the current Tokio runtime; `batch` is the most submissions
    /// one commit takes (1: a commit per submission).
    pub fn start(db: Db, batch: usize) -> Intake {
        let batch = batch.max(1);
        let (queue, mut waiting) = tokio::sync::mpsc::channel::<(Pending, Reply)>(batch * 4);
        let counts = std::sync::Arc::new(Counts::default());
        let kept = counts.clone();
        tokio::spawn(async move {
            let mut jobs = Vec::with_capacity(batch);
            while waiting.recv_many(&mut jobs, batch).await > 0 {
                let stored = commit(&db, std::mem::take(&mut jobs)).await;
                if stored > 0 {
                    kept.commits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    kept.submissions.fetch_add(stored, std::sync::atomic::Ordering::Relaxed);
                }
            }
        });
        Intake { queue, counts }
    }

    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    /// Stores a checked submission; see the module's note for the order of things.
    pub async fn submit(
        &self,
        storage: &Storage,
        now: i64,
        (registered_on, due_on): (Date, Date),
        (public_url, body_name): (&str, &str),
        new: NewSubmission,
    ) -> Result<Receipt> {
        let folder = kernel::staff::random_token();
        let mut stored = Vec::new();
        for (i, a) in new.attachments.iter().enumerate() {
            let key = format!("appeals/{}/{folder}/{i}", registered_on.year());
            storage.put(&key, a.bytes.clone()).await.map_err(Error::Internal)?;
            stored.push((key, kernel::staff::sha256_hex_bytes(&a.bytes)));
        }
        // With the form's one-time value the tracking secret is derived from it, so that the same
        // submission sent again is answered with the same receipt.
        let (token, once_hash) = match &new.once {
            Some(once) => (kernel::staff::sha256_hex(&format!("track:{once}")), kernel::staff::sha256_hex(once)),
            None => (kernel::staff::random_token(), String::new()),
        };
        let pending = Pending {
            once_hash,
            now,
            registered_on,
            due_on,
            base: public_url.trim_end_matches('/').to_string(),
            body_name: body_name.to_string(),
            new,
            stored,
            token,
            // The address is confirmed by a second secret, sent only by e-mail (the tracking
            // link is also shown on the screen, so it proves nothing about the mailbox).
            confirm: kernel::staff::random_token(),
        };
        let (reply, answer) = tokio::sync::oneshot::channel();
        let stopped = || Error::Internal(anyhow::anyhow!("the submission committer has stopped"));
        self.queue.send((pending, reply)).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// Commits a batch and tells each submitter how it went; the number of submissions stored.
/// The batch is written with a few multi-row statements; should one of them fail, the batch is
/// rolled back and each submission is tried in a transaction of its own, so a failure stays
/// with its submission and takes no number from the others.
async fn commit(db: &Db, jobs: Vec<(Pending, Reply)>) -> u64 {
    let (pending, replies): (Vec<Pending>, Vec<Reply>) = jobs.into_iter().unzip();
    let all: Vec<&Pending> = pending.iter().collect();
    let results: Vec<Result<Receipt>> = match write(db, &all).await {
        Ok(receipts) => receipts.into_iter().map(Ok).collect(),
        Err(Failed::Statement(e)) if all.len() > 1 => {
            tracing::warn!(error = %e, submissions = all.len(), "a batch of submissions failed; storing each alone");
            let mut one_by_one = Vec::with_capacity(all.len());
            for p in &all {
                one_by_one.push(write(db, &[*p]).await.map(|mut r| r.remove(0)).map_err(Failed::into_error));
            }
            one_by_one
        }
        Err(e) => {
            let e = e.into_error();
            tracing::error!(error = %e, submissions = all.len(), "submissions were not committed");
            all.iter().map(|_| Err(Error::Internal(anyhow::anyhow!("the submission was not stored: {e}")))).collect()
        }
    };
    let stored = results.iter().filter(|r| r.is_ok()).count() as u64;
    for (reply, r) in replies.into_iter().zip(results) {
        let _ = reply.send(r);
    }
    stored
}

/// Why a batch was not stored: one of its statements (rolled back: worth trying each alone), or
/// the commit itself (the outcome is not known: nothing is tried again).
enum Failed {
    Statement(Error),
    Commit(Error),
}

impl Failed {
    fn into_error(self) -> Error {
        match self {
            Failed::Statement(e) | Failed::Commit(e) => e,
        }
    }
}

/// "($1, $2, …), ($n, …)": placeholders for `rows` rows of `columns` values.
fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| {
            let values: Vec<String> = (1..=columns).map(|c| format!("${}", r * columns + c)).collect();
            format!("({})", values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Stores submissions in one transaction: each body's yearly counter advanced once for all of
/// its submissions, then the submissions, their files' keys, their first statuses and their
/// acknowledgement e-mails, each with a few multi-row statements.
async fn write(db: &Db, batch: &[&Pending]) -> std::result::Result<Vec<Receipt>, Failed> {
    let mut tx = db.begin().await.map_err(|e| Failed::Statement(e.into()))?;
    let receipts = statements(&mut tx, batch).await.map_err(Failed::Statement)?;
    tx.commit().await.map_err(|e| Failed::Commit(e.into()))?;
    Ok(receipts)
}

/// Stores what was not stored before: a submission whose one-time value is already in the
/// database (or earlier in this batch) gets the receipt of the first one.
async fn statements(tx: &mut sqlx::AnyConnection, batch: &[&Pending]) -> Result<Vec<Receipt>> {
    let onces: Vec<&str> = batch.iter().map(|p| p.once_hash.as_str()).filter(|h| !h.is_empty()).collect();
    let mut known: std::collections::HashMap<String, (i64, String)> = std::collections::HashMap::new();
    for chunk in kernel::db::pieces(&onces) {
        let marks = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT id, seq, year, once_hash FROM submissions WHERE once_hash IN ({marks})");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for h in chunk {
            q = q.bind(*h);
        }
        for r in q.fetch_all(&mut *tx).await? {
            known.insert(r.try_get(3)?, (r.try_get(0)?, number(r.try_get(1)?, r.try_get(2)?)));
        }
    }
    let mut seen = std::collections::HashSet::new();
    let first: Vec<bool> = batch
        .iter()
        .map(|p| p.once_hash.is_empty() || (!known.contains_key(&p.once_hash) && seen.insert(p.once_hash.as_str())))
        .collect();
    let fresh: Vec<&Pending> = batch.iter().zip(&first).filter(|(_, f)| **f).map(|(p, _)| *p).collect();
    let mut stored = store(tx, &fresh).await?.into_iter();
    let mut receipts = Vec::with_capacity(batch.len());
    for (p, is_first) in batch.iter().zip(first) {
        let r = if is_first {
            let r =
                stored.next().ok_or_else(|| Error::Internal(anyhow::anyhow!("a stored submission has no receipt")))?;
            if !p.once_hash.is_empty() {
                known.insert(p.once_hash.clone(), (r.id, r.number.clone()));
            }
            r
        } else {
            let (id, number) = known.get(&p.once_hash).cloned().unwrap_or_default();
            Receipt { id, number, token: p.token.clone() }
        };
        receipts.push(r);
    }
    Ok(receipts)
}

async fn store(tx: &mut sqlx::AnyConnection, batch: &[&Pending]) -> Result<Vec<Receipt>> {
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    // Numbers: per (body, year), in the order the submissions arrived.
    let mut seqs = vec![0i64; batch.len()];
    let mut groups: Vec<((i64, i64), Vec<usize>)> = Vec::new();
    for (i, p) in batch.iter().enumerate() {
        let key = (p.new.body_id, i64::from(p.registered_on.year()));
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    // Counters are taken in one order (body, year) by every node: two batches with the same
    // bodies cannot each hold one counter and wait for the other's.
    groups.sort_unstable_by_key(|(key, _)| *key);
    for ((body_id, year), members) in &groups {
        let k = members.len() as i64;
        let last: i64 = sqlx::query(
            "INSERT INTO submission_counters (body_id, year, last) VALUES ($1, $2, $3) \
             ON CONFLICT (body_id, year) DO UPDATE SET last = submission_counters.last + $3 RETURNING last",
        )
        .bind(body_id)
        .bind(year)
        .bind(k)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        for (n, i) in members.iter().enumerate() {
            seqs[*i] = last - k + 1 + n as i64;
        }
    }
    let mut bodies: Vec<i64> = groups.iter().map(|((body_id, _), _)| *body_id).collect();
    bodies.sort_unstable();
    bodies.dedup();
    for body_id in bodies {
        crate::submissions::bump(tx, body_id).await?;
    }
    let mut ids = std::collections::HashMap::with_capacity(batch.len());
    let mut offset = 0;
    for chunk in kernel::db::pieces(batch) {
        let sql = format!(
            "INSERT INTO submissions (body_id, kind, year, seq, topic, text, author_name, email, phone, \
             postal_address, answer_by, identified_by, token_hash, registered_on, due_on, created_at, outlet, \
             confirm_hash, once_hash, respondent) VALUES {} RETURNING id, token_hash",
            placeholders(chunk.len(), 20)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (i, p) in chunk.iter().enumerate() {
            let new = &p.new;
            let email = new.sender.email.as_ref().map(|e| e.as_str().to_string());
            q = q
                .bind(new.body_id)
                .bind(new.kind.code())
                .bind(i64::from(p.registered_on.year()))
                .bind(seqs[offset + i])
                .bind(&new.topic)
                .bind(&new.text)
                .bind(&new.sender.author_name)
                .bind(email.clone().unwrap_or_default())
                .bind(&new.phone)
                .bind(&new.postal_address)
                .bind(new.answer_by)
                .bind(if email.is_some() { "email_unverified" } else { "none" })
                .bind(kernel::staff::sha256_hex(&p.token))
                .bind(p.registered_on.to_string())
                .bind(p.due_on.to_string())
                .bind(p.now)
                .bind(&new.outlet)
                .bind(if email.is_some() { kernel::staff::sha256_hex(&p.confirm) } else { String::new() })
                .bind(&p.once_hash)
                .bind(&new.respondent);
        }
        for r in q.fetch_all(&mut *tx).await? {
            ids.insert(r.try_get::<String, _>(1)?, r.try_get::<i64, _>(0)?);
        }
        offset += chunk.len();
    }
    let id_of = |p: &Pending| {
        ids.get(&kernel::staff::sha256_hex(&p.token))
            .copied()
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("a stored submission came back without its id")))
    };
    let ids: Vec<i64> = batch.iter().map(|p| id_of(p)).collect::<Result<_>>()?;
    let files: Vec<(i64, &Attachment, &(String, String))> = batch
        .iter()
        .zip(&ids)
        .flat_map(|(p, id)| p.new.attachments.iter().zip(&p.stored).map(move |(a, s)| (*id, a, s)))
        .collect();
    for chunk in kernel::db::pieces(&files) {
        let sql = format!(
            "INSERT INTO submission_files (submission_id, name, content_type, bytes, sha256, file_key) VALUES {}",
            placeholders(chunk.len(), 6)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (id, a, (key, sha)) in chunk {
            q = q.bind(id).bind(&a.name).bind(a.content_type).bind(a.bytes.len() as i64).bind(sha).bind(key);
        }
        q.execute(&mut *tx).await?;
    }
    let events: Vec<(i64, i64)> = ids.iter().zip(batch).map(|(id, p)| (*id, p.now)).collect();
    for chunk in kernel::db::pieces(&events) {
        let sql = format!(
            "INSERT INTO submission_events (submission_id, at, status) VALUES {}",
            placeholders(chunk.len(), 2).replace(')', ", 'registered')")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (id, at) in chunk {
            q = q.bind(id).bind(at);
        }
        q.execute(&mut *tx).await?;
    }
    let mut receipts = Vec::with_capacity(batch.len());
    let mut mails = Vec::new();
    for ((p, id), seq) in batch.iter().zip(&ids).zip(&seqs) {
        let number = number(*seq, i64::from(p.registered_on.year()));
        if let Some(mail) = acknowledgement(p, &number)? {
            mails.push((format!("submission:{id}:registered"), mail));
        }
        receipts.push(Receipt { id: *id, number, token: p.token.clone() });
    }
    let now = batch.iter().map(|p| p.now).max().unwrap_or_default();
    outbox::enqueue_emails(&mut *tx, now, &mails).await?;
    Ok(receipts)
}

/// The acknowledgement e-mail (seed 000 §17), for an applicant who gave an address.
fn acknowledgement(p: &Pending, number: &str) -> Result<Option<OutgoingEmail>> {
    let new = &p.new;
    let Some(email) = new.sender.email.as_ref() else { return Ok(None) };
    let track = format!("{}/appeals/track/{}", p.base, p.token);
    let confirm = format!("{}/appeals/confirm/{}", p.base, p.confirm);
    let letter = crate::mail::Acknowledgement {
        name: &new.sender.author_name,
        what: match new.kind {
            Kind::Appeal => "Ваше обращение",
            Kind::InfoRequest => "Ваш запрос информации",
            Kind::MediaRequest => "Запрос редакции",
            Kind::Complaint => "Ваша жалоба",
            Kind::CorruptionReport => "Ваше сообщение о коррупции",
        },
        body: &p.body_name,
        registered: p.registered_on.strftime("%d.%m.%Y").to_string(),
        number,
        topic: &new.topic,
        due: p.due_on.strftime("%d.%m.%Y").to_string(),
        track: &track,
        confirm: &confirm,
    };
    Ok(Some(crate::mail::Letter::to(&letter, email.as_str())?))
}

/// Deletes attachments no submission refers to — left by a submission whose commit failed, or by
/// a form sent again — once they are older than `grace_ms` (a submission in flight has its files
/// written just before its commit). Returns how many were deleted.
pub async fn sweep_files(db: &Db, storage: &Storage, now: i64, grace_ms: i64) -> Result<usize> {
    let named = kernel::sweep::Named {
        folder: "appeals",
        table: "submission_files",
        column: "file_key",
        name_of: str::to_string,
    };
    kernel::sweep::sweep(db, storage, &named, now, grace_ms).await
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
