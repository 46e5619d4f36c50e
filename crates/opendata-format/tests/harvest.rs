//! Real published 3.0 files (tests/fixtures/real, sources in SOURCES.md) are read, written
//! again by our writers, and read back with the same meaning.

use opendata_format::harvest::{self, Harvested};
use opendata_format::registry;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/real/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What meta.csv carries: the provenance and validity of the newest version only.
fn without_older_details(mut h: Harvested) -> Harvested {
    let older = h.data.len().saturating_sub(1);
    for v in &mut h.data[..older] {
        v.provenance.clear();
        v.valid.clear();
    }
    h
}

#[test]
fn a_real_registry_is_read_and_written_back_with_the_same_meaning() {
    let list = harvest::read_list_csv(&fixture("zhabinda-list.csv")).expect("list");
    assert_eq!(list.standard, registry::STANDARD);
    assert_eq!(list.items.len(), 1);
    let item = &list.items[0];
    assert_eq!(item.identifier, "7703092752-terorg");
    assert_eq!(item.title, "\"Перечень территориальных органов Росгидромета\"");
    assert_eq!(item.link, "https://zhabinda.github.io/github_page_example/opendata/7703092752-terorg/meta.csv");
    assert_eq!(item.format, "csv");
    let ours = registry::list_csv(&harvest::listed(&list));
    assert!(ours.starts_with("property,title,value,format\r\nstandardversion,"), "our layout: {ours}");
    assert_eq!(harvest::read_list_csv(ours.as_bytes()).expect("ours"), list);
}

#[test]
fn a_real_csv_passport_is_read_and_written_back_with_the_same_meaning() {
    let h = harvest::read_meta_csv(&fixture("volganet-3444200448-ForestDeath-meta.csv")).expect("passport");
    assert_eq!(h.standard, registry::STANDARD);
    assert_eq!(h.identifier, "3444200448-ForestDeath");
    assert_eq!(h.creator, "Комитет природных ресурсов, лесного хозяйства и экологии Волгоградской области");
    assert_eq!(
        (h.created.map(|s| s.date()), h.modified.map(|s| s.date())),
        (Some("20171123".into()), Some("20190719".into()))
    );
    assert_eq!((h.format.as_str(), h.valid.as_str()), ("csv", "20200430"));
    assert_eq!(h.publisher_mbox, "G_Zhukova@volganet.ru");
    let stamps: Vec<String> = h.data.iter().map(|v| v.stamp.to_string()).collect();
    assert_eq!(stamps, ["20171123T0000", "20180129T0000", "20180427T0000", "20190425T0000", "20190719T0000"]);
    assert!(h.data.iter().all(|v| v.structure.to_string() == "20171123T0000"));
    assert_eq!(
        h.data[4].url,
        "http://opendata.volganet.ru/3444200448-ForestDeath/data-2019-07-19-structure-2017-11-23.csv"
    );
    assert_eq!(h.structures.len(), 1);

    let passport = h.passport().expect("dates");
    let csv = registry::meta_csv(&passport);
    assert!(csv.contains("\r\ndata-20190719T0000-structure-20171123T0000,http://opendata.volganet.ru/"), "{csv}");
    assert_eq!(harvest::read_meta_csv(csv.as_bytes()).expect("our csv"), h);
    let json = registry::meta_json(&passport).to_string();
    assert_eq!(harvest::read_meta_json(json.as_bytes()).expect("our json"), h);
}

#[test]
fn a_real_json_passport_is_read_and_written_back_with_the_same_meaning() {
    let h = harvest::read_meta_json(&fixture("predgor-2618017120-subdivisions-meta.json")).expect("passport");
    assert_eq!(h.identifier, "2618017120-subdivisions");
    assert_eq!(h.format, "json");
    assert_eq!(h.publisher_name, "Усс Дмитрий Васильевич");
    assert_eq!(h.data.len(), 1);
    assert_eq!(
        (h.data[0].stamp.to_string(), h.data[0].provenance.as_str()),
        ("20160101T0000".into(), "Первичная публикация")
    );
    assert!(
        h.data[0].url.ends_with("data-20160101T0000-strucrure-20160101T0000.json"),
        "the published URL, kept as is"
    );
    let passport = h.passport().expect("dates");
    let json = registry::meta_json(&passport).to_string();
    assert_eq!(harvest::read_meta_json(json.as_bytes()).expect("our json"), h);
    let csv = registry::meta_csv(&passport);
    assert_eq!(harvest::read_meta_csv(csv.as_bytes()).expect("our csv"), without_older_details(h.clone()));
}

#[test]
fn what_is_not_a_passport_is_refused_with_a_reason() {
    let legacy = "№;Характеристика;Значение\n1;Идентификационный номер (код) набора данных;7703092752-terorg\n";
    assert!(harvest::read_meta_csv(legacy.as_bytes()).is_err_and(|e| e.contains("property,value")));
    assert!(harvest::read_list_csv(b"").is_err());
    assert!(harvest::read_meta_json(b"{\"title\": \"x\"}").is_err_and(|e| e.contains("identifier")));
}
