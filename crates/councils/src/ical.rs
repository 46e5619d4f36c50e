//! Meetings as an iCalendar feed (RFC 5545) in the portal's time zone: each event's start and end
//! carry the zone's name and the feed describes the zone, so a calendar shows the local time the
//! secretary announced. A zone that moves its clocks within the feed's events is not described
//! by one offset; its events are then written in UTC, which every calendar reads right.

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

/// One event of the feed.
pub struct Event {
    /// Unique and stable: the same meeting keeps it when it changes.
    pub uid: String,
    pub starts_at: i64,
    pub ends_at: i64,
    /// When it last changed (ms).
    pub stamp: i64,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub url: String,
    pub cancelled: bool,
}

/// Text as a property's value: backslash, semicolon, comma and line breaks escaped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (never inside a character), ended by CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn utc(ms: i64) -> String {
    Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string()).unwrap_or_default()
}

fn offset_text(o: Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("{sign}{:02}{:02}", secs / 3600, secs % 3600 / 60)
}

fn offset_at(tz: &TimeZone, ms: i64) -> Option<Offset> {
    Some(tz.to_offset(Timestamp::from_millisecond(ms).ok()?))
}

/// The zone's one offset over these events, if it has one (and is not UTC itself).
fn one_offset(tz: &TimeZone, events: &[Event]) -> Option<Offset> {
    if tz.iana_name() == Some("UTC") || tz.iana_name() == Some("Etc/UTC") {
        return None;
    }
    let now = offset_at(tz, Timestamp::now().as_millisecond())?;
    events.iter().flat_map(|e| [e.starts_at, e.ends_at]).all(|ms| offset_at(tz, ms) == Some(now)).then_some(now)
}

/// The whole feed.
pub fn calendar(name: &str, tz: &TimeZone, events: &[Event]) -> String {
    let mut out = String::with_capacity(512 + events.len() * 600);
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Glasnost//Meetings//RU");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
    let zone = tz.iana_name().unwrap_or("UTC");
    let fixed = one_offset(tz, events);
    if let Some(o) = fixed {
        line(&mut out, &format!("X-WR-TIMEZONE:{zone}"));
        line(&mut out, "BEGIN:VTIMEZONE");
        line(&mut out, &format!("TZID:{zone}"));
        line(&mut out, "BEGIN:STANDARD");
        line(&mut out, "DTSTART:19700101T000000");
        line(&mut out, &format!("TZOFFSETFROM:{}", offset_text(o)));
        line(&mut out, &format!("TZOFFSETTO:{}", offset_text(o)));
        line(&mut out, &format!("TZNAME:{}", offset_text(o)));
        line(&mut out, "END:STANDARD");
        line(&mut out, "END:VTIMEZONE");
    }
    let local = |ms: i64, prop: &str| match fixed {
        Some(_) => Timestamp::from_millisecond(ms)
            .map(|t| format!("{prop};TZID={zone}:{}", t.to_zoned(tz.clone()).strftime("%Y%m%dT%H%M%S")))
            .unwrap_or_default(),
        None => format!("{prop}:{}", utc(ms)),
    };
    for e in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", text(&e.uid)));
        line(&mut out, &format!("DTSTAMP:{}", utc(e.stamp)));
        line(&mut out, &local(e.starts_at, "DTSTART"));
        line(&mut out, &local(e.ends_at, "DTEND"));
        line(&mut out, &format!("SUMMARY:{}", text(&e.summary)));
        if !e.location.is_empty() {
            line(&mut out, &format!("LOCATION:{}", text(&e.location)));
        }
        if !e.description.is_empty() {
            line(&mut out, &format!("DESCRIPTION:{}", text(&e.description)));
        }
        line(&mut out, &format!("URL:{}", e.url.replace(['\r', '\n'], "")));
        line(&mut out, if e.cancelled { "STATUS:CANCELLED" } else { "STATUS:CONFIRMED" });
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// A meeting's start as people read it: «17.12.2026, 15:00».
pub fn when_ru(ms: i64, tz: &TimeZone) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned(tz.clone()).strftime("%d.%m.%Y, %H:%M").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(starts_at: i64) -> Event {
        Event {
            uid: "meeting-1@example".into(),
            starts_at,
            ends_at: starts_at + 7_200_000,
            stamp: starts_at - 86_400_000,
            summary: "Общественный совет: заседание".into(),
            location: "г. Томск, пр. Ленина, 111; зал 3".into(),
            description: "Повестка:\n1. О плане, докладчик — член совета".into(),
            url: "https://portal.example/o/x/councils/meetings/1".into(),
            cancelled: false,
        }
    }

    /// 2026-12-17 08:00 UTC: 15:00 in Tomsk.
    const START: i64 = 1_797_494_400_000;

    #[test]
    fn a_fixed_zone_is_described_and_events_are_in_local_time() {
        let tz = TimeZone::get("Asia/Tomsk").expect("zone");
        let ics = calendar("Совет", &tz, &[event(START)]);
        assert!(ics.contains("TZID:Asia/Tomsk\r\n") && ics.contains("TZOFFSETTO:+0700\r\n"), "{ics}");
        assert!(ics.contains("DTSTART;TZID=Asia/Tomsk:20261217T150000\r\n"), "{ics}");
        assert!(ics.contains("DTEND;TZID=Asia/Tomsk:20261217T170000\r\n"));
        assert!(ics.contains("LOCATION:г. Томск\\, пр. Ленина\\, 111\\; зал 3\r\n"), "{ics}");
    }

    #[test]
    fn utc_and_zones_with_clock_changes_are_written_in_utc() {
        let ics = calendar("Совет", &TimeZone::UTC, &[event(START)]);
        assert!(ics.contains("DTSTART:20261217T080000Z\r\n") && !ics.contains("VTIMEZONE"), "{ics}");
        // Berlin moves its clocks: a winter and a summer meeting cannot share one offset.
        let berlin = TimeZone::get("Europe/Berlin").expect("zone");
        let ics = calendar("Совет", &berlin, &[event(START), event(START - 200 * 86_400_000)]);
        assert!(!ics.contains("VTIMEZONE") && ics.contains("DTSTART:20261217T080000Z"), "{ics}");
    }

    #[test]
    fn long_lines_fold_between_characters_at_75_octets() {
        let tz = TimeZone::get("Asia/Tomsk").expect("zone");
        let mut e = event(START);
        e.description = "Повестка заседания общественного совета ".repeat(10);
        let ics = calendar("Совет", &tz, &[e]);
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}", "Повестка заседания общественного совета ".repeat(10))));
    }

    #[test]
    fn a_time_is_read_in_the_zone() {
        assert_eq!(when_ru(START, &TimeZone::get("Asia/Tomsk").expect("zone")), "17.12.2026, 15:00");
    }
}
