//! Backup and restore: one .zip carries the database and the stored files, and a backup taken
//! on SQLite restores into PostgreSQL (how an installation moves to several nodes).

use kernel::Db;
use kernel::storage::Storage;
use reqwest::StatusCode;

use crate::helpers::{Backend, PASSWORD, TestApp, database_url, temp_dir};

async fn restores_into(target: Backend) {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else { return };
    app.create_staff("editor@social.example", kernel::staff::Role::Editor, Some("social-protection")).await;
    let storage = Storage::open(&format!("file://{}", app.dir.join("files").display())).expect("storage");
    storage.put("docs/положение.txt", bytes::Bytes::from_static("Положение об отделе".as_bytes())).await.expect("put");
    let zip = app.dir.join("backup.zip");
    let taken = kernel::backup::backup(&app.db, &storage, &zip, &glasnost::schemas()).await.expect("backup");
    assert_eq!(taken.files, 1);

    let dir = temp_dir("restore");
    let Some(url) = database_url(target, &dir).await else { return };
    let db = Db::connect(&url).await.expect("connect");
    db.migrate(&glasnost::schemas()).await.expect("migrate");
    let storage2 = Storage::open(&format!("file://{}", dir.join("files").display())).expect("storage");
    let restored = kernel::backup::restore(&db, &storage2, &zip, &glasnost::schemas()).await.expect("restore");
    assert_eq!(restored, taken, "every row and file came back");
    assert_eq!(storage2.get("docs/положение.txt").await.expect("file").as_ref(), "Положение об отделе".as_bytes());

    let before = kernel::bodies::list(&app.db).await.expect("list");
    let after = kernel::bodies::list(&db).await.expect("list");
    assert_eq!(before, after);
    // New rows get fresh ids after the restored ones.
    let f = kernel::bodies::BodyForm {
        slug: "after-restore".into(),
        full_name: "Новый орган".into(),
        ..Default::default()
    };
    let new =
        kernel::bodies::create(&db, &kernel::audit::Actor::system("test"), 0, None, &f.validate().expect("valid"))
            .await
            .expect("create after restore");
    assert!(before.iter().all(|b| b.id < new.id));
    // The restored staff member signs in to a server on the restored database.
    let cfg = crate::helpers::config_for(&dir, &url, &[]);
    let u = kernel::staff::login(&db, &cfg, crate::helpers::T0, "editor@social.example", PASSWORD, "127.0.0.1").await;
    assert!(u.is_ok(), "the password hash survived the restore");

    // A second restore into a non-empty database is refused.
    let again = kernel::backup::restore(&db, &storage2, &zip, &glasnost::schemas()).await;
    assert!(again.is_err_and(|e| e.to_string().contains("not empty")));
    assert_eq!(app.get("/").await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_restores_into_sqlite() {
    restores_into(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_restores_into_postgres() {
    restores_into(Backend::Postgres).await;
}
