//! The app's pages as one typed enum: links are built from it, never from loose strings, and
//! the address in the browser is read back into it (`parse`), the one route table.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use leptos_router::location::{BrowserUrl, LocationProvider};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppRoute {
    /// Each role's start page (`nav::home`).
    Home,
    CaseList,
    NewCase,
    CaseDetail(Uuid),
    Outbox,
    Incidents,
    LogInquiry,
    Customers,
    CustomerProfile(Uuid),
    Promises,
    Knowledge,
    Problems,
    NewReturn,
    Station,
    Parcels,
    AfterSales,
    Escalations,
    Complaints,
    /// The shift page (交接班): the pinned cases and the handovers.
    Shift,
    /// Quality inspection (质检): picking cases to review, and the reviews.
    Qa,
    /// The team's reports (运营日报, 绩效考核月报) and the call log's import, for leads.
    Reports(ReportPart),
    Account,
    Accounts,
    /// The policy editor's index, for admins.
    Policy,
    PolicyPage(PolicyPart),
    /// The sign-in form, also when signed in: signing in as someone else on a shared device.
    SignIn,
}

/// The parts of the policy, each edited on its own page, and its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyPart {
    Phrases,
    Categories,
    Tiers,
    Calendar,
    Limits,
    Inspection,
    ScoreSheet,
    Scripts,
    History,
}

impl PolicyPart {
    pub const ALL: [PolicyPart; 9] = [
        PolicyPart::Phrases,
        PolicyPart::Categories,
        PolicyPart::Tiers,
        PolicyPart::Calendar,
        PolicyPart::Limits,
        PolicyPart::Inspection,
        PolicyPart::ScoreSheet,
        PolicyPart::Scripts,
        PolicyPart::History,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            PolicyPart::Phrases => "phrases",
            PolicyPart::Categories => "categories",
            PolicyPart::Tiers => "tiers",
            PolicyPart::Calendar => "calendar",
            PolicyPart::Limits => "limits",
            PolicyPart::Inspection => "inspection",
            PolicyPart::ScoreSheet => "score-sheet",
            PolicyPart::Scripts => "scripts",
            PolicyPart::History => "history",
        }
    }

    pub fn from_slug(slug: &str) -> Option<PolicyPart> {
        PolicyPart::ALL.into_iter().find(|part| part.slug() == slug)
    }
}

/// The reports, each on its own page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportPart {
    /// 运营日报: the team's previous 24 hours.
    Daily,
    /// 绩效考核月报: each agent's month.
    Monthly,
    /// 每周差评分析: the week's dissatisfied callbacks by cause.
    Weekly,
    /// The phone system's call log, imported for the answer rate.
    Calls,
}

impl ReportPart {
    pub const ALL: [ReportPart; 4] = [
        ReportPart::Daily,
        ReportPart::Monthly,
        ReportPart::Weekly,
        ReportPart::Calls,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            ReportPart::Daily => "daily",
            ReportPart::Monthly => "kpis",
            ReportPart::Weekly => "weekly",
            ReportPart::Calls => "calls",
        }
    }

    pub fn from_slug(slug: &str) -> Option<ReportPart> {
        ReportPart::ALL.into_iter().find(|part| part.slug() == slug)
    }
}

impl AppRoute {
    pub fn href(self) -> String {
        match self {
            AppRoute::Home => "/".into(),
            AppRoute::CaseList => "/cases".into(),
            AppRoute::NewCase => "/cases/new".into(),
            AppRoute::CaseDetail(id) => format!("/cases/{id}"),
            AppRoute::Outbox => "/outbox".into(),
            AppRoute::Incidents => "/incidents".into(),
            AppRoute::LogInquiry => "/inquiries/new".into(),
            AppRoute::Customers => "/customers".into(),
            AppRoute::CustomerProfile(id) => format!("/customers/{id}"),
            AppRoute::Promises => "/promises".into(),
            AppRoute::Knowledge => "/knowledge".into(),
            AppRoute::Problems => "/problems".into(),
            AppRoute::NewReturn => "/returns/new".into(),
            AppRoute::Station => "/station".into(),
            AppRoute::Parcels => "/parcels".into(),
            AppRoute::AfterSales => "/returns/summary".into(),
            AppRoute::Escalations => "/escalations".into(),
            AppRoute::Complaints => "/complaints".into(),
            AppRoute::Shift => "/shift".into(),
            AppRoute::Qa => "/qa".into(),
            AppRoute::Reports(part) => format!("/reports/{}", part.slug()),
            AppRoute::Account => "/account".into(),
            AppRoute::Accounts => "/accounts".into(),
            AppRoute::Policy => "/policy".into(),
            AppRoute::PolicyPage(part) => format!("/policy/{}", part.slug()),
            AppRoute::SignIn => "/login".into(),
        }
    }

    /// The page at an address (`href`'s inverse); `None` for an address that is no page.
    /// A policy part or report that does not exist opens the policy's index or the daily report,
    /// and a case or customer address whose id is not one opens "not found" (the nil id, which
    /// no record has).
    pub fn parse(path: &str) -> Option<AppRoute> {
        use AppRoute::*;
        let segments: Vec<&str> = path
            .split('/')
            .filter(|segment| !segment.is_empty())
            .collect();
        let id = |text: &str| Uuid::parse_str(text).unwrap_or_default();
        Some(match segments.as_slice() {
            [] => Home,
            ["cases"] => CaseList,
            ["cases", "new"] => NewCase,
            ["cases", case] => CaseDetail(id(case)),
            ["outbox"] => Outbox,
            ["incidents"] => Incidents,
            ["inquiries", "new"] => LogInquiry,
            ["customers"] => Customers,
            ["customers", customer] => CustomerProfile(id(customer)),
            ["promises"] => Promises,
            ["knowledge"] => Knowledge,
            ["problems"] => Problems,
            ["returns", "new"] => NewReturn,
            ["station"] => Station,
            ["parcels"] => Parcels,
            ["returns", "summary"] => AfterSales,
            ["escalations"] => Escalations,
            ["complaints"] => Complaints,
            ["shift"] => Shift,
            ["qa"] => Qa,
            ["reports", part] => Reports(ReportPart::from_slug(part).unwrap_or(ReportPart::Daily)),
            ["account"] => Account,
            ["accounts"] => Accounts,
            ["policy"] => Policy,
            ["policy", part] => PolicyPart::from_slug(part).map_or(Policy, PolicyPage),
            ["login"] => SignIn,
            _ => return None,
        })
    }
}

/// The page the browser's address names, for the pages that read their part of it (a case's id,
/// a report). An address that is no page is each role's start page.
#[derive(Clone, Copy)]
pub struct RouteContext(Memo<AppRoute>);

/// Provides the current page; inside the `<Router>`, which tracks the address.
pub fn provide_route_context() -> Memo<AppRoute> {
    let location = use_location();
    let route = Memo::new(move |_| {
        location
            .pathname
            .with(|path| AppRoute::parse(path))
            .unwrap_or(AppRoute::Home)
    });
    // A link's click changes the router's address at once, but the browser's address bar (and
    // its history) only when told the new page is ready, which leptos_router's `<Routes>` did:
    // the page is built in the same turn as the address changes, so it is told at once.
    if let Some(browser) = use_context::<BrowserUrl>() {
        Effect::new(move |_| {
            location.pathname.track();
            browser.ready_to_complete();
        });
    }
    provide_context(RouteContext(route));
    route
}

pub fn use_route() -> Memo<AppRoute> {
    expect_context::<RouteContext>().0
}
