//! A plan's own details — title, approving act, years — read from the lines before its table,
//! for the three seed plans, whose headings are written three different ways.

use roadmap::file::read_plan;

const SEED_002: &str = include_str!("fixtures/002.txt");
const SEED_003: &str = include_str!("fixtures/003.txt");
const SEED_004: &str = include_str!("fixtures/004.txt");

fn date(y: i16, m: i8, d: i8) -> Option<jiff::civil::Date> {
    jiff::civil::Date::new(y, m, d).ok()
}

#[test]
fn an_order_with_its_kind_date_and_number_on_separate_lines() {
    let d = read_plan("002.txt", SEED_002.as_bytes()).expect("plan").details;
    assert_eq!(d.act_kind, "распоряжение");
    assert_eq!(d.act_date, date(2017, 4, 3));
    assert_eq!(d.act_number, "149");
    assert_eq!(d.approving_body, "ДЕПАРТАМЕНТ СОЦИАЛЬНОЙ ЗАЩИТЫ НАСЕЛЕНИЯ ТОМСКОЙ ОБЛАСТИ");
    assert_eq!(
        d.title,
        "План мероприятий («дорожной карты») по реализации открытости Департамента социальной защиты населения Томской области на 2017-2020 годы"
    );
    assert_eq!(d.period, Some((2017, 2020)));
    assert_eq!(d.period_text(), "2017–2020");
    assert_eq!(
        d.approving_act(),
        "распоряжение от 03.04.2017 № 149, ДЕПАРТАМЕНТ СОЦИАЛЬНОЙ ЗАЩИТЫ НАСЕЛЕНИЯ ТОМСКОЙ ОБЛАСТИ"
    );
}

#[test]
fn a_protocol_named_in_the_appendix_line() {
    let d = read_plan("003.txt", SEED_003.as_bytes()).expect("plan").details;
    assert_eq!(d.act_kind, "протокол");
    assert_eq!(d.act_date, date(2018, 10, 31));
    assert_eq!(d.act_number, "8");
    assert!(
        d.approving_body.starts_with("подкомиссии по координации деятельности открытого правительства"),
        "{}",
        d.approving_body
    );
    assert_eq!(d.title, "ПЛАН МЕРОПРИЯТИЙ «ОТКРЫТЫЕ ДАННЫЕ ТОМСКОЙ ОБЛАСТИ» НА 2018 -2020 ГОДЫ");
    assert_eq!(d.period, Some((2018, 2020)));
}

#[test]
fn a_letter_spaced_kind_with_the_date_and_number_on_one_line() {
    let d = read_plan("004.txt", SEED_004.as_bytes()).expect("plan").details;
    assert_eq!(d.act_kind, "распоряжение");
    assert_eq!(d.act_date, date(2018, 3, 21));
    assert_eq!(d.act_number, "122-р");
    assert!(d.approving_body.starts_with("АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА ЗАКРЫТОГО"), "{}", d.approving_body);
    assert!(
        d.title.starts_with("План мероприятий («дорожная карта») по реализации принципов и механизмов"),
        "{}",
        d.title
    );
    assert_eq!(d.period, None, "the plan names no years");
    assert_eq!(roadmap::details::plan_year(&d.approving_act(), &d.period_text()), Some(2018));
}
