//! Open datasets of a body (seed 000 §18–24): the passport of recommendations v3.0, structure
//! versions and data versions kept forever (`store`), and the files of the open-data section
//! built from them (`publish`). The format itself — structures, validation, the registry and
//! passport files — is the pure `opendata-format` crate.

pub mod demand;
pub mod feedback;
pub mod index;
pub mod obligations;
pub mod publish;
pub mod requests;
pub mod store;
