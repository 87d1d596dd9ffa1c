//! A single-choice group of chips (a channel, a category, an outcome, a request type, a kind,
//! a reply promise): one tap picks, the picked chip is marked `selected` and `aria-pressed`,
//! so a screen reader and the tests read the choice the same way.

use leptos::html;
use leptos::prelude::*;

#[component]
pub fn ChipGroup<T>(
    /// The group's name, shown as its legend.
    #[prop(into)]
    legend: ViewFn,
    /// The choices, in the order shown (a policy's list may change with a sync).
    #[prop(into)]
    options: Signal<Vec<T>>,
    #[prop(into)] selected: Signal<T>,
    /// A choice's name in the user's language (read again when the language changes).
    #[prop(into)]
    label: Callback<T, String>,
    /// A chip's test id.
    #[prop(into)]
    chip_testid: Callback<T, String>,
    #[prop(into)] on_choose: Callback<T>,
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
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let chips = move || {
        options
            .get()
            .into_iter()
            .map(|value| {
                let is_selected = {
                    let value = value.clone();
                    move || selected.with(|selected| *selected == value)
                };
                let testid = chip_testid.run(value.clone());
                let name = {
                    let value = value.clone();
                    move || label.run(value.clone())
                };
                view! {
                    <button
                        type="button"
                        class="chip"
                        class:selected=is_selected.clone()
                        aria-pressed=move || is_selected().to_string()
                        data-testid=testid
                        on:click=move |_| on_choose.run(value.clone())
                    >
                        {name}
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
                    view! { <div node_ref=list_ref data-testid=list_testid>{chips}</div> }.into_any()
                }
                None => chips.into_any(),
            }}
            {children.map(|children| children())}
        </fieldset>
    }
}
