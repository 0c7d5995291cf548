//! A map from row ids to values for whole-book passes: a vector indexed
//! by id for the dense ids SQLite hands out (no hashing per row), a hash
//! map for any id beyond.
//!
//! Invariant: behaves as a map whatever the ids (negative, huge, sparse);
//! the vector never holds more than `DENSE_LIMIT` slots.

use std::collections::HashMap;

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
}
