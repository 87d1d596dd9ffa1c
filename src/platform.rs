//! Browser facilities outside IndexedDB: connectivity, persistent storage, the service worker.

use wasm_bindgen::{JsCast, JsValue};

/// The page's localStorage, where it is available (small per-device settings and drafts).
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn is_online() -> bool {
    web_sys::window()
        .map(|window| window.navigator().on_line())
        .unwrap_or(false)
}

/// Asks the browser not to evict Kefu's data under storage pressure. Best effort: browsers
/// may decline, and the data still works; the result is only logged.
pub fn request_persistent_storage() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(promise) = window.navigator().storage().persist() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let granted = wasm_bindgen_futures::JsFuture::from(promise).await;
        leptos::logging::log!("persistent storage granted: {granted:?}");
    });
}

/// Event the page's service-worker registration (index.html) fires when a new build is
/// installed and waiting.
pub const UPDATE_AVAILABLE_EVENT: &str = "kefu-update-available";

/// Activates the waiting service worker; the page reloads when it takes over.
pub fn apply_update() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let apply = js_sys::Reflect::get(&window, &JsValue::from_str("kefuApplyUpdate"));
    if let Ok(function) = apply.and_then(|value| value.dyn_into::<js_sys::Function>()) {
        let _ = function.call0(&JsValue::NULL);
    }
}

/// Whether a new build was already found before the app mounted (the event fired early).
pub fn update_already_waiting() -> bool {
    web_sys::window()
        .and_then(|window| {
            js_sys::Reflect::get(&window, &JsValue::from_str("kefuUpdateWaiting")).ok()
        })
        .is_some_and(|value| value.is_truthy())
}

/// The browser's estimate of the space Kefu uses and may use, in bytes.
pub async fn storage_estimate() -> Option<(u64, u64)> {
    let promise = web_sys::window()?.navigator().storage().estimate().ok()?;
    let estimate = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let read = |field: &str| {
        js_sys::Reflect::get(&estimate, &JsValue::from_str(field))
            .ok()
            .and_then(|value| value.as_f64())
            .map(|bytes| bytes as u64)
    };
    Some((read("usage")?, read("quota")?))
}

/// Waits for the browser's next idle moment (`requestIdleCallback`), or a short while where
/// it has none (Safari): background work goes between the user's own, a piece at a time.
pub async fn next_idle_moment() {
    let idle = web_sys::window().and_then(|window| {
        let mut requested = false;
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            requested = window.request_idle_callback(&resolve).is_ok();
        });
        requested.then_some(promise)
    });
    match idle {
        Some(promise) => {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        }
        None => gloo_timers::future::TimeoutFuture::new(IDLE_FALLBACK_MS).await,
    }
}

/// The wait between pieces of background work where the browser cannot say when it is idle.
const IDLE_FALLBACK_MS: u32 = 200;

/// Waits until the service worker holds the whole build and serves this page (its install
/// cached every file; it then claims the page). `false` where there is no service worker.
pub async fn service_worker_serving() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let field =
        |object: &JsValue, name: &str| js_sys::Reflect::get(object, &JsValue::from_str(name));
    let Ok(container) = field(&window.navigator(), "serviceWorker") else {
        return false;
    };
    let Ok(ready) =
        field(&container, "ready").and_then(|ready| ready.dyn_into::<js_sys::Promise>())
    else {
        return false;
    };
    if wasm_bindgen_futures::JsFuture::from(ready).await.is_err() {
        return false;
    }
    if field(&container, "controller").is_ok_and(|controller| controller.is_truthy()) {
        return true;
    }
    // Active but not yet serving this page: it claims it next ("controllerchange").
    let claimed = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Ok(listen) = field(&container, "addEventListener")
            .and_then(|listen| listen.dyn_into::<js_sys::Function>())
        {
            let _ = listen.call2(&container, &JsValue::from_str("controllerchange"), &resolve);
        }
    });
    wasm_bindgen_futures::JsFuture::from(claimed).await.is_ok()
}
