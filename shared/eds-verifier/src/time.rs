//! ASN.1 times as chrono's.

use chrono::{DateTime, Utc};

pub fn of(time: &x509_cert::time::Time) -> DateTime<Utc> {
    from_unix(time.to_unix_duration())
}

pub fn of_generalized(time: &der::asn1::GeneralizedTime) -> DateTime<Utc> {
    from_unix(time.to_unix_duration())
}

fn from_unix(d: std::time::Duration) -> DateTime<Utc> {
    let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
    DateTime::from_timestamp(secs, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}
