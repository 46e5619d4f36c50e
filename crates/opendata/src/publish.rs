//! The files of the open-data section, built from the database: the registry of a body or of
//! the whole portal, a dataset's passport and the addresses of its files (spec §2.1: each
//! dataset is a folder `/opendata/<identifier>/` of the portal).

use jiff::tz::TimeZone;
use kernel::Db;
use kernel::error::Result;
use opendata_format::registry::{self, DataEntry, Listed, Passport, Stamp};

use crate::store::{self, DataVersion, Dataset, StructureVersion};

/// The absolute address of a dataset's folder.
pub fn folder(public_url: &str, identifier: &str) -> String {
    format!("{}/opendata/{identifier}", public_url.trim_end_matches('/'))
}

fn listed<'a>(public_url: &str, datasets: &'a [Dataset]) -> Vec<Listed<'a>> {
    datasets
        .iter()
        .map(|d| Listed {
            identifier: &d.identifier,
            title: &d.title,
            passport: format!("{}/meta.csv", folder(public_url, &d.identifier)),
            format: "csv",
        })
        .collect()
}

/// `list.csv` of the given published datasets.
pub fn list_csv(public_url: &str, datasets: &[Dataset]) -> String {
    registry::list_csv(&listed(public_url, datasets))
}

/// `list.xml` of the given published datasets.
pub fn list_xml(public_url: &str, datasets: &[Dataset]) -> String {
    registry::list_xml(&listed(public_url, datasets))
}

/// A dataset with everything its passport and pages show.
pub struct Full {
    pub dataset: Dataset,
    pub creator: String,
    pub structures: Vec<StructureVersion>,
    pub versions: Vec<DataVersion>,
}

pub async fn full(db: &Db, dataset: Dataset) -> Result<Full> {
    let creator = kernel::bodies::by_id(db, dataset.body_id).await?.map(|b| b.full_name).unwrap_or_default();
    let structures = store::structures(db, dataset.id).await?;
    let versions = store::versions(db, dataset.id).await?;
    Ok(Full { dataset, creator, structures, versions })
}

fn stamp_of(s: &str) -> Option<Stamp> {
    Stamp::parse(s)
}

/// The stamp of a moment in the portal's time zone.
pub fn stamp_at(ms: i64, tz: &TimeZone) -> Option<Stamp> {
    let z = jiff::Timestamp::from_millisecond(ms).ok()?.to_zoned(tz.clone());
    Stamp::parse(&z.strftime("%Y%m%dT%H%M").to_string())
}

/// The passport of a dataset; None while it has no data version (nothing to describe yet).
pub fn passport<'a>(public_url: &str, tz: &TimeZone, f: &'a Full) -> Option<Passport<'a>> {
    let newest = f.versions.last()?;
    let base = folder(public_url, &f.dataset.identifier);
    let first = f.versions.first()?;
    let created = f.dataset.first_published_at.and_then(|ms| stamp_at(ms, tz)).or_else(|| stamp_of(&first.stamp))?;
    let valid = newest.valid_until.replace('-', "");
    let passport = Passport {
        identifier: &f.dataset.identifier,
        title: &f.dataset.title,
        description: &f.dataset.description,
        creator: &f.creator,
        created,
        modified: stamp_of(&newest.stamp)?,
        subject: &f.dataset.keywords,
        format: "csv",
        provenance: &newest.provenance,
        valid,
        publisher_name: &f.dataset.publisher_name,
        publisher_phone: &f.dataset.publisher_phone,
        publisher_mbox: &f.dataset.publisher_mbox,
        data: f
            .versions
            .iter()
            .filter_map(|v| {
                Some(DataEntry {
                    stamp: stamp_of(&v.stamp)?,
                    structure: stamp_of(&v.structure_stamp)?,
                    url: format!("{base}/{}", v.file_name()),
                    provenance: v.provenance.clone(),
                    valid: v.valid_until.replace('-', ""),
                })
            })
            .collect(),
        structures: f
            .structures
            .iter()
            .filter_map(|s| Some((stamp_of(&s.stamp)?, format!("{base}/structure-{}.csv", s.stamp))))
            .collect(),
    };
    Some(passport)
}
