//! A body's drafts in the database: the notice, each version's text split into units, the
//! discussion's window, the result, and the timeline of every stage. Every staff change is
//! audited in the transaction that makes it.

use deadlines::{Calendar, Date, DayOffPolicy, Term, Unit as TermUnit};
use discussion::window::{self, Window};
use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use serde::Serialize;
use sqlx::Row;

use crate::units::{Split, split};

/// The portal's rule for a kind of act: the shortest discussion, and where it comes from.
#[derive(Clone, Debug, Serialize)]
pub struct Kind {
    pub code: String,
    pub name: String,
    pub amount: i64,
    /// calendar_days, working_days or months.
    pub unit: String,
    /// following or keep.
    pub on_day_off: String,
    pub source: String,
}

impl Kind {
    pub fn term(&self) -> Term {
        let unit = match self.unit.as_str() {
            "working_days" => TermUnit::WorkingDays,
            "months" => TermUnit::Months,
            _ => TermUnit::CalendarDays,
        };
        let on_day_off = DayOffPolicy::parse(&self.on_day_off).unwrap_or(DayOffPolicy::Following);
        Term { amount: u32::try_from(self.amount).unwrap_or(1), unit, on_day_off, counts_start_day: false }
    }

    /// «не менее 1 месяца со дня размещения, …»
    pub fn rule_ru(&self) -> String {
        window::rule_ru(&self.term())
    }

    pub fn rule_en(&self) -> String {
        window::rule_en(&self.term())
    }
}

pub async fn kinds(db: &Db) -> Result<Vec<Kind>> {
    let rows =
        sqlx::query("SELECT code, name, amount, unit, on_day_off, source FROM draft_kinds ORDER BY position, code")
            .fetch_all(&db.pool)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(Kind {
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                amount: r.try_get("amount")?,
                unit: r.try_get("unit")?,
                on_day_off: r.try_get("on_day_off")?,
                source: r.try_get("source")?,
            })
        })
        .collect()
}

/// Changes a kind's rule (the portal admin's setting); audited.
pub async fn set_kind(
    db: &Db,
    actor: &Actor,
    now: i64,
    before: &Kind,
    amount: &str,
    unit: &str,
    on_day_off: &str,
) -> Result<()> {
    let mut errors = Vec::new();
    let amount = match amount.trim().parse::<i64>() {
        Ok(n) if (1..=365).contains(&n) => n,
        _ => {
            errors.push(("amount", "укажите срок числом от 1 до 365".to_string()));
            0
        }
    };
    if !["calendar_days", "working_days", "months"].contains(&unit) {
        errors.push(("unit", "выберите единицу: календарные дни, рабочие дни или месяцы".into()));
    }
    if !["following", "keep"].contains(&on_day_off) {
        errors.push(("on_day_off", "выберите, куда переносится последний день, выпавший на выходной".into()));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE draft_kinds SET amount = $1, unit = $2, on_day_off = $3, updated_at = $4 WHERE code = $5")
        .bind(amount)
        .bind(unit)
        .bind(on_day_off)
        .bind(now)
        .bind(&before.code)
        .execute(&mut *tx)
        .await?;
    let change = Change::update(
        "draft_kind",
        &before.code,
        None,
        serde_json::json!({ "amount": before.amount, "unit": before.unit, "on_day_off": before.on_day_off }),
        serde_json::json!({ "amount": amount, "unit": unit, "on_day_off": on_day_off }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Clone, Debug, Serialize)]
pub struct Draft {
    pub id: i64,
    pub body_id: i64,
    pub kind: String,
    pub title: String,
    /// notice, discussion, adopted or withdrawn.
    pub stage: String,
    pub concept: String,
    pub costs_benefits: String,
    pub plain_summary: String,
    pub video_url: String,
    pub opens: String,
    pub closes: String,
    pub window_ru: String,
    pub window_en: String,
    pub result: String,
    /// Published for independent anti-corruption expertise: the first and last day conclusions
    /// are taken (YYYY-MM-DD) and the address they go to.
    pub expertise_from: String,
    pub expertise_until: String,
    pub expertise_email: String,
    /// A picture leading the draft (an infographic, a chart): its stored JPEG and its description.
    pub picture_key: String,
    pub picture_alt: String,
    /// The summary report of the regulatory impact assessment, where one is made.
    pub ria_summary: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Draft {
    fn closes_on(&self) -> Option<Date> {
        self.closes.parse().ok()
    }

    /// Whether comments are taken on `today`.
    pub fn accepting(&self, today: Date) -> bool {
        discussion::comments::accepting(self.stage == "discussion", self.closes_on(), today)
    }

    /// The stage as a visitor sees it today: a discussion past its last day is closed.
    pub fn stage_on(&self, today: Date) -> &'static str {
        match self.stage.as_str() {
            "discussion" if !self.accepting(today) => "closed",
            "discussion" => "discussion",
            "adopted" => "adopted",
            "withdrawn" => "withdrawn",
            _ => "notice",
        }
    }

    /// Whether it has been open for comments (its summary of proposals exists).
    pub fn discussed(&self) -> bool {
        !self.opens.is_empty()
    }
}

const COLUMNS: &str = "id, body_id, kind, title, stage, concept, costs_benefits, plain_summary, video_url, opens, \
                       closes, window_ru, window_en, result, expertise_from, expertise_until, expertise_email, picture_key, picture_alt, ria_summary, created_at, \
                       updated_at";

fn draft_row(r: &sqlx::any::AnyRow) -> Result<Draft> {
    Ok(Draft {
        id: r.try_get("id")?,
        body_id: r.try_get("body_id")?,
        kind: r.try_get("kind")?,
        title: r.try_get("title")?,
        stage: r.try_get("stage")?,
        concept: r.try_get("concept")?,
        costs_benefits: r.try_get("costs_benefits")?,
        plain_summary: r.try_get("plain_summary")?,
        video_url: r.try_get("video_url")?,
        opens: r.try_get("opens")?,
        closes: r.try_get("closes")?,
        window_ru: r.try_get("window_ru")?,
        window_en: r.try_get("window_en")?,
        result: r.try_get("result")?,
        expertise_from: r.try_get("expertise_from")?,
        expertise_until: r.try_get("expertise_until")?,
        expertise_email: r.try_get("expertise_email")?,
        picture_key: r.try_get("picture_key")?,
        picture_alt: r.try_get("picture_alt")?,
        ria_summary: r.try_get("ria_summary")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Draft>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM drafts WHERE id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(draft_row).transpose()
}

/// A body's drafts (or, with `None`, every body's), newest first.
pub async fn list(db: &Db, body_id: Option<i64>) -> Result<Vec<Draft>> {
    db.rows_by(
        format!("SELECT {COLUMNS} FROM drafts WHERE ($1 = 0 OR body_id = $1) ORDER BY updated_at DESC, id DESC"),
        body_id.unwrap_or(0),
        draft_row,
    )
    .await
}

/// The notice as the lawyer's form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NoticeForm {
    pub kind: String,
    pub title: String,
    pub concept: String,
    pub costs_benefits: String,
    pub plain_summary: String,
    pub video_url: String,
}

const MAX_TITLE: usize = 500;
const MAX_TEXT: usize = 20_000;

/// Checks a notice; all problems at once.
pub fn check_notice(f: &NoticeForm, kinds: &[Kind]) -> Result<NoticeForm> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let title = f.title.trim();
    if title.is_empty() {
        errors.push(("title", "укажите наименование проекта акта".into()));
    } else if title.chars().count() > MAX_TITLE {
        errors.push(("title", format!("наименование — не длиннее {MAX_TITLE} символов")));
    }
    if !kinds.iter().any(|k| k.code == f.kind) {
        errors.push(("kind", "выберите вид акта".into()));
    }
    if f.concept.trim().is_empty() {
        errors.push(("concept", "опишите простыми словами, что меняет проект и зачем".into()));
    }
    for (field, value) in
        [("concept", &f.concept), ("costs_benefits", &f.costs_benefits), ("plain_summary", &f.plain_summary)]
    {
        if value.chars().count() > MAX_TEXT {
            errors.push((field, format!("не длиннее {MAX_TEXT} символов")));
        }
    }
    let video = f.video_url.trim();
    if !(video.is_empty() || video.starts_with("https://") || video.starts_with("http://")) || video.len() > 1000 {
        errors.push(("video_url", "укажите адрес видео, начинающийся с https://".into()));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    Ok(NoticeForm {
        kind: f.kind.clone(),
        title: title.to_string(),
        concept: f.concept.trim().to_string(),
        costs_benefits: f.costs_benefits.trim().to_string(),
        plain_summary: f.plain_summary.trim().to_string(),
        video_url: video.to_string(),
    })
}

pub(crate) async fn event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    draft_id: i64,
    now: i64,
    what: &str,
    detail: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO draft_events (draft_id, at, what, detail) VALUES ($1, $2, $3, $4)")
        .bind(draft_id)
        .bind(now)
        .bind(what)
        .bind(detail)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE drafts SET updated_at = $1 WHERE id = $2").bind(now).bind(draft_id).execute(&mut **tx).await?;
    crate::searched::changed(tx, draft_id, now).await?;
    Ok(())
}

/// Publishes the notice that a draft is being prepared: the draft's first stage.
pub async fn create(db: &Db, actor: &Actor, now: i64, body_id: i64, n: &NoticeForm) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO drafts (body_id, kind, title, concept, costs_benefits, plain_summary, video_url, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(body_id)
    .bind(&n.kind)
    .bind(&n.title)
    .bind(&n.concept)
    .bind(&n.costs_benefits)
    .bind(&n.plain_summary)
    .bind(&n.video_url)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    event(&mut tx, id, now, "notice", "").await?;
    let change = Change {
        action: "create",
        object_type: "draft",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: None,
        after: n_json(n),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(id)
}

fn n_json(n: &NoticeForm) -> Option<serde_json::Value> {
    Some(serde_json::json!({
        "kind": n.kind, "title": n.title, "concept": n.concept, "costs_benefits": n.costs_benefits,
        "plain_summary": n.plain_summary, "video_url": n.video_url,
    }))
}

/// What leads a draft for those who are not lawyers (§25), as the lawyer's form sends it.
#[derive(Clone, Debug, Default)]
pub struct Clarity {
    pub plain_summary: String,
    pub video_url: String,
    pub picture_alt: String,
    pub ria_summary: String,
    /// A new picture, prepared (JPEG), if one was sent.
    pub picture: Option<Vec<u8>>,
    /// Whether to take the current picture away.
    pub remove_picture: bool,
}

/// Changes what leads the draft; a picture needs its description (for those who cannot see
/// it). Audited, on the draft's page at once.
pub async fn set_clarity(
    db: &Db,
    storage: &kernel::storage::Storage,
    actor: &Actor,
    now: i64,
    draft: &Draft,
    c: Clarity,
) -> Result<()> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let video = c.video_url.trim();
    if !(video.is_empty() || video.starts_with("https://") || video.starts_with("http://")) || video.len() > 1000 {
        errors.push(("video_url", "укажите адрес видео, начинающийся с https://".into()));
    }
    for (field, value, most) in [
        ("plain_summary", &c.plain_summary, MAX_TEXT),
        ("ria_summary", &c.ria_summary, MAX_TEXT),
        ("picture_alt", &c.picture_alt, 1000),
    ] {
        if value.chars().count() > most {
            errors.push((field, format!("не длиннее {most} символов")));
        }
    }
    let has_picture = c.picture.is_some() || (!draft.picture_key.is_empty() && !c.remove_picture);
    if has_picture && c.picture_alt.trim().is_empty() {
        errors.push((
            "picture_alt",
            "опишите словами, что показывает картинка: так её поймут и те, кто её не видит".into(),
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let key = match c.picture {
        Some(jpeg) => {
            let key = format!("drafts/{}/picture-{}.jpg", draft.id, &kernel::staff::sha256_hex_bytes(&jpeg)[..16]);
            storage.put(&key, jpeg.into()).await.map_err(Error::Internal)?;
            key
        }
        None if c.remove_picture => String::new(),
        None => draft.picture_key.clone(),
    };
    let alt = if key.is_empty() { String::new() } else { c.picture_alt.trim().to_string() };
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE drafts SET plain_summary = $1, video_url = $2, picture_key = $3, picture_alt = $4, ria_summary = $5 \
         WHERE id = $6",
    )
    .bind(c.plain_summary.trim())
    .bind(video)
    .bind(&key)
    .bind(&alt)
    .bind(c.ria_summary.trim())
    .bind(draft.id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE drafts SET updated_at = $1 WHERE id = $2").bind(now).bind(draft.id).execute(&mut *tx).await?;
    crate::searched::changed(&mut tx, draft.id, now).await?;
    let change = Change::update(
        "draft",
        draft.id,
        Some(draft.body_id),
        serde_json::json!({ "plain_summary": draft.plain_summary, "video_url": draft.video_url,
            "picture_key": draft.picture_key, "picture_alt": draft.picture_alt, "ria_summary": draft.ria_summary }),
        serde_json::json!({ "plain_summary": c.plain_summary.trim(), "video_url": video, "picture_key": key,
            "picture_alt": alt, "ria_summary": c.ria_summary.trim() }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// One version of the draft's text.
#[derive(Clone, Debug, Serialize)]
pub struct Version {
    pub id: i64,
    pub number: i64,
    pub file_name: String,
    pub file_key: String,
    pub media_type: String,
    pub preamble: String,
    pub closing: String,
    pub note: String,
    pub created_at: i64,
}

/// One structural unit of a version, with its anchor (the same in every version).
#[derive(Clone, Debug, Serialize)]
pub struct UnitRow {
    pub anchor_id: i64,
    pub key: String,
    pub label: String,
    pub depth: i64,
    pub text: String,
}

pub async fn versions(db: &Db, draft_id: i64) -> Result<Vec<Version>> {
    db.rows_by(
        "SELECT id, number, file_name, file_key, media_type, preamble, closing, note, created_at FROM draft_versions \
         WHERE draft_id = $1 ORDER BY number"
            .to_string(),
        draft_id,
        |r| {
            Ok(Version {
                id: r.try_get("id")?,
                number: r.try_get("number")?,
                file_name: r.try_get("file_name")?,
                file_key: r.try_get("file_key")?,
                media_type: r.try_get("media_type")?,
                preamble: r.try_get("preamble")?,
                closing: r.try_get("closing")?,
                note: r.try_get("note")?,
                created_at: r.try_get("created_at")?,
            })
        },
    )
    .await
}

pub async fn units(db: &Db, version_id: i64) -> Result<Vec<UnitRow>> {
    db.rows_by(
        "SELECT u.anchor_id, a.key, u.label, u.depth, u.text FROM draft_units u JOIN draft_anchors a ON a.id = \
         u.anchor_id WHERE u.version_id = $1 ORDER BY u.ord"
            .to_string(),
        version_id,
        |r| {
            Ok(UnitRow {
                anchor_id: r.try_get("anchor_id")?,
                key: r.try_get("key")?,
                label: r.try_get("label")?,
                depth: r.try_get("depth")?,
                text: r.try_get("text")?,
            })
        },
    )
    .await
}

/// Every anchor the draft ever had: (id, key, label as last named, place in the newest version
/// that has it).
pub async fn anchors(db: &Db, draft_id: i64) -> Result<Vec<(i64, String, String, i64)>> {
    db.rows_by(
        "SELECT id, key, label, ord FROM draft_anchors WHERE draft_id = $1 ORDER BY ord, id".to_string(),
        draft_id,
        |r| Ok((r.try_get("id")?, r.try_get("key")?, r.try_get("label")?, r.try_get("ord")?)),
    )
    .await
}

/// What an uploaded version gave: its number and whether numbered units were found in it.
#[derive(Debug, PartialEq, Eq)]
pub struct Added {
    pub number: i64,
    pub units: usize,
    pub structured: bool,
}

/// The largest text of a draft the splitter takes (a 300-article act is far below).
const MAX_FILE: usize = 20 * 1024 * 1024;

/// A version's file read: its format, its split text (a PDF is attached as it is, unsplit), and
/// whether numbered units were found (a text without them is one unit: the whole draft).
pub fn read_version(name: &str, bytes: &[u8]) -> Result<(office::Format, Split, bool)> {
    if bytes.len() > MAX_FILE {
        return Err(Error::invalid("file", "файл больше 20 МБ: сохраните проект без встроенных изображений"));
    }
    let format = office::sniff(name, bytes).map_err(|e| Error::invalid("file", format!("файл не принят: {e}")))?;
    if !matches!(format, office::Format::Docx | office::Format::Odt | office::Format::Pdf) {
        return Err(Error::invalid("file", "загрузите текст проекта: .docx, .odt или .pdf"));
    }
    let text = office::text(format, bytes).map_err(|e| Error::invalid("file", format!("файл не прочитан: {e}")))?;
    if text.trim().is_empty() {
        return Err(Error::invalid("file", "в файле нет текста: загрузите документ с текстом проекта"));
    }
    if format == office::Format::Pdf {
        return Ok((format, Split::default(), false));
    }
    let mut s = split(&text);
    if s.structured() {
        return Ok((format, s, true));
    }
    s.units.push(crate::units::Unit {
        key: "text".into(),
        label: "Текст проекта".into(),
        depth: 0,
        text: std::mem::take(&mut s.preamble),
    });
    Ok((format, s, false))
}

/// A file name safe as a part of a storage key.
fn safe_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String =
        base.chars().map(|c| if c.is_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect();
    let cleaned: String = cleaned.chars().take(120).collect();
    if cleaned.trim_matches('.').is_empty() { "draft".into() } else { cleaned }
}

/// Stores a new version of the draft: its file, and its units under the draft's anchors (a unit
/// whose number a previous version had keeps that version's anchor, and so its comments).
pub async fn add_version(
    db: &Db,
    storage: &kernel::storage::Storage,
    actor: &Actor,
    now: i64,
    draft: &Draft,
    (name, bytes): (&str, bytes::Bytes),
    note: &str,
) -> Result<Added> {
    if matches!(draft.stage.as_str(), "adopted" | "withdrawn") {
        return Err(Error::invalid("file", "работа над проектом завершена: новую редакцию не загрузить"));
    }
    let note = note.trim();
    if note.chars().count() > 2000 {
        return Err(Error::invalid("note", "пояснение к редакции — не длиннее 2000 символов"));
    }
    let owned = bytes.clone();
    let file_name = name.to_string();
    let (format, s, structured) = tokio::task::spawn_blocking(move || read_version(&file_name, &owned))
        .await
        .map_err(|e| Error::Internal(e.into()))??;
    let number: i64 = sqlx::query("SELECT COALESCE(MAX(number), 0) + 1 FROM draft_versions WHERE draft_id = $1")
        .bind(draft.id)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
    let key = format!("drafts/{}/v{number}/{}", draft.id, safe_name(name));
    storage.put(&key, bytes).await.map_err(Error::Internal)?;
    let mut tx = db.begin().await?;
    let version_id: i64 = sqlx::query(
        "INSERT INTO draft_versions (draft_id, number, file_name, file_key, media_type, preamble, closing, note,          created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(draft.id)
    .bind(number)
    .bind(name)
    .bind(&key)
    .bind(format.media_type())
    .bind(&s.preamble)
    .bind(&s.closing)
    .bind(note)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let known: Vec<(i64, String)> = {
        let rows = sqlx::query("SELECT id, key FROM draft_anchors WHERE draft_id = $1")
            .bind(draft.id)
            .fetch_all(&mut *tx)
            .await?;
        rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("key")?))).collect::<Result<_>>()?
    };
    for (ord, u) in s.units.iter().enumerate() {
        let anchor = match known.iter().find(|(_, k)| *k == u.key) {
            Some((id, _)) => {
                sqlx::query("UPDATE draft_anchors SET label = $1, ord = $2 WHERE id = $3")
                    .bind(&u.label)
                    .bind(ord as i64)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                *id
            }
            None => sqlx::query(
                "INSERT INTO draft_anchors (draft_id, key, label, ord) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(draft.id)
            .bind(&u.key)
            .bind(&u.label)
            .bind(ord as i64)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?,
        };
        sqlx::query(
            "INSERT INTO draft_units (version_id, ord, anchor_id, label, depth, text) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(version_id)
        .bind(ord as i64)
        .bind(anchor)
        .bind(&u.label)
        .bind(i64::from(u.depth))
        .bind(&u.text)
        .execute(&mut *tx)
        .await?;
    }
    event(&mut tx, draft.id, now, "version", &number.to_string()).await?;
    let change = Change {
        action: "create",
        object_type: "draft_version",
        object_id: version_id.to_string(),
        body_id: Some(draft.body_id),
        before: None,
        after: Some(serde_json::json!({
            "draft": draft.id, "number": number, "file": name, "units": s.units.len(), "note": note,
        })),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(Added { number, units: s.units.len(), structured })
}

/// Opens the draft's public discussion today, until `closes` (none: the shortest window its
/// kind's rule allows), on the portal's calendar.
pub async fn open_discussion(
    db: &Db,
    actor: &Actor,
    now: i64,
    draft: &Draft,
    kind: &Kind,
    (cal, today): (&Calendar, Date),
    closes: Option<Date>,
) -> Result<Window> {
    if draft.stage != "notice" {
        return Err(Error::invalid(
            "closes",
            "обсуждение уже открывалось: продлить его можно, открыв заново после новой редакции",
        ));
    }
    let has_text: i64 = sqlx::query("SELECT COUNT(*) FROM draft_versions WHERE draft_id = $1")
        .bind(draft.id)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
    if has_text == 0 {
        return Err(Error::invalid("closes", "сначала загрузите текст проекта: обсуждать пока нечего"));
    }
    let w = window::check(cal, today, closes, &kind.term()).map_err(|e| Error::invalid("closes", e.to_string()))?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE drafts SET stage = 'discussion', opens = $1, closes = $2, window_ru = $3, window_en = $4 WHERE id = $5",
    )
    .bind(w.opens.to_string())
    .bind(w.closes.to_string())
    .bind(w.explain_ru())
    .bind(w.explain_en())
    .bind(draft.id)
    .execute(&mut *tx)
    .await?;
    event(&mut tx, draft.id, now, "discussion", &w.span_ru()).await?;
    let change = Change::update(
        "draft",
        draft.id,
        Some(draft.body_id),
        serde_json::json!({ "stage": draft.stage }),
        serde_json::json!({ "stage": "discussion", "opens": w.opens.to_string(), "closes": w.closes.to_string() }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(w)
}

/// The draft's end: adopted (the act's details) or withdrawn (the reason).
pub async fn set_result(db: &Db, actor: &Actor, now: i64, draft: &Draft, outcome: &str, text: &str) -> Result<()> {
    let text = text.trim();
    if !matches!(outcome, "adopted" | "withdrawn") {
        return Err(Error::invalid("outcome", "выберите итог: акт принят или проект отозван"));
    }
    if text.is_empty() || text.chars().count() > 2000 {
        let what = if outcome == "adopted" {
            "вид, дату и номер принятого акта"
        } else {
            "причину отзыва проекта"
        };
        return Err(Error::invalid("result", format!("укажите {what} (до 2000 символов)")));
    }
    if matches!(draft.stage.as_str(), "adopted" | "withdrawn") {
        return Err(Error::invalid("result", "итог уже записан"));
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE drafts SET stage = $1, result = $2 WHERE id = $3")
        .bind(outcome)
        .bind(text)
        .bind(draft.id)
        .execute(&mut *tx)
        .await?;
    event(&mut tx, draft.id, now, outcome, text).await?;
    let change = Change::update(
        "draft",
        draft.id,
        Some(draft.body_id),
        serde_json::json!({ "stage": draft.stage, "result": draft.result }),
        serde_json::json!({ "stage": outcome, "result": text }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// One dated stage of the draft.
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    pub at: i64,
    pub what: String,
    pub detail: String,
}

pub async fn events(db: &Db, draft_id: i64) -> Result<Vec<Event>> {
    db.rows_by("SELECT at, what, detail FROM draft_events WHERE draft_id = $1 ORDER BY id".to_string(), draft_id, |r| {
        Ok(Event { at: r.try_get("at")?, what: r.try_get("what")?, detail: r.try_get("detail")? })
    })
    .await
}
