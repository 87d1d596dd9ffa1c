//! One file per page.

pub mod case_detail;
pub mod case_list;
pub mod incidents;
pub mod login;
pub mod new_case;
pub mod outbox;
