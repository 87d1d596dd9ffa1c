//! The policy pages' editable list: one row per entry with an input per column, a button that
//! removes the row, and the refusal under the row it names. Rows keep their inputs while others
//! come and go (keyed), and each knows its index for the field paths the validation names
//! (`banned_phrases[3].phrase`, `working_hours.years[1].holidays[2]`).

use super::{FieldProblem, PolicyEditor};
use crate::i18n::{Locale, t_string, use_i18n};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// One column of a list.
pub(super) struct Column {
    pub label: fn(I18nContext<Locale>) -> String,
    pub testid: &'static str,
    /// The member of the entry it edits (`phrase`), or `None` when entries are plain values.
    pub member: Option<&'static str>,
    /// The input's type: `text`, `date`.
    pub input: &'static str,
    /// The keyboard a tablet shows: `text`, `decimal`, `numeric`.
    pub keyboard: &'static str,
}

impl Column {
    pub const fn text(
        label: fn(I18nContext<Locale>) -> String,
        testid: &'static str,
        member: &'static str,
    ) -> Column {
        Column {
            label,
            testid,
            member: Some(member),
            input: "text",
            keyboard: "text",
        }
    }

    pub const fn amount(
        label: fn(I18nContext<Locale>) -> String,
        testid: &'static str,
        member: &'static str,
    ) -> Column {
        Column {
            keyboard: "decimal",
            ..Column::text(label, testid, member)
        }
    }
}

/// One row as typed: a signal per column, and what it shows under its inputs (a fixed id).
#[derive(Clone)]
struct Row {
    key: usize,
    cells: Vec<RwSignal<String>>,
    caption: Option<String>,
}

/// A list's rows as typed.
#[derive(Clone, Copy)]
pub(super) struct Rows {
    rows: RwSignal<Vec<Row>>,
    next_key: StoredValue<usize>,
}

impl Rows {
    /// Rows of `entries`: each its cells' text and its caption.
    pub fn new(entries: impl IntoIterator<Item = (Vec<String>, Option<String>)>) -> Rows {
        let rows = Rows {
            rows: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0),
        };
        for (cells, caption) in entries {
            rows.push(cells, caption);
        }
        rows
    }

    pub fn push(self, cells: Vec<String>, caption: Option<String>) {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        let cells = cells.into_iter().map(RwSignal::new).collect();
        self.rows.update(|rows| {
            rows.push(Row {
                key,
                cells,
                caption,
            })
        });
    }

    /// Each row's cells, trimmed, and its caption, in order: what a save writes.
    pub fn values(self) -> Vec<(Vec<String>, Option<String>)> {
        self.rows.with_untracked(|rows| {
            rows.iter()
                .map(|row| {
                    let cells = row
                        .cells
                        .iter()
                        .map(|cell| cell.get_untracked().trim().to_owned())
                        .collect();
                    (cells, row.caption.clone())
                })
                .collect()
        })
    }
}

/// The rows of the list at `path`, with `columns`.
#[component]
pub(super) fn EditableRows(
    editor: PolicyEditor,
    rows: Rows,
    path: String,
    columns: &'static [Column],
    row_testid: &'static str,
    #[prop(default = "policy-rows")] class: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let index_of = move |key: usize| {
        rows.rows
            .with(|rows| rows.iter().position(|row| row.key == key))
            .unwrap_or_default()
    };
    view! {
        <ol class=class>
            <For each=move || rows.rows.get() key=|row| row.key let:row>
                {
                    let key = row.key;
                    let list = path.clone();
                    let entry = move || format!("{list}[{}]", index_of(key));
                    let cells = columns
                        .iter()
                        .zip(row.cells)
                        .map(|(column, cell)| {
                            let entry = entry.clone();
                            let field = move || match column.member {
                                Some(member) => format!("{}.{member}", entry()),
                                None => entry(),
                            };
                            view! {
                                <label>
                                    {(column.label)(i18n)}
                                    <input
                                        type=column.input
                                        inputmode=column.keyboard
                                        data-testid=column.testid
                                        aria-invalid=move || editor.refuses(&field()).to_string()
                                        prop:value=cell
                                        on:input=move |ev| cell.set(event_target_value(&ev))
                                    />
                                </label>
                            }
                        })
                        .collect_view();
                    view! {
                        <li class="policy-row" data-testid=row_testid>
                            <div class="form-row">
                                {cells}
                                <button
                                    type="button"
                                    class="remove"
                                    aria-label=move || t_string!(i18n, policy_remove_row)
                                    data-testid="remove-row"
                                    on:click=move |_| rows.rows.update(|rows| rows.retain(|each| each.key != key))
                                >
                                    "✕"
                                </button>
                            </div>
                            {row.caption.map(|caption| view! { <p class="muted id">{caption}</p> })}
                            <FieldProblem editor=editor path=Signal::derive(entry) />
                        </li>
                    }
                }
            </For>
        </ol>
    }
}
