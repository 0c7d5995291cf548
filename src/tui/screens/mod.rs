//! One module per screen. Each draws from `App` state only.

pub mod aging;
pub mod collections;
pub mod customer;
pub mod customers;
pub mod drafting;
pub mod glance;
