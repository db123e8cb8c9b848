//! Issue #26: API Gateway's throttle per route, as the local stack applies the template's `RouteSettings`
//! (each route's `EdgeLimit` in the table of functions). A flood of one route is answered 429 at the edge,
//! before any function runs, and leaves the other routes their share.

use local_stack::edge_throttle::limit_of;
use std::time::Instant;
use tests::*;

#[tokio::test]
async fn a_flood_of_signing_codes_is_cut_at_the_edge_and_the_reads_go_on() {
    let app = spawn_app().await;
    let limit = limit_of("POST /signing-codes");
    let f = form(DAULET, FLAT_AIGERIM);
    app.stack.shared.stack.invocations.take();
    let flood = 3 * limit.burst as usize;
    let started = Instant::now();
    let replies = futures::future::join_all((0..flood).map(|_| app.post(DAULET, "/signing-codes", &f))).await;
    let elapsed = started.elapsed().as_secs_f64();
    // Reads during and after the flood: their own bucket, untouched.
    let read = app.get(DAULET, "/registrations").await;
    assert_eq!(read.status, 200, "{}", read.body);

    let at_the_edge = replies
        .iter()
        .filter(|r| r.status == 429 && r.body == serde_json::json!({ "message": "Too Many Requests" }))
        .count();
    let passed = flood - at_the_edge;
    // The bucket's burst, plus what the rate refilled while the flood lasted (measured, so never flaky).
    let most = limit.burst as usize + (f64::from(limit.rate) * elapsed).ceil() as usize;
    assert!(passed >= limit.burst as usize, "a full bucket lets a burst through: {passed}");
    assert!(passed <= most, "{passed} passed the edge in {elapsed:.2} s; at most {most}");
    // The function ran once per request that passed, never for one refused at the edge (its own answers
    // are its rate limit's problem+json 429, naming the rule).
    let ran = app.stack.shared.stack.invocations.take().get("signing-code").map_or(0, |b| b.invocations);
    assert_eq!(ran as usize, passed, "signing-code invocations = requests past the edge");
    for r in replies.iter().filter(|r| r.status == 429 && r.body.get("message").is_none()) {
        assert_eq!(r.body["rule"], "SIGNING_CODES_PER_APPLICANT_15_MIN", "{}", r.body);
    }
}

#[tokio::test]
async fn a_public_route_is_the_lowest_door_and_refills_at_its_rate() {
    let app = spawn_app().await;
    let limit = limit_of("GET /verify/{number}");
    let started = Instant::now();
    let mut refused = 0;
    for _ in 0..(2 * limit.burst) {
        if app.public_get("/verify/RR-0000-0000").await.status == 429 {
            refused += 1;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let most_passed = limit.burst as f64 + f64::from(limit.rate) * elapsed;
    assert!(f64::from(2 * limit.burst - refused) <= most_passed.ceil(), "{refused} refused in {elapsed:.2} s");
    assert!(refused > 0, "a flood of a public route is cut");
    // One second later the bucket holds `rate` tokens again.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_ne!(app.public_get("/verify/RR-0000-0000").await.status, 429, "refilled");
}
