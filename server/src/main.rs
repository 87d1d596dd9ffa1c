//! The `kefu-server` binary: opens the database, optionally seeds demo data, serves on a port.

use clap::Parser;
use kefu_server::photos::DirPhotoStore;
use kefu_server::{AppState, db, demo, policy, router};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(about = "Kefu server: the built client, accounts, policy and sync")]
struct Args {
    /// Database address; the scheme picks the backend (sqlite://path).
    #[arg(long, env = "KEFU_DATABASE_URL", default_value = "sqlite://kefu.db")]
    database: String,
    /// Address to listen on; port 0 picks a free port (printed at start).
    #[arg(long, env = "KEFU_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Where photos are stored (outside the database); by default `photos` beside a SQLite
    /// database file, or in the working directory.
    #[arg(long, env = "KEFU_PHOTOS")]
    photos: Option<PathBuf>,
    /// The client built by Trunk.
    #[arg(long, env = "KEFU_DIST", default_value = "dist")]
    dist: PathBuf,
    /// Seed demo accounts and cases into an empty database.
    #[arg(long)]
    demo: bool,
}

/// Each password check (argon2) takes a 19 MiB block. Once one such block is freed, glibc
/// raises its mmap threshold to that size, and later blocks come from the heap and stay with the
/// process: 50 sign-ins left the server holding 150-240 MB (issue 15, `scripts/bench`). A fixed
/// threshold keeps large blocks in mmap, so they go back to the system when freed (peak 31 MB).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_blocks_to_the_system() {
    // SAFETY: mallopt only tunes the allocator and may be called at any time.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_blocks_to_the_system() {}

/// `photos` beside the database file of `sqlite://dir/kefu.db`, so one directory holds all of
/// a SQLite installation's data; in the working directory otherwise.
fn default_photo_dir(database: &str) -> PathBuf {
    database
        .strip_prefix("sqlite://")
        .and_then(|path| Path::new(path.split('?').next()?).parent())
        .map_or_else(|| PathBuf::from("photos"), |dir| dir.join("photos"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    return_large_blocks_to_the_system();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let args = Args::parse();
    let database = db::connect(&args.database).await?;
    policy::ensure_policy(database.as_ref()).await?;
    policy::ensure_standard_phrases(database.as_ref()).await?;
    if args.demo {
        demo::seed(database.as_ref()).await?;
        println!(
            "demo login: {} / {} (also lead, qa, supervisor, packer, admin, and west in another team, with the same password)",
            demo::DEMO_USERNAME,
            demo::DEMO_PASSWORD
        );
    }
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    println!("Kefu listening on http://{}", listener.local_addr()?);
    let photo_dir = args
        .photos
        .unwrap_or_else(|| default_photo_dir(&args.database));
    let photos = Arc::new(DirPhotoStore::new(photo_dir));
    let app = router(AppState::new(database, photos), Some(&args.dist));
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
