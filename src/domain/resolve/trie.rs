//! A character trie: finds every indexed name that starts at a given position of the
//! query in one walk, without building substrings. Each key maps to a slot number; the
//! index keeps what the slot means.

#[derive(Debug, Default)]
struct Node {
    /// Sorted by character, so a step is a binary search.
    edges: Vec<(char, u32)>,
    slot: Option<u32>,
}

#[derive(Debug)]
pub(super) struct Trie {
    nodes: Vec<Node>,
    slots: u32,
}

impl Default for Trie {
    fn default() -> Self {
        Trie { nodes: vec![Node::default()], slots: 0 }
    }
}

impl Trie {
    /// The slot of `key`, created when the key is new. An empty key has no slot.
    pub fn slot(&mut self, key: &str) -> Option<u32> {
        if key.is_empty() {
            return None;
        }
        let mut at = 0usize;
        for c in key.chars() {
            let next_id = self.nodes.len() as u32;
            let node = self.nodes.get_mut(at)?;
            at = match node.edges.binary_search_by_key(&c, |e| e.0) {
                Ok(i) => node.edges.get(i)?.1 as usize,
                Err(i) => {
                    node.edges.insert(i, (c, next_id));
                    self.nodes.push(Node::default());
                    next_id as usize
                }
            };
        }
        let node = self.nodes.get_mut(at)?;
        if node.slot.is_none() {
            node.slot = Some(self.slots);
            self.slots += 1;
        }
        node.slot
    }

    /// Calls `f(end, slot)` for every key that is a prefix of `chars[start..limit]`,
    /// shortest first; `end` is the index just past the key.
    pub fn walk(&self, chars: &[char], start: usize, limit: usize, mut f: impl FnMut(usize, u32)) {
        let mut at = 0usize;
        let limit = limit.min(chars.len());
        for (i, c) in chars.iter().enumerate().take(limit).skip(start) {
            let Some(node) = self.nodes.get(at) else { return };
            match node.edges.binary_search_by_key(c, |e| e.0) {
                Ok(k) => match node.edges.get(k) {
                    Some(e) => at = e.1 as usize,
                    None => return,
                },
                Err(_) => return,
            }
            if let Some(slot) = self.nodes.get(at).and_then(|n| n.slot) {
                f(i + 1, slot);
            }
        }
    }
}

/// A trie frozen after building: every node's edges in one array, so a large, fixed
/// name list (the national divisions) costs a few bytes a character, not an allocation
/// a node.
#[derive(Debug, Default)]
pub(super) struct FrozenTrie {
    /// Per node: first edge, number of edges, slot (`u32::MAX` for none).
    nodes: Vec<(u32, u32, u32)>,
    edges: Vec<(char, u32)>,
}

impl From<Trie> for FrozenTrie {
    fn from(t: Trie) -> Self {
        let mut frozen = FrozenTrie { nodes: Vec::with_capacity(t.nodes.len()), edges: Vec::new() };
        for node in t.nodes {
            let start = frozen.edges.len() as u32;
            frozen.nodes.push((start, node.edges.len() as u32, node.slot.unwrap_or(u32::MAX)));
            frozen.edges.extend(node.edges);
        }
        frozen
    }
}

impl FrozenTrie {
    /// As [`Trie::walk`].
    pub fn walk(&self, chars: &[char], start: usize, limit: usize, mut f: impl FnMut(usize, u32)) {
        let mut at = 0usize;
        let limit = limit.min(chars.len());
        for (i, c) in chars.iter().enumerate().take(limit).skip(start) {
            let Some(&(first, count, _)) = self.nodes.get(at) else { return };
            let Some(edges) = self.edges.get(first as usize..(first + count) as usize) else { return };
            match edges.binary_search_by_key(c, |e| e.0) {
                Ok(k) => match edges.get(k) {
                    Some(e) => at = e.1 as usize,
                    None => return,
                },
                Err(_) => return,
            }
            match self.nodes.get(at) {
                Some(&(_, _, slot)) if slot != u32::MAX => f(i + 1, slot),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_prefix_key() {
        let mut t = Trie::default();
        let a = t.slot("恩施").unwrap();
        let b = t.slot("恩施市").unwrap();
        assert_eq!(t.slot("恩施"), Some(a));
        assert_eq!(t.slot(""), None);
        let chars: Vec<char> = "湖北恩施市航空".chars().collect();
        let mut found = vec![];
        t.walk(&chars, 2, chars.len(), |end, slot| found.push((end, slot)));
        assert_eq!(found, vec![(4, a), (5, b)]);
        found.clear();
        t.walk(&chars, 2, 4, |end, slot| found.push((end, slot)));
        assert_eq!(found, vec![(4, a)]);
        t.walk(&chars, 99, 100, |_, _| panic!("nothing past the end"));
        let frozen = FrozenTrie::from(t);
        found.clear();
        frozen.walk(&chars, 2, chars.len(), |end, slot| found.push((end, slot)));
        assert_eq!(found, vec![(4, a), (5, b)]);
        frozen.walk(&chars, 99, 100, |_, _| panic!("nothing past the end"));
    }
}
