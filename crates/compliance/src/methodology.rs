//! An openness methodology as data: its parameters (weighted), the indicators each obligation
//! counts for (a parameter and a weight each), and the factor each status earns. The built-in one
//! is Glasnost's own, organised like the federal rating's three parameters (information, data,
//! dialogue) so a body can compare; another (a region's criteria) is loaded as a file of the
//! same shape, and each loaded version is kept.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Methodology {
    /// Its name in files and addresses (latin letters, digits, dashes) and its version.
    pub code: String,
    pub version: i64,
    pub title: Text,
    /// Whose it is and what it rests on, shown wherever its figures are.
    pub note: Text,
    pub parameters: Vec<Parameter>,
    pub indicators: Vec<Indicator>,
    pub factors: Factors,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub ru: String,
    pub en: String,
}

impl Text {
    /// The text in English (`en`) or Russian.
    pub fn get(&self, en: bool) -> &str {
        if en { &self.en } else { &self.ru }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub key: String,
    pub title: Text,
    pub weight: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// The indicator a mechanism names for its obligations ("site_item").
    pub key: String,
    pub parameter: String,
    pub weight: f64,
    pub title: Text,
}

/// What share of its weight an obligation earns in each status that counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factors {
    pub satisfied: f64,
    /// Fulfilled, but after its due date.
    pub satisfied_late: f64,
    pub late: f64,
    pub missing: f64,
}

impl Methodology {
    /// Glasnost's own methodology, shipped with it.
    pub fn builtin() -> Methodology {
        // Checked by the tests; should the file ever fail to read, an empty one beats a panic.
        Methodology::read(include_bytes!("../data/methodology.json")).unwrap_or_else(|_| Methodology {
            code: "empty".into(),
            version: 0,
            title: Text { ru: String::new(), en: String::new() },
            note: Text { ru: String::new(), en: String::new() },
            parameters: Vec::new(),
            indicators: Vec::new(),
            factors: Factors { satisfied: 1.0, satisfied_late: 1.0, late: 0.0, missing: 0.0 },
        })
    }

    /// Reads and checks a methodology file (JSON); the errors, each naming its place.
    pub fn read(bytes: &[u8]) -> Result<Methodology, Vec<String>> {
        let m: Methodology = serde_json::from_slice(bytes).map_err(|e| vec![format!("JSON: {e}")])?;
        let mut errors = Vec::new();
        let code_ok =
            !m.code.is_empty() && m.code.len() <= 64 && m.code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !code_ok {
            errors.push("code: латинские буквы, цифры и дефисы, до 64 знаков".to_string());
        }
        if m.version < 1 {
            errors.push("version: целое число от 1".to_string());
        }
        if m.parameters.is_empty() {
            errors.push("parameters: нужен хотя бы один параметр".to_string());
        }
        let weight_ok = |w: f64| w.is_finite() && (0.0..=100.0).contains(&w);
        let factor_ok = |f: f64| f.is_finite() && (0.0..=1.0).contains(&f);
        for (i, p) in m.parameters.iter().enumerate() {
            if p.key.is_empty() || m.parameters.iter().filter(|q| q.key == p.key).count() > 1 {
                errors.push(format!("parameters[{i}].key: пустой или повторяется"));
            }
            if !weight_ok(p.weight) {
                errors.push(format!("parameters[{i}].weight: число от 0 до 100"));
            }
        }
        for (i, ind) in m.indicators.iter().enumerate() {
            if ind.key.is_empty() || m.indicators.iter().filter(|j| j.key == ind.key).count() > 1 {
                errors.push(format!("indicators[{i}].key: пустой или повторяется"));
            }
            if m.parameter(&ind.parameter).is_none() {
                errors.push(format!("indicators[{i}].parameter: нет параметра «{}»", ind.parameter));
            }
            if !weight_ok(ind.weight) {
                errors.push(format!("indicators[{i}].weight: число от 0 до 100"));
            }
        }
        let f = &m.factors;
        for (name, v) in
            [("satisfied", f.satisfied), ("satisfied_late", f.satisfied_late), ("late", f.late), ("missing", f.missing)]
        {
            if !factor_ok(v) {
                errors.push(format!("factors.{name}: число от 0 до 1"));
            }
        }
        if errors.is_empty() { Ok(m) } else { Err(errors) }
    }

    pub fn parameter(&self, key: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.key == key)
    }

    pub fn indicator(&self, key: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.key == key)
    }

    /// "code v2": how pages and files name it.
    pub fn label(&self) -> String {
        format!("{} v{}", self.code, self.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_methodology_reads_and_names_itself_glasnosts_own() {
        let m = Methodology::read(include_bytes!("../data/methodology.json")).expect("builtin reads");
        assert!(m.note.ru.contains("Glasnost"), "{}", m.note.ru);
        let keys: Vec<&str> = m.parameters.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["information", "data", "dialogue"]);
    }

    #[test]
    fn a_bad_file_is_refused_with_each_fault_named() {
        let mut m = Methodology::builtin();
        m.code = "плохой код".into();
        m.factors.late = 2.0;
        m.indicators[0].parameter = "nowhere".into();
        let bytes = serde_json::to_vec(&m).expect("json");
        let errors = Methodology::read(&bytes).expect_err("refused");
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("factors.late")), "{errors:?}");
        let errors = Methodology::read(b"{\"code\": 1}").expect_err("refused");
        assert!(errors[0].starts_with("JSON"), "{errors:?}");
    }
}
