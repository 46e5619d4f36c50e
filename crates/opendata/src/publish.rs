//! The files of the open-data section, built from the database: the registry of a body or of
//! the whole portal, a dataset's passport and the addresses of its files (spec §2.1: each
//! dataset is a folder `/opendata/<identifier>/` of the portal).

use jiff::tz::TimeZone;
use kernel::Db;
use kernel::error::Result;
use opendata_format::rdf::Graph;
use opendata_format::registry::{self, DataEntry, Listed, Passport, Stamp};

use crate::store::{self, DataVersion, Dataset, StructureVersion};

/// The absolute address of a dataset's folder.
pub fn folder(public_url: &str, identifier: &str) -> String {
    format!("{}/opendata/{identifier}", public_url.trim_end_matches('/'))
}

fn listed<'a>(public_url: &str, datasets: impl IntoIterator<Item = &'a Dataset>) -> Vec<Listed<'a>> {
    datasets
        .into_iter()
        .map(|d| Listed {
            identifier: &d.identifier,
            title: &d.title,
            passport: format!("{}/meta.csv", folder(public_url, &d.identifier)),
            format: "csv",
        })
        .collect()
}

/// `list.csv` of the given published datasets.
pub fn list_csv<'a>(public_url: &str, datasets: impl IntoIterator<Item = &'a Dataset>) -> String {
    registry::list_csv(&listed(public_url, datasets))
}

/// `list.xml` of the given published datasets.
pub fn list_xml(public_url: &str, datasets: &[Dataset]) -> String {
    registry::list_xml(&listed(public_url, datasets))
}

/// A dataset with everything its passport and pages show.
#[derive(Clone)]
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

fn datetime(ms: i64, tz: &TimeZone) -> Option<String> {
    let z = jiff::Timestamp::from_millisecond(ms).ok()?.to_zoned(tz.clone());
    Some(z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
}

/// The DCAT (DCAT-AP) catalogue of the portal's published datasets: each dataset with its
/// publisher (the body), contact point, keywords, dates, the standard it conforms to, and one
/// distribution per data version.
/// One page of the catalogue: its datasets, and where it stands among all of them.
pub struct CatalogPage<'a> {
    pub entries: Vec<(&'a Full, &'a kernel::bodies::Body)>,
    /// The newest change of any published dataset (ms).
    pub modified: Option<i64>,
    /// From 1.
    pub page: usize,
    pub per_page: usize,
    /// Published datasets in all.
    pub total: usize,
    /// The catalogue's file (`catalog.ttl`, `catalog.jsonld`), for the addresses of its pages.
    pub file: &'a str,
}

/// The DCAT catalogue, a page of datasets at a time. With more than one page the catalogue
/// says so the way DCAT-AP harvesters read it (a Hydra paged collection with its neighbours).
pub fn catalog(public_url: &str, tz: &TimeZone, portal_name: &str, page: &CatalogPage<'_>) -> Graph {
    let entries = &page.entries;
    use opendata_format::rdf::Term;
    let base = public_url.trim_end_matches('/');
    let mut g = Graph::default();
    let catalog = Term::iri(format!("{base}/opendata/catalog"));
    let portal = Term::iri(format!("{base}/"));
    let terms = Term::iri(format!("{base}/opendata/#terms"));
    g.add(&catalog, "a", Term::iri("dcat:Catalog"));
    g.add(&catalog, "dct:title", Term::ru(format!("Открытые данные: {portal_name}")));
    g.add(
        &catalog,
        "dct:description",
        Term::ru(format!("Наборы открытых данных органов власти портала «{portal_name}»")),
    );
    g.add(&catalog, "dct:publisher", portal.clone());
    g.add(&catalog, "foaf:homepage", Term::iri(format!("{base}/opendata/")));
    g.add(&catalog, "dct:language", Term::iri("http://publications.europa.eu/resource/authority/language/RUS"));
    if let Some(newest) = page.modified.and_then(|ms| datetime(ms, tz)) {
        g.add(&catalog, "dct:modified", Term::typed(newest, "xsd:dateTime"));
    }
    let pages = page.total.div_ceil(page.per_page.max(1)).max(1);
    if pages > 1 {
        let at = |n: usize| Term::iri(format!("{base}/{}?page={n}", page.file));
        let this = at(page.page);
        g.add(&this, "a", Term::iri("hydra:PagedCollection"));
        g.add(&this, "hydra:totalItems", Term::typed(page.total.to_string(), "xsd:integer"));
        g.add(&this, "hydra:itemsPerPage", Term::typed(page.per_page.to_string(), "xsd:integer"));
        g.add(&this, "hydra:firstPage", at(1));
        g.add(&this, "hydra:lastPage", at(pages));
        if page.page > 1 {
            g.add(&this, "hydra:previousPage", at(page.page - 1));
        }
        if page.page < pages {
            g.add(&this, "hydra:nextPage", at(page.page + 1));
        }
    }
    for (f, _) in entries.iter() {
        g.add(&catalog, "dcat:dataset", Term::iri(format!("{}/", folder(public_url, &f.dataset.identifier))));
    }
    g.add(&portal, "a", Term::iri("foaf:Agent"));
    g.add(&portal, "foaf:name", Term::ru(portal_name));
    g.add(&terms, "a", Term::iri("dct:LicenseDocument"));
    g.add(&terms, "dct:title", Term::ru(store::DEFAULT_LICENCE));
    for (i, (f, body)) in entries.iter().enumerate() {
        let d = &f.dataset;
        let home = folder(public_url, &d.identifier);
        let ds = Term::iri(format!("{home}/"));
        let publisher = Term::iri(format!("{base}/o/{}/", body.slug));
        g.add(&ds, "a", Term::iri("dcat:Dataset"));
        g.add(&ds, "dct:identifier", Term::plain(d.identifier.clone()));
        g.add(&ds, "dct:title", Term::ru(d.title.clone()));
        g.add(&ds, "dct:description", Term::ru(d.description.clone()));
        for k in d.keywords.split(',').map(str::trim).filter(|k| !k.is_empty()) {
            g.add(&ds, "dcat:keyword", Term::ru(k));
        }
        g.add(&ds, "dct:publisher", publisher.clone());
        g.add(&ds, "dct:conformsTo", Term::iri(registry::STANDARD));
        g.add(&ds, "dcat:landingPage", ds.clone());
        if let Some(at) = d.first_published_at.and_then(|ms| datetime(ms, tz)) {
            g.add(&ds, "dct:issued", Term::typed(at, "xsd:dateTime"));
        }
        if let Some(at) = datetime(d.updated_at, tz) {
            g.add(&ds, "dct:modified", Term::typed(at, "xsd:dateTime"));
        }
        let contact = Term::Blank(format!("contact{i}"));
        g.add(&ds, "dcat:contactPoint", contact.clone());
        g.add(&contact, "a", Term::iri("vcard:Kind"));
        g.add(&contact, "vcard:fn", Term::ru(d.publisher_name.clone()));
        g.add(&contact, "vcard:hasEmail", Term::iri(format!("mailto:{}", d.publisher_mbox)));
        g.add(&contact, "vcard:hasTelephone", Term::iri(format!("tel:{}", d.publisher_phone)));
        for v in &f.versions {
            let url = format!("{home}/{}", v.file_name());
            let dist = Term::iri(url.clone());
            g.add(&ds, "dcat:distribution", dist.clone());
            g.add(&dist, "a", Term::iri("dcat:Distribution"));
            g.add(&dist, "dct:title", Term::plain(v.file_name()));
            g.add(&dist, "dcat:accessURL", Term::iri(url.clone()));
            g.add(&dist, "dcat:downloadURL", Term::iri(url));
            g.add(&dist, "dct:format", Term::plain("CSV"));
            g.add(&dist, "dcat:mediaType", Term::iri("http://www.iana.org/assignments/media-types/text/csv"));
            g.add(&dist, "dcat:byteSize", Term::typed(v.bytes.to_string(), "xsd:decimal"));
            g.add(&dist, "dct:license", terms.clone());
            g.add(&dist, "dct:conformsTo", Term::iri(format!("{home}/structure-{}.csv", v.structure_stamp)));
            if let Some(at) = datetime(v.created_at, tz) {
                g.add(&dist, "dct:issued", Term::typed(at, "xsd:dateTime"));
            }
        }
        g.add(&publisher, "a", Term::iri("foaf:Agent"));
        g.add(&publisher, "foaf:name", Term::ru(body.full_name.clone()));
    }
    g
}
