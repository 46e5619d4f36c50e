//! The letters of a discussion: each a plain-text template in `templates/letters/` with its subject.

use askama::Template;
pub use shell::letter::Letter;

/// To the author of a comment: it is received and waits for moderation.
#[derive(Template)]
#[template(path = "letters/comment_received.txt")]
pub struct CommentReceived<'a> {
    pub subject: &'a str,
    pub id: i64,
    pub page: &'a str,
    pub text: &'a str,
}

impl Letter for CommentReceived<'_> {
    fn subject(&self) -> String {
        format!("Ваш комментарий к проекту «{}» получен", self.subject)
    }
}

/// To the author of a comment where the address must be confirmed: the link that confirms it.
#[derive(Template)]
#[template(path = "letters/comment_confirm.txt")]
pub struct ConfirmComment<'a> {
    pub subject: &'a str,
    pub id: i64,
    pub link: &'a str,
    pub text: &'a str,
}

impl Letter for ConfirmComment<'_> {
    fn subject(&self) -> String {
        format!("Подтвердите комментарий к проекту «{}»", self.subject)
    }
}

/// To the author of a comment: the body's answer.
#[derive(Template)]
#[template(path = "letters/comment_reply.txt")]
pub struct CommentReply<'a> {
    pub subject: &'a str,
    pub id: i64,
    pub reply: &'a str,
    pub page: &'a str,
}

impl Letter for CommentReply<'_> {
    fn subject(&self) -> String {
        format!("Ответ на ваш комментарий к проекту «{}»", self.subject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://portal.example/o/social-protection/openness/discussion/3";

    #[test]
    fn comment_received() {
        let letter = CommentReceived {
            subject: "План 2026", id: 7, page: PAGE, text: "Предлагаю сократить срок."
        };
        insta::assert_snapshot!(letter.shown().expect("renders"));
    }

    #[test]
    fn comment_reply() {
        let letter = CommentReply {
            subject: "План 2026", id: 7, reply: "Спасибо, срок сокращён.", page: PAGE
        };
        insta::assert_snapshot!(letter.shown().expect("renders"));
    }

    #[test]
    fn comment_confirm() {
        let link = "https://portal.example/o/social-protection/drafts/4/confirm/9/abc";
        let letter = ConfirmComment {
            subject: "Проект приказа", id: 9, link, text: "Статью 2 сократить."
        };
        insta::assert_snapshot!(letter.shown().expect("renders"));
    }
}
