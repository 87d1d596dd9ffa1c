//! Photos: stored outside the database, named by their SHA-256, uploaded in chunks that resume
//! where the server stopped, and served only through a record the caller may see that names
//! them. The rules (hash form, sizes, chunk order) are `kefu_core::photo`'s; this is the I/O.

use crate::AppState;
use crate::db::Caller;
use crate::error::ApiError;
use async_trait::async_trait;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use kefu_core::access::visibility;
use kefu_core::photo::{
    PhotoProblem, UploadStatus, check_chunk, is_photo_hash, is_whole_jpeg, record_photos,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::io;
use std::path::PathBuf;
use thiserror::Error;
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

#[derive(Debug, Error)]
pub enum PhotoError {
    /// A rule of `kefu_core::photo` refused it; `received` is what the server holds, so the
    /// device can resume from there.
    #[error("photo refused: {problem:?}")]
    Refused {
        problem: PhotoProblem,
        received: u64,
    },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Where photo bytes live. A directory today; an object store (S3 and peers) would be a second
/// implementation, which several server instances without a shared disk need.
#[async_trait]
pub trait PhotoStore: Send + Sync {
    /// What is held of `hash`: all of it, part of an upload, or nothing.
    async fn status(&self, hash: &str) -> io::Result<UploadStatus>;
    /// Adds `chunk` at `offset` to the upload of `hash`, `size` bytes in all. The last chunk
    /// (or an empty one at the end, for a part that already holds every byte) completes the
    /// photo if the bytes hash to its name; otherwise the part is dropped. A part longer than
    /// `size` is dropped too: the upload starts over.
    async fn append(
        &self,
        hash: &str,
        size: u64,
        offset: u64,
        chunk: &[u8],
    ) -> Result<UploadStatus, PhotoError>;
    /// The whole photo, if held.
    async fn read(&self, hash: &str) -> io::Result<Option<Vec<u8>>>;
}

/// Photos as files: `<root>/ab/<hash>.jpg` once complete, `<root>/partial/<hash>` while
/// uploading. A completed photo is renamed into place, so a reader never sees half of one.
pub struct DirPhotoStore {
    root: PathBuf,
    /// One upload step at a time: two devices (or a retried request) sending the same photo
    /// must not interleave their appends.
    writing: tokio::sync::Mutex<()>,
}

impl DirPhotoStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DirPhotoStore {
            root: root.into(),
            writing: tokio::sync::Mutex::new(()),
        }
    }

    /// Callers pass only hashes `is_photo_hash` accepted, so no path can leave the root.
    fn complete_path(&self, hash: &str) -> PathBuf {
        self.root.join(&hash[..2]).join(format!("{hash}.jpg"))
    }

    fn partial_path(&self, hash: &str) -> PathBuf {
        self.root.join("partial").join(hash)
    }
}

async fn file_len(path: &std::path::Path) -> io::Result<Option<u64>> {
    match tokio::fs::metadata(path).await {
        Ok(meta) => Ok(Some(meta.len())),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

#[async_trait]
impl PhotoStore for DirPhotoStore {
    async fn status(&self, hash: &str) -> io::Result<UploadStatus> {
        if let Some(len) = file_len(&self.complete_path(hash)).await? {
            return Ok(UploadStatus {
                received: len,
                complete: true,
            });
        }
        Ok(UploadStatus {
            received: file_len(&self.partial_path(hash)).await?.unwrap_or(0),
            complete: false,
        })
    }

    async fn append(
        &self,
        hash: &str,
        size: u64,
        offset: u64,
        chunk: &[u8],
    ) -> Result<UploadStatus, PhotoError> {
        let _writing = self.writing.lock().await;
        let held = self.status(hash).await?;
        if held.complete {
            // Sent again (a retry, another device): it is stored once, already.
            return Ok(held);
        }
        let partial = self.partial_path(hash);
        if let Err(problem) = check_chunk(size, held.received, offset, chunk) {
            let mut received = held.received;
            if problem == PhotoProblem::OutOfOrder && held.received > size {
                // Left by a request that claimed a larger photo: no chunk of this one could
                // continue it, so the device would ask for ever. It starts over.
                tokio::fs::remove_file(&partial).await?;
                received = 0;
            }
            return Err(PhotoError::Refused { problem, received });
        }
        tokio::fs::create_dir_all(self.root.join("partial")).await?;
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&partial)
            .await?;
        file.write_all(chunk).await?;
        file.sync_data().await?;
        let received = offset + chunk.len() as u64;
        if received < size {
            return Ok(UploadStatus {
                received,
                complete: false,
            });
        }
        let bytes = tokio::fs::read(&partial).await?;
        let problem = if hex::encode(Sha256::digest(&bytes)) != hash {
            Some(PhotoProblem::HashMismatch)
        } else if !is_whole_jpeg(&bytes) {
            Some(PhotoProblem::NotAJpeg)
        } else {
            None
        };
        if let Some(problem) = problem {
            tokio::fs::remove_file(&partial).await?;
            return Err(PhotoError::Refused {
                problem,
                received: 0,
            });
        }
        let complete = self.complete_path(hash);
        tokio::fs::create_dir_all(complete.parent().unwrap_or(&self.root)).await?;
        tokio::fs::rename(&partial, &complete).await?;
        Ok(UploadStatus {
            received,
            complete: true,
        })
    }

    async fn read(&self, hash: &str) -> io::Result<Option<Vec<u8>>> {
        match tokio::fs::read(self.complete_path(hash)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// Whether the server holds every photo in `hashes` whole.
pub async fn all_held(store: &dyn PhotoStore, hashes: &[String]) -> io::Result<bool> {
    for hash in hashes {
        if !store.status(hash).await?.complete {
            return Ok(false);
        }
    }
    Ok(true)
}

fn checked_hash(hash: &str) -> Result<(), ApiError> {
    if is_photo_hash(hash) {
        Ok(())
    } else {
        Err(ApiError::BadRequest(
            "a photo is named by its SHA-256 in hex".into(),
        ))
    }
}

/// `GET /api/photos/{hash}/upload`: how much of the photo the server holds.
#[utoipa::path(get, path = "/api/photos/{hash}/upload", tag = "photos", params(("hash" = String, Path)), responses((status = 200, description = "How much the server holds", body = UploadStatus)))]
pub async fn upload_status(
    State(state): State<AppState>,
    _caller: Caller,
    Path(hash): Path<String>,
) -> Result<Json<UploadStatus>, ApiError> {
    checked_hash(&hash)?;
    Ok(Json(state.photos.status(&hash).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChunkQuery {
    offset: u64,
    size: u64,
}

/// A chunk of a photo's bytes: an upload's body, read whole, as the API description names it
/// (raw bytes, not an array of numbers).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct ChunkBytes(Bytes);

impl<S: Send + Sync> FromRequest<S> for ChunkBytes {
    type Rejection = BytesRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(request, state).await.map(ChunkBytes)
    }
}

/// `PUT /api/photos/{hash}/upload?offset=…&size=…` with the chunk as the body.
#[utoipa::path(put, path = "/api/photos/{hash}/upload", tag = "photos", params(("hash" = String, Path), ChunkQuery), request_body(content = ChunkBytes, content_type = "application/octet-stream"), responses((status = 200, description = "How much the server holds now", body = UploadStatus)))]
pub async fn upload_chunk(
    State(state): State<AppState>,
    _caller: Caller,
    Path(hash): Path<String>,
    Query(query): Query<ChunkQuery>,
    ChunkBytes(chunk): ChunkBytes,
) -> Result<Json<UploadStatus>, ApiError> {
    checked_hash(&hash)?;
    match state
        .photos
        .append(&hash, query.size, query.offset, &chunk)
        .await
    {
        Ok(status) => Ok(Json(status)),
        Err(PhotoError::Refused { problem, received }) => {
            Err(ApiError::Photo { problem, received })
        }
        Err(PhotoError::Io(error)) => Err(error.into()),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ViewQuery {
    /// The record the caller sees the photo through.
    record: Uuid,
}

/// `GET /api/photos/{hash}?record=…`: the photo, if the caller may see that record and the
/// record names the photo. Anything else is "not found", so nobody learns which photos exist.
#[utoipa::path(get, path = "/api/photos/{hash}", tag = "photos", params(("hash" = String, Path), ViewQuery), responses((status = 200, description = "The photo", content_type = "image/jpeg")))]
pub async fn view(
    State(state): State<AppState>,
    caller: Caller,
    Path(hash): Path<String>,
    Query(query): Query<ViewQuery>,
) -> Result<Response, ApiError> {
    checked_hash(&hash)?;
    let visible = state.db.record(query.record).await?.is_some_and(|record| {
        visibility(&caller.info).includes(&record.team)
            && record_photos(&record)
                .iter()
                .any(|photo| photo.hash == hash)
    });
    let bytes = match visible {
        true => state.photos.read(&hash).await?,
        false => None,
    };
    Ok(match bytes {
        Some(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg")),
                // Named by its content: it never changes, but only this user may keep it.
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, max-age=31536000, immutable"),
                ),
            ],
            bytes,
        )
            .into_response(),
        // The same answer as for a photo that does not exist: it tells nobody it does.
        None => ApiError::NotFound.into_response(),
    })
}
