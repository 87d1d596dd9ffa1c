//! From a picked or captured image file to a photo ready to store: decoded by the browser,
//! shrunk to fit `kefu_core::photo::LONGEST_SIDE_PX`, encoded as JPEG and named by its
//! SHA-256, all on the device (a 4 MB phone shot becomes ~300 KB before it meets the Wi-Fi).

use js_sys::{Promise, Uint8Array};
use kefu_core::photo::{JPEG_QUALITY, LONGEST_SIDE_PX, PhotoRef, fit_within};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap};

fn described(error: JsValue) -> String {
    error
        .as_string()
        .or_else(|| js_sys::JSON::stringify(&error).ok().map(String::from))
        .unwrap_or_else(|| format!("{error:?}"))
}

/// The image in `file` as a stored photo: its reference and its JPEG bytes.
pub async fn photo_from_file(file: &Blob) -> Result<(PhotoRef, Vec<u8>), String> {
    let bytes = shrink_to_jpeg(file).await.map_err(described)?;
    let hash = sha256_hex(&bytes).await.map_err(described)?;
    Ok((
        PhotoRef {
            hash,
            bytes: bytes.len() as u64,
        },
        bytes,
    ))
}

async fn shrink_to_jpeg(file: &Blob) -> Result<Vec<u8>, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let bitmap: ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file)?)
        .await?
        .dyn_into()?;
    let (width, height) = fit_within(bitmap.width(), bitmap.height(), LONGEST_SIDE_PX);
    let document = window.document().ok_or("no document")?;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width(width);
    canvas.set_height(height);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or("no 2d canvas")?
        .dyn_into()?;
    context.draw_image_with_image_bitmap_and_dw_and_dh(
        &bitmap,
        0.0,
        0.0,
        f64::from(width),
        f64::from(height),
    )?;
    bitmap.close();
    // toBlob answers through a callback: wrap it in a promise to await it.
    let mut encode = |resolve: js_sys::Function, reject: js_sys::Function| {
        let done = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        if let Err(error) = canvas.to_blob_with_type_and_encoder_options(
            done.unchecked_ref(),
            "image/jpeg",
            &JsValue::from_f64(JPEG_QUALITY),
        ) {
            let _ = reject.call1(&JsValue::NULL, &error);
        }
    };
    let blob: Blob = JsFuture::from(Promise::new(&mut encode))
        .await?
        .dyn_into()?;
    let buffer = JsFuture::from(blob.array_buffer()).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

async fn sha256_hex(bytes: &[u8]) -> Result<String, JsValue> {
    let subtle = web_sys::window().ok_or("no window")?.crypto()?.subtle();
    let data = Uint8Array::from(bytes);
    let digest =
        JsFuture::from(subtle.digest_with_str_and_buffer_source("SHA-256", data.unchecked_ref())?)
            .await?;
    Ok(Uint8Array::new(&digest)
        .to_vec()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect())
}
