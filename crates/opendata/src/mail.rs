//! Open data's e-mails: each a plain-text template in `templates/letters/` with its subject.

use askama::Template;
pub use shell::letter::Letter;

/// To the reporter of an error in data: the report is registered.
#[derive(Template)]
#[template(path = "letters/report_received.txt")]
pub struct ReportReceived<'a> {
    pub dataset: &'a str,
    pub id: i64,
    pub due: String,
    pub page: &'a str,
}

impl Letter for ReportReceived<'_> {
    fn subject(&self) -> String {
        format!("Сообщение об ошибке в открытых данных зарегистрировано (№ {})", self.id)
    }
}

/// To the reporter: the publisher's decision, and the version that carries the fix.
#[derive(Template)]
#[template(path = "letters/report_decided.txt")]
pub struct ReportDecided<'a> {
    pub id: i64,
    pub decision: &'a str,
    pub response: &'a str,
    /// The data version with the fix; empty until it is fixed.
    pub fixed: &'a str,
    pub page: &'a str,
}

impl Letter for ReportDecided<'_> {
    fn subject(&self) -> String {
        format!("Сообщение № {} об ошибке в открытых данных: {}", self.id, self.decision)
    }
}

/// To the author of a request for a new dataset: it is registered.
#[derive(Template)]
#[template(path = "letters/request_received.txt")]
pub struct RequestReceived<'a> {
    pub title: &'a str,
    pub id: i64,
    pub due: String,
    pub page: &'a str,
}

impl Letter for RequestReceived<'_> {
    fn subject(&self) -> String {
        format!("Запрос на публикацию набора данных зарегистрирован (№ {})", self.id)
    }
}

/// To the author of a request: the body's answer.
#[derive(Template)]
#[template(path = "letters/request_answered.txt")]
pub struct RequestAnswered<'a> {
    pub id: i64,
    pub decision: &'a str,
    pub text: &'a str,
    pub page: &'a str,
}

impl Letter for RequestAnswered<'_> {
    fn subject(&self) -> String {
        format!("Ответ на запрос № {} о публикации набора данных", self.id)
    }
}

/// To a body's open-data officers: a dataset covering a mandatory item missed its update.
#[derive(Template)]
#[template(path = "letters/overdue.txt")]
pub struct Overdue<'a> {
    pub dataset: &'a str,
    pub body: &'a str,
    pub item: &'a str,
    pub list: &'a str,
    pub period: &'a str,
    pub due: String,
    pub upload: String,
}

impl Letter for Overdue<'_> {
    fn subject(&self) -> String {
        format!("Просрочено обновление набора открытых данных «{}»", self.dataset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATASET: &str = "Подведомственные учреждения Департамента";
    const PAGE: &str = "https://portal.example/opendata/7017000019-subdivisions/feedback";

    #[test]
    fn report_received() {
        let letter = ReportReceived { dataset: DATASET, id: 4, due: "01.04.2026".into(), page: PAGE };
        insta::assert_snapshot!(letter.shown().expect("renders"));
    }

    #[test]
    fn report_decided_before_and_after_the_fix() {
        let mut letter = ReportDecided {
            id: 4,
            decision: "принято",
            response: "Телефон будет исправлен в следующей версии.",
            fixed: "",
            page: PAGE,
        };
        insta::assert_snapshot!("report_accepted", letter.shown().expect("renders"));
        letter.decision = "исправлено";
        letter.fixed = "20260320T1000";
        insta::assert_snapshot!("report_fixed", letter.shown().expect("renders"));
    }

    #[test]
    fn request_received() {
        let letter = RequestReceived {
            title: "Очереди в детские сады",
            id: 2,
            due: "01.04.2026".into(),
            page: "https://portal.example/opendata/requests",
        };
        insta::assert_snapshot!(letter.shown().expect("renders"));
    }

    #[test]
    fn request_answered() {
        let letter = RequestAnswered {
            id: 2,
            decision: "будет опубликован",
            text: "Набор появится до конца квартала.",
            page: "https://portal.example/opendata/requests",
        };
        insta::assert_snapshot!(letter.shown().expect("renders"));
    }

    #[test]
    fn overdue() {
        let letter = Overdue {
            dataset: DATASET,
            body: "Департамент социальной защиты",
            item: "3",
            list: "Перечень общедоступной информации (1187-р)",
            period: "не реже одного раза в квартал",
            due: "25.03.2026".into(),
            upload: "https://portal.example/staff/o/social-protection/opendata/1".into(),
        };
        insta::assert_snapshot!(letter.shown().expect("renders"));
    }
}
