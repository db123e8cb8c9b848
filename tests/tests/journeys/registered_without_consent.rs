use tests::*;

#[tokio::test]
async fn an_owner_registers_at_her_own_flat_at_once() {
    let app = spawn_app().await;
    let id = app.apply(AIGERIM, PHONE_AIGERIM, &form(AIGERIM, FLAT_AIGERIM)).await;
    let done = app.wait_for(AIGERIM, &id, "REGISTERED").await;
    let events: Vec<&str> =
        done["timeline"].as_array().expect("timeline").iter().filter_map(|e| e["event"].as_str()).collect();
    assert_eq!(events, vec!["SUBMITTED", "ELIGIBILITY_CHECKED", "REGISTERED"]);
    let sms = app.outbox(PHONE_AIGERIM).await;
    let last = sms.last().expect("registration SMS");
    assert_eq!((last["from"].as_str(), last["parts"].as_u64()), (Some("1414"), Some(1)));
    // The address in words (issue #13), in Aigerim's Kazakh.
    let text = last["text"].as_str().expect("text");
    assert!(
        text.starts_with("Сіз тіркелдіңіз: Astana, Mangilik El 10, 1-пәтер, ") && text.ends_with(" бастап."),
        "{text}"
    );
    let execution = app.execution(&id).await;
    assert_eq!(execution["status"], "SUCCEEDED");
    assert_eq!(execution["stateTransitions"], 3, "CheckEligibility, RouteDecision, Finalize");
}

#[tokio::test]
async fn a_listed_tenant_registers_in_state_rental_housing_without_sms_consent() {
    let app = spawn_app().await;
    let id = app.apply(NURLAN, PHONE_NURLAN, &form(NURLAN, FLAT_STATE_RENTAL)).await;
    app.wait_for(NURLAN, &id, "REGISTERED").await;
}

#[tokio::test]
async fn a_parent_registers_a_fifteen_year_old_and_a_temporary_registration_has_an_end() {
    let app = spawn_app().await;
    let mut f = form(MADINA, FLAT_AIGERIM);
    f["kind"] = "TEMPORARY".into();
    f["months"] = 6.into();
    let id = app.apply(AIGERIM, PHONE_AIGERIM, &f).await;
    let done = app.wait_for(AIGERIM, &id, "REGISTERED").await;
    let detail = done["timeline"].as_array().expect("timeline").last().expect("last")["detail"]
        .as_str()
        .expect("detail")
        .to_string();
    assert!(detail.starts_with("temporary registration at 0201500000000001 from"), "{detail}");
    assert!(detail.contains(" to "), "{detail}");
}
