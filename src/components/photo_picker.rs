//! Taking photos: the camera on a tablet (or any image file), each shrunk and stored on the
//! device at once, before any change names it, and listed as thumbnails that can be removed
//! again. Works offline; the sync loop uploads them later.

use crate::camera::photo_from_file;
use crate::components::photo::Photo;
use crate::i18n::{localized, t, use_i18n};
use crate::store::use_store;
use kefu_core::photo::{MAX_PHOTOS, PhotoProblem, PhotoRef};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

#[component]
pub fn PhotoPicker(photos: RwSignal<Vec<PhotoRef>>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let working = RwSignal::new(0usize);
    let error = RwSignal::new(None::<String>);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files: Vec<web_sys::File> = input
            .files()
            .map(|list| (0..list.length()).filter_map(|i| list.item(i)).collect())
            .unwrap_or_default();
        // The same file may be picked again after it was removed.
        input.set_value("");
        error.set(None);
        for file in files {
            let store = store.store();
            working.update(|count| *count += 1);
            spawn_local(async move {
                let stored = match photo_from_file(&file).await {
                    Ok((photo, bytes)) => store
                        .add_photo(&photo, &bytes)
                        .await
                        .map(|()| photo)
                        .map_err(|store_error| store_error.to_string()),
                    Err(reason) => Err(reason),
                };
                match stored {
                    Ok(_) if photos.with_untracked(|photos| photos.len() >= MAX_PHOTOS) => {
                        error.set(Some(localized(i18n, &PhotoProblem::TooMany.message())));
                    }
                    Ok(photo) => photos.update(|photos| {
                        if !photos.contains(&photo) {
                            photos.push(photo);
                        }
                    }),
                    Err(reason) => error.set(Some(reason)),
                }
                working.update(|count| *count -= 1);
            });
        }
    };
    view! {
        <div class="photo-picker">
            <label class="big photo-take">
                {t!(i18n, photo_take)}
                <input type="file" accept="image/*" capture="environment" multiple
                    data-testid="photo-input" on:change=on_change />
            </label>
            <Show when=move || working.get() != 0>
                <span class="muted" data-testid="photo-working">{t!(i18n, photo_working)}</span>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="photo-error">
                    {t!(i18n, photo_failed)} " " {move || error.get()}
                </p>
            </Show>
            <ul class="photos" data-testid="photo-list" aria-live="polite">
                <For each=move || photos.get().into_iter().enumerate() key=|(_, photo)| photo.hash.clone() let((index, photo))>
                    {
                        let hash = photo.hash.clone();
                        view! {
                            <li>
                                <Photo photo record=None number=index + 1 />
                                <button type="button" class="remove" data-testid="photo-remove"
                                    on:click=move |_| {
                                        photos.update(|photos| photos.retain(|kept| kept.hash != hash));
                                        let (store, hash) = (store.store(), hash.clone());
                                        // Not sent at all if no change names it.
                                        spawn_local(async move {
                                            if let Err(store_error) = store.discard_photo(&hash).await {
                                                error.set(Some(store_error.to_string()));
                                            }
                                        });
                                    }>
                                    {t!(i18n, photo_remove)}
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </div>
    }
}
