//! The demo department's mailing: three subscribers who confirmed (fictional addresses), a draft
//! campaign for the press secretary to look at; and, for load tests, many subscribers with a
//! campaign to all of them due at once.

use kernel::Db;
use kernel::audit::Actor;
use mailing::campaigns;
use sqlx::Row;

/// Active subscribers to news of `body_id`, confirmed at `now` with the consent of the form.
async fn subscribers(db: &Db, now: i64, body_id: i64, emails: &[String]) -> anyhow::Result<()> {
    let consent = mailing::subscribers::consent_text("Томская область", "ru");
    let mut tx = db.begin().await?;
    for email in emails {
        let id: i64 = sqlx::query(
            "INSERT INTO mailing_subscribers (email, lang, frequency, status, manage_token, created_at, confirmed_at, \
             changed_at, digest_at) VALUES ($1, 'ru', 'weekly', 'active', $2, $3, $3, $3, $3) RETURNING id",
        )
        .bind(email)
        .bind(kernel::staff::random_token())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        sqlx::query("INSERT INTO mailing_interests (subscriber_id, topic, body_id) VALUES ($1, 'news', $2)")
            .bind(id)
            .bind(body_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO mailing_consents (subscriber_id, version, text, asked_at, given_at) VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(id)
        .bind(mailing::subscribers::CONSENT_VERSION)
        .bind(&consent)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO mailing_events (subscriber_id, kind, at) VALUES ($1, 'confirmed', $2)")
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Three subscribers and a draft; with `load`, that many more subscribers and a campaign to all,
/// scheduled now (a node started after picks it up at once).
pub(super) async fn seed_mailing(db: &Db, now: i64, body_id: i64, load: u32) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    let people: Vec<String> =
        ["anna.petrova", "boris.ivanov", "vera.sidorova"].iter().map(|n| format!("{n}@example.org")).collect();
    subscribers(db, now, body_id, &people).await?;
    let draft = campaigns::Checked {
        subject: "Приглашаем на онлайн-конференцию руководителя департамента".into(),
        text: "Здравствуйте!\n\nВ четверг руководитель департамента ответит на вопросы о мерах социальной поддержки \
               семей с детьми. Вопросы принимаются на странице конференции до её начала.\n\n\
               Страница конференций: https://tomsk.example/o/social-protection/conferences/"
            .into(),
        topics: vec!["news".into(), "conferences".into()],
        bodies: vec![body_id],
    };
    campaigns::create(db, &actor, now, body_id, &draft).await?;
    if load > 0 {
        let many: Vec<String> = (0..load).map(|i| format!("reader{i}@example.org")).collect();
        for chunk in many.chunks(1_000) {
            subscribers(db, now, body_id, chunk).await?;
        }
        let news = campaigns::Checked {
            subject: "Новости департамента за неделю".into(),
            text: "Здравствуйте!\n\nГлавное за неделю: https://tomsk.example/o/social-protection/news/".into(),
            topics: vec!["news".into()],
            bodies: vec![body_id],
        };
        let id = campaigns::create(db, &actor, now, body_id, &news).await?;
        let c = campaigns::get(db, body_id, id).await?.ok_or_else(|| anyhow::anyhow!("the load campaign"))?;
        campaigns::schedule(db, &actor, now, &jiff::tz::TimeZone::UTC, &c, "").await?;
    }
    Ok(())
}
