//! The policy's pick lists (inquiry and complaint categories, channels, causes, departments…):
//! one list at a time, each entry with both UI names. An entry's id is what records store, so
//! it is fixed once made; a new entry gets one of its own.

use super::rows::{Column, EditableRows, Rows};
use super::{FieldProblem, PartPage, PolicyEditor, SaveButton, SaveOutcome};
use crate::components::chip_group::ChipGroup;
use crate::i18n::{localized, t, t_string, use_i18n};
use crate::routes::PolicyPart;
use kefu_core::lang::Bilingual;
use kefu_core::policy::{Label, PolicyData};
use leptos::prelude::*;
use uuid::Uuid;

/// A list of the policy the page edits: its field, its name, and where it is in the data.
pub(super) struct LabelList {
    field: &'static str,
    zh: &'static str,
    en: &'static str,
    of: fn(&mut PolicyData) -> &mut Vec<Label>,
}

/// The station's checklist, on a page of its own (`inspection.rs`).
pub(super) static INSPECTION_CHECKS: LabelList = LabelList {
    field: "inspection_checks",
    zh: "验货检查项",
    en: "Inspection checklist",
    of: |data| &mut data.inspection_checks,
};

static LISTS: [LabelList; 11] = [
    LabelList {
        field: "inquiry_categories",
        zh: "咨询分类",
        en: "Inquiry categories",
        of: |data| &mut data.inquiry_categories,
    },
    LabelList {
        field: "complaint_categories",
        zh: "投诉分类",
        en: "Complaint categories",
        of: |data| &mut data.complaint_categories,
    },
    LabelList {
        field: "complaint_causes",
        zh: "投诉原因",
        en: "Complaint causes",
        of: |data| &mut data.complaint_causes,
    },
    LabelList {
        field: "channels",
        zh: "接待渠道",
        en: "Channels",
        of: |data| &mut data.channels,
    },
    LabelList {
        field: "escalation_reasons",
        zh: "升级原因",
        en: "Escalation reasons",
        of: |data| &mut data.escalation_reasons,
    },
    LabelList {
        field: "departments",
        zh: "责任部门",
        en: "Departments",
        of: |data| &mut data.departments,
    },
    LabelList {
        field: "contact_methods",
        zh: "联系方式",
        en: "Contact methods",
        of: |data| &mut data.contact_methods,
    },
    LabelList {
        field: "customer_mindsets",
        zh: "客户心态",
        en: "Customer mindsets",
        of: |data| &mut data.customer_mindsets,
    },
    LabelList {
        field: "customer_needs",
        zh: "客户诉求",
        en: "Customer needs",
        of: |data| &mut data.customer_needs,
    },
    LabelList {
        field: "fault_sides",
        zh: "责任方",
        en: "Fault sides",
        of: |data| &mut data.fault_sides,
    },
    LabelList {
        field: "objection_kinds",
        zh: "异议类型",
        en: "Objection kinds",
        of: |data| &mut data.objection_kinds,
    },
];

fn list_indices() -> Vec<usize> {
    (0..LISTS.len()).collect()
}

#[component]
pub fn PolicyCategories() -> impl IntoView {
    view! { <PartPage part=PolicyPart::Categories form=|data: PolicyData| view! { <CategoriesForm data=data /> } /> }
}

static COLUMNS: [Column; 2] = [
    Column::text(
        |i18n| t_string!(i18n, policy_name_zh).to_string(),
        "label-zh",
        "zh",
    ),
    Column::text(
        |i18n| t_string!(i18n, policy_name_en).to_string(),
        "label-en",
        "en",
    ),
];

#[component]
fn CategoriesForm(data: PolicyData) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(0usize);
    let data = StoredValue::new(data);
    view! {
        <ChipGroup
            legend=move || t!(i18n, policy_which_list)
            testid="policy-lists"
            options=list_indices
            selected=move || chosen.get()
            label=move |index: &usize| localized(i18n, &Bilingual::new(LISTS[*index].zh, LISTS[*index].en))
            chip_testid=|index: &usize| format!("policy-list-{}", LISTS[*index].field)
            on_choose=move |index: usize| chosen.set(index)
        />
        // Rebuilt when another list is chosen: each list is its own form.
        {move || {
            let index = chosen.get();
            let mut labels = Vec::new();
            data.update_value(|data| labels = (LISTS[index].of)(data).clone());
            view! { <LabelsForm list=&LISTS[index] labels=labels /> }
        }}
    }
}

/// One list's entries, each with both names, saved as the policy's `list`.
#[component]
pub(super) fn LabelsForm(list: &'static LabelList, labels: Vec<Label>) -> impl IntoView {
    let i18n = use_i18n();
    let editor = PolicyEditor::new();
    let field = list.field;
    let rows = Rows::new(
        labels
            .into_iter()
            .map(|label| (vec![label.zh, label.en], Some(label.id))),
    );
    // Ids are stored in records; a fresh one can never collide with an old entry's.
    let add = move |_| {
        let id = format!("custom-{}", &Uuid::now_v7().simple().to_string()[20..]);
        rows.push(vec![String::new(); 2], Some(id));
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let labels: Vec<Label> = rows
            .values()
            .into_iter()
            .map(|(cells, id)| {
                let [zh, en]: [String; 2] = cells.try_into().unwrap_or_default();
                Label {
                    id: id.unwrap_or_default(),
                    zh,
                    en,
                }
            })
            .collect();
        editor.save(move |data| {
            *(list.of)(data) = labels;
            Ok(())
        });
    };
    view! {
        <form class="policy-form" data-testid=format!("policy-list-form-{field}") on:submit=on_submit>
            <SaveOutcome editor=editor />
            <FieldProblem editor=editor path=field exact=true />
            <EditableRows editor=editor rows=rows path=field.to_owned() columns=&COLUMNS row_testid="label-row" />
            <button type="button" data-testid="add-label" on:click=add>
                {t!(i18n, policy_add_entry)}
            </button>
            <SaveButton />
        </form>
    }
}
