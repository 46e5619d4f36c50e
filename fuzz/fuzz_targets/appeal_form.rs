//! Any bytes as the multipart body of the public appeal form (with a valid CSRF token): the form
//! is taken, or refused with a page, never a 5xx.
#![no_main]

use axum::body::Body;
use axum::http::Request;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let app = glasnost_fuzz::app();
    let req = Request::post("/appeals/new")
        .header("content-type", "multipart/form-data; boundary=fuzz")
        .header("cookie", format!("gl_csrf={}", glasnost_fuzz::TOKEN))
        .header("x-csrf-token", glasnost_fuzz::TOKEN)
        .body(Body::from(data.to_vec()))
        .expect("a request");
    let status = app.send(req);
    assert!(status.as_u16() < 500, "{status}");
});
