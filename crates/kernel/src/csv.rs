//! CSV as the portal writes it everywhere: RFC 4180, UTF-8 without BOM, comma, CRLF. The
//! writer lives with the open-data format, whose files are the strictest users of it.

pub use opendata_format::csv::{cell, row};
