//! The `kefu-server` binary: serves Kefu (optionally seeding demo data), or runs an admin
//! command on its database.

use axum_server::Handle;
use axum_server::tls_rustls::RustlsConfig;
use clap::{Args, Parser, Subcommand};
use kefu_core::account::Role;
use kefu_core::account::manage::NewAccount;
use kefu_server::db::Database;
use kefu_server::photos::DirPhotoStore;
use kefu_server::{AppState, admin_cli, backup, db, demo, policy, router, tls, with_hsts};
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(about = "Kefu server: the built client, accounts, policy and sync")]
struct Cli {
    /// Database address; the scheme picks the backend (sqlite://path or postgres://…).
    #[arg(
        long,
        env = "KEFU_DATABASE_URL",
        default_value = "sqlite://kefu.db",
        global = true
    )]
    database: String,
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Accounts on the command line: the first admin, and help when no admin can sign in.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Copies a SQLite server's database and photos into an empty directory, while it runs.
    Backup {
        #[arg(long)]
        to: PathBuf,
        #[command(flatten)]
        photos: PhotoDir,
    },
    /// Puts a backup back, with the server stopped, and marks the database restored so
    /// devices send back what the backup lacks.
    Restore {
        #[arg(long)]
        from: PathBuf,
        #[command(flatten)]
        photos: PhotoDir,
    },
    /// Marks the database restored (a new epoch), after restoring PostgreSQL with pg_restore.
    MarkRestored,
    /// HTTPS for the shop's network without bought certificates.
    Tls {
        #[command(subcommand)]
        action: TlsAction,
    },
}

#[derive(Subcommand)]
enum TlsAction {
    /// Makes the shop's certificate authority (once) and a server certificate for the names
    /// and addresses tablets use to reach this server.
    Init {
        /// Where the files go: shop-ca.crt (for the tablets), shop-ca.key, server.crt, server.key.
        #[arg(long, default_value = "tls")]
        dir: PathBuf,
        /// A host name or IP address of this server on the shop's network (repeat for more);
        /// localhost and 127.0.0.1 are always included.
        #[arg(long = "name")]
        names: Vec<String>,
    },
}

#[derive(Subcommand)]
enum AdminAction {
    /// Creates an account; asks for its password (or reads one line from standard input).
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// agent, team_lead, qa, supervisor, admin or packer.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The team's id; a team that does not exist yet is created.
        #[arg(long)]
        team: String,
        /// The user must choose their own password at their first sign-in.
        #[arg(long)]
        one_time: bool,
    },
    /// Lists every account: username, name, role, team, whether active.
    ListUsers,
    /// Sets a new password (asked for, or read from standard input) and ends the user's sessions.
    ResetPassword {
        #[arg(long)]
        username: String,
        #[arg(long)]
        one_time: bool,
    },
    /// Disables an account and ends its sessions; its data stays.
    Deactivate {
        #[arg(long)]
        username: String,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| {
        let names: Vec<_> = Role::ALL.iter().map(|role| role.as_str()).collect();
        format!("one of {}", names.join(", "))
    })
}

#[derive(Args)]
struct PhotoDir {
    /// Where photos are stored (outside the database); by default `photos` beside a SQLite
    /// database file, or in the working directory.
    #[arg(long, env = "KEFU_PHOTOS")]
    photos: Option<PathBuf>,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (printed at start).
    #[arg(long, env = "KEFU_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    photos: PhotoDir,
    /// The client built by Trunk.
    #[arg(long, env = "KEFU_DIST", default_value = "dist")]
    dist: PathBuf,
    /// Seed demo accounts and cases into an empty database.
    #[arg(long)]
    demo: bool,
    /// Serve HTTPS with this certificate (PEM; the chain, server first), e.g. tls/server.crt.
    /// A shop-ca.crt beside it is offered at /shop-ca.crt for tablets to install.
    #[arg(long, env = "KEFU_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM), e.g. tls/server.key.
    #[arg(long, env = "KEFU_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Kefu runs behind a reverse proxy: a client's address (for the sign-in limit) is the
    /// last one the proxy adds to X-Forwarded-For.
    #[arg(long, env = "KEFU_BEHIND_PROXY")]
    behind_proxy: bool,
}

/// A password from the terminal without echo, asked twice; or one line of standard input
/// when it is not a terminal (a script, a test).
fn read_password() -> std::io::Result<String> {
    if !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    loop {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Password again: ")?;
        if first == second {
            return Ok(first);
        }
        eprintln!("The two passwords differ; try again.");
    }
}

async fn run_admin(
    database: &dyn Database,
    action: AdminAction,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut out = std::io::stdout();
    match action {
        AdminAction::CreateUser {
            username,
            display_name,
            role,
            team,
            one_time,
        } => {
            let account = NewAccount {
                username,
                display_name,
                role,
                team,
            };
            let password = read_password()?;
            admin_cli::create_user(database, &account, &password, one_time, &mut out).await?;
        }
        AdminAction::ListUsers => admin_cli::list_users(database, &mut out).await?,
        AdminAction::ResetPassword { username, one_time } => {
            let password = read_password()?;
            admin_cli::reset_password(database, &username, &password, one_time, &mut out).await?;
        }
        AdminAction::Deactivate { username } => {
            admin_cli::deactivate(database, &username, &mut out).await?;
        }
    }
    Ok(())
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
    db::sqlite_file(database)
        .as_deref()
        .and_then(Path::parent)
        .map_or_else(|| PathBuf::from("photos"), |dir| dir.join("photos"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    return_large_blocks_to_the_system();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        // Colours for a person at a terminal, plain lines for a log file.
        .with_ansi(std::io::stdout().is_terminal())
        .init();
    let cli = Cli::parse();
    let photo_dir = |dir: Option<PathBuf>| dir.unwrap_or_else(|| default_photo_dir(&cli.database));
    // The copying commands open the database themselves: a restore replaces its file.
    let copied = match &cli.command {
        Some(Command::Backup { to, photos }) => Some(
            backup::backup(&cli.database, &photo_dir(photos.photos.clone()), to)
                .await
                .map(|copied| {
                    format!(
                        "backed up {} and {} photos into {}",
                        cli.database,
                        copied.photos,
                        to.display()
                    )
                }),
        ),
        Some(Command::Restore { from, photos }) => Some(
            backup::restore(&cli.database, &photo_dir(photos.photos.clone()), from)
                .await
                .map(|(copied, epoch)| {
                    format!(
                        "restored {} and {} photos from {}; new epoch {}: devices send back what the backup lacks at their next sync",
                        copied.database.display(),
                        copied.photos,
                        from.display(),
                        epoch.id
                    )
                }),
        ),
        Some(Command::MarkRestored) => Some(backup::mark_restored(&cli.database).await.map(
            |epoch| {
                format!(
                    "new epoch {}: devices send back what the restore lacks at their next sync",
                    epoch.id
                )
            },
        )),
        _ => None,
    };
    match copied {
        Some(Ok(done)) => {
            println!("{done}");
            return Ok(());
        }
        Some(Err(error)) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
        None => {}
    }
    let database = db::connect(&cli.database).await?;
    match cli.command {
        Some(Command::Admin { action }) => {
            if let Err(error) = run_admin(database.as_ref(), action).await {
                eprintln!("{error}");
                std::process::exit(1);
            }
            return Ok(());
        }
        Some(Command::Tls {
            action: TlsAction::Init { dir, names },
        }) => {
            let issued = tls::init(&dir, &names)?;
            if issued.made_authority {
                println!(
                    "made the shop's certificate authority: {}",
                    dir.join(tls::CA_CERT).display()
                );
            }
            println!(
                "server certificate for {}: start with --tls-cert {} --tls-key {}",
                issued.names.join(", "),
                dir.join(tls::SERVER_CERT).display(),
                dir.join(tls::SERVER_KEY).display()
            );
            return Ok(());
        }
        Some(Command::Backup { .. } | Command::Restore { .. } | Command::MarkRestored) | None => {}
    }
    let args = cli.serve;
    policy::ensure_policy(database.as_ref()).await?;
    policy::ensure_standard_phrases(database.as_ref()).await?;
    if args.demo {
        demo::seed(database.as_ref()).await?;
        println!(
            "demo login: {} / {} (also agent2, lead, qa, supervisor, packer, admin, and west in another team, with the same password)",
            demo::DEMO_USERNAME,
            demo::DEMO_PASSWORD
        );
    }
    if let Some(why) = admin_cli::missing_admin(database.as_ref()).await? {
        eprintln!("{why}");
        std::process::exit(2);
    }
    let photos = Arc::new(DirPhotoStore::new(photo_dir(args.photos.photos)));
    let mut state = AppState::new(database, photos);
    state.behind_proxy = args.behind_proxy;
    if let (Some(cert), Some(key)) = (args.tls_cert, args.tls_key) {
        let shop_ca = cert.with_file_name(tls::CA_CERT);
        state.shop_ca = std::fs::read_to_string(shop_ca).ok().map(Into::into);
        let app = with_hsts(router(state, Some(&args.dist)));
        let config = RustlsConfig::from_pem_file(cert, key).await?;
        let handle: Handle<SocketAddr> = Handle::new();
        let listening = handle.clone();
        tokio::spawn(async move {
            if let Some(address) = listening.listening().await {
                println!("Kefu listening on https://{address}");
            }
        });
        let shutdown = handle.clone();
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            shutdown.graceful_shutdown(None);
        });
        axum_server::bind_rustls(args.listen, config)
            .handle(handle)
            .serve(app.into_make_service_with_connect_info::<SocketAddr>())
            .await?;
        return Ok(());
    }
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    println!("Kefu listening on http://{}", listener.local_addr()?);
    let app = router(state, Some(&args.dist));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
