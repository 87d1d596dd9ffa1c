//! Several Kefu tabs open at once: the tab holding a Web Lock is the one that syncs; the
//! others ask it to sync after their writes and hear when it has, over a BroadcastChannel.
//! Whatever needs the user (an expired session, an app too old for the server) and a new
//! sign-in in any tab reach every tab the same way.

use js_sys::{Function, Promise, Reflect};
use kefu_core::lang::Bilingual;
use kefu_core::sync::missing_member;
use leptos::prelude::window;
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

const LOCK_NAME: &str = "kefu-sync";
const CHANNEL_NAME: &str = "kefu-sync";

/// What tabs tell each other, as JSON text over the channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "FlatTabMessage")]
pub enum TabMessage {
    /// A follower wrote something: the leader should sync now.
    SyncRequested,
    /// The leader finished a round: whether it got through, whether the server accepted the
    /// session, and whether it stored anything new from the server (only then do views need
    /// to reload).
    Synced {
        reached_server: bool,
        signed_in: bool,
        received: bool,
    },
    /// The server refused the session: every tab asks the user to sign in again.
    SessionExpired { reason: Option<Bilingual> },
    /// Someone signed out in one tab: every tab drops the session and shows the sign-in page.
    SignedOut,
    /// Someone signed in in one tab: every tab reads the new session from the device
    /// database, and the leader syncs again.
    SignedIn,
    /// The server no longer speaks this build's protocol: every tab says so, with the
    /// server's message.
    UpdateRequired { message: Bilingual },
}

/// A [`TabMessage`] as it is read, its members named one by one beside its tag: reading an
/// internally tagged enum buffers the whole object first, and that code is in the first load
/// for this enum alone once the sync types are read flat (`kefu_core::sync::FlatChange`).
#[derive(Deserialize)]
struct FlatTabMessage {
    #[serde(rename = "type")]
    name: TabMessageName,
    reached_server: Option<bool>,
    signed_in: Option<bool>,
    received: Option<bool>,
    reason: Option<Bilingual>,
    message: Option<Bilingual>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum TabMessageName {
    SyncRequested,
    Synced,
    SessionExpired,
    SignedOut,
    SignedIn,
    UpdateRequired,
}

impl TryFrom<FlatTabMessage> for TabMessage {
    type Error = String;

    fn try_from(flat: FlatTabMessage) -> Result<Self, Self::Error> {
        Ok(match flat.name {
            TabMessageName::SyncRequested => TabMessage::SyncRequested,
            TabMessageName::Synced => TabMessage::Synced {
                reached_server: flat
                    .reached_server
                    .ok_or_else(|| missing_member("reached_server"))?,
                signed_in: flat.signed_in.ok_or_else(|| missing_member("signed_in"))?,
                received: flat.received.ok_or_else(|| missing_member("received"))?,
            },
            TabMessageName::SessionExpired => TabMessage::SessionExpired {
                reason: flat.reason,
            },
            TabMessageName::SignedOut => TabMessage::SignedOut,
            TabMessageName::SignedIn => TabMessage::SignedIn,
            TabMessageName::UpdateRequired => TabMessage::UpdateRequired {
                message: flat.message.ok_or_else(|| missing_member("message"))?,
            },
        })
    }
}

impl TabMessage {
    fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    fn decode(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
}

/// Opens the channel to the other tabs; `None` where the browser has no BroadcastChannel.
pub fn open_channel(on_message: impl Fn(TabMessage) + 'static) -> Option<BroadcastChannel> {
    let channel = BroadcastChannel::new(CHANNEL_NAME).ok()?;
    let handler = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(message) = event
            .data()
            .as_string()
            .as_deref()
            .and_then(TabMessage::decode)
        {
            on_message(message);
        }
    });
    channel.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The channel lives as long as the tab, and so must its handler.
    handler.forget();
    Some(channel)
}

pub fn post(channel: &BroadcastChannel, message: &TabMessage) {
    let _ = channel.post_message(&JsValue::from_str(&message.encode()));
}

/// Calls `start` once this tab holds the sync lock, which it then keeps until it closes, so
/// exactly one tab syncs at a time. Without Web Locks every tab syncs (pushes are idempotent).
pub fn when_sync_leader(start: impl FnOnce() + 'static) {
    let navigator = window().navigator();
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).unwrap_or(JsValue::UNDEFINED);
    let request = Reflect::get(&locks, &JsValue::from_str("request"))
        .ok()
        .and_then(|request| request.dyn_into::<Function>().ok());
    let Some(request) = request.filter(|_| !locks.is_undefined()) else {
        start();
        return;
    };
    let granted = Closure::once_into_js(move |_lock: JsValue| -> Promise {
        start();
        // Never settles: the lock is released only when the tab goes away.
        Promise::new(&mut |_, _| {})
    });
    let _ = request.call2(&locks, &JsValue::from_str(LOCK_NAME), &granted);
}
