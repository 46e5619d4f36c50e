//! Any text as the CKAN API's query (`q`, `fq`, sort, paging) and any bytes as an action's JSON
//! body: an answer or CKAN's error, never a 5xx.
#![no_main]

use axum::body::Body;
use axum::http::Request;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let app = glasnost_fuzz::app();
    let text = String::from_utf8_lossy(data);
    let enc: String = form_urlencoded(&text);
    for query in [format!("q={enc}"), format!("fq={enc}&rows=3"), format!("q=*&sort={enc}&start={enc}")] {
        let req = Request::get(format!("/api/3/action/package_search?{query}")).body(Body::empty()).expect("request");
        let status = app.send(req);
        assert!(status.as_u16() < 500, "{query}: {status}");
    }
    for action in ["package_search", "datastore_search", "package_show", "organization_list"] {
        let req = Request::post(format!("/api/3/action/{action}"))
            .header("content-type", "application/json")
            .body(Body::from(data.to_vec()))
            .expect("request");
        let status = app.send(req);
        assert!(status.as_u16() < 500, "{action}: {status}");
    }
});

fn form_urlencoded(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
