//! Outgoing e-mail: through SMTP when `smtp_url` is set, otherwise into a folder as .eml
//! files (development). Sending is only ever done by the outbox worker.
//!
//! At least once, never lost: the outbox marks a job done only after the server has
//! answered 250 to the final dot. A process killed between that answer and the commit sends
//! the message again after a restart, with the same `Message-ID` (stable per job), so the
//! recipient's mail system can recognise the repeat. SMTP offers no way to make this window
//! vanish; of the two possible failures (a lost letter, a repeated one) we choose the second,
//! since a lost acknowledgement to a citizen can cost them a legal deadline.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::{Address, Message};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::config::Config;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    /// An HTML part beside the text (mailings), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Headers of its own (`List-Unsubscribe`, `List-Unsubscribe-Post`, `List-Id`): ASCII names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
}

impl OutgoingEmail {
    /// A plain-text letter.
    pub fn plain(to: impl Into<String>, subject: impl Into<String>, text: impl Into<String>) -> OutgoingEmail {
        OutgoingEmail { to: to.into(), subject: subject.into(), text: text.into(), ..OutgoingEmail::default() }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum TlsMode {
    None,
    /// STARTTLS; `required` refuses to send in clear text when the server does not offer it.
    StartTls {
        required: bool,
    },
    Implicit,
}

#[derive(Clone, Debug)]
pub struct SmtpSettings {
    host: String,
    port: u16,
    tls: TlsMode,
    credentials: Option<(String, String)>,
    timeout: Duration,
}

impl SmtpSettings {
    /// `smtp://[user:password@]host[:port][?tls=required|opportunistic]` or `smtps://…`.
    fn parse(url: &str) -> anyhow::Result<SmtpSettings> {
        let u = url::Url::parse(url).context("not a URL")?;
        let host = u.host_str().context("the URL has no host")?.to_string();
        let tls_param = u.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
        let (tls, default_port) = match (u.scheme(), tls_param.as_deref()) {
            ("smtps", _) => (TlsMode::Implicit, 465),
            ("smtp", None | Some("none")) => (TlsMode::None, 25),
            ("smtp", Some("required")) => (TlsMode::StartTls { required: true }, 587),
            ("smtp", Some("opportunistic")) => (TlsMode::StartTls { required: false }, 587),
            ("smtp", Some(other)) => anyhow::bail!("unknown tls={other}: use required, opportunistic or none"),
            (other, _) => anyhow::bail!("unsupported scheme {other}: use smtp or smtps"),
        };
        let credentials = if u.username().is_empty() {
            None
        } else {
            let dec =
                |s: &str| url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
            Some((dec(u.username()).unwrap_or_default(), dec(u.password().unwrap_or_default()).unwrap_or_default()))
        };
        Ok(SmtpSettings {
            host,
            port: u.port().unwrap_or(default_port),
            tls,
            credentials,
            timeout: Duration::from_secs(60),
        })
    }

    async fn connect(&self) -> anyhow::Result<AsyncSmtpConnection> {
        let hello = ClientId::default();
        let params = || TlsParameters::new(self.host.clone()).context("TLS parameters");
        let mut conn = if self.tls == TlsMode::Implicit {
            AsyncSmtpConnection::connect_tokio1(
                (self.host.as_str(), self.port),
                Some(self.timeout),
                &hello,
                Some(params()?),
                None,
            )
            .await?
        } else {
            let tcp =
                tokio::time::timeout(self.timeout, tokio::net::TcpStream::connect((self.host.as_str(), self.port)))
                    .await
                    .context("timed out connecting to the SMTP server")??;
            // Small SMTP commands must not wait for delayed acknowledgements.
            tcp.set_nodelay(true)?;
            AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &hello).await?
        };
        if let TlsMode::StartTls { required } = self.tls {
            if conn.can_starttls() {
                conn.starttls(params()?, &hello).await?;
            } else if required {
                anyhow::bail!("the SMTP server does not offer STARTTLS, and tls=required");
            }
        }
        if let Some((user, password)) = &self.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], &Credentials::new(user.clone(), password.clone())).await?;
        }
        Ok(conn)
    }
}

pub enum Mailer {
    /// Its connections (`smtp_connections`), each used by one send at a time and kept open.
    Smtp {
        settings: SmtpSettings,
        conns: Vec<Mutex<Option<AsyncSmtpConnection>>>,
    },
    Folder(PathBuf),
}

/// How a send ended.
#[derive(Debug)]
pub enum Outcome {
    /// The server accepted the message (it answered 250 to the final dot), with its reply.
    Accepted(String),
    /// It failed before the final dot was sent: nothing was delivered; retry.
    NotSent(anyhow::Error),
    /// The server refused the message after the final dot; retry (or give up when permanent).
    Refused { error: anyhow::Error, permanent: bool },
    /// The final dot was sent but no answer came back: probably delivered, not confirmed.
    Unconfirmed(anyhow::Error),
}

impl Mailer {
    pub fn from_config(cfg: &Config) -> anyhow::Result<Mailer> {
        match &cfg.smtp_url {
            Some(url) => {
                let settings = SmtpSettings::parse(url)
                    .with_context(|| format!("smtp_url is not usable: {}", crate::db::redact_url(url)))?;
                let conns = (0..cfg.smtp_connections.max(1)).map(|_| Mutex::new(None)).collect();
                Ok(Mailer::Smtp { settings, conns })
            }
            None => Ok(Mailer::Folder(cfg.mail_dir())),
        }
    }

    fn build(from: &str, message_id: &str, m: &OutgoingEmail) -> anyhow::Result<Message> {
        let from: Mailbox = from.parse().with_context(|| format!("mail_from is not an address: {from}"))?;
        let to: Mailbox = m.to.parse().with_context(|| format!("not an e-mail address: {}", m.to))?;
        let mut builder =
            Message::builder().from(from).to(to).subject(m.subject.clone()).message_id(Some(message_id.to_string()));
        for (name, value) in &m.headers {
            let name = HeaderName::new_from_ascii(name.clone()).map_err(|e| anyhow::anyhow!("header {name}: {e}"))?;
            builder = builder.raw_header(HeaderValue::new(name, value.clone()));
        }
        match &m.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(m.text.clone(), html.clone())),
            None => builder.header(ContentType::TEXT_PLAIN).body(m.text.clone()),
        }
        .context("cannot build the message")
    }

    /// Sends one message. `message_id` is stable per outbox job; the folder mailer names
    /// the file after it, so a repeated attempt replaces its file rather than adding one.
    pub async fn send(&self, from: &str, message_id: &str, m: &OutgoingEmail) -> Outcome {
        let message = match Self::build(from, message_id, m) {
            Ok(msg) => msg,
            Err(e) => return Outcome::Refused { error: e, permanent: true },
        };
        match self {
            Mailer::Folder(dir) => {
                let name: String =
                    message_id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.').collect();
                let (path, tmp) = (dir.join(format!("{name}.eml")), dir.join(format!("{name}.eml.tmp")));
                let written = async {
                    tokio::fs::create_dir_all(dir).await.with_context(|| format!("cannot create {}", dir.display()))?;
                    tokio::fs::write(&tmp, message.formatted())
                        .await
                        .with_context(|| format!("cannot write {}", tmp.display()))
                }
                .await;
                if let Err(e) = written {
                    return Outcome::NotSent(e);
                }
                // Same name for every attempt: a repeated rename replaces, never duplicates.
                match tokio::fs::rename(&tmp, &path).await {
                    Ok(()) => Outcome::Accepted(format!("written to {}", path.display())),
                    Err(e) => Outcome::Unconfirmed(e.into()),
                }
            }
            Mailer::Smtp { settings, conns } => {
                // A free connection, or (all busy) the first when it is free.
                let mut guard = match conns.iter().find_map(|c| c.try_lock().ok()) {
                    Some(g) => g,
                    None => match conns.first() {
                        Some(c) => c.lock().await,
                        None => return Outcome::NotSent(anyhow::anyhow!("no SMTP connection")),
                    },
                };
                if guard.as_mut().is_some_and(|c| c.has_broken()) {
                    *guard = None;
                }
                if guard.is_none() {
                    match settings.connect().await {
                        Ok(c) => *guard = Some(c),
                        Err(e) => return Outcome::NotSent(e.context("cannot connect to the SMTP server")),
                    }
                }
                let Some(c) = guard.as_mut() else { return Outcome::NotSent(anyhow::anyhow!("no SMTP connection")) };
                let outcome = Self::transaction(c, &message).await;
                if !matches!(outcome, Outcome::Accepted(_)) {
                    // Start the next message on a fresh connection.
                    if let Some(mut c) = guard.take() {
                        c.abort().await;
                    }
                }
                outcome
            }
        }
    }

    async fn transaction(c: &mut AsyncSmtpConnection, message: &Message) -> Outcome {
        let envelope = message.envelope();
        let body = message.formatted();
        let mut params = Vec::new();
        if !body.is_ascii() {
            if !c.server_info().supports_feature(Extension::EightBitMime) {
                return Outcome::Refused {
                    error: anyhow::anyhow!("the SMTP server does not accept 8-bit messages"),
                    permanent: true,
                };
            }
            params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let from: Option<Address> = envelope.from().cloned();
        let before_dot = async {
            c.command(Mail::new(from, params)).await?;
            for to in envelope.to() {
                c.command(Rcpt::new(to.clone(), vec![])).await?;
            }
            c.command(Data).await?;
            Ok::<(), lettre::transport::smtp::Error>(())
        }
        .await;
        match before_dot {
            Ok(()) => {}
            // A recipient refused for good (550 no such user): nothing was sent, and never will be.
            Err(e) if e.is_permanent() => return Outcome::Refused { error: e.into(), permanent: true },
            Err(e) => return Outcome::NotSent(e.into()),
        }
        match c.message(&body).await {
            Ok(reply) => {
                Outcome::Accepted(format!("{} {}", reply.code(), reply.message().collect::<Vec<_>>().join(" ")))
            }
            Err(e) if e.is_response() || e.is_transient() || e.is_permanent() => {
                let permanent = e.is_permanent();
                Outcome::Refused { error: e.into(), permanent }
            }
            Err(e) => Outcome::Unconfirmed(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls() -> anyhow::Result<()> {
        let s = SmtpSettings::parse("smtp://127.0.0.1:2525")?;
        assert_eq!((s.host.as_str(), s.port, s.tls.clone()), ("127.0.0.1", 2525, TlsMode::None));
        let s = SmtpSettings::parse("smtps://user%40x:p%3Ass@mail.example")?;
        assert_eq!((s.port, s.tls.clone()), (465, TlsMode::Implicit));
        assert_eq!(s.credentials, Some(("user@x".into(), "p:ss".into())));
        let s = SmtpSettings::parse("smtp://mail.example?tls=required")?;
        assert_eq!((s.port, s.tls), (587, TlsMode::StartTls { required: true }));
        assert!(SmtpSettings::parse("http://mail.example").is_err());
        assert!(SmtpSettings::parse("smtp://mail.example?tls=maybe").is_err());
        Ok(())
    }
}
