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
