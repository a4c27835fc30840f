//! The register's domain: divisions, thoroughfares, localities, plates and what stands
//! behind them, their canonical text and romanisation, the numbering geometry and the
//! interchange format. Nothing here knows of HTTP or SQL: the store and the API are
//! edges that call into this module.

pub mod as_of;
pub mod autocomplete;
pub mod canonical;
pub mod china;
pub mod china_time;
pub mod cleanup;
pub mod division_change;
pub mod error;
pub mod event_kind;
pub mod generic;
pub mod geometry;
pub mod ids;
pub mod import;
pub mod interchange;
pub mod model;
pub mod naming;
pub mod numbering;
pub mod pinyin;
pub mod register;
pub mod resolve;
pub mod shape;
pub mod spatial;
pub mod sub_address;
pub mod table;

pub use error::DomainError;
pub use event_kind::EventKind;
pub use model::*;
pub use register::Register;
