//! What changed between two data versions: rows added, removed and — when the structure
//! declares a key — changed, matched by that key. Without a key a changed row shows as one
//! removed and one added. Rows are compared by the columns both versions have.

use std::collections::HashMap;

use crate::csv::records;

#[derive(Debug, Default, PartialEq)]
pub struct Diff {
    /// The columns compared (those both versions have), in the newer version's order.
    pub columns: Vec<String>,
    /// Columns only in the older / only in the newer version.
    pub dropped_columns: Vec<String>,
    pub new_columns: Vec<String>,
    pub key: Option<String>,
    pub added: Vec<Vec<String>>,
    pub removed: Vec<Vec<String>>,
    /// (before, after), for rows matched by key.
    pub changed: Vec<(Vec<String>, Vec<String>)>,
    /// Key values found on more than one row (such rows are compared as rows, not by key).
    pub duplicate_keys: Vec<String>,
}

fn table(bytes: &[u8]) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
    let mut rows = records(bytes).map_err(|(line, e)| format!("строка {line}: {e}"))?.into_iter().map(|(_, r)| r);
    let header = rows.next().ok_or("файл пустой")?;
    Ok((header, rows.collect()))
}

/// Compares the older version `a` with the newer `b`.
pub fn diff(a: &[u8], b: &[u8], key: Option<&str>) -> Result<Diff, String> {
    let (ha, ra) = table(a)?;
    let (hb, rb) = table(b)?;
    let columns: Vec<String> = hb.iter().filter(|c| ha.contains(c)).cloned().collect();
    let pick = |header: &[String], row: &[String]| -> Vec<String> {
        columns
            .iter()
            .map(|c| header.iter().position(|h| h == c).and_then(|i| row.get(i)).cloned().unwrap_or_default())
            .collect()
    };
    let pa: Vec<Vec<String>> = ra.iter().map(|r| pick(&ha, r)).collect();
    let pb: Vec<Vec<String>> = rb.iter().map(|r| pick(&hb, r)).collect();
    let mut out = Diff {
        dropped_columns: ha.iter().filter(|c| !hb.contains(c)).cloned().collect(),
        new_columns: hb.iter().filter(|c| !ha.contains(c)).cloned().collect(),
        key: key.filter(|k| columns.iter().any(|c| c == k)).map(str::to_string),
        ..Diff::default()
    };
    let k = out.key.as_ref().and_then(|k| columns.iter().position(|c| c == k));
    // Rows by key, when every key value is unique on both sides; the rest as a multiset.
    let (mut rest_a, mut rest_b) = (pa.clone(), pb.clone());
    if let Some(k) = k {
        let count = |rows: &[Vec<String>]| {
            let mut m: HashMap<String, usize> = HashMap::new();
            for r in rows {
                *m.entry(r[k].clone()).or_default() += 1;
            }
            m
        };
        let (ca, cb) = (count(&pa), count(&pb));
        let mut dups: Vec<String> =
            ca.iter().chain(cb.iter()).filter(|(_, n)| **n > 1).map(|(v, _)| v.clone()).collect();
        dups.sort();
        dups.dedup();
        let unique = |r: &Vec<String>| !dups.contains(&r[k]);
        let by_key_b: HashMap<&String, &Vec<String>> = pb.iter().filter(|r| unique(r)).map(|r| (&r[k], r)).collect();
        let by_key_a: HashMap<&String, &Vec<String>> = pa.iter().filter(|r| unique(r)).map(|r| (&r[k], r)).collect();
        for r in pa.iter().filter(|r| unique(r)) {
            match by_key_b.get(&r[k]) {
                None => out.removed.push(r.clone()),
                Some(after) if *after != r => out.changed.push((r.clone(), (*after).clone())),
                Some(_) => {}
            }
        }
        for r in pb.iter().filter(|r| unique(r) && !by_key_a.contains_key(&r[k])) {
            out.added.push(r.clone());
        }
        rest_a.retain(|r| !unique(r));
        rest_b.retain(|r| !unique(r));
        out.duplicate_keys = dups;
    }
    let mut remaining: HashMap<&Vec<String>, usize> = HashMap::new();
    for r in &rest_b {
        *remaining.entry(r).or_default() += 1;
    }
    for r in &rest_a {
        match remaining.get_mut(r) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.removed.push(r.clone()),
        }
    }
    let mut seen: HashMap<&Vec<String>, usize> = HashMap::new();
    for r in &rest_a {
        *seen.entry(r).or_default() += 1;
    }
    for r in &rest_b {
        match seen.get_mut(r) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.added.push(r.clone()),
        }
    }
    out.columns = columns;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::diff;

    const OLD: &str = "id,name,phone\r\n1,Центр,111\r\n2,Приют,222\r\n3,Дом,333\r\n";
    const NEW: &str = "id,name,phone,site\r\n1,Центр,111,https://a.example\r\n2,Приют «Маяк»,222,\r\n4,Клуб,444,\r\n";

    #[test]
    fn by_key_rows_are_added_removed_and_changed() {
        let d = diff(OLD.as_bytes(), NEW.as_bytes(), Some("id")).expect("diff");
        assert_eq!(d.columns, ["id", "name", "phone"]);
        assert_eq!(d.new_columns, ["site"]);
        assert_eq!(d.added, [["4", "Клуб", "444"]]);
        assert_eq!(d.removed, [["3", "Дом", "333"]]);
        assert_eq!(
            d.changed,
            [(
                vec!["2".to_string(), "Приют".into(), "222".into()],
                vec!["2".into(), "Приют «Маяк»".into(), "222".into()]
            )]
        );
    }

    #[test]
    fn without_a_key_a_change_is_a_removal_and_an_addition() {
        let d = diff(OLD.as_bytes(), NEW.as_bytes(), None).expect("diff");
        assert!(d.changed.is_empty());
        assert_eq!(d.added.len(), 2);
        assert_eq!(d.removed.len(), 2);
        let same = diff(OLD.as_bytes(), OLD.as_bytes(), Some("id")).expect("diff");
        assert!(same.added.is_empty() && same.removed.is_empty() && same.changed.is_empty());
    }

    #[test]
    fn duplicate_keys_fall_back_to_rows() {
        let old = "id,v\r\n1,a\r\n1,b\r\n2,c\r\n";
        let new = "id,v\r\n1,a\r\n2,d\r\n";
        let d = diff(old.as_bytes(), new.as_bytes(), Some("id")).expect("diff");
        assert_eq!(d.duplicate_keys, ["1"]);
        assert_eq!(d.removed, [["1", "b"]]);
        assert_eq!(d.changed.len(), 1);
    }
}
