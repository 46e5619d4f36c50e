//! The demo portal "Томская область": a few bodies from the seed documents and an admin
//! whose generated password is printed once.

use anyhow::Context;
use kernel::Db;
use kernel::audit::Actor;
use kernel::bodies::{self, BodyForm, Portal};
use kernel::staff::{Grant, NewUser, Role};
use rand::Rng;

pub const ADMIN_EMAIL: &str = "admin@tomsk.example";

/// A demo body. The INNs are made up (Tomsk region code 70, a valid check digit), so the open
/// data identifiers `<INN>-<name>` work from the start.
fn body(slug: &str, inn: &str, full: &str, short: &str, powers: &str) -> BodyForm {
    BodyForm {
        slug: slug.into(),
        inn: inn.into(),
        full_name: full.into(),
        short_name: short.into(),
        address: "634050, г. Томск, пл. Ленина, 6".into(),
        reception_hours: "Понедельник — пятница, 9:00–18:00, перерыв 13:00–14:00".into(),
        powers: powers.into(),
        ..BodyForm::default()
    }
}

/// Creates the demo portal if the database has none. Returns whether it did.
pub async fn seed(db: &Db, now: i64, extra_bodies: u32) -> anyhow::Result<bool> {
    if bodies::portal(db).await?.is_some() {
        println!("Портал уже создан: демонстрационные данные не добавлялись.");
        return Ok(false);
    }
    let actor = Actor::system("demo");
    let portal = Portal {
        name: "Томская область".into(),
        kind: "region".into(),
        email: "portal@tomsk.example".into(),
        phone: "+7 (3822) 00-00-00".into(),
        address: "634050, г. Томск, пл. Ленина, 6".into(),
    };
    bodies::save_portal(db, &actor, now, &portal).await?;
    let top = [
        body(
            "information-society",
            "7017000001",
            "Департамент развития информационного общества Администрации Томской области",
            "Департамент информационного общества",
            "Координация работы с открытыми данными и реализации принципов открытости в исполнительных органах Томской области.",
        ),
        body(
            "social-protection",
            "7017000019",
            "Департамент социальной защиты населения Томской области",
            "Департамент социальной защиты",
            "Социальная поддержка и социальное обслуживание населения Томской области.",
        ),
        body("finance", "7017000026", "Департамент финансов Томской области", "Департамент финансов", ""),
        body("health", "7017000033", "Департамент здравоохранения Томской области", "Департамент здравоохранения", ""),
    ];
    let mut social = None;
    for f in &top {
        let input = f.validate().map_err(|e| anyhow::anyhow!("demo body {}: {e}", f.slug))?;
        let b = bodies::create(db, &actor, now, None, &input).await?;
        if b.slug == "social-protection" {
            social = Some(b.id);
        }
    }
    let sub = body(
        "csp-tomsk",
        "7017000040",
        "Областное государственное казённое учреждение «Центр социальной поддержки населения г. Томска»",
        "ЦСПН г. Томска",
        "",
    );
    let input = sub.validate().map_err(|e| anyhow::anyhow!("demo body: {e}"))?;
    bodies::create(db, &actor, now, social, &input).await?;
    for i in 1..=extra_bodies {
        let f = body(
            &format!("body-{i}"),
            "",
            &format!("Демонстрационный орган № {i} Томской области"),
            &format!("Орган № {i}"),
            "",
        );
        let input = f.validate().map_err(|e| anyhow::anyhow!("demo body: {e}"))?;
        bodies::create(db, &actor, now, None, &input).await?;
    }
    let password: String = rand::rng().sample_iter(rand::distr::Alphanumeric).take(20).map(char::from).collect();
    let admin = NewUser {
        email: ADMIN_EMAIL,
        display_name: "Администратор портала",
        password: &password,
        grants: vec![Grant { role: Role::PortalAdmin, body_id: None }],
    };
    kernel::staff::create_user(db, &actor, now, admin).await.context("demo admin")?;
    println!("Демонстрационный портал «Томская область» создан.");
    println!("Администратор: {ADMIN_EMAIL}");
    println!("Пароль (показывается один раз): {password}");
    Ok(true)
}
