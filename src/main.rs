//! Entry point of the wasm client built by Trunk.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(kefu::app::App);
}
