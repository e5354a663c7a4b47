//! Transactions commit on Ok, roll back on Err and on drop.

use keyway::prelude::*;
use keyway::{Backend, Error, Supports, Unindexed};

use crate::model::User;

pub async fn commits_on_ok<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let ids = db
        .transaction(async |tx| {
            let a = tx.insert(&User::new("Ann", "ann@example.com")).await?;
            let b = tx.insert(&User::new("Bob", "bob@example.com")).await?;
            tx.update(User::update(a).set(User::NAME, "Anna")).await?;
            assert_eq!(tx.count(User::query()).await?, 2);
            Ok((a, b))
        })
        .await
        .unwrap();
    assert_eq!(db.get::<User>(ids.0).await.unwrap().name, "Anna");
    assert_eq!(db.count(User::query()).await.unwrap(), 2);
}

pub async fn rolls_back_on_err<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let err = db
        .transaction(async |tx| {
            tx.insert(&User::new("Ann", "ann@example.com")).await?;
            Err::<(), _>(Error::ConditionFailed)
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed));
    assert_eq!(db.count(User::query()).await.unwrap(), 0);
}

pub async fn rolls_back_on_drop<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    {
        let tx = db.begin().await.unwrap();
        tx.insert(&User::new("Ann", "ann@example.com"))
            .await
            .unwrap();
    }
    assert_eq!(db.count(User::query()).await.unwrap(), 0);
}

pub async fn begin_commit_rollback<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let tx = db.begin().await.unwrap();
    tx.insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let tx = db.begin().await.unwrap();
    tx.insert(&User::new("Bob", "bob@example.com"))
        .await
        .unwrap();
    let seen: Vec<User> = tx.all(User::query()).await.unwrap();
    assert_eq!(seen.len(), 2);
    tx.rollback().await.unwrap();
    let names: Vec<String> = db.all(User::query().select(User::NAME)).await.unwrap();
    assert_eq!(names, ["Ann"]);
}

pub async fn transaction_future_is_send<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let db2 = db.clone();
    let task = tokio::spawn(async move {
        let tx = db2.begin().await?;
        tx.insert(&User::new("Ann", "ann@example.com")).await?;
        tx.commit().await
    });
    task.await.unwrap().unwrap();
    assert_eq!(db.count(User::query()).await.unwrap(), 1);
}
