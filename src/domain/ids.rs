//! Address IDs: a type prefix and a ULID, opaque, sortable, never reused.

use ulid::Ulid;

/// What kind of record an ID names; the prefix is part of the public contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKind {
    Thoroughfare,
    Locality,
    Plate,
    Building,
    Unit,
    Room,
    Token,
}

impl IdKind {
    pub const fn prefix(self) -> &'static str {
        match self {
            IdKind::Thoroughfare => "thr",
            IdKind::Locality => "loc",
            IdKind::Plate => "plt",
            IdKind::Building => "bld",
            IdKind::Unit => "unt",
            IdKind::Room => "rom",
            IdKind::Token => "tok",
        }
    }

    /// The kind an ID claims by its prefix; divisions (all digits) have none.
    pub fn of(id: &str) -> Option<IdKind> {
        let (prefix, rest) = id.split_once('_')?;
        if rest.len() != 26 || Ulid::from_string(rest).is_err() {
            return None;
        }
        [
            IdKind::Thoroughfare,
            IdKind::Locality,
            IdKind::Plate,
            IdKind::Building,
            IdKind::Unit,
            IdKind::Room,
            IdKind::Token,
        ]
        .into_iter()
        .find(|k| k.prefix() == prefix)
    }
}

/// A new ID of the given kind.
pub fn new_id(kind: IdKind) -> String {
    format!("{}_{}", kind.prefix(), Ulid::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_carry_their_kind_and_are_unique() {
        let a = new_id(IdKind::Plate);
        let b = new_id(IdKind::Plate);
        assert_ne!(a, b);
        assert!(a.starts_with("plt_"));
        assert_eq!(IdKind::of(&a), Some(IdKind::Plate));
        assert_eq!(IdKind::of("422801"), None);
        assert_eq!(IdKind::of("plt_notaulid"), None);
    }
}
