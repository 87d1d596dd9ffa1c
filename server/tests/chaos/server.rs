//! Real `kefu-server` processes on loopback: started from the built binary, killed with
//! SIGKILL (no graceful shutdown, as a crash or a power cut would) and restarted on the same
//! port and database, and the harness that does that while a push is in flight.

use crate::proxy::ProxyStats;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;

/// What the binary prints once it accepts connections.
const READY_LINE: &str = "Kefu listening on http://";
/// How long a (re)start may take before the test gives up on the server.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// One server process and what it takes to start it again exactly the same way.
pub struct Server {
    pub name: String,
    pub addr: SocketAddr,
    database: String,
    dist: PathBuf,
    /// Shared by every server of a run, as a shared disk (or an object store) would be.
    photos: PathBuf,
    child: Option<Child>,
}

/// A loopback port nobody listens on now. Fixed for the server's life, so a restarted server
/// comes back where its proxy (and the devices) expect it.
fn free_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    listener.local_addr().expect("local address")
}

impl Server {
    /// Starts a server on a new fixed port; returns once it accepts connections.
    pub async fn start(name: &str, database: &str, dist: &Path, photos: &Path) -> Server {
        let mut server = Server {
            name: name.to_owned(),
            addr: free_port(),
            database: database.to_owned(),
            dist: dist.to_path_buf(),
            photos: photos.to_path_buf(),
            child: None,
        };
        server.spawn().await;
        server
    }

    /// Spawns the process and waits for its ready line. A restart can race the kernel
    /// releasing the port of the killed process, so a failed start is retried a few times.
    async fn spawn(&mut self) {
        let mut last_error = String::new();
        for _attempt in 0..20 {
            match self.try_spawn().await {
                Ok(child) => {
                    self.child = Some(child);
                    return;
                }
                Err(error) => {
                    last_error = error;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            }
        }
        panic!("{} did not start: {last_error}", self.name);
    }

    async fn try_spawn(&self) -> Result<Child, String> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kefu-server"))
            .arg("--database")
            .arg(&self.database)
            .arg("--listen")
            .arg(self.addr.to_string())
            .arg("--dist")
            .arg(&self.dist)
            .arg("--photos")
            .arg(&self.photos)
            .arg("--demo")
            // Only trouble is worth seeing among thousands of requests.
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|error| format!("spawn: {error}"))?;
        let (ready_tx, ready_rx) = oneshot::channel();
        let (failed_tx, failed_rx) = oneshot::channel::<String>();
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let name = self.name.clone();
        // The pipes are drained for the whole life of the process: a full pipe would block
        // the server's logging and so the server itself.
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            let mut ready_tx = Some(ready_tx);
            while let Ok(Some(line)) = lines.next_line().await {
                if line.contains(READY_LINE) {
                    if let Some(ready) = ready_tx.take() {
                        let _ = ready.send(());
                    }
                } else if !line.starts_with("demo login:") {
                    eprintln!("[{name}] {line}");
                }
            }
        });
        let name = self.name.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            let mut seen = Vec::new();
            while let Ok(Some(line)) = lines.next_line().await {
                eprintln!("[{name}] {line}");
                seen.push(line);
            }
            let _ = failed_tx.send(seen.join("\n"));
        });
        tokio::select! {
            ready = ready_rx => match ready {
                Ok(()) => Ok(child),
                Err(_) => {
                    let status = child.wait().await.map_err(|error| error.to_string())?;
                    let stderr = failed_rx.await.unwrap_or_default();
                    Err(format!("exited ({status}) before it listened: {stderr}"))
                }
            },
            () = tokio::time::sleep(START_TIMEOUT) => {
                let _ = child.kill().await;
                Err(format!("not listening after {START_TIMEOUT:?}"))
            }
        }
    }

    /// SIGKILL: the process gets no chance to finish a transaction or answer a request.
    pub async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().await.expect("kill the server");
        }
    }

    /// Starts the process again on the same port and database.
    pub async fn restart(&mut self) {
        self.kill().await;
        self.spawn().await;
    }

    /// `kefu-server backup --to dir` beside the running server.
    pub async fn back_up(&self, to: &Path) {
        self.command(&["backup", "--to"], to).await;
    }

    /// Stops the server, `kefu-server restore --from dir`, and starts it again.
    pub async fn restore(&mut self, from: &Path) {
        self.kill().await;
        self.command(&["restore", "--from"], from).await;
        self.spawn().await;
    }

    /// Runs one of the binary's copying commands on this server's database and photos.
    async fn command(&self, words: &[&str], dir: &Path) {
        let output = Command::new(env!("CARGO_BIN_EXE_kefu-server"))
            .args(words)
            .arg(dir)
            .arg("--database")
            .arg(&self.database)
            .arg("--photos")
            .arg(&self.photos)
            .output()
            .await
            .expect("run kefu-server");
        let said = String::from_utf8_lossy(&output.stdout);
        println!("[{}] {}", self.name, said.trim());
        assert!(
            output.status.success(),
            "kefu-server {words:?} failed: {said}{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// What the restart harness did to one server.
#[derive(Debug, Default, Clone, Copy)]
pub struct Restarts {
    pub total: usize,
    /// Kills that landed while a push was inside the server (sent, not yet answered).
    pub mid_push: usize,
}

/// Kills `server` `count` times while a push is in flight through its proxy, each time
/// restarting it after a short outage; returns the server (running) and what was done.
pub async fn kill_during_pushes(
    mut server: Server,
    stats: Arc<ProxyStats>,
    seed: u64,
    count: usize,
) -> (Server, Restarts) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut restarts = Restarts::default();
    for _ in 0..count {
        tokio::time::sleep(Duration::from_millis(rng.gen_range(1_000..3_000))).await;
        // Wait for the proxy to hand a push to the server, then kill before the answer. A
        // push may finish between the signal and the kill; wait for the next one then.
        let waited = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                stats.push_sent.notified().await;
                if stats.pushes_in_flight() > 0 {
                    break;
                }
            }
        })
        .await;
        let mid_push = waited.is_ok() && stats.pushes_in_flight() > 0;
        server.kill().await;
        restarts.total += 1;
        restarts.mid_push += usize::from(mid_push);
        // Down for a moment: devices meanwhile get errors and retry.
        tokio::time::sleep(Duration::from_millis(rng.gen_range(100..1_200))).await;
        server.restart().await;
    }
    (server, restarts)
}
