//! What every implementation of the store ports must do, as executable checks. The memory adapter
//! runs them in `shared/memory-adapters/tests/contract.rs`; the DynamoDB adapter runs them against moto.

use super::{iin, now};
use chrono::Duration;
use domain::errors::StoreError;
use domain::ports::*;
use domain::rate_limits::{Counter, LimitName};
use domain::*;
use std::sync::Arc;

pub fn application(applicant: &str, registrant: &str, key: Option<&str>, minutes: i64) -> Application {
    let at = now() + Duration::minutes(minutes);
    let mut app = super::application(applicant, registrant, super::FLAT_AIGERIM);
    app.draft.kind = RegistrationKind::Temporary { months: 3 };
    app.idempotency_key = key.map(str::to_string);
    app.submitted_at = at;
    app.updated_at = at;
    app
}

/// Applications with their timeline: the first entries are written with the application, and each status
/// change with its own, or not at all.
pub async fn applications(store: Arc<dyn ApplicationStore>, timeline: Arc<dyn TimelineStore>) {
    let entry = |event: &str, minutes: i64| {
        let event = *TimelineEvent::ALL.iter().find(|e| e.as_str() == event).unwrap_or_else(|| panic!("{event}"));
        TimelineEntry::new(now() + Duration::minutes(minutes), event, None)
    };
    let events = |entries: Vec<TimelineEntry>| entries.into_iter().map(|e| e.event.as_str()).collect::<Vec<_>>();
    let a = application(super::DAULET, super::DAULET, Some("key-1"), 0);
    assert_eq!(
        store.create(&a, &[entry("SUBMITTED", 0)], &Admission::default()).await.expect("create"),
        CreateOutcome::Created
    );
    assert_eq!(store.get(&a.id).await.expect("get"), Some(a.clone()), "reads back what was written");
    assert_eq!(events(timeline.list(&a.id).await.expect("timeline")), ["SUBMITTED"]);
    assert_eq!(
        store.create(&a, &[], &Admission::default()).await.expect("the same write again"),
        CreateOutcome::Created,
        "a retried create whose first try was applied (its answer lost) is created, not 'open'"
    );
    let retry = Application { id: ApplicationId::new(), ..a.clone() };
    assert_eq!(
        store.create(&retry, &[], &Admission::default()).await.expect("retry"),
        CreateOutcome::IdempotentReplay(a.clone())
    );
    let other = application(super::DAULET, super::DAULET, None, 1);
    assert_eq!(
        store.create(&other, &[entry("SUBMITTED", 1)], &Admission::default()).await.expect("open"),
        CreateOutcome::RegistrantHasOpenApplication(a.id.clone())
    );
    assert_eq!(store.get(&other.id).await.expect("get"), None, "nothing of a refused create is stored");
    assert!(timeline.list(&other.id).await.expect("timeline").is_empty(), "nor its timeline");
    assert_eq!(store.find_by_idempotency_key(&a.applicant, "key-1").await.expect("find"), Some(a.clone()));
    assert_eq!(store.find_by_idempotency_key(&a.applicant, "key-2").await.expect("find"), None);

    let t = store
        .set_status(&a, &[Status::Submitted], Status::AwaitingConsent, &[], now(), &[entry("ELIGIBILITY_CHECKED", 2)])
        .await
        .expect("status");
    let Transition::Done(awaiting) = t else { panic!("not done: {t:?}") };
    assert_eq!(awaiting.status, Status::AwaitingConsent);
    let t = store
        .set_status(&a, &[Status::Submitted], Status::Registered, &[], now(), &[entry("REGISTERED", 3)])
        .await
        .expect("status");
    assert!(
        matches!(t, Transition::Refused(ref x) if x.status == Status::AwaitingConsent),
        "conditional on the status the caller read"
    );
    let t = store
        .set_status(&awaiting, &[Status::Submitted], Status::Registered, &[], now(), &[entry("OFFLINE_REQUIRED", 3)])
        .await
        .expect("status");
    assert!(matches!(t, Transition::Refused(_)), "and on `from`");
    let t = store
        .set_status(
            &awaiting,
            &Status::OPEN,
            Status::Rejected,
            &[ReasonCode::ConsentDeclined],
            now(),
            &[entry("REJECTED", 4)],
        )
        .await
        .expect("status");
    assert!(matches!(t, Transition::Done(ref x) if x.reasons == vec![ReasonCode::ConsentDeclined]));
    assert_eq!(
        events(timeline.list(&a.id).await.expect("timeline")),
        ["SUBMITTED", "ELIGIBILITY_CHECKED", "REJECTED"],
        "each done change wrote its entry, the refused ones none"
    );
    let never = application(super::AIGERIM, super::AIGERIM, None, 5);
    assert_eq!(
        store.set_status(&never, &Status::OPEN, Status::Failed, &[], now(), &[]).await.expect("missing"),
        Transition::NotFound
    );
    assert_eq!(
        store.create(&other, &[], &Admission::default()).await.expect("after"),
        CreateOutcome::Created,
        "a terminal status frees the registrant"
    );

    let page = store.list_for_applicant(&a.applicant, 1, None).await.expect("page 1");
    assert_eq!(page.items.iter().map(|x| x.id.clone()).collect::<Vec<_>>(), vec![other.id.clone()], "newest first");
    let cursor = page.next_cursor.expect("a second page");
    let page = store.list_for_applicant(&a.applicant, 1, Some(&cursor)).await.expect("page 2");
    assert_eq!(page.items[0].id, a.id);
    assert!(
        page.next_cursor.is_none()
            || store
                .list_for_applicant(&a.applicant, 1, page.next_cursor.as_deref())
                .await
                .expect("3")
                .items
                .is_empty()
    );
    assert!(store.list_for_applicant(&iin(super::AIGERIM), 10, None).await.expect("none").items.is_empty());
    for made_up in ["bm90LWEtY3Vyc29y", "not a cursor", "", "app-00000000-0000-0000-0000-000000000000"] {
        assert_eq!(
            store.list_for_applicant(&a.applicant, 1, Some(made_up)).await,
            Err(StoreError::BadCursor),
            "{made_up:?} was not given by this store"
        );
    }
}

/// Ten submits for the same person at once: exactly one is stored.
/// Ten creates for one registrant at once. `atomic`: the store applies a transaction all or nothing under
/// concurrency (DynamoDB, the embedded store): exactly one is created. Over moto, whose transactions are not
/// atomic under concurrency, this is a second signal only: every create is answered created or open, and the
/// registrant's lock names one of those created (the proof is the deterministic interleavings).
pub async fn one_open_application_under_concurrency(store: Arc<dyn ApplicationStore>, atomic: bool) {
    let mut tasks = Vec::new();
    for i in 0..10 {
        let store = store.clone();
        let app = application(super::AIGERIM, super::AIGERIM, None, i);
        tasks.push(tokio::spawn(async move {
            let outcome = store.create(&app, &[], &Admission::default()).await;
            (app.id, outcome)
        }));
    }
    let mut created = Vec::new();
    for t in tasks {
        let (id, outcome) = t.await.expect("join");
        match outcome.expect("create") {
            CreateOutcome::Created => created.push(id),
            CreateOutcome::RegistrantHasOpenApplication(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    if atomic {
        assert_eq!(created.len(), 1);
    } else {
        println!("10 concurrent creates over a non-atomic store: {} created", created.len());
    }
    let holder = store.open_for(&iin(super::AIGERIM)).await.expect("open").expect("a lock");
    assert!(created.contains(&holder), "the lock names a created application");
}

pub async fn consents<S: ApplicationStore + ConsentStore + 'static>(store: Arc<S>) {
    let open = application(super::DAULET, super::DAULET, None, 0);
    ApplicationStore::create(store.as_ref(), &open, &[], &Admission::default())
        .await
        .expect("the application asked about");
    let app = open.id.clone();
    let mut first = Consent::new(app.clone(), iin(super::AIGERIM));
    let second = Consent::new(app.clone(), iin(super::BOLAT));
    store.create_all(&[first.clone(), second.clone()]).await.expect("create");
    assert_eq!(ConsentStore::get(store.as_ref(), &app, &first.id).await.expect("get"), Some(first.clone()));
    let elsewhere = ConsentStore::get(store.as_ref(), &ApplicationId::new(), &first.id).await;
    assert_eq!(elsewhere.expect("get"), None, "keyed by application");
    assert_eq!(store.for_application(&app).await.expect("all").len(), 2);
    assert!(store.pending_for_owner(&iin(super::AIGERIM)).await.expect("owner").iter().any(|c| c.id == first.id));

    let phone = PhoneNumber::parse(super::PHONE_AIGERIM).expect("phone");
    first.task_token = Some("token".into());
    let key = super::test_code_key();
    first.code_hash = Some(OneTimeCode::parse("123456").expect("code").hash(&key, first.id.as_str()));
    first.owner_phone = Some(phone.clone());
    first.requested_at = Some(now());
    first.expires_at = Some(now() + Duration::hours(1));
    let limit = |max| {
        vec![Counter::new(LimitName::ConsentRequestsPerOwnerHour, "+77010000001", max, Duration::hours(1), now())]
    };
    assert_eq!(store.mark_requested(&first, &limit(1)).await.expect("requested"), MarkRequested::Marked);
    let by_phone = store.for_phone(&phone, now() - Duration::days(7)).await.expect("phone");
    assert_eq!(by_phone.len(), 1);
    assert!(store.for_phone(&phone, now() + Duration::seconds(1)).await.expect("phone").is_empty(), "only since");
    let code = OneTimeCode::parse("123456").expect("code");
    assert!(by_phone[0].code_hash.as_ref().expect("hash").matches(&key, first.id.as_str(), &code));
    // The same limit, now full: the second consent is neither recorded nor counted.
    let mut limited = second.clone();
    limited.task_token = Some("token-2".into());
    limited.requested_at = Some(now());
    let hit = store.mark_requested(&limited, &limit(1)).await.expect("limited");
    assert!(matches!(hit, MarkRequested::Limited(h) if h.limit == LimitName::ConsentRequestsPerOwnerHour), "{hit:?}");
    let unchanged = ConsentStore::get(store.as_ref(), &app, &second.id).await.expect("get");
    assert_eq!(unchanged.and_then(|c| c.task_token), None, "a limited request records nothing");
    assert_eq!(store.mark_requested(&limited, &limit(2)).await.expect("room"), MarkRequested::Marked, "not counted");
    assert_eq!(store.find(&first.id).await.expect("find").map(|c| c.task_token), Some(Some("token".into())));

    let answered = store
        .transition(&app, &first.id, ConsentStatus::Pending, ConsentStatus::Approved, Some(ConsentChannel::Sms), now())
        .await
        .expect("answer");
    let answered = answered.expect("moved");
    assert_eq!(
        (answered.status, answered.channel, answered.answered_at),
        (ConsentStatus::Approved, Some(ConsentChannel::Sms), Some(now()))
    );
    let again = store
        .transition(&app, &first.id, ConsentStatus::Pending, ConsentStatus::Declined, Some(ConsentChannel::App), now())
        .await;
    assert_eq!(again.expect("second"), None, "answered at most once");
    let again = store.mark_requested(&first, &[]).await.expect("requested");
    assert_eq!(again, MarkRequested::Closed, "an answered consent is not asked again");
    assert!(!store.pending_for_owner(&iin(super::AIGERIM)).await.expect("owner").iter().any(|c| c.id == first.id));
    let undone = store
        .transition(&app, &first.id, ConsentStatus::Approved, ConsentStatus::Pending, None, now())
        .await
        .expect("undo");
    assert_eq!(undone.map(|c| (c.status, c.channel, c.answered_at)), Some((ConsentStatus::Pending, None, None)));

    // Competing answers, each conditioned on the consent still pending: the first wins, the rest change nothing.
    // (In turn, not at once: moto's transactions are not atomic under real concurrency, so only the condition is
    // provable there; DynamoDB serializes transactions on one item.)
    let mut winners = 0;
    for decision in [ConsentStatus::Approved, ConsentStatus::Declined, ConsentStatus::Approved, ConsentStatus::Declined]
    {
        let moved =
            store.transition(&app, &second.id, ConsentStatus::Pending, decision, Some(ConsentChannel::App), now());
        if moved.await.expect("transition").is_some() {
            winners += 1;
        }
    }
    assert_eq!(winners, 1, "one answer of several wins");

    // Once the application has ended (withdrawn, say), no consent of it is asked for or answered.
    let third = Consent::new(app.clone(), iin(super::BOLAT));
    store.create_all(std::slice::from_ref(&third)).await.expect("create");
    let ended = store.set_status(&open, &Status::OPEN, Status::Cancelled, &[ReasonCode::Withdrawn], now(), &[]);
    assert!(matches!(ended.await.expect("withdraw"), Transition::Done(_)));
    let mut asked = third.clone();
    asked.task_token = Some("token-3".into());
    asked.requested_at = Some(now());
    let ended = store.mark_requested(&asked, &[]).await.expect("requested");
    assert_eq!(ended, MarkRequested::Closed, "no request for an ended application");
    let answer = store
        .transition(&app, &third.id, ConsentStatus::Pending, ConsentStatus::Approved, Some(ConsentChannel::Sms), now())
        .await;
    assert_eq!(answer.expect("answer"), None, "no answer to an ended application");
    let closed = store.transition(&app, &third.id, ConsentStatus::Pending, ConsentStatus::Closed, None, now()).await;
    assert!(closed.expect("close").is_some(), "its open consents are still closed");
}

/// Issue #27: an inbound SMS is processed once. Its receipt is written with the answer it made and the answer's
/// timeline entry, in one transaction (all or nothing), or alone; a second write for the same message writes nothing; the
/// acknowledgement is claimed by one sender at a time, marked sent once, and amended only while pending.
pub async fn reply_receipts<S: ApplicationStore + ConsentStore + TimelineStore + 'static>(store: Arc<S>) {
    let open = application(super::DAULET, super::DAULET, None, 0);
    ApplicationStore::create(store.as_ref(), &open, &[], &Admission::default()).await.expect("application");
    let app = open.id.clone();
    let (first, second) =
        (Consent::new(app.clone(), iin(super::AIGERIM)), Consent::new(app.clone(), iin(super::BOLAT)));
    store.create_all(&[first.clone(), second.clone()]).await.expect("consents");
    let phone = PhoneNumber::parse(super::PHONE_AIGERIM).expect("phone");
    let receipt = |id: &str, outcome: ReplyOutcome| ReplyReceipt {
        message: InboundMessageId::parse(id).expect("id"),
        outcome,
        ack: Some(Acknowledgement {
            to: phone.clone(),
            text: "Келісіміңіз қабылданды. Рақмет!".into(),
            language: Language::Kk,
            state: NoticeState::Pending,
        }),
        received_at: now(),
        answered: Some((app.clone(), first.id.clone())),
    };
    let yes = receipt("sns-1", ReplyOutcome::Approved);
    let entry = TimelineEntry::new(now(), TimelineEvent::ConsentApproved, None);
    let by_sms = |consent: &'_ ConsentId, to: ConsentStatus, receipt: &ReplyReceipt| {
        let (consent, receipt, entry) = (consent.clone(), receipt.clone(), entry.clone());
        let (store, app) = (store.clone(), app.clone());
        async move {
            let answer = RecordedAnswer {
                application: &app,
                consent: &consent,
                to,
                channel: ConsentChannel::Sms,
                at: now(),
                entry: &entry,
                receipt: Some(&receipt),
            };
            store.record_answer(&answer).await.expect("record the answer")
        }
    };
    let entries = |store: Arc<S>, app: ApplicationId| async move {
        TimelineStore::list(store.as_ref(), &app).await.expect("timeline").len()
    };
    let answered = by_sms(&first.id, ConsentStatus::Approved, &yes).await;
    assert!(
        matches!(&answered, AnswerRecording::Recorded(c) if c.status == ConsentStatus::Approved
        && c.channel == Some(ConsentChannel::Sms)),
        "{answered:?}"
    );
    assert_eq!(store.receipt(&yes.message).await.expect("read"), Some(yes.clone()), "written with the answer");
    assert_eq!(entries(store.clone(), app.clone()).await, 1, "its timeline entry with it");
    // The same message again, for the other consent: nothing is written, the consent stays pending.
    let again = by_sms(&second.id, ConsentStatus::Declined, &yes).await;
    assert_eq!(again, AnswerRecording::MessageAlreadyReceived);
    let untouched = ConsentStore::get(store.as_ref(), &app, &second.id).await.expect("get").expect("consent");
    assert_eq!(untouched.status, ConsentStatus::Pending, "a replayed message id answers nothing");
    // A new message for an answered consent: NotPending, and its receipt is not written (all or nothing).
    let late = receipt("sns-2", ReplyOutcome::Declined);
    let refused = by_sms(&first.id, ConsentStatus::Declined, &late).await;
    assert_eq!(refused, AnswerRecording::NotPending);
    assert_eq!(entries(store.clone(), app.clone()).await, 1, "no entry without its answer");
    assert_eq!(store.receipt(&late.message).await.expect("read"), None, "no receipt without its answer");
    // A receipt alone, once.
    let wrong = receipt("sns-3", ReplyOutcome::WrongCode);
    assert!(store.record_receipt(&wrong).await.expect("record"));
    assert!(!store.record_receipt(&receipt("sns-3", ReplyOutcome::NotUnderstood)).await.expect("again"));
    assert_eq!(store.receipt(&wrong.message).await.expect("read").map(|r| r.outcome), Some(ReplyOutcome::WrongCode));
    // The acknowledgement: one claim at a time, a lapsed claim taken again, sent once, then never claimed.
    let lease = now() + Duration::seconds(15);
    assert!(store.claim_ack(&yes.message, now(), lease).await.expect("claim"));
    assert!(!store.claim_ack(&yes.message, now(), lease).await.expect("held"), "held by the first sender");
    assert!(store.claim_ack(&yes.message, lease, lease + Duration::seconds(15)).await.expect("lapsed"));
    store.finish_ack(&yes.message, false).await.expect("released");
    let expired = ReplyReceipt { outcome: ReplyOutcome::Expired, ..yes.clone() };
    assert!(store.amend_receipt(&expired).await.expect("amend"), "amended while pending");
    assert!(store.claim_ack(&yes.message, now(), lease).await.expect("claim after release"));
    store.finish_ack(&yes.message, true).await.expect("sent");
    let sent = store.receipt(&yes.message).await.expect("read").expect("receipt");
    assert_eq!((sent.outcome, sent.ack_pending()), (ReplyOutcome::Expired, false));
    assert!(!store.claim_ack(&yes.message, now() + Duration::hours(1), lease).await.expect("sent"), "sent once");
    assert!(!store.amend_receipt(&yes).await.expect("amend"), "not amended once sent");
    // Once the application has ended, a message answers nothing and leaves no receipt.
    let ended = store.set_status(&open, &Status::OPEN, Status::Cancelled, &[ReasonCode::Withdrawn], now(), &[]);
    assert!(matches!(ended.await.expect("withdraw"), Transition::Done(_)));
    let closed = receipt("sns-4", ReplyOutcome::Approved);
    let after = by_sms(&second.id, ConsentStatus::Approved, &closed).await;
    assert_eq!(after, AnswerRecording::NotPending);
    assert_eq!(store.receipt(&closed.message).await.expect("read"), None);
}

/// A registration ends its application in one transaction: the registration, the closing of the previous
/// permanent one, the status, its timeline entries, the registrant's lock and the pending texts; all or none.
pub async fn registrations<S: ApplicationStore + RegistrationStore + TimelineStore + 'static>(store: Arc<S>) {
    let registered = |app: &Application| TimelineEntry::new(app.submitted_at, domain::TimelineEvent::Registered, None);
    let app = application(super::DAULET, super::DAULET, None, 0);
    assert_eq!(store.create(&app, &[], &Admission::default()).await.expect("create"), CreateOutcome::Created);
    let mut first = Registration::from_application(&app, now().date_naive());
    first.kind = RegistrationKind::Permanent;
    first.valid_to = None;
    let history = [registered(&app)];
    let at = now() + Duration::minutes(1);
    let step = Registering { current: &app, at, history: &history };
    let Transition::Done(done) = store.register(&first, None, &step).await.expect("first") else {
        panic!("an open application is registered")
    };
    assert_eq!((done.status, done.notices, done.updated_at), (Status::Registered, NoticeState::Pending, at));
    assert_eq!(store.get(&app.id).await.expect("get"), Some(done.clone()), "the status is written with it");
    let events: Vec<String> =
        store.list(&app.id).await.expect("timeline").into_iter().map(|e| e.event.to_string()).collect();
    assert_eq!(events, ["REGISTERED"], "and its timeline");
    assert_eq!(
        store.register(&first, None, &step).await.expect("again"),
        Transition::Done(done.clone()),
        "a retry finds it registered"
    );
    assert_eq!(store.for_registrant(&iin(super::DAULET)).await.expect("all").len(), 1, "written once");

    let next_app = application(super::DAULET, super::DAULET, None, 5);
    assert_eq!(store.create(&next_app, &[], &Admission::default()).await.expect("lock freed"), CreateOutcome::Created);
    let second = Registration::from_application(&next_app, now().date_naive() + Duration::days(1));
    let last_day = now().date_naive();
    let step = Registering { current: &next_app, at, history: &[] };
    let Transition::Done(second_app) = store.register(&second, Some((&first, last_day)), &step).await.expect("2nd")
    else {
        panic!("registered")
    };
    assert_eq!(second_app.previous_address, Some(first.address.clone()), "the address left is kept for its texts");
    let all = store.for_registrant(&iin(super::DAULET)).await.expect("all");
    // Who lives at an address now: the new registration, not the one it closed.
    let here = store.active_at(&second.address).await.expect("active");
    let ids: Vec<&str> = here.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, [second.id.as_str()], "only what is in force");
    assert_eq!(store.active_at(&Rka::parse("0201500000009999").expect("rka")).await.expect("none"), vec![]);
    let closed = all.iter().find(|r| r.id == first.id).expect("first");
    assert_eq!((closed.status, closed.valid_to), (RegistrationStatus::Closed, Some(last_day)));
    assert_eq!(all.iter().find(|r| r.id == second.id).map(|r| r.status), Some(RegistrationStatus::Active));

    let third_app = application(super::DAULET, super::DAULET, None, 9);
    store.create(&third_app, &[], &Admission::default()).await.expect("create");
    let third = Registration::from_application(&third_app, now().date_naive());
    let step = Registering { current: &third_app, at, history: &[] };
    assert!(
        store.register(&third, Some((&first, last_day)), &step).await.is_err(),
        "closing one that is closed already fails"
    );
    assert_eq!(store.for_registrant(&iin(super::DAULET)).await.expect("all").len(), 2, "and writes nothing");
    assert_eq!(store.get(&third_app.id).await.expect("get").map(|a| a.status), Some(Status::Submitted));

    // Withdrawn between the read and the registration: nothing is registered.
    let cancelled = TimelineEntry::new(at, domain::TimelineEvent::Cancelled, None);
    let withdrawn = store
        .set_status(&third_app, &Status::OPEN, Status::Cancelled, &[ReasonCode::Withdrawn], at, &[cancelled])
        .await;
    assert!(matches!(withdrawn.expect("withdraw"), Transition::Done(_)));
    let history = [registered(&third_app)];
    let step = Registering { current: &third_app, at, history: &history };
    match store.register(&third, None, &step).await.expect("refused") {
        Transition::Refused(a) => assert_eq!(a.status, Status::Cancelled),
        other => panic!("a withdrawn application is not registered: {other:?}"),
    }
    assert_eq!(store.for_registrant(&iin(super::DAULET)).await.expect("all").len(), 2, "no registration");
    let events: Vec<String> =
        store.list(&third_app.id).await.expect("tl").into_iter().map(|e| e.event.to_string()).collect();
    assert_eq!(events, ["CANCELLED"], "no REGISTERED entry");

    // The texts of an outcome: one sender at a time, a dead sender's claim lapses, sent once.
    let t0 = now() + Duration::minutes(2);
    assert!(store.claim_notices(&app.id, t0, t0 + Duration::seconds(60)).await.expect("claim"));
    assert!(!store.claim_notices(&app.id, t0, t0 + Duration::seconds(60)).await.expect("held"), "one sender");
    let later = t0 + Duration::seconds(61);
    assert!(store.claim_notices(&app.id, later, later + Duration::seconds(60)).await.expect("lapsed"));
    store.finish_notices(&app.id, false).await.expect("released");
    assert!(store.claim_notices(&app.id, later, later + Duration::seconds(60)).await.expect("again"));
    store.finish_notices(&app.id, true).await.expect("sent");
    assert!(!store.claim_notices(&app.id, later, later + Duration::seconds(60)).await.expect("sent"), "sent once");
    assert_eq!(store.get(&app.id).await.expect("get").map(|a| a.notices), Some(NoticeState::Sent));
    assert!(
        store.claim_notices(&third_app.id, later, later).await.expect("pending"),
        "a terminal status leaves its texts pending, in the same write"
    );
    let open = application(super::AIGERIM, super::AIGERIM, None, 9);
    store.create(&open, &[], &Admission::default()).await.expect("create");
    assert!(!store.claim_notices(&open.id, later, later).await.expect("none"), "nothing pending while open");
}

/// Signing requests: guesses counted before compared, a code spent only with the application it signs, and
/// limits counted in the same write as what they limit.
pub async fn signing<S: SigningStore + ApplicationStore + 'static>(store: Arc<S>) {
    let key = super::test_code_key();
    let app = application(super::DAULET, super::DAULET, Some("key-7"), 0);
    let new_request = || {
        let id = SigningRequestId::new();
        SigningRequest {
            code_hash: OneTimeCode::parse("654321").expect("code").hash(&key, id.as_str()),
            id,
            applicant: app.applicant.clone(),
            digest: app.digest.clone(),
            expires_at: now() + Duration::minutes(5),
            attempts_left: 3,
            used: false,
            used_by: None,
            used_for_key: None,
        }
    };
    let request = new_request();
    assert_eq!(store.put(&request, &[]).await.expect("put"), None);
    assert_eq!(SigningStore::get(store.as_ref(), &request.id).await.expect("get"), Some(request.clone()));
    let (id, who, digest) = (&request.id, &request.applicant, request.digest.as_str());
    let (right, wrong) =
        (request.code_hash.clone(), OneTimeCode::parse("000000").expect("code").hash(&key, id.as_str()));
    let later = request.expires_at;
    let not_tried = |c: CodeCheck| matches!(c, CodeCheck::NotTried(Some(_)));
    assert!(
        not_tried(store.try_code(id, &iin(super::AIGERIM), digest, &right, now()).await.expect("other")),
        "not theirs"
    );
    assert!(not_tried(store.try_code(id, who, "another form", &right, now()).await.expect("form")), "another form");
    assert!(not_tried(store.try_code(id, who, digest, &right, later).await.expect("expired")), "expired");
    assert_eq!(store.try_code(id, who, digest, &right, now()).await.expect("right"), CodeCheck::Right);
    assert_eq!(store.try_code(id, who, digest, &right, now()).await.expect("right"), CodeCheck::Right, "again, free");
    assert_eq!(
        SigningStore::get(store.as_ref(), id).await.expect("get").map(|r| r.attempts_left),
        Some(3),
        "none taken"
    );
    let mut left = Vec::new();
    for _ in 0..3 {
        left.push(store.try_code(id, who, digest, &wrong, now()).await.expect("attempt"));
    }
    let wrongs = |n| CodeCheck::Wrong { attempts_left: n };
    assert_eq!(left, vec![wrongs(2), wrongs(1), wrongs(0)], "each wrong code counted");
    assert!(
        not_tried(store.try_code(id, who, digest, &right, now()).await.expect("locked")),
        "locked: the right code too"
    );

    // Spent only by the application it signs, in the transaction that stores it.
    let fresh = new_request();
    store.put(&fresh, &[]).await.expect("put");
    let fresh_code = fresh.code_hash.clone();
    let wrong_code = OneTimeCode::parse("000000").expect("code").hash(&key, fresh.id.as_str());
    let mut second = application(super::DAULET, super::BOLAT, None, 1);
    second.digest = app.digest.clone();
    let wrongly = Admission { signed_with: Some((&fresh.id, &wrong_code)), eds_seal: None, limits: &[] };
    assert_eq!(
        store.create(&second, &[], &wrongly).await.expect("create"),
        CreateOutcome::SignatureUsed,
        "not its code"
    );
    let signed = Admission { signed_with: Some((&fresh.id, &fresh_code)), eds_seal: None, limits: &[] };
    assert_eq!(store.create(&app, &[], &signed).await.expect("create"), CreateOutcome::Created);
    let used = SigningStore::get(store.as_ref(), &fresh.id).await.expect("get").expect("stored");
    assert_eq!((used.used, used.used_by, used.used_for_key), (true, Some(app.id.clone()), Some("key-7".into())));
    assert!(not_tried(store.try_code(&fresh.id, who, digest, &fresh_code, now()).await.expect("used")), "used");
    assert!(!store.withdraw(&fresh, &[]).await.expect("withdraw"), "a used request is not taken back");
    assert!(SigningStore::get(store.as_ref(), &fresh.id).await.expect("get").is_some(), "and stays");

    // A request whose code could not be sent is taken back with its counts: the limit is as before.
    let one = Counter::new(LimitName::SigningCodesPerPhone15Min, "+77010000099", 1, Duration::minutes(15), now());
    let unsent = new_request();
    assert_eq!(store.put(&unsent, std::slice::from_ref(&one)).await.expect("put"), None);
    assert!(store.withdraw(&unsent, std::slice::from_ref(&one)).await.expect("withdraw"), "taken back");
    assert_eq!(SigningStore::get(store.as_ref(), &unsent.id).await.expect("get"), None, "gone");
    assert!(!store.withdraw(&unsent, std::slice::from_ref(&one)).await.expect("again"), "once only");
    let next = new_request();
    assert_eq!(store.put(&next, std::slice::from_ref(&one)).await.expect("put"), None, "the count was given back");
    assert_eq!(
        store.put(&new_request(), std::slice::from_ref(&one)).await.expect("put"),
        Some(one.hit()),
        "and counts"
    );
    assert_eq!(store.create(&second, &[], &signed).await.expect("create"), CreateOutcome::SignatureUsed);
    assert_eq!(ApplicationStore::get(store.as_ref(), &second.id).await.expect("get"), None, "nothing stored");
    assert_eq!(store.open_for(&second.draft.registrant).await.expect("open"), None, "nobody blocked");
    assert_eq!(store.open_for(&app.draft.registrant).await.expect("open"), Some(app.id.clone()));

    // Limits: counted with what they limit; over one, nothing is written or counted.
    let counters = |max| {
        vec![Counter::new(LimitName::SigningCodesPerPhone15Min, "+77010000002", max, Duration::minutes(15), now())]
    };
    let (a, b, c) = (new_request(), new_request(), new_request());
    assert_eq!(store.put(&a, &counters(2)).await.expect("put"), None);
    assert_eq!(store.put(&b, &counters(2)).await.expect("put"), None);
    let hit = store.put(&c, &counters(2)).await.expect("put").expect("limited");
    assert_eq!((hit.limit, hit.retry_at), (LimitName::SigningCodesPerPhone15Min, counters(2)[0].window_ends));
    assert_eq!(SigningStore::get(store.as_ref(), &c.id).await.expect("get"), None, "a limited request is not stored");
    assert_eq!(store.put(&c, &counters(3)).await.expect("put"), None, "and was not counted");
    let next_window =
        Counter::new(LimitName::SigningCodesPerPhone15Min, "+77010000002", 1, Duration::minutes(15), hit.retry_at);
    assert_eq!(store.put(&new_request(), &[next_window]).await.expect("put"), None, "a new window counts afresh");

    let per_registrant =
        |max| vec![Counter::new(LimitName::SubmissionsPerRegistrantDay, super::ALIKHAN, max, Duration::days(1), now())];
    let third = application(super::DAULET, super::ALIKHAN, None, 2);
    let admission = per_registrant(1);
    let limited = Admission { signed_with: None, eds_seal: None, limits: &admission };
    assert_eq!(store.create(&third, &[], &limited).await.expect("create"), CreateOutcome::Created);
    let ended = store.set_status(&third, &Status::OPEN, Status::Rejected, &[], now(), &[]).await.expect("end");
    assert!(matches!(ended, Transition::Done(_)));
    let fourth = application(super::DAULET, super::ALIKHAN, None, 3);
    let refused = store.create(&fourth, &[], &limited).await.expect("create");
    assert!(
        matches!(refused, CreateOutcome::Limited(h) if h.limit == LimitName::SubmissionsPerRegistrantDay),
        "{refused:?}"
    );
    assert_eq!(
        store.open_for(&fourth.draft.registrant).await.expect("open"),
        None,
        "a limited submission locks nothing"
    );
    assert_eq!(ApplicationStore::get(store.as_ref(), &fourth.id).await.expect("get"), None);

    // An EDS signature admits one application: its seal is recorded with it, and a second one is refused.
    let seal = "ab".repeat(32);
    let by_eds = Admission { signed_with: None, eds_seal: Some(&seal), limits: &[] };
    let fifth = application(super::GULNARA, super::GULNARA, None, 4);
    assert_eq!(store.create(&fifth, &[], &by_eds).await.expect("create"), CreateOutcome::Created);
    let replayed = application(super::YERLAN, super::YERLAN, None, 5);
    assert_eq!(store.create(&replayed, &[], &by_eds).await.expect("create"), CreateOutcome::SignatureUsed);
    assert_eq!(ApplicationStore::get(store.as_ref(), &replayed.id).await.expect("get"), None, "nothing stored");
    assert_eq!(store.open_for(&replayed.draft.registrant).await.expect("open"), None, "nobody blocked");
    let other_seal = "cd".repeat(32);
    let other = Admission { signed_with: None, eds_seal: Some(&other_seal), limits: &[] };
    assert_eq!(store.create(&replayed, &[], &other).await.expect("create"), CreateOutcome::Created);
}

pub async fn timeline(store: Arc<dyn TimelineStore>) {
    let id = ApplicationId::new();
    let kinds = [TimelineEvent::Submitted, TimelineEvent::EligibilityChecked, TimelineEvent::Registered];
    for (i, event) in kinds.into_iter().enumerate() {
        store
            .append(&id, TimelineEntry::new(now() + Duration::milliseconds(i as i64), event, None))
            .await
            .expect("append");
    }
    let events: Vec<String> = store.list(&id).await.expect("list").into_iter().map(|e| e.event.to_string()).collect();
    assert_eq!(events, vec!["SUBMITTED", "ELIGIBILITY_CHECKED", "REGISTERED"]);
    assert!(store.list(&ApplicationId::new()).await.expect("empty").is_empty());
    // A typed record comes back as it was written (the apps tell it in the reader's language).
    let typed = TimelineEntry::of(
        now() + Duration::seconds(5),
        TimelineEvent::Registered,
        domain::TimelineFacts::Registration {
            rka: super::FLAT_AIGERIM.into(),
            from: now().date_naive(),
            until: now().date_naive().succ_opt(),
            closed: Some(super::FLAT_DAULET.into()),
        },
    );
    store.append(&id, typed.clone()).await.expect("append");
    assert_eq!(store.list(&id).await.expect("list").last(), Some(&typed));
}

/// Certificates: the record and its timeline entry are written together, a number is issued once (a second
/// record under it writes nothing, its entry neither), and checks are counted up to their limit.
pub async fn certificates<S: CertificateStore + TimelineStore + 'static>(store: Arc<S>) {
    use domain::certificate::{check_counter, CertificateRecord, DocumentNumber, CHECKS_PER_CALLER_PER_10_MIN};
    let app = application(super::AIGERIM, super::AIGERIM, None, 0);
    let registration = Registration::from_application(&app, now().date_naive());
    let person = Person {
        iin: iin(super::AIGERIM),
        last_name: "Сейтқали".into(),
        first_name: "Әйгерім".into(),
        citizen: true,
        capacity: Capacity::Full,
        parents: vec![],
        representatives: vec![],
        guardians: vec![],
        bmg_phone: None,
        language: Language::Kk,
    };
    let record = CertificateRecord::new(&registration, &person, Address::Line("Астана, Мәңгілік Ел, 10".into()), now());
    let entry = |n: &DocumentNumber| {
        TimelineEntry::of(now(), TimelineEvent::CertificateIssued, TimelineFacts::Certificate { number: n.to_string() })
    };
    assert!(store.issue(&record, entry(&record.number)).await.expect("issue"), "issued");
    assert_eq!(store.get(&record.number).await.expect("get"), Some(record.clone()), "reads back what was written");
    let issued =
        |entries: Vec<TimelineEntry>| entries.iter().filter(|e| e.event == TimelineEvent::CertificateIssued).count();
    assert_eq!(issued(store.list(&app.id).await.expect("timeline")), 1, "with its timeline entry");
    let mut other = record.clone();
    other.surname = "Another".into();
    assert!(!store.issue(&other, entry(&other.number)).await.expect("taken"), "a number is issued once");
    assert_eq!(store.get(&record.number).await.expect("get"), Some(record.clone()), "the first stands");
    assert_eq!(issued(store.list(&app.id).await.expect("timeline")), 1, "and nothing else was written");
    assert_eq!(store.get(&DocumentNumber::generate()).await.expect("get"), None);

    let counter = check_counter("192.0.2.55", now());
    for i in 0..CHECKS_PER_CALLER_PER_10_MIN {
        assert_eq!(store.count_check(&counter).await.expect("count"), None, "check {i}");
    }
    assert_eq!(store.count_check(&counter).await.expect("count"), Some(counter.hit()), "past the limit");
    assert_eq!(store.count_check(&check_counter("192.0.2.56", now())).await.expect("count"), None, "per caller");
}
