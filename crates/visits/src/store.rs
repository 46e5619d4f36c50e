//! The counts in the database: a node adds what it counted, the pages read them back per day,
//! month, section, body, page and referring site.

use kernel::Db;
use kernel::error::Result;
use sqlx::Row;

use crate::count::{Counter, Pages, Referrers, place};

/// Adds this node's counts to the database. Counts that could not be written are kept for the
/// next time.
pub async fn flush(counter: &Counter, db: &Db) -> Result<()> {
    let (pages, referrers) = counter.take();
    if pages.is_empty() && referrers.is_empty() {
        return Ok(());
    }
    match write(db, &pages, &referrers).await {
        Ok(()) => Ok(()),
        Err(e) => {
            counter.give_back(pages, referrers);
            Err(e)
        }
    }
}

async fn write(db: &Db, pages: &Pages, referrers: &Referrers) -> Result<()> {
    let mut tx = db.begin().await?;
    for (day, paths) in pages {
        let day = day.to_string();
        for (path, t) in paths {
            let Some(p) = place(path) else { continue };
            // The body's id by its slug; 0 for the portal's own pages.
            sqlx::query(
                "INSERT INTO visits_pages (day, path, body_id, section, views, entries, robots) \
                 VALUES ($1, $2, COALESCE((SELECT id FROM bodies WHERE slug = $3), 0), $4, $5, $6, $7) \
                 ON CONFLICT (day, path) DO UPDATE SET views = visits_pages.views + excluded.views, \
                 entries = visits_pages.entries + excluded.entries, robots = visits_pages.robots + excluded.robots",
            )
            .bind(&day)
            .bind(path)
            .bind(p.body.unwrap_or_default())
            .bind(p.section)
            .bind(t.views)
            .bind(t.entries)
            .bind(t.robots)
            .execute(&mut *tx)
            .await?;
        }
    }
    let mut rows: Vec<(String, &str, &str, i64)> = Vec::new();
    for (day, bodies) in referrers {
        for (slug, hosts) in bodies {
            for (host, n) in hosts {
                rows.push((day.to_string(), slug, host, *n));
            }
        }
    }
    for (day, slug, host, n) in rows {
        sqlx::query(
            "INSERT INTO visits_referrers (day, body_id, host, views) \
             VALUES ($1, COALESCE((SELECT id FROM bodies WHERE slug = $3), 0), $2, $4) \
             ON CONFLICT (day, body_id, host) DO UPDATE SET views = visits_referrers.views + excluded.views",
        )
        .bind(day)
        .bind(host)
        .bind(slug)
        .bind(n)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Views in one period (a day YYYY-MM-DD or a month YYYY-MM).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Period {
    pub label: String,
    pub views: i64,
    pub entries: i64,
    pub robots: i64,
}

/// Which views: of one body's pages or (None) of every page of the portal; from a day on.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub body: Option<i64>,
    pub from: &'a str,
}

/// Per day or per month.
#[derive(Clone, Copy)]
pub enum By {
    Day,
    Month,
}

/// Views per day or per month, from the scope's day on.
pub async fn periods(db: &Db, scope: Scope<'_>, by: By) -> Result<Vec<Period>> {
    // The period is the day's first characters: YYYY-MM-DD or YYYY-MM.
    let sql = match by {
        By::Day => {
            "SELECT day AS p, CAST(SUM(views) AS BIGINT) AS v, CAST(SUM(entries) AS BIGINT) AS e, \
                    CAST(SUM(robots) AS BIGINT) AS r \
             FROM visits_pages WHERE ($1 IS NULL OR body_id = $1) AND day >= $2 GROUP BY day ORDER BY day"
        }
        By::Month => {
            "SELECT substr(day, 1, 7) AS p, CAST(SUM(views) AS BIGINT) AS v, CAST(SUM(entries) AS BIGINT) AS e, \
                    CAST(SUM(robots) AS BIGINT) AS r \
             FROM visits_pages WHERE ($1 IS NULL OR body_id = $1) AND day >= $2 \
             GROUP BY substr(day, 1, 7) ORDER BY p"
        }
    };
    let rows = sqlx::query(sql).bind(scope.body).bind(scope.from).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| {
            Ok(Period {
                label: r.try_get("p")?,
                views: r.try_get("v")?,
                entries: r.try_get("e")?,
                robots: r.try_get("r")?,
            })
        })
        .collect()
}

/// Views of one section (of the portal's own pages, or of bodies' pages).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionViews {
    pub of_bodies: bool,
    pub section: String,
    pub views: i64,
}

/// People's views per section, the most viewed first.
pub async fn sections(db: &Db, scope: Scope<'_>) -> Result<Vec<SectionViews>> {
    let rows = sqlx::query(
        "SELECT CASE WHEN body_id = 0 THEN 0 ELSE 1 END AS b, section, CAST(SUM(views) AS BIGINT) AS v \
         FROM visits_pages WHERE ($1 IS NULL OR body_id = $1) AND day >= $2 \
         GROUP BY CASE WHEN body_id = 0 THEN 0 ELSE 1 END, section HAVING SUM(views) > 0 ORDER BY v DESC, section",
    )
    .bind(scope.body)
    .bind(scope.from)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let b: i32 = r.try_get("b")?;
            Ok(SectionViews { of_bodies: b == 1, section: r.try_get("section")?, views: r.try_get("v")? })
        })
        .collect()
}

/// People's views and visits of each body's pages (body id, views, entries), the most viewed first.
pub async fn bodies(db: &Db, from: &str) -> Result<Vec<(i64, i64, i64)>> {
    let rows = sqlx::query(
        "SELECT body_id, CAST(SUM(views) AS BIGINT) AS v, CAST(SUM(entries) AS BIGINT) AS e FROM visits_pages \
         WHERE body_id <> 0 AND day >= $1 GROUP BY body_id HAVING SUM(views) > 0 ORDER BY v DESC, body_id",
    )
    .bind(from)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("body_id")?, r.try_get("v")?, r.try_get("e")?))).collect()
}

/// The pages people viewed most, with their views.
pub async fn top_pages(db: &Db, scope: Scope<'_>, limit: i64) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT path, CAST(SUM(views) AS BIGINT) AS v FROM visits_pages \
         WHERE ($1 IS NULL OR body_id = $1) AND day >= $2 GROUP BY path HAVING SUM(views) > 0 \
         ORDER BY v DESC, path LIMIT $3",
    )
    .bind(scope.body)
    .bind(scope.from)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("path")?, r.try_get("v")?))).collect()
}

/// The other sites whose links people followed most, with the views they brought.
pub async fn top_referrers(db: &Db, scope: Scope<'_>, limit: i64) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT host, CAST(SUM(views) AS BIGINT) AS v FROM visits_referrers \
         WHERE ($1 IS NULL OR body_id = $1) AND day >= $2 GROUP BY host ORDER BY v DESC, host LIMIT $3",
    )
    .bind(scope.body)
    .bind(scope.from)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("host")?, r.try_get("v")?))).collect()
}
