//! The machine-readable files of an open-data section (spec §2.4–2.7): the registry
//! `list.csv`, a dataset's passport `meta.csv`, and the names of its versioned files. Absolute
//! URLs everywhere, CSV per RFC 4180 (UTF-8 without BOM, comma, CRLF).

use crate::csv::row;

/// The standard's URI, the first row of every registry and passport.
pub const STANDARD: &str = "http://opendata.gosmonitor.ru/standard/3.0";

/// A version timestamp as file names carry it: YYYYMMDDTHHMM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    pub hour: i8,
    pub minute: i8,
}

impl Stamp {
    pub fn parse(s: &str) -> Option<Stamp> {
        let b = s.as_bytes();
        if b.len() != 13 || b[8] != b'T' || !b.iter().enumerate().all(|(i, c)| i == 8 || c.is_ascii_digit()) {
            return None;
        }
        let n = |r: std::ops::Range<usize>| s[r].parse::<i16>().ok();
        let stamp = Stamp {
            year: n(0..4)?,
            month: n(4..6)? as i8,
            day: n(6..8)? as i8,
            hour: n(9..11)? as i8,
            minute: n(11..13)? as i8,
        };
        let valid = (1..=12).contains(&stamp.month)
            && (1..=31).contains(&stamp.day)
            && (0..=23).contains(&stamp.hour)
            && (0..=59).contains(&stamp.minute);
        valid.then_some(stamp)
    }

    /// The stamp one minute later (used when a minute is already taken).
    pub fn next_minute(self) -> Stamp {
        let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0;
        let days = match self.month {
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 31,
        };
        let mut s = self;
        s.minute += 1;
        if s.minute == 60 {
            (s.minute, s.hour) = (0, s.hour + 1);
        }
        if s.hour == 24 {
            (s.hour, s.day) = (0, s.day + 1);
        }
        if s.day > days {
            (s.day, s.month) = (1, s.month + 1);
        }
        if s.month == 13 {
            (s.month, s.year) = (1, s.year + 1);
        }
        s
    }

    /// The date part as passports write dates: YYYYMMDD.
    pub fn date(&self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

impl std::fmt::Display for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}{:02}{:02}T{:02}{:02}", self.year, self.month, self.day, self.hour, self.minute)
    }
}

/// `data-<data stamp>-structure-<structure stamp>`, the key of a data version (the file adds `.csv`).
pub fn data_name(data: Stamp, structure: Stamp) -> String {
    format!("data-{data}-structure-{structure}")
}

pub fn structure_name(structure: Stamp) -> String {
    format!("structure-{structure}")
}

/// Checks a dataset identifier `<INN>-<name>`: ten digits, a hyphen, then Latin letters, digits,
/// hyphens and underscores starting with a letter or digit (spec §2.3). The INN's check digit is
/// the caller's to verify. Returns the Russian reason when it does not fit.
pub fn identifier_problem(id: &str) -> Option<String> {
    let Some((inn, name)) = id.split_once('-') else {
        return Some(format!("«{id}» — идентификатор пишется как ИНН-название, например 7017000000-subdivisions"));
    };
    if inn.len() != 10 || !inn.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("«{id}» — идентификатор начинается с ИНН органа из 10 цифр"));
    }
    let ok = name.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && name.len() <= 100;
    (!ok).then(|| format!("«{name}» — название набора: латинские буквы, цифры, «-» и «_», до 100 знаков"))
}

/// One registry row.
pub struct Listed<'a> {
    pub identifier: &'a str,
    pub title: &'a str,
    /// Absolute URL of the passport (`…/opendata/<id>/meta.csv`).
    pub passport: String,
    pub format: &'a str,
}

/// `list.csv`: the registry of the section's datasets.
pub fn list_csv(items: &[Listed<'_>]) -> String {
    let mut out = row(&["property", "title", "value", "format"]);
    out.push_str(&row(&["standardversion", "Версия методических рекомендаций", STANDARD, ""]));
    for i in items {
        out.push_str(&row(&[i.identifier, i.title, &i.passport, i.format]));
    }
    out
}

/// What a passport says, with absolute URLs of every version, oldest first.
pub struct Passport<'a> {
    pub identifier: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub creator: &'a str,
    /// First publication.
    pub created: Stamp,
    /// The newest version.
    pub modified: Stamp,
    pub subject: &'a str,
    pub format: &'a str,
    pub provenance: &'a str,
    /// YYYYMMDD, or empty.
    pub valid: String,
    pub publisher_name: &'a str,
    pub publisher_phone: &'a str,
    pub publisher_mbox: &'a str,
    pub data: Vec<DataEntry>,
    /// (structure stamp, absolute URL)
    pub structures: Vec<(Stamp, String)>,
}

/// One data version in a passport.
pub struct DataEntry {
    pub stamp: Stamp,
    pub structure: Stamp,
    /// Absolute URL of the file.
    pub url: String,
    pub provenance: String,
    /// YYYYMMDD, or empty.
    pub valid: String,
}

/// `meta.csv`, in the order compliant publishers emit (spec §2.5).
pub fn meta_csv(p: &Passport<'_>) -> String {
    let mut out = row(&["property", "value"]);
    let created = p.created.date();
    let modified = p.modified.date();
    for (k, v) in [
        ("standardversion", STANDARD),
        ("identifier", p.identifier),
        ("title", p.title),
        ("description", p.description),
        ("creator", p.creator),
        ("created", &created),
        ("modified", &modified),
        ("subject", p.subject),
        ("format", p.format),
        ("provenance", p.provenance),
        ("valid", &p.valid),
        ("publishername", p.publisher_name),
        ("publisherphone", p.publisher_phone),
        ("publishermbox", p.publisher_mbox),
    ] {
        out.push_str(&row(&[k, v]));
    }
    for d in &p.data {
        out.push_str(&row(&[&data_name(d.stamp, d.structure), d.url.as_str()]));
    }
    for (s, url) in &p.structures {
        out.push_str(&row(&[&structure_name(*s), url.as_str()]));
    }
    out
}

/// Text for XML: the five special characters escaped, characters XML 1.0 cannot carry dropped.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn element(out: &mut String, indent: usize, name: &str, value: &str) {
    out.push_str(&format!("{}<{name}>{}</{name}>\n", "  ".repeat(indent), xml_escape(value)));
}

/// `list.xml`: the registry as XML (spec §2.9).
pub fn list_xml(items: &[Listed<'_>]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<list>\n");
    element(&mut out, 1, "standardversion", STANDARD);
    out.push_str("  <meta>\n");
    for i in items {
        out.push_str("    <item>\n");
        element(&mut out, 3, "identifier", i.identifier);
        element(&mut out, 3, "title", i.title);
        element(&mut out, 3, "link", &i.passport);
        element(&mut out, 3, "format", i.format);
        out.push_str("    </item>\n");
    }
    out.push_str("  </meta>\n</list>\n");
    out
}

/// `meta.xml`: the passport as XML, every data and structure version with its details (§2.9).
pub fn meta_xml(p: &Passport<'_>) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<meta>\n");
    for (k, v) in [
        ("standardversion", STANDARD.to_string()),
        ("identifier", p.identifier.to_string()),
        ("title", p.title.to_string()),
        ("description", p.description.to_string()),
        ("creator", p.creator.to_string()),
        ("created", p.created.date()),
        ("modified", p.modified.date()),
        ("subject", p.subject.to_string()),
        ("format", p.format.to_string()),
    ] {
        element(&mut out, 1, k, &v);
    }
    out.push_str("  <data>\n");
    for d in &p.data {
        out.push_str("    <dataversion>\n");
        element(&mut out, 3, "source", &d.url);
        element(&mut out, 3, "created", &d.stamp.to_string());
        element(&mut out, 3, "provenance", &d.provenance);
        element(&mut out, 3, "valid", &d.valid);
        element(&mut out, 3, "structure", &d.structure.to_string());
        out.push_str("    </dataversion>\n");
    }
    out.push_str("  </data>\n  <structure>\n");
    for (s, url) in &p.structures {
        out.push_str("    <structureversion>\n");
        element(&mut out, 3, "source", url);
        element(&mut out, 3, "created", &s.to_string());
        out.push_str("    </structureversion>\n");
    }
    out.push_str("  </structure>\n  <publisher>\n");
    element(&mut out, 2, "name", p.publisher_name);
    element(&mut out, 2, "phone", p.publisher_phone);
    element(&mut out, 2, "mbox", p.publisher_mbox);
    out.push_str("  </publisher>\n</meta>\n");
    out
}

/// `meta.json`: the same tree as `meta.xml` (§2.10).
pub fn meta_json(p: &Passport<'_>) -> serde_json::Value {
    serde_json::json!({
        "standardversion": STANDARD,
        "identifier": p.identifier,
        "title": p.title,
        "description": p.description,
        "creator": p.creator,
        "created": p.created.date(),
        "modified": p.modified.date(),
        "subject": p.subject,
        "format": p.format,
        "data": p.data.iter().map(|d| serde_json::json!({
            "source": d.url, "created": d.stamp.to_string(), "provenance": d.provenance, "valid": d.valid,
            "structure": d.structure.to_string(),
        })).collect::<Vec<_>>(),
        "structure": p.structures.iter().map(|(s, url)| serde_json::json!({ "source": url, "created": s.to_string() }))
            .collect::<Vec<_>>(),
        "publisher": { "name": p.publisher_name, "phone": p.publisher_phone, "mbox": p.publisher_mbox },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_and_identifiers() {
        let s = Stamp::parse("20260301T0905").expect("stamp");
        assert_eq!((s.to_string(), s.date()), ("20260301T0905".to_string(), "20260301".to_string()));
        for bad in ["20261301T0905", "20260301T2400", "2026-03-01T09", "20260301 0905"] {
            assert_eq!(Stamp::parse(bad), None, "{bad}");
        }
        assert_eq!(data_name(s, s), "data-20260301T0905-structure-20260301T0905");
        let last = Stamp::parse("20241231T2359").expect("stamp").next_minute();
        assert_eq!(last.to_string(), "20250101T0000");
        assert_eq!(Stamp::parse("20240228T2359").expect("stamp").next_minute().to_string(), "20240229T0000");
        assert_eq!(identifier_problem("7017000000-subdivisions"), None);
        assert_eq!(identifier_problem("7017000000-Social_Org-2"), None);
        assert!(identifier_problem("701700000-x").is_some_and(|m| m.contains("10 цифр")));
        assert!(identifier_problem("7017000000-организации").is_some_and(|m| m.contains("латинские")));
        assert!(identifier_problem("7017000000--x").is_some());
        assert!(identifier_problem("subdivisions").is_some());
    }
}
