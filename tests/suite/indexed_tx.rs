//! Transactions with writes by key and index: commit on Ok, nothing on Err,
//! drop or a failed condition.

use keyway::prelude::*;
use keyway::{Backend, Error};

use crate::model::{Todo, User};

pub async fn tx_commits_and_rolls_back<B: Backend>(db: &Db<B>) {
    db.create_schema::<(User, Todo)>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let todos: Vec<Todo> = (0..3)
        .map(|i| Todo::new(ann, &format!("t{i}"), i))
        .collect();
    let todo_ids = db.insert_many(&todos).await.unwrap();
    let (bob, moved) = db
        .transaction(async |tx| {
            let bob = tx.insert(&User::new("Bob", "bob@x.test")).await?;
            tx.update(User::update(ann).set(User::NAME, "Anna")).await?;
            let moved = tx
                .update(
                    Todo::query()
                        .filter(Todo::OWNER_ID.eq(ann))
                        .update()
                        .set(Todo::DONE, true),
                )
                .await?;
            Ok((bob, moved))
        })
        .await
        .unwrap();
    assert_eq!(moved, 3);
    assert_eq!(db.get::<User>(ann).await.unwrap().name, "Anna");
    assert_eq!(db.get::<User>(bob).await.unwrap().email, "bob@x.test");
    assert_eq!(
        db.count(Todo::query().filter(Todo::OWNER_ID.eq(ann).and(Todo::DONE.eq(true))))
            .await
            .unwrap(),
        3
    );

    let err = db
        .transaction(async |tx| {
            tx.insert(&User::new("Carol", "carol@x.test")).await?;
            tx.delete(Todo::delete(todo_ids[0])).await?;
            Err::<(), _>(Error::ConditionFailed)
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed));
    assert_eq!(
        db.count(User::query().filter(User::EMAIL.eq("carol@x.test")))
            .await
            .unwrap(),
        0
    );
    assert!(db.find::<Todo>(todo_ids[0]).await.unwrap().is_some());

    {
        let tx = db.begin().await.unwrap();
        tx.insert(&User::new("Dan", "dan@x.test")).await.unwrap();
    }
    assert_eq!(
        db.count(User::query().filter(User::EMAIL.eq("dan@x.test")))
            .await
            .unwrap(),
        0
    );

    let tx = db.begin().await.unwrap();
    tx.delete(Todo::delete(todo_ids[1])).await.unwrap();
    tx.rollback().await.unwrap();
    assert!(db.find::<Todo>(todo_ids[1]).await.unwrap().is_some());
    let tx = db.begin().await.unwrap();
    let n = tx
        .delete(Todo::query().filter(Todo::OWNER_ID.eq(ann)).delete())
        .await
        .unwrap();
    assert_eq!(n, 3);
    tx.commit().await.unwrap();
    assert_eq!(
        db.count(Todo::query().filter(Todo::OWNER_ID.eq(ann)))
            .await
            .unwrap(),
        0
    );
}

pub async fn tx_unique_violation_writes_nothing<B: Backend>(db: &Db<B>) {
    db.create_schema::<User>().await.unwrap();
    let ann = db.insert(&User::new("Ann", "ann@x.test")).await.unwrap();
    let err = db
        .transaction(async |tx| {
            tx.insert(&User::new("Bob", "bob@x.test")).await?;
            tx.update(User::update(ann).set(User::NAME, "Anna")).await?;
            tx.insert(&User::new("Other Ann", "ann@x.test")).await?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::UniqueViolation { entity: "User", index } if index == "users_email_key"),
        "{err:?}"
    );
    assert_eq!(db.get::<User>(ann).await.unwrap().name, "Ann");
    assert_eq!(
        db.count(User::query().filter(User::EMAIL.eq("bob@x.test")))
            .await
            .unwrap(),
        0
    );
    let missing = db
        .transaction(async |tx| {
            tx.update(User::update(ann + 100).set(User::NAME, "x"))
                .await
        })
        .await
        .unwrap_err();
    assert!(
        matches!(missing, Error::NotFound { entity: "User" }),
        "{missing:?}"
    );
    let db2 = db.clone();
    let task = tokio::spawn(async move {
        let tx = db2.begin().await?;
        tx.insert(&User::new("Eve", "eve@x.test")).await?;
        tx.commit().await
    });
    task.await.unwrap().unwrap();
    assert_eq!(
        db.count(User::query().filter(User::EMAIL.eq("eve@x.test")))
            .await
            .unwrap(),
        1
    );
}
