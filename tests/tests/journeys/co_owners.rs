use serde_json::json;
use tests::*;

async fn daulet_at_co_owned(app: &App) -> String {
    let id = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_CO_OWNED)).await;
    app.wait_for(DAULET, &id, "AWAITING_CONSENT").await;
    id
}

#[tokio::test]
async fn both_co_owners_must_consent() {
    let app = spawn_app().await;
    let id = daulet_at_co_owned(&app).await;
    let gulnara_sms = app.outbox(PHONE_GULNARA).await;
    let request = gulnara_sms[0]["text"].as_str().expect("text");
    // Issue #13: where, who and for how long, in Gulnara's English.
    assert!(
        request.starts_with("Register Serikov D. at Astana, Kabanbay Batyr 5, flat 12 permanently? YES "),
        "{request}"
    );
    assert_eq!(gulnara_sms[0]["encoding"], "GSM7");
    let bolat_code = app.last_code(PHONE_BOLAT).await;
    assert_eq!(app.sms_reply(PHONE_BOLAT, &format!("ИӘ {bolat_code}")).await["outcome"], "APPROVED");
    app.settle().await;
    assert_eq!(app.application(DAULET, &id).await["status"], "AWAITING_CONSENT", "one of two is not enough");
    let pending = app.get(GULNARA, "/consents").await;
    let consent = pending.body["items"][0]["consentId"].as_str().expect("pending").to_string();
    let r = app.post(GULNARA, &format!("/consents/{consent}/decision"), &json!({"decision": "APPROVE"})).await;
    assert_eq!(r.status, 200);
    app.wait_for(DAULET, &id, "REGISTERED").await;
    let texts: Vec<String> =
        app.outbox(PHONE_BOLAT).await.iter().filter_map(|m| m["text"].as_str().map(str::to_string)).collect();
    assert!(texts.last().expect("notice").contains("тіркелді"), "{texts:?}");
}

#[tokio::test]
async fn one_co_owner_declining_ends_it_and_the_other_can_no_longer_answer() {
    let app = spawn_app().await;
    let id = daulet_at_co_owned(&app).await;
    let gulnara_code = app.last_code(PHONE_GULNARA).await;
    assert_eq!(app.sms_reply(PHONE_GULNARA, &format!("NO {gulnara_code}")).await["outcome"], "DECLINED");
    let done = app.wait_for(DAULET, &id, "REJECTED").await;
    assert_eq!(done["reasonCode"], "CONSENT_DECLINED");
    let bolat_code = app.last_code(PHONE_BOLAT).await;
    assert_eq!(app.sms_reply(PHONE_BOLAT, &format!("YES {bolat_code}")).await["outcome"], "EXPIRED");
    assert_eq!(app.get(BOLAT, "/consents").await.body["items"], json!([]));
}

#[tokio::test]
async fn two_co_owners_answering_at_once_register_once_on_embedded_storage() {
    two_co_owners_answering_at_once_register_once(&spawn_app().await).await;
}
