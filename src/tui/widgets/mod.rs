//! Drawing pieces shared by screens: table columns that never cut a number,
//! the form popup and the entry detail.

pub mod columns;
pub mod detail;
pub mod form;
pub mod invoice;
