//! Open data's pages and APIs: the registry and each dataset's folder as the standard lays them
//! out and the publishers' pages (`datasets`), the CKAN Action API (`ckan`), pushes from
//! information systems (`push`), reports of errors (`feedback`), requests for new datasets
//! (`requests`), demand (`demand`) and the mandatory lists (`obligations`).

pub mod ckan;
pub mod datasets;
pub mod demand;
pub mod feedback;
pub mod obligations;
pub mod push;
pub mod requests;
pub mod strings;
