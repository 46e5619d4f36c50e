//! What a body must publish as open data (seed 003 §2.2–2.4): the lists (1187-р, the
//! information with coordinates, the 2018 typical list) with their items, loaded and kept by the
//! regional coordinator as CSV; each body links an item to the dataset that covers it, or says
//! why it does not apply. Coverage and freshness follow: a covering dataset must get a new
//! version every period of the list's schedule (seed 003 §2.1: at least quarterly, by the 25th
//! of the quarter's last month), and an overdue one is reminded of through the outbox.
//! Only the lists are shipped: their items' official texts could not be verified, so none is.

use std::collections::HashMap;

use deadlines::{Calendar, Date, DayOffPolicy};
use kernel::audit::{self, Actor, Change};
use kernel::error::{Error, Result};
use kernel::{Config, Db};
use serde::Serialize;
use sqlx::Row;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct List {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub act: String,
    pub planned_items: Option<i64>,
    pub period: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Item {
    pub id: i64,
    pub list_id: i64,
    pub number: String,
    pub title: String,
    pub applies_to: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Link {
    pub item_id: i64,
    pub body_id: i64,
    pub dataset_id: Option<i64>,
    pub reason: String,
}

pub async fn lists(db: &Db) -> Result<Vec<List>> {
    let rows = sqlx::query("SELECT id, code, title, act, planned_items, period FROM obligation_lists ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(List {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                title: r.try_get("title")?,
                act: r.try_get("act")?,
                planned_items: r.try_get("planned_items")?,
                period: r.try_get("period")?,
            })
        })
        .collect()
}

/// Items of every list, by list and number (numbers compare as numbers where they are).
pub async fn items(db: &Db) -> Result<Vec<Item>> {
    let rows =
        sqlx::query("SELECT id, list_id, number, title, applies_to FROM obligation_items").fetch_all(&db.pool).await?;
    let mut out = rows
        .iter()
        .map(|r| {
            Ok(Item {
                id: r.try_get("id")?,
                list_id: r.try_get("list_id")?,
                number: r.try_get("number")?,
                title: r.try_get("title")?,
                applies_to: r.try_get("applies_to")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    out.sort_by_key(|i| (i.list_id, number_key(&i.number)));
    Ok(out)
}

/// "2.10" after "2.9": each dotted part as a number when it is one.
fn number_key(n: &str) -> Vec<(u64, String)> {
    n.split('.').map(|p| (p.trim().parse().unwrap_or(u64::MAX), p.to_string())).collect()
}

pub async fn links(db: &Db, body_id: Option<i64>) -> Result<Vec<Link>> {
    let rows = sqlx::query(
        "SELECT item_id, body_id, dataset_id, reason FROM obligation_links WHERE ($1 IS NULL OR body_id = $1)",
    )
    .bind(body_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Link {
                item_id: r.try_get("item_id")?,
                body_id: r.try_get("body_id")?,
                dataset_id: r.try_get("dataset_id")?,
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}

/// One item of a loaded file.
#[derive(Clone, Debug, PartialEq)]
pub struct NewItem {
    pub number: String,
    pub title: String,
    pub applies_to: String,
}

/// Reads a list's CSV (`number,title[,applies_to]`, UTF-8, a header row); every problem at once,
/// with its line.
pub fn read_items(bytes: &[u8]) -> Result<Vec<NewItem>> {
    let rows = opendata_format::csv::records(bytes)
        .map_err(|(line, e)| Error::invalid("file", format!("строка {line}: {e}")))?;
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else {
        return Err(Error::invalid("file", "файл пустой: нужна строка заголовка number,title,applies_to"));
    };
    let col = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let (Some(number), Some(title)) = (col("number"), col("title")) else {
        return Err(Error::invalid("file", "в заголовке нужны столбцы number и title (и, если есть, applies_to)"));
    };
    let applies = col("applies_to");
    let mut problems = Vec::new();
    let mut out: Vec<NewItem> = Vec::new();
    for (line, cells) in rows {
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).map(|c| c.trim().to_string()).unwrap_or_default();
        let item = NewItem { number: cell(Some(number)), title: cell(Some(title)), applies_to: cell(applies) };
        if item.number.is_empty() && item.title.is_empty() {
            continue;
        }
        if item.number.is_empty() || item.number.chars().count() > 20 {
            problems.push(format!("строка {line}: номер пункта — от 1 до 20 знаков"));
        } else if out.iter().any(|o| o.number == item.number) {
            problems.push(format!("строка {line}: пункт {} уже есть выше", item.number));
        }
        if item.title.is_empty() || item.title.chars().count() > 2000 {
            problems.push(format!("строка {line}: наименование пункта — от 1 до 2000 знаков"));
        }
        out.push(item);
    }
    if out.is_empty() && problems.is_empty() {
        problems.push("в файле нет ни одного пункта".into());
    }
    if problems.is_empty() { Ok(out) } else { Err(Error::invalid("file", problems.join("; "))) }
}

/// What loading a file changed.
#[derive(Debug, Default, PartialEq)]
pub struct Loaded {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Items of the list the file did not mention: kept, with the links bodies made to them.
    pub kept: usize,
}

/// Loads items into a list: new numbers added, known ones updated; nothing removed. Audited.
pub async fn load(db: &Db, actor: &Actor, now: i64, list: &List, new: &[NewItem]) -> Result<Loaded> {
    let existing: Vec<Item> = items(db).await?.into_iter().filter(|i| i.list_id == list.id).collect();
    let mut result = Loaded::default();
    let mut tx = db.begin().await?;
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for n in new {
        match existing.iter().find(|e| e.number == n.number) {
            Some(e) if e.title == n.title && e.applies_to == n.applies_to => result.unchanged += 1,
            Some(e) => {
                sqlx::query("UPDATE obligation_items SET title = $1, applies_to = $2, updated_at = $3 WHERE id = $4")
                    .bind(&n.title)
                    .bind(&n.applies_to)
                    .bind(now)
                    .bind(e.id)
                    .execute(&mut *tx)
                    .await?;
                changed.push(serde_json::json!({ "number": n.number, "before": e.title, "after": n.title }));
                result.changed += 1;
            }
            None => {
                sqlx::query(
                    "INSERT INTO obligation_items (list_id, number, title, applies_to, updated_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(list.id)
                .bind(&n.number)
                .bind(&n.title)
                .bind(&n.applies_to)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                added.push(serde_json::json!({ "number": n.number, "title": n.title }));
                result.added += 1;
            }
        }
    }
    result.kept = existing.iter().filter(|e| !new.iter().any(|n| n.number == e.number)).count();
    if result.added + result.changed > 0 {
        let change = Change {
            action: "update",
            object_type: "obligation_list",
            object_id: list.code.clone(),
            body_id: None,
            before: None,
            after: Some(serde_json::json!({ "added": added, "changed": changed })),
        };
        audit::record(&mut tx, actor, now, change).await?;
    }
    tx.commit().await?;
    Ok(result)
}

/// How a body meets an item: a dataset of its own that covers it, or why it does not apply.
pub enum Cover<'a> {
    Dataset(i64),
    NotApplicable(&'a str),
    Nothing,
}

/// Sets (or clears) how a body meets an item; audited.
pub async fn link(db: &Db, actor: &Actor, now: i64, body_id: i64, item: &Item, cover: Cover<'_>) -> Result<()> {
    let before = links(db, Some(body_id)).await?.into_iter().find(|l| l.item_id == item.id);
    let mut tx = db.begin().await?;
    let after = match cover {
        Cover::Nothing => {
            sqlx::query("DELETE FROM obligation_links WHERE item_id = $1 AND body_id = $2")
                .bind(item.id)
                .bind(body_id)
                .execute(&mut *tx)
                .await?;
            serde_json::Value::Null
        }
        Cover::Dataset(_) | Cover::NotApplicable(_) => {
            let (dataset, reason) = match cover {
                Cover::Dataset(d) => (Some(d), String::new()),
                Cover::NotApplicable(r) => {
                    let r = r.trim();
                    if r.is_empty() || r.chars().count() > 500 {
                        return Err(Error::invalid(
                            "reason",
                            "объясните, почему пункт не относится к органу (до 500 знаков)",
                        ));
                    }
                    (None, r.to_string())
                }
                Cover::Nothing => (None, String::new()),
            };
            sqlx::query("DELETE FROM obligation_links WHERE item_id = $1 AND body_id = $2")
                .bind(item.id)
                .bind(body_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO obligation_links (item_id, body_id, dataset_id, reason, updated_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(item.id)
            .bind(body_id)
            .bind(dataset)
            .bind(&reason)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            serde_json::json!({ "dataset_id": dataset, "reason": reason })
        }
    };
    let change = Change {
        action: "update",
        object_type: "obligation_link",
        object_id: format!("{}:{}", item.id, body_id),
        body_id: Some(body_id),
        before: before.map(|l| serde_json::json!({ "dataset_id": l.dataset_id, "reason": l.reason })),
        after: Some(after),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Where a covering dataset stands against its list's schedule on a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Freshness {
    /// Updated in the current period.
    Fresh,
    /// Updated in the previous period; the next version is due by this day.
    DueBy(Date),
    /// Not updated in the period that ended with this due day.
    Overdue(Date),
    /// The dataset is not published, or has no data.
    NotPublished,
}

impl Freshness {
    pub fn ru(&self) -> String {
        match self {
            Freshness::Fresh => "обновлён в текущем периоде".into(),
            Freshness::DueBy(d) => format!("обновить до {}", d.strftime("%d.%m.%Y")),
            Freshness::Overdue(d) => format!("просрочен: не обновлён к {}", d.strftime("%d.%m.%Y")),
            Freshness::NotPublished => "набор не опубликован".into(),
        }
    }
    pub fn en(&self) -> String {
        match self {
            Freshness::Fresh => "updated in the current period".into(),
            Freshness::DueBy(d) => format!("update by {}", d.strftime("%d.%m.%Y")),
            Freshness::Overdue(d) => format!("overdue: not updated by {}", d.strftime("%d.%m.%Y")),
            Freshness::NotPublished => "dataset not published".into(),
        }
    }
    pub fn overdue(&self) -> bool {
        matches!(self, Freshness::Overdue(_) | Freshness::NotPublished)
    }
}

/// Freshness of a dataset last updated on `latest` (its newest version's day), by `period`.
/// None when the period is not a schedule the deadlines crate reads.
pub fn freshness(cal: &Calendar, period: &str, today: Date, latest: Option<Date>) -> Option<Freshness> {
    let schedule = deadlines::parse(period).ok()?;
    let from = today.checked_sub(jiff::Span::new().years(2)).ok()?;
    let to = today.checked_add(jiff::Span::new().years(1)).ok()?;
    let dues = schedule.due_dates(cal, from, to, None, DayOffPolicy::Preceding).ok()?;
    let next = dues.iter().position(|d| d.date.date >= today)?;
    let current = dues[next].covers?.first_day().ok()?;
    let Some(latest) = latest else { return Some(Freshness::NotPublished) };
    if latest >= current {
        return Some(Freshness::Fresh);
    }
    let previous = next.checked_sub(1).map(|i| &dues[i]);
    match previous {
        Some(p) if latest >= p.covers?.first_day().ok()? => Some(Freshness::DueBy(dues[next].date.date)),
        Some(p) => Some(Freshness::Overdue(p.date.date)),
        None => Some(Freshness::DueBy(dues[next].date.date)),
    }
}

/// Each published dataset's newest version day.
pub async fn latest_versions(db: &Db, cfg: &Config) -> Result<HashMap<i64, Date>> {
    let tz = jiff::tz::TimeZone::get(&cfg.timezone).map_err(|e| Error::Internal(e.into()))?;
    let rows = sqlx::query(
        "SELECT v.dataset_id, MAX(v.created_at) FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id \
         WHERE d.published = 1 GROUP BY v.dataset_id",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut out = HashMap::new();
    for r in rows {
        let (id, ms): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
        if let Ok(t) = jiff::Timestamp::from_millisecond(ms) {
            out.insert(id, t.to_zoned(tz.clone()).date());
        }
    }
    Ok(out)
}

/// A body's standing on one list: items, how many it covers with a dataset or says do not
/// apply, and how many covering datasets are overdue.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Coverage {
    pub items: usize,
    pub covered: usize,
    pub not_applicable: usize,
    pub overdue: usize,
}

/// Coverage of every body that has staff work to show (any link), per list, and the freshness
/// of each link with a dataset.
pub async fn coverage(
    db: &Db,
    cfg: &Config,
    cal: &Calendar,
    today: Date,
    body_id: Option<i64>,
) -> Result<(HashMap<(i64, i64), Coverage>, HashMap<(i64, i64), Freshness>)> {
    let lists = lists(db).await?;
    let items = items(db).await?;
    let links = links(db, body_id).await?;
    let latest = latest_versions(db, cfg).await?;
    let mut by_body_list: HashMap<(i64, i64), Coverage> = HashMap::new();
    let mut fresh: HashMap<(i64, i64), Freshness> = HashMap::new();
    for l in &links {
        let Some(item) = items.iter().find(|i| i.id == l.item_id) else { continue };
        let Some(list) = lists.iter().find(|x| x.id == item.list_id) else { continue };
        let c = by_body_list.entry((l.body_id, list.id)).or_default();
        match l.dataset_id {
            Some(d) => {
                c.covered += 1;
                let f = freshness(cal, &list.period, today, latest.get(&d).copied()).unwrap_or(Freshness::Fresh);
                if f.overdue() {
                    c.overdue += 1;
                }
                fresh.insert((l.item_id, l.body_id), f);
            }
            None => c.not_applicable += 1,
        }
    }
    for ((_, list_id), c) in by_body_list.iter_mut() {
        c.items = items.iter().filter(|i| i.list_id == *list_id).count();
    }
    Ok((by_body_list, fresh))
}

/// Reminds each body's open-data officers (or, with none, the dataset's responsible person) of
/// every covering dataset that missed its list's due day; once per item, body and due day.
pub async fn remind(db: &Db, cfg: &Config, now: i64) -> anyhow::Result<usize> {
    let tz = jiff::tz::TimeZone::get(&cfg.timezone)?;
    let today = jiff::Timestamp::from_millisecond(now)?.to_zoned(tz).date();
    let cal = kernel::calendar::calendar(db, cfg).await?;
    let (_, fresh) = coverage(db, cfg, &cal, today, None).await?;
    let items = items(db).await?;
    let lists = lists(db).await?;
    let links = links(db, None).await?;
    let users = kernel::staff::list_users(db).await?;
    let mut queued = 0;
    let mut conn = db.pool.acquire().await?;
    for l in &links {
        let (Some(dataset_id), Some(Freshness::Overdue(due))) = (l.dataset_id, fresh.get(&(l.item_id, l.body_id)))
        else {
            continue;
        };
        let Some(item) = items.iter().find(|i| i.id == l.item_id) else { continue };
        let Some(list) = lists.iter().find(|x| x.id == item.list_id) else { continue };
        let Some(dataset) = crate::store::by_id(db, dataset_id).await? else { continue };
        let Some(body) = kernel::bodies::by_id(db, l.body_id).await? else { continue };
        let chain: Vec<i64> = kernel::bodies::ancestors(db, l.body_id).await?.iter().map(|b| b.id).collect();
        let mut to: Vec<String> = users
            .iter()
            .filter(|u| !u.disabled)
            .filter(|u| {
                u.grants.iter().any(|g| {
                    g.role == kernel::staff::Role::OpendataOfficer && g.body_id.is_some_and(|b| chain.contains(&b))
                })
            })
            .map(|u| u.email.clone())
            .collect();
        if to.is_empty() && !dataset.publisher_mbox.trim().is_empty() {
            to.push(dataset.publisher_mbox.trim().to_string());
        }
        for address in to {
            let key = format!("obligation:{}:{}:{due}:{address}", item.id, body.id);
            let letter = crate::mail::Overdue {
                dataset: &dataset.title,
                body: &body.short_name,
                item: &item.number,
                list: &list.title,
                period: &list.period,
                due: due.strftime("%d.%m.%Y").to_string(),
                upload: format!(
                    "{}/staff/o/{}/opendata/{}",
                    cfg.public_url.trim_end_matches('/'),
                    body.slug,
                    dataset.id
                ),
            };
            let email = crate::mail::Letter::to(&letter, &address)?;
            if kernel::outbox::enqueue_email(&mut conn, now, &key, &email).await? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::{Freshness, freshness, read_items};
    use deadlines::{Calendar, Date};

    const QUARTERLY: &str = "не реже одного раза в квартал (не позднее 25-го числа последнего месяца квартала)";

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn a_quarterly_dataset_is_fresh_due_or_overdue() {
        let cal = Calendar::federal();
        let f = |today: &str, latest: Option<&str>| freshness(&cal, QUARTERLY, d(today), latest.map(d));
        assert_eq!(f("2026-05-10", Some("2026-04-02")), Some(Freshness::Fresh));
        // Updated last quarter: the next version is due by 25 June (a Thursday).
        assert_eq!(f("2026-05-10", Some("2026-02-01")), Some(Freshness::DueBy(d("2026-06-25"))));
        // Not updated in the first quarter: overdue since 25 March (a Wednesday).
        assert_eq!(f("2026-05-10", Some("2025-12-20")), Some(Freshness::Overdue(d("2026-03-25"))));
        assert_eq!(f("2026-05-10", None), Some(Freshness::NotPublished));
        assert_eq!(freshness(&cal, "по мере необходимости", d("2026-05-10"), None), None);
    }

    #[test]
    fn a_list_file_is_read_with_every_problem_at_once() {
        let ok = read_items(
            "number,title,applies_to\r\n1,Сведения о структуре,все органы\r\n2,Реестр учреждений,\r\n".as_bytes(),
        )
        .expect("items");
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].applies_to, "все органы");
        let bad = read_items("number,title\r\n1,А\r\n1,Б\r\n,В\r\n3,\r\n".as_bytes()).expect_err("problems");
        let text = bad.to_string();
        for part in ["строка 3: пункт 1 уже есть выше", "строка 4: номер пункта", "строка 5: наименование пункта"]
        {
            assert!(text.contains(part), "{text}");
        }
        assert!(read_items(b"id,name\r\n1,x\r\n").is_err_and(|e| e.to_string().contains("number и title")));
    }
}
