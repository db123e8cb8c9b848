//! `GET /registrations` (the applicant's applications, newest first, paginated) and
//! `GET /registrations/{id}` (one, with status, reason and timeline). Nobody but the applicant sees them.
//! `GET /properties`: the owner's view of what they own ([`properties`]).
//! It also answers API Gateway's `$default` route (405 with `Allow`, or 404).

/// This function: its name and what invokes it (the local stack's table of functions reads it).
pub const FUNCTION: domain::function::FunctionSpec = domain::function::FunctionSpec {
    name: "service-history",
    triggers: &[
        domain::function::Trigger::Route("GET /registrations", domain::function::EdgeLimit::READS),
        domain::function::Trigger::Route("GET /registrations/{id}", domain::function::EdgeLimit::READS),
        domain::function::Trigger::Route(PROPERTIES_ROUTE, domain::function::EdgeLimit::READS),
        domain::function::Trigger::DefaultRoute,
    ],
};

pub const PROPERTIES_ROUTE: &str = "GET /properties";

mod properties;

use domain::clock::Clock;
use domain::ports::{ApplicationStore, ConsentStore, RegistrationStore, Registries, TimelineStore};
use domain::ApplicationId;
use http_edge::{caller_iin, json, path_param, ApplicationView, HttpResponse, Problem};
use lambda_http::{Request, RequestExt};
use serde::Serialize;
use std::sync::Arc;

pub const DEFAULT_PAGE: usize = 20;
pub const MAX_PAGE: usize = 50;

pub struct Deps {
    pub applications: Arc<dyn ApplicationStore>,
    pub timeline: Arc<dyn TimelineStore>,
    /// For `GET /properties`: what the caller owns, who is registered there, who waits for their consent.
    pub registries: Arc<dyn Registries>,
    pub registrations: Arc<dyn RegistrationStore>,
    pub consents: Arc<dyn ConsentStore>,
    pub clock: Arc<dyn Clock>,
}

impl Deps {
    /// This function's ports, from the AWS clients, the local stack or a test's world.
    pub fn from_ports(src: &dyn domain::wiring::PortSource) -> Result<Deps, domain::wiring::WiringError> {
        Ok(Deps {
            applications: src.applications()?,
            timeline: src.timeline()?,
            registries: src.registries()?,
            registrations: src.registrations()?,
            consents: src.consents()?,
            clock: src.clock(),
        })
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryPage {
    pub items: Vec<ApplicationView>,
    pub next_cursor: Option<String>,
}

#[tracing::instrument(name = "service-history", skip_all, fields(function = "service-history", applicationId = tracing::field::Empty))]
pub async fn handle(deps: &Deps, req: Request) -> HttpResponse {
    let lang = http_edge::language(&req);
    run(deps, req, lang).await.unwrap_or_else(|p| p.respond(lang))
}

async fn run(deps: &Deps, req: Request, lang: domain::Language) -> Result<HttpResponse, Problem> {
    let caller = caller_iin(&req)?;
    if http_edge::route_key(&req) == Some(http_edge::routes::DEFAULT_ROUTE) {
        // API Gateway's `$default` route: a request no route of the API takes.
        return Ok(http_edge::routes::not_routed(req.method().as_str(), req.uri().path()));
    }
    if http_edge::route_key(&req) == Some(PROPERTIES_ROUTE) {
        return properties::run(deps, &req, lang).await;
    }
    let unavailable = Problem::from;
    if let Some(id) = path_param(&req, "id") {
        let id = ApplicationId::parse(&id).ok_or_else(|| Problem::not_found("application"))?;
        tracing::Span::current().record("applicationId", tracing::field::display(&id));
        let app = deps.applications.get(&id).await.map_err(unavailable)?;
        let app = app.filter(|a| a.applicant == caller).ok_or_else(|| Problem::not_found("application"))?;
        let timeline = deps.timeline.list(&id).await.map_err(unavailable)?;
        return Ok(json(200, &ApplicationView::new(&app, Some(timeline), lang)));
    }
    let query = req.query_string_parameters();
    let limit = match query.first("limit") {
        None => DEFAULT_PAGE,
        Some(l) => l.parse::<usize>().ok().filter(|l| (1..=MAX_PAGE).contains(l)).ok_or_else(|| {
            Problem::invalid_field("limit", "LIMIT_1_TO_50", format!("limit is a whole number from 1 to {MAX_PAGE}"))
        })?,
    };
    let cursor = query.first("cursor");
    let page = deps.applications.list_for_applicant(&caller, limit, cursor).await.map_err(unavailable)?;
    let items = page.items.iter().map(|a| ApplicationView::new(a, None, lang)).collect();
    Ok(json(200, &HistoryPage { items, next_cursor: page.next_cursor }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{RegistrationKind, RegistrationReason, Status};
    use serde_json::json;
    use test_kit::*;

    const LIST: &str = include_str!("../../../events/service-history/list.json");
    const GET: &str = include_str!("../../../events/service-history/get.json");

    fn deps(w: &World) -> Deps {
        Deps::from_ports(w).expect("the world has every port")
    }

    async fn seed(w: &World, id: ApplicationId, applicant: &str, registrant: &str, minute: i64) {
        let mut app = application(applicant, registrant, FLAT_AIGERIM);
        app.id = id;
        app.draft.kind = RegistrationKind::Temporary { months: 6 };
        app.draft.reason = RegistrationReason::Rental;
        app.submitted_at = now() + chrono::Duration::minutes(minute);
        w.store.create(&app, &[], &domain::ports::Admission::default()).await.expect("create");
        w.store.set_status(&app, &Status::OPEN, Status::Rejected, &[], now(), &[]).await.expect("close");
    }

    fn event_id() -> ApplicationId {
        let v: serde_json::Value = serde_json::from_str(GET).expect("event");
        ApplicationId::parse(v["pathParameters"]["id"].as_str().expect("id")).expect("id")
    }

    #[tokio::test]
    async fn the_applicant_reads_it_nobody_else() {
        let w = World::new();
        seed(&w, event_id(), DAULET, DAULET, 0).await;
        let resp = handle(&deps(&w), api_request(GET, |_| {})).await;
        assert_eq!(resp.status(), 200);
        let body = response_json(&resp);
        assert_eq!(
            (body["status"].as_str(), body["kind"].as_str(), body["months"].as_u64()),
            (Some("REJECTED"), Some("TEMPORARY"), Some(6))
        );
        assert!(body["timeline"].is_array());
        let stranger = handle(&deps(&w), api_request(GET, |v| as_caller(v, AIGERIM))).await;
        assert_eq!(stranger.status(), 404);
        assert_eq!(stranger.headers()["content-type"], "application/problem+json");
    }

    #[tokio::test]
    async fn lists_newest_first_in_pages() {
        let w = World::new();
        let ids: Vec<ApplicationId> = (0..5).map(|_| ApplicationId::new()).collect();
        for (i, id) in ids.iter().enumerate() {
            seed(&w, id.clone(), DAULET, DAULET, i as i64).await;
        }
        seed(&w, ApplicationId::new(), AIGERIM, AIGERIM, 9).await;
        let page1 = response_json(
            &handle(
                &deps(&w),
                api_request(LIST, |v| {
                    v["queryStringParameters"] = json!({"limit": "2"});
                    v["rawQueryString"] = json!("limit=2");
                }),
            )
            .await,
        );
        let got: Vec<&str> =
            page1["items"].as_array().expect("items").iter().filter_map(|a| a["id"].as_str()).collect();
        assert_eq!(got, vec![ids[4].as_str(), ids[3].as_str()]);
        let cursor = page1["nextCursor"].as_str().expect("more").to_string();
        let page2 = response_json(
            &handle(
                &deps(&w),
                api_request(LIST, |v| {
                    v["queryStringParameters"] = json!({"limit": "10", "cursor": cursor});
                    v["rawQueryString"] = json!(format!("limit=10&cursor={cursor}"));
                }),
            )
            .await,
        );
        assert_eq!(page2["items"].as_array().expect("items").len(), 3);
        assert_eq!(page2["nextCursor"], serde_json::Value::Null);
    }

    #[tokio::test]
    async fn bad_limit_is_400() {
        let w = World::new();
        let resp = handle(
            &deps(&w),
            api_request(LIST, |v| {
                v["queryStringParameters"] = json!({"limit": "500"});
                v["rawQueryString"] = json!("limit=500");
            }),
        )
        .await;
        assert_eq!(resp.status(), 400);
        assert_eq!(response_json(&resp)["field"], "limit");
    }
}
