//! Backups that lose nothing a device holds (issue 29): a backup taken while devices work and
//! push through the faulty proxy, more changes acknowledged after it, the server restored from
//! it; then the devices sync, notice the new epoch and send back what they hold. Every change
//! any device held before the restore must be on the server, once.

use crate::device::Device;
use crate::proxy::Proxy;
use crate::server::Server;
use crate::{ONE_AT_A_TIME, RUN_TIMEOUT, seed, settle, start_devices, verify};
use kefu_core::record::Record;
use kefu_core::recovery::held_receipts;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use uuid::Uuid;

/// The east team's agent, its lead, the admin (who holds every team's records) and an agent
/// of another team.
const DEVICES: [&str; 4] = ["demo", "lead", "admin", "west"];
/// Changes each device makes; the backup is taken once each has made a third of them, while
/// they go on.
const CHANGES_PER_DEVICE: usize = 90;
/// Changes the agent makes offline while the server is restored.
const PENDING_AT_RESTORE: usize = 10;
/// How long the devices sync through the faults after the restore.
const RECOVERING_WITH_FAULTS: Duration = Duration::from_secs(3);

/// How many changes `records` hold between them.
fn change_count(records: &BTreeMap<Uuid, Record>) -> usize {
    records
        .values()
        .map(|record| held_receipts(record).len())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_restore_loses_nothing_a_device_holds() {
    let _one = ONE_AT_A_TIME.lock().await;
    let seed = seed();
    println!("restore sqlite seed {seed} (KEFU_CHAOS_SEED={seed} replays its choices)");
    tokio::time::timeout(RUN_TIMEOUT, restore_run(seed))
        .await
        .unwrap_or_else(|_| panic!("restore (seed {seed}) did not finish in {RUN_TIMEOUT:?}"));
}

async fn restore_run(seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let data = tempfile::tempdir().expect("data dir");
    let dist = tempfile::tempdir().expect("empty dist dir");
    let photos = tempfile::tempdir().expect("photo dir");
    let backup = tempfile::tempdir().expect("backup dir");
    let database = format!("sqlite://{}", data.path().join("kefu.db").display());
    let mut server = Server::start("sqlite server", &database, dist.path(), photos.path()).await;
    let proxy = Proxy::start(server.addr, rng.r#gen()).await;
    let mut devices = Vec::new();
    for (index, username) in DEVICES.into_iter().enumerate() {
        let name = format!("{username}@{index}");
        let device = Device::sign_in(name, username, vec![proxy.base.clone()], 0).await;
        devices.push(Arc::new(device));
    }

    let (syncing, working) = start_devices(&devices, &mut rng, CHANGES_PER_DEVICE);
    while devices
        .iter()
        .any(|device| device.journal().len() < CHANGES_PER_DEVICE / 3)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The backup is taken while the devices keep working and pushing.
    server.back_up(backup.path()).await;
    for task in working {
        task.await.expect("a device's user task");
    }
    syncing.stop().await;
    proxy.faults_off();
    settle(&devices).await;

    let before = verify::server_records(server.addr).await;
    let mut held: BTreeMap<Uuid, BTreeSet<Uuid>> = BTreeMap::new();
    for device in &devices {
        for record in device.store().confirmed.values() {
            let ids = held.entry(record.id).or_default();
            ids.extend(
                held_receipts(record)
                    .iter()
                    .map(|receipt| receipt.change.change_id),
            );
        }
    }
    let held_count: usize = held.values().map(BTreeSet::len).sum();

    // The agent keeps working offline meanwhile: changes wait in the outbox, some on records
    // the restore will lose, and must land after what the device sends back.
    devices[0].set_online(false);
    devices[0]
        .clone()
        .work(rng.r#gen(), PENDING_AT_RESTORE)
        .await;
    let pending = devices[0].store().outbox.len();

    server.restore(backup.path()).await;
    let restored = verify::server_records(server.addr).await;
    // The devices notice the restore through the faulty proxy, sending back in rounds that
    // fail and resume; then, with faults off, until nothing moves.
    proxy.faults_back_on();
    let (syncing, _) = start_devices(&devices, &mut rng, 0);
    tokio::time::sleep(RECOVERING_WITH_FAULTS).await;
    syncing.stop().await;
    proxy.faults_off();
    let passes = settle(&devices).await;
    let after = verify::server_records(server.addr).await;

    let findings = verify::check(&devices, &after);
    let lost_held = held
        .iter()
        .flat_map(|(record, changes)| changes.iter().map(move |change| (record, change)))
        .filter(|(record, change)| {
            !after
                .get(record)
                .is_some_and(|stored| stored.contains_change(**change))
        })
        .count();
    let sum = |count: fn(&Device) -> u64| devices.iter().map(|device| count(device)).sum::<u64>();
    let sent_back = sum(|device| device.stats.sent_back.load(Ordering::Relaxed));
    let taken_back = sum(|device| device.stats.taken_back.load(Ordering::Relaxed));
    let (before, restored, after) = (
        change_count(&before),
        change_count(&restored),
        change_count(&after),
    );
    println!(
        "restore sqlite: lost={} duplicated={} held by devices={held_count} on the server: \
         before the restore={before} after it={restored} after devices synced={after} \
         ({pending} made offline meanwhile); sent back {sent_back}, taken back {taken_back}, \
         settled in {passes} passes",
        lost_held + findings.lost,
        findings.duplicated,
    );
    assert!(
        restored < before,
        "the backup holds every change (taken too late to test anything, seed {seed})"
    );
    // A refusal first: it says why a change went missing.
    assert!(
        findings.rejections.is_empty(),
        "changes refused (seed {seed}): {:?}",
        &findings.rejections[..findings.rejections.len().min(5)]
    );
    assert_eq!(lost_held, 0, "changes devices held, lost (seed {seed})");
    assert_eq!(findings.lost, 0, "changes devices made, lost (seed {seed})");
    assert_eq!(findings.duplicated, 0, "notes stored twice (seed {seed})");
    assert!(
        pending > 0,
        "changes waited in an outbox during the restore (seed {seed})"
    );
    assert!(
        after >= before,
        "the server holds at least what it held before the restore (seed {seed})"
    );
    // What came back came back by being sent back (the count is a floor: an answer the proxy
    // dropped was taken, then answered "duplicate" when sent again).
    assert!(
        taken_back > 0,
        "nothing was taken back, yet nothing is lost (seed {seed})"
    );
    assert!(
        findings.mismatches.is_empty(),
        "replica differences (seed {seed}): {:?}",
        &findings.mismatches[..findings.mismatches.len().min(5)]
    );
    assert_eq!(
        findings.left_in_outbox, 0,
        "changes left unsent (seed {seed})"
    );
    assert!(
        findings.unexpected.is_empty(),
        "answers no fault explains (seed {seed}): {:?}",
        findings.unexpected
    );
}
