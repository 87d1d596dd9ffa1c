//! Pages loaded when first opened: each is a split point of the wasm (`scripts/build-client`
//! cuts the module there), so a tablet's first load holds only sign-in, and then the desk's
//! chunk with the case list.
//!
//! A chunk that fails to load (flaky Wi-Fi) is never a panic: the split functions are
//! `fallible`, the page says so with a retry button, and the loader does not cache failures.

use crate::i18n::{t, use_i18n};
use crate::routes::AppRoute;
use crate::{nav, platform};
use futures::FutureExt;
use kefu_core::account::Role;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use wasm_split_helpers::{SplitLoaderError, wasm_split};

/// Declares a page that lives in a chunk: `lazy::name::PAGE` shows it once the chunk is in.
macro_rules! split_page {
    ($name:ident, $chunk:ident, $page:path) => {
        pub mod $name {
            use super::*;

            #[wasm_split($chunk, fallible, preload(preload))]
            pub fn page_view() -> Result<AnyView, SplitLoaderError> {
                Ok(view! { <$page /> }.into_any())
            }

            static LOADED: AtomicBool = AtomicBool::new(false);

            /// Loads the page's chunk (once; a failure is tried again next time).
            pub const LOAD: fn() -> Loading<()> = || Box::pin(loaded_after(preload(), &LOADED));

            /// The page, for a route or a fallback.
            pub const PAGE: PageFn = || {
                let show: fn() -> Loading<AnyView> = || Box::pin(page_view());
                view! { <LazyPage load=LOAD page_view=show loaded=&LOADED /> }.into_any()
            };

            pub const SPLIT: SplitPage = SplitPage {
                page: PAGE,
                load: LOAD,
            };
        }
    };
}

// The signed-in desk (the case list, the shift page's opening, the page router) in a chunk
// loaded once someone is signed in: the sign-in form waits for none of it.
split_page!(desk, home, crate::desk::Desk);
// The user menu's items, signing out above all: loaded when the menu is first opened.
split_page!(
    user_menu_panel,
    user_menu,
    crate::components::user_menu::UserMenuPanel
);
// Every other page, in eight chunks. A split point per page made a chunk of each set of pages
// sharing code: 390 files, mostly of 1-2 KB, that a weak network fetches one request at a
// time. So the desk's pages go together (an agent opens them all), and so do the station's,
// oversight's, the admin's, and the lock and first-password screens; the knowledge base, the
// after-sales summary and the reports are heavy and alone.
split_page!(account, desk, crate::pages::account::Account);
split_page!(accounts, admin, crate::pages::accounts::Accounts);
split_page!(policy_index, admin, crate::pages::policy::PolicyIndex);
split_page!(policy_part, admin, crate::pages::policy::PolicyPartPage);
split_page!(new_case, desk, crate::pages::new_case::NewCase);
split_page!(case_detail, desk, crate::pages::case_detail::CaseDetail);
split_page!(outbox, desk, crate::pages::outbox::Outbox);
split_page!(incidents, desk, crate::pages::incidents::Incidents);
split_page!(inquiry, desk, crate::pages::inquiry::Inquiry);
split_page!(promises, desk, crate::pages::promises::Promises);
split_page!(knowledge, knowledge, crate::pages::knowledge::KnowledgeBase);
split_page!(problems, desk, crate::pages::problems::Problems);
split_page!(new_return, desk, crate::pages::new_return::NewReturnPage);
split_page!(station, station, crate::pages::station::Station);
split_page!(parcels, station, crate::pages::parcels::Parcels);
split_page!(
    after_sales,
    after_sales,
    crate::pages::after_sales::AfterSales
);
split_page!(
    escalations,
    oversight,
    crate::pages::escalations::Escalations
);
split_page!(complaints, oversight, crate::pages::complaints::Complaints);
split_page!(shift, desk, crate::pages::shift::ShiftPage);
split_page!(qa, oversight, crate::pages::qa::QaPage);
split_page!(reports, reports, crate::pages::reports::ReportsPage);
split_page!(customers, desk, crate::pages::customers::Customers);
split_page!(
    customer_profile,
    desk,
    crate::pages::customer_profile::CustomerProfile
);
// Shown in place of every page, rarely: a shared device's lock and the one-time password's change.
split_page!(
    lock_screen,
    gate,
    crate::components::lock_screen::LockScreen
);
split_page!(
    first_password,
    gate,
    crate::pages::first_password::FirstPassword
);

/// A page's view, one type for all (25 view types were 40 KB of the first load in the router's
/// generic matching code).
pub type PageFn = fn() -> AnyView;

/// A page in a chunk: its view, and the load of its chunk ahead of opening it.
pub struct SplitPage {
    pub page: PageFn,
    pub load: fn() -> Loading<()>,
}

/// A chunk's load, then what it gives.
pub type Loading<T> = Pin<Box<dyn Future<Output = Result<T, SplitLoaderError>>>>;

/// Waits for a chunk's load and notes in `loaded` that it is in.
async fn loaded_after(
    load: impl Future<Output = Result<(), SplitLoaderError>>,
    loaded: &'static AtomicBool,
) -> Result<(), SplitLoaderError> {
    load.await?;
    loaded.store(true, Ordering::Relaxed);
    Ok(())
}

/// A route's page, if it is split off from the desk's chunk; `None` for sign-in and the case
/// list, which the desk shows itself.
pub fn split_page_of(route: AppRoute) -> Option<SplitPage> {
    use AppRoute::*;
    Some(match route {
        Home | CaseList | SignIn => return None,
        NewCase => new_case::SPLIT,
        CaseDetail(_) => case_detail::SPLIT,
        Outbox => outbox::SPLIT,
        Incidents => incidents::SPLIT,
        LogInquiry => inquiry::SPLIT,
        Customers => customers::SPLIT,
        CustomerProfile(_) => customer_profile::SPLIT,
        Promises => promises::SPLIT,
        Knowledge => knowledge::SPLIT,
        Problems => problems::SPLIT,
        NewReturn => new_return::SPLIT,
        Station => station::SPLIT,
        Parcels => parcels::SPLIT,
        AfterSales => after_sales::SPLIT,
        Escalations => escalations::SPLIT,
        Complaints => complaints::SPLIT,
        Shift => shift::SPLIT,
        Qa => qa::SPLIT,
        Reports(_) => reports::SPLIT,
        Account => account::SPLIT,
        Accounts => accounts::SPLIT,
        Policy => policy_index::SPLIT,
        PolicyPage(_) => policy_part::SPLIT,
    })
}

/// Loads, in the background, the chunks of every page in the role's menu (and the case's page,
/// which the case list opens), once the service worker holds the build: a page opened then
/// shows at once, with no moment in which keys typed after the click would find no box.
/// Not before: on a first visit the worker is fetching the same files, which then come from
/// its cache (or the browser's, where they are kept for good).
pub fn prefetch_for(role: Role) {
    let (menu, more) = nav::menu(role);
    let loads: Vec<_> = [AppRoute::CaseDetail(Default::default())]
        .iter()
        .chain(menu)
        .chain(more)
        .filter_map(|route| split_page_of(*route).map(|split| split.load))
        .collect();
    leptos::task::spawn_local(async move {
        if !platform::service_worker_serving().await {
            return;
        }
        // One chunk per idle moment: compiling every chunk at once held the main thread for
        // most of a second just after sign-in (Lighthouse's total blocking time, 790 ms).
        for load in loads {
            platform::next_idle_moment().await;
            // A failure is tried again when the page is opened.
            let _ = load().await;
        }
    });
}

/// Shows a split page once its chunk is loaded; a failed load offers a retry.
///
/// Not a `<Transition>` around a `Suspend`: that builds the page before it is in the document,
/// so a page that puts the cursor in its first box when it mounts (the inquiry log) would
/// focus a detached input. Once the chunk is in, the page's view is built at once (its loader
/// has nothing left to wait for), as if it were in the first load; when it was in before this
/// page was opened (`prefetch_for`, or an earlier visit), the page is built at once, with no
/// wait at all. Function pointers, not generics: one copy of this component for every page
/// (25 copies were 24 KB of the wasm).
#[component]
pub fn LazyPage(
    load: fn() -> Loading<()>,
    page_view: fn() -> Loading<AnyView>,
    loaded: &'static AtomicBool,
) -> impl IntoView {
    let i18n = use_i18n();
    let attempt = RwSignal::new(0_u32);
    // Already in: built now, as a page of the first load would be.
    if loaded.load(Ordering::Relaxed)
        && let Some(Ok(page)) = page_view().now_or_never()
    {
        return page;
    }
    let loading = LocalResource::new(move || {
        attempt.track();
        load()
    });
    let failed = move || {
        view! {
            <div class="error" role="alert" data-testid="chunk-failed">
                <p>{t!(i18n, chunk_failed)}</p>
                <button type="button" data-testid="chunk-retry" on:click=move |_| attempt.update(|n| *n += 1)>
                    {t!(i18n, chunk_retry)}
                </button>
            </div>
        }
        .into_any()
    };
    (move || match loading.get() {
        None => view! { <p>{t!(i18n, loading)}</p> }.into_any(),
        Some(Ok(())) => page_view()
            .now_or_never()
            .and_then(Result::ok)
            .unwrap_or_else(failed),
        Some(Err(_)) => failed(),
    })
    .into_any()
}
