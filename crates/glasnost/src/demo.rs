//! The demo portal "Томская область": a few bodies from the seed documents and an admin
//! whose generated password is printed once.

use anyhow::Context;
use kernel::Db;
use kernel::audit::Actor;
use kernel::bodies::{self, BodyForm, Portal};
use kernel::staff::{Grant, NewUser, Role};
use rand::Rng;

mod councils;
mod mailing;

use councils::{seed_council, seed_load_meetings};
use mailing::seed_mailing;

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

/// The demo's open datasets: the Department of Social Protection's subordinate institutions with
/// addresses and coordinates, and their reception hours. Institutions, addresses and phones are
/// made up for the demo (the coordinates are in Tomsk).
const DEMO_DATASETS: [(&str, &str, &str, &str, &str); 2] = [
    (
        "subdivisions",
        "Подведомственные учреждения Департамента социальной защиты населения Томской области",
        "Наименования, адреса, телефоны и координаты учреждений, подведомственных Департаменту",
        "id,Number,Номер,integer\r\nname,Name,Наименование,string(300)\r\naddress,Address,Адрес,string(300)\r\n\
         phone,Phone,Телефон,string(30)\r\nlat,Latitude,Широта,latitude\r\nlon,Longitude,Долгота,longitude\r\n",
        "id,name,address,phone,lat,lon\r\n\
         1,\"Центр социальной поддержки населения г. Томска\",\"634050, г. Томск, пр. Ленина, 6\",+7 3822 000001,56.4846,84.9476\r\n\
         2,\"Комплексный центр социального обслуживания населения «Забота»\",\"634009, г. Томск, ул. Розы Люксембург, 10\",+7 3822 000002,56.4977,84.9554\r\n\
         3,\"Реабилитационный центр для детей и подростков «Надежда»\",\"634021, г. Томск, пр. Фрунзе, 100\",+7 3822 000003,56.4732,84.9942\r\n\
         4,\"Дом-интернат для престарелых и инвалидов «Лесная дача»\",\"634034, г. Томск, ул. Учебная, 20\",+7 3822 000004,56.4581,84.9667\r\n",
    ),
    (
        "reception-hours",
        "Часы приёма граждан в подведомственных учреждениях Департамента социальной защиты",
        "Дни и часы личного приёма граждан в учреждениях, подведомственных Департаменту",
        "id,Number,Номер учреждения,integer\r\nday,Day,День недели,string(20)\r\nfrom,From,Начало приёма,string(5)\r\n\
         to,To,Окончание приёма,string(5)\r\n",
        "id,day,from,to\r\n1,понедельник,09:00,13:00\r\n1,среда,14:00,18:00\r\n2,вторник,10:00,13:00\r\n\
         3,четверг,09:00,12:00\r\n4,пятница,10:00,12:00\r\n",
    ),
];

/// Creates and publishes the demo's open datasets of the Department of Social Protection.
async fn seed_datasets(
    db: &Db,
    storage: &kernel::storage::Storage,
    tz: &jiff::tz::TimeZone,
    now: i64,
    body: &kernel::bodies::Body,
) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    let stamp = opendata::publish::stamp_at(now, tz).context("the demo's clock")?;
    for (name, title, description, structure, data) in DEMO_DATASETS {
        let structure = format!("field name,english description,russian description,format\r\n{structure}");
        let mut structure = opendata_format::Structure::from_csv(structure.as_bytes())
            .map_err(|e| anyhow::anyhow!("demo structure {name}: {}", e.join("; ")))?;
        for f in &mut structure.fields {
            f.required = matches!(f.name.as_str(), "id" | "name" | "address" | "day");
        }
        let passport = opendata::store::PassportForm {
            name: name.into(),
            title: title.into(),
            description: description.into(),
            keywords: "социальная защита,учреждения,приём граждан".into(),
            publisher_name: "Иванова Мария Петровна, консультант".into(),
            publisher_phone: "+73822000000".into(),
            publisher_mbox: "opendata@social.tomsk.example".into(),
            schedule: "ежеквартально".into(),
            licence: opendata::store::DEFAULT_LICENCE.into(),
        };
        let id = opendata::store::create(db, &actor, now, stamp, body, &passport, &structure).await?;
        let dataset = opendata::store::by_id(db, id).await?.context("the demo dataset")?;
        let upload = opendata::store::Upload {
            bytes: bytes::Bytes::from_static(data.as_bytes()),
            provenance: "Первая публикация",
            valid_until: "",
            idempotency_key: None,
        };
        let (report, stored) = opendata::store::add_version(db, storage, &actor, now, stamp, &dataset, upload).await?;
        anyhow::ensure!(stored.is_some(), "demo data {name} is invalid: {:?}", report.issues);
        opendata::store::set_published(db, &actor, now, &dataset, true).await?;
    }
    Ok(())
}

/// For load tests: `n` more published datasets of the body, each with one structure and one data
/// version (the demo institutions' file), written straight into the tables in one transaction.
async fn seed_load_datasets(db: &Db, now: i64, stamp: &str, body: &kernel::bodies::Body, n: u32) -> anyhow::Result<()> {
    use sqlx::Row;
    let template =
        opendata::store::by_identifier(db, &format!("{}-subdivisions", body.inn)).await?.context("demo dataset")?;
    let version = opendata::store::versions(db, template.id).await?.pop().context("demo data version")?;
    let structure = opendata::store::structures(db, template.id).await?.pop().context("demo structure")?;
    let fields = serde_json::to_string(&structure.structure)?;
    let topics = ["учреждения", "приём граждан", "пособия", "адреса", "очередь", "выплаты", "льготы", "услуги"];
    let mut tx = db.begin().await?;
    for i in 0..n {
        let topic = topics[i as usize % topics.len()];
        let id: i64 = sqlx::query(
            "INSERT INTO datasets (body_id, identifier, title, description, keywords, publisher_name, publisher_phone, \
             publisher_mbox, schedule, licence, published, first_published_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'Иванова Мария Петровна', '+73822000000', 'opendata@social.tomsk.example', \
             'ежеквартально', $6, 1, $7, $7, $7) RETURNING id",
        )
        .bind(body.id)
        .bind(format!("{}-load-{i:06}", body.inn))
        .bind(format!("Набор № {i}: {topic} в муниципальном образовании № {}", i % 97))
        .bind(format!("Сведения о теме «{topic}» по месяцам, выпуск {i}"))
        .bind(format!("{topic},социальная защита,выпуск {}", i % 50))
        .bind(opendata::store::DEFAULT_LICENCE)
        .bind(now + i64::from(i))
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let sid: i64 = sqlx::query(
            "INSERT INTO dataset_structures (dataset_id, stamp, fields, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(id)
        .bind(stamp)
        .bind(&fields)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        sqlx::query(
            "INSERT INTO dataset_versions (dataset_id, structure_id, stamp, provenance, valid_until, file_key, bytes, rows, \
             sha256, created_at) VALUES ($1, $2, $3, 'Первая публикация', '', $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(sid)
        .bind(stamp)
        .bind(&version.file_key)
        .bind(version.bytes)
        .bind(version.rows)
        .bind(&version.sha256)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Creates the demo portal if the database has none. Returns whether it did.
/// The catalogue items Glasnost's own pages already publish for each demo body (its contacts,
/// reception hours, open data and the statistics of appeals), recorded as published today; the
/// subordinate organisation is one. The bodies added for load tests get none.
async fn seed_site(db: &Db, tz: &jiff::tz::TimeZone, now: i64) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    let today = jiff::Timestamp::from_millisecond(now)?.to_zoned(tz.clone()).date();
    let items = site::catalogue::builtin();
    for body in bodies::list(db).await? {
        if body.parent_id.is_some() {
            site::store::set_body_kind(db, &actor, now, body.id, "subordinate").await?;
        }
        let kind = if body.parent_id.is_some() { "subordinate" } else { "executive" };
        let slug = &body.slug;
        let pages = [
            ("general-name", format!("/o/{slug}/")),
            ("appeals-order", format!("/o/{slug}/")),
            ("appeals-reviews", format!("/o/{slug}/appeals/stats")),
            ("open-data", format!("/o/{slug}/opendata/")),
        ];
        for (code, url) in pages {
            let Some(item) = items.iter().find(|i| i.code == code && i.applies(kind)) else { continue };
            let form = site::store::RecordForm {
                action: "published".into(),
                url,
                published_on: today.to_string(),
                ..Default::default()
            };
            site::store::add_record(db, &actor, now, today, body.id, item, &form).await?;
        }
    }
    Ok(())
}

/// What the demo's Word files say first.
const DEMO_WORD: &str = "Демонстрационный документ: придуман для показа портала.";

/// A Word document of these paragraphs.
fn word(paragraphs: &[&str]) -> anyhow::Result<Vec<u8>> {
    use docx_rs::{Docx, Paragraph, Run};
    let doc =
        paragraphs.iter().fold(Docx::new(), |d, t| d.add_paragraph(Paragraph::new().add_run(Run::new().add_text(*t))));
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).context("the demo's Word document")?;
    Ok(out.into_inner())
}

/// A made-up picture for the demo's news: a gradient of the portal's blue, as a PNG.
fn demo_picture() -> anyhow::Result<Vec<u8>> {
    let img = image::RgbImage::from_fn(1600, 900, |x, y| {
        image::Rgb([(10 + x * 60 / 1600) as u8, (77 + y * 80 / 900) as u8, (153 + x * 90 / 1600) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).context("the demo's picture")?;
    Ok(out.into_inner())
}

/// Made-up content for each demo body, said to be so in its first lines: the structure page, two
/// news items, a document changed once (so its archive has two versions to compare), an
/// announcement and a vacancy — what a citizen opens first on an official site.
async fn seed_content(
    db: &Db,
    storage: &kernel::storage::Storage,
    tz: &jiff::tz::TimeZone,
    now: i64,
) -> anyhow::Result<()> {
    use site::content::{Fields, Kind};
    use site::content_store::{self, Place, Sent, Upload};
    let actor = Actor::system("demo");
    let today = jiff::Timestamp::from_millisecond(now)?.to_zoned(tz.clone()).date();
    const DEMO: &str = "*Демонстрационный материал: придуман для показа портала.*";
    for body in bodies::list(db).await? {
        let name = &body.short_name;
        let place = Place { slug: &body.slug, today };
        let subordinate = body.parent_id.is_some();
        // A thing with neither file nor photo.
        let (by, at, body_id) = (&actor, &place, body.id);
        let text_only = |kind: Kind, f: Fields| async move {
            let sent = Sent { fields: &f, upload: None, picture: None };
            content_store::create(db, storage, by, now, at, body_id, kind, sent).await
        };
        let page = |title: &str, text: String, item: &str| Fields {
            title: title.into(),
            text: format!("{DEMO}\n\n{text}"),
            item: item.into(),
            ..Fields::default()
        };
        let structure = page(
            "Структура",
            format!(
                "## {name}\n\n- Руководство\n- Отдел информационной политики\n- Отдел по работе с обращениями граждан\n- Финансово-экономический отдел\n\nТелефоны отделов — в разделе «Контакты» на странице органа."
            ),
            if subordinate { "" } else { "general-structure" },
        );
        text_only(Kind::Page, structure).await?;
        let head = if body.head_name.is_empty() {
            "Иванов Иван Иванович".to_string()
        } else {
            body.head_name.clone()
        };
        let position = if body.head_position.is_empty() {
            "Руководитель".to_string()
        } else {
            body.head_position.clone()
        };
        let leader = Fields {
            lead: position,
            ..page(
                &head,
                "Окончил Томский государственный университет по специальности «Государственное и муниципальное управление». \
                 Работал в органах местного самоуправления и в администрации области; руководит органом с 2022 года."
                    .into(),
                if subordinate { "" } else { "general-biographies" },
            )
        };
        text_only(Kind::Leader, leader).await?;
        let news = [
            (
                "Открыт приём предложений к плану по открытости",
                "До конца месяца любой житель может предложить мероприятие в план по открытости: форма — на странице «Открытость органа».",
            ),
            (
                "График приёма граждан в праздничные дни",
                "В нерабочие праздничные дни личный приём не ведётся; обращения в электронной форме принимаются круглосуточно.",
            ),
        ];
        for (n, (title, lead)) in news.into_iter().enumerate() {
            // The first with a made-up picture (a gradient), described as such.
            let picture =
                if n == 0 { Some(Upload { name: "demo.png".into(), bytes: demo_picture()?.into() }) } else { None };
            let f = Fields {
                lead: lead.into(),
                image_alt: if picture.is_some() {
                    "Демонстрационное изображение: цветной градиент".into()
                } else {
                    String::new()
                },
                ..page(title, format!("{lead}\n\nПресс-служба: {name}.").to_string(), "")
            };
            let sent = Sent { fields: &f, upload: None, picture };
            content_store::create(db, storage, &actor, now, &place, body.id, Kind::News, sent).await?;
        }
        // The order as its Word file, changed once: the archive compares the files' texts.
        let order = |responsible: &str| {
            word(&[
                "ПРИКАЗ № 12-п",
                "Об утверждении порядка размещения информации о деятельности",
                DEMO_WORD,
                "1. Утвердить перечень информации о деятельности, размещаемой на сайте.",
                &format!("2. Назначить ответственным за размещение {responsible}."),
                "3. Контроль за исполнением приказа оставляю за собой.",
            ])
        };
        let document = Fields {
            title: "Об утверждении порядка размещения информации о деятельности".into(),
            act_kind: "Приказ".into(),
            act_number: "12-п".into(),
            act_date: today.to_string(),
            lead: "Кто и в какие сроки размещает информацию о деятельности органа.".into(),
            item: if subordinate { "" } else { "rules-acts" }.into(),
            ..Fields::default()
        };
        let upload = |bytes: Vec<u8>| Some(Upload { name: "Приказ 12-п.docx".into(), bytes: bytes.into() });
        let sent = Sent {
            fields: &document, upload: upload(order("отдел информационной политики")?), picture: None
        };
        let id = content_store::create(db, storage, &actor, now, &place, body.id, Kind::Document, sent).await?;
        let changed =
            Fields { note: "ответственный — пресс-служба".into(), ..document.clone() };
        let sent = Sent { fields: &changed, upload: upload(order("пресс-службу")?), picture: None };
        content_store::update(db, storage, &actor, now, &place, body.id, id, sent).await?;
        // Two reception times of the head, a week and two weeks on, at 10:00.
        let now_local = jiff::Timestamp::from_millisecond(now)?.to_zoned(tz.clone()).datetime();
        for weeks in [1, 2] {
            let day = today.checked_add(jiff::Span::new().weeks(weeks))?;
            let form = site::reception::SlotForm {
                official: format!("Руководитель ({name}), демонстрационная запись"),
                starts_at: format!("{day}T10:00"),
                minutes: "120".into(),
                place: "634050, г. Томск, пл. Ленина, 6, приёмная".into(),
                capacity: "5".into(),
            };
            site::reception::add_slot(db, &actor, now, now_local, body.id, &form).await?;
        }
        // Where its information may be read, who answers for its stand, its social pages.
        let profile = site::premises::Profile {
            reading_place: "634050, г. Томск, пл. Ленина, 6, каб. 101 (демонстрационная запись)".into(),
            reading_hours: "понедельник — четверг 9:00–18:00, пятница 9:00–16:45, перерыв 13:00–13:48".into(),
            reading_rules: "Об ознакомлении попросите устно в приёмной или письменно через сайт.\nОбращение рассматривается в течение 7 рабочих дней.".into(),
            stand_responsible: "Консультант отдела информационной политики (демонстрационная запись)".into(),
            vk: format!("https://vk.com/demo_{}", body.slug.replace('-', "_")),
            telegram: format!("https://t.me/demo_{}", body.slug.replace('-', "_")),
            social_rules: "Отвечаем на вопросы в рабочие дни в течение суток. Оскорбления, реклама и персональные данные удаляются.\nОфициальный ответ в срок, установленный законом, даётся только на обращение.".into(),
            structure: "Руководитель — демонстрационная запись, приёмная: 71-00-00\n  \
                        Заместитель руководителя по социальным вопросам\n    \
                        Отдел социальных выплат — тел. 71-00-01\n    \
                        Отдел опеки и попечительства — тел. 71-00-02\n  \
                        Заместитель руководителя по экономике\n    \
                        Финансово-экономический отдел\n    \
                        Отдел закупок\n  \
                        Отдел информационной политики — тел. 71-00-05\n  \
                        Юридический отдел"
                .into(),
            ..site::premises::Profile::default()
        };
        let place = site::content_store::Place { slug: &body.slug, today };
        site::premises::save(db, &actor, now, body.id, &profile, &place).await?;
        // This year's public declaration: two goals, three indicators, no actual values yet.
        let indicator =
            |goal: &str, indicator: &str, unit: &str, base: &str, target: &str| site::statements::Indicator {
                goal: goal.into(),
                indicator: indicator.into(),
                unit: unit.into(),
                base: base.into(),
                target: target.into(),
                note: "демонстрационная запись".into(),
                ..site::statements::Indicator::default()
            };
        let rows = vec![
            indicator("Открытость органа", "Доля обращений, на которые ответили в срок", "%", "96", "100"),
            indicator("Открытость органа", "Наборов открытых данных опубликовано", "шт.", "8", "12"),
            indicator("Понятные услуги", "Доля услуг с описанием простым языком", "%", "40", "80"),
        ];
        let year = i32::from(today.year());
        let title = format!("Публичная декларация целей и задач на {year} год");
        site::statements::save(db, &actor, now, body.id, (year, title, String::new()), rows).await?;
        // Last year's spending on its own needs, as a body keeps it (made up).
        let cells = |r: &[&str]| r.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let table = site::reports::Table {
            header: cells(&["Статья расходов", "Утверждено на год, руб.", "Исполнено, руб.", "Исполнено, %"]),
            rows: vec![
                cells(&["Оплата труда и начисления (демонстрационная запись)", "24 800 000", "24 650 000", "99,4"]),
                cells(&["Услуги связи", "410 000", "388 000", "94,6"]),
                cells(&["Содержание помещений", "1 250 000", "1 190 000", "95,2"]),
            ],
        };
        let last = (today.year() - 1).to_string();
        if let Ok(heading) = site::reports::check(("expenses", &last, ""), today.year()) {
            site::reports::save(db, &actor, now, body.id, heading, table).await?;
        }
        // Last year's income table, read as a body's own file is (made-up people; it stays with
        // the staff while publication is suspended).
        let income = format!(
            "Сведения о доходах за период с 1 января {last} г. по 31 декабря {last} г. (демонстрационная запись)\n\
             Фамилия и инициалы,Должность,Объекты недвижимости,,Декларированный годовой доход (руб.)\n\
             ,,вид объекта,площадь (кв. м),\n\
             Руководитель (демонстрационная запись),Руководитель,квартира,\"54,2\",\"1 850 000,00\"\n\
             супруга,,\"квартира\",\"54,2\",\"640 000,00\"\n\
             Заместитель руководителя (демонстрационная запись),Заместитель руководителя,жилой дом,120,\"1 420 000,00\"\n\
             ,,земельный участок,800,\n"
        );
        let read = site::income::read("income.csv", income.as_bytes())
            .map_err(|e| anyhow::anyhow!("the demo income table: {}", e.join("; ")))?;
        site::income::save(db, &actor, now, body.id, i32::from(today.year()) - 1, read.table).await?;
        let announcement = page(
            "Приём документов на конкурс социальных проектов",
            "Документы принимаются в рабочие дни с 9:00 до 17:00. Условия конкурса — в приложенном положении.".into(),
            "",
        );
        text_only(Kind::Announcement, announcement).await?;
        let vacancy = page(
            "Конкурс на замещение должности главного специалиста",
            "Требования: высшее образование, стаж работы по специальности от двух лет. Документы принимаются 21 день со дня объявления.".into(),
            if subordinate { "" } else { "personnel-competitions" },
        );
        text_only(Kind::Vacancy, vacancy).await?;
    }
    Ok(())
}

/// A draft regulation of the department, under public discussion from today.
async fn seed_drafts(
    db: &Db,
    storage: &kernel::storage::Storage,
    tz: &jiff::tz::TimeZone,
    now: i64,
    body_id: i64,
    comments: u32,
) -> anyhow::Result<()> {
    use office::write::Block;
    let actor = Actor::system("demo");
    let notice = rulemaking::store::NoticeForm {
        kind: "regulation".into(),
        title: "Об утверждении административного регламента предоставления государственной услуги «Назначение ежемесячной выплаты на ребёнка»".into(),
        concept: "Регламент описывает, как подать заявление на ежемесячную выплату через портал госуслуг или в центре социальной поддержки, какие документы нужны и в какой срок принимается решение.".into(),
        costs_benefits: "Дополнительных расходов бюджета нет. Семьи тратят меньше времени: срок принятия решения сокращается с 10 до 5 рабочих дней.".into(),
        plain_summary: "Заявление на выплату на ребёнка можно будет подать онлайн, а решение придёт за пять рабочих дней.".into(),
        video_url: String::new(),
    };
    let id = rulemaking::store::create(db, &actor, now, body_id, &notice).await?;
    let text = [
        "ПРОЕКТ",
        "Административный регламент предоставления государственной услуги «Назначение ежемесячной выплаты на ребёнка»",
        "I. Общие положения",
        "1. Регламент устанавливает порядок и сроки предоставления государственной услуги.",
        "2. Заявителями являются родители (законные представители) ребёнка, проживающие в Томской области.",
        "II. Стандарт предоставления государственной услуги",
        "3. Заявление подаётся:",
        "а) через Единый портал государственных и муниципальных услуг;",
        "б) в центре социальной поддержки населения по месту жительства.",
        "4. Решение о назначении выплаты принимается в течение 5 рабочих дней со дня регистрации заявления.",
    ];
    let blocks: Vec<Block> = text.iter().map(|t| Block::Text((*t).to_string())).collect();
    let bytes = office::write::docx(&blocks).map_err(|e| anyhow::anyhow!(e))?;
    let draft = rulemaking::store::get(db, id).await?.context("the demo draft")?;
    rulemaking::store::add_version(db, storage, &actor, now, &draft, ("Проект регламента.docx", bytes.into()), "")
        .await?;
    let kinds = rulemaking::store::kinds(db).await?;
    let kind = kinds.iter().find(|k| k.code == "regulation").context("the regulation rule")?;
    let today = jiff::Timestamp::from_millisecond(now)?.to_zoned(tz.clone()).date();
    let cal = deadlines::Calendar::federal();
    let draft = rulemaking::store::get(db, id).await?.context("the demo draft")?;
    rulemaking::store::open_discussion(db, &actor, now, &draft, kind, (&cal, today), None).await?;
    if comments > 0 {
        seed_draft_comments(db, &draft, comments, now).await?;
    }
    // The year's plan of rule-making: this draft, and one still to come.
    let year = today.year().to_string();
    let fourth = format!("IV квартал {year} года");
    for (title, term) in [
        (draft.title.as_str(), "в течение года"),
        ("О порядке предоставления компенсации расходов на оплату жилья", fourth.as_str()),
    ] {
        let item = rulemaking::plan::ItemForm {
            year: year.clone(),
            title: title.to_string(),
            kind: "regulation".into(),
            term: term.to_string(),
            responsible: "Правовой отдел".into(),
        };
        let Ok(item) = rulemaking::plan::check(&item, &kinds, &cal, today) else { continue };
        let id = rulemaking::plan::add(db, &actor, now, body_id, &item).await?;
        if item.title == draft.title
            && let Some(stored) = rulemaking::plan::get(db, id).await?
        {
            rulemaking::plan::link(db, &actor, now, &stored, Some(&draft)).await?;
        }
    }
    Ok(())
}

/// Published comments on the demo draft, spread over its units, most with the body's position
/// (for load tests of its page and its summary).
async fn seed_draft_comments(db: &Db, draft: &rulemaking::store::Draft, n: u32, now: i64) -> anyhow::Result<()> {
    let anchors = rulemaking::store::anchors(db, draft.id).await?;
    let subject = discussion::Subject {
        id: draft.id,
        body_id: draft.body_id,
        title: &draft.title,
        page: String::new(),
        version: 1,
    };
    for i in 0..n as usize {
        let new = discussion::NewComment {
            unit: anchors.get(i % (anchors.len() + 1)).map(|a| a.0),
            author_name: format!("Участник обсуждения {}", i + 1),
            email: None,
            text: format!(
                "Предложение {}: уточнить срок рассмотрения заявления и перечень документов, которые заявитель \
                 может не представлять, если сведения есть у органа.",
                i + 1
            ),
        };
        discussion::comments::add(db, now, &rulemaking::COMMENTS, &subject, &new).await?;
    }
    // Published as moderation would leave them: three in four with the body's position.
    sqlx::query(
        "UPDATE draft_comments SET status = 'published', \
         position = CASE id % 4 WHEN 0 THEN '' WHEN 1 THEN 'accepted' WHEN 2 THEN 'partly' ELSE 'rejected' END, \
         reply = CASE id % 4 WHEN 0 THEN '' ELSE 'Рассмотрено при доработке проекта.' END WHERE draft_id = $1",
    )
    .bind(draft.id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// What the demo adds for load tests beyond the demo portal itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct Load {
    pub extra_bodies: u32,
    pub extra_datasets: u32,
    pub draft_comments: u32,
    /// Meetings of ten more councils of the demo department, in the current month.
    pub meetings: u32,
    /// Subscribers of the demo department's news, with a campaign to them due at once.
    pub subscribers: u32,
    /// Items of the open-data list 1187-р, which every body must cover (for load tests of the
    /// compliance engine).
    pub list_items: u32,
    /// Seed plan 002, imported and approved for each extra body (for load tests of the compliance
    /// engine).
    pub plans: bool,
}

/// Seed plan 002 (a real openness plan of 91 measures), imported and approved for a body.
async fn seed_plan(db: &Db, now: i64, body: &kernel::bodies::Body) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    let text = include_str!("../../roadmap/tests/fixtures/002.txt");
    let plan = roadmap::file::read_plan("002.txt", text.as_bytes()).map_err(|e| anyhow::anyhow!("seed 002: {e}"))?;
    let new =
        roadmap::store::NewRoadmap::from_document(body.id, "План по реализации принципов открытости", "002.txt", &plan);
    let id = roadmap::store::create_from_import(db, &actor, now, new).await?;
    let loaded = roadmap::store::load(db, id).await?.context("the imported plan")?;
    let act = loaded.roadmap.approving_act.clone();
    roadmap::store::set_status(db, &actor, now, &loaded.roadmap, "approved", &act, "").await?;
    Ok(())
}

/// `n` items of the open-data list 1187-р (numbered, titled as load-test items).
async fn seed_list_items(db: &Db, now: i64, n: u32) -> anyhow::Result<()> {
    let lists = opendata::obligations::lists(db).await?;
    let list = lists.iter().find(|l| l.code == "1187-r").context("the list 1187-р")?;
    let items: Vec<opendata::obligations::NewItem> = (1..=n)
        .map(|i| opendata::obligations::NewItem {
            number: i.to_string(),
            title: format!("Пункт перечня № {i} (для нагрузочной проверки)"),
            applies_to: String::new(),
        })
        .collect();
    opendata::obligations::load(db, &Actor::system("demo"), now, list, &items).await?;
    Ok(())
}

pub async fn seed(
    db: &Db,
    storage: &kernel::storage::Storage,
    tz: &jiff::tz::TimeZone,
    now: i64,
    load: Load,
) -> anyhow::Result<bool> {
    let Load { extra_bodies, extra_datasets, draft_comments, meetings, subscribers, list_items, plans } = load;
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
            social = Some(b);
        }
    }
    let social = social.context("the demo's Department of Social Protection")?;
    seed_datasets(db, storage, tz, now, &social).await?;
    seed_drafts(db, storage, tz, now, social.id, draft_comments).await?;
    seed_council(db, tz, now, social.id).await?;
    seed_mailing(db, now, social.id, subscribers).await?;
    if meetings > 0 {
        seed_load_meetings(db, tz, now, social.id, meetings).await?;
    }
    if extra_datasets > 0 {
        let stamp = opendata::publish::stamp_at(now, tz).context("the demo's clock")?.to_string();
        seed_load_datasets(db, now, &stamp, &social, extra_datasets).await?;
    }
    let social = Some(social.id);
    let sub = body(
        "csp-tomsk",
        "7017000040",
        "Областное государственное казённое учреждение «Центр социальной поддержки населения г. Томска»",
        "ЦСПН г. Томска",
        "",
    );
    let input = sub.validate().map_err(|e| anyhow::anyhow!("demo body: {e}"))?;
    bodies::create(db, &actor, now, social, &input).await?;
    seed_site(db, tz, now).await?;
    seed_content(db, storage, tz, now).await?;
    for i in 1..=extra_bodies {
        let f = body(
            &format!("body-{i}"),
            "",
            &format!("Демонстрационный орган № {i} Томской области"),
            &format!("Орган № {i}"),
            "",
        );
        let input = f.validate().map_err(|e| anyhow::anyhow!("demo body: {e}"))?;
        let b = bodies::create(db, &actor, now, None, &input).await?;
        if plans {
            seed_plan(db, now, &b).await?;
        }
    }
    if list_items > 0 {
        seed_list_items(db, now, list_items).await?;
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
