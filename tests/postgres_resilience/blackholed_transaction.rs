//! A peer that goes silent under a connection that is not given back to
//! the pool between statements: a transaction, or a connection lent for
//! raw SQL. The statement that meets the blackhole times out, and so does
//! what comes next on that connection (the rollback, the next statement,
//! which first cancel the one that timed out): each fails within a bound,
//! none hangs.

use std::time::{Duration, Instant};

use keyway::Error;
use keyway::prelude::*;
use keyway_postgres::PostgresSettings;

use crate::blackhole::Blackhole;
use crate::common::{Fixture, bounded, main_url, with_option};
use crate::model::User;
use crate::scratch::{authority, via};

/// How long a failure may take to arrive (the statement timeout is 1 s).
const BOUND: Duration = Duration::from_secs(15);

async fn open(proxy: &Blackhole) -> Fixture {
    let url = main_url();
    let proxied = with_option(&via(&url, &proxy.addr()), "sslmode=disable");
    let fx = Fixture::open_via(&url, &proxied, |o| {
        o.max_connections(1)
            .acquire_timeout(Duration::from_secs(3))
            .ping_timeout(Duration::from_secs(1))
            .settings(PostgresSettings::default().statement_timeout(Duration::from_secs(1)))
    })
    .await;
    fx.create_schema::<User>().await.unwrap();
    fx
}

/// After the blackhole is gone, the pool of one serves statements again.
async fn recovers(fx: &Fixture, proxy: &Blackhole) {
    proxy.restore();
    let counted = bounded("a count after the blackhole", fx.count(User::query())).await;
    assert_eq!(counted.ok(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blackholed_transaction_fails_within_a_bound() {
    let proxy = Blackhole::start(authority(&main_url())).await;
    let fx = open(&proxy).await;
    let start = Instant::now();
    let failed = bounded(
        "the transaction",
        fx.transaction(async |tx| {
            tx.count(User::query()).await?;
            assert!(proxy.arm() >= 1);
            tx.count(User::query()).await
        }),
    )
    .await;
    assert!(matches!(failed, Err(Error::Timeout(_))), "{failed:?}");
    assert!(start.elapsed() < BOUND, "{:?}", start.elapsed());
    recovers(&fx, &proxy).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_statement_after_a_blackholed_one_on_a_lent_connection_fails_within_a_bound() {
    let proxy = Blackhole::start(authority(&main_url())).await;
    let fx = open(&proxy).await;
    let mut conn = fx.executor().acquire().await.unwrap();
    conn.query("SELECT 1", &[]).await.unwrap();
    assert!(proxy.arm() >= 1);
    let first = bounded("the first statement", conn.query("SELECT 2", &[])).await;
    assert!(first.as_ref().is_err_and(|e| e.is_timeout()), "{first:?}");
    // Through the extended protocol, then the simple one.
    let start = Instant::now();
    let second = bounded("the second statement", conn.query("SELECT 3", &[])).await;
    assert!(second.is_err(), "{second:?}");
    assert!(start.elapsed() < BOUND, "{:?}", start.elapsed());
    let start = Instant::now();
    let third = bounded("the third statement", conn.batch_execute("SELECT 4")).await;
    assert!(third.is_err(), "{third:?}");
    assert!(start.elapsed() < BOUND, "{:?}", start.elapsed());
    drop(conn);
    recovers(&fx, &proxy).await;
}
