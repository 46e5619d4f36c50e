//! File storage on an S3-compatible service, through the same interface as local files.
//! The S3 side is moto's server (an S3 API implementation from PyPI) on loopback: the service
//! is a boundary we do not own.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use kernel::storage::Storage;

struct Moto(Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_round_trip_through_an_s3_compatible_service() {
    let Ok(python) = std::env::var("TEST_PYTHON") else {
        assert!(std::env::var("CI").is_err(), "TEST_PYTHON is not set: run the suite with scripts/test");
        eprintln!("skipped: TEST_PYTHON is not set (scripts/test installs moto)");
        return;
    };
    let server = std::path::Path::new(&python).with_file_name("moto_server");
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let _moto = Moto(
        Command::new(server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server"),
    );
    let endpoint = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let started = Instant::now();
    while http.put(format!("{endpoint}/glasnost-files")).send().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "moto_server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let url =
        format!("s3://glasnost-files?endpoint={endpoint}&region=us-east-1&access_key_id=test&secret_access_key=test");
    let s = Storage::open(&url).expect("open S3 storage");
    s.put("opendata/7017000000-list/data.csv", Bytes::from_static("id,название\n1,Томск\n".as_bytes()))
        .await
        .expect("put");
    assert_eq!(
        s.get("opendata/7017000000-list/data.csv").await.expect("get").as_ref(),
        "id,название\n1,Томск\n".as_bytes()
    );
    assert_eq!(s.keys().await.expect("keys"), vec!["opendata/7017000000-list/data.csv".to_string()]);
    s.delete("opendata/7017000000-list/data.csv").await.expect("delete");
    assert!(s.get("opendata/7017000000-list/data.csv").await.is_err());
    assert!(Storage::open("s3://glasnost-files?no_such_option=1").is_err());
}
