//! Demo data for a first look: one user per role in team `east`, an agent in team `west`,
//! a few customers with their cases (one a return whose parcel is on its way back), and the
//! team's standard answers, added to an empty database.

use crate::auth::create_user;
use crate::db::Database;
use crate::error::ApiError;
use crate::sync::apply_changes;
use chrono::{Days, Utc};
use kefu_core::account::manage::{NewAccount, TeamInfo};
use kefu_core::account::{Role, UserInfo};
use kefu_core::hlc::Hlc;
use kefu_core::kinds::case::return_follow_up::{return_step_data, review_step};
use kefu_core::kinds::case::returns::{NewReturn, ReturnItem};
use kefu_core::kinds::case::{CaseKind, NewCase, event, note_data};
use kefu_core::kinds::customer::NewCustomer;
use kefu_core::kinds::knowledge::{KnowledgeKind, NewKnowledge};
use kefu_core::policy::RequestType;
use kefu_core::record::RecordType;
use kefu_core::sync::{Change, Op};
use serde_json::json;
use uuid::Uuid;

/// The team's standard answers (seed 000 §4.6), by inquiry category: title, text, category.
const DEMO_ANSWERS: [(&str, &str, &str); 4] = [
    (
        "退货运费补贴",
        "因我们的原因退货，运费由我们承担：江浙沪补贴 6 元，其他地区补贴 10–15 元。",
        "shipping_fee",
    ),
    (
        "发货前修改收货地址",
        "订单发货前可以修改收货地址，请告诉我订单号和新地址，我马上为您修改。",
        "ordering",
    ),
    (
        "查询物流进度",
        "我帮您查一下物流：请提供订单号，查到后马上告诉您包裹现在到了哪里。",
        "receiving",
    ),
    (
        "忘记登录密码",
        "请在登录页点击“忘记密码”，用注册手机号接收验证码后即可重设密码。",
        "account",
    ),
];

pub const DEMO_USERNAME: &str = "demo";
pub const DEMO_PASSWORD: &str = "kefu-demo-2026";
pub const DEMO_TEAM: &str = "east";

/// The demo teams: id, name.
pub const DEMO_TEAMS: [(&str, &str); 3] = [(DEMO_TEAM, "东区"), ("west", "西区"), ("hq", "总部")];

/// Every demo account: username, display name, role, team.
pub const DEMO_USERS: [(&str, &str, Role, &str); 8] = [
    (DEMO_USERNAME, "演示坐席", Role::Agent, DEMO_TEAM),
    // A colleague on the same team: what concerns one agent's conduct is hidden from the other.
    ("agent2", "演示坐席二", Role::Agent, DEMO_TEAM),
    ("lead", "演示组长", Role::TeamLead, DEMO_TEAM),
    ("qa", "演示质检", Role::Qa, DEMO_TEAM),
    ("supervisor", "演示主管", Role::Supervisor, DEMO_TEAM),
    ("admin", "演示管理员", Role::Admin, "hq"),
    ("west", "西区坐席", Role::Agent, "west"),
    ("packer", "演示打包员", Role::Packer, DEMO_TEAM),
];

/// The demo return's parcel, for a first try of the packing station.
pub const DEMO_RETURN_TRACKING: &str = "SF1234567890";

/// The demo return's facts: a changed-mind return of two gift boxes, signed for three days ago,
/// its parcel on the way back.
fn demo_return(name: &str, phone: &str, order: Option<&str>) -> NewReturn {
    NewReturn {
        title: "七天无理由退货".into(),
        request_type: RequestType::ReturnRefund,
        reason: "changed_mind".into(),
        customer_name: name.into(),
        customer_phone: phone.into(),
        order_number: order.map(Into::into),
        items: vec![ReturnItem {
            sku: "TEA-GIFT-01".into(),
            quantity: 2,
        }],
        item_class: "normal".into(),
        original_packaging: true,
        return_tracking: DEMO_RETURN_TRACKING.into(),
        return_courier: "sf".into(),
        shipping_insurance: true,
        shipped: true,
        received_on: Utc::now().date_naive().checked_sub_days(Days::new(3)),
    }
}

/// Seeds the demo accounts and cases unless the database already has users. Returns whether
/// it seeded.
pub async fn seed(db: &dyn Database) -> Result<bool, ApiError> {
    if db.count_users().await? > 0 {
        return Ok(false);
    }
    for (id, name) in DEMO_TEAMS {
        db.create_team(&TeamInfo {
            id: id.into(),
            name: name.into(),
        })
        .await?;
    }
    for (username, display_name, role, team) in DEMO_USERS {
        let account = NewAccount {
            username: username.into(),
            display_name: display_name.into(),
            role,
            team: team.into(),
        };
        create_user(db, &account, DEMO_PASSWORD, false).await?;
    }
    let demo = UserInfo {
        username: DEMO_USERNAME.into(),
        display_name: "演示坐席".into(),
        role: Role::Agent,
        team: DEMO_TEAM.into(),
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
    let policy = crate::policy::current_policy(db).await?;
    let device = Uuid::now_v7();
    let mut latest = Hlc::default();
    let mut stamp = || {
        latest = Hlc::next(latest, Utc::now().timestamp_millis());
        latest
    };
    let mut change = |record_type, record_id, op| Change {
        change_id: Uuid::now_v7(),
        device,
        stamp: stamp(),
        record_type,
        record_id,
        op,
    };
    let mut changes = Vec::new();
    for (kind, title, name, phone, order, note) in samples {
        let customer_id = Uuid::now_v7();
        let customer = NewCustomer {
            name: name.into(),
            phone: phone.into(),
            ..NewCustomer::default()
        };
        changes.push(change(
            RecordType::Customer,
            customer_id,
            Op::Create {
                fields: customer.fields(),
            },
        ));
        let record_id = Uuid::now_v7();
        let new_case = NewCase {
            kind,
            title: title.into(),
            customer_name: name.into(),
            customer_phone: phone.into(),
            order_number: order.map(Into::into),
        };
        let mut fields = new_case.fields();
        if kind == CaseKind::Return {
            fields.extend(demo_return(name, phone, order).fields());
        }
        fields.insert(
            kefu_core::kinds::case::inquiry::field::CUSTOMER.into(),
            json!(customer_id),
        );
        let mut ops = vec![
            Op::Create { fields },
            Op::Append {
                event: Uuid::now_v7(),
                kind: event::NOTE.into(),
                data: note_data(note),
            },
        ];
        // The demo return was reviewed when it was opened, as the return form does it.
        let review = demo_return(name, phone, order)
            .facts()
            .review((&policy).into(), Utc::now());
        if let Some(approved) = review
            .ok()
            .filter(|_| kind == CaseKind::Return)
            .and_then(|review| review_step(RequestType::ReturnRefund, &review, DEMO_USERNAME))
        {
            ops.push(Op::Append {
                event: Uuid::now_v7(),
                kind: kefu_core::kinds::case::return_follow_up::event::RETURN_STEP.into(),
                data: return_step_data(&approved),
            });
        }
        for op in ops {
            changes.push(change(RecordType::Case, record_id, op));
        }
    }
    let answers: Vec<Change> = DEMO_ANSWERS
        .into_iter()
        .map(|(title, body, category)| {
            let answer = NewKnowledge {
                kind: KnowledgeKind::Answer,
                title: title.into(),
                body: body.into(),
                group: category.into(),
                personal: false,
            };
            let fields = answer.fields();
            change(RecordType::Knowledge, Uuid::now_v7(), Op::Create { fields })
        })
        .collect();
    let lead = UserInfo {
        username: "lead".into(),
        display_name: "演示组长".into(),
        role: Role::TeamLead,
        team: DEMO_TEAM.into(),
    };
    apply_changes(db, &demo, &changes, Utc::now(), &policy).await?;
    // The team's answers are kept by its lead (the server refuses them from an agent).
    apply_changes(db, &lead, &answers, Utc::now(), &policy).await?;
    Ok(true)
}
