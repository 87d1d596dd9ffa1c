//! One file per page.

pub mod account;
pub mod accounts;
pub mod after_sales;
pub mod case_detail;
pub mod case_list;
pub mod complaints;
pub mod customer_profile;
pub mod customers;
pub mod escalations;
pub mod first_password;
pub mod incidents;
pub mod inquiry;
pub mod knowledge;
pub mod login;
pub mod new_case;
pub mod new_return;
pub mod outbox;
pub mod parcels;
pub mod policy;
pub mod problems;
pub mod promises;
pub mod qa;
pub mod reports;
pub mod shift;
pub mod station;
