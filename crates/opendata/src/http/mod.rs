//! Open data's pages and APIs: the registry and each dataset's folder as the standard lays them
//! out (`registry`) and the publishers' pages (`datasets`), the CKAN Action API (`ckan`), pushes from
//! information systems (`push`), reports of errors (`feedback`), requests for new datasets
//! (`requests`), demand (`demand`) and the mandatory lists (`obligations`).

pub mod ckan;
pub mod datasets;
pub mod demand;
pub mod feedback;
pub mod obligations;
pub mod push;
pub mod registry;
pub mod requests;
pub mod strings;

use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

pub(crate) fn csv_response(body: String, file_name: &str) -> Response {
    let mut resp = body.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(h) = HeaderValue::from_str(&format!("inline; filename=\"{file_name}\"")) {
        resp.headers_mut().insert(CONTENT_DISPOSITION, h);
    }
    resp
}

pub(crate) fn xml_response(body: String) -> Response {
    let mut resp = body.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"));
    resp
}
