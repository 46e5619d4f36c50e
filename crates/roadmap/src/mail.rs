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

/// To the author of a comment on a draft: it is received and waits for moderation.
#[derive(Template)]
#[template(path = "letters/comment_received.txt")]
pub struct CommentReceived<'a> {
    pub plan: &'a str,
    pub id: i64,
    pub page: &'a str,
    pub text: &'a str,
}

impl Letter for CommentReceived<'_> {
    fn subject(&self) -> String {
        format!("Ваш комментарий к проекту «{}» получен", self.plan)
    }
}

/// To the author of a comment: the body's reply.
#[derive(Template)]
#[template(path = "letters/comment_reply.txt")]
pub struct CommentReply<'a> {
    pub plan: &'a str,
    pub id: i64,
    pub reply: &'a str,
    pub page: &'a str,
}

impl Letter for CommentReply<'_> {
    fn subject(&self) -> String {
        format!("Ответ на ваш комментарий к проекту «{}»", self.plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://portal.example/o/social-protection/openness/discussion/3";

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

    #[test]
    fn comment_received() {
        let letter = CommentReceived {
            plan: "План 2026", id: 7, page: PAGE, text: "Предлагаю сократить срок."
        };
        insta::assert_snapshot!(letter.shown().expect("renders"));
    }

    #[test]
    fn comment_reply() {
        let letter = CommentReply {
            plan: "План 2026", id: 7, reply: "Спасибо, срок сокращён.", page: PAGE
        };
        insta::assert_snapshot!(letter.shown().expect("renders"));
    }
}
