//! The councils' letters: each a plain-text template in `templates/letters/` with its subject.

use askama::Template;
pub use shell::letter::Letter;

use crate::meetings::Meeting;

/// To someone who registered to attend a meeting: the link that confirms it.
#[derive(Template)]
#[template(path = "letters/registration_confirm.txt")]
pub struct ToConfirm<'a> {
    pub council: &'a str,
    pub when: &'a str,
    pub link: String,
}

impl Letter for ToConfirm<'_> {
    fn subject(&self) -> String {
        format!("Подтвердите запись на заседание {}", self.when)
    }
}

/// The registration confirmed: a seat, or the waiting list with the stream.
#[derive(Template)]
#[template(path = "letters/registered.txt")]
pub struct Registered<'a> {
    pub council: &'a str,
    pub when: &'a str,
    pub seat: bool,
    pub meeting: &'a Meeting,
    pub page: &'a str,
}

impl Letter for Registered<'_> {
    fn subject(&self) -> String {
        if self.seat {
            format!("Вы записаны на заседание {}", self.when)
        } else {
            format!("Вы в листе ожидания на заседание {}", self.when)
        }
    }
}

/// The day before the meeting.
#[derive(Template)]
#[template(path = "letters/reminder.txt")]
pub struct Reminder<'a> {
    pub council: &'a str,
    pub when: &'a str,
    pub seat: bool,
    pub meeting: &'a Meeting,
    pub page: &'a str,
}

impl Letter for Reminder<'_> {
    fn subject(&self) -> String {
        format!("Напоминание: заседание {}", self.when)
    }
}

/// To the council's address: the minutes of a meeting are due.
#[derive(Template)]
#[template(path = "letters/minutes_reminder.txt")]
pub struct MinutesReminder<'a> {
    pub council: &'a str,
    pub when: &'a str,
    pub due: String,
    pub link: String,
}

impl Letter for MinutesReminder<'_> {
    fn subject(&self) -> String {
        format!("Разместите протокол заседания {} до {}", self.when, self.due)
    }
}

/// To someone who voted for a conference's topic: the link that confirms the vote.
#[derive(Template)]
#[template(path = "letters/vote_confirm.txt")]
pub struct VoteToConfirm<'a> {
    pub title: &'a str,
    pub link: String,
}

impl Letter for VoteToConfirm<'_> {
    fn subject(&self) -> String {
        format!("Подтвердите голос: {}", self.title)
    }
}

/// To the author of a proposed topic or a question: the moderator's answer.
#[derive(Template)]
#[template(path = "letters/moderated.txt")]
pub struct Moderated<'a> {
    /// A proposed topic, else a question.
    pub topic: bool,
    pub text: &'a str,
    pub title: &'a str,
    pub accepted: bool,
    pub reason: &'a str,
    pub page: &'a str,
}

impl Letter for Moderated<'_> {
    fn subject(&self) -> String {
        let what = match (self.topic, self.accepted) {
            (true, true) => "Ваша тема принята к голосованию",
            (true, false) => "Ваша тема не принята",
            (false, true) => "Ваш вопрос принят",
            (false, false) => "Ваш вопрос не принят",
        };
        format!("{what}: {}", self.title)
    }
}

/// To the author of a question: the answer is published.
#[derive(Template)]
#[template(path = "letters/answered.txt")]
pub struct Answered<'a> {
    pub title: &'a str,
    pub question: &'a str,
    pub page: &'a str,
}

impl Letter for Answered<'_> {
    fn subject(&self) -> String {
        format!("Опубликован ответ на ваш вопрос: {}", self.title)
    }
}

/// To whoever proposed a reference group: listed, or why not.
#[derive(Template)]
#[template(path = "letters/group_answer.txt")]
pub struct GroupAnswer<'a> {
    pub name: &'a str,
    pub listed: bool,
    pub reason: &'a str,
    pub page: &'a str,
}

impl Letter for GroupAnswer<'_> {
    fn subject(&self) -> String {
        if self.listed {
            format!("Группа внесена в перечень референтных групп: {}", self.name)
        } else {
            format!("Группа не внесена в перечень референтных групп: {}", self.name)
        }
    }
}

/// To an applicant: the result of the selection.
#[derive(Template)]
#[template(path = "letters/selection.txt")]
pub struct Selection<'a> {
    pub title: &'a str,
    pub selected: bool,
    pub page: &'a str,
}

impl Letter for Selection<'_> {
    fn subject(&self) -> String {
        format!("Итоги отбора: {}", self.title)
    }
}

/// To everyone registered: the meeting is cancelled, and why.
#[derive(Template)]
#[template(path = "letters/meeting_cancelled.txt")]
pub struct MeetingCancelled<'a> {
    pub council: &'a str,
    pub when: &'a str,
    pub reason: &'a str,
    pub page: &'a str,
}

impl Letter for MeetingCancelled<'_> {
    fn subject(&self) -> String {
        format!("Заседание {} отменено", self.when)
    }
}
