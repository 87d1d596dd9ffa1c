//! The app's pages as one typed enum: links are built from it, never from loose strings.

use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppRoute {
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
}

impl AppRoute {
    pub fn href(self) -> String {
        match self {
            AppRoute::CaseList => "/".into(),
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
        }
    }
}
