//! The verdict after the chaos: the server's records, read directly (not through a proxy) as
//! the admin, against every change each device made and every device's confirmed records.

use crate::device::Device;
use kefu_core::access::visibility;
use kefu_core::account::Session;
use kefu_core::kinds::case::notes;
use kefu_core::record::{Field, Record, RecordType};
use kefu_core::sync::{PROTOCOL_HEADER, PROTOCOL_VERSION, PullResponse};
use kefu_server::demo::DEMO_PASSWORD;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::Arc;
use uuid::Uuid;

/// Every record on the server, pulled from the start, page by page, as the admin (who sees
/// every team's records).
pub async fn server_records(server: SocketAddr) -> BTreeMap<Uuid, Record> {
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("http client");
    let base = format!("http://{server}");
    let session: Session = http
        .post(format!("{base}/api/login"))
        .json(&json!({ "username": "admin", "password": DEMO_PASSWORD }))
        .send()
        .await
        .expect("sign in as admin")
        .error_for_status()
        .expect("admin signed in")
        .json()
        .await
        .expect("session");
    let mut records = BTreeMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut request = http
            .get(format!("{base}/api/sync/pull"))
            .bearer_auth(&session.token)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
        if let Some(cursor) = &cursor {
            request = request.query(&[("cursor", cursor)]);
        }
        let page: PullResponse = request
            .send()
            .await
            .expect("pull")
            .error_for_status()
            .expect("pull answered")
            .json()
            .await
            .expect("pull page");
        for record in page.records {
            // A record comes again in a later page if it changed again; the later copy holds it all.
            records.insert(record.id, record);
        }
        cursor = Some(page.cursor);
        if !page.more {
            return records;
        }
    }
}

/// What the comparison found.
#[derive(Debug, Default)]
pub struct Findings {
    /// Changes a device made that the server's record of them does not contain.
    pub lost: usize,
    /// Extra copies of note bodies (every body is unique when made).
    pub duplicated: usize,
    /// Fields left with unresolved concurrent versions: the merge kept both, as designed.
    pub conflicts: usize,
    /// Changes made by all devices.
    pub changes: usize,
    /// `rejected` answers during the run.
    pub rejections: Vec<String>,
    /// Changes still in some outbox.
    pub left_in_outbox: usize,
    /// A device's confirmed records that differ from the server's for what it may see.
    pub mismatches: Vec<String>,
    /// Answers no fault explains (401, 426).
    pub unexpected: Vec<String>,
}

pub fn check(devices: &[Arc<Device>], truth: &BTreeMap<Uuid, Record>) -> Findings {
    let mut findings = Findings::default();

    let mut bodies: BTreeMap<String, usize> = BTreeMap::new();
    for record in truth.values() {
        for note in notes(record) {
            *bodies.entry(note.body).or_default() += 1;
        }
        if record.record_type == RecordType::Case {
            findings.conflicts += record.conflicted_fields().count();
        }
    }
    findings.duplicated = bodies.values().map(|count| count - 1).sum();

    for device in devices {
        let journal = device.journal();
        findings.changes += journal.len();
        findings.lost += journal
            .iter()
            .filter(|made| {
                !truth
                    .get(&made.record_id)
                    .is_some_and(|record| record.contains_change(made.change_id))
            })
            .count();
        findings
            .rejections
            .extend(device.stats.rejections.lock().expect("stats").clone());
        findings
            .unexpected
            .extend(device.stats.unexpected.lock().expect("stats").clone());

        let store = device.store();
        findings.left_in_outbox += store.outbox.len();
        let sees = visibility(&device.user);
        let visible: BTreeMap<&Uuid, &Record> = truth
            .iter()
            .filter(|(_, record)| sees.includes(&record.team))
            .collect();
        for (id, record) in &visible {
            match store.confirmed.get(id) {
                None => findings
                    .mismatches
                    .push(format!("{} lacks record {id}", device.name)),
                Some(held) if held != *record => findings.mismatches.push(format!(
                    "{} holds record {id} differently: {}",
                    device.name,
                    difference(held, record)
                )),
                Some(_) => {}
            }
        }
        for id in store.confirmed.keys() {
            if !visible.contains_key(id) {
                findings.mismatches.push(format!(
                    "{} holds record {id}, which the server does not show it",
                    device.name
                ));
            }
        }
    }
    findings
}

/// Where two copies of a record differ, briefly, for the failure message.
fn difference(held: &Record, truth: &Record) -> String {
    let mut parts = Vec::new();
    let names: BTreeSet<&String> = held.fields.keys().chain(truth.fields.keys()).collect();
    for name in names {
        let (ours, theirs) = (held.fields.get(name), truth.fields.get(name));
        if ours != theirs {
            parts.push(format!(
                "field {name}: device {} / server {}",
                describe(ours),
                describe(theirs)
            ));
        }
    }
    if held.events != truth.events {
        parts.push(format!(
            "events: device {} / server {}",
            held.events.len(),
            truth.events.len()
        ));
    }
    if held.created != truth.created || held.deleted != truth.deleted || held.team != truth.team {
        parts.push("created, deleted or team".to_owned());
    }
    parts.join("; ")
}

fn describe(field: Option<&Field>) -> String {
    match field {
        None => "none".to_owned(),
        Some(field) => format!(
            "{} by {} ({} conflicts, {} superseded)",
            field.current.value,
            field.current.origin.by,
            field.conflicts.len(),
            field.superseded.len()
        ),
    }
}

/// What became of the photos the devices took.
#[derive(Debug, Default)]
pub struct PhotoFindings {
    /// Different photos taken (devices take photos from one small pool, so the same photo is
    /// sent by several devices, often at once).
    pub distinct: usize,
    /// Photos taken, counting each device's copy.
    pub taken: usize,
    /// Photos some device still holds as not uploaded.
    pub waiting: usize,
    /// Complete photo files on the server's disk.
    pub stored_files: usize,
    /// Half-uploaded parts left on the server's disk.
    pub partial_files: usize,
    /// Stored files whose bytes do not hash to their name, or that no device took.
    pub damaged: usize,
}

pub fn check_photos(devices: &[Arc<Device>], dir: &std::path::Path) -> PhotoFindings {
    use sha2::{Digest, Sha256};
    let mut findings = PhotoFindings::default();
    let mut distinct = BTreeSet::new();
    for device in devices {
        for (hash, (_, uploaded)) in &device.store().photos {
            findings.taken += 1;
            findings.waiting += usize::from(!uploaded);
            distinct.insert(hash.clone());
        }
    }
    findings.distinct = distinct.len();
    let files = |dir: &std::path::Path| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(dir)
            .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
            .unwrap_or_default()
    };
    for entry in files(dir) {
        if entry.file_name().is_some_and(|name| name == "partial") {
            findings.partial_files += files(&entry).len();
            continue;
        }
        for file in files(&entry) {
            findings.stored_files += 1;
            let bytes = std::fs::read(&file).expect("read a stored photo");
            let hash = hex::encode(Sha256::digest(&bytes));
            let named = file.file_stem().and_then(|stem| stem.to_str()) == Some(hash.as_str());
            if !named || !distinct.contains(&hash) {
                findings.damaged += 1;
            }
        }
    }
    findings
}
