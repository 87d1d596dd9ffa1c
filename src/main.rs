//! Entry point of the wasm client built by Trunk.

fn main() {}
