use super::*;
use domain::ports::TimelineStore;
use domain::ports::{ApplicationStore, ConsentStore, RegistrationStore, SmsSender};
use domain::{Application, ConsentStatus, Status};
use domain::{Consent, ReasonCode, RegistrationStatus};
use test_kit::*;

fn deps(w: &World) -> Deps {
    Deps::from_ports(w).expect("the world has every port")
}

fn phone(p: &str) -> domain::PhoneNumber {
    domain::PhoneNumber::parse(p).expect("phone")
}

/// The `index`-th owner's consent, as asked (the request was texted).
fn asked(app: &Application, index: usize, owner: &str) -> Consent {
    let mut c = Consent::of_owner(app, index, iin(owner));
    c.requested_at = Some(now());
    c
}

/// Every text sent so far: to whom, what.
fn texts(w: &World) -> Vec<(String, String)> {
    w.outbox.messages(None).into_iter().map(|m| (m.to, m.text)).collect()
}

fn input(event: &str) -> FinalizeInput {
    serde_json::from_str(event).expect("event")
}

async fn seed(
    w: &World,
    input: &FinalizeInput,
    registrant: &str,
    rka: &str,
    consent: Option<(&str, ConsentStatus)>,
) -> Application {
    let mut app = application(registrant, registrant, rka);
    app.id = input.application_id.clone();
    app.status = Status::AwaitingConsent;
    w.store.create(&app, &[], &domain::ports::Admission::default()).await.expect("create");
    if let Some((owner, status)) = consent {
        let mut c = Consent::new(app.id.clone(), iin(owner));
        c.status = status;
        w.store.create_all(&[c]).await.expect("consent");
    }
    app
}

#[tokio::test]
async fn approved_consent_registers_and_texts_person_and_owner() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/consents-approved.json"));
    seed(&w, &i, DAULET, FLAT_AIGERIM, Some((AIGERIM, ConsentStatus::Approved))).await;
    let out = handle(&deps(&w), i.clone()).await.expect("ok");
    assert_eq!(out.status, Status::Registered);
    let regs = w.store.for_registrant(&iin(DAULET)).await.expect("regs");
    assert_eq!((regs.len(), regs[0].status, regs[0].valid_to), (1, RegistrationStatus::Active, None));
    let to: Vec<String> = w.outbox.messages(None).iter().map(|m| m.to.clone()).collect();
    assert_eq!(to, vec!["+77010000002", "+77010000001"], "registrant, then owner");
    let texts = w.outbox.messages(None);
    assert!(texts.iter().all(|m| m.parts <= 2), "an address in words takes two parts at most");
    assert_eq!(texts[0].text, "Вы прописаны: Astana, Mangilik El 10, кв. 1, с 2026-11-25.", "Daulet reads Russian");
    assert_eq!(texts[1].text, "Serikov D. сіздің мекенжайыңызға тіркелді: Astana, Mangilik El 10, 1-пәтер.");
    let again = handle(&deps(&w), i).await.expect("retry");
    assert_eq!(again.status, Status::Registered);
    assert_eq!(w.outbox.messages(None).len(), 2, "a retry sends nothing twice");
}

#[tokio::test]
async fn a_new_permanent_registration_closes_the_previous_one_and_tells_its_owner() {
    let w = World::new();
    let first = input(include_str!("../../../events/finalize/eligible.json"));
    seed(&w, &first, DAULET, FLAT_DAULET, None).await;
    handle(&deps(&w), first).await.expect("first");
    let mut second = input(include_str!("../../../events/finalize/consents-approved.json"));
    second.application_id = domain::ApplicationId::new();
    seed(&w, &second, DAULET, FLAT_AIGERIM, Some((AIGERIM, ConsentStatus::Approved))).await;
    handle(&deps(&w), second).await.expect("second");
    let regs = w.store.for_registrant(&iin(DAULET)).await.expect("regs");
    let statuses: Vec<_> = regs.iter().map(|r| (r.address.to_string(), r.status)).collect();
    assert_eq!(
        statuses,
        vec![
            (FLAT_DAULET.to_string(), RegistrationStatus::Closed),
            (FLAT_AIGERIM.to_string(), RegistrationStatus::Active)
        ]
    );
    assert_eq!(regs[0].valid_to, now().date_naive().pred_opt());
    // Issue #13: the person is told the previous registration was closed.
    let to_daulet: Vec<String> = w.outbox.messages(Some(&phone(PHONE_DAULET))).into_iter().map(|m| m.text).collect();
    assert!(
        to_daulet.contains(&"Ваша прописка по адресу Shymkent, Tauke Khan 1, кв. 3 прекращена.".to_string()),
        "{to_daulet:?}"
    );
}

#[tokio::test]
async fn timeout_cancels_with_consent_expired_and_expires_pending_consents() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/consent-expired.json"));
    seed(&w, &i, DAULET, FLAT_AIGERIM, Some((AIGERIM, ConsentStatus::Pending))).await;
    let out = handle(&deps(&w), i.clone()).await.expect("ok");
    assert_eq!((out.status, out.reason), (Status::Cancelled, Some(ReasonCode::ConsentExpired)));
    let consents = w.store.for_application(&i.application_id).await.expect("consents");
    assert_eq!(consents[0].status, ConsentStatus::Expired);
    assert!(w.store.for_registrant(&iin(DAULET)).await.expect("regs").is_empty());
    let timeline = w.store.list(&i.application_id).await.expect("timeline");
    assert_eq!((timeline[0].event.as_str(), timeline[0].detail.as_deref()), ("CANCELLED", Some("CONSENT_EXPIRED")));
}

#[tokio::test]
async fn decline_rejects_with_consent_declined() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/consent-declined.json"));
    seed(&w, &i, DAULET, FLAT_AIGERIM, Some((AIGERIM, ConsentStatus::Declined))).await;
    let out = handle(&deps(&w), i).await.expect("ok");
    assert_eq!((out.status, out.reason), (Status::Rejected, Some(ReasonCode::ConsentDeclined)));
}

#[tokio::test]
async fn any_other_error_fails_the_application_visibly() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/record-failure.json"));
    seed(&w, &i, DAULET, FLAT_AIGERIM, None).await;
    let out = handle(&deps(&w), i.clone()).await.expect("ok");
    assert_eq!((out.status, out.reason), (Status::Failed, Some(ReasonCode::WorkflowError)));
    let timeline = w.store.list(&i.application_id).await.expect("timeline");
    assert_eq!(timeline[0].detail.as_deref(), Some("error StoreUnavailable"));
    // Issue #13: nothing was registered, apply again.
    let texts = w.outbox.messages(Some(&phone(PHONE_DAULET)));
    let texts: Vec<&str> = texts.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["Прописка не выполнена (ошибка системы). Подайте снова."]);
}

#[tokio::test]
async fn rejected_keeps_the_eligibility_reasons() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/rejected.json"));
    let app = seed(&w, &i, DAULET, FLAT_AIGERIM, None).await;
    w.store
        .set_status(&app, &Status::OPEN, Status::Submitted, &[ReasonCode::NotACitizen], now(), &[])
        .await
        .expect("reasons");
    let out = handle(&deps(&w), i).await.expect("ok");
    assert_eq!((out.status, out.reason), (Status::Rejected, Some(ReasonCode::NotACitizen)));
    // Issue #13: the applicant is told the reason in plain words, in his language.
    let texts = w.outbox.messages(Some(&phone(PHONE_DAULET)));
    assert_eq!(
        texts.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(),
        ["В прописке отказано: только для граждан РК."]
    );
}

#[tokio::test]
async fn a_withdrawn_application_is_left_as_it_is() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/consents-approved.json"));
    let app = seed(&w, &i, DAULET, FLAT_AIGERIM, Some((AIGERIM, ConsentStatus::Approved))).await;
    w.store
        .set_status(&app, &Status::OPEN, Status::Cancelled, &[ReasonCode::Withdrawn], now(), &[])
        .await
        .expect("withdraw");
    let out = handle(&deps(&w), i).await.expect("ok");
    assert_eq!((out.status, out.reason), (Status::Cancelled, Some(ReasonCode::Withdrawn)));
    assert!(w.store.for_registrant(&iin(DAULET)).await.expect("regs").is_empty());
}

/// Issue #10, item 1: the owner's approval and the applicant's withdrawal cross. Finalize has read the
/// application as open and is parked before its registration write; the withdrawal commits; then finalize
/// writes. Exactly one outcome: CANCELLED / WITHDRAWN, no registration, no text.
#[tokio::test]
async fn a_withdrawal_between_finalize_s_read_and_its_write_leaves_nothing_registered_and_nobody_texted() {
    use test_kit::interleaving::{Gate, PausedRegistrations};
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/consents-approved.json"));
    let app = seed(&w, &i, DAULET, FLAT_AIGERIM, Some((AIGERIM, ConsentStatus::Approved))).await;
    let gate = Gate::armed();
    let mut d = deps(&w);
    d.registrations = std::sync::Arc::new(PausedRegistrations { inner: w.store.clone(), gate: gate.clone() });
    let finalizing = tokio::spawn(async move { handle(&d, i).await });
    gate.reached().await;
    let cancelled = domain::TimelineEntry::new(now(), domain::TimelineEvent::Cancelled, Some("WITHDRAWN".into()));
    let withdrawn = w
        .store
        .set_status(&app, &Status::OPEN, Status::Cancelled, &[ReasonCode::Withdrawn], now(), &[cancelled])
        .await
        .expect("withdraw");
    assert!(matches!(withdrawn, domain::ports::Transition::Done(_)), "the withdrawal got there first");
    gate.release();
    let out = finalizing.await.expect("joined").expect("finalize ends without error");
    assert_eq!((out.status, out.reason), (Status::Cancelled, Some(ReasonCode::Withdrawn)));
    assert!(w.store.for_registrant(&iin(DAULET)).await.expect("regs").is_empty(), "no registration");
    assert!(w.outbox.messages(None).is_empty(), "no text contradicts CANCELLED");
    let events: Vec<String> =
        w.store.list(&app.id).await.expect("tl").into_iter().map(|e| e.event.to_string()).collect();
    assert_eq!(events, ["CANCELLED"], "the timeline says only what happened");
}

/// The other order: finalize registers first; the withdrawal is then refused (409 in the API).
#[tokio::test]
async fn a_withdrawal_after_the_registration_is_refused() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/consents-approved.json"));
    let app = seed(&w, &i, DAULET, FLAT_AIGERIM, Some((AIGERIM, ConsentStatus::Approved))).await;
    assert_eq!(handle(&deps(&w), i).await.expect("ok").status, Status::Registered);
    let late = w.store.set_status(&app, &Status::OPEN, Status::Cancelled, &[ReasonCode::Withdrawn], now(), &[]);
    assert!(matches!(late.await.expect("refused"), domain::ports::Transition::Refused(_)));
    assert_eq!(w.store.for_registrant(&iin(DAULET)).await.expect("regs").len(), 1);
}

/// Issue #10: texts that could not go after the registration committed are sent by the retry, once.
#[tokio::test]
async fn texts_that_failed_after_the_commit_are_sent_by_the_retry() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/consents-approved.json"));
    seed(&w, &i, DAULET, FLAT_AIGERIM, Some((AIGERIM, ConsentStatus::Approved))).await;
    let mut d = deps(&w);
    d.sms = std::sync::Arc::new(SmsDown);
    assert_eq!(handle(&d, i.clone()).await.map_err(|e| e.error_type()), Err("SmsUnavailable"));
    let app = domain::ports::ApplicationStore::get(w.store.as_ref(), &i.application_id).await.expect("get");
    let app = app.expect("app");
    assert_eq!(
        (app.status, app.notices),
        (Status::Registered, domain::NoticeState::Pending),
        "committed, texts pending"
    );
    assert!(w.outbox.messages(None).is_empty());
    assert_eq!(handle(&deps(&w), i.clone()).await.expect("retry").status, Status::Registered);
    assert_eq!(w.outbox.messages(None).len(), 2, "registrant and owner, by the retry");
    handle(&deps(&w), i).await.expect("again");
    assert_eq!(w.outbox.messages(None).len(), 2, "and never twice");
}

struct SmsDown;

#[async_trait::async_trait]
impl SmsSender for SmsDown {
    async fn send(&self, _: &domain::PhoneNumber, _: &domain::sms::SmsMessage) -> Result<(), domain::errors::SmsError> {
        Err(domain::errors::SmsError::Unavailable("503".into()))
    }
}

/// Issue #13: an expiry is texted to the applicant and to the owner who was asked (refusals and failures: above).
#[tokio::test]
async fn an_expiry_texts_the_applicant_and_the_owner_asked_once_each_in_their_language() {
    // Expired: Daulet (ru) is told his application was cancelled; Aigerim (kk), who was asked, that it expired.
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/consent-expired.json"));
    let app = seed(&w, &i, DAULET, FLAT_AIGERIM, None).await;
    w.store.create_all(&[asked(&app, 0, AIGERIM)]).await.expect("consent");
    handle(&deps(&w), i.clone()).await.expect("ok");
    let texts = texts(&w);
    assert_eq!(
        texts,
        vec![
            (
                PHONE_DAULET.to_string(),
                "Заявление отменено: собственник не ответил за 1 час. Подайте снова.".to_string()
            ),
            (PHONE_AIGERIM.to_string(), "Serikov D. тіркеу сұрауының мерзімі өтті.".to_string()),
        ]
    );
    handle(&deps(&w), i).await.expect("retry");
    assert_eq!(w.outbox.messages(None).len(), 2, "a retry sends nothing twice");
}

#[tokio::test]
async fn a_withdrawal_tells_the_owners_asked_and_not_the_applicant() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/consent-expired.json"));
    let app = seed(&w, &i, DAULET, FLAT_CO_OWNED, None).await;
    let gulnara = Consent::of_owner(&app, 1, iin(GULNARA));
    w.store.create_all(&[asked(&app, 0, BOLAT), gulnara]).await.expect("consents");
    // Withdrawn (as the withdraw function does); reconcile then ends it the domain's way, as Finalize does.
    w.store
        .set_status(&app, &Status::OPEN, Status::Cancelled, &[ReasonCode::Withdrawn], now(), &[])
        .await
        .expect("withdrawn");
    handle(&deps(&w), i).await.expect("ok");
    let texts = texts(&w);
    assert_eq!(
        texts,
        vec![(PHONE_BOLAT.to_string(), "Serikov D. тіркеу сұрауы қайтарылды, жауап керек емес.".to_string())],
        "Bolat was asked; Gulnara was not yet; Daulet withdrew it himself"
    );
}

#[tokio::test]
async fn a_temporary_registration_names_its_end_and_a_parent_is_told_too() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/eligible.json"));
    let mut app = application(AIGERIM, ALIKHAN, FLAT_AIGERIM);
    app.id = i.application_id.clone();
    app.draft.kind = domain::RegistrationKind::Temporary { months: 3 };
    w.store.create(&app, &[], &domain::ports::Admission::default()).await.expect("create");
    handle(&deps(&w), i).await.expect("ok");
    let to_parent = w.outbox.messages(Some(&phone(PHONE_AIGERIM)));
    assert_eq!(to_parent.len(), 1, "{to_parent:?}");
    assert!(to_parent[0].text.contains("2026-11-25 бастап, 2027-02-24 дейін"), "{}", to_parent[0].text);
    assert!(
        to_parent[0].text.starts_with("Seitkali A. тіркелді: Astana, Mangilik El 10, 1-пәтер"),
        "{}",
        to_parent[0].text
    );
}

#[tokio::test]
async fn an_offline_case_tells_the_parent_and_the_teenager_what_to_bring_where() {
    // Madina (15) with a BMG phone of her own, applied for by her mother at the flat she co-owns.
    let mut w = World::new();
    let with_phone = SAMPLE_REFERENCE_DATA.replace(
        r#""firstName": "Madina", "parents""#,
        r#""firstName": "Madina", "bmgPhone": "+77010000099", "language": "ru", "parents""#,
    );
    w.registries = std::sync::Arc::new(domain::reference_data::ReferenceData::from_json(&with_phone).expect("data"));
    let mut i = input(include_str!("../../../events/finalize/rejected.json"));
    i.decision = Some(domain::steps::StepDecision::OfflineRequired);
    let mut app = application(AIGERIM, MADINA, FLAT_MINOR_OWNER);
    app.id = i.application_id.clone();
    w.store.create(&app, &[], &domain::ports::Admission::default()).await.expect("create");
    w.store
        .set_status(&app, &Status::OPEN, Status::Submitted, &[ReasonCode::OwnerIsMinor], now(), &[])
        .await
        .expect("reasons");
    let out = handle(&deps(&w), i).await.expect("ok");
    assert_eq!(out.status, Status::OfflineRequired);
    let texts = texts(&w);
    assert_eq!(
        texts,
        vec![
            (
                PHONE_AIGERIM.to_string(),
                "Тіркеу тек ХҚКО-да. Әкеліңіз: жеке куәлік, құжат, иесінің ата-анасы.".to_string()
            ),
            (
                "+77010000099".to_string(),
                "Прописка только в ЦОН. Возьмите: удостоверение, документ на жильё, родитель собственника.".to_string()
            ),
        ],
        "the applicant and the registrant, each in their language"
    );
}
