//! Pool exhaustion is a clear timeout, and the pool recovers. (The soak and
//! the random round trips run on every backend from the behaviour suite:
//! `tests/suite/reliability.rs`.)

mod model;

use std::time::Duration;

use keyway::Error;
use keyway::prelude::*;
use keyway_sqlite::SqliteOptions;
use model::User;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_pool_exhaustion_is_a_timeout() {
    let db = SqliteOptions::new("sqlite::memory:")
        .max_connections(1)
        .acquire_timeout(Duration::from_millis(200))
        .connect()
        .await
        .unwrap();
    db.create_schema::<User>().await.unwrap();
    let tx = db.begin().await.unwrap();
    let err = db.count(User::query()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    tx.rollback().await.unwrap();
    assert_eq!(
        db.count(User::query()).await.unwrap(),
        0,
        "the pool recovers"
    );
}
