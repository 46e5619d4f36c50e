//! Reminders to a body's editors: a configurable number of working days (the setting
//! `reminder_working_days`) before an item of the catalogue is due, an e-mail to each staff member
//! who may record its publication. Through the outbox, keyed by body, item, due date and person,
//! so each reminder goes once however often (and on however many nodes) the planner runs.

use jiff::tz::TimeZone;
use kernel::{Config, Db};

use crate::freshness::Freshness;
use crate::store;

pub async fn plan(db: &Db, cfg: &Config, now: i64) -> anyhow::Result<usize> {
    let tz = TimeZone::get(&cfg.timezone)?;
    let today = jiff::Timestamp::from_millisecond(now)?.to_zoned(tz).date();
    let cal = kernel::calendar::calendar(db, cfg).await?;
    let items = store::catalogue(db).await?;
    let users: Vec<_> = kernel::staff::list_users(db).await?.into_iter().filter(|u| !u.disabled).collect();
    let mut conn = db.pool.acquire().await?;
    let mut queued = 0;
    for body in kernel::bodies::list(db).await? {
        let chain: Vec<i64> = kernel::bodies::ancestors(db, body.id).await?.iter().map(|b| b.id).collect();
        let editors: Vec<_> = users
            .iter()
            .filter(|u| {
                u.grants
                    .iter()
                    .any(|g| crate::http::EDITORS.contains(&g.role) && g.body_id.is_some_and(|b| chain.contains(&b)))
            })
            .collect();
        if editors.is_empty() {
            continue;
        }
        let kind = store::body_kind(db, body.id).await?;
        let records = store::records(db, body.id).await?;
        for v in crate::http::views(shell::i18n::Lang::Ru, &items, &kind, &records, today, &cal) {
            let Freshness::Due { due } = v.state else { continue };
            let Ok(first_after) = today.tomorrow() else { continue };
            if cal.working_days_between(first_after, due) > cfg.reminder_working_days {
                continue;
            }
            for u in &editors {
                let key = format!("site-reminder:{}:{}:{}:{}", body.id, v.item.code, due, u.id);
                let letter = crate::mail::Reminder {
                    name: &u.display_name,
                    body: &body.short_name,
                    item: &v.item.title,
                    section: &v.item.section,
                    freshness: &v.item.freshness,
                    due: due.strftime("%d.%m.%Y").to_string(),
                    link: format!("{}/staff/o/{}/site/items/{}", cfg.public_url, body.slug, v.item.code),
                };
                let to = shell::letter::address(&u.display_name, &u.email);
                let email = crate::mail::Letter::to(&letter, &to)?;
                if kernel::outbox::enqueue_email(&mut conn, now, &key, &email).await? {
                    queued += 1;
                }
            }
        }
    }
    Ok(queued)
}
