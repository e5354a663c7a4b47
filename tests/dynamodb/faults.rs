//! DynamoDB's own faults, injected by a [`FaultProxy`] in front of the
//! server: throttling, 5xx answers and dropped connections are retried a
//! bounded number of times and then surface as portable kinds; unprocessed
//! batch items and keys are sent again until none remain; an interrupted
//! transaction writes nothing.

use std::time::Duration;

use keyway::Error;

use super::fault_proxy::{Fault, FaultProxy};
use super::*;
use crate::model::{Author, Draft, Todo, User};

/// Attempts per request of the faulty connections (the first included).
const ATTEMPTS: usize = 3;

/// A connection through a fresh fault proxy, with short backoffs.
pub(crate) async fn open_faulty() -> (Db<DynamoDb>, FaultProxy) {
    let url = url();
    let server = suite::scratch::authority(&url);
    let proxy = FaultProxy::start(server).await;
    let db = DynamoDbOptions::new(suite::scratch::via(&url, &proxy.addr()))
        .table_prefix(prefix())
        .max_attempts(ATTEMPTS as u32)
        .retry_backoff(Duration::from_millis(5))
        .connect()
        .await
        .expect("connect through the fault proxy");
    (db, proxy)
}

fn todos(owner: i64, n: usize) -> Vec<Todo> {
    (0..n)
        .map(|i| Todo::new(owner, &format!("todo {i}"), (i % 5) as i16))
        .collect()
}

/// `n` drafts without an author: rows with an `auto` key, no unique index
/// and no parent to check, which DynamoDB writes with BatchWriteItem.
fn drafts(n: usize) -> Vec<Draft> {
    (0..n)
        .map(|i| Draft::new(None, &format!("draft {i}")))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled_requests_are_retried_and_applied_once() {
    let (db, proxy) = open_faulty().await;
    db.create_schema::<User>().await.unwrap();
    proxy.inject("TransactWriteItems", Fault::Throttle, ATTEMPTS - 1);
    proxy.inject("GetItem", Fault::Throttle, ATTEMPTS - 1);
    let id = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    assert_eq!(proxy.seen("TransactWriteItems"), ATTEMPTS);
    assert_eq!(db.get::<User>(id).await.unwrap().name, "Ann");
    assert_eq!(proxy.seen("GetItem"), ATTEMPTS);
    assert_eq!(db.count(User::query().scan()).await.unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lasting_throttling_is_unavailable_after_bounded_attempts() {
    let (db, proxy) = open_faulty().await;
    db.create_schema::<(User, Author, Draft)>().await.unwrap();
    // A draft (auto key, no unique index, no parent) is written by BatchWriteItem, a
    // user (unique email) by TransactWriteItems.
    proxy.inject("BatchWriteItem", Fault::Throttle, usize::MAX);
    proxy.inject("TransactWriteItems", Fault::Throttle, usize::MAX);
    let err = db.insert(&Draft::new(None, "t")).await.unwrap_err();
    assert!(
        matches!(&err, Error::Unavailable(m) if m.contains("not applied")),
        "{err:?}"
    );
    let err = db
        .insert(&User::new("Ann", "ann@x.test"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unavailable(_)), "{err:?}");
    assert_eq!(proxy.seen("BatchWriteItem"), ATTEMPTS, "bounded attempts");
    assert_eq!(proxy.seen("TransactWriteItems"), ATTEMPTS);
    assert_eq!(db.count(Draft::query().scan()).await.unwrap(), 0);
    assert_eq!(db.count(User::query().scan()).await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried_then_unavailable() {
    let (db, proxy) = open_faulty().await;
    db.create_schema::<(User, Todo)>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    db.insert_many(&todos(ann, 7)).await.unwrap();
    let before = proxy.seen("Query");
    proxy.inject("Query", Fault::ServerError, ATTEMPTS - 1);
    let found = db
        .all(Todo::query().filter(Todo::OWNER_ID.eq(ann)))
        .await
        .unwrap();
    assert_eq!(found.len(), 7);
    proxy.inject("Query", Fault::ServerError, usize::MAX);
    let err = db
        .all(Todo::query().filter(Todo::OWNER_ID.eq(ann)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Unavailable(m) if m.contains("HTTP 500")),
        "{err:?}"
    );
    assert_eq!(proxy.seen("Query") - before, 2 * ATTEMPTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_connections_are_retried_then_a_connection_error() {
    let (db, proxy) = open_faulty().await;
    db.create_schema::<User>().await.unwrap();
    let id = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    proxy.inject("GetItem", Fault::Drop, ATTEMPTS - 1);
    assert_eq!(db.get::<User>(id).await.unwrap().name, "Ann");
    proxy.inject("GetItem", Fault::Drop, usize::MAX);
    let err = db.get::<User>(id).await.unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    assert_eq!(proxy.seen("GetItem"), 2 * ATTEMPTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unprocessed_batch_writes_are_sent_again_until_none_remain() {
    let (db, proxy) = open_faulty().await;
    db.create_schema::<(Author, Draft)>().await.unwrap();
    // Drafts have an auto key, no unique index and no parent: BatchWriteItem, 25 a call.
    proxy.inject("BatchWriteItem", Fault::Unprocessed, 6);
    let ids = db.insert_many(&drafts(60)).await.unwrap();
    assert!(
        proxy.seen("BatchWriteItem") > 3,
        "{}",
        proxy.seen("BatchWriteItem")
    );
    let stored = db.all(Draft::query().scan()).await.unwrap();
    assert_eq!(stored.len(), 60, "each item written exactly once");
    let mut stored_ids: Vec<i64> = stored.iter().map(|t| t.id).collect();
    stored_ids.sort_unstable();
    let mut ids = ids;
    ids.sort_unstable();
    assert_eq!(stored_ids, ids);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lasting_unprocessed_writes_are_unavailable_saying_how_many() {
    let (db, proxy) = open_faulty().await;
    db.create_schema::<(Author, Draft)>().await.unwrap();
    proxy.inject("BatchWriteItem", Fault::Unprocessed, usize::MAX);
    let err = db.insert_many(&drafts(20)).await.unwrap_err();
    // Each send writes half of what is left: 10, 5, 3, 1, 1, then nothing.
    let Error::Unavailable(message) = &err else {
        panic!("expected Error::Unavailable, got {err:?}");
    };
    assert!(message.contains("not written"), "{message}");
    assert_eq!(proxy.seen("BatchWriteItem"), 11, "1 send and 10 retries");
    let stored = db.count(Draft::query().scan()).await.unwrap();
    let left: u64 = message
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .expect("the count of unwritten items");
    assert_eq!(stored + left, 20, "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unprocessed_batch_keys_are_read_again_until_none_remain() {
    let (db, proxy) = open_faulty().await;
    db.create_schema::<(Author, Draft)>().await.unwrap();
    let ids = db.insert_many(&drafts(150)).await.unwrap();
    proxy.inject("BatchGetItem", Fault::Unprocessed, 5);
    let found = db
        .all(Draft::query().filter(Draft::ID.in_list(ids.iter().copied())))
        .await
        .unwrap();
    assert_eq!(found.len(), 150);
    assert!(
        proxy.seen("BatchGetItem") > 2,
        "{}",
        proxy.seen("BatchGetItem")
    );
    proxy.inject("BatchGetItem", Fault::Unprocessed, usize::MAX);
    let err = db
        .all(Draft::query().filter(Draft::ID.in_list(ids[..3].iter().copied())))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unavailable(_)), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_transaction_writes_nothing() {
    let (db, proxy) = open_faulty().await;
    db.create_schema::<User>().await.unwrap();
    proxy.inject("TransactWriteItems", Fault::ServerError, usize::MAX);
    let err = db
        .transaction(async |tx| {
            tx.insert(&User::new("Ann", "ann@x.test")).await?;
            tx.insert(&User::new("Bob", "bob@x.test")).await?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unavailable(_)), "{err:?}");
    assert_eq!(db.count(User::query().scan()).await.unwrap(), 0);
    // A throttled commit is retried and lands whole.
    proxy.inject("TransactWriteItems", Fault::Throttle, ATTEMPTS - 1);
    db.transaction(async |tx| {
        tx.insert(&User::new("Ann", "ann@x.test")).await?;
        tx.insert(&User::new("Bob", "bob@x.test")).await?;
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(db.count(User::query().scan()).await.unwrap(), 2);
}
