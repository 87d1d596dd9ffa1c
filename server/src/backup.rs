//! `kefu-server backup` and `restore` for the embedded SQLite database: a consistent copy of
//! a running server's data (the database, then its photos), and putting one back with a new
//! epoch, so devices send back what the copy lacks (`kefu_core::recovery`). PostgreSQL is
//! copied with its own tools (`pg_dump`, `pg_restore`), then marked restored here.

use crate::db::{self, DbError};
use chrono::Utc;
use kefu_core::recovery::Epoch;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use thiserror::Error;

/// The database file inside a backup directory.
pub const BACKUP_DATABASE: &str = "kefu.db";
/// The photos inside a backup directory, laid out as the photo store keeps them.
pub const BACKUP_PHOTOS: &str = "photos";
/// Written last by a backup: a directory without it was cut short and is not restored.
pub const BACKUP_COMPLETE: &str = "complete";
/// Where a photo store keeps uploads in progress: never copied.
const PARTIAL: &str = "partial";
/// A photo being copied, renamed into place once whole: never taken for a photo.
const COPYING: &str = ".copying";

#[derive(Debug, Error)]
pub enum BackupError {
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Files(#[from] std::io::Error),
}

/// What a backup or a restore copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub database: PathBuf,
    pub photos: usize,
}

/// The file of a SQLite address; PostgreSQL is refused with what to use.
fn sqlite_file(database_url: &str) -> Result<PathBuf, BackupError> {
    db::sqlite_file(database_url).ok_or_else(|| {
        BackupError::Refused(
            "backup and restore copy a SQLite database; for PostgreSQL use pg_dump -Fc and \
             pg_restore, copy the photo directory, then run kefu-server mark-restored"
                .into(),
        )
    })
}

/// Copies the database and then its photos into `to`, which must not hold a backup yet, while
/// the server may be running and devices syncing. SQLite's `VACUUM INTO` writes one
/// consistent snapshot (a read transaction) and waits for no writer. Photos are copied after
/// it, so every photo the snapshot names is in the backup: a photo is stored before any
/// change naming it is applied, and photo files never change once complete.
pub async fn backup(database_url: &str, photos: &Path, to: &Path) -> Result<Copied, BackupError> {
    let file = sqlite_file(database_url)?;
    if !file.exists() {
        return Err(BackupError::Refused(format!(
            "there is no database at {}",
            file.display()
        )));
    }
    let database = to.join(BACKUP_DATABASE);
    if database.exists() {
        return Err(BackupError::Refused(format!(
            "{} holds a backup already; choose an empty directory",
            to.display()
        )));
    }
    std::fs::create_dir_all(to)?;
    let mut connection = SqliteConnectOptions::from_str(database_url)?
        .busy_timeout(std::time::Duration::from_secs(30))
        .connect()
        .await?;
    sqlx::query("VACUUM INTO $1")
        .bind(database.to_string_lossy().into_owned())
        .execute(&mut connection)
        .await?;
    connection.close().await?;
    let photos = copy_photos(photos, &to.join(BACKUP_PHOTOS))?;
    std::fs::write(
        to.join(BACKUP_COMPLETE),
        format!("{}\n", Utc::now().to_rfc3339()),
    )?;
    Ok(Copied { database, photos })
}

/// Puts the backup in `from` back, with the server stopped: the database at `database_url` is
/// moved aside (`<file>.before-restore-<time>`, with its write-ahead log, never deleted), the
/// backup's database takes its place and gets a new epoch at once, and then the backup's
/// photos join the photo directory (photos kept there that the backup lacks stay: devices'
/// changes that name them come back).
pub async fn restore(
    database_url: &str,
    photos: &Path,
    from: &Path,
) -> Result<(Copied, Epoch), BackupError> {
    let file = sqlite_file(database_url)?;
    let backup = from.join(BACKUP_DATABASE);
    if !backup.is_file() || !from.join(BACKUP_COMPLETE).is_file() {
        return Err(BackupError::Refused(format!(
            "{} is not a whole backup: it lacks {BACKUP_DATABASE} or the {BACKUP_COMPLETE} mark a finished backup writes last",
            from.display()
        )));
    }
    if let Some(dir) = file.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    // Copied beside the database first, so the swap below is a rename, never half a file.
    let incoming = with_suffix(&file, ".restoring");
    std::fs::copy(&backup, &incoming)?;
    let aside = format!(".before-restore-{}", Utc::now().format("%Y%m%dT%H%M%S"));
    // The write-ahead log goes aside with its database: left beside the copy, it would be
    // replayed into it.
    for suffix in ["", "-wal", "-shm"] {
        let current = with_suffix(&file, suffix);
        if current.exists() {
            std::fs::rename(&current, with_suffix(&file, &format!("{aside}{suffix}")))?;
        }
    }
    std::fs::rename(&incoming, &file)?;
    let epoch = mark_restored(database_url).await?;
    let copied = copy_photos(&from.join(BACKUP_PHOTOS), photos)?;
    Ok((
        Copied {
            database: file,
            photos: copied,
        },
        epoch,
    ))
}

/// Gives the database at `database_url` a new epoch (migrating it first, if the backup is of
/// an older build): the last step of every restore.
pub async fn mark_restored(database_url: &str) -> Result<Epoch, BackupError> {
    let database = db::connect(database_url).await?;
    Ok(database.new_epoch(Utc::now()).await?)
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Copies every complete photo under `from` into the same place under `to`, leaving those
/// `to` holds already; returns how many `from` holds. A missing `from` holds none.
fn copy_photos(from: &Path, to: &Path) -> Result<usize, BackupError> {
    let Ok(shards) = std::fs::read_dir(from) else {
        return Ok(0);
    };
    let mut count = 0;
    for shard in shards {
        let shard = shard?;
        if shard.file_name() == PARTIAL || !shard.file_type()?.is_dir() {
            continue;
        }
        let target = to.join(shard.file_name());
        std::fs::create_dir_all(&target)?;
        for photo in std::fs::read_dir(shard.path())? {
            let photo = photo?;
            if photo.file_name().to_string_lossy().ends_with(COPYING) {
                continue;
            }
            let into = target.join(photo.file_name());
            if !into.exists() {
                // Renamed into place, as the photo store does: a copy cut short is never
                // taken for a whole photo.
                let copying = with_suffix(&into, COPYING);
                std::fs::copy(photo.path(), &copying)?;
                std::fs::rename(&copying, &into)?;
            }
            count += 1;
        }
    }
    Ok(count)
}
