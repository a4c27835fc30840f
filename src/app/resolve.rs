//! Resolution of free text, one query or a batch over both cores.

use rayon::prelude::*;

use super::{Actor, App, AppError, Role};
use crate::domain::resolve::Resolution;

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 512;
/// Most queries in one batch.
pub const MAX_BATCH: usize = 10_000;

fn check_query(q: &str) -> Result<(), AppError> {
    let n = q.chars().count();
    if n > MAX_QUERY_CHARS {
        return Err(AppError::Invalid(format!("查询文本过长（{n} 字），最多 {MAX_QUERY_CHARS} 字")));
    }
    Ok(())
}

impl App {
    pub fn resolve(&self, actor: &Actor, q: &str) -> Result<Resolution, AppError> {
        actor.require(&Role::ALL)?;
        check_query(q)?;
        Ok(self.snapshot().resolver.resolve(q))
    }

    /// Resolves every query against one snapshot, in order.
    pub fn resolve_batch(&self, actor: &Actor, queries: &[String]) -> Result<Vec<Resolution>, AppError> {
        actor.require(&Role::ALL)?;
        if queries.len() > MAX_BATCH {
            return Err(AppError::Invalid(format!("一次最多 {MAX_BATCH} 条查询，收到 {} 条", queries.len())));
        }
        for (i, q) in queries.iter().enumerate() {
            check_query(q).map_err(|e| AppError::Invalid(format!("第 {} 条：{e}", i + 1)))?;
        }
        let snapshot = self.snapshot();
        Ok(queries.par_iter().map(|q| snapshot.resolver.resolve(q)).collect())
    }
}
