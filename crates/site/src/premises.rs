//! What a body tells citizens beyond its pages: where and when they may read its information on
//! its premises, who is responsible for its stands (seed 000 §16), and its official pages in
//! social networks with the rules of interaction (§39), and its structure as an outline drawn as a
//! chart (§8, `crate::structure`). One profile per body, edited whole by its editors, each change
//! audited.

use kernel::audit::{self, Actor, Change};

use crate::content_store::{Place, record_publication};
use kernel::{Db, Error, Result};
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// A social network a body may keep an official page in, with the hosts of its addresses.
pub struct Network {
    pub field: &'static str,
    pub name: &'static str,
    pub hosts: &'static [&'static str],
}

pub const NETWORKS: &[Network] = &[
    Network { field: "vk", name: "ВКонтакте", hosts: &["vk.com", "vk.ru"] },
    Network { field: "ok", name: "Одноклассники", hosts: &["ok.ru"] },
    Network { field: "telegram", name: "Telegram", hosts: &["t.me"] },
];

/// A body's profile as stored and shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub reading_place: String,
    pub reading_hours: String,
    pub reading_rules: String,
    pub stand_responsible: String,
    pub vk: String,
    pub ok: String,
    pub telegram: String,
    pub social_rules: String,
    /// The body's structure as an outline (`crate::structure`).
    pub structure: String,
}

impl Profile {
    /// The official pages given, as (network's name, address).
    pub fn accounts(&self) -> Vec<(&'static str, &str)> {
        NETWORKS.iter().map(|n| (n.name, self.account(n.field))).filter(|(_, url)| !url.is_empty()).collect()
    }

    fn account(&self, field: &str) -> &str {
        match field {
            "vk" => &self.vk,
            "ok" => &self.ok,
            _ => &self.telegram,
        }
    }

    pub fn reading_told(&self) -> bool {
        !self.reading_place.is_empty() || !self.reading_hours.is_empty()
    }
}

/// Text on one line: spaces and line breaks collapsed.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text kept with its lines, each trimmed, without empty lines at either end.
fn lines(s: &str) -> String {
    s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n").trim().to_string()
}

/// An official page's address, checked: `https://` added when missing, the host one of the
/// network's, a page on it named.
fn account(network: &Network, value: &str) -> std::result::Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    let with_scheme = if value.contains("://") { value.to_string() } else { format!("https://{value}") };
    let wrong = || format!("укажите адрес страницы в сети «{}», например https://{}/…", network.name, network.hosts[0]);
    let url = url::Url::parse(&with_scheme).map_err(|_| wrong())?;
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let named = url.path().trim_matches('/').len() > 1;
    if !matches!(url.scheme(), "https" | "http") || !network.hosts.contains(&host) || !named || value.len() > 300 {
        return Err(wrong());
    }
    let mut url = url;
    let _ = url.set_scheme("https");
    Ok(url.to_string())
}

/// The profile as sent, checked whole: every problem named at its field.
pub fn check(sent: &Profile) -> std::result::Result<Profile, Vec<(&'static str, String)>> {
    let mut errors: Vec<(&'static str, String)> = vec![];
    let mut limit = |field: &'static str, value: String, most: usize, what: &str| {
        if value.chars().count() > most {
            errors.push((field, format!("{what} — не длиннее {most} знаков")));
        }
        value
    };
    let mut p = Profile {
        reading_place: limit("reading_place", one_line(&sent.reading_place), 300, "место"),
        reading_hours: limit("reading_hours", one_line(&sent.reading_hours), 300, "часы"),
        reading_rules: limit("reading_rules", lines(&sent.reading_rules), 3000, "порядок"),
        stand_responsible: limit("stand_responsible", one_line(&sent.stand_responsible), 200, "ответственный"),
        social_rules: limit("social_rules", lines(&sent.social_rules), 5000, "правила"),
        structure: limit("structure", lines(&sent.structure), 20_000, "структура"),
        ..Profile::default()
    };
    if let Err(problems) = crate::structure::parse(&p.structure) {
        errors.extend(problems.into_iter().map(|e| ("structure", e)));
    }
    for n in NETWORKS {
        match account(n, sent.account(n.field)) {
            Ok(url) => match n.field {
                "vk" => p.vk = url,
                "ok" => p.ok = url,
                _ => p.telegram = url,
            },
            Err(e) => errors.push((n.field, e)),
        }
    }
    if !p.accounts().is_empty() && p.social_rules.is_empty() {
        errors.push((
            "social_rules",
            "укажите правила взаимодействия с пользователями: их размещают вместе с официальными страницами".into(),
        ));
    }
    if p.reading_told() && p.reading_hours.is_empty() {
        errors.push(("reading_hours", "укажите часы, в которые можно ознакомиться с информацией".into()));
    }
    if errors.is_empty() { Ok(p) } else { Err(errors) }
}

/// A body's profile and when it was last changed (ms), if it was ever saved.
pub async fn get(db: &Db, body_id: i64) -> Result<Option<(Profile, i64)>> {
    let row = sqlx::query("SELECT profile, changed_at FROM site_profiles WHERE body_id = $1")
        .bind(body_id)
        .fetch_optional(&db.pool)
        .await?;
    let Some(r) = row else { return Ok(None) };
    let text: String = r.try_get("profile")?;
    let profile = serde_json::from_str(&text).map_err(|e| Error::Internal(anyhow::anyhow!("a stored profile: {e}")))?;
    Ok(Some((profile, r.try_get("changed_at")?)))
}

/// Saves the body's profile, checked; audited with what it was before. An unchanged profile is
/// not saved again (its date stays). A changed structure, or changed official pages, is the
/// publication of its catalogue item (`general-structure`, `general-social`) today, recorded in
/// the same transaction, so the item's freshness follows the page.
pub async fn save(db: &Db, actor: &Actor, now: i64, body_id: i64, sent: &Profile, place: &Place<'_>) -> Result<()> {
    let p = check(sent).map_err(Error::Form)?;
    let before = get(db, body_id).await?.map(|(p, _)| p);
    if before.as_ref() == Some(&p) {
        return Ok(());
    }
    let text = serde_json::to_string(&p).map_err(|e| Error::Internal(e.into()))?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO site_profiles (body_id, profile, changed_at) VALUES ($1, $2, $3) \
         ON CONFLICT (body_id) DO UPDATE SET profile = excluded.profile, changed_at = excluded.changed_at",
    )
    .bind(body_id)
    .bind(&text)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let was = before.clone().unwrap_or_default();
    let social = |p: &Profile| (p.vk.clone(), p.ok.clone(), p.telegram.clone(), p.social_rules.clone());
    let published = [
        ("general-structure", "structure", !p.structure.is_empty() && p.structure != was.structure),
        ("general-social", "social", !p.accounts().is_empty() && social(&p) != social(&was)),
    ];
    for (code, folder, changed) in published {
        if changed {
            let url = format!("/o/{}/{folder}/", place.slug);
            record_publication(&mut tx, actor, now, place.today, body_id, code, &url).await?;
        }
    }
    let change = Change {
        action: if before.is_some() { "update" } else { "create" },
        object_type: "site_profile",
        object_id: body_id.to_string(),
        body_id: Some(body_id),
        before: before.map(|b| serde_json::json!(b)),
        after: Some(serde_json::json!(p)),
    };
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent() -> Profile {
        Profile {
            reading_place: "  г. Томск,\n ул. Ленина, 1, каб. 5 ".into(),
            reading_hours: "пн–чт 9:00–18:00, пт 9:00–16:45".into(),
            vk: "vk.com/socialtomsk".into(),
            telegram: "https://t.me/socialtomsk".into(),
            social_rules: "Отвечаем на вопросы в течение рабочего дня.\n\nОскорбления удаляются.".into(),
            ..Profile::default()
        }
    }

    #[test]
    fn addresses_are_completed_and_lines_kept() {
        let p = check(&sent()).expect("valid");
        assert_eq!(p.vk, "https://vk.com/socialtomsk");
        assert_eq!(p.telegram, "https://t.me/socialtomsk");
        assert_eq!(p.reading_place, "г. Томск, ул. Ленина, 1, каб. 5");
        assert_eq!(p.social_rules, "Отвечаем на вопросы в течение рабочего дня.\n\nОскорбления удаляются.");
        assert_eq!(
            p.accounts(),
            vec![("ВКонтакте", "https://vk.com/socialtomsk"), ("Telegram", "https://t.me/socialtomsk")]
        );
    }

    #[test]
    fn a_page_of_another_site_or_none_at_all_is_refused() {
        for (field, value) in [
            ("vk", "https://vk.com.evil.example/socialtomsk"),
            ("vk", "https://vk.com/"),
            ("ok", "https://vk.com/socialtomsk"),
            ("telegram", "javascript:alert(1)//t.me/x"),
            ("telegram", "ftp://t.me/socialtomsk"),
        ] {
            let mut p = sent();
            match field {
                "vk" => p.vk = value.into(),
                "ok" => p.ok = value.into(),
                _ => p.telegram = value.into(),
            }
            let errors = check(&p).expect_err(value);
            assert!(
                errors.iter().any(|(f, e)| *f == field && e.contains("укажите адрес страницы")),
                "{value}: {errors:?}"
            );
        }
    }

    #[test]
    fn pages_need_their_rules_and_a_place_its_hours() {
        let p = Profile { social_rules: String::new(), reading_hours: String::new(), ..sent() };
        let fields: Vec<&str> = check(&p).expect_err("refused").iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["social_rules", "reading_hours"]);
        assert_eq!(check(&Profile::default()), Ok(Profile::default()), "nothing told is a valid profile");
    }
}
