//! The list of Glasnost's mechanisms, once: the binary and its tests take the migrations, the
//! tables a backup carries and (as the mechanisms move into their own crates) everything else
//! a mechanism hands over from here.

use kernel::db::Schema;

/// Every mechanism's schema, in the order they are migrated (after the kernel's).
pub const SCHEMAS: &[&Schema] = &[&roadmap::SCHEMA, &opendata::SCHEMA, &appeals::SCHEMA];
