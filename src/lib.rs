//! Kefu's client: a Leptos CSR app whose data lives in IndexedDB and syncs through an outbox.

pub mod api;
pub mod app;
pub mod camera;
pub mod cases;
pub mod clock;
pub mod components;
pub mod desk;
pub mod drafts;
pub mod i18n;
pub mod lazy;
pub mod lock;
pub mod nav;
pub mod pages;
pub mod platform;
pub mod policy;
pub mod records;
pub mod routes;
pub mod session;
pub mod shift_start;
pub mod store;
pub mod sync;
pub mod tabs;
