//! A lock not had within the session's `lock_timeout` (SQLSTATE 55P03):
//! `Error::Timeout`, not retryable, and the connection stays in the pool.

use std::time::Duration;

use keyway::prelude::*;
use keyway::{Error, Value};

use crate::common::{Fixture, bounded, main_url, with_option};
use crate::model::User;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_timeout_is_a_timeout_and_keeps_the_connection() {
    let url = with_option(&main_url(), "options=-c%20lock_timeout%3D200");
    let fx = Fixture::open(&url, |o| {
        o.max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
    })
    .await;
    fx.create_schema::<User>().await.unwrap();
    let a = fx.insert(&User::new("A", "a@example.com")).await.unwrap();
    let before = fx.backend_pids().await;
    assert_eq!(before.len(), 1);

    // Another session holds the row.
    let mut holder = fx.admin.executor().acquire().await.unwrap();
    holder.batch_execute("BEGIN").await.unwrap();
    let held = holder
        .execute(
            &format!("UPDATE {}.users SET name = 'held' WHERE id = $1", fx.name),
            &[Value::I64(a)],
        )
        .await
        .unwrap();
    assert_eq!(held, 1);

    let rename = || User::update(a).set(User::NAME, "renamed".to_owned());
    let err = bounded("the update", fx.update(rename()))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Timeout(detail) if detail.contains("55P03")),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    // Inside a transaction too; the transaction is rolled back.
    let in_tx = fx.transaction(async |tx| {
        tx.insert(&User::new("B", "b@example.com")).await?;
        tx.update(rename()).await
    });
    let err = bounded("the transaction", in_tx).await.unwrap_err();
    assert!(matches!(&err, Error::Timeout(_)), "{err:?}");
    // Reads do not wait for the row lock.
    assert_eq!(fx.get::<User>(a).await.unwrap().name, "A");
    assert_eq!(fx.count(User::query()).await.unwrap(), 1);

    holder.batch_execute("ROLLBACK").await.unwrap();
    holder.release();
    fx.update(rename()).await.unwrap();
    assert_eq!(fx.get::<User>(a).await.unwrap().name, "renamed");
    assert_eq!(
        fx.backend_pids().await,
        before,
        "the pool opened a new connection"
    );
}
