//! `.returning()`: updates and deletes that hand back the rows they wrote,
//! equal to a fresh read, by key and by filter, in and out of transactions,
//! and exact under concurrent writers. Every backend, DynamoDB included
//! (entities with unique values and foreign keys take its other paths).

use std::sync::Arc;

use keyway::prelude::*;
use keyway::{Backend, Error};

use crate::model::{Account, Memo, Sku, Todo, User};

fn by_id(mut todos: Vec<Todo>) -> Vec<Todo> {
    todos.sort_by_key(|t| t.id);
    todos
}

pub async fn returned_rows_equal_a_fresh_read<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Todo, Account, Sku)>()
        .await
        .unwrap();
    let ann = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();

    // By key: the row as the update left it.
    let renamed = db
        .update(User::update(ann).set(User::NAME, "Anna").returning())
        .await
        .unwrap();
    assert_eq!(renamed.name, "Anna");
    assert_eq!(renamed, db.get::<User>(ann).await.unwrap());
    // A unique value moved (a sentinel on DynamoDB).
    let moved = db
        .update(
            User::update(ann)
                .set(User::EMAIL, "anna@example.com")
                .returning(),
        )
        .await
        .unwrap();
    assert_eq!(moved.email, "anna@example.com");
    assert_eq!(moved, db.get::<User>(ann).await.unwrap());
    // The old value is free again, the new one taken.
    db.insert(&User::new("Other Ann", "ann@example.com"))
        .await
        .unwrap();
    let taken = db.insert(&User::new("x", "anna@example.com")).await;
    assert!(
        matches!(taken, Err(Error::UniqueViolation { .. })),
        "{taken:?}"
    );

    // Increments and the version, as the database computed them.
    let acct = db.insert(&Account::new("ann", 100)).await.unwrap();
    let after = db
        .update(
            Account::update(acct)
                .increment(Account::BALANCE, 25)
                .increment(Account::VISITS, 1)
                .returning(),
        )
        .await
        .unwrap();
    assert_eq!((after.balance, after.visits, after.version), (125, 1, 2));
    assert_eq!(after, db.get::<Account>(acct).await.unwrap());

    // A unique value moved and a counter added to at once.
    db.insert(&Sku::new("a-1", "anvil", 3)).await.unwrap();
    let sku = db
        .update(
            Sku::update("a-1".to_owned())
                .set(Sku::NAME, "big anvil")
                .increment(Sku::STOCK, 4)
                .returning(),
        )
        .await
        .unwrap();
    assert_eq!(
        (sku.name.as_str(), sku.stock, sku.version),
        ("big anvil", 7, 2)
    );
    assert_eq!(sku, db.get::<Sku>("a-1".to_owned()).await.unwrap());

    // By filter: every row written.
    let todos = db
        .insert_many(&[
            Todo::new(ann, "one", 1),
            Todo::new(ann, "two", 2),
            Todo::new(ann, "three", 3),
        ])
        .await
        .unwrap();
    let mine = || Todo::query().filter(Todo::OWNER_ID.eq(ann));
    let done = db
        .update(mine().update().set(Todo::DONE, true).returning())
        .await
        .unwrap();
    assert_eq!(done.len(), 3);
    assert!(done.iter().all(|t| t.done));
    assert_eq!(by_id(done), by_id(db.all(mine()).await.unwrap()));
    // A foreign key written (a parent check on DynamoDB).
    let bob = db
        .insert(&User::new("Bob", "bob@example.com"))
        .await
        .unwrap();
    let given = db
        .update(Todo::update(todos[0]).set(Todo::OWNER_ID, bob).returning())
        .await
        .unwrap();
    assert_eq!(given.owner_id, bob);
    assert_eq!(given, db.get::<Todo>(todos[0]).await.unwrap());
    // No row matched: an empty list, nothing written.
    let none = db
        .update(
            Todo::query()
                .filter(Todo::OWNER_ID.eq(bob + 1000))
                .update()
                .set(Todo::DONE, false)
                .returning(),
        )
        .await
        .unwrap();
    assert!(none.is_empty());

    // Deletes: the rows as they were.
    let before = db.get::<Todo>(todos[1]).await.unwrap();
    let gone = db.delete(Todo::delete(todos[1]).returning()).await.unwrap();
    assert_eq!(gone, before);
    assert!(db.find::<Todo>(todos[1]).await.unwrap().is_none());
    let before = by_id(db.all(mine()).await.unwrap());
    let gone = db.delete(mine().delete().returning()).await.unwrap();
    assert_eq!(by_id(gone), before);
    assert_eq!(db.count(mine()).await.unwrap(), 0);
    // A row holding a unique value (its sentinel released on DynamoDB)
    // and referenced by children (their ON DELETE applied there).
    let before = db.get::<User>(ann).await.unwrap();
    let gone = db.delete(User::delete(ann).returning()).await.unwrap();
    assert_eq!(gone, before);
    db.insert(&User::new("New Anna", "anna@example.com"))
        .await
        .unwrap();
    let before = db.get::<Sku>("a-1".to_owned()).await.unwrap();
    let gone = db
        .delete(Sku::delete("a-1".to_owned()).returning())
        .await
        .unwrap();
    assert_eq!(gone, before);
    db.insert(&Sku::new("a-2", "big anvil", 1)).await.unwrap();
}

pub async fn returning_keeps_the_errors_of_writes_by_key<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Account)>().await.unwrap();
    let acct = db.insert(&Account::new("ann", 10)).await.unwrap();
    let missing = db
        .update(
            Account::update(acct + 1000)
                .set(Account::OWNER, "x")
                .returning(),
        )
        .await;
    assert!(
        matches!(missing, Err(Error::NotFound { entity: "Account" })),
        "{missing:?}"
    );
    let refused = db
        .update(
            Account::update(acct)
                .set(Account::OWNER, "x")
                .only_if(Account::FROZEN.eq(true))
                .returning(),
        )
        .await;
    assert!(
        matches!(refused, Err(Error::ConditionFailed)),
        "{refused:?}"
    );
    let stale = db
        .delete(Account::delete(acct).if_version(7).returning())
        .await;
    assert!(
        matches!(stale, Err(Error::Conflict { entity: "Account" })),
        "{stale:?}"
    );
    let gone = db.delete(Account::delete(acct + 1000).returning()).await;
    assert!(
        matches!(gone, Err(Error::NotFound { entity: "Account" })),
        "{gone:?}"
    );
    // Nothing was written by the refused writes.
    let stored = db.get::<Account>(acct).await.unwrap();
    assert_eq!((stored.owner.as_str(), stored.version), ("ann", 1));
    // The condition that holds: written and returned.
    let kept = db
        .delete(
            Account::delete(acct)
                .if_version(1)
                .only_if(Account::FROZEN.eq(false))
                .returning(),
        )
        .await
        .unwrap();
    assert_eq!(kept, stored);
}

pub async fn returning_in_transactions<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Sku, Memo)>().await.unwrap();
    db.insert_many(&[Sku::new("b-1", "bolt", 10), Sku::new("b-2", "nut", 5)])
        .await
        .unwrap();
    let ann = db
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let memo = db.insert(&Memo::new(ann, "milk")).await.unwrap();
    let (bolt, nut, memo_gone) = db
        .transaction(async |tx| {
            let bolt = tx
                .update(
                    Sku::update("b-1".to_owned())
                        .increment(Sku::STOCK, -3)
                        .set(Sku::NAME, "bolt m8")
                        .returning(),
                )
                .await?;
            // The transaction's own write is seen by the next one.
            assert_eq!(tx.get::<Sku>("b-1".to_owned()).await?, bolt);
            let nut = tx.delete(Sku::delete("b-2".to_owned()).returning()).await?;
            // A soft delete returns the row as stamped.
            let memo_gone = tx.delete(Memo::delete(memo).returning()).await?;
            Ok((bolt, nut, memo_gone))
        })
        .await
        .unwrap();
    assert_eq!(
        (bolt.name.as_str(), bolt.stock, bolt.version),
        ("bolt m8", 7, 2)
    );
    assert_eq!(bolt, db.get::<Sku>("b-1".to_owned()).await.unwrap());
    assert_eq!((nut.name.as_str(), nut.stock), ("nut", 5));
    assert!(db.find::<Sku>("b-2".to_owned()).await.unwrap().is_none());
    assert!(memo_gone.deleted_at.is_some());
    let stamped = db
        .all(Memo::query().filter(Memo::USER_ID.eq(ann)).only_deleted())
        .await
        .unwrap();
    assert_eq!(stamped, vec![memo_gone]);

    // A transaction rolled back returns rows that are then not written.
    let rolled = db
        .transaction(async |tx| {
            let bolt = tx
                .update(
                    Sku::update("b-1".to_owned())
                        .increment(Sku::STOCK, 100)
                        .returning(),
                )
                .await?;
            assert_eq!(bolt.stock, 107);
            Err::<(), _>(Error::ConditionFailed)
        })
        .await;
    assert!(matches!(rolled, Err(Error::ConditionFailed)), "{rolled:?}");
    assert_eq!(db.get::<Sku>("b-1".to_owned()).await.unwrap().stock, 7);
}

/// Writers returning their rows at once: each gets the row as its own write
/// left it, so the counts they see are every value once, and the moved
/// unique values are each writer's own.
pub async fn concurrent_returning_is_exact<B: Backend>(db: &Db<B>) {
    db.create_schema::<(Account, Sku)>().await.unwrap();
    let acct = db.insert(&Account::new("ann", 0)).await.unwrap();
    db.insert(&Sku::new("c-1", "crate", 0)).await.unwrap();
    let db = Arc::new(db.clone());
    let (tasks, each) = (4, 10);
    let mut handles = Vec::new();
    for t in 0..tasks {
        let db = db.clone();
        handles.push(tokio::spawn(async move {
            let mut seen = Vec::new();
            for i in 0..each {
                let a = db
                    .update(
                        Account::update(acct)
                            .increment(Account::BALANCE, 1)
                            .returning(),
                    )
                    .await
                    .unwrap();
                // The unique name moves with every write: another writer
                // in between is read again, never returned stale.
                let name = format!("crate {t}-{i}");
                let s = loop {
                    let write = Sku::update("c-1".to_owned())
                        .set(Sku::NAME, name.as_str())
                        .increment(Sku::STOCK, 1)
                        .returning();
                    match db.update(write).await {
                        Ok(s) => break s,
                        Err(e) if e.is_retryable() => continue,
                        Err(e) => panic!("{e:?}"),
                    }
                };
                assert_eq!(s.name, name);
                seen.push((a.balance, a.version, s.stock, s.version));
            }
            seen
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    let n = tasks * each;
    let mut balances: Vec<i64> = all.iter().map(|s| s.0).collect();
    balances.sort_unstable();
    assert_eq!(balances, (1..=n as i64).collect::<Vec<_>>());
    for (balance, version, stock, sku_version) in &all {
        assert_eq!(*version, balance + 1);
        assert_eq!(*sku_version, stock + 1);
    }
    let mut stocks: Vec<i64> = all.iter().map(|s| s.2).collect();
    stocks.sort_unstable();
    assert_eq!(stocks, (1..=n as i64).collect::<Vec<_>>());
    let stored = db.get::<Sku>("c-1".to_owned()).await.unwrap();
    assert_eq!(stored.stock, n as i64);
}
