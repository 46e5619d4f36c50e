//! Reminders to executors: a configurable number of working days before each due date of an
//! approved plan's measures, an e-mail to every staff member of the body named among the
//! measure's executors. Through the outbox, keyed by measure, due date and person, so each
//! reminder goes once however often (and on however many nodes) the planner runs.

use jiff::tz::TimeZone;
use kernel::{Config, Db};
use sqlx::Row;

use crate::store;

/// Staff of the body (or above it) whose name appears in the executors cell.
pub fn named_in(executors: &str, name: &str) -> bool {
    let name = name.trim();
    name.chars().count() >= 3 && executors.contains(name)
}

pub async fn plan(db: &Db, cfg: &Config, now: i64) -> anyhow::Result<usize> {
    let tz = TimeZone::get(&cfg.timezone)?;
    let today = jiff::Timestamp::from_millisecond(now)?.to_zoned(tz).date();
    let cal = kernel::calendar::calendar(db, cfg).await?;
    let rows = sqlx::query("SELECT id, body_id FROM roadmaps WHERE status = 'approved' ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    let users: Vec<_> = kernel::staff::list_users(db)
        .await?
        .into_iter()
        .filter(|u| !u.disabled && !u.display_name.trim().is_empty())
        .collect();
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
        let mut conn = db.pool.acquire().await?;
        for m in &loaded.measures {
            let Ok(schedule) = deadlines::parse(&m.deadline) else { continue };
            let Ok(dues) = schedule.next_due(&cal, today, 2, None, deadlines::DayOffPolicy::Preceding) else {
                continue;
            };
            for due in dues {
                let Some(first_after) = today.tomorrow().ok() else { continue };
                if cal.working_days_between(first_after, due.date.date) > cfg.reminder_working_days {
                    continue;
                }
                for u in staff.iter().filter(|u| named_in(&m.executors, &u.display_name)) {
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
                    let to = format!("\"{}\" <{}>", u.display_name.replace(['<', '>', '"', '\\'], ""), u.email);
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

#[cfg(test)]
mod tests {
    use super::named_in;

    #[test]
    fn executors_are_matched_by_the_name_staff_use() {
        assert!(named_in("Сухорослова И.П., Аносова И.А.", "Аносова И.А."));
        assert!(!named_in("Сухорослова И.П.", "Аносова И.А."));
        assert!(!named_in("Аносова И.А.", " "), "an empty name matches nothing");
    }
}
