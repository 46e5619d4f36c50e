//! The validator on files people actually send: right ones in every accepted shape, and each
//! kind of wrong one, with the line, column and Russian message a person needs to fix it.

use opendata_format::{Field, FieldType, Issue, Report, Structure, validate};

fn field(name: &str, ru: &str, kind: FieldType, required: bool) -> Field {
    Field { name: name.into(), en: name.into(), ru: ru.into(), kind, required }
}

/// The subordinate organisations of a department: the demo's first dataset.
fn organisations() -> Structure {
    Structure {
        fields: vec![
            field("id", "Номер", FieldType::Integer, true),
            field("name", "Наименование", FieldType::String { max_length: Some(200) }, true),
            field("opened", "Дата открытия", FieldType::Date, false),
            field("beds", "Мест", FieldType::Integer, false),
            field("lat", "Широта", FieldType::Latitude, false),
            field("lon", "Долгота", FieldType::Longitude, false),
            field("site", "Сайт", FieldType::Url, false),
        ],
        key: None,
    }
}

const HEADER: &str = "id,name,opened,beds,lat,lon,site";

fn run(structure: &Structure, bytes: &[u8]) -> (Report, Vec<Issue>) {
    let mut all = Vec::new();
    let report = validate(structure, bytes, 100, &mut |i| all.push(i.clone())).expect("in memory");
    (report, all)
}

fn one(bytes: &str) -> Issue {
    let (report, all) = run(&organisations(), bytes.as_bytes());
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(report.issues, all);
    all.into_iter().next().expect("one issue")
}

#[test]
fn right_files_in_every_accepted_shape() {
    let rows = "1,\"Центр «Надежда», г. Томск\",2019-09-01,120,56.4846,84.9476,https://nadezhda.tomsk.example\r\n\
                2,\"Приют \"\"Маяк\"\"\nкорпус 2\",,,,,\r\n\
                3,Дом-интернат,2001-02-28,,56.5,85.0,\r\n";
    for text in [
        format!("{HEADER}\r\n{rows}"),
        format!("\u{feff}{HEADER}\r\n{rows}"),
        format!("{HEADER}\n{}", rows.replace("\r\n", "\n")),
        format!("{HEADER}\r\n{}", rows.trim_end()),
    ] {
        let (report, all) = run(&organisations(), text.as_bytes());
        assert!(report.valid(), "{all:#?}");
        assert_eq!(report.rows, 3);
        assert_eq!(report.bytes, text.len() as u64);
    }
}

#[test]
fn a_wrong_cell_is_named_by_line_column_and_field() {
    let i = one(&format!("{HEADER}\r\n1,Центр,2019-09-01,сто,56.4,84.9,\r\n"));
    assert_eq!((i.line, i.column, i.field.as_str(), i.code), (2, Some(4), "beds", "type"));
    assert_eq!(i.message, "«сто» — ожидается целое число");
    let i = one(&format!("{HEADER}\r\n1,Центр,,,,,\r\n2,Центр,31.12.2019,,,,\r\n"));
    assert_eq!((i.line, i.column), (3, Some(3)));
    assert!(i.message.contains("ГГГГ-ММ-ДД"), "{}", i.message);
    // A quoted cell with a line break inside moves the line numbers on.
    let i = one(&format!("{HEADER}\r\n1,\"две\r\nстроки\",,,,,\r\n2,Центр,,,95.1,,\r\n"));
    assert_eq!((i.line, i.column, i.field.as_str()), (4, Some(5), "lat"));
    let i = one(&format!("{HEADER}\r\n,Центр,,,,,\r\n"));
    assert_eq!((i.code, i.column), ("required", Some(1)));
    assert_eq!(i.message, "обязательное поле «Номер» не заполнено");
    let long = "Ц".repeat(201);
    let i = one(&format!("{HEADER}\r\n1,{long},,,,,\r\n"));
    assert!(i.message.contains("длиной 201 символов"), "{}", i.message);
}

#[test]
fn broken_rows_and_quotes_are_reported_and_checking_goes_on() {
    let i = one(&format!("{HEADER}\r\n1,Центр,,,\r\n"));
    assert_eq!((i.line, i.code), (2, "field_count"));
    assert_eq!(i.message, "в строке 5 значений, а в структуре 7 полей");
    let i = one(&format!("{HEADER}\r\n1,Центр \"Надежда\",,,,,\r\n2,Приют,,,,,\r\n"));
    assert_eq!((i.line, i.column, i.code), (2, Some(2), "bare_quote"));
    let i = one(&format!("{HEADER}\r\n1,\"Центр\" Надежда,,,,,\r\n2,Приют,,,,,\r\n"));
    assert_eq!((i.line, i.column, i.code), (2, Some(2), "text_after_quote"));
    let i = one(&format!("{HEADER}\r\n1,Центр,,,,,\r\n\r\n2,Приют,,,,,\r\n"));
    assert_eq!((i.line, i.code), (3, "empty_line"));
    let (report, all) = run(&organisations(), format!("{HEADER}\r\n1,\"Центр,,,,,\r\n2,Приют,,,,,\r\n").as_bytes());
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].line, all[0].code, report.stopped), (2, "unclosed_quote", true));
}

#[test]
fn the_file_as_a_whole_wrong_encoding_delimiter_or_header() {
    let cp1251 = encoding_rs::WINDOWS_1251
        .encode(&format!("{HEADER}\r\n1,Областной реабилитационный центр для детей и подростков,,,,,\r\n"))
        .0
        .into_owned();
    let (report, all) = run(&organisations(), &cp1251);
    assert_eq!((all.len(), report.stopped, all[0].code), (1, true, "encoding"));
    assert!(all[0].message.contains("windows-1251") && all[0].message.contains("UTF-8"), "{}", all[0].message);

    let i = one(&format!("{}\r\n1;Центр;;;;;\r\n", HEADER.replace(',', ";")));
    assert_eq!((i.line, i.code), (1, "delimiter"));
    assert_eq!(i.message, "разделитель значений — точка с запятой, а нужна запятая");
    let i = one("id,name,opened,beds,lat,lon\r\n1,Центр,,,,\r\n");
    assert_eq!(i.message, "заголовок не совпадает со структурой: нет столбцов «site»");
    let i = one("id,name,opened,beds,lat,lon,site,phone\r\n");
    assert!(i.message.contains("лишние столбцы «phone»"), "{}", i.message);
    let i = one("name,id,opened,beds,lat,lon,site\r\n");
    assert!(i.message.contains("не в том порядке"), "{}", i.message);
    let i = one("");
    assert_eq!(i.code, "empty_file");
}

/// A reader that hands out a few bytes at a time, as a slow network would.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn the_verdict_does_not_depend_on_how_the_bytes_arrive() {
    // About 1.5 MB: several buffers, records with line breaks and doubled quotes across their
    // edges, one cell longer than a buffer, and an error every 997 rows.
    let mut text = format!("{HEADER}\r\n");
    for i in 1..=12_000u32 {
        let beds = if i % 997 == 0 { "много".to_string() } else { (i % 300).to_string() };
        let name = if i % 5 == 0 {
            format!("\"Центр \"\"№ {i}\"\",\nкорпус {}\"", i % 7)
        } else {
            format!("Центр {i}")
        };
        text.push_str(&format!("{i},{name},2020-01-{:02},{beds},56.{i},84.9,\r\n", i % 28 + 1));
    }
    text.push_str(&format!("12001,\"{}\",,,,,\r\n", "длинное ".repeat(40_000)));
    let structure = Structure {
        fields: organisations()
            .fields
            .into_iter()
            .map(|f| if f.name == "name" { Field { kind: FieldType::String { max_length: None }, ..f } } else { f })
            .collect(),
        key: None,
    };
    let (whole, _) = run(&structure, text.as_bytes());
    assert_eq!(whole.rows, 12_001);
    assert_eq!(whole.errors, 12);
    assert_eq!(whole.issues.iter().map(|i| i.line).collect::<Vec<_>>()[..2], [997 + 1 + 199, 1994 + 1 + 398]);
    for step in [1, 7, 4096, 300_000] {
        let mut n = 0;
        let r = validate(&structure, Trickle { data: text.as_bytes(), step }, 100, &mut |_| n += 1).expect("read");
        assert_eq!(r, whole, "read {step} bytes at a time");
        assert_eq!(n, 12);
    }
}

#[test]
fn a_file_full_of_errors_keeps_the_first_hundred_and_counts_all() {
    let mut text = format!("{HEADER}\n");
    for i in 0..5000 {
        text.push_str(&format!("x{i},Центр,,,,,\n"));
    }
    let mut seen = 0u64;
    let r = validate(&organisations(), text.as_bytes(), 100, &mut |_| seen += 1).expect("read");
    assert_eq!((r.errors, seen, r.issues.len(), r.rows), (5000, 5000, 100, 5000));
    assert_eq!(r.issues[99].line, 101);
}
