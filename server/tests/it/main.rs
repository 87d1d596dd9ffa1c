//! The server's integration tests, one binary (links once): router tests in-process, live
//! tests on a real port, both on a fresh temporary SQLite database each.

mod accounts;
mod common;
mod complaints;
mod conduct;
mod db;
mod figures;
mod first_start;
mod hardening;
mod limits;
mod live;
mod openapi;
mod photos;
mod policy_file;
mod policy_history;
mod recover;
mod request_log;
mod router;
mod rules;
