//! Issue #11: a hostile caller with a valid token, through the HTTP API: floods of signing codes and consent
//! requests are cut at their limits with 429 + Retry-After (or, for a consent request the workflow makes, an
//! application ended with its reason), and the clock frees them; naming a stranger blocks nobody; a code
//! refused with 409 is not spent. The concurrent-guess proofs are in `submit`'s tests (embedded store) and
//! `tests/deployment/races.rs` (DynamoDB on moto).

use serde_json::json;
use tests::*;

#[tokio::test]
async fn signing_codes_are_cut_at_five_per_quarter_hour_with_a_429_that_says_when_and_the_clock_frees_them() {
    let app = spawn_app().await;
    let f = form(DAULET, FLAT_AIGERIM);
    for _ in 0..5 {
        assert_eq!(app.post(DAULET, "/signing-codes", &f).await.status, 201);
    }
    let texts = app.outbox(PHONE_DAULET).await.len();
    let refused = app.post(DAULET, "/signing-codes", &f).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert_eq!(refused.headers["content-type"], "application/problem+json");
    assert_eq!(refused.body["rule"], "SIGNING_CODES_PER_APPLICANT_15_MIN");
    let wait: i64 = refused.headers["retry-after"].to_str().expect("header").parse().expect("seconds");
    assert!((1..=900).contains(&wait), "{wait}");
    assert_eq!(app.outbox(PHONE_DAULET).await.len(), texts, "no text over the limit");
    assert_eq!(app.local("/metrics").await["totals"]["RequestsLimited"], 1.0);
    app.advance_clock(wait).await;
    assert_eq!(app.post(DAULET, "/signing-codes", &f).await.status, 201, "free once the window ends");
}

#[tokio::test]
async fn submit_and_withdraw_in_a_loop_texts_an_owner_three_times_an_hour_and_no_more() {
    let app = spawn_app().await;
    let mut ended = Vec::new();
    for _ in 0..4 {
        let id = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_AIGERIM)).await;
        let end = app.wait_for_any(DAULET, &id, &["AWAITING_CONSENT", "REJECTED"]).await;
        if end["status"] == "AWAITING_CONSENT" {
            let r = app.post(DAULET, &format!("/registrations/{id}/withdraw"), &json!({})).await;
            assert_eq!(r.status, 200, "{}", r.body);
            app.wait_for(DAULET, &id, "CANCELLED").await;
        }
        ended.push(app.application(DAULET, &id).await);
    }
    let to_aigerim: Vec<String> =
        app.outbox(PHONE_AIGERIM).await.iter().filter_map(|m| m["text"].as_str().map(str::to_string)).collect();
    let asked = to_aigerim.iter().filter(|t| t.contains("ИӘ ")).count();
    assert_eq!(asked, 3, "three consent requests reached Aigerim's phone, not four: {to_aigerim:?}");
    // Each request withdrawn is followed by a "no answer needed" (issue #13): bounded by the same limit.
    let withdrawn = to_aigerim.iter().filter(|t| t.contains("қайтарылды")).count();
    assert_eq!((withdrawn, to_aigerim.len()), (3, 6), "{to_aigerim:?}");
    let last = &ended[3];
    assert_eq!(
        (last["status"].as_str(), last["reasonCode"].as_str()),
        (Some("REJECTED"), Some("OWNER_ASKED_TOO_OFTEN"))
    );
    assert!(last["reasons"][0]["message"].as_str().expect("message").contains("in an hour"));
    // An hour later the owner can be asked again (the signing-code limit's window has passed too).
    app.advance_clock(3600).await;
    let id = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_AIGERIM)).await;
    app.wait_for(DAULET, &id, "AWAITING_CONSENT").await;
    let requests = app
        .outbox(PHONE_AIGERIM)
        .await
        .iter()
        .filter(|m| m["text"].as_str().is_some_and(|t| t.contains("ИӘ ")))
        .count();
    assert_eq!(requests, 4, "the fourth request, an hour later");
}

#[tokio::test]
async fn a_stranger_naming_an_adult_blocks_nobody_and_a_code_refused_with_409_is_not_spent() {
    let app = spawn_app().await;
    // Aigerim names Daulet: refused before anything happens.
    let r = app.post(AIGERIM, "/signing-codes", &form(DAULET, FLAT_AIGERIM)).await;
    assert_eq!((r.status, r.body["rule"].as_str()), (403, Some("NOT_AUTHORISED_FOR_REGISTRANT")));
    // Daulet signs a form; meanwhile an application of his opens (in another tab, say): his signed form is
    // refused with 409 and its code is still good once that application ends.
    let signed = app.signed(DAULET, PHONE_DAULET, &form(DAULET, FLAT_AIGERIM)).await;
    let other = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_CO_OWNED)).await;
    let refused = app.post(DAULET, "/registrations", &signed).await;
    assert_eq!((refused.status, refused.body["openApplicationId"].as_str()), (409, Some(other.as_str())));
    let w = app.post(DAULET, &format!("/registrations/{other}/withdraw"), &json!({})).await;
    assert_eq!(w.status, 200, "{}", w.body);
    app.wait_for(DAULET, &other, "CANCELLED").await;
    let accepted = app.post(DAULET, "/registrations", &signed).await;
    assert_eq!(accepted.status, 201, "the same code, now accepted: {}", accepted.body);
}

#[tokio::test]
async fn an_sms_outage_costs_the_applicant_no_signing_code_on_embedded_storage() {
    tests::an_sms_outage_costs_the_applicant_no_signing_code(&spawn_app().await).await;
}
