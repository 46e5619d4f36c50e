//! Meetings of a council: the announcement, checked against the minimum notice (seed 000 §32:
//! at least 7 days, a setting) unless it is extraordinary with its reason; the agenda, whose
//! speakers who sit on the council are linked to them (so their names follow their consent);
//! after the meeting, the minutes, who attended, the transcript and a decision per agenda item.

use std::collections::HashMap;

use deadlines::Date;
use jiff::tz::TimeZone;
use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use serde::Serialize;
use sqlx::Row;

use crate::store::{Council, Member};

/// The statuses of a decision's implementation.
pub const DECISION_STATUSES: &[&str] = &["in_work", "done", "not_done"];

const MAX_LINE: usize = 500;
const MAX_TEXT: usize = 50_000;
/// The most agenda items one meeting takes.
pub const MAX_ITEMS: usize = 60;

#[derive(Clone, Debug, Serialize)]
pub struct Meeting {
    pub id: i64,
    pub council_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub attendance: String,
    pub documents: String,
    pub capacity: i64,
    pub stream_url: String,
    pub recording_url: String,
    pub extraordinary: String,
    pub closed_law: String,
    pub status: String,
    pub minutes: String,
    pub attended: String,
    pub transcript: String,
    pub minutes_at: Option<i64>,
    pub announced_at: i64,
    pub updated_at: i64,
    /// Why it was cancelled, when it was.
    pub cancel_reason: String,
}

impl Meeting {
    /// Whether the public may register: an open session with seats counted, not yet begun.
    pub fn registering(&self, now: i64) -> bool {
        self.status == "announced" && self.closed_law.is_empty() && self.capacity > 0 && now < self.starts_at
    }

    pub fn held(&self, now: i64) -> bool {
        now >= self.starts_at
    }

    pub fn has_minutes(&self) -> bool {
        self.minutes_at.is_some()
    }
}

const MEETING: &str = "id, council_id, starts_at, ends_at, place, attendance, documents, capacity, stream_url, \
                       recording_url, extraordinary, closed_law, status, minutes, attended, transcript, minutes_at, \
                       announced_at, updated_at, cancel_reason";

fn meeting_row(r: &sqlx::any::AnyRow) -> Result<Meeting> {
    Ok(Meeting {
        id: r.try_get("id")?,
        council_id: r.try_get("council_id")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        place: r.try_get("place")?,
        attendance: r.try_get("attendance")?,
        documents: r.try_get("documents")?,
        capacity: r.try_get("capacity")?,
        stream_url: r.try_get("stream_url")?,
        recording_url: r.try_get("recording_url")?,
        extraordinary: r.try_get("extraordinary")?,
        closed_law: r.try_get("closed_law")?,
        status: r.try_get("status")?,
        minutes: r.try_get("minutes")?,
        attended: r.try_get("attended")?,
        transcript: r.try_get("transcript")?,
        minutes_at: r.try_get("minutes_at")?,
        announced_at: r.try_get("announced_at")?,
        updated_at: r.try_get("updated_at")?,
        cancel_reason: r.try_get("cancel_reason")?,
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Meeting>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {MEETING} FROM council_meetings WHERE id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(meeting_row).transpose()
}

/// A council's meetings, the latest first.
pub async fn of_council(db: &Db, council_id: i64) -> Result<Vec<Meeting>> {
    db.rows_by(
        format!("SELECT {MEETING} FROM council_meetings WHERE council_id = $1 ORDER BY starts_at DESC, id DESC"),
        council_id,
        meeting_row,
    )
    .await
}

/// A meeting on a calendar: the meeting, its council's name and id, its body's id.
#[derive(Clone, Debug)]
pub struct Listed {
    pub meeting: Meeting,
    pub council: String,
    pub body_id: i64,
}

/// Meetings of a body's councils (or every body's), starting in `[from, until)`, in order.
pub async fn calendar(db: &Db, body_id: Option<i64>, (from, until): (i64, i64)) -> Result<Vec<Listed>> {
    let columns = MEETING.split(", ").map(|c| format!("m.{c}")).collect::<Vec<_>>().join(", ");
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {columns}, c.name AS council_name, c.body_id FROM council_meetings m JOIN councils c ON \
         c.id = m.council_id WHERE ($1 = 0 OR c.body_id = $1) AND m.starts_at >= $2 AND m.starts_at < $3 \
         ORDER BY m.starts_at, m.id"
    )))
    .bind(body_id.unwrap_or(0))
    .bind(from)
    .bind(until)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Listed { meeting: meeting_row(r)?, council: r.try_get("council_name")?, body_id: r.try_get("body_id")? })
        })
        .collect()
}

/// An item of the agenda.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub ord: i64,
    pub title: String,
    /// The member who speaks, if one of the council's.
    pub speaker_member: i64,
    pub speaker: String,
    pub decision: String,
    pub decision_status: String,
}

impl Item {
    /// The speaker as the public sees it: a member by their consent, anyone else as written.
    pub fn public_speaker(&self, members: &[Member]) -> String {
        match members.iter().find(|m| m.id == self.speaker_member) {
            Some(m) => m.public_name().map(str::to_string).unwrap_or_else(|| "член совета".to_string()),
            None => self.speaker.clone(),
        }
    }
}

pub async fn agenda(db: &Db, meeting_id: i64) -> Result<Vec<Item>> {
    db.rows_by(
        "SELECT ord, title, speaker_member, speaker, decision, decision_status FROM council_agenda \
         WHERE meeting_id = $1 ORDER BY ord"
            .to_string(),
        meeting_id,
        item_row,
    )
    .await
}

fn item_row(r: &sqlx::any::AnyRow) -> Result<Item> {
    Ok(Item {
        ord: r.try_get("ord")?,
        title: r.try_get("title")?,
        speaker_member: r.try_get("speaker_member")?,
        speaker: r.try_get("speaker")?,
        decision: r.try_get("decision")?,
        decision_status: r.try_get("decision_status")?,
    })
}

/// The agendas of every meeting `calendar` lists for the same body and span, by meeting, in one
/// query (a feed of a thousand meetings is not a thousand queries).
pub async fn agendas(db: &Db, body_id: Option<i64>, (from, until): (i64, i64)) -> Result<HashMap<i64, Vec<Item>>> {
    let rows = sqlx::query(
        "SELECT a.meeting_id, a.ord, a.title, a.speaker_member, a.speaker, a.decision, a.decision_status \
         FROM council_agenda a JOIN council_meetings m ON m.id = a.meeting_id JOIN councils c ON c.id = m.council_id \
         WHERE ($1 = 0 OR c.body_id = $1) AND m.starts_at >= $2 AND m.starts_at < $3 ORDER BY a.meeting_id, a.ord",
    )
    .bind(body_id.unwrap_or(0))
    .bind(from)
    .bind(until)
    .fetch_all(&db.pool)
    .await?;
    let mut out: HashMap<i64, Vec<Item>> = HashMap::new();
    for r in &rows {
        out.entry(r.try_get("meeting_id")?).or_default().push(item_row(r)?);
    }
    Ok(out)
}

/// An announcement as the secretary's form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AnnounceForm {
    pub date: String,
    pub starts: String,
    pub ends: String,
    pub place: String,
    #[serde(rename = "meeting_attendance")]
    pub attendance: String,
    /// One item per line; a speaker after « — ».
    pub agenda: String,
    pub documents: String,
    pub capacity: String,
    pub stream_url: String,
    pub extraordinary: String,
    /// "1" for a closed session, with the law that restricts access.
    pub closed: String,
    pub closed_law: String,
}

/// A checked announcement.
#[derive(Clone, Debug, Serialize)]
pub struct Announcement {
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub attendance: String,
    pub documents: String,
    pub capacity: i64,
    pub stream_url: String,
    pub extraordinary: String,
    pub closed_law: String,
    /// (title, member id or 0, speaker as written)
    pub agenda: Vec<(String, i64, String)>,
}

/// What an announcement is checked against: now and today, the portal's zone, the minimum notice.
pub struct Rules<'a> {
    pub now: i64,
    pub today: Date,
    pub tz: &'a TimeZone,
    pub notice_days: i64,
}

impl Rules<'_> {
    /// The earliest day a meeting announced today may be held without being extraordinary.
    pub fn earliest(&self) -> Date {
        self.today.checked_add(jiff::Span::new().days(self.notice_days)).unwrap_or(self.today)
    }
}

pub(crate) fn parse_time(value: &str) -> Option<jiff::civil::Time> {
    let v = value.trim().replace('.', ":");
    let (h, m) = v.split_once(':')?;
    let (h, m) = (h.parse::<i8>().ok()?, m.parse::<i8>().ok()?);
    jiff::civil::Time::new(h, m, 0, 0).ok()
}

pub(crate) fn url_ok(u: &str) -> bool {
    u.is_empty()
        || ((u.starts_with("https://") || u.starts_with("http://"))
            && u.len() <= 1000
            && !u.contains(char::is_whitespace))
}

fn ms(date: Date, time: jiff::civil::Time, tz: &TimeZone) -> Option<i64> {
    Some(date.to_datetime(time).to_zoned(tz.clone()).ok()?.timestamp().as_millisecond())
}

/// Reads the agenda: one item per line (numbers in front dropped), the speaker after « — »; a
/// speaker who is a member of the council is linked to them.
pub fn read_agenda(text: &str, members: &[Member]) -> Vec<(String, i64, String)> {
    text.lines()
        .map(|l| l.trim().trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')').trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (title, speaker) = match l.split_once(" — ").or_else(|| l.split_once(" - ")) {
                Some((t, s)) => (t.trim(), s.trim().trim_start_matches("докладчик:").trim()),
                None => (l, ""),
            };
            let member = members
                .iter()
                .find(|m| m.current() && !speaker.is_empty() && m.full_name.to_lowercase() == speaker.to_lowercase());
            match member {
                Some(m) => (title.to_string(), m.id, String::new()),
                None => (title.to_string(), 0, speaker.to_string()),
            }
        })
        .collect()
}

/// Checks an announcement; every problem at once.
pub fn check(f: &AnnounceForm, council: &Council, members: &[Member], rules: &Rules) -> Result<Announcement> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let date = crate::store::day(&f.date);
    if date.is_none() {
        errors.push(("date", "укажите дату заседания в виде ДД.ММ.ГГГГ".into()));
    }
    let (starts, ends) = (parse_time(&f.starts), parse_time(&f.ends));
    if starts.is_none() {
        errors.push(("starts", "укажите время начала в виде ЧЧ:ММ".into()));
    }
    if ends.is_none() {
        errors.push(("ends", "укажите время окончания в виде ЧЧ:ММ".into()));
    }
    let extraordinary = f.extraordinary.trim();
    let (mut starts_at, mut ends_at) = (0, 0);
    if let (Some(d), Some(s), Some(e)) = (date, starts, ends) {
        starts_at = ms(d, s, rules.tz).unwrap_or(0);
        ends_at = ms(d, e, rules.tz).unwrap_or(0);
        if e <= s {
            errors.push((
                "ends",
                "заседание не может закончиться раньше, чем началось: проверьте время окончания".into(),
            ));
        }
        if starts_at <= rules.now {
            errors.push(("date", "дата и время заседания уже прошли".into()));
        } else if d < rules.earliest() && extraordinary.is_empty() {
            errors.push((
                "date",
                format!(
                    "анонс размещается не менее чем за {} {} до заседания (п. 32 Методических рекомендаций): при анонсе сегодня заседание можно назначить не раньше {}. Если заседание внеочередное, укажите причину — она будет показана в анонсе",
                    rules.notice_days,
                    shell::chrome::days_ru(rules.notice_days),
                    rules.earliest().strftime("%d.%m.%Y")
                ),
            ));
        }
    }
    let place = f.place.trim();
    if place.is_empty() {
        errors.push((
            "place",
            "укажите место проведения: адрес и помещение, или «онлайн» со ссылкой на трансляцию".into(),
        ));
    }
    let attendance = match f.attendance.trim() {
        "" => council.attendance.clone(),
        a => a.to_string(),
    };
    let agenda = read_agenda(&f.agenda, members);
    if agenda.is_empty() {
        errors.push(("agenda", "в повестке нет ни одного вопроса: впишите вопросы, по одному в строке".into()));
    } else if agenda.len() > MAX_ITEMS {
        errors.push(("agenda", format!("в повестке — не больше {MAX_ITEMS} вопросов")));
    } else if agenda.iter().any(|(t, _, s)| t.chars().count() > MAX_LINE || s.chars().count() > MAX_LINE) {
        errors.push(("agenda", format!("вопрос повестки — не длиннее {MAX_LINE} символов")));
    }
    let capacity = match f.capacity.trim() {
        "" => 0,
        c => match c.parse::<i64>() {
            Ok(n) if (0..=100_000).contains(&n) => n,
            _ => {
                errors.push(("capacity", "укажите число мест для граждан числом (0 — запись не нужна)".into()));
                0
            }
        },
    };
    let stream = f.stream_url.trim();
    if !url_ok(stream) {
        errors.push(("stream_url", "укажите адрес трансляции, начинающийся с https://".into()));
    }
    let closed_law = f.closed_law.trim();
    if f.closed == "1" && closed_law.is_empty() {
        errors.push((
            "closed_law",
            "назовите федеральный закон, которым обсуждаемая информация отнесена к информации ограниченного доступа: без него заседание открытое".into(),
        ));
    }
    for (field, value, most) in [
        ("place", place, MAX_LINE),
        ("extraordinary", extraordinary, MAX_TEXT),
        ("closed_law", closed_law, MAX_LINE),
        ("meeting_attendance", attendance.as_str(), MAX_TEXT),
        ("documents", f.documents.trim(), MAX_TEXT),
    ] {
        if value.chars().count() > most {
            errors.push((field, format!("не длиннее {most} символов")));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    Ok(Announcement {
        starts_at,
        ends_at,
        place: place.to_string(),
        attendance,
        documents: f.documents.trim().to_string(),
        capacity: if f.closed == "1" { 0 } else { capacity },
        stream_url: stream.to_string(),
        extraordinary: extraordinary.to_string(),
        closed_law: if f.closed == "1" { closed_law.to_string() } else { String::new() },
        agenda,
    })
}

/// Publishes an announcement.
pub async fn announce(db: &Db, actor: &Actor, now: i64, council: &Council, a: &Announcement) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO council_meetings (council_id, starts_at, ends_at, place, attendance, documents, capacity, \
         stream_url, extraordinary, closed_law, announced_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(council.id)
    .bind(a.starts_at)
    .bind(a.ends_at)
    .bind(&a.place)
    .bind(&a.attendance)
    .bind(&a.documents)
    .bind(a.capacity)
    .bind(&a.stream_url)
    .bind(&a.extraordinary)
    .bind(&a.closed_law)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    for (i, (title, member, speaker)) in a.agenda.iter().enumerate() {
        sqlx::query(
            "INSERT INTO council_agenda (meeting_id, ord, title, speaker_member, speaker) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(title)
        .bind(member)
        .bind(speaker)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE councils SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(council.id)
        .execute(&mut *tx)
        .await?;
    let change = Change {
        action: "create",
        object_type: "council_meeting",
        object_id: id.to_string(),
        body_id: Some(council.body_id),
        before: None,
        after: audit::snapshot(a),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// The minutes as the secretary's form sends them: the texts, the recording, and a decision with
/// its status per agenda item (`decision_N`, `status_N`).
#[derive(Clone, Debug, Default)]
pub struct MinutesForm {
    pub minutes: String,
    pub attended: String,
    pub transcript: String,
    pub recording_url: String,
    pub decisions: Vec<(i64, String, String)>,
}

/// Publishes (or corrects) the minutes of a meeting that has begun.
pub async fn publish_minutes(
    db: &Db,
    actor: &Actor,
    now: i64,
    (council, m): (&Council, &Meeting),
    f: &MinutesForm,
) -> Result<()> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if !m.held(now) {
        errors.push(("minutes", "протокол публикуется после заседания".into()));
    }
    if f.minutes.trim().is_empty() {
        errors.push(("minutes", "вставьте текст протокола".into()));
    }
    for (field, value) in [("minutes", &f.minutes), ("attended", &f.attended), ("transcript", &f.transcript)] {
        if value.chars().count() > MAX_TEXT * 4 {
            errors.push((field, format!("не длиннее {} символов", MAX_TEXT * 4)));
        }
    }
    if !url_ok(f.recording_url.trim()) {
        errors.push(("recording_url", "укажите адрес записи, начинающийся с https://".into()));
    }
    for (_, decision, status) in &f.decisions {
        if decision.chars().count() > MAX_TEXT {
            errors.push(("decisions", format!("решение — не длиннее {MAX_TEXT} символов")));
        }
        if !(status.is_empty() || DECISION_STATUSES.contains(&status.as_str())) {
            errors.push(("decisions", "выберите состояние исполнения решения из списка".into()));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE council_meetings SET minutes = $1, attended = $2, transcript = $3, recording_url = $4, \
         minutes_at = COALESCE(minutes_at, $5), updated_at = $5 WHERE id = $6",
    )
    .bind(f.minutes.trim())
    .bind(f.attended.trim())
    .bind(f.transcript.trim())
    .bind(f.recording_url.trim())
    .bind(now)
    .bind(m.id)
    .execute(&mut *tx)
    .await?;
    for (ord, decision, status) in &f.decisions {
        sqlx::query("UPDATE council_agenda SET decision = $1, decision_status = $2 WHERE meeting_id = $3 AND ord = $4")
            .bind(decision.trim())
            .bind(status)
            .bind(m.id)
            .bind(ord)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE councils SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(council.id)
        .execute(&mut *tx)
        .await?;
    let change = Change::update(
        "council_meeting",
        m.id,
        Some(council.body_id),
        serde_json::json!({ "minutes": m.minutes, "attended": m.attended, "transcript": m.transcript,
            "recording_url": m.recording_url }),
        serde_json::json!({ "minutes": f.minutes.trim(), "attended": f.attended.trim(),
            "transcript": f.transcript.trim(), "recording_url": f.recording_url.trim(),
            "decisions": f.decisions }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// The day the minutes of a meeting are due: N working days after the meeting's day.
pub fn minutes_due(cal: &deadlines::Calendar, m: &Meeting, tz: &TimeZone, working_days: i64) -> Option<Date> {
    let day = jiff::Timestamp::from_millisecond(m.starts_at).ok()?.to_zoned(tz.clone()).date();
    let term = deadlines::Term::working_days(u32::try_from(working_days).ok()?);
    cal.add(day, &term).ok().map(|c| c.date)
}

/// A meeting held whose minutes are not published: its council and body, and when they are due.
#[derive(Clone, Debug)]
pub struct Unpublished {
    pub meeting: Meeting,
    pub council: String,
    pub email: String,
    pub body_id: i64,
    pub due: Date,
}

/// Every meeting that has begun and has no minutes yet, with the day they are due.
pub async fn without_minutes(
    db: &Db,
    cfg: &kernel::Config,
    cal: &deadlines::Calendar,
    now: i64,
) -> Result<Vec<Unpublished>> {
    let tz = TimeZone::get(&cfg.timezone).map_err(|e| Error::Internal(e.into()))?;
    let columns = MEETING.split(", ").map(|c| format!("m.{c}")).collect::<Vec<_>>().join(", ");
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {columns}, c.name AS council_name, c.email AS council_email, c.body_id FROM council_meetings m \
         JOIN councils c ON c.id = m.council_id WHERE m.minutes_at IS NULL AND m.status = 'announced' \
         AND m.starts_at <= $1 ORDER BY m.starts_at"
    )))
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let meeting = meeting_row(r)?;
        let Some(due) = minutes_due(cal, &meeting, &tz, cfg.council_minutes_working_days) else { continue };
        out.push(Unpublished {
            meeting,
            council: r.try_get("council_name")?,
            email: r.try_get("council_email")?,
            body_id: r.try_get("body_id")?,
            due,
        });
    }
    Ok(out)
}

/// A meeting held, as the compliance engine counts its minutes: its council and body, when the
/// minutes are due and when they were published, if they were.
#[derive(Clone, Debug)]
pub struct Held {
    pub meeting: Meeting,
    pub council: String,
    pub body_id: i64,
    /// The meeting's day.
    pub on: Date,
    pub due: Date,
    pub published: Option<Date>,
}

/// The meetings held in the year before `now` and every older one still without minutes.
pub async fn held(db: &Db, cfg: &kernel::Config, cal: &deadlines::Calendar, now: i64) -> Result<Vec<Held>> {
    let tz = TimeZone::get(&cfg.timezone).map_err(|e| Error::Internal(e.into()))?;
    let columns = MEETING.split(", ").map(|c| format!("m.{c}")).collect::<Vec<_>>().join(", ");
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {columns}, c.name AS council_name, c.body_id FROM council_meetings m \
         JOIN councils c ON c.id = m.council_id WHERE m.status = 'announced' AND m.starts_at <= $1 \
         AND (m.starts_at > $2 OR m.minutes_at IS NULL) ORDER BY m.starts_at"
    )))
    .bind(now)
    .bind(now - 366 * 86_400_000)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let meeting = meeting_row(r)?;
        let Some(due) = minutes_due(cal, &meeting, &tz, cfg.council_minutes_working_days) else { continue };
        let published = meeting
            .minutes_at
            .and_then(|at| jiff::Timestamp::from_millisecond(at).ok())
            .map(|t| t.to_zoned(tz.clone()).date());
        let on = jiff::Timestamp::from_millisecond(meeting.starts_at)
            .map_err(|e| Error::Internal(e.into()))?
            .to_zoned(tz.clone())
            .date();
        let (council, body_id) = (r.try_get("council_name")?, r.try_get("body_id")?);
        out.push(Held { meeting, council, body_id, on, due, published });
    }
    Ok(out)
}

/// Reminds a council's address once of minutes due within the reminder's working days (or late).
pub async fn remind_minutes(db: &Db, cfg: &kernel::Config, now: i64) -> anyhow::Result<usize> {
    let tz = TimeZone::get(&cfg.timezone)?;
    let today = jiff::Timestamp::from_millisecond(now)?.to_zoned(tz.clone()).date();
    let cal = kernel::calendar::calendar(db, cfg).await?;
    let mut conn = db.pool.acquire().await?;
    let mut queued = 0;
    for u in without_minutes(db, cfg, &cal, now).await? {
        let Ok(first_after) = today.tomorrow() else { continue };
        if u.due >= first_after && cal.working_days_between(first_after, u.due) > cfg.reminder_working_days {
            continue;
        }
        let body = kernel::bodies::by_id(db, u.body_id).await?;
        let slug = body.as_ref().map(|b| b.slug.as_str()).unwrap_or_default();
        let letter = crate::mail::MinutesReminder {
            council: &u.council,
            when: &crate::ical::when_ru(u.meeting.starts_at, &tz),
            due: u.due.strftime("%d.%m.%Y").to_string(),
            link: format!("{}/staff/o/{slug}/councils/meetings/{}", cfg.public_url.trim_end_matches('/'), u.meeting.id),
        };
        let mail = crate::mail::Letter::to(&letter, &u.email)?;
        let key = format!("council-minutes:{}", u.meeting.id);
        if kernel::outbox::enqueue_email(&mut conn, now, &key, &mail).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn council() -> Council {
        Council {
            id: 1,
            body_id: 1,
            kind: "public_council".into(),
            name: "Общественный совет".into(),
            about: String::new(),
            address: String::new(),
            phone: String::new(),
            email: "council@example.ru".into(),
            attendance: "Вход свободный по документу, удостоверяющему личность.".into(),
            created_at: 0,
            updated_at: 0,
        }
    }

    fn member(id: i64, name: &str) -> Member {
        Member {
            id,
            council_id: 1,
            full_name: name.into(),
            role: "member".into(),
            affiliation: String::new(),
            term_from: String::new(),
            term_until: String::new(),
            consent: false,
            photo_key: String::new(),
            left_on: String::new(),
        }
    }

    fn form(date: &str) -> AnnounceForm {
        AnnounceForm {
            date: date.into(),
            starts: "15:00".into(),
            ends: "17:00".into(),
            place: "г. Томск, пр. Ленина, 111, зал 3".into(),
            agenda: "1. О плане работы на 2027 год — Иванова Анна Петровна\n2. Разное".into(),
            capacity: "20".into(),
            ..AnnounceForm::default()
        }
    }

    fn rules(tz: &TimeZone) -> Rules<'_> {
        // 2026-12-09 09:00 in Tomsk.
        let now = jiff::civil::date(2026, 12, 9).at(9, 0, 0, 0).to_zoned(tz.clone()).expect("zoned");
        Rules { now: now.timestamp().as_millisecond(), today: now.date(), tz, notice_days: 7 }
    }

    #[test]
    fn an_announcement_later_than_the_notice_is_refused_with_the_earliest_day() {
        let tz = TimeZone::get("Asia/Tomsk").expect("zone");
        let r = rules(&tz);
        let Err(Error::Form(errors)) = check(&form("14.12.2026"), &council(), &[], &r) else { panic!("refused") };
        assert_eq!(errors.len(), 1);
        assert!(errors[0].1.contains("не менее чем за 7 дней") && errors[0].1.contains("16.12.2026"), "{errors:?}");
        assert!(check(&form("16.12.2026"), &council(), &[], &r).is_ok(), "seven days ahead is in time");
        let urgent = AnnounceForm {
            extraordinary: "Поручение губернатора от 08.12.2026".into(), ..form("14.12.2026")
        };
        assert_eq!(check(&urgent, &council(), &[], &r).expect("extraordinary").extraordinary, urgent.extraordinary);
    }

    #[test]
    fn a_meeting_is_at_the_local_time_it_was_announced_for() {
        for (zone, offset_h) in [("Asia/Tomsk", 7), ("UTC", 0)] {
            let tz = TimeZone::get(zone).expect("zone");
            let a = check(&form("17.12.2026"), &council(), &[], &rules(&tz)).expect("announcement");
            let utc = jiff::Timestamp::from_millisecond(a.starts_at).expect("ts").to_zoned(TimeZone::UTC);
            assert_eq!(utc.hour(), 15 - offset_h, "{zone}");
            assert_eq!(a.ends_at - a.starts_at, 2 * 3_600_000);
        }
    }

    #[test]
    fn bad_announcements_name_every_problem() {
        let tz = TimeZone::get("Asia/Tomsk").expect("zone");
        let bad = AnnounceForm {
            ends: "14:00".into(),
            agenda: "\n  \n".into(),
            place: " ".into(),
            capacity: "много".into(),
            stream_url: "javascript:alert(1)".into(),
            closed: "1".into(),
            ..form("20.12.2026")
        };
        let Err(Error::Form(errors)) = check(&bad, &council(), &[], &rules(&tz)) else { panic!("refused") };
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["ends", "place", "agenda", "capacity", "stream_url", "closed_law"]);
        assert!(errors[0].1.contains("раньше, чем началось"));
    }

    #[test]
    fn speakers_who_sit_on_the_council_are_linked_to_them() {
        let members = [member(7, "Иванова Анна Петровна")];
        let agenda = read_agenda(
            "1. О плане — иванова анна петровна\n2) Отчёт - Петров П. П., начальник отдела\nРазное",
            &members,
        );
        assert_eq!(
            agenda,
            [
                ("О плане".to_string(), 7, String::new()),
                ("Отчёт".to_string(), 0, "Петров П. П., начальник отдела".to_string()),
                ("Разное".to_string(), 0, String::new()),
            ]
        );
        let item = Item {
            ord: 1,
            title: "О плане".into(),
            speaker_member: 7,
            speaker: String::new(),
            decision: String::new(),
            decision_status: String::new(),
        };
        assert_eq!(item.public_speaker(&members), "член совета");
        let consented = [Member { consent: true, ..member(7, "Иванова Анна Петровна") }];
        assert_eq!(item.public_speaker(&consented), "Иванова Анна Петровна");
    }
}
