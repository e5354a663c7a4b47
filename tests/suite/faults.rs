//! Network faults between keyway and a database server, injected by a
//! [`TcpProxy`]: a lost connection is `Error::Connection`, an interrupted
//! transaction or multi-statement insert leaves nothing behind, a stalled
//! server is a bounded `Error::Timeout`, a slow network changes no result,
//! and the pool recovers afterwards. Nothing is retried behind the caller's
//! back: a statement that may have reached the server is never sent twice.

use std::time::Duration;

use keyway::prelude::*;
use keyway::{Backend, Db, Error, Supports, Unindexed};

use super::tcp_proxy::{Cut, TcpProxy};
use super::uniform_errors::is_connection_error;
use crate::model::User;

/// A database reached through a fault-injecting proxy (`db`, one pooled
/// connection, so every statement takes the same road), and the same
/// database reached directly, to check what was really written.
pub struct Faulty<'a, B: Backend> {
    pub db: &'a Db<B>,
    pub direct: &'a Db<B>,
    pub proxy: &'a TcpProxy,
}

/// Every test of this module, each given a fresh [`Faulty`] by `$open`.
#[macro_export]
macro_rules! keyway_fault_suite {
    ($open:expr) => {
        $crate::keyway_fault_suite!($open;
            lost_before_commit_writes_nothing,
            lost_after_commit_is_all_or_nothing,
            lost_mid_transaction_rolls_back,
            lost_mid_insert_batches_writes_nothing,
            slow_network_changes_no_result,
            stalled_server_is_a_bounded_timeout,
        );
    };
    ($open:expr; $($test:ident),* $(,)?) => {
        mod faults {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let (db, direct, proxy) = $open.await;
                    suite::faults::$test(suite::faults::Faulty {
                        db: &db,
                        direct: &direct,
                        proxy: &proxy,
                    })
                    .await;
                }
            )*
        }
    };
}

fn users(n: usize, tag: &str) -> Vec<User> {
    (0..n)
        .map(|i| User::new(&format!("{tag} {i}"), &format!("{tag}.{i}@example.com")))
        .collect()
}

/// After a fault, the pool gives a working connection again: at most one
/// statement fails (as `Error::Connection`, on a connection that died in
/// the pool), the next one succeeds.
async fn recovers<B: Backend + Supports<Unindexed>>(db: &Db<B>) -> u64 {
    match db.count(User::query()).await {
        Ok(n) => n,
        failed => {
            is_connection_error(failed);
            db.count(User::query()).await.expect("the pool recovers")
        }
    }
}

/// The connection is lost as COMMIT is sent: the commit fails as
/// `Error::Connection`, and the server, which never saw it, rolled back.
pub async fn lost_before_commit_writes_nothing<B: Backend + Supports<Unindexed>>(f: Faulty<'_, B>) {
    f.db.create_schema::<User>().await.unwrap();
    let tx = f.db.begin().await.unwrap();
    for user in users(5, "tx") {
        tx.insert(&user).await.unwrap();
    }
    f.proxy.arm(Cut::before("COMMIT"));
    is_connection_error(tx.commit().await);
    assert_eq!(f.proxy.fired(), 1);
    assert_eq!(f.direct.count(User::query()).await.unwrap(), 0);
    assert_eq!(recovers(f.db).await, 0);
}

/// The connection is lost after COMMIT reached the server, before its answer
/// came back: the outcome is unknown to the client, but it is all or nothing.
pub async fn lost_after_commit_is_all_or_nothing<B: Backend + Supports<Unindexed>>(
    f: Faulty<'_, B>,
) {
    f.db.create_schema::<User>().await.unwrap();
    let tx = f.db.begin().await.unwrap();
    for user in users(5, "tx") {
        tx.insert(&user).await.unwrap();
    }
    f.proxy.arm(Cut::after("COMMIT"));
    let result = tx.commit().await;
    assert_eq!(f.proxy.fired(), 1);
    // Wait (bounded) for the server to finish the commit it was sent.
    let mut written = f.direct.count(User::query()).await.unwrap();
    for _ in 0..50 {
        if written == 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        written = f.direct.count(User::query()).await.unwrap();
    }
    assert!(written == 0 || written == 5, "{written} of 5 rows written");
    match result {
        Ok(()) => assert_eq!(written, 5, "an acknowledged commit is durable"),
        failed => is_connection_error(failed),
    }
    assert_eq!(recovers(f.db).await, written);
}

/// The connection is lost between two statements of a transaction: the next
/// statement fails as `Error::Connection`, dropping the transaction does not
/// panic, and nothing of it was written.
pub async fn lost_mid_transaction_rolls_back<B: Backend + Supports<Unindexed>>(f: Faulty<'_, B>) {
    f.db.create_schema::<User>().await.unwrap();
    let tx = f.db.begin().await.unwrap();
    for user in users(3, "before") {
        tx.insert(&user).await.unwrap();
    }
    f.proxy.cut_all();
    is_connection_error(tx.insert(&User::new("after", "after@example.com")).await);
    drop(tx);
    assert_eq!(f.direct.count(User::query()).await.unwrap(), 0);
    assert_eq!(recovers(f.db).await, 0);
    // The same rows can be written afterwards: no unique key is held by a
    // half-finished transaction.
    f.db.insert_many(&users(3, "before")).await.unwrap();
    assert_eq!(f.direct.count(User::query()).await.unwrap(), 3);
}

/// An insert too large for one statement runs as several in a transaction;
/// the connection is lost as the second statement is sent: nothing of the
/// first one stays.
pub async fn lost_mid_insert_batches_writes_nothing<B: Backend + Supports<Unindexed>>(
    f: Faulty<'_, B>,
) {
    f.db.create_schema::<User>().await.unwrap();
    // Two columns a row: more than 32,767 rows need a second statement on
    // PostgreSQL and MySQL (65,535 parameters each).
    let many = users(40_000, "bulk");
    f.proxy.arm(Cut::before("INSERT INTO").nth(2));
    is_connection_error(f.db.insert_many(&many).await);
    assert_eq!(f.proxy.fired(), 1, "the cut fired on the second statement");
    assert_eq!(f.direct.count(User::query()).await.unwrap(), 0);
    assert_eq!(recovers(f.db).await, 0);
    let keys = f.db.insert_many(&many).await.unwrap();
    assert_eq!(keys.len(), many.len());
    assert_eq!(f.direct.count(User::query()).await.unwrap(), 40_000);
}

/// Every chunk delayed both ways: every operation still returns exactly what
/// it returns on a fast network.
pub async fn slow_network_changes_no_result<B: Backend + Supports<Unindexed>>(f: Faulty<'_, B>) {
    f.db.create_schema::<User>().await.unwrap();
    f.proxy.delay(Duration::from_millis(15));
    let ids = f.db.insert_many(&users(20, "slow")).await.unwrap();
    f.db.transaction(async |tx| {
        tx.update(User::update(ids[0]).set(User::NAME, "first"))
            .await?;
        tx.delete(User::delete(ids[19])).await?;
        Ok(())
    })
    .await
    .unwrap();
    let first: User = f.db.get(ids[0]).await.unwrap();
    assert_eq!(first.name, "first");
    let found = f.db.find::<User>(ids[19]).await.unwrap();
    assert!(found.is_none());
    let all: Vec<User> =
        f.db.all(User::query().order_by(User::ID.asc()))
            .await
            .unwrap();
    assert_eq!(all.len(), 19);
    f.proxy.delay(Duration::ZERO);
    let direct: Vec<User> = f
        .direct
        .all(User::query().order_by(User::ID.asc()))
        .await
        .unwrap();
    assert_eq!(all, direct);
}

/// The server stops answering new connections: a statement that needs one
/// fails as `Error::Timeout` once the pool's acquire timeout has passed
/// (the proxy is opened with a short one), not never.
pub async fn stalled_server_is_a_bounded_timeout<B: Backend + Supports<Unindexed>>(
    f: Faulty<'_, B>,
) {
    f.db.create_schema::<User>().await.unwrap();
    f.proxy.stall_new(true);
    f.proxy.cut_all();
    let outcome = tokio::time::timeout(Duration::from_secs(60), async {
        // The first statement may still find the dead pooled connection.
        match f.db.count(User::query()).await {
            Err(Error::Connection(_)) => f.db.count(User::query()).await,
            other => other,
        }
    })
    .await
    .expect("the acquire timeout bounds the wait");
    assert!(matches!(outcome, Err(Error::Timeout(_))), "{outcome:?}");
    f.proxy.stall_new(false);
    assert_eq!(recovers(f.db).await, 0);
}
