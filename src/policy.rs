//! The parts of the shop's policy this device uses, from the synced policy record: the banned
//! phrases (compiled into the shared checker), the inquiry log's pick lists, the working
//! hours reply promises count in, the order rules, special situations, objection kinds, the
//! courier rules, the return rules and the return-shipping allowance, the guided scripts and
//! the lists they and escalations pick from. Only those are decoded, in a chunk of the wasm
//! loaded after the first screen (`decode`); the server validated the policy before storing
//! it. Decoded again only when a sync brings a new policy version. `None` until the first pull
//! brought the policy: the device has none of its own.

use crate::store::{Store, StoreError, use_store};
use crate::sync::use_sync;
use kefu_core::policy::banned_phrases::BannedPhraseChecker;
use kefu_core::policy::{
    BannedPhraseEntry, Courier, CourierRules, DeviceRules, ItemClass, KpiWeights, Label,
    OrderRules, POLICY_DATA_FIELD, POLICY_RECORD_ID, RequestTypeLabel, ReturnReason, ReturnRules,
    ReturnShipping, ScoreItem, Script, SpecialSituation, WorkingHours,
};
use kefu_core::rules::after_sales_guide::GuidePolicy;
use kefu_core::rules::compensation::AllowancePolicy;
use kefu_core::rules::courier::CourierPolicy;
use kefu_core::rules::order_flow::OrderPolicy;
use kefu_core::rules::return_eligibility::ReturnPolicy;
use kefu_core::rules::script::ScriptPolicy;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use uuid::Uuid;
use wasm_split_helpers::{SplitLoaderError, wasm_split};

/// The policy's data, of which only these parts are read.
#[derive(Deserialize)]
struct DevicePolicyData {
    banned_phrases: Vec<BannedPhraseEntry>,
    channels: Vec<Label>,
    inquiry_categories: Vec<Label>,
    working_hours: WorkingHours,
    orders: OrderRules,
    special_situations: Vec<SpecialSituation>,
    objection_kinds: Vec<Label>,
    provinces: Vec<Label>,
    item_classes: Vec<ItemClass>,
    couriers: Vec<Courier>,
    courier_rules: CourierRules,
    request_types: Vec<RequestTypeLabel>,
    return_reasons: Vec<ReturnReason>,
    returns: ReturnRules,
    return_shipping: ReturnShipping,
    scripts: Vec<Script>,
    customer_mindsets: Vec<Label>,
    customer_needs: Vec<Label>,
    fault_sides: Vec<Label>,
    complaint_categories: Vec<Label>,
    complaint_causes: Vec<Label>,
    departments: Vec<Label>,
    contact_methods: Vec<Label>,
    escalation_reasons: Vec<Label>,
    #[serde(default)]
    devices: DeviceRules,
    #[serde(default = "kefu_core::policy::default_inspection_checks")]
    inspection_checks: Vec<Label>,
    #[serde(default = "kefu_core::policy::default_score_sheet")]
    qa_score_sheet: Vec<ScoreItem>,
    #[serde(default)]
    kpi_weights: KpiWeights,
}

/// What the agent's desk needs of the policy besides the banned phrases.
#[derive(Debug, Clone, PartialEq)]
pub struct DeskPolicy {
    pub channels: Vec<Label>,
    pub inquiry_categories: Vec<Label>,
    pub working_hours: WorkingHours,
    pub orders: OrderRules,
    pub special_situations: Vec<SpecialSituation>,
    pub objection_kinds: Vec<Label>,
    pub provinces: Vec<Label>,
    pub item_classes: Vec<ItemClass>,
    pub couriers: Vec<Courier>,
    pub courier_rules: CourierRules,
    pub request_types: Vec<RequestTypeLabel>,
    pub return_reasons: Vec<ReturnReason>,
    pub returns: ReturnRules,
    pub return_shipping: ReturnShipping,
    pub scripts: Vec<Script>,
    pub customer_mindsets: Vec<Label>,
    pub customer_needs: Vec<Label>,
    pub fault_sides: Vec<Label>,
    pub complaint_categories: Vec<Label>,
    pub complaint_causes: Vec<Label>,
    pub departments: Vec<Label>,
    pub contact_methods: Vec<Label>,
    pub escalation_reasons: Vec<Label>,
    pub devices: DeviceRules,
    /// The packing station's checklist, in order.
    pub inspection_checks: Vec<Label>,
    /// QA's score sheet, in order.
    pub qa_score_sheet: Vec<ScoreItem>,
    /// What each monthly figure weighs in the KPI score.
    pub kpi_weights: KpiWeights,
}

impl DeskPolicy {
    pub fn guide_policy(&self) -> GuidePolicy<'_> {
        GuidePolicy {
            allowance: AllowancePolicy {
                provinces: &self.provinces,
                return_shipping: &self.return_shipping,
            },
            small_item_max: self.returns.small_item_max_fen,
        }
    }

    pub fn courier_policy(&self) -> CourierPolicy<'_> {
        CourierPolicy {
            provinces: &self.provinces,
            item_classes: &self.item_classes,
            couriers: &self.couriers,
            courier_rules: &self.courier_rules,
        }
    }

    pub fn return_policy(&self) -> ReturnPolicy<'_> {
        ReturnPolicy {
            return_reasons: &self.return_reasons,
            item_classes: &self.item_classes,
            returns: &self.returns,
            utc_offset: self.working_hours.utc_offset,
        }
    }

    pub fn script_policy(&self) -> ScriptPolicy<'_> {
        ScriptPolicy {
            scripts: &self.scripts,
            customer_mindsets: &self.customer_mindsets,
            customer_needs: &self.customer_needs,
            fault_sides: &self.fault_sides,
            complaint_categories: &self.complaint_categories,
            complaint_causes: &self.complaint_causes,
            departments: &self.departments,
            contact_methods: &self.contact_methods,
        }
    }

    pub fn order_policy(&self) -> OrderPolicy<'_> {
        OrderPolicy {
            hours: &self.working_hours,
            orders: &self.orders,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct PolicyContext {
    pub banned_phrases: RwSignal<Option<Arc<BannedPhraseChecker>>>,
    pub desk: RwSignal<Option<Arc<DeskPolicy>>>,
    /// The version (the `data` field's change id) `desk` was decoded from: what a decision
    /// made with it records.
    pub version: RwSignal<Option<Uuid>>,
}

pub fn provide_policy_context() -> PolicyContext {
    let context = PolicyContext {
        banned_phrases: RwSignal::new(None),
        desk: RwSignal::new(None),
        version: RwSignal::new(None),
    };
    provide_context(context);
    context
}

/// Decodes the synced policy into the context, now and whenever a sync brings a new version.
/// Set up by the desk at its first showing, in the shell's scope (`crate::desk`): the decoder's
/// chunk is no part of what the first screen after sign-in waits for, and before the desk is
/// shown nothing on screen needs the policy (the idle lock arms once it is decoded).
pub fn keep_policy_decoded() {
    let context = use_policy();
    let store = use_store();
    let sync = use_sync();
    // The version (change id) last decoded: most syncs bring cases, not a new policy.
    let decoded = StoredValue::new(None::<Uuid>);
    Effect::new(move |_| {
        sync.data_version.track();
        // A decoder chunk that failed to load is tried again when the network comes back, too.
        sync.connectivity.track();
        let store = store.store();
        spawn_local(async move {
            let read = match read_policy(store, decoded.get_value()).await {
                Ok(read) => read.await,
                // Tried again at the next sync: the policy is not needed for the first screen.
                Err(error) => {
                    leptos::logging::error!("loading the policy's decoder failed: {error}");
                    return;
                }
            };
            let (version, decoded_policy) = match read {
                PolicyRead::Decoded(version, decoded_policy) => (version, decoded_policy),
                PolicyRead::Unchanged => return,
                PolicyRead::Unreadable(error) => {
                    leptos::logging::error!("reading the policy failed: {error}");
                    return;
                }
                PolicyRead::Undecodable => {
                    leptos::logging::error!("the policy record does not decode");
                    return;
                }
            };
            if let Some(checker) = decoded_policy.banned_phrases {
                context.banned_phrases.set(Some(Arc::new(checker)));
            }
            context.desk.set(Some(Arc::new(decoded_policy.desk)));
            context.version.set(Some(version));
            decoded.set_value(Some(version));
        });
    });
}

/// What reading the synced policy found.
enum PolicyRead {
    /// The version (the `data` field's change id) and what it decoded to.
    Decoded(Uuid, Box<DecodedPolicy>),
    /// None yet, or the version already decoded: most syncs bring cases, not a new policy.
    Unchanged,
    Unreadable(StoreError),
    Undecodable,
}

/// The policy as the device uses it: the desk's parts and the banned phrases' checker.
struct DecodedPolicy {
    banned_phrases: Option<BannedPhraseChecker>,
    desk: DeskPolicy,
}

/// Reads the policy record and decodes its data unless it is the version `decoded`. In a chunk
/// of its own (`scripts/build-client` splits the wasm here): the record's and the policy's
/// decoders and the checker's automaton (aho-corasick, the NFKC tables) are not needed before
/// the first screen, which a tablet on weak Wi-Fi waits for.
#[wasm_split(policy, fallible)]
fn read_policy(
    store: Store,
    decoded: Option<Uuid>,
) -> Result<Pin<Box<dyn Future<Output = PolicyRead>>>, SplitLoaderError> {
    Ok(Box::pin(async move {
        let record = match store.record(POLICY_RECORD_ID).await {
            Ok(record) => record,
            Err(error) => return PolicyRead::Unreadable(error),
        };
        let Some(field) = record
            .as_ref()
            .and_then(|record| record.fields.get(POLICY_DATA_FIELD))
        else {
            return PolicyRead::Unchanged;
        };
        let version = field.current.origin.change;
        if decoded == Some(version) {
            return PolicyRead::Unchanged;
        }
        match decode(field.current.value.clone()) {
            Some(decoded_policy) => PolicyRead::Decoded(version, Box::new(decoded_policy)),
            None => PolicyRead::Undecodable,
        }
    }))
}

/// Decodes the policy record's data; `None` when it does not decode.
fn decode(value: serde_json::Value) -> Option<DecodedPolicy> {
    let Ok(data) = serde_json::from_value::<DevicePolicyData>(value) else {
        return None;
    };
    Some(DecodedPolicy {
        banned_phrases: BannedPhraseChecker::build(&data.banned_phrases).ok(),
        desk: DeskPolicy {
            channels: data.channels,
            inquiry_categories: data.inquiry_categories,
            working_hours: data.working_hours,
            orders: data.orders,
            special_situations: data.special_situations,
            objection_kinds: data.objection_kinds,
            provinces: data.provinces,
            item_classes: data.item_classes,
            couriers: data.couriers,
            courier_rules: data.courier_rules,
            request_types: data.request_types,
            return_reasons: data.return_reasons,
            returns: data.returns,
            return_shipping: data.return_shipping,
            scripts: data.scripts,
            customer_mindsets: data.customer_mindsets,
            customer_needs: data.customer_needs,
            fault_sides: data.fault_sides,
            complaint_categories: data.complaint_categories,
            complaint_causes: data.complaint_causes,
            departments: data.departments,
            contact_methods: data.contact_methods,
            escalation_reasons: data.escalation_reasons,
            devices: data.devices,
            inspection_checks: data.inspection_checks,
            qa_score_sheet: data.qa_score_sheet,
            kpi_weights: data.kpi_weights,
        },
    })
}

pub fn use_policy() -> PolicyContext {
    expect_context::<PolicyContext>()
}
