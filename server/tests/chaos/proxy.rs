//! A fault-injecting HTTP proxy on loopback, in front of one server: per request, at random,
//! it drops the request, answers 502, drops the server's answer after the server acted on it,
//! sends the request twice, delays it, or cuts the request or the answer short.
//!
//! It works on raw bytes over TCP rather than through an HTTP library, because the faults
//! that matter are below HTTP: a connection closed with no answer, a body cut mid-way with
//! the full length announced. One request per connection (`connection: close` both ways), so
//! a cut or dropped connection never takes another request down with it.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// Requests larger than this are not expected from a device (a push holds at most 50 changes).
const MAX_REQUEST_BYTES: usize = 4 << 20;
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// What the proxy does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// Closes the connection without forwarding or answering (after a pause, sometimes).
    DropRequest,
    /// Answers 502 without forwarding, as a gateway that lost its upstream.
    BadGateway,
    /// Forwards, lets the server act, and closes without passing its answer on.
    DropResponse,
    /// Forwards twice, concurrently, and passes one of the answers on.
    Duplicate,
    /// Holds the request, or the answer, for a while.
    Delay,
    /// Forwards the head and part of the body (with the full length announced), then stops.
    TruncateRequest,
    /// Passes on only the first part of the server's answer.
    TruncateResponse,
}

/// Per mille of requests for each fault; the rest pass untouched. About a third of requests
/// are faulted: enough that every path is hit many times, few enough that rounds progress.
const FAULT_RATES: [(Fault, u32); 7] = [
    (Fault::DropRequest, 70),
    (Fault::BadGateway, 40),
    (Fault::DropResponse, 80),
    (Fault::Duplicate, 60),
    (Fault::Delay, 50),
    (Fault::TruncateRequest, 30),
    (Fault::TruncateResponse, 30),
];

fn pick(rng: &mut StdRng) -> Fault {
    let mut roll = rng.gen_range(0..1000);
    for (fault, rate) in FAULT_RATES {
        if roll < rate {
            return fault;
        }
        roll -= rate;
    }
    Fault::None
}

impl Fault {
    /// Its place in [`FAULT_RATES`], where it is counted.
    fn index(self) -> Option<usize> {
        FAULT_RATES.iter().position(|(fault, _)| *fault == self)
    }
}

/// What a proxy has done, shared with the test.
#[derive(Default)]
pub struct ProxyStats {
    pub requests: AtomicU64,
    /// Faulted requests, by fault, in the order of [`FAULT_RATES`].
    by_fault: [AtomicU64; FAULT_RATES.len()],
    /// Pushes written to the server and not yet answered by it.
    in_flight: AtomicUsize,
    /// Signalled each time a push has been handed to the server.
    pub push_sent: Notify,
}

impl ProxyStats {
    pub fn pushes_in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    pub fn faults(&self) -> u64 {
        self.by_fault
            .iter()
            .map(|count| count.load(Ordering::Relaxed))
            .sum()
    }

    /// How many requests each fault hit, by name.
    pub fn by_fault(&self) -> Vec<(String, u64)> {
        FAULT_RATES
            .iter()
            .zip(&self.by_fault)
            .map(|((fault, _), count)| (format!("{fault:?}"), count.load(Ordering::Relaxed)))
            .collect()
    }
}

/// Counts a push as inside the server until the server's answer (or its death) is read.
struct InFlight<'a>(&'a ProxyStats);

impl<'a> InFlight<'a> {
    fn enter(stats: &'a ProxyStats) -> Self {
        stats.in_flight.fetch_add(1, Ordering::SeqCst);
        stats.push_sent.notify_one();
        InFlight(stats)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

pub struct Proxy {
    /// Where devices send their requests.
    pub base: String,
    pub stats: Arc<ProxyStats>,
    faults_on: Arc<AtomicBool>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards to `upstream`, faulting as seeded.
    pub async fn start(upstream: SocketAddr, seed: u64) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let base = format!("http://{}", listener.local_addr().expect("proxy address"));
        let stats = Arc::new(ProxyStats::default());
        let faults_on = Arc::new(AtomicBool::new(true));
        let rng = Arc::new(Mutex::new(StdRng::seed_from_u64(seed)));
        let (task_stats, task_faults) = (stats.clone(), faults_on.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let fault = if task_faults.load(Ordering::SeqCst) {
                    pick(&mut rng.lock().expect("proxy rng"))
                } else {
                    Fault::None
                };
                let cut_seed: u64 = rng.lock().expect("proxy rng").r#gen();
                let stats = task_stats.clone();
                tokio::spawn(async move {
                    handle(client, upstream, fault, cut_seed, &stats).await;
                });
            }
        });
        Proxy {
            base,
            stats,
            faults_on,
        }
    }

    /// From now on every request passes untouched.
    pub fn faults_off(&self) {
        self.faults_on.store(false, Ordering::SeqCst);
    }

    pub fn faults_back_on(&self) {
        self.faults_on.store(true, Ordering::SeqCst);
    }
}

/// One request as read from a device: its head (request line and headers, rewritten to ask
/// the server to close the connection after answering) and its body.
struct Request {
    head: Vec<u8>,
    body: Vec<u8>,
    is_push: bool,
}

async fn read_request(client: &mut TcpStream) -> Option<Request> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break at;
        }
        let read = client.read(&mut chunk).await.ok()?;
        if read == 0 || buffer.len() > MAX_REQUEST_BYTES {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = std::str::from_utf8(&buffer[..head_end]).ok()?.to_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?.to_owned();
    let mut length = 0usize;
    let mut rewritten = format!("{request_line}\r\n");
    for line in lines {
        let (name, value) = line.split_once(':')?;
        let name = name.trim().to_ascii_lowercase();
        match name.as_str() {
            "content-length" => length = value.trim().parse().ok()?,
            // A chunked body would need parsing; devices send bodies with a length.
            "transfer-encoding" => return None,
            "connection" | "keep-alive" => continue,
            _ => {}
        }
        rewritten.push_str(line);
        rewritten.push_str("\r\n");
    }
    rewritten.push_str("connection: close\r\n\r\n");
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = client.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    body.truncate(length);
    Some(Request {
        head: rewritten.into_bytes(),
        is_push: request_line.starts_with("POST /api/sync/push"),
        body,
    })
}

/// Sends the request to the server (only the first `cut` bytes of its body, if given) and
/// reads its whole answer. `None`: the server is down, died, or answered nothing.
async fn forward(
    upstream: SocketAddr,
    request: &Request,
    cut: Option<usize>,
    stats: &ProxyStats,
) -> Option<Vec<u8>> {
    let mut server = tokio::time::timeout(IO_TIMEOUT, TcpStream::connect(upstream))
        .await
        .ok()?
        .ok()?;
    server.write_all(&request.head).await.ok()?;
    let body = match cut {
        Some(cut) => &request.body[..cut],
        None => &request.body[..],
    };
    server.write_all(body).await.ok()?;
    // A cut push never reaches the handler, so only whole ones count as inside the server.
    let _in_flight = (request.is_push && cut.is_none()).then(|| InFlight::enter(stats));
    if cut.is_some() {
        // The device "went away" mid-body: the server sees the stream end early.
        server.shutdown().await.ok()?;
    }
    let mut answer = Vec::new();
    tokio::time::timeout(IO_TIMEOUT, server.read_to_end(&mut answer))
        .await
        .ok()?
        .ok()?;
    (!answer.is_empty()).then_some(answer)
}

const BAD_GATEWAY: &[u8] =
    b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

async fn handle(
    mut client: TcpStream,
    upstream: SocketAddr,
    fault: Fault,
    cut_seed: u64,
    stats: &ProxyStats,
) {
    let Some(request) = read_request(&mut client).await else {
        return;
    };
    stats.requests.fetch_add(1, Ordering::Relaxed);
    if let Some(index) = fault.index() {
        stats.by_fault[index].fetch_add(1, Ordering::Relaxed);
    }
    let mut rng = StdRng::seed_from_u64(cut_seed);
    let answer = match fault {
        Fault::None => forward(upstream, &request, None, stats).await,
        Fault::DropRequest => {
            if rng.gen_bool(0.5) {
                tokio::time::sleep(Duration::from_millis(rng.gen_range(0..300))).await;
            }
            return;
        }
        Fault::BadGateway => Some(BAD_GATEWAY.to_vec()),
        Fault::DropResponse => {
            forward(upstream, &request, None, stats).await;
            return;
        }
        Fault::Duplicate => {
            let (first, second) = tokio::join!(
                forward(upstream, &request, None, stats),
                forward(upstream, &request, None, stats)
            );
            if rng.gen_bool(0.5) { first } else { second }
        }
        Fault::Delay => {
            let pause = Duration::from_millis(rng.gen_range(100..800));
            if rng.gen_bool(0.5) {
                tokio::time::sleep(pause).await;
                forward(upstream, &request, None, stats).await
            } else {
                let answer = forward(upstream, &request, None, stats).await;
                tokio::time::sleep(pause).await;
                answer
            }
        }
        Fault::TruncateRequest => {
            if request.body.is_empty() {
                // Nothing to cut: the connection dies before the request is complete.
                return;
            }
            let cut = rng.gen_range(0..request.body.len());
            forward(upstream, &request, Some(cut), stats).await
        }
        Fault::TruncateResponse => match forward(upstream, &request, None, stats).await {
            Some(answer) => {
                let cut = rng.gen_range(0..answer.len());
                Some(answer[..cut].to_vec())
            }
            None => None,
        },
    };
    // The server down (restarting) looks like a gateway error, as it would behind nginx.
    let answer = answer.unwrap_or_else(|| BAD_GATEWAY.to_vec());
    let _ = client.write_all(&answer).await;
    let _ = client.shutdown().await;
}
