//! Photos (SPEC §3: the parcel, the items, the waybill): what a record holds of one (its
//! SHA-256 and size, never the bytes), the limits both sides check, how a device shrinks one
//! before storing it, and how an upload resumes. The bytes travel apart from the sync
//! changes, by content hash, so a photo is stored once however often it is sent; a change that
//! names a photo is pushed, and applied, only once the server holds that photo.

use crate::input::InputError;
use crate::record::Record;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::ops::Range;

/// The field, or event data member, that lists a record's photos.
pub const PHOTOS: &str = "photos";
/// Longest side of a stored photo, in pixels: the waybill's small print stays readable, and a
/// phone's 12-megapixel shot shrinks from ~4 MB to ~300 KB before it crosses weak Wi-Fi.
pub const LONGEST_SIDE_PX: u32 = 1600;
/// JPEG quality the device encodes with.
pub const JPEG_QUALITY: f64 = 0.85;
/// Largest photo the server takes: a 1600 px JPEG of a busy scene is under 1 MB.
pub const MAX_PHOTO_BYTES: u64 = 4 * 1024 * 1024;
/// Most photos one change may name.
pub const MAX_PHOTOS: usize = 12;
/// How every JPEG opens: the start-of-image marker and the lead byte of the next marker. The
/// device only ever stores JPEGs its canvas encoded, so the server takes nothing else, whatever
/// a request claims: the type is read from the bytes, never from a name or a header.
pub const JPEG_START: [u8; 3] = [0xFF, 0xD8, 0xFF];
/// How every whole JPEG ends: the end-of-image marker.
pub const JPEG_END: [u8; 2] = [0xFF, 0xD9];
/// Bytes sent per upload request: an interruption costs at most this much again, and the
/// progress bar moves on a slow link.
pub const UPLOAD_CHUNK_BYTES: u64 = 64 * 1024;

/// A photo as a record refers to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhotoRef {
    /// SHA-256 of the JPEG bytes, 64 lowercase hex digits.
    pub hash: String,
    pub bytes: u64,
}

/// What the server holds of a photo being uploaded: the answer to a status request and to
/// every chunk, so a device resumes from `received` after any interruption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadStatus {
    pub received: u64,
    /// The whole photo is stored and its hash checked.
    pub complete: bool,
}

/// Why a photo reference, or an upload, is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoProblem {
    /// Not a list of `{hash, bytes}`, or a hash that is not SHA-256 hex.
    Invalid,
    TooLarge,
    TooMany,
    /// The bytes received do not hash to the name they were sent under.
    HashMismatch,
    /// An upload chunk that does not start where the stored part ends, or runs past the size.
    OutOfOrder,
    /// Bytes that are not a whole JPEG (read from the bytes: [`JPEG_START`], [`JPEG_END`]).
    NotAJpeg,
}

impl PhotoProblem {
    pub fn message(self) -> crate::lang::Bilingual {
        use crate::lang::Bilingual;
        match self {
            PhotoProblem::Invalid => InputError::PhotosInvalid.message(),
            PhotoProblem::TooLarge => Bilingual::new(
                format!("照片不能超过 {} MB", MAX_PHOTO_BYTES / 1024 / 1024),
                format!(
                    "A photo can be at most {} MB",
                    MAX_PHOTO_BYTES / 1024 / 1024
                ),
            ),
            PhotoProblem::TooMany => Bilingual::new(
                format!("一次最多 {MAX_PHOTOS} 张照片"),
                format!("At most {MAX_PHOTOS} photos at a time"),
            ),
            PhotoProblem::HashMismatch => Bilingual::new(
                "照片传输出错，将重新上传",
                "The photo arrived damaged and will be sent again",
            ),
            PhotoProblem::OutOfOrder => Bilingual::new(
                "照片上传位置不对，将从断点继续",
                "The upload is out of step and will resume where the server stopped",
            ),
            PhotoProblem::NotAJpeg => Bilingual::new(
                "这不是 JPEG 照片，服务器不接收",
                "This is not a JPEG photo; the server does not take it",
            ),
        }
    }
}

pub fn is_photo_hash(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
}

/// Reads a `photos` value: a missing or null one is no photos.
pub fn parse_photos(value: Option<&Value>) -> Result<Vec<PhotoRef>, PhotoProblem> {
    let photos: Vec<PhotoRef> = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(value) => serde_json::from_value(value.clone()).map_err(|_| PhotoProblem::Invalid)?,
    };
    if photos.len() > MAX_PHOTOS {
        return Err(PhotoProblem::TooMany);
    }
    for photo in &photos {
        if !is_photo_hash(&photo.hash) || photo.bytes == 0 {
            return Err(PhotoProblem::Invalid);
        }
        if photo.bytes > MAX_PHOTO_BYTES {
            return Err(PhotoProblem::TooLarge);
        }
    }
    Ok(photos)
}

/// Every photo a record holds, in its `photos` field and its events', each once. Whoever may
/// see the record may see these, and no others through it.
pub fn record_photos(record: &Record) -> Vec<PhotoRef> {
    let mut photos: Vec<PhotoRef> = parse_photos(record.value(PHOTOS)).unwrap_or_default();
    for event in &record.events {
        for photo in parse_photos(event.data.get(PHOTOS)).unwrap_or_default() {
            if !photos.contains(&photo) {
                photos.push(photo);
            }
        }
    }
    photos
}

/// The size a `width`×`height` image is stored at: shrunk, never enlarged, to fit
/// [`LONGEST_SIDE_PX`], keeping its proportions (each side at least 1 px).
pub fn fit_within(width: u32, height: u32, longest: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= longest || long == 0 {
        return (width, height);
    }
    let scale = |side: u32| {
        ((u64::from(side) * u64::from(longest) + u64::from(long) / 2) / u64::from(long)).max(1)
            as u32
    };
    (scale(width), scale(height))
}

/// The next chunk to send of a photo of `size` bytes that the server has not stored yet,
/// when it holds the first `received`: the bytes after those, or, when it holds them all (it
/// was stopped between writing the last chunk and storing the photo), an empty chunk at the
/// end, which asks it to check and store what it holds.
pub fn next_chunk(size: u64, received: u64) -> Range<u64> {
    let start = received.min(size);
    start..(start + UPLOAD_CHUNK_BYTES).min(size)
}

/// Whether an upload `chunk` at `offset` continues a stored part of `stored` bytes of a photo
/// of `size`. An empty chunk only finishes a part that holds every byte; the first chunk must
/// open as a JPEG does, so nothing else is written to the disk at all.
pub fn check_chunk(size: u64, stored: u64, offset: u64, chunk: &[u8]) -> Result<(), PhotoProblem> {
    let len = chunk.len() as u64;
    if size == 0 || size > MAX_PHOTO_BYTES {
        return Err(PhotoProblem::TooLarge);
    }
    if offset != stored || offset + len > size || (len == 0 && offset != size) {
        return Err(PhotoProblem::OutOfOrder);
    }
    if offset == 0 && !chunk.starts_with(&JPEG_START) {
        return Err(PhotoProblem::NotAJpeg);
    }
    Ok(())
}

/// Whether a whole upload is a JPEG: it opens and ends with its markers. Checked once every
/// byte is held, beside the hash, before the photo is stored.
pub fn is_whole_jpeg(bytes: &[u8]) -> bool {
    bytes.len() >= JPEG_START.len() + JPEG_END.len()
        && bytes.starts_with(&JPEG_START)
        && bytes.ends_with(&JPEG_END)
}

#[cfg(test)]
mod tests;
