//! Requests let through per token, shared between the nodes of one store, so that the
//! rate limit holds for the service as a whole.

use std::collections::HashMap;

use diesel::prelude::*;

use super::schema::rate_usage;
use super::{insert_rows, AnyConnection, StoreError};

#[derive(Insertable)]
#[diesel(table_name = rate_usage)]
struct UsageRow<'a> {
    node: &'a str,
    token_id: &'a str,
    at: i64,
    count: i64,
}

/// Replaces this node's published usage with `counts` (per token, in the second that
/// ended at `at`, Unix seconds), and forgets nodes silent for a minute.
pub fn publish(conn: &mut AnyConnection, node: &str, at: i64, counts: &[(String, i64)]) -> Result<(), StoreError> {
    diesel::delete(rate_usage::table.filter(rate_usage::node.eq(node).or(rate_usage::at.lt(at - 60)))).execute(conn)?;
    let rows: Vec<UsageRow> =
        counts.iter().map(|(token, count)| UsageRow { node, token_id: token, at, count: *count }).collect();
    insert_rows!(conn, rate_usage::table, rows);
    Ok(())
}

/// What the other nodes let through per token in their last published second, among
/// those that published since `since`.
pub fn others(conn: &mut AnyConnection, node: &str, since: i64) -> Result<HashMap<String, i64>, StoreError> {
    let rows: Vec<(String, i64)> = rate_usage::table
        .filter(rate_usage::node.ne(node))
        .filter(rate_usage::at.ge(since))
        .select((rate_usage::token_id, rate_usage::count))
        .load(conn)?;
    let mut out = HashMap::new();
    for (token, count) in rows {
        *out.entry(token).or_insert(0) += count;
    }
    Ok(out)
}
