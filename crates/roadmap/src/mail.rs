//! The roadmap's e-mails: each a plain-text template in `templates/letters/` with its subject.

use askama::Template;
pub use shell::letter::Letter;

/// To an executor linked to a measure: its due date is near.
#[derive(Template)]
#[template(path = "letters/reminder.txt")]
pub struct Reminder<'a> {
    pub name: &'a str,
    pub plan: &'a str,
    pub body: &'a str,
    pub number: &'a str,
    pub due: String,
    /// The reporting period the due date closes, if any.
    pub covers: String,
    pub text: &'a str,
    pub deadline: &'a str,
    pub explained: String,
    pub mark: String,
}

impl Letter for Reminder<'_> {
    fn subject(&self) -> String {
        format!("Напоминание: {} — срок мероприятия {}", self.due, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminder() {
        let letter = Reminder {
            name: "Гончарова Л. И.",
            plan: "План по реализации принципов открытости на 2017–2020 годы",
            body: "Департамент социальной защиты",
            number: "12",
            due: "31.03.2026".into(),
            covers: "I квартал 2026".into(),
            text: "Размещение на сайте сведений о деятельности общественного совета",
            deadline: "ежеквартально",
            explained: "31.03.2026 — конец квартала".into(),
            mark: "https://portal.example/staff/o/social-protection/roadmaps/1/measures/12/mark".into(),
        };
        insta::assert_snapshot!(letter.shown().expect("renders"));
    }
}
