//! Answers as of a date (`at=YYYY-MM-DD`): the register as it stood then, with a resolver
//! built over it, for the old deed that names a street by the name it had. The few dates
//! asked of lately are kept until the register changes.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use super::{today, App, AppError};
use crate::domain::resolve::{Changed, Resolver};
use crate::domain::Register;

/// The register as it stood at the end of `date`, and its resolver.
pub struct Dated {
    pub date: String,
    pub register: Arc<Register>,
    pub resolver: Resolver,
}

/// How many dated registers a node keeps. Each shares what did not change since its date
/// with the current register, so holds what differs; still, only the last few dates asked of.
const KEPT: usize = 4;

/// Dated registers built lately, with the feed position of the snapshot they came from.
#[derive(Default)]
pub(crate) struct DatedCache {
    kept: Mutex<VecDeque<(i64, Arc<Dated>)>>,
}

impl DatedCache {
    /// Follows the snapshot from `before` to `after`. A change takes effect today (its
    /// records are dated from or until today), so a register as it stood on an earlier
    /// day is what it was; only today's is built again. What changes the past (imports,
    /// division changes, corrections) clears them all instead ([`DatedCache::clear`]).
    pub(crate) fn changed(&self, before: &super::Snapshot, after: &super::Snapshot) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let today = today().to_string();
        if Arc::ptr_eq(&before.register, &after.register) {
            return;
        }
        kept.retain(|(_, d)| d.date < today);
    }

    pub(crate) fn clear(&self) {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// Reads `at`: a real calendar date, `YYYY-MM-DD`, not after today.
pub fn parse_at(at: &str) -> Result<String, AppError> {
    let date = NaiveDate::parse_from_str(at.trim(), "%Y-%m-%d")
        .ok()
        .filter(|_| at.trim().len() == 10)
        .ok_or_else(|| AppError::Invalid(format!("at “{at}”不是 YYYY-MM-DD 格式的日期")))?;
    if date > today() {
        return Err(AppError::Invalid(format!("at {date} 晚于今天：登记册只能回答过去和现在")));
    }
    Ok(date.to_string())
}

impl App {
    /// The register as it stood at the end of the date `at` names.
    pub fn dated(&self, at: &str) -> Result<Arc<Dated>, AppError> {
        let date = parse_at(at)?;
        let snapshot = self.snapshot();
        let mut kept = self.dated.kept.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, d)) = kept.iter().find(|(_, d)| d.date == date) {
            return Ok(d.clone());
        }
        // The dated register shares what did not change with the current one, and its
        // resolver is the current one with those records taken in.
        let (register, changed) = snapshot.register.as_of_with_changes(&date);
        let now = &snapshot.register;
        let plates = changed
            .ids
            .iter()
            .filter_map(|id| register.plate_of(id).or_else(|| now.plate_of(id)).map(|p| p.id.clone()))
            .collect();
        let register = Arc::new(register);
        let resolver = snapshot.resolver.updated(register.clone(), &Changed { names: changed.names, plates });
        let dated = Arc::new(Dated { resolver, register, date });
        if kept.len() == KEPT {
            kept.pop_front();
        }
        kept.push_back((snapshot.seq, dated.clone()));
        Ok(dated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_is_a_real_past_date() {
        assert_eq!(parse_at("2020-02-29").unwrap(), "2020-02-29");
        for bad in ["2021-02-29", "2020-2-3", "20200101", "yesterday", "2020-01-01T00:00", "9999-01-01"] {
            assert!(matches!(parse_at(bad), Err(AppError::Invalid(_))), "{bad}");
        }
    }
}
