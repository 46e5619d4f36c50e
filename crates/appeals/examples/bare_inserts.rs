//! The floor under the submit benchmark: one client inserting single rows, each in its own
//! committed (fsync'd) transaction, into the database the portal uses, through the same driver
//! and connection settings (SQLite: WAL, synchronous=FULL). Prints "inserts/s p99_ms".
//!
//! cargo run --release -p appeals --example bare_inserts -- DATABASE_URL COUNT

use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(count)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: bare_inserts DATABASE_URL COUNT");
    };
    let count: usize = count.parse()?;
    let db = kernel::Db::connect(&url).await?;
    sqlx::query("CREATE TABLE IF NOT EXISTS bench_bare (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)")
        .execute(&db.pool)
        .await?;
    sqlx::query("DELETE FROM bench_bare").execute(&db.pool).await?;
    let payload = "Прошу разъяснить порядок выплаты. ".repeat(8);
    let mut took = Vec::with_capacity(count);
    let started = Instant::now();
    for id in 0..count {
        let t = Instant::now();
        sqlx::query("INSERT INTO bench_bare (id, payload) VALUES ($1, $2)")
            .bind(id as i64)
            .bind(&payload)
            .execute(&db.pool)
            .await?;
        took.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let rate = count as f64 / started.elapsed().as_secs_f64();
    took.sort_by(f64::total_cmp);
    let p99 = took[(took.len() * 99 / 100).min(took.len() - 1)];
    sqlx::query("DROP TABLE bench_bare").execute(&db.pool).await?;
    println!("{rate:.0} {p99:.2}");
    Ok(())
}
