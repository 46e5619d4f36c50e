//! E-mails as templates: each letter of a mechanism is a plain-text template in its
//! `templates/letters/` with a subject of its own, and a snapshot test renders each one.

use askama::Template;
use kernel::mail::OutgoingEmail;
use kernel::{Error, Result};

/// A letter: its text is the template, its subject a line of its own.
pub trait Letter: Template {
    fn subject(&self) -> String;

    /// The e-mail to `address` (a bare address or `"Name" <address>`).
    fn to(&self, address: &str) -> Result<OutgoingEmail> {
        let text = self.render().map_err(|e| Error::Internal(anyhow::anyhow!("a letter did not render: {e}")))?;
        Ok(OutgoingEmail::plain(address, self.subject(), text))
    }

    /// The letter as its recipient reads it — subject, blank line, text — for snapshot tests.
    fn shown(&self) -> Result<String> {
        let mail = self.to("")?;
        Ok(format!("Subject: {}\n\n{}", mail.subject, mail.text))
    }
}

/// A staff member's address for a letter: `"Name" <address>`, or the bare address without a name
/// (the name stripped of what would break the header).
pub fn address(display_name: &str, email: &str) -> String {
    match display_name.trim() {
        "" => email.to_string(),
        name => format!("\"{}\" <{email}>", name.replace(['<', '>', '"', '\\'], "")),
    }
}
