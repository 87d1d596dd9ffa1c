//! A single-choice group of chips (a channel, a category, an outcome, a request type, a kind,
//! a reply promise): one tap picks, the picked chip is marked `selected` and `aria-pressed`,
//! so a screen reader and the tests read the choice the same way.

use leptos::html;
use leptos::prelude::*;

/// One chip as drawn: its name in the user's language and its test id.
#[derive(Clone, PartialEq)]
struct Chip {
    name: String,
    testid: String,
}

#[component]
pub fn ChipGroup<T, Options, Selected, Label, ChipTestid, Choose>(
    /// The group's name, shown as its legend.
    #[prop(into)]
    legend: ViewFn,
    /// The choices, in the order shown (a policy's list may change with a sync).
    options: Options,
    selected: Selected,
    /// A choice's name in the user's language (read again when the language changes).
    label: Label,
    /// A chip's test id.
    chip_testid: ChipTestid,
    on_choose: Choose,
    /// The fieldset's classes: `chips` by default, `kinds` on the case forms.
    #[prop(default = "chips")]
    class: &'static str,
    #[prop(optional)] testid: Option<&'static str>,
    /// Puts the chips in a `<div>` of their own (test id `list_testid`), where a page that
    /// moves the keyboard into the group finds them (the inquiry's categories).
    #[prop(optional)]
    list_ref: Option<NodeRef<html::Div>>,
    #[prop(optional)] list_testid: Option<&'static str>,
    /// Shown after the chips, inside the group (what the choice means, such as a deadline).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView
where
    T: PartialEq + 'static,
    Options: Fn() -> Vec<T> + Send + Sync + 'static,
    Selected: Fn() -> T + Send + Sync + 'static,
    Label: Fn(&T) -> String + Send + Sync + 'static,
    ChipTestid: Fn(&T) -> String + Send + Sync + 'static,
    Choose: Fn(T) + Send + Sync + 'static,
{
    // Only this translation from the choices to chips by position depends on `T`, and it
    // holds no signal of `T`: the group is drawn by `chip_fieldset` once for every type, so
    // six kinds of choice do not link six copies of the view code and the signals' machinery.
    let options = std::sync::Arc::new(options);
    let chips = Memo::new({
        let options = options.clone();
        move |_| {
            options()
                .iter()
                .map(|value| Chip {
                    name: label(value),
                    testid: chip_testid(value),
                })
                .collect::<Vec<_>>()
        }
    });
    let selected_at = Memo::new({
        let options = options.clone();
        move |_| {
            let selected = selected();
            options().iter().position(|value| *value == selected)
        }
    });
    let choose = Callback::new(move |position: usize| {
        if let Some(value) = untrack(|| options()).into_iter().nth(position) {
            on_choose(value);
        }
    });
    chip_fieldset(ChipFieldset {
        legend,
        chips,
        selected_at,
        choose,
        class,
        testid,
        list_ref,
        list_testid,
        children,
    })
}

/// What [`chip_fieldset`] draws, with the choices reduced to positions.
struct ChipFieldset {
    legend: ViewFn,
    chips: Memo<Vec<Chip>>,
    selected_at: Memo<Option<usize>>,
    choose: Callback<usize>,
    class: &'static str,
    testid: Option<&'static str>,
    list_ref: Option<NodeRef<html::Div>>,
    list_testid: Option<&'static str>,
    children: Option<Children>,
}

fn chip_fieldset(group: ChipFieldset) -> AnyView {
    let ChipFieldset {
        legend,
        chips,
        selected_at,
        choose,
        class,
        testid,
        list_ref,
        list_testid,
        children,
    } = group;
    let buttons = move || {
        chips
            .get()
            .into_iter()
            .enumerate()
            .map(|(position, chip)| {
                let is_selected = move || selected_at.get() == Some(position);
                view! {
                    <button
                        type="button"
                        class="chip"
                        class:selected=is_selected
                        aria-pressed=move || is_selected().to_string()
                        data-testid=chip.testid
                        on:click=move |_| choose.run(position)
                    >
                        {chip.name}
                    </button>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class=class data-testid=testid>
            <legend>{legend.run()}</legend>
            {match list_ref {
                Some(list_ref) => {
                    view! { <div node_ref=list_ref data-testid=list_testid>{buttons}</div> }
                        .into_any()
                }
                None => buttons.into_any(),
            }}
            {children.map(|children| children())}
        </fieldset>
    }
    .into_any()
}
