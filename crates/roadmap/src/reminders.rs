//! Reminders to executors: a configurable number of working days before each due date of an
//! approved plan's measures, an e-mail to every staff member of the body linked to the measure
//! as its executor. Through the outbox, keyed by measure, due date and person, so each
//! reminder goes once however often (and on however many nodes) the planner runs.

use jiff::tz::TimeZone;
use kernel::{Config, Db};
use sqlx::Row;

use crate::store;

pub async fn plan(db: &Db, cfg: &Config, now: i64) -> anyhow::Result<usize> {
    let tz = TimeZone::get(&cfg.timezone)?;
    let today = jiff::Timestamp::from_millisecond(now)?.to_zoned(tz).date();
    let cal = kernel::calendar::calendar(db, cfg).await?;
    let rows = sqlx::query("SELECT id, body_id FROM roadmaps WHERE status = 'approved' ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    let users: Vec<_> = kernel::staff::list_users(db).await?.into_iter().filter(|u| !u.disabled).collect();
    let mut queued = 0;
    for r in rows {
        let (id, body_id): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
        let Some(loaded) = store::load(db, id).await? else { continue };
        let Some(body) = kernel::bodies::by_id(db, body_id).await? else { continue };
        let chain: Vec<i64> = kernel::bodies::ancestors(db, body_id).await?.iter().map(|b| b.id).collect();
        let staff: Vec<_> =
            users.iter().filter(|u| u.grants.iter().any(|g| g.body_id.is_some_and(|b| chain.contains(&b)))).collect();
        if staff.is_empty() {
            continue;
        }
        let mut linked: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
        let sql = "SELECT e.measure_id, e.user_id FROM measure_executors e JOIN measures m ON m.id = e.measure_id \
                   WHERE m.roadmap_id = $1";
        for r in sqlx::query(sql).bind(id).fetch_all(&db.pool).await? {
            linked.entry(r.try_get("measure_id")?).or_default().push(r.try_get("user_id")?);
        }
        let mut conn = db.pool.acquire().await?;
        for m in &loaded.measures {
            let Some(executors) = linked.get(&m.id) else { continue };
            let Ok(schedule) = deadlines::parse_in(&m.deadline, loaded.roadmap.context()) else { continue };
            let Ok(dues) = schedule.next_due(&cal, today, 2, None, deadlines::DayOffPolicy::Preceding) else {
                continue;
            };
            for due in dues {
                let Some(first_after) = today.tomorrow().ok() else { continue };
                if cal.working_days_between(first_after, due.date.date) > cfg.reminder_working_days {
                    continue;
                }
                for u in staff.iter().filter(|u| executors.contains(&u.id)) {
                    let key = format!("reminder:{}:{}:{}", m.id, due.date.date, u.id);
                    let letter = crate::mail::Reminder {
                        name: &u.display_name,
                        plan: &loaded.roadmap.title,
                        body: &body.short_name,
                        number: &m.number,
                        due: due.date.date.strftime("%d.%m.%Y").to_string(),
                        covers: due.covers.map(|p| p.ru()).unwrap_or_default(),
                        text: &m.text,
                        deadline: &m.deadline,
                        explained: due.date.explain_ru(),
                        mark: format!(
                            "{}/staff/o/{}/roadmaps/{}/measures/{}/mark",
                            cfg.public_url, body.slug, loaded.roadmap.id, m.id
                        ),
                    };
                    let to = shell::letter::address(&u.display_name, &u.email);
                    let email = crate::mail::Letter::to(&letter, &to)?;
                    if kernel::outbox::enqueue_email(&mut conn, now, &key, &email).await? {
                        queued += 1;
                    }
                }
            }
        }
    }
    Ok(queued)
}
