//! What a change reads of the register inside its own transaction, after its locks: the
//! records its checks and canonical text depend on (see `store::branch`). The node's
//! snapshot may be behind the store (another node's rename, a retirement a moment ago), so
//! nothing that a change writes or decides comes from it.

use std::collections::BTreeSet;

use super::AppError;
use crate::domain::Register;
use crate::store::{branch, AnyConnection};

/// Locks the records above `ids` (shared) and `exclusive` (the record the change numbers
/// or adds under, exclusively), then reads them as committed. `ids` may hold division
/// codes (a township given in the request, the token's scope) and unknown IDs, which are
/// skipped. `NotFound` when `exclusive` does not exist.
pub(crate) fn hold(c: &mut AnyConnection, ids: &[&str], exclusive: Option<&str>) -> Result<Register, AppError> {
    let mut start: Vec<&str> = ids.to_vec();
    start.extend(exclusive);
    let mut seen = branch::load_lineage(c, &start)?;
    // A record moved under another parent between the read and the lock: lock the new
    // parents too and read again. Moves are rare; two rounds settle any real sequence.
    for _ in 0..3 {
        let keys = keys(&seen);
        let shared: Vec<&str> = keys.iter().map(String::as_str).filter(|k| Some(*k) != exclusive).collect();
        branch::share(c, &shared)?;
        if let Some(id) = exclusive {
            if !branch::exclusive(c, id)? {
                return Err(AppError::NotFound(format!("{id} 不存在")));
            }
        }
        let fresh = branch::load_lineage(c, &start)?;
        if self::keys(&fresh).is_subset(&keys) {
            return Ok(fresh);
        }
        seen = fresh;
    }
    Err(AppError::Unavailable("登记册正在变更，操作未完成，请稍后重试".into()))
}

fn keys(reg: &Register) -> BTreeSet<String> {
    reg.divisions
        .keys()
        .chain(reg.thoroughfares.keys())
        .chain(reg.localities.keys())
        .chain(reg.plates.keys())
        .chain(reg.buildings.keys())
        .chain(reg.units.keys())
        .cloned()
        .collect()
}
