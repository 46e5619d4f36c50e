//! Any bytes as an uploaded CSV data file: its structure guessed, checked against a structure of
//! every field type, and read as a registry or a passport (harvesting another portal) — a report
//! or a refusal, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opendata_format::{FieldType, Structure};

fuzz_target!(|data: &[u8]| {
    let structure = glasnost_fuzz::structure(&[
        ("id", FieldType::Integer),
        ("name", FieldType::String { max_length: Some(50) }),
        ("amount", FieldType::Decimal),
        ("on", FieldType::Date),
        ("at", FieldType::DateTime),
        ("ok", FieldType::Boolean),
        ("site", FieldType::Url),
        ("mail", FieldType::Email),
        ("lat", FieldType::Latitude),
        ("lon", FieldType::Longitude),
    ]);
    let _ = Structure::infer(data);
    if let Ok(report) = opendata_format::validate(&structure, data, 5, &mut |_| {}) {
        assert!(report.issues.len() <= 5);
    }
    let _ = opendata_format::harvest::read_list_csv(data);
    let _ = opendata_format::harvest::read_meta_csv(data);
    let _ = opendata_format::harvest::read_meta_json(data);
});
