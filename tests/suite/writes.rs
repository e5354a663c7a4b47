//! Writes that check before they change: conditional updates and deletes
//! (`only_if`), optimistic locking (a version column) and increments done
//! by the database. Every backend, DynamoDB included: each write is by key,
//! or by a filter on the key.

use std::sync::Arc;

use keyway::prelude::*;
use keyway::{Backend, Error};

use crate::model::{Account, Todo, User};

fn is_condition_failed<T: std::fmt::Debug>(result: keyway::Result<T>) {
    let err = result.unwrap_err();
    assert!(matches!(err, Error::ConditionFailed), "{err:?}");
}

fn is_conflict<T: std::fmt::Debug>(result: keyway::Result<T>) {
    let err = result.unwrap_err();
    assert!(
        matches!(err, Error::Conflict { entity: "Account" }),
        "{err:?}"
    );
}

fn is_not_found<T: std::fmt::Debug>(result: keyway::Result<T>, entity: &str) {
    let err = result.unwrap_err();
    assert!(
        matches!(err, Error::NotFound { entity: e } if e == entity),
        "{err:?}"
    );
}

pub async fn conditional_update_and_delete<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Todo)>().await.unwrap();
    let ann = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let id = db.insert(&Todo::new(ann, "draft", 1)).await.unwrap();

    // A condition that holds: written.
    db.update(
        Todo::update(id)
            .set(Todo::TITLE, "edited")
            .only_if(Todo::DONE.eq(false)),
    )
    .await
    .unwrap();
    assert_eq!(db.get::<Todo>(id).await.unwrap().title, "edited");

    // One that does not: ConditionFailed, nothing written.
    is_condition_failed(
        db.update(
            Todo::update(id)
                .set(Todo::TITLE, "lost")
                .only_if(Todo::DONE.eq(true)),
        )
        .await,
    );
    // Several conditions must all hold.
    is_condition_failed(
        db.update(
            Todo::update(id)
                .set(Todo::TITLE, "lost")
                .only_if(Todo::DONE.eq(false))
                .only_if(Todo::PRIORITY.gt(5)),
        )
        .await,
    );
    assert_eq!(db.get::<Todo>(id).await.unwrap().title, "edited");
    // A missing row stays NotFound, condition or not.
    is_not_found(
        db.update(
            Todo::update(id + 1000)
                .set(Todo::TITLE, "x")
                .only_if(Todo::DONE.eq(false)),
        )
        .await,
        "Todo",
    );
    is_not_found(
        db.delete(Todo::delete(id + 1000).only_if(Todo::DONE.eq(false)))
            .await,
        "Todo",
    );

    // Delete only while it is not done.
    db.update(Todo::update(id).set(Todo::DONE, true))
        .await
        .unwrap();
    is_condition_failed(
        db.delete(Todo::delete(id).only_if(Todo::DONE.eq(false)))
            .await,
    );
    assert!(db.find::<Todo>(id).await.unwrap().is_some(), "kept");
    db.delete(Todo::delete(id).only_if(Todo::DONE.eq(true)))
        .await
        .unwrap();
    assert!(db.find::<Todo>(id).await.unwrap().is_none(), "deleted");

    // In a transaction: the failed write is refused at once, and what the
    // transaction wrote before it commits.
    let id = db.insert(&Todo::new(ann, "in a tx", 1)).await.unwrap();
    let err = db
        .transaction(async |tx| {
            tx.update(Todo::update(id).set(Todo::PRIORITY, 3i16))
                .await?;
            tx.update(
                Todo::update(id)
                    .set(Todo::TITLE, "lost")
                    .only_if(Todo::PRIORITY.eq(1i16)),
            )
            .await
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed), "{err:?}");
    assert_eq!(db.get::<Todo>(id).await.unwrap().priority, 1, "rolled back");
    db.transaction(async |tx| {
        tx.update(Todo::update(id).set(Todo::PRIORITY, 3i16))
            .await?;
        tx.delete(Todo::delete(id).only_if(Todo::PRIORITY.eq(3i16)))
            .await
    })
    .await
    .unwrap();
    assert!(db.find::<Todo>(id).await.unwrap().is_none());
}

pub async fn optimistic_locking<B: Backend>(db: &Db<B>) {
    db.create_schema::<Account>().await.unwrap();
    // The version starts at 1, whatever the struct held.
    let mut unsaved = Account::new("Ann", 100);
    unsaved.version = 7;
    let created = db.create(unsaved.clone()).await.unwrap();
    assert_eq!(created.version, 1);
    let id = db.insert(&unsaved).await.unwrap();
    assert_eq!(db.get::<Account>(id).await.unwrap().version, 1);

    // Two copies read at version 1: the first save wins, the second is a
    // conflict and loses nothing.
    let mut mine = db.get::<Account>(created.id).await.unwrap();
    let mut theirs = mine.clone();
    mine.balance = 150;
    db.save(&mine).await.unwrap();
    theirs.owner = "Bob".into();
    is_conflict(db.save(&theirs).await);
    let stored = db.get::<Account>(created.id).await.unwrap();
    assert_eq!(
        (stored.owner.as_str(), stored.balance, stored.version),
        ("Ann", 150, 2)
    );
    // Read again, change again: saved.
    let mut theirs = stored.clone();
    theirs.owner = "Bob".into();
    db.save(&theirs).await.unwrap();
    assert_eq!(db.get::<Account>(created.id).await.unwrap().version, 3);
    // A missing row is NotFound, not a conflict.
    let mut gone = theirs.clone();
    gone.id += 1000;
    is_not_found(db.save(&gone).await, "Account");

    // An update by key adds 1 to the version; `if_version` checks it.
    db.update(Account::update(created.id).set(Account::FROZEN, true))
        .await
        .unwrap();
    assert_eq!(db.get::<Account>(created.id).await.unwrap().version, 4);
    is_conflict(
        db.update(
            Account::update(created.id)
                .set(Account::OWNER, "Cy")
                .if_version(3),
        )
        .await,
    );
    db.update(
        Account::update(created.id)
            .set(Account::OWNER, "Cy")
            .if_version(4),
    )
    .await
    .unwrap();
    let stored = db.get::<Account>(created.id).await.unwrap();
    assert_eq!((stored.owner.as_str(), stored.version), ("Cy", 5));
    // A version and a condition: each failure named for what failed.
    is_condition_failed(
        db.update(
            Account::update(created.id)
                .set(Account::OWNER, "Di")
                .if_version(5)
                .only_if(Account::FROZEN.eq(false)),
        )
        .await,
    );
    is_conflict(
        db.update(
            Account::update(created.id)
                .set(Account::OWNER, "Di")
                .if_version(4)
                .only_if(Account::FROZEN.eq(true)),
        )
        .await,
    );
    is_not_found(
        db.update(
            Account::update(created.id + 1000)
                .set(Account::OWNER, "Di")
                .if_version(1),
        )
        .await,
        "Account",
    );

    // Deletes check it too.
    is_conflict(db.delete(Account::delete(created.id).if_version(4)).await);
    db.delete(Account::delete(created.id).if_version(5))
        .await
        .unwrap();
    assert!(db.find::<Account>(created.id).await.unwrap().is_none());

    // The version is keyway's to write.
    for err in [
        db.update(Account::update(id).set(Account::VERSION, 9))
            .await
            .unwrap_err(),
        db.update(Account::update(id).increment(Account::VERSION, 1))
            .await
            .unwrap_err(),
        db.update(User::update(1).set(User::NAME, "x").if_version(1))
            .await
            .unwrap_err(),
        db.delete(User::delete(1).if_version(1)).await.unwrap_err(),
    ] {
        assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
    }
    assert_eq!(db.get::<Account>(id).await.unwrap().version, 1);
}

/// Eight writers save the same version of one row at once: exactly one
/// wins, the rest get `Conflict`, and the row holds the winner's change.
pub async fn one_of_two_writers_wins<B: Backend>(db: &Db<B>) {
    db.create_schema::<Account>().await.unwrap();
    let account = db.create(Account::new("Ann", 0)).await.unwrap();
    let db = Arc::new(db.clone());
    let writers = (1..=8).map(|i| {
        let db = db.clone();
        let mut copy = account.clone();
        copy.balance = i;
        tokio::spawn(async move { (i, db.save(&copy).await) })
    });
    let mut winners = Vec::new();
    for writer in writers {
        let (i, result) = writer.await.unwrap();
        match result {
            Ok(()) => winners.push(i),
            Err(Error::Conflict { entity: "Account" }) => {}
            Err(other) => panic!("writer {i}: {other:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one writer wins: {winners:?}");
    let stored = db.get::<Account>(account.id).await.unwrap();
    assert_eq!((stored.balance, stored.version), (winners[0], 2));
}

pub async fn increments<B: Backend>(db: &Db<B>) {
    db.create_schema::<Account>().await.unwrap();
    let a = db.create(Account::new("Ann", 100)).await.unwrap();
    let b = db.create(Account::new("Bob", 100)).await.unwrap();
    db.update(
        Account::update(a.id)
            .increment(Account::BALANCE, 25)
            .increment(Account::VISITS, 1)
            .increment(Account::RATING, 0.5)
            .set(Account::OWNER, "Ann B."),
    )
    .await
    .unwrap();
    db.update(
        Account::update(a.id)
            .increment(Account::BALANCE, -40)
            .increment(Account::BALANCE, -10),
    )
    .await
    .unwrap();
    let stored = db.get::<Account>(a.id).await.unwrap();
    assert_eq!(
        (
            stored.owner.as_str(),
            stored.balance,
            stored.visits,
            stored.rating,
            stored.version
        ),
        ("Ann B.", 75, 1, 0.5, 3)
    );
    // By filter: every matched row, each from its own value.
    let n = db
        .update(
            Account::query()
                .filter(Account::ID.in_list([a.id, b.id]))
                .update()
                .increment(Account::VISITS, 2),
        )
        .await
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(db.get::<Account>(a.id).await.unwrap().visits, 3);
    assert_eq!(db.get::<Account>(b.id).await.unwrap().visits, 2);
    // With a condition.
    is_condition_failed(
        db.update(
            Account::update(a.id)
                .increment(Account::BALANCE, -100)
                .only_if(Account::BALANCE.ge(100)),
        )
        .await,
    );
    assert_eq!(db.get::<Account>(a.id).await.unwrap().balance, 75);
    // In a transaction: the transaction's own writes count.
    db.transaction(async |tx| {
        tx.update(Account::update(b.id).increment(Account::BALANCE, 5))
            .await?;
        tx.update(Account::update(b.id).increment(Account::BALANCE, 5))
            .await
    })
    .await
    .unwrap();
    assert_eq!(db.get::<Account>(b.id).await.unwrap().balance, 110);

    // Past the type's range: OutOfRange, nothing written.
    db.update(Account::update(a.id).set(Account::VISITS, i32::MAX - 1))
        .await
        .unwrap();
    let err = db
        .update(Account::update(a.id).increment(Account::VISITS, 2))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::OutOfRange { entity: "Account", column, .. } if column == "visits"),
        "{err:?}"
    );
    db.update(Account::update(a.id).set(Account::BALANCE, i64::MIN + 1))
        .await
        .unwrap();
    let err = db
        .update(Account::update(a.id).increment(Account::BALANCE, -2))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::OutOfRange { entity: "Account", column, .. } if column == "balance"),
        "{err:?}"
    );
    let stored = db.get::<Account>(a.id).await.unwrap();
    assert_eq!(
        (stored.visits, stored.balance),
        (i32::MAX - 1, i64::MIN + 1)
    );
    // Two increments whose sum overflows are refused before anything is sent.
    let err = db
        .update(
            Account::update(a.id)
                .increment(Account::BALANCE, i64::MAX)
                .increment(Account::BALANCE, 1),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
    // A missing row is NotFound.
    is_not_found(
        db.update(Account::update(a.id + 1000).increment(Account::VISITS, 1))
            .await,
        "Account",
    );
}

/// Eight tasks each add 1 a thousand times to one counter: 8,000, none lost.
pub async fn concurrent_increments<B: Backend>(db: &Db<B>) {
    db.create_schema::<Account>().await.unwrap();
    let account = db.create(Account::new("Ann", 0)).await.unwrap();
    let db = Arc::new(db.clone());
    let tasks = (0..8).map(|_| {
        let db = db.clone();
        tokio::spawn(async move {
            for _ in 0..1000 {
                db.update(Account::update(account.id).increment(Account::BALANCE, 1))
                    .await
                    .unwrap();
            }
        })
    });
    for task in tasks {
        task.await.unwrap();
    }
    let stored = db.get::<Account>(account.id).await.unwrap();
    assert_eq!(stored.balance, 8000);
    assert_eq!(stored.version, 8001, "every increment is a write");
}
