//! A peer that goes silent without closing (a blackhole): statements fail
//! with `Error::Timeout` within the statement timeout, opening a connection
//! fails within the acquire timeout, nothing hangs, and once the network
//! forwards again the pool serves every statement: after more blackholes
//! than it has connections, no slot was lost.

use std::time::{Duration, Instant};

use futures::future::join_all;
use keyway::Error;
use keyway::prelude::*;
use keyway_postgres::PostgresSettings;

use crate::blackhole::Blackhole;
use crate::common::{Fixture, with_option};
use crate::model::User;
use crate::scratch::{authority, via};

const POOL: usize = 2;
/// More blackholes than the pool has connections.
const EVENTS: usize = POOL + 1;
/// How long a failure may take to arrive: the statement timeout (1 s) or
/// the acquire timeout (3 s), with room to spare.
const BOUND: Duration = Duration::from_secs(15);

/// The count, and how long it took.
async fn timed_count(db: &Db<keyway_postgres::Postgres>) -> (Result<u64, Error>, Duration) {
    let start = Instant::now();
    let counted = tokio::time::timeout(2 * BOUND, db.count(User::query()))
        .await
        .expect("a statement through the blackhole hung");
    (counted, start.elapsed())
}

fn assert_timeout(counted: Result<u64, Error>, took: Duration, what: &str) {
    assert!(
        matches!(counted, Err(Error::Timeout(_))),
        "{what}: {counted:?}"
    );
    assert!(took < BOUND, "{what}: the timeout took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blackholed_connection_times_out_and_the_pool_recovers() {
    let url = crate::common::main_url();
    let proxy = Blackhole::start(authority(&url)).await;
    let proxied = with_option(&via(&url, &proxy.addr()), "sslmode=disable");
    let fx = Fixture::open_via(&url, &proxied, |o| {
        o.max_connections(POOL as u32)
            .acquire_timeout(Duration::from_secs(3))
            .ping_timeout(Duration::from_secs(1))
            // An idle connection is used as it is: the statement, not the
            // test before use, is what meets the blackhole.
            .test_after_idle(Duration::from_secs(600))
            .settings(PostgresSettings::default().statement_timeout(Duration::from_secs(1)))
    })
    .await;
    fx.create_schema::<User>().await.unwrap();
    for event in 0..EVENTS {
        // One user inserted per event.
        let users = event as u64;
        // Every connection of the pool open and idle.
        let mut held = Vec::new();
        for _ in 0..POOL {
            held.push(fx.executor().acquire().await.unwrap());
        }
        held.into_iter().for_each(|conn| conn.release());
        assert_eq!(fx.count(User::query()).await.unwrap(), users);

        let silenced = proxy.arm();
        assert!(
            silenced >= POOL,
            "event {event}: {silenced} connections silenced"
        );
        // One statement on an idle, established, silent connection.
        let (counted, took) = timed_count(&fx).await;
        assert!(
            matches!(&counted, Err(Error::Timeout(detail)) if detail.contains("statement timeout")),
            "event {event}: {counted:?}"
        );
        assert_timeout(counted, took, &format!("event {event}, one statement"));
        // As many at once as the pool has connections: on the silent
        // connections left, or on new ones that never finish logging in.
        let all = join_all((0..POOL).map(|_| timed_count(&fx))).await;
        for (i, (counted, took)) in all.into_iter().enumerate() {
            assert_timeout(counted, took, &format!("event {event}, statement {i}"));
        }
        proxy.restore();

        // More statements than the pool has connections, one after another
        // and at once: each is answered.
        for i in 0..2 * POOL + 1 {
            let counted = fx.count(User::query()).await;
            assert_eq!(
                counted.ok(),
                Some(users),
                "event {event}, statement {i} after"
            );
        }
        let all = join_all((0..2 * POOL).map(|_| fx.count(User::query()))).await;
        for counted in all {
            assert_eq!(counted.ok(), Some(users), "event {event}, at once after");
        }
        let id = fx
            .insert(&User::new("Ann", &format!("ann{event}@example.com")))
            .await
            .unwrap();
        assert_eq!(fx.get::<User>(id).await.unwrap().name, "Ann");
    }
    assert_eq!(fx.count(User::query()).await.unwrap(), EVENTS as u64);
}
