//! The rate limit across nodes: each node tells the others, through the store, how many
//! requests it let through per token, and hears what they let through.

use std::collections::HashMap;

use super::{App, AppError};
use crate::store::rate;

impl App {
    /// Publishes this node's usage (requests let through per token in the last second)
    /// and answers the other nodes' usage per token, in requests per second.
    pub fn share_rate_usage(&self, node: &str, used: &[(String, i64)]) -> Result<HashMap<String, f64>, AppError> {
        let now = chrono::Utc::now().timestamp();
        self.store.write(|c| rate::publish(c, node, now, used).map_err(AppError::from))?;
        // A node that has not published for two seconds is gone or stalled: its share
        // returns to the others.
        let others = self.store.read(|c| rate::others(c, node, now - 2).map_err(AppError::from))?;
        Ok(others.into_iter().map(|(token, n)| (token, n as f64)).collect())
    }
}
