//! After a restore from backup (issue 29), called on the API directly: a pull of the new epoch
//! starts every old cursor over, and `/api/sync/recover` takes back only what every rule of
//! `kefu_core::recovery` allows, refusing each wrong sender. The backup and restore commands
//! themselves, on a SQLite database: the copy lacks what came after it and is marked restored.

use crate::common::{Api, TestDb, add_note, create_case, on_both_backends};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use kefu_core::policy::{POLICY_DATA_FIELD, POLICY_RECORD_ID};
use kefu_core::record::SHARED_TEAM;
use kefu_core::record::{Receipt, RecordType};
use kefu_core::recovery::{RecoverRequest, RecoveryRefused, held_receipts};
use kefu_core::sync::{
    Change, ChangeOutcome, EPOCH_HEADER, Op, Outcome, PROTOCOL_HEADER, PROTOCOL_VERSION,
    PushResponse,
};
use kefu_server::backup::{self, BackupError};
use kefu_server::demo::DEMO_USERNAME;
use kefu_server::photos::DirPhotoStore;
use kefu_server::{AppState, db, router};
use serde_json::{Value, json};
use std::sync::Arc;
use uuid::Uuid;

/// A note on `record_id` the server never received, as a device would hold it: by `by`, in
/// `team`, received at `at`.
fn lost_note(record_id: Uuid, by: &str, team: &str, at: chrono::DateTime<Utc>) -> Receipt {
    let note = add_note(record_id, &format!("恢复的备注 {}", Uuid::now_v7()));
    Receipt {
        change: note,
        by: by.into(),
        team: team.into(),
        at,
    }
}

async fn send_back(api: &Api, token: Option<&str>, receipts: &[Receipt]) -> (StatusCode, Value) {
    let request = RecoverRequest {
        receipts: receipts.to_vec(),
    };
    api.call(Api::request(
        "POST",
        "/api/sync/recover",
        token,
        serde_json::to_value(request).unwrap(),
    ))
    .await
}

async fn outcomes(api: &Api, token: &str, receipts: &[Receipt]) -> Vec<Outcome> {
    let (status, body) = send_back(api, Some(token), receipts).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer: PushResponse = serde_json::from_value(body).expect("answers");
    let answers: Vec<ChangeOutcome> = answer.outcomes;
    receipts
        .iter()
        .map(|receipt| {
            answers
                .iter()
                .find(|answer| answer.change_id == receipt.change.change_id)
                .expect("every receipt answered")
                .outcome
                .clone()
        })
        .collect()
}

fn refused(why: RecoveryRefused) -> Outcome {
    Outcome::Rejected {
        reason: why.message(),
    }
}

/// The same database and photos, served afresh: a server started again after a restore.
fn started_again(db: &TestDb) -> Api {
    Api {
        app: router(
            AppState::new(db.state.db.clone(), db.state.photos.clone()),
            None,
        ),
    }
}

on_both_backends! {
    async fn only_what_every_rule_allows_is_taken_back(db: TestDb) {
        let api = Api::new(&db);
        let agent = api.sign_in(DEMO_USERNAME).await;
        let (case, create) = create_case("恢复测试");
        assert_eq!(api.push(&agent, &[create]).await, [Outcome::Applied]);
        let first = api.pull_page(&agent, None, 1000).await;
        assert!(!first.epoch.is_empty());
        let before = Utc::now() - Duration::minutes(1);

        // A server never restored takes nothing back.
        let never = lost_note(case, DEMO_USERNAME, "east", before);
        assert_eq!(
            outcomes(&api, &agent, std::slice::from_ref(&never)).await,
            [refused(RecoveryRefused::NotRestored)]
        );

        db.state.db.new_epoch(Utc::now()).await.unwrap();
        let api = started_again(&db);
        let (lead, west, admin) = (
            api.sign_in("lead").await,
            api.sign_in("west").await,
            api.sign_in("admin").await,
        );
        // The new epoch is in every page, and an old cursor starts the feed over.
        let again = api.pull_page(&agent, Some(&first.cursor), 1000).await;
        assert_ne!(again.epoch, first.epoch);
        assert!(again.records.iter().any(|record| record.id == case));

        let lost = lost_note(case, DEMO_USERNAME, "east", before);
        let late = lost_note(case, DEMO_USERNAME, "east", Utc::now() + Duration::minutes(1));
        let nobody = lost_note(case, "nobody", "east", before);
        let claimed_west = lost_note(case, "west", "west", before);
        // A device of another team cannot put anything into this team's records.
        assert_eq!(
            outcomes(&api, &west, std::slice::from_ref(&lost)).await,
            [refused(RecoveryRefused::OtherTeam)]
        );
        // Nor anyone into another team than the stored record's.
        assert_eq!(
            outcomes(&api, &admin, std::slice::from_ref(&claimed_west)).await,
            [refused(RecoveryRefused::OtherTeam)]
        );
        assert_eq!(
            outcomes(&api, &lead, &[late, nobody, lost.clone()]).await,
            [
                refused(RecoveryRefused::AfterRestore),
                refused(RecoveryRefused::UnknownAuthor),
                Outcome::Applied,
            ]
        );
        assert_eq!(outcomes(&api, &lead, std::slice::from_ref(&lost)).await, [Outcome::Duplicate]);
        // Taken back as it was: its author and time, not the sender's.
        let stored = api.record(&agent, case).await.unwrap();
        let note = stored
            .events
            .iter()
            .find(|event| event.origin.change == lost.change.change_id)
            .expect("the note is back");
        assert_eq!(note.origin.by, DEMO_USERNAME);
        assert_eq!(note.origin.at, lost.at);
        // What the case held already changes nothing.
        let held = held_receipts(&stored);
        assert!(outcomes(&api, &agent, &held).await.iter().all(|outcome| *outcome == Outcome::Duplicate));

        // Nobody puts back what they could not have written: an agent, a policy edit in the
        // admin's name; anyone, a change sent twice in one request.
        let forged_policy = Receipt {
            change: Change {
                record_type: RecordType::Policy,
                record_id: POLICY_RECORD_ID,
                ..add_note(POLICY_RECORD_ID, "x")
            },
            by: "admin".into(),
            team: SHARED_TEAM.into(),
            at: before,
        };
        let forged_policy = Receipt {
            change: Change {
                op: Op::Set {
                    field: POLICY_DATA_FIELD.into(),
                    value: json!({}),
                    supersedes: vec![],
                },
                ..forged_policy.change
            },
            ..forged_policy
        };
        let answered = outcomes(&api, &agent, std::slice::from_ref(&forged_policy)).await;
        assert!(
            matches!(&answered[..], [Outcome::Rejected { .. }]),
            "{answered:?}"
        );
        let twice = lost_note(case, DEMO_USERNAME, "east", before);
        let (status, body) = send_back(&api, Some(&lead), &[twice.clone(), twice]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

        // A push from a device whose records came from before the restore is told so.
        let request = axum::http::Request::builder()
            .method("POST")
            .uri("/api/sync/push")
            .header("content-type", "application/json")
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .header(EPOCH_HEADER, first.epoch.as_str())
            .header("authorization", format!("Bearer {agent}"))
            .body(axum::body::Body::from(json!({ "changes": [] }).to_string()))
            .unwrap();
        let (status, body) = api.call(request).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["code"], "restored");

        let (status, body) = send_back(&api, None, &[lost]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        let (status, body) = api
            .call(Api::request("POST", "/api/sync/recover", Some(&agent), json!({ "receipts": "x" })))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["code"], "invalid_body");
    }
}

#[tokio::test]
async fn a_restored_copy_lacks_what_came_after_the_backup_and_is_marked_restored() {
    let db = crate::common::seeded_db(crate::common::Backend::Sqlite)
        .await
        .unwrap();
    let api = Api::new(&db);
    let agent = api.sign_in(DEMO_USERNAME).await;
    let (kept, create_kept) = create_case("备份前");
    assert_eq!(api.push(&agent, &[create_kept]).await, [Outcome::Applied]);
    let photo = api
        .upload_photo(&agent, &crate::common::photo_bytes(9, 3000))
        .await;

    let url = format!("sqlite://{}", db.dir.path().join("kefu.db").display());
    let photos = db.dir.path().join("photos");
    let backup_dir = db.dir.path().join("backup");
    let copied = backup::backup(&url, &photos, &backup_dir).await.unwrap();
    assert_eq!(copied.photos, 1);
    let (later, create_later) = create_case("备份后");
    assert_eq!(api.push(&agent, &[create_later]).await, [Outcome::Applied]);

    // Into a second place, over a database that was there: it is moved aside, not deleted.
    let restored_file = db.dir.path().join("restored.db");
    std::fs::write(&restored_file, b"the database before the restore").unwrap();
    std::fs::write(db.dir.path().join("restored.db-wal"), b"its log").unwrap();
    let restored_url = format!("sqlite://{}", restored_file.display());
    let restored_photos = db.dir.path().join("restored-photos");
    let (copied, epoch) = backup::restore(&restored_url, &restored_photos, &backup_dir)
        .await
        .unwrap();
    assert_eq!(copied.photos, 1);
    assert!(epoch.restored_at.is_some());
    let aside: Vec<String> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("restored.db.before-restore-"))
        .collect();
    assert_eq!(
        aside.len(),
        2,
        "the database and its log, moved aside: {aside:?}"
    );
    let restored = db::connect(&restored_url).await.unwrap();
    assert_eq!(restored.epoch().await.unwrap(), epoch);
    assert_ne!(
        restored.epoch().await.unwrap().id,
        db.state.db.epoch().await.unwrap().id
    );
    assert!(restored.record(kept).await.unwrap().is_some());
    assert!(restored.record(later).await.unwrap().is_none());
    let api = Api {
        app: router(
            AppState::new(restored, Arc::new(DirPhotoStore::new(&restored_photos))),
            None,
        ),
    };
    let photo_file = restored_photos
        .join(&photo.hash[..2])
        .join(format!("{}.jpg", photo.hash));
    assert!(
        photo_file.is_file(),
        "the photo came back with the database"
    );
    assert_eq!(
        api.record(&agent, kept)
            .await
            .map(|record| record.record_type),
        Some(RecordType::Case)
    );

    // What the commands refuse, in words.
    fn refusal<T: std::fmt::Debug>(result: Result<T, BackupError>) -> String {
        match result {
            Err(BackupError::Refused(why)) => why,
            other => panic!("not refused: {other:?}"),
        }
    }
    let again = refusal(backup::backup(&url, &photos, &backup_dir).await);
    assert!(again.contains("holds a backup already"), "{again}");
    let postgres =
        refusal(backup::backup("postgres://kefu@localhost/kefu", &photos, &backup_dir).await);
    assert!(postgres.contains("pg_dump"), "{postgres}");
    let empty = db.dir.path().join("empty");
    let nothing = refusal(backup::restore(&restored_url, &restored_photos, &empty).await);
    assert!(nothing.contains("is not a whole backup"), "{nothing}");
    // A backup cut short (no mark written last) is not restored.
    std::fs::remove_file(backup_dir.join(backup::BACKUP_COMPLETE)).unwrap();
    let cut_short = refusal(backup::restore(&restored_url, &restored_photos, &backup_dir).await);
    assert!(cut_short.contains("is not a whole backup"), "{cut_short}");
}
