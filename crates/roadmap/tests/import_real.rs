//! Plans of other bodies — the parts of their tables the sources show (fixtures/real, SOURCES.md)
//! — import as Word tables and as text with the measure and section counts checked by hand, and
//! with the shapes each shows: mechanism headings, numbering that restarts, a deadline column per
//! year, a numbered section row, executors on separate lines, header names other than the seeds'.

use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
use roadmap::file::read_plan;
use roadmap::import::ImportedPlan;

/// (file, its text, measures, sections) as counted by hand.
const PLANS: &[(&str, &str, usize, usize)] = &[
    ("rossotr-2020.tsv", include_str!("fixtures/real/rossotr-2020.tsv"), 3, 1),
    ("minkult-2018.tsv", include_str!("fixtures/real/minkult-2018.tsv"), 2, 1),
    ("od-plan-2014.tsv", include_str!("fixtures/real/od-plan-2014.tsv"), 2, 1),
    ("mtsensk-2020.tsv", include_str!("fixtures/real/mtsensk-2020.tsv"), 2, 0),
    ("barnaul-duma-2008.tsv", include_str!("fixtures/real/barnaul-duma-2008.tsv"), 5, 0),
    ("rospotreb-2017.tsv", include_str!("fixtures/real/rospotreb-2017.tsv"), 3, 1),
];

/// The table as Word keeps it: a row per line, a cell per tab, a paragraph per «⏎».
fn docx(tsv: &str) -> Vec<u8> {
    let rows: Vec<TableRow> = tsv
        .lines()
        .map(|l| {
            TableRow::new(
                l.split('\t')
                    .map(|c| {
                        c.split('⏎').fold(TableCell::new(), |cell, p| {
                            cell.add_paragraph(Paragraph::new().add_run(Run::new().add_text(p)))
                        })
                    })
                    .collect(),
            )
        })
        .collect();
    let mut out = std::io::Cursor::new(Vec::new());
    Docx::new().add_table(Table::new(rows)).build().pack(&mut out).expect("docx written");
    out.into_inner()
}

fn read(name: &str) -> ImportedPlan {
    let (_, tsv, _, _) = PLANS.iter().find(|(n, ..)| *n == name).expect("a fixture");
    read_plan(&name.replace(".tsv", ".docx"), &docx(tsv)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_real_plan_imports_with_its_counts_as_word_and_as_text() {
    for (name, tsv, measures, sections) in PLANS {
        let word = read(name);
        assert_eq!((word.measures.len(), word.sections.len()), (*measures, *sections), "{name} as .docx");
        assert!(word.unplaced.is_empty(), "{name}: {:?}", word.unplaced);
        let text = read_plan(&name.replace(".tsv", ".txt"), tsv.replace('⏎', " ").as_bytes()).expect("text");
        assert_eq!((text.measures.len(), text.sections.len()), (*measures, *sections), "{name} as .txt");
        for m in &word.measures {
            assert!(!m.text.is_empty() && !m.deadline.is_empty(), "{name} {}: text and deadline", m.number);
        }
    }
}

#[test]
fn a_deadline_column_per_year_is_one_schedule_with_a_date_per_year() {
    let plan = read("rossotr-2020.tsv");
    assert_eq!(plan.sections[0].number, "III");
    assert!(plan.sections[0].title.starts_with("Механизм: Принятие"), "{}", plan.sections[0].title);
    let m = &plan.measures[0];
    assert_eq!((m.number.as_str(), m.section.as_deref()), ("1.", Some("III")));
    assert_eq!(m.deadline, "25.03.2020; 25.03.2021");
    let s = deadlines::parse(&m.deadline).expect("read");
    let cal = deadlines::Calendar::federal();
    let after = deadlines::Date::new(2020, 1, 1).expect("date");
    let due: Vec<String> = s
        .next_due(&cal, after, 3, None, deadlines::DayOffPolicy::Keep)
        .expect("dates")
        .iter()
        .map(|d| d.date.date.to_string())
        .collect();
    assert_eq!(due, ["2020-03-25", "2021-03-25"]);
    assert_eq!(
        plan.measures[1].executors,
        "Управления Россотрудничества, Управление информационного сопровождения и взаимодействия с субъектами Российской Федерации - свод",
        "executors on two lines of a cell are two executors"
    );
}

#[test]
fn mechanism_headings_numbered_sections_and_other_header_names() {
    let culture = read("minkult-2018.tsv");
    assert_eq!(culture.sections[0].title, "Работа с референтными группами");
    assert!(culture.measures.iter().all(|m| m.section.as_deref() == Some("1")), "numbered by its place");
    assert_eq!(culture.measures[1].executors, "Н.В.Ромашова, Директора департаментов Минкультуры России");

    let open_data = read("od-plan-2014.tsv");
    assert_eq!(
        (open_data.sections[0].number.as_str(), open_data.sections[0].title.as_str()),
        ("5", "Формирование экосистемы открытых данных")
    );
    assert_eq!(open_data.measures[1].deadline, "Март 2015 г., далее на постоянной основе");
    assert!(open_data.measures[0].expected.as_deref().is_some_and(|e| e.starts_with("Актуализация раздела")));

    let mtsensk = read("mtsensk-2020.tsv");
    assert_eq!(mtsensk.measures[0].deadline, "13 марта 2020", "«Контрольные точки» is the deadline column");
    assert_eq!(mtsensk.measures[0].number, "1");

    let consumers = read("rospotreb-2017.tsv");
    assert_eq!(consumers.measures[0].deadline, "март 2017 года, март 2018 года соответственно");
    let due: Vec<String> = deadlines::parse(&consumers.measures[0].deadline)
        .expect("read")
        .next_due(
            &deadlines::Calendar::federal(),
            deadlines::Date::constant(2017, 1, 1),
            3,
            None,
            deadlines::DayOffPolicy::Keep,
        )
        .expect("dates")
        .iter()
        .map(|d| d.date.date.to_string())
        .collect();
    assert_eq!(due, ["2017-03-31", "2018-03-31"], "a month of each year, as the cell's two lines say");

    let duma = read("barnaul-duma-2008.tsv");
    assert!(duma.measures.iter().all(|m| m.executors.is_empty()), "no executors column");
    assert_eq!(duma.measures[4].deadline, "Еженедельно");
}

/// A table copied from Word as text breaks a cell with a line break over two lines (the deadline
/// cell of Kamchatka krai's reporting table, tests/corpus in the deadlines crate): the lines are
/// joined back and the join is noted for the preview.
#[test]
fn a_cell_broken_over_two_lines_is_joined_and_noted() {
    let text = "№ п/п\tМероприятие\tСрок\tОтветственный исполнитель\n\
                1.\tПредставление отчета\tдо 11 числа месяца\n\
                следующего за отчетным\tВилючинский городской округ\n\
                2.\tПредставление отчета\tдо 12 числа месяца следующего за отчетным\tУсть-Камчатский муниципальный район\n";
    let plan = roadmap::import::from_tab_rows(text).expect("read");
    assert_eq!(plan.measures.len(), 2);
    assert_eq!(plan.measures[0].deadline, "до 11 числа месяца следующего за отчетным");
    assert_eq!(plan.measures[0].executors, "Вилючинский городской округ");
    assert!(plan.unplaced.is_empty());
    assert!(plan.warnings.iter().any(|w| w.reason.contains("строки объединены")));
}
