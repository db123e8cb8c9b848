//! Issue #13: texts for people come in the language the app asks for (Accept-Language: kk, ru, en; Kazakh by
//! default), from the one catalogue of `domain::texts`; codes never change with it.

use tests::*;

#[tokio::test]
async fn texts_for_people_come_in_the_language_asked() {
    let app = spawn_app().await;
    // Aigerim asks to register her 10-year-old: refused, CHILD_UNDER_14.
    let id = app.apply(AIGERIM, PHONE_AIGERIM, &form(ALIKHAN, FLAT_AIGERIM)).await;
    app.wait_for(AIGERIM, &id, "REJECTED").await;
    let path = format!("/registrations/{id}");
    let mut seen = Vec::new();
    for (accept, lang, reason_word, title, detail) in [
        ("kk", "kk", "ата-анасының", "Өтініш берілді", "1414 SMS-кодымен қол қойылды"),
        ("kk-KZ,ru;q=0.5", "kk", "ата-анасының", "Өтініш берілді", "1414 SMS-кодымен қол қойылды"),
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru", "родителей", "Заявление подано", "подписано SMS-кодом от 1414"),
        ("de, en;q=0.4", "en", "parents", "Application submitted", "signed with an SMS code from 1414"),
        ("fr", "kk", "ата-анасының", "Өтініш берілді", "1414 SMS-кодымен қол қойылды"),
    ] {
        let r = app.get_in(AIGERIM, &path, accept).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["reasonCode"], "CHILD_UNDER_14", "codes stay codes");
        let message = r.body["reasons"][0]["message"].as_str().expect("message");
        assert!(message.contains(reason_word), "{accept} -> {lang}: {message}");
        assert_eq!(r.body["timeline"][0]["event"], "SUBMITTED");
        assert_eq!(r.body["timeline"][0]["title"], title, "{accept}");
        assert_eq!(r.body["timeline"][0]["detail"], detail, "{accept}: the record too");
        seen.push(message.to_string());
    }
    seen.dedup();
    assert_eq!(seen.len(), 4, "kk, ru, en, then kk again for a language the service does not have");

    // A refusal's problem+json: its title and detail in the language, its type and rule the same.
    let stranger = app.get_in(DAULET, &path, "ru").await;
    assert_eq!(stranger.status, 404);
    assert_eq!(
        (stranger.body["title"].as_str(), stranger.headers["content-language"].to_str().ok()),
        (Some("Не найдено"), Some("ru"))
    );
    assert_eq!(stranger.body["type"], "urn:problem:residence-registration:not-found");
    let kk = app.get_in(DAULET, &path, "kk").await;
    assert_eq!(kk.body["title"], "Табылмады");

    // A broken rule: the field and the rule are codes, the words are Russian.
    let mut bad = form(DAULET, FLAT_AIGERIM);
    bad["registrantIin"] = serde_json::json!("880702300118");
    let r = app.post_with(DAULET, "/registrations/precheck", &bad, &[("accept-language", "ru")]).await;
    assert_eq!((r.status, r.body["rule"].as_str()), (400, Some("IIN_CHECK_DIGIT")));
    assert_eq!(r.body["detail"], "registrantIin: контрольная цифра ИИН не совпадает");
    assert_eq!(r.body["title"], "Поле заполнено неверно");
}
