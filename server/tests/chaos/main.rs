//! The chaos test (issue 15): proves no write is lost. Real server processes are killed with
//! SIGKILL mid-push and restarted; a proxy in front of each drops, duplicates, delays and
//! truncates requests and answers; six simulated devices (the browser's store and sync round,
//! on the shared crate) make 200 changes each, many to the same fields of the same records,
//! going offline and online. Then, with faults off and every outbox drained, every change
//! must be on the server exactly once and every device must hold the server's records. Photos
//! go through the same faults (interrupted, duplicated and concurrent uploads of the same
//! bytes): each must end up stored exactly once, whole, with no half-upload left.
//!
//! SQLite runs with one server. PostgreSQL runs with two servers on one database, devices
//! switching between them, when `KEFU_TEST_POSTGRES_URL` names a server to create a fresh
//! database on (`KEFU_REQUIRE_POSTGRES=1` makes its absence a failure). `KEFU_CHAOS_SEED`
//! replays a run's random choices (thread timing still varies).

mod device;
mod proxy;
mod restore;
mod server;
mod verify;

use device::Device;
use proxy::Proxy;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use server::{Restarts, Server, kill_during_pushes};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// Who signs in, one device each: the east team's agent on two devices, its lead and
/// supervisor, the admin (sees and edits every team's records), and an agent of another
/// team, whose records the east devices must never receive.
const DEVICES: [&str; 6] = ["demo", "demo", "lead", "supervisor", "admin", "west"];
const CHANGES_PER_DEVICE: usize = 200;
/// Device clocks are off by up to this much either way; one runs far enough ahead that the
/// server clamps its stamps.
const CLOCK_SKEW_MS: i64 = 30_000;
const FAST_CLOCK_MS: i64 = 75_000;
/// How many times each server is killed mid-push.
const KILLS_PER_SERVER: usize = 4;
/// Rounds of every device, with faults off, before the replicas must be quiet.
const SETTLING_PASSES: usize = 20;
/// A hung run fails instead of hanging the test suite.
const RUN_TIMEOUT: Duration = Duration::from_secs(150);

/// The backends' runs share two cores: one at a time keeps each within its time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn seed() -> u64 {
    match std::env::var("KEFU_CHAOS_SEED") {
        Ok(seed) => seed.trim().parse().expect("KEFU_CHAOS_SEED is a u64"),
        Err(_) => rand::random(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_loses_no_write() {
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let database = format!("sqlite://{}", dir.path().join("kefu.db").display());
    run("sqlite", &database, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_with_two_servers_loses_no_write() {
    let Ok(admin_url) = std::env::var("KEFU_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("KEFU_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "KEFU_REQUIRE_POSTGRES=1 but KEFU_TEST_POSTGRES_URL is not set"
        );
        eprintln!("chaos postgres skipped (set KEFU_TEST_POSTGRES_URL to run it)");
        return;
    };
    let _one = ONE_AT_A_TIME.lock().await;
    let name = format!("chaos_{:016x}", rand::random::<u64>());
    execute(&admin_url, &format!("CREATE DATABASE {name}")).await;
    eprintln!("chaos postgres database {name}");
    run("postgres", &database_url(&admin_url, &name), 2).await;
    // Kept on failure (the run panics first), for a look at what the servers stored.
    execute(&admin_url, &format!("DROP DATABASE {name} WITH (FORCE)")).await;
}

/// `url` with its database name replaced by `name` (user, host and options kept).
fn database_url(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let options = tail.find('?').map_or("", |at| &tail[at..]);
    format!("{scheme}://{authority}/{name}{options}")
}

/// Runs one statement on the PostgreSQL server at `url`, outside any transaction (as
/// `CREATE DATABASE` must be).
async fn execute(url: &str, sql: &str) {
    use sqlx::Connection;
    let mut connection = sqlx::PgConnection::connect(url)
        .await
        .expect("reach the test PostgreSQL");
    sqlx::query(sql)
        .execute(&mut connection)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

async fn run(backend: &str, database: &str, server_count: usize) {
    let seed = seed();
    println!("chaos {backend} seed {seed} (KEFU_CHAOS_SEED={seed} replays its choices)");
    tokio::time::timeout(RUN_TIMEOUT, chaos(backend, database, server_count, seed))
        .await
        .unwrap_or_else(|_| {
            panic!("chaos {backend} (seed {seed}) did not finish in {RUN_TIMEOUT:?}")
        });
}

async fn chaos(backend: &str, database: &str, server_count: usize, seed: u64) {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(seed);
    let dist = tempfile::tempdir().expect("empty dist dir");
    let photos = tempfile::tempdir().expect("photo dir");
    let mut servers = Vec::new();
    // One after the other: the first start seeds the demo users and cases.
    for index in 0..server_count {
        let name = format!("{backend} server {index}");
        servers.push(Server::start(&name, database, dist.path(), photos.path()).await);
    }
    let mut proxies = Vec::new();
    for server in &servers {
        proxies.push(Proxy::start(server.addr, rng.r#gen()).await);
    }
    let bases: Vec<String> = proxies.iter().map(|proxy| proxy.base.clone()).collect();

    let mut devices = Vec::new();
    for (index, username) in DEVICES.into_iter().enumerate() {
        let skew = if username == "admin" {
            FAST_CLOCK_MS
        } else {
            rng.gen_range(-CLOCK_SKEW_MS..=CLOCK_SKEW_MS)
        };
        let name = format!("{username}@{index}");
        devices.push(Arc::new(
            Device::sign_in(name, username, bases.clone(), skew).await,
        ));
    }

    // The chaos: devices work and sync while the servers are killed under them.
    let (syncing, working) = start_devices(&devices, &mut rng, CHANGES_PER_DEVICE);
    let killing: Vec<_> = servers
        .into_iter()
        .zip(&proxies)
        .map(|(server, proxy)| {
            tokio::spawn(kill_during_pushes(
                server,
                proxy.stats.clone(),
                rng.r#gen(),
                KILLS_PER_SERVER,
            ))
        })
        .collect();
    for task in working {
        task.await.expect("a device's user task");
    }
    let mut servers = Vec::new();
    let mut restarts = Restarts::default();
    for task in killing {
        let (server, done) = task.await.expect("the restart harness");
        servers.push(server);
        restarts.total += done.total;
        restarts.mid_push += done.mid_push;
    }
    syncing.stop().await;
    let chaos_time = started.elapsed();

    // The calm: faults off, every device syncs until nothing moves.
    let faults: u64 = proxies.iter().map(|proxy| proxy.stats.faults()).sum();
    let mut by_fault: Vec<(String, u64)> = proxies[0].stats.by_fault();
    for proxy in &proxies[1..] {
        for (total, (_, count)) in by_fault.iter_mut().zip(proxy.stats.by_fault()) {
            total.1 += count;
        }
    }
    let requests: u64 = proxies
        .iter()
        .map(|proxy| proxy.stats.requests.load(Ordering::Relaxed))
        .sum();
    for proxy in &proxies {
        proxy.faults_off();
    }
    let passes = settle(&devices).await;

    let truth = verify::server_records(servers[0].addr).await;
    for other in &servers[1..] {
        let theirs = verify::server_records(other.addr).await;
        assert!(
            theirs == truth,
            "{} and {} serve different records from one database",
            servers[0].name,
            other.name
        );
    }
    let findings = verify::check(&devices, &truth);
    let photo_findings = verify::check_photos(&devices, photos.path());
    let rounds: u64 = devices
        .iter()
        .map(|device| device.stats.rounds.load(Ordering::Relaxed))
        .sum();
    let failed_rounds: u64 = devices
        .iter()
        .map(|device| device.stats.failed_rounds.load(Ordering::Relaxed))
        .sum();
    let duplicates: u64 = devices
        .iter()
        .map(|device| device.stats.duplicates.load(Ordering::Relaxed))
        .sum();
    println!(
        "chaos {backend}: lost={} duplicated={} conflicts={} changes={} faults={faults} restarts={}",
        findings.lost, findings.duplicated, findings.conflicts, findings.changes, restarts.total
    );
    let by_fault: Vec<String> = by_fault
        .iter()
        .map(|(fault, count)| format!("{fault} {count}"))
        .collect();
    println!(
        "chaos {backend} detail: {} devices, {} servers, {requests} requests, faults: {}; \
         {} kills mid-push, {rounds} rounds ({failed_rounds} failed), {duplicates} changes \
         answered duplicate, {} records, settled in {passes} passes, chaos {:.1}s, total {:.1}s",
        devices.len(),
        servers.len(),
        by_fault.join(", "),
        restarts.mid_push,
        truth.len(),
        chaos_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );

    let show = |list: &[String]| {
        list.iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n  ")
    };
    println!(
        "chaos {backend} photos: {} distinct, {} taken on devices, {} chunks sent, {} chunks \
         answered out of step, {} stored files, {} partial files left, {} damaged",
        photo_findings.distinct,
        photo_findings.taken,
        devices
            .iter()
            .map(|d| d.stats.photo_chunks.load(Ordering::Relaxed))
            .sum::<u64>(),
        devices
            .iter()
            .map(|d| d.stats.photo_out_of_step.load(Ordering::Relaxed))
            .sum::<u64>(),
        photo_findings.stored_files,
        photo_findings.partial_files,
        photo_findings.damaged,
    );
    assert!(
        photo_findings.taken > photo_findings.distinct,
        "no photo was sent by two devices (seed {seed})"
    );
    assert_eq!(
        photo_findings.stored_files, photo_findings.distinct,
        "each photo stored once (seed {seed})"
    );
    assert_eq!(
        photo_findings.partial_files, 0,
        "half-uploaded photos left (seed {seed})"
    );
    assert_eq!(
        photo_findings.damaged, 0,
        "photos stored damaged (seed {seed})"
    );
    assert_eq!(
        photo_findings.waiting, 0,
        "photos never uploaded (seed {seed})"
    );
    assert_eq!(findings.lost, 0, "changes lost (seed {seed})");
    assert_eq!(findings.duplicated, 0, "notes stored twice (seed {seed})");
    assert!(
        findings.mismatches.is_empty(),
        "{} replica differences (seed {seed}):\n  {}",
        findings.mismatches.len(),
        show(&findings.mismatches)
    );
    assert!(
        findings.rejections.is_empty(),
        "{} changes rejected (seed {seed}):\n  {}",
        findings.rejections.len(),
        show(&findings.rejections)
    );
    assert_eq!(
        findings.left_in_outbox, 0,
        "changes left unsent (seed {seed})"
    );
    assert!(
        findings.unexpected.is_empty(),
        "answers no fault explains (seed {seed}):\n  {}",
        show(&findings.unexpected)
    );
    assert!(
        findings.changes >= DEVICES.len() * CHANGES_PER_DEVICE,
        "every device made its changes"
    );
    assert!(
        restarts.mid_push >= 3,
        "only {} of {} kills hit a push in flight (seed {seed})",
        restarts.mid_push,
        restarts.total
    );
    assert!(faults > 0, "the proxies injected no faults");
}

/// Every device's sync loop, running until stopped.
pub struct Syncing {
    stop: Arc<AtomicBool>,
    loops: Vec<JoinHandle<()>>,
}

impl Syncing {
    /// Stops every loop after its current round.
    pub async fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        for task in self.loops {
            task.await.expect("a device's sync task");
        }
    }
}

/// Starts every device's sync loop and its user, who makes `changes` changes; returns the
/// loops and the users' tasks.
pub fn start_devices(
    devices: &[Arc<Device>],
    rng: &mut StdRng,
    changes: usize,
) -> (Syncing, Vec<JoinHandle<()>>) {
    let stop = Arc::new(AtomicBool::new(false));
    let loops = devices
        .iter()
        .map(|device| tokio::spawn(device.clone().sync_loop(rng.r#gen(), stop.clone())))
        .collect();
    let working = devices
        .iter()
        .map(|device| tokio::spawn(device.clone().work(rng.r#gen(), changes)))
        .collect();
    (Syncing { stop, loops }, working)
}

/// Every device syncs, online and without faults, pass after pass, until a whole pass moves
/// nothing: every outbox is empty and every pull comes back empty. Returns the passes taken.
async fn settle(devices: &[Arc<Device>]) -> usize {
    for pass in 1..=SETTLING_PASSES {
        let mut quiet = true;
        for device in devices {
            device.set_online(true);
            let round = device.round().await.unwrap_or_else(|error| {
                panic!("{} cannot sync without faults: {error}", device.name)
            });
            quiet &= round.pushed == 0 && round.received == 0;
        }
        if quiet {
            return pass;
        }
    }
    panic!("devices still moving changes after {SETTLING_PASSES} passes without faults");
}
