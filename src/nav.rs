//! Which pages each role's menu holds, and where each role starts: a packer the station, the
//! desk the case list. The first few are in the header, the rest under "More", so the header
//! stays one line on a tablet. A menu only saves searching: the server decides what each role
//! may do, whatever page they open.

use crate::i18n::{Locale, t};
use crate::routes::AppRoute::{self, *};
use crate::routes::ReportPart;
use kefu_core::account::Role;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The role's pages: those in the header, then those under "More".
pub fn menu(role: Role) -> (&'static [AppRoute], &'static [AppRoute]) {
    match role {
        Role::Packer => (&[Station, Parcels], &[CaseList, Outbox]),
        Role::Agent => (
            &[CaseList, LogInquiry, Customers, Promises],
            &[
                Shift, NewCase, NewReturn, Knowledge, Problems, Incidents, Qa, Station, Parcels,
                AfterSales, Outbox,
            ],
        ),
        Role::TeamLead => (
            &[CaseList, LogInquiry, Complaints, Incidents],
            &[
                Shift,
                Reports(ReportPart::Daily),
                Qa,
                Customers,
                Promises,
                NewCase,
                NewReturn,
                Knowledge,
                Problems,
                Station,
                Parcels,
                AfterSales,
                Accounts,
                Outbox,
            ],
        ),
        Role::Qa => (
            &[CaseList, Qa, Incidents],
            &[Customers, Knowledge, Problems, Outbox],
        ),
        Role::Supervisor => (
            &[CaseList, Escalations, Complaints],
            &[
                Shift,
                Reports(ReportPart::Daily),
                LogInquiry,
                Customers,
                Promises,
                NewCase,
                NewReturn,
                Incidents,
                Qa,
                Knowledge,
                Problems,
                Station,
                Parcels,
                AfterSales,
                Outbox,
            ],
        ),
        Role::Admin => (
            &[CaseList, Accounts, Policy],
            &[
                Shift,
                Reports(ReportPart::Daily),
                LogInquiry,
                Customers,
                Promises,
                NewCase,
                NewReturn,
                Escalations,
                Complaints,
                Incidents,
                Qa,
                Knowledge,
                Problems,
                Station,
                Parcels,
                AfterSales,
                Outbox,
            ],
        ),
    }
}

/// Where the role starts.
pub fn home(role: Role) -> AppRoute {
    menu(role).0[0]
}

/// The link's test id: `nav-` and the page.
pub fn test_id(route: AppRoute) -> &'static str {
    match route {
        Home => "nav-home",
        CaseList => "nav-cases",
        NewCase => "nav-new-case",
        Outbox => "nav-outbox",
        Incidents => "nav-incidents",
        LogInquiry => "nav-log-inquiry",
        Customers => "nav-customers",
        Promises => "nav-promises",
        Knowledge => "nav-knowledge",
        Problems => "nav-problems",
        NewReturn => "nav-new-return",
        Station => "nav-station",
        Parcels => "nav-parcels",
        AfterSales => "nav-after-sales",
        Escalations => "nav-escalations",
        Complaints => "nav-complaints",
        Shift => "nav-shift",
        Qa => "nav-qa",
        Reports(_) => "nav-reports",
        Account => "nav-account",
        Accounts => "nav-accounts",
        Policy => "nav-policy",
        SignIn => "nav-sign-in",
        CaseDetail(_) | CustomerProfile(_) | PolicyPage(_) => "nav-record",
    }
}

/// The link's text; a team lead's accounts page is their team's members.
pub fn label(i18n: I18nContext<Locale>, route: AppRoute, role: Role) -> AnyView {
    match route {
        Home | CaseList => t!(i18n, nav_cases).into_any(),
        NewCase => t!(i18n, nav_new_case).into_any(),
        Outbox => t!(i18n, nav_outbox).into_any(),
        Incidents => t!(i18n, nav_incidents).into_any(),
        LogInquiry => t!(i18n, nav_log_inquiry).into_any(),
        Customers => t!(i18n, nav_customers).into_any(),
        Promises => t!(i18n, nav_promises).into_any(),
        Knowledge => t!(i18n, nav_knowledge).into_any(),
        Problems => t!(i18n, nav_problems).into_any(),
        NewReturn => t!(i18n, nav_new_return).into_any(),
        Station => t!(i18n, nav_station).into_any(),
        Parcels => t!(i18n, nav_parcels).into_any(),
        AfterSales => t!(i18n, nav_after_sales).into_any(),
        Escalations => t!(i18n, nav_escalations).into_any(),
        Shift => t!(i18n, nav_shift).into_any(),
        Qa => t!(i18n, nav_qa).into_any(),
        Reports(_) => t!(i18n, nav_reports).into_any(),
        Complaints => t!(i18n, nav_complaints).into_any(),
        Account => t!(i18n, nav_account).into_any(),
        Accounts if role == Role::Admin => t!(i18n, nav_accounts).into_any(),
        Accounts => t!(i18n, nav_members).into_any(),
        Policy | PolicyPage(_) => t!(i18n, nav_policy).into_any(),
        CaseDetail(_) | CustomerProfile(_) => t!(i18n, nav_cases).into_any(),
        SignIn => t!(i18n, login_submit).into_any(),
    }
}
