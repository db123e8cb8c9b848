//! Operators read execution payloads and histories: they carry ids and decisions, never personal data.

use tests::*;

#[tokio::test]
async fn execution_payloads_and_histories_hold_no_iin_phone_name_or_code() {
    let app = spawn_app().await;
    let consented = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_CO_OWNED)).await;
    app.wait_for(DAULET, &consented, "AWAITING_CONSENT").await;
    app.settle().await;
    let bolat_code = app.last_code(PHONE_BOLAT).await;
    let gulnara_code = app.last_code(PHONE_GULNARA).await;
    app.sms_reply(PHONE_BOLAT, &format!("YES {bolat_code}")).await;
    app.sms_reply(PHONE_GULNARA, &format!("NO {gulnara_code}")).await;
    app.wait_for(DAULET, &consented, "REJECTED").await;
    let refused = app.apply(AIGERIM, PHONE_AIGERIM, &form(ALIKHAN, FLAT_AIGERIM)).await;
    app.wait_for(AIGERIM, &refused, "REJECTED").await;

    let secrets = [
        DAULET,
        BOLAT,
        GULNARA,
        AIGERIM,
        ALIKHAN,
        PHONE_DAULET,
        PHONE_BOLAT,
        PHONE_GULNARA,
        PHONE_AIGERIM,
        "Serikov",
        "Daulet",
        "Akhmetov",
        "Seitkali",
        &bolat_code,
        &gulnara_code,
    ];
    // The capture works (lines of these applications are there) and shows none of it.
    let logged = tests::privacy::captured_logs();
    assert!(logged.iter().any(|l| l["applicationId"] == consented.as_str() && l["function"] == "request-consent"));
    let shown = app.personal_data_shown();
    assert!(shown.is_empty(), "{shown:?}");
    for id in [&consented, &refused] {
        let view = app.execution(id).await.to_string();
        assert!(view.contains("applicationId"), "the view is there: {view}");
        for s in secrets {
            assert!(!view.contains(s), "execution {id} exposes {s}");
        }
    }
}
