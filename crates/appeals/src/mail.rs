//! The e-mails of appeals and requests: each a plain-text template in `templates/letters/`
//! with its subject, filled by the step that sends it. They are in Russian only: the form does
//! not record which language an applicant reads, so there is nothing to choose an English one by.

use askama::Template;
pub use shell::letter::Letter;

/// To the applicant: the submission is registered, with its term, the tracking link and the link
/// that confirms the address (seed 000 §17).
#[derive(Template)]
#[template(path = "letters/acknowledgement.txt")]
pub struct Acknowledgement<'a> {
    pub name: &'a str,
    /// «Ваше обращение», «Ваш запрос информации»…
    pub what: &'a str,
    pub body: &'a str,
    pub registered: String,
    pub number: &'a str,
    pub topic: &'a str,
    pub due: String,
    pub track: &'a str,
    pub confirm: &'a str,
}

impl Letter for Acknowledgement<'_> {
    fn subject(&self) -> String {
        format!("Ваше обращение зарегистрировано: № {}", self.number)
    }
}

/// To the applicant who asked for it by number and address: a new link to the tracking page.
#[derive(Template)]
#[template(path = "letters/tracking_link.txt")]
pub struct TrackingLink<'a> {
    pub number: &'a str,
    pub body: &'a str,
    pub topic: &'a str,
    pub track: &'a str,
}

impl Letter for TrackingLink<'_> {
    fn subject(&self) -> String {
        format!("Ссылка на страницу обращения № {}", self.number)
    }
}

/// To the applicant: the term was extended, and why.
#[derive(Template)]
#[template(path = "letters/extended.txt")]
pub struct Extended<'a> {
    pub name: &'a str,
    pub number: &'a str,
    pub due: String,
    pub reason: &'a str,
    pub track: &'a str,
}

impl Letter for Extended<'_> {
    fn subject(&self) -> String {
        format!("Срок рассмотрения обращения № {} продлён", self.number)
    }
}

/// To the applicant: the answer with the result of consideration.
#[derive(Template)]
#[template(path = "letters/answered.txt")]
pub struct Answered<'a> {
    pub name: &'a str,
    pub number: &'a str,
    pub result: &'a str,
    pub text: &'a str,
    pub track: &'a str,
}

impl Letter for Answered<'_> {
    fn subject(&self) -> String {
        format!("Ответ на обращение № {}", self.number)
    }
}

/// To the applicant: forwarded to the competent body, with the covering letter and, when that
/// body is on the portal, the new tracking link.
#[derive(Template)]
#[template(path = "letters/forwarded.txt")]
pub struct Forwarded<'a> {
    pub name: &'a str,
    pub number: &'a str,
    pub note: &'a str,
    pub letter: &'a str,
    /// Empty when the body is outside the portal.
    pub track: &'a str,
}

impl Letter for Forwarded<'_> {
    fn subject(&self) -> String {
        format!("Обращение № {} направлено по компетенции", self.number)
    }
}

/// To the applicant: left without an answer on the merits, on a ground of 59-FZ art. 11.
#[derive(Template)]
#[template(path = "letters/no_answer.txt")]
pub struct NoAnswer<'a> {
    pub name: &'a str,
    pub number: &'a str,
    pub note: &'a str,
    pub told: &'a str,
    pub comment: &'a str,
}

impl Letter for NoAnswer<'_> {
    fn subject(&self) -> String {
        format!("Обращение № {}", self.number)
    }
}

/// To an editorial office: the information is deferred (Law 2124-1 art. 40).
#[derive(Template)]
#[template(path = "letters/deferred.txt")]
pub struct Deferred<'a> {
    pub number: &'a str,
    pub topic: &'a str,
    pub reason: &'a str,
    pub until: String,
    pub official: &'a str,
    pub decided: String,
    pub track: &'a str,
}

impl Letter for Deferred<'_> {
    fn subject(&self) -> String {
        format!("Уведомление об отсрочке предоставления информации по запросу № {}", self.number)
    }
}

/// To an editorial office: the information is refused for a protected secret (Law 2124-1 art. 40).
#[derive(Template)]
#[template(path = "letters/refused.txt")]
pub struct Refused<'a> {
    pub number: &'a str,
    pub topic: &'a str,
    pub secret: &'a str,
    pub why: &'a str,
    pub official: &'a str,
    pub decided: String,
}

impl Letter for Refused<'_> {
    fn subject(&self) -> String {
        format!("Отказ в предоставлении информации по запросу № {}", self.number)
    }
}

/// To an appeals officer: a submission is assigned to them.
#[derive(Template)]
#[template(path = "letters/assigned.txt")]
pub struct Assigned<'a> {
    pub number: &'a str,
    pub topic: &'a str,
    pub due: &'a str,
    pub card: &'a str,
}

impl Letter for Assigned<'_> {
    fn subject(&self) -> String {
        format!("Вам поручено обращение № {}", self.number)
    }
}

/// To appeals officers: an answer is due soon, or its term has passed.
#[derive(Template)]
#[template(path = "letters/reminder.txt")]
pub struct Reminder<'a> {
    pub kind: &'a str,
    pub number: &'a str,
    pub body: &'a str,
    pub due: String,
    pub overdue: bool,
    pub card: String,
}

impl Letter for Reminder<'_> {
    fn subject(&self) -> String {
        if self.overdue {
            format!("Просрочен ответ на № {}", self.number)
        } else {
            format!("Срок ответа на № {} — {}", self.number, self.due)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(letter: &impl Letter) -> String {
        letter.shown().expect("renders")
    }

    const TRACK: &str = "https://portal.example/appeals/track/SECRET";

    #[test]
    fn acknowledgement() {
        insta::assert_snapshot!(shown(&Acknowledgement {
            name: "Анна Петрова",
            what: "Ваше обращение",
            body: "Департамент социальной защиты населения Томской области",
            registered: "02.03.2026".into(),
            number: "17/2026",
            topic: "Пособие на ребёнка",
            due: "01.04.2026".into(),
            track: TRACK,
            confirm: "https://portal.example/appeals/confirm/OTHER",
        }));
    }

    #[test]
    fn tracking_link() {
        insta::assert_snapshot!(shown(&TrackingLink {
            number: "17/2026",
            body: "Департамент социальной защиты населения Томской области",
            topic: "Пособие на ребёнка",
            track: TRACK,
        }));
    }

    #[test]
    fn extended() {
        insta::assert_snapshot!(shown(&Extended {
            name: "Анна Петрова",
            number: "17/2026",
            due: "30.04.2026".into(),
            reason: "запрошены сведения в другом органе",
            track: TRACK,
        }));
    }

    #[test]
    fn answered() {
        insta::assert_snapshot!(shown(&Answered {
            name: "Анна Петрова",
            number: "17/2026",
            result: "Рассмотрено. Разъяснено",
            text: "Пособие назначается по заявлению в течение 10 рабочих дней.",
            track: TRACK,
        }));
    }

    #[test]
    fn forwarded_inside_and_outside_the_portal() {
        let mut letter = Forwarded {
            name: "Анна Петрова",
            number: "17/2026",
            note: "направлено по компетенции: Департамент здравоохранения, № 3/2026",
            letter: "Вопрос о работе поликлиники решает Департамент здравоохранения.",
            track: "https://portal.example/appeals/track/NEW",
        };
        insta::assert_snapshot!("forwarded_inside", shown(&letter));
        letter.note = "направлено по компетенции: Прокуратура Томской области";
        letter.track = "";
        insta::assert_snapshot!("forwarded_outside", shown(&letter));
    }

    #[test]
    fn no_answer() {
        insta::assert_snapshot!(shown(&NoAnswer {
            name: "Анна Петрова",
            number: "17/2026",
            note: "оставлено без ответа по существу (59-ФЗ, ст. 11 ч. 3)",
            told: "Текст обращения не поддаётся прочтению.",
            comment: "",
        }));
    }

    #[test]
    fn deferred() {
        insta::assert_snapshot!(shown(&Deferred {
            number: "5/2026",
            topic: "Число получателей пособий",
            reason: "сведения собираются из районов",
            until: "20.03.2026".into(),
            official: "Иванов И. И., начальник отдела",
            decided: "03.03.2026".into(),
            track: TRACK,
        }));
    }

    #[test]
    fn refused() {
        insta::assert_snapshot!(shown(&Refused {
            number: "5/2026",
            topic: "Списки получателей пособий",
            secret: "персональные данные",
            why: "каждая строка списка называет получателя",
            official: "Иванов И. И., начальник отдела",
            decided: "03.03.2026".into(),
        }));
    }

    #[test]
    fn assigned() {
        insta::assert_snapshot!(shown(&Assigned {
            number: "17/2026",
            topic: "Пособие на ребёнка",
            due: "2026-04-01",
            card: "https://portal.example/staff/o/social-protection/appeals/42",
        }));
    }

    #[test]
    fn reminders_before_and_after_the_term() {
        let mut letter = Reminder {
            kind: "обращение гражданина (59-ФЗ)",
            number: "17/2026",
            body: "Департамент социальной защиты",
            due: "01.04.2026".into(),
            overdue: false,
            card: "https://portal.example/staff/o/social-protection/appeals/42".into(),
        };
        insta::assert_snapshot!("reminder_due", shown(&letter));
        letter.overdue = true;
        insta::assert_snapshot!("reminder_overdue", shown(&letter));
    }
}
