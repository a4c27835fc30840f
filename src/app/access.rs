//! Who may do what (SPEC §6): roles, scopes, and bearer tokens stored by hash.

use rand::Rng;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{now, App, AppError};
use crate::domain::ids::{new_id, IdKind};
use crate::store::{self, AuditEntry, TokenRecord};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    CivilAffairs,
    Police,
    Housing,
    Commerce,
    Reader,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Admin, Role::CivilAffairs, Role::Police, Role::Housing, Role::Commerce, Role::Reader];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::CivilAffairs => "civil_affairs",
            Role::Police => "police",
            Role::Housing => "housing",
            Role::Commerce => "commerce",
            Role::Reader => "reader",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The department's name, for messages a person reads.
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::CivilAffairs => "民政",
            Role::Police => "公安",
            Role::Housing => "住建",
            Role::Commerce => "工商",
            Role::Reader => "只读用户",
        }
    }
}

/// Who is acting: a token's holder, or the command line / the service itself.
#[derive(Debug, Clone)]
pub struct Actor {
    pub token_id: Option<String>,
    pub role: Option<Role>,
    /// A county or township code outside which this actor's changes are refused.
    pub scope: Option<String>,
    pub request_id: Option<String>,
    /// What the feed shows as the actor.
    pub name: String,
}

impl Actor {
    /// The command line or the service itself (bundled data), acting as the administrator.
    pub fn system(name: &str) -> Actor {
        Actor { token_id: None, role: Some(Role::Admin), scope: None, request_id: None, name: name.to_string() }
    }

    /// Refuses unless the actor holds one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        match self.role {
            Some(r) if roles.contains(&r) => Ok(()),
            Some(r) => Err(AppError::Forbidden(format!(
                "{}令牌无权执行此操作（需要：{}）",
                r.label_zh(),
                roles.iter().map(|r| r.label_zh()).collect::<Vec<_>>().join("、")
            ))),
            None => Err(AppError::Unauthenticated),
        }
    }

    /// Refuses a change outside the actor's scope (a county or township code): the
    /// division `code` must lie within it.
    pub fn require_scope(&self, register: &crate::domain::Register, code: &str) -> Result<(), AppError> {
        match &self.scope {
            None => Ok(()),
            Some(scope) if register.chain(code).iter().any(|d| &d.code == scope) => Ok(()),
            Some(scope) => Err(AppError::Forbidden(format!(
                "令牌的范围是{}，不能更改{}的记录",
                register.division_text(scope),
                register.division_text(code)
            ))),
        }
    }

    /// Refuses a change that touches any division outside the actor's scope: every code a
    /// change names (a division, the one it merges into, its old and new parent …).
    pub fn require_scope_all<'a>(
        &self,
        register: &crate::domain::Register,
        codes: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), AppError> {
        codes.into_iter().try_for_each(|code| self.require_scope(register, code))
    }

    /// Refuses a scoped administrator a token (to create, see or revoke) whose scope is
    /// not within its own: an unscoped token, or one of another area.
    fn require_token_scope(
        &self,
        register: &crate::domain::Register,
        scope: Option<&str>,
        what: &str,
    ) -> Result<(), AppError> {
        match (&self.scope, scope) {
            (None, _) => Ok(()),
            (Some(own), None) => Err(AppError::Forbidden(format!(
                "令牌的范围是{}，只能{what}该范围内的令牌，不能{what}不限范围的令牌",
                register.division_text(own)
            ))),
            (Some(_), Some(code)) => self.require_scope(register, code),
        }
    }

    /// An audit row for an action of this actor.
    pub fn audit(&self, action: &str, subject_id: Option<&str>) -> AuditEntry {
        AuditEntry {
            at: now(),
            token_id: self.token_id.clone(),
            role: self.role.map(|r| r.as_str().to_string()),
            action: action.to_string(),
            subject_id: subject_id.map(str::to_string),
            request_id: self.request_id.clone(),
            ..AuditEntry::default()
        }
    }
}

/// An expiry as stored: RFC 3339 UTC. A bare date means the end of that day in Beijing.
fn expiry(s: &str) -> Result<String, AppError> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&chrono::Utc).to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
    }
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| AppError::Invalid(format!("有效期“{s}”应为 YYYY-MM-DD 或 RFC 3339 时间")))?;
    Ok(crate::domain::china_time::end_of(d))
}

/// An expiry for a new token: one already past would make a token that never works.
fn future_expiry(s: &str) -> Result<String, AppError> {
    let at = expiry(s)?;
    if at <= super::now() {
        return Err(AppError::Invalid(format!("有效期“{s}”已经过去，不能创建已过期的令牌")));
    }
    Ok(at)
}

fn hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A token as shown to an administrator (never its secret or hash).
#[derive(Debug, Clone, Serialize)]
pub struct TokenInfo {
    pub id: String,
    pub role: String,
    pub scope: Option<String>,
    pub label: Option<String>,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

impl From<TokenRecord> for TokenInfo {
    fn from(t: TokenRecord) -> Self {
        TokenInfo {
            id: t.id,
            role: t.role,
            scope: t.scope,
            label: t.label,
            created_at: t.created_at,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
            last_used_at: t.last_used_at,
        }
    }
}

impl App {
    /// Creates a token; the secret is returned once and only its hash is kept.
    pub fn create_token(
        &self,
        actor: &Actor,
        role: Role,
        scope: Option<String>,
        label: Option<String>,
    ) -> Result<(TokenInfo, String), AppError> {
        self.create_expiring_token(actor, role, scope, label, None)
    }

    /// Creates a token that stops working at `expires_at` (RFC 3339, or a date meaning its
    /// end in Beijing time).
    pub fn create_expiring_token(
        &self,
        actor: &Actor,
        role: Role,
        scope: Option<String>,
        label: Option<String>,
        expires_at: Option<String>,
    ) -> Result<(TokenInfo, String), AppError> {
        actor.require(&[Role::Admin])?;
        let label = super::text::optional(label.as_deref(), "label")?;
        let expires_at = expires_at.map(|e| future_expiry(&e)).transpose()?;
        let reg = self.register();
        if let Some(code) = &scope {
            let ok = reg.divisions.get(code).is_some_and(|d| {
                matches!(d.level, crate::domain::DivisionLevel::County | crate::domain::DivisionLevel::Township)
            });
            if !ok {
                return Err(AppError::Invalid(format!("范围 {code} 不是已登记的县市或乡镇（街道）代码")));
            }
        }
        // A scoped administrator hands out no more than it holds: a token within its own
        // scope, never an unscoped one.
        actor.require_token_scope(&reg, scope.as_deref(), "创建")?;
        let secret: String = {
            const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
            let mut rng = rand::rng();
            (0..40).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
        };
        let secret = format!("mp_{secret}");
        let record = TokenRecord {
            id: new_id(IdKind::Token),
            hash: hash(&secret),
            role: role.as_str().into(),
            scope,
            label,
            created_at: now(),
            expires_at,
            revoked_at: None,
            last_used_at: None,
        };
        self.store.write(|c| {
            store::insert_token(c, &record)?;
            let mut a = actor.audit("token.create", Some(&record.id));
            a.detail = Some(format!("role={}", record.role));
            store::append_audit(c, &a)
        })?;
        Ok((record.into(), secret))
    }

    /// The tokens an administrator manages: all of them, or for a scoped one those within
    /// its scope.
    pub fn list_tokens(&self, actor: &Actor) -> Result<Vec<TokenInfo>, AppError> {
        actor.require(&[Role::Admin])?;
        let reg = self.register();
        Ok(self
            .store
            .read(store::list_tokens)?
            .into_iter()
            .filter(|t| actor.require_token_scope(&reg, t.scope.as_deref(), "查看").is_ok())
            .map(TokenInfo::from)
            .collect())
    }

    pub fn revoke_token(&self, actor: &Actor, id: &str) -> Result<(), AppError> {
        actor.require(&[Role::Admin])?;
        if actor.scope.is_some() {
            // A scoped administrator cannot cut off a token it could not have created.
            let target = self.store.read(store::list_tokens)?.into_iter().find(|t| t.id == id);
            if let Some(t) = target {
                actor.require_token_scope(&self.register(), t.scope.as_deref(), "吊销")?;
            }
        }
        self.store
            .write(|c| {
                if !store::revoke_token(c, id, &now())? {
                    return Err(crate::store::StoreError::NotFound);
                }
                store::append_audit(c, &actor.audit("token.revoke", Some(id)))
            })
            .map_err(|e| match e {
                crate::store::StoreError::NotFound => AppError::NotFound(format!("令牌 {id} 不存在或已吊销")),
                other => other.into(),
            })
    }

    /// The actor a bearer secret stands for; refused when unknown, revoked or expired.
    /// Looked up in the store on every request, so a revocation takes effect at once on
    /// every node.
    pub fn authenticate(&self, secret: &str, request_id: Option<String>) -> Result<Actor, AppError> {
        let record = self.store.read(|c| store::token_by_hash(c, &hash(secret)))?.ok_or(AppError::Unauthenticated)?;
        if record.revoked_at.is_some() {
            return Err(AppError::Unauthenticated);
        }
        if record.expires_at.as_deref().is_some_and(|e| e <= now().as_str()) {
            return Err(AppError::Unauthenticated);
        }
        let role =
            Role::parse(&record.role).ok_or_else(|| AppError::Internal(format!("令牌 {} 的角色无效", record.id)))?;
        // Last use is kept to the minute: a write per request would be a write per read.
        let at = now();
        let stale = record.last_used_at.as_deref().is_none_or(|t| t.get(..16) != at.get(..16));
        if stale {
            self.store.write(|c| store::touch_token(c, &record.id, &at))?;
        }
        Ok(Actor {
            name: format!("{}:{}", role.as_str(), record.id),
            token_id: Some(record.id),
            role: Some(role),
            scope: record.scope,
            request_id,
        })
    }
}
