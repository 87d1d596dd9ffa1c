//! A scanned parcel that matches no open return: said plainly, and recorded with the packer's
//! note and photos as an unmatched parcel, offline too, so an agent can match it to a case later.

use crate::components::photo_picker::PhotoPicker;
use crate::i18n::{localized, t, use_i18n};
use crate::records::create_checked;
use crate::session::use_session;
use crate::store::use_store;
use crate::sync::use_sync;
use kefu_core::kinds::parcel::NewParcel;
use kefu_core::kinds::parcel::check_parcel_field;
use kefu_core::lang::Bilingual;
use kefu_core::photo::PhotoRef;
use kefu_core::record::RecordType;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn UnmatchedParcel(tracking: String, on_done: Callback<Bilingual>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let store = use_store();
    let sync = use_sync();
    let note = RwSignal::new(String::new());
    let photos = RwSignal::new(Vec::<PhotoRef>::new());
    let error = RwSignal::new(None::<String>);
    let shown = tracking.clone();
    let record = move |_| {
        let Some(user) = session.user_now() else {
            return;
        };
        let fields = NewParcel {
            tracking: tracking.clone(),
            note: note.get_untracked(),
            photos: photos.get_untracked(),
        }
        .fields();
        let context = (store.store(), sync);
        spawn_local(async move {
            let created = create_checked(
                context,
                &user,
                RecordType::Parcel,
                fields,
                check_parcel_field,
            )
            .await;
            match created {
                Ok(_) => on_done.run(Bilingual::new(
                    "未匹配包裹，等待客服匹配",
                    "Unmatched parcel, waiting for an agent to match it",
                )),
                Err(message) => error.set(Some(localized(i18n, &message))),
            }
        });
    };
    view! {
        <article class="checklist" data-testid="station-unknown">
            <p class="warning" role="alert">{t!(i18n, station_unknown)} " " <strong>{shown}</strong></p>
            <label>
                {t!(i18n, parcel_note)}
                <textarea data-testid="parcel-note" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </label>
            <PhotoPicker photos />
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="parcel-error">{move || error.get()}</p>
            </Show>
            <button type="button" class="primary big" data-testid="record-parcel" on:click=record>
                {t!(i18n, parcel_record)}
            </button>
        </article>
    }
}
