//! Table tests of the photo rules: references, resizing, and resumable upload steps.

use super::*;
use crate::hlc::Hlc;
use crate::record::{Receipt, RecordType, apply};
use crate::sync::{Change, Op};
use chrono::TimeZone;
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;
use uuid::Uuid;

const HASH_A: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const HASH_B: &str = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

#[test]
fn photo_lists_are_read_and_checked() {
    let photo = |hash: &str, bytes: u64| json!({ "hash": hash, "bytes": bytes });
    let too_many: Vec<Value> = (0..=MAX_PHOTOS).map(|_| photo(HASH_A, 10)).collect();
    let table: Vec<(Option<Value>, Result<usize, PhotoProblem>)> = vec![
        (None, Ok(0)),
        (Some(Value::Null), Ok(0)),
        (Some(json!([])), Ok(0)),
        (
            Some(json!([photo(HASH_A, 1), photo(HASH_B, MAX_PHOTO_BYTES)])),
            Ok(2),
        ),
        (
            Some(json!([photo(HASH_A, MAX_PHOTO_BYTES + 1)])),
            Err(PhotoProblem::TooLarge),
        ),
        (Some(json!([photo(HASH_A, 0)])), Err(PhotoProblem::Invalid)),
        (
            Some(json!([photo(&HASH_A.to_uppercase(), 5)])),
            Err(PhotoProblem::Invalid),
        ),
        (
            Some(json!([photo(&HASH_A[1..], 5)])),
            Err(PhotoProblem::Invalid),
        ),
        (
            Some(json!([photo("../../etc/passwd", 5)])),
            Err(PhotoProblem::Invalid),
        ),
        (
            Some(json!([{ "hash": HASH_A }])),
            Err(PhotoProblem::Invalid),
        ),
        (
            Some(json!([{ "hash": HASH_A, "bytes": 5, "url": "x" }])),
            Err(PhotoProblem::Invalid),
        ),
        (Some(json!("photo.jpg")), Err(PhotoProblem::Invalid)),
        (Some(Value::Array(too_many)), Err(PhotoProblem::TooMany)),
    ];
    for (value, expected) in table {
        assert_eq!(
            parse_photos(value.as_ref()).map(|photos| photos.len()),
            expected,
            "{value:?}"
        );
    }
}

fn change(op: Op) -> Change {
    Change {
        change_id: Uuid::from_u128(1),
        device: Uuid::from_u128(2),
        stamp: Hlc::new(1_000, 0),
        record_type: RecordType::Case,
        record_id: Uuid::from_u128(3),
        op,
    }
}

#[test]
fn a_record_lists_each_of_its_photos_once() {
    let at = chrono::Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    let receipt = |n: u128, op: Op| Receipt {
        change: Change {
            change_id: Uuid::from_u128(n),
            stamp: Hlc::new(1_000 + n as i64, 0),
            ..change(op)
        },
        by: "packer".into(),
        team: "east".into(),
        at,
    };
    let a = json!({ "hash": HASH_A, "bytes": 10 });
    let b = json!({ "hash": HASH_B, "bytes": 20 });
    let record = apply(
        None,
        &receipt(
            1,
            Op::Create {
                fields: BTreeMap::from([(PHOTOS.to_owned(), json!([a]))]),
            },
        ),
    );
    let record = apply(
        Some(record),
        &receipt(
            2,
            Op::Append {
                event: Uuid::from_u128(20),
                kind: "inspection".into(),
                data: json!({ "photos": [a, b] }),
            },
        ),
    );
    let hashes: Vec<String> = record_photos(&record)
        .into_iter()
        .map(|photo| photo.hash)
        .collect();
    assert_eq!(hashes, [HASH_A, HASH_B]);
}

#[test]
fn photos_shrink_to_fit_and_are_never_enlarged() {
    let table = [
        ((4000, 3000), (1600, 1200)),
        ((3000, 4000), (1200, 1600)),
        ((1600, 900), (1600, 900)),
        ((800, 600), (800, 600)),
        ((1601, 1601), (1600, 1600)),
        ((16000, 10), (1600, 1)),
        ((0, 0), (0, 0)),
    ];
    for ((width, height), expected) in table {
        assert_eq!(
            fit_within(width, height, LONGEST_SIDE_PX),
            expected,
            "{width}×{height}"
        );
    }
}

#[test]
fn chunks_follow_on_from_what_the_server_holds() {
    let chunk = UPLOAD_CHUNK_BYTES;
    let table = [
        (10, 0, 0..10),
        (chunk * 2 + 5, 0, 0..chunk),
        (chunk * 2 + 5, chunk * 2, chunk * 2..chunk * 2 + 5),
        // Every byte held, the photo not stored: the empty chunk that finishes it.
        (chunk * 2 + 5, chunk * 2 + 5, chunk * 2 + 5..chunk * 2 + 5),
    ];
    for (size, received, expected) in table {
        assert_eq!(next_chunk(size, received), expected, "{size} {received}");
    }
    let checks = [
        (100, 0, 0, 50, Ok(())),
        (100, 50, 50, 50, Ok(())),
        (100, 50, 0, 50, Err(PhotoProblem::OutOfOrder)),
        (100, 50, 60, 10, Err(PhotoProblem::OutOfOrder)),
        (100, 50, 50, 51, Err(PhotoProblem::OutOfOrder)),
        (100, 0, 0, 0, Err(PhotoProblem::OutOfOrder)),
        (100, 50, 50, 0, Err(PhotoProblem::OutOfOrder)),
        (100, 100, 100, 0, Ok(())),
        (100, 100, 90, 10, Err(PhotoProblem::OutOfOrder)),
        (0, 0, 0, 0, Err(PhotoProblem::TooLarge)),
        (MAX_PHOTO_BYTES + 1, 0, 0, 10, Err(PhotoProblem::TooLarge)),
    ];
    for (size, stored, offset, len, expected) in checks {
        assert_eq!(
            check_chunk(size, stored, offset, &chunk_of(offset, len)),
            expected,
            "{size} {stored} {offset} {len}"
        );
    }
}

/// `len` bytes of a JPEG's upload from `offset`: the first chunk opens as a JPEG does.
fn chunk_of(offset: u64, len: u64) -> Vec<u8> {
    let mut bytes = vec![0x42; len as usize];
    if offset == 0 {
        let start = JPEG_START.len().min(bytes.len());
        bytes[..start].copy_from_slice(&JPEG_START[..start]);
    }
    bytes
}

#[test]
fn only_jpeg_bytes_are_taken_whatever_the_request_claims() {
    let png = b"\x89PNG\r\n\x1a\n rest of a png".to_vec();
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    let first_chunks: [(&[u8], Result<(), PhotoProblem>); 5] = [
        (&chunk_of(0, 50), Ok(())),
        (&png, Err(PhotoProblem::NotAJpeg)),
        (&html, Err(PhotoProblem::NotAJpeg)),
        // Too short to open as a JPEG: a device never sends a first chunk this small.
        (&JPEG_START[..2], Err(PhotoProblem::NotAJpeg)),
        (&[0xFF, 0xD8, 0x00, 0x00], Err(PhotoProblem::NotAJpeg)),
    ];
    for (chunk, expected) in first_chunks {
        assert_eq!(check_chunk(100, 0, 0, chunk), expected, "{chunk:?}");
    }
    // A later chunk is not sniffed: the upload's start was.
    assert_eq!(check_chunk(100, 50, 50, &html), Ok(()));

    let whole = [JPEG_START.as_slice(), b"pixels", &JPEG_END].concat();
    let markers_only = [JPEG_START.as_slice(), &JPEG_END].concat();
    let wholes: [(&[u8], bool); 6] = [
        (&whole, true),
        (&markers_only, true),
        (&whole[..whole.len() - 1], false),
        (&whole[1..], false),
        (&[0xFF, 0xD8, 0xFF, 0xD9], false),
        (&html, false),
    ];
    for (bytes, expected) in wholes {
        assert_eq!(is_whole_jpeg(bytes), expected, "{bytes:?}");
    }
}

proptest! {
    /// However an upload is cut short, resuming from what the server reports sends every byte
    /// exactly once, in order, and each chunk passes the server's check.
    #[test]
    fn resumed_uploads_send_every_byte_once(
        size in 1u64..(UPLOAD_CHUNK_BYTES * 5),
        cuts in proptest::collection::vec(any::<bool>(), 0..20),
    ) {
        let mut received = 0;
        let mut sent = 0;
        let mut cuts = cuts.into_iter();
        while received < size {
            let range = next_chunk(size, received);
            prop_assert!(check_chunk(size, received, range.start, &chunk_of(range.start, range.end - range.start)).is_ok());
            // A cut loses the chunk in flight; the device asks again and resumes.
            if cuts.next().unwrap_or(false) {
                continue;
            }
            sent += range.end - range.start;
            received = range.end;
        }
        prop_assert_eq!(sent, size);
        // Stopped after the last byte but before storing the photo, the server is asked to
        // finish with an empty chunk it accepts.
        let finish = next_chunk(size, received);
        prop_assert!(finish.is_empty());
        prop_assert!(check_chunk(size, received, finish.start, &[]).is_ok());
    }

    #[test]
    fn a_fitted_photo_fits_and_keeps_its_proportions(width in 1u32..20_000, height in 1u32..20_000) {
        let (w, h) = fit_within(width, height, LONGEST_SIDE_PX);
        let long = width.max(height);
        prop_assert_eq!(w.max(h), long.min(LONGEST_SIDE_PX));
        prop_assert!(w >= 1 && h >= 1);
        // Rounding to whole pixels moves each side by at most half a pixel of the exact scale.
        let exact = |side: u32| f64::from(side) * f64::from(w.max(h)) / f64::from(long);
        prop_assert!((f64::from(w) - exact(width)).abs() <= 0.5 || w == 1);
        prop_assert!((f64::from(h) - exact(height)).abs() <= 0.5 || h == 1);
    }
}
