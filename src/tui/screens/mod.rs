//! One module per screen: its state, its layout (drawing and paging use
//! the same one), its drawing from a `Scene`, and its keys as a component.

pub mod aging;
pub mod collections;
pub mod customer;
mod customer_keys;
pub mod customers;
pub mod drafting;
pub mod glance;
