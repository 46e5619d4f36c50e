//! The demo department's council: its composition, regulations, meetings, a draft plan under
//! discussion and its online conferences; and many meetings for load tests.

use anyhow::Context;
use kernel::Db;
use kernel::audit::Actor;

/// The department's public council: its composition (the chair's name public by consent, a
/// member's not), its regulations, a meeting ten days ahead with registration and one held a
/// fortnight ago with its minutes.
pub(super) async fn seed_council(db: &Db, tz: &jiff::tz::TimeZone, now: i64, body_id: i64) -> anyhow::Result<()> {
    use councils::{meetings, store};
    let actor = Actor::system("demo");
    let today = jiff::Timestamp::from_millisecond(now)?.to_zoned(tz.clone()).date();
    let card = store::CouncilForm {
        kind: "public_council".into(),
        name: "Общественный совет при Департаменте социальной защиты населения Томской области".into(),
        about: "Совет участвует в общественном контроле за работой департамента, обсуждает проекты его актов и планы.".into(),
        address: "634041, г. Томск, пр. Кирова, 41, зал заседаний".into(),
        phone: "+7 (3822) 00-00-41".into(),
        email: "council@social.tomsk.example".into(),
        attendance: "Заседания открытые. Вход по документу, удостоверяющему личность; запись заседания на камеру и телефон не запрещается.".into(),
    };
    let card = store::check_council(&card).map_err(|e| anyhow::anyhow!("demo council: {e}"))?;
    let id = store::create(db, &actor, now, body_id, &card).await?;
    let council = store::get(db, id).await?.context("the demo council")?;
    let published = store::Published { now, today, freshness_days: 3 };
    for (name, role, consent) in [
        ("Смирнова Елена Викторовна", "chair", "1"),
        ("Козлов Андрей Иванович", "deputy", "1"),
        ("Новиков Сергей Петрович", "member", ""),
    ] {
        let f = store::MemberForm {
            full_name: name.into(),
            role: role.into(),
            consent: consent.into(),
            approved_on: today.to_string(),
            approved_by: "приказ департамента о составе общественного совета".into(),
            ..store::MemberForm::default()
        };
        let m = store::check_member(&f, today).map_err(|e| anyhow::anyhow!("demo member: {e}"))?;
        store::add_member(db, &actor, published, &council, &m, "").await?;
    }
    let regulations = store::DocumentForm {
        kind: "regulations".into(),
        title: "Положение об общественном совете".into(),
        text: "1. Общественный совет является постоянно действующим совещательным органом.\n2. Заседания проводятся не реже одного раза в квартал и открыты для граждан.".into(),
        approved_on: today.to_string(),
        approved_by: "приказ департамента об утверждении положения".into(),
    };
    store::add_document(db, &actor, published, &council, &regulations).await?;
    let plan = councils::plans::PlanForm {
        plan_title: "Проект плана работы общественного совета на 2027 год".into(),
        plan_items: "Отчёт департамента о работе с обращениями граждан\nОбсуждение доступности социальных услуг в районах области\nРассмотрение проекта публичной декларации целей и задач департамента\nПодведение итогов года".into(),
        plan_until: today.checked_add(jiff::Span::new().days(20))?.strftime("%d.%m.%Y").to_string(),
    };
    councils::plans::put_up(db, &actor, (now, today), &council, &plan).await?;
    let members = store::members(db, id).await?;
    let at = |days: i64, hour: i8| -> anyhow::Result<i64> {
        let d = today.checked_add(jiff::Span::new().days(days))?;
        Ok(d.at(hour, 0, 0, 0).to_zoned(tz.clone())?.timestamp().as_millisecond())
    };
    for (days, agenda) in [
        (
            -14,
            "О плане работы совета на год — Смирнова Елена Викторовна\nО доступности социальных услуг — Новиков Сергей Петрович",
        ),
        (10, "О проекте регламента ежемесячной выплаты на ребёнка — Козлов Андрей Иванович\nРазное"),
    ] {
        let a = meetings::Announcement {
            starts_at: at(days, 15)?,
            ends_at: at(days, 17)?,
            place: card.address.clone(),
            attendance: card.attendance.clone(),
            documents: String::new(),
            capacity: 30,
            stream_url: "https://video.example/social-council".into(),
            extraordinary: String::new(),
            closed_law: String::new(),
            agenda: meetings::read_agenda(agenda, &members),
        };
        let mid = meetings::announce(db, &actor, now, &council, &a).await?;
        if days < 0
            && let Some(m) = meetings::get(db, mid).await?
        {
            let minutes = meetings::MinutesForm {
                minutes: "Протокол заседания № 4. Присутствовали 9 членов совета из 11, 3 гражданина.".into(),
                attended: "9 членов совета; 3 гражданина".into(),
                transcript: String::new(),
                recording_url: "https://video.example/social-council-4".into(),
                decisions: vec![
                    (1, "План работы одобрить.".into(), "done".into()),
                    (2, "Департаменту подготовить справку к следующему заседанию.".into(), "in_work".into()),
                ],
            };
            meetings::publish_minutes(db, &actor, now, (&council, &m), &minutes).await?;
        }
    }
    seed_conferences(db, now, body_id, at).await
}

/// `n` meetings of ten councils, spread over the current month, three agenda items each.
pub(super) async fn seed_load_meetings(
    db: &Db,
    tz: &jiff::tz::TimeZone,
    now: i64,
    body_id: i64,
    n: u32,
) -> anyhow::Result<()> {
    use councils::{meetings, store};
    let actor = Actor::system("demo");
    let first = jiff::Timestamp::from_millisecond(now)?.to_zoned(tz.clone()).date().first_of_month();
    let mut councils = Vec::new();
    for k in 1..=10 {
        let card = store::CouncilForm {
            kind: "commission".into(),
            name: format!("Комиссия № {k}"),
            email: format!("commission{k}@social.tomsk.example"),
            attendance: "Вход свободный по документу, удостоверяющему личность.".into(),
            ..store::CouncilForm::default()
        };
        let card = store::check_council(&card).map_err(|e| anyhow::anyhow!("load council: {e}"))?;
        let id = store::create(db, &actor, now, body_id, &card).await?;
        councils.push(store::get(db, id).await?.context("a load council")?);
    }
    for i in 0..n {
        let day = first.checked_add(jiff::Span::new().days(i64::from(i % 28)))?;
        let starts = day.at(9 + (i % 8) as i8, 0, 0, 0).to_zoned(tz.clone())?.timestamp().as_millisecond();
        let a = meetings::Announcement {
            starts_at: starts,
            ends_at: starts + 3_600_000,
            place: format!("г. Томск, пр. Кирова, 41, зал {}", i % 5 + 1),
            attendance: String::new(),
            documents: String::new(),
            capacity: 20,
            stream_url: "https://video.example/commission".into(),
            extraordinary: String::new(),
            closed_law: String::new(),
            agenda: ["О плане работы", "Об обращениях граждан", "Разное"]
                .iter()
                .map(|t| (format!("{t} (заседание {})", i + 1), 0, "секретарь комиссии".to_string()))
                .collect(),
        };
        meetings::announce(db, &actor, now, &councils[i as usize % councils.len()], &a).await?;
    }
    Ok(())
}

/// A conference with the head held three weeks ago with its recording, and one ahead whose
/// topic is being voted on.
async fn seed_conferences(
    db: &Db,
    now: i64,
    body_id: i64,
    at: impl Fn(i64, i8) -> anyhow::Result<i64>,
) -> anyhow::Result<()> {
    use councils::conferences::{self, Checked, LinksForm};
    let actor = Actor::system("demo");
    let held = Checked {
        kind: "head".into(),
        title: "Меры поддержки семей с детьми в 2026 году".into(),
        about: "Прямая линия с руководителем департамента.".into(),
        starts_at: at(-21, 11)?,
        ends_at: at(-21, 12)?,
        stream_url: "https://video.example/social-line".into(),
        topics: Vec::new(),
        voting_until: 0,
    };
    let id = conferences::create(db, &actor, now, body_id, &held).await?;
    let c = conferences::get(db, id).await?.context("the demo conference")?;
    let links = LinksForm {
        stream_url: held.stream_url.clone(),
        recording_url: "https://video.example/social-line-recording".into(),
    };
    conferences::set_links(db, &actor, now, &c, &links).await?;
    let ahead = Checked {
        kind: "head".into(),
        title: "Прямая линия с руководителем департамента".into(),
        about: "Тему выбирают жители: голосуйте и задавайте вопросы заранее.".into(),
        starts_at: at(12, 11)?,
        ends_at: at(12, 12)?,
        stream_url: "https://video.example/social-line".into(),
        topics: vec![
            "Ежемесячная выплата на ребёнка".into(),
            "Социальное такси для людей с инвалидностью".into(),
            "Компенсация расходов на оплату жилья".into(),
        ],
        voting_until: at(6, 0)?,
    };
    conferences::create(db, &actor, now, body_id, &ahead).await?;
    Ok(())
}
