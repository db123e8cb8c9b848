//! `open --older-than 2h`: applications still open that were submitted before now minus a duration, oldest
//! first: what an operator looks at when something is stuck (the workflow ends every application within the
//! consent window plus retries, so an old open one is a fault to look into).

use chrono::{DateTime, Duration, Utc};

/// `90s`, `15m`, `2h`, `3d`: a positive whole number and a unit.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let refuse = || format!("{text:?} is not a duration such as 90s, 15m, 2h or 3d");
    let split = text.len().checked_sub(1).ok_or_else(refuse)?;
    let (number, unit) = text.split_at(split);
    let n: i64 = number.parse().ok().filter(|n| *n > 0 && *n <= 100_000).ok_or_else(refuse)?;
    match unit {
        "s" => Ok(Duration::seconds(n)),
        "m" => Ok(Duration::minutes(n)),
        "h" => Ok(Duration::hours(n)),
        "d" => Ok(Duration::days(n)),
        _ => Err(refuse()),
    }
}

/// One line an application: id, submitted at, age.
pub fn lines(open: &[(domain::ApplicationId, DateTime<Utc>)], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for (id, at) in open {
        let age = now - *at;
        out.push_str(&format!(
            "{id}  submitted {}  open {}h{:02}m\n",
            at.to_rfc3339(),
            age.num_hours(),
            age.num_minutes() % 60
        ));
    }
    out.push_str(&format!("{} open application(s)", open.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_have_a_number_and_a_unit() {
        assert_eq!(parse_duration("2h"), Ok(Duration::hours(2)));
        assert_eq!(parse_duration("90s"), Ok(Duration::seconds(90)));
        assert_eq!(parse_duration("3d"), Ok(Duration::days(3)));
        for bad in ["", "h", "2", "-2h", "0m", "2w", "2.5h", "1000000d"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }
}
