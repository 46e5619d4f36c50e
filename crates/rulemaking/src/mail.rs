//! Rule-making's letters: each a plain-text template in `templates/letters/` with its subject.

use askama::Template;
pub use shell::letter::Letter;

/// To the address conclusions go to: the term to answer one is near.
#[derive(Template)]
#[template(path = "letters/answer_reminder.txt")]
pub struct AnswerReminder<'a> {
    pub title: &'a str,
    pub expert: &'a str,
    pub due: String,
    pub link: String,
}

impl Letter for AnswerReminder<'_> {
    fn subject(&self) -> String {
        format!("Ответить на заключение антикоррупционной экспертизы до {}", self.due)
    }
}
