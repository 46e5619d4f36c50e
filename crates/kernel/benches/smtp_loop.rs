//! The bare loop the mailing benchmark compares Glasnost's sending with: letters of the mailing's
//! shape built by `lettre` and sent one after another over one `lettre` SMTP connection to the same
//! server, nothing else — no database, no outbox. The socket has Nagle's algorithm off, as
//! Glasnost's has: `lettre`'s pooled transport leaves it on, and then every SMTP command waits for a
//! delayed acknowledgement (about 40 ms), which would make the reference slow for a reason that has
//! nothing to do with sending. `BENCH_SMTP_PORT` (on 127.0.0.1) and `BENCH_LETTERS` say where and how
//! many; it prints the letters handed over per second. Run by `scripts/bench mailing`.

use std::time::Instant;

use lettre::Message;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::extension::ClientId;

fn letter(i: usize) -> anyhow::Result<Message> {
    let from: Mailbox = "Glasnost <noreply@portal.example>".parse()?;
    let to: Mailbox = format!("reader{i}@example.org").parse()?;
    let text = "Здравствуйте!\n\nГлавное за неделю: https://tomsk.example/o/social-protection/news/\n\n--\n\
                Вы получили это письмо, потому что подписались на рассылку.\n";
    let html = format!("<!DOCTYPE html><html lang=\"ru\"><body><p>{}</p></body></html>", text.replace('\n', "<br>"));
    let unsubscribe = HeaderName::new_from_ascii("List-Unsubscribe".into())?;
    Ok(Message::builder()
        .from(from)
        .to(to)
        .subject("Новости департамента за неделю")
        .message_id(Some(format!("<bare-{i}@portal.example>")))
        .raw_header(HeaderValue::new(unsubscribe, format!("<https://portal.example/mailing/unsubscribe/{i}>")))
        .multipart(MultiPart::alternative_plain_html(text.to_string(), html))?)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let port: u16 = std::env::var("BENCH_SMTP_PORT").map_err(|_| anyhow::anyhow!("set BENCH_SMTP_PORT"))?.parse()?;
    let n: usize = std::env::var("BENCH_LETTERS").unwrap_or_else(|_| "5000".into()).parse()?;
    let started = Instant::now();
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    tcp.set_nodelay(true)?;
    let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &ClientId::default()).await?;
    for i in 0..n {
        let m = letter(i)?;
        conn.send(m.envelope(), &m.formatted()).await?;
    }
    conn.quit().await?;
    let secs = started.elapsed().as_secs_f64();
    println!("{n}\t{secs:.3}\t{:.1}", n as f64 / secs);
    Ok(())
}
