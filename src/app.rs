//! The app shell: opens the device database, provides the contexts, and routes the pages.

use crate::cases::provide_cases_context;
use crate::clock::provide_clock_context;
use crate::components::lang_switch::LangSwitch;
use crate::components::status_badge::StatusBadge;
use crate::components::storage_warning::StorageWarning;
use crate::components::update_prompt::UpdatePrompt;
use crate::components::update_required::UpdateRequired;
use crate::i18n::{I18nContextProvider, LocalePersistence, t, use_i18n};
use crate::pages::after_sales::AfterSales;
use crate::pages::case_detail::CaseDetail;
use crate::pages::case_list::CaseList;
use crate::pages::complaints::Complaints;
use crate::pages::customer_profile::CustomerProfile;
use crate::pages::customers::Customers;
use crate::pages::escalations::Escalations;
use crate::pages::incidents::Incidents;
use crate::pages::inquiry::Inquiry;
use crate::pages::knowledge::KnowledgeBase;
use crate::pages::login::Login;
use crate::pages::new_case::NewCase;
use crate::pages::new_return::NewReturnPage;
use crate::pages::outbox::Outbox;
use crate::pages::parcels::Parcels;
use crate::pages::problems::Problems;
use crate::pages::promises::Promises;
use crate::pages::station::Station;
use crate::platform;
use crate::policy::provide_policy_context;
use crate::routes::AppRoute;
use crate::session::provide_session_context;
use crate::store::{DATABASE_NAME, Store, provide_store_context};
use crate::sync::provide_sync_context;
use kefu_core::account::Role;
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
    platform::request_persistent_storage();
    let signed_in = move || session.session.with(Option::is_some);
    // QA reviews the incidents, and those who lead agents; an agent's own show on the cases.
    let reviews_incidents = move || {
        session.user().is_some_and(|user| {
            matches!(
                user.role,
                Role::Qa | Role::TeamLead | Role::Supervisor | Role::Admin
            )
        })
    };
    // The complaints' figures, for those who lead agents.
    let leads_a_team = move || {
        session.user().is_some_and(|user| {
            matches!(user.role, Role::TeamLead | Role::Supervisor | Role::Admin)
        })
    };
    // The supervisor's queue, for those who decide what is escalated to them.
    let decides_as_supervisor = move || {
        session
            .user()
            .is_some_and(|user| kefu_core::account::decides_as_supervisor(user.role))
    };
    view! {
        <Router>
            <header class="topbar">
                <A href=AppRoute::CaseList.href() attr:class="brand">{t!(i18n, app_name)}</A>
                <nav>
                    <A href=AppRoute::LogInquiry.href() attr:data-testid="nav-log-inquiry">{t!(i18n, nav_log_inquiry)}</A>
                    <A href=AppRoute::CaseList.href() attr:data-testid="nav-cases">{t!(i18n, nav_cases)}</A>
                    <A href=AppRoute::NewReturn.href() attr:data-testid="nav-new-return">{t!(i18n, nav_new_return)}</A>
                    <A href=AppRoute::Station.href() attr:data-testid="nav-station">{t!(i18n, nav_station)}</A>
                    <A href=AppRoute::Parcels.href() attr:data-testid="nav-parcels">{t!(i18n, nav_parcels)}</A>
                    <A href=AppRoute::AfterSales.href() attr:data-testid="nav-after-sales">{t!(i18n, nav_after_sales)}</A>
                    <A href=AppRoute::NewCase.href() attr:data-testid="nav-new-case">{t!(i18n, nav_new_case)}</A>
                    <A href=AppRoute::Customers.href() attr:data-testid="nav-customers">{t!(i18n, nav_customers)}</A>
                    <A href=AppRoute::Knowledge.href() attr:data-testid="nav-knowledge">{t!(i18n, nav_knowledge)}</A>
                    <A href=AppRoute::Problems.href() attr:data-testid="nav-problems">{t!(i18n, nav_problems)}</A>
                    <A href=AppRoute::Promises.href() attr:data-testid="nav-promises">{t!(i18n, nav_promises)}</A>
                    <A href=AppRoute::Outbox.href()>{t!(i18n, nav_outbox)}</A>
                    <Show when=reviews_incidents>
                        <A href=AppRoute::Incidents.href() attr:data-testid="nav-incidents">{t!(i18n, nav_incidents)}</A>
                    </Show>
                    <Show when=leads_a_team>
                        <A href=AppRoute::Complaints.href() attr:data-testid="nav-complaints">{t!(i18n, nav_complaints)}</A>
                    </Show>
                    <Show when=decides_as_supervisor>
                        <A href=AppRoute::Escalations.href() attr:data-testid="nav-escalations">{t!(i18n, nav_escalations)}</A>
                    </Show>
                </nav>
                <StatusBadge />
                <LangSwitch />
            </header>
            <UpdatePrompt />
            <UpdateRequired />
            <StorageWarning />
            <main>
                <Show when=move || session.loaded.get() fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                    <Show when=signed_in fallback=|| view! { <Login /> }>
                        <Routes fallback=|| view! { <CaseList /> }>
                            <Route path=path!("/") view=CaseList />
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
                            <Route path=path!("/customers") view=Customers />
                            <Route path=path!("/customers/:id") view=CustomerProfile />
                            <Route path=path!("/login") view=Login />
                        </Routes>
                    </Show>
                </Show>
            </main>
        </Router>
    }
}
