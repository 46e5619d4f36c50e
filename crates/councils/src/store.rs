//! A body's councils in the database: each council's card, its composition, its documents, and
//! the log of what was published when, against the freshness term. Every staff change is audited
//! in the transaction that makes it.

use deadlines::Date;
use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use serde::Serialize;
use sqlx::Row;

/// The kinds of collegial body a body has (seed 000 §30–32).
pub const KINDS: &[&str] = &["public_council", "collegium", "commission", "working_group", "expert_council"];
/// A member's roles, the chair first.
pub const ROLES: &[&str] = &["chair", "deputy", "secretary", "member"];
/// The documents a council publishes.
pub const DOCUMENTS: &[&str] = &["regulations", "plan", "report", "act"];

const MAX_LINE: usize = 500;
const MAX_TEXT: usize = 50_000;

#[derive(Clone, Debug, Serialize)]
pub struct Council {
    pub id: i64,
    pub body_id: i64,
    pub kind: String,
    pub name: String,
    pub about: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub attendance: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COUNCIL: &str = "id, body_id, kind, name, about, address, phone, email, attendance, created_at, updated_at";

fn council_row(r: &sqlx::any::AnyRow) -> Result<Council> {
    Ok(Council {
        id: r.try_get("id")?,
        body_id: r.try_get("body_id")?,
        kind: r.try_get("kind")?,
        name: r.try_get("name")?,
        about: r.try_get("about")?,
        address: r.try_get("address")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        attendance: r.try_get("attendance")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Council>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COUNCIL} FROM councils WHERE id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(council_row).transpose()
}

/// A body's councils (or, with `None`, every body's), by name.
pub async fn list(db: &Db, body_id: Option<i64>) -> Result<Vec<Council>> {
    db.rows_by(
        format!("SELECT {COUNCIL} FROM councils WHERE ($1 = 0 OR body_id = $1) ORDER BY name, id"),
        body_id.unwrap_or(0),
        council_row,
    )
    .await
}

/// A council's card as the secretary's form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct CouncilForm {
    pub kind: String,
    pub name: String,
    pub about: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub attendance: String,
}

/// Checks a council's card; every problem at once.
pub fn check_council(f: &CouncilForm) -> Result<CouncilForm> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if !KINDS.contains(&f.kind.as_str()) {
        errors.push(("kind", "выберите вид коллегиального органа".into()));
    }
    let name = f.name.trim();
    if name.is_empty() {
        errors.push(("name", "укажите наименование совета".into()));
    }
    for (field, value) in [("name", &f.name), ("address", &f.address), ("phone", &f.phone), ("email", &f.email)] {
        if value.chars().count() > MAX_LINE {
            errors.push((field, format!("не длиннее {MAX_LINE} символов")));
        }
    }
    for (field, value) in [("about", &f.about), ("attendance", &f.attendance)] {
        if value.chars().count() > MAX_TEXT {
            errors.push((field, format!("не длиннее {MAX_TEXT} символов")));
        }
    }
    let email = match f.email.trim() {
        "" => {
            errors
                .push(("email", "укажите адрес электронной почты совета: на него придут напоминания секретарю".into()));
            String::new()
        }
        e => match kernel::ids::Email::parse("email", e) {
            Ok(e) => e.as_str().to_string(),
            Err(err) => {
                errors.push(("email", err.to_string()));
                String::new()
            }
        },
    };
    if f.attendance.trim().is_empty() {
        errors.push(("attendance", "опишите условия присутствия граждан на заседаниях".into()));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    Ok(CouncilForm {
        kind: f.kind.clone(),
        name: name.to_string(),
        about: f.about.trim().to_string(),
        address: f.address.trim().to_string(),
        phone: f.phone.trim().to_string(),
        email,
        attendance: f.attendance.trim().to_string(),
    })
}

pub async fn create(db: &Db, actor: &Actor, now: i64, body_id: i64, f: &CouncilForm) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO councils (body_id, kind, name, about, address, phone, email, attendance, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(body_id)
    .bind(&f.kind)
    .bind(&f.name)
    .bind(&f.about)
    .bind(&f.address)
    .bind(&f.phone)
    .bind(&f.email)
    .bind(&f.attendance)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let change = Change {
        action: "create",
        object_type: "council",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: None,
        after: audit::snapshot(f),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(db: &Db, actor: &Actor, now: i64, before: &Council, f: &CouncilForm) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE councils SET kind = $1, name = $2, about = $3, address = $4, phone = $5, email = $6, \
         attendance = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&f.kind)
    .bind(&f.name)
    .bind(&f.about)
    .bind(&f.address)
    .bind(&f.phone)
    .bind(&f.email)
    .bind(&f.attendance)
    .bind(now)
    .bind(before.id)
    .execute(&mut *tx)
    .await?;
    let change = Change::update(
        "council",
        before.id,
        Some(before.body_id),
        serde_json::to_value(before).map_err(|e| Error::Internal(e.into()))?,
        serde_json::to_value(f).map_err(|e| Error::Internal(e.into()))?,
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// One member of a council.
#[derive(Clone, Debug, Serialize)]
pub struct Member {
    pub id: i64,
    pub council_id: i64,
    pub full_name: String,
    pub role: String,
    pub affiliation: String,
    pub term_from: String,
    pub term_until: String,
    pub consent: bool,
    pub photo_key: String,
    pub left_on: String,
}

impl Member {
    /// The name as the public sees it: the member's own with consent to its dissemination, else
    /// only that a member of the council is there.
    pub fn public_name(&self) -> Option<&str> {
        self.consent.then_some(self.full_name.as_str())
    }

    /// The photo's key, public only with consent.
    pub fn public_photo(&self) -> Option<&str> {
        (self.consent && !self.photo_key.is_empty()).then_some(self.photo_key.as_str())
    }

    pub fn current(&self) -> bool {
        self.left_on.is_empty()
    }
}

fn member_row(r: &sqlx::any::AnyRow) -> Result<Member> {
    Ok(Member {
        id: r.try_get("id")?,
        council_id: r.try_get("council_id")?,
        full_name: r.try_get("full_name")?,
        role: r.try_get("role")?,
        affiliation: r.try_get("affiliation")?,
        term_from: r.try_get("term_from")?,
        term_until: r.try_get("term_until")?,
        consent: r.try_get::<i64, _>("consent")? != 0,
        photo_key: r.try_get("photo_key")?,
        left_on: r.try_get("left_on")?,
    })
}

const MEMBER: &str = "id, council_id, full_name, role, affiliation, term_from, term_until, consent, photo_key, left_on";

/// A council's members, the chair first, then by name; those who left after those who sit.
pub async fn members(db: &Db, council_id: i64) -> Result<Vec<Member>> {
    let mut out = db
        .rows_by(
            format!("SELECT {MEMBER} FROM council_members WHERE council_id = $1 ORDER BY full_name, id"),
            council_id,
            member_row,
        )
        .await?;
    out.sort_by_key(|m| (!m.current(), ROLES.iter().position(|r| *r == m.role).unwrap_or(ROLES.len())));
    Ok(out)
}

/// A member as the secretary's form sends it, with the day the change was approved.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MemberForm {
    pub full_name: String,
    pub role: String,
    pub affiliation: String,
    pub term_from: String,
    pub term_until: String,
    /// "1" when the member consented to the dissemination of their name and photo.
    pub consent: String,
    pub approved_on: String,
    pub approved_by: String,
}

/// A checked member: what is stored, and the day its approval was made.
pub struct CheckedMember {
    pub full_name: String,
    pub role: String,
    pub affiliation: String,
    pub term_from: String,
    pub term_until: String,
    pub consent: bool,
    pub approved: Approval,
}

/// When and by what act a change was approved.
#[derive(Clone, Debug)]
pub struct Approval {
    pub on: Date,
    pub by: String,
}

/// A day written `2026-12-17` or `17.12.2026`.
pub(crate) fn day(value: &str) -> Option<Date> {
    let v = value.trim();
    v.parse::<Date>().ok().or_else(|| jiff::fmt::strtime::parse("%d.%m.%Y", v).ok()?.to_date().ok())
}

/// The day a change was approved: not after today, not before 2000.
pub fn check_approval(on: &str, by: &str, today: Date, errors: &mut Vec<(&'static str, String)>) -> Option<Approval> {
    if by.chars().count() > MAX_LINE {
        errors.push(("approved_by", format!("не длиннее {MAX_LINE} символов")));
    }
    match day(on) {
        None => {
            errors.push(("approved_on", "укажите дату утверждения в виде ДД.ММ.ГГГГ".into()));
            None
        }
        Some(d) if d > today => {
            errors.push(("approved_on", "дата утверждения не может быть позже сегодняшнего дня".into()));
            None
        }
        Some(d) if d.year() < 2000 => {
            errors.push(("approved_on", "проверьте год даты утверждения".into()));
            None
        }
        Some(d) => Some(Approval { on: d, by: by.trim().to_string() }),
    }
}

pub fn check_member(f: &MemberForm, today: Date) -> Result<CheckedMember> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let name = f.full_name.trim();
    if name.is_empty() {
        errors.push(("full_name", "укажите фамилию, имя и отчество члена совета".into()));
    }
    for (field, value) in [("full_name", &f.full_name), ("affiliation", &f.affiliation)] {
        if value.chars().count() > MAX_LINE {
            errors.push((field, format!("не длиннее {MAX_LINE} символов")));
        }
    }
    if !ROLES.contains(&f.role.as_str()) {
        errors.push(("role", "выберите роль в совете".into()));
    }
    let (from, until) = (day(&f.term_from), day(&f.term_until));
    if !f.term_from.trim().is_empty() && from.is_none() {
        errors.push(("term_from", "укажите дату в виде ДД.ММ.ГГГГ".into()));
    }
    if !f.term_until.trim().is_empty() && until.is_none() {
        errors.push(("term_until", "укажите дату в виде ДД.ММ.ГГГГ".into()));
    }
    if let (Some(a), Some(b)) = (from, until)
        && b < a
    {
        errors.push(("term_until", "срок полномочий не может закончиться раньше, чем начался".into()));
    }
    let approved = check_approval(&f.approved_on, &f.approved_by, today, &mut errors);
    match approved {
        Some(approved) if errors.is_empty() => Ok(CheckedMember {
            full_name: name.to_string(),
            role: f.role.clone(),
            affiliation: f.affiliation.trim().to_string(),
            term_from: from.map(|d| d.to_string()).unwrap_or_default(),
            term_until: until.map(|d| d.to_string()).unwrap_or_default(),
            consent: f.consent == "1",
            approved,
        }),
        _ => Err(Error::Form(errors)),
    }
}

/// The moment and day a change is published, and the portal's freshness term (calendar days).
#[derive(Clone, Copy, Debug)]
pub struct Published {
    pub now: i64,
    pub today: Date,
    pub freshness_days: i64,
}

/// Logs a publication against the freshness term: late when published after the term's last day.
async fn publication(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    council_id: i64,
    (what, title): (&str, &str),
    approved: &Approval,
    p: Published,
) -> Result<bool> {
    let due =
        approved.on.checked_add(jiff::Span::new().days(p.freshness_days)).map_err(|e| Error::Internal(e.into()))?;
    let late = p.today > due;
    sqlx::query(
        "INSERT INTO council_publications (council_id, what, title, approved_on, due_on, published_on, \
         published_at, late) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(council_id)
    .bind(what)
    .bind(title)
    .bind(approved.on.to_string())
    .bind(due.to_string())
    .bind(p.today.to_string())
    .bind(p.now)
    .bind(i64::from(late))
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE councils SET updated_at = $1 WHERE id = $2")
        .bind(p.now)
        .bind(council_id)
        .execute(&mut **tx)
        .await?;
    Ok(late)
}

/// Adds a member (a change of the composition, published now); true when it is late.
pub async fn add_member(
    db: &Db,
    actor: &Actor,
    p: Published,
    council: &Council,
    m: &CheckedMember,
    photo_key: &str,
) -> Result<bool> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO council_members (council_id, full_name, role, affiliation, term_from, term_until, consent, \
         photo_key, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(council.id)
    .bind(&m.full_name)
    .bind(&m.role)
    .bind(&m.affiliation)
    .bind(&m.term_from)
    .bind(&m.term_until)
    .bind(i64::from(m.consent))
    .bind(photo_key)
    .bind(p.now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let title = format!(
        "Изменение состава: {}",
        if m.approved.by.is_empty() { "включение члена совета" } else { &m.approved.by }
    );
    let late = publication(&mut tx, council.id, ("composition", &title), &m.approved, p).await?;
    let change = Change {
        action: "create",
        object_type: "council_member",
        object_id: id.to_string(),
        body_id: Some(council.body_id),
        before: None,
        after: Some(serde_json::json!({
            "council": council.id, "full_name": m.full_name, "role": m.role, "affiliation": m.affiliation,
            "term_from": m.term_from, "term_until": m.term_until, "consent": m.consent, "photo_key": photo_key,
            "approved_on": m.approved.on.to_string(), "approved_by": m.approved.by,
        })),
    };
    audit::record(&mut tx, actor, p.now, change).await?;
    tx.commit().await?;
    Ok(late)
}

/// Changes whether a member consented, or records that they left (a change of the composition
/// when they left); true when the change of composition is late.
pub async fn change_member(
    db: &Db,
    actor: &Actor,
    p: Published,
    council: &Council,
    before: &Member,
    (consent, left): (bool, Option<&Approval>),
) -> Result<bool> {
    let mut tx = db.begin().await?;
    let left_on = left.map(|a| a.on.to_string()).unwrap_or_else(|| before.left_on.clone());
    sqlx::query("UPDATE council_members SET consent = $1, left_on = $2, updated_at = $3 WHERE id = $4")
        .bind(i64::from(consent))
        .bind(&left_on)
        .bind(p.now)
        .bind(before.id)
        .execute(&mut *tx)
        .await?;
    let late = match left {
        Some(a) => {
            let title =
                format!("Изменение состава: {}", if a.by.is_empty() { "исключение члена совета" } else { &a.by });
            publication(&mut tx, council.id, ("composition", &title), a, p).await?
        }
        None => {
            sqlx::query("UPDATE councils SET updated_at = $1 WHERE id = $2")
                .bind(p.now)
                .bind(council.id)
                .execute(&mut *tx)
                .await?;
            false
        }
    };
    let change = Change::update(
        "council_member",
        before.id,
        Some(council.body_id),
        serde_json::json!({ "consent": before.consent, "left_on": before.left_on }),
        serde_json::json!({ "consent": consent, "left_on": left_on }),
    );
    audit::record(&mut tx, actor, p.now, change).await?;
    tx.commit().await?;
    Ok(late)
}

/// One of a council's documents.
#[derive(Clone, Debug, Serialize)]
pub struct Document {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub approved_by: String,
    pub text: String,
    pub created_at: i64,
}

/// A council's documents, newest first.
pub async fn documents(db: &Db, council_id: i64) -> Result<Vec<Document>> {
    db.rows_by(
        "SELECT id, kind, title, approved_by, text, created_at FROM council_documents WHERE council_id = $1 \
         ORDER BY id DESC"
            .to_string(),
        council_id,
        |r| {
            Ok(Document {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                title: r.try_get("title")?,
                approved_by: r.try_get("approved_by")?,
                text: r.try_get("text")?,
                created_at: r.try_get("created_at")?,
            })
        },
    )
    .await
}

/// A document as the secretary's form sends it; its fields are named apart from the other forms
/// of the council's page (`doc_…`), so each label names its own input.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DocumentForm {
    #[serde(rename = "doc_kind")]
    pub kind: String,
    #[serde(rename = "doc_title")]
    pub title: String,
    #[serde(rename = "doc_text")]
    pub text: String,
    #[serde(rename = "doc_approved_on")]
    pub approved_on: String,
    #[serde(rename = "doc_approved_by")]
    pub approved_by: String,
}

/// A document form's field, as the page names it.
fn doc_field(field: &'static str) -> &'static str {
    match field {
        "kind" => "doc_kind",
        "title" => "doc_title",
        "text" => "doc_text",
        "approved_on" => "doc_approved_on",
        "approved_by" => "doc_approved_by",
        other => other,
    }
}

/// Publishes a document (a new version of the regulations, a work plan, an annual report);
/// true when it is late.
pub async fn add_document(db: &Db, actor: &Actor, p: Published, council: &Council, f: &DocumentForm) -> Result<bool> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if !DOCUMENTS.contains(&f.kind.as_str()) {
        errors.push(("kind", "выберите вид документа".into()));
    }
    let title = f.title.trim();
    if title.is_empty() {
        errors.push(("title", "укажите наименование документа".into()));
    } else if title.chars().count() > MAX_LINE {
        errors.push(("title", format!("не длиннее {MAX_LINE} символов")));
    }
    if f.text.trim().is_empty() {
        errors.push(("text", "вставьте текст документа".into()));
    } else if f.text.chars().count() > MAX_TEXT {
        errors.push(("text", format!("не длиннее {MAX_TEXT} символов")));
    }
    let approved = check_approval(&f.approved_on, &f.approved_by, p.today, &mut errors);
    let Some(approved) = approved.filter(|_| errors.is_empty()) else {
        return Err(Error::Form(errors.into_iter().map(|(field, m)| (doc_field(field), m)).collect()));
    };
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO council_documents (council_id, kind, title, approved_by, text, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(council.id)
    .bind(&f.kind)
    .bind(title)
    .bind(&approved.by)
    .bind(f.text.trim())
    .bind(p.now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let late = publication(&mut tx, council.id, (&f.kind, title), &approved, p).await?;
    let change = Change {
        action: "create",
        object_type: "council_document",
        object_id: id.to_string(),
        body_id: Some(council.body_id),
        before: None,
        after: Some(serde_json::json!({
            "council": council.id, "kind": f.kind, "title": title, "approved_on": approved.on.to_string(),
            "approved_by": approved.by,
        })),
    };
    audit::record(&mut tx, actor, p.now, change).await?;
    tx.commit().await?;
    Ok(late)
}

/// One publication with its freshness.
#[derive(Clone, Debug, Serialize)]
pub struct Publication {
    pub council_id: i64,
    pub what: String,
    pub title: String,
    pub approved_on: String,
    pub due_on: String,
    pub published_on: String,
    pub late: bool,
}

impl Publication {
    /// Days past the term's last day (0 when on time).
    pub fn days_late(&self) -> i64 {
        match (self.due_on.parse::<Date>(), self.published_on.parse::<Date>()) {
            (Ok(due), Ok(on)) if on > due => (on - due).get_days().into(),
            _ => 0,
        }
    }
}

fn publication_row(r: &sqlx::any::AnyRow) -> Result<Publication> {
    Ok(Publication {
        council_id: r.try_get("council_id")?,
        what: r.try_get("what")?,
        title: r.try_get("title")?,
        approved_on: r.try_get("approved_on")?,
        due_on: r.try_get("due_on")?,
        published_on: r.try_get("published_on")?,
        late: r.try_get::<i64, _>("late")? != 0,
    })
}

/// A council's publications, newest first.
pub async fn publications(db: &Db, council_id: i64) -> Result<Vec<Publication>> {
    db.rows_by(
        "SELECT council_id, what, title, approved_on, due_on, published_on, late FROM council_publications \
         WHERE council_id = $1 ORDER BY id DESC"
            .to_string(),
        council_id,
        publication_row,
    )
    .await
}

/// The publications a body's councils made late, with each one's council name, in one query.
pub async fn late_of_body(db: &Db, body_id: i64) -> Result<Vec<(Publication, String)>> {
    db.rows_by(
        "SELECT p.council_id, p.what, p.title, p.approved_on, p.due_on, p.published_on, p.late, c.name \
         FROM council_publications p JOIN councils c ON c.id = p.council_id WHERE c.body_id = $1 AND p.late = 1 \
         ORDER BY c.name, p.id DESC"
            .to_string(),
        body_id,
        |r| Ok((publication_row(r)?, r.try_get("name")?)),
    )
    .await
}

/// The publications of every council in the year before `today`, for the compliance engine:
/// (publication id, body id, council id, council name, the publication).
pub async fn recent_publications(db: &Db, today: Date) -> Result<Vec<(i64, i64, i64, String, Publication)>> {
    let year_ago = today.checked_sub(jiff::Span::new().days(366)).unwrap_or(today);
    let rows = sqlx::query(
        "SELECT p.id, c.body_id, c.name, p.council_id, p.what, p.title, p.approved_on, p.due_on, p.published_on, \
         p.late FROM council_publications p JOIN councils c ON c.id = p.council_id WHERE p.published_on >= $1 \
         ORDER BY p.id",
    )
    .bind(year_ago.to_string())
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let p = publication_row(r)?;
            Ok((r.try_get("id")?, r.try_get("body_id")?, p.council_id, r.try_get("name")?, p))
        })
        .collect()
}

/// Publications made late by each body's councils: (body id, how many, the latest one's council).
pub async fn late_by_body(db: &Db) -> Result<Vec<(i64, i64, i64)>> {
    let rows = sqlx::query(
        "SELECT c.body_id, COUNT(*) AS n, MAX(c.id) AS council FROM council_publications p \
         JOIN councils c ON c.id = p.council_id WHERE p.late = 1 GROUP BY c.body_id",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("body_id")?, r.try_get("n")?, r.try_get("council")?))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn an_approval_is_a_day_not_after_today() {
        let mut errors = Vec::new();
        let a = check_approval("01.12.2026", "приказ № 5", d("2026-12-07"), &mut errors).expect("approval");
        assert_eq!((a.on, a.by.as_str()), (d("2026-12-01"), "приказ № 5"));
        assert!(check_approval("2026-12-08", "", d("2026-12-07"), &mut errors).is_none());
        assert!(check_approval("вчера", "", d("2026-12-07"), &mut errors).is_none());
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn a_member_needs_a_name_a_role_and_a_term_in_order() {
        let f = MemberForm {
            full_name: " ".into(),
            role: "boss".into(),
            term_from: "01.01.2027".into(),
            term_until: "01.01.2026".into(),
            approved_on: "01.12.2026".into(),
            ..MemberForm::default()
        };
        let Err(Error::Form(errors)) = check_member(&f, d("2026-12-07")) else { panic!("refused") };
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["full_name", "role", "term_until"]);
        let ok =
            MemberForm {
                full_name: "Иванова Анна Петровна".into(), role: "chair".into(), consent: "1".into(), ..f
            };
        let ok = MemberForm { term_until: "31.12.2028".into(), ..ok };
        let m = check_member(&ok, d("2026-12-07")).expect("member");
        assert!(m.consent);
        assert_eq!((m.term_from.as_str(), m.term_until.as_str()), ("2027-01-01", "2028-12-31"));
    }

    #[test]
    fn a_member_without_consent_has_no_public_name_or_photo() {
        let mut m = Member {
            id: 1,
            council_id: 1,
            full_name: "Петров Пётр".into(),
            role: "member".into(),
            affiliation: String::new(),
            term_from: String::new(),
            term_until: String::new(),
            consent: false,
            photo_key: "councils/1/photo.jpg".into(),
            left_on: String::new(),
        };
        assert_eq!((m.public_name(), m.public_photo()), (None, None));
        m.consent = true;
        assert_eq!((m.public_name(), m.public_photo()), (Some("Петров Пётр"), Some("councils/1/photo.jpg")));
    }

    #[test]
    fn days_late_count_past_the_terms_last_day() {
        let p = |due: &str, on: &str| Publication {
            council_id: 1,
            what: "composition".into(),
            title: String::new(),
            approved_on: String::new(),
            due_on: due.into(),
            published_on: on.into(),
            late: false,
        };
        assert_eq!(p("2026-12-04", "2026-12-05").days_late(), 1);
        assert_eq!(p("2026-12-04", "2026-12-04").days_late(), 0);
    }
}
