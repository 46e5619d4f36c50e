//! The site's e-mails: each a plain-text template in `templates/letters/` with its subject.

use askama::Template;
pub use shell::letter::Letter;

/// To a body's editor: an item of the catalogue is due soon.
#[derive(Template)]
#[template(path = "letters/site_reminder.txt")]
pub struct Reminder<'a> {
    pub name: &'a str,
    pub body: &'a str,
    pub item: &'a str,
    pub section: &'a str,
    pub freshness: &'a str,
    pub due: String,
    pub link: String,
}

impl Letter for Reminder<'_> {
    fn subject(&self) -> String {
        format!("Напоминание: до {} обновить на сайте «{}»", self.due, self.item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminder() {
        let letter = Reminder {
            name: "Гончарова Л. И.",
            body: "Департамент социальной защиты",
            item: "Принятые нормативные правовые акты, изменения к ним, сведения о признании их недействующими",
            section: "Нормотворческая деятельность",
            freshness: "в течение 5 рабочих дней со дня официального опубликования нормативного правового акта",
            due: "10.03.2026".into(),
            link: "https://portal.example/staff/o/social-protection/site/items/rules-acts".into(),
        };
        insta::assert_snapshot!(letter.shown().expect("renders"));
    }
}
