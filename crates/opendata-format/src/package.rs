//! A data version as a Frictionless Data Package (`datapackage.json`): one tabular resource —
//! the version's CSV by its absolute URL — with the Table Schema of its structure, so generic
//! tools (frictionless, CKAN's validators, pandas readers) can read and check it.

use crate::structure::Structure;

/// What the package says about its dataset.
pub struct PackageInfo<'a> {
    pub identifier: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// Comma-separated.
    pub keywords: &'a str,
    /// The terms of use, as the passport states them.
    pub licence: &'a str,
    /// The dataset's page.
    pub homepage: &'a str,
}

/// The package of one data version.
pub fn datapackage(info: &PackageInfo<'_>, version: &str, data_url: &str, structure: &Structure) -> serde_json::Value {
    // Package and resource names: lower-case letters, digits, "-", "_", ".".
    let name: String = info
        .identifier
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' })
        .collect();
    let keywords: Vec<&str> = info.keywords.split(',').map(str::trim).filter(|k| !k.is_empty()).collect();
    serde_json::json!({
        "profile": "tabular-data-package",
        "name": name,
        "title": info.title,
        "description": info.description,
        "homepage": info.homepage,
        "version": version,
        "keywords": keywords,
        // Free use with attribution: the Open Definition's "other-at"; the passport's wording as the title.
        "licenses": [{ "name": "other-at", "title": info.licence }],
        "resources": [{
            "profile": "tabular-data-resource",
            "name": format!("{name}-{}", version.to_lowercase()),
            "path": data_url,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": { "delimiter": ",", "doubleQuote": true, "header": true },
            "schema": structure.table_schema(),
        }],
    })
}
