//! The command line as scripts use it.

use crate::helpers::glasnost;

fn run(args: &[&str]) -> std::process::Output {
    glasnost(&[] as &[(&str, &str)], args, "")
}

#[test]
fn deadlines_add_prints_the_date_and_why_as_json() {
    let out = run(&["deadlines", "add", "2026-03-05", "30", "--calendar", "--policy", "preceding", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(j["date"], "2026-04-03");
    assert_eq!(j["steps"].as_array().map(Vec::len), Some(3));
    assert!(j["explanation_ru"].as_str().is_some_and(|s| s.contains("04.04.2026 — суббота")));
    assert_eq!(j["steps"][2]["date"], "2026-04-03");

    let out = run(&["deadlines", "add", "2025-12-24", "15", "--working"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("26.01.2026\n"), "{text}");
}

#[test]
fn deadlines_add_explains_bad_input_in_one_russian_line() {
    let out = run(&["deadlines", "add", "05.03.2026", "30", "--calendar"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim(), "Ошибка: «05.03.2026» — не дата: укажите ГГГГ-ММ-ДД");
    let out = run(&["deadlines", "add", "2031-03-05", "3", "--working"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("календарь на 2031 год не загружен"));
}

#[test]
fn deadlines_parse_prints_the_schedule_and_the_next_due_dates() {
    let out = run(&[
        "deadlines",
        "parse",
        "1 полугодие 2017, далее ежегодно до 1 мая следующего за отчетным года",
        "--after",
        "2017-04-03",
        "--count",
        "3",
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(j["en"], "by the end of H1 2017, then annually, by 1 May — for the previous year");
    let dates: Vec<&str> = j["due"].as_array().expect("due").iter().filter_map(|d| d["date"].as_str()).collect();
    assert_eq!(dates, ["2017-06-30", "2018-04-28", "2019-04-30"]);
    assert_eq!(j["due"][1]["covers"], "2017 год");
    assert_eq!(j["schedule"]["kind"], "then");

    let out = run(&["deadlines", "parse", "когда-нибудь", "--json"]);
    assert!(!out.status.success());
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(j["phrase"], "когда-нибудь");
    assert!(j["unparsed"].as_str().is_some_and(|r| !r.is_empty()));
}

#[test]
fn opendata_validate_names_each_problem_and_writes_the_full_report() {
    let dir = crate::helpers::temp_dir("opendata-validate");
    let structure = dir.join("structure-20260301T0900.csv");
    std::fs::write(
        &structure,
        "field name,english description,russian description,format\r\n\
         id,Number,Номер,integer\r\nname,Name,Наименование,string(100)\r\nopened,Opened,Дата открытия,date\r\n",
    )
    .expect("write");
    let good = dir.join("good.csv");
    std::fs::write(&good, "id,name,opened\r\n1,\"Центр «Надежда», Томск\",2019-09-01\r\n").expect("write");
    let out =
        run(&["opendata", "validate", &good.display().to_string(), "--structure", &structure.display().to_string()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Ошибок нет."));

    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "id,name,opened\r\nx,,31.12.2019\r\n2,Приют,2019-02-30\r\n").expect("write");
    let report = dir.join("report.csv");
    let out = run(&[
        "opendata",
        "validate",
        &bad.display().to_string(),
        "--structure",
        &structure.display().to_string(),
        "--required",
        "name",
        "--report",
        &report.display().to_string(),
    ]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("строка 2, столбец 1 (id): «x» — ожидается целое число"), "{text}");
    assert!(text.contains("строка 2, столбец 2 (name): обязательное поле «Наименование» не заполнено"), "{text}");
    assert!(text.contains("строка 3, столбец 3 (opened): «2019-02-30» — ожидается дата ГГГГ-ММ-ДД"), "{text}");
    assert_eq!(String::from_utf8_lossy(&out.stderr).trim(), "Ошибка: файл не прошёл проверку: ошибок 4");
    let csv = std::fs::read_to_string(&report).expect("report");
    assert!(csv.starts_with("line,column,field,code,message\r\n2,1,id,type,"), "{csv}");
    assert_eq!(csv.lines().count(), 5, "a header and four problems");
    let out = run(&["opendata", "validate", &good.display().to_string(), "--structure", &bad.display().to_string()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("файл структуры не прочитан"));
}

#[test]
fn opendata_read_takes_real_published_files_and_writes_them_as_the_standard_lays_them_out() {
    let real = concat!(env!("CARGO_MANIFEST_DIR"), "/../opendata-format/tests/fixtures/real");
    let passport = format!("{real}/volganet-3444200448-ForestDeath-meta.csv");
    let out = run(&["opendata", "read", &passport, "--to", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["identifier"], "3444200448-ForestDeath");
    assert_eq!(v["data"].as_array().map(Vec::len), Some(5));
    assert_eq!(v["data"][4]["created"], "20190719T0000");
    assert_eq!(v["data"][4]["provenance"], "Обновление набора открытых данных");
    let out = run(&["opendata", "read", &format!("{real}/zhabinda-list.csv")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("property,title,value,format\r\n") && text.contains("\r\n7703092752-terorg,"), "{text}");
    let out = run(&["opendata", "read", &passport, "--to", "yaml"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("csv, json или xml"));
}

#[tokio::test]
async fn the_classifier_of_appeals_is_loaded_from_the_official_file() {
    let dir = crate::helpers::temp_dir("topics");
    let env = [("GLASNOST_DATA_DIR", dir.display().to_string())];
    let broken = dir.join("broken.csv");
    std::fs::write(&broken, "Код;Наименование\n0002.0007.0067;Пособия\n2.7;Опечатка\n").expect("write");
    let out = crate::helpers::glasnost(&env, &["appeals", "topics", broken.to_str().expect("path")], "");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("строка 3: «2.7» — не код классификатора"), "{err}");
    let file = dir.join("topics.csv");
    let official = "Код;Наименование\n0002.0007.0067;Пособия\n0002.0007.0067.0311;Назначение пособий\n0002;Социальная сфера (ред. 2026)\n0005;Жилищно-коммунальная сфера\n";
    std::fs::write(&file, official).expect("write");
    let out = crate::helpers::glasnost(&env, &["appeals", "topics", file.to_str().expect("path")], "");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("кодов в файле 4, добавлено 2, переименовано 1"), "{said}");
    let db = kernel::Db::connect(&format!("sqlite://{}/glasnost.db", dir.display())).await.expect("connect");
    let topics = appeals::questions::topics(&db).await.expect("topics");
    assert!(topics.iter().any(|t| t.code == "0002" && t.title == "Социальная сфера (ред. 2026)"));
    assert!(topics.iter().any(|t| t.code == "0002.0007.0067.0311"));
    assert!(topics.iter().any(|t| t.code == "0003.0009.0099"), "codes missing from the file stay");
}

/// `glasnost search rebuild` builds the index of a stopped node from the database (the demo
/// portal: its sections, news, documents, datasets, measures) and says how much it holds; while a
/// node on the same data folder runs, it is refused with the reason.
#[test]
fn search_rebuild_builds_the_index_of_a_stopped_node() {
    let dir = crate::helpers::temp_dir("rebuild");
    let env = [("GLASNOST_DATA_DIR", dir.display().to_string())];
    let out = crate::helpers::glasnost(&env, &["demo"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = crate::helpers::glasnost(&env, &["search", "rebuild"], "");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let n: usize = said
        .split("документов ")
        .nth(1)
        .and_then(|t| t.split(',').next())
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or_else(|| panic!("the count of documents: {said}"));
    assert!(n > 100, "the demo's sections, news, documents, datasets and measures: {said}");
    assert!(dir.join("search").join("meta.json").exists(), "the index is in the data folder");
    // A node holding the folder's index: the rebuild is refused, saying why.
    let lock = std::fs::OpenOptions::new().write(true).open(dir.join("search").join("writer.lock")).expect("lock file");
    lock.try_lock().expect("held as a running node holds it");
    let out = crate::helpers::glasnost(&env, &["search", "rebuild"], "");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("ведёт другой процесс Glasnost"), "{err}");
}

// The reading is checked through the command's JSON here; the library's own verdict is not used.
#[allow(dead_code)]
mod corpus {
    include!("../../../deadlines/tests/data/corpus_cases.rs");
}

/// The corpus of real deadline phrases through `glasnost deadlines parse --json`: every phrase
/// read with the due dates worked out by hand, or refused with its reason, as the library does.
#[test]
fn deadlines_parse_reads_the_real_phrase_corpus() {
    let cases = corpus::corpus();
    let mut failures = Vec::new();
    for case in &cases {
        let reference = case.reference.to_string();
        let count = case.expected.len().max(1).to_string();
        let mut args = vec![
            "deadlines",
            "parse",
            case.phrase.as_str(),
            "--after",
            &reference,
            "--event",
            &reference,
            "--policy",
            "keep",
            "--count",
            &count,
            "--json",
        ];
        let year = case.year.map(|y| y.to_string());
        if let Some(y) = &year {
            args.extend(["--year", y]);
        }
        let out = run(&args);
        let j: serde_json::Value = match serde_json::from_slice(&out.stdout) {
            Ok(j) => j,
            Err(e) => {
                let stderr = String::from_utf8_lossy(&out.stderr);
                failures.push(format!("[{}] {:?}: no JSON ({e}): {stderr}", case.source, case.phrase));
                continue;
            }
        };
        if case.kind == "refused" {
            let reason = j["unparsed"].as_str().unwrap_or_default();
            if out.status.success() || !reason.contains(&case.expected[0]) {
                failures.push(format!("{:?}: expected a refusal with «{}», got {j}", case.phrase, case.expected[0]));
            }
            continue;
        }
        let kind = j["schedule"]["kind"].as_str().unwrap_or_default();
        let kind = if kind == "external_timetable" { "external" } else { kind };
        let dates: Vec<String> =
            j["due"].as_array().into_iter().flatten().filter_map(|d| d["date"].as_str().map(str::to_string)).collect();
        if !out.status.success() || kind != case.kind || dates != case.expected {
            failures.push(format!("{:?}: {kind} {dates:?}, expected {} {:?}", case.phrase, case.kind, case.expected));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(cases.len() >= 70, "{} phrases", cases.len());
}
