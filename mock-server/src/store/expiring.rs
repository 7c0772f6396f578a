//! A map whose entries leave at a deadline, purged through a time-ordered index so that
//! purging costs in proportion to what expires, never a scan of what is still live.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::Hash;

/// Entries with a purge deadline (seconds on the mock's clock), and at most `cap` of them.
#[derive(Debug)]
pub(crate) struct Expiring<K, V> {
    entries: HashMap<K, (u64, V)>,
    /// `(deadline, key)`, soonest first. A key removed early stays here until its deadline
    /// comes or the index is rebuilt; [`Expiring::purge`] skips it then.
    index: BinaryHeap<Reverse<(u64, K)>>,
    cap: usize,
}

impl<K: Hash + Eq + Ord + Clone, V> Expiring<K, V> {
    /// An empty map holding at most `cap` entries.
    pub fn new(cap: usize) -> Self {
        Expiring {
            entries: HashMap::new(),
            index: BinaryHeap::new(),
            cap,
        }
    }

    /// Adds or replaces an entry that is purged once the clock reaches `deadline`. Past the
    /// cap, the entry closest to its deadline goes first.
    pub fn insert(&mut self, key: K, value: V, deadline: u64) {
        self.index.push(Reverse((deadline, key.clone())));
        self.entries.insert(key, (deadline, value));
        while self.entries.len() > self.cap {
            if !self.pop_soonest() {
                break;
            }
        }
        // Keys removed early pile up in the index; rebuild it from the live entries before
        // it outgrows them by much, which keeps the work amortized per insert.
        if self.index.len() > 2 * self.entries.len() + 64 {
            self.index = self
                .entries
                .iter()
                .map(|(key, (deadline, _))| Reverse((*deadline, key.clone())))
                .collect();
        }
    }

    /// Drops the entry closest to its deadline; `false` when there is none.
    fn pop_soonest(&mut self) -> bool {
        while let Some(Reverse((deadline, key))) = self.index.pop() {
            if self.entries.get(&key).is_some_and(|(d, _)| *d == deadline) {
                self.entries.remove(&key);
                return true;
            }
        }
        false
    }

    /// Drops every entry whose deadline is `now` or earlier; returns how many went.
    pub fn purge(&mut self, now: u64) -> usize {
        let mut purged = 0;
        while let Some(Reverse((deadline, _))) = self.index.peek() {
            if *deadline > now {
                break;
            }
            let Some(Reverse((deadline, key))) = self.index.pop() else {
                break;
            };
            // A key replaced under a later deadline has another index entry for that one.
            if self.entries.get(&key).is_some_and(|(d, _)| *d == deadline) {
                self.entries.remove(&key);
                purged += 1;
            }
        }
        purged
    }

    /// The value under `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.entries.get(key).map(|(_, value)| value)
    }

    /// The value under `key`, to change.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.entries.get_mut(key).map(|(_, value)| value)
    }

    /// Whether `key` is there.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.entries.contains_key(key)
    }

    /// Removes and returns the value under `key`.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.entries.remove(key).map(|(_, value)| value)
    }

    /// Keeps only the entries for which `keep` is true: a scan, for rare admin actions
    /// (deleting an app or a user), never for a protocol request.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        self.entries.retain(|key, (_, value)| keep(key, value));
    }

    /// How many entries are there.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purges_what_is_due_and_keeps_the_rest() {
        let mut map = Expiring::new(10);
        map.insert("a", 1, 100);
        map.insert("b", 2, 200);
        map.insert("c", 3, 150);
        assert_eq!(map.purge(99), 0);
        assert_eq!(map.purge(150), 2);
        assert_eq!(map.get("b"), Some(&2));
        assert!(!map.contains_key("a") && !map.contains_key("c"));
        assert_eq!(map.len(), 1);
    }

    #[test]
    fn a_replaced_entry_lives_until_its_new_deadline() {
        let mut map = Expiring::new(10);
        map.insert("a", 1, 100);
        map.insert("a", 2, 300);
        assert_eq!(map.purge(200), 0);
        assert_eq!(map.get("a"), Some(&2));
        assert_eq!(map.purge(300), 1);
        assert_eq!(map.len(), 0);
    }

    #[test]
    fn past_the_cap_the_entry_closest_to_its_deadline_goes() {
        let mut map = Expiring::new(2);
        map.insert("late", 1, 300);
        map.insert("soon", 2, 100);
        map.insert("middle", 3, 200);
        assert_eq!(map.len(), 2);
        assert!(!map.contains_key("soon"));
        assert!(map.contains_key("late") && map.contains_key("middle"));
    }

    #[test]
    fn early_removals_do_not_grow_the_index_without_bound() {
        let mut map = Expiring::new(1000);
        for i in 0..10_000u64 {
            map.insert(i, (), 1_000_000 + i);
            map.remove(&i);
        }
        assert_eq!(map.len(), 0);
        assert!(map.index.len() <= 64 + 2, "index holds {}", map.index.len());
    }
}
