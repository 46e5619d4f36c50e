//! The site's content in the database: each thing a body publishes and every version of it,
//! only ever added to; withdrawing keeps them all and says why. Every change is audited, and a
//! thing that publishes a catalogue item records that publication in the same transaction, so
//! the item's freshness follows the content.

use kernel::audit::{self, Actor, Change};
use kernel::{Db, Error, Result};
use sqlx::Row;

use crate::content::{Fields, Kind};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A thing a body publishes, with its version in force.
#[derive(Clone, Debug)]
pub struct Content {
    pub id: i64,
    pub body_id: i64,
    pub kind: Kind,
    /// The catalogue item it publishes ('' for none).
    pub code: String,
    pub version: i64,
    pub published_at: i64,
    pub changed_at: i64,
    pub withdrawn_at: Option<i64>,
    pub withdrawn_reason: String,
    pub current: Version,
}

impl Content {
    pub fn path(&self, slug: &str) -> String {
        format!("/o/{slug}/{}/{}", self.kind.folder(), self.id)
    }

    pub fn withdrawn(&self) -> bool {
        self.withdrawn_at.is_some()
    }
}

/// One version of a thing.
#[derive(Clone, Debug)]
pub struct Version {
    pub version: i64,
    pub fields: Fields,
    /// The text as safe HTML, made when the version was saved.
    pub html: String,
    pub created_at: i64,
    /// The document's file, if it has one.
    pub file: Option<File>,
    /// The photo, if it has one (what it shows is `fields.image_alt`).
    pub image: Option<Image>,
}

/// A published photo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    pub id: i64,
    pub sha256: String,
    pub width: i64,
    pub height: i64,
}

impl Image {
    pub fn key(&self) -> String {
        image_key(&self.sha256)
    }
}

fn image_key(sha256: &str) -> String {
    format!("site/images/{sha256}.jpg")
}

fn image_of(r: &sqlx::any::AnyRow) -> Result<Option<Image>> {
    let Some(id) = r.try_get::<Option<i64>, _>("image_id")? else { return Ok(None) };
    Ok(Some(Image {
        id,
        sha256: r.try_get("image_sha256")?,
        width: r.try_get("image_width")?,
        height: r.try_get("image_height")?,
    }))
}

/// A document's file as stored (its text is read apart: [`file_text`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub id: i64,
    pub name: String,
    pub format: office::Format,
    pub size: i64,
    pub sha256: String,
}

impl File {
    pub fn key(&self) -> String {
        storage_key(&self.sha256)
    }

    /// Its size for people: «45 КБ», «1,2 МБ» (in English «45 KB», «1.2 MB»).
    pub fn size_text(&self, lang: shell::i18n::Lang) -> String {
        let ru = lang == shell::i18n::Lang::Ru;
        if self.size < 1024 * 1024 {
            format!("{} {}", (self.size + 1023) / 1024, if ru { "КБ" } else { "KB" })
        } else {
            let mb = format!("{:.1}", self.size as f64 / 1_048_576.0);
            if ru { format!("{} МБ", mb.replace('.', ",")) } else { format!("{mb} MB") }
        }
    }
}

fn storage_key(sha256: &str) -> String {
    format!("site/files/{sha256}")
}

const COLUMNS: &str = "c.id, c.body_id, c.kind, c.code, c.version, c.published_at, c.changed_at, c.withdrawn_at, \
     c.withdrawn_reason, v.title, v.lead, v.body, v.html, v.act_kind, v.act_number, v.act_date, v.note, v.video, v.created_at, \
     f.id AS file_id, f.name AS file_name, f.format AS file_format, f.size AS file_size, f.sha256 AS file_sha256, \
     v.image_alt, i.id AS image_id, i.sha256 AS image_sha256, i.width AS image_width, i.height AS image_height";

/// The tables a thing's version in force is read from.
const FROM: &str = "site_content c JOIN site_content_versions v ON v.content_id = c.id AND v.version = c.version \
     LEFT JOIN site_files f ON f.id = v.file_id LEFT JOIN site_images i ON i.id = v.image_id";

fn file_of(r: &sqlx::any::AnyRow) -> Result<Option<File>> {
    let Some(id) = r.try_get::<Option<i64>, _>("file_id")? else { return Ok(None) };
    let format: String = r.try_get("file_format")?;
    Ok(Some(File {
        id,
        name: r.try_get("file_name")?,
        format: office::Format::parse(&format)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown file format {format}")))?,
        size: r.try_get("file_size")?,
        sha256: r.try_get("file_sha256")?,
    }))
}

fn version_of(r: &sqlx::any::AnyRow, number: i64) -> Result<Version> {
    Ok(Version {
        html: r.try_get("html")?,
        file: file_of(r)?,
        image: image_of(r)?,
        version: number,
        fields: Fields {
            title: r.try_get("title")?,
            lead: r.try_get("lead")?,
            text: r.try_get("body")?,
            act_kind: r.try_get("act_kind")?,
            act_number: r.try_get("act_number")?,
            act_date: r.try_get("act_date")?,
            image_alt: r.try_get("image_alt")?,
            item: String::new(),
            note: r.try_get("note")?,
            video: r.try_get("video")?,
        },
        created_at: r.try_get("created_at")?,
    })
}

fn content_of(r: &sqlx::any::AnyRow) -> Result<Content> {
    let kind: String = r.try_get("kind")?;
    let version: i64 = r.try_get("version")?;
    let code: String = r.try_get("code")?;
    let mut current = version_of(r, version)?;
    current.fields.item = code.clone();
    Ok(Content {
        id: r.try_get("id")?,
        body_id: r.try_get("body_id")?,
        kind: Kind::parse(&kind).ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown content kind {kind}")))?,
        code,
        version,
        published_at: r.try_get("published_at")?,
        changed_at: r.try_get("changed_at")?,
        withdrawn_at: r.try_get("withdrawn_at")?,
        withdrawn_reason: r.try_get("withdrawn_reason")?,
        current,
    })
}

/// The thing `id` of the body, if it is the body's.
pub async fn get(db: &Db, body_id: i64, id: i64) -> Result<Option<Content>> {
    Ok(by_id(db, id).await?.filter(|c| c.body_id == body_id))
}

/// A thing of any body.
pub async fn by_id(db: &Db, id: i64) -> Result<Option<Content>> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE c.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&db.pool).await?;
    row.as_ref().map(content_of).transpose()
}

/// Which things a list shows.
#[derive(Clone, Copy, Debug)]
pub struct Listing {
    pub kind: Option<Kind>,
    pub withdrawn: bool,
    pub offset: i64,
    pub limit: i64,
}

/// The body's things of a kind (or all), newest published first (the leadership in the order it
/// was entered), and how many there are.
pub async fn list(db: &Db, body_id: i64, l: Listing) -> Result<(Vec<Content>, i64)> {
    let kind = l.kind.map_or("", |k| k.code());
    let filter = "c.body_id = $1 AND ($2 = '' OR c.kind = $2) AND ($3 = 1 OR c.withdrawn_at IS NULL)";
    // The leadership in the order it was entered (the head first), everything else newest first.
    let order = if l.kind == Some(Kind::Leader) { "c.published_at, c.id" } else { "c.published_at DESC, c.id DESC" };
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE {filter} ORDER BY {order} LIMIT $4 OFFSET $5");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(body_id)
        .bind(kind)
        .bind(i64::from(l.withdrawn))
        .bind(l.limit)
        .bind(l.offset)
        .fetch_all(&db.pool)
        .await?;
    let total: i64 =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM site_content c WHERE {filter}")))
            .bind(body_id)
            .bind(kind)
            .bind(i64::from(l.withdrawn))
            .fetch_one(&db.pool)
            .await?;
    Ok((rows.iter().map(content_of).collect::<Result<_>>()?, total))
}

/// Every version of a thing, oldest first.
pub async fn versions(db: &Db, id: i64) -> Result<Vec<Version>> {
    let rows = sqlx::query(
        "SELECT v.version, v.title, v.lead, v.body, v.html, v.act_kind, v.act_number, v.act_date, v.note, v.video, v.created_at, \
         f.id AS file_id, f.name AS file_name, f.format AS file_format, f.size AS file_size, f.sha256 AS file_sha256, \
         v.image_alt, i.id AS image_id, i.sha256 AS image_sha256, i.width AS image_width, i.height AS image_height \
         FROM site_content_versions v LEFT JOIN site_files f ON f.id = v.file_id \
         LEFT JOIN site_images i ON i.id = v.image_id WHERE v.content_id = $1 ORDER BY v.version",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| version_of(r, r.try_get("version")?)).collect()
}

/// The catalogue item `code` if it applies to the body ('' is none); an error names the field.
async fn catalogue_item(db: &Db, body_id: i64, code: &str) -> Result<Option<crate::catalogue::Item>> {
    if code.is_empty() {
        return Ok(None);
    }
    let kind = crate::store::body_kind(db, body_id).await?;
    let items = crate::store::catalogue(db).await?;
    match items.into_iter().find(|i| i.code == code && i.applies(&kind)) {
        Some(item) => Ok(Some(item)),
        None => Err(Error::Form(vec![("item", "выберите пункт каталога из списка".into())])),
    }
}

/// A version's number and its file, to insert.
#[derive(Clone, Copy)]
struct Numbered {
    version: i64,
    file_id: Option<i64>,
    image_id: Option<i64>,
}

async fn insert_version(tx: &mut Tx, actor: &Actor, now: i64, id: i64, n: Numbered, f: &Fields) -> Result<()> {
    sqlx::query(
        "INSERT INTO site_content_versions (content_id, version, title, lead, body, html, act_kind, act_number, act_date, \
         note, file_id, image_id, image_alt, user_id, created_at, video) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(id)
    .bind(n.version)
    .bind(&f.title)
    .bind(&f.lead)
    .bind(&f.text)
    .bind(crate::content::html(&f.text))
    .bind(&f.act_kind)
    .bind(&f.act_number)
    .bind(&f.act_date)
    .bind(&f.note)
    .bind(n.file_id)
    .bind(n.image_id)
    .bind(&f.image_alt)
    .bind(actor.user_id)
    .bind(now)
    .bind(&f.video)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The publication of a catalogue item at `url` today, recorded with the content's change.
pub(crate) async fn record_publication(
    tx: &mut Tx,
    actor: &Actor,
    now: i64,
    today: deadlines::Date,
    body_id: i64,
    code: &str,
    url: &str,
) -> Result<()> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO site_item_records (body_id, code, action, url, published_on, user_id, created_at) \
         VALUES ($1, $2, 'published', $3, $4, $5, $6) RETURNING id",
    )
    .bind(body_id)
    .bind(code)
    .bind(url)
    .bind(today.to_string())
    .bind(actor.user_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let change = Change {
        action: "create",
        object_type: "site_item_record",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: None,
        after: Some(serde_json::json!({
            "code": code, "action": "published", "url": url, "published_on": today.to_string(),
        })),
    };
    audit::record(tx, actor, now, change).await
}

/// A file as an editor sent it.
pub use shell::forms::Upload;

/// An upload checked and read: what it is, its text and its digest.
pub struct Prepared {
    name: String,
    format: office::Format,
    sha256: String,
    text: String,
    bytes: bytes::Bytes,
}

/// A file's name as kept: its last path component, without control characters, 200 at most.
fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim();
    if clean.chars().count() <= 200 {
        return clean.to_string();
    }
    // Keep the extension: it says what the file is.
    let ext = clean.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    let head: String = clean.chars().take(190).collect();
    format!("{head}….{ext}")
}

/// Checks an upload is the document it says it is and reads its text (off the async workers:
/// a long PDF takes a while). An error names the `file` field.
pub async fn prepare(upload: Upload) -> Result<Prepared> {
    let name = clean_name(&upload.name);
    let bytes = upload.bytes;
    let refuse = |e: office::Error| Error::Form(vec![("file", format!("«{name}»: {e}"))]);
    let format = office::sniff(&name, &bytes).map_err(refuse)?;
    let read = bytes.clone();
    let text = tokio::task::spawn_blocking(move || office::text(format, &read))
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("reading a document's text stopped: {e}")))?
        .map_err(refuse)?;
    use sha2::Digest;
    let sha256 = hex::encode(sha2::Sha256::digest(&bytes));
    Ok(Prepared { name, format, sha256, text, bytes })
}

/// Deletes documents' files and photos no record names — left by a save whose commit failed after
/// its file was written — once they are older than `grace_ms`; how many. The files of earlier
/// versions are named by their records and stay: they are the archive.
pub async fn sweep_files(db: &Db, storage: &kernel::storage::Storage, now: i64, grace_ms: i64) -> Result<usize> {
    use kernel::sweep::{Named, file_stem, sweep};
    let files = Named { folder: "site/files", table: "site_files", column: "sha256", name_of: file_stem };
    let images = Named { folder: "site/images", table: "site_images", column: "sha256", name_of: file_stem };
    Ok(sweep(db, storage, &files, now, grace_ms).await? + sweep(db, storage, &images, now, grace_ms).await?)
}

/// Stores a prepared file's bytes (once per content) and its record; returns the record's id.
async fn store_file(
    tx: &mut Tx,
    storage: &kernel::storage::Storage,
    actor: &Actor,
    now: i64,
    body_id: i64,
    p: &Prepared,
) -> Result<i64> {
    storage.put(&storage_key(&p.sha256), p.bytes.clone()).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO site_files (body_id, name, format, size, sha256, text, html, user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(body_id)
    .bind(&p.name)
    .bind(p.format.extension())
    .bind(p.bytes.len() as i64)
    .bind(&p.sha256)
    .bind(&p.text)
    .bind(crate::content::file_html(&p.text))
    .bind(actor.user_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// The text read from a file.
pub async fn file_text(db: &Db, file_id: i64) -> Result<String> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT text FROM site_files WHERE id = $1").bind(file_id).fetch_optional(&db.pool).await?;
    Ok(text.unwrap_or_default())
}

/// A file's text as the page shows it, made when it was uploaded.
pub async fn file_html(db: &Db, file_id: i64) -> Result<String> {
    let html: Option<String> =
        sqlx::query_scalar("SELECT html FROM site_files WHERE id = $1").bind(file_id).fetch_optional(&db.pool).await?;
    Ok(html.unwrap_or_default())
}

/// A version's lines for comparing, with its file's name and text.
pub async fn lines(db: &Db, v: &Version) -> Result<String> {
    let mut out = v.fields.lines();
    if let Some(f) = &v.file {
        out.push_str(&format!("\nФайл: {}\n\n", f.name));
        out.push_str(&file_text(db, f.id).await?);
    }
    Ok(out)
}

/// Where a thing is published, to record with a catalogue item.
pub struct Place<'a> {
    pub slug: &'a str,
    pub today: deadlines::Date,
}

/// A photo checked and made ready (off the async workers).
pub struct PreparedPicture {
    sha256: String,
    picture: office::picture::Picture,
}

async fn prepare_picture(upload: Upload) -> Result<PreparedPicture> {
    let bytes = upload.bytes;
    let picture = tokio::task::spawn_blocking(move || office::picture::prepare(&bytes))
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("preparing a photo stopped: {e}")))?
        .map_err(|e| Error::Form(vec![("image", e.to_string())]))?;
    use sha2::Digest;
    let sha256 = hex::encode(sha2::Sha256::digest(&picture.jpeg));
    Ok(PreparedPicture { sha256, picture })
}

async fn store_image(
    tx: &mut Tx,
    storage: &kernel::storage::Storage,
    actor: &Actor,
    now: i64,
    body_id: i64,
    p: &PreparedPicture,
) -> Result<i64> {
    storage.put(&image_key(&p.sha256), bytes::Bytes::from(p.picture.jpeg.clone())).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO site_images (body_id, sha256, width, height, size, user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(body_id)
    .bind(&p.sha256)
    .bind(i64::from(p.picture.width))
    .bind(i64::from(p.picture.height))
    .bind(p.picture.jpeg.len() as i64)
    .bind(actor.user_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// What a version had before a change: a file, a photo.
#[derive(Clone, Copy, Default)]
struct Had {
    file: bool,
    image: bool,
}

/// A change checked whole: its fields, and the file and photo sent with it, ready to store.
struct Checked {
    fields: Fields,
    file: Option<Prepared>,
    picture: Option<PreparedPicture>,
}

/// The fields checked with the file and photo sent (a file goes with documents, a photo with
/// news and announcements), every problem at once: a document needs its file or its text, a
/// photo what it shows.
async fn checked(kind: Kind, sent: Sent<'_>, had: Had) -> Result<Checked> {
    let f = sent.fields;
    let (mut errors, fields) = match f.checked(kind) {
        Ok(fields) => (vec![], Some(fields)),
        Err(errors) => (errors, None),
    };
    let mut file = None;
    match sent.upload.filter(|_| kind == Kind::Document) {
        Some(u) => match prepare(u).await {
            Ok(p) => file = Some(p),
            Err(Error::Form(e)) => errors.extend(e),
            Err(other) => return Err(other),
        },
        None if kind == Kind::Document && !had.file && f.text.trim().is_empty() => {
            errors.push(("file", "приложите файл документа или введите его текст".into()));
        }
        None => {}
    }
    let mut picture = None;
    let sent_picture = sent.picture.filter(|_| kind.has_picture());
    let with_picture = had.image || sent_picture.is_some();
    if let Some(u) = sent_picture {
        match prepare_picture(u).await {
            Ok(p) => picture = Some(p),
            Err(Error::Form(e)) => errors.extend(e),
            Err(other) => return Err(other),
        }
    }
    if with_picture && f.image_alt.trim().is_empty() {
        errors.push(("image_alt", "опишите, что на изображении: для тех, кто его не видит".into()));
    }
    match fields {
        Some(fields) if errors.is_empty() => Ok(Checked { fields, file, picture }),
        _ => Err(Error::Form(errors)),
    }
}

/// What an editor sends: the fields, and the file and photo with them if any.
pub struct Sent<'a> {
    pub fields: &'a Fields,
    pub upload: Option<Upload>,
    pub picture: Option<Upload>,
}

/// Publishes a new thing of `kind` as its version 1.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    db: &Db,
    storage: &kernel::storage::Storage,
    actor: &Actor,
    now: i64,
    place: &Place<'_>,
    body_id: i64,
    kind: Kind,
    sent: Sent<'_>,
) -> Result<i64> {
    let Checked { fields: f, file: prepared, picture } = checked(kind, sent, Had::default()).await?;
    let item = catalogue_item(db, body_id, &f.item).await?;
    let mut tx = db.begin().await?;
    let file_id = match &prepared {
        Some(p) => Some(store_file(&mut tx, storage, actor, now, body_id, p).await?),
        None => None,
    };
    let image_id = match &picture {
        Some(p) => Some(store_image(&mut tx, storage, actor, now, body_id, p).await?),
        None => None,
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO site_content (body_id, kind, code, version, published_at, changed_at) \
         VALUES ($1, $2, $3, 1, $4, $4) RETURNING id",
    )
    .bind(body_id)
    .bind(kind.code())
    .bind(&f.item)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    insert_version(&mut tx, actor, now, id, Numbered { version: 1, file_id, image_id }, &f).await?;
    crate::kept::bump(&mut tx, id).await?;
    let path = format!("/o/{}/{}/{id}", place.slug, kind.folder());
    if let Some(item) = item {
        record_publication(&mut tx, actor, now, place.today, body_id, &item.code, &path).await?;
    }
    let change = Change {
        action: "create",
        object_type: "site_content",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: None,
        after: Some(serde_json::json!({
            "kind": kind.code(), "version": 1, "title": f.title, "item": f.item,
            "file": prepared.as_ref().map(|p| serde_json::json!({ "name": p.name, "sha256": p.sha256 })),
        })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    crate::searched::changed(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Makes a new version of a thing (keeping its file unless a new one is sent); refused when
/// nothing changed. Returns its number.
#[allow(clippy::too_many_arguments)]
pub async fn update(
    db: &Db,
    storage: &kernel::storage::Storage,
    actor: &Actor,
    now: i64,
    place: &Place<'_>,
    body_id: i64,
    id: i64,
    sent: Sent<'_>,
) -> Result<i64> {
    let before = get(db, body_id, id).await?.ok_or(Error::NotFound("материал"))?;
    let old_file = before.current.file.clone();
    let old_image = before.current.image.clone();
    let had = Had { file: old_file.is_some(), image: old_image.is_some() };
    let Checked { fields: f, file: prepared, picture } = checked(before.kind, sent, had).await?;
    let same_file = match (&prepared, &old_file) {
        (None, _) => true,
        (Some(p), Some(o)) => p.sha256 == o.sha256 && p.name == o.name,
        (Some(_), None) => false,
    };
    let same_image = match (&picture, &old_image) {
        (None, _) => true,
        (Some(p), Some(o)) => p.sha256 == o.sha256,
        (Some(_), None) => false,
    };
    let mut old = before.current.fields.clone();
    old.note = f.note.clone();
    if old == f && same_file && same_image {
        return Err(Error::invalid("note", "ничего не изменилось: новая версия не нужна"));
    }
    let item = catalogue_item(db, body_id, &f.item).await?;
    let version = before.version + 1;
    let mut tx = db.begin().await?;
    // The version in force moves only from the one this edit started from.
    let moved =
        sqlx::query("UPDATE site_content SET version = $1, changed_at = $2, code = $3 WHERE id = $4 AND version = $5")
            .bind(version)
            .bind(now)
            .bind(&f.item)
            .bind(id)
            .bind(before.version)
            .execute(&mut *tx)
            .await?;
    if moved.rows_affected() != 1 {
        return Err(Error::Conflict {
            field: "note",
            message: "материал изменили одновременно с вами: откройте его заново".into(),
        });
    }
    let file_id = match &prepared {
        Some(p) if !same_file => Some(store_file(&mut tx, storage, actor, now, body_id, p).await?),
        _ => old_file.as_ref().map(|f| f.id),
    };
    let image_id = match &picture {
        Some(p) if !same_image => Some(store_image(&mut tx, storage, actor, now, body_id, p).await?),
        _ => old_image.as_ref().map(|i| i.id),
    };
    insert_version(&mut tx, actor, now, id, Numbered { version, file_id, image_id }, &f).await?;
    crate::kept::bump(&mut tx, id).await?;
    if let Some(item) = item {
        record_publication(&mut tx, actor, now, place.today, body_id, &item.code, &before.path(place.slug)).await?;
    }
    let change = Change::update(
        "site_content",
        id,
        Some(body_id),
        serde_json::json!({ "version": before.version, "title": before.current.fields.title, "item": before.code }),
        serde_json::json!({
            "version": version, "title": f.title, "item": f.item, "note": f.note,
            "file": prepared.as_ref().filter(|_| !same_file).map(|p| serde_json::json!({ "name": p.name, "sha256": p.sha256 })),
        }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    crate::searched::changed(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(version)
}

/// Withdraws a thing from publication (it stays in the archive), or with `reason` None returns
/// it. A reason is required to withdraw.
pub async fn withdraw(db: &Db, actor: &Actor, now: i64, body_id: i64, id: i64, reason: Option<&str>) -> Result<()> {
    let before = get(db, body_id, id).await?.ok_or(Error::NotFound("материал"))?;
    let reason = reason.map(str::trim);
    match reason {
        Some("") => return Err(Error::invalid("reason", "укажите, почему материал снимается с публикации")),
        Some(r) if r.chars().count() > 1000 => {
            return Err(Error::invalid("reason", "причина — не длиннее 1000 знаков"));
        }
        _ => {}
    }
    if reason.is_some() == before.withdrawn() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE site_content SET withdrawn_at = $1, withdrawn_reason = $2 WHERE id = $3")
        .bind(reason.map(|_| now))
        .bind(reason.unwrap_or(""))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    crate::kept::bump(&mut tx, id).await?;
    let change = Change {
        action: if reason.is_some() { "withdraw" } else { "restore" },
        object_type: "site_content",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: Some(serde_json::json!({ "withdrawn_reason": before.withdrawn_reason })),
        after: Some(serde_json::json!({ "withdrawn_reason": reason.unwrap_or("") })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    crate::searched::changed(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(())
}
