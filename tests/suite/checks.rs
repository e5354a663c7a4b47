//! Condition checks: a transaction writes only while another row exists
//! and holds a condition, on every backend; a failed check leaves nothing
//! written. Where the database has row locks, the checked row stays
//! share-locked until the commit.

use keyway::prelude::*;
use keyway::{Backend, Error, RowLocks};

use crate::model::{Account, Memo, Todo, User};

pub async fn checks_guard_a_transaction<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Todo, Memo, Account)>()
        .await
        .unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let todos = || Todo::query().filter(Todo::OWNER_ID.eq(ann));
    let add = |email: &'static str, title: &'static str| {
        db.transaction(async move |tx| {
            tx.check(User::check(ann).only_if(User::EMAIL.eq(email)))
                .await?;
            tx.insert(&Todo::new(ann, title, 1)).await
        })
    };

    add("ann@x.test", "kept").await.unwrap();
    let refused = add("old@x.test", "dropped").await.unwrap_err();
    assert!(matches!(refused, Error::ConditionFailed), "{refused:?}");
    let titles: Vec<String> = db
        .all(todos())
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.title)
        .collect();
    assert_eq!(titles, ["kept"]);

    // Several conditions, a key alone, a missing row, outside a transaction.
    let both = User::check(ann)
        .only_if(User::EMAIL.eq("ann@x.test"))
        .only_if(User::NAME.eq("Ann"));
    db.check(both).await.unwrap();
    db.check(User::check(ann)).await.unwrap();
    let missing = db.check(User::check(ann + 1_000)).await.unwrap_err();
    assert!(
        matches!(missing, Error::NotFound { entity: "User" }),
        "{missing:?}"
    );

    // A soft-deleted row is not found; a stale version is a conflict.
    let memo = db.insert(&Memo::new(ann, "m")).await.unwrap();
    db.check(Memo::check(memo)).await.unwrap();
    db.delete(Memo::delete(memo)).await.unwrap();
    let gone = db.check(Memo::check(memo)).await.unwrap_err();
    assert!(
        matches!(gone, Error::NotFound { entity: "Memo" }),
        "{gone:?}"
    );
    let account = db.create(Account::new("Ann", 100)).await.unwrap();
    db.check(Account::check(account.id).if_version(account.version))
        .await
        .unwrap();
    let stale = db
        .check(Account::check(account.id).if_version(account.version + 1))
        .await
        .unwrap_err();
    assert!(matches!(stale, Error::Conflict { .. }), "{stale:?}");
    let unversioned = db.check(User::check(ann).if_version(1)).await.unwrap_err();
    assert!(
        matches!(unversioned, Error::Invalid { .. }),
        "{unversioned:?}"
    );

    // A check among writes that fail: nothing written either way.
    let tx = db.begin().await.unwrap();
    tx.insert(&Todo::new(ann, "in tx", 1)).await.unwrap();
    tx.check(User::check(ann).only_if(User::NAME.eq("Ann")))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(db.count(todos()).await.unwrap(), 1);
}

/// The checked row is share-locked until the commit: a writer elsewhere
/// cannot lock it (`nowait` fails at once), and can once the checking
/// transaction has ended.
pub async fn checks_share_lock_the_row<B: Backend + RowLocks>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let checker = db.begin().await.unwrap();
    checker
        .check(User::check(ann).only_if(User::NAME.eq("Ann")))
        .await
        .unwrap();
    let writer = db.begin().await.unwrap();
    let locked = writer
        .all(User::query().filter(User::ID.eq(ann)).for_update().nowait())
        .await
        .unwrap_err();
    assert!(matches!(locked, Error::Timeout(_)), "{locked:?}");
    drop(writer);
    checker.commit().await.unwrap();
    let writer = db.begin().await.unwrap();
    let free = writer
        .all(User::query().filter(User::ID.eq(ann)).for_update().nowait())
        .await
        .unwrap();
    assert_eq!(free.len(), 1);
    writer.commit().await.unwrap();
}
