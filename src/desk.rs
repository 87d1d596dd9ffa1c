//! The signed-in desk: the page at the browser's address, the shift page's opening, the cases
//! shared by the pages, and the role's chunks loaded ahead. It is a chunk of its own
//! (`lazy::desk`), loaded once someone is signed in, so the sign-in form of a fresh tablet
//! waits for none of it.

use crate::app::ShellScope;
use crate::cases::{CasesContext, provide_cases_context, use_cases};
use crate::lazy;
use crate::nav;
use crate::pages::case_list::CaseList;
use crate::pages::login::Login;
use crate::policy::keep_policy_decoded;
use crate::routes::{AppRoute, provide_route_context};
use crate::session::use_session;
use crate::shift_start::ShiftStart;
use leptos::prelude::*;

#[component]
pub fn Desk() -> impl IntoView {
    let session = use_session();
    // The cases, read once and kept while the app runs, and the policy's decoding: set up at
    // the desk's first showing, in the shell's scope, so taking the desk down (the lock screen,
    // a sign-out) neither frees what a read under way still writes to nor makes the next
    // showing read 10,000 rows or decode the policy again.
    if use_context::<CasesContext>().is_none() {
        let ShellScope(shell) = expect_context::<ShellScope>();
        shell.with(|| {
            provide_cases_context();
            keep_policy_decoded();
        });
    }
    // Once someone is signed in and the page shown has its cases, their pages' chunks load in
    // the background. Not sooner: a chunk's fetches queue behind those started before them, and
    // the role's pages need about ninety modules, so the first screen's own (the pending
    // overlay's, while a change waits: 240 ms of an offline cold start) came after them all.
    // A memo: the effect runs again only when the role itself changes, not on every session
    // update or read of the cases.
    let cases = use_cases();
    let role = Memo::new(move |_| {
        session
            .user()
            .map(|user| user.role)
            .filter(|_| cases.first_read_done())
    });
    Effect::new(move |_| {
        if let Some(role) = role.get() {
            lazy::prefetch_for(role);
        }
    });
    view! {
        <ShiftStart />
        <CurrentPage />
    }
}

/// The page at the browser's address (`AppRoute::parse`), built again when it names another.
/// Not leptos_router's `<Routes>`: its matching is generic over every route's path and view,
/// and the 26 routes made it 23 KB brotli of the first load, to do what one `match` does here.
#[component]
fn CurrentPage() -> impl IntoView {
    let route = provide_route_context();
    move || {
        let route = route.get();
        match (lazy::split_page_of(route), route) {
            (Some(split), _) => (split.page)(),
            (None, AppRoute::CaseList) => view! { <CaseList /> }.into_any(),
            (None, AppRoute::SignIn) => view! { <Login /> }.into_any(),
            (None, _) => view! { <Home /> }.into_any(),
        }
    }
}

/// Where each role starts (`nav::home`): the packing station for a packer, the cases for the desk.
#[component]
fn Home() -> impl IntoView {
    let session = use_session();
    let home = Memo::new(move |_| session.user().map(|user| nav::home(user.role)));
    move || match home.get() {
        Some(AppRoute::Station) => lazy::station::PAGE(),
        _ => view! { <CaseList /> }.into_any(),
    }
}
