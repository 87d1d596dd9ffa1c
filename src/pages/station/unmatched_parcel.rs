//! A scanned parcel that matches no open return: said plainly, and recorded with the packer's
//! note and photos as an unmatched parcel, offline too, so an agent can match it to a case later.

use crate::components::photo_picker::PhotoPicker;
use crate::i18n::{localized, t, use_i18n};
use crate::session::{may_make, use_session};
use crate::store::use_store;
use crate::sync::use_sync;
use chrono::Utc;
use kefu_core::kinds::parcel::NewParcel;
use kefu_core::kinds::parcel::check_parcel_field;
use kefu_core::lang::Bilingual;
use kefu_core::photo::PhotoRef;
use kefu_core::record::RecordType;
use kefu_core::sync::Op;
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
        let checked = fields
            .iter()
            .try_for_each(|(name, value)| check_parcel_field(name, value))
            .map_err(|invalid| invalid.message())
            .and_then(|()| {
                may_make(
                    &user,
                    RecordType::Parcel,
                    None,
                    Op::Create {
                        fields: fields.clone(),
                    },
                )
                .map_err(|denied| denied.message())
            });
        if let Err(message) = checked {
            error.set(Some(localized(i18n, &message)));
            return;
        }
        let store = store.store();
        spawn_local(async move {
            match store
                .create(RecordType::Parcel, fields, &user, Utc::now())
                .await
            {
                Ok(_) => {
                    sync.after_local_write();
                    on_done.run(Bilingual::new(
                        "未匹配包裹，等待客服匹配",
                        "Unmatched parcel, waiting for an agent to match it",
                    ));
                }
                Err(store_error) => error.set(Some(store_error.to_string())),
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
