//! Reading other publishers' registries and passports (standard 3.0) as they are found in the
//! wild: `list.csv`, and a passport as `meta.csv` (the `property,value` form and the
//! `property,title,value` form) or `meta.json`. Real files deviate (spec §2.7, §2.16): dates
//! with dashes or dots or without a time, upper-case formats, a misspelt `strucrure`, LF line
//! ends, a missing last line end. The reader takes those and keeps the meaning; our writers
//! (`registry`) never repeat them, so a harvested passport re-exported by us reads back the same.

use crate::registry::{self, DataEntry, Passport, Stamp};

/// One row of a registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem {
    pub identifier: String,
    pub title: String,
    /// The passport's address.
    pub link: String,
    pub format: String,
}

/// A registry as read: the standard it names and its datasets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct List {
    pub standard: String,
    pub items: Vec<ListItem>,
}

/// One data version a passport lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub stamp: Stamp,
    pub structure: Stamp,
    pub url: String,
    /// Only JSON and XML passports give these per version.
    pub provenance: String,
    pub valid: String,
}

/// A passport as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Harvested {
    pub standard: String,
    pub identifier: String,
    pub title: String,
    pub description: String,
    pub creator: String,
    pub created: Option<Stamp>,
    pub modified: Option<Stamp>,
    pub subject: String,
    /// Lower case, as the standard writes it.
    pub format: String,
    pub provenance: String,
    /// YYYYMMDD or empty.
    pub valid: String,
    pub publisher_name: String,
    pub publisher_phone: String,
    pub publisher_mbox: String,
    /// Oldest first.
    pub data: Vec<Version>,
    pub structures: Vec<(Stamp, String)>,
}

/// A date or a moment in any of the shapes publishers use: `YYYYMMDDTHHMM`, `YYYYMMDD`,
/// `YYYY-MM-DD`, `YYYY-MM-DDTHH-MM` (or `:`), `DD.MM.YYYY` with an optional `HH:MM[:SS]`, and
/// `YYYYMMDDTHHMMSS`. Seconds are dropped; a date alone is midnight.
pub fn loose_stamp(s: &str) -> Option<Stamp> {
    let s = s.trim();
    if let Some(st) = Stamp::parse(s) {
        return Some(st);
    }
    let (date, time) = if s.contains('.') {
        // DD.MM.YYYY[ HH:MM[:SS]]
        let (d, t) = s.split_once(' ').unwrap_or((s, ""));
        let mut parts = d.split('.');
        let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
        (format!("{year:0>4}{month:0>2}{day:0>2}"), t.chars().filter(char::is_ascii_digit).collect::<String>())
    } else {
        let (d, t) = match s.find(['T', ' ']) {
            Some(i) => (&s[..i], &s[i + 1..]),
            None => (s, ""),
        };
        (d.chars().filter(char::is_ascii_digit).collect(), t.chars().filter(char::is_ascii_digit).collect())
    };
    if date.len() != 8 {
        return None;
    }
    let hhmm = match time.len() {
        0 => "0000".to_string(),
        4 | 6 => time[..4].to_string(),
        _ => return None,
    };
    Stamp::parse(&format!("{date}T{hhmm}"))
}

/// The (data, structure) stamps of a version name like `data-2019-07-19-structure-2017-11-23`.
fn version_name(name: &str) -> Option<(Stamp, Stamp)> {
    let rest = name.strip_prefix("data-")?;
    let (d, s) = rest.split_once("-structure-").or_else(|| rest.split_once("-strucrure-"))?;
    Some((loose_stamp(d)?, loose_stamp(s)?))
}

fn structure_name(name: &str) -> Option<Stamp> {
    loose_stamp(name.strip_prefix("structure-").or_else(|| name.strip_prefix("strucrure-"))?)
}

/// Reads a registry `list.csv`.
pub fn read_list_csv(bytes: &[u8]) -> Result<List, String> {
    let rows = crate::csv::records(bytes).map_err(|(line, e)| format!("строка {line}: {e}"))?;
    let mut rows = rows.into_iter().map(|(_, cells)| cells);
    let header = rows.next().ok_or("файл пустой")?;
    if header.first().map(|h| h.trim()) != Some("property") || header.len() < 3 {
        return Err("это не реестр: первая строка должна начинаться с property,title,value".into());
    }
    let mut list = List { standard: String::new(), items: Vec::new() };
    for cells in rows {
        let cell = |i: usize| cells.get(i).map(|c| c.trim().to_string()).unwrap_or_default();
        if cell(0).is_empty() {
            continue;
        }
        if cell(0) == "standardversion" {
            list.standard = cell(2);
            continue;
        }
        list.items.push(ListItem {
            identifier: cell(0),
            title: cell(1),
            link: cell(2),
            format: cell(3).to_lowercase(),
        });
    }
    Ok(list)
}

impl Harvested {
    fn set(&mut self, key: &str, value: String) -> bool {
        match key {
            "standardversion" => self.standard = value,
            "identifier" => self.identifier = value,
            "title" => self.title = value,
            "description" => self.description = value,
            "creator" => self.creator = value,
            "created" => self.created = loose_stamp(&value),
            "modified" => self.modified = loose_stamp(&value),
            "subject" => self.subject = value,
            "format" => self.format = value.to_lowercase(),
            "provenance" => self.provenance = value,
            "valid" => self.valid = loose_stamp(&value).map(|s| s.date()).unwrap_or_default(),
            "publishername" => self.publisher_name = value,
            "publisherphone" => self.publisher_phone = value,
            "publishermbox" => self.publisher_mbox = value,
            _ => return false,
        }
        true
    }

    /// Puts versions in order and makes the two places a passport may give the last change's
    /// provenance and validity agree: the passport's own (meta.csv) and its newest version's
    /// (meta.json, meta.xml).
    fn settle(&mut self) {
        self.data.sort_by_key(|v| v.stamp);
        self.structures.sort_by_key(|(s, _)| *s);
        if let Some(newest) = self.data.last_mut() {
            for (own, version) in [(&mut self.provenance, &mut newest.provenance), (&mut self.valid, &mut newest.valid)]
            {
                if own.is_empty() {
                    own.clone_from(version);
                } else if version.is_empty() {
                    version.clone_from(own);
                }
            }
        }
    }

    /// The passport as our writers take it; None without the dates a passport needs.
    pub fn passport(&self) -> Option<Passport<'_>> {
        Some(Passport {
            identifier: &self.identifier,
            title: &self.title,
            description: &self.description,
            creator: &self.creator,
            created: self.created?,
            modified: self.modified?,
            subject: &self.subject,
            format: &self.format,
            provenance: &self.provenance,
            valid: self.valid.clone(),
            publisher_name: &self.publisher_name,
            publisher_phone: &self.publisher_phone,
            publisher_mbox: &self.publisher_mbox,
            data: self
                .data
                .iter()
                .map(|v| DataEntry {
                    stamp: v.stamp,
                    structure: v.structure,
                    url: v.url.clone(),
                    provenance: v.provenance.clone(),
                    valid: v.valid.clone(),
                })
                .collect(),
            structures: self.structures.clone(),
        })
    }
}

/// Reads a passport `meta.csv` (`property,value` or `property,title,value`).
pub fn read_meta_csv(bytes: &[u8]) -> Result<Harvested, String> {
    let rows = crate::csv::records(bytes).map_err(|(line, e)| format!("строка {line}: {e}"))?;
    let mut rows = rows.into_iter().map(|(_, cells)| cells);
    let header = rows.next().ok_or("файл пустой")?;
    let value_at = match header.iter().map(|h| h.trim()).collect::<Vec<_>>().as_slice() {
        ["property", "value", ..] => 1,
        ["property", "title", "value", ..] => 2,
        _ => {
            return Err(
                "это не паспорт набора: первая строка должна быть property,value или property,title,value".into()
            );
        }
    };
    let mut h = Harvested::default();
    for cells in rows {
        let key = cells.first().map(|k| k.trim()).unwrap_or_default();
        let value = cells.get(value_at).map(|v| v.trim().to_string()).unwrap_or_default();
        if key.is_empty() || h.set(key, value.clone()) {
            continue;
        }
        if let Some((stamp, structure)) = version_name(key) {
            h.data.push(Version { stamp, structure, url: value, provenance: String::new(), valid: String::new() });
        } else if let Some(stamp) = structure_name(key) {
            h.structures.push((stamp, value));
        }
    }
    if h.identifier.is_empty() {
        return Err("в паспорте нет идентификатора набора (identifier)".into());
    }
    h.settle();
    Ok(h)
}

/// Reads a passport `meta.json`.
pub fn read_meta_json(bytes: &[u8]) -> Result<Harvested, String> {
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| format!("не JSON: {e}"))?;
    let text =
        |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or_default().trim().to_string();
    let mut h = Harvested::default();
    for key in [
        "standardversion",
        "identifier",
        "title",
        "description",
        "creator",
        "created",
        "modified",
        "subject",
        "format",
        "provenance",
        "valid",
    ] {
        h.set(key, text(&v, key));
    }
    if let Some(p) = v.get("publisher") {
        h.publisher_name = text(p, "name");
        h.publisher_phone = text(p, "phone");
        h.publisher_mbox = text(p, "mbox");
    }
    for d in v.get("data").and_then(|d| d.as_array()).into_iter().flatten() {
        let (Some(stamp), Some(structure)) = (loose_stamp(&text(d, "created")), loose_stamp(&text(d, "structure")))
        else {
            continue;
        };
        let valid = loose_stamp(&text(d, "valid")).map(|s| s.date()).unwrap_or_default();
        h.data.push(Version { stamp, structure, url: text(d, "source"), provenance: text(d, "provenance"), valid });
    }
    for s in v.get("structure").and_then(|d| d.as_array()).into_iter().flatten() {
        if let Some(stamp) = loose_stamp(&text(s, "created")) {
            h.structures.push((stamp, text(s, "source")));
        }
    }
    if h.identifier.is_empty() {
        return Err("в паспорте нет идентификатора набора (identifier)".into());
    }
    h.settle();
    Ok(h)
}

/// The registry rows of a list as our writer takes them.
pub fn listed(list: &List) -> Vec<registry::Listed<'_>> {
    list.items
        .iter()
        .map(|i| registry::Listed {
            identifier: &i.identifier,
            title: &i.title,
            passport: i.link.clone(),
            format: &i.format,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::loose_stamp;

    #[test]
    fn dates_in_the_shapes_publishers_use() {
        let s = |x: &str| loose_stamp(x).map(|s| s.to_string());
        for (input, want) in [
            ("20260302T1600", "20260302T1600"),
            ("20160101", "20160101T0000"),
            ("2019-07-19", "20190719T0000"),
            ("2015-12-28T09-59", "20151228T0959"),
            ("2015-12-28T09:59", "20151228T0959"),
            ("28.11.2022 15:51:00", "20221128T1551"),
            ("15.07.2013", "20130715T0000"),
            ("20260302T160059", "20260302T1600"),
        ] {
            assert_eq!(s(input).as_deref(), Some(want), "{input}");
        }
        for bad in ["", "2019-7", "вчера", "20191319", "32.01.2020"] {
            assert_eq!(s(bad), None, "{bad}");
        }
    }
}
