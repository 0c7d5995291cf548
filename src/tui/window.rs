//! A scrolled window over rows that live in the book: which row is
//! selected, which are on screen, and whether they need loading.
//!
//! Invariants: `selected` is within `0..count`; the window always
//! contains the selection and never leaves empty rows below the last.

/// A scrolled window over a list that lives in the book.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Window {
    pub selected: usize,
    pub offset: usize,
    pub count: usize,
    /// (offset, rows) of what was last requested; `None` forces a reload.
    pub(super) loaded: Option<(usize, usize)>,
}

impl Window {
    pub(super) fn step(&mut self, delta: isize, rows: usize) {
        let last = self.count.saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
        self.reveal(rows);
    }

    /// Moves the window just enough to show the selection.
    pub(super) fn reveal(&mut self, rows: usize) {
        let rows = rows.max(1);
        self.selected = self.selected.min(self.count.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        // Never leave empty space below the last row when rows are available.
        self.offset = self.offset.min(self.count.saturating_sub(rows));
    }

    pub(super) fn wants(&self, rows: usize) -> Option<(usize, usize)> {
        let want = (self.offset, rows);
        (self.loaded != Some(want)).then_some(want)
    }
}
