//! Errors of the domain: a rule or an invariant of the register refused something.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum DomainError {
    /// The input is malformed (bad JSON, wrong type, bad geometry).
    #[error("{0}")]
    Invalid(String),
    /// A record named by the input does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The input contradicts the register's state.
    #[error("{0}")]
    Conflict(String),
}
