//! The API's OpenAPI description, served at `/api/openapi.json`: each operation is declared
//! beside its handler (`#[utoipa::path]`), each body by the type the handler reads or writes
//! (`kefu_core`'s, with its `openapi` feature). What every operation shares is added here once:
//! the bearer session, and the JSON error answer with each status the API may refuse with.

use crate::error::ErrorBody;
use crate::{accounts, auth, figures, photos, policy, sync};
use axum::Json;
use kefu_core::lang::Lang;
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

/// Operations anyone may call, without a session.
const PUBLIC: [&str; 3] = ["/api/health", "/api/login", "/api/openapi.json"];

/// Every status an API answer may refuse with (`error.rs`), each as the JSON error: a body
/// that is not JSON (400), no or an ended session (401), a role or team that may not (403),
/// nothing there (404), a wrong method (405), a name taken or a chunk out of step (409), a body
/// over the limit (413), a wrong content type or a photo that is not a JPEG (415), a body of the
/// wrong shape or a value refused (422), an app too old (426), too fast (429).
const REFUSALS: [&str; 11] = [
    "400", "401", "403", "404", "405", "409", "413", "415", "422", "426", "429",
];

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kefu",
        description = "The customer-service team's sync, accounts, policy and figures. Every error is JSON with a stable code and a message in Chinese and English."
    ),
    paths(
        health,
        openapi_json,
        auth::login,
        auth::logout,
        auth::me,
        accounts::change_password,
        accounts::sessions,
        accounts::end_session,
        accounts::list,
        accounts::create,
        accounts::update,
        accounts::reset_password,
        accounts::teams,
        accounts::create_team,
        accounts::rename_team,
        policy::export,
        policy::import,
        policy::versions,
        policy::version,
        policy::diff,
        figures::monthly,
        figures::monthly_csv,
        figures::daily,
        figures::daily_csv,
        figures::daily_states,
        sync::push,
        sync::pull,
        sync::recover,
        photos::view,
        photos::upload_status,
        photos::upload_chunk,
    ),
    // `Lang` is a query parameter's type, which paths do not collect themselves.
    components(schemas(ErrorBody, Lang)),
    modifiers(&SharedByEveryOperation)
)]
pub struct ApiDoc;

/// Adds the bearer session to every operation but the public ones, and the JSON error answer
/// for every refusal status to every operation.
struct SharedByEveryOperation;

impl utoipa::Modify for SharedByEveryOperation {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        let refused = ResponseBuilder::new()
            .description("Refused: the code says why, the message in both languages")
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(RefOr::Ref(Ref::from_schema_name("ErrorBody"))))
                    .build(),
            )
            .build();
        components
            .responses
            .insert("Refused".to_owned(), RefOr::T(refused));
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                for status in REFUSALS {
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name("Refused")));
                }
                if !PUBLIC.contains(&path.as_str()) {
                    operation.security = Some(vec![SecurityRequirement::new(
                        "bearer",
                        Vec::<String>::new(),
                    )]);
                }
            }
        }
    }
}

/// Every documented operation, as (method, path): what the router test compares with the
/// routes.
pub fn documented_operations() -> Vec<(&'static str, String)> {
    let mut operations = Vec::new();
    for (path, item) in ApiDoc::openapi().paths.paths {
        let methods = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ];
        for (method, documented) in methods {
            if documented {
                operations.push((method, path.clone()));
            }
        }
    }
    operations
}

#[utoipa::path(get, path = "/api/health", tag = "server", responses((status = 200, description = "The server answers", body = String, content_type = "text/plain")))]
pub async fn health() -> &'static str {
    "ok"
}

#[utoipa::path(get, path = "/api/openapi.json", tag = "server", responses((status = 200, description = "This description", body = Object)))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
