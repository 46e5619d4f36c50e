//! What a discussion gave: every comment for the staff as CSV, and the summary of proposals
//! (сводка предложений) — each published comment with the body's position and its reason, in
//! the order of the draft's parts — as a table, CSV and .docx. Addresses never appear in either.

use crate::comments::{Comment, Position};

/// One proposal of the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: i64,
    /// What it is on («весь проект», «Статья 2»).
    pub unit: String,
    pub author: String,
    pub text: String,
    /// The body's position in words, or «не рассмотрено».
    pub position: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: Vec<Row>,
    /// Comments received (confirmed ones, whatever moderation did with them).
    pub received: usize,
    pub accepted: usize,
    pub partly: usize,
    pub rejected: usize,
    /// Published comments the body has not taken a position on yet.
    pub open: usize,
}

/// The summary of these comments. `unit` names a part and gives its place in the draft (parts
/// come in the draft's order, comments on the whole draft first).
pub fn build(comments: &[Comment], unit: impl Fn(Option<i64>) -> (usize, String)) -> Summary {
    let mut s =
        Summary { received: comments.iter().filter(|c| c.status != "unconfirmed").count(), ..Summary::default() };
    let mut published: Vec<(usize, &Comment, String)> = comments
        .iter()
        .filter(|c| c.status == "published")
        .map(|c| {
            let (place, label) = unit(c.unit);
            (place, c, label)
        })
        .collect();
    published.sort_by_key(|(place, c, _)| (*place, c.id));
    for (_, c, label) in published {
        let position = match Position::parse(&c.position) {
            Some(p) => {
                match p {
                    Position::Accepted => s.accepted += 1,
                    Position::Partly => s.partly += 1,
                    Position::Rejected => s.rejected += 1,
                }
                p.ru().to_string()
            }
            None => {
                s.open += 1;
                "не рассмотрено".to_string()
            }
        };
        let author = if c.author_name.is_empty() { "без подписи".to_string() } else { c.author_name.clone() };
        s.rows.push(Row { id: c.id, unit: label, author, text: c.text.clone(), position, reason: c.reply.clone() });
    }
    s
}

const HEADER: [&str; 6] = ["№", "К чему", "Автор", "Предложение", "Позиция органа", "Обоснование"];

/// The summary as CSV (cells a spreadsheet would run are written as text).
pub fn csv(s: &Summary) -> String {
    let mut out = kernel::csv::row(&HEADER.map(String::from));
    for r in &s.rows {
        out.push_str(&kernel::csv::row(&[
            r.id.to_string(),
            r.unit.clone(),
            r.author.clone(),
            r.text.clone(),
            r.position.clone(),
            r.reason.clone(),
        ]));
    }
    out
}

/// The summary as a .docx: a title, what was discussed (`about`: lines such as the draft, the
/// body, the window), the counts and the table.
pub fn docx(s: &Summary, about: &[String]) -> Result<Vec<u8>, String> {
    use office::write::Block;
    let mut blocks = vec![Block::Title("Сводка предложений по итогам общественного обсуждения".into())];
    blocks.extend(about.iter().map(|l| Block::Text(l.clone())));
    blocks.push(Block::Text(format!(
        "Поступило комментариев: {}; опубликовано: {}; учтено: {}; учтено частично: {}; отклонено: {}; \
         не рассмотрено: {}.",
        s.received,
        s.rows.len(),
        s.accepted,
        s.partly,
        s.rejected,
        s.open
    )));
    if !s.rows.is_empty() {
        blocks.push(Block::Table {
            header: HEADER.map(String::from).to_vec(),
            rows: s
                .rows
                .iter()
                .map(|r| {
                    vec![
                        r.id.to_string(),
                        r.unit.clone(),
                        r.author.clone(),
                        r.text.clone(),
                        r.position.clone(),
                        r.reason.clone(),
                    ]
                })
                .collect(),
        });
    }
    office::write::docx(&blocks)
}

/// Every comment for the staff, rejected and unconfirmed ones too (addresses left out): the
/// part column is headed `unit_header`; `status` names a status in the staff's language.
pub fn staff_csv(
    comments: &[Comment],
    unit_header: &str,
    unit: impl Fn(Option<i64>) -> String,
    status: impl Fn(&str) -> String,
    tz: &jiff::tz::TimeZone,
) -> String {
    let mut out = format!("id,received,{unit_header},author,text,status,reject_reason,reply,position\r\n");
    for c in comments {
        let received = jiff::Timestamp::from_millisecond(c.created_at)
            .map(|t| t.to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        out.push_str(&kernel::csv::row(&[
            c.id.to_string(),
            received,
            unit(c.unit),
            c.author_name.clone(),
            c.text.clone(),
            status(&c.status),
            c.reject_reason.clone(),
            c.reply.clone(),
            Position::parse(&c.position).map(|p| p.ru().to_string()).unwrap_or_default(),
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(id: i64, unit: Option<i64>, status: &str, position: &str, reply: &str) -> Comment {
        Comment {
            id,
            subject_id: 1,
            unit,
            version: 1,
            author_name: if id == 2 { String::new() } else { format!("Автор {id}") },
            email: "a@example.org".into(),
            text: format!("=Предложение {id}"),
            status: status.into(),
            reject_reason: String::new(),
            reply: reply.into(),
            replied_at: None,
            position: position.into(),
            created_at: 0,
        }
    }

    fn label(unit: Option<i64>) -> (usize, String) {
        match unit {
            None => (0, "весь проект".into()),
            Some(n) => (n as usize, format!("Статья {n}")),
        }
    }

    #[test]
    fn published_comments_in_the_draft_s_order_with_positions_and_counts() {
        let list = vec![
            comment(1, Some(2), "published", "partly", "Срок сокращён до 10 дней."),
            comment(2, None, "published", "", ""),
            comment(3, Some(1), "published", "rejected", "Противоречит закону."),
            comment(4, Some(1), "rejected", "", ""),
            comment(5, Some(3), "unconfirmed", "", ""),
            comment(6, Some(2), "published", "accepted", ""),
        ];
        let s = build(&list, label);
        let order: Vec<i64> = s.rows.iter().map(|r| r.id).collect();
        assert_eq!(order, [2, 3, 1, 6]);
        assert_eq!((s.received, s.accepted, s.partly, s.rejected, s.open), (5, 1, 1, 1, 1));
        assert_eq!(s.rows[0].author, "без подписи");
        assert_eq!(s.rows[0].position, "не рассмотрено");
        assert_eq!(s.rows[2].position, "учтено частично");
        let text = csv(&s);
        assert!(text.starts_with("№,К чему,Автор,Предложение,Позиция органа,Обоснование\r\n"));
        assert!(text.contains(",'=Предложение 1,") && !text.contains("a@example.org"), "{text}");
        let bytes = docx(&s, &["Проект приказа".into()]).expect("docx");
        let read = office::docx_text(&bytes).expect("read back");
        assert!(read.contains("Сводка предложений") && read.contains("учтено частично\tСрок сокращён до 10 дней."));
        assert!(read.contains("Поступило комментариев: 5; опубликовано: 4; учтено: 1"), "{read}");
    }

    #[test]
    fn the_staff_csv_has_every_comment_but_no_address() {
        let list = vec![comment(4, Some(1), "rejected", "", ""), comment(6, None, "published", "accepted", "Да.")];
        let text = staff_csv(
            &list,
            "measure",
            |u| u.map(|n| n.to_string()).unwrap_or_default(),
            |s| s.into(),
            &jiff::tz::TimeZone::UTC,
        );
        assert!(text.starts_with("id,received,measure,author,text,status,reject_reason,reply,position\r\n"));
        assert_eq!(text.matches("\r\n").count(), 3);
        assert!(
            text.contains("1970-01-01 00:00,1,Автор 4")
                && text.contains(",учтено\r\n")
                && !text.contains("example.org")
        );
    }
}
