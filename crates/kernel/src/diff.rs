//! Two texts compared line by line, as the pages that show what changed between two versions
//! of a document or a draft render it.

/// One line of a comparison: kept, removed or added; `gap` stands for unchanged lines left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    Same(String),
    Removed(String),
    Added(String),
    Gap(usize),
}

/// The lines of `new` against `old`, with three unchanged lines around each change and the
/// rest counted.
pub fn diff(old: &str, new: &str) -> Vec<Line> {
    let d = similar::TextDiff::from_lines(old, new);
    let groups = d.grouped_ops(3);
    let total = old.lines().count();
    let mut out = vec![];
    let mut shown_to = 0;
    for group in &groups {
        let (Some(first), Some(last)) = (group.first(), group.last()) else { continue };
        let start = first.old_range().start;
        if start > shown_to {
            out.push(Line::Gap(start - shown_to));
        }
        for op in group {
            for change in d.iter_changes(op) {
                let text = change.value().trim_end_matches('\n').to_string();
                out.push(match change.tag() {
                    similar::ChangeTag::Equal => Line::Same(text),
                    similar::ChangeTag::Delete => Line::Removed(text),
                    similar::ChangeTag::Insert => Line::Added(text),
                });
            }
        }
        shown_to = last.old_range().end;
    }
    if !groups.is_empty() && total > shown_to {
        out.push(Line::Gap(total - shown_to));
    }
    out
}
