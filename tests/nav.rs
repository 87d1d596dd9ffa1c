//! Each role's menu, in headless Chromium with the other client tests: every page once, the
//! outbox always reachable, at most four links in the header, and the start page first; and every
//! page's address read back as that page.

use kefu::nav::{home, menu};
use kefu::routes::AppRoute::*;
use kefu::routes::{AppRoute, PolicyPart, ReportPart};
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

#[wasm_bindgen_test]
fn every_page_s_address_reads_back_as_that_page() {
    let case = uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
    let mut pages = vec![
        Home,
        CaseList,
        NewCase,
        CaseDetail(case),
        Outbox,
        Incidents,
        LogInquiry,
        Customers,
        CustomerProfile(case),
        Promises,
        Knowledge,
        Problems,
        NewReturn,
        Station,
        Parcels,
        AfterSales,
        Escalations,
        Complaints,
        Shift,
        Qa,
        Account,
        Accounts,
        Policy,
        SignIn,
    ];
    pages.extend(ReportPart::ALL.map(Reports));
    pages.extend(PolicyPart::ALL.map(PolicyPage));
    for page in pages {
        assert_eq!(AppRoute::parse(&page.href()), Some(page), "{}", page.href());
    }
}

#[wasm_bindgen_test]
fn an_address_reads_as_its_page_or_as_none() {
    let case = "0190a000-0000-7000-8000-000000000001";
    let table: [(&str, Option<AppRoute>); 11] = [
        ("/", Some(Home)),
        ("", Some(Home)),
        ("/cases/", Some(CaseList)),
        ("/cases/new", Some(NewCase)),
        (
            &format!("/cases/{case}"),
            Some(CaseDetail(case.parse().unwrap())),
        ),
        // A mangled id is a case that is not found, not another page.
        ("/cases/not-an-id", Some(CaseDetail(uuid::Uuid::nil()))),
        ("/reports/nope", Some(Reports(ReportPart::Daily))),
        ("/policy/nope", Some(Policy)),
        (
            "/policy/score-sheet",
            Some(PolicyPage(PolicyPart::ScoreSheet)),
        ),
        ("/nowhere", None),
        ("/cases/new/more", None),
    ];
    for (path, page) in table {
        assert_eq!(AppRoute::parse(path), page, "{path}");
    }
}
