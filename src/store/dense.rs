//! Maps and sets keyed by row id for whole-book passes: a vector (or a
//! bitmap) indexed by id for the dense ids SQLite hands out, so nothing is
//! hashed per row, and a hash map for any id beyond.
//!
//! Invariant: each behaves as a map or set whatever the ids (negative,
//! huge, sparse); the dense part never holds more than `DENSE_LIMIT` slots.

use std::collections::{HashMap, HashSet};

use super::{Reads, Result};

const DENSE_LIMIT: i64 = 1 << 24;

pub(super) struct DenseMap<T> {
    slots: Vec<Option<T>>,
    far: HashMap<i64, T>,
}

impl<T> DenseMap<T> {
    /// A map for ids up to about `max_id`.
    pub fn with_max(max_id: i64) -> DenseMap<T> {
        let len = max_id.clamp(0, DENSE_LIMIT - 1) as usize + 1;
        DenseMap {
            slots: std::iter::repeat_with(|| None).take(len).collect(),
            far: HashMap::new(),
        }
    }

    fn index(&self, id: i64) -> Option<usize> {
        usize::try_from(id).ok().filter(|i| *i < self.slots.len())
    }

    pub fn insert(&mut self, id: i64, value: T) {
        match self.index(id) {
            Some(i) => self.slots[i] = Some(value),
            None => {
                self.far.insert(id, value);
            }
        }
    }

    pub fn get(&self, id: i64) -> Option<&T> {
        match self.index(id) {
            Some(i) => self.slots[i].as_ref(),
            None => self.far.get(&id),
        }
    }

    pub fn get_mut(&mut self, id: i64) -> Option<&mut T> {
        match self.index(id) {
            Some(i) => self.slots[i].as_mut(),
            None => self.far.get_mut(&id),
        }
    }

    /// Every (id, value), ids ascending.
    pub fn into_sorted(self) -> Vec<(i64, T)> {
        let mut far: Vec<(i64, T)> = self.far.into_iter().collect();
        far.sort_by_key(|(id, _)| *id);
        let dense = self
            .slots
            .into_iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i as i64, v)));
        let (below, above): (Vec<_>, Vec<_>) = far.into_iter().partition(|(id, _)| *id < 0);
        below.into_iter().chain(dense).chain(above).collect()
    }
}

/// A set of row ids: a bitmap below `DENSE_LIMIT`, a hash set beyond.
#[derive(Default)]
pub(super) struct DenseSet {
    bits: Vec<u64>,
    far: HashSet<i64>,
}

impl DenseSet {
    pub fn insert(&mut self, id: i64) {
        if (0..DENSE_LIMIT).contains(&id) {
            let (word, bit) = ((id / 64) as usize, id % 64);
            if word >= self.bits.len() {
                self.bits.resize(word + 1, 0);
            }
            self.bits[word] |= 1 << bit;
        } else {
            self.far.insert(id);
        }
    }

    /// Adds every id of `other`.
    pub fn union(&mut self, other: &DenseSet) {
        if self.bits.len() < other.bits.len() {
            self.bits.resize(other.bits.len(), 0);
        }
        for (mine, theirs) in self.bits.iter_mut().zip(&other.bits) {
            *mine |= theirs;
        }
        self.far.extend(&other.far);
    }

    pub fn contains(&self, id: i64) -> bool {
        if (0..DENSE_LIMIT).contains(&id) {
            self.bits
                .get((id / 64) as usize)
                .is_some_and(|w| w & (1 << (id % 64)) != 0)
        } else {
            self.far.contains(&id)
        }
    }
}

impl Reads<'_> {
    /// A slot for every customer, so a pass finds theirs in one step: each
    /// made by `make` from the customer's row of `sql` (`SELECT id, …
    /// FROM customers`).
    pub(super) fn customer_slots<T>(
        &self,
        sql: &str,
        make: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<DenseMap<T>> {
        let mut slots = DenseMap::with_max(self.max_customer_id()?);
        let mut stmt = self.conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            slots.insert(r.get(0)?, make(r)?);
        }
        Ok(slots)
    }

    /// The highest customer id: the size of a dense map over customers.
    pub(super) fn max_customer_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM customers", [], |r| {
                r.get(0)
            })?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_ids_behave_as_a_map_in_order() {
        let mut m = DenseMap::with_max(10);
        for id in [3, -2, 10, 11, DENSE_LIMIT + 5, 0] {
            m.insert(id, id * 2);
        }
        *m.get_mut(11).unwrap() += 1;
        assert!(m.get_mut(4).is_none());
        assert!(m.get_mut(-3).is_none());
        assert_eq!(m.get(3), Some(&6));
        assert_eq!(m.get(-7), None);
        assert_eq!(
            m.into_sorted(),
            vec![
                (-2, -4),
                (0, 0),
                (3, 6),
                (10, 20),
                (11, 23),
                (DENSE_LIMIT + 5, (DENSE_LIMIT + 5) * 2)
            ]
        );
    }

    #[test]
    fn sets_hold_dense_and_far_ids() {
        let mut ids = DenseSet::default();
        for id in [0, 1, 63, 64, 1_000_000, -5, DENSE_LIMIT + 3] {
            ids.insert(id);
        }
        for id in [0, 1, 63, 64, 1_000_000, -5, DENSE_LIMIT + 3] {
            assert!(ids.contains(id), "{id}");
        }
        for id in [2, 65, 999_999, -4, DENSE_LIMIT + 2, DENSE_LIMIT] {
            assert!(!ids.contains(id), "{id}");
        }
        let mut more = DenseSet::default();
        for id in [2, 2_000_000, -4] {
            more.insert(id);
        }
        more.union(&ids);
        for id in [0, 2, 64, 1_000_000, 2_000_000, -4, -5, DENSE_LIMIT + 3] {
            assert!(more.contains(id), "{id}");
        }
        assert!(!more.contains(3));
    }
}
