//! Any bytes as an uploaded XML data file, checked against a structure's XSD: a report with
//! the whole records passed on, never a panic, memory flat.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opendata_format::FieldType;

fuzz_target!(|data: &[u8]| {
    let structure = glasnost_fuzz::structure(&[
        ("id", FieldType::Integer),
        ("name", FieldType::String { max_length: Some(50) }),
        ("on", FieldType::Date),
    ]);
    let _ = opendata_format::xml::validate(&structure, data, 5, &mut |_| {}, &mut |row| assert_eq!(row.len(), 3));
    let _ = opendata_format::validate_any(&structure, data, 5, &mut |_| {});
});
