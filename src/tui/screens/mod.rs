//! One module per screen. Each draws from `App` state only.

pub mod customer;
pub mod customers;
pub mod drafting;
