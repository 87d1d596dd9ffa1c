//! Kefu's client: a Leptos CSR app whose data lives in IndexedDB and syncs through an outbox.

pub mod store;
