//! Kefu's pure core: domain types, rules and the sync protocol shared by client and server.
//!
//! Nothing in this crate reads a clock, a disk or a socket: callers pass time and data in,
//! so every rule is testable natively and behaves identically in the browser and on the server.

pub mod accept;
pub mod access;
pub mod account;
pub mod after_sales;
pub mod figures;
pub mod hlc;
pub mod input;
pub mod kinds;
pub mod lang;
pub mod limits;
pub mod money;
pub mod photo;
pub mod policy;
pub mod record;
pub mod recovery;
pub mod rules;
pub mod storage;
pub mod sync;
#[cfg(test)]
mod test_fixtures;
pub mod tracking;
pub mod validate;
