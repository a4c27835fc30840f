//! Issued address-change certificates, kept so that a verification code confirms them.

use diesel::prelude::*;

use super::schema::certificates;
use super::{AnyConnection, StoreError};

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = certificates)]
pub struct CertificateRow {
    pub code: String,
    pub address_id: String,
    pub issued_at: String,
    pub token_id: Option<String>,
    /// The certificate as issued (JSON).
    pub content: String,
}

pub fn insert(conn: &mut AnyConnection, row: &CertificateRow) -> Result<(), StoreError> {
    diesel::insert_into(certificates::table).values(row.clone()).execute(conn)?;
    Ok(())
}

pub fn by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<CertificateRow>, StoreError> {
    Ok(certificates::table.find(code).first(conn).optional()?)
}
