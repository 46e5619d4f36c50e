//! What a body publishes on its site (seed 000 §5–16, §33): pages, documents, news,
//! announcements and vacancies — each a series of versions (§38), the newest one in force. This
//! module is pure: the kinds and their addresses, a version's fields checked, its Markdown made
//! safe HTML, and the differences between two versions.

use std::fmt::Write as _;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

/// The kinds of content, each with its public folder (`/o/{slug}/{folder}/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    News,
    Document,
    Page,
    Announcement,
    Vacancy,
    /// One of the body's leadership: the name as the title, the position as the lead, the
    /// biography as the text, a portrait as the photo (§8).
    Leader,
}

pub const KINDS: [Kind; 6] = [Kind::News, Kind::Document, Kind::Announcement, Kind::Vacancy, Kind::Leader, Kind::Page];

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::News => "news",
            Kind::Document => "document",
            Kind::Page => "page",
            Kind::Announcement => "announcement",
            Kind::Vacancy => "vacancy",
            Kind::Leader => "leader",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        KINDS.into_iter().find(|k| k.code() == code)
    }

    /// The folder of its public pages.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::News => "news",
            Kind::Document => "documents",
            Kind::Page => "pages",
            Kind::Announcement => "announcements",
            Kind::Vacancy => "vacancies",
            Kind::Leader => "leadership",
        }
    }

    /// Whether it may carry a photo (a document: an infographic explaining it, §25).
    pub fn has_picture(self) -> bool {
        matches!(self, Kind::News | Kind::Announcement | Kind::Leader | Kind::Document)
    }

    /// The key of its plural name among the interface strings.
    pub fn plural_key(self) -> &'static str {
        match self {
            Kind::News => "content_news",
            Kind::Document => "content_documents",
            Kind::Page => "content_pages",
            Kind::Announcement => "content_announcements",
            Kind::Vacancy => "content_vacancies",
            Kind::Leader => "content_leadership",
        }
    }

    /// The key of its singular name.
    pub fn one_key(self) -> &'static str {
        match self {
            Kind::News => "content_one_news",
            Kind::Document => "content_one_document",
            Kind::Page => "content_one_page",
            Kind::Announcement => "content_one_announcement",
            Kind::Vacancy => "content_one_vacancy",
            Kind::Leader => "content_one_leader",
        }
    }
}

/// The kinds of acts a document can be (the words bodies use for them, kept as written), each
/// with the key of its name in the interface.
pub const ACT_KINDS: &[(&str, &str)] = &[
    ("Приказ", "act_order"),
    ("Распоряжение", "act_directive"),
    ("Постановление", "act_resolution"),
    ("Решение", "act_decision"),
    ("Положение", "act_regulation"),
    ("Регламент", "act_procedure"),
    ("План", "act_plan"),
    ("Доклад", "act_report"),
    ("Отчёт", "act_account"),
    ("Протокол", "act_minutes"),
    ("Иной документ", "act_other"),
];

/// Limits of one version's fields, in characters.
pub const TITLE_MAX: usize = 300;
pub const LEAD_MAX: usize = 1000;
pub const TEXT_MAX: usize = 200_000;
pub const NOTE_MAX: usize = 500;
pub const ALT_MAX: usize = 300;

/// A version as an editor fills it in.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Fields {
    pub title: String,
    pub lead: String,
    pub text: String,
    pub act_kind: String,
    pub act_number: String,
    pub act_date: String,
    /// What the photo shows (news and announcements), for those who cannot see it.
    pub image_alt: String,
    /// The catalogue item it publishes, if any.
    pub item: String,
    /// What changed, in the editor's words (for a new version).
    pub note: String,
    /// A video explaining a document (its address on a video site), if any (§25).
    pub video: String,
}

impl Fields {
    /// The fields trimmed and checked for a `kind`: each error names its field.
    pub fn checked(&self, kind: Kind) -> Result<Fields, Vec<(&'static str, String)>> {
        let mut f = Fields {
            title: one_line(&self.title),
            lead: self.lead.trim().replace("\r\n", "\n"),
            text: self.text.trim_end().replace("\r\n", "\n"),
            act_kind: self.act_kind.trim().to_string(),
            act_number: one_line(&self.act_number),
            act_date: self.act_date.trim().to_string(),
            image_alt: one_line(&self.image_alt),
            item: self.item.trim().to_string(),
            note: one_line(&self.note),
            video: self.video.trim().to_string(),
        };
        let mut errors = vec![];
        let chars = |s: &str| s.chars().count();
        if f.title.is_empty() {
            errors.push(("title", "введите заголовок".to_string()));
        } else if chars(&f.title) > TITLE_MAX {
            errors.push(("title", format!("заголовок длиннее {TITLE_MAX} знаков")));
        }
        if chars(&f.lead) > LEAD_MAX {
            errors.push(("lead", format!("краткое описание длиннее {LEAD_MAX} знаков")));
        } else if kind == Kind::Leader && f.lead.is_empty() {
            errors.push(("lead", "укажите должность".to_string()));
        }
        if chars(&f.text) > TEXT_MAX {
            errors.push(("text", format!("текст длиннее {TEXT_MAX} знаков")));
        } else if f.text.trim().is_empty() && kind != Kind::Document {
            errors.push(("text", "введите текст".to_string()));
        }
        if chars(&f.image_alt) > ALT_MAX {
            errors.push(("image_alt", format!("описание изображения длиннее {ALT_MAX} знаков")));
        }
        if !kind.has_picture() {
            f.image_alt.clear();
        }
        if chars(&f.note) > NOTE_MAX {
            errors.push(("note", format!("описание изменений длиннее {NOTE_MAX} знаков")));
        }
        if kind != Kind::Document {
            f.video.clear();
        } else if !f.video.is_empty() && !video_address(&f.video) {
            errors.push(("video", "укажите адрес видео на видеохостинге, начиная с https://".to_string()));
        }
        if kind == Kind::Document {
            if !ACT_KINDS.iter().any(|(k, _)| *k == f.act_kind) {
                errors.push(("act_kind", "выберите вид документа из списка".to_string()));
            }
            if chars(&f.act_number) > 100 {
                errors.push(("act_number", "номер длиннее 100 знаков".to_string()));
            }
            match f.act_date.parse::<jiff::civil::Date>() {
                Ok(_) => {}
                Err(_) if f.act_date.is_empty() => {
                    errors.push(("act_date", "укажите дату документа".to_string()));
                }
                Err(_) => errors.push(("act_date", "дата документа — в виде ГГГГ-ММ-ДД".to_string())),
            }
        } else {
            f.act_kind.clear();
            f.act_number.clear();
            f.act_date.clear();
        }
        if errors.is_empty() { Ok(f) } else { Err(errors) }
    }

    /// The version as plain lines, for comparing two of them.
    pub fn lines(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.title);
        if !self.act_kind.is_empty() {
            let _ = writeln!(out, "{} № {} от {}", self.act_kind, self.act_number, self.act_date);
        }
        if !self.lead.is_empty() {
            let _ = writeln!(out, "\n{}", self.lead);
        }
        if !self.image_alt.is_empty() {
            let _ = writeln!(out, "\nИзображение: {}", self.image_alt);
        }
        if !self.video.is_empty() {
            let _ = writeln!(out, "\nВидео: {}", self.video);
        }
        let _ = writeln!(out, "\n{}", self.text);
        out
    }
}

/// Whether a video's address is one a page may link to: http(s), a host, at most 500 characters.
fn video_address(s: &str) -> bool {
    s.len() <= 500
        && url::Url::parse(s)
            .is_ok_and(|u| matches!(u.scheme(), "https" | "http") && u.host_str().is_some_and(|h| h.contains('.')))
}

/// The host of a video's address, to name the site it is on.
pub fn video_host(s: &str) -> String {
    url::Url::parse(s)
        .ok()
        .and_then(|u| u.host_str().map(|h| h.trim_start_matches("www.").to_string()))
        .unwrap_or_default()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Markdown as safe HTML: headings from `h2` (the page's title is its only `h1`), no raw
/// HTML, no images from elsewhere (a visitor's address is nobody else's business), links
/// marked as leading out.
pub fn html(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|e| match e {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: lower(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        // Raw HTML is shown as the text it is, not run.
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        other => other,
    });
    let mut raw = String::new();
    pulldown_cmark::html::push_html(&mut raw, parser);
    ammonia::Builder::default()
        .rm_tags(["img"])
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .clean(&raw)
        .to_string()
}

/// The text read from a document's file as HTML: each line a paragraph, each run of
/// tab-separated lines a table (a cell's own lines kept apart), everything escaped.
pub fn file_html(text: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\u{2028}', "<br>")
    };
    let mut out = String::new();
    let mut in_table = false;
    for line in text.lines() {
        let row = line.contains('\t');
        if row != in_table {
            out.push_str(if row { "<table><tbody>" } else { "</tbody></table>" });
            in_table = row;
        }
        if row {
            out.push_str("<tr>");
            for cell in line.split('\t') {
                let _ = write!(out, "<td>{}</td>", escape(cell.trim()));
            }
            out.push_str("</tr>");
        } else if !line.trim().is_empty() {
            let _ = write!(out, "<p>{}</p>", escape(line.trim()));
        }
    }
    if in_table {
        out.push_str("</tbody></table>");
    }
    out
}

fn lower(level: HeadingLevel) -> HeadingLevel {
    if level == HeadingLevel::H1 { HeadingLevel::H2 } else { level }
}

pub use kernel::diff::{Line, diff};

#[cfg(test)]
mod tests {
    use super::*;

    fn news(title: &str, text: &str) -> Fields {
        Fields { title: title.into(), text: text.into(), ..Fields::default() }
    }

    #[test]
    fn a_version_is_trimmed_and_checked_for_its_kind() {
        let f = news("  Приём   граждан \n", "Текст\r\nвторой строкой\n\n").checked(Kind::News).expect("valid");
        assert_eq!(f.title, "Приём граждан");
        assert_eq!(f.text, "Текст\nвторой строкой");
        let e = news("", " ").checked(Kind::News).expect_err("empty");
        assert_eq!(e.iter().map(|(k, _)| *k).collect::<Vec<_>>(), ["title", "text"]);
        let long = "я".repeat(TITLE_MAX + 1);
        assert!(news(&long, "т").checked(Kind::Page).is_err());
        assert!(news(&"я".repeat(TITLE_MAX), "т").checked(Kind::Page).is_ok());
    }

    #[test]
    fn a_document_needs_its_kind_and_date_and_may_have_no_text() {
        let mut f = news("О плане", "");
        let e = f.checked(Kind::Document).expect_err("no kind, no date");
        assert_eq!(e.iter().map(|(k, _)| *k).collect::<Vec<_>>(), ["act_kind", "act_date"]);
        assert_eq!(e[1].1, "укажите дату документа");
        f.act_kind = "Приказ".into();
        f.act_date = "03.04.2017".into();
        let e = f.checked(Kind::Document).expect_err("date in the wrong form");
        assert_eq!(e[0].0, "act_date");
        f.act_date = "2017-04-03".into();
        f.act_number = "149".into();
        let ok = f.checked(Kind::Document).expect("valid");
        assert_eq!(ok.lines(), "О плане\nПриказ № 149 от 2017-04-03\n\n\n");
        // An act's details mean nothing on a news item and are not kept.
        let n = Fields { text: "т".into(), ..f }.checked(Kind::News).expect("news");
        assert!(n.act_kind.is_empty() && n.act_date.is_empty());
    }

    #[test]
    fn markdown_becomes_safe_html() {
        let h = html("# Заголовок\n\n### Подраздел\n\nАбзац с [ссылкой](https://example.org) и **выделением**.");
        assert!(h.contains("<h2>Заголовок</h2>") && h.contains("<h3>Подраздел</h3>"), "{h}");
        assert!(h.contains(r#"<a href="https://example.org" rel="noopener noreferrer nofollow">ссылкой</a>"#), "{h}");
        assert!(h.contains("<strong>выделением</strong>"), "{h}");
        let bad = html(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) ![i](https://tracker.example/p.gif)\n\n<img src=x onerror=alert(1)>",
        );
        assert!(!bad.contains("<script"), "{bad}");
        assert!(!bad.contains("javascript:"), "{bad}");
        assert!(!bad.contains("<img"), "{bad}");
        assert!(bad.contains("&lt;script&gt;"), "raw HTML is shown as text: {bad}");
        let table = html("| Год | Число |\n|---|---|\n| 2026 | 5 |");
        assert!(table.contains("<table>") && table.contains("<td>2026</td>"), "{table}");
    }

    #[test]
    fn a_files_text_is_paragraphs_and_tables_escaped() {
        let h = file_html("Приказ <№ 1>\n\n1.\tОтдел\u{2028}Пресс-служба\n2.\t\"Кадры\"\nИтог");
        assert_eq!(
            h,
            "<p>Приказ &lt;№ 1&gt;</p><table><tbody><tr><td>1.</td><td>Отдел<br>Пресс-служба</td></tr>\
             <tr><td>2.</td><td>&quot;Кадры&quot;</td></tr></tbody></table><p>Итог</p>"
        );
    }

    #[test]
    fn the_diff_shows_changes_with_their_context_and_counts_the_rest() {
        let old: String = (1..=20).map(|n| format!("строка {n}\n")).collect();
        let new = old.replace("строка 10\n", "строка десять\n");
        let d = diff(&old, &new);
        assert_eq!(d.first(), Some(&Line::Gap(6)));
        assert!(d.contains(&Line::Removed("строка 10".into())));
        assert!(d.contains(&Line::Added("строка десять".into())));
        assert_eq!(d.iter().filter(|l| matches!(l, Line::Same(_))).count(), 6);
        assert_eq!(d.last(), Some(&Line::Gap(7)));
        assert!(diff(&old, &old).is_empty());
    }
}
