//! The shell of a page that lists what the device holds as cards (customers, banned-phrase
//! incidents, unmatched parcels): its heading, what narrows the list (a search), "loading"
//! until the first read, a read's error in place of the list, and a line saying the list is
//! empty. The page gives the items and how one shows.

use crate::components::error_fallback::error_fallback;
use crate::i18n::{t, use_i18n};
use crate::store::StoreError;
use leptos::prelude::*;

#[component]
pub fn ListPage<F, Fut, T, R, V>(
    /// The page's class beside `page`.
    class: &'static str,
    #[prop(into)] title: ViewFn,
    /// Said when nothing is listed.
    #[prop(into)]
    empty: ViewFn,
    /// The list's test id.
    list_testid: &'static str,
    /// Reads the items. Read again when what it reads changes (a sync, a search typed): a
    /// read kept while the next one runs stays shown (`Transition`).
    items: F,
    /// One item, as a card (`li`).
    row: R,
    /// What narrows the list, between the heading and the list (a search box).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Vec<T>, StoreError>> + Send + 'static,
    T: Send + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    view! {
        <section class=format!("page {class}")>
            <h1>{title.run()}</h1>
            {children.map(|children| children())}
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || {
                        let read = items();
                        let row = row.clone();
                        let empty = empty.clone();
                        Suspend::new(async move {
                            let found = read.await?;
                            let none = found.is_empty();
                            Ok::<_, StoreError>(view! {
                                <Show when=move || none>
                                    <p class="empty">{empty.run()}</p>
                                </Show>
                                <ul class="cards" data-testid=list_testid>
                                    {found.into_iter().map(row).collect_view()}
                                </ul>
                            })
                        })
                    }}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
