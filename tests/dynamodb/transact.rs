//! DynamoDB's transactions beyond writes: a check is sent again at commit,
//! as a `ConditionCheck` in the same `TransactWriteItems` as the writes (a
//! change made to the checked item in between fails the commit, and
//! nothing is written); rows read together are one `TransactGetItems`.

use keyway::Error;

use super::*;
use crate::model::{Todo, User};

#[tokio::test]
async fn a_check_that_no_longer_holds_fails_the_commit() {
    let db = open().await;
    db.create_schema::<(User, Todo)>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let tx = db.begin().await.unwrap();
    tx.check(User::check(ann).only_if(User::EMAIL.eq("ann@x.test")))
        .await
        .unwrap();
    tx.insert(&Todo::new(ann, "write", 1)).await.unwrap();
    // Changed elsewhere after the check, before the commit.
    db.update(User::update(ann).set(User::EMAIL, "new@x.test".to_owned()))
        .await
        .unwrap();
    let failed = tx.commit().await.unwrap_err();
    assert!(matches!(failed, Error::ConditionFailed), "{failed:?}");
    let todos = db.count(Todo::query().filter(Todo::OWNER_ID.eq(ann)));
    assert_eq!(todos.await.unwrap(), 0, "nothing written");

    // Unchanged: the commit writes.
    let tx = db.begin().await.unwrap();
    tx.check(User::check(ann).only_if(User::EMAIL.eq("new@x.test")))
        .await
        .unwrap();
    tx.insert(&Todo::new(ann, "write", 1)).await.unwrap();
    tx.commit().await.unwrap();
    let todos = db.count(Todo::query().filter(Todo::OWNER_ID.eq(ann)));
    assert_eq!(todos.await.unwrap(), 1);
}

/// Rows of two tables read together: one TransactGetItems, each key once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_read_together_are_one_request() {
    let url = url();
    let proxy = crate::fault_proxy::FaultProxy::start(suite::scratch::authority(&url)).await;
    let db = keyway_dynamodb::DynamoDbOptions::new(suite::scratch::via(&url, &proxy.addr()))
        .table_prefix(prefix())
        .connect()
        .await
        .unwrap();
    db.create_schema::<(User, Todo)>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let todo = db.insert(&Todo::new(ann, "write", 1)).await.unwrap();
    let (gets, before) = (proxy.seen("GetItem"), proxy.seen("TransactGetItems"));
    let (user, a, b) = db
        .find_together((User::at(ann), Todo::at(todo), Todo::at(todo)))
        .await
        .unwrap();
    assert_eq!(proxy.seen("TransactGetItems") - before, 1);
    assert_eq!(proxy.seen("GetItem"), gets);
    assert_eq!(user.unwrap().id, ann);
    assert_eq!(a.unwrap(), b.unwrap());
}
