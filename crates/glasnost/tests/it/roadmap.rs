//! Importing the seed roadmaps through the command line and exporting their machine-readable
//! twin, on SQLite and on PostgreSQL.

use crate::helpers::{Backend, database_url, glasnost, temp_dir};

fn run(env: &[(&str, String)], args: &[&str]) -> std::process::Output {
    glasnost(env, args, "")
}

fn fixture(name: &str) -> String {
    format!("{}/../roadmap/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

async fn import_and_export(backend: Backend) {
    let dir = temp_dir("roadmap-cli");
    let Some(url) = database_url(backend, &dir).await else { return };
    let env = [
        ("GLASNOST_DATA_DIR", dir.display().to_string()),
        ("GLASNOST_DATABASE_URL", url),
        ("GLASNOST_CLOCK", "2026-11-22T09:00:00Z".to_string()),
    ];
    assert!(run(&env, &["demo"]).status.success());

    // Bad files change nothing and say why.
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, b"").expect("write");
    let binary = dir.join("photo.txt");
    std::fs::write(&binary, [0u8, 159, 146, 150, 0, 1, 2]).expect("write");
    let other = dir.join("table.txt");
    std::fs::write(&other, "name\tvalue\n1\t2\n").expect("write");
    let huge = dir.join("huge.txt");
    std::fs::write(&huge, "строка текста без таблицы\n".repeat(1_100_000)).expect("write"); // ~50 MB
    for (file, message) in [
        (&empty, "файл пустой"),
        (&binary, "не текстовый файл"),
        (&other, "не найден план"),
        (&huge, "слишком большой"),
    ] {
        let out = run(&env, &["roadmap", "import", &file.display().to_string(), "--body", "social-protection"]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{err}");
    }
    std::fs::remove_file(&huge).expect("remove the 50 MB file");
    let none = run(&env, &["roadmap", "export", "--body", "social-protection"]);
    assert!(String::from_utf8_lossy(&none.stderr).contains("нет плана мероприятий"));

    for (file, body, measures) in
        [("002.txt", "social-protection", 91), ("003.txt", "information-society", 19), ("004.txt", "finance", 34)]
    {
        let out = run(&env, &["roadmap", "import", &fixture(file), "--body", body]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("мероприятий {measures}")));
        let out = run(&env, &["roadmap", "export", "--body", body, "--format", "json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(j["measures"].as_array().map(Vec::len), Some(measures), "{file}");
    }

    let out = run(&env, &["roadmap", "export", "--body", "information-society", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let m = j["measures"].as_array().expect("measures").iter().find(|m| m["number"] == "2.10.").expect("2.10.");
    assert_eq!(m["deadline"], "Ежегодно до 20 декабря");
    assert_eq!(m["schedule"]["kind"], "recurring");
    assert_eq!(m["next_due"], "2026-12-18", "20.12.2026 is a Sunday");
    assert_eq!(m["next_due_covers"], "2026 год");
    assert!(m["expected"].as_str().is_some_and(|e| e.starts_with("Наличие")));

    let csv = run(&env, &["roadmap", "export", "--body", "social-protection", "--format", "csv"]);
    let csv = String::from_utf8(csv.stdout).expect("utf-8");
    assert!(csv.starts_with("number,section,text,stage,deadline,schedule,next_due,executors,expected_result\r\n"));
    assert_eq!(csv.matches("\r\n").count(), 92, "a header and 91 rows");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_roadmaps_import_and_export_on_sqlite() {
    import_and_export(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_roadmaps_import_and_export_on_postgres() {
    import_and_export(Backend::Postgres).await;
}
