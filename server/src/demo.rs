//! Demo data for a first look: one user per role and a few cases, added to an empty database.

use crate::auth::create_user;
use crate::db::{Caller, Database};
use crate::error::ApiError;
use chrono::{Duration, Utc};
use kefu_core::account::{Role, UserInfo};
use kefu_core::case::{Case, CaseKind, CaseStatus, Note};
use kefu_core::sync::{Change, Op};
use uuid::Uuid;

pub const DEMO_USERNAME: &str = "demo";
pub const DEMO_PASSWORD: &str = "kefu-demo-2026";

/// Seeds the demo accounts and cases unless the database already has users. Returns whether
/// it seeded.
pub async fn seed(db: &dyn Database) -> Result<bool, ApiError> {
    if db.count_users().await? > 0 {
        return Ok(false);
    }
    let user_id = create_user(db, DEMO_USERNAME, "演示坐席", Role::Agent, DEMO_PASSWORD).await?;
    for (username, display_name, role) in [
        ("lead", "演示组长", Role::TeamLead),
        ("qa", "演示质检", Role::Qa),
        ("supervisor", "演示主管", Role::Supervisor),
        ("admin", "演示管理员", Role::Admin),
    ] {
        create_user(db, username, display_name, role, DEMO_PASSWORD).await?;
    }
    let caller = Caller {
        user_id,
        info: UserInfo {
            username: DEMO_USERNAME.into(),
            display_name: "演示坐席".into(),
            role: Role::Agent,
        },
    };
    let samples = [
        (
            CaseKind::Inquiry,
            "咨询江浙沪运费",
            "王芳",
            "13800001111",
            None,
            "客户问退货运费，已告知江浙沪补贴 6 元。",
        ),
        (
            CaseKind::Return,
            "七天无理由退货",
            "李雷",
            "13900002222",
            Some("SO-20261120-0042"),
            "客户已寄回，等待仓库验货。",
        ),
        (
            CaseKind::Complaint,
            "快递三天未更新",
            "韩梅梅",
            "13700003333",
            Some("SO-20261119-0107"),
            "已催促快递，承诺半个工作日内回复。",
        ),
    ];
    let now = Utc::now();
    for (offset, (kind, title, name, phone, order, note)) in samples.into_iter().enumerate() {
        let at = now - Duration::minutes(30 * (3 - offset as i64));
        let case = Case {
            id: Uuid::now_v7(),
            kind,
            title: title.into(),
            customer_name: name.into(),
            customer_phone: phone.into(),
            order_number: order.map(Into::into),
            status: CaseStatus::Open,
            owner: DEMO_USERNAME.into(),
            created_at: at,
            updated_at: at,
            revision: Uuid::now_v7(),
        };
        let note = Note {
            id: Uuid::now_v7(),
            case_id: case.id,
            author: DEMO_USERNAME.into(),
            body: note.into(),
            created_at: at,
        };
        for op in [Op::PutCase { case }, Op::AddNote { note }] {
            let change = Change {
                change_id: Uuid::now_v7(),
                op,
            };
            db.apply_change(&change, &caller, now).await?;
        }
    }
    Ok(true)
}
