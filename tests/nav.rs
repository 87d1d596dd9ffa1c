//! Each role's menu, in headless Chromium with the other client tests: every page once, the
//! outbox always reachable, at most four links in the header, and the start page first.

use kefu::nav::{home, menu};
use kefu::routes::AppRoute::*;
use kefu::routes::ReportPart;
use kefu_core::account::Role;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_role_reaches_its_pages_once_and_starts_on_the_first() {
    for role in Role::ALL {
        let (header, more) = menu(role);
        let all: Vec<_> = header.iter().chain(more).collect();
        for (index, route) in all.iter().enumerate() {
            assert!(
                !all[index + 1..].contains(route),
                "{role:?} lists {route:?} twice"
            );
        }
        assert!(all.contains(&&Outbox), "{role:?} must reach its outbox");
        assert!(header.len() <= 4, "{role:?}: the header fits one line");
        assert_eq!(home(role), header[0]);
    }
    assert_eq!(home(Role::Packer), Station);
    assert!(!menu(Role::Packer).0.contains(&CaseList));
    assert!(!menu(Role::Agent).1.contains(&Accounts));
    for role in Role::ALL {
        let (_, more) = menu(role);
        let reaches_reports = more.contains(&Reports(ReportPart::Daily));
        assert_eq!(
            reaches_reports,
            kefu_core::account::roles::LEADS.contains(&role),
            "{role:?} and the team's reports"
        );
    }
    for role in Role::ALL {
        let (header, more) = menu(role);
        let reaches_policy = header.contains(&Policy) || more.contains(&Policy);
        assert_eq!(
            reaches_policy,
            role == Role::Admin,
            "{role:?} and the policy editor"
        );
    }
}
