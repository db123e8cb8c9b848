//! Writing many stored applications at once, in the same item format as the store: for benchmarks that
//! need a table with 10^5 or 10^6 applications (the workflow never writes this way).

use super::applications::app_item;
use super::consents::consent_item;
use super::{batch_put, Item};
use aws_sdk_dynamodb::Client;
use domain::errors::StoreError;
use domain::{Application, Consent};

/// Puts the applications and consents as they are (no conditions, no locks); returns the item count.
pub async fn put_applications(
    client: &Client,
    table: &str,
    applications: &[Application],
    consents: &[Consent],
) -> Result<usize, StoreError> {
    let mut items: Vec<Item> = Vec::with_capacity(applications.len() + consents.len());
    for a in applications {
        items.push(app_item(a)?);
    }
    for c in consents {
        items.push(consent_item(c)?);
    }
    let count = items.len();
    batch_put(client, table, items).await?;
    Ok(count)
}
