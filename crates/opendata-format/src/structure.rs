//! A dataset's structure: its fields in column order, each with the name used in the data
//! file's header (Latin), English and Russian descriptions, a type and whether it is required.
//! The structure file of the standard (`structure-YYYYMMDDTHHMM.csv`) carries the first four;
//! the type vocabulary is ours (the recommendations give none — spec §2.6), written so a person
//! reads it: `string`, `string(255)`, `integer`, `decimal`, `date`, `datetime`, `boolean`, `url`,
//! `email`, `latitude`, `longitude` (coordinates in EPSG:4326).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldType {
    /// Text, optionally at most `max_length` characters.
    String {
        max_length: Option<u32>,
    },
    Integer,
    /// A number with an optional fractional part after a point.
    Decimal,
    /// ISO 8601 date, YYYY-MM-DD.
    Date,
    /// ISO 8601 date and time, YYYY-MM-DDTHH:MM[:SS][zone].
    DateTime,
    /// true/false (also 1/0).
    Boolean,
    Url,
    Email,
    /// Degrees north, −90…90, EPSG:4326.
    Latitude,
    /// Degrees east, −180…180, EPSG:4326.
    Longitude,
}

impl FieldType {
    /// Reads the type as written in a structure file or a form.
    pub fn parse(s: &str) -> Option<FieldType> {
        let s = s.trim().to_ascii_lowercase();
        Some(match s.as_str() {
            "string" | "text" => FieldType::String { max_length: None },
            "integer" | "int" => FieldType::Integer,
            "decimal" | "number" | "float" => FieldType::Decimal,
            "date" => FieldType::Date,
            "datetime" => FieldType::DateTime,
            "boolean" | "bool" => FieldType::Boolean,
            "url" => FieldType::Url,
            "email" => FieldType::Email,
            "latitude" => FieldType::Latitude,
            "longitude" => FieldType::Longitude,
            other => {
                let n = other.strip_prefix("string(").and_then(|r| r.strip_suffix(')'))?;
                FieldType::String { max_length: Some(n.trim().parse().ok().filter(|n| *n > 0)?) }
            }
        })
    }

    /// The name written in the structure file's `format` column.
    pub fn name(&self) -> String {
        match self {
            FieldType::String { max_length: None } => "string".into(),
            FieldType::String { max_length: Some(n) } => format!("string({n})"),
            FieldType::Integer => "integer".into(),
            FieldType::Decimal => "decimal".into(),
            FieldType::Date => "date".into(),
            FieldType::DateTime => "datetime".into(),
            FieldType::Boolean => "boolean".into(),
            FieldType::Url => "url".into(),
            FieldType::Email => "email".into(),
            FieldType::Latitude => "latitude".into(),
            FieldType::Longitude => "longitude".into(),
        }
    }

    /// What the type means, for people.
    pub fn ru(&self) -> String {
        match self {
            FieldType::String { max_length: None } => "текст".into(),
            FieldType::String { max_length: Some(n) } => format!("текст не длиннее {n} символов"),
            FieldType::Integer => "целое число".into(),
            FieldType::Decimal => "десятичное число с точкой".into(),
            FieldType::Date => "дата ГГГГ-ММ-ДД".into(),
            FieldType::DateTime => "дата и время ГГГГ-ММ-ДДTЧЧ:ММ".into(),
            FieldType::Boolean => "логическое значение true/false".into(),
            FieldType::Url => "ссылка http(s)://".into(),
            FieldType::Email => "адрес электронной почты".into(),
            FieldType::Latitude => "широта в градусах, EPSG:4326".into(),
            FieldType::Longitude => "долгота в градусах, EPSG:4326".into(),
        }
    }

    /// What the type means, in English.
    pub fn en(&self) -> String {
        match self {
            FieldType::String { max_length: None } => "text".into(),
            FieldType::String { max_length: Some(n) } => format!("text of at most {n} characters"),
            FieldType::Integer => "whole number".into(),
            FieldType::Decimal => "decimal number with a point".into(),
            FieldType::Date => "date YYYY-MM-DD".into(),
            FieldType::DateTime => "date and time YYYY-MM-DDTHH:MM".into(),
            FieldType::Boolean => "true/false".into(),
            FieldType::Url => "link http(s)://".into(),
            FieldType::Email => "e-mail address".into(),
            FieldType::Latitude => "latitude in degrees, EPSG:4326".into(),
            FieldType::Longitude => "longitude in degrees, EPSG:4326".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// The column name in the data file's header: Latin letters, digits, underscore.
    pub name: String,
    pub en: String,
    pub ru: String,
    pub kind: FieldType,
    pub required: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Structure {
    pub fields: Vec<Field>,
    /// The field whose value tells rows apart, when there is one: versions are compared by it.
    #[serde(default)]
    pub key: Option<String>,
}

impl Structure {
    /// Problems with the structure itself, as (field number from 1, message); empty when usable.
    pub fn problems(&self) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        if self.fields.is_empty() {
            out.push((0, "в структуре нет ни одного поля".into()));
        }
        if let Some(k) = &self.key
            && !self.fields.iter().any(|f| &f.name == k)
        {
            out.push((0, format!("ключ «{k}» — не поле этой структуры")));
        }
        for (i, f) in self.fields.iter().enumerate() {
            let n = i + 1;
            let latin = f.name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && f.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !latin {
                out.push((n, format!("поле {n}: имя «{}» — латинские буквы, цифры и «_», с буквы", f.name)));
            }
            if f.name.len() > 64 {
                out.push((n, format!("поле {n}: имя длиннее 64 символов")));
            }
            if self.fields[..i].iter().any(|g| g.name.eq_ignore_ascii_case(&f.name)) {
                out.push((n, format!("поле {n}: имя «{}» уже есть в структуре", f.name)));
            }
            if f.ru.trim().is_empty() {
                out.push((n, format!("поле {n} («{}»): нет описания на русском языке", f.name)));
            }
        }
        out
    }
}

impl Field {
    /// The field as a Frictionless Table Schema field descriptor.
    pub fn table_schema(&self) -> serde_json::Value {
        use serde_json::json;
        let (kind, mut constraints, format) = match self.kind {
            FieldType::String { max_length: Some(n) } => ("string", json!({ "maxLength": n }), None),
            FieldType::String { max_length: None } => ("string", json!({}), None),
            FieldType::Integer => ("integer", json!({}), None),
            FieldType::Decimal => ("number", json!({}), None),
            FieldType::Date => ("date", json!({}), None),
            FieldType::DateTime => ("datetime", json!({}), None),
            FieldType::Boolean => ("boolean", json!({}), None),
            FieldType::Url => ("string", json!({}), Some("uri")),
            FieldType::Email => ("string", json!({}), Some("email")),
            FieldType::Latitude => ("number", json!({ "minimum": -90, "maximum": 90 }), None),
            FieldType::Longitude => ("number", json!({ "minimum": -180, "maximum": 180 }), None),
        };
        if self.required {
            constraints["required"] = json!(true);
        }
        let mut out = json!({ "name": self.name, "title": self.ru, "description": self.en, "type": kind });
        if let Some(f) = format {
            out["format"] = json!(f);
        }
        if self.kind == FieldType::Boolean {
            out["trueValues"] = json!(["true", "True", "TRUE", "1"]);
            out["falseValues"] = json!(["false", "False", "FALSE", "0"]);
        }
        if constraints.as_object().is_some_and(|c| !c.is_empty()) {
            out["constraints"] = constraints;
        }
        out
    }
}

/// The header of a structure file.
pub const HEADER: [&str; 4] = ["field name", "english description", "russian description", "format"];

impl Structure {
    /// A first structure guessed from a sample CSV: the header gives the names, the values the
    /// narrowest type all of them fit (integer, decimal, date, datetime, boolean, url, email, else
    /// text); a column with no empty value in the sample is required. Staff then correct it.
    pub fn infer(sample: &[u8]) -> Result<Structure, String> {
        let rows = crate::csv::records(sample).map_err(|(line, e)| format!("строка {line}: {e}"))?;
        let Some(((_, header), rows)) = rows.split_first() else { return Err("файл пустой".into()) };
        let kinds = [
            FieldType::Integer,
            FieldType::Decimal,
            FieldType::Date,
            FieldType::DateTime,
            FieldType::Url,
            FieldType::Email,
        ];
        let fields = header
            .iter()
            .enumerate()
            .map(|(c, name)| {
                let values: Vec<&str> = rows.iter().filter_map(|(_, r)| r.get(c)).map(String::as_str).collect();
                let filled: Vec<&str> = values.iter().copied().filter(|v| !v.is_empty()).collect();
                let bool_word = |v: &str| v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false");
                let kind = if !filled.is_empty() && filled.iter().all(|v| bool_word(v)) {
                    FieldType::Boolean
                } else {
                    kinds
                        .iter()
                        .find(|k| {
                            !filled.is_empty() && filled.iter().all(|v| crate::check::cell(k, v.as_bytes()).is_none())
                        })
                        .copied()
                        .unwrap_or(FieldType::String { max_length: None })
                };
                // Coordinates look like any decimal; their usual column names tell them apart.
                let lower = name.trim().to_lowercase();
                let fits = |k: &FieldType| filled.iter().all(|v| crate::check::cell(k, v.as_bytes()).is_none());
                let kind = match lower.as_str() {
                    "lat" | "latitude" | "широта" if kind == FieldType::Decimal && fits(&FieldType::Latitude) => {
                        FieldType::Latitude
                    }
                    "lon" | "lng" | "longitude" | "долгота"
                        if kind == FieldType::Decimal && fits(&FieldType::Longitude) =>
                    {
                        FieldType::Longitude
                    }
                    _ => kind,
                };
                Field {
                    name: name.trim().to_string(),
                    en: name.trim().to_string(),
                    ru: name.trim().to_string(),
                    kind,
                    required: !values.is_empty() && filled.len() == values.len(),
                }
            })
            .collect();
        Ok(Structure { fields, key: None })
    }

    /// The structure as a Frictionless Table Schema.
    pub fn table_schema(&self) -> serde_json::Value {
        serde_json::json!({ "fields": self.fields.iter().map(Field::table_schema).collect::<Vec<_>>() })
    }

    /// The structure file (`structure-YYYYMMDDTHHMM.csv`): one row per column of the data file.
    pub fn to_csv(&self) -> String {
        let mut out = crate::csv::row(&HEADER);
        for f in &self.fields {
            out.push_str(&crate::csv::row(&[f.name.clone(), f.en.clone(), f.ru.clone(), f.kind.name()]));
        }
        out
    }

    /// Reads a structure file. The file says nothing of required fields: all are optional until
    /// staff say otherwise. Every problem is returned, each with its line.
    pub fn from_csv(bytes: &[u8]) -> Result<Structure, Vec<String>> {
        let rows = crate::csv::records(bytes).map_err(|(line, e)| vec![format!("строка {line}: {e}")])?;
        let Some(((_, header), rows)) = rows.split_first() else {
            return Err(vec!["файл структуры пустой".into()]);
        };
        if !header.iter().map(|h| h.trim().to_lowercase()).eq(HEADER.iter().map(|h| h.to_string())) {
            return Err(vec![format!(
                "строка 1: заголовок файла структуры — «{}», а в файле «{}»",
                HEADER.join(","),
                header.join(",")
            )]);
        }
        let mut errors = Vec::new();
        let mut fields = Vec::new();
        for (line, cells) in rows {
            if cells.len() != 4 {
                errors.push(format!("строка {line}: в строке {} значений, а нужно 4", cells.len()));
                continue;
            }
            let Some(kind) = FieldType::parse(&cells[3]) else {
                errors.push(format!("строка {line}: тип «{}» неизвестен", cells[3]));
                continue;
            };
            fields.push(Field {
                name: cells[0].trim().to_string(),
                en: cells[1].trim().to_string(),
                ru: cells[2].trim().to_string(),
                kind,
                required: false,
            });
        }
        let structure = Structure { fields, key: None };
        errors.extend(structure.problems().into_iter().map(|(_, e)| e));
        if errors.is_empty() { Ok(structure) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_structure_file_round_trips() {
        let s = Structure {
            fields: vec![
                Field {
                    name: "id".into(),
                    en: "Number".into(),
                    ru: "Номер".into(),
                    kind: FieldType::Integer,
                    required: false,
                },
                Field {
                    name: "name".into(),
                    en: "Name, full".into(),
                    ru: "Полное «наименование»".into(),
                    kind: FieldType::String { max_length: Some(500) },
                    required: false,
                },
            ],
            key: None,
        };
        let csv = s.to_csv();
        assert_eq!(
            csv,
            "field name,english description,russian description,format\r\nid,Number,Номер,integer\r\n\
             name,\"Name, full\",Полное «наименование»,string(500)\r\n"
        );
        assert_eq!(Structure::from_csv(csv.as_bytes()), Ok(s));
        let bad = Structure::from_csv(
            "field name,english description,russian description,format\nid,N,Номер,varchar(2)\n".as_bytes(),
        );
        assert_eq!(
            bad,
            Err(vec![
                "строка 2: тип «varchar(2)» неизвестен".to_string(),
                "в структуре нет ни одного поля".to_string()
            ])
        );
    }

    #[test]
    fn a_structure_is_guessed_from_a_sample() {
        let sample = "id,name,opened,share,site,flag,note\r\n1,Центр,2019-09-01,12.5,https://a.example,true,\r\n\
                      2,\"Приют, 2\",2020-01-31,7,https://b.example,false,есть\r\n";
        let s = Structure::infer(sample.as_bytes()).expect("infer");
        let kinds: Vec<String> = s.fields.iter().map(|f| f.kind.name()).collect();
        assert_eq!(kinds, ["integer", "string", "date", "decimal", "url", "boolean", "string"]);
        let required: Vec<bool> = s.fields.iter().map(|f| f.required).collect();
        assert_eq!(required, [true, true, true, true, true, true, false]);
        assert!(Structure::infer(b"").is_err());
    }

    #[test]
    fn type_names_read_back() {
        for t in [
            FieldType::String { max_length: None },
            FieldType::String { max_length: Some(255) },
            FieldType::Integer,
            FieldType::Decimal,
            FieldType::Date,
            FieldType::DateTime,
            FieldType::Boolean,
            FieldType::Url,
            FieldType::Email,
            FieldType::Latitude,
            FieldType::Longitude,
        ] {
            assert_eq!(FieldType::parse(&t.name()), Some(t));
        }
        assert_eq!(FieldType::parse(" String(10) "), Some(FieldType::String { max_length: Some(10) }));
        assert_eq!(FieldType::parse("string(0)"), None);
        assert_eq!(FieldType::parse("varchar(2)"), None);
    }

    #[test]
    fn a_structure_names_its_problems() {
        let f = |name: &str, ru: &str| Field {
            name: name.into(),
            en: String::new(),
            ru: ru.into(),
            kind: FieldType::Integer,
            required: false,
        };
        let s = Structure {
            fields: vec![f("Id", "Номер"), f("id", "Ещё"), f("1x", "Икс"), f("name", " ")], key: None
        };
        let p: Vec<usize> = s.problems().into_iter().map(|(n, _)| n).collect();
        assert_eq!(p, vec![2, 3, 4]);
        assert!(Structure::default().problems()[0].1.contains("нет ни одного поля"));
    }
}
