//! Server throughput (issue 15): 50 concurrent clients push realistic changes (new cases and
//! their notes, 50 per push, as devices batch them) over HTTP to the release `kefu-server`
//! process, on SQLite and, when `KEFU_TEST_POSTGRES_URL` is set, on PostgreSQL. Prints changes
//! per second and the server's peak memory (VmHWM) beside this run's reference: how fast this
//! process writes the same rows straight into the same engine, one transaction per 50 changes.
//!
//! Run by `scripts/bench` (`cargo bench -p kefu-server --bench sync_throughput`), which builds
//! the release server first; `KEFU_SERVER_BIN` names it.

use chrono::Utc;
use kefu_core::access::team_for_new;
use kefu_core::account::{Role, Session, UserInfo};
use kefu_core::hlc::Hlc;
use kefu_core::kinds::case::{CaseKind, NewCase, event, note_data};
use kefu_core::record::{Receipt, Record, RecordType, apply};
use kefu_core::sync::{Change, Op, Outcome, PROTOCOL_HEADER, PROTOCOL_VERSION, PushResponse};
use serde_json::json;
use sqlx::Connection;
use std::collections::HashMap;
use std::process::Stdio;
use std::str::FromStr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use uuid::Uuid;

const CLIENTS: usize = 50;
/// Pushes each client makes: 50 × 10 × 50 = 25,000 changes per backend.
const PUSHES_PER_CLIENT: usize = 10;
/// A push: 10 new cases, each with 4 notes, in the order an agent makes them.
const CASES_PER_PUSH: usize = 10;
const NOTES_PER_CASE: usize = 4;
const TARGET_CHANGES_PER_SEC: f64 = 5_000.0;
const TARGET_PEAK_MB: f64 = 100.0;
/// The demo accounts that may open cases; clients take them in turn.
const WRITERS: [(&str, Role, &str); 5] = [
    ("demo", Role::Agent, "east"),
    ("lead", Role::TeamLead, "east"),
    ("supervisor", Role::Supervisor, "east"),
    ("admin", Role::Admin, "hq"),
    ("west", Role::Agent, "west"),
];
const PASSWORD: &str = "kefu-demo-2026";

const NOTES: [&str; 6] = [
    "客户来电询问物流进度，已查询并告知预计明天送达。",
    "已联系仓库核实库存，等待回复后再联系客户。",
    "客户同意换货，已发送退货地址和注意事项。",
    "已催促快递，承诺半个工作日内回复客户。",
    "回访客户，问题已解决，客户表示满意。",
    "已提交售后工单，单号已短信发给客户。",
];

type Error = Box<dyn std::error::Error + Send + Sync>;

fn user(client: usize) -> UserInfo {
    let (username, role, team) = WRITERS[client % WRITERS.len()];
    UserInfo {
        username: username.into(),
        display_name: username.into(),
        role,
        team: team.into(),
    }
}

/// Every push of one client, in order: realistic cases and notes, stamped as a device would.
fn client_pushes(client: usize) -> Vec<Vec<Change>> {
    let device = Uuid::now_v7();
    let mut latest = Hlc::default();
    let mut stamp = || {
        latest = Hlc::next(latest, Utc::now().timestamp_millis());
        latest
    };
    let change = |record_id, stamp, op| Change {
        change_id: Uuid::now_v7(),
        device,
        stamp,
        record_type: RecordType::Case,
        record_id,
        op,
    };
    (0..PUSHES_PER_CLIENT)
        .map(|push| {
            let mut changes = Vec::new();
            for case in 0..CASES_PER_PUSH {
                let n = (client * PUSHES_PER_CLIENT + push) * CASES_PER_PUSH + case;
                let record_id = Uuid::now_v7();
                let fields = NewCase {
                    kind: [CaseKind::Inquiry, CaseKind::Return, CaseKind::Complaint][n % 3],
                    title: format!("第 {n} 号客户的退换货咨询"),
                    customer_name: ["王芳", "李雷", "韩梅梅", "张伟"][n % 4].into(),
                    customer_phone: format!("138{:08}", n),
                    order_number: Some(format!("SO-20261123-{n:05}")),
                }
                .fields();
                changes.push(change(record_id, stamp(), Op::Create { fields }));
                for note in 0..NOTES_PER_CASE {
                    let op = Op::Append {
                        event: Uuid::now_v7(),
                        kind: event::NOTE.into(),
                        data: note_data(NOTES[(n + note) % NOTES.len()]),
                    };
                    changes.push(change(record_id, stamp(), op));
                }
            }
            changes
        })
        .collect()
}

/// The release server on a fresh database, on a free port; killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(database: &str, dist: &std::path::Path) -> Result<Self, Error> {
        let bin = std::env::var("KEFU_SERVER_BIN").unwrap_or_else(|_| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../target/release/kefu-server").into()
        });
        let mut child = Command::new(&bin)
            .args(["--database", database, "--listen", "127.0.0.1:0", "--demo"])
            .arg("--dist")
            .arg(dist)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|error| format!("start {bin}: {error}"))?;
        let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
        while let Some(line) = lines.next_line().await? {
            if let Some(base) = line.strip_prefix("Kefu listening on ") {
                let base = base.trim().to_owned();
                // Keep draining stdout so the server never blocks on a full pipe.
                tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
                return Ok(Server { child, base });
            }
        }
        Err("the server exited before listening".into())
    }

    fn pid(&self) -> u32 {
        self.child.id().unwrap_or_default()
    }
}

/// A line of /proc/<pid>/status in kB, as MB.
fn status_mb(pid: u32, key: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// CPU seconds the process has used (user + system).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) end with ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<f64>().ok())
        .sum();
    ticks / 100.0
}

struct Load {
    changes: usize,
    elapsed: Duration,
    peak_mb: f64,
    cpu_ms_per_1000: f64,
}

/// 50 clients sign in, then all push their batches at once; counts what the server applied.
async fn load(server: &Server, pushes: &[Vec<Vec<Change>>]) -> Result<Load, Error> {
    let http = reqwest::Client::new();
    let mut tokens = Vec::new();
    for client in 0..CLIENTS {
        let session: Session = http
            .post(format!("{}/api/login", server.base))
            .json(&json!({"username": user(client).username, "password": PASSWORD}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        tokens.push(session.token);
    }
    // Bodies are encoded before the clock starts: this process shares the CPU with the server.
    let bodies: Vec<Vec<Vec<u8>>> = pushes
        .iter()
        .map(|client| {
            client
                .iter()
                .map(|changes| serde_json::to_vec(&json!({ "changes": changes })))
                .collect::<Result<_, _>>()
        })
        .collect::<Result<_, _>>()?;
    let cpu_before = cpu_seconds(server.pid());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (token, bodies) in tokens.into_iter().zip(bodies) {
        let http = http.clone();
        let url = format!("{}/api/sync/push", server.base);
        tasks.push(tokio::spawn(async move {
            let mut applied = 0;
            for body in bodies {
                let response: PushResponse = http
                    .post(&url)
                    .bearer_auth(&token)
                    .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?;
                applied += response
                    .outcomes
                    .iter()
                    .filter(|answer| answer.outcome == Outcome::Applied)
                    .count();
            }
            Ok::<usize, Error>(applied)
        }));
    }
    let mut changes = 0;
    for task in tasks {
        changes += task.await??;
    }
    let elapsed = started.elapsed();
    let expected: usize = pushes.iter().flatten().map(Vec::len).sum();
    if changes != expected {
        return Err(format!("the server applied {changes} of {expected} changes").into());
    }
    let cpu = cpu_seconds(server.pid()) - cpu_before;
    Ok(Load {
        changes,
        elapsed,
        peak_mb: status_mb(server.pid(), "VmHWM:"),
        cpu_ms_per_1000: cpu * 1000.0 / (changes as f64 / 1000.0),
    })
}

/// The rows the server writes for these changes: each change's id, and its record's JSON as it
/// stands after the change, as the server's `accept` makes it.
fn rows(pushes: &[Vec<Vec<Change>>]) -> Vec<Vec<(Change, String, Record)>> {
    let mut out = Vec::new();
    for (client, pushes) in pushes.iter().enumerate() {
        let user = user(client);
        let team = team_for_new(&user, RecordType::Case);
        let mut records: HashMap<Uuid, Record> = HashMap::new();
        for changes in pushes {
            let mut batch = Vec::new();
            for change in changes {
                let receipt = Receipt::on_server(change.clone(), &user.username, &team, Utc::now());
                let record = apply(records.remove(&change.record_id), &receipt);
                let data = serde_json::to_string(&record).expect("record json");
                records.insert(record.id, record.clone());
                batch.push((change.clone(), data, record));
            }
            out.push(batch);
        }
    }
    out
}

/// The server's statements (`db/sqlite.rs`, `db/postgres.rs`), in each engine's placeholders.
const UPSERT_SQLITE: &str = "INSERT INTO records (id, record_type, team, seq, data)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET team = excluded.team, seq = excluded.seq, data = excluded.data";
const UPSERT_POSTGRES: &str = "INSERT INTO records (id, record_type, team, seq, data)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET team = excluded.team, seq = excluded.seq, data = excluded.data";
const APPLIED_SQLITE: &str =
    "INSERT INTO applied_changes (change_id, record_id, by_user, applied_at)
     VALUES (?, ?, ?, ?) ON CONFLICT (change_id) DO NOTHING";
const APPLIED_POSTGRES: &str =
    "INSERT INTO applied_changes (change_id, record_id, by_user, applied_at)
     VALUES ($1, $2, $3, $4) ON CONFLICT (change_id) DO NOTHING";
const BUMP: &str = "UPDATE sync_counter SET value = value + 1 WHERE id = 1 RETURNING value";

/// This process writing the same rows straight into SQLite (same file settings as the
/// server): one writer, one transaction per push. Rows per second.
async fn raw_sqlite(url: &str, batches: &[Vec<(Change, String, Record)>]) -> Result<f64, Error> {
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
    let options = SqliteConnectOptions::from_str(url)?
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let mut connection = sqlx::SqliteConnection::connect_with(&options).await?;
    let now = Utc::now().to_rfc3339();
    let started = Instant::now();
    let mut rows = 0;
    for batch in batches {
        let mut tx = connection.begin().await?;
        let seq: i64 = sqlx::query_scalar(BUMP).fetch_one(&mut *tx).await?;
        for (change, data, record) in batch {
            sqlx::query(APPLIED_SQLITE)
                .bind(change.change_id.to_string())
                .bind(change.record_id.to_string())
                .bind("bench")
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(UPSERT_SQLITE)
                .bind(record.id.to_string())
                .bind(record.record_type.as_str())
                .bind(&record.team)
                .bind(seq)
                .bind(data)
                .execute(&mut *tx)
                .await?;
            rows += 1;
        }
        tx.commit().await?;
    }
    Ok(rows as f64 / started.elapsed().as_secs_f64())
}

/// The same, straight into PostgreSQL.
async fn raw_postgres(url: &str, batches: &[Vec<(Change, String, Record)>]) -> Result<f64, Error> {
    let mut connection = sqlx::PgConnection::connect(url).await?;
    let now = Utc::now();
    let started = Instant::now();
    let mut rows = 0;
    for batch in batches {
        let mut tx = connection.begin().await?;
        let seq: i64 = sqlx::query_scalar(BUMP).fetch_one(&mut *tx).await?;
        for (change, data, record) in batch {
            sqlx::query(APPLIED_POSTGRES)
                .bind(change.change_id.to_string())
                .bind(change.record_id.to_string())
                .bind("bench")
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(UPSERT_POSTGRES)
                .bind(record.id.to_string())
                .bind(record.record_type.as_str())
                .bind(&record.team)
                .bind(seq)
                .bind(data)
                .execute(&mut *tx)
                .await?;
            rows += 1;
        }
        tx.commit().await?;
    }
    Ok(rows as f64 / started.elapsed().as_secs_f64())
}

/// A fresh database on the PostgreSQL server at `server` (whose database part is replaced).
async fn fresh_postgres(server: &str, label: &str) -> Result<String, Error> {
    let name = format!("kefu_bench_{label}_{}", Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(server).await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await?;
    let (base, _) = server
        .rsplit_once('/')
        .ok_or("a URL with a database name")?;
    Ok(format!("{base}/{name}"))
}

fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value);
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Prints one backend's figures; the targets (issue 15) are SQLite's, the default backend.
fn report(engine: &str, load: &Load, raw_rows_per_sec: f64, targets: bool) {
    let rate = load.changes as f64 / load.elapsed.as_secs_f64();
    let verdict = |ok: bool, target: String| match (targets, ok) {
        (false, _) => String::new(),
        (true, true) => format!(" (target {target}: met)"),
        (true, false) => format!(" (target {target}: MISSED)"),
    };
    println!(
        "server on {engine}, {CLIENTS} clients: {} changes in {:.2} s = {} changes/s{}; \
         peak memory {:.0} MB VmHWM{}; server CPU {:.0} ms per 1,000 changes",
        thousands(load.changes as f64),
        load.elapsed.as_secs_f64(),
        thousands(rate),
        verdict(
            rate >= TARGET_CHANGES_PER_SEC,
            format!("≥ {}", thousands(TARGET_CHANGES_PER_SEC))
        ),
        load.peak_mb,
        verdict(
            load.peak_mb <= TARGET_PEAK_MB,
            format!("≤ {TARGET_PEAK_MB:.0} MB")
        ),
        load.cpu_ms_per_1000,
    );
    println!(
        "  limit, same run: this process writing the same rows straight into {engine}, \
         one transaction per 50, one connection: {} rows/s; server/raw {:.2}",
        thousands(raw_rows_per_sec),
        rate / raw_rows_per_sec,
    );
}

async fn bench(engine: &str, server_url: &str, raw_url: &str) -> Result<(), Error> {
    let dist = tempfile::tempdir()?;
    let pushes: Vec<Vec<Vec<Change>>> = (0..CLIENTS).map(client_pushes).collect();
    let server = Server::start(server_url, dist.path()).await?;
    let load = load(&server, &pushes).await?;
    drop(server);
    // The reference writes into a database of its own, created and migrated like the server's.
    kefu_server::db::connect(raw_url).await?;
    let batches = rows(&pushes);
    let sqlite = engine == "SQLite";
    let raw = if sqlite {
        raw_sqlite(raw_url, &batches).await?
    } else {
        raw_postgres(raw_url, &batches).await?
    };
    report(engine, &load, raw, sqlite);
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let dir = tempfile::tempdir()?;
    let sqlite = |name: &str| format!("sqlite://{}", dir.path().join(name).display());
    bench("SQLite", &sqlite("server.db"), &sqlite("raw.db")).await?;
    match std::env::var("KEFU_TEST_POSTGRES_URL") {
        Ok(server) => {
            let server_db = fresh_postgres(&server, "server").await?;
            let raw_db = fresh_postgres(&server, "raw").await?;
            bench("PostgreSQL", &server_db, &raw_db).await?;
        }
        Err(_) => println!("server on PostgreSQL: skipped (KEFU_TEST_POSTGRES_URL is not set)"),
    }
    Ok(())
}
