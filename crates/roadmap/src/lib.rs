//! Openness roadmaps (seed 000 §4): a body's plan of measures, imported from the documents
//! bodies actually have. This first part is the importer's pure core: text in, a parsed plan
//! and a list of whatever it could not place out.

pub mod import;
