//! The Russian open-data format (Methodological Recommendations on publishing open data,
//! version 3.0, approved by the Government Commission's protocol of 29.05.2014 № 4): a dataset's structure (fields, their descriptions and
//! types) and the validator that checks a data file against it — encoding, delimiter, RFC 4180
//! quoting, the header, every cell's type — streaming, so memory stays flat whatever the size.
//! Pure: bytes in, findings out; no database, no network, no runtime.

pub mod check;
pub mod csv;
pub mod diff;
pub mod geo;
pub mod harvest;
pub mod package;
pub mod rdf;
pub mod registry;
pub mod structure;
pub mod validate;
pub mod xml;

pub use structure::{Field, FieldType, Structure};
pub use validate::{Issue, Report, validate};

/// Checks a data file against its structure, as CSV or, when it begins with `<`, as XML
/// against the structure's XSD. Problems go to `sink` as found; the first `keep` are kept.
pub fn validate_any<R: std::io::Read>(
    structure: &Structure,
    input: R,
    keep: usize,
    sink: &mut dyn FnMut(&Issue),
) -> std::io::Result<Report> {
    use std::io::BufRead;
    let mut input = std::io::BufReader::new(input);
    if xml::looks_like_xml(input.fill_buf()?) {
        xml::validate(structure, input, keep, sink, &mut |_| {})
    } else {
        validate(structure, input, keep, sink)
    }
}
