//! One API, three places: the template's HttpApi events, the local stack's routes, the OpenAPI document
//! (which the local stack serves at `/openapi.yaml`).

use crate::template::http_routes;
use std::collections::BTreeSet;

#[test]
fn template_local_stack_and_openapi_have_the_same_routes() {
    let template = http_routes();
    let local: BTreeSet<(String, String, String)> = local_stack::routes::routes()
        .map(|(key, f)| {
            let (m, p) = key.split_once(' ').expect("route key");
            (m.to_string(), p.to_string(), f.to_string())
        })
        .collect();
    let mut with_fallback = local.clone();
    let fallback = local_stack::routes::fallback().expect("a function takes $default");
    with_fallback.insert(("ANY".to_string(), "$default".to_string(), fallback.to_string()));
    assert_eq!(template, with_fallback, "template (left) and local stack (right)");
    let keys: BTreeSet<&str> = local_stack::routes::routes().map(|(k, _)| k).collect();
    assert_eq!(keys, http_edge::routes::ROUTE_KEYS.into_iter().collect(), "the functions know the same routes");

    let doc: serde_norway::Value = serde_norway::from_str(local_stack::OPENAPI).expect("OpenAPI is YAML");
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_mapping().expect("paths") {
        for (method, op) in item.as_mapping().expect("path item") {
            let method = method.as_str().expect("method").to_uppercase();
            let function = op["x-function"].as_str().expect("every operation names its x-function");
            documented.insert((method, path.as_str().expect("path").to_string(), function.to_string()));
        }
    }
    assert_eq!(documented, local, "OpenAPI (left) and local stack (right)");
}

#[tokio::test]
async fn the_local_stack_serves_the_openapi_document() {
    let app = tests::spawn_app().await;
    let r = app.http.get(format!("{}/openapi.yaml", app.base)).send().await.expect("get");
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.expect("body"), local_stack::OPENAPI);
}
