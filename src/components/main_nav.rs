//! The header's links for the signed-in user's role (`nav::menu`): the first few in line, the
//! rest under "More", which closes once a page is picked.

use crate::components::user_menu::toggle;
use crate::i18n::{t, use_i18n};
use crate::nav;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn MainNav() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let open = RwSignal::new(false);
    move || {
        session.user().map(|user| {
            let (header, more) = nav::menu(user.role);
            let role = user.role;
            view! {
                <nav>
                    {header.iter().map(|route| view! {
                        <A href=route.href() attr:data-testid=nav::test_id(*route)>{nav::label(i18n, *route, role)}</A>
                    }).collect_view()}
                    <details class="more-menu" prop:open=open>
                        <summary data-testid="nav-more" on:click=move |ev| toggle(ev, open)>{t!(i18n, nav_more)}</summary>
                        <div class="menu">
                            {more.iter().map(|route| view! {
                                <A href=route.href() on:click=move |_| open.set(false) attr:data-testid=nav::test_id(*route)>
                                    {nav::label(i18n, *route, role)}
                                </A>
                            }).collect_view()}
                        </div>
                    </details>
                </nav>
            }
        })
    }
}
