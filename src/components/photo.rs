//! One photo, shown from the device database, or fetched once from the server through the
//! record that names it (the server serves it only to users who may see that record) and kept
//! on the device, so it shows offline afterwards.

use crate::api;
use crate::components::error_fallback::error_fallback;
use crate::i18n::{t, t_string, use_i18n};
use crate::session::use_session;
use crate::store::use_store;
use kefu_core::photo::PhotoRef;
use leptos::prelude::*;
use uuid::Uuid;

/// An object URL for bytes held in memory; revoked when the view goes away.
fn object_url(bytes: &[u8]) -> Result<String, String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/jpeg");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|error| format!("{error:?}"))?;
    web_sys::Url::create_object_url_with_blob(&blob).map_err(|error| format!("{error:?}"))
}

#[component]
pub fn Photo(photo: PhotoRef, record: Option<Uuid>, number: usize) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let session = use_session();
    let hash = photo.hash.clone();
    let url = LocalResource::new(move || {
        let store = store.store();
        let photo = photo.clone();
        let token = session
            .session
            .with_untracked(|session| session.as_ref().map(|session| session.token.clone()));
        async move {
            let bytes = match store.photo(&photo.hash).await.map_err(|e| e.to_string())? {
                Some(bytes) => bytes,
                None => {
                    let (Some(token), Some(record)) = (token, record) else {
                        return Err("not on this device".to_owned());
                    };
                    let bytes = api::photo(&token, &photo.hash, record)
                        .await
                        .map_err(|error| error.to_string())?;
                    store
                        .cache_photo(&photo, &bytes)
                        .await
                        .map_err(|error| error.to_string())?;
                    bytes
                }
            };
            object_url(&bytes)
        }
    });
    on_cleanup(move || {
        if let Some(Ok(url)) = url.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    view! {
        <figure class="photo" data-testid="photo" data-hash=hash>
            <Transition fallback=move || view! { <span class="muted">{t!(i18n, loading)}</span> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        url.await.map(|url| {
                            let full_size = url.clone();
                            view! {
                                <a href=full_size target="_blank" rel="noopener">
                                    <img src=url alt=format!("{} {number}", t_string!(i18n, photo_alt)) loading="lazy" />
                                </a>
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </figure>
    }
}

/// A record's photos, in a row of thumbnails.
#[component]
pub fn Photos(photos: Vec<PhotoRef>, record: Option<Uuid>) -> impl IntoView {
    (!photos.is_empty()).then(|| {
        view! {
            <div class="photos" data-testid="photos">
                {photos
                    .into_iter()
                    .enumerate()
                    .map(|(index, photo)| view! { <Photo photo record number=index + 1 /> })
                    .collect_view()}
            </div>
        }
    })
}
