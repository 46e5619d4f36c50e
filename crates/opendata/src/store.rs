//! Datasets in the database. A dataset has a passport (editable), structure versions and data
//! versions. A new structure is a new structure version; a new upload is validated against the
//! current structure and, only when it passes whole, stored as a new data version under its own
//! timestamp. Nothing published is overwritten or deleted. Every staff change is audited.

use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use kernel::{Db, storage::Storage};
use opendata_format::registry::{Stamp, identifier_problem};
use opendata_format::{Report, Structure};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Dataset {
    pub id: i64,
    pub body_id: i64,
    pub identifier: String,
    pub title: String,
    pub description: String,
    pub keywords: String,
    pub publisher_name: String,
    pub publisher_phone: String,
    pub publisher_mbox: String,
    /// How often it is updated, as a deadline phrase ("ежеквартально, до 25 числа последнего месяца квартала").
    pub schedule: String,
    pub licence: String,
    pub published: bool,
    pub first_published_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct StructureVersion {
    pub id: i64,
    pub stamp: String,
    pub structure: Structure,
    pub created_at: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DataVersion {
    pub id: i64,
    pub structure_id: i64,
    pub stamp: String,
    pub structure_stamp: String,
    pub provenance: String,
    pub valid_until: String,
    #[serde(skip)]
    pub file_key: String,
    pub bytes: i64,
    pub rows: i64,
    pub sha256: String,
    pub created_at: i64,
}

impl DataVersion {
    /// The file name the standard gives it.
    pub fn file_name(&self) -> String {
        format!("data-{}-structure-{}.csv", self.stamp, self.structure_stamp)
    }
}

/// The usual terms of use: free, for any purpose, with a link to the source.
pub const DEFAULT_LICENCE: &str = "Открытые данные можно свободно копировать, распространять, изменять и использовать, \
     в том числе в коммерческих целях, без ограничения срока и территории, при условии указания ссылки на источник.";

/// The same terms in English, for the interface in English (datasets keep the Russian ones).
pub const DEFAULT_LICENCE_EN: &str = "Open data may be freely copied, distributed, changed and used, commercially too, \
     without limits of time or territory, provided the source is credited.";

const COLUMNS: &str = "id, body_id, identifier, title, description, keywords, publisher_name, publisher_phone, \
                       publisher_mbox, schedule, licence, published, first_published_at, created_at, updated_at";

fn from_row(r: &AnyRow) -> Result<Dataset> {
    let published: i64 = r.try_get("published")?;
    Ok(Dataset {
        id: r.try_get("id")?,
        body_id: r.try_get("body_id")?,
        identifier: r.try_get("identifier")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        keywords: r.try_get("keywords")?,
        publisher_name: r.try_get("publisher_name")?,
        publisher_phone: r.try_get("publisher_phone")?,
        publisher_mbox: r.try_get("publisher_mbox")?,
        schedule: r.try_get("schedule")?,
        licence: r.try_get("licence")?,
        published: published != 0,
        first_published_at: r.try_get("first_published_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// The passport as the staff form sends it, unchecked.
#[derive(Clone, Debug, Default, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct PassportForm {
    /// The Latin name part of the identifier (only when creating).
    pub name: String,
    pub title: String,
    pub description: String,
    pub keywords: String,
    pub publisher_name: String,
    pub publisher_phone: String,
    pub publisher_mbox: String,
    pub schedule: String,
    pub licence: String,
}

/// Checks a passport; all problems at once. `inn` is the body's, for a new identifier.
pub fn validate_passport(f: &PassportForm, inn: Option<&str>) -> Result<PassportForm> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let t = |s: &str| s.trim().to_string();
    let out = PassportForm {
        name: t(&f.name),
        title: t(&f.title),
        description: t(&f.description),
        keywords: f.keywords.split(',').map(str::trim).filter(|k| !k.is_empty()).collect::<Vec<_>>().join(","),
        publisher_name: t(&f.publisher_name),
        publisher_phone: f.publisher_phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect(),
        publisher_mbox: t(&f.publisher_mbox).to_lowercase(),
        schedule: t(&f.schedule),
        licence: if f.licence.trim().is_empty() { DEFAULT_LICENCE.to_string() } else { t(&f.licence) },
    };
    if let Some(inn) = inn {
        match kernel::ids::Inn::parse(inn) {
            Err(_) => errors.push(("name", "у органа не указан верный ИНН: он начинает идентификатор набора".into())),
            Ok(_) => {
                if let Some(p) = identifier_problem(&format!("{inn}-{}", out.name)) {
                    errors.push(("name", p));
                }
            }
        }
    }
    for (field, value, label, max) in [
        ("title", &out.title, "наименование", 500),
        ("description", &out.description, "описание", 5000),
        ("publisher_name", &out.publisher_name, "ответственное лицо", 300),
    ] {
        if value.is_empty() {
            errors.push((field, format!("укажите {label}")));
        } else if value.chars().count() > max {
            errors.push((field, format!("{label} — не длиннее {max} символов")));
        }
    }
    let digits = out.publisher_phone.chars().filter(char::is_ascii_digit).count();
    if !(10..=15).contains(&digits) {
        errors.push(("publisher_phone", "телефон с кодом страны и города: например, +7 3822 00-00-00".into()));
    }
    if let Err(e) = kernel::ids::Email::parse("publisher_mbox", &out.publisher_mbox) {
        errors.push(("publisher_mbox", e.to_string()));
    }
    if !out.schedule.is_empty()
        && let Err(e) = deadlines::parse(&out.schedule)
    {
        errors.push(("schedule", format!("периодичность не распознана: {}", e.reason)));
    }
    if errors.is_empty() { Ok(out) } else { Err(Error::Form(errors)) }
}

/// Creates a dataset (a draft, unpublished) with its first structure. Returns its id.
pub async fn create(
    db: &Db,
    actor: &Actor,
    now: i64,
    stamp: Stamp,
    body: &kernel::bodies::Body,
    p: &PassportForm,
    structure: &Structure,
) -> Result<i64> {
    let problems = structure.problems();
    if !problems.is_empty() {
        let list = problems.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("; ");
        return Err(Error::invalid("structure", list));
    }
    let identifier = format!("{}-{}", body.inn, p.name);
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO datasets (body_id, identifier, title, description, keywords, publisher_name, publisher_phone, \
         publisher_mbox, schedule, licence, published, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $11) RETURNING id",
    )
    .bind(body.id)
    .bind(&identifier)
    .bind(&p.title)
    .bind(&p.description)
    .bind(&p.keywords)
    .bind(&p.publisher_name)
    .bind(&p.publisher_phone)
    .bind(&p.publisher_mbox)
    .bind(&p.schedule)
    .bind(&p.licence)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(kernel::error::on_unique("name", &format!("набор {identifier} уже есть")))?
    .try_get(0)?;
    insert_structure(&mut tx, id, stamp, structure, now).await?;
    let change = Change {
        action: "create",
        object_type: "dataset",
        object_id: id.to_string(),
        body_id: Some(body.id),
        before: None,
        after: Some(serde_json::json!({ "passport": p, "structure": structure })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert_structure(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    dataset_id: i64,
    stamp: Stamp,
    structure: &Structure,
    now: i64,
) -> Result<i64> {
    let fields = serde_json::to_string(structure).map_err(|e| Error::Internal(e.into()))?;
    let id: i64 = sqlx::query(
        "INSERT INTO dataset_structures (dataset_id, stamp, fields, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(dataset_id)
    .bind(stamp.to_string())
    .bind(fields)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(id)
}

pub async fn for_body(db: &Db, body_id: i64) -> Result<Vec<Dataset>> {
    db.rows_by(format!("SELECT {COLUMNS} FROM datasets WHERE body_id = $1 ORDER BY title, id"), body_id, from_row).await
}

/// Every published dataset of the portal, by title.
pub async fn published(db: &Db) -> Result<Vec<Dataset>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM datasets WHERE published = 1 ORDER BY title, id"
    )))
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn by_identifier(db: &Db, identifier: &str) -> Result<Option<Dataset>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM datasets WHERE identifier = $1")))
        .bind(identifier)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Dataset>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM datasets WHERE id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Structure versions, oldest first.
pub async fn structures(db: &Db, dataset_id: i64) -> Result<Vec<StructureVersion>> {
    let rows = sqlx::query(
        "SELECT id, stamp, fields, created_at FROM dataset_structures WHERE dataset_id = $1 ORDER BY stamp",
    )
    .bind(dataset_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let fields: String = r.try_get("fields")?;
            Ok(StructureVersion {
                id: r.try_get("id")?,
                stamp: r.try_get("stamp")?,
                structure: serde_json::from_str(&fields).map_err(|e| Error::Internal(e.into()))?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Data versions, oldest first.
pub async fn versions(db: &Db, dataset_id: i64) -> Result<Vec<DataVersion>> {
    let sql = format!("SELECT {VERSION_COLUMNS} {VERSION_FROM} WHERE v.dataset_id = $1 ORDER BY v.stamp");
    db.rows_by(sql, dataset_id, version_from_row).await
}

/// A data version's columns, with its structure's stamp, for [`version_from_row`].
pub(crate) const VERSION_COLUMNS: &str = "v.id, v.structure_id, v.stamp, s.stamp AS structure_stamp, v.provenance, \
                                          v.valid_until, v.file_key, v.bytes, v.rows, v.sha256, v.created_at";
pub(crate) const VERSION_FROM: &str = "FROM dataset_versions v JOIN dataset_structures s ON s.id = v.structure_id";

pub(crate) fn version_from_row(r: &AnyRow) -> Result<DataVersion> {
    Ok(DataVersion {
        id: r.try_get("id")?,
        structure_id: r.try_get("structure_id")?,
        stamp: r.try_get("stamp")?,
        structure_stamp: r.try_get("structure_stamp")?,
        provenance: r.try_get("provenance")?,
        valid_until: r.try_get("valid_until")?,
        file_key: r.try_get("file_key")?,
        bytes: r.try_get("bytes")?,
        rows: r.try_get("rows")?,
        sha256: r.try_get("sha256")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A stamp for `now` that comes after every existing one, so a file name is never reused.
pub fn next_stamp(now: Stamp, taken: &[String]) -> Stamp {
    let newest = taken.iter().filter_map(|s| Stamp::parse(s)).max();
    match newest {
        Some(n) if n >= now => n.next_minute(),
        _ => now,
    }
}

/// A data upload as the staff form or the API sends it.
pub struct Upload<'a> {
    pub bytes: bytes::Bytes,
    pub provenance: &'a str,
    /// YYYY-MM-DD or empty.
    pub valid_until: &'a str,
    /// From an information system: the same key for the same dataset returns the version it
    /// already made.
    pub idempotency_key: Option<&'a str>,
}

/// Checks an upload, CSV or XML, against a structure. XML is checked against the structure's
/// XSD and, when valid, kept as the equivalent CSV (the XML of every version is written from it).
pub fn check_upload(structure: &Structure, bytes: &bytes::Bytes) -> Result<(Report, bytes::Bytes)> {
    if !opendata_format::xml::looks_like_xml(bytes) {
        let report = opendata_format::validate(structure, &bytes[..], 100, &mut |_| {})
            .map_err(|e| Error::Internal(e.into()))?;
        return Ok((report, bytes.clone()));
    }
    let names: Vec<&str> = structure.fields.iter().map(|f| f.name.as_str()).collect();
    let mut csv = opendata_format::csv::row(&names);
    let report = opendata_format::xml::validate(structure, &bytes[..], 100, &mut |_| {}, &mut |values| {
        let cells: Vec<&str> = values.iter().map(String::as_str).collect();
        csv.push_str(&opendata_format::csv::row(&cells));
    })
    .map_err(|e| Error::Internal(e.into()))?;
    Ok((report, bytes::Bytes::from(csv)))
}

/// Validates an upload against the current structure and, when it passes whole, stores it as a
/// new data version. The report comes back either way; the version id only when stored.
pub async fn add_version(
    db: &Db,
    storage: &Storage,
    actor: &Actor,
    now: i64,
    stamp: Stamp,
    dataset: &Dataset,
    upload: Upload<'_>,
) -> Result<(Report, Option<i64>)> {
    let valid_until = upload.valid_until.trim();
    if !valid_until.is_empty() && valid_until.parse::<deadlines::Date>().is_err() {
        return Err(Error::invalid("valid_until", format!("«{valid_until}» — не дата: укажите ГГГГ-ММ-ДД")));
    }
    let provenance = upload.provenance.trim();
    if provenance.chars().count() > 1000 {
        return Err(Error::invalid("provenance", "содержание изменения — не длиннее 1000 символов"));
    }
    if let Some(key) = upload.idempotency_key {
        let done = sqlx::query("SELECT id, rows FROM dataset_versions WHERE dataset_id = $1 AND idempotency_key = $2")
            .bind(dataset.id)
            .bind(key)
            .fetch_optional(&db.pool)
            .await?;
        if let Some(r) = done {
            let rows: i64 = r.try_get(1)?;
            let report = Report { rows: rows as u64, bytes: upload.bytes.len() as u64, ..Report::default() };
            return Ok((report, Some(r.try_get(0)?)));
        }
    }
    let current = structures(db, dataset.id).await?.pop().ok_or(Error::NotFound("структура набора"))?;
    let (report, bytes) = check_upload(&current.structure, &upload.bytes)?;
    if !report.valid() {
        return Ok((report, None));
    }
    let upload = Upload { bytes, ..upload };
    let taken: Vec<String> = versions(db, dataset.id).await?.into_iter().map(|v| v.stamp).collect();
    let stamp = next_stamp(stamp, &taken);
    let key = format!("opendata/{}/data-{stamp}-structure-{}.csv", dataset.identifier, current.stamp);
    storage.put(&key, upload.bytes.clone()).await.map_err(Error::Internal)?;
    let sha = kernel::staff::sha256_hex_bytes(&upload.bytes);
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO dataset_versions (dataset_id, structure_id, stamp, provenance, valid_until, file_key, bytes, rows, \
         sha256, user_id, created_at, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         RETURNING id",
    )
    .bind(dataset.id)
    .bind(current.id)
    .bind(stamp.to_string())
    .bind(provenance)
    .bind(valid_until)
    .bind(&key)
    .bind(upload.bytes.len() as i64)
    .bind(report.rows as i64)
    .bind(&sha)
    .bind(actor.user_id)
    .bind(now)
    .bind(upload.idempotency_key)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    sqlx::query("UPDATE datasets SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(dataset.id)
        .execute(&mut *tx)
        .await?;
    let change = Change {
        action: "create",
        object_type: "dataset_version",
        object_id: id.to_string(),
        body_id: Some(dataset.body_id),
        before: None,
        after: Some(serde_json::json!({
            "dataset": dataset.identifier, "stamp": stamp.to_string(), "rows": report.rows, "bytes": upload.bytes.len(),
            "sha256": sha, "provenance": provenance,
        })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    crate::searched::changed(&mut tx, dataset.id, now).await?;
    tx.commit().await?;
    Ok((report, Some(id)))
}

/// Publishes or withdraws a dataset. Withdrawing hides it from the registry; its files stay
/// stored and come back when it is published again. Publishing needs a data version.
pub async fn set_published(db: &Db, actor: &Actor, now: i64, dataset: &Dataset, published: bool) -> Result<()> {
    if published && versions(db, dataset.id).await?.is_empty() {
        return Err(Error::invalid("published", "сначала загрузите данные: публиковать пока нечего"));
    }
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE datasets SET published = $1, first_published_at = COALESCE(first_published_at, $2), updated_at = $3 \
         WHERE id = $4",
    )
    .bind(i64::from(published))
    .bind(if published { Some(now) } else { None })
    .bind(now)
    .bind(dataset.id)
    .execute(&mut *tx)
    .await?;
    let change = Change::update(
        "dataset",
        dataset.id,
        Some(dataset.body_id),
        serde_json::json!({ "published": dataset.published }),
        serde_json::json!({ "published": published }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    crate::searched::changed(&mut tx, dataset.id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Saves an edited passport (the identifier never changes). Audited with the fields before and after.
pub async fn update_passport(db: &Db, actor: &Actor, now: i64, before: &Dataset, p: &PassportForm) -> Result<bool> {
    let after = Dataset {
        title: p.title.clone(),
        description: p.description.clone(),
        keywords: p.keywords.clone(),
        publisher_name: p.publisher_name.clone(),
        publisher_phone: p.publisher_phone.clone(),
        publisher_mbox: p.publisher_mbox.clone(),
        schedule: p.schedule.clone(),
        licence: p.licence.clone(),
        ..before.clone()
    };
    if after == *before {
        return Ok(false);
    }
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE datasets SET title = $1, description = $2, keywords = $3, publisher_name = $4, publisher_phone = $5, \
         publisher_mbox = $6, schedule = $7, licence = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&after.title)
    .bind(&after.description)
    .bind(&after.keywords)
    .bind(&after.publisher_name)
    .bind(&after.publisher_phone)
    .bind(&after.publisher_mbox)
    .bind(&after.schedule)
    .bind(&after.licence)
    .bind(now)
    .bind(before.id)
    .execute(&mut *tx)
    .await?;
    let change = Change {
        action: "update",
        object_type: "dataset",
        object_id: before.id.to_string(),
        body_id: Some(before.body_id),
        before: audit::snapshot(before),
        after: audit::snapshot(&after),
    };
    audit::record(&mut tx, actor, now, change).await?;
    crate::searched::changed(&mut tx, before.id, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Makes `structure` the dataset's current structure: a new structure version when it differs
/// from the current one (the old one stays, with the data versions that follow it). Returns the
/// new version's id, or None when nothing changed.
pub async fn add_structure(
    db: &Db,
    actor: &Actor,
    now: i64,
    stamp: Stamp,
    dataset: &Dataset,
    structure: &Structure,
) -> Result<Option<i64>> {
    let problems = structure.problems();
    if !problems.is_empty() {
        let list = problems.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("; ");
        return Err(Error::invalid("structure", list));
    }
    let existing = structures(db, dataset.id).await?;
    if existing.last().is_some_and(|s| s.structure == *structure) {
        return Ok(None);
    }
    let taken: Vec<String> = existing.iter().map(|s| s.stamp.clone()).collect();
    let stamp = next_stamp(stamp, &taken);
    let mut tx = db.begin().await?;
    let id = insert_structure(&mut tx, dataset.id, stamp, structure, now).await?;
    let change = Change {
        action: "create",
        object_type: "dataset_structure",
        object_id: id.to_string(),
        body_id: Some(dataset.body_id),
        before: existing.last().and_then(|s| audit::snapshot(&s.structure)),
        after: audit::snapshot(structure),
    };
    audit::record(&mut tx, actor, now, change).await?;
    crate::searched::changed(&mut tx, dataset.id, now).await?;
    tx.commit().await?;
    Ok(Some(id))
}
