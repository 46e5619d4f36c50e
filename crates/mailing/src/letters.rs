//! The mailing's letters. Every letter to a subscriber carries, in its text and its headers, the
//! way out: a visible link to the preferences page and to unsubscribe, `List-Unsubscribe` with
//! `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058) so a mail program can offer the
//! button, and `List-Id`. A campaign's HTML part is made from its text here (paragraphs and links,
//! everything escaped): staff write no markup, so no markup of theirs reaches anyone.

use askama::Template;
use kernel::error::Result;
use kernel::mail::OutgoingEmail;
use shell::letter::Letter;

use crate::campaigns::{Campaign, Sender};

/// Who a letter goes to.
#[derive(Clone, Debug)]
pub struct Recipient {
    pub id: i64,
    pub email: String,
    pub lang: String,
    /// Empty for a test letter to staff (its links then lead to the subscription page).
    pub manage_token: String,
}

pub fn preferences_url(base: &str, token: &str) -> String {
    format!("{base}/mailing/preferences/{token}")
}

pub fn unsubscribe_url(base: &str, token: &str) -> String {
    format!("{base}/mailing/unsubscribe/{token}")
}

/// The headers of a letter to a subscriber.
fn list_headers(base: &str, r: &Recipient) -> Vec<(String, String)> {
    let host = url::Url::parse(base).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    let mut h = vec![("List-Id".to_string(), format!("<mailing.{host}>"))];
    if !r.manage_token.is_empty() {
        h.push(("List-Unsubscribe".into(), format!("<{}>", unsubscribe_url(base, &r.manage_token))));
        h.push(("List-Unsubscribe-Post".into(), "List-Unsubscribe=One-Click".into()));
    }
    h
}

#[derive(Template)]
#[template(path = "letters/campaign.txt")]
struct CampaignText<'a> {
    s: &'a Sender,
    text: &'a str,
    en: bool,
    preferences: String,
    unsubscribe: String,
}

#[derive(Template)]
#[template(path = "letters/campaign.html")]
struct CampaignHtml<'a> {
    s: &'a Sender,
    subject: &'a str,
    paragraphs: Vec<Vec<Piece>>,
    en: bool,
    preferences: String,
    unsubscribe: String,
}

/// A piece of a paragraph line: text, a link, or a line break.
pub enum Piece {
    Text(String),
    Link(String),
    Break,
}

/// A text as paragraphs (blank lines apart) of pieces, web addresses as links.
pub fn paragraphs(text: &str) -> Vec<Vec<Piece>> {
    let mut out = Vec::new();
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let mut pieces = Vec::new();
        for (i, line) in para.lines().enumerate() {
            if i > 0 {
                pieces.push(Piece::Break);
            }
            let mut plain = String::new();
            for (j, word) in line.split(' ').enumerate() {
                let sep = if j > 0 { " " } else { "" };
                let link = (word.starts_with("https://") || word.starts_with("http://"))
                    && url::Url::parse(word.trim_end_matches(['.', ',', ')', ';'])).is_ok();
                if link {
                    let w = word.trim_end_matches(['.', ',', ')', ';']);
                    plain.push_str(sep);
                    pieces.push(Piece::Text(std::mem::take(&mut plain)));
                    pieces.push(Piece::Link(w.to_string()));
                    plain.push_str(&word[w.len()..]);
                } else {
                    plain.push_str(sep);
                    plain.push_str(word);
                }
            }
            pieces.push(Piece::Text(plain));
        }
        out.push(pieces);
    }
    out
}

/// A campaign's letter to one subscriber: text and HTML, with the way out in both and in headers.
pub fn campaign(s: &Sender, c: &Campaign, r: &Recipient) -> Result<OutgoingEmail> {
    letter(s, &c.subject, &c.text, r)
}

/// A letter of the mailing (a campaign's, a digest) to one subscriber: the text as written, the
/// HTML part made from it, the way out in both and in the headers.
pub fn letter(s: &Sender, subject: &str, body: &str, r: &Recipient) -> Result<OutgoingEmail> {
    let (preferences, unsubscribe) = if r.manage_token.is_empty() {
        (format!("{}/mailing/", s.base), format!("{}/mailing/", s.base))
    } else {
        (preferences_url(&s.base, &r.manage_token), unsubscribe_url(&s.base, &r.manage_token))
    };
    let en = r.lang == "en";
    let render = |e: askama::Error| kernel::Error::Internal(anyhow::anyhow!("a letter did not render: {e}"));
    let text = CampaignText { s, text: body, en, preferences: preferences.clone(), unsubscribe: unsubscribe.clone() }
        .render()
        .map_err(render)?;
    let html = CampaignHtml { s, subject, paragraphs: paragraphs(body), en, preferences, unsubscribe }
        .render()
        .map_err(render)?;
    Ok(OutgoingEmail {
        to: r.email.clone(),
        subject: subject.to_string(),
        text,
        html: Some(html),
        headers: list_headers(&s.base, r),
    })
}

/// The letter with the link that confirms a subscription (§40 г).
#[derive(Template)]
#[template(path = "letters/confirm.txt")]
pub struct Confirm<'a> {
    pub operator: &'a str,
    pub link: String,
    pub hours: i64,
    pub topics: Vec<&'static str>,
}

impl Letter for Confirm<'_> {
    fn subject(&self) -> String {
        "Подтвердите подписку на рассылку".into()
    }
}

/// To an address that already gets the mailing when someone asks to subscribe it again: nothing
/// changes; the way to its preferences.
#[derive(Template)]
#[template(path = "letters/already.txt")]
pub struct Already<'a> {
    pub operator: &'a str,
    pub preferences: String,
}

impl Letter for Already<'_> {
    fn subject(&self) -> String {
        "Вы уже подписаны на рассылку".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Sender, Campaign, Recipient) {
        let s = Sender {
            base: "https://portal.example".into(),
            operator: "Портал <Томской> области".into(),
            body: "Департамент & Co".into(),
        };
        let c = Campaign {
            id: 1,
            body_id: 1,
            subject: "Приглашаем на конференцию".into(),
            text: "Здравствуйте!\n\nКонференция пройдёт 15.12. Вопросы: https://portal.example/o/x/conferences/1.\n<script>alert(1)</script>".into(),
            topics: vec!["conferences".into()],
            bodies: vec![1],
            status: "draft".into(),
            send_at: None,
            recipients: 0,
            created_at: 0,
            started_at: None,
            finished_at: None,
        };
        let r = Recipient { id: 7, email: "a@b.ru".into(), lang: "ru".into(), manage_token: "t".repeat(64) };
        (s, c, r)
    }

    #[test]
    fn a_campaign_letter_carries_its_way_out_and_no_markup_of_its_author() -> Result<()> {
        let (s, c, r) = sample();
        let m = campaign(&s, &c, &r)?;
        let unsub = format!("https://portal.example/mailing/unsubscribe/{}", "t".repeat(64));
        assert!(m.headers.contains(&("List-Unsubscribe".into(), format!("<{unsub}>"))));
        assert!(m.headers.contains(&("List-Unsubscribe-Post".into(), "List-Unsubscribe=One-Click".into())));
        assert!(m.text.contains(&unsub) && m.text.contains("/mailing/preferences/"), "{}", m.text);
        let html = m.html.unwrap_or_default();
        assert!(html.contains(&unsub), "{html}");
        assert!(!html.contains("<script>") && html.contains("&#60;script&#62;alert(1)"), "{html}");
        assert!(html.contains("<a href=\"https://portal.example/o/x/conferences/1\">"), "{html}");
        assert!(html.contains("Департамент &#38; Co") && html.contains("&#60;Томской&#62;"), "{html}");
        Ok(())
    }

    #[test]
    fn a_test_letter_has_no_unsubscribe_header() -> Result<()> {
        let (s, c, mut r) = sample();
        r.manage_token.clear();
        let m = campaign(&s, &c, &r)?;
        assert!(!m.headers.iter().any(|(k, _)| k.starts_with("List-Unsubscribe")));
        Ok(())
    }
}
