//! Several Kefu tabs open at once: the tab holding a Web Lock is the one that syncs; the
//! others ask it to sync after their writes and hear when it has, over a BroadcastChannel.

use js_sys::{Function, Promise, Reflect};
use leptos::prelude::window;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

const LOCK_NAME: &str = "kefu-sync";
const CHANNEL_NAME: &str = "kefu-sync";

/// What tabs tell each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabMessage {
    /// A follower wrote something: the leader should sync now.
    SyncRequested,
    /// The leader finished a round: whether it got through, and whether it stored anything
    /// new from the server (only then do views need to reload).
    Synced {
        reached_server: bool,
        received: bool,
    },
}

impl TabMessage {
    fn encode(self) -> String {
        match self {
            TabMessage::SyncRequested => "sync-requested".to_owned(),
            TabMessage::Synced {
                reached_server,
                received,
            } => format!("synced:{}:{}", u8::from(reached_server), u8::from(received)),
        }
    }

    fn decode(text: &str) -> Option<Self> {
        if text == "sync-requested" {
            return Some(TabMessage::SyncRequested);
        }
        let flag = |text: &str| match text {
            "0" => Some(false),
            "1" => Some(true),
            _ => None,
        };
        let mut parts = text.strip_prefix("synced:")?.split(':');
        let reached_server = flag(parts.next()?)?;
        let received = flag(parts.next()?)?;
        Some(TabMessage::Synced {
            reached_server,
            received,
        })
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

pub fn post(channel: &BroadcastChannel, message: TabMessage) {
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
