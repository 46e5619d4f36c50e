//! The .xlsx path: a spreadsheet made from the seed 002 table during the test (stages as
//! numbers, as Excel stores them) imports every measure as the text does.

use roadmap::file::{FileError, read_plan};
use rust_xlsxwriter::Workbook;

fn xlsx_from_seed(text: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.iter().position(|l| l.starts_with("п/п")).expect("header");
    for (r, line) in lines[header..].iter().enumerate() {
        for (c, cell) in line.split('\t').enumerate() {
            let (row, col) = (r as u32, c as u16);
            match cell.trim().parse::<f64>() {
                Ok(n) if c == 2 => sheet.write_number(row, col, n).map(|_| ()),
                _ if cell.is_empty() => Ok(()),
                _ => sheet.write_string(row, col, cell).map(|_| ()),
            }
            .expect("cell written");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

#[test]
fn seed_002_as_a_spreadsheet_imports_every_measure() {
    let txt = read_plan("002.txt", include_str!("fixtures/002.txt").as_bytes()).expect("text");
    let xlsx = read_plan("002.xlsx", &xlsx_from_seed(include_str!("fixtures/002.txt"))).expect("spreadsheet");
    assert_eq!(xlsx.measures.len(), 91);
    assert_eq!(xlsx.sections, txt.sections);
    for (a, b) in xlsx.measures.iter().zip(&txt.measures) {
        assert_eq!(
            (&a.number, &a.section, &a.text, a.stage, &a.deadline, &a.executors),
            (&b.number, &b.section, &b.text, b.stage, &b.deadline, &b.executors)
        );
    }
}

#[test]
fn a_broken_spreadsheet_is_refused() {
    assert!(matches!(read_plan("plan.xlsx", b"not a workbook"), Err(FileError::NotAPlan(_))));
}
