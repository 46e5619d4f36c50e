//! The text of a real published order, as a PDF printed by a browser, is read back whole.

use std::collections::HashSet;

const PDF: &[u8] = include_bytes!("data/order-149-2017.pdf");
const SOURCE: &str = include_str!("../../roadmap/tests/fixtures/002.txt");

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() > 1).map(str::to_lowercase).collect()
}

#[test]
fn a_printed_order_is_read_back_with_its_words() {
    assert_eq!(office::sniff("Распоряжение № 149.pdf", PDF), Ok(office::Format::Pdf));
    let text = office::text(office::Format::Pdf, PDF).expect("the PDF's text");
    assert!(text.contains("РАСПОРЯЖЕНИЕ"), "{text}");
    assert!(text.contains("Об утверждении плана мероприятий («дорожной карты»)"), "{text}");
    // The source's words are found (at most one in a thousand missed): nothing dropped, no word
    // split in two by the reader's spacing.
    let read: HashSet<String> = words(&text).into_iter().collect();
    let source = words(SOURCE);
    let missing: Vec<&String> = source.iter().filter(|w| !read.contains(*w)).collect();
    assert!(
        missing.len() * 1000 <= source.len(),
        "{} of {} words not read: {:?}",
        missing.len(),
        source.len(),
        &missing[..missing.len().min(20)]
    );
}

#[test]
fn a_pdf_renamed_as_a_word_document_is_refused() {
    let e = office::sniff("Распоряжение.docx", PDF).expect_err("not a .docx");
    assert_eq!(e, office::Error::NotWhatItSays(office::Format::Docx));
}
