//! Drawing pieces shared by screens: the form popup and the entry detail.

pub mod detail;
pub mod form;
