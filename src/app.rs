//! The app shell: opens the device database, provides the contexts, and routes the pages.

use crate::cases::provide_cases_context;
use crate::clock::provide_clock_context;
use crate::components::lang_switch::LangSwitch;
use crate::components::lock_screen::LockScreen;
use crate::components::main_nav::MainNav;
use crate::components::session_ended::SessionEnded;
use crate::components::status_badge::StatusBadge;
use crate::components::storage_warning::StorageWarning;
use crate::components::update_prompt::UpdatePrompt;
use crate::components::update_required::UpdateRequired;
use crate::components::user_menu::UserMenu;
use crate::i18n::{I18nContextProvider, LocalePersistence, t, use_i18n};
use crate::lock::{provide_lock_context, use_lock};
use crate::nav;
use crate::pages::account::Account;
use crate::pages::accounts::Accounts;
use crate::pages::after_sales::AfterSales;
use crate::pages::case_detail::CaseDetail;
use crate::pages::case_list::CaseList;
use crate::pages::complaints::Complaints;
use crate::pages::customer_profile::CustomerProfile;
use crate::pages::customers::Customers;
use crate::pages::escalations::Escalations;
use crate::pages::first_password::FirstPassword;
use crate::pages::incidents::Incidents;
use crate::pages::inquiry::Inquiry;
use crate::pages::knowledge::KnowledgeBase;
use crate::pages::login::Login;
use crate::pages::new_case::NewCase;
use crate::pages::new_return::NewReturnPage;
use crate::pages::outbox::Outbox;
use crate::pages::parcels::Parcels;
use crate::pages::policy::{PolicyIndex, PolicyPartPage};
use crate::pages::problems::Problems;
use crate::pages::promises::Promises;
use crate::pages::qa::QaPage;
use crate::pages::reports::ReportsPage;
use crate::pages::shift::ShiftPage;
use crate::pages::station::Station;
use crate::platform;
use crate::policy::provide_policy_context;
use crate::routes::AppRoute;
use crate::session::{provide_session_context, use_session};
use crate::shift_start::ShiftStart;
use crate::store::{DATABASE_NAME, Store, provide_store_context};
use crate::sync::provide_sync_context;
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let opened = LocalResource::new(|| Store::open(DATABASE_NAME));
    view! {
        <I18nContextProvider enable_cookie=false>
            <LocalePersistence />
            <Transition fallback=|| view! { <p class="boot">"客服 Kefu…"</p> }>
                {move || {
                    opened
                        .get()
                        .map(|result| match result {
                            Ok(store) => view! { <Shell store=store /> }.into_any(),
                            Err(error) => view! { <StoreFailure error=error.to_string() /> }.into_any(),
                        })
                }}
            </Transition>
        </I18nContextProvider>
    }
}

/// Where each role starts (`nav::home`): the packing station for a packer, the cases for the desk.
#[component]
fn Home() -> impl IntoView {
    let session = use_session();
    let home = Memo::new(move |_| session.user().map(|user| nav::home(user.role)));
    move || match home.get() {
        Some(AppRoute::Station) => view! { <Station /> }.into_any(),
        _ => view! { <CaseList /> }.into_any(),
    }
}

#[component]
fn StoreFailure(error: String) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="error" role="alert">{t!(i18n, store_error, error = move || error.clone())}</p> }
}

#[component]
fn Shell(store: Store) -> impl IntoView {
    let i18n = use_i18n();
    provide_store_context(store.clone());
    let session = provide_session_context(store.clone());
    provide_sync_context(store, session);
    provide_policy_context();
    provide_clock_context();
    provide_cases_context();
    provide_lock_context();
    let lock = use_lock();
    platform::request_persistent_storage();
    let signed_in = move || session.session.with(Option::is_some);
    let locked = move || signed_in() && lock.locked.get();
    let must_change_password = move || {
        session.session.with(|session| {
            session
                .as_ref()
                .is_some_and(|session| session.must_change_password)
        })
    };
    view! {
        <Router>
            <header class="topbar">
                <A href=AppRoute::Home.href() attr:class="brand">{t!(i18n, app_name)}</A>
                <Show when=move || signed_in() && !locked()>
                    <MainNav />
                </Show>
                <StatusBadge />
                <LangSwitch />
                <Show when=move || signed_in() && !locked()>
                    <UserMenu />
                </Show>
            </header>
            <UpdatePrompt />
            <UpdateRequired />
            <SessionEnded />
            <StorageWarning />
            <main>
                <Show when=move || session.loaded.get() fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                    <Show when=signed_in fallback=|| view! { <Login /> }>
                    <Show when=move || !locked() fallback=|| view! { <LockScreen /> }>
                    <Show when=move || !must_change_password() fallback=|| view! { <FirstPassword /> }>
                        <ShiftStart />
                        <Routes fallback=|| view! { <Home /> }>
                            <Route path=path!("/") view=Home />
                            <Route path=path!("/cases") view=CaseList />
                            <Route path=path!("/account") view=Account />
                            <Route path=path!("/accounts") view=Accounts />
                            <Route path=path!("/policy") view=PolicyIndex />
                            <Route path=path!("/policy/:part") view=PolicyPartPage />
                            <Route path=path!("/cases/new") view=NewCase />
                            <Route path=path!("/cases/:id") view=CaseDetail />
                            <Route path=path!("/outbox") view=Outbox />
                            <Route path=path!("/incidents") view=Incidents />
                            <Route path=path!("/inquiries/new") view=Inquiry />
                            <Route path=path!("/promises") view=Promises />
                            <Route path=path!("/knowledge") view=KnowledgeBase />
                            <Route path=path!("/problems") view=Problems />
                            <Route path=path!("/returns/new") view=NewReturnPage />
                            <Route path=path!("/station") view=Station />
                            <Route path=path!("/parcels") view=Parcels />
                            <Route path=path!("/returns/summary") view=AfterSales />
                            <Route path=path!("/escalations") view=Escalations />
                            <Route path=path!("/complaints") view=Complaints />
                            <Route path=path!("/shift") view=ShiftPage />
                            <Route path=path!("/qa") view=QaPage />
                            <Route path=path!("/reports/:part") view=ReportsPage />
                            <Route path=path!("/customers") view=Customers />
                            <Route path=path!("/customers/:id") view=CustomerProfile />
                            <Route path=path!("/login") view=Login />
                        </Routes>
                    </Show>
                    </Show>
                    </Show>
                </Show>
            </main>
        </Router>
    }
}
