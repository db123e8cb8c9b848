use serde_json::json;
use tests::*;

/// Daulet applies to register at Aigerim's flat; returns the application id and the code Aigerim got.
async fn daulet_at_aigerims(app: &App) -> (String, String) {
    let id = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_AIGERIM)).await;
    app.wait_for(DAULET, &id, "AWAITING_CONSENT").await;
    let request = app.outbox(PHONE_AIGERIM).await.pop().expect("consent request");
    assert_eq!((request["from"].as_str(), request["parts"].as_u64()), (Some("1414"), Some(2)), "two parts at most");
    let text = request["text"].as_str().expect("text");
    assert!(text.starts_with("Тіркеу: Serikov D., Astana, Mangilik El 10, 1-пәтер, тұрақты. ИӘ "), "{text}");
    (id, app.last_code(PHONE_AIGERIM).await)
}

#[tokio::test]
async fn owner_approves_by_sms_and_both_are_told() {
    let app = spawn_app().await;
    let (id, code) = daulet_at_aigerims(&app).await;
    assert_eq!(app.sms_reply(PHONE_AIGERIM, &format!("ИӘ {code}")).await["outcome"], "APPROVED");
    app.wait_for(DAULET, &id, "REGISTERED").await;
    assert!(
        app.outbox(PHONE_DAULET).await.last().expect("sms")["text"].as_str().expect("text").contains("прописаны"),
        "Russian for Daulet"
    );
    let to_owner = app.outbox(PHONE_AIGERIM).await;
    assert!(to_owner.last().expect("sms")["text"].as_str().expect("text").contains("тіркелді"), "owner told in Kazakh");
    assert_eq!(app.execution(&id).await["stateTransitions"], 5);
}

#[tokio::test]
async fn owner_approves_in_the_app() {
    let app = spawn_app().await;
    let (id, _) = daulet_at_aigerims(&app).await;
    let pending = app.get(AIGERIM, "/consents").await;
    let consent_id = pending.body["items"][0]["consentId"].as_str().expect("pending consent").to_string();
    assert_eq!(pending.body["items"][0]["applicationId"], id.as_str());
    let r = app.post(AIGERIM, &format!("/consents/{consent_id}/decision"), &json!({"decision": "APPROVE"})).await;
    assert_eq!((r.status, r.body["status"].as_str()), (200, Some("APPROVED")));
    app.wait_for(DAULET, &id, "REGISTERED").await;
    let again = app.post(AIGERIM, &format!("/consents/{consent_id}/decision"), &json!({"decision": "DECLINE"})).await;
    assert_eq!(again.status, 409);
}

#[tokio::test]
async fn owner_declines() {
    let app = spawn_app().await;
    let (id, code) = daulet_at_aigerims(&app).await;
    // ЖОҚ typed on a Russian keyboard (issue #13).
    assert_eq!(app.sms_reply(PHONE_AIGERIM, &format!("ЖОК {code}")).await["outcome"], "DECLINED");
    let done = app.wait_for(DAULET, &id, "REJECTED").await;
    assert_eq!(done["reasonCode"], "CONSENT_DECLINED");
}

#[tokio::test]
async fn no_answer_within_the_hour_cancels_the_application() {
    let app = spawn_app().await;
    let (id, code) = daulet_at_aigerims(&app).await;
    app.advance_clock(3599).await;
    app.settle().await;
    assert_eq!(app.application(DAULET, &id).await["status"], "AWAITING_CONSENT", "still in time at 59:59");
    app.advance_clock(2).await;
    let done = app.wait_for(DAULET, &id, "CANCELLED").await;
    assert_eq!(done["reasonCode"], "CONSENT_EXPIRED");
    assert_eq!(app.execution(&id).await["status"], "SUCCEEDED");
    let told = app.outbox(PHONE_AIGERIM).await;
    let told = told.last().expect("told")["text"].as_str().expect("text").to_string();
    assert_eq!(told, "Serikov D. тіркеу сұрауының мерзімі өтті.", "the owner is told it expired");
    let to_daulet = app.outbox(PHONE_DAULET).await;
    let to_daulet = to_daulet.last().expect("told")["text"].as_str().expect("text").to_string();
    assert!(to_daulet.starts_with("Заявление отменено: собственник не ответил за 1 час."), "{to_daulet}");
    let late = app.sms_reply(PHONE_AIGERIM, &format!("YES {code}")).await;
    assert_eq!(late["outcome"], "EXPIRED");
    assert!(app.outbox(PHONE_AIGERIM).await.last().expect("reply")["text"]
        .as_str()
        .expect("text")
        .contains("мерзімі өтті"));
    assert_eq!(app.application(DAULET, &id).await["status"], "CANCELLED", "a late yes changes nothing");
}

#[tokio::test]
async fn replies_from_another_number_with_a_wrong_code_or_twice_change_nothing() {
    let app = spawn_app().await;
    let (id, code) = daulet_at_aigerims(&app).await;
    assert_eq!(
        app.sms_reply(PHONE_DAULET, &format!("YES {code}")).await["outcome"],
        "NOTHING_PENDING",
        "the applicant's own phone"
    );
    let wrong = if code == "000000" { "000001" } else { "000000" };
    assert_eq!(app.sms_reply(PHONE_AIGERIM, &format!("YES {wrong}")).await["outcome"], "WRONG_CODE");
    assert_eq!(app.sms_reply(PHONE_AIGERIM, "yes please").await["outcome"], "NOT_UNDERSTOOD");
    assert_eq!(app.application(DAULET, &id).await["status"], "AWAITING_CONSENT");
    assert_eq!(app.sms_reply(PHONE_AIGERIM, &format!("да {code}")).await["outcome"], "APPROVED");
    assert_eq!(app.sms_reply(PHONE_AIGERIM, &format!("НЕТ {code}")).await["outcome"], "ALREADY_ANSWERED");
    app.wait_for(DAULET, &id, "REGISTERED").await;
}

/// Issue #27: a reply's redelivery between the first delivery's commit and its answer SMS (embedded store;
/// the same interleaving over DynamoDB is in `deployment/races.rs`).
#[tokio::test]
async fn a_redelivery_between_commit_and_send_answers_once_on_the_embedded_store() {
    a_redelivery_between_commit_and_send_answers_once(std::sync::Arc::new(memory_adapters::MemoryStore::new())).await;
}

#[tokio::test]
async fn an_owners_reply_counts_once_when_its_answer_sms_fails_on_embedded_storage() {
    an_owners_reply_counts_once_when_its_answer_sms_fails(&spawn_app().await).await;
}
