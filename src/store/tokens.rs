//! Access tokens, stored by the hash of their secret only.

use diesel::prelude::*;
use serde::Serialize;

use super::schema::tokens;
use super::{AnyConnection, StoreError};

#[derive(Debug, Clone, Queryable, Insertable, Serialize)]
#[diesel(table_name = tokens)]
pub struct TokenRecord {
    pub id: String,
    #[serde(skip)]
    pub hash: String,
    pub role: String,
    pub scope: Option<String>,
    pub label: Option<String>,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

pub fn insert_token(conn: &mut AnyConnection, t: &TokenRecord) -> Result<(), StoreError> {
    diesel::insert_into(tokens::table).values(t.clone()).execute(conn)?;
    Ok(())
}

pub fn token_by_hash(conn: &mut AnyConnection, hash: &str) -> Result<Option<TokenRecord>, StoreError> {
    Ok(tokens::table.filter(tokens::hash.eq(hash)).first(conn).optional()?)
}

pub fn list_tokens(conn: &mut AnyConnection) -> Result<Vec<TokenRecord>, StoreError> {
    Ok(tokens::table.order(tokens::id).load(conn)?)
}

/// Marks a token revoked; false when no such live token exists.
pub fn revoke_token(conn: &mut AnyConnection, id: &str, at: &str) -> Result<bool, StoreError> {
    let n = diesel::update(tokens::table.filter(tokens::id.eq(id)).filter(tokens::revoked_at.is_null()))
        .set(tokens::revoked_at.eq(at))
        .execute(conn)?;
    Ok(n == 1)
}

/// Records when a token was last used.
pub fn touch_token(conn: &mut AnyConnection, id: &str, at: &str) -> Result<(), StoreError> {
    diesel::update(tokens::table.filter(tokens::id.eq(id))).set(tokens::last_used_at.eq(at)).execute(conn)?;
    Ok(())
}
