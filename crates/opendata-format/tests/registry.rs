//! The registry and the passport, byte for byte as the standard lays them out (fixtures written
//! from ../shared/docs/specs/opendata-ru.md §2.4–2.5: header, the `standardversion` row first,
//! the scalar keys in the order compliant publishers emit, then every data version, then every
//! structure version; RFC 4180 quoting, CRLF, no BOM).

use opendata_format::registry::{Listed, Passport, Stamp, list_csv, meta_csv};

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
            (first, first, format!("{BASE}/data-20260301T0900-structure-20260301T0900.csv")),
            (second, first, format!("{BASE}/data-20260315T1430-structure-20260301T0900.csv")),
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
}
