//! The portal (a region or a municipality) and its bodies in a hierarchy: a body may have a
//! parent, which makes it a subordinate organisation (seed 000 §8).

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Actor, Change};
use crate::db::Db;
use crate::error::{Error, Result, on_unique};
use crate::ids::{Email, Inn, Ogrn, Slug};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Portal {
    pub name: String,
    /// `region` or `municipality`.
    pub kind: String,
    pub email: String,
    pub phone: String,
    pub address: String,
}

pub async fn portal(db: &Db) -> Result<Option<Portal>> {
    let row = sqlx::query("SELECT name, kind, email, phone, address FROM portal WHERE id = 1")
        .fetch_optional(&db.pool)
        .await?;
    Ok(match row {
        Some(r) => Some(Portal {
            name: r.try_get("name")?,
            kind: r.try_get("kind")?,
            email: r.try_get("email")?,
            phone: r.try_get("phone")?,
            address: r.try_get("address")?,
        }),
        None => None,
    })
}

pub async fn save_portal(db: &Db, actor: &Actor, now: i64, p: &Portal) -> Result<()> {
    let before = portal(db).await?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO portal (id, name, kind, email, phone, address, created_at, updated_at) \
         VALUES (1, $1, $2, $3, $4, $5, $6, $6) \
         ON CONFLICT (id) DO UPDATE SET name = $1, kind = $2, email = $3, phone = $4, address = $5, updated_at = $6",
    )
    .bind(&p.name)
    .bind(&p.kind)
    .bind(&p.email)
    .bind(&p.phone)
    .bind(&p.address)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let action = if before.is_some() { "update" } else { "create" };
    let change = Change {
        action,
        object_type: "portal",
        object_id: "1".into(),
        body_id: None,
        before: before.as_ref().and_then(audit::snapshot),
        after: audit::snapshot(p),
    };
    crate::versions::bump(&mut tx, crate::versions::DIRECTORY).await?;
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Body {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub full_name: String,
    pub short_name: String,
    pub inn: String,
    pub ogrn: String,
    pub head_name: String,
    pub head_position: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub address: String,
    pub reception_hours: String,
    pub powers: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const BODY_COLUMNS: &str = "id, parent_id, slug, full_name, short_name, inn, ogrn, head_name, head_position, \
     phone, email, website, address, reception_hours, powers, created_at, updated_at";

fn body_from_row(r: &AnyRow) -> Result<Body> {
    Ok(Body {
        id: r.try_get("id")?,
        parent_id: r.try_get("parent_id")?,
        slug: r.try_get("slug")?,
        full_name: r.try_get("full_name")?,
        short_name: r.try_get("short_name")?,
        inn: r.try_get("inn")?,
        ogrn: r.try_get("ogrn")?,
        head_name: r.try_get("head_name")?,
        head_position: r.try_get("head_position")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        website: r.try_get("website")?,
        address: r.try_get("address")?,
        reception_hours: r.try_get("reception_hours")?,
        powers: r.try_get("powers")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// What a staff form sends for a body, as typed; `validate` turns it into a `BodyInput`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct BodyForm {
    pub slug: String,
    pub full_name: String,
    pub short_name: String,
    pub inn: String,
    pub ogrn: String,
    pub head_name: String,
    pub head_position: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub address: String,
    pub reception_hours: String,
    pub powers: String,
}

/// A body's fields, checked.
#[derive(Clone, Debug)]
pub struct BodyInput {
    pub slug: Slug,
    pub fields: BodyForm,
}

impl BodyForm {
    pub fn from_body(b: &Body) -> BodyForm {
        BodyForm {
            slug: b.slug.clone(),
            full_name: b.full_name.clone(),
            short_name: b.short_name.clone(),
            inn: b.inn.clone(),
            ogrn: b.ogrn.clone(),
            head_name: b.head_name.clone(),
            head_position: b.head_position.clone(),
            phone: b.phone.clone(),
            email: b.email.clone(),
            website: b.website.clone(),
            address: b.address.clone(),
            reception_hours: b.reception_hours.clone(),
            powers: b.powers.clone(),
        }
    }

    /// Checks every field and reports all problems at once.
    pub fn validate(&self) -> Result<BodyInput> {
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let mut f = self.clone();
        for v in [
            &mut f.full_name,
            &mut f.short_name,
            &mut f.inn,
            &mut f.ogrn,
            &mut f.head_name,
            &mut f.head_position,
            &mut f.phone,
            &mut f.email,
            &mut f.website,
            &mut f.address,
            &mut f.reception_hours,
            &mut f.powers,
        ] {
            *v = v.trim().to_string();
        }
        let slug = Slug::parse("slug", &f.slug);
        if let Err(e) = &slug {
            errors.extend(e.field_errors());
        }
        let long = |field: &'static str, v: &str, max: usize, errors: &mut Vec<(&'static str, String)>| {
            if v.chars().count() > max {
                errors.push((field, format!("не длиннее {max} символов")));
            }
        };
        if f.full_name.is_empty() {
            errors.push(("full_name", "укажите полное наименование".into()));
        }
        long("full_name", &f.full_name, 500, &mut errors);
        if f.short_name.is_empty() {
            f.short_name = f.full_name.clone();
        }
        long("short_name", &f.short_name, 200, &mut errors);
        if let (false, Err(e)) = (f.inn.is_empty(), Inn::parse(&f.inn)) {
            errors.extend(e.field_errors());
        }
        if let (false, Err(e)) = (f.ogrn.is_empty(), Ogrn::parse(&f.ogrn)) {
            errors.extend(e.field_errors());
        }
        if !f.email.is_empty() {
            match Email::parse("email", &f.email) {
                Ok(e) => f.email = e.as_str().to_string(),
                Err(e) => errors.extend(e.field_errors()),
            }
        }
        if !(f.website.is_empty() || f.website.starts_with("https://") || f.website.starts_with("http://")) {
            errors.push(("website", "адрес сайта начинается с https:// или http://".into()));
        }
        for (field, v) in [
            ("head_name", &f.head_name),
            ("head_position", &f.head_position),
            ("phone", &f.phone),
            ("address", &f.address),
            ("website", &f.website),
        ] {
            long(field, v, 500, &mut errors);
        }
        long("reception_hours", &f.reception_hours, 2000, &mut errors);
        long("powers", &f.powers, 20000, &mut errors);
        match slug {
            Ok(slug) if errors.is_empty() => Ok(BodyInput { slug, fields: f }),
            _ => Err(Error::Form(errors)),
        }
    }
}

pub async fn list(db: &Db) -> Result<Vec<Body>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {BODY_COLUMNS} FROM bodies ORDER BY short_name, id")))
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(body_from_row).collect()
}

pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<Body>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {BODY_COLUMNS} FROM bodies WHERE slug = $1")))
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(body_from_row).transpose()
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Body>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {BODY_COLUMNS} FROM bodies WHERE id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(body_from_row).transpose()
}

pub async fn children(db: &Db, parent_id: i64) -> Result<Vec<Body>> {
    db.rows_by(
        format!("SELECT {BODY_COLUMNS} FROM bodies WHERE parent_id = $1 ORDER BY short_name, id"),
        parent_id,
        body_from_row,
    )
    .await
}

/// The body itself and every body above it, nearest first.
pub async fn ancestors(db: &Db, id: i64) -> Result<Vec<Body>> {
    db.rows_by(
        format!(
            "WITH RECURSIVE chain(id, depth) AS (SELECT $1, 0 UNION ALL \
           SELECT b.parent_id, c.depth + 1 FROM bodies b JOIN chain c ON b.id = c.id \
           WHERE b.parent_id IS NOT NULL AND c.depth < 50) \
         SELECT {} FROM bodies b JOIN chain c ON b.id = c.id ORDER BY c.depth",
            BODY_COLUMNS.split(", ").map(|c| format!("b.{c}")).collect::<Vec<_>>().join(", ")
        ),
        id,
        body_from_row,
    )
    .await
}

pub async fn create(db: &Db, actor: &Actor, now: i64, parent_id: Option<i64>, input: &BodyInput) -> Result<Body> {
    let mut tx = db.begin().await?;
    let query = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO bodies (parent_id, slug, full_name, short_name, inn, ogrn, head_name, head_position, phone, \
         email, website, address, reception_hours, powers, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING {BODY_COLUMNS}"
    )));
    let row = bind_fields(query.bind(parent_id), input)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("slug", "такой адрес раздела уже занят другим органом"))?;
    let body = body_from_row(&row)?;
    let change = Change {
        action: "create",
        object_type: "body",
        object_id: body.id.to_string(),
        body_id: Some(body.id),
        before: None,
        after: audit::snapshot(&body),
    };
    crate::versions::bump(&mut tx, crate::versions::DIRECTORY).await?;
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(body)
}

/// Binds a body's fields in the order both `create` and `update` name them: slug, full name …
/// powers.
fn bind_fields<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    input: &'q BodyInput,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let f = &input.fields;
    query
        .bind(input.slug.as_str())
        .bind(&f.full_name)
        .bind(&f.short_name)
        .bind(&f.inn)
        .bind(&f.ogrn)
        .bind(&f.head_name)
        .bind(&f.head_position)
        .bind(&f.phone)
        .bind(&f.email)
        .bind(&f.website)
        .bind(&f.address)
        .bind(&f.reception_hours)
        .bind(&f.powers)
}

pub async fn update(db: &Db, actor: &Actor, now: i64, before: &Body, input: &BodyInput) -> Result<Body> {
    let mut tx = db.begin().await?;
    let query = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE bodies SET slug = $1, full_name = $2, short_name = $3, inn = $4, ogrn = $5, head_name = $6, \
         head_position = $7, phone = $8, email = $9, website = $10, address = $11, reception_hours = $12, \
         powers = $13, updated_at = $14 WHERE id = $15 RETURNING {BODY_COLUMNS}"
    )));
    let row = bind_fields(query, input)
        .bind(now)
        .bind(before.id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(on_unique("slug", "такой адрес раздела уже занят другим органом"))?
        .ok_or(Error::NotFound("орган"))?;
    let body = body_from_row(&row)?;
    let change = Change {
        action: "update",
        object_type: "body",
        object_id: body.id.to_string(),
        body_id: Some(body.id),
        before: audit::snapshot(before),
        after: audit::snapshot(&body),
    };
    crate::versions::bump(&mut tx, crate::versions::DIRECTORY).await?;
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(body)
}

/// Deletes a body that has no subordinate organisations; its staff roles go with it.
pub async fn delete(db: &Db, actor: &Actor, now: i64, body: &Body) -> Result<()> {
    let mut tx = db.begin().await?;
    let kids: i64 = sqlx::query("SELECT COUNT(*) FROM bodies WHERE parent_id = $1")
        .bind(body.id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    if kids > 0 {
        return Err(Error::Invalid {
            field: None,
            message: "у органа есть подведомственные организации: сначала удалите или перенесите их".into(),
        });
    }
    sqlx::query("DELETE FROM bodies WHERE id = $1").bind(body.id).execute(&mut *tx).await?;
    let change = Change {
        action: "delete",
        object_type: "body",
        object_id: body.id.to_string(),
        body_id: Some(body.id),
        before: audit::snapshot(body),
        after: None,
    };
    crate::versions::bump(&mut tx, crate::versions::DIRECTORY).await?;
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}
