//! The Russian open-data format (Methodological Recommendations v3.0, see
//! ../shared/docs/specs/opendata-ru.md): a dataset's structure (fields, their descriptions and
//! types) and the validator that checks a data file against it — encoding, delimiter, RFC 4180
//! quoting, the header, every cell's type — streaming, so memory stays flat whatever the size.
//! Pure: bytes in, findings out; no database, no network, no runtime.

pub mod check;
pub mod csv;
pub mod diff;
pub mod geo;
pub mod package;
pub mod rdf;
pub mod registry;
pub mod structure;
pub mod validate;

pub use structure::{Field, FieldType, Structure};
pub use validate::{Issue, Report, validate};
