//! The rate limit holds for the service, not for each node (issue #12, item 7): a token
//! that has used its rate on one node is not given a second rate on another node of the
//! same store.

mod common;

use std::time::{Duration, Instant};

use common::*;
use menpai::app::Role;

/// Sends requests to `port` for `secs`, as fast as one client can; counts the 200s.
fn hammer(port: u16, token: &str, secs: f64) -> (usize, usize) {
    let until = Instant::now() + Duration::from_secs_f64(secs);
    let (mut ok, mut all) = (0, 0);
    while Instant::now() < until {
        let (status, _) = get(port, "/v1/divisions/422801", token);
        all += 1;
        if status == 200 {
            ok += 1;
        }
    }
    (ok, all)
}

#[test]
fn a_token_that_used_its_rate_on_one_node_gets_no_second_rate_on_another() {
    let db = TestDb::new();
    let app = db.app();
    app.import(&admin(), &small_file(&[]), false).unwrap();
    let token = app.create_token(&admin(), Role::Reader, None, None).unwrap().1;
    drop(app);
    let env = [("MENPAI_RATE_PER_SEC", "10"), ("MENPAI_RATE_BURST", "10")];
    let a = serve(&db, &env);
    let b = serve(&db, &env);

    // Node A lets the token through at its full rate for a few seconds, long enough for
    // both nodes to share what they used at least twice.
    let (ok_a, all_a) = hammer(a.1, &token, 3.5);
    assert!(all_a > ok_a, "A limited the token ({ok_a} of {all_a})");
    // Still at full rate on A, the token turns to B as well: B knows the rate is spent.
    let handle = {
        let token = token.clone();
        let port = a.1;
        std::thread::spawn(move || hammer(port, &token, 1.5))
    };
    let (ok_b, all_b) = hammer(b.1, &token, 1.0);
    handle.join().unwrap();
    assert!(all_b >= 20, "B was asked often enough to tell ({all_b})");
    // A node of its own would let 10 through at once and 10 more in that second.
    assert!(ok_b <= 5, "B let {ok_b} of {all_b} through while A was using the whole rate");

    // Another token is untouched.
    let other = db.app().create_token(&admin(), Role::Reader, None, None).unwrap().1;
    assert_eq!(get(b.1, "/v1/divisions/422801", &other).0, 200);
}
