//! Reminders of terms through the outbox: each body's appeals officers are told of every open
//! submission whose answer is due within `reminder_working_days` working days, and again once
//! its term has passed; once per submission, term, state and officer.

use kernel::{Config, Db};
use sqlx::Row;

use crate::intake::number;
use crate::rules::Kind;

pub async fn remind(db: &Db, cfg: &Config, now: i64) -> anyhow::Result<usize> {
    let tz = jiff::tz::TimeZone::get(&cfg.timezone)?;
    let today = jiff::Timestamp::from_millisecond(now)?.to_zoned(tz).date();
    let cal = kernel::calendar::calendar(db, cfg).await?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, body_id, seq, year, kind, due_on, assignee_id FROM submissions WHERE {} ORDER BY due_on, id",
        crate::workflow::still_open()
    )))
    .fetch_all(&db.pool)
    .await?;
    let users: Vec<_> = kernel::staff::list_users(db).await?.into_iter().filter(|u| !u.disabled).collect();
    let base = cfg.public_url.trim_end_matches('/');
    let mut queued = 0;
    let mut conn = db.pool.acquire().await?;
    for r in rows {
        let (id, body_id): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
        let n = number(r.try_get(2)?, r.try_get(3)?);
        let kind = Kind::parse(&r.try_get::<String, _>(4)?).unwrap_or(Kind::Appeal);
        let Ok(due) = r.try_get::<String, _>(5)?.parse::<deadlines::Date>() else { continue };
        let state = if due < today {
            "overdue"
        } else if cal.working_days_between(today.tomorrow()?, due) <= cfg.reminder_working_days {
            "due"
        } else {
            // Rows come by term: none after this one is due soon either.
            break;
        };
        let Some(body) = kernel::bodies::by_id(db, body_id).await? else { continue };
        let chain: Vec<i64> = kernel::bodies::ancestors(db, body_id).await?.iter().map(|b| b.id).collect();
        // The assigned officer, or every officer of the body when nobody is.
        let assignee: Option<i64> = r.try_get(6)?;
        let all = crate::workflow::officers(&users, &chain);
        let assigned: Vec<_> = all.iter().filter(|u| Some(u.id) == assignee).collect();
        let to = if assigned.is_empty() { all.iter().collect() } else { assigned };
        for u in to {
            let key = format!("appeal-reminder:{id}:{due}:{state}:{}", u.id);
            let letter = crate::mail::Reminder {
                kind: kind.ru(),
                number: &n,
                body: &body.short_name,
                due: due.strftime("%d.%m.%Y").to_string(),
                overdue: state == "overdue",
                card: format!("{base}/staff/o/{}/appeals/{id}", body.slug),
            };
            let email = crate::mail::Letter::to(&letter, &u.email)?;
            if kernel::outbox::enqueue_email(&mut conn, now, &key, &email).await? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}
