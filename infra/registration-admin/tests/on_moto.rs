//! The operator commands against DynamoDB on moto (`test_kit::moto`): loading the registries as a stream,
//! refusing a bad file whole, listing the open applications by age without a Scan, showing one application.

use aws_adapters::dynamodb::{schema, DynamoRegistries, DynamoStore};
use chrono::Duration;
use domain::ports::{Admission, ApplicationStore, Registries};
use domain::{ReasonCode, Status, TimelineEntry, TimelineEvent};
use registration_admin::{load, show};

async fn client() -> aws_sdk_dynamodb::Client {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(test_kit::moto::endpoint())
        .region(aws_config::Region::new("eu-central-1"))
        .test_credentials()
        .load()
        .await;
    aws_sdk_dynamodb::Client::new(&config)
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", &uuid::Uuid::new_v4().simple().to_string()[..12])
}

fn file(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("{}-{name}", unique("reference")));
    std::fs::write(&path, text).expect("temp file");
    path
}

#[tokio::test]
async fn loads_a_good_file_and_writes_nothing_of_a_bad_one() {
    let client = client().await;
    let table = unique("registries");
    schema::create_registries_table(&client, &table).await.expect("table");
    let registries = DynamoRegistries::new(client.clone(), table.clone());

    // An owner who is not a person of the file, after a good person: refused before anything is written.
    let bad = r#"{"people":[{"iin":"900315400017","lastName":"A","firstName":"B"}],
        "properties":[{"rka":"0201500000012345","address":"x","owners":["880702300117"]}]}"#;
    let refused = load::load(&client, &table, &file("bad.json", bad)).await;
    assert!(refused.as_ref().is_err_and(|e| e.contains("owner") && e.contains("not in people")), "{refused:?}");
    let aigerim = test_kit::iin(test_kit::AIGERIM);
    assert_eq!(registries.person(&aigerim).await.expect("read"), None, "nothing written");

    let sample = file("sample.json", test_kit::SAMPLE_REFERENCE_DATA);
    let loaded = load::load(&client, &table, &sample).await.expect("the sample loads");
    let whole = domain::reference_data::ReferenceData::from_json(test_kit::SAMPLE_REFERENCE_DATA).expect("sample");
    assert_eq!((loaded.people, loaded.properties), (whole.people().count(), whole.properties().count()));
    let read = registries.person(&aigerim).await.expect("read").expect("Aigerim is loaded");
    assert_eq!(read.iin, aigerim);
    assert!(load::load(&client, &table, &sample).await.is_ok(), "loading again is safe");
    let missing = load::load(&client, &table, std::path::Path::new("/nonexistent/file.json")).await;
    assert!(missing.is_err_and(|e| e.contains("cannot read")));
}

#[tokio::test]
async fn lists_open_applications_by_age_and_shows_one_with_masked_iins() {
    let client = client().await;
    let table = unique("registration");
    schema::create_main_table(&client, &table).await.expect("table");
    let store = DynamoStore::new(client, table);
    let now = chrono::Utc::now();
    let mut old = test_kit::application(test_kit::DAULET, test_kit::DAULET, test_kit::FLAT_AIGERIM);
    old.submitted_at = now - Duration::hours(3);
    old.updated_at = old.submitted_at;
    let mut new = test_kit::application(test_kit::AIGERIM, test_kit::AIGERIM, test_kit::FLAT_DAULET);
    new.submitted_at = now - Duration::minutes(5);
    new.updated_at = new.submitted_at;
    for app in [&old, &new] {
        let first = [TimelineEntry::new(app.submitted_at, TimelineEvent::Submitted, None)];
        store.create(app, &first, &Admission::default()).await.expect("create");
    }

    let open = store.open_submitted_before(now - Duration::hours(2), 100).await.expect("query");
    assert_eq!(open.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(), vec![old.id.clone()]);
    let both = store.open_submitted_before(now, 100).await.expect("query");
    assert_eq!(both.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(), vec![old.id.clone(), new.id.clone()]);
    assert_eq!(store.open_submitted_before(now, 1).await.expect("query").len(), 1, "the limit holds");

    let arn = "arn:aws:states:eu-central-1:123456789012:stateMachine:registration";
    let view = show::show(&store, &old.id, Some(arn)).await.expect("show").expect("exists");
    assert_eq!(view["status"], "SUBMITTED");
    assert_eq!(view["timeline"][0]["event"], "SUBMITTED");
    assert_eq!(
        view["execution"],
        format!("arn:aws:states:eu-central-1:123456789012:execution:registration:{}", old.id)
    );
    let text = view.to_string();
    assert!(!text.contains(test_kit::DAULET), "no IIN in the operator's view: {text}");
    assert!(show::show(&store, &domain::ApplicationId::new(), None).await.expect("show").is_none());

    // An application that ends leaves the list with its lock.
    let ended = store
        .set_status(&old, &[Status::Submitted], Status::Rejected, &[ReasonCode::ChildUnder14], now, &[])
        .await
        .expect("end");
    assert!(matches!(ended, domain::ports::Transition::Done(_)), "{ended:?}");
    let open = store.open_submitted_before(now, 100).await.expect("query");
    assert_eq!(open.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(), vec![new.id]);
}

/// A restore from point-in-time recovery: the live table ends holding exactly the restored table's items, those
/// written after the restore time deleted, those changed since written back.
#[tokio::test]
async fn restore_from_makes_the_table_hold_exactly_the_restored_items() {
    use aws_sdk_dynamodb::types::AttributeValue;
    let client = client().await;
    let (restored, live) = (unique("restored"), unique("live"));
    schema::create_main_table(&client, &restored).await.expect("restored table");
    schema::create_main_table(&client, &live).await.expect("live table");
    let item = |pk: &str, sk: &str, v: &str| {
        std::collections::HashMap::from([
            ("pk".to_string(), AttributeValue::S(pk.into())),
            ("sk".to_string(), AttributeValue::S(sk.into())),
            ("v".to_string(), AttributeValue::S(v.into())),
        ])
    };
    let at_restore_time: Vec<_> = (0..60).map(|i| item(&format!("APP#{i}"), "APP", "then")).collect();
    aws_adapters::dynamodb::batch_put(&client, &restored, at_restore_time.clone()).await.expect("restored items");
    let mut now: Vec<_> = (0..30).map(|i| item(&format!("APP#{i}"), "APP", "changed since")).collect();
    now.extend((100..140).map(|i| item(&format!("APP#{i}"), "APP", "written after")));
    aws_adapters::dynamodb::batch_put(&client, &live, now).await.expect("live items");

    let done = registration_admin::restore::restore_from(&client, &restored, &live).await.expect("restore");
    assert_eq!((done.written, done.deleted), (60, 40));
    let out = client.scan().table_name(&live).consistent_read(true).send().await.expect("scan");
    let mut items = out.items.unwrap_or_default();
    items.sort_by_key(|i| i.get("pk").and_then(|v| v.as_s().ok()).cloned());
    let mut expected = at_restore_time;
    expected.sort_by_key(|i| i.get("pk").and_then(|v| v.as_s().ok()).cloned());
    assert_eq!(items, expected, "exactly the restored items");
    assert!(registration_admin::restore::restore_from(&client, &live, &live).await.is_err(), "not onto itself");
}
