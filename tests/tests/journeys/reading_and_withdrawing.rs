use tests::*;

#[tokio::test]
async fn nobody_but_the_applicant_reads_an_application() {
    let app = spawn_app().await;
    let id = app.apply(AIGERIM, PHONE_AIGERIM, &form(AIGERIM, FLAT_AIGERIM)).await;
    let stranger = app.get(DAULET, &format!("/registrations/{id}")).await;
    assert_eq!(stranger.status, 404);
    assert_eq!(stranger.headers["content-type"], "application/problem+json");
    assert_eq!(app.get(DAULET, "/registrations").await.body["items"], serde_json::json!([]));
    let anonymous = app.http.get(format!("{}/registrations/{id}", app.base)).send().await.expect("get");
    assert_eq!(anonymous.status().as_u16(), 401);
}

#[tokio::test]
async fn service_history_lists_newest_first_in_pages() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let id = app.apply(AIGERIM, PHONE_AIGERIM, &form(AIGERIM, FLAT_AIGERIM)).await;
        app.wait_for(AIGERIM, &id, "REGISTERED").await;
        ids.push(id);
    }
    let page = app.get(AIGERIM, "/registrations?limit=2").await;
    let got: Vec<&str> =
        page.body["items"].as_array().expect("items").iter().filter_map(|a| a["id"].as_str()).collect();
    assert_eq!(got, vec![ids[2].as_str(), ids[1].as_str()]);
    let cursor = page.body["nextCursor"].as_str().expect("more");
    let rest = app.get(AIGERIM, &format!("/registrations?limit=2&cursor={cursor}")).await;
    assert_eq!(rest.body["items"][0]["id"], ids[0].as_str());
    assert!(rest.body["nextCursor"].is_null());
}

#[tokio::test]
async fn the_applicant_withdraws_a_pending_application() {
    let app = spawn_app().await;
    let id = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_AIGERIM)).await;
    app.wait_for(DAULET, &id, "AWAITING_CONSENT").await;
    app.settle().await;
    let code = app.last_code(PHONE_AIGERIM).await;
    let stranger = app.post(AIGERIM, &format!("/registrations/{id}/withdraw"), &serde_json::json!({})).await;
    assert_eq!(stranger.status, 404);
    let r = app.post(DAULET, &format!("/registrations/{id}/withdraw"), &serde_json::json!({})).await;
    assert_eq!(
        (r.status, r.body["status"].as_str(), r.body["reasonCode"].as_str()),
        (200, Some("CANCELLED"), Some("WITHDRAWN"))
    );
    assert_eq!(app.execution(&id).await["status"], "ABORTED");
    app.settle().await;
    // Issue #13: the owner is told the request was withdrawn; a reply afterwards says exactly that.
    let told = app.outbox(PHONE_AIGERIM).await;
    let told = told.last().expect("told")["text"].as_str().expect("text").to_string();
    assert_eq!(told, "Serikov D. тіркеу сұрауы қайтарылды, жауап керек емес.");
    assert_eq!(app.sms_reply(PHONE_AIGERIM, &format!("YES {code}")).await["outcome"], "WITHDRAWN");
    let reply = app.outbox(PHONE_AIGERIM).await;
    assert_eq!(reply.last().expect("reply")["text"], "Сұрау қайтарылған, жауабыңыз тіркелмеді.");
    let again = app.post(DAULET, &format!("/registrations/{id}/withdraw"), &serde_json::json!({})).await;
    assert_eq!(again.status, 409);
    let next = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_DAULET)).await;
    app.wait_for(DAULET, &next, "REGISTERED").await;
}

#[tokio::test]
async fn withdrawals_crossing_approvals_leave_one_outcome_on_embedded_storage() {
    let (registered, withdrawn) =
        withdrawals_crossing_approvals_leave_one_outcome(&spawn_app_unlimited().await, 10).await;
    eprintln!("embedded: {registered} registered, {withdrawn} withdrawn");
    assert_eq!(registered + withdrawn, 10);
}
