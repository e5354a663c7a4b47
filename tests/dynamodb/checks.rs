//! A check in a DynamoDB transaction is sent again at commit, as a
//! `ConditionCheck` in the same `TransactWriteItems` as the writes: a
//! change made to the checked item in between fails the commit, and
//! nothing is written.

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
