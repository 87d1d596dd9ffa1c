//! The idle lock of a shared device: after the policy's idle minutes (`rules::idle_lock`) a
//! tablet marked as shared hides everything behind a lock screen; the same user unlocks it
//! with their password, offline too, checked against a salted PBKDF2 of it kept at sign-in
//! (`UnlockKey`, through WebCrypto); anyone else signs out and in. The lock survives a reload.

use crate::clock::use_clock;
use crate::platform::local_storage;
use crate::policy::use_policy;
use crate::session::use_session;
use crate::store::{Store, UnlockKey};
use js_sys::{Array, Uint8Array};
use kefu_core::rules::idle_lock;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// PBKDF2-SHA-256 rounds: about a tenth of a second on a station tablet, per unlock.
const ITERATIONS: u32 = 210_000;
const SHARED_KEY: &str = "kefu-shared-device";
const LOCKED_KEY: &str = "kefu-locked";
const LAST_ACTIVITY_KEY: &str = "kefu-last-activity";
/// A touch is written down at most this often: the lock needs minutes, not every tap.
const ACTIVITY_WRITE_MS: f64 = 5_000.0;

fn flag(key: &str) -> bool {
    local_storage()
        .and_then(|storage| storage.get_item(key).ok().flatten())
        .is_some_and(|value| value == "1")
}

fn set_flag(key: &str, on: bool) {
    if let Some(storage) = local_storage() {
        let _ = if on {
            storage.set_item(key, "1")
        } else {
            storage.remove_item(key)
        };
    }
}

fn last_activity() -> f64 {
    local_storage()
        .and_then(|storage| storage.get_item(LAST_ACTIVITY_KEY).ok().flatten())
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(js_sys::Date::now)
}

fn note_activity() {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(LAST_ACTIVITY_KEY, &js_sys::Date::now().to_string());
    }
}

#[derive(Debug, Clone, Copy)]
pub struct LockContext {
    /// This device is shared (set on the account page): it locks when idle.
    pub shared: RwSignal<bool>,
    pub locked: RwSignal<bool>,
}

impl LockContext {
    pub fn set_shared(&self, shared: bool) {
        set_flag(SHARED_KEY, shared);
        note_activity();
        self.shared.set(shared);
    }

    fn lock(&self) {
        set_flag(LOCKED_KEY, true);
        self.locked.set(true);
    }

    /// Lifts the lock (a right password, or a sign-out: the next user starts unlocked).
    pub fn unlock(&self) {
        set_flag(LOCKED_KEY, false);
        note_activity();
        self.locked.set(false);
    }
}

pub fn provide_lock_context() {
    let context = LockContext {
        shared: RwSignal::new(flag(SHARED_KEY)),
        locked: RwSignal::new(flag(LOCKED_KEY)),
    };
    provide_context(context);
    let written = StoredValue::new(0.0);
    let touched = move || {
        let now = js_sys::Date::now();
        if now - written.get_value() >= ACTIVITY_WRITE_MS && !context.locked.get_untracked() {
            written.set_value(now);
            note_activity();
        }
    };
    window_event_listener(leptos::ev::pointerdown, move |_| touched());
    window_event_listener(leptos::ev::keydown, move |_| touched());
    let clock = use_clock();
    let policy = use_policy();
    let session = use_session();
    Effect::new(move |_| {
        let now = clock.now.get().timestamp_millis();
        let signed_in = session.session.with(Option::is_some);
        let shared = context.shared.get();
        let due = policy.desk.with(|desk| {
            desk.as_ref().is_some_and(|desk| {
                idle_lock::due(&desk.devices, shared, last_activity() as i64, now)
            })
        });
        if signed_in && due && !context.locked.get_untracked() {
            context.lock();
        }
    });
}

pub fn use_lock() -> LockContext {
    expect_context::<LockContext>()
}

async fn pbkdf2(password: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>, JsValue> {
    let subtle = window().crypto()?.subtle();
    let usages = Array::of1(&JsValue::from_str("deriveBits"));
    let secret = Uint8Array::from(password.as_bytes());
    let key = JsFuture::from(subtle.import_key_with_str("raw", &secret, "PBKDF2", false, &usages)?)
        .await?;
    let params = web_sys::Pbkdf2Params::new(
        "PBKDF2",
        &JsValue::from_str("SHA-256"),
        iterations,
        &Uint8Array::from(salt),
    );
    let bits =
        JsFuture::from(subtle.derive_bits_with_object(&params, &key.unchecked_into(), 256)?)
            .await?;
    Ok(Uint8Array::new(&bits).to_vec())
}

/// Keeps what lets `username` unlock this device offline; called on every sign-in and
/// password change. Best effort: without it the lock screen offers only signing out.
pub async fn remember_password(store: &Store, username: &str, password: &str) {
    let mut salt = [0u8; 16];
    let made = match window().crypto() {
        Ok(crypto) => crypto.get_random_values_with_u8_array(&mut salt).is_ok(),
        Err(_) => false,
    };
    if !made {
        return;
    }
    match pbkdf2(password, &salt, ITERATIONS).await {
        Ok(hash) => {
            let key = UnlockKey {
                username: username.to_owned(),
                salt: salt.to_vec(),
                iterations: ITERATIONS,
                hash,
            };
            if let Err(error) = store.set_unlock_key(&key).await {
                leptos::logging::error!("keeping the unlock key failed: {error}");
            }
        }
        Err(error) => leptos::logging::error!("deriving the unlock key failed: {error:?}"),
    }
}

/// Whether `password` is the one `remember_password` kept for `username`.
pub async fn password_unlocks(store: &Store, username: &str, password: &str) -> bool {
    let Ok(Some(key)) = store.unlock_key().await else {
        return false;
    };
    if key.username != username {
        return false;
    }
    pbkdf2(password, &key.salt, key.iterations)
        .await
        .is_ok_and(|hash| hash == key.hash)
}
