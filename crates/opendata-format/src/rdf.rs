//! A small RDF graph and its two serialisations, Turtle and JSON-LD (expanded form), for the
//! DCAT catalogue. Both are written from the same triples, so they always say the same thing.

use std::collections::BTreeMap;

/// The prefixes predicates and classes are written with.
pub const PREFIXES: [(&str, &str); 8] = [
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("spdx", "http://spdx.org/rdf/terms#"),
    ("hydra", "http://www.w3.org/ns/hydra/core#"),
];

fn expand(prefixed: &str) -> String {
    match prefixed.split_once(':') {
        Some((p, local)) => match PREFIXES.iter().find(|(k, _)| *k == p) {
            Some((_, ns)) => format!("{ns}{local}"),
            None => prefixed.to_string(),
        },
        None => prefixed.to_string(),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Term {
    Iri(String),
    Blank(String),
    /// A literal with a language tag, a datatype (prefixed, e.g. `xsd:dateTime`) or neither.
    Literal {
        value: String,
        lang: Option<&'static str>,
        datatype: Option<&'static str>,
    },
}

impl Term {
    /// An IRI, full or with one of `PREFIXES` (`dcat:Dataset`).
    pub fn iri(s: impl Into<String>) -> Term {
        Term::Iri(expand(&s.into()))
    }
    pub fn ru(s: impl Into<String>) -> Term {
        Term::Literal { value: s.into(), lang: Some("ru"), datatype: None }
    }
    pub fn plain(s: impl Into<String>) -> Term {
        Term::Literal { value: s.into(), lang: None, datatype: None }
    }
    pub fn typed(s: impl Into<String>, datatype: &'static str) -> Term {
        Term::Literal { value: s.into(), lang: None, datatype: Some(datatype) }
    }
}

#[derive(Default)]
pub struct Graph {
    /// (subject, predicate written with a prefix or `a`, object)
    triples: Vec<(Term, &'static str, Term)>,
    seen: std::collections::HashSet<(Term, &'static str, Term)>,
}

fn turtle_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn turtle_iri(s: &str) -> String {
    // Characters IRIREF does not allow are percent-encoded.
    let mut out = String::from("<");
    for c in s.chars() {
        match c {
            '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\' | ' ' => out.push_str(&format!("%{:02X}", c as u32)),
            c if (c as u32) <= 0x20 => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('>');
    out
}

impl Graph {
    /// Adds a triple; a graph is a set, so a repeated one is ignored.
    pub fn add(&mut self, s: &Term, p: &'static str, o: Term) {
        let t = (s.clone(), p, o);
        if self.seen.insert(t.clone()) {
            self.triples.push(t);
        }
    }

    fn term_turtle(t: &Term) -> String {
        match t {
            Term::Iri(i) => turtle_iri(i),
            Term::Blank(b) => format!("_:{b}"),
            Term::Literal { value, lang: Some(l), .. } => format!("{}@{l}", turtle_string(value)),
            Term::Literal { value, datatype: Some(d), .. } => format!("{}^^{d}", turtle_string(value)),
            Term::Literal { value, .. } => turtle_string(value),
        }
    }

    /// Subjects in first-mention order, each with its predicate/object pairs.
    fn grouped(&self) -> Vec<(&Term, Vec<(&'static str, &Term)>)> {
        let mut out: Vec<(&Term, Vec<(&'static str, &Term)>)> = Vec::new();
        let mut index: std::collections::HashMap<&Term, usize> = std::collections::HashMap::new();
        for (s, p, o) in &self.triples {
            match index.get(s) {
                Some(i) => out[*i].1.push((p, o)),
                None => {
                    index.insert(s, out.len());
                    out.push((s, vec![(p, o)]));
                }
            }
        }
        out
    }

    pub fn turtle(&self) -> String {
        let mut out = String::new();
        for (p, ns) in PREFIXES {
            out.push_str(&format!("@prefix {p}: <{ns}> .\n"));
        }
        for (s, pairs) in self.grouped() {
            out.push('\n');
            out.push_str(&Self::term_turtle(s));
            for (i, (p, o)) in pairs.iter().enumerate() {
                let sep = if i == 0 { " " } else { " ;\n    " };
                out.push_str(&format!("{sep}{p} {}", Self::term_turtle(o)));
            }
            out.push_str(" .\n");
        }
        out
    }

    /// Expanded JSON-LD: a list of nodes, full IRIs, every value in an array.
    pub fn jsonld(&self) -> serde_json::Value {
        let nodes: Vec<serde_json::Value> = self
            .grouped()
            .into_iter()
            .map(|(s, pairs)| {
                let mut node = serde_json::Map::new();
                node.insert(
                    "@id".into(),
                    match s {
                        Term::Iri(i) => i.clone().into(),
                        Term::Blank(b) => format!("_:{b}").into(),
                        Term::Literal { value, .. } => value.clone().into(),
                    },
                );
                let mut props: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
                for (p, o) in pairs {
                    if p == "a" {
                        if let Term::Iri(c) = o {
                            props.entry("@type".into()).or_default().push(expand(c).into());
                        }
                        continue;
                    }
                    let v = match o {
                        Term::Iri(i) => serde_json::json!({ "@id": i }),
                        Term::Blank(b) => serde_json::json!({ "@id": format!("_:{b}") }),
                        Term::Literal { value, lang: Some(l), .. } => {
                            serde_json::json!({ "@value": value, "@language": l })
                        }
                        Term::Literal { value, datatype: Some(d), .. } => {
                            serde_json::json!({ "@value": value, "@type": expand(d) })
                        }
                        Term::Literal { value, .. } => serde_json::json!({ "@value": value }),
                    };
                    props.entry(expand(p)).or_default().push(v);
                }
                for (k, v) in props {
                    node.insert(k, v.into());
                }
                serde_json::Value::Object(node)
            })
            .collect();
        serde_json::Value::Array(nodes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_serialisations_of_one_graph() {
        let mut g = Graph::default();
        let d = Term::iri("https://portal.tomsk.example/opendata/7017000019-x/");
        g.add(&d, "a", Term::iri("dcat:Dataset"));
        g.add(&d, "dct:title", Term::ru("Учреждения \"Забота\"\nи другие"));
        g.add(&d, "dct:modified", Term::typed("2026-03-02T16:00:00+07:00", "xsd:dateTime"));
        let ttl = g.turtle();
        assert!(ttl.contains(
            "<https://portal.tomsk.example/opendata/7017000019-x/> a <http://www.w3.org/ns/dcat#Dataset> ;\n    dct:title \"Учреждения \\\"Забота\\\"\\nи другие\"@ru ;"
        ), "{ttl}");
        let j = g.jsonld();
        assert_eq!(j[0]["@type"][0], "http://www.w3.org/ns/dcat#Dataset");
        assert_eq!(j[0]["http://purl.org/dc/terms/title"][0]["@language"], "ru");
        assert_eq!(j[0]["http://purl.org/dc/terms/modified"][0]["@type"], "http://www.w3.org/2001/XMLSchema#dateTime");
    }
}
