//! A body's open datasets through the staff pages and the public section: a dataset is
//! created with its passport and structure, a wrong file is refused whole with line and column
//! (and a full report), a right one becomes a version under its timestamp, and the published
//! registry, passport and files follow the standard's layout.

use kernel::staff::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::{PASSWORD, TestApp};
use crate::on_both_backends;

pub const INN: &str = "7017000001";

async fn upload(app: &TestApp, id: &str, csv: &str, provenance: &str) -> reqwest::Response {
    let form = Form::new()
        .text("csrf", app.csrf().await)
        .text("provenance", provenance.to_string())
        .text("valid_until", "2026-12-31")
        .part("file", Part::bytes(csv.as_bytes().to_vec()).file_name("data.csv"));
    let url = app.url(&format!("/staff/o/social-protection/opendata/{id}/upload"));
    app.client.post(url).multipart(form).send().await.expect("upload")
}

fn structure_row(i: usize, name: &str, ru: &str, kind: &str, required: bool) -> Vec<(String, String)> {
    let mut row = vec![
        (format!("f{i}_name"), name.to_string()),
        (format!("f{i}_en"), name.to_string()),
        (format!("f{i}_ru"), ru.to_string()),
        (format!("f{i}_type"), kind.to_string()),
    ];
    if required {
        row.push((format!("f{i}_required"), "1".into()));
    }
    row
}

async fn a_dataset_is_created_checked_published_and_withdrawn(app: TestApp) {
    sqlx::query("UPDATE bodies SET inn = $1 WHERE slug = 'social-protection'")
        .bind(INN)
        .execute(&app.db.pool)
        .await
        .expect("inn");
    app.create_staff("data@social.example", Role::OpendataOfficer, Some("social-protection")).await;
    app.login("data@social.example", PASSWORD).await;
    assert!(app.get("/staff/o/social-protection/opendata/new").await.text().await.expect("text").contains(INN));
    // A sample file fills in the structure, for staff to correct.
    let sample = Form::new().text("csrf", app.csrf().await).part(
        "sample",
        Part::bytes("id,name,lat\r\n1,Центр,56.48\r\n2,Приют,\r\n".as_bytes().to_vec()).file_name("s.csv"),
    );
    let url = app.url("/staff/o/social-protection/opendata/new/sample");
    let page = app.client.post(url).multipart(sample).send().await.expect("sample").text().await.expect("text");
    assert!(page.contains("name=\"f2_name\" value=\"lat\""), "{}", page.split("<main").nth(1).unwrap_or_default());
    assert!(page.contains("<option selected>latitude</option>") && page.contains("<option selected>integer</option>"));

    let passport_fields = [
        ("title", "Подведомственные организации Департамента"),
        ("description", "Наименования, адреса и координаты подведомственных учреждений"),
        ("keywords", "социальная защита, учреждения"),
        ("publisher_name", "Аносова Ирина Александровна"),
        ("publisher_phone", "+7 (3822) 00-00-00"),
        ("publisher_mbox", "anosova@social.example"),
        ("schedule", "ежеквартально"),
    ];
    let mut fields: Vec<(String, String)> =
        passport_fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    fields.extend(structure_row(0, "id", "Номер", "integer", true));
    fields.extend(structure_row(1, "name", "Наименование", "string(200)", true));
    fields.extend(structure_row(2, "lat", "Широта", "latitude", false));
    fields.extend(structure_row(3, "lon", "Долгота", "longitude", false));
    fields.extend(structure_row(4, "", "", "string", false));
    let post = |extra: Vec<(String, String)>| {
        let mut all = fields.clone();
        all.extend(extra);
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.post_form("/staff/o/social-protection/opendata/new", &pairs).await
        }
    };
    let r = post(vec![
        ("name".into(), "организации".into()),
        ("f5_name".into(), "1x".into()),
        ("f5_ru".into(), "Икс".into()),
        ("f5_type".into(), "integer".into()),
    ])
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.expect("text");
    assert!(
        text.contains("латинские буквы") && text.contains("имя «1x»"),
        "{}",
        text.split("<main").nth(1).unwrap_or_default()
    );
    let r = post(vec![("name".into(), "subdivisions".into())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = r.headers().get("location").and_then(|l| l.to_str().ok()).expect("location").to_string();
    let id = page.split('/').nth(5).and_then(|s| s.split('?').next()).expect("id").to_string();
    let r = post(vec![("name".into(), "subdivisions".into())]).await;
    assert!(r.text().await.expect("text").contains(&format!("набор {INN}-subdivisions уже есть")));

    // Publishing needs data.
    let publish = format!("/staff/o/social-protection/opendata/{id}/publish");
    let r = app.post_form(&publish, &[("published", "1")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("сначала загрузите данные"));

    // A wrong file: refused whole, with where and why, and a full report.
    let wrong = "id,name,lat,lon\r\n1,Центр «Надежда»,56.48,84.95\r\n2,Приют,95.1,84.9\r\nx,Дом,,\r\n";
    let r = upload(&app, &id, wrong, "").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.expect("text");
    assert!(text.contains("Файл не принят: ошибок 2"), "{}", text.split("<main").nth(1).unwrap_or_default());
    assert!(text.contains("<td>3</td><td>3 (lat)</td>") && text.contains("«x» — ожидается целое число"));
    let report =
        text.split("href=\"").find(|s| s.contains("/reports/")).and_then(|s| s.split('"').next()).expect("report link");
    let csv = app.get(report).await.text().await.expect("report");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains("4,1,id,type,«x» — ожидается целое число"));
    assert!(text.contains("Данные ещё не загружены"), "nothing stored");

    let right = "id,name,lat,lon\r\n1,\"Центр «Надежда», Томск\",56.48,84.95\r\n2,Приют,,\r\n";
    assert_eq!(upload(&app, &id, right, "Первая публикация").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.post_form(&publish, &[("published", "1")]).await.status(), StatusCode::SEE_OTHER);
    let second = "id,name,lat,lon\r\n1,\"Центр «Надежда», Томск\",56.48,84.95\r\n";
    assert_eq!(upload(&app, &id, second, "Приют закрыт").await.status(), StatusCode::SEE_OTHER);

    let public = app.other_client();
    let section = public.get("/opendata/").await.text().await.expect("text");
    assert!(
        section.contains("<h1>Открытые данные</h1>") && section.contains("Наборов открытых данных: <strong>1</strong>")
    );
    assert!(section.contains(&format!("about=\"/opendata/{INN}-subdivisions\"")) && section.contains("dc:conformsTo"));
    let base = format!("{}/opendata/{INN}-subdivisions", app.cfg.public_url.trim_end_matches('/'));
    let list = public.get("/opendata/list.csv").await.text().await.expect("list");
    assert_eq!(
        list,
        format!(
            "property,title,value,format\r\nstandardversion,Версия методических рекомендаций,http://opendata.gosmonitor.ru/standard/3.0,\r\n\
             {INN}-subdivisions,Подведомственные организации Департамента,{base}/meta.csv,csv\r\n"
        )
    );
    assert_eq!(public.get("/o/social-protection/opendata/list.csv").await.text().await.expect("list"), list);
    let meta = public.get(&format!("/opendata/{INN}-subdivisions/meta.csv")).await.text().await.expect("meta");
    // The fixed clock: both uploads in the same minute, the second moved to the next one.
    let (v1, v2) = ("data-20260302T1600-structure-20260302T1600", "data-20260302T1601-structure-20260302T1600");
    for line in [
        format!("identifier,{INN}-subdivisions"),
        "creator,Департамент социальной защиты населения Томской области".into(),
        "created,20260302".into(),
        "modified,20260302".into(),
        "provenance,Приют закрыт".into(),
        "valid,20261231".into(),
        "publisherphone,+73822000000".into(),
        format!("{v1},{base}/{v1}.csv"),
        format!("{v2},{base}/{v2}.csv"),
        format!("structure-20260302T1600,{base}/structure-20260302T1600.csv"),
    ] {
        assert!(meta.contains(&format!("{line}\r\n")), "{line} in\n{meta}");
    }
    assert_eq!(public.get(&format!("/opendata/{INN}-subdivisions/{v1}.csv")).await.text().await.expect("v1"), right);
    let xml = public.get(&format!("/opendata/{INN}-subdivisions/meta.xml")).await;
    assert_eq!(xml.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/xml; charset=utf-8"));
    let xml = xml.text().await.expect("xml");
    assert!(
        xml.contains("<provenance>Первая публикация</provenance>")
            && xml.contains("<provenance>Приют закрыт</provenance>")
    );
    let json: serde_json::Value =
        public.get(&format!("/opendata/{INN}-subdivisions/meta.json")).await.json().await.expect("json");
    assert_eq!(json["data"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["data"][1]["source"], format!("{base}/{v2}.csv"));
    let list_xml = public.get("/opendata/list.xml").await.text().await.expect("list.xml");
    assert!(list_xml.contains(&format!("<link>{base}/meta.csv</link>")));
    let structure = public.get(&format!("/opendata/{INN}-subdivisions/structure-20260302T1600.csv")).await;
    assert!(
        structure
            .text()
            .await
            .expect("text")
            .starts_with("field name,english description,russian description,format\r\nid,id,Номер,integer\r\n")
    );
    let passport = public.get(&format!("/opendata/{INN}-subdivisions/")).await.text().await.expect("page");
    assert!(
        passport.contains("property=\"dc:identifier\">7017000001-subdivisions<")
            && passport.contains(&format!("{v2}.csv"))
    );
    let ld = passport.split("<script type=\"application/ld+json\">").nth(1).and_then(|r| r.split("</script>").next());
    let ld: serde_json::Value = serde_json::from_str(ld.expect("schema.org JSON-LD on the page")).expect("json-ld");
    assert_eq!((ld["@type"].as_str(), ld["identifier"].as_str()), (Some("Dataset"), Some("7017000001-subdivisions")));
    assert_eq!(ld["distribution"].as_array().map(Vec::len), Some(2));
    assert!(
        public.get("/opendata/?q=координаты+учреждений").await.text().await.expect("text").contains("subdivisions")
    );
    assert!(!public.get("/opendata/?q=бюджет").await.text().await.expect("text").contains("subdivisions/"));

    // The passport is corrected and a column added: a new structure version; the old files stay.
    let edit = format!("/staff/o/social-protection/opendata/{id}/edit");
    let form = app.get(&edit).await.text().await.expect("text");
    assert!(form.contains("value=\"Подведомственные организации Департамента\"") && form.contains("value=\"lat\""));
    let mut edited: Vec<(String, String)> =
        passport_fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    edited[0].1 = "Подведомственные учреждения Департамента".into();
    edited.extend(structure_row(0, "id", "Номер", "integer", true));
    edited.extend(structure_row(1, "name", "Наименование", "string(200)", true));
    edited.extend(structure_row(2, "lat", "Широта", "latitude", false));
    edited.extend(structure_row(3, "lon", "Долгота", "longitude", false));
    edited.extend(structure_row(4, "phone", "Телефон", "string(30)", false));
    edited.push(("key".into(), "0".into()));
    let pairs: Vec<(&str, &str)> = edited.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(app.post_form(&edit, &pairs).await.status(), StatusCode::SEE_OTHER);
    let r = upload(&app, &id, second, "По старой структуре").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("нет столбцов «phone»"));
    let third = "id,name,lat,lon,phone\r\n1,\"Центр «Надежда», Томск\",56.48,84.95,+7 3822 000001\r\n";
    assert_eq!(upload(&app, &id, third, "Добавлены телефоны").await.status(), StatusCode::SEE_OTHER);
    let meta = public.get(&format!("/opendata/{INN}-subdivisions/meta.csv")).await.text().await.expect("meta");
    let v3 = "data-20260302T1602-structure-20260302T1601";
    for line in [
        "title,Подведомственные учреждения Департамента".to_string(),
        format!("{v1},{base}/{v1}.csv"),
        format!("{v3},{base}/{v3}.csv"),
        format!("structure-20260302T1600,{base}/structure-20260302T1600.csv"),
        format!("structure-20260302T1601,{base}/structure-20260302T1601.csv"),
    ] {
        assert!(meta.contains(&format!("{line}\r\n")), "{line} in\n{meta}");
    }
    assert_eq!(public.get(&format!("/opendata/{INN}-subdivisions/{v1}.csv")).await.text().await.expect("v1"), right);

    // The first and the newest versions compared by the key the new structure declares.
    let diff = app
        .get(&format!("/staff/o/social-protection/opendata/{id}/diff?from=20260302T1602&to=20260302T1600"))
        .await
        .text()
        .await
        .expect("diff");
    for seen in [
        "по ключу «id»",
        "<dt>Удалено строк</dt><dd>1</dd>",
        "<dt>Добавлено строк</dt><dd>0</dd>",
        "<td>Приют</td>",
        "<dd>phone</dd>",
    ] {
        assert!(diff.contains(seen), "{seen} in {}", diff.split("<main").nth(1).unwrap_or_default());
    }
    let bad =
        app.get(&format!("/staff/o/social-protection/opendata/{id}/diff?from=20990101T0000&to=20260302T1600")).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // Withdrawn: gone from the registry and the folder, kept in the staff area.
    assert_eq!(app.post_form(&publish, &[("published", "0")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(public.get(&format!("/opendata/{INN}-subdivisions/meta.csv")).await.status(), StatusCode::NOT_FOUND);
    assert!(!public.get("/opendata/list.csv").await.text().await.expect("list").contains("subdivisions"));
    let staff_page = app.get(&format!("/staff/o/social-protection/opendata/{id}")).await.text().await.expect("text");
    assert!(staff_page.contains(&format!("{v1}.csv")) && staff_page.contains(&format!("{v2}.csv")));
}
on_both_backends!(a_dataset_is_created_checked_published_and_withdrawn);

/// A server on a fresh demo portal with the clock at T0; the public URL is given, or the
/// server's own address. Returns the server, its address and a GET helper's client.
fn demo_server(public_url: Option<&str>) -> (crate::helpers::Process, String, crate::helpers::Scratch) {
    demo_server_with(public_url, &[], &[])
}

/// The demo portal with more arguments to `glasnost demo` (such as `--extra-datasets N`) and
/// settings of its own (`GLASNOST_*`).
pub(crate) fn demo_server_with(
    public_url: Option<&str>,
    args: &[&str],
    settings: &[(&str, &str)],
) -> (crate::helpers::Process, String, crate::helpers::Scratch) {
    let dir = crate::helpers::temp_dir("opendata-demo");
    let port = crate::outbox::free_port();
    let address = format!("http://127.0.0.1:{port}");
    let mut env: Vec<(String, String)> = [
        ("GLASNOST_DATA_DIR", dir.display().to_string()),
        ("GLASNOST_CLOCK", "2026-03-02T09:00:00Z".to_string()),
        ("GLASNOST_PUBLIC_URL", public_url.unwrap_or(&address).to_string()),
        ("GLASNOST_BIND", format!("127.0.0.1:{port}")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    env.extend(settings.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut demo = vec!["demo"];
    demo.extend_from_slice(args);
    let out = crate::helpers::glasnost(&env, &demo, "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (crate::outbox::start_server(&env), address, dir)
}

pub(crate) async fn get(address: &str, path: &str) -> (StatusCode, String) {
    let url = format!("{address}{path}");
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(&url).await {
            return (r.status(), r.text().await.unwrap_or_default());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the server did not answer {url}");
}

/// The demo portal publishes its datasets at once; its registry and a passport match, byte for
/// byte, fixtures written from the standard (tests/fixtures/demo-*.csv).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_publishes_its_registry_exactly_as_the_standard_lays_it_out() {
    let (mut server, address, _dir) = demo_server(Some("https://portal.tomsk.example"));
    let list = get(&address, "/opendata/list.csv").await;
    let meta = get(&address, "/opendata/7017000019-subdivisions/meta.csv").await;
    let data = get(&address, "/opendata/7017000019-subdivisions/data-20260302T1600-structure-20260302T1600.csv").await;
    let archive = reqwest::get(format!("{address}/opendata/all.zip")).await.expect("zip").bytes().await.expect("bytes");
    let geojson = get(&address, "/opendata/7017000019-subdivisions/data.geojson").await;
    let no_geo = get(&address, "/opendata/7017000019-reception-hours/data.geojson").await;
    let passport = get(&address, "/opendata/7017000019-subdivisions/").await.1;
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(list.1, include_str!("../fixtures/demo-list.csv"));
    assert_eq!(meta.1, include_str!("../fixtures/demo-subdivisions-meta.csv"));
    assert_eq!(data.0, StatusCode::OK);
    assert!(data.1.starts_with("id,name,address,phone,lat,lon\r\n1,\"Центр социальной поддержки"), "{}", data.1);
    // Rows with coordinates: GeoJSON (longitude first) and a map of four points on the passport page.
    let g: serde_json::Value = serde_json::from_str(&geojson.1).expect("geojson");
    assert_eq!(g["features"].as_array().map(Vec::len), Some(4));
    assert_eq!(g["features"][0]["geometry"]["coordinates"], serde_json::json!([84.9476, 56.4846]));
    assert_eq!(no_geo.0, StatusCode::NOT_FOUND);
    assert_eq!(passport.matches("<circle").count(), 4);
    // Each point numbered, named in the list under the map: readable without hover or images.
    assert!(passport.contains("<title>1. Центр социальной поддержки населения г. Томска</title>"));
    let points = passport.split("<ol class=\"points\">").nth(1).expect("the list of points");
    assert_eq!(points.split("</ol>").next().map(|l| l.matches("<li>").count()), Some(4));
    assert!(points.starts_with("<li>Центр социальной поддержки населения г. Томска</li>"), "{points}");
    // The passport leads with the download, its update date and the first rows of the data.
    let download = passport.find("Скачать CSV").expect("a download button");
    assert!(download < passport.find("Паспорт набора (стандарт 3.0)").expect("the standard's table"));
    assert!(passport.contains("Обновлено: <strong>"));
    let preview = passport.split("<table class=\"preview\">").nth(1).expect("a preview of the rows");
    assert!(preview.contains("<td>Центр социальной поддержки населения г. Томска</td>"), "{preview}");
    // The bulk download: the registry and each dataset's current data and structure.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(archive.to_vec())).expect("a zip archive");
    let mut names: Vec<String> = zip.file_names().map(|n| n.expect("entry name").to_string()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "7017000019-reception-hours/data-20260302T1600-structure-20260302T1600.csv",
            "7017000019-reception-hours/structure-20260302T1600.csv",
            "7017000019-subdivisions/data-20260302T1600-structure-20260302T1600.csv",
            "7017000019-subdivisions/structure-20260302T1600.csv",
            "list.csv",
        ]
    );
    let mut inside = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("7017000019-subdivisions/data-20260302T1600-structure-20260302T1600.csv").expect("entry"),
        &mut inside,
    )
    .expect("read");
    assert_eq!(inside, data.1);
}

/// `frictionless validate` (PyPI, the reference implementation) on our Data Packages: the demo's
/// two pass; a package whose schema does not fit its file fails, so the check can fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frictionless_validates_the_published_data_packages() {
    let (mut server, address, dir) = demo_server(None);
    let python = std::env::var("TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let validate = |target: &str| {
        std::process::Command::new(&python)
            .args(["-m", "frictionless", "validate", "--json", target])
            .current_dir(&dir)
            .output()
            .expect("run frictionless (pip install frictionless)")
    };
    let mut verdicts = Vec::new();
    for id in ["7017000019-subdivisions", "7017000019-reception-hours"] {
        let url = format!("{address}/opendata/{id}/datapackage.json");
        get(&address, "/healthz").await; // the server is up
        let out = validate(&url);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        verdicts.push((
            id,
            report["valid"].clone(),
            String::from_utf8_lossy(&out.stdout).chars().take(2000).collect::<String>(),
        ));
    }
    // A package that says the reception hours follow the institutions' structure.
    let (_, package) = get(&address, "/opendata/7017000019-subdivisions/datapackage.json").await;
    let mut package: serde_json::Value = serde_json::from_str(&package).expect("package json");
    package["resources"][0]["path"] =
        format!("{address}/opendata/7017000019-reception-hours/data-20260302T1600-structure-20260302T1600.csv").into();
    std::fs::write(dir.join("wrong.json"), package.to_string()).expect("write");
    let wrong = validate("wrong.json");
    let _ = server.kill();
    let _ = server.wait();
    for (id, valid, out) in verdicts {
        assert_eq!(valid, serde_json::Value::Bool(true), "{id}: {out}");
    }
    let report: serde_json::Value = serde_json::from_slice(&wrong.stdout).unwrap_or_default();
    assert_eq!(report["valid"], false, "{}", String::from_utf8_lossy(&wrong.stdout));
}

/// The DCAT catalogue as consumers read it (rdflib, pyshacl from PyPI): the Turtle and the
/// JSON-LD are the same graph, and it satisfies the DCAT-AP 2.1.1 SHACL shapes; a catalogue
/// without its description does not, so the check can fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dcat_catalogue_parses_and_passes_the_dcat_ap_shapes() {
    let (mut server, address, dir) = demo_server(Some("https://portal.tomsk.example"));
    let ttl = get(&address, "/catalog.ttl").await.1;
    let jsonld = get(&address, "/catalog.jsonld").await.1;
    let _ = server.kill();
    let _ = server.wait();
    std::fs::write(dir.join("catalog.ttl"), &ttl).expect("write");
    std::fs::write(dir.join("catalog.jsonld"), &jsonld).expect("write");
    let tampered: String =
        ttl.lines().filter(|l| !l.contains("dct:description \"Наборы")).collect::<Vec<_>>().join("\n");
    assert_ne!(tampered.len(), ttl.len(), "the catalogue's description line was found");
    std::fs::write(dir.join("tampered.ttl"), tampered).expect("write");
    let shapes = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/dcat-ap/dcat-ap_2.1.1_shacl_shapes.ttl");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/rdf_check.py");
    let python = std::env::var("TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let check = |ttl: &str| {
        let out = std::process::Command::new(&python)
            .args([script, ttl, "catalog.jsonld", shapes])
            .current_dir(&dir)
            .output()
            .expect("run python with rdflib and pyshacl");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("json")
    };
    let good = check("catalog.ttl");
    assert_eq!(good["isomorphic"], true, "Turtle and JSON-LD say the same");
    assert_eq!(good["conforms"], true, "{}", good["report"]);
    assert_eq!((good["datasets"].as_i64(), good["distributions"].as_i64()), (Some(2), Some(2)));
    let bad = check("tampered.ttl");
    assert_eq!(bad["conforms"], false, "{}", bad["report"]);
}

/// With more datasets than a page holds, the catalogue is a Hydra paged collection; each page
/// still parses and passes the DCAT-AP shapes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_catalogue_is_served_a_page_at_a_time() {
    let (mut server, address, dir) =
        demo_server_with(Some("https://portal.tomsk.example"), &["--extra-datasets", "1200"], &[]);
    let first = get(&address, "/catalog.ttl").await.1;
    let second = get(&address, "/catalog.ttl?page=2").await.1;
    let second_ld = get(&address, "/catalog.jsonld?page=2").await.1;
    let beyond = get(&address, "/catalog.ttl?page=3").await.0;
    let archive = reqwest::get(format!("{address}/opendata/all.zip")).await.expect("zip").bytes().await.expect("bytes");
    let _ = server.kill();
    let _ = server.wait();
    assert!(first.contains("hydra:nextPage <https://portal.tomsk.example/catalog.ttl?page=2>"), "{}", &first[..2000]);
    assert!(first.contains("hydra:totalItems \"1202\"^^xsd:integer") && !first.contains("hydra:previousPage"));
    assert!(second.contains("hydra:previousPage <https://portal.tomsk.example/catalog.ttl?page=1>"));
    assert!(!second.contains("hydra:nextPage"));
    assert_eq!(beyond, StatusCode::NOT_FOUND);
    // Each serialisation names its own pages; past that, the two must be the same graph.
    std::fs::write(dir.join("page2.ttl"), second.replace("catalog.ttl?page", "catalog.jsonld?page")).expect("write");
    std::fs::write(dir.join("page2.jsonld"), &second_ld).expect("write");
    let shapes = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/dcat-ap/dcat-ap_2.1.1_shacl_shapes.ttl");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/rdf_check.py");
    let python = std::env::var("TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = std::process::Command::new(&python)
        .args([script, "page2.ttl", "page2.jsonld", shapes])
        .current_dir(&dir)
        .output()
        .expect("run python with rdflib and pyshacl");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(r["conforms"], true, "{}", r["report"]);
    assert_eq!(r["isomorphic"], true, "the two serialisations of page 2 say the same");
    assert_eq!(r["datasets"].as_i64(), Some(202));
    // The archive, written as it is sent, holds the registry and every dataset's current files.
    let zip = zip::ZipArchive::new(std::io::Cursor::new(archive.to_vec())).expect("a whole zip");
    assert_eq!(zip.len(), 1 + 2 * 1202);
}

/// ckanapi (PyPI), the usual CKAN client, lists, shows, searches with facets and reads DataStore
/// records from the demo portal, by POST and by GET, and gets CKAN's NotFound for a missing one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ckanapi_reads_the_portal_as_a_ckan() {
    let (mut server, address, _dir) = demo_server(None);
    get(&address, "/healthz").await;
    let python = std::env::var("TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/ckan_client.py");
    let out = std::process::Command::new(python).args([script, &address]).output().expect("run ckanapi");
    // The raw protocol: both paths, the envelope, CKAN's errors, never a redirect.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let raw = client.get(format!("{address}/api/3/action/package_list")).send().await.expect("get");
    let raw_status = raw.status();
    let raw_type = raw.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let raw: serde_json::Value = raw.json().await.expect("json");
    let unknown = client.post(format!("{address}/api/action/nonsense_show")).body("{}").send().await.expect("post");
    let unknown = (unknown.status(), unknown.text().await.expect("text"));
    let bad = client.post(format!("{address}/api/action/package_show")).body("[1]").send().await.expect("post");
    let bad_status = bad.status();
    let invalid = client.post(format!("{address}/api/action/package_show")).body("{}").send().await.expect("post");
    let invalid = (invalid.status(), invalid.json::<serde_json::Value>().await.expect("json"));
    // An offset past anything (the largest number) pages past the end; its next link does not wrap.
    let show = format!("{address}/api/3/action/package_show?id=7017000019-subdivisions");
    let package: serde_json::Value = client.get(show).send().await.expect("get").json().await.expect("json");
    let resource = package["result"]["resources"][0]["id"].as_str().expect("a resource").to_string();
    let far = format!("{address}/api/3/action/datastore_search?resource_id={resource}&offset=18446744073709551615");
    let far = client.get(far).send().await.expect("get");
    let far = (far.status(), far.json::<serde_json::Value>().await.expect("json"));
    let _ = server.kill();
    let _ = server.wait();

    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for way in ["post", "get"] {
        let r = &r[way];
        assert_eq!(r["names"], serde_json::json!(["7017000019-reception-hours", "7017000019-subdivisions"]), "{way}");
        assert_eq!(r["package_org"], "social-protection");
        assert_eq!((r["resources"].as_i64(), r["datastore_active"].as_bool()), (Some(1), Some(true)));
        assert_eq!((r["search_count"].as_i64(), r["search_results"].as_i64()), (Some(2), Some(1)), "{way}");
        assert_eq!(r["facets"]["organization"]["items"][0]["count"], 2);
        assert_eq!(r["facets"]["res_format"]["items"][0]["name"], "CSV");
        assert_eq!(r["none"], 0);
        assert!(r["orgs"].as_array().is_some_and(|o| o.contains(&serde_json::json!(["social-protection", 2]))));
        assert_eq!(r["org_packages"], 2);
        assert!(r["tags"].as_array().is_some_and(|t| t.contains(&serde_json::json!("учреждения"))));
        assert!(r["resource_url"].as_str().is_some_and(|u| u.ends_with("structure-20260302T1600.csv")));
        assert_eq!(r["total"], 2, "filters id in (1, 3): {way}");
        assert_eq!(r["records"].as_array().map(Vec::len), Some(1), "limit 1");
        assert_eq!(r["records"][0]["_id"], 1);
        assert_eq!(r["fields"][0], "_id");
        assert!(
            r["found"].as_array().is_some_and(|f| f.len() == 1 && f[0].as_str().is_some_and(|n| n.contains("Надежда")))
        );
        assert!(r["missing"].as_str().is_some_and(|m| m.starts_with("NotFound")), "{}", r["missing"]);
    }
    assert_eq!(raw_status, StatusCode::OK);
    assert_eq!(raw_type, "application/json;charset=utf-8");
    assert_eq!(raw["success"], true);
    assert!(raw["help"].as_str().is_some_and(|h| h.ends_with("/api/3/action/help_show?name=package_list")));
    assert_eq!(unknown, (StatusCode::BAD_REQUEST, "\"Bad request: Action name not known: nonsense_show\"".to_string()));
    assert_eq!(bad_status, StatusCode::BAD_REQUEST);
    assert_eq!(invalid.0, StatusCode::CONFLICT);
    assert_eq!(invalid.1["error"]["__type"], "Validation Error");
    assert_eq!(invalid.1["error"]["id"][0], "Missing value");
    assert_eq!(far.0, StatusCode::OK);
    assert_eq!(far.1["result"]["records"], serde_json::json!([]));
    let next = far.1["result"]["_links"]["next"].as_str().expect("next link");
    let next_offset: u64 = next.rsplit("offset=").next().and_then(|n| n.parse().ok()).expect("offset in the link");
    assert!(next_offset >= 1_000_000_000, "{next}");
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    use sqlx::Row;
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.db.pool)
        .await
        .expect("count")
        .try_get(0)
        .expect("n")
}

async fn a_request_for_a_dataset_is_registered_answered_and_published(app: TestApp) {
    let public = app.other_client();
    let section = public.get("/opendata/").await.text().await.expect("text");
    assert!(section.contains("href=\"/opendata/requests#request-form\""), "the section offers the request form");
    let r =
        public.post_form("/opendata/requests", &[("body", "social-protection"), ("title", "Очередь на путёвки")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.expect("text");
    assert!(text.contains("согласия на обработку") && text.contains("value=\"Очередь на путёвки\""));
    let fields = [
        ("body", "social-protection"),
        ("title", "Очередь на санаторно-курортные путёвки"),
        ("description", "Число заявлений и очередь по месяцам"),
        ("author_name", "Пётр Сидоров"),
        ("email", "petr@example.org"),
        ("consent", "1"),
    ];
    assert_eq!(public.post_form("/opendata/requests", &fields).await.status(), StatusCode::SEE_OTHER);
    let page = public.get("/opendata/requests?sent=1").await.text().await.expect("text");
    assert!(page.contains("Очередь на санаторно-курортные путёвки") && page.contains("ответ не позднее 01.04.2026"));
    assert!(page.contains("ожидает ответа") && !page.contains("petr@example.org"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'dataset-request:%'").await, 1);

    app.create_staff("data@social.example", Role::OpendataOfficer, Some("social-protection")).await;
    app.login("data@social.example", PASSWORD).await;
    let staff = app.get("/staff/o/social-protection/opendata/requests").await.text().await.expect("text");
    assert!(staff.contains("petr@example.org") && staff.contains("2026-04-01"));
    let rid = count(&app, "SELECT MAX(id) FROM dataset_requests").await;
    let url = format!("/staff/o/social-protection/opendata/requests/{rid}");
    let r = app.post_form(&url, &[("decision", ""), ("answer", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("выберите решение"));
    let answer = "Набор будет опубликован до 1 июня 2026 года.";
    assert_eq!(
        app.post_form(&url, &[("decision", "planned"), ("answer", answer)]).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = public.get("/opendata/requests").await.text().await.expect("text");
    assert!(page.contains("будет опубликован") && page.contains(answer));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'dataset-request-answer:%'").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'dataset_request'").await, 1);
}
on_both_backends!(a_request_for_a_dataset_is_registered_answered_and_published);

async fn an_information_system_pushes_versions_with_its_token(app: TestApp) {
    sqlx::query("UPDATE bodies SET inn = $1 WHERE slug = 'social-protection'")
        .bind(INN)
        .execute(&app.db.pool)
        .await
        .expect("inn");
    let body = kernel::bodies::by_slug(&app.db, "social-protection").await.expect("query").expect("body");
    let structure = opendata_format::Structure::from_csv(
        "field name,english description,russian description,format\r\nid,Number,Номер,integer\r\nname,Name,Наименование,string\r\n"
            .as_bytes(),
    )
    .expect("structure");
    let passport =
        opendata::store::PassportForm { name: "queue".into(), title: "Очередь".into(), ..Default::default() };
    let stamp = opendata_format::registry::Stamp::parse("20260302T1600").expect("stamp");
    let actor = kernel::audit::Actor::system("test");
    let dataset = opendata::store::create(&app.db, &actor, crate::helpers::T0, stamp, &body, &passport, &structure)
        .await
        .expect("dataset");
    app.create_staff("data@social.example", Role::OpendataOfficer, Some("social-protection")).await;
    app.login("data@social.example", PASSWORD).await;
    let page = app.post_form("/staff/o/social-protection/opendata/tokens", &[("name", "АИС «Соцзащита»")]).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.expect("text");
    let token =
        page.split("<code>").nth(2).and_then(|s| s.split("</code>").next()).expect("the token, shown once").to_string();
    assert!(token.starts_with("gl_"));
    assert!(
        !app.get("/staff/o/social-protection/opendata/tokens").await.text().await.expect("text").contains(&token),
        "shown once"
    );

    let api = reqwest::Client::new();
    let url = app.url(&format!("/api/opendata/{INN}-queue/versions"));
    let send = |auth: Option<String>, key: Option<&'static str>, content_type: &'static str, body: String| {
        let (api, url) = (api.clone(), url.clone());
        async move {
            let mut req =
                api.post(format!("{url}?provenance=Выгрузка")).header("content-type", content_type).body(body);
            if let Some(a) = auth {
                req = req.header("authorization", a);
            }
            if let Some(k) = key {
                req = req.header("idempotency-key", k);
            }
            let r = req.send().await.expect("push");
            (r.status(), r.json::<serde_json::Value>().await.expect("json"))
        }
    };
    let bearer = Some(format!("Bearer {token}"));
    let csv = "id,name\r\n1,Иванов\r\n2,Петров\r\n".to_string();
    let (s, j) = send(None, None, "text/csv", csv.clone()).await;
    assert_eq!((s, j["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthorized")));
    let (s, _) = send(Some("Bearer gl_wrong".into()), None, "text/csv", csv.clone()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, j) = send(bearer.clone(), None, "text/csv", "id,name\r\n1,Иванов\r\nдва,Петров\r\n".into()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((j["errors"][0]["line"].as_i64(), j["errors"][0]["column"].as_i64()), (Some(3), Some(1)));
    let (s, first) = send(bearer.clone(), Some("batch-1"), "text/csv", csv.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    let (s, again) = send(bearer.clone(), Some("batch-1"), "text/csv", csv.clone()).await;
    assert_eq!((s, &again["version"]), (StatusCode::CREATED, &first["version"]), "a retry makes no second version");
    let rows = serde_json::json!({ "rows": [{ "id": 1, "name": "Иванов" }, { "id": 3, "name": "Сидоров" }], "provenance": "JSON" });
    let (s, second) = send(bearer.clone(), None, "application/json", rows.to_string()).await;
    assert_eq!(s, StatusCode::CREATED, "{second}");
    assert_ne!(second["version"], first["version"]);
    let bad = serde_json::json!({ "rows": [{ "id": 1, "phone": "1" }] });
    let (s, j) = send(bearer.clone(), None, "application/json", bad.to_string()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(j["message"].as_str().is_some_and(|m| m.contains("«phone»")));
    // XML by the dataset's XSD, through the same door.
    let xml = "<data><record><id>4</id><name>Смирнов</name></record></data>".to_string();
    let (s, j) = send(bearer.clone(), None, "application/xml", xml.replace("<id>4", "<id>четыре")).await;
    assert_eq!((s, j["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("id")));
    let (s, third) = send(bearer.clone(), None, "application/xml", xml).await;
    assert_eq!((s, third["rows"].as_i64()), (StatusCode::CREATED, Some(1)), "{third}");
    let versions = opendata::store::versions(&app.db, dataset).await.expect("versions");
    assert_eq!(versions.len(), 3);
    let stored = app.get(&format!("/staff/o/social-protection/opendata/{dataset}")).await.text().await.expect("page");
    assert!(stored.contains(&versions[1].file_name()));
    let other = kernel::bodies::by_slug(&app.db, "information-society").await.expect("query").expect("body");
    let (_, foreign) =
        kernel::tokens::create(&app.db, &actor, crate::helpers::T0, other.id, "Чужая система").await.expect("token");
    let (s, _) = send(Some(format!("Bearer {foreign}")), None, "text/csv", csv.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let tid = kernel::tokens::for_body(&app.db, body.id).await.expect("tokens")[0].id;
    let r = app.post_form(&format!("/staff/o/social-protection/opendata/tokens/{tid}/revoke"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (s, _) = send(bearer, None, "text/csv", csv).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "a revoked token no longer works");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'api_token'").await, 3);
}
on_both_backends!(an_information_system_pushes_versions_with_its_token);

/// A published dataset of a body (given the test INN) with one data version, made at `at` (ms).
pub async fn dataset_of(
    app: &TestApp,
    slug: &str,
    (name, title, keywords): (&str, &str, &str),
    at: i64,
) -> (opendata::store::Dataset, kernel::storage::Storage) {
    sqlx::query("UPDATE bodies SET inn = $1 WHERE slug = $2")
        .bind(INN)
        .bind(slug)
        .execute(&app.db.pool)
        .await
        .expect("inn");
    let body = kernel::bodies::by_slug(&app.db, slug).await.expect("query").expect("body");
    let structure = opendata_format::Structure::from_csv(
        "field name,english description,russian description,format\r\nid,Number,Номер,integer\r\nname,Name,Наименование,string\r\n"
            .as_bytes(),
    )
    .expect("structure");
    let passport = opendata::store::PassportForm {
        name: name.into(),
        title: title.into(),
        keywords: keywords.into(),
        ..Default::default()
    };
    let stamp = |s| opendata_format::registry::Stamp::parse(s).expect("stamp");
    let actor = kernel::audit::Actor::system("test");
    let id = opendata::store::create(&app.db, &actor, at, stamp("20260302T1600"), &body, &passport, &structure)
        .await
        .expect("dataset");
    let dataset = opendata::store::by_id(&app.db, id).await.expect("query").expect("the dataset");
    let storage = kernel::storage::Storage::open(&app.cfg.storage_url).expect("storage");
    let upload = opendata::store::Upload {
        bytes: "id,name\r\n1,Центр «Забота»\r\n2,Центр «Радуга»\r\n".into(),
        provenance: "Первая публикация",
        valid_until: "",
        idempotency_key: None,
    };
    let (_, id) = opendata::store::add_version(&app.db, &storage, &actor, at, stamp("20260302T1601"), &dataset, upload)
        .await
        .expect("version");
    assert!(id.is_some());
    opendata::store::set_published(&app.db, &actor, at, &dataset, true).await.expect("publish");
    (dataset, storage)
}

/// The social-protection department's published dataset «Центры» with two rows.
/// A citizen asks the body for a dataset (requester@example.org) and another reports an error in
/// `dataset` (reporter@example.org), both through the public forms.
pub async fn a_request_and_a_report(citizen: &TestApp, dataset: &opendata::store::Dataset) {
    let request = [
        ("body", "social-protection"),
        ("title", "Очередь на путёвки"),
        ("author_name", "Пётр Сидоров"),
        ("email", "requester@example.org"),
        ("consent", "1"),
    ];
    assert_eq!(citizen.post_form("/opendata/requests", &request).await.status(), StatusCode::SEE_OTHER);
    let report = [
        ("text", "Адрес центра устарел"),
        ("author_name", "Анна"),
        ("email", "reporter@example.org"),
        ("consent", "1"),
    ];
    let feedback = format!("/opendata/{}/feedback", dataset.identifier);
    assert_eq!(citizen.post_form(&feedback, &report).await.status(), StatusCode::SEE_OTHER);
}

pub async fn published_dataset(app: &TestApp) -> (opendata::store::Dataset, kernel::storage::Storage) {
    dataset_of(app, "social-protection", ("centres", "Центры", ""), crate::helpers::T0).await
}

async fn an_error_in_the_data_is_reported_accepted_and_fixed(app: TestApp) {
    let (dataset, storage) = published_dataset(&app).await;
    let public = app.other_client();
    let page = format!("/opendata/{INN}-centres/feedback");
    let passport = public.get(&format!("/opendata/{INN}-centres/")).await.text().await.expect("text");
    assert!(passport.contains("href=\"feedback#report-form\""), "the passport page offers the report form");
    // Problems are named at once and the typed text comes back.
    let bad = [("text", "Центр переименован"), ("row", "7"), ("field", "address"), ("email", "не адрес")];
    let r = public.post_form(&page, &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.expect("text");
    for expected in ["от 1 до 2", "выберите поле из списка", "не похож на адрес", "согласия", "Центр переименован"]
    {
        assert!(text.contains(expected), "{expected}");
    }
    let good = [
        ("text", "Центр «Радуга» переименован в «Надежду» в январе 2026 года"),
        ("row", "2"),
        ("field", "name"),
        ("author_name", "Анна"),
        ("email", "anna@example.org"),
        ("consent", "1"),
    ];
    assert_eq!(public.post_form(&page, &good).await.status(), StatusCode::SEE_OTHER);
    // A robot filling the hidden field is thanked and nothing is stored.
    let robot = [("text", "spam"), ("consent", "1"), ("website", "http://spam.example")];
    assert_eq!(public.post_form(&page, &robot).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM dataset_reports").await, 1);
    let listed = public.get(&page).await.text().await.expect("text");
    assert!(listed.contains("строка 2, поле name") && listed.contains("ответ не позднее 01.04.2026"));
    assert!(listed.contains("зарегистрировано") && !listed.contains("anna@example.org"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'dataset-report:%'").await, 1);

    // The publisher sees the address, accepts the report, and closes it with the fixing version.
    app.create_staff("data@social.example", Role::OpendataOfficer, Some("social-protection")).await;
    app.login("data@social.example", PASSWORD).await;
    let staff = app.get("/staff/o/social-protection/opendata/feedback").await.text().await.expect("text");
    assert!(staff.contains("anna@example.org") && staff.contains("2026-04-01"));
    let fid = count(&app, "SELECT MAX(id) FROM dataset_reports").await;
    let url = format!("/staff/o/social-protection/opendata/feedback/{fid}");
    let r = app.post_form(&url, &[("status", "fixed"), ("response", "Исправлено")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a registered report is not fixed before it is accepted");
    assert!(r.text().await.expect("text").contains("выберите одно из возможных решений"));
    let accepted = [("status", "accepted"), ("response", "Спасибо, данные будут исправлены в реестре учреждений.")];
    assert_eq!(app.post_form(&url, &accepted).await.status(), StatusCode::SEE_OTHER);
    let r =
        app.post_form(&url, &[("status", "fixed"), ("response", "Исправлено"), ("fixed_stamp", "20260302T1601")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "the version the reporter saw is not the fix");
    assert!(r.text().await.expect("text").contains("укажите версию данных"));
    let actor = kernel::audit::Actor::system("test");
    let upload = opendata::store::Upload {
        bytes: "id,name\r\n1,Центр «Забота»\r\n2,Центр «Надежда»\r\n".into(),
        provenance: "Исправлено наименование",
        valid_until: "",
        idempotency_key: None,
    };
    let stamp = opendata_format::registry::Stamp::parse("20260310T0900").expect("stamp");
    opendata::store::add_version(&app.db, &storage, &actor, crate::helpers::T0, stamp, &dataset, upload)
        .await
        .expect("fixed version");
    let fixed = [("status", "fixed"), ("response", "Наименование исправлено."), ("fixed_stamp", "20260310T0900")];
    assert_eq!(app.post_form(&url, &fixed).await.status(), StatusCode::SEE_OTHER);
    let listed = public.get(&page).await.text().await.expect("text");
    assert!(listed.contains("исправлено в версии 20260310T0900") && listed.contains("Наименование исправлено."));
    let staff = app.get("/staff/o/social-protection/opendata/feedback").await.text().await.expect("text");
    assert!(!staff.contains(&format!("action=\"{url}\"")), "a fixed report takes no more decisions");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'dataset_report'").await, 2);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'dataset-report:%:%'").await, 2);

    // A reader of another body cannot decide; a withdrawn dataset takes no reports.
    let other = app.other_client();
    other.create_staff("data@society.example", Role::OpendataOfficer, Some("information-society")).await;
    other.login("data@society.example", PASSWORD).await;
    let r = other.post_form(&url, &accepted).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    opendata::store::set_published(&app.db, &actor, crate::helpers::T0, &dataset, false).await.expect("withdraw");
    assert_eq!(public.post_form(&page, &good).await.status(), StatusCode::NOT_FOUND);
}
on_both_backends!(an_error_in_the_data_is_reported_accepted_and_fixed);

async fn views_downloads_and_searches_are_counted_and_charted(app: TestApp) {
    published_dataset(&app).await;
    let public = app.other_client();
    let folder = format!("/opendata/{INN}-centres/");
    for _ in 0..3 {
        // The second and third come from the page cache and count all the same.
        assert_eq!(public.get(&folder).await.status(), StatusCode::OK);
    }
    let file = format!("{folder}data-20260302T1601-structure-20260302T1600.csv");
    assert_eq!(public.get(&file).await.status(), StatusCode::OK);
    assert_eq!(public.get(&format!("{folder}meta.csv")).await.status(), StatusCode::OK);
    assert_eq!(
        public.get(&format!("{folder}data-19990101T0000-structure-1.csv")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(public.get("/opendata/?q=%D0%A6%D0%B5%D0%BD%D1%82%D1%80%D1%8B").await.status(), StatusCode::OK);
    assert_eq!(public.get("/opendata/?q=++%D1%86%D0%B5%D0%BD%D1%82%D1%80%D1%8B+").await.status(), StatusCode::OK);

    let stats = public.get("/opendata/stats").await.text().await.expect("text");
    let row = format!("<td><a href=\"/opendata/{INN}-centres/\">Центры</a></td><td>3</td><td>2</td>");
    assert!(stats.contains(&row), "{}", stats.split("<main").nth(1).unwrap_or_default());
    assert!(
        stats.contains("<title>Просмотры 03.26: 3</title>") && stats.contains("<title>Скачивания 03.26: 2</title>")
    );
    assert!(stats.contains("href=\"/o/social-protection/opendata/stats\""), "the portal's page lists the body");
    assert!(!stats.contains("центры</td>"), "search words are not public");
    let body = public.get("/o/social-protection/opendata/stats").await.text().await.expect("text");
    assert!(body.contains(&row));
    let csv = public.get("/opendata/stats.csv").await.text().await.expect("text");
    assert_eq!(csv, format!("identifier,title,views,downloads\r\n{INN}-centres,Центры,3,2\r\n"));
    // Another body's page shows none of it.
    let other = public.get("/o/information-society/opendata/stats").await.text().await.expect("text");
    assert!(!other.contains("Центры"));

    app.create_staff("data@social.example", Role::OpendataOfficer, Some("social-protection")).await;
    app.login("data@social.example", PASSWORD).await;
    let staff = app.get("/staff/o/social-protection/opendata/stats").await.text().await.expect("text");
    assert!(
        staff.contains("<li>data-20260302T1601-structure-20260302T1600.csv — 1</li>")
            && staff.contains("<li>meta.csv — 1</li>")
    );
    assert!(staff.contains("<td>центры</td><td>2</td>"), "both spellings of the search count as one");
}
on_both_backends!(views_downloads_and_searches_are_counted_and_charted);

async fn ckan_search_narrows_orders_pages_and_counts(app: TestApp) {
    let t0 = crate::helpers::T0;
    let minute = 60_000;
    let social = "social-protection";
    dataset_of(&app, social, ("alpha", "Пособия на детей", "пособия, дети"), t0 + minute).await;
    dataset_of(&app, social, ("beta", "Пособия по уходу", "пособия"), t0 + 2 * minute).await;
    dataset_of(&app, "information-society", ("gamma", "Школы и детские сады", "дети, образование"), t0 + 3 * minute)
        .await;
    // Enough for a second page of the section's registry (100 rows a page).
    for i in 0..101 {
        dataset_of(&app, social, (&format!("filler-{i:03}"), "Прочие сведения", "прочее"), t0).await;
    }
    let client = reqwest::Client::new();
    let search = |query: &'static str| {
        let (client, url) = (client.clone(), app.url(&format!("/api/3/action/package_search?{query}")));
        async move {
            let r = client.get(url).send().await.expect("search");
            assert_eq!(r.status(), StatusCode::OK, "{query}");
            let r: serde_json::Value = r.json().await.expect("json");
            let names: Vec<String> = r["result"]["results"]
                .as_array()
                .expect("results")
                .iter()
                .map(|p| p["name"].as_str().unwrap_or_default().trim_start_matches("7017000001-").to_string())
                .collect();
            (r["result"]["count"].as_u64().unwrap_or(u64::MAX), names, r["result"]["search_facets"].clone())
        }
    };
    // A word matches the beginning of a word of the text, as a stem would (пособ → пособия).
    let (n, names, _) = search("q=%D0%BF%D0%BE%D1%81%D0%BE%D0%B1").await;
    assert_eq!((n, names), (2, vec!["beta".to_string(), "alpha".to_string()]), "newest first");
    // Two words: both must be there; inside a word does not count (обия is no word's beginning).
    assert_eq!(search("q=%D0%BF%D0%BE%D1%81%D0%BE%D0%B1%D0%B8%D1%8F+%D0%B4%D0%B5%D1%82").await.1, vec!["alpha"]);
    assert_eq!(search("q=%D0%BE%D0%B1%D0%B8%D1%8F").await.0, 0);
    // A keyword across bodies, one body, and a negation; few found of many is ordered apart.
    let (n, names, _) = search("fq=tags:%D0%B4%D0%B5%D1%82%D0%B8").await;
    assert_eq!((n, names), (2, vec!["gamma".to_string(), "alpha".to_string()]));
    let (n, names, _) = search("fq=tags:%D0%B4%D0%B5%D1%82%D0%B8+organization:social-protection").await;
    assert_eq!((n, names), (1, vec!["alpha".to_string()]));
    let (n, names, _) = search("fq=-tags:%D0%BF%D1%80%D0%BE%D1%87%D0%B5%D0%B5&sort=name+desc").await;
    assert_eq!((n, names), (3, vec!["gamma".to_string(), "beta".to_string(), "alpha".to_string()]));
    // Pages of everything, newest first then by name; the oldest last.
    let (n, names, _) = search("rows=2&start=2").await;
    assert_eq!((n, names), (104, vec!["alpha".to_string(), "filler-000".to_string()]));
    assert_eq!(search("rows=1&start=103").await.1, vec!["filler-100"]);
    assert_eq!(search("rows=2&sort=metadata_modified+asc").await.1, vec!["filler-000", "filler-001"]);
    assert_eq!(
        search("rows=1&sort=title_string+desc&fq=-tags:%D0%BF%D1%80%D0%BE%D1%87%D0%B5%D0%B5").await.1,
        vec!["gamma"]
    );
    // Facets count what was found, not the catalogue.
    let (_, _, facets) = search("q=%D0%B4%D0%B5%D1%82&facet.field=%5B%22organization%22%2C%22tags%22%5D&rows=0").await;
    let items = |field: &str| -> Vec<(String, u64)> {
        facets[field]["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| (i["name"].as_str().unwrap_or_default().to_string(), i["count"].as_u64().unwrap_or_default()))
            .collect()
    };
    assert_eq!(items("organization"), vec![("social-protection".into(), 1), ("information-society".into(), 1)]);
    let mut tags = items("tags");
    tags.sort();
    assert_eq!(tags, vec![("дети".into(), 2), ("образование".into(), 1), ("пособия".into(), 1)], "{facets}");
    // The section's registry: the same words, in title order, a page at a time.
    let page = |path: &'static str| {
        let (client, url) = (client.clone(), app.url(path));
        async move { client.get(url).send().await.expect("page").text().await.expect("text") }
    };
    let found = page("/opendata/?q=%D0%BF%D0%BE%D1%81%D0%BE%D0%B1").await;
    assert!(found.contains("Найдено наборов: 2") && found.contains("Пособия на детей") && !found.contains("Школы"));
    let first = page("/opendata/").await;
    assert!(
        first.contains("<strong>104</strong>")
            && first.contains("Страница 1 / 2")
            && first.contains("href=\"?page=2\"")
    );
    assert!(first.contains("<td>1</td>") && !first.contains("<td>101</td>"));
    let second = page("/opendata/?page=2").await;
    assert!(
        second.contains("<td>101</td>") && second.contains("Школы и детские сады") && second.contains("rel=\"prev\"")
    );
    let body = page("/o/information-society/opendata/").await;
    assert!(body.contains("<strong>1</strong>") && body.contains("Школы и детские сады") && !body.contains("Пособия"));
    let r = client.get(app.url("/api/3/action/package_search?q=a+OR+b")).send().await.expect("or");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r: serde_json::Value = r.json().await.expect("json");
    assert_eq!(r["error"]["__type"], "Search Query Error");
}
on_both_backends!(ckan_search_narrows_orders_pages_and_counts);

/// Every type, so the XSD's facets meet the checks of each.
const ALL_TYPES: &str = "field name,english description,russian description,format\r\n\
    code,Code,Код,string(5)\r\nn,Count,Количество,integer\r\nsum,Sum,Сумма,decimal\r\nday,Day,Дата,date\r\n\
    at,Moment,Дата и время,datetime\r\nok,Flag,Признак,boolean\r\nsite,Site,Сайт,url\r\nmail,Mail,Почта,email\r\n\
    lat,Latitude,Широта,latitude\r\nlon,Longitude,Долгота,longitude\r\n";

#[test]
fn our_xml_check_agrees_with_a_full_xsd_validator() {
    let mut structure = opendata_format::Structure::from_csv(ALL_TYPES.as_bytes()).expect("structure");
    structure.fields[0].required = true;
    structure.fields[1].required = true;
    let full = "<code>А-1</code><n>-12</n><sum>.5</sum><day>2024-02-29</day><at>2026-03-01 09:30:15.5+07:00</at>\
                <ok>TRUE</ok><site>https://tomsk.gov.ru/a?b=1</site><mail>info@tomsk.gov.ru</mail><lat>-90</lat><lon>180.0</lon>";
    let record = |inner: &str| {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<data>\n<record>{inner}</record>\n</data>\n")
    };
    let mut corpus: Vec<(&str, String)> = vec![
        ("every type, valid", record(full)),
        ("only the required", record("<code>Б</code><n> 7 </n>")),
        ("no records", "<data/>".into()),
        ("optional text empty", record("<code>В</code><n>1</n>")),
    ];
    let bad: [(&str, &str); 20] = [
        ("text too long", "<code>АБВГДЕ</code><n>1</n>"),
        ("required text empty", "<code></code><n>1</n>"),
        ("required missing", "<n>1</n>"),
        ("integer with a point", "<code>А</code><n>1.0</n>"),
        ("integer too long", "<code>А</code><n>12345678901234567890</n>"),
        ("decimal comma", "<code>А</code><n>1</n><sum>12,5</sum>"),
        ("date dotted", "<code>А</code><n>1</n><day>31.03.2026</day>"),
        ("date not in the calendar", "<code>А</code><n>1</n><day>2026-02-29</day>"),
        ("datetime hour 24", "<code>А</code><n>1</n><at>2026-03-01T24:00</at>"),
        ("boolean yes", "<code>А</code><n>1</n><ok>да</ok>"),
        ("url without scheme", "<code>А</code><n>1</n><site>tomsk.gov.ru</site>"),
        ("email without domain dot", "<code>А</code><n>1</n><mail>info@tomsk</mail>"),
        ("latitude out of range", "<code>А</code><n>1</n><lat>90.5</lat>"),
        ("longitude not a number", "<code>А</code><n>1</n><lon>восток</lon>"),
        ("empty optional number", "<code>А</code><n>1</n><sum></sum>"),
        ("unknown element", "<code>А</code><n>1</n><extra>1</extra>"),
        ("out of order", "<n>1</n><code>А</code>"),
        ("repeated", "<code>А</code><n>1</n><n>2</n>"),
        ("nested element", "<code><b>А</b></code><n>1</n>"),
        ("url with a space", "<code>А</code><n>1</n><site>https://tomsk.gov.ru/a b</site>"),
    ];
    corpus.extend(bad.iter().map(|(name, inner)| (*name, record(inner))));
    corpus.push(("another root", "<list><record/></list>".into()));
    corpus.push(("text in a record", record("<code>А</code>лишнее<n>1</n>")));

    let dir = crate::helpers::temp_dir("xsd");
    let xsd = dir.join("structure.xsd");
    std::fs::write(&xsd, opendata_format::xml::xsd(&structure, "Все типы")).expect("xsd");
    let mut paths = Vec::new();
    let mut ours = Vec::new();
    for (i, (_, doc)) in corpus.iter().enumerate() {
        let path = dir.join(format!("{i}.xml"));
        std::fs::write(&path, doc).expect("xml");
        paths.push(path.display().to_string());
        let report =
            opendata_format::xml::validate(&structure, doc.as_bytes(), 10, &mut |_| {}, &mut |_| {}).expect("read");
        ours.push(report.valid());
    }
    let python = std::env::var("TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/xsd_check.py");
    let out = std::process::Command::new(python).arg(script).arg(&xsd).args(&paths).output().expect("run xmlschema");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let theirs: Vec<Option<String>> = serde_json::from_slice(&out.stdout).expect("json");
    for (i, (name, _)) in corpus.iter().enumerate() {
        assert_eq!(ours[i], theirs[i].is_none(), "{name}: ours valid = {}, xmlschema: {:?}", ours[i], theirs[i]);
    }
    assert_eq!(ours.iter().filter(|v| **v).count(), 4, "the four valid documents, and only they");
}

async fn xml_is_taken_by_its_schema_and_every_version_is_published_as_xml(app: TestApp) {
    let (dataset, storage) = published_dataset(&app).await;
    let actor = kernel::audit::Actor::system("test");
    let send = |doc: &'static str, stamp: &'static str| {
        let (db, storage, actor, dataset) = (app.db.clone(), &storage, actor.clone(), dataset.clone());
        async move {
            let upload = opendata::store::Upload {
                bytes: doc.into(),
                provenance: "Выгрузка XML",
                valid_until: "",
                idempotency_key: None,
            };
            let stamp = opendata_format::registry::Stamp::parse(stamp).expect("stamp");
            opendata::store::add_version(&db, storage, &actor, crate::helpers::T0, stamp, &dataset, upload)
                .await
                .expect("upload")
        }
    };
    let (report, id) = send("<data><record><id>один</id><name>Центр</name></record></data>", "20260303T1000").await;
    assert!(id.is_none() && report.issues[0].field == "id" && report.issues[0].code == "type");
    let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<data>\n<record><id>1</id><name>Центр «Забота» &amp; сад</name></record>\n\
               <record><id>2</id><name>Приют, \"Радуга\"</name></record>\n</data>\n";
    let (report, id) = send(doc, "20260303T1000").await;
    assert!(id.is_some() && report.rows == 2, "{:?}", report.issues);
    // Kept as the equivalent CSV; the XML of the version is written from it, with its XSD.
    let versions = opendata::store::versions(&app.db, dataset.id).await.expect("versions");
    let stored = storage.get(&versions[1].file_key).await.expect("file");
    assert_eq!(&stored[..], "id,name\r\n1,Центр «Забота» & сад\r\n2,\"Приют, \"\"Радуга\"\"\"\r\n".as_bytes());
    let public = app.other_client();
    let folder = format!("/opendata/{INN}-centres/");
    let xml = public.get(&format!("{folder}data-20260303T1000-structure-20260302T1600.xml")).await;
    assert_eq!(xml.status(), StatusCode::OK);
    assert!(xml.headers()["content-type"].to_str().unwrap_or_default().starts_with("application/xml"));
    let xml = xml.text().await.expect("text");
    assert!(xml.contains("<record><id>2</id><name>Приют, &quot;Радуга&quot;</name></record>"), "{xml}");
    let xsd = public.get(&format!("{folder}structure-20260302T1600.xsd")).await.text().await.expect("text");
    let passport = public.get(&folder).await.text().await.expect("text");
    assert!(
        passport.contains("href=\"structure-20260302T1600.xsd\"")
            && passport.contains("20260303T1000-structure-20260302T1600.xml")
    );
    // The published pair passes a full XSD validator.
    let dir = crate::helpers::temp_dir("xml-pub");
    std::fs::write(dir.join("s.xsd"), &xsd).expect("xsd");
    std::fs::write(dir.join("d.xml"), &xml).expect("xml");
    let python = std::env::var("TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/xsd_check.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .arg(dir.join("s.xsd"))
        .arg(dir.join("d.xml"))
        .output()
        .expect("run");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[null]", "{}", String::from_utf8_lossy(&out.stderr));
}
on_both_backends!(xml_is_taken_by_its_schema_and_every_version_is_published_as_xml);

async fn the_coordinator_loads_the_lists_bodies_cover_them_and_overdue_datasets_are_reminded(app: TestApp) {
    let (dataset, _) = published_dataset(&app).await;
    app.create_staff("coord@tomsk.example", Role::RegionalCoordinator, None).await;
    app.login("coord@tomsk.example", PASSWORD).await;
    let page = app.get("/staff/opendata/obligations").await.text().await.expect("text");
    assert!(page.contains("1187-р") && page.contains("по плану региона: 17") && page.contains("232-р"));
    let lid = count(&app, "SELECT id FROM obligation_lists WHERE code = '1187-r'").await;
    async fn send(client: &TestApp, lid: i64, csv: &str) -> reqwest::Response {
        let form = Form::new()
            .text("csrf", client.csrf().await)
            .part("file", Part::bytes(csv.as_bytes().to_vec()).file_name("l.csv"));
        let url = client.url(&format!("/staff/opendata/obligations/{lid}/items"));
        client.client.post(url).multipart(form).send().await.expect("load")
    }
    let r = send(&app, lid, "number,title\r\n1,Сведения о структуре\r\n1,Повтор\r\n").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("строка 3: пункт 1 уже есть выше"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM obligation_items").await, 0, "a refused file stores nothing");
    let r = send(
        &app,
        lid,
        "number,title,applies_to\r\n1,Сведения о структуре органа,все органы\r\n2,Реестр учреждений,\r\n",
    )
    .await;
    assert!(r.text().await.expect("text").contains("добавлено пунктов 2, изменено 0"));
    let r = send(
        &app,
        lid,
        "number,title,applies_to\r\n2,Реестр подведомственных учреждений,\r\n3,Сведения о приёме граждан,\r\n",
    )
    .await;
    assert!(
        r.text()
            .await
            .expect("text")
            .contains("добавлено пунктов 1, изменено 1, без изменений 0; не упомянуты в файле и сохранены 1")
    );
    let csv = app.get(&format!("/staff/opendata/obligations/{lid}/items.csv")).await.text().await.expect("text");
    assert_eq!(
        csv,
        "number,title,applies_to\r\n1,Сведения о структуре органа,все органы\r\n2,Реестр подведомственных учреждений,\r\n3,Сведения о приёме граждан,\r\n"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'obligation_list'").await, 2);

    // A body's officer covers the items; an officer cannot load lists.
    let officer = app.other_client();
    officer.create_staff("data@social.example", Role::OpendataOfficer, Some("social-protection")).await;
    officer.login("data@social.example", PASSWORD).await;
    assert_eq!(send(&officer, lid, "number,title\r\n9,x\r\n").await.status(), StatusCode::FORBIDDEN);
    let item = |n: &str| format!("SELECT i.id FROM obligation_items i WHERE i.list_id = {lid} AND i.number = '{n}'");
    let (i1, i2) = (count(&app, &item("1")).await, count(&app, &item("2")).await);
    let url = |i: i64| format!("/staff/o/social-protection/opendata/obligations/{i}");
    let r = officer.post_form(&url(i1), &[("cover", &dataset.id.to_string())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = officer.post_form(&url(i2), &[("cover", "na")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("text").contains("объясните, почему"));
    let r = officer.post_form(&url(i2), &[("cover", "na"), ("reason", "Подведомственных учреждений нет")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = officer.post_form(&url(i2), &[("cover", "999999")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "only the body's own datasets");
    let page = officer.get("/staff/o/social-protection/opendata/obligations").await.text().await.expect("text");
    assert!(page.contains("обновлён в текущем периоде") && page.contains("не относится к органу: Подведомственных"));
    assert!(page.contains("не закрыт"), "item 3 is open");

    // July: the dataset was last updated in March, so it missed 25 June.
    let july = crate::helpers::T0 + 130 * 24 * 3_600_000;
    app.clock.set(july);
    // Sessions last hours, not months: both sign in again.
    officer.login("data@social.example", PASSWORD).await;
    app.login("coord@tomsk.example", PASSWORD).await;
    let page = officer.get("/staff/o/social-protection/opendata/obligations").await.text().await.expect("text");
    assert!(page.contains("просрочен: не обновлён к 25.06.2026"), "{page}");
    // The officer's staff home says so first (from the kept regional figures).
    let home = officer.get("/staff/").await.text().await.expect("text");
    assert!(home.contains("просрочено обновление обязательных наборов — 1"), "{home}");
    let region = app.get("/staff/opendata/obligations").await.text().await.expect("text");
    assert!(
        region.contains("1 + 1 / 3; <strong>просрочено: 1</strong>"),
        "{}",
        region.split("<main").nth(1).unwrap_or_default()
    );
    // The same coverage stands beside the body's plan and appeals in the regional view.
    let side = app.get("/staff/region").await.text().await.expect("text");
    assert!(
        side.contains(
            "href=\"/staff/o/social-protection/opendata/obligations\">2 / 3</a>; <strong>просрочено: 1</strong>"
        ),
        "{}",
        side.split("<main").nth(1).unwrap_or_default()
    );
    assert_eq!(opendata::obligations::remind(&app.db, &app.cfg, july).await.expect("remind"), 1);
    assert_eq!(opendata::obligations::remind(&app.db, &app.cfg, july + 60_000).await.expect("remind"), 0, "once");
    let to: String = {
        use sqlx::Row;
        sqlx::query("SELECT payload FROM jobs WHERE idempotency_key LIKE 'obligation:%'")
            .fetch_one(&app.db.pool)
            .await
            .expect("job")
            .try_get(0)
            .expect("payload")
    };
    assert!(to.contains("data@social.example") && to.contains("25.06.2026"), "{to}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'obligation_link'").await, 2);
}
on_both_backends!(the_coordinator_loads_the_lists_bodies_cover_them_and_overdue_datasets_are_reminded);

/// A passport page's JSON-LD block holds whatever a title says as JSON, never as markup: a title
/// that opens a comment or a script cannot swallow the rest of the page.
async fn a_title_with_markup_stays_inside_the_passports_json_ld(app: TestApp) {
    let title = "<!--<script>alert(1)</script> Центры & службы";
    let (dataset, _) = dataset_of(&app, "social-protection", ("centres", title, ""), crate::helpers::T0).await;
    let page = app.get(&format!("/opendata/{}/", dataset.identifier)).await.text().await.expect("page");
    let start = page.find("<script type=\"application/ld+json\">").expect("the JSON-LD block") + 35;
    let block = &page[start..start + page[start..].find("</script>").expect("its end")];
    assert!(!block.contains('<') && !block.contains('>'), "{block}");
    let ld: serde_json::Value = serde_json::from_str(block).expect("JSON");
    assert_eq!(ld["name"], title);
    let h1 = &page[page.find("<h1>").expect("heading") + 4..page.find("</h1>").expect("heading end")];
    assert!(!h1.contains('<') && h1.contains("Центры"), "the heading shows the title as text: {h1}");
    assert!(page.contains(&format!("{}</td>", dataset.identifier)), "the page after the block is intact");
}
on_both_backends!(a_title_with_markup_stays_inside_the_passports_json_ld);

/// Glasnost's own API is described by the OpenAPI document it serves, and schemathesis (from
/// PyPI), generating requests from that document against the demo portal, finds no 5xx, no
/// answer outside the document and no crash. (Its check that a method the document does not
/// list gets 405 is left out: a POST without a CSRF token is refused with 403 before the router
/// would say 405.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_the_api_as_its_openapi_document_describes_it() {
    let (mut server, address, dir) = demo_server(None);
    let (status, doc) = get(&address, "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&doc).expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], address.as_str());
    let python = std::env::var("TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = std::process::Command::new(python)
        .args(["-m", "schemathesis.cli", "run", &format!("{address}/api/openapi.json")])
        .args(["--checks", "all", "--exclude-checks", "unsupported_method", "--max-examples", "40"])
        .args(["--report-dir"])
        .arg(dir.join("schemathesis"))
        .current_dir(&*dir)
        .output()
        .expect("run schemathesis");
    let _ = server.kill();
    let _ = server.wait();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(report.contains("Tested: 7"), "every operation was tested:\n{report}");
}
