//! What tabs tell each other, in headless Chromium with the other client tests: every message
//! reads back as written, messages in the wire form of earlier builds still read (a tab of the
//! old build and one of the new can be open together during an update), and a message missing
//! what its type needs is not read.

use kefu::tabs::TabMessage;
use kefu_core::lang::Bilingual;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_message_reads_back_as_written() {
    let messages = [
        TabMessage::SyncRequested,
        TabMessage::Synced {
            reached_server: true,
            signed_in: false,
            received: true,
        },
        TabMessage::SessionExpired { reason: None },
        TabMessage::SessionExpired {
            reason: Some(Bilingual::new("会话已过期", "session expired")),
        },
        TabMessage::SignedOut,
        TabMessage::SignedIn,
        TabMessage::UpdateRequired {
            message: Bilingual::new("请更新", "please update"),
        },
    ];
    for message in messages {
        let text = serde_json::to_string(&message).unwrap();
        assert_eq!(
            serde_json::from_str::<TabMessage>(&text).unwrap(),
            message,
            "{text}"
        );
    }
}

#[wasm_bindgen_test]
fn messages_of_the_wire_form_before_read_the_same_and_incomplete_ones_do_not() {
    let read = |text: &str| serde_json::from_str::<TabMessage>(text).ok();
    assert_eq!(
        read(r#"{"type":"synced","reached_server":true,"signed_in":true,"received":false}"#),
        Some(TabMessage::Synced {
            reached_server: true,
            signed_in: true,
            received: false
        })
    );
    assert_eq!(
        read(r#"{"type":"session_expired","reason":null}"#),
        Some(TabMessage::SessionExpired { reason: None })
    );
    assert_eq!(
        read(r#"{"type":"sync_requested"}"#),
        Some(TabMessage::SyncRequested)
    );
    assert_eq!(
        read(r#"{"type":"synced","reached_server":true,"signed_in":true}"#),
        None
    );
    assert_eq!(read(r#"{"type":"update_required"}"#), None);
    assert_eq!(read(r#"{"type":"shout"}"#), None);
}
