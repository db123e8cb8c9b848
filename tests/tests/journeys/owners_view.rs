//! An owner's view of what they own (`GET /properties`): who is registered there now and who waits for their
//! consent; nothing of anyone else's property.

use serde_json::Value;
use tests::*;

fn rkas(body: &Value) -> Vec<String> {
    body["items"].as_array().expect("items").iter().filter_map(|p| p["rka"].as_str().map(str::to_string)).collect()
}

#[tokio::test]
async fn an_owner_sees_who_lives_at_her_flats_and_who_waits_for_her_consent() {
    let app = spawn_app().await;
    // Aigerim owns her flat and, with her daughter, another one; nobody is registered at either yet.
    let mine = app.get_in(AIGERIM, "/properties", "en").await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert_eq!(rkas(&mine.body), [FLAT_AIGERIM, FLAT_MINOR_OWNER]);
    let flat = &mine.body["items"][0];
    assert_eq!((flat["owners"].as_u64(), flat["address"].as_str()), (Some(1), Some("Astana, Mangilik El 10, flat 1")));
    assert_eq!(flat["registered"], serde_json::json!([]));

    // Daulet asks to register at her flat: he waits for her consent.
    let seen = app.outbox(PHONE_AIGERIM).await.len();
    let id = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_AIGERIM)).await;
    app.wait_for(DAULET, &id, "AWAITING_CONSENT").await;
    let waiting = &app.get(AIGERIM, "/properties").await.body["items"][0]["awaitingConsent"];
    assert_eq!(waiting.as_array().map(Vec::len), Some(1), "{waiting}");
    assert_eq!(
        (waiting[0]["applicationId"].as_str(), waiting[0]["registrant"].as_str()),
        (Some(id.as_str()), Some("Serikov D."))
    );

    // She consents: he is registered there, and nothing waits any more.
    let code = app.next_consent_code(PHONE_AIGERIM, seen).await;
    assert_eq!(app.sms_reply(PHONE_AIGERIM, &format!("YES {code}")).await["outcome"], "APPROVED");
    app.wait_for(DAULET, &id, "REGISTERED").await;
    let flat = app.get(AIGERIM, "/properties").await.body["items"][0].clone();
    assert_eq!(flat["awaitingConsent"], serde_json::json!([]));
    let registered = flat["registered"].as_array().expect("registered");
    assert_eq!(registered.len(), 1, "{flat}");
    assert_eq!(
        (registered[0]["person"].as_str(), registered[0]["kind"].as_str()),
        (Some("Serikov D."), Some("PERMANENT"))
    );
    assert!(!flat.to_string().contains(DAULET), "names, never IINs: {flat}");

    // Daulet sees his own flat only (nobody is registered there), not hers.
    let his = app.get(DAULET, "/properties").await;
    assert_eq!(rkas(&his.body), [FLAT_DAULET]);
    assert_eq!(his.body["items"][0]["registered"], serde_json::json!([]));
    // Someone who owns nothing gets an empty list.
    let none = app.get(JOHN, "/properties").await;
    assert_eq!((none.status, none.body["items"].clone()), (200, serde_json::json!([])));
}
