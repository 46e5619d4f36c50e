//! Cell checks, one per field type, on the raw bytes of a cell (already unquoted). Each returns
//! `None` when the value fits, or the Russian reason it does not. They are on the hot path of the
//! validator: no allocation unless a value is refused.

use crate::structure::FieldType;

/// Checks one non-empty cell against its type.
pub fn cell(kind: &FieldType, v: &[u8]) -> Option<String> {
    let ok = match kind {
        FieldType::String { max_length: None } => true,
        FieldType::String { max_length: Some(max) } => {
            let chars = chars(v);
            if chars > *max as usize {
                return Some(format!("текст длиной {chars} символов, допускается не длиннее {max}"));
            }
            true
        }
        FieldType::Integer => integer(v),
        FieldType::Decimal => decimal(v),
        FieldType::Date => date(v),
        FieldType::DateTime => datetime(v),
        FieldType::Boolean => boolean(v),
        FieldType::Url => url(v),
        FieldType::Email => email(v),
        FieldType::Latitude => degrees(v, 90.0),
        FieldType::Longitude => degrees(v, 180.0),
    };
    if ok {
        return None;
    }
    let hint = match kind {
        FieldType::Decimal if v.contains(&b',') => "десятичный разделитель — точка: например, 12.5".to_string(),
        FieldType::Date if v.len() == 10 && v[2] == b'.' => "дата пишется как ГГГГ-ММ-ДД: например, 2026-03-31".into(),
        FieldType::Latitude | FieldType::Longitude if decimal(v) => format!("вне допустимого: {}", kind.ru()),
        _ => format!("ожидается {}", kind.ru()),
    };
    Some(format!("«{}» — {hint}", shown(v)))
}

/// A value as a message quotes it: at most 50 characters, lossy for broken UTF-8.
fn shown(v: &[u8]) -> String {
    let s = String::from_utf8_lossy(v);
    let mut out: String = s.chars().take(50).collect();
    if s.chars().count() > 50 {
        out.push('…');
    }
    out
}

/// Characters in UTF-8 bytes: every byte that does not continue a character.
pub fn chars(v: &[u8]) -> usize {
    v.iter().filter(|b| (**b as i8) >= -0x40).count()
}

fn digits(v: &[u8]) -> bool {
    !v.is_empty() && v.iter().all(u8::is_ascii_digit)
}

fn unsigned(v: &[u8]) -> &[u8] {
    match v.first() {
        Some(b'-' | b'+') => &v[1..],
        _ => v,
    }
}

pub fn integer(v: &[u8]) -> bool {
    let d = unsigned(v);
    d.len() <= 19 && digits(d)
}

pub fn decimal(v: &[u8]) -> bool {
    let d = unsigned(v);
    match memchr::memchr(b'.', d) {
        None => digits(d),
        Some(p) => {
            let (int, frac) = (&d[..p], &d[p + 1..]);
            (int.is_empty() || int.iter().all(u8::is_ascii_digit))
                && frac.iter().all(u8::is_ascii_digit)
                && !(int.is_empty() && frac.is_empty())
        }
    }
}

fn num(v: &[u8]) -> u32 {
    v.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'))
}

pub fn date(v: &[u8]) -> bool {
    if v.len() != 10 || v[4] != b'-' || v[7] != b'-' {
        return false;
    }
    let (y, m, d) = (&v[..4], &v[5..7], &v[8..10]);
    if !(digits(y) && digits(m) && digits(d)) {
        return false;
    }
    let (y, m, d) = (num(y), num(m), num(d));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

pub fn datetime(v: &[u8]) -> bool {
    if v.len() < 16 || !date(&v[..10]) || !matches!(v[10], b'T' | b' ') {
        return false;
    }
    let t = &v[11..];
    let two = |s: &[u8], max: u32| s.len() >= 2 && digits(&s[..2]) && num(&s[..2]) <= max;
    if !(two(t, 23) && t[2] == b':' && two(&t[3..], 59)) {
        return false;
    }
    let mut rest = &t[5..];
    if rest.first() == Some(&b':') {
        if !two(&rest[1..], 60) {
            return false;
        }
        rest = &rest[3..];
        if rest.first() == Some(&b'.') {
            let n = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if n == 0 {
                return false;
            }
            rest = &rest[1 + n..];
        }
    }
    match rest {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => two(&[*h1, *h2], 14) && two(&[*m1, *m2], 59),
        _ => false,
    }
}

pub fn boolean(v: &[u8]) -> bool {
    v == b"1" || v == b"0" || v.eq_ignore_ascii_case(b"true") || v.eq_ignore_ascii_case(b"false")
}

pub fn url(v: &[u8]) -> bool {
    let rest = v.strip_prefix(b"https://").or_else(|| v.strip_prefix(b"http://"));
    match rest {
        Some(r) => {
            let host_end = r.iter().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(r.len());
            host_end > 0 && r.iter().all(|b| *b > b' ' && *b != 0x7f)
        }
        None => false,
    }
}

pub fn email(v: &[u8]) -> bool {
    let Some(at) = memchr::memchr(b'@', v) else { return false };
    let (local, domain) = (&v[..at], &v[at + 1..]);
    !local.is_empty()
        && domain.len() >= 3
        && memchr::memchr(b'@', domain).is_none()
        && memchr::memchr(b'.', domain).is_some()
        && !domain.starts_with(b".")
        && !domain.ends_with(b".")
        && v.iter().all(|b| *b > b' ' && !matches!(b, b'<' | b'>' | b',' | b';' | b'"'))
}

fn degrees(v: &[u8], limit: f64) -> bool {
    decimal(v)
        && std::str::from_utf8(v)
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .is_some_and(|x| (-limit..=limit).contains(&x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_and_decimals() {
        for ok in ["0", "-12", "+7", "9223372036854775807"] {
            assert!(integer(ok.as_bytes()), "{ok}");
        }
        for bad in ["", "-", "1.0", " 1", "1 000", "12345678901234567890", "١"] {
            assert!(!integer(bad.as_bytes()), "{bad}");
        }
        for ok in ["0", "12.5", "-0.25", ".5", "5.", "+3.14"] {
            assert!(decimal(ok.as_bytes()), "{ok}");
        }
        for bad in ["", ".", "12,5", "1e3", "1.2.3", "-"] {
            assert!(!decimal(bad.as_bytes()), "{bad}");
        }
        assert!(cell(&FieldType::Decimal, b"12,5").is_some_and(|m| m.contains("разделитель — точка")));
    }

    #[test]
    fn dates_know_the_calendar() {
        for ok in ["2024-02-29", "2000-02-29", "2026-12-31", "2026-01-01"] {
            assert!(date(ok.as_bytes()), "{ok}");
        }
        for bad in ["2026-02-29", "1900-02-29", "2026-13-01", "2026-04-31", "2026-00-10", "31.03.2026", "2026-3-1"] {
            assert!(!date(bad.as_bytes()), "{bad}");
        }
        assert!(cell(&FieldType::Date, b"31.03.2026").is_some_and(|m| m.contains("ГГГГ-ММ-ДД")));
        for ok in ["2026-03-31T09:00", "2026-03-31 09:00:59", "2026-03-31T23:59:60Z", "2026-03-31T09:00:00.123+07:00"] {
            assert!(datetime(ok.as_bytes()), "{ok}");
        }
        for bad in ["2026-03-31", "2026-03-31T24:00", "2026-03-31T09:60", "2026-03-31T09:00+7", "2026-03-31T09:00:00."]
        {
            assert!(!datetime(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn the_other_types() {
        assert!(boolean(b"TRUE") && boolean(b"0") && !boolean(b"yes") && !boolean("да".as_bytes()));
        assert!(
            url(b"https://dszn.tomsk.example/x?y=1") && url(b"http://a") && !url(b"https:// x") && !url(b"ftp://a")
        );
        assert!(email(b"ivan@tomsk.example") && !email(b"ivan@") && !email(b"a@b@c.ru") && !email(b"a b@c.ru"));
        assert!(cell(&FieldType::Latitude, b"56.48").is_none() && cell(&FieldType::Latitude, b"91").is_some());
        assert!(cell(&FieldType::Longitude, b"-180").is_none() && cell(&FieldType::Longitude, b"180.5").is_some());
        let five = FieldType::String { max_length: Some(5) };
        assert!(cell(&five, "Томск".as_bytes()).is_none());
        assert!(cell(&five, "Томская".as_bytes()).is_some_and(|m| m.contains("длиной 7")));
    }
}
