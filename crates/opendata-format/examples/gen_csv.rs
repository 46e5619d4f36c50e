//! Writes the benchmark's data file, its structure and the structure as a Table Schema
//! (`STRUCTURE.csv.schema.json`): `gen_csv BYTES DATA.csv STRUCTURE.csv [ERROR_EVERY]`. Seven columns, as a typical register of a body has: an integer id, an
//! ISO date, a Cyrillic region, a decimal amount, an integer count, a boolean flag and a comment
//! of which one in ten is quoted with a comma and doubled quotes. With ERROR_EVERY = n, every
//! n-th row has a wrong date, so the validator's speed on files full of errors is measured too.

use std::io::Write;

use opendata_format::{Field, FieldType, Structure};

const REGIONS: [&str; 6] = [
    "Томская область",
    "Новосибирская область",
    "Кемеровская область",
    "Алтайский край",
    "Омская область",
    "Республика Алтай",
];

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let usage = || std::io::Error::other("usage: gen_csv BYTES DATA.csv STRUCTURE.csv [ERROR_EVERY]");
    let size: u64 = args.get(1).and_then(|s| s.parse().ok()).ok_or_else(usage)?;
    let (data, structure) = (args.get(2).ok_or_else(usage)?, args.get(3).ok_or_else(usage)?);
    let every: u64 = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(0);
    let f =
        |name: &str, ru: &str, kind| Field { name: name.into(), en: name.into(), ru: ru.into(), kind, required: true };
    let s = Structure {
        fields: vec![
            f("id", "Номер", FieldType::Integer),
            f("date", "Дата", FieldType::Date),
            f("region", "Регион", FieldType::String { max_length: Some(100) }),
            f("amount", "Сумма", FieldType::Decimal),
            f("count", "Количество", FieldType::Integer),
            f("flag", "Признак", FieldType::Boolean),
            Field { required: false, ..f("comment", "Комментарий", FieldType::String { max_length: None }) },
        ],
        key: None,
    };
    std::fs::write(structure, s.to_csv())?;
    // The same structure as a Frictionless Table Schema, beside it, for the comparison.
    std::fs::write(format!("{structure}.schema.json"), s.table_schema().to_string())?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(data)?);
    let header = "id,date,region,amount,count,flag,comment\r\n";
    w.write_all(header.as_bytes())?;
    let mut written = header.len() as u64;
    let mut i: u64 = 0;
    let mut line = String::with_capacity(256);
    while written < size {
        i += 1;
        line.clear();
        let (month, day) = (i % 12 + 1, i % 28 + 1);
        let date = if every > 0 && i.is_multiple_of(every) {
            format!("{day:02}.{month:02}.2025")
        } else {
            format!("2025-{month:02}-{day:02}")
        };
        let comment = if i.is_multiple_of(10) {
            format!("\"Поступление, уточнено по заявке \"\"№ {i}\"\"\"")
        } else {
            format!("обычная запись {i}")
        };
        use std::fmt::Write as _;
        let _ = write!(
            line,
            "{i},{date},{},{}.{:02},{},{},{comment}\r\n",
            REGIONS[(i % 6) as usize],
            i * 37 % 1_000_000,
            i % 100,
            i % 1000,
            if i.is_multiple_of(2) { "true" } else { "false" }
        );
        w.write_all(line.as_bytes())?;
        written += line.len() as u64;
    }
    w.flush()
}
