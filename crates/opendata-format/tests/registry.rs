//! The registry and the passport, byte for byte as the standard lays them out (fixtures written
//! from the Methodological Recommendations v3.0, the registry and passport sections: header, the `standardversion` row first,
//! the scalar keys in the order compliant publishers emit, then every data version, then every
//! structure version; RFC 4180 quoting, CRLF, no BOM).

use opendata_format::registry::{
    DataEntry, Listed, Passport, Stamp, list_csv, list_xml, meta_csv, meta_json, meta_xml,
};

const BASE: &str = "https://portal.tomsk.example/opendata/7017000000-subdivisions";
const TITLE: &str = "Подведомственные организации Департамента социальной защиты, адреса и координаты";

fn stamp(s: &str) -> Stamp {
    Stamp::parse(s).expect("stamp")
}

#[test]
fn the_registry_matches_the_fixture() {
    let list = list_csv(&[Listed {
        identifier: "7017000000-subdivisions",
        title: TITLE,
        passport: format!("{BASE}/meta.csv"),
        format: "csv",
    }]);
    assert_eq!(list, include_str!("fixtures/list.csv"));
}

#[test]
fn the_passport_matches_the_fixture() {
    let (first, second) = (stamp("20260301T0900"), stamp("20260315T1430"));
    let passport = Passport {
        identifier: "7017000000-subdivisions",
        title: TITLE,
        description: "Наименования, адреса, телефоны и координаты учреждений, подведомственных Департаменту \"социальной защиты\"",
        creator: "Департамент социальной защиты населения Томской области",
        created: first,
        modified: second,
        subject: "социальная защита,учреждения,адреса",
        format: "csv",
        provenance: "Обновлены телефоны",
        valid: "20261231".into(),
        publisher_name: "Аносова Ирина Александровна, консультант",
        publisher_phone: "+73822000000",
        publisher_mbox: "anosova@social.tomsk.example",
        data: vec![
            DataEntry {
                stamp: first,
                structure: first,
                url: format!("{BASE}/data-20260301T0900-structure-20260301T0900.csv"),
                provenance: "Первая публикация".into(),
                valid: "20260630".into(),
            },
            DataEntry {
                stamp: second,
                structure: first,
                url: format!("{BASE}/data-20260315T1430-structure-20260301T0900.csv"),
                provenance: "Обновлены телефоны".into(),
                valid: "20261231".into(),
            },
        ],
        structures: vec![(first, format!("{BASE}/structure-20260301T0900.csv"))],
    };
    let meta = meta_csv(&passport);
    assert_eq!(meta, include_str!("fixtures/meta.csv"));
    // And it reads back as the key → value map consumers make of it.
    let rows = opendata_format::csv::records(meta.as_bytes()).expect("read");
    assert_eq!(rows.len(), 18);
    assert!(rows.iter().all(|(_, r)| r.len() == 2));
    assert_eq!(rows[3].1[1], TITLE);

    // The XML and JSON passports carry the same tree, with each version's details.
    let xml = meta_xml(&passport);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<meta>\n  <standardversion>http://opendata.gosmonitor.ru/standard/3.0</standardversion>\n"));
    assert!(xml.contains("<description>Наименования, адреса, телефоны и координаты учреждений, подведомственных Департаменту &quot;социальной защиты&quot;</description>"));
    assert!(xml.contains("    <dataversion>\n      <source>https://portal.tomsk.example/opendata/7017000000-subdivisions/data-20260301T0900-structure-20260301T0900.csv</source>\n      <created>20260301T0900</created>\n      <provenance>Первая публикация</provenance>\n      <valid>20260630</valid>\n      <structure>20260301T0900</structure>\n    </dataversion>"));
    assert!(xml.ends_with("  <publisher>\n    <name>Аносова Ирина Александровна, консультант</name>\n    <phone>+73822000000</phone>\n    <mbox>anosova@social.tomsk.example</mbox>\n  </publisher>\n</meta>\n"));
    let json = meta_json(&passport);
    assert_eq!(json["data"][1]["provenance"], "Обновлены телефоны");
    assert_eq!(json["structure"][0]["created"], "20260301T0900");
    assert_eq!(json["publisher"]["phone"], "+73822000000");
    assert_eq!(json["created"], "20260301");
}

#[test]
fn the_registry_as_xml() {
    let xml = list_xml(&[Listed {
        identifier: "7017000000-subdivisions",
        title: "Учреждения <и> адреса",
        passport: format!("{BASE}/meta.csv"),
        format: "csv",
    }]);
    assert_eq!(
        xml,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<list>\n  <standardversion>http://opendata.gosmonitor.ru/standard/3.0</standardversion>\n  <meta>\n    <item>\n      <identifier>7017000000-subdivisions</identifier>\n      <title>Учреждения &lt;и&gt; адреса</title>\n      <link>{BASE}/meta.csv</link>\n      <format>csv</format>\n    </item>\n  </meta>\n</list>\n"
        )
    );
}
