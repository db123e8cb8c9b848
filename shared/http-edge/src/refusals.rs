//! The refusals that protect people from each other: not authorised for this registrant (403), an open
//! application (409), a limit reached (429). Each changes nothing; each names the field and the rule.

use super::Problem;
use crate::problem::ProblemKind;
use chrono::{DateTime, Utc};
use domain::rate_limits::LimitHit;
use domain::ApplicationId;

impl Problem {
    /// 403: the caller is neither the registrant nor their parent or legal representative (under 16) nor their
    /// guardian (without full capacity), per the registries. The same answer whether or not the IIN exists.
    pub fn not_authorised_for_registrant() -> Problem {
        Problem::new(
            ProblemKind::NotAuthorisedForRegistrant,
            "you may apply for yourself, for your child or a child you legally represent under 16, or for a person \
             under your guardianship; this person must apply themselves",
        )
        .at("registrantIin", "NOT_AUTHORISED_FOR_REGISTRANT")
    }

    /// 409: the registrant has an application that is not finished (shown only to those authorised for them).
    pub fn open_application(open: &ApplicationId) -> Problem {
        Problem::new(
            ProblemKind::OpenApplicationExists,
            format!("application {open} for this person is not finished yet"),
        )
        .at("registrantIin", "ONE_OPEN_APPLICATION")
        .with("openApplicationId", open.to_string())
    }

    /// 429 with `Retry-After`: a limit of `domain::rate_limits` is reached; nothing was done or counted.
    pub fn limited(hit: &LimitHit, now: DateTime<Utc>) -> Problem {
        let seconds = hit.retry_after_seconds(now);
        let mut problem = Problem::new(
            ProblemKind::TooManyRequests,
            format!("this limit is reached; nothing was done; try again after {}", hit.retry_at.to_rfc3339()),
        )
        .at(hit.limit.field(), hit.limit.as_str())
        .with("retryAt", hit.retry_at.to_rfc3339());
        problem.retry_after = Some(seconds);
        problem
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::rate_limits::LimitName;

    #[test]
    fn a_429_says_when_in_a_header_and_names_the_rule() {
        let now = DateTime::parse_from_rfc3339("2026-11-25T10:07:30Z").expect("t").with_timezone(&Utc);
        let hit =
            LimitHit { limit: LimitName::SigningCodesPerPhone15Min, retry_at: now + chrono::Duration::seconds(450) };
        let resp = Problem::limited(&hit, now).into_response();
        assert_eq!(resp.status(), 429);
        assert_eq!(resp.headers()["retry-after"], "450");
        assert_eq!(resp.headers()["content-type"], "application/problem+json");
        let lambda_http::Body::Text(body) = resp.body() else { panic!("text body") };
        let body: serde_json::Value = serde_json::from_str(body).expect("json");
        assert_eq!(
            (body["field"].as_str(), body["rule"].as_str()),
            (Some("phone"), Some("SIGNING_CODES_PER_PHONE_15_MIN"))
        );
        assert_eq!(Problem::not_authorised_for_registrant().status, 403);
    }
}
