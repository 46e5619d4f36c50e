//! Staff accounts, their roles and scopes, password hashing and sessions.
//!
//! A role is granted either portal-wide (portal admin, regional coordinator) or on one body;
//! a body role reaches that body's subordinate organisations too.

use argon2::password_hash::PasswordHasher;
use argon2::{Argon2, PasswordVerifier};
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::{self, Actor, Change};
use crate::config::Config;
use crate::db::Db;
use crate::error::{Error, Result, on_unique};
use crate::ids::Email;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    PortalAdmin,
    RegionalCoordinator,
    Editor,
    AppealsOfficer,
    OpendataOfficer,
    OpennessCoordinator,
    PressSecretary,
    Lawyer,
    CouncilSecretary,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::PortalAdmin,
        Role::RegionalCoordinator,
        Role::Editor,
        Role::AppealsOfficer,
        Role::OpendataOfficer,
        Role::OpennessCoordinator,
        Role::PressSecretary,
        Role::Lawyer,
        Role::CouncilSecretary,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::PortalAdmin => "portal_admin",
            Role::RegionalCoordinator => "regional_coordinator",
            Role::Editor => "editor",
            Role::AppealsOfficer => "appeals_officer",
            Role::OpendataOfficer => "opendata_officer",
            Role::OpennessCoordinator => "openness_coordinator",
            Role::PressSecretary => "press_secretary",
            Role::Lawyer => "lawyer",
            Role::CouncilSecretary => "council_secretary",
        }
    }

    pub fn parse(s: &str) -> Result<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim()).ok_or_else(|| {
            let known: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            Error::invalid("role", format!("неизвестная роль «{s}»; возможные: {}", known.join(", ")))
        })
    }

    pub fn label_ru(self) -> &'static str {
        match self {
            Role::PortalAdmin => "Администратор портала",
            Role::RegionalCoordinator => "Региональный координатор",
            Role::Editor => "Редактор",
            Role::AppealsOfficer => "Ответственный за обращения",
            Role::OpendataOfficer => "Ответственный за открытые данные",
            Role::OpennessCoordinator => "Координатор открытости",
            Role::PressSecretary => "Пресс-секретарь",
            Role::Lawyer => "Юрист",
            Role::CouncilSecretary => "Секретарь общественного совета",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::PortalAdmin => "Portal administrator",
            Role::RegionalCoordinator => "Regional coordinator",
            Role::Editor => "Editor",
            Role::AppealsOfficer => "Appeals officer",
            Role::OpendataOfficer => "Open-data officer",
            Role::OpennessCoordinator => "Openness coordinator",
            Role::PressSecretary => "Press secretary",
            Role::Lawyer => "Lawyer",
            Role::CouncilSecretary => "Council secretary",
        }
    }

    /// Portal-wide roles have no body; every other role needs one.
    pub fn is_portal_wide(self) -> bool {
        matches!(self, Role::PortalAdmin | Role::RegionalCoordinator)
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Grant {
    pub role: Role,
    pub body_id: Option<i64>,
}

/// What a staff route requires. Every staff route declares one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Any signed-in staff member (their dashboard, logout).
    AnyStaff,
    /// Portal administration: bodies at the top level, users, the audit log.
    PortalAdmin,
    /// Views across every body: the regional coordinator and the portal admin.
    ReadAll,
    /// The region's own open-data work (the lists of what bodies must publish): the regional
    /// coordinator and the portal admin.
    Coordinate,
    /// Reading a body's staff pages: any role in the body (or above it), the regional
    /// coordinator, the portal admin.
    BodyRead,
    /// Changing a body's content: one of these roles in the body (or above it), or the portal admin.
    BodyWrite(&'static [Role]),
}

#[derive(Clone, Debug, Serialize)]
pub struct StaffUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
    /// A disabled account cannot sign in and its sessions end.
    pub disabled: bool,
}

impl StaffUser {
    pub fn has(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::PortalAdmin)
    }

    /// `chain` is the body and its ancestors (ids), for body-scoped access; empty otherwise.
    pub fn allows(&self, access: Access, chain: &[i64]) -> bool {
        if self.is_admin() {
            return true;
        }
        let in_chain = |g: &Grant| g.body_id.is_some_and(|b| chain.contains(&b));
        match access {
            Access::AnyStaff => true,
            Access::PortalAdmin => false,
            Access::ReadAll | Access::Coordinate => self.has(Role::RegionalCoordinator),
            Access::BodyRead => self.has(Role::RegionalCoordinator) || self.grants.iter().any(in_chain),
            Access::BodyWrite(roles) => self.grants.iter().any(|g| roles.contains(&g.role) && in_chain(g)),
        }
    }

    pub fn actor(&self) -> Actor {
        Actor { user_id: Some(self.id), label: self.email.clone() }
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::invalid("password", format!("пароль должен быть не короче {MIN_PASSWORD_CHARS} символов")));
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(anyhow::anyhow!("argon2: {e}")))
}

fn verify_password(hash: &str, password: &str) -> bool {
    match argon2::password_hash::phc::PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A random token, hex-encoded.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub fn sha256_hex(s: &str) -> String {
    sha256_hex_bytes(s.as_bytes())
}

pub fn sha256_hex_bytes(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub grants: Vec<Grant>,
}

pub async fn create_user(db: &Db, actor: &Actor, now: i64, new: NewUser<'_>) -> Result<StaffUser> {
    let email = Email::parse("email", new.email)?;
    for g in &new.grants {
        if g.role.is_portal_wide() != g.body_id.is_none() {
            return Err(Error::invalid(
                "body",
                if g.role.is_portal_wide() {
                    format!("роль «{}» действует на весь портал и не привязывается к органу", g.role.label_ru())
                } else {
                    format!("для роли «{}» укажите орган", g.role.label_ru())
                },
            ));
        }
    }
    let hash = hash_password(new.password)?;
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO users (email, display_name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(email.as_str())
    .bind(new.display_name.trim())
    .bind(&hash)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(on_unique("email", "сотрудник с таким адресом уже есть"))?
    .try_get(0)?;
    for g in &new.grants {
        sqlx::query("INSERT INTO user_roles (user_id, role, body_id, created_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(g.role.as_str())
            .bind(g.body_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    let user = StaffUser {
        id,
        email: email.as_str().to_string(),
        display_name: new.display_name.trim().to_string(),
        grants: new.grants,
        disabled: false,
    };
    let body_id = user.grants.iter().find_map(|g| g.body_id);
    let change = Change {
        action: "create",
        object_type: "user",
        object_id: id.to_string(),
        body_id,
        before: None,
        after: audit::snapshot(&user),
    };
    crate::versions::bump(&mut tx, crate::versions::DIRECTORY).await?;
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(user)
}

async fn grants(db: &Db, user_id: i64) -> Result<Vec<Grant>> {
    let rows = sqlx::query("SELECT role, body_id FROM user_roles WHERE user_id = $1 ORDER BY id")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        push_grant(&mut out, r)?;
    }
    Ok(out)
}

/// Adds the grant of a row's `role` and `body_id` (none when the row has no role).
fn push_grant(out: &mut Vec<Grant>, r: &sqlx::any::AnyRow) -> Result<()> {
    let role: Option<String> = r.try_get("role")?;
    // A role this version does not know is skipped rather than granted.
    if let Some(role) = role.as_deref().and_then(|r| Role::parse(r).ok()) {
        out.push(Grant { role, body_id: r.try_get("body_id")? });
    }
    Ok(())
}

/// Every account with its grants (two queries, whatever the number of accounts).
pub async fn list_users(db: &Db) -> Result<Vec<StaffUser>> {
    let rows =
        sqlx::query("SELECT id, email, display_name, disabled FROM users ORDER BY email").fetch_all(&db.pool).await?;
    let roles = sqlx::query("SELECT user_id, role, body_id FROM user_roles ORDER BY id").fetch_all(&db.pool).await?;
    let mut by_user: std::collections::HashMap<i64, Vec<Grant>> = std::collections::HashMap::new();
    for r in &roles {
        push_grant(by_user.entry(r.try_get("user_id")?).or_default(), r)?;
    }
    let mut out = Vec::new();
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let disabled: i64 = r.try_get("disabled")?;
        out.push(StaffUser {
            id,
            email: r.try_get("email")?,
            display_name: r.try_get("display_name")?,
            grants: by_user.remove(&id).unwrap_or_default(),
            disabled: disabled != 0,
        });
    }
    Ok(out)
}

/// Disables or re-enables an account; disabling ends its sessions at once. Nobody disables
/// their own account (so the last administrator cannot lock everyone out).
pub async fn set_disabled(db: &Db, actor: &Actor, now: i64, user_id: i64, disabled: bool) -> Result<()> {
    if actor.user_id == Some(user_id) {
        return Err(Error::Invalid {
            field: None, message: "нельзя заблокировать собственную учётную запись".into()
        });
    }
    let mut tx = db.begin().await?;
    let row =
        sqlx::query("SELECT email, disabled FROM users WHERE id = $1").bind(user_id).fetch_optional(&mut *tx).await?;
    let Some(row) = row else { return Err(Error::NotFound("сотрудник")) };
    let email: String = row.try_get("email")?;
    let was: i64 = row.try_get("disabled")?;
    sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(disabled))
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    }
    let change = Change::update(
        "user",
        user_id,
        None,
        serde_json::json!({ "email": email, "disabled": was != 0 }),
        serde_json::json!({ "email": email, "disabled": disabled }),
    );
    crate::versions::bump(&mut tx, crate::versions::DIRECTORY).await?;
    audit::record(&mut tx, actor, now, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes expired sessions (run by the worker now and then).
pub async fn purge_expired_sessions(db: &Db, now: i64) -> Result<u64> {
    let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(&db.pool).await?;
    Ok(r.rows_affected())
}

pub struct LoginOk {
    pub user: StaffUser,
    /// The cookie value; only its hash is stored.
    pub session_token: String,
}

/// Checks a password, counting failures per account and client address: `login_max_failures`
/// wrong passwords in a row from one address lock the account for that address alone, for
/// `login_lock_minutes`, twice as long at each further lock (at most a day). Unknown addresses
/// and wrong passwords look the same.
pub async fn login(db: &Db, cfg: &Config, now: i64, email: &str, password: &str, address: &str) -> Result<LoginOk> {
    let wrong = || Error::Invalid {
        field: Some("password"), message: "неверный адрес или пароль".into()
    };
    let email = email.trim().to_lowercase();
    let row = sqlx::query("SELECT id, email, display_name, password_hash, disabled FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else {
        // Spend the same effort as for a real account, so timing does not reveal who exists.
        let _ = verify_password(DUMMY_HASH, password);
        return Err(wrong());
    };
    let id: i64 = row.try_get("id")?;
    let hash: String = row.try_get("password_hash")?;
    let disabled: i64 = row.try_get("disabled")?;
    let locked_until: Option<i64> =
        sqlx::query("SELECT locked_until FROM login_failures WHERE user_id = $1 AND address = $2")
            .bind(id)
            .bind(address)
            .fetch_optional(&db.pool)
            .await?
            .map(|r| r.try_get("locked_until"))
            .transpose()?
            .flatten();
    if let Some(until) = locked_until.filter(|u| *u > now) {
        return Err(Error::Locked { until_ms: until });
    }
    if disabled != 0 || !verify_password(&hash, password) {
        let r = sqlx::query(
            "INSERT INTO login_failures (user_id, address, failures) VALUES ($1, $2, 1) \
             ON CONFLICT (user_id, address) DO UPDATE SET failures = login_failures.failures + 1 \
             RETURNING failures, locks",
        )
        .bind(id)
        .bind(address)
        .fetch_one(&db.pool)
        .await?;
        let (failures, locks): (i64, i64) = (r.try_get("failures")?, r.try_get("locks")?);
        if failures >= cfg.login_max_failures {
            let minutes = (cfg.login_lock_minutes << locks.clamp(0, 10)).min(24 * 60);
            let until = now + minutes * 60_000;
            sqlx::query(
                "UPDATE login_failures SET failures = 0, locks = locks + 1, locked_until = $1 \
                 WHERE user_id = $2 AND address = $3",
            )
            .bind(until)
            .bind(id)
            .bind(address)
            .execute(&db.pool)
            .await?;
            return Err(Error::Locked { until_ms: until });
        }
        return Err(wrong());
    }
    sqlx::query("DELETE FROM login_failures WHERE user_id = $1 AND address = $2")
        .bind(id)
        .bind(address)
        .execute(&db.pool)
        .await?;
    let token = random_token();
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(sha256_hex(&token))
        .bind(id)
        .bind(now)
        .bind(now + cfg.session_hours * 3_600_000)
        .execute(&db.pool)
        .await?;
    let user = StaffUser {
        id,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        grants: grants(db, id).await?,
        disabled: false,
    };
    Ok(LoginOk { user, session_token: token })
}

/// A hash of a random password, verified against when the address is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0bIeX8nEb4y6kb2HyvUQ4sGpHXfBP1d2JOhQz9r8mFo";

/// A session as stored: its account and when it ends (None when there is no such session).
pub async fn session_row(db: &Db, token_hash: &str) -> Result<Option<(i64, i64)>> {
    let row = sqlx::query("SELECT user_id, expires_at FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| Ok((r.try_get("user_id")?, r.try_get("expires_at")?))).transpose()
}

/// Moves the end of a session while its member of staff is active.
pub async fn extend_session(db: &Db, token_hash: &str, until: i64) -> Result<()> {
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
        .bind(until)
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn logout(db: &Db, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(sha256_hex(token)).execute(&db.pool).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(grants: Vec<Grant>) -> StaffUser {
        StaffUser { id: 1, email: "a@b.ru".into(), display_name: String::new(), grants, disabled: false }
    }

    #[test]
    fn body_roles_reach_subordinate_organisations_only() {
        let editor = user(vec![Grant { role: Role::Editor, body_id: Some(5) }]);
        let w = Access::BodyWrite(&[Role::Editor]);
        assert!(editor.allows(w, &[5]));
        assert!(editor.allows(w, &[9, 5])); // 9 is subordinate to 5
        assert!(!editor.allows(w, &[6]));
        assert!(!editor.allows(Access::PortalAdmin, &[]));
        assert!(!editor.allows(Access::BodyWrite(&[Role::Lawyer]), &[5]));
    }

    #[test]
    fn coordinator_reads_every_body_but_writes_none() {
        let c = user(vec![Grant { role: Role::RegionalCoordinator, body_id: None }]);
        assert!(c.allows(Access::BodyRead, &[42]));
        assert!(!c.allows(Access::BodyWrite(&[Role::Editor]), &[42]));
    }

    #[test]
    fn dummy_hash_is_a_valid_phc_string() {
        assert!(argon2::password_hash::phc::PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(hash_password("short").is_err());
    }
}
