//! Identifiers parsed at the edge: a value of these types is known to be well formed, and a
//! failed parse says what is wrong in words a person understands.

use std::fmt;

use crate::error::Error;

/// The URL name of a body: `social-protection`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    pub fn parse(field: &'static str, s: &str) -> Result<Slug, Error> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Error::invalid(field, "укажите адрес раздела (латинские буквы, цифры и дефис)"));
        }
        if s.len() > 60 {
            return Err(Error::invalid(field, "адрес раздела длиннее 60 символов"));
        }
        let ok = s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if !ok {
            return Err(Error::invalid(
                field,
                format!("«{s}»: в адресе раздела допустимы только строчные латинские буквы, цифры и одиночный дефис"),
            ));
        }
        Ok(Slug(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn digits(s: &str) -> Option<Vec<u32>> {
    s.chars().map(|c| c.to_digit(10)).collect()
}

/// ИНН of an organisation (10 digits) or of a person (12 digits), check digits included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inn(String);

impl Inn {
    pub fn parse(s: &str) -> Result<Inn, Error> {
        let s = s.trim();
        let d = digits(s).ok_or_else(|| Error::invalid("inn", "ИНН состоит только из цифр"))?;
        let check = |w: &[u32], n: usize| (w.iter().zip(&d).map(|(a, b)| a * b).sum::<u32>() % 11 % 10) == d[n];
        let ok = match d.len() {
            10 => check(&[2, 4, 10, 3, 5, 9, 4, 6, 8], 9),
            12 => check(&[7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 10) && check(&[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 11),
            _ => return Err(Error::invalid("inn", "ИНН организации — 10 цифр, ИНН физического лица — 12 цифр")),
        };
        if !ok {
            return Err(Error::invalid("inn", format!("ИНН {s}: не сходится контрольное число — проверьте цифры")));
        }
        Ok(Inn(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// ОГРН (13 digits) or ОГРНИП (15 digits) with its check digit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ogrn(String);

impl Ogrn {
    pub fn parse(s: &str) -> Result<Ogrn, Error> {
        let s = s.trim();
        if digits(s).is_none() {
            return Err(Error::invalid("ogrn", "ОГРН состоит только из цифр"));
        }
        let (body, last, modulus) = match s.len() {
            13 => (&s[..12], &s[12..], 11u64),
            15 => (&s[..14], &s[14..], 13u64),
            _ => return Err(Error::invalid("ogrn", "ОГРН — 13 цифр (ОГРНИП — 15)")),
        };
        let n: u64 = body.parse().map_err(|_| Error::invalid("ogrn", "ОГРН состоит только из цифр"))?;
        if (n % modulus % 10).to_string() != last {
            return Err(Error::invalid("ogrn", format!("ОГРН {s}: не сходится контрольная цифра")));
        }
        Ok(Ogrn(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, lower-cased; only the shape is checked (a mailbox is proved by mail).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &'static str, s: &str) -> Result<Email, Error> {
        let s = s.trim().to_lowercase();
        let valid = match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',')
                    && !domain.contains('@')
                    && s.len() <= 254
            }
            None => false,
        };
        if !valid {
            return Err(Error::invalid(field, format!("«{s}» не похож на адрес электронной почты")));
        }
        Ok(Email(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who sent something through a public form: a signature that is published with it (optional),
/// an address for the answer that is never shown (optional), and consent to the processing of
/// personal data (152-FZ), without which nothing is taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sender {
    pub author_name: String,
    pub email: Option<Email>,
}

impl Sender {
    /// Checks the three fields, adding each problem to `errors`; `what` is the thing sent, in the
    /// accusative ("комментарий", "сообщение").
    pub fn check(
        author_name: &str,
        email: &str,
        consent: &str,
        what: &str,
        errors: &mut Vec<(&'static str, String)>,
    ) -> Sender {
        let author_name = author_name.trim().to_string();
        if author_name.chars().count() > 200 {
            errors.push(("author_name", "подпись — не длиннее 200 символов".into()));
        }
        let email = match email.trim() {
            "" => None,
            e => match Email::parse("email", e) {
                Ok(e) => Some(e),
                Err(err) => {
                    errors.push(("email", err.to_string()));
                    None
                }
            },
        };
        if consent != "1" {
            errors.push(("consent", format!("без согласия на обработку персональных данных {what} не принять")));
        }
        Sender { author_name, email }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inn_check_digits() {
        assert!(Inn::parse("7707083893").is_ok()); // Sberbank, a published organisation INN
        assert!(Inn::parse("7707083894").is_err());
        assert!(Inn::parse("500100732259").is_ok());
        assert!(Inn::parse("500100732258").is_err());
        assert!(Inn::parse("77070838").is_err());
        assert!(Inn::parse("77070838ab").is_err());
    }

    #[test]
    fn ogrn_check_digit() {
        assert!(Ogrn::parse("1027700132195").is_ok());
        assert!(Ogrn::parse("1027700132196").is_err());
        assert!(Ogrn::parse("304500116000157").is_ok());
        assert!(Ogrn::parse("12345").is_err());
    }

    #[test]
    fn slugs_are_lowercase_latin_with_single_hyphens() {
        assert!(Slug::parse("slug", "social-protection").is_ok());
        for bad in ["", "Social", "соцзащита", "a--b", "-a", "a b", "a/b"] {
            assert!(Slug::parse("slug", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(Email::parse("email", " Ivan@Example.RU ").ok().map(|e| e.0), Some("ivan@example.ru".to_string()));
        assert!(Email::parse("email", "ivan@").is_err());
        assert!(Email::parse("email", "ivan example.ru").is_err());
    }
}
