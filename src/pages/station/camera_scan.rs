//! Scanning a waybill with the tablet's camera, where the browser has `BarcodeDetector`
//! (Chrome on Android and ChromeOS, Safari): the camera's picture is read a few times a
//! second until a code is found, which then opens like a scanner's Enter. Browsers without it
//! do not show the button; the USB or Bluetooth scanner and typing always work.

use crate::i18n::{t, use_i18n};
use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Function, Promise, Reflect};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlVideoElement, MediaStream, MediaStreamConstraints, MediaStreamTrack};

/// How often the picture is read: fast enough to feel instant, light on a tablet's battery.
const DETECT_EVERY_MS: u32 = 250;

/// The browser's barcode detector, if it has one (not in web-sys's stable API: reached by name).
fn barcode_detector() -> Option<JsValue> {
    let window = web_sys::window()?;
    let constructor: Function = Reflect::get(&window, &"BarcodeDetector".into())
        .ok()?
        .dyn_into()
        .ok()?;
    Reflect::construct(&constructor, &Array::new()).ok()
}

fn camera_available() -> bool {
    web_sys::window().is_some_and(|window| window.navigator().media_devices().is_ok())
}

/// The first code in the current picture, if any.
async fn detect(detector: &JsValue, video: &HtmlVideoElement) -> Option<String> {
    let detect: Function = Reflect::get(detector, &"detect".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: Promise = detect.call1(detector, video).ok()?.dyn_into().ok()?;
    let found = Array::from(&JsFuture::from(promise).await.ok()?);
    Reflect::get(&found.get(0), &"rawValue".into())
        .ok()?
        .as_string()
        .filter(|code| !code.trim().is_empty())
}

async fn open_camera() -> Result<MediaStream, JsValue> {
    let devices = web_sys::window()
        .ok_or("no window")?
        .navigator()
        .media_devices()?;
    let video = js_sys::Object::new();
    // The back camera, which faces the parcel.
    Reflect::set(&video, &"facingMode".into(), &"environment".into())?;
    let constraints = MediaStreamConstraints::new();
    constraints.set_video(&video);
    JsFuture::from(devices.get_user_media_with_constraints(&constraints)?)
        .await?
        .dyn_into()
}

fn stop(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
            track.stop();
        }
    }
}

#[component]
pub fn CameraScan(on_code: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let supported = barcode_detector().is_some() && camera_available();
    let scanning = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let stream = StoredValue::new_local(None::<MediaStream>);
    let video = NodeRef::<html::Video>::new();
    // Also run when the page goes away, when the signals may already be gone.
    let finish = move || {
        scanning.try_set(false);
        if let Some(open) = stream.try_update_value(Option::take).flatten() {
            stop(&open);
        }
    };
    on_cleanup(finish);
    let start = move |_| {
        failed.set(None);
        scanning.set(true);
        spawn_local(async move {
            let open = match open_camera().await {
                Ok(open) => open,
                Err(error) => {
                    failed.set(Some(format!("{error:?}")));
                    scanning.set(false);
                    return;
                }
            };
            let (Some(detector), Some(element)) = (barcode_detector(), video.get_untracked())
            else {
                stop(&open);
                scanning.set(false);
                return;
            };
            let element: HtmlVideoElement = element;
            element.set_src_object(Some(&open));
            let _ = element.play();
            stream.set_value(Some(open));
            while scanning.get_untracked() {
                TimeoutFuture::new(DETECT_EVERY_MS).await;
                if let Some(code) = detect(&detector, &element).await {
                    finish();
                    on_code.run(code);
                }
            }
        });
    };

    supported.then(|| {
        view! {
            <div class="camera-scan">
                <Show when=move || !scanning.get()>
                    <button type="button" class="big" data-testid="scan-camera" on:click=start>
                        {t!(i18n, station_camera)}
                    </button>
                </Show>
                <div class="camera-view" class:hidden=move || !scanning.get()>
                    <video node_ref=video data-testid="camera-view" autoplay playsinline muted
                        aria-label=move || crate::i18n::t_string!(i18n, station_camera)></video>
                    <button type="button" class="big" data-testid="scan-camera-stop" on:click=move |_| finish()>
                        {t!(i18n, station_camera_stop)}
                    </button>
                </div>
                <Show when=move || failed.get().is_some()>
                    <p class="error" role="alert" data-testid="camera-error">
                        {t!(i18n, station_camera_failed)} " " {move || failed.get()}
                    </p>
                </Show>
            </div>
        }
    })
}
