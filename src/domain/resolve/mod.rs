//! Resolution: free text to the register's canonical addresses (SPEC §5).
//!
//! The [`Resolver`] is an in-memory index built from a [`Register`]; `resolve` reads a
//! text and decides matched / partial / ambiguous / not_found. It never guesses: where two
//! addresses fit equally the answer is ambiguous.
//!
//! The work is split by stage:
//! - [`normalise`]: NFKC, traditional → simplified, separators, asides, labels;
//! - [`index`] (with [`informal`] for the other names of divisions and [`trie`]): what
//!   the register calls its divisions, streets and localities, in Chinese and Pinyin;
//! - [`plates`]: the plates with their buildings, units and rooms, which a change to a few
//!   plates updates in place (see [`Resolver::updated`]);
//! - [`parse`] (with [`tail`] for numbers, buildings, units and rooms): which divisions,
//!   which street or locality, which parts below it, what is left over;
//! - [`outside`]: whether the text names a division of China outside the register
//!   (read against the bundled national list, [`super::china`]);
//! - [`decide`]: candidates, the walk down the register, the rules of SPEC §5, the
//!   corrections reported and the confidence.

mod decide;
mod index;
mod informal;
mod normalise;
mod outside;
mod parse;
mod plates;
mod tail;
pub(crate) use tail::chinese_number;
mod trie;

#[cfg(test)]
mod tests;

use std::sync::Arc;

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
    /// `former_name`, `homophone`, `completed_level`, `numeral`, `short_form`,
    /// `informal_name`, `pinyin`, `traditional`, `sub_number`,
    /// `building`, `unit`, `room`, `split`, `township`, `replaced`.
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

/// A division of China outside the register that a text names (SPEC §5 "Outside the
/// register").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutsideDivision {
    /// GB/T 2260's 6 digits, or 9 for a township.
    pub code: String,
    pub name: String,
    pub level: DivisionLevel,
    /// Full names from the province down to this division.
    pub chain: Vec<String>,
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
    /// The place outside the register the text names (with `not_found` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outside: Option<OutsideDivision>,
}

/// The index over one state of the register. Shared across threads; `resolve` takes no
/// lock and changes nothing.
pub struct Resolver {
    /// Divisions, streets and localities: shared by the resolvers of registers that differ
    /// only in plates.
    names: Arc<index::Index>,
    plates: plates::Plates,
    /// The register indexed, which tells [`Resolver::updated`] where a changed plate was.
    register: Arc<Register>,
}

/// What differs between the register a resolver was built over and the next one.
#[derive(Debug, Clone, Default)]
pub struct Changed {
    /// Any division, thoroughfare or locality added, changed or removed.
    pub names: bool,
    /// The IDs of the plates whose own record, or whose buildings, units or rooms, were
    /// added, changed or removed.
    pub plates: std::collections::BTreeSet<String>,
}

impl Resolver {
    pub fn build(register: Arc<Register>) -> Resolver {
        outside::prepare();
        Resolver { names: Arc::new(index::Index::build(&register)), plates: plates::Plates::build(&register), register }
    }

    /// The resolver over `register`, which differs from this resolver's register only by
    /// `changed`: names (any division, thoroughfare or locality added/changed/removed) and the
    /// plates whose own record, or whose buildings, units or rooms, were added, changed or removed.
    ///
    /// It answers as [`Resolver::build`] over `register` would; the names part is built
    /// again only when names changed, and only the changed plates are read.
    pub fn updated(&self, register: Arc<Register>, changed: &Changed) -> Resolver {
        let names = if changed.names { Arc::new(index::Index::build(&register)) } else { Arc::clone(&self.names) };
        let plates = self.plates.updated(&self.register, &register, &changed.plates);
        Resolver { names, plates, register }
    }

    /// Resolves one text. Never panics, whatever the input.
    pub fn resolve(&self, text: &str) -> Resolution {
        decide::resolve(&self.names, &self.plates, text)
    }
}
