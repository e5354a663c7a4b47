//! keyway's pool of server connections (PostgreSQL and MySQL): a statement
//! that ran to its end gives its connection straight back, one stopped
//! midway or a transaction left open is cleaned up before the connection is
//! used again, and idle connections are closed on time.

use std::time::Duration;

use futures::StreamExt;
use keyway::prelude::*;
use keyway::{Db, Error};
use keyway_sql::{Driver, SqlBackend};

use crate::model::User;

/// Every test of this module. `$open` opens a fresh database with the
/// options a closure makes of the defaults (`|o| o.max_connections(1)`).
#[macro_export]
macro_rules! keyway_pool_suite {
    ($open:path) => {
        mod pool {
            use std::time::Duration;

            use super::*;

            #[tokio::test]
            async fn a_finished_statement_gives_its_connection_straight_back() {
                let db = $open(|o| o.max_connections(1)).await;
                suite::pool::finished_statement_goes_straight_back(&db).await;
            }

            #[tokio::test]
            async fn a_stream_dropped_midway_leaves_a_working_connection() {
                let db = $open(|o| o.max_connections(1)).await;
                suite::pool::stream_dropped_midway(&db).await;
            }

            #[tokio::test]
            async fn a_dropped_transaction_is_rolled_back_before_reuse() {
                let db = $open(|o| o.max_connections(1)).await;
                suite::pool::dropped_transaction(&db).await;
            }

            #[tokio::test]
            async fn idle_connections_close_after_their_timeout_down_to_the_minimum() {
                let db = $open(|o| {
                    o.max_connections(3)
                        .min_connections(1)
                        .idle_timeout(Some(Duration::from_millis(300)))
                })
                .await;
                suite::pool::idle_timeout(&db).await;
            }

            #[tokio::test]
            async fn a_closed_pool_refuses_statements() {
                let db = $open(|o| o).await;
                suite::pool::closed(&db).await;
            }
        }
    };
}

fn users(n: usize) -> Vec<User> {
    (0..n)
        .map(|i| User::new(&format!("pool {i}"), &format!("pool.{i}@example.com")))
        .collect()
}

/// The connection is idle again as soon as the statement returns, before
/// the task yields: no ping on a spawned task stands between them.
pub async fn finished_statement_goes_straight_back<D: Driver>(db: &Db<SqlBackend<D>>) {
    db.create_schema::<User>().await.unwrap();
    assert_eq!(db.executor().idle_connections(), 1);
    db.insert_many(&users(3)).await.unwrap();
    assert_eq!(db.executor().idle_connections(), 1);
    assert_eq!(db.count(User::query()).await.unwrap(), 3);
    assert_eq!(db.executor().idle_connections(), 1);
    // An error the database reports for a statement leaves it usable.
    let err = db.insert(&users(1)[0]).await.unwrap_err();
    assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");
    assert_eq!(db.count(User::query()).await.unwrap(), 3);
    // A raw connection dropped by its user goes back only after a ping.
    let conn = db.executor().acquire().await.unwrap();
    drop(conn);
    assert_eq!(db.executor().idle_connections(), 0);
    assert_eq!(db.count(User::query()).await.unwrap(), 3);
    assert_eq!(db.executor().idle_connections(), 1);
}

/// A stream dropped after a few of its rows leaves the rest unread on the
/// connection: the connection is drained before anyone uses it again.
pub async fn stream_dropped_midway<D: Driver>(db: &Db<SqlBackend<D>>) {
    db.create_schema::<User>().await.unwrap();
    db.insert_many(&users(500)).await.unwrap();
    for _ in 0..3 {
        let first: Vec<User> = db
            .stream(User::query().order_by(User::ID.asc()))
            .take(3)
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(first.len(), 3);
        assert_eq!(db.count(User::query()).await.unwrap(), 500);
        let last = db
            .first(User::query().order_by(User::ID.desc()))
            .await
            .unwrap();
        assert_eq!(last.map(|u| u.name), Some("pool 499".to_owned()));
    }
}

/// A transaction dropped without commit: the pool's one connection is
/// rolled back before the next statement, which sees nothing of it and can
/// write the same unique keys.
pub async fn dropped_transaction<D: Driver>(db: &Db<SqlBackend<D>>) {
    db.create_schema::<User>().await.unwrap();
    let tx = db.begin().await.unwrap();
    tx.insert_many(&users(3)).await.unwrap();
    drop(tx);
    assert_eq!(db.count(User::query()).await.unwrap(), 0);
    db.insert_many(&users(3)).await.unwrap();
    assert_eq!(db.count(User::query()).await.unwrap(), 3);
    // A transaction that committed gives its connection straight back.
    let tx = db.begin().await.unwrap();
    tx.insert(&User::new("late", "late@example.com"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(db.executor().idle_connections(), 1);
    assert_eq!(db.count(User::query()).await.unwrap(), 4);
}

/// Three connections busy at once, then idle: past the idle timeout the
/// background sweep closes them down to `min_connections` (one).
pub async fn idle_timeout<D: Driver>(db: &Db<SqlBackend<D>>) {
    db.create_schema::<User>().await.unwrap();
    let (a, b, c) = tokio::join!(
        db.executor().acquire(),
        db.executor().acquire(),
        db.executor().acquire()
    );
    for conn in [a, b, c] {
        conn.unwrap().release();
    }
    assert_eq!(db.executor().idle_connections(), 3);
    let mut idle = 3;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        idle = db.executor().idle_connections();
        if idle == 1 {
            break;
        }
    }
    assert_eq!(idle, 1, "the sweep keeps min_connections");
    assert_eq!(db.count(User::query()).await.unwrap(), 0);
}

/// After `close`, a statement is `Error::Connection`.
pub async fn closed<D: Driver>(db: &Db<SqlBackend<D>>) {
    db.create_schema::<User>().await.unwrap();
    db.executor().close().await;
    assert_eq!(db.executor().idle_connections(), 0);
    let err = db.count(User::query()).await.unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
}
