//! Bounces: a letter the receiving side could not deliver comes back as a delivery status
//! notification (RFC 3464) — into a folder the mail server delivers to, or as a provider's
//! webhook — or as the server's refusal at sending (`campaigns::settle`). Each is matched to its
//! letter by Message-ID (the outbox's, known before sending) or else by the recipient's address.
//! A hard bounce (status 5.x.x) suppresses the address: it gets nothing until it subscribes and
//! confirms again. A soft one (4.x.x) sends the letter again later, with the same Message-ID,
//! within the outbox's attempts.

use std::path::Path;

use anyhow::Context;
use kernel::error::Result;
use kernel::{Config, Db};
use serde::Deserialize;
use sqlx::Row;

/// What a bounce report says.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Bounce {
    /// The returned letter's Message-ID, with or without its angle brackets.
    #[serde(default)]
    pub message_id: String,
    #[serde(default)]
    pub recipient: String,
    /// The enhanced status code (RFC 3463): 5.1.1, 4.2.2.
    pub status: String,
    #[serde(default)]
    pub diagnostic: String,
}

impl Bounce {
    pub fn hard(&self) -> bool {
        self.status.starts_with('5')
    }

    /// Whether the status is an enhanced status code of a failure (4.x.x or 5.x.x).
    pub fn valid(&self) -> bool {
        let parts: Vec<&str> = self.status.split('.').collect();
        parts.len() == 3
            && matches!(parts[0], "4" | "5")
            && parts[1..].iter().all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()))
    }
}

/// Reads a delivery status notification: its per-recipient fields (`Final-Recipient`,
/// `Status`, `Diagnostic-Code`) and the returned message's `Message-ID` (the first after the
/// status fields). Header lines folded over several lines are joined. None when it has no status.
pub fn parse_dsn(raw: &str) -> Option<Bounce> {
    let mut lines: Vec<String> = Vec::new();
    for line in raw.lines() {
        if (line.starts_with(' ') || line.starts_with('\t')) && !lines.is_empty() {
            if let Some(last) = lines.last_mut() {
                last.push(' ');
                last.push_str(line.trim());
            }
        } else {
            lines.push(line.trim_end().to_string());
        }
    }
    let field = |l: &str, name: &str| -> Option<String> {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
    };
    let mut b = Bounce::default();
    let mut status_at = None;
    for (i, l) in lines.iter().enumerate() {
        if let Some(v) = field(l, "Status")
            && status_at.is_none()
        {
            b.status = v.split_whitespace().next().unwrap_or_default().to_string();
            status_at = Some(i);
        } else if let Some(v) = field(l, "Final-Recipient").or_else(|| field(l, "Original-Recipient")) {
            if b.recipient.is_empty() {
                b.recipient =
                    v.split_once(';').map_or(v.as_str(), |(_, a)| a).trim().trim_matches(['<', '>']).to_string();
            }
        } else if let Some(v) = field(l, "Diagnostic-Code") {
            b.diagnostic = v.split_once(';').map_or(v.as_str(), |(_, d)| d).trim().to_string();
        }
    }
    let after = status_at?;
    b.message_id = lines[after..].iter().find_map(|l| field(l, "Message-ID")).unwrap_or_default();
    b.valid().then_some(b)
}

fn bracketed(id: &str) -> String {
    let id = id.trim().trim_matches(['<', '>']);
    format!("<{id}>")
}

/// Applies a bounce to its letter; false when no letter of a mailing matches it. `max_attempts`
/// bounds the soft bounces' retries (0: the outbox's setting has been applied by the caller).
pub async fn apply(db: &Db, now: i64, max_attempts: i64, b: &Bounce) -> Result<bool> {
    let by_id = !b.message_id.trim().is_empty();
    let sql = if by_id {
        "SELECT d.id, d.subscriber_id, d.job_key, d.bounce FROM mailing_deliveries d WHERE d.message_id = $1"
    } else {
        "SELECT d.id, d.subscriber_id, d.job_key, d.bounce FROM mailing_deliveries d WHERE d.email = $1 ORDER BY d.id DESC LIMIT 1"
    };
    let key = if by_id { bracketed(&b.message_id) } else { b.recipient.trim().to_lowercase() };
    let Some(r) = sqlx::query(sql).bind(key).fetch_optional(&db.pool).await? else { return Ok(false) };
    let (id, subscriber, job_key, before): (i64, i64, String, String) =
        (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
    if before == "hard" {
        return Ok(true);
    }
    let said = format!("{} {}", b.status, b.diagnostic).trim().to_string();
    let mut tx = db.begin().await?;
    let kind = if b.hard() { "hard" } else { "soft" };
    sqlx::query("UPDATE mailing_deliveries SET bounce = $1, bounce_reply = $2, bounced_at = $3 WHERE id = $4")
        .bind(kind)
        .bind(&said)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if b.hard() {
        let n = sqlx::query(
            "UPDATE mailing_subscribers SET status = 'suppressed', reason = $1, changed_at = $2 WHERE id = $3 AND status = 'active'",
        )
        .bind(&said)
        .bind(now)
        .bind(subscriber)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n > 0 {
            crate::campaigns::withdraw_queued(&mut tx, subscriber, now).await?;
            crate::subscribers::event(&mut tx, subscriber, "suppressed", &said, now).await?;
        }
    } else {
        // Sent again after a pause that grows with the attempts, while attempts remain.
        sqlx::query(
            "UPDATE jobs SET status = 'queued', run_at = $1 + 60000 * attempts * attempts, last_error = $2, done_at = NULL \
             WHERE idempotency_key = $3 AND status = 'done' AND ($4 = 0 OR attempts < $4)",
        )
        .bind(now)
        .bind(&said)
        .bind(&job_key)
        .bind(max_attempts)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Reads the bounce reports in `dir` (files ending in .eml), applies each, and moves it to
/// `done/` (one that is not a report too, so it is not read again). Returns the bounces applied.
pub async fn read_folder(db: &Db, cfg: &Config, now: i64, dir: &Path) -> anyhow::Result<usize> {
    let done = dir.join("done");
    let mut entries = match tokio::fs::read_dir(dir).await {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e).with_context(|| format!("cannot read the bounce folder {}", dir.display())),
    };
    let mut applied = 0;
    while let Some(entry) = entries.next_entry().await? {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("eml") {
            continue;
        }
        let bytes = tokio::fs::read(&path).await.with_context(|| format!("cannot read {}", path.display()))?;
        let text = String::from_utf8_lossy(&bytes);
        match parse_dsn(&text) {
            Some(b) => {
                if apply(db, now, cfg.job_max_attempts, &b).await? {
                    applied += 1;
                } else {
                    tracing::info!(file = %path.display(), "a bounce report matches no letter of a mailing");
                }
            }
            None => tracing::warn!(file = %path.display(), "not a delivery status notification"),
        }
        tokio::fs::create_dir_all(&done).await.with_context(|| format!("cannot create {}", done.display()))?;
        let name = path.file_name().map(|n| n.to_owned()).unwrap_or_default();
        tokio::fs::rename(&path, done.join(name)).await.with_context(|| format!("cannot move {}", path.display()))?;
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_of_rfc_3464_shape_is_read() {
        let dsn = "From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered Mail Returned to Sender\r\n\
            Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\n\
            Content-Type: text/plain\r\n\r\nThe mail system could not deliver it.\r\n--b\r\n\
            Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n\
            Final-Recipient: rfc822; Ivan@Example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\
            Diagnostic-Code: smtp; 550 5.1.1 <ivan@example.org>: Recipient address rejected:\r\n  User unknown\r\n\
            --b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <abc@portal.example>\r\nSubject: x\r\n--b--\r\n";
        let b = parse_dsn(dsn).expect("a report");
        assert_eq!(b.status, "5.1.1");
        assert!(b.hard());
        assert_eq!(b.recipient, "Ivan@Example.org");
        assert_eq!(b.message_id, "<abc@portal.example>");
        assert!(b.diagnostic.ends_with("Recipient address rejected: User unknown"), "{}", b.diagnostic);
        assert!(parse_dsn("Subject: hello\r\n\r\nno report here").is_none());
        let soft = parse_dsn("Final-Recipient: rfc822; a@b.ru\nStatus: 4.2.2 (mailbox full)\n").expect("soft");
        assert_eq!((soft.status.as_str(), soft.hard()), ("4.2.2", false));
        assert!(parse_dsn("Status: 2.0.0\n").is_none(), "a success is no bounce");
    }
}
