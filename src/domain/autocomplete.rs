//! Autocomplete over names: a prefix of Chinese text, Hanyu Pinyin (`hangkong`) or pinyin
//! initials (`hkdd`) finds divisions, thoroughfares and localities, current names first.

use unicode_normalization::UnicodeNormalization;

use super::model::{AddressLevel, NameStatus};
use super::pinyin;
use super::register::Register;

struct Entry {
    id: String,
    name: String,
    /// Toneless pinyin without spaces, lowercase.
    key: String,
    initials: String,
    level: AddressLevel,
    /// Current, active names rank before former names and retired records.
    current: bool,
}

pub struct Autocomplete {
    entries: Vec<Entry>,
}

/// One suggestion: the record, the name that matched, and whether it is its current name.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub name: String,
    pub level: AddressLevel,
    pub current: bool,
}

impl Autocomplete {
    pub fn build(reg: &Register) -> Autocomplete {
        let mut entries = Vec::new();
        let mut push = |id: &str, name: &str, level, current| {
            entries.push(Entry {
                id: id.to_string(),
                name: name.to_string(),
                key: pinyin::key(name),
                initials: pinyin::initials(name),
                level,
                current,
            })
        };
        for d in reg.divisions.values() {
            push(&d.code, &d.name, AddressLevel::Division, true);
            for a in &d.aliases {
                push(&d.code, a, AddressLevel::Division, true);
            }
        }
        for t in reg.thoroughfares.values() {
            push(&t.id, &t.name, AddressLevel::Thoroughfare, t.status == NameStatus::Active);
            for f in &t.former_names {
                push(&t.id, &f.name, AddressLevel::Thoroughfare, false);
            }
        }
        for l in reg.localities.values() {
            push(&l.id, &l.name, AddressLevel::Locality, l.status == NameStatus::Active);
            for f in &l.former_names {
                push(&l.id, &f.name, AddressLevel::Locality, false);
            }
        }
        Autocomplete { entries }
    }

    /// Up to `limit` records whose name starts with (or, after those, contains) the prefix.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Vec<Hit> {
        let q: String = prefix.nfkc().filter(|c| !c.is_whitespace() && *c != '\'').collect::<String>().to_lowercase();
        if q.is_empty() {
            return vec![];
        }
        let ascii = q.is_ascii();
        let mut scored: Vec<(u8, usize, &Entry)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let tier = if ascii {
                    if e.initials == q || e.key == q {
                        0
                    } else if e.key.starts_with(&q) || e.initials.starts_with(&q) {
                        1
                    } else {
                        return None;
                    }
                } else if e.name == q {
                    0
                } else if e.name.starts_with(&q) {
                    1
                } else if e.name.contains(&q) {
                    2
                } else {
                    return None;
                };
                Some((tier + if e.current { 0 } else { 10 }, e.name.chars().count(), e))
            })
            .collect();
        scored.sort_by(|a, b| (a.0, a.1, &a.2.name, &a.2.id).cmp(&(b.0, b.1, &b.2.name, &b.2.id)));
        let mut seen = std::collections::HashSet::new();
        scored
            .into_iter()
            .filter(|(_, _, e)| seen.insert(e.id.as_str()))
            .take(limit)
            .map(|(_, _, e)| Hit { id: e.id.clone(), name: e.name.clone(), level: e.level, current: e.current })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::register::tests::sample;

    #[test]
    fn chinese_pinyin_and_initials_all_find_the_street() {
        let ac = Autocomplete::build(&sample());
        for q in ["航空", "航空大道", "hangkong", "HangKong Dadao", "hkdd", "hk"] {
            let hits = ac.suggest(q, 5);
            assert_eq!(hits.first().map(|h| h.id.as_str()), Some("thr_1"), "{q}: {hits:?}");
        }
        assert!(ac.suggest("", 5).is_empty());
        assert!(ac.suggest("zzzz", 5).is_empty());
    }

    #[test]
    fn current_names_come_before_former_names() {
        let mut reg = sample();
        reg.thoroughfares.get_mut("thr_1").unwrap().former_names.push(crate::domain::FormerName {
            name: "恩施大道".into(),
            until: "2010-01-01".into(),
            document: None,
            parent_code: None,
        });
        let ac = Autocomplete::build(&reg);
        let hits = ac.suggest("恩施", 5);
        assert_eq!(hits[0].id, "422801", "恩施市 (current) before the street's former name: {hits:?}");
        assert!(hits.iter().any(|h| h.id == "thr_1" && !h.current));
    }
}
