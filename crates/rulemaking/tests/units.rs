//! The splitter on excerpts of real acts and drafts (tests/data/units/SOURCES.md): laws with
//! articles and parts, regulations with points nested by their numbers, sub-points in letters
//! and numbers, Roman-numeral lists inside a point, quoted amendments, preambles and signatures.

use rulemaking::units::{Split, split};

fn read(name: &str) -> Split {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/units").join(name);
    split(&std::fs::read_to_string(&path).expect("fixture"))
}

fn outline(s: &Split) -> Vec<String> {
    s.units.iter().map(|u| format!("{}{} | {}", "  ".repeat(u.depth as usize), u.key, u.label)).collect()
}

#[track_caller]
fn check(name: &str, expected: &[&str]) -> Split {
    let s = read(name);
    assert_eq!(outline(&s), expected, "{name}");
    s
}

#[test]
fn a_chapter_with_points_and_a_list_of_sections_in_roman_numerals() {
    let s = check(
        "chuguevsky-requirements.txt",
        &["gl2 | Глава II", "  p1 | пункт 1", "    p1.1 | пункт 1.1", "    p1.2 | пункт 1.2"],
    );
    // The list that a point's colon opens stays in the point: its Roman numerals are not sections.
    assert!(
        s.units[3].text.contains("\nI. Общие положения.\nII. Требования") && s.units[3].text.contains("\nV. Порядок")
    );
}

#[test]
fn lettered_sub_points_under_a_two_part_point() {
    let s = check(
        "municipal-structure.txt",
        &[
            "p2.1 | пункт 2.1",
            "p2.2 | пункт 2.2",
            "  p2.2-a | подпункт «а» пункта 2.2",
            "  p2.2-b | подпункт «б» пункта 2.2",
            "  p2.2-v | подпункт «в» пункта 2.2",
            "  p2.2-g | подпункт «г» пункта 2.2",
            "  p2.2-d | подпункт «д» пункта 2.2",
        ],
    );
    assert!(s.preamble.is_empty());
}

#[test]
fn points_nested_by_their_numbers() {
    let s = check(
        "rostov-structure.txt",
        &[
            "p2.1 | пункт 2.1",
            "p2.2 | пункт 2.2",
            "  p2.2.1 | пункт 2.2.1",
            "  p2.2.2 | пункт 2.2.2",
            "  p2.2.3 | пункт 2.2.3",
            "  p2.2.4 | пункт 2.2.4",
            "  p2.2.5 | пункт 2.2.5",
            "p2.3 | пункт 2.3",
            "  p2.3.1 | пункт 2.3.1",
            "  p2.3.2 | пункт 2.3.2",
            "  p2.3.3 | пункт 2.3.3",
        ],
    );
    assert_eq!(s.preamble, "(в ред. постановления Правительства Ростовской области от 09.08.2018 N 498)");
}

#[test]
fn numbered_sub_points() {
    check(
        "adygea-structure.txt",
        &[
            "p1 | пункт 1",
            "p2 | пункт 2",
            "  p2-1 | подпункт 1 пункта 2",
            "  p2-2 | подпункт 2 пункта 2",
            "  p2-3 | подпункт 3 пункта 2",
            "  p2-4 | подпункт 4 пункта 2",
            "  p2-5 | подпункт 5 пункта 2",
        ],
    );
}

#[test]
fn an_article_s_parts() {
    let s = check(
        "federal-law-article.txt",
        &["st3 | Статья 3", "  st3-1 | часть 1 статьи 3", "  st3-2 | часть 2 статьи 3"],
    );
    assert_eq!(s.units[0].text, "Статья 3");
}

#[test]
fn the_signature_is_not_a_provision() {
    let s = check("leningrad-law-end.txt", &["p1 | пункт 1", "p2 | пункт 2"]);
    assert!(s.units[1].text.ends_with("в соответствие с настоящим областным законом."), "{}", s.units[1].text);
    assert_eq!(
        s.closing,
        "Губернатор\nЛенинградской области\nВ.Сердюков\nСанкт-Петербург\n20 октября 2003 года\nN 77-оз"
    );
}

#[test]
fn the_approving_lines_and_the_title_are_the_preamble() {
    let s = check("yakutia-regulation.txt", &["p1 | пункт 1", "  p1.1 | пункт 1.1"]);
    assert!(s.preamble.starts_with("Утвержден\n") && s.preamble.contains("АДМИНИСТРАТИВНЫЙ РЕГЛАМЕНТ"));
    assert!(!s.preamble.contains("1. Общие положения"));
}

#[test]
fn a_quoted_amendment_is_text_not_a_unit() {
    let s = check("orenburg-amendment.txt", &["p1 | пункт 1", "  p1.1 | пункт 1.1", "  p1.2 | пункт 1.2"]);
    assert!(s.units[1].text.ends_with(
        "«г) типовую форму административного регламентапредоставления государственной услуги согласно приложению № 4.»."
    ));
    assert!(s.preamble.contains("02.10.2017") && s.preamble.contains("№ 1308-п"), "the date line is no point");
}

#[test]
fn a_heading_without_a_number_before_points_is_the_preamble() {
    let s = check(
        "procedures-section.txt",
        &[
            "p33 | пункт 33",
            "  p33-a | подпункт «а» пункта 33",
            "  p33-b | подпункт «б» пункта 33",
            "  p33-v | подпункт «в» пункта 33",
            "  p33-g | подпункт «г» пункта 33",
            "p34 | пункт 34",
        ],
    );
    assert_eq!(s.preamble, "Состав административных процедур по предоставлению государственной услуги");
}

#[test]
fn points_written_without_a_space_after_the_dot() {
    let s = check("ryazan-decree.txt", &["p1 | пункт 1", "p2 | пункт 2"]);
    assert!(s.preamble.ends_with("постановляет:"));
}

#[test]
fn a_notice_has_no_units() {
    let s = read("kostroma-notice.txt");
    assert!(!s.structured(), "{:?}", outline(&s));
    assert!(s.preamble.contains("Срок предоставления предложений и замечаний до 23 июня 2012 года."));
}
