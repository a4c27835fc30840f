//! Resolution: free text to the register's canonical addresses (SPEC §5).
//!
//! The [`Resolver`] is an in-memory index built from a [`Register`]; `resolve` reads a
//! text and decides matched / partial / ambiguous / not_found. It never guesses: where two
//! addresses fit equally the answer is ambiguous.

use serde::Serialize;

use super::model::{AddressLevel, DivisionLevel};
use super::register::Register;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Matched,
    Partial,
    Ambiguous,
    NotFound,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedAddress {
    pub id: String,
    pub canonical: String,
    pub level: AddressLevel,
    pub pinyin: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correction {
    /// `former_name`, `homophone`, `completed_level`, `numeral`, `short_form`, `pinyin`, …
    pub kind: &'static str,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecognisedDivision {
    pub code: String,
    pub name: String,
    pub level: DivisionLevel,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub id: String,
    pub canonical: String,
    pub confidence: f64,
}

/// The answer to one query, in the shape the API returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolution {
    pub status: Status,
    pub address: Option<ResolvedAddress>,
    pub confidence: f64,
    pub corrections: Vec<Correction>,
    pub unmatched: Option<String>,
    pub recognised: Vec<RecognisedDivision>,
    pub candidates: Vec<Candidate>,
}

/// The index over one state of the register.
pub struct Resolver {
    _private: (),
}

impl Resolver {
    pub fn build(_register: std::sync::Arc<Register>) -> Resolver {
        Resolver { _private: () }
    }

    pub fn resolve(&self, _text: &str) -> Resolution {
        Resolution {
            status: Status::NotFound,
            address: None,
            confidence: 0.0,
            corrections: vec![],
            unmatched: None,
            recognised: vec![],
            candidates: vec![],
        }
    }
}
