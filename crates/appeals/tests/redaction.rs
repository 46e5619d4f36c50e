//! Redaction on 31 answers shaped as bodies write them (`tests/redaction/*.txt`, see SOURCES.md):
//! each file gives the body's contacts, the applicant's data, what must go, what must stay and
//! the neutral greeting the answer is to start with.

use appeals::redact::{Known, Writer, find, redact};

struct Case {
    file: String,
    body: Vec<String>,
    name: String,
    email: String,
    phone: String,
    address: String,
    remove: Vec<String>,
    keep: Vec<String>,
    greeting: String,
    text: String,
}

fn field<'a>(head: &'a str, name: &str, file: &str) -> &'a str {
    head.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(": ")))
        .unwrap_or_else(|| panic!("{file}: no «{name}» line"))
}

fn cases() -> Vec<Case> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/redaction");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the corpus folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let file = p.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
            let all = std::fs::read_to_string(p).expect("a corpus file");
            let (head, text) = all.split_once("\n---\n").unwrap_or_else(|| panic!("{file}: no --- line"));
            let list = |name: &str| field(head, name, &file).split(" | ").map(str::to_string).collect::<Vec<_>>();
            Case {
                body: list("Орган"),
                name: field(head, "Заявитель", &file).into(),
                email: field(head, "Почта", &file).into(),
                phone: field(head, "Телефон", &file).into(),
                address: field(head, "Адрес", &file).into(),
                remove: list("Убрать"),
                keep: list("Оставить"),
                greeting: field(head, "Приветствие", &file).into(),
                text: text.into(),
                file,
            }
        })
        .collect()
}

#[test]
fn the_applicants_data_goes_the_bodys_contacts_and_officials_stay_greetings_become_neutral() {
    let cases = cases();
    assert!(cases.len() >= 30, "the corpus has {} answers", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let body: Vec<&str> = c.body.iter().map(String::as_str).collect();
        let known = Known { name: &c.name, email: &c.email, phone: &c.phone, address: &c.address, body: &body };
        let out = redact(&c.text, &known, Writer::Body);
        for gone in c.remove.iter().filter(|g| out.contains(g.as_str())) {
            failures.push(format!("{}: «{gone}» left in:\n{out}", c.file));
        }
        for kept in c.keep.iter().filter(|k| !out.contains(k.as_str())) {
            failures.push(format!("{}: «{kept}» lost:\n{out}", c.file));
        }
        let line = out.lines().find(|l| l.starts_with("Уважаем") || l.starts_with("Здравствуйте")).unwrap_or_default();
        if line != c.greeting {
            failures.push(format!("{}: the greeting is «{line}», not «{}»", c.file, c.greeting));
        }
        // Staff see each replacement: the words it replaces are those of the text, in order.
        let found = find(&c.text, &known, Writer::Body);
        assert!(found.windows(2).all(|w| w[0].end <= w[1].start), "{}: replacements overlap", c.file);
        assert!(!found.is_empty(), "{}: nothing replaced", c.file);
    }
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n\n"));
}
