//! Bad input gets a 4xx `application/problem+json` naming the field and the rule, and changes nothing.

use serde_json::json;
use tests::*;

async fn assert_problem(r: &Reply, status: u16, field: Option<&str>, rule: Option<&str>) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.headers["content-type"], "application/problem+json");
    assert_eq!(r.body["status"], status);
    if let Some(f) = field {
        assert_eq!(r.body["field"], f, "{}", r.body);
    }
    if let Some(rule) = rule {
        assert_eq!(r.body["rule"], rule, "{}", r.body);
    }
}

#[tokio::test]
async fn every_kind_of_bad_input_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let raw = |body: &str| body.as_bytes().to_vec();
    let r = app.post_raw(Some(DAULET), "/registrations", raw("{\"registrantIin\": "), "application/json").await;
    assert_problem(&r, 400, None, Some("JSON_SYNTAX")).await;

    let mut bad_iin = form(DAULET, FLAT_AIGERIM);
    bad_iin["registrantIin"] = json!("880702300118");
    assert_problem(
        &app.post(DAULET, "/registrations", &bad_iin).await,
        400,
        Some("registrantIin"),
        Some("IIN_CHECK_DIGIT"),
    )
    .await;
    bad_iin["registrantIin"] = json!("880732300117");
    assert_problem(
        &app.post(DAULET, "/signing-codes", &bad_iin).await,
        400,
        Some("registrantIin"),
        Some("IIN_BIRTH_DATE"),
    )
    .await;

    let mut unknown = form(DAULET, FLAT_AIGERIM);
    unknown["favouriteColour"] = json!("blue");
    assert_problem(
        &app.post(DAULET, "/registrations", &unknown).await,
        400,
        Some("favouriteColour"),
        Some("UNKNOWN_FIELD"),
    )
    .await;

    let mut months = form(DAULET, FLAT_AIGERIM);
    months["kind"] = json!("TEMPORARY");
    months["months"] = json!(13);
    assert_problem(
        &app.post(DAULET, "/registrations/precheck", &months).await,
        400,
        Some("months"),
        Some("TEMPORARY_1_TO_12_MONTHS"),
    )
    .await;

    let mut rka = form(DAULET, "12345");
    rka["movedInOn"] = json!(today_minus(0));
    assert_problem(&app.post(DAULET, "/registrations", &rka).await, 400, Some("rka"), Some("RKA_FORMAT")).await;

    let mut future = form(DAULET, FLAT_AIGERIM);
    future["movedInOn"] = json!("2999-01-01");
    assert_problem(&app.post(DAULET, "/registrations", &future).await, 400, Some("movedInOn"), Some("NOT_IN_FUTURE"))
        .await;

    let big = format!("{{\"registrantIin\":\"{}\"}}", "1".repeat(20_000));
    assert_problem(&app.post_raw(Some(DAULET), "/registrations", raw(&big), "application/json").await, 413, None, None)
        .await;
    let huge = vec![b' '; 2 * 1024 * 1024];
    let r = app.post_raw(Some(DAULET), "/registrations", huge, "application/json").await;
    assert_eq!(r.status, 413);

    let r =
        app.post_raw(Some(DAULET), "/registrations", raw("registrantIin=1"), "application/x-www-form-urlencoded").await;
    assert_problem(&r, 415, None, None).await;

    let r = app.post_raw(None, "/registrations", raw("{}"), "application/json").await;
    assert_eq!(r.status, 401, "no token");
    let r = app
        .http
        .post(format!("{}/registrations", app.base))
        .bearer_auth("not.a.token")
        .json(&json!({}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 401, "forged token");

    let bad_decision = app
        .post(AIGERIM, "/consents/cns-00000000-0000-4000-8000-000000000000/decision", &json!({"decision": "PERHAPS"}))
        .await;
    assert_problem(&bad_decision, 400, Some("decision"), Some("DECISION_VALUES")).await;

    assert_eq!(app.local("/health").await["applications"], 0, "nothing stored");
    assert_eq!(app.sms_count().await, 0, "nothing sent");
    assert_eq!(app.local("/executions").await["executions"], json!([]));
}

#[tokio::test]
async fn local_controls_refuse_bad_input_too() {
    let app = spawn_app().await;
    let r = app.local_post("/token", &json!({"iin": "123"})).await;
    assert_eq!((r.status, r.body["field"].as_str()), (400, Some("iin")));
    let r = app.local_post("/clock/advance", &json!({"seconds": -5})).await;
    assert_eq!((r.status, r.body["field"].as_str()), (400, Some("seconds")));
    // API Gateway's $default route sits behind the authorizer too.
    let r = app.http.get(format!("{}/nowhere", app.base)).send().await.expect("get");
    assert_eq!(r.status().as_u16(), 401);
    let r = app.get(DAULET, "/nowhere").await;
    assert_eq!((r.status, r.body["type"].as_str()), (404, Some("urn:problem:residence-registration:no-such-route")));
    let token = app.token(DAULET).await;
    let url = format!("{}/registrations", app.base);
    let r = app.http.request(reqwest::Method::TRACE, url).bearer_auth(token).send().await.expect("trace");
    assert_eq!(r.status().as_u16(), 405, "a path of the API with another method");
    assert_eq!(r.headers()["allow"], "POST, GET");
}
