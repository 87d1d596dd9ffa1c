//! The API description (`/api/openapi.json`) against the code: every route the router answers
//! is described, nothing described is missing from the router, and the description served is
//! the one the code generates, with the session and the JSON errors on every operation.

use crate::common::{Api, Backend, seeded_db};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use kefu_server::openapi::documented_operations;
use serde_json::Value;

/// Every operation the router answers, by method and path (axum cannot list its routes):
/// adding a route without describing it fails the first test, and describing one the router
/// does not answer fails the second.
const ROUTES: [(&str, &str); 31] = [
    ("GET", "/api/health"),
    ("GET", "/api/openapi.json"),
    ("POST", "/api/login"),
    ("POST", "/api/logout"),
    ("GET", "/api/me"),
    ("POST", "/api/password"),
    ("GET", "/api/sessions"),
    ("DELETE", "/api/sessions/{id}"),
    ("GET", "/api/accounts"),
    ("POST", "/api/accounts"),
    ("PATCH", "/api/accounts/{username}"),
    ("POST", "/api/accounts/{username}/password"),
    ("GET", "/api/teams"),
    ("POST", "/api/teams"),
    ("PATCH", "/api/teams/{id}"),
    ("GET", "/api/policy.toml"),
    ("PUT", "/api/policy.toml"),
    ("GET", "/api/policy/versions"),
    ("GET", "/api/policy/versions/{id}"),
    ("GET", "/api/policy/diff"),
    ("GET", "/api/figures/monthly"),
    ("GET", "/api/figures/monthly.csv"),
    ("GET", "/api/figures/daily"),
    ("GET", "/api/figures/daily.csv"),
    ("GET", "/api/figures/daily-status"),
    ("POST", "/api/sync/push"),
    ("GET", "/api/sync/pull"),
    ("POST", "/api/sync/recover"),
    ("GET", "/api/photos/{hash}"),
    ("GET", "/api/photos/{hash}/upload"),
    ("PUT", "/api/photos/{hash}/upload"),
];

#[test]
fn every_route_is_described_and_nothing_else() {
    let mut described: Vec<(String, String)> = documented_operations()
        .into_iter()
        .map(|(method, path)| (method.to_owned(), path))
        .collect();
    described.sort();
    let mut routes: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(method, path)| ((*method).to_owned(), (*path).to_owned()))
        .collect();
    routes.sort();
    assert_eq!(described, routes);
}

#[tokio::test]
async fn every_described_operation_is_answered_by_its_route() {
    let db = seeded_db(Backend::Sqlite).await.unwrap();
    let api = Api::new(&db);
    for (method, path) in documented_operations() {
        let uri = path
            .replace("{id}", "x")
            .replace("{username}", "nobody")
            .replace("{hash}", &"a".repeat(64));
        let request = Request::builder()
            .method(method)
            .uri(&uri)
            .body(Body::empty())
            .unwrap();
        let (status, body) = api.call(request).await;
        // Without a session or a body every operation refuses, but as itself: never the
        // fallback's unknown path, never a wrong method.
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert_ne!(body["code"], "unknown_path", "{method} {path}: {body}");
    }
}

#[tokio::test]
async fn the_description_is_served_with_sessions_and_errors_on_every_operation() {
    let db = seeded_db(Backend::Sqlite).await.unwrap();
    let api = Api::new(&db);
    let request = Request::get("/api/openapi.json")
        .body(Body::empty())
        .unwrap();
    let (status, served) = api.call(request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        served,
        serde_json::to_value(<kefu_server::openapi::ApiDoc as utoipa::OpenApi>::openapi()).unwrap()
    );
    for (path, item) in served["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let public =
                ["/api/health", "/api/login", "/api/openapi.json"].contains(&path.as_str());
            assert_eq!(
                operation.get("security").is_some(),
                !public,
                "{method} {path}: a session unless public"
            );
            for status in [
                "400", "401", "403", "404", "405", "413", "415", "422", "429",
            ] {
                assert_eq!(
                    operation["responses"][status]["$ref"],
                    Value::from("#/components/responses/Refused"),
                    "{method} {path} {status}"
                );
            }
        }
    }
    assert_eq!(
        served["components"]["responses"]["Refused"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ErrorBody"
    );
}
