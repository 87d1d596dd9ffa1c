//! Photos through the router: chunked uploads that resume and are stored once (also when the
//! server stopped between an upload's last byte and storing it), a change that
//! waits for its photo, and photos served only through a record the caller may see.

use crate::common::{Api, add_note, change, create_case, on_both_backends, photo_bytes};
use axum::http::StatusCode;
use kefu_core::kinds::case::Case;
use kefu_core::kinds::case::returns::{
    Inspection, InspectionDecision, ItemCondition, find_open_return,
};
use kefu_core::photo::{PhotoRef, UPLOAD_CHUNK_BYTES, record_photos};
use kefu_core::sync::{Op, Outcome};
use kefu_server::demo::{DEMO_RETURN_TRACKING, DEMO_USERNAME};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::Path;
use uuid::Uuid;

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|entry| match entry.path() {
            path if path.is_dir() => files_under(&path),
            path => vec![path],
        })
        .collect()
}

fn inspection_with(photos: Vec<PhotoRef>) -> Inspection {
    Inspection {
        tracking: DEMO_RETURN_TRACKING.into(),
        tracking_matches: true,
        items_match: true,
        original_packaging: true,
        tags_intact: true,
        condition: ItemCondition::AsNew,
        note: String::new(),
        decision: InspectionDecision::AcceptRefund,
        supplier: "杭州茶厂".into(),
        style_code: "TG-01".into(),
        photos,
        other_checks: Default::default(),
    }
}

on_both_backends! {
    async fn uploads_resume_and_store_each_photo_once(db: TestDb) {
        let api = Api::new(&db);
        let packer = api.sign_in("packer").await;
        let demo = api.sign_in(DEMO_USERNAME).await;
        let bytes = photo_bytes(1, (UPLOAD_CHUNK_BYTES * 2 + 100) as usize);
        let hash = hex::encode(Sha256::digest(&bytes));
        let size = bytes.len() as u64;
        let chunk = UPLOAD_CHUNK_BYTES as usize;
        let status = |body: serde_json::Value| (body["received"].as_u64(), body["complete"].as_bool());

        // The first chunk arrives; then the connection drops.
        let (code, body) = api.put_chunk(&packer, &hash, size, 0, &bytes[..chunk]).await;
        assert_eq!((code, status(body)), (StatusCode::OK, (Some(chunk as u64), Some(false))));
        let (code, body) = api.call(Api::request("GET", &format!("/api/photos/{hash}/upload"), Some(&packer), json!(null))).await;
        assert_eq!((code, status(body)), (StatusCode::OK, (Some(chunk as u64), Some(false))));
        // A retried first chunk (its answer was lost) is refused with where to resume.
        let (code, body) = api.put_chunk(&packer, &hash, size, 0, &bytes[..chunk]).await;
        assert_eq!((code, body["received"].as_u64()), (StatusCode::CONFLICT, Some(chunk as u64)));
        // Resumed from there, it completes.
        let (code, body) = api.put_chunk(&packer, &hash, size, chunk as u64, &bytes[chunk..chunk * 2]).await;
        assert_eq!((code, status(body)), (StatusCode::OK, (Some(2 * chunk as u64), Some(false))));
        let (code, body) = api.put_chunk(&packer, &hash, size, 2 * chunk as u64, &bytes[chunk * 2..]).await;
        assert_eq!((code, status(body)), (StatusCode::OK, (Some(size), Some(true))));
        // Another device sends the same photo: it is stored already, once.
        let (code, body) = api.put_chunk(&demo, &hash, size, 0, &bytes[..chunk]).await;
        assert_eq!((code, status(body)), (StatusCode::OK, (Some(size), Some(true))));
        let stored = files_under(&db.dir.path().join("photos"));
        assert_eq!(stored.len(), 1, "{stored:?}");
        assert_eq!(std::fs::read(&stored[0]).unwrap(), bytes);

        // Bytes that do not hash to their name are dropped, not stored.
        let other = photo_bytes(2, 500);
        let (code, _) = api.put_chunk(&packer, &"0".repeat(64), 500, 0, &other).await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(files_under(&db.dir.path().join("photos")).len(), 1);
        // A name that is not a hash never reaches the disk; nobody uploads without a session.
        let (code, _) = api.put_chunk(&packer, "..%2F..%2Fkefu.db", 500, 0, &other).await;
        assert_eq!(code, StatusCode::BAD_REQUEST);
        let (code, _) = api.put_chunk("not-a-token", &hash, size, 0, &bytes[..chunk]).await;
        assert_eq!(code, StatusCode::UNAUTHORIZED);
    }

    async fn an_upload_stopped_before_its_photo_was_stored_is_finished_by_an_empty_chunk(db: TestDb) {
        let api = Api::new(&db);
        let packer = api.sign_in("packer").await;
        let status = |body: serde_json::Value| (body["received"].as_u64(), body["complete"].as_bool());
        let photos = db.dir.path().join("photos");
        let partial = photos.join("partial");
        std::fs::create_dir_all(&partial).unwrap();
        // The server was stopped after writing a photo's last chunk, before storing it: it
        // holds every byte, and says so.
        let bytes = photo_bytes(3, 1_000);
        let hash = hex::encode(Sha256::digest(&bytes));
        let size = bytes.len() as u64;
        std::fs::write(partial.join(&hash), &bytes).unwrap();
        let upload = format!("/api/photos/{hash}/upload");
        let (code, body) = api.call(Api::request("GET", &upload, Some(&packer), json!(null))).await;
        assert_eq!((code, status(body)), (StatusCode::OK, (Some(size), Some(false))));
        // The device's next chunk is the empty one at the end: the photo is checked and stored.
        let (code, body) = api.put_chunk(&packer, &hash, size, size, &[]).await;
        assert_eq!((code, status(body)), (StatusCode::OK, (Some(size), Some(true))));
        let stored = files_under(&photos);
        assert_eq!(stored.len(), 1, "{stored:?}");
        assert_eq!(std::fs::read(&stored[0]).unwrap(), bytes);

        // An empty chunk before the end is refused with where to resume.
        let half = photo_bytes(4, 800);
        let half_hash = hex::encode(Sha256::digest(&half));
        std::fs::write(partial.join(&half_hash), &half[..400]).unwrap();
        let (code, body) = api.put_chunk(&packer, &half_hash, 800, 400, &[]).await;
        assert_eq!((code, body["received"].as_u64()), (StatusCode::CONFLICT, Some(400)));
        // Held bytes that do not hash to their name are dropped, not stored.
        let wrong_hash = hex::encode(Sha256::digest(b"another photo"));
        std::fs::write(partial.join(&wrong_hash), &half).unwrap();
        let (code, _) = api.put_chunk(&packer, &wrong_hash, 800, 800, &[]).await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!partial.join(&wrong_hash).exists());
        // A part longer than the photo (a request claimed a larger one) is dropped, and the
        // device starts over rather than asking for ever.
        let long_hash = hex::encode(Sha256::digest(b"a longer claim"));
        std::fs::write(partial.join(&long_hash), photo_bytes(5, 900)).unwrap();
        let (code, body) = api.put_chunk(&packer, &long_hash, 800, 800, &[]).await;
        assert_eq!((code, body["received"].as_u64()), (StatusCode::CONFLICT, Some(0)));
        assert!(!partial.join(&long_hash).exists());
        assert_eq!(files_under(&photos).len(), 2, "the stored photo and the half part");
    }

    async fn only_jpeg_bytes_are_stored_whatever_the_request_claims(db: TestDb) {
        let api = Api::new(&db);
        let packer = api.sign_in("packer").await;
        let photos = db.dir.path().join("photos");
        // A page saved under a photo's name: refused at its first chunk, nothing written.
        let page = b"<html><script>alert(1)</script></html>".to_vec();
        let page_hash = hex::encode(Sha256::digest(&page));
        let (code, body) = api.put_chunk(&packer, &page_hash, page.len() as u64, 0, &page).await;
        assert_eq!((code, body["code"].as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("photo")));
        assert!(body["message"]["zh"].as_str().unwrap().contains("JPEG"), "{body}");
        assert!(files_under(&photos).is_empty(), "{:?}", files_under(&photos));
        // Opens like a JPEG but is not one whole: refused once every byte is in, and dropped.
        let mut cut = photo_bytes(6, 700);
        cut.truncate(600);
        let cut_hash = hex::encode(Sha256::digest(&cut));
        let (code, body) = api.put_chunk(&packer, &cut_hash, 600, 0, &cut).await;
        assert_eq!((code, body["received"].as_u64()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some(0)));
        assert!(files_under(&photos).is_empty(), "{:?}", files_under(&photos));
        // The same upload of a whole JPEG is stored.
        let whole = photo_bytes(6, 700);
        let whole_hash = hex::encode(Sha256::digest(&whole));
        let (code, body) = api.put_chunk(&packer, &whole_hash, 700, 0, &whole).await;
        assert_eq!((code, body["complete"].as_bool()), (StatusCode::OK, Some(true)));
        assert_eq!(files_under(&photos).len(), 1);
    }

    async fn photos_are_served_only_through_visible_records(db: TestDb) {
        let api = Api::new(&db);
        let packer = api.sign_in("packer").await;
        let demo = api.sign_in(DEMO_USERNAME).await;
        let west = api.sign_in("west").await;
        let (records, _) = api.pull_all(&packer, None).await;
        let cases: Vec<Case> = records.iter().filter_map(Case::from_record).collect();
        let id = find_open_return(&cases, DEMO_RETURN_TRACKING).expect("the demo return").id;
        let bytes = photo_bytes(3, 3000);
        let photo = PhotoRef { hash: hex::encode(Sha256::digest(&bytes)), bytes: 3000 };
        let inspect = change(id, Op::Append {
            event: Uuid::now_v7(),
            kind: kefu_core::kinds::case::returns::event::INSPECTION.into(),
            data: json!(inspection_with(vec![photo.clone()])),
        });
        // Sent before its photo: it waits, and is not applied pointing at nothing.
        let early = api.push(&packer, std::slice::from_ref(&inspect)).await;
        assert!(matches!(&early[0], Outcome::Waiting { reason } if reason.zh.contains("照片")), "{early:?}");
        assert!(record_photos(&api.record(&demo, id).await.unwrap()).is_empty());
        assert_eq!(api.upload_photo(&packer, &bytes).await, photo);
        assert_eq!(api.push(&packer, &[inspect]).await, [Outcome::Applied]);

        // The east team sees the case, so its agent sees the photo.
        assert_eq!(api.view_photo(Some(&demo), &photo.hash, id).await, (StatusCode::OK, bytes.clone()));
        // Another team's agent does not, however the photo is asked for.
        let (code, body) = api.view_photo(Some(&west), &photo.hash, id).await;
        assert_eq!(code, StatusCode::NOT_FOUND);
        // Told apart from a photo that does not exist by nothing.
        let nowhere = hex::encode(Sha256::digest(b"no such photo"));
        assert_eq!(api.view_photo(Some(&west), &nowhere, id).await, (code, body));
        let (west_case, create_west) = create_case("西区的案件");
        assert_eq!(api.push(&west, &[create_west, add_note(west_case, "无照片")]).await, [Outcome::Applied, Outcome::Applied]);
        assert_eq!(api.view_photo(Some(&west), &photo.hash, west_case).await.0, StatusCode::NOT_FOUND);
        // Nor through a visible record that does not name it, nor without a session.
        let (east_case, create_east) = create_case("东区另一案件");
        assert_eq!(api.push(&demo, &[create_east]).await, [Outcome::Applied]);
        assert_eq!(api.view_photo(Some(&demo), &photo.hash, east_case).await.0, StatusCode::NOT_FOUND);
        assert_eq!(api.view_photo(None, &photo.hash, id).await.0, StatusCode::UNAUTHORIZED);
    }
}
