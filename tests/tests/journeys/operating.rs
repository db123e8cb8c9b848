//! What operators rely on: one trace per application in the logs, business metrics per outcome, and the
//! address-volume review flag.

use serde_json::Value;
use tests::privacy::captured_logs;
use tests::*;

/// The captured log lines of one application, by the function that wrote them.
fn lines_of(id: &str) -> Vec<Value> {
    captured_logs().into_iter().filter(|l| l["applicationId"] == id).collect()
}

async fn consent_request_code(app: &App, owner_phone: &str, seen: usize) -> String {
    app.next_consent_code(owner_phone, seen).await
}

#[tokio::test]
async fn one_application_is_one_trace_across_its_functions() {
    let app = spawn_app().await;
    let trace = "Root=1-69258c00-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1";
    let signed = app.signed(DAULET, PHONE_DAULET, &form(DAULET, FLAT_AIGERIM)).await;
    let r = app.post_with(DAULET, "/registrations", &signed, &[("X-Amzn-Trace-Id", trace)]).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["id"].as_str().expect("id").to_string();
    let seen = app.outbox(PHONE_AIGERIM).await.len();
    let code = consent_request_code(&app, PHONE_AIGERIM, seen.saturating_sub(1)).await;
    app.sms_reply(PHONE_AIGERIM, &format!("ИӘ {code}")).await;
    app.wait_for(DAULET, &id, "REGISTERED").await;
    app.settle().await;

    let lines = lines_of(&id);
    // reconcile (after the execution ended) joins the same trace when it has run by now.
    let mut functions: Vec<&str> =
        lines.iter().filter_map(|l| l["function"].as_str()).filter(|f| *f != "reconcile").collect();
    functions.sort();
    functions.dedup();
    assert_eq!(functions, ["check-eligibility", "finalize", "record-reply", "request-consent", "submit"], "{lines:?}");
    for line in &lines {
        assert!(line["requestId"].as_str().is_some_and(|r| !r.is_empty()), "no request id: {line}");
        assert_eq!(line["executionName"].as_str().unwrap_or(&id), id, "{line}");
        let traced = line["xrayTraceId"].as_str().unwrap_or_default();
        if line["function"] != "record-reply" {
            // The owner's SMS starts its own trace; every step of the application carries the submit's.
            assert!(traced.starts_with("Root=1-69258c00-0123456789abcdef01234567"), "{line}");
        }
    }
}

#[tokio::test]
async fn business_metrics_count_every_outcome() {
    let app = spawn_app().await;
    let registered = app.apply(AIGERIM, PHONE_AIGERIM, &form(AIGERIM, FLAT_AIGERIM)).await;
    app.wait_for(AIGERIM, &registered, "REGISTERED").await;
    let refused = app.apply(AIGERIM, PHONE_AIGERIM, &form(ALIKHAN, FLAT_AIGERIM)).await;
    app.wait_for(AIGERIM, &refused, "REJECTED").await;
    let seen = app.outbox(PHONE_AIGERIM).await.len();
    let declined = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_AIGERIM)).await;
    let code = consent_request_code(&app, PHONE_AIGERIM, seen).await;
    app.sms_reply(PHONE_AIGERIM, &format!("ЖОҚ {code}")).await;
    app.wait_for(DAULET, &declined, "REJECTED").await;
    let seen = app.outbox(PHONE_AIGERIM).await.len();
    let expired = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_AIGERIM)).await;
    consent_request_code(&app, PHONE_AIGERIM, seen).await;
    app.advance_clock(3601).await;
    app.wait_for(DAULET, &expired, "CANCELLED").await;

    let metrics = app.local("/metrics").await;
    let total = |name: &str| metrics["totals"][name].as_f64().unwrap_or(-1.0);
    assert_eq!(metrics["namespace"], "ResidenceRegistration");
    assert_eq!(total("ApplicationsSubmitted"), 4.0);
    assert_eq!(total("ApplicationsRegistered"), 1.0);
    assert_eq!(total("ApplicationsRejected"), 2.0);
    assert_eq!(total("ConsentsRequested"), 2.0);
    assert_eq!(total("ConsentsDeclined"), 1.0);
    assert_eq!(total("ConsentsApproved"), 0.0);
    assert_eq!(total("ConsentsExpired"), 1.0);
    assert_eq!(total("ApplicationsFailed"), 0.0);
    assert_eq!(total("SmsSendErrors"), 0.0);
    let series = metrics["series"].as_array().expect("series");
    let by = |name: &str, dimension: &str, value: &str| {
        series.iter().find(|s| s["name"] == name && s["dimensions"][dimension] == value).map(|s| s["sum"].clone())
    };
    assert_eq!(by("ApplicationsRejected", "ReasonCode", "CHILD_UNDER_14"), Some(1.0.into()));
    assert_eq!(by("ApplicationsRejected", "ReasonCode", "CONSENT_DECLINED"), Some(1.0.into()));
    let answer = series.iter().find(|s| s["name"] == "ConsentAnswerTime").expect("answer time");
    assert_eq!((answer["samples"].as_u64(), answer["unit"].as_str()), (Some(1), Some("Seconds")));
    // Every SMS part the outbox holds is counted, under the language it was written in.
    let parts: u64 = app.local("/sms/outbox").await["messages"]
        .as_array()
        .map(|m| m.iter().filter_map(|m| m["parts"].as_u64()).sum())
        .unwrap_or_default();
    assert_eq!(total("SmsPartsSent"), parts as f64);
    assert!(by("SmsPartsSent", "Language", "kk").is_some() && by("SmsPartsSent", "Language", "ru").is_some());
}

#[tokio::test]
async fn an_address_past_the_review_threshold_is_flagged_not_refused() {
    let mut config = local_stack::Config::for_tests().expect("config");
    config.address_review = domain::review::AddressReview { threshold: 1, window_days: 30 };
    let app = spawn_app_with(config).await;
    let first = app.apply(AIGERIM, PHONE_AIGERIM, &form(AIGERIM, FLAT_AIGERIM)).await;
    let first = app.wait_for(AIGERIM, &first, "REGISTERED").await;
    let second = app.apply(AIGERIM, PHONE_AIGERIM, &form(MADINA, FLAT_AIGERIM)).await;
    let second = app.wait_for(AIGERIM, &second, "REGISTERED").await;
    let events = |v: &Value| -> Vec<String> {
        v["timeline"].as_array().into_iter().flatten().filter_map(|e| e["event"].as_str().map(str::to_string)).collect()
    };
    assert!(!events(&first).contains(&"FLAGGED_FOR_REVIEW".to_string()), "{first}");
    assert_eq!(events(&second).last().map(String::as_str), Some("FLAGGED_FOR_REVIEW"), "{second}");
    assert_eq!(app.local("/metrics").await["totals"]["AddressesFlagged"], 1.0);
}
