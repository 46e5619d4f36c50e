//! Online conferences of a body (seed 000 §41): announced with their time and stream; their topic
//! put to citizens' vote — one counted vote per confirmed address, the results hidden until the
//! vote closes; topics proposed by citizens and moderated; questions sent before, moderated, and
//! answered after; the recording. The schedule is checked against the norms of §41 (at least 6
//! conferences a year, 4 for the media, 2 a quarter with the head — settings) for each body.

//!
//! This file holds the conference itself and its schedule; `votes` the topic put to the vote,
//! proposals and moderation; `questions` the questions and their answers.

mod questions;
mod votes;

pub use questions::*;
pub use votes::*;

use std::collections::HashMap;

use jiff::tz::TimeZone;
use kernel::Db;
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use serde::Serialize;
use sqlx::Row;

use crate::meetings::{parse_time, url_ok};

/// general: any; media: for journalists (§41 д, «отдельно»); head: with the body's head.
pub const KINDS: &[&str] = &["general", "head", "media"];

pub(crate) const MAX_LINE: usize = 300;
pub(crate) const MAX_TEXT: usize = 20_000;
/// The most topics one vote takes.
pub const MAX_TOPICS: usize = 30;

#[derive(Clone, Debug, Serialize)]
pub struct Conference {
    pub id: i64,
    pub body_id: i64,
    pub kind: String,
    pub title: String,
    pub about: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub stream_url: String,
    pub recording_url: String,
    /// The moment topic voting closes; 0 when the topic is not put to a vote.
    pub voting_until: i64,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Conference {
    pub fn voting(&self, now: i64) -> bool {
        self.voting_until > 0 && now < self.voting_until && self.status == "announced"
    }

    /// The vote's results are shown to anyone, staff included, only once it closed.
    pub fn results_shown(&self, now: i64) -> bool {
        self.voting_until > 0 && now >= self.voting_until
    }

    /// Questions are taken until the conference begins.
    pub fn asking(&self, now: i64) -> bool {
        now < self.starts_at && self.status == "announced"
    }

    pub fn held(&self, now: i64) -> bool {
        now >= self.starts_at
    }

    /// The vote's last day («13.12.2026»): it closes at the end of it.
    pub fn last_day(&self, tz: &TimeZone) -> String {
        jiff::Timestamp::from_millisecond(self.voting_until - 1)
            .map(|t| t.to_zoned(tz.clone()).date().strftime("%d.%m.%Y").to_string())
            .unwrap_or_default()
    }
}

const CONFERENCE: &str = "id, body_id, kind, title, about, starts_at, ends_at, stream_url, recording_url, \
                          voting_until, status, created_at, updated_at";

fn conference_row(r: &sqlx::any::AnyRow) -> Result<Conference> {
    Ok(Conference {
        id: r.try_get("id")?,
        body_id: r.try_get("body_id")?,
        kind: r.try_get("kind")?,
        title: r.try_get("title")?,
        about: r.try_get("about")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        stream_url: r.try_get("stream_url")?,
        recording_url: r.try_get("recording_url")?,
        voting_until: r.try_get("voting_until")?,
        status: r.try_get("status")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Conference>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {CONFERENCE} FROM council_conferences WHERE id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(conference_row).transpose()
}

/// A body's conferences (or every body's), the latest first.
pub async fn list(db: &Db, body_id: Option<i64>) -> Result<Vec<Conference>> {
    db.rows_by(
        format!(
            "SELECT {CONFERENCE} FROM council_conferences WHERE ($1 = 0 OR body_id = $1) \
             ORDER BY starts_at DESC, id DESC"
        ),
        body_id.unwrap_or(0),
        conference_row,
    )
    .await
}

/// A conference as the staff form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ConferenceForm {
    pub kind: String,
    pub title: String,
    pub about: String,
    pub date: String,
    pub starts: String,
    pub ends: String,
    pub stream_url: String,
    /// Topics put to the vote, one per line; none: no vote.
    pub topics: String,
    /// The last day of voting (ДД.ММ.ГГГГ): the vote closes at its end.
    pub voting_until: String,
}

/// A checked conference.
#[derive(Clone, Debug, Serialize)]
pub struct Checked {
    pub kind: String,
    pub title: String,
    pub about: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub stream_url: String,
    pub topics: Vec<String>,
    pub voting_until: i64,
}

fn at(date: deadlines::Date, time: jiff::civil::Time, tz: &TimeZone) -> Option<i64> {
    Some(date.to_datetime(time).to_zoned(tz.clone()).ok()?.timestamp().as_millisecond())
}

/// Checks a conference; every problem at once.
pub fn check(f: &ConferenceForm, now: i64, tz: &TimeZone) -> Result<Checked> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    if !KINDS.contains(&f.kind.as_str()) {
        errors.push(("kind", "выберите вид конференции из списка".into()));
    }
    let title = f.title.trim();
    if title.is_empty() {
        errors.push(("title", "назовите конференцию: тему или, если тему выберут голосованием, её повод".into()));
    }
    let date = crate::store::day(&f.date);
    if date.is_none() {
        errors.push(("date", "укажите дату конференции в виде ДД.ММ.ГГГГ".into()));
    }
    let (starts, ends) = (parse_time(&f.starts), parse_time(&f.ends));
    if starts.is_none() {
        errors.push(("starts", "укажите время начала в виде ЧЧ:ММ".into()));
    }
    if ends.is_none() {
        errors.push(("ends", "укажите время окончания в виде ЧЧ:ММ".into()));
    }
    let (mut starts_at, mut ends_at) = (0, 0);
    if let (Some(d), Some(s), Some(e)) = (date, starts, ends) {
        starts_at = at(d, s, tz).unwrap_or(0);
        ends_at = at(d, e, tz).unwrap_or(0);
        if e <= s {
            errors.push(("ends", "конференция не может закончиться раньше, чем началась: проверьте время".into()));
        }
        if starts_at <= now {
            errors.push(("date", "дата и время конференции уже прошли".into()));
        }
    }
    let stream = f.stream_url.trim();
    if !url_ok(stream) {
        errors.push(("stream_url", "укажите адрес трансляции, начинающийся с https://".into()));
    }
    let topics: Vec<String> = f
        .topics
        .lines()
        .map(|l| l.trim().trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')').trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let mut voting_until = 0;
    match (crate::store::day(&f.voting_until), f.voting_until.trim().is_empty()) {
        (_, true) if !topics.is_empty() => {
            errors.push(("voting_until", "укажите последний день голосования за тему".into()));
        }
        (_, true) => {}
        (None, false) => errors.push(("voting_until", "укажите последний день голосования в виде ДД.ММ.ГГГГ".into())),
        (Some(last), false) => {
            let next = last.checked_add(jiff::Span::new().days(1)).unwrap_or(last);
            voting_until = at(next, jiff::civil::Time::midnight(), tz).unwrap_or(0);
            if voting_until <= now {
                errors.push(("voting_until", "последний день голосования уже прошёл".into()));
            } else if starts_at > 0 && voting_until > starts_at {
                errors.push((
                    "voting_until",
                    "голосование за тему должно закончиться до начала конференции: укажите более ранний день".into(),
                ));
            }
            if topics.len() < 2 {
                errors.push(("topics", "для голосования нужны хотя бы две темы, по одной в строке".into()));
            }
        }
    }
    if topics.len() > MAX_TOPICS {
        errors.push(("topics", format!("не больше {MAX_TOPICS} тем")));
    }
    if topics.iter().any(|t| t.chars().count() > MAX_LINE) || title.chars().count() > MAX_LINE {
        errors.push(("topics", format!("тема — не длиннее {MAX_LINE} символов")));
    }
    if f.about.trim().chars().count() > MAX_TEXT {
        errors.push(("about", format!("не длиннее {MAX_TEXT} символов")));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    Ok(Checked {
        kind: f.kind.clone(),
        title: title.to_string(),
        about: f.about.trim().to_string(),
        starts_at,
        ends_at,
        stream_url: stream.to_string(),
        topics,
        voting_until,
    })
}

/// Announces a conference with the topics put to the vote.
pub async fn create(db: &Db, actor: &Actor, now: i64, body_id: i64, c: &Checked) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO council_conferences (body_id, kind, title, about, starts_at, ends_at, stream_url, \
         voting_until, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(body_id)
    .bind(&c.kind)
    .bind(&c.title)
    .bind(&c.about)
    .bind(c.starts_at)
    .bind(c.ends_at)
    .bind(&c.stream_url)
    .bind(c.voting_until)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    for t in &c.topics {
        sqlx::query(
            "INSERT INTO council_conference_topics (conference_id, title, status, created_at) \
             VALUES ($1, $2, 'open', $3)",
        )
        .bind(id)
        .bind(t)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let change = Change {
        action: "create",
        object_type: "council_conference",
        object_id: id.to_string(),
        body_id: Some(body_id),
        before: None,
        after: audit::snapshot(c),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// The links of a conference: the stream before, the recording after.
#[derive(Clone, Debug, Default, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct LinksForm {
    pub stream_url: String,
    pub recording_url: String,
}

pub async fn set_links(db: &Db, actor: &Actor, now: i64, c: &Conference, f: &LinksForm) -> Result<()> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let (stream, recording) = (f.stream_url.trim(), f.recording_url.trim());
    if !url_ok(stream) {
        errors.push(("stream_url", "укажите адрес трансляции, начинающийся с https://".into()));
    }
    if !url_ok(recording) {
        errors.push(("recording_url", "укажите адрес записи, начинающийся с https://".into()));
    }
    if !errors.is_empty() {
        return Err(Error::Form(errors));
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE council_conferences SET stream_url = $1, recording_url = $2, updated_at = $3 WHERE id = $4")
        .bind(stream)
        .bind(recording)
        .bind(now)
        .bind(c.id)
        .execute(&mut *tx)
        .await?;
    let change = Change::update(
        "council_conference",
        c.id,
        Some(c.body_id),
        serde_json::json!({ "stream_url": c.stream_url, "recording_url": c.recording_url }),
        serde_json::json!({ "stream_url": stream, "recording_url": recording }),
    );
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// The norms of §41 д, as the portal's settings give them.
#[derive(Clone, Copy, Debug)]
pub struct Norms {
    pub per_year: i64,
    pub media_per_year: i64,
    pub head_per_quarter: i64,
}

impl Norms {
    pub fn of(cfg: &kernel::Config) -> Norms {
        Norms {
            per_year: cfg.conferences_per_year,
            media_per_year: cfg.conferences_media_per_year,
            head_per_quarter: cfg.conferences_head_per_quarter,
        }
    }
}

/// A body's conferences in the year and quarter of `today`, held or announced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Schedule {
    /// Every conference but the media's (those are held «отдельно»).
    pub year: i64,
    pub media: i64,
    pub head_quarter: i64,
}

impl Schedule {
    /// The norms this schedule falls short of, as string keys.
    pub fn short_of(&self, n: &Norms) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.year < n.per_year {
            out.push("conferences_short_year");
        }
        if self.media < n.media_per_year {
            out.push("conferences_short_media");
        }
        if self.head_quarter < n.head_per_quarter {
            out.push("conferences_short_head");
        }
        out
    }
}

/// The start of `today`'s year and quarter, and the end of both, in ms.
fn spans(today: deadlines::Date, tz: &TimeZone) -> ((i64, i64), (i64, i64)) {
    let ms = |y: i16, m: i8| {
        jiff::civil::date(y, m, 1).to_zoned(tz.clone()).map(|z| z.timestamp().as_millisecond()).unwrap_or_default()
    };
    let y = today.year();
    let q = (today.month() - 1) / 3;
    let q_end = if q == 3 { ms(y + 1, 1) } else { ms(y, (q + 1) * 3 + 1) };
    ((ms(y, 1), ms(y + 1, 1)), (ms(y, q * 3 + 1), q_end))
}

/// Each body's schedule in the year and quarter of `today`, cancelled conferences left out.
pub async fn schedules(db: &Db, today: deadlines::Date, tz: &TimeZone) -> Result<HashMap<i64, Schedule>> {
    let ((from, until), (q_from, q_until)) = spans(today, tz);
    let rows = sqlx::query(
        "SELECT body_id, kind, starts_at FROM council_conferences WHERE starts_at >= $1 AND starts_at < $2 \
         AND status <> 'cancelled'",
    )
    .bind(from)
    .bind(until)
    .fetch_all(&db.pool)
    .await?;
    let mut out: HashMap<i64, Schedule> = HashMap::new();
    for r in rows {
        let (body, kind, at): (i64, String, i64) = (r.try_get("body_id")?, r.try_get("kind")?, r.try_get("starts_at")?);
        let s = out.entry(body).or_default();
        if kind == "media" {
            s.media += 1;
        } else {
            s.year += 1;
        }
        if kind == "head" && (q_from..q_until).contains(&at) {
            s.head_quarter += 1;
        }
    }
    Ok(out)
}

/// Proposals and questions awaiting moderation, by body.
pub async fn awaiting(db: &Db) -> Result<HashMap<i64, i64>> {
    let rows = sqlx::query(
        "SELECT c.body_id, COUNT(*) AS n FROM council_conferences c JOIN council_conference_topics t \
         ON t.conference_id = c.id WHERE t.status = 'proposed' GROUP BY c.body_id \
         UNION ALL SELECT c.body_id, COUNT(*) AS n FROM council_conferences c JOIN council_conference_questions q \
         ON q.conference_id = c.id WHERE q.status = 'new' GROUP BY c.body_id",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut out: HashMap<i64, i64> = HashMap::new();
    for r in rows {
        *out.entry(r.try_get("body_id")?).or_default() += r.try_get::<i64, _>("n")?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz() -> TimeZone {
        TimeZone::get("Asia/Tomsk").expect("zone")
    }

    fn now() -> i64 {
        jiff::civil::date(2026, 12, 7).at(12, 0, 0, 0).to_zoned(tz()).expect("zoned").timestamp().as_millisecond()
    }

    fn form() -> ConferenceForm {
        ConferenceForm {
            kind: "head".into(),
            title: "Прямая линия с руководителем".into(),
            date: "21.12.2026".into(),
            starts: "15:00".into(),
            ends: "16:30".into(),
            topics: "Дороги\nШколы\n".into(),
            voting_until: "14.12.2026".into(),
            ..ConferenceForm::default()
        }
    }

    fn problems(r: Result<Checked>) -> Vec<&'static str> {
        match r {
            Err(Error::Form(list)) => list.into_iter().map(|(f, _)| f).collect(),
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn a_vote_closes_at_the_end_of_its_last_day_before_the_conference() {
        let c = check(&form(), now(), &tz()).expect("checked");
        let end = jiff::civil::date(2026, 12, 15).at(0, 0, 0, 0).to_zoned(tz()).expect("z").timestamp();
        assert_eq!(c.voting_until, end.as_millisecond());
        assert_eq!(c.topics, ["Дороги", "Школы"]);
        let late = ConferenceForm { voting_until: "21.12.2026".into(), ..form() };
        assert_eq!(problems(check(&late, now(), &tz())), ["voting_until"]);
        let one = ConferenceForm { topics: "Дороги".into(), ..form() };
        assert_eq!(problems(check(&one, now(), &tz())), ["topics"]);
        let backwards = ConferenceForm { ends: "14:00".into(), kind: "x".into(), ..form() };
        assert_eq!(problems(check(&backwards, now(), &tz())), ["kind", "ends"]);
        let no_vote = ConferenceForm { topics: String::new(), voting_until: String::new(), ..form() };
        assert_eq!(check(&no_vote, now(), &tz()).expect("checked").voting_until, 0);
    }

    #[test]
    fn results_are_hidden_until_the_vote_closes_then_most_votes_first() {
        let c = check(&form(), now(), &tz()).expect("checked");
        let conf = Conference {
            id: 1,
            body_id: 1,
            kind: c.kind,
            title: c.title,
            about: String::new(),
            starts_at: c.starts_at,
            ends_at: c.ends_at,
            stream_url: String::new(),
            recording_url: String::new(),
            voting_until: c.voting_until,
            status: "announced".into(),
            created_at: 0,
            updated_at: 0,
        };
        let t = |id, status: &str, votes| Topic {
            id,
            title: format!("t{id}"),
            status: status.into(),
            reason: String::new(),
            email: String::new(),
            votes,
        };
        let topics = [t(1, "open", 2), t(2, "open", 5), t(3, "rejected", 0)];
        assert!(results(&conf, &topics, conf.voting_until - 1).is_none());
        let shown = results(&conf, &topics, conf.voting_until).expect("shown");
        assert_eq!(shown.iter().map(|t| t.id).collect::<Vec<_>>(), [2, 1]);
    }

    #[test]
    fn the_schedule_counts_media_apart_and_the_head_by_quarter() {
        let ((y0, y1), (q0, q1)) = spans(deadlines::Date::constant(2026, 12, 7), &tz());
        let ms = |m: i8| jiff::civil::date(2026, m, 1).to_zoned(tz()).expect("z").timestamp().as_millisecond();
        assert_eq!((y0, q0), (ms(1), ms(10)));
        let next = jiff::civil::date(2027, 1, 1).to_zoned(tz()).expect("z").timestamp().as_millisecond();
        assert_eq!((y1, q1), (next, next));
        let norms = Norms { per_year: 6, media_per_year: 4, head_per_quarter: 2 };
        let s = Schedule { year: 6, media: 3, head_quarter: 2 };
        assert_eq!(s.short_of(&norms), ["conferences_short_media"]);
    }
}
